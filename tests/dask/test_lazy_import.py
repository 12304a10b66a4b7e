"""Dask is imported only when a Dask collection arrives, never by the NumPy paths."""

import subprocess
import sys

import pytest

PROGRAM = """
import sys
import numpy as np
import mlfoundations
from mlfoundations import information, models, stats
from mlfoundations.models import PCA, LinearRegression, Ridge
X = np.random.default_rng(0).normal(size=(50, 3))
y = X @ [1.0, 2.0, 3.0]
LinearRegression().fit(X, y).results_.bse
Ridge().fit(X, y)
PCA(2).fit(X)
stats.describe(X)
stats.ttest_ind(X[:, 0], X[:, 1])
stats.confidence_interval(X[:, 0])
information.entropy([0.5, 0.5])
information.mutual_info_classif(np.array([[0, 1], [1, 0], [0, 0]]), [0, 1, 0])
loaded = sorted(m for m in sys.modules if m == "dask" or m.startswith(("dask.", "distributed")))
print(",".join(loaded))
"""


def test_numpy_paths_do_not_import_dask():
    out = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_a_dask_array_imports_it_on_first_use():
    pytest.importorskip("dask", reason="the dask extra is not installed")
    program = (
        "import sys\n"
        "import dask.array as da\n"
        "from mlfoundations import stats, _dask\n"
        "assert 'mlfoundations._dask.moments' not in sys.modules\n"
        "print(stats.mean(da.arange(10.0, chunks=3)))\n"
        "assert 'mlfoundations._dask.moments' in sys.modules\n"
    )
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "4.5"
