"""Care that fits the person, in the real window: the wife's taboo recorded, a clock planned
for her birthday and warned about, a scarf logged instead and found in the timeline."""

from selenium.webdriver.common.keys import Keys

from conftest import cli


def test_a_clock_for_the_wife_is_warned_about_and_a_scarf_is_logged_instead(book_path, launch):
    cid = cli(book_path, "clients", "add", "--name", "陈建国", "--tier", "vip", "--json", json_out=True)["id"]
    # Her birthday is on the day the window is started on: Today offers to plan a gift.
    wife = cli(book_path, "family", "add", str(cid), "--name", "林美华", "--relation", "spouse", "--birthday", "1968-12-03", "--json", json_out=True)["id"]
    app = launch(book_path, today="2026-12-03")
    app.by("today-total")
    birthday = next(i for i in app.all("today-item") if i.get_attribute("data-kind") == "birthday")
    assert "林美华" in app.inner(birthday)
    birthday.find_element("css selector", "[data-testid=item-plan-gift]").click()
    # The planner opens for her and her birthday.
    app.by("gift-plan")
    assert app.js("return document.querySelector('[data-testid=gift-person]').value") != ""
    assert app.by("gift-occasion").get_attribute("value") == "birthday"
    assert "林美华" in app.text("gift-plan")
    app.by("gift-name").send_keys(Keys.ESCAPE)
    app.wait_until(lambda d_: not app.all("gift-plan"))

    # Her taboo, recorded for her and not for him.
    app.select("pref-person", str(wife))
    app.select("pref-kind", "taboo")
    app.type("pref-text", "忌讳送钟表")
    app.click("pref-add")
    app.wait_until(lambda d_: "忌讳送钟表" in app.text(f"prefs-{wife}"))

    # A clock for her birthday: warned, with the reason.
    app.click("plan-gift")
    app.by("gift-plan")
    app.select("gift-person", str(wife))
    app.select("gift-occasion", "birthday")
    app.type("gift-name", "座钟")
    app.wait_until(lambda d_: app.all("gift-warnings"))
    warnings = app.text("gift-warnings")
    assert "忌讳送钟表" in warnings, warnings
    assert app.all("gift-warning-personal_taboo") and app.all("gift-warning-common_taboo")
    app.size(1240, 800)
    app.screenshot("gift-plan-warning-zh")
    # For him the recorded taboo does not apply (only the common one does).
    from selenium.webdriver.support.select import Select

    Select(app.by("gift-person")).select_by_index(0)
    app.wait_until(lambda d_: not app.all("gift-warning-personal_taboo") and app.all("gift-warning-common_taboo"))
    app.select("gift-person", str(wife))

    # A scarf instead: no warning; logged, it shows on the page and in the timeline.
    app.type("gift-name", "真丝围巾")
    app.wait_until(lambda d_: app.all("gift-clear"))
    app.type("gift-cost", "680")
    app.click("gift-log")
    app.wait_until(lambda d_: not app.all("gift-plan"))
    app.wait_until(lambda d_: "真丝围巾" in app.text("timeline"))
    gift = app.by("timeline-gift")
    assert "林美华" in app.inner(gift) and "生日" in app.inner(gift)
    assert "680" in app.text("care-section")
    # The same scarf again would be a repeat.
    app.click("plan-gift")
    app.select("gift-person", str(wife))
    app.type("gift-name", "真丝围巾")
    app.wait_until(lambda d_: app.all("gift-warning-repeat"))
    app.click("gift-cancel")
    if app.all("confirm-dialog"):
        app.click("confirm-delete")
    app.wait_until(lambda d_: not app.all("gift-plan"))

    # A low satisfaction score opens a follow-up.
    app.select("survey-score", "2")
    app.type("survey-comment", "理财经理换得太勤")
    app.click("survey-add")
    app.wait_until(lambda d_: "2" in app.text("survey-latest"))
    app.js("document.querySelector('[data-testid=care-section]').scrollIntoView()")
    app.screenshot("care-section-zh-1240")
    app.click("lang-toggle")
    app.wait_until(lambda d_: "Care and gifts" in app.text("care-section"))
    app.size(1024, 700)
    app.js("document.querySelector('[data-testid=care-section]').scrollIntoView()")
    app.screenshot("care-section-en-1024")
