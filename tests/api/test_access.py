"""Who may see what, generated over every route of the app.

The store is the tiny graph plus a person (name kept by a coordinator) three
ties from the partner's stakeholder:

    nonprofit-1 - school-1 - family-1 - person-00000000000000aa

A partner key bound to nonprofit-1 sees nonprofit-1, school-1 and family-1
(depth 2) and nothing else, on every route; a viewer never sees the person's
name; keys below coordinator may not import, below admin may not read the
audit log.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from partnermap.access import Role, new_key
from partnermap.model import Interaction, Stakeholder
from partnermap.model import InteractionType as T
from partnermap.model import StakeholderKind as K
from partnermap.privacy import person_label
from partnermap.settings import Settings
from partnermap.store import open_store
from tests import tiny

PERSON = "person-00000000000000aa"
NAME = "Maria Lopez"
OUTSIDE = ["Chess Club", "Go Club", "Lonely Org", "Self Talker", NAME, person_label(PERSON)]
IN_SCOPE = ["school-1", "family-1", "nonprofit-1"]
OUT_OF_SCOPE = ["club-1", "loner", PERSON, "no-such-id"]

# Query parameters a route needs to answer 200.
REQUIRED = {"/api/changes": {"from": "2023", "to": "2024"}}
# Routes that are not behind a key: the login itself, docs and assets.
OPEN = {"/login", "/logout", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}
MIN_ROLE = {("GET", "/api/audit"): Role.ADMIN, ("POST", "/api/imports"): Role.COORDINATOR}


def _store(tmp_path: Path) -> tuple[str, dict[str, str]]:
    batch = tiny.batch()
    batch.stakeholders.append(Stakeholder(PERSON, NAME, K.PERSON, {"email": "m@x.org"}))
    batch.interactions.append(Interaction("family-1", PERSON, T.MEETING, date(2024, 9, 5)))
    url = f"sqlite:///{tmp_path / 'access.db'}"
    secrets: dict[str, str] = {}
    with open_store(url) as store:
        store.apply(batch)
        for role in Role:
            record, secret = new_key(role, "nonprofit-1" if role is Role.PARTNER else None)
            store.add_api_key(record)
            secrets[role.value] = secret
        revoked, secrets["revoked"] = new_key(Role.ADMIN)
        store.add_api_key(revoked)
        store.revoke_api_key(revoked.id, "2024-01-01T00:00:00+00:00")
    return url, secrets


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    from partnermap.api.app import create_app

    url, secrets = _store(tmp_path_factory.mktemp("access"))
    app = create_app(url, Settings(auth_required=True))
    with TestClient(app) as client:
        yield client, secrets


def _routes() -> list[tuple[str, str]]:
    from partnermap.api.app import create_app

    app = create_app("sqlite:///:memory:", Settings(auth_required=True))
    found = []
    for route in _walk(app.routes):
        if isinstance(route, APIRoute) and route.path not in OPEN:
            found += [(m, route.path) for m in sorted(route.methods - {"HEAD"})]
    return sorted(found)


def _walk(routes: list[Any]) -> Iterator[Any]:
    """Routes, with those of included routers (wrapped by newer FastAPI)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from _walk(inner.routes) if inner is not None else [route]


ROUTES = _routes()
ID_ROUTES = [(m, p) for m, p in ROUTES if "{" in p]
GET_ROUTES = [(m, p) for m, p in ROUTES if m == "GET"]


def _call(client: TestClient, method: str, path: str, key: str | None,
          sid: str = "nonprofit-1") -> Any:
    url = re.sub(r"\{[^}]+\}", sid, path)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    params = REQUIRED.get(path, {})
    if method == "POST":
        params = {"filename": "edges.csv"}
        return client.post(url, params=params, headers=headers,
                           content=b"source,target,type\nclub-1,loner,meeting\n")
    return client.get(url, params=params, headers=headers, follow_redirects=False)


def test_routes_are_found() -> None:
    assert ("GET", "/api/stakeholders/{stakeholder_id:path}") in ROUTES
    assert ("GET", "/network.csv") in ROUTES
    assert ("POST", "/api/imports") in ROUTES


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_no_key_is_refused(keyed: Any, method: str, path: str) -> None:
    client, _ = keyed
    res = _call(client, method, path, None)
    if path.startswith("/api"):
        assert res.status_code == 401
        assert res.headers["www-authenticate"] == "Bearer"
        assert res.json()["error"] == "UnauthenticatedError"
    else:
        assert res.status_code == 303
        assert res.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("key", ["revoked", "pm_not-a-key", "x" * 5000])
def test_unknown_or_revoked_key_is_refused(keyed: Any, method: str, path: str, key: str) -> None:
    client, secrets = keyed
    res = _call(client, method, path, secrets.get(key, key))
    assert res.status_code == (401 if path.startswith("/api") else 303)


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_what_it_may(keyed: Any, method: str, path: str, role: Role) -> None:
    client, secrets = keyed
    res = _call(client, method, path, secrets[role.value])
    needed = MIN_ROLE.get((method, path))
    if needed is not None and not role.at_least(needed):
        assert res.status_code == 403
        wording = {
            Role.ADMIN: "this needs an admin key or higher",
            Role.COORDINATOR: "this needs a coordinator key or higher",
        }
        assert res.json()["detail"] == wording[needed]
    else:
        assert res.status_code == (307 if path == "/" else 200), res.text


@pytest.mark.parametrize(("method", "path"), ID_ROUTES)
@pytest.mark.parametrize("other", OUT_OF_SCOPE)
def test_partner_gets_404_for_every_id_outside_its_network(
    keyed: Any, method: str, path: str, other: str
) -> None:
    client, secrets = keyed
    res = _call(client, method, path, secrets["partner"], sid=other)
    assert res.status_code == 404
    if path.startswith("/api"):
        assert res.json()["detail"] == f"no stakeholder with id {other!r}"


@pytest.mark.parametrize(("method", "path"), ID_ROUTES)
@pytest.mark.parametrize("sid", IN_SCOPE)
def test_partner_sees_its_network_to_depth_two(keyed: Any, method: str, path: str, sid: str) -> None:
    client, secrets = keyed
    assert _call(client, method, path, secrets["partner"], sid=sid).status_code == 200


@pytest.mark.parametrize(("method", "path"), GET_ROUTES)
def test_partner_never_sees_anything_outside_its_network(keyed: Any, method: str, path: str) -> None:
    client, secrets = keyed
    for sid in IN_SCOPE:
        text = _call(client, method, path, secrets["partner"], sid=sid).text
        assert [name for name in OUTSIDE if name in text] == []
        assert "club-1" not in text and PERSON not in text


@pytest.mark.parametrize(("method", "path"), GET_ROUTES)
def test_viewer_never_sees_a_kept_person_name(keyed: Any, method: str, path: str) -> None:
    client, secrets = keyed
    for sid in (PERSON, "family-1"):
        text = _call(client, method, path, secrets["viewer"], sid=sid).text
        assert NAME not in text and "m@x.org" not in text


def test_viewer_sees_the_person_only_in_a_group(keyed: Any) -> None:
    client, secrets = keyed
    res = _call(client, "GET", "/api/stakeholders/{id}", secrets["viewer"], sid=PERSON)
    assert res.status_code == 404
    res = client.get("/api/stakeholders", params={"kind": "person"},
                     headers={"X-API-Key": secrets["viewer"]})
    assert [(s["name"], s["attributes"]) for s in res.json()["items"]] == [
        ("fewer than 5 people tied to Lincoln PTA", {"people": "fewer than 5"})
    ]
    res = client.get("/api/stakeholders", params={"q": "maria"},
                     headers={"X-API-Key": secrets["viewer"]})
    assert res.json()["total"] == 0


def test_coordinator_sees_the_kept_name(keyed: Any) -> None:
    client, secrets = keyed
    res = _call(client, "GET", "/api/stakeholders/{id}", secrets["coordinator"], sid=PERSON)
    assert res.json()["name"] == NAME


def test_partner_list_holds_only_its_network(keyed: Any) -> None:
    client, secrets = keyed
    res = client.get("/api/stakeholders", headers={"X-API-Key": secrets["partner"]})
    assert res.status_code == 200
    assert sorted(s["id"] for s in res.json()["items"]) == sorted(IN_SCOPE)
    assert res.json()["total"] == 3


def test_counts_of_people_under_five_are_hidden(keyed: Any) -> None:
    client, secrets = keyed
    viewer = client.get("/api/health", headers={"X-API-Key": secrets["viewer"]}).json()
    admin = client.get("/api/health", headers={"X-API-Key": secrets["admin"]}).json()
    assert viewer["counts"]["kind:person"] == "fewer than 5"
    assert admin["counts"]["kind:person"] == 1
    partner = client.get("/api/health", headers={"X-API-Key": secrets["partner"]}).json()
    assert partner["counts"]["stakeholders"] == 3


def test_login_sets_a_strict_httponly_cookie(keyed: Any) -> None:
    client, secrets = keyed
    res = client.post("/login", data={"key": secrets["viewer"], "next": "/findings"},
                      follow_redirects=False)
    assert res.status_code == 303
    assert res.headers["location"] == "/findings"
    cookie = res.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/findings").status_code == 200
    client.get("/logout")
    client.cookies.clear()
    assert client.get("/findings", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_login_never_redirects_off_site(keyed: Any, target: str) -> None:
    client, secrets = keyed
    res = client.post("/login", data={"key": secrets["viewer"], "next": target},
                      follow_redirects=False)
    assert res.headers["location"] == "/network"
    client.cookies.clear()


def test_login_with_a_bad_key_is_refused(keyed: Any) -> None:
    client, _ = keyed
    res = client.post("/login", data={"key": "pm_nope"}, follow_redirects=False)
    assert res.status_code == 401
    assert "That key is unknown or revoked." in res.text
    assert "set-cookie" not in res.headers


def test_audit_log_records_key_use_and_imports(keyed: Any) -> None:
    client, secrets = keyed
    admin = {"X-API-Key": secrets["admin"]}
    client.post("/api/imports", params={"filename": "e.csv"},
                content=b"source,target,type\nschool-1,loner,meeting\n",
                headers={"X-API-Key": secrets["coordinator"]})
    lines = client.get("/api/audit", params={"limit": 1000}, headers=admin).json()
    actions = {line["action"] for line in lines}
    assert {"key-use", "import"} <= actions
    assert all(NAME not in line["what"] for line in lines)


def test_a_change_with_the_cookie_must_come_from_this_site(keyed: Any) -> None:
    """SameSite=Strict keeps other sites' requests from the cookie, but not
    another port of the same host or a sibling subdomain: a write that uses
    the cookie must name this site as its Origin (or Referer)."""
    client, secrets = keyed
    admin = {"X-API-Key": secrets["admin"]}
    res = client.post("/login", data={"key": secrets["coordinator"]}, follow_redirects=False)
    assert res.status_code == 303
    body = b"id,name,kind\ncsrf-1,Forged Partner,nonprofit\n"
    upload = {"filename": "p.csv"}
    before = client.get("/api/health", headers=admin).json()["version"]
    for headers in ({"Origin": "http://testserver:8612"}, {"Origin": "null"},
                    {"Referer": "http://sibling.testserver/page"}, {},
                    # A proxy's Basic login the browser adds is not our key.
                    {"Origin": "http://testserver:8612", "Authorization": "Basic eDp5"}):
        res = client.post("/api/imports", params=upload, content=body, headers=headers)
        assert res.status_code == 403, headers
        assert res.json()["detail"].startswith(
            "a change sent with the login cookie must come from partnermap's own pages")
    assert client.get("/api/health", headers=admin).json()["version"] == before
    # From the site itself, or with the key in a header (not the cookie), it goes;
    # behind a proxy the site's name may come in any case, with its default
    # port, or in X-Forwarded-Host (first of a chain).
    for headers in ({"Origin": "http://testserver"},
                    {"Host": "PM.example:443", "Origin": "https://pm.example"},
                    {"Host": "app:8000", "X-Forwarded-Host": "pm.example, edge",
                     "Origin": "https://pm.example"}):
        res = client.post("/api/imports", params=upload, content=body, headers=headers)
        assert res.status_code == 200, headers
    client.cookies.clear()
    res = client.post("/api/imports", params=upload, content=body,
                      headers={"Origin": "http://testserver:8612", "X-API-Key":
                               secrets["coordinator"]})
    assert res.status_code == 200


def test_a_login_form_from_another_origin_is_refused(keyed: Any) -> None:
    client, secrets = keyed
    res = client.post("/login", data={"key": secrets["viewer"]},
                      headers={"Origin": "http://testserver:8612"}, follow_redirects=False)
    assert res.status_code == 403
    assert "Log in from this site&#39;s own login page." in res.text
    assert "set-cookie" not in res.headers
    res = client.post("/login", data={"key": secrets["viewer"]},
                      headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert res.status_code == 303
    client.cookies.clear()


@pytest.mark.parametrize("path", ["/login", "/network", "/api/health", "/docs"])
def test_no_page_may_be_framed_by_another_site(keyed: Any, path: str) -> None:
    client, _ = keyed
    res = client.get(path, follow_redirects=False)
    assert res.headers["x-frame-options"] == "DENY"
    assert res.headers["content-security-policy"] == "frame-ancestors 'none'"


def test_a_keyless_demo_takes_no_change_from_another_site(tiny_client: TestClient) -> None:
    """Without keys (the local demo) any page the user opens could post to
    127.0.0.1: a browser's write naming another origin is refused; curl's
    (no Origin) and the site's own go through."""
    body = b"id,name,kind\ndemo-1,Demo Org,nonprofit\n"
    local = {"Host": "127.0.0.1:8000"}
    res = tiny_client.post("/api/imports", params={"filename": "p.csv"}, content=body,
                           headers={**local, "Origin": "https://evil.example"})
    assert res.status_code == 403
    assert res.json()["detail"].startswith("a change to a server without API keys")
    for headers in ({}, local, {**local, "Origin": "http://127.0.0.1:8000"},
                    {"Host": "localhost:8000", "Origin": "http://localhost:8000"}):
        res = tiny_client.post("/api/imports", params={"filename": "p.csv"}, content=body,
                               headers=headers)
        assert res.status_code == 200, headers


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_keyless_demo_answers_no_browser_under_another_name(
    tiny_client: TestClient, method: str
) -> None:
    """DNS rebinding: a page of evil.example whose name now points at
    127.0.0.1 is same-origin with itself, so only the host name tells."""
    headers = {"Host": "evil.example:8000", "Origin": "http://evil.example:8000",
               "Sec-Fetch-Site": "same-origin"}
    res = tiny_client.request(method, "/api/audit" if method == "GET" else "/api/imports",
                              params={"filename": "p.csv"}, headers=headers,
                              content=b"id,name,kind\nx,X,nonprofit\n")
    assert res.status_code == 403
    assert res.json()["detail"].startswith(
        "a server without API keys answers browsers only as 127.0.0.1 or localhost, "
        "not as 'evil.example'")


def test_every_page_but_the_login_links_to_log_out(keyed: Any) -> None:
    client, secrets = keyed
    viewer = {"X-API-Key": secrets["viewer"]}
    assert '<a class="pm-logout" href="/logout">Log out</a>' in client.get(
        "/findings", headers=viewer).text
    assert "pm-logout" not in client.get("/login").text  # it has its own line for that
