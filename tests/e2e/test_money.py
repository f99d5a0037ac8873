"""Money in the real window, from the keyboard: a holding maturing in 8 days added on the client
page, the 7-day and 1-day reminders on Today as the days pass, a competitor's offer compared
against it with every step shown, the comparison kept in the timeline; the At risk list."""

from selenium.webdriver.common.keys import Keys

from conftest import cli


def item_ids(app, kind):
    return app.js(
        "return [...document.querySelectorAll(`[data-testid=today-item][data-kind=${arguments[0]}]`)].map(e => e.dataset.id)",
        kind,
    )


def test_a_maturity_reminded_7_and_1_days_before_compared_and_saved(book_path, launch):
    cli(book_path, "clients", "add", "--name", "王芳")
    # Tuesday 2026-12-01: the holding matures on Wednesday 12-09.
    app = launch(book_path, today="2026-12-01")
    app.click("nav-clients")
    app.wait_until(lambda d_: len(app.all("client-row")) == 1)
    app.open_row(app.all("client-row")[0])
    app.by("holdings-section")
    app.click("holding-add")
    app.type("holding-product", "安盈半年理财")
    app.select("holding-kind", "wealth")
    app.type("holding-amount", "500000")
    app.type("holding-bought", "2026-06-09")
    app.type("holding-maturity-input", "2026-12-09")
    field = app.type("holding-rate", "3.1")
    field.send_keys(Keys.CONTROL, Keys.ENTER)
    app.wait_until(lambda d_: len(app.all("holding-row")) == 1)
    assert app.by("client-aum").get_attribute("data-fen") == "50000000"
    assert "2026-12-09" in app.text("holding-maturity")
    app.screenshot("client-holdings-zh")

    # A bad amount is refused with a reason, and the form keeps what was typed.
    app.click("holding-add")
    app.type("holding-product", "错填的理财")
    field = app.type("holding-amount", "五十万")
    field.send_keys(Keys.CONTROL, Keys.ENTER)
    app.wait_until(lambda d_: app.all("holding-error"))
    assert "金额" in app.text("holding-error")
    assert app.by("holding-product").get_attribute("value") == "错填的理财"
    app.by("holding-product").send_keys(Keys.ESCAPE)
    assert len(app.all("holding-row")) == 1

    # Today on 12-01: the 7-day call (due Wednesday 12-02) is not yet there; on 12-02 it is.
    holding = cli(book_path, "holdings", "list", "王芳", "--json", json_out=True)["holdings"][0]["id"]
    app.click("nav-today")
    app.by("today-total")
    assert f"maturity/{holding}/7" not in item_ids(app, "maturity")
    app.click("today-next")
    app.wait_until(lambda d_: app.by("today-date").get_attribute("data-day") == "2026-12-02")
    app.wait_until(lambda d_: f"maturity/{holding}/7" in item_ids(app, "maturity"))
    assert "到期" in app.text("today-group-maturity")
    app.screenshot("today-maturity-7-zh")
    # Stepping on to 12-08, the 1-day call; the 7-day one is still there, overdue, until done.
    for day in range(3, 9):
        app.click("today-next")
        app.wait_until(lambda d_, day=day: app.by("today-date").get_attribute("data-day") == f"2026-12-{day:02}")
    app.wait_until(lambda d_: f"maturity/{holding}/1" in item_ids(app, "maturity"))
    assert f"maturity/{holding}/7" in item_ids(app, "maturity")

    # Back on the client page: a competitor offers 3.3% with T+2 and payout 2 days later.
    app.click("today-today")
    app.click("nav-clients")
    app.open_row(app.all("client-row")[0])
    app.click(f"holding-compare-{holding}")
    app.by("compare-dialog")
    assert app.js("return document.activeElement.dataset.testid") == "compare-theirs-rate"
    app.type("compare-theirs-name", "他行稳利")
    app.type("compare-theirs-rate", "3.3")
    app.type("compare-theirs-value-lag", "3")
    field = app.type("compare-theirs-payout-lag", "3")
    field.send_keys(Keys.ENTER)
    app.wait_until(lambda d_: app.all("compare-result"))
    steps = app.text("compare-steps")
    assert "实际年化" in steps and "回款日" in steps
    winner = app.by("compare-result").get_attribute("data-winner")
    assert winner in ("ours", "theirs")
    app.screenshot("compare-zh")
    app.click("compare-save")
    app.wait_until(lambda d_: not app.all("compare-dialog"))
    app.wait_until(lambda d_: any("收益对比" in app.inner(e) for e in app.all("timeline-item")))

    # In English, the same arithmetic in English words.
    app.click("lang-toggle")
    app.click(f"holding-compare-{holding}")
    field = app.type("compare-theirs-rate", "3.3")
    field.send_keys(Keys.ENTER)
    app.wait_until(lambda d_: app.all("compare-result"))
    assert "effective annual rate" in app.text("compare-steps")
    app.size(1024, 700)
    app.screenshot("compare-en-1024")
    app.by("compare-theirs-rate").send_keys(Keys.ESCAPE)
    app.wait_until(lambda d_: not app.all("compare-dialog"))


def test_the_at_risk_list_names_the_signs_and_starts_a_win_back_plan(book_path, launch, monkeypatch):
    monkeypatch.setenv("RAPPORT_TODAY", "2026-12-01")
    cli(book_path, "demo", "--clients", "120", "--seed", "11")
    expected = cli(book_path, "at-risk", "--json", json_out=True)
    assert expected, "the demo book has clients slipping away"
    app = launch(book_path, today="2026-12-01")
    app.click("nav-at-risk")
    app.wait_until(lambda d_: len(app.all("at-risk-row")) == min(200, len(expected)))
    first = app.all("at-risk-row")[0]
    assert expected[0]["name"] in app.inner(first)
    assert len(first.find_elements("css selector", "[data-testid=at-risk-sign]")) == len(expected[0]["signs"])
    app.click("grades-recalculate")
    app.wait_until(lambda d_: "A" in app.text("grade-counts"))
    app.screenshot("at-risk-zh")
    target = next(c for c in expected if c["stage"] != "at_risk")
    app.click(f"win-back-{target['client_id']}")
    app.click("confirm-delete")
    app.wait_until(lambda d_: "挽回计划" in app.text("toast"))
    follow_ups = cli(book_path, "clients", "show", str(target["client_id"]), "--json", json_out=True)
    assert follow_ups["client"]["stage"] == "at_risk"
    titles = [f["title"] for f in follow_ups["open_follow_ups"]]
    assert sum("挽回计划" in t for t in titles) == 3, titles


def test_a_search_with_more_hits_than_shown_says_so_and_shows_more(book_path, launch, monkeypatch):
    monkeypatch.setenv("RAPPORT_TODAY", "2026-12-01")
    cli(book_path, "demo", "--clients", "300", "--seed", "5")
    total = len(cli(book_path, "search", "的", "--limit", "500", "--json", json_out=True))
    assert total > 50
    app = launch(book_path, today="2026-12-01")
    app.type("search-input", "的")
    app.wait_until(lambda d_: len(app.all("search-hit")) == 50)
    assert "超过 50 条" in app.text("search-count")
    app.click("search-more")
    app.wait_until(lambda d_: len(app.all("search-hit")) == min(total, 250))


def test_money_settings_from_the_keyboard_move_the_maturity_notices(book_path, launch, monkeypatch):
    monkeypatch.setenv("RAPPORT_TODAY", "2026-12-01")
    cli(book_path, "clients", "add", "--name", "王芳")
    cli(book_path, "holdings", "add", "王芳", "--product", "一年期定期", "--type", "deposit", "--amount", "100000",
        "--start", "2025-12-15", "--maturity", "2026-12-15")
    app = launch(book_path, today="2026-12-01")
    app.click("nav-settings")
    app.by("money-settings")
    app.wait_until(lambda d_: app.by("money-notice-days").get_attribute("value") == "7,1")
    # A weight that is not a number is refused by name, and nothing changes.
    field = app.type("money-weight-aum", "很多")
    field.send_keys(Keys.ENTER)
    app.wait_until(lambda d_: app.all("money-settings-error"))
    assert app.text("money-settings-error") == "分级权重应为整数"
    assert cli(book_path, "settings", "--json", json_out=True)["maturity_notice_days"] == [7, 1]
    app.type("money-weight-aum", "40")
    field = app.type("money-notice-days", "14，3")
    field.send_keys(Keys.ENTER)
    app.wait_until(lambda d_: "已保存" in app.text("toast"))
    assert cli(book_path, "settings", "--json", json_out=True)["maturity_notice_days"] == [14, 3]
    agenda = cli(book_path, "agenda", "--days", "14", "--json", json_out=True)
    ids = [i["id"] for i in agenda["items"] if i["kind"] == "maturity"]
    assert ids == ["maturity/1/14", "maturity/1/3"], ids
    app.js("document.querySelector('[data-testid=money-settings]').scrollIntoView()")
    app.screenshot("settings-money-zh")
