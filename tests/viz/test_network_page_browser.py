"""GET /network in a real headless Chromium, served by the real app.

Checks that the page draws its canvas, logs no console error, never asks
anything of a host other than 127.0.0.1, and shows a stakeholder named like
an HTML tag as text. Screenshots go to test-output/ for a person to look at.
Fixtures and helpers: conftest.py and _browser.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from partnermap.model import Interaction, Stakeholder
from partnermap.model import InteractionType as T
from partnermap.model import StakeholderKind as K
from partnermap.store import open_store
from tests import tiny
from tests.viz._browser import (
    EVIL,
    node_on_screen,
    open_network,
    painted_pixels,
    screenshot,
    serve,
    watched_page,
)

pytestmark = pytest.mark.browser

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
        # A large view jumps to the found node in one frame (vis-network
        # animates by frame count: 24 full redraws for 400 ms).
        assert page.evaluate("pmNetwork.getScale()") >= 1.0
        page.wait_for_timeout(300)
        screenshot(page, "network-nyc-search.png")

        # The neighbourhood stays bright, everyone else is dimmed.
        selected, bright, dim = page.evaluate(
            """() => {
                const i = pmNetwork.getSelectedNodes()[0];
                const o = Object.values(pmNetwork.body.nodes).map(n => n.options.opacity);
                return [i, o.filter(x => x === undefined || x === 1).length,
                        o.filter(x => x === 0.18).length];
            }"""
        )
        assert selected is not None
        assert 1 < bright < nodes / 10
        assert bright + dim == nodes

        # Zoomed in, arrowheads are drawn (the picture loses pixels without
        # them); zoomed out to the whole view, they are left out.
        def arrow_pixels() -> int:
            page.evaluate("pmNetwork.renderer._redraw()")
            with_arrows = painted_pixels(page)
            page.evaluate(
                """() => {
                    const r = pmNetwork.renderer, draw = r._drawArrows;
                    r._drawArrows = () => {};
                    r._redraw();
                    r._drawArrows = draw;
                }"""
            )
            return with_arrows - painted_pixels(page)

        assert arrow_pixels() > 0
        page.evaluate("pmNetwork.fit({animation: false})")
        assert page.evaluate("pmNetwork.getScale()") < 0.4
        assert arrow_pixels() == 0

        assert watched.errors == []
        assert watched.outside() == []
        assert watched.dialogs == []


def test_docs_page_lists_the_api_offline(browser: Any, evil_store_url: str) -> None:
    # Swagger UI must read FastAPI's OpenAPI 3.1 and come from the app itself.
    with serve(evil_store_url) as base, watched_page(browser) as watched:
        page = watched.page
        page.goto(f"{base}/docs")
        page.wait_for_selector(".opblock", timeout=15_000)
        screenshot(page, "docs.png")
        assert page.locator(".opblock").count() >= 20
        assert "Unable to render" not in page.content()
        assert watched.outside() == []
        assert watched.errors == []
