"""``python -m mlfoundations tour`` runs the same command line as ``mlfoundations``."""

from .cli.main import main

raise SystemExit(main())
