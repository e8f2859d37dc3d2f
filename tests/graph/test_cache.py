"""The analysis cache: one computation per missing analysis or extra, never
older than the version a request read, and a scope an import left alone
carried to the new version."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

import networkx as nx
import pytest

from partnermap.graph.cache import Analysis, AnalysisCache, _reach
from partnermap.graph.scope import WHOLE, Scope, reach
from partnermap.graph.snapshot import Snapshot, Window
from partnermap.model import Flow, ImportBatch, Interaction
from partnermap.model import InteractionType as T
from partnermap.privacy import person_label
from partnermap.store import open_store
from partnermap.store.base import StoreError
from partnermap.store.sqlite import SQLiteStore
from tests import tiny

R = TypeVar("R")

PARTNER = Scope("school-1", 2, mask_people=True)
"""school-1's neighbourhood: itself, family-1 and nonprofit-1."""

YEAR = Window(date(2024, 7, 1), date(2025, 6, 30))

ELSEWHERE = ImportBatch(
    interactions=[Interaction("club-1", "loner", T.MEETING, date(2024, 9, 9))]
)
"""An import outside school-1's neighbourhood."""

INSIDE = ImportBatch(
    interactions=[
        Interaction("nonprofit-1", "school-1", T.FEEDBACK_GIVEN, date(2024, 9, 9))
    ]
)
"""An import inside it: nonprofit-1 answers, so no tie is one-way any more."""


class CountingStore(SQLiteStore):
    """A SQLite store that counts snapshot and version reads, can hold snapshot
    reads until ``gate`` is set, and fails them while ``fail`` is set."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.flows = 0
        self.versions = 0
        self.gate = threading.Event()
        self.gate.set()
        self.fail = False
        self._count = threading.Lock()

    def iter_flows(
        self, *, start: date | None = None, end: date | None = None
    ) -> Iterator[Flow]:
        with self._count:
            self.flows += 1
        self.gate.wait(10)
        if self.fail:
            raise StoreError("the store is gone")
        return super().iter_flows(start=start, end=end)

    def version(self) -> int:
        with self._count:
            self.versions += 1
        return super().version()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CountingStore]:
    found = CountingStore(tmp_path / "tiny.db")
    found.apply(tiny.batch())
    found.flows = found.versions = 0
    yield found
    found.close()


def _together(
    gate: threading.Event, call: Callable[[], R], n: int = 8
) -> list[R | BaseException]:
    """``call`` from ``n`` threads at once, while ``gate`` holds the first one
    inside its computation; each thread's result or error."""
    out: list[R | BaseException] = [RuntimeError("not run")] * n

    def one(i: int) -> None:
        try:
            out[i] = call()
        except (StoreError, ValueError) as exc:
            out[i] = exc

    gate.clear()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    gate.set()
    for t in threads:
        t.join(10)
    return out


def _analysis() -> Analysis:
    return Analysis(Snapshot(nx.DiGraph([("a", "b")]), 1, Window()), {})


# -- one computation per key ------------------------------------------------


def test_get_whole_concurrent_requests_compute_once(store: CountingStore) -> None:
    cache = AnalysisCache()
    found = _together(store.gate, lambda: cache.get(store))
    assert store.flows == 1
    assert all(f is found[0] for f in found)
    assert isinstance(found[0], Analysis)


def test_get_scoped_concurrent_requests_compute_once(store: CountingStore) -> None:
    cache = AnalysisCache(mask=person_label)
    found = _together(store.gate, lambda: cache.get(store, None, PARTNER))
    # The scope is cut from the one all-time snapshot of the whole network.
    assert store.flows == 1
    assert all(f is found[0] for f in found)
    assert isinstance(found[0], Analysis)
    assert sorted(found[0].snapshot.relationships) == [
        "family-1",
        "nonprofit-1",
        "school-1",
    ]


def test_get_error_reaches_every_waiter_and_is_not_kept(store: CountingStore) -> None:
    cache = AnalysisCache()
    store.fail = True
    found = _together(store.gate, lambda: cache.get(store))
    assert store.flows == 1
    assert [str(f) for f in found] == ["the store is gone"] * 8
    assert all(isinstance(f, StoreError) for f in found)
    store.fail = False
    assert "loner" in cache.get(store).snapshot.relationships
    assert store.flows == 2


def test_cached_concurrent_requests_compute_once() -> None:
    found, gate, calls = _analysis(), threading.Event(), []

    def compute() -> list[str]:
        calls.append(1)
        gate.wait(10)
        return ["drawn"]

    got = _together(gate, lambda: found.cached("layout", compute))
    assert calls == [1]
    assert all(g is found.extras["layout"] for g in got)
    assert found.extras == {"layout": ["drawn"]}


def test_cached_error_reaches_every_waiter_and_is_not_kept() -> None:
    found, gate = _analysis(), threading.Event()

    def compute() -> int:
        gate.wait(10)
        raise ValueError("no layout")

    got = _together(gate, lambda: found.cached("layout", compute))
    assert [str(g) for g in got] == ["no layout"] * 8
    assert found.extras == {}
    assert found.cached("layout", lambda: 7) == 7


def test_cached_own_key_inside_its_computation_does_not_wait_for_itself() -> None:
    found = _analysis()
    assert found.cached("k", lambda: found.cached("k", lambda: 5) + 1) == 6
    assert found.extras == {"k": 6}


def test_cached_keeps_a_value_stored_directly_meanwhile() -> None:
    found = _analysis()

    def compute() -> str:
        found.extras["page"] = "first"
        return "second"

    assert found.cached("page", compute) == "first"
    assert found.extras == {"page": "first"}


# -- versions ---------------------------------------------------------------


def test_get_after_import_gives_the_new_version(store: CountingStore) -> None:
    cache = AnalysisCache()
    before = cache.get(store)
    store.apply(ELSEWHERE)
    after = cache.get(store)
    assert after.snapshot.version == before.snapshot.version + 1
    assert after.snapshot.relationships.has_edge("club-1", "loner")
    assert not before.snapshot.relationships.has_edge("club-1", "loner")


def test_scoped_cache_reads_the_version_once(store: CountingStore) -> None:
    cache = AnalysisCache(mask=person_label)
    for window in (Window(), YEAR):
        cache.get(store, window, PARTNER)
    store.versions = 0
    request = cache.scoped(PARTNER)
    request.get(store)
    request.get(store, Window())
    request.get(store, YEAR)
    assert store.versions == 1


def test_scoped_cache_read_before_import_may_get_the_newer_analysis(
    store: CountingStore,
) -> None:
    cache = AnalysisCache()
    request = cache.scoped(WHOLE)
    old = request.get(store)
    store.apply(ELSEWHERE)
    new = cache.get(store)
    assert request.get(store) is new
    assert new.snapshot.version == old.snapshot.version + 1


# -- carrying a scope an import left alone ----------------------------------


def test_scope_unchanged_by_import_is_carried_with_its_extras(
    store: CountingStore,
) -> None:
    cache = AnalysisCache(mask=person_label)
    before = cache.get(store, None, PARTNER)
    before.cached("layout", lambda: "drawn")
    store.apply(ELSEWHERE)
    after = cache.get(store, None, PARTNER)
    assert after.snapshot.version == before.snapshot.version + 1
    assert after.findings is before.findings
    assert after.snapshot.relationships is before.snapshot.relationships
    assert after.extras == {"layout": "drawn"}
    fresh = AnalysisCache(mask=person_label).get(store, None, PARTNER)
    assert after.findings == fresh.findings


def test_scope_changed_by_import_is_analysed_again(store: CountingStore) -> None:
    cache = AnalysisCache(mask=person_label)
    before = cache.get(store, None, PARTNER)
    before.cached("layout", lambda: "drawn")
    store.apply(INSIDE)
    after = cache.get(store, None, PARTNER)
    assert before.findings["one_way"]["totals"]["one_way"] == 1
    assert after.findings["one_way"]["totals"]["one_way"] == 0
    assert after.extras == {}


def test_scope_in_a_window_is_carried_without_its_extras(store: CountingStore) -> None:
    cache = AnalysisCache(mask=person_label)
    before = cache.get(store, YEAR, PARTNER)
    before.cached("changes", lambda: "from another window")
    store.apply(ELSEWHERE)
    after = cache.get(store, YEAR, PARTNER)
    assert after.snapshot.version == before.snapshot.version + 1
    assert after.findings is before.findings
    assert after.extras == {}


def test_masked_whole_network_is_analysed_again_after_any_change(
    store: CountingStore,
) -> None:
    viewer = Scope(mask_people=True)
    cache = AnalysisCache(mask=person_label)
    before = cache.get(store, None, viewer)
    store.apply(ELSEWHERE)
    after = cache.get(store, None, viewer)
    assert after.findings is not before.findings
    assert after.snapshot.relationships.has_edge("club-1", "loner")


# -- reach ------------------------------------------------------------------


def test_reach_on_kept_ties_matches_scope_reach(nyc_store_url: str) -> None:
    with open_store(nyc_store_url) as nyc:
        whole = AnalysisCache().get(nyc)
    g = whole.snapshot.relationships
    schools = sorted(n for n, kind in g.nodes(data="kind") if kind == "school")[:40]
    for center in [*schools, "not-a-stakeholder"]:
        for depth in (1, 2):
            assert _reach(whole, Scope(center, depth)) == reach(g, center, depth)
