"""The tour as one self-contained HTML page: per pillar the formula, the numbers, the picture.

:func:`write_report` runs the tour (or takes its result), draws the figures of
:mod:`mlfoundations.plotting` and writes a single HTML file: figures are embedded as
base64 PNG ``data:`` URLs, the style sheet is inline, and there is no script and no
external reference, so the file opens anywhere, offline, and can be mailed as is.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
import secrets
from datetime import datetime, timezone
from pathlib import Path

from .tour import format_value

__all__ = ["write_report", "render_report"]

#: resolution of the embedded PNGs (figures are 4-5 inches a panel)
_DPI = 90

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       margin: 0 auto; max-width: 1150px; padding: 1.5em 2em 4em; color: #1b1b1b; line-height: 1.45; }
h1 { margin-bottom: 0.2em; }
h2 { border-bottom: 2px solid #1f77b4; padding-bottom: 0.2em; margin-top: 2.2em; }
.meta { color: #555; }
.summary { font-size: 1.15em; font-weight: 600; }
.summary.ok, .pass { color: #17733a; }
.summary.bad, .fail { color: #b3261e; }
nav ol { columns: 2; }
table { border-collapse: collapse; width: 100%; font-size: 0.88em; margin: 0.8em 0 1.2em;
        table-layout: fixed; }
col.mark { width: 6.5em; } col.name { width: 30%; } col.num { width: 20%; } col.tol { width: 8em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #f3f6f9; }
td.num { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; text-align: right; }
td.mark { font-weight: 700; }
tr.failed { background: #fdecea; }
.figures { display: flex; flex-wrap: wrap; gap: 1em 1.5em; align-items: flex-start; }
dl.formulas { background: #f7f7f2; border-left: 4px solid #bcbd22; padding: 0.6em 1em; }
dl.formulas dt { font-weight: 600; margin-top: 0.4em; }
dl.formulas dd { font-family: "DejaVu Serif", Cambria, "Times New Roman", serif; font-size: 1.05em;
                 margin-left: 1.2em; }
figure { margin: 0; max-width: 100%; }
figure img { max-width: 100%; height: auto; border: 1px solid #e3e3e3; }
figcaption { color: #444; font-size: 0.92em; margin-top: 0.3em; }
.error { background: #fdecea; border: 1px solid #b3261e; padding: 0.6em 1em; }
"""


def _escape(text) -> str:
    return html.escape(str(text), quote=True)


def _math_html(formula: str) -> str:
    """Escape a plain-text formula, then typeset ``a_{b}``, ``a_b`` (one character) and
    ``a^{b}`` as sub- and superscripts (the braces and underscores survive escaping)."""
    text = _escape(formula)
    text = re.sub(r"_\{([^{}]*)\}", r"<sub>\1</sub>", text)
    text = re.sub(r"\^\{([^{}]*)\}", r"<sup>\1</sup>", text)
    return re.sub(r"_([A-Za-z0-9])(?![A-Za-z0-9])", r"<sub>\1</sub>", text)


def _tolerance(check) -> str:
    parts = []
    if check.rtol:
        parts.append(f"rtol {check.rtol:g}")
    if check.atol:
        parts.append(f"atol {check.atol:g}")
    return ", ".join(parts) or "exact"


def _figure_png(fig) -> tuple[str, int, int]:
    """The figure as a base64 PNG and its size in pixels."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI, facecolor="white")
    width, height = (int(round(v)) for v in fig.get_size_inches() * _DPI)
    return base64.b64encode(buffer.getvalue()).decode("ascii"), width, height


def _checks_table(section) -> list[str]:
    rows = [
        "<table>",
        '<colgroup><col class="mark"><col class="name"><col class="num"><col class="num"><col>'
        '<col class="tol"></colgroup>',
        "<thead><tr><th></th><th>check</th><th>result</th><th>reference</th>"
        "<th>source of the reference</th><th>tolerance</th></tr></thead>",
        "<tbody>",
    ]
    for check in section.checks:
        passed = check.passed
        mark = '<td class="mark pass">✓ passed</td>' if passed else '<td class="mark fail">✗ failed</td>'
        rows.append(
            f'<tr class="{"passed" if passed else "failed"}">{mark}<td>{_escape(check.name)}</td>'
            f'<td class="num">{_escape(format_value(check.value))}</td>'
            f'<td class="num">{_escape(format_value(check.reference))}</td>'
            f"<td>{_escape(check.reference_source)}</td><td>{_escape(_tolerance(check))}</td></tr>"
        )
    rows += ["</tbody>", "</table>"]
    return rows


def _section_html(section, content) -> list[str]:
    anchor = _escape(section.name)
    ok = section.n_failed == 0
    out = [
        f'<section id="{anchor}">',
        f"<h2>{_escape(section.title)}</h2>",
        f'<p class="summary {"ok" if ok else "bad"}">{section.n_passed} passed, {section.n_failed} failed</p>',
    ]
    if content is not None:
        out.append(f"<p>{_escape(content.intro)}</p>")
        out.append('<dl class="formulas">')
        for what, formula in content.formulas:
            out.append(f"<dt>{_escape(what)}</dt><dd>{_math_html(formula)}</dd>")
        out.append("</dl>")
    out.append("<h3>The numbers</h3>")
    if section.error:
        out.append(f'<p class="error">✗ the section stopped with an error: {_escape(section.error)}</p>')
    if section.checks:
        out += _checks_table(section)
    if content is not None and content.figures:
        out.append("<h3>The pictures</h3>")
        out.append('<div class="figures">')
        for number, (caption, build) in enumerate(content.figures, start=1):
            data, width, height = _figure_png(build())
            alt = f"{section.title}, figure {number}: {caption}"
            out.append(
                f'<figure><img src="data:image/png;base64,{data}" width="{width}" height="{height}" '
                f'alt="{_escape(alt)}"><figcaption style="max-width: {width}px">Figure {number}. '
                f"{_escape(caption)}</figcaption></figure>"
            )
        out.append("</div>")
    out.append("</section>")
    return out


def render_report(tour_report) -> str:
    """The HTML text of the report (what :func:`write_report` writes).

    Parameters
    ----------
    tour_report : TourReport
        The result of :func:`mlfoundations.cli.tour.run_tour`.

    Returns
    -------
    str
        A complete HTML document: a header with the overall count, then one section
        per tour section, in the tour's order.
    """
    from .. import __version__
    from ._report_sections import SECTION_CONTENT

    ok = tour_report.n_failed == 0
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>mlfoundations report: the mathematics of machine learning, checked</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>mlfoundations: the mathematics of machine learning, checked</h1>",
        f'<p class="meta">mlfoundations {_escape(__version__)}, generated {_escape(when)}. '
        "Each section gives the formulas, the tour's results beside their reference values, and the pictures.</p>",
        f'<p class="summary {"ok" if ok else "bad"}">{tour_report.n_passed} passed, {tour_report.n_failed} failed</p>',
        "<nav><ol>",
    ]
    for section in tour_report.sections:
        mark = "✓" if section.n_failed == 0 else "✗"
        parts.append(f'<li><a href="#{_escape(section.name)}">{_escape(section.title)}</a> {mark}</li>')
    parts += ["</ol></nav>", "</header>", "<main>"]
    for section in tour_report.sections:
        parts += _section_html(section, SECTION_CONTENT.get(section.name))
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def write_report(path, tour_report=None) -> Path:
    """Write the tour as one self-contained HTML file.

    Parameters
    ----------
    path : str or os.PathLike
        Where to write; an existing file is replaced (the command line asks for
        ``--force`` first). The directory must exist.
    tour_report : TourReport, optional
        The result of :func:`mlfoundations.cli.tour.run_tour`; by default the whole
        tour is run.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    FileNotFoundError
        If the directory of ``path`` does not exist.
    IsADirectoryError
        If ``path`` is a directory.

    Notes
    -----
    One section per tour section (linear algebra, calculus, probability, statistics —
    tests and intervals, statistics — regression, information theory): the formulas
    in plain text, the checks as a table with a passed/failed mark, then the
    figures as base64 PNG images. The page has no script and no external URL. The
    file is written to a temporary name beside ``path`` and renamed, so a failure
    never leaves half a report; an error while drawing a figure propagates (a failing
    picture is a bug, never hidden) and nothing is written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from mlfoundations.cli.tour import Check, SectionReport, TourReport
    >>> tour = TourReport([SectionReport("custom", "Custom", [Check("1 + 1", 2.0, 2.0, "arithmetic")])])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_report(pathlib.Path(folder) / "report.html", tour)
    ...     "1 passed, 0 failed" in path.read_text(encoding="utf-8")
    True
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a directory; give a file name such as {path / 'report.html'}")
    directory = path.parent
    if not directory.is_dir():
        raise FileNotFoundError(f"cannot write {path}: the directory {directory} does not exist")
    if tour_report is None:
        from .tour import run_tour

        tour_report = run_tour()
    text = render_report(tour_report)
    # a fresh name beside the target (so the rename stays on one file system), opened
    # with "x" so that it gets the usual permissions and never clobbers anything
    temporary = directory / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with open(temporary, "x", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path
