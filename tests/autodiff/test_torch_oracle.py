"""Gradients against torch.autograd (float64, agreement to 1e-12 relative unless
stated). Skipped where PyTorch is not installed (``pip install torch==2.13.0``)."""

import numpy as np
import pytest

import mlfoundations.autodiff as ad
from mlfoundations.autodiff import Tensor

torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install torch==2.13.0)")
pytestmark = pytest.mark.torch

RTOL, ATOL = 1e-12, 1e-13


def _pair(x):
    return Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)


def composite_ours(x, W, b, m):
    h = ad.tanh(x @ W + b)
    z = ad.concatenate([h, ad.sigmoid(h[:, ::-1]) ** 2], axis=1)
    s = ad.log_softmax(z * 3.0, axis=1)
    picked = ad.gather(s, np.array([[0], [2], [1], [3]]), axis=1)
    q = ad.softmax(z - m, axis=0)
    r = ad.maximum(z, 0.1).max(axis=1) + ad.logsumexp(z, axis=0).mean()
    t = ad.where(z.data > 0, ad.sqrt(ad.abs(z) + 1), ad.exp(z) / (1 + z * z))
    u = ad.stack([r, r * 2], axis=1).reshape(-1)[np.array([0, 0, 3, 5])]
    return (-picked.mean() + (q * t).sum() + u.sum() / 7 + ad.relu(z - 0.2).mean()
            + ad.log(ad.sigmoid(z) + 0.5).sum() + (z.T @ z).sum() * 1e-2 - (2.0 ** -z).mean())


def composite_torch(x, W, b, m):
    h = torch.tanh(x @ W + b)
    z = torch.cat([h, torch.sigmoid(h.flip(1)) ** 2], dim=1)
    s = torch.log_softmax(z * 3.0, dim=1)
    picked = torch.gather(s, 1, torch.tensor([[0], [2], [1], [3]]))
    q = torch.softmax(z - m, dim=0)
    r = torch.maximum(z, torch.tensor(0.1, dtype=z.dtype)).amax(dim=1) \
        + torch.logsumexp(z, dim=0).mean()
    t = torch.where(z > 0, torch.sqrt(torch.abs(z) + 1), torch.exp(z) / (1 + z * z))
    u = torch.stack([r, r * 2], dim=1).reshape(-1)[torch.tensor([0, 0, 3, 5])]
    return (-picked.mean() + (q * t).sum() + u.sum() / 7 + torch.relu(z - 0.2).mean()
            + torch.log(torch.sigmoid(z) + 0.5).sum() + (z.T @ z).sum() * 1e-2
            - (2.0 ** -z).mean())


def test_composite_expression_gradients_match_torch(rng):
    arrays = [rng.standard_normal((4, 3)), rng.standard_normal((3, 2)),
              rng.standard_normal(2), rng.standard_normal(4)]
    ours = [_pair(a)[0] for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    value = composite_ours(*ours)
    value.backward()
    reference = composite_torch(*theirs)
    reference.backward()
    np.testing.assert_allclose(value.item(), reference.item(), rtol=RTOL)
    for a, t in zip(ours, theirs):
        np.testing.assert_allclose(a.grad, t.grad.numpy(), rtol=RTOL, atol=ATOL)


def test_mlp_cross_entropy_gradients_match_torch(rng):
    # The check: a random MLP + cross-entropy, gradients equal to 1e-10.
    sizes = [20, 16, 8, 5]
    params = []
    for a, b in zip(sizes, sizes[1:]):
        params += [rng.standard_normal((a, b)) / np.sqrt(a), rng.standard_normal(b) * 0.1]
    X = rng.standard_normal((32, 20))
    y = rng.integers(0, 5, 32)
    ours = [Tensor(p, requires_grad=True) for p in params]
    theirs = [torch.tensor(p, requires_grad=True) for p in params]

    h = Tensor(X)
    for i in range(0, len(ours), 2):
        h = h @ ours[i] + ours[i + 1]
        if i < len(ours) - 2:
            h = h.relu()
    loss = -ad.log_softmax(h, axis=1)[np.arange(32), y].mean()
    loss.backward()

    ht = torch.tensor(X)
    for i in range(0, len(theirs), 2):
        ht = ht @ theirs[i] + theirs[i + 1]
        if i < len(theirs) - 2:
            ht = torch.relu(ht)
    loss_t = torch.nn.functional.cross_entropy(ht, torch.tensor(y))
    loss_t.backward()
    np.testing.assert_allclose(loss.item(), loss_t.item(), rtol=1e-10)
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.grad, t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_float32_gradients_match_torch_float32(rng):
    # float32 arithmetic: agreement to a few ulps of the gradient scale (rtol 1e-5).
    x = rng.standard_normal((8, 6)).astype(np.float32)
    w = rng.standard_normal((6, 3)).astype(np.float32)
    ours = Tensor(w, requires_grad=True)
    theirs = torch.tensor(w, requires_grad=True)
    ad.log_softmax(ad.tanh(Tensor(x) @ ours), axis=1).sum().backward()
    torch.log_softmax(torch.tanh(torch.tensor(x) @ theirs), dim=1).sum().backward()
    assert ours.grad.dtype == np.float32
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("sa, sb", [((4,), (4,)), ((4,), (4, 3)), ((3, 4), (4,)),
                                    ((2, 1, 3, 4), (5, 4, 2)), ((4,), (2, 4, 3)),
                                    ((2, 3, 4), (4,))])
def test_matmul_gradients_match_torch(rng, sa, sb):
    a, at = _pair(rng.standard_normal(sa))
    b, bt = _pair(rng.standard_normal(sb))
    out, out_t = a @ b, at @ bt
    g = rng.standard_normal(out.shape)
    out.backward(g)
    out_t.backward(torch.tensor(g))
    np.testing.assert_allclose(a.grad, at.grad.numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(b.grad, bt.grad.numpy(), rtol=RTOL, atol=ATOL)


def test_tie_conventions_match_torch():
    data = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    x, xt = _pair(data)
    (x.max(axis=1) * np.array([1.0, 2.0])).sum().backward()
    (xt.amax(dim=1) * torch.tensor([1.0, 2.0], dtype=torch.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad, xt.grad.numpy())
    a, at = _pair(np.array([1.0, 2.0, 3.0]))
    b, bt = _pair(np.array([2.0]))
    ad.maximum(a, b).sum().backward()
    torch.maximum(at, bt).sum().backward()
    np.testing.assert_array_equal(a.grad, at.grad.numpy())
    np.testing.assert_array_equal(b.grad, bt.grad.numpy())


def test_advanced_indexing_matches_torch(rng):
    data = rng.standard_normal((4, 3))
    x, xt = _pair(data)
    rows, cols = np.array([0, 3, 3, 0, 3]), np.array([1, 2, 2, 1, 0])
    mask = data > 0
    w = rng.standard_normal(5)
    ((x[rows, cols] * w).sum() + x[mask].sum() + x[1:, [0, 0]].sum()).backward()
    ((xt[torch.tensor(rows), torch.tensor(cols)] * torch.tensor(w)).sum()
     + xt[torch.tensor(mask)].sum() + xt[1:, [0, 0]].sum()).backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=RTOL, atol=ATOL)


def test_second_derivatives_match_torch(rng):
    x0 = rng.standard_normal(4)

    def f(x):
        return ad.logsumexp(x * x[::-1]) + (ad.tanh(x) ** 3).sum() * ad.sigmoid(x[0])

    def ft(x):
        return torch.logsumexp(x * x.flip(0), 0) + (torch.tanh(x) ** 3).sum() * torch.sigmoid(x[0])

    H = ad.hessian(f)(x0)
    Ht = torch.autograd.functional.hessian(ft, torch.tensor(x0)).numpy()
    np.testing.assert_allclose(H, Ht, rtol=1e-11, atol=1e-12)
    v = rng.standard_normal(4)
    np.testing.assert_allclose(ad.hvp(f, x0, v), Ht @ v, rtol=1e-11, atol=1e-12)
    # backward(create_graph=True) then backward of the gradient, as in PyTorch
    x, xt = _pair(x0)
    f(x).backward(create_graph=True)
    gx = x.grad
    x.zero_grad()
    (gx * Tensor(v)).sum().backward()
    (gt,) = torch.autograd.grad(ft(xt), xt, create_graph=True)
    (gt * torch.tensor(v)).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-11, atol=1e-12)


def test_jacobian_matches_torch(rng):
    x0 = rng.standard_normal((2, 3))
    J = ad.jacobian(lambda x: ad.softmax(x, axis=1) * x.sum(axis=0))(x0)
    Jt = torch.autograd.functional.jacobian(
        lambda x: torch.softmax(x, dim=1) * x.sum(dim=0), torch.tensor(x0)).numpy()
    np.testing.assert_allclose(J, Jt, rtol=RTOL, atol=ATOL)
