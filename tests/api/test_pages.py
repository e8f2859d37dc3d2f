"""The page routes without a browser: status codes, escaping, 404, exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from partnermap.model import Interaction, Stakeholder
from partnermap.model import InteractionType as T
from partnermap.model import StakeholderKind as K
from partnermap.store import open_store
from tests import tiny

EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture
def evil_client(tmp_path: Path) -> TestClient:
    from partnermap.api.app import create_app

    batch = tiny.batch()
    batch.stakeholders.append(Stakeholder("evil", EVIL, K.NONPROFIT, {"note": EVIL}))
    batch.stakeholders.append(Stakeholder("evil-school", EVIL, K.SCHOOL, {"frl_percent": 90}))
    batch.interactions += [
        Interaction("school-1", "evil", T.INFORMATION_SENT, date(2024, 9, 3)),
        Interaction("evil-school", "evil", T.MEETING, date(2023, 1, 2)),
    ]
    url = f"sqlite:///{tmp_path / 'evil.db'}"
    with open_store(url) as store:
        store.apply(batch)
    with TestClient(create_app(url)) as client:
        yield client  # type: ignore[misc]


@pytest.mark.parametrize(
    "path",
    [
        "/network",
        "/network?kind=school&kind=nonprofit",
        "/network?finding=one_way",
        "/network?finding=isolated&school_year=",
        "/network?group=group-1",
        "/network?focus=evil",
        "/stakeholders/evil",
        "/stakeholders/school-1",
        "/findings",
        "/findings?all=1",
        "/report",
        "/changes?from=2014-15&to=2016-17",
        "/changes",
        "/changes?from=2023&to=2024&all=1",
        "/stakeholders/evil-school",
        "/guide/findings",
    ],
)
def test_get_page_escapes_a_hostile_name(evil_client: TestClient, path: str) -> None:
    res = evil_client.get(path)
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/html")
    assert EVIL not in res.text
    assert "<img" not in res.text


def test_get_profile_lists_connections_and_marks_one_way(tiny_client: TestClient) -> None:
    res = tiny_client.get("/stakeholders/school-1")
    assert res.status_code == 200
    assert "<h1>Lincoln High</h1>" in res.text
    assert "One-way out" in res.text and "Mutual" in res.text
    assert 'href="/stakeholders/nonprofit-1"' in res.text


def test_get_profile_of_an_unknown_id_is_a_404_page(tiny_client: TestClient) -> None:
    res = tiny_client.get("/stakeholders/nobody")
    assert res.status_code == 404
    assert res.headers["content-type"].startswith("text/html")
    assert "no stakeholder with id &#39;nobody&#39;" in res.text


def test_api_errors_stay_json(tiny_client: TestClient) -> None:
    res = tiny_client.get("/api/stakeholders/nobody")
    assert res.json() == {"error": "NotFoundError", "detail": "no stakeholder with id 'nobody'"}


@pytest.mark.parametrize(
    "params", [{"kind": "spaceship"}, {"finding": "all"}, {"district": "7"},
               {"group": "x"}, {"school_year": "2014"}]
)
def test_get_network_rejects_bad_filters(tiny_client: TestClient, params: dict[str, str]) -> None:
    assert tiny_client.get("/network", params=params).status_code == 422


def test_network_kind_filter_keeps_only_that_kind(tiny_client: TestClient) -> None:
    text = tiny_client.get("/network.csv", params={"kind": "community_organization"}).text
    rows = text.splitlines()
    assert rows[0].startswith("source_id,source_name")
    assert {r.split(",")[0] for r in rows[1:]} == {"club-1", "club-2"}


def test_network_csv_neutralises_formulas(tmp_path: Path) -> None:
    from partnermap.api.app import create_app

    url = f"sqlite:///{tmp_path / 'f.db'}"
    batch = tiny.batch()
    batch.stakeholders.append(Stakeholder("f", "=HYPERLINK(1)", K.BUSINESS))
    with open_store(url) as store:
        store.apply(batch)
    with TestClient(create_app(url)) as client:
        text = client.get("/network.csv").text
    assert "f,'=HYPERLINK(1),business" in text


def test_changes_page_skips_a_date_no_school_year_holds(tmp_path: Path) -> None:
    """A store loaded before 9999-12-31 was refused: the page's default
    periods are the last two years it can name."""
    from partnermap.api.app import create_app

    url = f"sqlite:///{tmp_path / 'd.db'}"
    batch = tiny.batch()
    batch.interactions.append(
        Interaction("school-1", "club-1", T.MEETING, date(9999, 12, 31)))
    with open_store(url) as store:
        store.apply(batch)
    with TestClient(create_app(url)) as client:
        res = client.get("/changes")
    assert res.status_code == 200
    assert "9999-00" not in res.text


def test_network_gexf_holds_the_filtered_view(tiny_client: TestClient) -> None:
    res = tiny_client.get("/network.gexf", params={"finding": "one_way"})
    assert res.status_code == 200
    assert "<gexf" in res.text
    assert 'id="school-1"' in res.text and 'id="nonprofit-1"' in res.text
    assert 'id="club-1"' not in res.text


def test_network_aggregates_past_the_setting(tiny_store_url: str) -> None:
    from partnermap.api.app import create_app
    from partnermap.settings import Settings

    with TestClient(create_app(tiny_store_url, Settings(view_max_nodes=2))) as client:
        text = client.get("/network").text
    assert "7 stakeholders" in text


ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/findings", 'id="coverage"'),
        ("/findings", 'id="need"'),
        ("/findings", 'id="dormant"'),
        ("/findings", 'id="communities"'),
        ("/findings", 'id="introductions"'),
        ("/report", 'id="gap-rules"'),
        ("/changes?from=2022-23&to=2024-25", 'id="new"'),
        ("/changes?from=2022-23&to=2024-25", 'id="dropped"'),
        ("/stakeholders/evil-school", 'id="pm-rules"'),
        ("/stakeholders/evil-school", 'id="pm-whatif"'),
    ],
)
def test_new_sections_show_a_hostile_name_as_text(
    evil_client: TestClient, path: str, section: str
) -> None:
    res = evil_client.get(path)
    assert res.status_code == 200
    part = res.text.split(section, 1)[1].split("</section>", 1)[0]
    assert ESCAPED in part


def _section(text: str, ident: str) -> str:
    return text.split(f'id="{ident}"', 1)[1].split("</section>", 1)[0]


def test_get_changes_defaults_to_the_two_latest_school_years(
    tiny_client: TestClient,
) -> None:
    text = tiny_client.get("/changes").text
    assert "<option selected>2022-23</option>" in text.split('name="to"')[0]
    assert "<option selected>2024-25</option>" in text.split('name="to"')[1]
    assert "What changed from 2022-23 to 2024-25" in text


def test_get_changes_lists_each_change_on_the_tiny_graph(tiny_client: TestClient) -> None:
    res = tiny_client.get("/changes", params={"from": "2023", "to": "2024"})
    assert res.status_code == 200
    new, ended = _section(res.text, "new"), _section(res.text, "ended")
    assert "New relationships (2)" in new
    assert new.count('href="/stakeholders/school-1"') == 2
    assert 'href="/stakeholders/family-1"' in new
    assert 'href="/stakeholders/nonprofit-1"' in new
    assert "none" in new and "4 events · cooperation" in new
    assert "Ended relationships (1)" in ended
    assert "2 events · integration" in ended and "Chess Club" in ended and "Go Club" in ended
    assert "Strengthened relationships (0)" in _section(res.text, "strengthened")
    joined = _section(res.text, "joined")
    assert "Stakeholders who joined (3)" in joined
    assert [i for i in ("family-1", "nonprofit-1", "school-1") if f"<td>{i}</td>" in joined] == [
        "family-1", "nonprofit-1", "school-1"]
    dropped = _section(res.text, "dropped")
    assert "<td>club-1</td>" in dropped and "<td>club-2</td>" in dropped


def test_get_changes_rejects_an_unreadable_period(tiny_client: TestClient) -> None:
    res = tiny_client.get("/changes", params={"from": "someday", "to": "2024"})
    assert res.status_code == 422
    assert res.headers["content-type"].startswith("text/html")
    assert "period &#39;someday&#39; is not understood" in res.text


def test_get_report_shows_the_four_ideas_and_rule_gaps(tiny_client: TestClient) -> None:
    text = tiny_client.get("/report").text
    assert "40% (2 of 5)" in _section(text, "idea-shared_vision")
    culture = _section(text, "idea-intentional_culture_and_diversity")
    assert "43% (3 of 7)" in culture and "33% (1 of 3)" in culture
    assert "nothing to measure" in _section(text, "idea-authentic_collaboration")
    assert 'href="/guide/findings#the-four-ideas-summary"' in text
    rules = text.split('id="gap-rules"', 1)[1].split("</div>", 1)[0]
    assert "<b>1 of 1</b> break “Every school has at least one business partner”: Lincoln High." in rules
    assert "<b>0 of 1</b> break “Every school has a two-way tie with a family group”." in rules


def test_get_profile_marks_dormant_ties_rules_and_what_if(tiny_client: TestClient) -> None:
    club = tiny_client.get("/stakeholders/club-1").text
    assert "1 mutual, 0 one-way out, 0 one-way in; 1 dormant." in " ".join(club.split())
    assert 'title="last interaction 2023-01-05">dormant</span>' in club
    assert "if Chess Club leaves, nobody is cut off" in club
    assert 'id="pm-rules"' not in club
    school = tiny_client.get("/stakeholders/school-1").text
    assert "dormant</span>" not in school
    assert "Every school has at least one business partner: has 0, needs 1." in school
    whatif = _section(school, "pm-whatif")
    assert "if Lincoln High leaves, 1 nonprofit loses every tie" in whatif
    assert 'href="/stakeholders/nonprofit-1">Reading Partners</a>' in whatif


def test_get_findings_shows_the_findings_of_graph(tiny_client: TestClient) -> None:
    text = tiny_client.get("/findings").text
    coverage = _section(text, "coverage")
    assert coverage.count("<tr><td>") == 1
    assert '<a href="/stakeholders/school-1">Lincoln High</a>' in coverage
    dormant = _section(text, "dormant")
    assert "1 of 3 ties" in dormant and "<td>2023-01-05</td>" in dormant
    assert 'href="/network?focus=club-1"' in dormant
    assert "2 of 2 span" not in _section(text, "communities")
    intro = _section(text, "introductions")
    assert 'href="/network?group=group-1"' in intro
    assert "No school has need figures" in _section(text, "need")


def test_get_findings_caps_the_new_tables_unless_all(
    tiny_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from partnermap.viz import reports

    monkeypatch.setattr(reports, "ROWS", 1)
    capped = _section(tiny_client.get("/findings").text, "introductions")
    assert "Showing 1 of 3." in capped
    full = _section(tiny_client.get("/findings", params={"all": 1}).text, "introductions")
    assert "Showing" not in full


def test_every_guide_link_has_its_section(tiny_client: TestClient) -> None:
    import re

    guide = tiny_client.get("/guide/findings").text
    links = set()
    for path in ("/findings", "/report", "/changes", "/stakeholders/school-1"):
        links |= set(re.findall(r'href="/guide/findings#([^"]+)"', tiny_client.get(path).text))
    assert len(links) >= 6
    assert [a for a in sorted(links) if f'id="{a}"' not in guide] == []
