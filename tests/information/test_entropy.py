"""Entropy, cross-entropy, KL and Jensen-Shannon divergence, joint and conditional
entropy, perplexity: against scipy.stats.entropy, scipy.special.entr / rel_entr and
scipy.spatial.distance.jensenshannon, and the identities between them."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import special, stats
from scipy.spatial.distance import jensenshannon

from mlfoundations.information import (
    conditional_entropy, cross_entropy, entropy, joint_entropy, js_divergence, kl_divergence,
    perplexity,
)

# The reference sums the same terms in another order (and normalises in another
# order); results are O(1), so an absolute tolerance of 1e-12 is ~10^4 roundings.
ATOL = 1e-12
LN2 = math.log(2.0)
PAIRS = [kl_divergence, cross_entropy, js_divergence]


def _rows(rng, shape, zeros=0.0):
    p = rng.random(shape)
    p[p < zeros] = 0.0
    p[..., 0] += 1e-3  # no row is all zeros
    return p / p.sum(axis=-1, keepdims=True)


def _scipy_cross_entropy(p, q, axis=-1):
    with np.errstate(divide="ignore"):
        return -np.sum(special.xlogy(p, q), axis=axis)


# ------------------------------------------------------------------ the guide's numbers
def test_guide_coins_and_scipy_docstring_value():
    assert entropy([0.5, 0.5]) == 1.0
    assert entropy([0.9, 0.1]) == pytest.approx(0.4689955935892812, abs=1e-15)
    assert f"{entropy([0.9, 0.1]):.3f}" == "0.469"
    # scipy.stats.entropy([0, 1, 2]) normalises the counts; the documented value
    assert entropy([0, 1, 2], base=np.e, normalize=True) == pytest.approx(
        0.63651416829481278, abs=1e-16)
    assert entropy([1, 2, 1], normalize=True) == 1.5
    assert entropy([1.0, 0.0]) == 0.0


def test_base_changes_only_the_unit():
    p = [0.2, 0.3, 0.5]
    nats = entropy(p, base=np.e)
    assert entropy(p) == pytest.approx(nats / LN2, rel=1e-15)
    assert entropy(p, base=10) == pytest.approx(nats / math.log(10), rel=1e-15)
    assert entropy(p, base=0.5) == pytest.approx(-nats / LN2, rel=1e-15)  # a base < 1 flips the sign
    assert isinstance(entropy(p), float)


# ------------------------------------------------------------------ against scipy
@pytest.mark.parametrize("shape, axis", [((7,), -1), ((40, 9), -1), ((40, 9), 1), ((9, 40), 0),
                                         ((3, 5, 6), 1), ((1,), 0), ((2, 1000), -1)])
@pytest.mark.parametrize("zeros", [0.0, 0.3])
@pytest.mark.parametrize("base", [2, np.e, 10])
def test_entropy_matches_scipy(shape, axis, zeros, base, rng):
    p = np.moveaxis(_rows(rng, np.moveaxis(np.empty(shape), axis, -1).shape, zeros), -1, axis)
    ours = entropy(p, base=base, axis=axis)
    ref = stats.entropy(p, base=base, axis=axis)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=ATOL)
    # the definition with scipy's elementwise entr
    np.testing.assert_allclose(ours, special.entr(p).sum(axis=axis) / np.log(base), atol=ATOL)
    assert np.shape(ours) == np.shape(ref)


@pytest.mark.parametrize("shape", [(8,), (30, 12), (4, 5, 6)])
@pytest.mark.parametrize("zeros", [0.0, 0.4])
def test_kl_cross_entropy_js_match_scipy(shape, zeros, rng):
    p, q = _rows(rng, shape, zeros), _rows(rng, shape, zeros / 2)
    q = np.where(p > 0, np.maximum(q, 1e-3), q)  # keep KL finite here
    q /= q.sum(axis=-1, keepdims=True)
    kl = special.rel_entr(p, q).sum(axis=-1)
    np.testing.assert_allclose(kl_divergence(p, q, base=np.e), kl, atol=ATOL)
    np.testing.assert_allclose(kl_divergence(p, q, base=2), stats.entropy(p, q, base=2, axis=-1),
                               atol=ATOL)
    np.testing.assert_allclose(cross_entropy(p, q, base=np.e), _scipy_cross_entropy(p, q), atol=ATOL)
    for base in (np.e, 2):
        js = jensenshannon(p, q, base=base, axis=-1) ** 2  # scipy returns the distance
        np.testing.assert_allclose(js_divergence(p, q, base=base), js, atol=ATOL)
        np.testing.assert_allclose(np.sqrt(js_divergence(p, q, base=base)),
                                   jensenshannon(p, q, base=base, axis=-1), atol=1e-7)


def test_normalize_matches_scipy_on_unnormalised_input(rng):
    counts = rng.integers(0, 20, size=(25, 7)).astype(float)
    counts[:, 0] += 1
    other = rng.random((25, 7)) * 5 + 0.1
    np.testing.assert_allclose(entropy(counts, base=np.e, normalize=True),
                               stats.entropy(counts, axis=1), atol=ATOL)
    np.testing.assert_allclose(kl_divergence(counts, other, base=np.e, normalize=True),
                               stats.entropy(counts, other, axis=1), atol=ATOL)
    np.testing.assert_allclose(js_divergence(counts, other, base=np.e, normalize=True),
                               jensenshannon(counts, other, axis=1) ** 2, atol=ATOL)


def test_extreme_probabilities_match_scipy():
    p = np.array([1 - 1e-12, 1e-12])
    assert entropy(p, base=np.e) == pytest.approx(stats.entropy(p), rel=1e-12)
    tiny = np.array([1.0 - 2e-300, 1e-300, 1e-300])
    assert entropy(tiny, base=np.e) == pytest.approx(stats.entropy(tiny), rel=1e-12)
    # a ratio p/q that overflows: the logarithms are subtracted instead
    p, q = np.array([0.5, 0.5]), np.array([1.0 - 1e-320, 1e-320])
    assert kl_divergence(p, q, base=np.e) == pytest.approx(
        0.5 * math.log(0.5 / (1 - 1e-320)) + 0.5 * (math.log(0.5) - math.log(1e-320)), rel=1e-14)


def test_long_vector_summation_is_accurate(rng):
    # 10^6 terms: blocked + compensated summation keeps the error at rounding level
    p = rng.random(1_000_000)
    p /= p.sum()
    exact = math.fsum(-x * math.log(x) for x in p / math.fsum(p))
    assert entropy(p, base=np.e) == pytest.approx(exact, rel=1e-14)


def test_vectorised_logarithm_is_within_two_ulp(rng):
    from mlfoundations.information._fastlog import log_block
    x = np.concatenate([
        (1.0 + rng.random(20_000)) * 2.0 ** rng.integers(-1022, 1023, 20_000),  # every binade
        1.0 + rng.uniform(-1e-3, 1e-3, 5_000),  # log x ~ 0: relative accuracy still
        np.sqrt(0.5) * (1.0 + rng.uniform(-1e-6, 1e-6, 5_000)),  # the reduction boundary
        2.0 ** np.arange(-1022, 1024), [np.nextafter(1.0, 0), np.nextafter(1.0, 2)],
    ])
    out, bits, expo = np.empty_like(x), np.empty(x.size, np.int64), np.empty_like(x)
    assert not log_block(x, x.size, out, bits, expo)
    ref = np.log(x)
    exact = ref == 0
    assert (out[exact] == 0).all()
    ulps = np.abs(out - ref)[~exact] / np.spacing(np.abs(ref[~exact]))
    assert ulps.max() <= 2.0
    # values it leaves to np.log are reported
    for special in (0.0, 5e-324, 1e-310, np.inf, np.nan):
        y = np.array([0.5, special, 2.0])
        assert log_block(y, 3, np.empty(3), np.empty(3, np.int64), np.empty(3))


def test_subnormal_entries_take_the_exact_path():
    p = np.array([1.0, 1e-310, 3e-320, 0.0])
    p2 = p / p.sum()
    assert entropy(p, base=np.e) == pytest.approx(stats.entropy(p), rel=1e-12)
    q = np.array([0.5, 0.5 - 1e-310, 1e-310, 0.0])
    assert kl_divergence(q, p2, base=np.e) == pytest.approx(special.rel_entr(q, p2).sum(), rel=1e-12)
    assert kl_divergence(p2, q, base=np.e) == pytest.approx(special.rel_entr(p2, q).sum(), rel=1e-12)
    assert kl_divergence(p2, [0.5, 0.5, 0.0, 0.0]) == math.inf  # 3e-320 where q = 0
    assert cross_entropy(p2, q, base=np.e) == pytest.approx(_scipy_cross_entropy(p2, q), rel=1e-12)
    # found by hypothesis: 2 / (a + b) overflows for a = 1.1e-308, b = 0
    js = js_divergence([1.11253693e-308, 1.0], [0.0, 1.0], base=np.e)
    assert js == pytest.approx(jensenshannon([1.11253693e-308, 1.0], [0.0, 1.0]) ** 2, abs=1e-300)


# ------------------------------------------------------------------ zeros, exactly
def test_zeros_are_exact_and_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert entropy([0.0, 1.0, 0.0]) == 0.0
        assert kl_divergence([0.0, 1.0], [0.5, 0.5]) == 1.0
        assert kl_divergence([0.0, 1.0], [1.0, 0.0]) == math.inf
        assert kl_divergence([0.0, 1.0], [0.0, 1.0]) == 0.0  # 0 log(0/0) = 0
        assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
        assert cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0
        assert js_divergence([1.0, 0.0], [0.0, 1.0]) == 1.0
        assert js_divergence([1.0, 0.0], [0.0, 1.0], base=np.e) == LN2
        batch = kl_divergence([[0.5, 0.5], [1.0, 0.0]], [0.0, 1.0])
        np.testing.assert_array_equal(batch, [math.inf, math.inf])


def test_divergence_of_a_distribution_from_itself_is_exactly_zero(rng):
    p = _rows(rng, (50, 30), 0.3)
    assert (kl_divergence(p, p) == 0).all()
    assert (js_divergence(p, p) == 0).all()
    np.testing.assert_allclose(cross_entropy(p, p), entropy(p), atol=ATOL)


# ------------------------------------------------------------------ identities
def test_cross_entropy_is_entropy_plus_kl(rng):
    p, q = _rows(rng, (20, 6)), _rows(rng, (20, 6))
    np.testing.assert_allclose(cross_entropy(p, q), entropy(p) + kl_divergence(p, q), atol=ATOL)


def test_js_is_entropy_of_mixture_minus_mean_entropy(rng):
    p, q = _rows(rng, (20, 6), 0.3), _rows(rng, (20, 6), 0.3)
    m = (p + q) / 2
    np.testing.assert_allclose(js_divergence(p, q), entropy(m) - (entropy(p) + entropy(q)) / 2,
                               atol=ATOL)
    np.testing.assert_allclose(js_divergence(p, q),
                               (kl_divergence(p, m) + kl_divergence(q, m)) / 2, atol=ATOL)


def test_joint_and_conditional_entropy_chain_rule(rng):
    pxy = rng.random((4, 6))
    pxy[pxy < 0.2] = 0
    pxy /= pxy.sum()
    hx = entropy(pxy.sum(axis=1))
    hy = entropy(pxy.sum(axis=0))
    hxy = joint_entropy(pxy)
    assert hxy == pytest.approx(stats.entropy(pxy.ravel(), base=2), abs=ATOL)
    assert hxy == pytest.approx(hx + conditional_entropy(pxy), abs=ATOL)  # H(X,Y) = H(X) + H(Y|X)
    assert hxy == pytest.approx(hy + conditional_entropy(pxy.T), abs=ATOL)
    # H(Y|X) as the expected entropy of the rows
    rows = pxy / pxy.sum(axis=1, keepdims=True)
    assert conditional_entropy(pxy) == pytest.approx(pxy.sum(axis=1) @ entropy(rows), abs=ATOL)
    assert conditional_entropy(pxy) <= hy + ATOL


def test_joint_entropy_of_any_dimension_and_independence():
    px, py, pz = np.array([0.3, 0.7]), np.array([0.1, 0.2, 0.7]), np.array([0.5, 0.5])
    table = px[:, None, None] * py[None, :, None] * pz[None, None, :]
    assert joint_entropy(table) == pytest.approx(entropy(px) + entropy(py) + entropy(pz), abs=ATOL)
    assert joint_entropy(table * 10, normalize=True) == pytest.approx(joint_entropy(table), abs=ATOL)
    assert conditional_entropy(np.outer(px, py)) == pytest.approx(entropy(py), abs=ATOL)
    assert conditional_entropy([[0.5, 0.0], [0.0, 0.5]]) == 0.0
    assert conditional_entropy([[2.0, 2.0], [0.0, 4.0]], normalize=True, base=np.e) == \
        pytest.approx(0.5 * math.log(2.0), abs=ATOL)


def test_perplexity():
    assert perplexity([0.25] * 4) == pytest.approx(4.0, rel=1e-15)
    assert perplexity([1.0, 0.0]) == 1.0
    p = np.array([[0.2, 0.8], [0.5, 0.5]])
    np.testing.assert_allclose(perplexity(p), 2.0 ** entropy(p), rtol=1e-15)
    np.testing.assert_allclose(perplexity(p, base=np.e), np.exp(entropy(p, base=np.e)), rtol=1e-15)
    np.testing.assert_allclose(perplexity(p, base=10), perplexity(p), rtol=1e-15)


# ------------------------------------------------------------------ batching and broadcasting
def test_broadcasting_a_single_reference_distribution(rng):
    p, q = _rows(rng, (30, 5)), _rows(rng, (5,))
    for f in PAIRS:
        np.testing.assert_allclose(f(p, q), f(p, np.tile(q, (30, 1))), atol=0, rtol=0)
        np.testing.assert_allclose(f(q, p), f(np.tile(q, (30, 1)), p), atol=0, rtol=0)
    p3, q3 = _rows(rng, (4, 1, 5)), _rows(rng, (1, 3, 5))
    out = kl_divergence(p3, q3)
    assert out.shape == (4, 3)
    np.testing.assert_allclose(out, special.rel_entr(p3, q3).sum(-1) / LN2, atol=ATOL)
    # along axis 0, the batch on axis 1
    np.testing.assert_allclose(js_divergence(p.T, q[:, None], axis=0), js_divergence(p, q), atol=0)


def test_empty_batch_and_outputs_are_arrays():
    assert entropy(np.empty((0, 3))).shape == (0,)
    assert isinstance(entropy([[0.5, 0.5]]), np.ndarray)
    assert isinstance(kl_divergence([0.5, 0.5], [0.5, 0.5]), float)


def test_float32_input_gets_a_float32_sized_tolerance():
    # 1 + 2.4e-7: float32 rounding (a float32 softmax sums this far from 1), accepted;
    # the same numbers given in double precision are a mistake, refused
    p32 = np.array([0.5, 0.5 + 2.4e-7], dtype=np.float32)
    assert abs(float(p32.sum(dtype=np.float64)) - 1.0) > 1e-7
    assert entropy(p32) == pytest.approx(stats.entropy(p32.astype(np.float64), base=2), abs=1e-12)
    with pytest.raises(ValueError, match=r"p must sum to 1 along axis 0 \(within 1e-08\)"):
        entropy(p32.astype(np.float64))
    with pytest.raises(ValueError, match=r"p must sum to 1 along axis 0 \(within 0.000345"):
        entropy(np.array([0.5, 0.51], dtype=np.float32))


def test_integer_one_hot_rows_are_distributions():
    assert entropy(np.eye(3, dtype=int)).tolist() == [0.0, 0.0, 0.0]
    assert cross_entropy(np.eye(2, dtype=int), [[0.5, 0.5]]).tolist() == [1.0, 1.0]


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("f", [entropy, perplexity, lambda p, **k: kl_divergence(p, [0.5, 0.5], **k)])
def test_bad_probability_vectors_are_refused(f):
    with pytest.raises(ValueError, match=r"p has the negative entry -0\.1; probabilities must be >= 0"):
        f([-0.1, 1.1])
    with pytest.raises(ValueError, match="p contains NaN"):
        f([np.nan, 1.0])
    with pytest.raises(ValueError, match="p contains inf"):
        f([np.inf, 0.0])
    with pytest.raises(ValueError, match=r"p must sum to 1 along axis 0 .* sums to 0\.99.*normalize=True"):
        f([0.33, 0.66])
    with pytest.raises(ValueError, match=r"p sums to 0\.0 along axis 0; normalize=True needs a positive total"):
        f([0.0, 0.0], normalize=True)
    with pytest.raises(ValueError, match="p must be an array of probabilities, got the scalar 0.5"):
        f(0.5)


def test_errors_name_q_and_the_offending_row():
    p = np.full((3, 2), 0.5)
    q = p.copy()
    q[2] = [0.7, 0.7]
    with pytest.raises(ValueError, match=r"q must sum to 1 along axis 1 .* sums to 1\.4 at index \(2,\)"):
        kl_divergence(p, q)
    with pytest.raises(ValueError, match="q has the negative entry"):
        js_divergence([0.5, 0.5], [1.5, -0.5])
    with pytest.raises(ValueError, match=r"p with shape \(3, 2\) and q with shape \(3,\) do not broadcast"):
        cross_entropy(p, [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="p and q must hold at least one outcome along axis 1"):
        kl_divergence(np.empty((2, 0)), np.empty((2, 0)))


def test_bad_base_axis_and_tables():
    with pytest.raises(ValueError, match=r"base must be a finite number > 0 and != 1, got 1"):
        entropy([0.5, 0.5], base=1)
    with pytest.raises(ValueError, match="base must be a finite number > 0 and != 1, got -2"):
        kl_divergence([1.0], [1.0], base=-2)
    with pytest.raises(ValueError, match="base must be a finite number > 0 and != 1, got inf"):
        js_divergence([1.0], [1.0], base=math.inf)
    with pytest.raises(TypeError, match="base must be a real number, got str '2'"):
        cross_entropy([1.0], [1.0], base="2")
    with pytest.raises(ValueError, match="axis 2 is out of bounds for p with 2 dimension"):
        entropy(np.full((2, 2), 0.5), axis=2)
    with pytest.raises(TypeError, match="axis must be an int, got float 0.0"):
        entropy([1.0], axis=0.0)
    with pytest.raises(ValueError, match=r"pxy must be a 2-D joint table \(rows = X\), got shape \(4,\)"):
        conditional_entropy([0.25] * 4)
    with pytest.raises(ValueError, match="pxy must sum to 1"):
        joint_entropy([[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="pxy has the negative entry"):
        conditional_entropy([[0.5, -0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="p must hold numbers"):
        entropy(["a", "b"])


# ------------------------------------------------------------------ properties
def _distribution(min_size=1, max_size=12):
    weights = arrays(np.float64, st.integers(min_size, max_size),
                     elements=st.floats(0, 1e3, allow_subnormal=False))
    return weights.filter(lambda w: w.sum() > 0).map(lambda w: w / w.sum())


@given(_distribution())
def test_entropy_between_zero_and_log_n(p):
    h = entropy(p, base=np.e)
    assert 0.0 <= h <= math.log(p.size) + 1e-12
    assert 1.0 <= perplexity(p) <= p.size * (1 + 1e-12)


@given(st.integers(1, 8).flatmap(lambda n: st.tuples(_distribution(n, n), _distribution(n, n))))
def test_divergence_properties(pq):
    p, q = pq
    kl = kl_divergence(p, q)
    assert kl >= 0.0  # Gibbs' inequality, exactly: rounding below 0 is clipped
    js, js_swapped = js_divergence(p, q), js_divergence(q, p)
    assert js == pytest.approx(js_swapped, abs=1e-14)
    assert 0.0 <= js <= 1.0  # <= log 2 nats = 1 bit
    ce = cross_entropy(p, q)
    if math.isfinite(kl):
        assert ce == pytest.approx(entropy(p) + kl, abs=1e-9 * max(1.0, ce))
    else:
        assert ce == math.inf


@given(st.integers(1, 5).flatmap(lambda r: st.integers(1, 5).flatmap(
    lambda c: _distribution(r * c, r * c).map(lambda p: p.reshape(r, c)))))
def test_chain_rule_and_conditioning_reduces_entropy(pxy):
    hx, hy = entropy(pxy.sum(axis=1), normalize=True), entropy(pxy.sum(axis=0), normalize=True)
    hy_given_x = conditional_entropy(pxy)
    assert joint_entropy(pxy) == pytest.approx(hx + hy_given_x, abs=1e-12)
    assert 0.0 <= hy_given_x <= hy + 1e-12
