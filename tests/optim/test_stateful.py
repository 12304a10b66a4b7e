"""The PyTorch-style front ends: same numbers as the pure chains, one state per parameter.

Exact equality (not a tolerance) where the front end and the pure alias run the same
arithmetic: they share one code path.
"""

import numpy as np
import pytest

from mlfoundations.autodiff import Tensor
from mlfoundations.optim import (
    SGD,
    Adam,
    AdamW,
    RMSprop,
    adam,
    adamw,
    apply_updates,
    rmsprop,
    sgd,
)


def quadratic_loss(params, targets):
    """sum_i ||p_i - t_i||^2 / 2 + sum_i sum(p_i)^2 / 10 (a coupled quadratic)."""
    total = None
    for p, t in zip(params, targets):
        term = ((p - t) * (p - t)).sum() * 0.5 + p.sum() * p.sum() * 0.1
        total = term if total is None else total + term
    return total


def numpy_grads(values, targets):
    return [(v - t) + 0.2 * v.sum() for v, t in zip(values, targets)]


FRONT_ENDS = [
    (lambda ps: SGD(ps, lr=0.1), lambda: sgd(0.1)),
    (lambda ps: SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
     lambda: sgd(0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    (lambda ps: SGD(ps, lr=0.05, momentum=0.9, dampening=0.5), lambda: sgd(0.05, momentum=0.9, dampening=0.5)),
    (lambda ps: RMSprop(ps, lr=0.01, centered=True, momentum=0.5, weight_decay=0.1),
     lambda: rmsprop(0.01, centered=True, momentum=0.5, weight_decay=0.1)),
    (lambda ps: Adam(ps, lr=0.05, betas=(0.8, 0.99), amsgrad=True, weight_decay=0.1),
     lambda: adam(0.05, b1=0.8, b2=0.99, amsgrad=True, weight_decay=0.1)),
    (lambda ps: AdamW(ps, lr=0.05), lambda: adamw(0.05, weight_decay=1e-2)),
]


def make_params(rng):
    return [Tensor(rng.standard_normal((3, 2)), requires_grad=True), Tensor(rng.standard_normal(2), requires_grad=True)]


@pytest.mark.parametrize("front_end, alias", FRONT_ENDS)
def test_front_end_equals_pure_alias(front_end, alias, rng):
    params = make_params(rng)
    targets = [rng.standard_normal(p.shape) for p in params]
    values = [p.data.copy() for p in params]
    opt = front_end(params)
    tx = alias()
    state = tx.init(values)
    for _ in range(25):
        opt.zero_grad()
        quadratic_loss(params, targets).backward()
        opt.step()
        updates, state = tx.update(numpy_grads(values, targets), state, values)
        values = apply_updates(values, updates)
    for p, v in zip(params, values):
        np.testing.assert_allclose(p.data, v, rtol=1e-14, atol=1e-15)


def test_defaults_are_pytorchs():
    p = [Tensor(np.zeros(2), requires_grad=True)]
    assert SGD(p).defaults == dict(lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False)
    assert RMSprop(p).defaults == dict(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False)
    assert Adam(p).defaults == dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False)
    assert AdamW(p).defaults == dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False)


def test_two_layers_never_share_a_slot():
    # equal values and equal gradients, but separate parameter objects: separate states
    a = Tensor(np.ones(3), requires_grad=True)
    b = Tensor(np.ones(3), requires_grad=True)
    opt = Adam([a, b], lr=0.1)
    a.grad = np.full(3, 1.0)
    b.grad = np.full(3, 1.0)
    opt.step()
    assert len(opt.state) == 2
    assert opt.state[a] is not opt.state[b]
    # only a gets gradients from now on: b's moments must not move
    b_state = opt.state[b]
    for _ in range(3):
        a.grad = np.full(3, 2.0)
        b.grad = None
        opt.step()
    assert opt.state[b] is b_state
    assert opt.state[a][1].step == 4 and opt.state[b][1].step == 1
    np.testing.assert_allclose(opt.state[b][1].exp_avg, np.full(3, 0.1), rtol=1e-15)
    np.testing.assert_allclose(opt.state[a][1].exp_avg, np.full(3, 2 - 1.9 * 0.9**3), rtol=1e-14)


def test_parameters_without_gradient_are_skipped():
    a = Tensor(np.ones(2), requires_grad=True)
    frozen = Tensor(np.full(2, 5.0), requires_grad=True)
    opt = SGD([a, frozen], lr=0.5, momentum=0.9)
    a.grad = np.ones(2)
    opt.step()
    np.testing.assert_array_equal(a.data, [0.5, 0.5])
    np.testing.assert_array_equal(frozen.data, [5.0, 5.0])
    assert frozen not in opt.state and a in opt.state


def test_step_updates_data_in_place_and_returns_closure_loss():
    w = Tensor(np.array([2.0]), requires_grad=True)
    buffer = w.data
    opt = SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert loss.item() == 4.0
    assert w.data is buffer
    np.testing.assert_array_equal(w.data, [1.0])


def test_zero_grad():
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = SGD([w])
    w.grad = np.ones(2)
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(w.grad, [0.0, 0.0])
    opt.zero_grad()
    assert w.grad is None


def test_float32_parameters_stay_float32(rng):
    w = Tensor(rng.standard_normal(4).astype(np.float32), requires_grad=True)
    opt = Adam([w], lr=0.1)
    for _ in range(3):
        w.grad = rng.standard_normal(4).astype(np.float32)
        opt.step()
    assert w.data.dtype == np.float32
    assert opt.state[w][1].exp_avg.dtype == np.float32


def test_param_groups_have_their_own_hyperparameters():
    a = Tensor(np.ones(1), requires_grad=True)
    b = Tensor(np.ones(1), requires_grad=True)
    opt = SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    a.grad, b.grad = np.ones(1), np.ones(1)
    opt.step()
    np.testing.assert_allclose([a.data[0], b.data[0]], [0.9, 0.5], rtol=1e-15)
    # the learning rate is read at every step (what schedulers rely on)
    opt.param_groups[0]["lr"] = 0.2
    opt.step()
    np.testing.assert_allclose(a.data, [0.7], rtol=1e-15)
    opt.param_groups[0]["lr"] = -0.2
    with pytest.raises(ValueError, match=r"lr must be finite and >= 0, got -0.2"):
        opt.step()


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1, momentum=0.9), lambda ps: RMSprop(ps, centered=True),
                                  lambda ps: Adam(ps, lr=0.1, amsgrad=True), lambda ps: AdamW(ps, lr=0.1)])
def test_state_dict_round_trip_resumes_exactly(make, rng, tmp_path):
    targets = [rng.standard_normal((3, 2)), rng.standard_normal(2)]
    init = make_params(rng)

    def train(opt, params, steps):
        for _ in range(steps):
            opt.zero_grad()
            quadratic_loss(params, targets).backward()
            opt.step()

    reference = [Tensor(p.data.copy(), requires_grad=True) for p in init]
    ref_opt = make(reference)
    train(ref_opt, reference, 10)

    params = [Tensor(p.data.copy(), requires_grad=True) for p in init]
    opt = make(params)
    train(opt, params, 5)
    saved = opt.state_dict()
    # plain data: a .npz without pickle holds every array
    flat = {f"{i}.{k}": v for i, entries in saved["state"].items() for k, v in entries.items()}
    assert all(isinstance(v, np.ndarray) for v in flat.values())
    np.savez(tmp_path / "opt.npz", **flat)
    with np.load(tmp_path / "opt.npz", allow_pickle=False) as data:
        loaded = {int(i): {} for i in saved["state"]}
        for key in data.files:
            i, name = key.split(".", 1)
            loaded[int(i)][name] = data[key]
    resumed_params = [Tensor(p.data.copy(), requires_grad=True) for p in params]
    resumed = make(resumed_params)
    resumed.load_state_dict({"state": loaded, "param_groups": saved["param_groups"]})
    train(resumed, resumed_params, 5)
    for p, q in zip(resumed_params, reference):
        np.testing.assert_array_equal(p.data, q.data)


def test_state_dict_keeps_hyperparameters_and_is_a_snapshot():
    w = Tensor(np.ones(2), requires_grad=True)
    opt = Adam([w], lr=0.1, betas=(0.5, 0.6))
    w.grad = np.ones(2)
    opt.step()
    saved = opt.state_dict()
    assert saved["param_groups"] == [dict(lr=0.1, betas=(0.5, 0.6), eps=1e-8, weight_decay=0, amsgrad=False, params=[0])]
    assert set(saved["state"][0]) == {"step", "exp_avg", "exp_avg_sq", "count"}
    before = saved["state"][0]["exp_avg"].copy()
    opt.step()
    np.testing.assert_array_equal(saved["state"][0]["exp_avg"], before)
    other = Adam([Tensor(np.ones(2), requires_grad=True)], lr=0.9)
    other.load_state_dict(saved)
    assert other.param_groups[0]["lr"] == 0.1 and other.param_groups[0]["betas"] == (0.5, 0.6)


def test_repr_lists_groups():
    text = repr(SGD([Tensor(np.zeros(1), requires_grad=True)], lr=0.5, momentum=0.9))
    assert text.startswith("SGD (\nParameter Group 0\n") and "    lr: 0.5" in text and "momentum: 0.9" in text


# ---- errors ------------------------------------------------------------------------

def _p():
    return Tensor(np.zeros(2), requires_grad=True)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: SGD([_p()], lr=-0.1), r"lr must be finite and >= 0, got -0.1"),
        (lambda: Adam([_p()], lr=-1e-3), r"lr must be finite and >= 0, got -0.001"),
        (lambda: Adam([_p()], betas=(1.0, 0.999)), r"betas\[0\] must lie in \[0, 1\), got 1.0"),
        (lambda: AdamW([_p()], betas=(0.9, -0.5)), r"betas\[1\] must lie in \[0, 1\), got -0.5"),
        (lambda: Adam([_p()], betas=0.9), r"betas must be a pair \(beta1, beta2\), got 0.9"),
        (lambda: SGD([_p()], nesterov=True), r"Nesterov momentum needs momentum > 0 and dampening = 0"),
        (lambda: RMSprop([_p()], alpha=-0.1), r"alpha must lie in \[0, 1\], got -0.1"),
        (lambda: AdamW([_p()], weight_decay=-0.1), r"weight_decay must be finite and >= 0"),
        (lambda: SGD([]), r"optimizer got an empty parameter list"),
        (lambda: SGD([{"params": [_p()], "betas": (0.9, 0.9)}]), r"unknown hyperparameters \['betas'\] for SGD"),
    ],
)
def test_bad_arguments_raise_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_same_parameter_twice_is_refused():
    p = _p()
    with pytest.raises(ValueError, match=r"some parameters appear more than once"):
        SGD([p, p])
    with pytest.raises(ValueError, match=r"some parameters appear more than once"):
        SGD([{"params": [p]}, {"params": [p]}])


@pytest.mark.parametrize(
    "params, match",
    [
        ([np.zeros(2)], r"params\[0\] must be a Tensor \(with .data and .grad\), got ndarray"),
        (_p(), r"params must be an iterable of Tensors or of dicts, got a single Tensor"),
    ],
)
def test_non_tensors_are_refused(params, match):
    with pytest.raises(TypeError, match=match):
        SGD(params)


def test_gradient_of_wrong_shape_is_refused():
    w = _p()
    opt = SGD([w])
    w.grad = np.zeros(3)
    with pytest.raises(ValueError, match=r"a parameter of shape \(2,\) has a gradient of shape \(3,\)"):
        opt.step()


def test_load_state_dict_checks_what_it_loads():
    w = _p()
    opt = Adam([w])
    w.grad = np.ones(2)
    opt.step()
    good = opt.state_dict()
    fresh = Adam([_p()])
    with pytest.raises(ValueError, match=r"state_dict must be a dict with the keys 'state' and 'param_groups'"):
        fresh.load_state_dict({"state": {}})
    with pytest.raises(ValueError, match=r"state_dict has 2 parameter group\(s\), the optimizer has 1"):
        fresh.load_state_dict({"state": {}, "param_groups": good["param_groups"] * 2})
    bad_shape = {"state": {0: {**good["state"][0], "exp_avg": np.zeros(3)}}, "param_groups": good["param_groups"]}
    with pytest.raises(ValueError, match=r"state_dict\['state'\]\[0\]\['exp_avg'\] has shape \(3,\), the parameter has shape \(2,\)"):
        fresh.load_state_dict(bad_shape)
    missing = {"state": {0: {"step": np.array(1)}}, "param_groups": good["param_groups"]}
    with pytest.raises(ValueError, match=r"state_dict\['state'\]\[0\] is missing the entry 'exp_avg'"):
        fresh.load_state_dict(missing)
    extra = {"state": {0: {**good["state"][0], "momentum_buffer": np.zeros(2)}}, "param_groups": good["param_groups"]}
    with pytest.raises(ValueError, match=r"unexpected entries \['momentum_buffer'\]"):
        fresh.load_state_dict(extra)
    with pytest.raises(ValueError, match=r"names parameter 5, there are 1"):
        fresh.load_state_dict({"state": {5: good["state"][0]}, "param_groups": good["param_groups"]})
    # a failed load leaves the optimizer as it was
    assert len(fresh.state) == 0
