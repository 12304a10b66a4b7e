"""The pure transforms and aliases against the update equations written out by hand.

Each alias is run for 30 steps on a parameter tree and compared with a per-array
reference loop that spells out its docstring's equations (PyTorch's conventions).
Tolerance: 1e-12 relative (the only differences are the order of roundings).
"""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlfoundations.optim import (
    EmptyState,
    ScaleByAdamState,
    adam,
    adamw,
    add_decayed_weights,
    apply_updates,
    chain,
    rmsprop,
    scale_by_adam,
    scale_by_learning_rate,
    scale_by_rms,
    sgd,
    trace,
)
from mlfoundations.optim._tree import tree_leaves, tree_map

RTOL = 1e-12


def make_tree(rng, dtype=np.float64):
    return {
        "layer": [rng.standard_normal((3, 4)).astype(dtype), rng.standard_normal(4).astype(dtype)],
        "scale": rng.standard_normal(()).astype(dtype),
    }


def loss_grad(params):
    """Gradient of sum(sin(w) + w^2 / 2) leaf by leaf: a fixed, non-linear gradient field."""
    return tree_map(lambda w: np.cos(w) + w, params)


# ---- reference loops: the docstring equations, one array at a time -------------------

def ref_sgd(w, steps, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    b = None
    for _ in range(steps):
        d = np.cos(w) + w + weight_decay * w
        if momentum:
            b = d.copy() if b is None else momentum * b + (1 - dampening) * d
            d = d + momentum * b if nesterov else b
        w = w - lr * d
    return w


def ref_rmsprop(w, steps, lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
    v = np.zeros_like(w)
    m = np.zeros_like(w)
    b = np.zeros_like(w)
    for _ in range(steps):
        d = np.cos(w) + w + weight_decay * w
        v = alpha * v + (1 - alpha) * d**2
        if centered:
            m = alpha * m + (1 - alpha) * d
            s = d / (np.sqrt(v - m**2) + eps)
        else:
            s = d / (np.sqrt(v) + eps)
        if momentum:
            b = momentum * b + s
            s = b
        w = w - lr * s
    return w


def ref_adam(w, steps, lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0, amsgrad=False, decoupled=False):
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    v_max = np.zeros_like(w)
    for t in range(1, steps + 1):
        g = np.cos(w) + w
        if not decoupled:
            g = g + weight_decay * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        v_max = np.maximum(v_max, v)
        m_hat = m / (1 - b1**t)
        v_hat = (v_max if amsgrad else v) / (1 - b2**t)
        step = m_hat / (np.sqrt(v_hat) + eps)
        if decoupled:
            step = step + weight_decay * w
        w = w - lr * step
    return w


CASES = [
    (sgd(0.1), lambda w: ref_sgd(w, 30, 0.1)),
    (sgd(0.1, momentum=0.9), lambda w: ref_sgd(w, 30, 0.1, momentum=0.9)),
    (sgd(0.05, momentum=0.8, nesterov=True, weight_decay=0.1),
     lambda w: ref_sgd(w, 30, 0.05, momentum=0.8, nesterov=True, weight_decay=0.1)),
    (sgd(0.1, momentum=0.7, dampening=0.3), lambda w: ref_sgd(w, 30, 0.1, momentum=0.7, dampening=0.3)),
    (rmsprop(0.01), lambda w: ref_rmsprop(w, 30, 0.01)),
    (rmsprop(0.01, alpha=0.9, centered=True, momentum=0.5, weight_decay=0.01),
     lambda w: ref_rmsprop(w, 30, 0.01, alpha=0.9, centered=True, momentum=0.5, weight_decay=0.01)),
    (adam(0.05), lambda w: ref_adam(w, 30, 0.05)),
    (adam(0.05, b1=0.5, b2=0.9, eps=1e-6, weight_decay=0.1, amsgrad=True),
     lambda w: ref_adam(w, 30, 0.05, b1=0.5, b2=0.9, eps=1e-6, weight_decay=0.1, amsgrad=True)),
    (adamw(0.05, weight_decay=0.2), lambda w: ref_adam(w, 30, 0.05, weight_decay=0.2, decoupled=True)),
    (adamw(0.05, weight_decay=0.2, amsgrad=True),
     lambda w: ref_adam(w, 30, 0.05, weight_decay=0.2, amsgrad=True, decoupled=True)),
]


@pytest.mark.parametrize("tx, reference", CASES)
def test_alias_follows_its_equations(tx, reference, rng):
    params = make_tree(rng)
    start = copy.deepcopy(params)
    state = tx.init(params)
    for _ in range(30):
        updates, state = tx.update(loss_grad(params), state, params)
        params = apply_updates(params, updates)
    for got, w0 in zip(tree_leaves(params), tree_leaves(start)):
        np.testing.assert_allclose(got, reference(w0), rtol=RTOL, atol=1e-14)


@pytest.mark.parametrize("tx, _", CASES)
def test_update_is_pure(tx, _, rng):
    params = make_tree(rng)
    state = tx.init(params)
    state = tx.update(loss_grad(params), state, params)[1]  # a state with buffers
    grads = loss_grad(params)
    snapshot = copy.deepcopy((grads, state, params))
    first = tx.update(grads, state, params)
    second = tx.update(grads, state, params)
    for a, b in zip(tree_leaves(snapshot), tree_leaves((grads, state, params))):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(tree_leaves(first), tree_leaves(second)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("container", ["array", "list", "tuple", "dict", "nested"])
def test_tree_structures_are_kept(container, rng):
    a, b = rng.standard_normal(3), rng.standard_normal((2, 2))
    params = {
        "array": a,
        "list": [a, b],
        "tuple": (a, b),
        "dict": {"w": b, "b": a},
        "nested": {"layers": [(a, b), {"gain": a}]},
    }[container]
    tx = adam(0.1)
    updates, state = tx.update(params, tx.init(params), params)
    assert type(updates) is type(params)
    assert type(state[1].exp_avg) is type(params)
    new = apply_updates(params, updates)
    assert [x.shape for x in tree_leaves(new)] == [x.shape for x in tree_leaves(params)]
    for p, u, n in zip(tree_leaves(params), tree_leaves(updates), tree_leaves(new)):
        np.testing.assert_array_equal(n, p + u)


def test_float32_leaves_stay_float32(rng):
    params = make_tree(rng, np.float32)
    for tx in (sgd(0.1, momentum=0.9), rmsprop(centered=True, momentum=0.5), adam(amsgrad=True), adamw()):
        state = tx.init(params)
        updates, state = tx.update(loss_grad(params), state, params)
        new = apply_updates(params, updates)
        assert {x.dtype for x in tree_leaves((updates, new))} == {np.dtype(np.float32)}
        arrays_in_state = [x for x in tree_leaves(state) if isinstance(x, np.ndarray)]
        assert arrays_in_state and {x.dtype for x in arrays_in_state} == {np.dtype(np.float32)}


def test_apply_updates_does_not_modify_params():
    p = np.array([1.0, 2.0])
    out = apply_updates(p, np.array([1.0, 1.0]))
    np.testing.assert_array_equal(p, [1.0, 2.0])
    np.testing.assert_array_equal(out, [2.0, 3.0])


def test_chain_threads_updates_left_to_right():
    tx = chain(add_decayed_weights(0.5), trace(0.9), scale_by_learning_rate(2.0))
    p = np.array([1.0])
    g = np.array([1.0])
    u1, s = tx.update(g, tx.init(p), p)  # d = 1.5, b = 1.5
    u2, s = tx.update(g, s, p)  # b = 0.9 * 1.5 + 1.5
    np.testing.assert_allclose([u1[0], u2[0]], [-3.0, -2.0 * 2.85], rtol=1e-15)
    assert isinstance(s[0], EmptyState) and s[2].count == 2


def test_schedule_is_evaluated_at_the_update_count():
    seen = []

    def schedule(step):
        seen.append(step)
        return 1.0 / (step + 1)

    tx = sgd(schedule)
    p = np.array([0.0])
    state = tx.init(p)
    out = []
    for _ in range(4):
        u, state = tx.update(np.array([1.0]), state, p)
        out.append(u[0])
    assert seen == [0, 1, 2, 3]
    np.testing.assert_allclose(out, [-1.0, -0.5, -1 / 3, -0.25], rtol=1e-15)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), "0.1"])
def test_schedule_returning_a_bad_value_is_refused(bad):
    tx = scale_by_learning_rate(lambda step: bad)
    with pytest.raises(ValueError, match=r"learning-rate schedule returned .* at step 0; it must return a finite number >= 0"):
        tx.update(np.ones(2), tx.init(np.ones(2)))


def test_adam_state_fields_and_step_count(rng):
    tx = scale_by_adam(amsgrad=False)
    g = rng.standard_normal(3)
    state = tx.init(g)
    assert isinstance(state, ScaleByAdamState) and state.step == 0 and state.max_exp_avg_sq is None
    _, state = tx.update(g, state)
    _, state = tx.update(g, state)
    assert state.step == 2
    np.testing.assert_allclose(state.exp_avg, (1 - 0.9**2) * g, rtol=1e-14)
    np.testing.assert_allclose(state.exp_avg_sq, (1 - 0.999**2) * g**2, rtol=1e-12)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.integers(1, 6), elements=st.floats(-1e6, 1e6).filter(lambda v: abs(v) > 1e-6)),
       st.floats(1e-4, 1.0))
def test_adam_first_step_is_learning_rate_times_sign(g, lr):
    # m_hat = g and v_hat = g^2 at t = 1, so with eps = 0 the step is -lr sign(g)
    tx = adam(lr, eps=0.0)
    u, _ = tx.update(g, tx.init(g), g)
    np.testing.assert_allclose(u, -lr * np.sign(g), rtol=1e-14)


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, 4, elements=st.floats(-10, 10)), st.floats(0.0, 1.0), st.floats(0.0, 0.99))
def test_weight_decay_equals_gradient_of_l2_penalty(w, weight_decay, momentum):
    # sgd(weight_decay=lam) on f == sgd on f + lam/2 ||w||^2
    with_decay = sgd(0.1, momentum=momentum, weight_decay=weight_decay)
    by_hand = sgd(0.1, momentum=momentum)
    p1 = p2 = w
    s1, s2 = with_decay.init(w), by_hand.init(w)
    for _ in range(5):
        u1, s1 = with_decay.update(np.cos(p1), s1, p1)
        u2, s2 = by_hand.update(np.cos(p2) + weight_decay * p2, s2, p2)
        p1, p2 = apply_updates(p1, u1), apply_updates(p2, u2)
    np.testing.assert_allclose(p1, p2, rtol=1e-13, atol=1e-13)


def test_rms_centered_divides_by_standard_deviation():
    tx = scale_by_rms(alpha=0.5, eps=0.0, centered=True)
    g1, g2 = np.array([1.0]), np.array([3.0])
    _, s = tx.update(g1, tx.init(g1))
    d, s = tx.update(g2, s)
    v = 0.5 * (0.5 * 1.0) + 0.5 * 9.0  # 2.75
    m = 0.5 * (0.5 * 1.0) + 0.5 * 3.0  # 1.75
    np.testing.assert_allclose(d, 3.0 / np.sqrt(v - m * m), rtol=1e-15)


# ---- errors ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: sgd(-0.1), r"learning_rate must be finite and >= 0, got -0.1"),
        (lambda: adam(float("inf")), r"learning_rate must be finite and >= 0, got inf"),
        (lambda: adam(1e-3, b1=1.0), r"b1 must lie in \[0, 1\), got 1.0"),
        (lambda: adam(1e-3, b2=-0.1), r"b2 must lie in \[0, 1\), got -0.1"),
        (lambda: adamw(1e-3, b1=1.5), r"b1 must lie in \[0, 1\), got 1.5"),
        (lambda: adam(1e-3, eps=-1e-8), r"eps must be finite and >= 0"),
        (lambda: adamw(weight_decay=-1.0), r"weight_decay must be finite and >= 0, got -1.0"),
        (lambda: sgd(0.1, momentum=-0.5), r"momentum must be finite and >= 0, got -0.5"),
        (lambda: sgd(0.1, nesterov=True), r"Nesterov momentum needs momentum > 0 and dampening = 0"),
        (lambda: sgd(0.1, momentum=0.9, nesterov=True, dampening=0.1), r"Nesterov momentum needs"),
        (lambda: rmsprop(alpha=1.5), r"alpha must lie in \[0, 1\], got 1.5"),
    ],
)
def test_bad_hyperparameters_raise_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: sgd("fast"), r"learning_rate must be a number >= 0 or a schedule"),
        (lambda: adam(1e-3, amsgrad="yes"), r"amsgrad must be True or False"),
        (lambda: chain(adam(), "sgd"), r"transforms\[1\] must be a GradientTransformation, got str"),
    ],
)
def test_wrong_types_raise_type_error(make, match):
    with pytest.raises(TypeError, match=match):
        make()


def test_mismatched_trees_are_refused():
    tx = adam()
    params = {"w": np.zeros(3), "b": np.zeros(2)}
    state = tx.init(params)
    with pytest.raises(ValueError, match=r"parameter trees do not match at the top level: a dict with keys \['w'\] and keys \['w', 'b'\]"):
        tx.update({"w": np.zeros(3)}, state, params)
    with pytest.raises(ValueError, match=r"parameter trees do not match at \['b'\]: shapes \(3,\) and \(2,\)"):
        tx.update({"w": np.zeros(3), "b": np.zeros(3)}, state, params)
    with pytest.raises(ValueError, match=r"at \[1\]: an array of shape \(\) and a list"):
        apply_updates([np.zeros(2), np.float64(1.0)], [np.zeros(2), [1.0]])
    with pytest.raises(ValueError, match=r"at the top level: a sequence of length 2 and length 1"):
        apply_updates([np.zeros(2), np.zeros(2)], [np.zeros(2)])


def test_weight_decay_needs_params():
    tx = add_decayed_weights(0.1)
    with pytest.raises(ValueError, match=r"add_decayed_weights needs params"):
        tx.update(np.ones(2), tx.init(None))


def test_adam_zero_gradient_with_zero_eps_is_nan_not_an_exception():
    # m_hat / (sqrt(v_hat) + 0) = 0 / 0: NaN, as NumPy and PyTorch compute it
    tx = scale_by_adam(eps=0.0)
    g = np.array([0.0, 2.0])
    with np.errstate(invalid="ignore"):
        d, _ = tx.update(g, tx.init(g))
    assert np.isnan(d[0]) and d[1] == 1.0
