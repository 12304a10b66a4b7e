"""Tour section: Linear Algebra.

The guide's vector and matrix examples (dot 32, cross [-3, 6, -3], det -2, the inverse
[[-2, 1], [1.5, -0.5]], the eigenvalues 2 and 5 of [[4, 2], [1, 3]]), each
decomposition reconstructing its matrix, each compared with LAPACK (through NumPy),
then the guide's applications: PCA, similarity, compression, solving linear systems.
"""

from __future__ import annotations

import numpy as np

from ... import linalg
from ...datasets import load_digits, load_iris, sample_image
from ...models import PCA
from . import Check

LAPACK = "LAPACK via NumPy"
GUIDE = "the guide"
IDENTITY = "exact identity"


def _relative(residual, scale):
    return float(np.linalg.norm(residual) / max(np.linalg.norm(scale), np.finfo(float).tiny))


def checks() -> list[Check]:
    out: list[Check] = []
    v, w = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])
    A, B = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0, 6.0], [7.0, 8.0]])
    out += [
        Check("dot(v, w) = 1*4 + 2*5 + 3*6", linalg.dot(v, w), 32.0, GUIDE),
        Check("cross(v, w)", linalg.cross(v, w), [-3.0, 6.0, -3.0], GUIDE),
        Check("norm(v) = sqrt(14)", linalg.norm(v), np.sqrt(14.0), "closed form"),
        Check("A @ B", linalg.dot(A, B), [[19.0, 22.0], [43.0, 50.0]], GUIDE),
        Check("det(A)", linalg.det(A), -2.0, GUIDE, rtol=1e-12),
        Check("inv(A)", linalg.inv(A), [[-2.0, 1.0], [1.5, -0.5]], GUIDE, rtol=1e-12),
    ]

    # eigen-decomposition of the guide's non-symmetric matrix
    M = np.array([[4.0, 2.0], [1.0, 3.0]])
    eigenvalues, eigenvectors = linalg.eig(M)
    out += [
        Check("eig([[4, 2], [1, 3]]) eigenvalues", np.sort(eigenvalues), [2.0, 5.0], GUIDE, rtol=1e-12),
        Check(
            "eig: ||M V - V diag(w)|| / ||M||",
            _relative(M @ eigenvectors - eigenvectors * eigenvalues, M), 0.0, IDENTITY, atol=1e-14,
        ),
    ]
    U, S, Vt = linalg.svd(M)
    out += [
        Check("svd([[4, 2], [1, 3]]) singular values", S, np.linalg.svd(M, compute_uv=False), LAPACK),
        Check("svd: ||M - U S Vt|| / ||M||", _relative(M - (U * S) @ Vt, M), 0.0, IDENTITY, atol=1e-14),
    ]

    # the decompositions on a random 50x50 matrix, each against LAPACK
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 50))
    SPD = X @ X.T + 50 * np.eye(50)
    P, L, Uf = linalg.lu(X)
    Q, R = linalg.qr(X)
    C = linalg.cholesky(SPD)
    w_sym, V_sym = linalg.eigh(SPD)
    out += [
        Check("lu: ||A - P L U|| / ||A||  (50x50)", _relative(X - P @ L @ Uf, X), 0.0, IDENTITY, atol=1e-14),
        Check("qr: ||A - Q R|| / ||A||  (50x50)", _relative(X - Q @ R, X), 0.0, IDENTITY, atol=1e-14),
        Check("qr: ||Q^T Q - I||", _relative(Q.T @ Q - np.eye(50), np.eye(1)), 0.0, IDENTITY, atol=1e-13),
        Check("cholesky: ||S - L L^T|| / ||S||", _relative(SPD - C @ C.T, SPD), 0.0, IDENTITY, atol=1e-14),
        Check("cholesky factor vs LAPACK", C, np.linalg.cholesky(SPD), LAPACK),
        Check("slogdet(A) log|det|", linalg.slogdet(X)[1], np.linalg.slogdet(X)[1], LAPACK),
        Check("eigh eigenvalues (50x50 SPD)", w_sym, np.linalg.eigvalsh(SPD), LAPACK),
        Check(
            "eigh: ||S - V diag(w) V^T|| / ||S||",
            _relative(SPD - (V_sym * w_sym) @ V_sym.T, SPD), 0.0, IDENTITY, atol=1e-14,
        ),
        Check("svd singular values (50x50)", linalg.svd(X).S, np.linalg.svd(X, compute_uv=False), LAPACK),
        Check("cond(A) = s_max / s_min", linalg.cond(X), np.linalg.cond(X), LAPACK, rtol=1e-9),
    ]

    # solving linear systems
    b = rng.standard_normal(50)
    x = linalg.solve(X, b)
    out += [
        Check("solve(A, b) vs LAPACK", x, np.linalg.solve(X, b), LAPACK, rtol=1e-9),
        Check("solve: ||A x - b|| / ||b||", _relative(X @ x - b, b), 0.0, IDENTITY, atol=1e-13),
    ]
    T = rng.standard_normal((30, 4))
    y = rng.standard_normal(30)
    out.append(
        Check("lstsq(A, b), 30x4 least squares", linalg.lstsq(T, y)[0], np.linalg.lstsq(T, y)[0], LAPACK, rtol=1e-9)
    )

    # PCA on the iris data: eigen-decomposition of the covariance, done right
    iris_X, _ = load_iris()
    pca = PCA().fit(iris_X)
    centred = iris_X - iris_X.mean(axis=0)
    s = np.linalg.svd(centred, compute_uv=False)
    out += [
        Check(
            "PCA(iris) explained variance ratio",
            pca.explained_variance_ratio_, s**2 / np.sum(s**2), "LAPACK SVD of centred data",
        ),
        Check(
            "PCA(iris, scratch solver) = PCA(iris, LAPACK)",
            PCA(svd_solver="scratch").fit(iris_X).explained_variance_, pca.explained_variance_, LAPACK,
        ),
        Check(
            "PCA(iris) 2 components keep > 97% of variance",
            bool(pca.explained_variance_ratio_[:2].sum() > 0.97), True, "published: 0.9777",
        ),
    ]

    # the leading principal axis is also what power iteration finds on the covariance
    cov = np.cov(iris_X, rowvar=False)
    power = linalg.power_iteration(cov, k=1, rng=0)
    out.append(
        Check("power_iteration(cov(iris)): top eigenvalue", power.eigenvalues[0], np.linalg.eigvalsh(cov)[-1], LAPACK, rtol=1e-9)
    )

    # similarity: cosine between handwritten digits (same class is more similar)
    digits_X, digits_y = load_digits()
    zeros, ones = digits_X[digits_y == 0][:50], digits_X[digits_y == 1][:50]
    sim = linalg.cosine_similarity(zeros, np.vstack([zeros, ones]))
    normed = digits_X[:5] / np.linalg.norm(digits_X[:5], axis=1, keepdims=True)
    out += [
        Check("cosine_similarity(digits[:5]) vs x.y / |x||y|", linalg.cosine_similarity(digits_X[:5]), normed @ normed.T, "closed form", rtol=1e-12),
        Check(
            "mean cosine: 0-vs-0 > 0-vs-1",
            bool(sim[:, :50].mean() > sim[:, 50:].mean()), True, "digits of one class look alike",
        ),
    ]

    # compression: Eckart-Young on a picture
    image = sample_image()
    singular = np.linalg.svd(image, compute_uv=False)
    for k in (5, 20):
        approx = linalg.low_rank_approximation(image, k)
        out.append(
            Check(
                f"rank-{k} image: ||I - I_k||_2 = s_{k + 1}  ({approx.compression_ratio:.0%} of the numbers)",
                np.linalg.norm(image - approx.approximation, 2), singular[k], "Eckart-Young theorem", rtol=1e-9,
            )
        )
    return out
