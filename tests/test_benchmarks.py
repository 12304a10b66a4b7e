"""The benchmark runner and workload scripts run end to end (on tiny sizes)."""

import importlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import _timing, linalg_scratch, mlp, pca, run  # noqa: E402

pytest.importorskip("sklearn")


def test_median_time_and_ratio_rows():
    calls = []
    w = _timing.Workload("w", lambda: calls.append(1) or 2.0, {"peer": lambda: 2.0},
                         check=lambda ours, peers: f"diff {abs(ours - peers['peer'])}")
    rows = run.run_workload(w, repeat=3)
    assert len(calls) == 1 + 5  # warm-up, max(repeat, w.repeat) timed runs; the check reuses the last
    (name, ours_s, peer, peer_s, ratio, check), = rows
    assert name == "w" and peer == "peer" and check == "diff 0.0"
    assert ratio == pytest.approx(ours_s / peer_s)


def test_scripts_run_on_tiny_sizes(monkeypatch, capsys):
    monkeypatch.setattr(pca, "N_SAMPLES", 300)
    monkeypatch.setattr(pca, "N_FEATURES", 12)
    monkeypatch.setattr(linalg_scratch, "SIZES", (6,))
    assert run.main(["--repeat", "1", "--markdown", "pca", "linalg"]) == 0
    out = capsys.readouterr().out
    assert "| PCA 300x12 k=10 |" in out and "| svd n=6 |" in out
    # every row states the agreement with its peer
    rows = [line for line in out.splitlines() if line.startswith("| ") and "workload" not in line]
    assert rows and all("diff" in line for line in rows)


def test_mlp_script_runs_against_torch(monkeypatch, capsys):
    pytest.importorskip("torch", reason="the MLP benchmark's peer is PyTorch")
    monkeypatch.setattr(mlp, "N_SAMPLES", 256)
    assert run.main(["--repeat", "1", "--markdown", "mlp"]) == 0
    out = capsys.readouterr().out
    assert "| MLP epoch float32 256x784 |" in out and "| MLP epoch float64 256x784 |" in out
    # same initial weights and data: float64 runs agree with PyTorch to rounding
    line = next(x for x in out.splitlines() if "float64 256x784" in x)
    assert float(line.rsplit("diff", 1)[1].strip(" |")) < 1e-10


# each workload script, shrunk: (module, {constant: tiny value}, a row its table must show)
TINY_SIZES = [
    ("linear_regression", {"N_SAMPLES": 400, "N_FEATURES": 6}, "| OLS + inference 400x6 |"),
    ("ridge", {"N_SAMPLES": 400, "N_FEATURES": 6, "CV_SAMPLES": 300, "CV_FEATURES": 5},
     "| Ridge 400x6 alpha=1 |"),
    ("lasso", {"N_SAMPLES": 200, "N_FEATURES": 30, "N_INFORMATIVE": 5, "N_ALPHAS": 5}, "Lasso"),
    ("logistic", {"N_SAMPLES": 500, "N_FEATURES": 5}, "| LogisticRegression lbfgs 500x5 |"),
    ("information", {"N_ROWS": 20, "N_OUTCOMES": 7, "N_SAMPLES": 300, "N_FEATURES": 4}, "mutual_info_classif"),
    ("tree", {"N_SAMPLES": 500, "N_FEATURES": 4}, "DecisionTree"),
]


@pytest.mark.parametrize(("module", "sizes", "row"), TINY_SIZES, ids=[t[0] for t in TINY_SIZES])
def test_model_scripts_run_on_tiny_sizes(monkeypatch, capsys, module, sizes, row):
    script = importlib.import_module(f"benchmarks.{module}")
    for name, value in sizes.items():
        monkeypatch.setattr(script, name, value)
    assert run.main(["--repeat", "1", "--markdown", module]) == 0
    out = capsys.readouterr().out
    assert row in out
    rows = [line for line in out.splitlines() if line.startswith("| ") and "workload" not in line]
    assert rows and all("diff" in line for line in rows)
