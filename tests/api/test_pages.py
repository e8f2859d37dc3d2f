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
    batch.interactions.append(
        Interaction("school-1", "evil", T.INFORMATION_SENT, date(2024, 9, 3))
    )
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
