"""Running the real app in uvicorn and driving Debian's Chromium with Playwright.

Shared by the browser tests (fixtures are in conftest.py). Needs Debian's
chromium at /usr/bin/chromium (Playwright's own browser download cannot be
fetched here); without it the tests skip, except under CI=true, where that is
a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn

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


def require_browser() -> None:
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


@contextmanager
def serve(store_url: str, settings: Any = None) -> Iterator[str]:
    """The real app on 127.0.0.1 and a free port, in a background thread."""
    from partnermap.api.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(store_url, settings), log_level="warning", lifespan="on")
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


def screenshot(page: Any, name: str) -> None:
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / name))




def open_network(watched: Watched, base: str, path: str = "/network") -> dict[str, float]:
    """Load /network and wait until it is drawn and still.

    Returns milliseconds since navigation: ``served`` when the page had
    arrived (the server's work included), ``drawn`` at the first frame.
    """
    watched.page.goto(f"{base}{path}")
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
