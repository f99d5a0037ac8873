"""A window an advisor can live in: each finding of trying the app as a new user, end to end."""

import re
import sqlite3
import threading
import time
from datetime import datetime, timedelta

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select

from conftest import advisor_now, advisor_today, cli


def rows(book, sql, *args):
    with sqlite3.connect(book) as db:
        return db.execute(sql, args).fetchall()


def open_client(app, name):
    app.type("search-input", name)
    app.wait_until(lambda d: any(h.get_attribute("data-name") == name for h in app.all("search-hit")))
    next(h for h in app.all("search-hit") if h.get_attribute("data-name") == name).click()
    app.wait_until(lambda d: app.all("client-title") and app.text("client-title") == name)


def add_client(book, *args) -> int:
    return cli(book, "clients", "add", *args, "--json", json_out=True)["id"]


def test_the_list_keeps_its_place_through_a_client_page_back_forward_and_a_relaunch(book_path, launch):
    cli(book_path, "demo", "--clients", "400")
    mass = rows(book_path, "SELECT count(*) FROM clients WHERE tier = 'mass'")[0][0]
    assert mass > 50, "the demo book must give 大众 a second page"
    app = launch(book_path)
    app.click("nav-clients")
    app.by("client-table")
    app.select("filter-tier", "mass")
    app.wait_until(lambda d: app.text("list-total") == f"共 {mass} 位客户")
    app.click("sort-last-contact")
    app.wait_until(lambda d: app.text("sort-last-contact").endswith("↓"))
    app.click("page-next")
    app.wait_until(lambda d: app.text("page-info").startswith("第 2 /"))
    page2 = [r.get_attribute("data-id") for r in app.all("client-row")]
    app.js("document.querySelector('[data-testid=pane]').scrollTop = 400")
    time.sleep(0.4)
    row = app.all("client-row")[18]
    name = row.get_attribute("data-name")
    app.open_row(row)
    app.wait_until(lambda d: app.text("client-title") == name)

    app.click("back")
    app.wait_until(lambda d: app.text("page-info").startswith("第 2 /"))
    assert Select(app.by("filter-tier")).first_selected_option.get_attribute("value") == "mass"
    assert app.text("sort-last-contact").endswith("↓")
    assert [r.get_attribute("data-id") for r in app.all("client-row")] == page2
    app.wait_until(lambda d: abs(app.js("return document.querySelector('[data-testid=pane]').scrollTop") - 400) < 5)

    # Back and forward walk the same places.
    app.driver.back()
    app.wait_until(lambda d: app.text("page-info").startswith("第 1 /"))
    assert Select(app.by("filter-tier")).first_selected_option.get_attribute("value") == "mass"
    app.driver.forward()
    app.wait_until(lambda d: app.text("page-info").startswith("第 2 /"))
    app.quit()

    # A relaunch opens the same view.
    app = launch(book_path)
    app.wait_until(lambda d: app.all("page-info") and app.text("page-info").startswith("第 2 /"))
    assert Select(app.by("filter-tier")).first_selected_option.get_attribute("value") == "mass"
    assert [r.get_attribute("data-id") for r in app.all("client-row")] == page2
    app.quit()


def test_a_logged_contact_gets_the_moment_it_was_saved(book_path, launch):
    cid = add_client(book_path, "--name", "林晓雯")
    app = launch(book_path)
    open_client(app, "林晓雯")
    assert app.by("contact-at").get_attribute("value") == "", "no time is frozen when the page opens"
    # Let the minute turn between opening the page and saving, as between two calls.
    opened_minute = advisor_now().strftime("%H:%M")
    while advisor_now().strftime("%H:%M") == opened_minute:
        time.sleep(1)
    app.type("contact-summary", "电话回访，客户对产品到期安排满意")
    saved_at = advisor_now()
    app.by("contact-summary").send_keys(Keys.CONTROL, Keys.ENTER)
    app.wait_until(lambda d: len(app.all("timeline-item")) == 1)
    stored = rows(book_path, "SELECT at FROM contacts WHERE client_id = ?", cid)[0][0]
    stored_at = datetime.strptime(stored, "%Y-%m-%d %H:%M")
    assert stored_at.strftime("%H:%M") != opened_minute
    assert abs((stored_at - saved_at.replace(second=0, microsecond=0)).total_seconds()) <= 60
    app.quit()


def test_typed_text_is_never_lost(book_path, launch):
    cid = add_client(book_path, "--name", "周慧敏")
    add_client(book_path, "--name", "吴建国")
    app = launch(book_path)
    open_client(app, "周慧敏")
    app.type("contact-summary", "客户想了解子女教育金规划，下周再约")
    time.sleep(0.8)
    app.click("back")
    app.wait_until(lambda d: app.all("search-hit"))
    # Another client's form is not filled with it.
    open_client(app, "吴建国")
    assert app.by("contact-summary").get_attribute("value") == ""
    open_client(app, "周慧敏")
    app.wait_until(lambda d: app.by("contact-summary").get_attribute("value") == "客户想了解子女教育金规划，下周再约")
    assert app.by("draft-restored")
    app.quit()

    # A relaunch keeps it too (in the book, not in web storage); saving clears it.
    assert rows(book_path, "SELECT count(*) FROM drafts")[0][0] == 1
    app = launch(book_path)
    app.wait_until(lambda d: app.all("client-title") and app.text("client-title") == "周慧敏")
    app.wait_until(lambda d: app.by("contact-summary").get_attribute("value").startswith("客户想了解子女教育金"))
    app.by("contact-summary").send_keys(Keys.CONTROL, Keys.ENTER)
    app.wait_until(lambda d: len(app.all("timeline-item")) == 1)
    assert app.by("contact-summary").get_attribute("value") == ""
    time.sleep(0.6)
    assert rows(book_path, "SELECT count(*) FROM drafts")[0][0] == 0
    assert rows(book_path, "SELECT count(*) FROM contacts WHERE client_id = ?", cid)[0][0] == 1

    # Esc on a filled new-client form asks; the answer "keep editing" keeps every letter.
    app.click("new-client")
    app.type("field-name", "郑秀文")
    app.by("field-name").send_keys(Keys.ESCAPE)
    assert "还没有保存" in app.text("confirm-dialog")
    assert app.active_testid() == "confirm-cancel"
    app.focused().send_keys(Keys.ESCAPE)
    app.wait_until(lambda d: not app.all("confirm-dialog"))
    assert app.by("field-name").get_attribute("value") == "郑秀文"
    app.by("field-name").send_keys(Keys.ESCAPE)
    app.click("confirm-delete")
    app.wait_until(lambda d: not app.all("client-form"))
    # An untouched form closes at once.
    app.click("new-client")
    app.by("field-name").send_keys(Keys.ESCAPE)
    app.wait_until(lambda d: not app.all("client-form"))
    app.quit()


def test_overdue_and_due_today_look_different_and_a_past_due_date_is_asked_about(book_path, launch):
    today = advisor_today()
    cid = add_client(book_path, "--name", "陈志强")
    at = (today - timedelta(days=45)).isoformat() + " 10:00"
    cli(book_path, "log", str(cid), "--summary", "面谈", "--at", at,
        "--follow-up", f"寄送基金季报@{(today - timedelta(days=30)).isoformat()}",
        "--follow-up", f"确认转账@{today.isoformat()}",
        "--follow-up", f"预约体检@{(today + timedelta(days=30)).isoformat()}")
    app = launch(book_path)
    open_client(app, "陈志强")
    app.wait_until(lambda d: len(app.all("open-follow-up")) == 3)
    by_due = {li.get_attribute("data-due"): li for li in app.all("open-follow-up")}
    late = by_due[(today - timedelta(days=30)).isoformat()]
    assert app.inner(late.find_element(By.CSS_SELECTOR, "[data-testid=due-overdue]")) == "已逾期 30 天"
    assert app.inner(by_due[today.isoformat()].find_element(By.CSS_SELECTOR, "[data-testid=due-today]")) == "今天到期"
    ahead = by_due[(today + timedelta(days=30)).isoformat()]
    assert not ahead.find_elements(By.CSS_SELECTOR, "[data-testid^=due-]")
    colours = {late.find_element(By.CSS_SELECTOR, "[data-testid=due-overdue]").value_of_css_property("color")}
    assert colours != {ahead.value_of_css_property("color")}
    app.screenshot("follow-ups-overdue")

    # A new follow-up due in the past is asked about: "change the date" adds nothing.
    app.type("follow-up-title", "补签风险测评")
    app.type("follow-up-due", (today - timedelta(days=3)).strftime("%Y/%m/%d"))
    app.click("follow-up-add")
    assert "已经过去" in app.text("confirm-dialog")
    app.click("confirm-cancel")
    assert len(app.all("open-follow-up")) == 3
    app.click("follow-up-add")
    app.by("confirm-dialog")
    app.click("confirm-delete")
    app.wait_until(lambda d: len(app.all("open-follow-up")) == 4)
    app.quit()


def test_same_name_clients_are_told_apart_in_search(book_path, launch):
    add_client(book_path, "--name", "王伟", "--phone", "13911112345", "--employer", "招商证券")
    add_client(book_path, "--name", "王伟", "--phone", "13622226789", "--employer", "华为技术", "--tier", "vip")
    app = launch(book_path)
    app.type("search-input", "王伟")
    app.wait_until(lambda d: len(app.all("search-hit")) == 2)
    tails = sorted(app.inner(h.find_element(By.CSS_SELECTOR, "[data-testid=hit-phone-tail]")) for h in app.all("search-hit"))
    orgs = sorted(app.inner(h.find_element(By.CSS_SELECTOR, "[data-testid=hit-organisation]")) for h in app.all("search-hit"))
    assert tails == ["尾号 2345", "尾号 6789"]
    assert orgs == ["华为技术", "招商证券"]
    app.screenshot("search-same-names")
    app.quit()


def test_long_text_keeps_the_layout(book_path, launch):
    long_name = "欧阳" + "慕容司马上官" * 16 + "之"
    assert len(long_name) == 99
    company = "深圳市前海新世纪跨境供应链管理服务集团有限公司"[:30].ljust(30, "司")
    note = ("客户说想在明年为孩子准备留学资金，同时关心家族信托的门槛和税务问题。" * 150)[:5000]
    cid = add_client(book_path, "--name", long_name, "--enterprise", "--company", company, "--notes", note)
    cli(book_path, "log", str(cid), "--summary", "面谈")
    add_client(book_path, "--name", "李四")
    app = launch(book_path)
    app.click("nav-clients")
    for width, height in ((1240, 800), (1024, 700)):
        app.size(width, height)
        app.by("client-table")
        pane = app.by("pane")
        # Nothing spills sideways; every column, the last contact too, is on screen.
        assert app.js("const p = arguments[0]; return p.scrollWidth <= p.clientWidth + 1", pane)
        last = app.all("client-row-last")
        assert all(app.js("return arguments[0].getBoundingClientRect().right <= window.innerWidth", c) for c in last)
        assert all(app.inner(c) for c in last), "最近联系 is never cut away"
        # The rows are drawn again after a resize: wait for the one wanted.
        app.wait_until(lambda d_: any(r.get_attribute("data-id") == str(cid) for r in app.all("client-row")))
        name_cell = app.driver.find_element(By.CSS_SELECTOR, f'[data-testid=client-row][data-id="{cid}"] [data-testid=client-row-name]')
        assert name_cell.get_attribute("title") == long_name
        app.screenshot(f"list-long-name-{width}")

    app.size(1240, 800)
    app.open_row(next(r for r in app.all("client-row") if r.get_attribute("data-id") == str(cid)))
    app.by("client-title")
    # The page's buttons stay on one line each, however long the name.
    for testid in ("star-toggle", "edit-client", "delete-client"):
        assert app.by(testid).size["height"] < 40, testid
    # A 5,000-character note opens on request instead of filling seven screens.
    notes = app.by("fact-notes")
    assert len(app.inner(notes.find_element(By.CSS_SELECTOR, "[data-testid=long-text]"))) < 400
    assert app.by("profile-section").size["height"] < 700
    app.screenshot("client-page-long-text")
    notes.find_element(By.CSS_SELECTOR, "[data-testid=long-text-toggle]").click()
    app.wait_until(lambda d: len(app.inner(notes.find_element(By.CSS_SELECTOR, "[data-testid=long-text]"))) == 5000)
    # The header stays in view when the page scrolls.
    app.js("document.querySelector('[data-testid=pane]').scrollTop = 3000")
    assert app.js("return document.querySelector('[data-testid=search-input]').getBoundingClientRect().top >= 0")
    app.quit()


def test_dialogs_trap_focus_and_esc_closes_them(book_path, launch):
    add_client(book_path, "--name", "赵敏")
    app = launch(book_path)
    open_client(app, "赵敏")
    app.click("delete-client")
    app.by("confirm-dialog")
    assert app.active_testid() == "confirm-cancel"
    for _ in range(6):
        app.focused().send_keys(Keys.TAB)
        assert app.active_testid() in ("confirm-cancel", "confirm-delete")
    app.focused().send_keys(Keys.SHIFT, Keys.TAB)
    assert app.active_testid() in ("confirm-cancel", "confirm-delete")
    app.focused().send_keys(Keys.ESCAPE)
    app.wait_until(lambda d: not app.all("confirm-dialog"))
    assert app.text("client-title") == "赵敏"

    # The client form too: Tab never reaches the search box or the language toggle behind it.
    app.click("edit-client")
    app.by("client-form")
    inside = app.js("return document.querySelector('[data-testid=client-form-dialog]')")
    for _ in range(45):
        app.focused().send_keys(Keys.TAB)
        assert app.js("return arguments[0].contains(document.activeElement)", inside)
    app.focused().send_keys(Keys.ESCAPE)
    app.wait_until(lambda d: not app.all("client-form"))
    assert len(rows(book_path, "SELECT id FROM clients")) == 1
    app.quit()


def test_a_duplicate_phone_or_id_number_is_caught_before_it_goes_in(book_path, launch):
    first = add_client(book_path, "--name", "张三丰", "--phone", "138 0013 8000")
    app = launch(book_path)
    app.click("new-client")
    app.type("field-name", "张三丰")
    app.type("field-phone", "+86 13800138000")
    app.click("save-client")
    warning = app.by("duplicate-warning")
    assert "相同手机号" in app.inner(warning) and "张三丰" in app.inner(warning)
    assert len(rows(book_path, "SELECT id FROM clients")) == 1
    app.click(f"duplicate-open-{first}")
    app.wait_until(lambda d: not app.all("client-form"))
    app.wait_until(lambda d: app.route() == f"#/clients/{first}")
    assert len(rows(book_path, "SELECT id FROM clients")) == 1

    # Same ID number, different case: caught too; "create anyway" is the advisor's call.
    cli(book_path, "clients", "add", "--name", "李秀英")
    with sqlite3.connect(book_path) as db:
        db.execute("UPDATE clients SET id_number = '11010519491231002X' WHERE name = '李秀英'")
    app.click("new-client")
    app.type("field-name", "李秀英")
    app.type("field-id-number", "11010519491231002x")
    app.click("save-client")
    app.by("duplicate-warning")
    app.click("duplicate-save-anyway")
    app.wait_until(lambda d: not app.all("client-form"))
    assert len(rows(book_path, "SELECT id FROM clients WHERE name = '李秀英'")) == 2
    app.quit()


def test_dates_as_chinese_users_write_them(book_path, launch):
    app = launch(book_path)
    app.click("welcome-empty")
    app.click("new-client")
    app.type("field-name", "孙丽华")
    for typed in ("1980/5/2", "1980.05.02", "19800502", "1980年5月2日"):
        app.type("field-birthday", typed)
        app.wait_until(lambda d: app.all("field-birthday-understood") and app.text("field-birthday-understood") == "→ 1980年5月2日")
    app.type("field-birthday", "1980/2/30")
    app.wait_until(lambda d: app.all("field-birthday-problem"))
    assert "不存在" in app.text("field-birthday-problem")
    # A calendar to pick from as well.
    app.click("field-birthday-pick")
    app.wait_until(lambda d: d.find_elements(By.CSS_SELECTOR, ".n-date-panel"))
    app.screenshot("date-picker")
    app.driver.find_elements(By.CSS_SELECTOR, ".n-date-panel-date:not(.n-date-panel-date--excluded)")[0].click()
    app.wait_until(lambda d: re.match(r"^\d{4}-\d{2}-01$", app.by("field-birthday").get_attribute("value")))
    app.type("field-birthday", "1980年5月2日")
    app.click("save-client")
    app.wait_until(lambda d: app.all("client-title"))
    assert app.text("fact-birthday") == "1980年5月2日"
    assert rows(book_path, "SELECT birthday FROM clients")[0][0] == "1980-05-02"
    app.quit()


def test_an_empty_book_offers_the_first_client(book_path, launch):
    app = launch(book_path)
    app.click("welcome-empty")
    app.click("nav-clients")
    empty = app.by("list-empty-book")
    assert "客户簿还是空的" in empty.text
    assert not app.all("page-info"), "no pager on an empty book"
    assert "没有符合条件" not in empty.text
    app.screenshot("empty-book")
    app.click("list-add-first")
    app.type("field-name", "第一位客户")
    app.by("field-name").send_keys(Keys.CONTROL, Keys.ENTER)
    app.wait_until(lambda d: app.all("client-title"))
    app.click("back")
    app.by("client-table")
    # A filter with no match says so and offers to clear it.
    app.select("filter-tier", "private")
    app.wait_until(lambda d: app.all("list-empty"))
    app.click("list-empty-clear")
    app.wait_until(lambda d: len(app.all("client-row")) == 1)
    app.quit()


def test_the_keyboard_path_is_complete(book_path, launch):
    cli(book_path, "demo", "--clients", "120")
    app = launch(book_path)
    app.click("nav-clients")
    app.by("client-table")
    app.open_row(app.all("client-row")[0])
    app.by("client-title")
    # "/" searches from a client page: nothing is typed into the note.
    body = app.driver.find_element(By.TAG_NAME, "body")
    body.send_keys("/")
    app.wait_until(lambda d: app.active_testid() == "search-input")
    assert app.by("contact-summary").get_attribute("value") == ""
    app.focused().send_keys("zh")
    app.wait_until(lambda d: len(app.all("search-hit")) >= 2)
    app.focused().send_keys(Keys.ARROW_DOWN)
    assert app.active_testid() == "search-hit"
    second = app.all("search-hit")[1]
    app.focused().send_keys(Keys.ARROW_DOWN)
    assert app.focused() == second
    name = second.get_attribute("data-name")
    app.focused().send_keys(Keys.ENTER)
    app.wait_until(lambda d: app.all("client-title") and app.text("client-title") == name)
    # L starts a note, Esc in the page goes back to the results.
    app.driver.find_element(By.TAG_NAME, "body").send_keys("l")
    app.wait_until(lambda d: app.active_testid() == "contact-summary")
    app.focused().send_keys(Keys.TAB)
    app.js("document.activeElement.blur()")
    app.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    app.wait_until(lambda d: app.all("search-hit"))
    # Enter in the box opens the first hit.
    app.by("search-input").send_keys(Keys.ENTER)
    app.wait_until(lambda d: app.all("client-title"))
    app.click("back")
    app.wait_until(lambda d: app.all("search-hit"))
    # Esc leaves the search for the page it was started from, and back from there to the list.
    app.by("search-input").send_keys(Keys.ESCAPE)
    app.wait_until(lambda d: app.all("client-title"))
    app.click("back")
    app.by("client-table")

    # The sortable headers are buttons: Tab reaches them, Enter sorts.
    app.by("sort-name").send_keys(Keys.ENTER)
    app.wait_until(lambda d: app.text("sort-name").endswith("↓"))
    app.by("sort-last-contact").send_keys(Keys.ENTER)
    app.wait_until(lambda d: app.text("sort-last-contact").endswith("↓"))
    # ↓ walks the rows, Enter opens one.
    app.all("client-row")[0].send_keys(Keys.ARROW_DOWN)
    focused = app.focused()
    assert focused.get_attribute("data-id") == app.all("client-row")[1].get_attribute("data-id")
    focused.send_keys(Keys.ENTER)
    app.wait_until(lambda d: app.all("client-title"))
    app.quit()


def test_smaller_things(book_path, launch):
    cid = add_client(book_path, "--name", "何家劲")
    app = launch(book_path)
    open_client(app, "何家劲")
    # The family form has labels and takes focus.
    app.click("family-open-form")
    assert app.active_testid() == "family-name"
    form = app.by("family-form")
    assert "家人姓名" in form.text and "生日" in form.text and "关系" in form.text
    app.click("family-cancel")
    # A half-filled family form asks before Esc drops it; Esc on the question keeps the text.
    app.click("family-open-form")
    app.type("family-name", "何小萍")
    app.by("family-name").send_keys(Keys.ESCAPE)
    app.by("confirm-dialog")
    app.focused().send_keys(Keys.ESCAPE)
    app.wait_until(lambda d: not app.all("confirm-dialog"))
    assert app.by("family-name").get_attribute("value") == "何小萍"
    assert app.active_testid() == "family-name"
    assert app.all("client-title"), "still on the client page"
    app.by("family-name").send_keys(Keys.ESCAPE)
    app.click("confirm-delete")
    app.wait_until(lambda d: not app.all("family-form"))
    assert app.all("client-title"), "still on the client page"

    # 保存 is on screen at 800 px with the Ctrl+Enter hint; the required star stays by its label.
    app.size(1240, 800)
    app.click("edit-client")
    save = app.by("save-client")
    assert app.js("const r = arguments[0].getBoundingClientRect(); return r.bottom <= window.innerHeight && r.top >= 0", save)
    assert "Ctrl+Enter" in app.by("client-form").text
    star = app.driver.find_element(By.CSS_SELECTOR, "[data-testid=client-form] .req")
    label = app.driver.find_element(By.CSS_SELECTOR, "[data-testid=client-form] .label-line")
    assert abs(star.location["y"] - label.location["y"]) < 8

    # An error on screen follows the language switch.
    app.type("field-name", " ")
    app.click("save-client")
    app.wait_until(lambda d: app.all("form-error") and app.text("form-error") == "姓名不能为空")
    app.js("document.querySelector('[data-testid=lang-toggle]').click()")
    app.wait_until(lambda d: app.text("form-error") != "姓名不能为空")
    assert "Name" in app.text("form-error")
    app.js("document.querySelector('[data-testid=lang-toggle]').click()")

    # A name over 100 characters is refused with a message, not cut silently.
    app.type("field-name", "长" * 101)
    assert app.text("name-counter") == "101/100"
    app.click("save-client")
    app.wait_until(lambda d: "太长" in app.text("form-error"))
    app.by("field-name").send_keys(Keys.ESCAPE)
    app.click("confirm-delete")
    app.wait_until(lambda d: not app.all("client-form"))

    # The complaint badge is a word; the toast never covers the page.
    app.click("contact-complaint")
    app.type("contact-summary", "投诉理财经理回电太慢")
    app.click("contact-save")
    app.wait_until(lambda d: app.all("complaint-badge"))
    assert app.text("complaint-badge") == "投诉"
    toast = app.by("toast")
    pane_left = app.js("return document.querySelector('[data-testid=pane]').getBoundingClientRect().left")
    assert app.js("return arguments[0].getBoundingClientRect().right", toast) <= pane_left
    app.quit()
    assert rows(book_path, "SELECT name FROM clients WHERE id = ?", cid)[0][0] == "何家劲"


def test_the_window_never_freezes_while_another_program_holds_the_book(book_path, launch):
    add_client(book_path, "--name", "钱学林")
    app = launch(book_path)
    open_client(app, "钱学林")
    holder = sqlite3.connect(book_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release_later():
        time.sleep(9)
        holder.execute("ROLLBACK")
        holder.close()
        released.set()

    threading.Thread(target=release_later, daemon=True).start()
    app.type("contact-summary", "CLI 占用客户簿时记一笔")
    app.click("contact-save")
    # The window keeps answering while the save waits for the lock.
    started = time.monotonic()
    app.click("lang-toggle")
    app.wait_until(lambda d: app.text("new-client") == "+ New client", timeout=2)
    assert time.monotonic() - started < 2
    app.click("lang-toggle")
    # Then a clear message, and the note is still in the form.
    app.wait_until(lambda d: app.all("contact-error"), timeout=10)
    assert "另一个程序" in app.text("contact-error")
    assert app.by("contact-summary").get_attribute("value") == "CLI 占用客户簿时记一笔"
    released.wait(15)
    app.click("contact-save")
    app.wait_until(lambda d: len(app.all("timeline-item")) == 1)
    app.quit()


def test_screens_at_both_sizes_in_both_languages(book_path, launch):
    cli(book_path, "demo", "--clients", "200")
    app = launch(book_path)
    app.click("nav-clients")
    app.by("client-table")
    for lang in ("zh", "en"):
        for width, height in ((1240, 800), (1024, 700)):
            app.size(width, height)
            app.driver.get(app.driver.current_url.split("#")[0] + "#/clients")
            app.by("client-table")
            app.screenshot(f"list-{lang}-{width}")
            app.open_row(app.all("client-row")[3])
            app.by("client-title")
            app.screenshot(f"client-{lang}-{width}")
            app.click("new-client")
            app.by("client-form")
            app.screenshot(f"form-{lang}-{width}")
            app.by("field-name").send_keys(Keys.ESCAPE)
            app.wait_until(lambda d: not app.all("client-form"))
        for view in ("today", "salons"):
            app.driver.get(app.driver.current_url.split("#")[0] + "#/" + view)
            app.by(view)
            app.screenshot(f"{view}-{lang}")
        app.click("lang-toggle")
    app.click("lang-toggle")
    app.quit()


def test_demo_notice_at_both_sizes_in_both_languages(tmp_path, launch):
    """The window as `scripts/run.sh` opens it on a machine with no book yet: on the demo book
    beside the advisor's own (which is still to be made)."""
    real = tmp_path / "book.rapport"
    demo = tmp_path / "demo.rapport"
    assert cli(real, "path", "--demo").strip() == str(demo)
    cli(demo, "demo", "--clients", "60")
    app = launch(demo, args=["--real-book", str(real)])
    app.by("today")
    for lang, words, action in (("zh", "其中的客户都是虚构的", "创建我自己的客户簿"), ("en", "Every client in it is made up", "Create my own book")):
        for width, height in ((1240, 800), (1024, 700)):
            app.size(width, height)
            notice = app.by("demo-notice")
            assert words in app.inner(notice)
            # Always in view, whatever the pane shows and however far it is scrolled.
            app.click("nav-clients")
            app.by("client-table")
            app.js("document.querySelector('[data-testid=pane]').scrollTop = 10000")
            box = app.js("return arguments[0].getBoundingClientRect().toJSON()", notice)
            assert box["top"] >= 0 and box["bottom"] <= height and box["right"] <= width, box
            assert app.text("demo-own-book") == action
            app.screenshot(f"demo-notice-{lang}-{width}")
        app.click("lang-toggle")
    app.wait_until(lambda d: app.js("return document.documentElement.lang") == "zh-CN")

    app.click("demo-own-book")
    app.by("welcome")
    assert str(real) in app.text("welcome")
    assert not real.exists()
    app.screenshot("welcome-own-book-zh")
    app.click("welcome-demo")
    app.by("demo-notice")
    app.wait_until(lambda d: app.text("book-count") == "共 60 位客户")
    assert not real.exists()
    app.quit()


def test_a_remembered_client_page_that_is_gone_opens_the_list_instead(book_path, launch):
    keep = add_client(book_path, "--name", "王芳")
    gone = add_client(book_path, "--name", "李娜")
    app = launch(book_path)
    app.click("nav-clients")
    row = next(r for r in app.all("client-row") if r.get_attribute("data-id") == str(gone))
    app.open_row(row)
    assert app.text("client-title") == "李娜"
    app.quit()
    # Gone while the window was closed (another copy of the book put in its place, say).
    import sqlite3

    with sqlite3.connect(book_path) as db:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("DELETE FROM clients WHERE id = ?", (gone,))
    app = launch(book_path)
    app.wait_until(lambda d_: app.all("client-table"))
    assert "找不到" in app.text("toast")
    app.wait_until(lambda d_: [r.get_attribute("data-id") for r in app.all("client-row")] == [str(keep)])
