"""mlfoundations: the mathematics of machine learning, written out and checked."""
__version__ = "0.1.0"
