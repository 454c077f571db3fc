"""The class report in a real headless Chromium: a class of 30 through the real store,
``callback report``, then the page as a browser shows it.

Chromium is Debian's ``chromium`` package, driven by Playwright for Python with the
system browser's path (Playwright never downloads a browser here). Skipped where
Chromium is not installed, unless ``CALLBACK_REQUIRE_CHROMIUM`` is set (as CI sets it).
"""

from __future__ import annotations

import io
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from report_class import play_class

from game.cli import main

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions"]
"""Headless, and quiet on the network: the browser itself asks for nothing."""

READ_PAGE = """() => {
  const text = (el) => el ? (el.innerText ?? el.textContent).trim() : null;
  const page = {runs: text(document.querySelector('[data-fact=runs]')), doors: {},
                decisions: {}, meters: {}, hands: [], charts: []};
  for (const door of ['closed', 'shut', 'ajar', 'open'])
    page.doors[door] = text(document.querySelector(`[data-fact=door-${door}]`));
  for (const decision of document.querySelectorAll('.decision')) {
    const rows = {};
    for (const row of decision.querySelectorAll('tr[data-choice]'))
      rows[row.dataset.choice] = [text(row.querySelector('[data-fact=count]')),
                                  text(row.querySelector('[data-fact=percent]'))];
    page.decisions[decision.dataset.scene] = rows;
  }
  for (const row of document.querySelectorAll('tr[data-meter]'))
    page.meters[row.dataset.meter] = text(row.querySelector('[data-fact=meter-mean]'));
  for (const cell of document.querySelectorAll('[data-fact=hands]')) page.hands.push(text(cell));
  for (const svg of document.querySelectorAll('svg[role=img]')) {
    const ids = (svg.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
    page.charts.push(svg.getAttribute('aria-label') ||
                     ids.map((id) => text(document.getElementById(id)) || '').join(' '));
  }
  page.headings = [...document.querySelectorAll('h1, h2, h3, h4')].map((h) => h.tagName);
  return page;
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if executable is None:
        if os.environ.get("CALLBACK_REQUIRE_CHROMIUM"):
            pytest.fail("headless Chromium (Debian's chromium) and Playwright are required here")
        pytest.skip("Chromium or Playwright is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def percent(part: int, whole: int) -> str:
    """As a person rounds: half up."""
    return f"{int(100 * part / whole + 0.5)}%"


def test_a_class_of_thirty_in_chromium_shows_the_records_numbers(browser, tmp_path) -> None:
    db = tmp_path / "class.db"
    records = play_class(db, 30)
    page_file = tmp_path / "report.html"
    code = main(["report", "--results", str(db), "--class", "11B", "-o", str(page_file)],
                out=io.StringIO(), err=io.StringIO(), inp=io.StringIO())
    assert code == 0

    context = browser.new_context(viewport={"width": 1100, "height": 900},
                                  offline=True, java_script_enabled=True)
    page = context.new_page()
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: problems.append(f"{message.type}: {message.text}")
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.goto(page_file.as_uri(), wait_until="load")
    page.wait_for_timeout(200)  # anything late would be asked for by now
    shown = page.evaluate(READ_PAGE)

    assert requests == [page_file.as_uri()], "no request beyond the page itself"
    assert problems == []

    assert shown["runs"] == "31"
    assert shown["doors"] == {door: str(sum(r["outcome"] == door for r in records))
                              for door in ("closed", "shut", "ajar", "open")}
    reached = Counter(s["scene"] for r in records for s in r["steps"])
    taken = Counter((s["scene"], s["chosen"]) for r in records for s in r["steps"])
    assert set(shown["decisions"]) == set(reached)
    for scene, rows in shown["decisions"].items():
        for choice, (count, share) in rows.items():
            assert count == str(taken[scene, choice]), (scene, choice)
            assert share == percent(taken[scene, choice], reached[scene]), (scene, choice)
    for meter, mean in shown["meters"].items():
        values = [r["meters"][meter] for r in records]
        assert mean == f"{sum(values) / len(values):.1f}"
    workshop = records[-1]
    assert shown["hands"] == [str(sum(s["votes"].values())) for s in workshop["steps"]]

    # readable without sight or colour: every chart has a name; headings go in order
    assert shown["charts"] and all(len(name) > 20 for name in shown["charts"])
    levels = [int(tag[1]) for tag in shown["headings"]]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))

    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # print: no chart, table or decision split across pages, on A4 and on Letter
    page.emulate_media(media="print")
    unbroken = page.evaluate("""() => [...document.querySelectorAll(
        'figure, table.answers, .decision, ol.questions li')].every(
        (el) => getComputedStyle(el).breakInside === 'avoid')""")
    assert unbroken
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=True)
        assert pdf[:5] == b"%PDF-" and pdf.count(b"/Type /Page\n") + pdf.count(
            b"/Type /Page/") + pdf.count(b"/Type /Page ") >= 2
    context.close()
