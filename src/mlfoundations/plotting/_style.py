"""Shared figure helpers: a pyplot-free Figure, the house colours, fitted-model checks.

Every figure is a :class:`matplotlib.figure.Figure` built with the object-oriented API:
no pyplot, no global state, no display. ``Figure.savefig`` renders with Agg (PNG) or
the SVG backend on its own, so nothing here selects a backend.
"""

from __future__ import annotations

import numpy as np

try:
    from matplotlib.figure import Figure
except ImportError as exc:  # pragma: no cover - matplotlib is in the cli extra
    raise ImportError(
        "mlfoundations.plotting needs matplotlib; install it with: "
        'pip install "mlfoundations[cli]"',
        name="matplotlib",
    ) from exc

from ..base import check_is_fitted

__all__ = ["Figure", "new_figure", "require_fitted", "COLORS", "PANEL_WIDTH", "PANEL_HEIGHT"]

#: one colour per series, in order (matplotlib's colour-blind friendly "tab10")
COLORS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)
PANEL_WIDTH = 5.0  # inches per panel
PANEL_HEIGHT = 4.0


def new_figure(nrows: int = 1, ncols: int = 1, *, panel_width: float = PANEL_WIDTH,
               panel_height: float = PANEL_HEIGHT, title: str | None = None):
    """A constrained-layout Figure with ``nrows x ncols`` axes; returns ``(fig, axes)``.

    ``axes`` is a flat list in reading order.
    """
    fig = Figure(figsize=(panel_width * ncols, panel_height * nrows), layout="constrained")
    axes = [fig.add_subplot(nrows, ncols, i + 1) for i in range(nrows * ncols)]
    if title is not None:
        fig.suptitle(title)
    return fig, axes


def require_fitted(model, name: str = "model") -> None:
    """``NotFittedError`` for an unfitted estimator, ``TypeError`` for a non-estimator."""
    if not hasattr(model, "__sklearn_is_fitted__"):
        raise TypeError(f"{name} must be an mlfoundations estimator, got {type(model).__name__}")
    check_is_fitted(model)


def finite_range(values: np.ndarray, pad: float = 0.05) -> tuple[float, float]:
    """``(low, high)`` spanning ``values`` with a margin; a point gets a unit-wide window."""
    low, high = float(np.min(values)), float(np.max(values))
    span = high - low
    if span == 0.0:
        span = max(abs(low), 1.0)
    return low - pad * span, high + pad * span
