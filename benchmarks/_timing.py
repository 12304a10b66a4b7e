"""Timing helpers shared by every workload script."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Callable


def median_time(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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
    notes: str = ""
    results: dict = field(default_factory=dict)
