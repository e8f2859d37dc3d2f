"""Every page in a real headless Chromium on the NYC example, served by the app.

Each page loads without console errors and asks nothing of any host but
127.0.0.1; clicks do what they should (search finds a school, a click opens
its profile, a filter hides what it should, a heading sorts a table).
Screenshots go to test-output/pages-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.viz._browser import open_network, screenshot, serve, watched_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(nyc_store_url: str) -> Iterator[str]:
    with serve(nyc_store_url) as url:
        yield url


def clean(watched: Any) -> None:
    assert watched.errors == []
    assert watched.outside() == []
    assert watched.dialogs == []


def node_kinds(page: Any) -> set[str]:
    return set(
        page.evaluate(
            """() => {
                const d = JSON.parse(document.getElementById('pm-data').textContent);
                return d.nodes.map(n => d.kinds[n[2]].key);
            }"""
        )
    )


def test_search_finds_a_school_and_a_click_opens_its_profile(
    browser: Any, base: str
) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        open_network(watched, base)
        screenshot(page, "pages-network.png")
        page.fill("#pm-search-input", "Henry Street School")
        page.wait_for_selector("#pm-search-results button")
        page.keyboard.press("Enter")
        page.wait_for_selector("#pm-details:not([hidden])")
        assert page.text_content("#pm-details-name") == (
            "Henry Street School for International Studies"
        )
        assert page.get_attribute("#pm-details-profile", "href") == "/stakeholders/01M292"
        page.wait_for_timeout(700)
        screenshot(page, "pages-network-selected.png")

        with page.expect_download() as download:
            page.click("#pm-png")
        assert download.value.suggested_filename == "partnermap-network.png"

        page.click("#pm-details-profile")
        page.wait_for_url(f"{base}/stakeholders/01M292")
        assert "Henry Street School" in page.text_content("h1")
        assert page.locator("#pm-connections tbody tr").count() > 3
        assert page.locator("svg.pm-net-svg").count() == 1
        screenshot(page, "pages-profile.png")
        clean(watched)


def test_a_kind_filter_hides_every_other_kind(browser: Any, base: str) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        open_network(watched, base, "/network?borough=Bronx")
        assert len(node_kinds(page)) > 1
        if not page.locator(".pm-filters details[open]").count():
            page.click(".pm-filters summary")
        page.check("input[name=kind][value=school]")
        page.click("#pm-apply")
        page.wait_for_url("**kind=school**")
        page.wait_for_selector("body[data-drawn]")
        assert node_kinds(page) == {"school"}
        assert page.get_attribute("#pm-f-borough option[selected]", "value") is None
        assert page.text_content("#pm-f-borough option[selected]") == "Bronx"
        screenshot(page, "pages-network-filtered.png")
        clean(watched)


def test_findings_sort_and_lead_to_the_network(browser: Any, base: str) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(f"{base}/findings")
        screenshot(page, "pages-findings.png")
        sizes = "#t-groups tbody tr td:nth-child(2)"
        page.click("#t-groups th:nth-child(2) button")
        ascending = [int(t.replace(",", "")) for t in page.locator(sizes).all_text_contents()]
        assert ascending == sorted(ascending) and ascending[0] < ascending[-1]
        page.click("#t-groups th:nth-child(2) button")
        descending = [int(t.replace(",", "")) for t in page.locator(sizes).all_text_contents()]
        assert descending == sorted(ascending, reverse=True)

        page.click("#t-groups tbody tr:first-child a:text('See on network')")
        page.wait_for_selector("body[data-settled]", timeout=60_000)
        assert "group=group-" in page.url
        shown = page.evaluate(
            "JSON.parse(document.getElementById('pm-data').textContent).nodes.length"
        )
        assert shown == descending[0]
        screenshot(page, "pages-network-group.png")
        clean(watched)


def test_report_shows_the_four_ideas_and_prints(browser: Any, base: str) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(f"{base}/report")
        assert page.locator("svg.pm-net-svg").count() == 1
        assert page.locator("svg.pm-chart").count() == 2 + 4  # kinds, balance, four ideas
        assert "(4,636 of 5,993)" in page.text_content("#idea-intentional_culture_and_diversity")
        assert page.locator("#gap-rules li").count() == 3
        screenshot(page, "pages-report.png")
        page.emulate_media(media="print")
        assert page.locator(".pm-nav").is_hidden()
        page.screenshot(path=str(_out("pages-report-print.png")), full_page=True)
        page.emulate_media(media="screen")
        clean(watched)


def test_changes_between_the_two_latest_years_sort_and_lead_to_profiles(
    browser: Any, base: str
) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(f"{base}/changes")
        assert page.input_value("select[name=from]") == "2014-15"
        assert page.input_value("select[name=to]") == "2016-17"
        assert page.text_content("#h-new") == "New relationships (808)"
        assert page.locator("#t-new tbody tr").count() == 200
        screenshot(page, "pages-changes.png")

        after = "#t-strengthened tbody tr td:nth-child(4)"
        page.click("#t-strengthened th:nth-child(4) button")
        page.click("#t-strengthened th:nth-child(4) button")
        events = [int(t.split()[0].replace(",", ""))
                  for t in page.locator(after).all_text_contents()]
        assert events == sorted(events, reverse=True) and events[0] > events[-1]

        page.click("#t-joined tbody tr:first-child a")
        page.wait_for_url(f"{base}/stakeholders/**")
        assert page.locator("#pm-connections").count() == 1
        clean(watched)


def test_a_missing_profile_is_a_404_page(browser: Any, base: str) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        # The 404 itself is the one console message Chromium logs.
        response = page.goto(f"{base}/stakeholders/nobody")
        assert response is not None and response.status == 404
        assert "no stakeholder with id 'nobody'" in page.text_content("main")
        assert [e for e in watched.errors if "404" not in e] == []
        assert watched.outside() == []


def _out(name: str) -> Any:
    from tests.viz._browser import OUT

    OUT.mkdir(exist_ok=True)
    return OUT / name
