"""The data commands of ``mlfoundations``: one module per command, each with ``register(app)``.

Every command reads a CSV or Parquet table (:mod:`mlfoundations.cli._data`), calls the
library, and prints Rich tables or, with ``--json``, one JSON document.
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["COMMANDS", "register_all"]

COMMANDS = ("pca", "regress", "ttest", "fit", "info", "train", "predict")


def register_all(app) -> None:
    """Add every data command to the Typer ``app``, in the order of ``COMMANDS``."""
    for name in COMMANDS:
        import_module(f"{__name__}.{name}").register(app)
