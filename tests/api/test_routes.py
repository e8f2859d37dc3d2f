"""Every route on the tiny graph: status codes, then fields."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from partnermap.model import ImportBatch, Interaction, Stakeholder
from partnermap.model import InteractionType as T
from partnermap.model import StakeholderKind as K
from partnermap.settings import Settings
from partnermap.store import open_store


def test_get_health_reports_store_counts(tiny_client: TestClient) -> None:
    res = tiny_client.get("/api/health")
    assert res.status_code == 200
    body = res.json()
    assert body["status"] == "ok"
    assert body["store"] == "sqlite"
    assert body["version"] == 1
    assert body["counts"]["stakeholders"] == 7
    assert body["counts"]["interactions"] == 8
    assert body["counts"]["kind:community_organization"] == 2


def test_list_stakeholders_orders_by_name_and_pages(tiny_client: TestClient) -> None:
    res = tiny_client.get("/api/stakeholders", params={"limit": 3})
    assert res.status_code == 200
    body = res.json()
    assert body["total"] == 7
    assert [s["name"] for s in body["items"]] == ["Chess Club", "Go Club", "Lincoln High"]
    res = tiny_client.get("/api/stakeholders", params={"limit": 3, "offset": 6})
    assert [s["name"] for s in res.json()["items"]] == ["Self Talker"]


def test_list_stakeholders_filters_by_kind_and_name(tiny_client: TestClient) -> None:
    res = tiny_client.get("/api/stakeholders", params={"kind": "community_organization"})
    assert [s["id"] for s in res.json()["items"]] == ["club-1", "club-2"]
    res = tiny_client.get("/api/stakeholders", params={"q": "LINCOLN"})
    assert [s["id"] for s in res.json()["items"]] == ["school-1", "family-1"]
    res = tiny_client.get("/api/stakeholders", params={"q": "%"})
    assert res.json()["total"] == 0


@pytest.mark.parametrize(
    "params",
    [{"kind": "spaceship"}, {"limit": 0}, {"limit": 501}, {"offset": -1}, {"q": "x" * 201}],
)
def test_list_stakeholders_rejects_bad_parameters(
    tiny_client: TestClient, params: dict[str, object]
) -> None:
    assert tiny_client.get("/api/stakeholders", params=params).status_code == 422


def test_get_stakeholder_lists_its_relationships(tiny_client: TestClient) -> None:
    res = tiny_client.get("/api/stakeholders/school-1")
    assert res.status_code == 200
    body = res.json()
    assert (body["name"], body["kind"], body["kind_label"]) == (
        "Lincoln High",
        "school",
        "School",
    )
    ties = {t["other"]["id"]: t for t in body["relationships"]}
    assert set(ties) == {"family-1", "nonprofit-1"}
    assert ties["family-1"]["status"] == "mutual"
    assert ties["family-1"]["incoming"] == {"meeting": 1}
    assert ties["nonprofit-1"]["status"] == "one_way_out"
    assert ties["nonprofit-1"]["outgoing"] == {"information_sent": 3, "partner_listed": 1}
    assert ties["nonprofit-1"]["incoming"] == {}
    assert (ties["nonprofit-1"]["first"], ties["nonprofit-1"]["last"]) == (
        "2024-07-01",
        "2024-11-02",
    )


def test_get_stakeholder_seen_from_the_receiving_side(tiny_client: TestClient) -> None:
    ties = tiny_client.get("/api/stakeholders/nonprofit-1").json()["relationships"]
    assert [(t["other"]["id"], t["status"]) for t in ties] == [("school-1", "one_way_in")]


def test_get_unknown_stakeholder_is_404(tiny_client: TestClient) -> None:
    res = tiny_client.get("/api/stakeholders/nobody")
    assert res.status_code == 404
    assert res.json() == {"error": "NotFoundError", "detail": "no stakeholder with id 'nobody'"}


def test_isolated_groups_route(tiny_client: TestClient) -> None:
    res = tiny_client.get("/api/findings/isolated-groups")
    assert res.status_code == 200
    body = res.json()
    assert body["window"] == "all time"
    assert [[m["id"] for m in g["members"]] for g in body["groups"]] == [
        ["club-1", "club-2"],
        ["self-only"],
    ]
    assert [s["id"] for s in body["isolated_stakeholders"]] == ["loner"]


def test_one_way_route(tiny_client: TestClient) -> None:
    body = tiny_client.get("/api/findings/one-way").json()
    assert body["totals"]["one_way"] == 1
    assert body["relationships"][0]["counts"] == {
        "information_sent": 3,
        "partner_listed": 1,
    }


def test_findings_take_a_window(tiny_client: TestClient) -> None:
    # In 2023 only the clubs and the self-talker interacted: the clubs are the
    # main component, the self-talker an isolated group, and the school, the
    # family group, the nonprofit and the loner have no interaction.
    body = tiny_client.get(
        "/api/findings/isolated-groups", params={"start": "2023-01-01", "end": "2023-12-31"}
    ).json()
    assert body["window"] == "2023-01-01..2023-12-31"
    assert body["totals"]["main_component_size"] == 2
    assert [s["id"] for s in body["isolated_stakeholders"]] == [
        "school-1",
        "family-1",
        "loner",
        "nonprofit-1",
    ]
    one = tiny_client.get("/api/findings/one-way", params={"school_year": "2024-25"}).json()
    assert one["totals"]["one_way"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"start": "yesterday"},
        {"school_year": "2014"},
        {"school_year": "2014-16"},
        {"start": "2024-02-01", "end": "2024-01-01"},
    ],
)
def test_findings_reject_bad_windows(
    tiny_client: TestClient, params: dict[str, str]
) -> None:
    assert tiny_client.get("/api/findings/one-way", params=params).status_code == 422


def test_openapi_docs_are_served(tiny_client: TestClient) -> None:
    assert tiny_client.get("/docs").status_code == 200
    paths = tiny_client.get("/openapi.json").json()["paths"]
    assert {"/api/health", "/api/stakeholders", "/api/stakeholders/{stakeholder_id}"} <= set(paths)
    assert {"/api/findings/isolated-groups", "/api/findings/one-way", "/network"} <= set(paths)


def test_network_page_is_html(tiny_client: TestClient) -> None:
    res = tiny_client.get("/network")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/html")
    assert "Lincoln High" in res.text


def test_validation_errors_have_the_one_error_shape(tiny_client: TestClient) -> None:
    res = tiny_client.get("/api/stakeholders", params={"limit": -1})
    assert res.status_code == 422
    body = res.json()
    assert body["error"] == "ValidationError"
    assert body["detail"][0]["loc"] == ["query", "limit"]


def test_huge_offset_is_refused_not_a_crash(tiny_client: TestClient) -> None:
    res = tiny_client.get("/api/stakeholders", params={"offset": "99999999999999999999"})
    assert res.status_code == 422


def test_unknown_path_has_the_one_error_shape(tiny_client: TestClient) -> None:
    res = tiny_client.get("/api/nothing-here")
    assert res.status_code == 404
    assert res.json() == {"error": "NotFound", "detail": "Not Found"}


def test_a_bad_page_parameter_gets_an_error_page(tiny_client: TestClient) -> None:
    res = tiny_client.get("/network", params={"kind": "wizard"})
    assert res.status_code == 422
    assert res.headers["content-type"].startswith("text/html")


def test_docs_page_uses_only_the_apps_own_assets(tiny_client: TestClient) -> None:
    page = tiny_client.get("/docs").text
    assert "cdn." not in page and "https://" not in page
    assert tiny_client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert tiny_client.get("/static/swagger/swagger-ui.css").status_code == 200


def test_a_school_year_and_dates_together_are_refused(tiny_client: TestClient) -> None:
    res = tiny_client.get(
        "/api/findings/one-way", params={"school_year": "2024-25", "start": "2024-01-01"}
    )
    assert res.status_code == 422
    assert res.json()["detail"] == "give either school_year or start/end, not both"


# An id that itself ends in "/network" or "/whatif-leaves" is the one kind
# these routes cannot tell apart from the sub-route (the README says so).
ODD_IDS = ["YMCA/Boys & Girls Club", "a/b/c", "100% Kids?#1", "x/"]


@pytest.mark.parametrize("odd", ODD_IDS)
def test_ids_with_slashes_and_url_characters_reach_every_id_route(
    tmp_path: Path, odd: str
) -> None:
    from urllib.parse import quote

    from partnermap.api.app import create_app

    url = f"sqlite:///{tmp_path / 'odd.db'}"
    with open_store(url) as store:
        store.apply(ImportBatch(
            stakeholders=[Stakeholder(odd, "Odd One", K.NONPROFIT),
                          Stakeholder("s1", "Lincoln High", K.SCHOOL)],
            interactions=[Interaction(odd, "s1", T.MEETING, date(2024, 9, 5))],
        ))
    app = create_app(url, Settings(auth_required=False))
    with TestClient(app) as client:
        for encoded in (quote(odd, safe=""), quote(odd, safe="/")):
            detail = client.get(f"/api/stakeholders/{encoded}")
            assert detail.status_code == 200, detail.text
            assert (detail.json()["id"], detail.json()["name"]) == (odd, "Odd One")
            ego = client.get(f"/api/stakeholders/{encoded}/network").json()
            assert ego["center"] == odd
            whatif = client.get(f"/api/stakeholders/{encoded}/whatif-leaves").json()
            assert whatif["stakeholder"]["id"] == odd
            page = client.get(f"/stakeholders/{encoded}")
            assert page.status_code == 200 and "Odd One" in page.text
