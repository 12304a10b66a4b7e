"""``mlfoundations`` command line (Typer + Rich).

Commands: ``tour`` (here) and the data commands in :mod:`mlfoundations.cli.commands`
(``pca``, ``regress``, ``ttest``, ``fit``, ``info``, ``train``, ``predict``), each a
module with a ``register(app)``.

Exit status: 0 success; 1 the data cannot be used (:class:`~._data.DataError`) or a
tour check failed; 2 the command line is wrong (Click's usage errors and
:class:`~._data.UsageError`). Every error is one line on stderr; ``--debug`` (before the
command: ``mlfoundations --debug pca ...``) adds the Python traceback. Warnings from the
library are shown as one line each.
"""

import json
import sys
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

PROG = "mlfoundations"


@dataclass
class State:
    """What the root callback learns and ``main`` needs after the command has run."""

    debug: bool = False


def _missing_extra(exc: ImportError) -> int:
    print(
        f"mlfoundations: the command line needs the 'cli' extra ({exc.name} is missing); "
        'install it with: pip install "mlfoundations[cli]"',
        file=sys.stderr,
    )
    return 2


def _build_app():
    import typer

    from .commands import register_all

    app = typer.Typer(
        name=PROG,
        help="The mathematics of machine learning, written out and checked.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _root(
        ctx: typer.Context,
        debug: bool = typer.Option(False, "--debug", help="Show Python tracebacks of errors."),
    ):
        """The mathematics of machine learning, written out and checked."""
        if isinstance(ctx.obj, State):
            ctx.obj.debug = debug

    _register_tour(app)
    register_all(app)
    return app


def _register_tour(app) -> None:
    import typer

    from ._data import check_output_path
    from .tour import run_tour, section_names

    @app.command()
    def tour(
        section: Optional[List[str]] = typer.Option(
            None, "--section", "-s", help=f"Run only this section (repeatable): {', '.join(section_names())}."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
        report_path: Optional[Path] = typer.Option(
            None, "--report", help="Also write one self-contained HTML page: formula, numbers, picture."
        ),
        force: bool = typer.Option(False, "--force", help="Overwrite an existing --report file."),
    ):
        """Walk the guide section by section: each result beside its reference value."""
        if report_path is not None:  # refused before the tour runs, not after
            check_output_path(report_path, force=force, option="--report")
        try:
            report = run_tour(section)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--section") from None
        if report_path is not None:
            from .report import write_report

            written = write_report(report_path, tour_report=report)
            print(f"{PROG}: report written to {written}", file=sys.stderr)
        if as_json:
            typer.echo(json.dumps(report.as_dict(), indent=2))
        else:
            _print_tour(report)
        raise typer.Exit(code=1 if report.n_failed else 0)


def _print_tour(report) -> None:
    from rich.table import Table

    from .commands._common import stdout_console
    from .tour import format_value

    console = stdout_console()
    for sec in report.sections:
        table = Table(title=sec.title, title_justify="left", show_lines=False)
        table.add_column("", width=1)
        table.add_column("check")
        table.add_column("result", justify="right")
        table.add_column("reference", justify="right")
        table.add_column("source", style="dim")
        for check in sec.checks:
            mark = "[green]✓[/green]" if check.passed else "[red]✗[/red]"
            value, reference = format_value(check.value, "x"), format_value(check.reference, "x")
            table.add_row(mark, check.name, value, reference, check.reference_source)
        console.print(table)
        if sec.error:
            console.print(f"[red]✗ section {sec.name} failed: {sec.error}[/red]")
    colour = "green" if report.n_failed == 0 else "red"
    console.print(f"[{colour}]{report.n_passed} passed, {report.n_failed} failed[/{colour}]")


# --- running a command: exit codes and one-line errors ------------------------------------------
def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"{PROG}: warning: {_one_line(message)}", file=sys.stderr)


def _usage_error_line(exc) -> str:
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else PROG
    return f"{where}: error: {_one_line(exc.format_message())} (see '{where} --help')"


def _command_path(group, args) -> str:
    """'mlfoundations pca' when ``args`` name a command (after the global options), else PROG."""
    name = next((a for a in args if a != "--debug"), None)
    return f"{PROG} {name}" if name in getattr(group, "commands", {}) else PROG


def main(argv=None) -> int:
    """Entry point of the ``mlfoundations`` console script; returns the exit status."""
    try:
        import typer
        from typer.main import get_command

        from ._data import CLIError

        command = get_command(_build_app())
    except ImportError as exc:
        return _missing_extra(exc)
    args = sys.argv[1:] if argv is None else [str(a) for a in argv]
    state = State(debug=args[:1] == ["--debug"])  # the callback sets it too, once parsing works
    with warnings.catch_warnings():
        # the same behaviour whoever calls main(): every warning shown, as one line
        warnings.simplefilter("default")
        warnings.showwarning = _show_warning
        try:
            code = command.main(args=args, prog_name=PROG, standalone_mode=False, obj=state)
        except typer.TyperException as exc:  # Typer's (vendored Click's) usage and other errors
            message = _one_line(exc.format_message())
            if type(exc).__name__ == "NoArgsIsHelpError":
                if message:  # Typer has printed the help already when the message is empty
                    print(exc.format_message(), file=sys.stderr)
            elif exc.exit_code == 2:
                print(_usage_error_line(exc), file=sys.stderr)
            else:
                print(f"{PROG}: error: {message}", file=sys.stderr)
            return exc.exit_code
        except typer.Abort:
            print(f"{PROG}: aborted", file=sys.stderr)
            return 1
        except CLIError as exc:
            if state.debug:
                traceback.print_exc()
            print(f"{_command_path(command, args)}: error: {_one_line(exc)}", file=sys.stderr)
            return exc.exit_code
        except KeyboardInterrupt:
            print(f"{PROG}: interrupted", file=sys.stderr)
            return 130
        except Exception as exc:  # a bug: one line, the traceback only when asked for
            if state.debug:
                traceback.print_exc()
                hint = ""
            else:
                hint = " (run 'mlfoundations --debug ...' for the traceback)"
            print(f"{PROG}: internal error: {type(exc).__name__}: {_one_line(exc)}{hint}", file=sys.stderr)
            return 1
    return int(code or 0) if isinstance(code, int) else 0
