"""A small cache of snapshots and their findings, keyed by store version.

Any import bumps the store version, so a cached entry for an older version is
never served again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from partnermap.graph.findings import analyze, isolated_groups_finding
from partnermap.graph.reciprocity import reporters
from partnermap.graph.report import Params, cache_key, finding
from partnermap.graph.scope import WHOLE, Scope, reach, restrict
from partnermap.graph.snapshot import Snapshot, Window, take_snapshot
from partnermap.store.base import Store

T = TypeVar("T")


@dataclass
class Analysis:
    """A snapshot with its findings, and room for derived views (layouts)."""

    snapshot: Snapshot
    findings: dict[str, Any]
    extras: dict[Any, Any] = field(default_factory=dict)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The extra under ``key``, computed once and kept with this analysis.

        Two requests racing for one key may both compute it; both get an
        equal answer and the first one stored is kept.
        """
        if key not in self.extras:
            value = compute()
            self.extras.setdefault(key, value)
        result: T = self.extras[key]
        return result


def _analysis(snap: Snapshot) -> Analysis:
    """A snapshot with the findings every page reads.

    Over all time the reporters are the graph's own, so the one-way finding
    is the one the findings routes serve: it is kept, with its tie balances
    and the reporters, where they look for it instead of being built twice.
    """
    g = snap.relationships
    if snap.window != Window():
        return Analysis(snap, analyze(g))
    found = Analysis(snap, {})
    known = found.cached("reporters", lambda: reporters(g))
    params = Params()
    one_way = found.cached(
        cache_key("one_way", params),
        lambda: finding("one_way", g, params, known, found.extras),
    )
    found.findings = {"isolated_groups": isolated_groups_finding(g), "one_way": one_way}
    return found


class AnalysisCache:
    """Snapshots and findings for the last few (version, window) pairs, and
    for more (version, window, scope) triples, which are small."""

    def __init__(self, size: int = 8, mask: Callable[[str], str] | None = None) -> None:
        self.size = size
        self.mask = mask
        self._items: OrderedDict[tuple[int, Window], Analysis] = OrderedDict()
        self._scoped: OrderedDict[tuple[int, Window, Scope], Analysis] = OrderedDict()
        self._lock = threading.Lock()
        self._scoped_lock = threading.Lock()

    def scoped(self, scope: Scope) -> ScopedCache:
        """This cache as a reader with ``scope`` sees it."""
        return ScopedCache(self, scope)

    def get(
        self, store: Store, window: Window | None = None, scope: Scope = WHOLE
    ) -> Analysis:
        """The analysis of the store's current version for a window and scope."""
        window = window or Window()
        if not scope.whole:
            return self._get_scoped(store, window, scope)
        key = (store.version(), window)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            found = _analysis(take_snapshot(store, window))
            snap = found.snapshot
            self._items[(snap.version, window)] = found
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return found

    def _get_scoped(self, store: Store, window: Window, scope: Scope) -> Analysis:
        # The scope's stakeholders come from the all-time graph, so a partner
        # sees the same neighbourhood in every window.
        base, whole = self.get(store, window), self.get(store, Window())
        key = (base.snapshot.version, window, scope)
        with self._scoped_lock:
            if key in self._scoped:
                self._scoped.move_to_end(key)
                return self._scoped[key]
        nodes = None
        if scope.center is not None:
            nodes = reach(whole.snapshot.relationships, scope.center, scope.depth)
        g = restrict(
            base.snapshot.relationships, nodes, mask=self.mask if scope.mask_people else None
        )
        found = Analysis(Snapshot(g, base.snapshot.version, window), analyze(g))
        with self._scoped_lock:
            found = self._scoped.setdefault(key, found)
            while len(self._scoped) > 4 * self.size + 32:
                self._scoped.popitem(last=False)
        return found


class ScopedCache:
    """An :class:`AnalysisCache` as one reader sees it: ``get`` gives the
    analysis restricted to the reader's scope."""

    def __init__(self, cache: AnalysisCache, scope: Scope) -> None:
        self.cache = cache
        self.scope = scope

    def get(self, store: Store, window: Window | None = None) -> Analysis:
        """The analysis of the store's current version for a window, in scope."""
        return self.cache.get(store, window, self.scope)
