"""The phone's calendar over CalDAV, in the real window, against a real server: Radicale on
loopback. The calendar is read back by the python `caldav` client, a second implementation, not
the one under test. Keyboard only: the fields are typed and Enter syncs."""

import socket
import subprocess
import sys
import time

import caldav
from selenium.webdriver.common.keys import Keys

from conftest import cli

USER = "advisor"
PASSWORD = "密码 secret"


class Radicale:
    def __init__(self, folder):
        self.folder = folder
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        (folder / "users").write_text(f"{USER}:{PASSWORD}\n")
        (folder / "config").write_text(
            f"[server]\nhosts = 127.0.0.1:{self.port}\n[auth]\ntype = htpasswd\n"
            f"htpasswd_filename = {folder / 'users'}\nhtpasswd_encryption = plain\n"
            f"[storage]\nfilesystem_folder = {folder / 'store'}\n[logging]\nlevel = warning\n"
        )
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(self.folder / "config")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                assert time.monotonic() < deadline, "Radicale did not start"
                time.sleep(0.1)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/{USER}/rapport/"

    def uids(self):
        """The UIDs in the calendar, as the python caldav client reads them."""
        with caldav.DAVClient(url=self.url, username=USER, password=PASSWORD) as client:
            calendar = client.calendar(url=self.url)
            found = [str(e.icalendar_component["UID"]) for e in calendar.events()]
        assert len(found) == len(set(found)), "no duplicates"
        return set(found)


def sync_from_the_keyboard(app):
    """Type the password (kept nowhere on a machine without a keyring) and press Enter."""
    field = app.type("calendar-sync-password", PASSWORD)
    field.send_keys(Keys.ENTER)


def test_calendar_sync_from_settings_against_radicale(book_path, launch, tmp_path, monkeypatch):
    monkeypatch.setenv("RAPPORT_TODAY", "2026-11-30")
    server = Radicale(tmp_path)
    try:
        cli(book_path, "demo", "--clients", "60", "--seed", "3")
        app = launch(book_path, today="2026-11-30")
        app.click("nav-settings")
        app.by("calendar-sync")
        app.type("calendar-sync-url", server.url)
        app.type("calendar-sync-user", USER)
        sync_from_the_keyboard(app)
        app.wait_until(lambda d_: app.all("calendar-sync-last") and "新建" in app.text("calendar-sync-counts"), timeout=60)
        first = server.uids()
        assert len(first) > 5, first
        assert all(u.endswith("@rapport") for u in first)
        assert any(u.startswith("birthday/") for u in first)
        ics = cli(book_path, "ics", "--out", str(tmp_path / "same.ics"), "--json", json_out=True)
        assert len(first) == ics["events"], "the calendar holds what the .ics export holds"
        assert app.by("calendar-sync-pending").get_attribute("data-pending") == "0"
        app.js("document.querySelector('[data-testid=calendar-sync]').scrollIntoView()")
        app.screenshot("settings-calendar-sync-zh")

        # Again: nothing is sent twice, nothing doubles.
        sync_from_the_keyboard(app)
        app.wait_until(lambda d_: f"未变 {len(first)}" in app.text("calendar-sync-counts"), timeout=60)
        assert server.uids() == first

        # The server goes away; a follow-up is ticked off meanwhile. The change waits.
        server.stop()
        follow_up = next(u for u in first if u.startswith("follow_up/"))
        cli(book_path, "agenda", "done", follow_up.removesuffix("@rapport"))
        sync_from_the_keyboard(app)
        app.wait_until(lambda d_: app.all("calendar-sync-error"), timeout=60)
        assert "连不上日历服务器" in app.text("calendar-sync-error")
        app.wait_until(lambda d_: app.by("calendar-sync-pending").get_attribute("data-pending") != "0")
        app.screenshot("settings-calendar-sync-offline-zh")

        # Back: the pending change goes, the follow-up is cancelled under its UID.
        server.start()
        sync_from_the_keyboard(app)
        app.wait_until(lambda d_: not app.all("calendar-sync-error") and "更新 1" in app.text("calendar-sync-counts"), timeout=60)
        assert app.by("calendar-sync-pending").get_attribute("data-pending") == "0"
        assert server.uids() == first
        with caldav.DAVClient(url=server.url, username=USER, password=PASSWORD) as client:
            done = client.calendar(url=server.url).event_by_uid(follow_up)
            assert str(done.icalendar_component["STATUS"]) == "CANCELLED"

        # In English, at the small size.
        app.size(1024, 700)
        app.click("lang-toggle")
        app.wait_until(lambda d_: "Sync now" in app.text("calendar-sync"))
        app.js("document.querySelector('[data-testid=calendar-sync]').scrollIntoView()")
        app.screenshot("settings-calendar-sync-en-1024")
    finally:
        server.stop() if server.proc and server.proc.poll() is None else None
