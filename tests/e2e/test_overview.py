"""The overview's charts in the real window: the figures are the book's (checked against
`rapport overview`), the charts are drawn, and every bar opens the list behind it, by mouse on
the canvas and from the keyboard."""

from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import cli

TODAY = "2026-12-01"
# The charts' fixed margins (OverviewView.vue's GRID): where a bar stands on the canvas.
GRID_LEFT, GRID_RIGHT, GRID_BOTTOM = 56, 16, 36


def canvas_inked(app, testid):
    """Whether the chart's canvas has something drawn on it (not a blank box)."""
    return app.js(
        """const c = document.querySelector(`[data-testid=${arguments[0]}] canvas`);
        if (!c) return false;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) inked++;
        return inked > 500;""",
        testid,
    )


def click_bar(app, testid, index, bars):
    """Click bar `index` of `bars` on a chart's canvas, just above its foot."""
    canvas = app.driver.find_element(By.CSS_SELECTOR, f"[data-testid={testid}] canvas")
    app.js("arguments[0].scrollIntoView({block: 'center'})", canvas)
    left, top, w, h = app.js("const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.width, r.height]", canvas)
    x = left + GRID_LEFT + (index + 0.5) * (w - GRID_LEFT - GRID_RIGHT) / bars
    y = top + h - GRID_BOTTOM - 3
    # Viewport coordinates: WebKitWebDriver refuses offsets from an element's centre.
    actions = ActionBuilder(app.driver)
    actions.pointer_action.move_to_location(int(x), int(y))
    actions.pointer_action.click()
    actions.perform()


def enter_on(app, testid):
    el = app.by(testid)
    app.js("arguments[0].focus()", el)
    el.send_keys(Keys.ENTER)


def test_the_overview_charts_the_book_and_each_bar_opens_its_list(book_path, launch, monkeypatch):
    monkeypatch.setenv("RAPPORT_TODAY", TODAY)
    cli(book_path, "demo", "--clients", "300", "--seed", "7")
    figures = cli(book_path, "overview", "--json", json_out=True)
    app = launch(book_path, today=TODAY)
    app.size(1240, 800)
    app.click("nav-overview")
    app.by("chart-tiers")
    for chart in ("chart-tiers", "chart-aum", "chart-grades", "chart-maturities", "chart-contacts", "chart-salons"):
        app.wait_until(lambda d_, chart=chart: canvas_inked(app, chart))
    # The figures under the charts are the book's.
    for bar in figures["tiers"]:
        assert app.text(f"bar-tier-{bar['tier']}").endswith(f" {bar['clients']}")
    for bar in figures["grades"]:
        assert app.text(f"bar-grade-{bar['grade']}").endswith(f" {bar['clients']}")
    for bar in figures["maturities"]:
        assert app.text(f"bar-month-{bar['month']}").endswith(f" {bar['holdings']}")
    for bar in figures["contacts"]:
        assert app.text(f"bar-week-{bar['week']}").endswith(f" {bar['contacts']}")
    assert sum(b["clients"] for b in figures["grades"]) == 300
    app.screenshot("overview-demo-zh-1240")

    # A mouse click on the tallest tier bar opens the client list of that tier.
    tallest = max(range(4), key=lambda i: figures["tiers"][i]["clients"])
    tier = figures["tiers"][tallest]
    click_bar(app, "chart-tiers", tallest, 4)
    app.wait_until(lambda d_: f"tier={tier['tier']}" in app.route())
    app.wait_until(lambda d_: app.all("client-row"))
    assert app.by("filter-tier").get_attribute("value") == tier["tier"]
    assert str(tier["clients"]) in app.text("list-total")

    # From the keyboard: grade B opens the list of B clients, ordered by grade.
    app.driver.back()
    app.by("chart-grades")
    enter_on(app, "bar-grade-B")
    app.wait_until(lambda d_: "grade=B" in app.route())
    app.wait_until(lambda d_: app.all("client-row-grade"))
    grades = {app.inner(e) for e in app.all("client-row-grade")}
    assert grades == {"B"}, grades
    b = next(g["clients"] for g in figures["grades"] if g["grade"] == "B")
    assert str(b) in app.text("list-total")
    app.screenshot("client-list-grade-b-zh")

    # A month of maturities opens its holdings here, soonest first; Enter opens the client.
    app.driver.back()
    app.by("chart-maturities")
    month = next(m for m in figures["maturities"] if m["holdings"])
    enter_on(app, f"bar-month-{month['month']}")
    app.by("maturing-dialog")
    behind = cli(book_path, "overview", "--month", month["month"], "--json", json_out=True)
    app.wait_until(lambda d_: len(app.all("maturing-row")) == len(behind["rows"]))
    assert behind["total"] == month["holdings"]
    app.screenshot("overview-maturing-zh")
    # The first row has the focus; ↓ walks to the second, Enter opens its client.
    app.wait_until(lambda d_: app.active_testid() == "maturing-row")
    assert app.js("return document.activeElement.dataset.client") == str(behind["rows"][0]["client_id"])
    app.focused().send_keys(Keys.ARROW_DOWN)
    second = str(behind["rows"][1]["client_id"]) if len(behind["rows"]) > 1 else str(behind["rows"][0]["client_id"])
    app.wait_until(lambda d_: app.js("return document.activeElement.dataset.client") == second)
    app.focused().send_keys(Keys.ENTER)
    app.wait_until(lambda d_: app.route().startswith(f"#/clients/{second}"))
    app.by("client-title")

    # This week's contacts, by a click on the canvas; Esc closes the list.
    app.driver.back()
    app.by("chart-contacts")
    app.wait_until(lambda d_: canvas_inked(app, "chart-contacts"))
    weeks = figures["contacts"]
    busiest = max(range(len(weeks)), key=lambda i: weeks[i]["contacts"])
    click_bar(app, "chart-contacts", busiest, len(weeks))
    app.by("week-dialog")
    app.wait_until(lambda d_: len(app.all("week-row")) == min(weeks[busiest]["contacts"], 500))
    app.by("week-close").send_keys(Keys.ESCAPE)
    app.wait_until(lambda d_: not app.all("week-dialog"))

    # A salon's funnel opens the salon page.
    salon = figures["salons"][-1]
    enter_on(app, f"bar-salon-{salon['salon_id']}")
    app.wait_until(lambda d_: app.route() == f"#/salons/{salon['salon_id']}")
    app.by("salon-page")

    # In English at 1024×700, the same figures.
    app.click("nav-overview")
    app.click("lang-toggle")
    app.wait_until(lambda d_: app.js("return document.documentElement.lang") == "en")
    app.size(1024, 700)
    app.wait_until(lambda d_: "Clients by tier" in app.text("chart-tiers"))
    app.wait_until(lambda d_: canvas_inked(app, "chart-maturities"))
    app.screenshot("overview-demo-en-1024")


def test_an_empty_book_has_no_charts_but_says_why(book_path, launch):
    cli(book_path, "init")
    app = launch(book_path, today=TODAY)
    app.size(1024, 700)
    app.click("nav-overview")
    assert "客户簿还是空的" in app.text("overview-empty")
    app.screenshot("overview-empty-zh-1024")
