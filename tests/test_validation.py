"""The shared input checks: every error names the argument and the problem."""

import numpy as np
import pytest
import scipy.sparse

from mlfoundations import _validation as v


def test_as_float_array_converts_and_keeps_float32_when_asked():
    assert v.as_float_array([1, 2], "x").dtype == np.float64
    x32 = np.ones(3, dtype=np.float32)
    assert v.as_float_array(x32, "x").dtype == np.float64
    assert v.as_float_array(x32, "x", keep_float32=True).dtype == np.float32
    a = np.ones(3)
    assert v.as_float_array(a, "x") is a
    assert v.as_float_array(a, "x", copy=True) is not a


@pytest.mark.parametrize(
    "value, error, match",
    [
        ([1.0, np.nan], ValueError, "x contains NaN"),
        ([1.0, -np.inf], ValueError, "x contains inf"),
        ([np.nan, np.inf], ValueError, "NaN and inf"),
        ([1 + 2j], ValueError, "Complex data not supported"),
        ("abc", TypeError, "string"),
        ([[1, 2], [3]], ValueError, "x could not be read"),
        (np.array([{"a": 1}], dtype=object), TypeError, "x must hold numbers"),
        (scipy.sparse.csr_matrix(np.eye(2)), TypeError, "sparse"),
    ],
)
def test_as_float_array_rejects(value, error, match):
    with pytest.raises(error, match=match):
        v.as_float_array(value, "x")


def test_nonfinite_allowed_when_asked():
    assert np.isnan(v.as_float_array([np.nan], "x", finite=False)[0])


def test_shapes():
    assert v.as_vector([1, 2, 3], "y").shape == (3,)
    with pytest.raises(ValueError, match="y must be 1-D"):
        v.as_vector([[1]], "y")
    with pytest.raises(ValueError, match="y needs at least 2"):
        v.as_vector([1], "y", min_size=2)
    with pytest.raises(ValueError, match="Reshape your data"):
        v.as_matrix([1, 2], "X")
    with pytest.raises(ValueError, match=r"X has 0 sample\(s\)"):
        v.as_matrix(np.zeros((0, 2)), "X", min_rows=1)
    with pytest.raises(ValueError, match=r"0 feature\(s\)"):
        v.as_matrix(np.zeros((2, 0)), "X", min_cols=1)
    assert v.as_square_matrix(np.zeros((0, 0))).shape == (0, 0)
    with pytest.raises(ValueError, match="A must be a square"):
        v.as_square_matrix(np.zeros((2, 3)))


def test_scalar_parameter_checks():
    assert v.check_positive(2, "alpha") == 2.0
    assert v.check_positive(0, "alpha", strict=False) == 0.0
    for bad in (0, -1, np.inf, np.nan):
        with pytest.raises(ValueError, match="alpha must be finite and > 0"):
            v.check_positive(bad, "alpha")
    with pytest.raises(TypeError, match="alpha must be a real number"):
        v.check_positive("1", "alpha")
    assert v.check_probability(1, "p") == 1.0
    with pytest.raises(ValueError, match=r"p must lie in \(0, 1\)"):
        v.check_probability(1.0, "p", open_interval=True)
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\]"):
        v.check_probability(-0.1, "p")
    assert v.check_int(np.int64(3), "k", minimum=1) == 3
    with pytest.raises(TypeError, match="k must be an integer"):
        v.check_int(2.0, "k")
    with pytest.raises(TypeError, match="k must be an integer"):
        v.check_int(True, "k")
    with pytest.raises(ValueError, match="k must be <= 4"):
        v.check_int(5, "k", maximum=4)


def test_rng_follows_spec7():
    g = np.random.default_rng(1)
    assert v.check_rng(g) is g
    a, b = v.check_rng(7), v.check_rng(7)
    assert a.random() == b.random()
    assert isinstance(v.check_rng(None), np.random.Generator)
    assert isinstance(v.check_rng(np.random.SeedSequence(3)), np.random.Generator)
    with pytest.raises(TypeError, match="RandomState is not supported"):
        v.check_rng(np.random.RandomState(0))
    with pytest.raises(TypeError, match="rng must be None, an int seed"):
        v.check_rng("seed")
    with pytest.raises(ValueError, match="non-negative"):
        v.check_rng(-1)
    # estimators accept a legacy RandomState (scikit-learn's tests pass one)
    r1 = v.check_random_state(np.random.RandomState(0)).random()
    r2 = v.check_random_state(np.random.RandomState(0)).random()
    assert r1 == r2


def test_bool_and_real_checks():
    assert v.check_bool(np.bool_(True), "flag") is True
    with pytest.raises(TypeError, match="flag must be True or False"):
        v.check_bool(1, "flag")
    assert v.check_real(np.int64(2), "bias") == 2.0
    with pytest.raises(ValueError, match="bias must be finite"):
        v.check_real(np.inf, "bias")
    with pytest.raises(TypeError, match="bias must be a real number"):
        v.check_real(True, "bias")
