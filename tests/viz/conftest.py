"""Fixtures of the browser tests: one Chromium and the NYC example per module."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from partnermap.store import open_store
from tests.viz._browser import CHROMIUM, CHROMIUM_ARGS, NYC, require_browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def nyc_store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not NYC.is_dir():
        pytest.skip(f"the NYC example is not at {NYC}")
    from partnermap.loaders import load_files

    files = sorted(p for p in NYC.iterdir() if p.suffix in {".csv", ".txt"})
    url = f"sqlite:///{tmp_path_factory.mktemp('nyc') / 'nyc.db'}"
    start = time.perf_counter()
    batch, _ = load_files(files)
    with open_store(url) as store:
        store.apply(batch)
    print(f"NYC example loaded in {time.perf_counter() - start:.1f} s")
    return url


