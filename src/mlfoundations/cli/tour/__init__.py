"""The tour: the guide, section by section, each result beside its reference value.

A section is a function returning a list of :class:`Check`; sections register
themselves in :data:`SECTIONS` (in guide order) and the runner only collects, prints
and counts. Later pillars add a module here and one line to ``SECTIONS``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

__all__ = ["Check", "format_value", "SectionReport", "TourReport", "SECTIONS", "run_tour", "section_names"]


@dataclass(frozen=True)
class Check:
    """One result and its reference: passed when |value - reference| <= atol + rtol |reference|.

    ``reference_source`` names where the reference comes from (the guide, LAPACK, a
    closed form...).
    """

    name: str
    value: object
    reference: object
    reference_source: str
    rtol: float = 1e-10
    atol: float = 0.0

    @property
    def passed(self) -> bool:
        try:
            value = np.asarray(self.value, dtype=np.complex128)
            reference = np.asarray(self.reference, dtype=np.complex128)
        except (TypeError, ValueError):
            return self.value == self.reference
        if value.shape != reference.shape:
            return False
        return bool(np.allclose(value, reference, rtol=self.rtol, atol=self.atol, equal_nan=False))

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "value": _jsonable(self.value),
            "reference": _jsonable(self.reference),
            "reference_source": self.reference_source,
            "rtol": self.rtol,
            "atol": self.atol,
            "passed": self.passed,
        }


def _jsonable(x):
    arr = np.asarray(x)
    if np.iscomplexobj(arr):
        return {"real": arr.real.tolist(), "imag": arr.imag.tolist()}
    if arr.dtype.kind in "biuf":
        return arr.tolist()
    return str(x)


def format_value(x, shape_separator: str = " x ") -> str:
    """A check's value in a few characters: scalars to 10 significant digits, arrays by
    their shape (joined by ``shape_separator``) and first four entries, text as is."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, str):
        return x
    try:
        arr = np.asarray(x)
    except Exception:  # an object NumPy cannot take is shown as Python prints it
        return str(x)
    if arr.dtype.kind not in "biufc":
        return str(x)
    if arr.ndim == 0:
        value = arr.item()
        return f"{value:.10g}" if isinstance(value, (float, complex)) else str(value)
    flat = arr.ravel()
    shown = ", ".join(f"{v:.6g}" for v in flat[:4])
    if flat.size > 4:
        shown += ", …"
    if arr.ndim == 1 and arr.size <= 4:
        return f"[{shown}]"
    return f"({shape_separator.join(map(str, arr.shape))}) [{shown}]"


@dataclass
class SectionReport:
    name: str
    title: str
    checks: list[Check] = field(default_factory=list)
    error: str | None = None  # a section that crashed counts as one failed check

    @property
    def n_passed(self) -> int:
        return sum(c.passed for c in self.checks)

    @property
    def n_failed(self) -> int:
        return sum(not c.passed for c in self.checks) + (self.error is not None)


@dataclass
class TourReport:
    sections: list[SectionReport]

    @property
    def n_passed(self) -> int:
        return sum(s.n_passed for s in self.sections)

    @property
    def n_failed(self) -> int:
        return sum(s.n_failed for s in self.sections)

    def as_dict(self) -> dict:
        return {
            "sections": [
                {
                    "name": s.name,
                    "title": s.title,
                    "checks": [c.as_dict() for c in s.checks],
                    "error": s.error,
                }
                for s in self.sections
            ],
            "passed": self.n_passed,
            "failed": self.n_failed,
        }


def _lazy(module: str) -> Callable[[], list[Check]]:
    """The ``checks`` function of a section module, imported only when the section runs."""

    def build() -> list[Check]:
        return importlib.import_module(f"{__name__}.{module}").checks()

    return build


# name -> (title, function returning the checks); imported lazily so one broken
# section cannot stop the others from running.
SECTIONS: dict[str, tuple[str, Callable[[], list[Check]]]] = {
    "linear-algebra": ("Linear Algebra", _lazy("linear_algebra")),
    "calculus": ("Calculus", _lazy("calculus")),
    "probability": ("Probability", _lazy("probability")),
    "statistics": ("Statistics — tests and intervals", _lazy("statistics")),
    "regression": ("Statistics — regression", _lazy("regression")),
    "information": ("Information theory", _lazy("information")),
}


def section_names() -> list[str]:
    return list(SECTIONS)


def run_tour(sections: list[str] | None = None) -> TourReport:
    """Run the named sections (all by default) and collect their checks."""
    names = sections or section_names()
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown tour section(s) {unknown}; choose from {section_names()}")
    reports = []
    for name in names:
        title, build = SECTIONS[name]
        report = SectionReport(name, title)
        try:
            report.checks = list(build())
        except Exception as exc:  # reported as a failure, never hidden
            report.error = f"{type(exc).__name__}: {exc}"
        reports.append(report)
    return TourReport(reports)
