"""Schemathesis against the app's OpenAPI: no 500 in a bounded run, for an
admin key and a partner key, on the tiny store."""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings

from partnermap.access import Role, new_key
from partnermap.api.app import create_app
from partnermap.settings import Settings
from partnermap.store import open_store
from tests import tiny

_DIR = Path(__import__("tempfile").mkdtemp(prefix="partnermap-schemathesis-"))
_URL = f"sqlite:///{_DIR / 'tiny.db'}"
KEYS: dict[str, str] = {}
with open_store(_URL) as _store:
    _store.apply(tiny.batch())
    for _role, _sid in ((Role.ADMIN, None), (Role.PARTNER, "school-1")):
        _record, KEYS[_role.value] = new_key(_role, _sid)
        _store.add_api_key(_record)

APP = create_app(_URL, Settings(auth_required=True, max_import_mb=0.05))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _lifespan():  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(APP):
        yield


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("role", ["admin", "partner"])
def test_no_route_answers_500(case, role: str) -> None:  # type: ignore[no-untyped-def]
    res = case.call(headers={"X-API-Key": KEYS[role]})
    assert res.status_code < 500, (case.method, case.formatted_path, res.text[:300])
