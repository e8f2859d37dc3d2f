"""Fixtures shared across the test tree."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from partnermap.store import open_store
from tests import tiny

ROOT = Path(__file__).resolve().parents[1]
NYC = ROOT / "examples" / "nyc"

# The tests of routes and pages run as the local demo does, without keys;
# tests/api/test_access.py turns keys on and checks every role.
os.environ.setdefault("PARTNERMAP_AUTH_REQUIRED", "false")


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


@pytest.fixture(scope="session")
def nyc_batch():  # type: ignore[no-untyped-def]
    """The NYC example as the loaders read it, once per test session."""
    from partnermap.loaders import load_files

    batch, _ = load_files(sorted(p for p in NYC.iterdir() if p.suffix != ".md"))
    return batch


@pytest.fixture(scope="session")
def nyc_store_url(nyc_batch, tmp_path_factory: pytest.TempPathFactory) -> str:  # type: ignore[no-untyped-def]
    """A SQLite store holding the NYC example, once per test session."""
    url = f"sqlite:///{tmp_path_factory.mktemp('nyc') / 'nyc.db'}"
    with open_store(url) as store:
        store.apply(nyc_batch)
    return url
