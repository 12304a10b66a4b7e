"""Learning-rate schedules (closed forms, exact to 1e-15) and LRScheduler with the front ends.

The PyTorch comparison lives in test_torch_oracle.py; here each schedule is checked
against its formula and its defining properties.
"""

import math

import numpy as np
import pytest

from mlfoundations.autodiff import Tensor
from mlfoundations.optim import (
    SGD,
    Adam,
    CosineAnnealingLR,
    ExponentialLR,
    LRScheduler,
    StepLR,
    adam,
    apply_updates,
    cosine_annealing,
    exponential_lr,
    linear_warmup,
    step_lr,
)


def test_step_lr_formula():
    s = step_lr(0.2, step_size=3, gamma=0.5)
    np.testing.assert_allclose([s(t) for t in range(10)], [0.2 * 0.5 ** (t // 3) for t in range(10)], rtol=1e-15)


def test_exponential_lr_formula():
    s = exponential_lr(0.2, 0.9)
    np.testing.assert_allclose([s(t) for t in range(10)], [0.2 * 0.9**t for t in range(10)], rtol=1e-15)


def test_cosine_annealing_endpoints_midpoint_and_period():
    s = cosine_annealing(1.0, T_max=10, eta_min=0.1)
    assert s(0) == 1.0
    assert math.isclose(s(5), 0.55, rel_tol=1e-15)
    assert math.isclose(s(10), 0.1, rel_tol=1e-15)
    # decreasing on [0, T_max], then it rises again (PyTorch's behaviour)
    values = [s(t) for t in range(11)]
    assert all(a > b for a, b in zip(values, values[1:]))
    assert math.isclose(s(20), 1.0, rel_tol=1e-15) and math.isclose(s(13), s(7), rel_tol=1e-14)


def test_linear_warmup_then_constant_or_after():
    s = linear_warmup(0.4, 4)
    np.testing.assert_allclose([s(t) for t in range(7)], [0.0, 0.1, 0.2, 0.3, 0.4, 0.4, 0.4], rtol=1e-15)
    s = linear_warmup(1.0, 2, after=cosine_annealing(1.0, 4))
    np.testing.assert_allclose([s(t) for t in range(7)], [0.0, 0.5, 1.0, (1 + np.cos(np.pi / 4)) / 2, 0.5,
                                                         (1 + np.cos(3 * np.pi / 4)) / 2, 0.0], rtol=1e-14, atol=1e-16)
    assert linear_warmup(0.3, 0)(0) == 0.3


def test_schedules_have_readable_reprs():
    assert repr(step_lr(0.1, 30)) == "StepSchedule(lr=0.1, step_size=30, gamma=0.1)"
    assert repr(cosine_annealing(0.1, 50)) == "CosineSchedule(lr=0.1, T_max=50, eta_min=0.0)"


def test_schedule_drives_a_pure_transform():
    # adam with a decaying learning rate: every first-moment sign step scales with eta_t
    schedule = exponential_lr(0.1, 0.5)
    tx = adam(schedule, eps=0.0)
    w = np.array([1.0])
    state = tx.init(w)
    steps = []
    for _ in range(4):
        u, state = tx.update(np.array([1.0]), state, w)  # constant gradient: m_hat/sqrt(v_hat) = 1
        w = apply_updates(w, u)
        steps.append(-u[0])
    np.testing.assert_allclose(steps, [0.1, 0.05, 0.025, 0.0125], rtol=1e-14)


def test_lr_scheduler_sets_group_lr_like_torch():
    w = Tensor(np.zeros(1), requires_grad=True)
    opt = SGD([w], lr=1.0)
    sched = LRScheduler(opt, step_lr(0.5, 2, 0.1))
    assert opt.param_groups[0]["lr"] == 0.5  # building the scheduler applies schedule(0)
    seen = []
    for _ in range(5):
        w.grad = np.ones(1)
        opt.step()
        seen.append(sched.get_last_lr()[0])
        sched.step()
    np.testing.assert_allclose(seen, [0.5, 0.5, 0.05, 0.05, 0.005], rtol=1e-15)
    # the optimizer used those learning rates
    np.testing.assert_allclose(w.data, [-1.105], rtol=1e-14)
    assert sched.state_dict() == {"last_epoch": 5}
    other = LRScheduler(opt, step_lr(0.5, 2, 0.1))
    other.load_state_dict({"last_epoch": 4})
    assert math.isclose(opt.param_groups[0]["lr"], 0.005, rel_tol=1e-15)


def test_torch_named_schedulers_start_from_each_groups_lr():
    a, b = Tensor(np.zeros(1), requires_grad=True), Tensor(np.zeros(1), requires_grad=True)
    opt = Adam([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    sched = ExponentialLR(opt, gamma=0.5)
    sched.step()
    np.testing.assert_allclose(sched.get_last_lr(), [0.05, 0.25], rtol=1e-15)
    opt2 = SGD([a], lr=0.2)
    sched2 = StepLR(opt2, step_size=1, gamma=0.5)
    sched2.step()
    assert sched2.get_last_lr() == [0.1]
    opt3 = SGD([a], lr=0.2)
    sched3 = CosineAnnealingLR(opt3, T_max=2)
    sched3.step()
    sched3.step()
    assert sched3.get_last_lr() == [0.0]


def test_one_schedule_per_group():
    a, b = Tensor(np.zeros(1), requires_grad=True), Tensor(np.zeros(1), requires_grad=True)
    opt = SGD([{"params": [a]}, {"params": [b]}], lr=0.1)
    LRScheduler(opt, [exponential_lr(0.1, 0.5), exponential_lr(0.3, 0.5)])
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.3]
    with pytest.raises(ValueError, match=r"got 3 schedules for 2 parameter groups"):
        LRScheduler(opt, [exponential_lr(0.1, 0.5)] * 3)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: step_lr(-0.1, 3), r"lr must be finite and >= 0, got -0.1"),
        (lambda: step_lr(0.1, 0), r"step_size must be >= 1, got 0"),
        (lambda: exponential_lr(0.1, -0.5), r"gamma must be finite and >= 0, got -0.5"),
        (lambda: cosine_annealing(0.1, 0), r"T_max must be >= 1, got 0"),
        (lambda: cosine_annealing(0.1, 10, eta_min=-1.0), r"eta_min must be finite and >= 0"),
        (lambda: linear_warmup(0.1, -1), r"warmup_steps must be >= 0, got -1"),
        (lambda: step_lr(0.1, 2)(-1), r"step must be an integer >= 0, got -1"),
        (lambda: exponential_lr(0.1, 0.5)(1.5), r"step must be an integer >= 0, got 1.5"),
    ],
)
def test_bad_schedule_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_scheduler_arguments():
    opt = SGD([Tensor(np.zeros(1), requires_grad=True)], lr=0.1)
    with pytest.raises(TypeError, match=r"after must be a schedule"):
        linear_warmup(0.1, 3, after=0.5)
    with pytest.raises(TypeError, match=r"optimizer must be an mlfoundations.optim Optimizer, got dict"):
        LRScheduler({}, step_lr(0.1, 1))
    with pytest.raises(TypeError, match=r"optimizer must be an mlfoundations.optim Optimizer, got dict"):
        StepLR({}, 1)
    with pytest.raises(TypeError, match=r"schedule 0 must be a callable"):
        LRScheduler(opt, 0.1)
    with pytest.raises(ValueError, match=r"the schedule returned lr=-1.0 at step 0; it must be >= 0"):
        LRScheduler(opt, lambda t: -1.0)
