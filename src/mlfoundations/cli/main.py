"""``mlfoundations`` command line (Typer + Rich)."""

from __future__ import annotations

import json
import sys
from typing import List, Optional


def _missing_extra(exc: ImportError) -> int:
    print(
        f"mlfoundations: the command line needs the 'cli' extra ({exc.name} is missing); "
        'install it with: pip install "mlfoundations[cli]"',
        file=sys.stderr,
    )
    return 2


def _build_app():
    import typer
    from rich.console import Console
    from rich.table import Table

    from .tour import run_tour, section_names

    app = typer.Typer(
        name="mlfoundations",
        help="The mathematics of machine learning, written out and checked.",
        no_args_is_help=True,
        add_completion=False,
    )

    @app.callback()
    def _root():
        """The mathematics of machine learning, written out and checked."""

    @app.command()
    def tour(
        section: Optional[List[str]] = typer.Option(
            None, "--section", "-s", help=f"Run only this section (repeatable): {', '.join(section_names())}."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
    ):
        """Walk the guide section by section: each result beside its reference value."""
        try:
            report = run_tour(section)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--section") from None
        if as_json:
            typer.echo(json.dumps(report.as_dict(), indent=2))
        else:
            console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
            for sec in report.sections:
                table = Table(title=sec.title, title_justify="left", show_lines=False)
                table.add_column("", width=1)
                table.add_column("check")
                table.add_column("result", justify="right")
                table.add_column("reference", justify="right")
                table.add_column("source", style="dim")
                for check in sec.checks:
                    mark = "[green]✓[/green]" if check.passed else "[red]✗[/red]"
                    table.add_row(mark, check.name, _fmt(check.value), _fmt(check.reference), check.reference_source)
                console.print(table)
                if sec.error:
                    console.print(f"[red]✗ section {sec.name} failed: {sec.error}[/red]")
            colour = "green" if report.n_failed == 0 else "red"
            console.print(f"[{colour}]{report.n_passed} passed, {report.n_failed} failed[/{colour}]")
        raise typer.Exit(code=1 if report.n_failed else 0)

    return app


def _fmt(x) -> str:
    """A short rendering: scalars to 10 significant digits, arrays by shape and first values."""
    import numpy as np

    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    arr = np.asarray(x)
    if arr.ndim == 0:
        value = arr.item()
        return f"{value:.10g}" if isinstance(value, (float, complex)) else str(value)
    flat = arr.ravel()
    shown = ", ".join(f"{v:.6g}" for v in flat[:4])
    if flat.size > 4:
        shown += ", …"
    shape = "x".join(map(str, arr.shape))
    return f"[{shown}]" if arr.ndim == 1 and arr.size <= 4 else f"({shape}) [{shown}]"


def main(argv=None) -> int:
    """Entry point of the ``mlfoundations`` console script."""
    try:
        app = _build_app()
    except ImportError as exc:
        return _missing_extra(exc)
    try:
        app(args=argv, prog_name="mlfoundations", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0
