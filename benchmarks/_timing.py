"""Timing helpers shared by every workload script."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable


# OpenBLAS and OpenMP worker threads keep spinning for a while after a parallel call;
# without a pause, one side's spinning threads would be charged to the next side.
COOL_DOWN_S = 0.2


def interleaved_median_times(
    fns: dict, repeat: int = 5, warmup: int = 1, cool_down: float = COOL_DOWN_S, results: dict | None = None
) -> dict:
    """Median wall time of each callable, timed in alternation: ours, peer, ours, peer...

    On a shared machine whose speed drifts from one minute to the next, alternating the
    sides spreads the drift evenly over them instead of charging it to whichever runs
    last; a short untimed pause before every timed call lets the previous call's
    worker threads go idle. If ``results`` is a dict, it receives each side's last
    return value (so a check need not run slow sides again).
    """
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            time.sleep(cool_down)
            start = time.perf_counter()
            out = fn()
            times[name].append(time.perf_counter() - start)
            if results is not None:
                results[name] = out
    return {name: statistics.median(ts) for name, ts in times.items()}


@dataclass
class Workload:
    """One workload: our implementation and its peers on the same data.

    ``check`` (optional) is run once on the outputs ``(ours_result, {peer: result})``
    and returns a short string stating the accuracy agreement (e.g. "max rel diff 3e-15").
    """

    name: str
    ours: Callable[[], object]
    peers: dict[str, Callable[[], object]]
    check: Callable[[object, dict], str] | None = None
    repeat: int = 5
    max_repeat: int | None = None  # for a peer so slow that one timed run must do
    warmup: int = 1
