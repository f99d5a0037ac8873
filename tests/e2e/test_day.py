"""The advisor's day in the real window: a salon's 7-3-1 calls on Today as the days pass, answers
recorded in place, a birthday greeted and found in the timeline."""

import sqlite3

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import cli


def add(book, *args):
    return cli(book, "clients", "add", *args, "--json", json_out=True)["id"]


def calls_on_today(app):
    """The salon calls Today shows: {item id: reason}."""
    app.by("today-total")
    # One read of the page: the list re-renders after each answer.
    pairs = app.js(
        "return [...document.querySelectorAll('[data-testid=today-item][data-kind=salon_call]')]"
        ".map(e => [e.dataset.id, e.querySelector('[data-testid=today-reason]').innerText])"
    )
    return dict(pairs)


def item(app, item_id):
    return next(i for i in app.all("today-item") if i.get_attribute("data-id") == item_id)


def test_a_salon_s_calls_day_by_day_and_a_birthday_greeted(book_path, launch):
    a = add(book_path, "--name", "周敏华", "--segment", "retiree", "--tier", "vip")
    b = add(book_path, "--name", "吴国栋", "--segment", "retiree", "--tier", "high")
    c = add(book_path, "--name", "郑玉兰", "--segment", "retiree")
    d = add(book_path, "--name", "王德明", "--birthday", "1960-03-11")

    # 2 March 2026: a salon on 12 March for retirees, three suggested clients invited.
    app = launch(book_path, today="2026-03-02")
    app.by("today-total")
    assert app.text("today-date").startswith("2026年3月2日")
    # The page's own timing marks: Today painted once, and the agenda asked and painted.
    app.wait_until(lambda d: app.js("return performance.getEntriesByName('rapport-today-painted').length") == 1)
    agenda = app.js("return performance.getEntriesByName('rapport-agenda')[0].duration")
    painted = app.js("return performance.getEntriesByName('rapport-today-painted')[0].startTime")
    print(f"Today painted {painted:.0f} ms after the page began loading; the agenda asked and painted in {agenda:.0f} ms")
    assert 0 < agenda < 5000 and painted > 0
    app.click("nav-salons")
    # A half-filled form is asked about before Esc drops it.
    app.click("salon-new")
    app.type("salon-title", "草稿")
    app.by("salon-title").send_keys(Keys.ESCAPE)
    assert "还没有保存" in app.text("confirm-dialog")
    app.click("confirm-delete")
    app.wait_until(lambda d_: not app.all("salon-form"))
    app.click("salon-new")
    app.type("salon-title", "养老规划讲座")
    app.type("salon-start", "2026-03-12 14:30")
    app.type("salon-capacity", "20")
    app.click("salon-segment-retiree")
    app.click("salon-save")
    app.wait_until(lambda d_: app.all("salon-page-title") and app.text("salon-page-title") == "养老规划讲座")
    suggested = {s.get_attribute("data-client") for s in app.all("salon-suggestion")}
    assert suggested == {str(a), str(b), str(c)}, "retirees only, highest tier first"
    for box in app.all("salon-suggestion-pick"):
        box.click()
    app.click("salon-invite-picked")
    app.wait_until(lambda d_: len(app.all("invitee-row")) == 3)
    dues = {r.get_attribute("data-due") for r in app.driver.find_elements(By.CSS_SELECTOR, "[data-testid=round-r7]")}
    assert dues == {"2026-03-05"}
    assert app.text("funnel-invited") == "3"
    salon = app.route().split("/")[-1]
    app.screenshot("salon-page")
    app.click("nav-today")
    assert calls_on_today(app) == {}
    app.quit()

    # 5 March: the 7-day round for all three; a decline, a confirmation, no answer.
    app = launch(book_path, today="2026-03-05")
    app.click("nav-today")
    calls = calls_on_today(app)
    assert set(calls) == {f"{salon}/{a}/r7", f"{salon}/{b}/r7", f"{salon}/{c}/r7"}
    app.screenshot("today-salon-calls")
    item(app, f"{salon}/{a}/r7").find_element(By.CSS_SELECTOR, "[data-testid=call-declined]").click()
    app.wait_until(lambda d_: f"{salon}/{a}/r7" not in calls_on_today(app))
    item(app, f"{salon}/{b}/r7").find_element(By.CSS_SELECTOR, "[data-testid=call-confirmed]").click()
    app.wait_until(lambda d_: f"{salon}/{b}/r7" not in calls_on_today(app))
    item(app, f"{salon}/{c}/r7").find_element(By.CSS_SELECTOR, "[data-testid=call-no_answer]").click()
    app.wait_until(lambda d_: calls_on_today(app) == {})
    app.quit()

    # 9 March: the 3-day round only for the one who did not answer.
    app = launch(book_path, today="2026-03-09")
    app.click("nav-today")
    assert set(calls_on_today(app)) == {f"{salon}/{c}/r3"}
    app.quit()

    # 11 March: a reminder for the confirmed guest, an invitation for the undecided one; the
    # birthday of 王德明 (66) is there too, greeted and found in his timeline.
    app = launch(book_path, today="2026-03-11")
    app.click("nav-today")
    calls = calls_on_today(app)
    assert set(calls) == {f"{salon}/{b}/r1", f"{salon}/{c}/r1"}
    assert "提醒" in calls[f"{salon}/{b}/r1"] and "邀约" in calls[f"{salon}/{c}/r1"]
    birthday = f"birthday/client/{d}/2026-03-11"
    assert "66 岁生日" in app.inner(item(app, birthday))
    item(app, birthday).find_element(By.CSS_SELECTOR, "[data-testid=item-done]").click()
    app.wait_until(lambda d_: not app.js("return document.querySelector(`[data-testid=today-item][data-id='${arguments[0]}']`)", birthday))
    app.click("nav-salons")
    app.by("salon-table")
    app.all("salon-row")[0].find_element(By.CSS_SELECTOR, "[data-testid=salon-row-title]").click()
    app.wait_until(lambda d_: app.all("funnel-confirmed") and app.text("funnel-confirmed") == "1")
    assert app.text("funnel-reached") == "2"
    # Moving the salon moves the rounds still ahead and keeps the calls made.
    app.click("salon-move")
    app.type("salon-new-start", "2026-03-20 14:30")
    app.click("salon-move-save")
    app.wait_until(lambda d_: app.js(
        "return document.querySelector(`[data-testid=invitee-row][data-client='${arguments[0]}'] [data-testid=round-r3]`).dataset.due", c) == "2026-03-17")
    row_c = lambda: app.driver.find_element(By.CSS_SELECTOR, f"[data-testid=invitee-row][data-client='{c}']")
    assert row_c().find_element(By.CSS_SELECTOR, "[data-testid=round-r7]").get_attribute("data-state") == "done"
    assert row_c().find_element(By.CSS_SELECTOR, "[data-testid=round-r1]").get_attribute("data-due") == "2026-03-19"
    app.click("nav-today")
    assert calls_on_today(app) == {}
    app.type("search-input", "王德明")
    app.wait_until(lambda d_: app.all("search-hit"))
    app.all("search-hit")[0].click()
    app.wait_until(lambda d_: app.all("timeline-item"))
    assert any("生日问候" in app.inner(t) for t in app.all("timeline-summary"))
    app.quit()

    # 17 March: the moved 3-day round is due; cancelling the salon takes it off Today.
    app = launch(book_path, today="2026-03-17")
    app.click("nav-today")
    assert set(calls_on_today(app)) == {f"{salon}/{c}/r3"}
    app.click("nav-salons")
    app.all("salon-row")[0].find_element(By.CSS_SELECTOR, "[data-testid=salon-row-title]").click()
    app.click("salon-cancel")
    app.click("confirm-delete")
    app.by("salon-cancelled")
    app.click("nav-today")
    assert calls_on_today(app) == {}
    app.quit()

    with sqlite3.connect(book_path) as db:
        assert db.execute("SELECT count(*) FROM salon_calls").fetchone()[0] == 3
        assert db.execute("SELECT state FROM agenda_marks WHERE item_id = ?", (birthday,)).fetchone()[0] == "done"


def test_settings_time_zone_and_morning_notice(book_path, launch):
    cli(book_path, "init")
    app = launch(book_path)
    app.click("nav-settings")
    assert app.by("settings-zone").get_attribute("value") == "Asia/Shanghai"
    app.type("settings-zone", "Mars/Olympus")
    app.click("settings-zone-save")
    app.wait_until(lambda d_: app.all("settings-zone-error"))
    assert "不认识这个时区" in app.text("settings-zone-error")
    app.type("settings-zone", "europe/london")
    app.click("settings-zone-save")
    app.wait_until(lambda d_: app.by("settings-zone").get_attribute("value") == "Europe/London")
    # The morning notice is off until asked for.
    assert not app.by("settings-notice-on").is_selected()
    app.click("settings-notice-on")
    app.type("settings-notice-at", "08:30")
    app.click("settings-notice-save")
    app.wait_until(lambda d_: "08:30" in app.text("toast"))
    app.screenshot("settings")
    app.quit()
    with sqlite3.connect(book_path) as db:
        stored = dict(db.execute("SELECT key, value FROM settings").fetchall())
    # Beside what the advisor set, only the search index's version (this build's, as
    # `rapport check` reports it) is kept there.
    version = cli(book_path, "check", "--json", json_out=True)["search"]["version"]
    assert stored.pop("search_index_version") == str(version)
    assert stored == {"time_zone": "Europe/London", "morning_notice": "08:30"}


def test_a_busy_day_shows_a_page_of_each_group_and_more_from_the_keyboard(tmp_path, launch):
    book = tmp_path / "demo.rapport"
    cli(book, "demo")
    totals = {t["kind"]: t["total"] for t in cli(book, "agenda", "--json", json_out=True)["totals"]}
    kind, total = max(totals.items(), key=lambda kv: kv[1])
    assert total > 20, totals
    app = launch(book)
    app.by("today-total")
    group = f"today-group-{kind}"
    shown = lambda: app.js(f"return document.querySelectorAll('[data-testid={group}] [data-testid=today-item]').length")
    assert shown() == 20
    assert app.text(f"today-count-{kind}") == str(total)
    for k, n in totals.items():
        assert app.js(f"return document.querySelectorAll('[data-testid=today-group-{k}] [data-testid=today-item]').length") == min(n, 20), k
    more = app.by(f"today-more-{kind}")
    assert app.text(f"today-more-{kind}") == f"再显示 {min(total, 100) - 20} 项"
    app.js("arguments[0].focus()", more)
    more.send_keys(Keys.ENTER)
    app.wait_until(lambda d: shown() == min(total, 100))
    if total > 100:
        assert app.text(f"today-more-{kind}") == f"再显示 {min(total, 500) - 100} 项"
    else:
        assert not app.all(f"today-more-{kind}")
    app.quit()
