"""A book of years in the real window: opened, paged, searched and looked at, with the page's
own timing marks. It needs a big book, which takes about two minutes to make, so it runs only
when RAPPORT_BIG_BOOK names one (`rapport --book B demo --clients 100000 --contacts 1000000`);
the figures it prints go to docs/benchmarks.md. Time it as advisors run it, with a release
build: `RAPPORT_APP=$CARGO_TARGET_DIR/release/rapport-app RAPPORT_BIG_BOOK=B bash scripts/e2e.sh -k big_book`."""

import os
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

BIG = os.environ.get("RAPPORT_BIG_BOOK")
pytestmark = pytest.mark.skipif(not BIG, reason="RAPPORT_BIG_BOOK names no big book")


def test_a_big_book_opens_pages_and_searches_in_the_window(launch):
    app = launch(Path(BIG))
    rss, pss = app.app_memory_mb() or (0, 0)
    ready = app.js("return performance.getEntriesByName('rapport-ready')[0].startTime")
    app.wait_until(lambda d: app.js("return performance.getEntriesByName('rapport-today-painted').length") == 1)
    today = app.js("return performance.getEntriesByName('rapport-today-painted')[0].startTime")
    agenda = app.js("return performance.getEntriesByName('rapport-agenda')[0].duration")
    answer = app.js("return performance.getEntriesByName('rapport-agenda-answer')[0].duration")
    print(f"big book: usable {app.startup_seconds:.2f} s after launch; the page knew its book {ready:.0f} ms and painted Today {today:.0f} ms after it began loading (the agenda answered in {answer:.0f} ms, painted in {agenda:.0f} ms); app process {rss:.0f} MB RSS, {pss:.0f} MB PSS")
    app.screenshot("big-book-today")

    app.click("nav-clients")
    app.by("client-table")
    total = app.text("list-total")
    assert "100" in total.replace(",", "").replace(" ", ""), total
    first = [r.get_attribute("data-name") for r in app.all("client-row")]
    app.click("page-next")
    app.wait_until(lambda d: [r.get_attribute("data-name") for r in app.all("client-row")] != first)
    assert len(app.all("client-row")) == len(first)
    app.screenshot("big-book-list-page-2")

    timings = []
    for query in ["留学", "王", "zh", "138", "保险 留学"]:
        app.js("performance.clearMeasures('rapport-search')")
        field = app.type("search-input", query)
        app.wait_until(lambda d: query in app.text("search-count") and app.js("return performance.getEntriesByName('rapport-search').length") >= 1, timeout=30)
        painted = app.js("return performance.getEntriesByName('rapport-search').at(-1).duration")
        hits = len(app.all("search-hit"))
        timings.append(painted)
        print(f"search {query!r}: {hits} hits painted {painted:.1f} ms after it fired; {app.text('search-count')}")
        assert hits > 0, query
        field.send_keys(Keys.ESCAPE)
    app.type("search-input", "留学")
    app.wait_until(lambda d: len(app.all("search-hit")) > 0)
    app.screenshot("big-book-search")
    assert max(timings) < 1000, timings

    # Back to Today, as between calls: the agenda asked again on a warm book.
    app.click("nav-today")
    app.wait_until(lambda d: app.js("return performance.getEntriesByName('rapport-agenda').length") == 2)
    again = app.js("return performance.getEntriesByName('rapport-agenda')[1].duration")
    print(f"Today again: asked and painted in {again:.0f} ms")
    assert app.all("today-item")
