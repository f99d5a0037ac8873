"""The client book end to end in the real window: create, family, visit, search, relaunch."""

import sqlite3

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select

from conftest import advisor_today


def count_rows(book, table):
    with sqlite3.connect(book) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_client_family_visit_search_survive_relaunch(book_path, launch):
    app = launch(book_path)
    rss, pss = app.app_memory_mb() or (0, 0)
    print(f"cold start to usable window: {app.startup_seconds:.2f} s; app process {rss:.0f} MB RSS, {pss:.0f} MB PSS")
    # No book yet: the app offers an empty or a demo book.
    assert "欢迎使用客户簿" in app.text("welcome")
    app.click("welcome-empty")
    app.click("nav-clients")
    app.by("list-empty-book")
    assert app.text("list-total") == "共 0 位客户"

    app.click("new-client")
    app.type("field-name", "张三丰")
    app.type("field-phone", "138 0013 8000")
    app.select("field-calendar", "lunar")
    app.type("field-birthday", "1956-08-15")
    app.select("field-tier", "vip")
    app.click("field-segment-retiree")
    app.type("field-hobbies", "太极拳、书法")
    app.click("save-client")
    assert app.text("client-title") == "张三丰"
    assert app.text("fact-birthday") == "农历1956年八月十五"

    app.click("family-open-form")
    app.type("family-name", "李秀英")
    app.select("family-relation", "spouse")
    app.type("family-birthday", "1958-03-02")
    app.type("family-notes", "喜欢真丝围巾，忌讳送钟")
    app.click("family-add")
    app.wait_until(lambda d: len(app.all("family-item")) == 1)
    assert app.all("family-item")[0].get_attribute("data-name") == "李秀英"

    # Logging a visit: the form is ready with now and phone; type and Ctrl+Enter.
    assert app.by("contact-channel").get_attribute("value") == "phone"
    summary = app.type("contact-summary", "客户计划明年送孙子去新西兰游学，想了解外汇额度")
    app.type("contact-follow-up", "发送游学外汇方案")
    summary.send_keys(Keys.CONTROL, Keys.ENTER)
    app.wait_until(lambda d: len(app.all("timeline-item")) == 1)
    assert "新西兰游学" in app.all("timeline-summary")[0].text
    assert len(app.all("open-follow-up")) == 1

    # Search a word from the visit note, straight from the client page: the client is found
    # and the word highlighted.
    app.type("search-input", "游学")
    app.wait_until(lambda d: len(app.all("search-hit")) >= 1)
    hit = app.all("search-hit")[0]
    assert hit.get_attribute("data-name") == "张三丰"
    marks = [m.text for m in hit.find_elements(By.TAG_NAME, "mark")]
    assert "游学" in marks
    app.screenshot("search-hit")
    # The page's own timing marks: from the search firing (debounce excluded) to the hits
    # painted, and from the page loading to the window knowing its book.
    app.wait_until(lambda d: app.js("return performance.getEntriesByName('rapport-search').length") == 1)
    painted = app.js("return performance.getEntriesByName('rapport-search')[0].duration")
    ready = app.js("return performance.getEntriesByName('rapport-ready')[0].startTime")
    print(f"search painted {painted:.1f} ms after it fired; window ready {ready:.0f} ms after the page began loading")
    assert 0 < painted < 5000 and 0 < ready
    app.quit()

    # Relaunch on the same book: the window reopens the client page it left, and everything is
    # still there; back leads to the list.
    app = launch(book_path)
    assert app.text("client-title") == "张三丰"
    app.wait_until(lambda d: len(app.all("family-item")) == 1 and len(app.all("timeline-item")) == 1)
    assert "新西兰游学" in app.all("timeline-summary")[0].text
    app.screenshot("client-page")
    app.click("back")
    app.by("client-table")
    assert [r.get_attribute("data-name") for r in app.all("client-row")] == ["张三丰"]
    app.quit()

    # The book on disk holds exactly what was entered.
    assert count_rows(book_path, "clients") == 1
    assert count_rows(book_path, "family_members") == 1
    assert count_rows(book_path, "contacts") == 1


def test_bad_input_gets_a_clear_message_and_changes_nothing(book_path, launch):
    app = launch(book_path)
    app.click("welcome-empty")
    app.click("nav-clients")
    app.by("list-empty-book")
    app.click("new-client")

    app.click("save-client")
    assert app.text("form-error") == "姓名不能为空"

    app.type("field-name", "王五")
    app.type("field-birthday", "2025-02-30")
    app.click("save-client")
    app.wait_until(lambda d: "生日" in app.text("form-error"))
    assert app.text("form-error") == "生日这一天不存在，请检查年、月、日"

    app.type("field-birthday", "1980-02-29")
    app.type("field-phone", "138abc")
    app.click("save-client")
    app.wait_until(lambda d: "手机" in app.text("form-error"))
    assert "只能包含数字" in app.text("form-error")
    # Cancelling a filled form asks first.
    app.click("cancel-client")
    assert "还没有保存" in app.text("confirm-dialog")
    app.click("confirm-delete")
    app.wait_until(lambda d: not app.all("client-form"))
    app.quit()
    assert count_rows(book_path, "clients") == 0


def test_demo_book_and_english(book_path, launch):
    app = launch(book_path)
    app.click("welcome-demo")
    app.by("demo-notice")
    assert not book_path.exists(), "the demo opens in its own file, not in the advisor's book"
    app.click("nav-clients")
    app.wait_until(lambda d: app.text("list-total") == "共 200 位客户")
    assert len(app.all("client-row")) == 50
    app.select("filter-tier", "private")
    app.wait_until(lambda d: all(r.text for r in app.all("client-row")) and "共 200" not in app.text("list-total"))
    app.screenshot("client-list")

    # Keyboard: "/" jumps to search (pinyin "zh" finds 张, 赵, 郑 …), Esc clears it, Ctrl+N adds.
    body = app.driver.find_element(By.TAG_NAME, "body")
    body.send_keys("/")
    app.wait_until(lambda d: app.active_testid() == "search-input")
    app.focused().send_keys("zh")
    app.wait_until(lambda d: len(app.all("search-hit")) >= 1)
    hits = app.all("search-hit")
    assert all(h.find_element(By.CSS_SELECTOR, ".badge").text == "姓名" for h in hits)
    assert any(h.get_attribute("data-name").startswith("张") for h in hits)
    app.focused().send_keys(Keys.ESCAPE)
    app.by("client-table")
    body.send_keys(Keys.CONTROL, "n")
    app.by("client-form")
    app.click("cancel-client")

    app.click("lang-toggle")
    app.wait_until(lambda d: "clients" in app.text("list-total"))
    assert app.text("new-client") == "+ New client"
    app.click("lang-toggle")
    app.quit()


def test_the_demo_book_stays_apart_from_the_advisors_own(tmp_path, launch):
    real = tmp_path / "book.rapport"
    demo = tmp_path / "demo.rapport"
    app = launch(real)
    assert "欢迎使用客户簿" in app.text("welcome")
    assert str(real) in app.text("welcome")
    assert not app.all("demo-notice")
    app.click("welcome-demo")
    assert app.text("demo-notice").startswith("演示客户簿")
    assert "其中的客户都是虚构的" in app.text("demo-notice")
    app.click("nav-clients")
    app.wait_until(lambda d: app.text("list-total") == "共 200 位客户")
    assert app.text("book-count") == "共 200 位客户"
    assert not real.exists(), "looking at the demo makes no real book"
    assert demo.is_file()

    app.click("demo-own-book")
    app.by("welcome")
    assert str(real) in app.text("welcome")
    assert not app.all("demo-notice")
    assert not real.exists(), "the advisor's book is made only when they ask"
    with sqlite3.connect(demo) as db:
        assert db.execute("SELECT value FROM settings WHERE key = 'demo'").fetchone() == ("1",)
    before = demo.read_bytes()

    app.click("welcome-empty")
    app.wait_until(lambda d: app.all("today-total") or app.all("client-table") or app.all("list-empty-book"))
    assert not app.all("demo-notice")
    app.wait_until(lambda d: app.text("book-count") == "共 0 位客户")
    app.click("nav-clients")
    app.by("list-empty-book")
    assert real.is_file()
    assert count_rows(real, "clients") == 0
    with sqlite3.connect(real) as db:
        assert db.execute("SELECT value FROM settings WHERE key = 'demo'").fetchone() is None
    assert demo.read_bytes() == before, "the demo book is left as it was"
    assert count_rows(demo, "clients") == 200
    app.quit()

    # A relaunch opens the advisor's own book, with no word of the demo.
    app = launch(real)
    app.by("book-count")
    assert app.text("book-count") == "共 0 位客户"
    assert not app.all("demo-notice")
    app.quit()


def test_edit_a_visit_resolve_a_complaint_and_delete_with_confirmation(book_path, launch):
    app = launch(book_path)
    app.click("welcome-empty")
    app.click("nav-clients")
    app.by("list-empty-book")
    app.click("new-client")
    app.type("field-name", "欧阳修")
    app.type("field-birthday", "1960-02-29")
    app.click("save-client")
    assert app.text("client-title") == "欧阳修"
    assert "下次生日" in app.text("fact-next_birthday")

    # A complaint, logged and later resolved from the timeline.
    app.click("contact-complaint")
    app.type("contact-summary", "投诉网点排队时间过长")
    app.click("contact-save")
    app.wait_until(lambda d: len(app.all("timeline-item")) == 1)
    edit = app.driver.find_element(By.CSS_SELECTOR, '[data-testid^="contact-edit-"]')
    edit.click()
    form = app.by("contact-edit-form")

    def inside(testid):
        return form.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    assert inside("contact-summary").get_attribute("value") == "投诉网点排队时间过长"
    inside("contact-resolution").send_keys("已开通贵宾预约通道")
    inside("contact-resolved-at").send_keys("2026-02-30")
    inside("contact-save").click()
    app.wait_until(lambda d: form.find_elements(By.CSS_SELECTOR, '[data-testid="contact-error"]'))
    assert inside("contact-error").text == "解决日期这一天不存在，请检查年、月、日"
    app.empty(inside("contact-resolved-at"))
    inside("contact-resolved-at").send_keys(advisor_today().isoformat())
    assert inside("contact-resolved-at").get_attribute("value") == advisor_today().isoformat()
    Select(inside("contact-satisfied")).select_by_visible_text("满意")
    inside("contact-save").click()

    def saved_or_refused(d):
        status = app.js("return document.querySelector('[data-testid=complaint-status]')?.innerText || ''")
        if "已开通贵宾预约通道" in status:
            return "saved"
        # Read in the page in one step: the form closes as the save lands, and an element
        # found a moment before may be gone when its text is asked for.
        errors = app.js(
            "return [...document.querySelectorAll('[data-testid=contact-edit-form] [data-testid=contact-error]')]"
            ".map(e => e.innerText)"
        )
        return next((f"refused: {e}" for e in errors if "不存在" not in e), None)

    assert app.wait_until(saved_or_refused) == "saved"
    assert "满意" in app.text("complaint-status")

    # A follow-up without a contact, then removed again.
    app.type("follow-up-title", "寄送生日贺卡")
    app.click("follow-up-add")
    app.wait_until(lambda d: len(app.all("open-follow-up")) == 1)
    assert "寄送生日贺卡" in app.inner(app.all("open-follow-up")[0])
    app.driver.find_element(By.CSS_SELECTOR, '[data-testid^="follow-up-remove-"]').click()
    assert "寄送生日贺卡" in app.text("confirm-dialog")
    app.click("confirm-delete")
    app.wait_until(lambda d: len(app.all("open-follow-up")) == 0)

    # Deleting asks first; cancelling keeps everything.
    app.driver.find_element(By.CSS_SELECTOR, '[data-testid^="contact-delete-"]').click()
    app.click("confirm-cancel")
    assert len(app.all("timeline-item")) == 1
    app.click("delete-client")
    assert "欧阳修" in app.text("confirm-dialog")
    app.click("confirm-delete")
    app.wait_until(lambda d: "已删除" in app.text("toast"))
    app.by("list-empty-book")
    assert app.text("list-total") == "共 0 位客户"
    app.quit()
    assert count_rows(book_path, "contacts") == 0


def test_a_book_from_a_newer_rapport_is_refused_with_a_clear_message(book_path, launch):
    with sqlite3.connect(book_path) as db:
        db.execute("CREATE TABLE future (x)")
        db.execute("PRAGMA user_version = 999")
    app = launch(book_path)
    assert "更新版本" in app.text("welcome-error")
    assert not app.all("welcome-empty"), "no offer to overwrite an existing book"
    app.quit()
    with sqlite3.connect(book_path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 999
