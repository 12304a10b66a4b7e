"""mlfoundations: the mathematics of machine learning, written out and checked."""
__version__ = "0.1.0"

__all__ = ["save", "load", "__version__"]


def __getattr__(name):
    # save/load are imported on first use, so that `import mlfoundations` stays instant
    if name in ("save", "load"):
        from . import persistence

        return getattr(persistence, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
