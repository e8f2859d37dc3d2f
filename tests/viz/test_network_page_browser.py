"""GET /network in a real headless Chromium, served by the real app.

Checks that the page draws its canvas, logs no console error, never asks
anything of a host other than 127.0.0.1, and shows a stakeholder named like
an HTML tag as text. Screenshots go to test-output/ for a person to look at.

Needs Debian's chromium at /usr/bin/chromium (Playwright's own browser
download cannot be fetched here). Without it these tests are skipped, except
under CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn

from partnermap.model import Interaction, Stakeholder
from partnermap.model import InteractionType as T
from partnermap.model import StakeholderKind as K
from partnermap.store import open_store
from tests import tiny

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NYC = ROOT / "examples" / "nyc"
OUT = ROOT / "test-output"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 768}
EVIL = "<img src=x onerror=alert(1)>"


def _require_browser() -> None:
    """Skip without Chromium or Playwright; under CI=true, fail instead."""
    reason = None
    if not CHROMIUM.exists():
        reason = f"Debian's chromium is not at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install -e '.[test]')"
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def serve(store_url: str) -> Iterator[str]:
    """The real app on 127.0.0.1 and a free port, in a background thread."""
    from partnermap.api.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(store_url), log_level="warning", lifespan="on")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@dataclass
class Watched:
    """What a page did: console errors, every URL it asked for, dialogs."""

    page: Any
    errors: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        """Requests to anything but 127.0.0.1 (data: URLs stay in the page)."""
        return [
            u
            for u in self.urls
            if urlsplit(u).scheme != "data" and urlsplit(u).hostname != "127.0.0.1"
        ]


@contextmanager
def watched_page(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport=LAPTOP)
    watched = Watched(context.new_page())

    def route(r: Any) -> None:
        watched.urls.append(r.request.url)
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            r.abort()

    def console(message: Any) -> None:
        if message.type == "error":
            watched.errors.append(message.text)

    def dialog(d: Any) -> None:
        watched.dialogs.append(d.message)
        d.dismiss()

    context.route("**/*", route)
    page = watched.page
    page.on("console", console)
    page.on("pageerror", lambda e: watched.errors.append(str(e)))
    page.on("requestfailed", lambda r: watched.errors.append(f"failed: {r.url}"))
    page.on("dialog", dialog)
    try:
        yield watched
    finally:
        context.close()


def open_network(watched: Watched, base: str) -> dict[str, float]:
    """Load /network and wait until it is drawn and still.

    Returns milliseconds since navigation: ``served`` when the page had
    arrived (the server's work included), ``drawn`` at the first frame.
    """
    watched.page.goto(f"{base}/network")
    watched.page.wait_for_selector("body[data-drawn]", timeout=60_000)
    watched.page.wait_for_selector("body[data-settled]", timeout=60_000)
    served, drawn = watched.page.evaluate(
        "[performance.getEntriesByType('navigation')[0].responseEnd, window.pmFirstDraw]"
    )
    return {"served": float(served), "drawn": float(drawn)}


def painted_pixels(page: Any) -> int:
    """Pixels the network canvas has drawn on (it is transparent elsewhere)."""
    return int(
        page.evaluate(
            """() => {
                const c = document.querySelector('#pm-network canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
                return n;
            }"""
        )
    )


def node_on_screen(page: Any, stakeholder_id: str) -> tuple[float, float]:
    """Where a stakeholder's node is drawn, in page coordinates."""
    x, y = page.evaluate(
        """(id) => {
            const nodes = JSON.parse(document.getElementById('pm-data').textContent).nodes;
            const index = nodes.findIndex(n => n[0] === id);
            const at = pmNetwork.canvasToDOM(pmNetwork.getPosition(index));
            const box = document.querySelector('#pm-network canvas').getBoundingClientRect();
            return [box.left + at.x, box.top + at.y];
        }""",
        stakeholder_id,
    )
    return float(x), float(y)


def screenshot(page: Any, name: str) -> None:
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / name))


# The tiny graph, with one stakeholder whose name is an HTML tag.


@pytest.fixture
def evil_store_url(tmp_path: Path) -> str:
    batch = tiny.batch()
    batch.stakeholders.append(Stakeholder("evil", EVIL, K.NONPROFIT))
    batch.interactions.append(
        Interaction("school-1", "evil", T.INFORMATION_SENT, date(2024, 9, 3))
    )
    url = f"sqlite:///{tmp_path / 'evil.db'}"
    with open_store(url) as store:
        store.apply(batch)
    return url


def test_network_page_draws_offline_without_errors(
    browser: Any, evil_store_url: str
) -> None:
    with serve(evil_store_url) as base, watched_page(browser) as watched:
        times = open_network(watched, base)
        screenshot(watched.page, "network-tiny.png")
        print(f"tiny graph: first draw {times['drawn']:.0f} ms after navigation")

        assert painted_pixels(watched.page) > 2_000
        assert watched.errors == []
        assert watched.outside() == []
        assert f"{base}/static/vis-network.min.js" in watched.urls
        assert f"{base}/static/network.js" in watched.urls


def test_network_page_shows_a_tag_like_name_as_text(
    browser: Any, evil_store_url: str
) -> None:
    with serve(evil_store_url) as base, watched_page(browser) as watched:
        page = watched.page
        open_network(watched, base)

        # Hovering the node opens our tooltip, written as text.
        x, y = node_on_screen(page, "evil")
        page.mouse.move(x, y)
        page.wait_for_selector("#pm-tooltip:not([hidden])", timeout=5_000)
        assert page.text_content("#pm-tooltip strong") == EVIL
        screenshot(page, "network-tiny-tooltip.png")

        # Search by keyboard: the result lists the name, Enter selects it.
        page.focus("#pm-search-input")
        page.keyboard.type("onerror")
        page.wait_for_selector("#pm-search-results button")
        assert page.text_content("#pm-search-results button").startswith(EVIL)
        page.keyboard.press("Enter")
        page.wait_for_selector("#pm-details:not([hidden])")
        assert page.text_content("#pm-details-name") == EVIL
        page.wait_for_timeout(600)  # let the focus animation finish
        screenshot(page, "network-tiny-search.png")

        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert watched.dialogs == []
        assert watched.errors == []
        assert watched.outside() == []


def test_network_page_of_an_empty_store_says_what_to_do(
    browser: Any, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_store(url).close()
    with serve(url) as base, watched_page(browser) as watched:
        open_network(watched, base)
        assert "No stakeholders yet" in watched.page.text_content(".pm-empty")
        assert watched.errors == []
        assert watched.outside() == []


# The whole NYC example, when it is in the clone.


@pytest.fixture(scope="module")
def nyc_store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not NYC.is_dir():
        pytest.skip(f"the NYC example is not at {NYC}")
    from partnermap.loaders import load_files

    files = sorted(p for p in NYC.iterdir() if p.suffix in {".csv", ".txt"})
    url = f"sqlite:///{tmp_path_factory.mktemp('nyc') / 'nyc.db'}"
    start = time.perf_counter()
    batch, _ = load_files(files)
    with open_store(url) as store:
        store.apply(batch)
    print(f"NYC example loaded in {time.perf_counter() - start:.1f} s")
    return url


def test_network_page_draws_the_whole_nyc_example(
    browser: Any, nyc_store_url: str
) -> None:
    with serve(nyc_store_url) as base, watched_page(browser) as watched:
        page = watched.page
        times = open_network(watched, base)
        nodes = page.evaluate(
            "JSON.parse(document.getElementById('pm-data').textContent).nodes.length"
        )
        print(
            f"NYC network page ({nodes:,} stakeholders): served in {times['served']:.0f}"
            f" ms (snapshot, findings, layout), first draw {times['drawn']:.0f} ms after"
            f" navigation, {times['drawn'] - times['served']:.0f} ms in the browser"
        )
        screenshot(page, "network-nyc.png")

        assert nodes > 1_000
        assert painted_pixels(page) > 20_000
        assert times["drawn"] < 30_000

        page.fill("#pm-search-input", "high school")
        page.wait_for_selector("#pm-search-results button")
        page.keyboard.press("Enter")
        page.wait_for_selector("#pm-details:not([hidden])")
        assert page.text_content("#pm-details-name").lower().find("high school") >= 0
        page.wait_for_timeout(1_500)  # let the focus animation finish
        screenshot(page, "network-nyc-search.png")

        assert watched.errors == []
        assert watched.outside() == []
        assert watched.dialogs == []
