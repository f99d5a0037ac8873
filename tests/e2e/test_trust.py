"""The book kept safe, in the real window: the daily backup and a restore from Settings."""

import time

from conftest import cli


def test_the_daily_backup_and_a_restore_from_settings(book_path, launch):
    cli(book_path, "clients", "add", "--name", "王芳")
    folder = book_path.parent / "backups"
    app = launch(book_path)
    # The first minute the window is open, the book is copied beside itself.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not list(folder.glob("e2e.rapport.*.bak")):
        time.sleep(0.2)
    taken = list(folder.glob("e2e.rapport.*.bak"))
    assert len(taken) == 1, taken
    assert oct(taken[0].stat().st_mode & 0o777) == "0o600"
    # Work after the backup, while the window is open.
    cli(book_path, "clients", "add", "--name", "李娜")
    app.click("nav-clients")
    app.wait_until(lambda d_: len(app.all("client-row")) == 2)

    app.click("nav-settings")
    assert "备份" in app.text("settings-backups")
    assert len(app.all("backup-row")) == 1
    app.screenshot("settings-backups-zh")
    app.click("backup-restore-0")
    assert "当前的客户簿会先另存一份备份" in app.text("confirm-dialog")
    # Focus starts on Cancel: Enter there keeps the book as it is.
    assert app.js("return document.activeElement.dataset.testid") == "confirm-cancel"
    app.click("confirm-delete")
    app.wait_until(lambda d_: "已恢复到" in app.text("toast"))
    # The book as it was is kept too, newer than the one restored. (The minute's rotation keeps
    # the newest backup of a day, so the morning's may already be gone: not asserted.)
    app.wait_until(lambda d_: any(f.name > taken[0].name for f in folder.glob("e2e.rapport.*.bak")))
    assert app.all("backup-row")
    app.click("nav-clients")
    app.wait_until(lambda d_: len(app.all("client-row")) == 1)
    assert "王芳" in app.text("client-table")
    out = cli(book_path, "check", "--json", json_out=True)
    assert out["integrity"] == ["ok"] and out["broken_references"] == 0
    # The card at the small size, in English.
    app.click("nav-settings")
    app.size(1024, 700)
    app.click("lang-toggle")
    app.wait_until(lambda d_: "Back up now" in app.text("settings-backups"))
    app.js("document.querySelector('[data-testid=settings-backups]').scrollIntoView()")
    app.screenshot("settings-backups-en-1024")


PASS = "春眠不觉晓处处闻啼鸟"
PLAIN_HEADER = b"SQLite format 3\x00"


def is_encrypted(path) -> bool:
    with open(path, "rb") as f:
        return f.read(16) != PLAIN_HEADER


def sqlite3_reads(path) -> bool:
    """Whether the plain sqlite3 shell, as a colleague would try it, reads the book."""
    import subprocess

    shell = subprocess.run(["sqlite3", str(path), "SELECT count(*) FROM clients;"], capture_output=True, text=True)
    return shell.returncode == 0


def test_a_book_made_with_a_passphrase_locks_and_opens_only_with_it(tmp_path, launch):
    from selenium.webdriver.common.keys import Keys

    book = tmp_path / "own.rapport"
    app = launch(book)
    app.by("welcome")
    app.type("welcome-passphrase", PASS)
    app.type("welcome-passphrase-again", PASS + "!")
    app.click("welcome-empty")
    assert "两次输入的密码不一样" in app.text("welcome-create-error")
    assert not book.exists()
    app.size(1240, 800)
    app.screenshot("welcome-passphrase-zh")
    app.type("welcome-passphrase-again", PASS + Keys.ENTER)
    app.wait_until(lambda d_: app.by("app-ready").get_attribute("data-book-open") == "yes")
    assert is_encrypted(book) and not sqlite3_reads(book)
    # The CLI writes into it with the passphrase while the window is open.
    cli(book, "clients", "add", "--name", "上官婉儿", passphrase=PASS)
    app.click("nav-clients")
    app.wait_until(lambda d_: len(app.all("client-row")) == 1)

    # A new client half typed, then Ctrl+L: the lock covers it, and it is still there after.
    app.click("new-client")
    app.type("field-name", "未保存的名字")
    app.by("field-name").send_keys(Keys.CONTROL, "l")
    app.by("lock-screen")
    assert app.active_testid() == "unlock-passphrase"
    app.screenshot("lock-screen-zh-1240")
    # The lock is on top of everything, the form included, edge to edge.
    assert app.js(
        "const lock = document.querySelector('[data-testid=lock-screen]'); const r = lock.getBoundingClientRect();"
        "const form = document.querySelector('[data-testid=field-name]').getBoundingClientRect();"
        "const top = document.elementFromPoint(form.left + 5, form.top + 5);"
        "return r.width >= window.innerWidth && r.height >= window.innerHeight && lock.contains(top)"
    )
    app.type("unlock-passphrase", "wrong passphrase" + Keys.ENTER)
    assert "密码不对" in app.text("unlock-error")
    assert app.active_testid() == "unlock-passphrase"
    app.type("unlock-passphrase", PASS + Keys.ENTER)
    app.wait_until(lambda d_: not app.all("lock-screen"))
    assert app.by("field-name").get_attribute("value") == "未保存的名字"
    app.by("field-name").send_keys(Keys.ESCAPE)
    if app.all("confirm-dialog"):
        app.click("confirm-delete")
    app.quit()

    # Started again: the lock screen first, nothing of the book before the passphrase.
    app = launch(book)
    app.by("lock-screen")
    assert not app.all("client-row") and not app.all("welcome")
    app.size(1024, 700)
    app.click("lock-lang")
    app.wait_until(lambda d_: "This book is locked" in app.text("lock-screen"))
    app.screenshot("lock-screen-en-1024")
    app.click("lock-lang")
    app.type("unlock-passphrase", PASS + Keys.ENTER)
    app.wait_until(lambda d_: app.by("app-ready").get_attribute("data-book-open") == "yes")

    # A new passphrase from Settings: a wrong current one is refused and the book stays open.
    app.click("nav-settings")
    assert app.by("settings-encrypted").get_attribute("data-encrypted") == "yes"
    app.type("settings-passphrase-current", "not it")
    app.type("settings-passphrase-new", "落霞与孤鹜齐飞秋水共长天一色")
    app.type("settings-passphrase-again", "落霞与孤鹜齐飞秋水共长天一色")
    app.click("settings-passphrase-save")
    assert "密码不对" in app.text("settings-passphrase-error")
    app.type("settings-passphrase-current", PASS)
    app.click("settings-passphrase-save")
    app.wait_until(lambda d_: "密码已修改" in app.text("toast"))
    out = cli(book, "clients", "list", "--json", json_out=True, passphrase="落霞与孤鹜齐飞秋水共长天一色")
    assert [c["name"] for c in out["rows"]] == ["上官婉儿"]
    app.select("settings-autolock", "5")
    app.click("settings-autolock-save")
    app.wait_until(lambda d_: "空闲 5 分钟后锁定" in app.text("toast"))
    app.js("document.querySelector('[data-testid=settings-passphrase]').scrollIntoView()")
    app.screenshot("settings-passphrase-zh-1024")


def test_the_book_locks_itself_after_idle_time(tmp_path, launch):
    from selenium.webdriver.common.keys import Keys

    book = tmp_path / "idle.rapport"
    cli(book, "init", passphrase=PASS)
    app = launch(book, args=["--idle-lock-seconds", "3"])
    app.type("unlock-passphrase", PASS + Keys.ENTER)
    app.wait_until(lambda d_: not app.all("lock-screen"))
    # Nobody touches the window: the shell locks the book and the window shows the lock.
    app.wait_for('[data-testid="lock-screen"]', timeout=20)
    # Asked to remember it: where the computer has no keyring (as here) the book still opens,
    # and the window says the passphrase was not kept.
    app.click("unlock-remember")
    app.type("unlock-passphrase", PASS + Keys.ENTER)
    app.wait_until(lambda d_: not app.all("lock-screen"))
    assert app.by("app-ready").get_attribute("data-book-open") == "yes"


def test_a_plain_book_is_encrypted_from_settings_with_its_backups(book_path, launch):
    cli(book_path, "clients", "add", "--name", "诸葛明月")
    cli(book_path, "backup")
    assert not is_encrypted(book_path) and sqlite3_reads(book_path)
    app = launch(book_path)
    app.click("nav-settings")
    assert app.by("settings-encrypted").get_attribute("data-encrypted") == "no"
    assert not app.all("settings-passphrase-current")
    app.type("settings-passphrase-new", "short")
    app.type("settings-passphrase-again", "short")
    app.click("settings-passphrase-save")
    assert "至少要 8 个字符" in app.text("settings-passphrase-error")
    app.type("settings-passphrase-new", PASS)
    app.type("settings-passphrase-again", PASS)
    app.click("settings-passphrase-save")
    app.wait_until(lambda d_: "客户簿已加密" in app.text("toast"))
    app.wait_until(lambda d_: app.by("settings-encrypted").get_attribute("data-encrypted") == "yes")
    app.by("lock-now")
    assert is_encrypted(book_path) and not sqlite3_reads(book_path)
    # The plain backup and the one taken first were re-written encrypted (the rotation keeps
    # the newest of the day); no plain file is left beside the book.
    backups = list((book_path.parent / "backups").glob("e2e.rapport.*.bak"))
    assert backups and all(is_encrypted(b) for b in backups)
    assert all(is_encrypted(f) for f in book_path.parent.rglob("*") if f.is_file() and f.stat().st_size >= 16)
    out = cli(book_path, "clients", "list", "--json", json_out=True, passphrase=PASS)
    assert [c["name"] for c in out["rows"]] == ["诸葛明月"]
    # The window goes on working with the book it re-opened.
    app.click("nav-clients")
    app.wait_until(lambda d_: len(app.all("client-row")) == 1)
