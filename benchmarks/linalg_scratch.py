"""The written-out decompositions vs LAPACK (through SciPy) at n = 50, 200, 500.

Goal: within 10x of LAPACK at n = 200. The agreement column states the largest
relative difference of the values both sides compute.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

from ._timing import Workload

SIZES = (50, 200, 500)


def _rel(a, b) -> str:
    a, b = np.asarray(a), np.asarray(b)
    return f"max rel diff {np.max(np.abs(a - b)) / np.max(np.abs(b)):.1e}"


def workloads():
    from mlfoundations import linalg

    for n in SIZES:
        rng = np.random.default_rng(n)
        A = rng.standard_normal((n, n))
        b = rng.standard_normal(n)
        S = A @ A.T + n * np.eye(n)
        repeat = 7 if n <= 200 else 5

        yield Workload(
            f"lu n={n}", lambda A=A: linalg.lu(A).U,
            {"scipy.linalg.lu": lambda A=A: sla.lu(A)[2]},
            check=lambda ours, peers: _rel(ours, peers["scipy.linalg.lu"]), repeat=repeat,
        )
        yield Workload(
            f"solve n={n}", lambda A=A, b=b: linalg.solve(A, b),
            {"scipy.linalg.solve": lambda A=A, b=b: sla.solve(A, b)},
            check=lambda ours, peers: _rel(ours, peers["scipy.linalg.solve"]), repeat=repeat,
        )
        yield Workload(
            f"qr n={n}", lambda A=A: np.abs(np.diag(linalg.qr(A).R)),
            {"scipy.linalg.qr economic": lambda A=A: np.abs(np.diag(sla.qr(A, mode="economic")[1]))},
            check=lambda ours, peers: _rel(ours, peers["scipy.linalg.qr economic"]), repeat=repeat,
        )
        yield Workload(
            f"cholesky n={n}", lambda S=S: linalg.cholesky(S),
            {"scipy.linalg.cholesky": lambda S=S: sla.cholesky(S, lower=True)},
            check=lambda ours, peers: _rel(ours, peers["scipy.linalg.cholesky"]), repeat=repeat,
        )
        yield Workload(
            f"eigh n={n}", lambda S=S: linalg.eigh(S).eigenvalues,
            {"scipy.linalg.eigh": lambda S=S: sla.eigh(S)[0]},
            check=lambda ours, peers: _rel(ours, peers["scipy.linalg.eigh"]), repeat=repeat,
        )
        yield Workload(
            f"svd n={n}", lambda A=A: linalg.svd(A).S,
            {"scipy.linalg.svd (gesdd)": lambda A=A: sla.svd(A)[1]},
            check=lambda ours, peers: _rel(ours, peers["scipy.linalg.svd (gesdd)"]), repeat=repeat,
        )
        if n <= 200:
            yield Workload(
                f"eig n={n}", lambda A=A: np.sort_complex(linalg.eig(A).eigenvalues),
                {"scipy.linalg.eig": lambda A=A: np.sort_complex(sla.eig(A)[0])},
                check=lambda ours, peers: _rel(ours, peers["scipy.linalg.eig"]), repeat=5,
            )
