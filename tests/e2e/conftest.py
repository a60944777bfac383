"""Browser journeys: Playwright drives Debian's Chromium against a real Jixiao server.

The server is started the way ``make run`` starts it (migrate, demo company, granian) in a
temporary data dir. Without /usr/bin/chromium the journeys are skipped, loudly; with
``JIXIAO_REQUIRE_BROWSER=1`` (set by .ci/run) a missing browser is a failure instead.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
REQUIRED = os.environ.get("JIXIAO_REQUIRE_BROWSER") == "1"
BIN = Path(sys.executable).parent


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if CHROMIUM.exists() or REQUIRED:
        return
    skip = pytest.mark.skip(
        reason=f"BROWSER TESTS SKIPPED: {CHROMIUM} not found (apt-get install chromium fonts-noto-cjk)"
    )
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not CHROMIUM.exists():
        terminalreporter.write_sep(
            "!", "BROWSER TESTS WERE SKIPPED: install Debian's chromium to run them", red=True, bold=True
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: Any) -> Iterator[str]:
    """A real Jixiao (granian, WSGI) with the demo company, on a free loopback port."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is required (JIXIAO_REQUIRE_BROWSER=1) but missing")
    data = tmp_path_factory.mktemp("e2e-data")
    env = {**os.environ, "JIXIAO_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "jixiao.settings"}
    env.pop("JIXIAO_DATABASE_URL", None)
    for command in (["migrate", "--noinput", "-v", "0"], ["demo", "-v", "0"]):
        subprocess.run([str(BIN / "jixiao"), *command], env=env, check=True, cwd=ROOT)
    port = _free_port()
    process = subprocess.Popen(
        [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--blocking-threads",
            "1",
            "jixiao.wsgi:application",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(  # the background worker `make run` starts beside the server
        [
            str(BIN / "jixiao"),
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "-v",
            "0",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        worker.kill()
        pytest.fail("the Jixiao server did not start within 30 s")
    yield url
    process.terminate()
    worker.terminate()
    process.wait(timeout=10)
    worker.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def login(browser: Any, server: str) -> Any:
    """Return a function opening a new page logged in as a demo user."""
    contexts: list[Any] = []

    def open_as(username: str, password: str = "jixiao-demo") -> Any:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{server}/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def demo_month(offset: int = 0) -> str:
    """The label ("YYYY-MM") of the demo's month ``offset`` months from this one, the way the
    demo dates its story from the day it is loaded (jixiao/demo/story.py): 0 is open for
    scoring, -1 published, -2 … -6 locked; last year (``demo_month(0)[:4]`` − 1) has the bonus."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    index = today.year * 12 + today.month - 1 + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def nav_click(page: Any, label: str) -> None:
    """Click the top bar's link named ``label``, opening its menu (a ``<details>`` group) first
    when it sits in one (issue 14 grouped the navigation)."""
    link = page.locator("nav.mainnav a", has_text=label).first
    if not link.is_visible():
        link.locator("xpath=ancestor::details[1]/summary").click()
    link.click()
