"""Fixtures shared across the test tree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from partnermap.store import open_store
from tests import tiny

ROOT = Path(__file__).resolve().parents[1]
NYC = ROOT / "examples" / "nyc"


@pytest.fixture
def tiny_store_url(tmp_path: Path) -> str:
    """A SQLite store holding the tiny hand-drawn graph."""
    url = f"sqlite:///{tmp_path / 'tiny.db'}"
    with open_store(url) as store:
        store.apply(tiny.batch())
    return url


@pytest.fixture
def tiny_client(tiny_store_url: str) -> Iterator[TestClient]:
    """The app over the tiny store."""
    from partnermap.api.app import create_app

    with TestClient(create_app(tiny_store_url)) as client:
        yield client
