"""The HTML report: one self-contained page per tour, and what a real browser makes of it."""

import base64
import io
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from PIL import Image  # noqa: E402  (matplotlib depends on Pillow)

from mlfoundations.cli import tour as tour_module  # noqa: E402
from mlfoundations.cli._report_sections import SECTION_CONTENT  # noqa: E402
from mlfoundations.cli.report import render_report, write_report  # noqa: E402
from mlfoundations.cli.tour import format_value as _format_value  # noqa: E402
from mlfoundations.cli.tour import Check, SectionReport, TourReport, run_tour  # noqa: E402

PILLARS = ["linear-algebra", "calculus", "probability", "statistics", "regression", "information"]


class Page(HTMLParser):
    """Every start tag with its attributes, the text of each section, the title."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.section: str | None = None
        self.sections: dict[str, list[tuple[str, dict]]] = {}
        self.texts: dict[str, list[str]] = {}
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "section":
            self.section = attrs["id"]
            self.sections[self.section] = []
            self.texts[self.section] = []
        elif self.section is not None:
            self.sections[self.section].append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "section":
            self.section = None

    def handle_data(self, data):
        if self.section is not None:
            self.texts[self.section].append(data)


@pytest.fixture(scope="module")
def tour_report():
    return run_tour()


@pytest.fixture(scope="module")
def report(tmp_path_factory, tour_report):
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert write_report(path, tour_report) == path
    return path


def test_one_self_contained_page_per_tour(report, tour_report):
    text = report.read_text(encoding="utf-8")
    page = Page(text)
    tags = [tag for tag, _ in page.tags]
    # no script, no external resource of any kind
    assert "script" not in tags and "link" not in tags and "iframe" not in tags and "object" not in tags
    assert "<script" not in text.lower() and "@import" not in text and "url(" not in text
    for _, attrs in page.tags:
        for name, value in attrs.items():
            if name in ("src", "href", "srcset", "action", "data"):
                assert value.startswith(("data:image/png;base64,", "#")), (name, value[:60])
    assert re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE) is None
    # a section per pillar, each with its formulas, its table of numbers and its pictures
    assert list(page.sections) == PILLARS
    for name, section_tags in page.sections.items():
        section = next(s for s in tour_report.sections if s.name == name)
        rows = [attrs for tag, attrs in section_tags if tag == "tr" and "class" in attrs]
        assert len(rows) == len(section.checks) > 0
        assert [r["class"] for r in rows] == ["passed" if c.passed else "failed" for c in section.checks]
        assert sum(tag == "dd" for tag, _ in section_tags) == len(SECTION_CONTENT[name].formulas)
        images = [attrs for tag, attrs in section_tags if tag == "img"]
        assert len(images) == len(SECTION_CONTENT[name].figures) >= 1
        words = " ".join(page.texts[name])
        assert f"{section.n_passed} passed, {section.n_failed} failed" in words
        for check in section.checks:
            assert check.name in words
    assert f"{tour_report.n_passed} passed, {tour_report.n_failed} failed" in text


def test_every_image_is_a_png_of_the_stated_size(report):
    images = [attrs for tag, attrs in Page(report.read_text(encoding="utf-8")).tags if tag == "img"]
    assert len(images) == sum(len(c.figures) for c in SECTION_CONTENT.values())
    for attrs in images:
        png = base64.b64decode(attrs["src"].removeprefix("data:image/png;base64,"), validate=True)
        picture = Image.open(io.BytesIO(png))
        assert picture.format == "PNG"
        assert abs(picture.size[0] - int(attrs["width"])) <= 2 and abs(picture.size[1] - int(attrs["height"])) <= 2
        pixels = np.asarray(picture.convert("L"), dtype=float)
        assert pixels.std() > 10  # a drawing, not an empty canvas
        assert attrs["alt"]


def test_formulas_are_typeset_and_every_check_is_in_the_table(report):
    text = report.read_text(encoding="utf-8")
    assert "x<sub>t+1</sub> = x<sub>t</sub> − η ∇f(x<sub>t</sub>)" in text
    assert "ŷ(x) ± t<sub>n−p, 0.975</sub> √(zᵀ Cov(β̂) z)" in text
    assert "H(p) = −Σᵢ pᵢ log₂ pᵢ" in text


def hostile_report() -> TourReport:
    sections = [
        SectionReport(
            "custom", "<i>Custom</i> & co",
            checks=[
                Check("<script>alert('x')</script>", 1.0, 1.0, 'a "quoted" <source>'),
                Check("1 + 1 = 3?", 2.0, 3.0, "arithmetic"),
                Check("array", np.arange(12.0).reshape(3, 4), np.arange(12.0).reshape(3, 4), "x", rtol=0.0, atol=1e-9),
            ],
            error="ValueError: <bad> & worse",
        )
    ]
    return TourReport(sections)


def test_text_is_escaped_and_failures_are_marked():
    text = render_report(hostile_report())
    assert "<script>" not in text and "<i>Custom</i>" not in text and "<bad>" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "&lt;i&gt;Custom&lt;/i&gt; &amp; co" in text
    assert "a &quot;quoted&quot; &lt;source&gt;" in text
    assert "the section stopped with an error: ValueError: &lt;bad&gt; &amp; worse" in text
    page = Page(text)
    rows = [attrs["class"] for tag, attrs in page.sections["custom"] if tag == "tr" and "class" in attrs]
    assert rows == ["passed", "failed", "passed"]
    assert "✗ failed" in text and "✓ passed" in text
    assert "2 passed, 2 failed" in text  # the error counts as a failure
    assert "(3 x 4) [0, 1, 2, 3, …]" in text and "atol 1e-09" in text
    # a section the report has no pictures for gets its table only
    assert not any(tag in ("img", "dl") for tag, _ in page.sections["custom"])


def test_format_value():
    assert _format_value(True) == "True" and _format_value(np.bool_(False)) == "False"
    assert _format_value(1 / 3) == "0.3333333333" and _format_value(32) == "32"
    assert _format_value("Gamma") == "Gamma"
    assert _format_value([1.0, 2.5]) == "[1, 2.5]"
    assert _format_value(np.zeros(6)) == "(6) [0, 0, 0, 0, …]"
    assert _format_value(1 + 2j) == "1+2j"
    assert _format_value(None) == "None"


def test_write_report_runs_the_tour_when_not_given_one(tmp_path, monkeypatch):
    calls = []

    def fake_tour(sections=None):
        calls.append(sections)
        return TourReport([SectionReport("statistics", "Statistics", [Check("t", 1.0, 1.0, "x")])])

    monkeypatch.setattr(tour_module, "run_tour", fake_tour)
    path = write_report(str(tmp_path / "r.html"))
    assert calls == [None] and isinstance(path, Path)
    page = Page(path.read_text(encoding="utf-8"))
    assert list(page.sections) == ["statistics"]
    assert sum(tag == "img" for tag, _ in page.sections["statistics"]) == 1


def test_write_report_replaces_a_file_and_refuses_bad_places(tmp_path):
    small = TourReport([SectionReport("custom", "Custom", [Check("c", 1.0, 1.0, "x")])])
    target = tmp_path / "out.html"
    target.write_text("old")
    assert write_report(target, small) == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]  # no temporary file left
    with pytest.raises(FileNotFoundError, match="the directory .*missing does not exist"):
        write_report(tmp_path / "missing" / "r.html", small)
    with pytest.raises(IsADirectoryError, match="is a directory; give a file name"):
        write_report(tmp_path, small)


def test_a_failing_figure_propagates_and_nothing_is_written(tmp_path, monkeypatch):
    from mlfoundations.cli import _report_sections

    def broken():
        raise RuntimeError("figure bug")

    content = _report_sections.SectionContent("intro", (("f", "x"),), (("caption", broken),))
    monkeypatch.setitem(_report_sections.SECTION_CONTENT, "custom", content)
    small = TourReport([SectionReport("custom", "Custom", [Check("c", 1.0, 1.0, "x")])])
    with pytest.raises(RuntimeError, match="figure bug"):
        write_report(tmp_path / "r.html", small)
    assert list(tmp_path.iterdir()) == []


# --- a real browser -------------------------------------------------------------------------
def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium binary on PATH (chromium, chromium-browser, google-chrome); "
    "CI installs Debian's chromium package",
)

# Appended to a copy of the report (the report itself has no script): after the load
# event, the state of every image and where it was laid out go into the title, which
# --dump-dom prints.
PROBE = """<script>
addEventListener('load', function () {
  var images = Array.from(document.images, function (img) {
    var r = img.getBoundingClientRect();
    return [img.complete, img.naturalWidth, img.naturalHeight,
            Math.round(r.left + scrollX), Math.round(r.top + scrollY), Math.round(r.width), Math.round(r.height)];
  });
  document.title = 'PROBE ' + JSON.stringify({images: images, height: document.documentElement.scrollHeight});
});
</script>"""
WIDTH = 1280


def chromium(tmp_path, *args, window_height=900):
    profile = tmp_path / "chromium-profile"
    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path))
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
        "--force-device-scale-factor=1", f"--user-data-dir={profile}", f"--window-size={WIDTH},{window_height}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def probe(tmp_path, html_text: str, name: str) -> dict:
    page = tmp_path / name
    page.write_text(html_text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", page.as_uri())
    found = re.search(r"<title>PROBE (.*?)</title>", dom)
    assert found, "the probe did not run: " + dom[:300]
    return json.loads(found.group(1))


@needs_chromium
def test_report_renders_in_headless_chromium(report, tmp_path):
    text = report.read_text(encoding="utf-8")
    n_images = text.count("<img ")
    layout = probe(tmp_path, text, "probe.html")
    images = layout["images"]
    assert len(images) == n_images == sum(len(c.figures) for c in SECTION_CONTENT.values())
    for complete, natural_width, natural_height, *_ in images:
        assert complete and natural_width > 0 and natural_height > 0  # no broken image

    # the check can fail: a copy with one corrupt image is caught
    broken = re.sub(r'src="data:image/png;base64,[^"]*"', 'src="data:image/png;base64,AAAA"', text, count=1)
    bad = probe(tmp_path, broken, "broken.html")["images"]
    assert bad[0][1] == 0 and all(img[1] > 0 for img in bad[1:])

    # a screenshot of the whole page: not blank, and every figure painted where it was laid out
    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", report.as_uri(), window_height=layout["height"])
    pixels = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert pixels.shape[1] == WIDTH and pixels.shape[0] >= 0.95 * layout["height"]
    assert pixels.std() > 20
    for _, _, _, left, top, width, height in images:
        region = pixels[top + 2: top + height - 2, left + 2: left + width - 2]
        assert region.size > 0.9 * (width - 4) * (height - 4)
        assert region.std() > 10 and (region < 200).mean() > 0.01  # ink, not an empty box


def test_tour_report_option_writes_the_page_and_refuses_to_overwrite(tmp_path, capsys):
    from mlfoundations.cli.main import main

    out = tmp_path / "report.html"
    assert main(["tour", "--section", "information", "--report", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Information theory" in html and "<img" in html and "http://" not in html
    assert "report written to" in capsys.readouterr().err
    before = out.stat().st_mtime_ns
    assert main(["tour", "--section", "information", "--report", str(out)]) == 2
    assert "--force" in capsys.readouterr().err and out.stat().st_mtime_ns == before
    assert main(["tour", "--section", "information", "--report", str(out), "--force"]) == 0
