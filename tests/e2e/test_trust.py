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
    # The book as it was is kept too: two backups now, listed newest first.
    app.wait_until(lambda d_: len(app.all("backup-row")) == 2)
    assert len(list(folder.glob("e2e.rapport.*.bak"))) == 2
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
