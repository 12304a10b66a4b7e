"""gradcheck itself: it passes correct rules, catches wrong ones, names the worst
entry, and validates its arguments."""

import numpy as np
import pytest

import mlfoundations.autodiff as ad
from mlfoundations.autodiff import GradcheckError, GradcheckReport, Tensor, gradcheck
from mlfoundations.autodiff.tensor import _node


def _bad_vjp(g, out, args, extra):
    return 2 * g * args[0]  # d/dx x^2 is 2x, but this rule is used for x^3 below


def broken_cube(x):
    """x^3 with a wrong local derivative (2x instead of 3x^2)."""
    return _node(x.data**3, (x,), (_bad_vjp,))


def test_passes_correct_gradients_and_reports_small_errors(rng):
    x, W = rng.standard_normal(4), rng.standard_normal((3, 4))
    report = gradcheck(lambda x, W: ad.softmax(W @ x), [x, W])
    assert isinstance(report, GradcheckReport) and report.passed and bool(report)
    assert report.max_abs_error < 1e-8 and report.max_rel_error < 1e-5
    assert str(report).startswith("gradcheck passed")


def test_catches_a_wrong_rule_and_names_the_worst_entry():
    x = np.array([0.5, -2.0, 1.0])
    report = gradcheck(lambda t: broken_cube(t) * 1.0, [x])
    assert not report.passed
    # worst entry: |2x - 3x^2| largest at x = -2 (entry 1): analytic -4, numerical 12
    assert report.worst_input == 0 and report.worst_entry == (1,) and report.worst_output == (1,)
    assert report.analytic == pytest.approx(-4.0) and report.numerical == pytest.approx(12.0)
    assert report.max_abs_error == pytest.approx(16.0, rel=1e-6)
    text = str(report)
    assert "FAILED" in text and "d out[1] / d inputs[0][1]" in text and "analytic -4" in text


def test_raise_exception_carries_the_report():
    expected = r"gradcheck FAILED .* d out\[1\] / d inputs\[0\]\[1\]"
    with pytest.raises(GradcheckError, match=expected) as info:
        gradcheck(broken_cube, [np.array([0.5, -2.0, 1.0])], raise_exception=True)
    assert isinstance(info.value, ValueError) and not info.value.report.passed


def test_random_cotangents_catch_the_same_error(rng):
    x = rng.uniform(1.0, 2.0, (3, 3))
    report = gradcheck(lambda t: broken_cube(t).sum(axis=0), [x], cotangents=3, rng=1)
    assert not report.passed and isinstance(report.worst_output, int)
    assert "cotangent" in str(report)
    assert gradcheck(lambda t: (t**3).sum(axis=0), [x], cotangents=3, rng=1).passed


def test_a_wrong_second_input_is_located(rng):
    def f(a, b):
        return a * 2 + broken_cube(b)

    report = gradcheck(f, [rng.standard_normal(2), np.array([[1.5, 3.0]])])
    assert report.worst_input == 1 and report.worst_entry == (0, 1)


def test_single_array_float32_and_tensor_inputs():
    x32 = np.array([0.3, 0.4], dtype=np.float32)
    assert gradcheck(lambda t: t.tanh(), x32).passed  # promoted to float64
    assert gradcheck(lambda t: t.exp(), Tensor([0.1, 0.2])).passed
    assert gradcheck(lambda t: t * t, 0.7).passed


def test_function_that_ignores_an_input():
    report = gradcheck(lambda a, b: a * 3, [np.ones(2), np.ones(3)])
    assert report.passed and report.max_abs_error < 1e-8


def test_tolerances_decide_the_verdict():
    x = np.array([1.0])
    # the numerical error of central differences is ~1e-10 here; atol=rtol=0 fails it
    assert not gradcheck(lambda t: t.exp(), [x], atol=0.0, rtol=0.0).passed
    assert gradcheck(lambda t: t.exp(), [x], atol=1e-7, rtol=0.0).passed


def test_argument_errors():
    with pytest.raises(ValueError, match="eps must be positive"):
        gradcheck(lambda t: t, [np.ones(2)], eps=0.0)
    with pytest.raises(ValueError, match="atol must be a finite non-negative number"):
        gradcheck(lambda t: t, [np.ones(2)], atol=-1.0)
    with pytest.raises(ValueError, match=r"inputs\[0\] contains NaN"):
        gradcheck(lambda t: t, [np.array([np.nan])])
    with pytest.raises(TypeError, match="f must return a Tensor, got ndarray"):
        gradcheck(lambda t: t.data, [np.ones(2)])
    with pytest.raises(ValueError, match="f's value at inputs is not finite"):
        gradcheck(lambda t: t * np.inf, [np.ones(2)])
    with pytest.raises(ValueError, match="cotangents must be 'one-hot' or a positive int"):
        gradcheck(lambda t: t, [np.ones(2)], cotangents=0)
