"""100 steps of each front end against torch.optim (float64 on both sides).

Both sides start from the same parameters and, at every step, receive the gradient
of the same fixed loss -- a logistic regression on a fixed data set plus a small
quadratic coupling -- computed in float64 by NumPy from their own current parameters.
Tolerance: 1e-10 absolute on parameters of order 1 (the two sides differ only in the
order of roundings). Schedulers are compared value by value (1e-12).
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from mlfoundations.autodiff import Tensor  # noqa: E402
from mlfoundations.optim import (  # noqa: E402
    SGD,
    Adam,
    AdamW,
    CosineAnnealingLR,
    ExponentialLR,
    LRScheduler,
    RMSprop,
    StepLR,
    cosine_annealing,
    exponential_lr,
    linear_warmup,
    step_lr,
)

pytestmark = pytest.mark.torch

ATOL = 1e-10
_data_rng = np.random.default_rng(7)
X = _data_rng.standard_normal((40, 5))
Y = (_data_rng.random(40) < 0.5).astype(float)


def logistic_grads(W, b):
    """Gradients of mean log-loss of sigmoid(X W + b) (W (5, 2) summed to one logit) + 0.05 ||W||^2."""
    z = X @ W.sum(axis=1) + b[0]
    r = (1.0 / (1.0 + np.exp(-z)) - Y) / len(Y)
    gw = np.repeat((X.T @ r)[:, None], W.shape[1], axis=1) + 0.1 * W
    gb = np.array([r.sum(), 0.0]) + 0.1 * b
    return gw, gb


def initial_params():
    rng = np.random.default_rng(3)
    return rng.standard_normal((5, 2)), rng.standard_normal(2)


def run_ours(make, steps=100, scheduler=None):
    W0, b0 = initial_params()
    params = [Tensor(W0.copy(), requires_grad=True), Tensor(b0.copy(), requires_grad=True)]
    opt = make(params)
    sched = scheduler(opt) if scheduler else None
    lrs = []
    for _ in range(steps):
        gw, gb = logistic_grads(params[0].data, params[1].data)
        params[0].grad, params[1].grad = gw, gb
        opt.step()
        if sched:
            lrs.append(sched.get_last_lr()[0])
            sched.step()
    return [p.data for p in params], lrs


def run_torch(make, steps=100, scheduler=None):
    W0, b0 = initial_params()
    params = [torch.tensor(W0, dtype=torch.float64, requires_grad=True),
              torch.tensor(b0, dtype=torch.float64, requires_grad=True)]
    opt = make(params)
    sched = scheduler(opt) if scheduler else None
    lrs = []
    for _ in range(steps):
        gw, gb = logistic_grads(params[0].detach().numpy(), params[1].detach().numpy())
        params[0].grad, params[1].grad = torch.from_numpy(gw), torch.from_numpy(gb)
        opt.step()
        if sched:
            lrs.append(sched.get_last_lr()[0])
            sched.step()
    return [p.detach().numpy() for p in params], lrs


CONFIGS = {
    "sgd": ("SGD", dict(lr=0.5)),
    "sgd-momentum": ("SGD", dict(lr=0.3, momentum=0.9)),
    "sgd-dampening": ("SGD", dict(lr=0.3, momentum=0.8, dampening=0.4)),
    "sgd-nesterov": ("SGD", dict(lr=0.3, momentum=0.9, nesterov=True)),
    "sgd-weight-decay": ("SGD", dict(lr=0.3, momentum=0.5, weight_decay=0.05)),
    "rmsprop": ("RMSprop", dict(lr=0.01)),
    "rmsprop-centered": ("RMSprop", dict(lr=0.01, centered=True)),
    "rmsprop-momentum": ("RMSprop", dict(lr=0.005, momentum=0.9, alpha=0.9)),
    "rmsprop-all": ("RMSprop", dict(lr=0.005, momentum=0.5, centered=True, weight_decay=0.1, eps=1e-6)),
    "adam": ("Adam", dict(lr=0.05)),
    "adam-amsgrad": ("Adam", dict(lr=0.05, amsgrad=True, betas=(0.8, 0.95))),
    "adam-weight-decay": ("Adam", dict(lr=0.05, weight_decay=0.1)),
    "adamw": ("AdamW", dict(lr=0.05)),
    "adamw-amsgrad": ("AdamW", dict(lr=0.05, weight_decay=0.3, amsgrad=True, eps=1e-6)),
}
OURS = {"SGD": SGD, "RMSprop": RMSprop, "Adam": Adam, "AdamW": AdamW}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_hundred_steps_match_torch_optim(name):
    cls, kwargs = CONFIGS[name]
    ours, _ = run_ours(lambda ps: OURS[cls](ps, **kwargs))
    theirs, _ = run_torch(lambda ps: getattr(torch.optim, cls)(ps, **kwargs))
    W0, _ = initial_params()
    assert np.max(np.abs(ours[0] - W0)) > 1e-2  # the parameters did move
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=0, atol=ATOL)


def test_param_groups_match_torch_optim():
    def groups(ps):
        return [{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.01, "betas": (0.5, 0.9)}]

    ours, _ = run_ours(lambda ps: Adam(groups(ps), lr=0.05))
    theirs, _ = run_torch(lambda ps: torch.optim.Adam(groups(ps), lr=0.05))
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=0, atol=ATOL)


SCHEDULERS = {
    "step": (lambda opt: StepLR(opt, step_size=7, gamma=0.5),
             lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=7, gamma=0.5)),
    "exponential": (lambda opt: ExponentialLR(opt, gamma=0.97),
                    lambda opt: torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.97)),
    "cosine": (lambda opt: CosineAnnealingLR(opt, T_max=30, eta_min=0.001),
               lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30, eta_min=0.001)),
    "cosine-from-schedule": (lambda opt: LRScheduler(opt, cosine_annealing(0.1, 30, 0.001)),
                             lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30, eta_min=0.001)),
}


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_schedulers_match_torch(name):
    ours_sched, torch_sched = SCHEDULERS[name]
    # 100 steps: the cosine goes down and back up (T_max = 30)
    ours, our_lrs = run_ours(lambda ps: SGD(ps, lr=0.1, momentum=0.9), scheduler=ours_sched)
    theirs, their_lrs = run_torch(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), scheduler=torch_sched)
    np.testing.assert_allclose(our_lrs, their_lrs, rtol=1e-12, atol=1e-15)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=0, atol=ATOL)


@pytest.mark.parametrize(
    "schedule, make_torch",
    [
        (step_lr(0.3, 4, 0.7), lambda opt: torch.optim.lr_scheduler.StepLR(opt, 4, 0.7)),
        (exponential_lr(0.3, 0.9), lambda opt: torch.optim.lr_scheduler.ExponentialLR(opt, 0.9)),
        (cosine_annealing(0.3, 10, 0.01), lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, 10, 0.01)),
    ],
)
def test_schedule_values_match_torch(schedule, make_torch):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.3)
    sched = make_torch(opt)
    expected = []
    for _ in range(45):
        expected.append(sched.get_last_lr()[0])
        opt.step()
        sched.step()
    np.testing.assert_allclose([schedule(t) for t in range(45)], expected, rtol=1e-12, atol=1e-15)


def test_warmup_matches_torch_linear_lr():
    # torch's LinearLR(start_factor=1e-12 ~ 0, total_iters=W) is our linear warm-up
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.2)
    sched = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1e-300, end_factor=1.0, total_iters=8)
    expected = []
    for _ in range(12):
        expected.append(sched.get_last_lr()[0])
        opt.step()
        sched.step()
    schedule = linear_warmup(0.2, 8)
    np.testing.assert_allclose([schedule(t) for t in range(12)], expected, rtol=1e-12, atol=1e-15)


def test_float32_adam_matches_torch():
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal(50).astype(np.float32)
    ours = Tensor(w0.copy(), requires_grad=True)
    theirs = torch.tensor(w0.copy(), requires_grad=True)
    opt, topt = Adam([ours], lr=0.01), torch.optim.Adam([theirs], lr=0.01)
    for k in range(100):
        g = np.sin(np.arange(50, dtype=np.float32) * (k + 1)).astype(np.float32)
        ours.grad, theirs.grad = g, torch.from_numpy(g.copy())
        opt.step()
        topt.step()
    assert ours.data.dtype == np.float32
    # float32 rounding: 1e-5 on values of order 1
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=0, atol=1e-5)
