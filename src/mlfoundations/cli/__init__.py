"""The command line: ``mlfoundations tour`` and friends."""
