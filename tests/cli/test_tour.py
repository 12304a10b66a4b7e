"""The tour: every check passes, failures set the exit code, JSON is complete."""

import json
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("typer")

from mlfoundations.cli import tour as tour_module  # noqa: E402
from mlfoundations.cli.main import main  # noqa: E402
from mlfoundations.cli.tour import Check, run_tour  # noqa: E402


def test_linear_algebra_section_passes(capsys):
    code = main(["tour", "--section", "linear-algebra", "--json"])
    doc = json.loads(capsys.readouterr().out)
    failed = [c for s in doc["sections"] for c in s["checks"] if not c["passed"]]
    assert failed == [] and code == 0
    assert doc["failed"] == 0 and doc["passed"] >= 25
    names = {c["name"]: c for c in doc["sections"][0]["checks"]}
    # the guide's own numbers are among the references
    assert names["dot(v, w) = 1*4 + 2*5 + 3*6"]["reference"] == 32.0
    assert names["det(A)"]["reference"] == -2.0


def test_text_output_ends_with_counts(capsys):
    code = main(["tour", "--section", "linear-algebra"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    assert out[-1].endswith("passed, 0 failed")
    assert "✓" in "\n".join(out) and "✗" not in "\n".join(out)


def test_failing_check_sets_exit_code(monkeypatch, capsys):
    bad = ("Broken", lambda: [Check("1 + 1", 3.0, 2.0, "arithmetic"), Check("ok", 1.0, 1.0, "x")])
    monkeypatch.setitem(tour_module.SECTIONS, "broken", bad)
    assert main(["tour", "--section", "broken"]) == 1
    assert capsys.readouterr().out.strip().splitlines()[-1] == "1 passed, 1 failed"


def test_crashing_section_counts_as_failure(monkeypatch):
    def boom():
        raise RuntimeError("kaput")

    monkeypatch.setitem(tour_module.SECTIONS, "boom", ("Boom", boom))
    report = run_tour(["boom"])
    assert report.n_failed == 1 and "kaput" in report.sections[0].error


def test_unknown_section_is_a_usage_error(capsys):
    assert main(["tour", "--section", "nope"]) == 2
    assert "unknown tour section" in capsys.readouterr().err


def test_check_tolerances():
    assert Check("x", 1.0 + 1e-12, 1.0, "r").passed
    assert not Check("x", 1.0 + 1e-8, 1.0, "r").passed
    assert Check("x", 1e-15, 0.0, "r", atol=1e-14).passed
    assert not Check("x", np.nan, np.nan, "r").passed  # NaN never passes
    assert not Check("x", [1.0, 2.0], [1.0], "r").passed


def test_python_dash_m_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "mlfoundations", "tour", "--section", "linear-algebra"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "passed, 0 failed" in proc.stdout


def test_calculus_section_passes(capsys):
    code = main(["tour", "--section", "calculus", "--json"])
    doc = json.loads(capsys.readouterr().out)
    failed = [c for s in doc["sections"] for c in s["checks"] if not c["passed"]]
    assert failed == [] and code == 0 and doc["sections"][0]["error"] is None
    names = [c["name"] for c in doc["sections"][0]["checks"]]
    assert any(n.startswith("gradient_descent(x^2, x0=10)") for n in names)
    assert any(n.startswith("newton: Rosenbrock") for n in names)
    assert any(n.startswith("digits MLP") for n in names)


def test_probability_section_passes(capsys):
    code = main(["tour", "--section", "probability", "--json"])
    doc = json.loads(capsys.readouterr().out)
    section = doc["sections"][0]
    failed = [c for c in section["checks"] if not c["passed"]]
    assert section["error"] is None and failed == [] and code == 0
    names = [c["name"] for c in section["checks"]]
    assert any(n.startswith("spam: bayesian_update") for n in names)
    assert any(n.startswith("mle_normal(") for n in names)
    assert any(n.startswith("MultinomialNB spam") for n in names)


def test_make_spam_corpus_is_reproducible():
    from mlfoundations.cli.tour.probability import VOCABULARY, make_spam_corpus

    X, y = make_spam_corpus(n_documents=50, seed=3)
    X2, y2 = make_spam_corpus(n_documents=50, seed=3)
    assert X.shape == (50, len(VOCABULARY)) and np.array_equal(X, X2) and np.array_equal(y, y2)
    assert np.all(X.sum(axis=1) == 12) and set(np.unique(y)) <= {0, 1}


def test_statistics_section_passes(capsys):
    code = main(["tour", "--section", "statistics", "--json"])
    doc = json.loads(capsys.readouterr().out)
    section = doc["sections"][0]
    failed = [c for c in section["checks"] if not c["passed"]]
    assert section["error"] is None and failed == [] and code == 0
    names = [c["name"] for c in section["checks"]]
    assert "the guide's t-test: t-statistic" in names
    assert "the guide's 95% CI for mean(group_a)" in names


def test_regression_section_passes(capsys):
    code = main(["tour", "--section", "regression", "--json"])
    doc = json.loads(capsys.readouterr().out)
    section = doc["sections"][0]
    failed = [c for c in section["checks"] if not c["passed"]]
    assert section["error"] is None and failed == [] and code == 0
    names = {c["name"]: c for c in section["checks"]}
    assert names["the guide's line: intercept, slope"]["reference"] == [0.13, 1.99]
    assert "diabetes ridge alpha=1: coefficients" in names
    assert "diabetes lasso alpha=0.1: coefficients (3 exactly zero)" in names


def test_information_section_passes(capsys):
    code = main(["tour", "--section", "information", "--json"])
    doc = json.loads(capsys.readouterr().out)
    section = doc["sections"][0]
    failed = [c for c in section["checks"] if not c["passed"]]
    assert section["error"] is None and failed == [] and code == 0
    names = {c["name"]: c for c in section["checks"]}
    assert names["the guide's fair coin: H = 1.000 bit"]["value"] == 1.0
    assert abs(names["the guide's biased coin [0.9, 0.1]: H (0.469 bits)"]["value"] - 0.469) < 5e-4
    assert "digits: the 5 most informative pixels" in names
