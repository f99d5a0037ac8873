"""Drive the real Rapport window through tauri-driver + WebKitWebDriver (see scripts/e2e.sh)."""

import json
import os
import subprocess
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

DRIVER_URL = os.environ.get("RAPPORT_WEBDRIVER", "http://127.0.0.1:4444")
APP = os.environ.get("RAPPORT_APP")
CLI = os.environ.get("RAPPORT_CLI")
SHOTS = Path(__file__).parent / "screenshots"


class TauriOptions(ArgOptions):
    """Capabilities for tauri-driver: they must go in alwaysMatch, which selenium does for one
    options object; in firstMatch WebKitWebDriver would silently open its MiniBrowser."""

    def __init__(self, application: str, args: list[str]):
        super().__init__()
        self.set_capability("browserName", "wry")
        self.set_capability("tauri:options", {"application": application, "args": args})

    def to_capabilities(self):
        return dict(self._caps)

    @property
    def default_capabilities(self):
        return {}


# How often a wait asks the window again. Selenium's half second would put up to 0.5 s of
# waiting into every figure timed from here (the startup time among them).
POLL = 0.05


class App:
    """One running app window on a given book file."""

    def __init__(self, book: Path, today: str | None = None, args: list[str] | None = None):
        assert APP and Path(APP).is_file(), "RAPPORT_APP must name the built rapport-app binary"
        started = time.monotonic()
        argv = ["--book", str(book)] + (["--today", today] if today else []) + (args or [])
        self.driver = webdriver.Remote(command_executor=DRIVER_URL, options=TauriOptions(APP, argv))
        # A path typed into a field is text: selenium would otherwise try to upload the file it
        # names, which WebKitWebDriver does not know how to do.
        from selenium.webdriver.remote.file_detector import UselessFileDetector

        self.driver.file_detector = UselessFileDetector()
        try:
            # Something only our app has: proves this is not WebKitWebDriver's MiniBrowser.
            self.wait_for('[data-testid="app-ready"]', timeout=30)
            self.wait_until(lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="app-ready"]').get_attribute("data-book-open") in ("yes", "no") and self.loaded(), timeout=30)
        except Exception:
            # A window that never became ready must still end its session: the driver holds one
            # at a time, and a leaked one would fail every test after this one.
            self.driver.quit()
            raise
        self.startup_seconds = time.monotonic() - started
        # The language is remembered across launches; every test starts in Chinese.
        if self.js("return document.documentElement.lang") != "zh-CN":
            self.click("lang-toggle")
            self.wait_until(lambda d: self.js("return document.documentElement.lang") == "zh-CN")

    def loaded(self) -> bool:
        ready = '[data-testid="welcome"], [data-testid="client-table"], [data-testid="list-empty-book"], [data-testid="client-title"], [data-testid="settings"], [data-testid="today-total"], [data-testid="salons"], [data-testid="salon-page"], [data-testid="at-risk"], [data-testid="overview"], [data-testid="lock-screen"]'
        return bool(self.driver.find_elements(By.CSS_SELECTOR, ready))

    def app_memory_mb(self) -> tuple[float, float] | None:
        """RSS and PSS of the newest rapport-app process (the app, not WebKit's helpers). RSS
        counts the shared WebKitGTK libraries whole (a bare Tauri page is ~155 MB, E2E.md);
        PSS shares them out and is the app's own weight."""
        newest = None
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                if (proc / "comm").read_text().strip() != "rapport-app":
                    continue
                started = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[19])
                if newest is None or started > newest[0]:
                    newest = (started, proc)
            except OSError:
                continue
        if newest is None:
            return None
        fields = {}
        for line in (newest[1] / "smaps_rollup").read_text().splitlines()[1:]:
            name, value = line.split(":", 1)
            fields[name] = int(value.split()[0]) / 1024
        return fields.get("Rss", 0.0), fields.get("Pss", 0.0)

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def focused(self):
        """The element with the focus. WebKitWebDriver now and then cannot read it while the
        focus is moving ("Could not parse active element information"): it is asked again."""
        for attempt in range(10):
            try:
                return self.driver.switch_to.active_element
            except WebDriverException:
                if attempt == 9:
                    raise
                time.sleep(0.05)

    def active_testid(self) -> str | None:
        return self.focused().get_attribute("data-testid")

    def route(self) -> str:
        return self.js("return window.location.hash")

    def size(self, width: int, height: int):
        """Make the page (not the outer window) this size, as the advisor's screen shows it."""
        self.driver.set_window_size(width, height)
        inner = self.js("return [window.innerWidth, window.innerHeight]")
        self.driver.set_window_size(width + (width - inner[0]), height + (height - inner[1]))

    def wait_until(self, cond, timeout=15):
        """Wait for `cond`; an element gone stale while it is read means the page was being
        drawn again (a list's rows replaced by the next page's), so it is asked again."""
        return WebDriverWait(self.driver, timeout, poll_frequency=POLL, ignored_exceptions=(StaleElementReferenceException,)).until(cond)

    def wait_for(self, css: str, timeout=15):
        return WebDriverWait(self.driver, timeout, poll_frequency=POLL).until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def by(self, testid: str):
        return self.wait_for(f'[data-testid="{testid}"]')

    def all(self, testid: str):
        return self.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def type(self, testid: str, text: str, clear=True):
        el = self.by(testid)
        if clear:
            self.empty(el)
        el.send_keys(text)
        return el

    def empty(self, el):
        """Empty a field the way the advisor would (select all, delete), so Vue sees an input event:
        WebDriver's clear() only fires change, and a re-render could put the old text back."""
        from selenium.webdriver.common.keys import Keys

        el.send_keys(Keys.CONTROL, "a")
        el.send_keys(Keys.BACKSPACE)
        self.wait_until(lambda d: el.get_attribute("value") == "")

    def select(self, testid: str, value: str):
        from selenium.webdriver.support.select import Select

        Select(self.by(testid)).select_by_value(value)

    def click(self, testid: str):
        self.by(testid).click()

    def text(self, testid: str) -> str:
        return self.inner(self.by(testid))

    def inner(self, el) -> str:
        """The text the advisor sees. WebKitWebDriver's own element text comes back empty for
        anything inside `overflow: hidden` (the truncated cells), so ask the page instead."""
        return self.js("return arguments[0].innerText", el).strip()

    def open_row(self, row):
        """Open a client from the list the way a mouse does: a click on the name."""
        row.find_element(By.CSS_SELECTOR, "[data-testid=client-row-name]").click()

    def screenshot(self, name: str):
        SHOTS.mkdir(exist_ok=True)
        # A screenshot right after a DOM change can show the old frame: wait two frames.
        self.driver.execute_async_script("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(done));")
        self.driver.save_screenshot(str(SHOTS / f"{name}.png"))

    def quit(self):
        self.driver.quit()


ADVISOR_ZONE = ZoneInfo("Asia/Shanghai")


def advisor_now() -> datetime:
    """Now in the advisor's time zone (a new book's default), whatever the machine's zone."""
    return datetime.now(ADVISOR_ZONE).replace(tzinfo=None)


def advisor_today() -> date:
    """Today in the advisor's time zone."""
    return advisor_now().date()


def cli(book: Path, *args: str, json_out: bool = False, passphrase: str | None = None):
    """Run the rapport CLI on a book (to set up a scenario the window then shows); an encrypted
    book takes its passphrase as scripts give it, in RAPPORT_PASSPHRASE."""
    assert CLI and Path(CLI).is_file(), "RAPPORT_CLI must name the built rapport binary"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_") or k in ("RAPPORT_TODAY",)}
    if passphrase is not None:
        env["RAPPORT_PASSPHRASE"] = passphrase
    # Only init and demo make a book; a scenario set up on a fresh path makes it first.
    if not Path(book).exists() and args and args[0] not in ("init", "demo", "path"):
        subprocess.run([CLI, "--book", str(book), "init"], check=True, capture_output=True, text=True, env=env)
    out = subprocess.run([CLI, "--book", str(book), *args], check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out) if json_out else out


@pytest.fixture
def book_path(tmp_path):
    return tmp_path / "e2e.rapport"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test leaves a screenshot of every window it had open, to see what went wrong."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        for k, app in enumerate(getattr(item, "opened_apps", [])):
            try:
                app.screenshot(f"FAILED-{item.name}-{k}")
            except Exception:
                pass


@pytest.fixture
def launch(request):
    opened: list[App] = []
    request.node.opened_apps = opened

    def _launch(book: Path, today: str | None = None, args: list[str] | None = None) -> App:
        app = App(book, today, args)
        opened.append(app)
        return app

    yield _launch
    for app in opened:
        try:
            app.quit()
        except Exception:
            pass
