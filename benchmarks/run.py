"""Run the benchmark workloads and print ``workload | ours s | peer | peer s | ratio``.

Usage::

    python -m benchmarks                 # every workload
    python -m benchmarks pca             # workloads whose module name matches
    python -m benchmarks --repeat 9 linalg --markdown
    python benchmarks/run.py pca         # the same, as a script

Ratio = ours / peer: below 1 means this library is faster. The sides are timed in
alternation (after one warm-up each) and the median of each is reported.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "benchmarks"

from benchmarks._timing import interleaved_median_times  # noqa: E402

MODULES = (
    "pca", "linalg_scratch", "mlp", "probability", "stats", "stats_intervals",
    "linear_regression", "ridge", "lasso", "logistic", "information", "tree",
)


def _machine() -> str:
    import os

    import numpy as np

    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"NumPy {np.__version__}"
    )


def run_workload(w, repeat: int) -> list[tuple]:
    """Time ours and every peer in alternation; rows (workload, ours_s, peer, peer_s, ratio, check)."""
    repeat = max(repeat, w.repeat)
    if w.max_repeat is not None:
        repeat = min(repeat, w.max_repeat)
    outputs: dict = {}
    medians = interleaved_median_times(
        {"ours": w.ours, **w.peers}, repeat=repeat, warmup=w.warmup, results=outputs
    )
    ours_s = medians["ours"]
    rows = [[w.name, ours_s, peer, medians[peer], ours_s / medians[peer], ""] for peer in w.peers]
    if w.check is not None:
        verdict = w.check(outputs["ours"], {peer: outputs[peer] for peer in w.peers})
        for row in rows:
            row[5] = verdict.get(row[2], "") if isinstance(verdict, dict) else verdict
    return [tuple(r) for r in rows]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="run only modules whose name contains one of these")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per side (median reported)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)

    modules = [m for m in MODULES if not args.only or any(o in m for o in args.only)]
    header = ("workload", "ours s", "peer", "peer s", "ratio", "agreement")
    print(f"# machine: {_machine()}")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
    else:
        print(f"{header[0]:<34} {header[1]:>9}  {header[2]:<28} {header[3]:>9} {header[4]:>7}  {header[5]}")
    for name in modules:
        module = importlib.import_module(f"benchmarks.{name}")
        for w in module.workloads():
            for row in run_workload(w, args.repeat):
                wl, ours_s, peer, peer_s, ratio, check = row
                if args.markdown:
                    print(f"| {wl} | {ours_s:.4f} | {peer} | {peer_s:.4f} | {ratio:.2f} | {check} |")
                else:
                    print(f"{wl:<34} {ours_s:>9.4f}  {peer:<28} {peer_s:>9.4f} {ratio:>7.2f}  {check}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
