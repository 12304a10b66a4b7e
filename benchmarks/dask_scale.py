"""Out-of-core PCA and least squares on Dask: 4,000,000 x 100 float64 (3.2 GB).

X is standard normal, generated chunk by chunk by ``dask.array`` (200,000-row chunks, so
no process ever holds more than a few chunks), y = X beta + noise from the same chunks.
Cluster: ``LocalCluster(n_workers=2, threads_per_worker=1, memory_limit="4GiB")``, worker
processes. Nothing is persisted, so every timed computation generates the data again,
as it would re-read it from disk.

Workloads (median of ``--repeat`` runs after one warm-up, sides timed in alternation):

- PCA k = 10. Ours: ``PCA(10).fit(X)``, one pass of centred Gram matrices merged by a
  tree, then a 100 x 100 eigendecomposition on the client. Peers on the centred
  X - mean (the mean is a pass of its own): ``dask.array.linalg.svd_compressed`` (k = 10,
  its default of no power iteration: approximate, and poor on this flat spectrum) and
  the tall-skinny QR ``dask.array.linalg.svd`` (exact). Accuracy: sine of the largest
  principal angle between each side's 10 components and those of the in-memory
  ``PCA(10, svd_solver="covariance_eigh")`` on the computed X (one 3.2 GB array in this
  process, skipped by ``--no-reference``). Goal: <= 1e-10 in <= 0.5 x svd_compressed's time.
- OLS with standard errors: ``LinearRegression().fit(X, y).results_.bse`` against one
  generation pass of the data (the column sums of X and the sum of y). Goal: <= 1.2 x.

Peak memory per worker: every worker runs a thread that samples its process's resident
set size (psutil) every 20 ms; the peak over each workload's timed runs, the larger of
the two workers, is reported (the baseline of an idle worker process is printed too).
Goal: <= 1 GiB.

Outside CI (it takes minutes and 4 GB of RAM per worker); run it with
``python benchmarks/dask_scale.py`` (``--rows 400000`` for a quick look).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import threading
import time

import numpy as np

K = 10


# --- memory sampling on the workers ------------------------------------------------------
def _start_sampler(dask_worker, interval=0.02):
    """Sample this worker process's RSS in a daemon thread; keep the peak on the worker."""
    import psutil

    process = psutil.Process()
    dask_worker._mlf_peak_rss = process.memory_info().rss

    def sample():
        while not getattr(dask_worker, "_mlf_stop", False):
            rss = process.memory_info().rss
            if rss > dask_worker._mlf_peak_rss:
                dask_worker._mlf_peak_rss = rss
            time.sleep(interval)

    threading.Thread(target=sample, daemon=True, name="mlf-rss-sampler").start()
    return dask_worker._mlf_peak_rss


def _reset_peak(dask_worker):
    import psutil

    dask_worker._mlf_peak_rss = psutil.Process().memory_info().rss
    return dask_worker._mlf_peak_rss


def _read_peak(dask_worker):
    return dask_worker._mlf_peak_rss


# --- the data ----------------------------------------------------------------------------
def make_data(n_rows, n_features, chunk, seed=0):
    import dask.array as da

    rng = da.random.default_rng(seed)
    X = rng.standard_normal((n_rows, n_features), chunks=(chunk, n_features))
    beta = np.linspace(-1.0, 1.0, n_features)
    y = X @ beta + 2.0 + da.random.default_rng(seed + 1).standard_normal(n_rows, chunks=chunk)
    return X, y


def sine_of_largest_angle(A, B) -> float:
    """sin of the largest principal angle between the row spaces of A and B (k x p)."""
    import scipy.linalg

    return float(np.sin(scipy.linalg.subspace_angles(A.T, B.T)).max())


# --- the workloads -----------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4_000_000)
    parser.add_argument("--features", type=int, default=100)
    parser.add_argument("--chunk", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the in-memory reference (it holds the whole X in this process)")
    args = parser.parse_args(argv)

    import dask
    import dask.array as da
    import distributed

    from mlfoundations.models import PCA, LinearRegression

    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, memory_limit="4GiB", dashboard_address=None
    )
    client = distributed.Client(cluster)
    baseline = client.run(_start_sampler)
    X, y = make_data(args.rows, args.features, args.chunk)
    gib = 2.0**30
    size_gb = args.rows * args.features * 8 / 1e9
    print(f"# {args.rows} x {args.features} float64 ({size_gb:.1f} GB), chunks of {args.chunk} "
          f"rows; {platform.machine()}, Python {platform.python_version()}, NumPy "
          f"{np.__version__}, dask {dask.__version__}; idle worker RSS "
          f"{max(baseline.values()) / gib:.2f} GiB", flush=True)

    def ours_pca():
        return PCA(K).fit(X).components_

    def centred():
        return X - X.mean(axis=0)

    def svd_compressed():
        _, s, v = da.linalg.svd_compressed(centred(), k=K, seed=0)
        return dask.compute(s, v)[1]

    def tsqr_svd():
        _, s, v = da.linalg.svd(centred())
        return dask.compute(s, v)[1][:K]

    def ours_ols():
        return LinearRegression().fit(X, y).results_.bse

    def generation_pass():
        return dask.compute(X.sum(axis=0), y.sum())

    def timed(sides: dict) -> tuple[dict, dict, dict]:
        """Median seconds, last result and peak worker RSS of each side (in alternation)."""
        times = {name: [] for name in sides}
        results, peaks = {}, {name: 0 for name in sides}
        for name, fn in sides.items():  # warm-up: imports, numba, the cluster's caches
            fn()
        for _ in range(args.repeat):
            for name, fn in sides.items():
                time.sleep(0.5)
                client.run(_reset_peak)
                start = time.perf_counter()
                results[name] = fn()
                times[name].append(time.perf_counter() - start)
                peaks[name] = max(peaks[name], max(client.run(_read_peak).values()))
        return {n: statistics.median(t) for n, t in times.items()}, results, peaks

    def report(times, peaks):  # raw figures at once: the reference below takes a while
        for side in times:
            peak = peaks[side] / gib
            print(f"#   {side}: {times[side]:.2f} s, peak RSS {peak:.2f} GiB", flush=True)

    pca_times, pca_results, pca_peaks = timed(
        {"ours": ours_pca, "svd_compressed": svd_compressed, "tsqr svd": tsqr_svd}
    )
    report(pca_times, pca_peaks)
    ols_times, ols_results, ols_peaks = timed(
        {"ours": ours_ols, "generation pass": generation_pass}
    )
    report(ols_times, ols_peaks)

    agreement = {}
    if not args.no_reference:
        X_mem, y_mem = dask.compute(X, y, scheduler="threads")
        reference = PCA(K, svd_solver="covariance_eigh").fit(X_mem).components_
        for name, components in pca_results.items():
            agreement[name] = f"subspace sine {sine_of_largest_angle(components, reference):.1e}"
        bse = LinearRegression().fit(X_mem, y_mem).results_.bse
        rel = np.max(np.abs(ols_results["ours"] / bse - 1))
        agreement["ols"] = f"bse max rel diff vs in-memory {rel:.1e}"
        del X_mem, y_mem

    name = f"{args.rows}x{args.features}"
    print("| workload | ours s | peer | peer s | ratio | peak RSS per worker (ours / peer) "
          "| agreement |")
    print("|---|---|---|---|---|---|---|")
    for peer in ("svd_compressed", "tsqr svd"):
        print(f"| PCA {name} k={K} | {pca_times['ours']:.2f} | dask {peer} | "
              f"{pca_times[peer]:.2f} | {pca_times['ours'] / pca_times[peer]:.2f} | "
              f"{pca_peaks['ours'] / gib:.2f} / {pca_peaks[peer] / gib:.2f} GiB | "
              f"ours {agreement.get('ours', '-')}; peer {agreement.get(peer, '-')} |")
    print(f"| OLS + standard errors {name} | {ols_times['ours']:.2f} | one generation pass | "
          f"{ols_times['generation pass']:.2f} | "
          f"{ols_times['ours'] / ols_times['generation pass']:.2f} | "
          f"{ols_peaks['ours'] / gib:.2f} / {ols_peaks['generation pass'] / gib:.2f} GiB | "
          f"{agreement.get('ols', '-')} |")
    client.run(lambda dask_worker: setattr(dask_worker, "_mlf_stop", True))
    client.close()
    cluster.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
