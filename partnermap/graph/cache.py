"""Snapshots and their findings, kept per window and scope, by store version.

Any import that changes the store bumps its version. A request reads the
version first and is never given an analysis of an older one, so nothing it
gets predates an import that committed before it started; it may get a newer
one than it read. Each (window, scope) keeps only its latest analysis.

Requests that miss the same analysis, or the same extra of one analysis,
wait for one computation instead of each running their own (single flight);
an error in that computation reaches every request that waited for it.

A scope other than the whole network is cheap to check and dear to analyse:
after a version change its graph is rebuilt (the all-time ties of the whole
network, from which scopes are reached, are built once per version) and
compared with the one it had. When an import left it unchanged, as an import
elsewhere in the network does for a partner's neighbourhood, the analysis it
had is carried to the new version: for all time with its findings and every
extra (layouts, rendered pages, other findings), for other windows with its
findings only.

Notes
-----
An extra of an all-time scoped analysis must depend on that analysis's graph
alone (and on the all-time analysis of its scope, which it is): that is what
makes it safe to carry. The changes between two periods, kept with the later
one, also read the earlier period; when the later one is all time, it is
carried while the all-time graph of the scope is unchanged, which keeps every
window's graph unchanged too unless a stakeholder was forgotten and loaded
again with the same totals per tie but other dates, all between two requests.

The whole network is never carried: nearly every import changes it, and
comparing two NYC-sized graphs costs about half as much as analysing one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

import networkx as nx

from partnermap.graph.brokers import ties
from partnermap.graph.findings import analyze, isolated_groups_finding
from partnermap.graph.reciprocity import reporters
from partnermap.graph.report import Params, cache_key, finding
from partnermap.graph.scope import WHOLE, Scope, restrict
from partnermap.graph.snapshot import Snapshot, Window, take_snapshot
from partnermap.privacy import person_label
from partnermap.store.base import Store

T = TypeVar("T")

_MISSING: Any = object()
"""What a lookup gives when the value is not there (None may be a value)."""

_TIES = ("ties",)
"""The extra holding the undirected ties; graph/report.py keeps them under the
same key, so the brokers finding and the scopes' reach share one."""


class _Flights:
    """At most one computation per key at a time; callers asking for a key in
    flight wait for its result (or its error) instead of computing it again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._running: dict[Hashable, tuple[int, Future[Any]]] = {}

    def run(
        self,
        key: Hashable,
        lookup: Callable[[], Any],
        compute: Callable[[], T],
        keep: Callable[[T], T],
    ) -> T:
        """What ``lookup`` finds, else the result of one ``compute`` for ``key``.

        ``lookup`` and ``keep`` (which stores the result and returns what the
        caller should get) run under the lock, so a caller never misses both a
        stored value and the flight that stores it.
        """
        me = threading.get_ident()
        with self.lock:
            found = lookup()
            if found is not _MISSING:
                result: T = found
                return result
            flight = self._running.get(key)
            if flight is None:
                future: Future[Any] = Future()
                self._running[key] = (me, future)
        if flight is not None:
            owner, waiting = flight
            # A computation asking for its own key would wait for itself.
            return compute() if owner == me else waiting.result()
        return self._fly(key, compute, keep, future)

    def _fly(
        self,
        key: Hashable,
        compute: Callable[[], T],
        keep: Callable[[T], T],
        future: Future[Any],
    ) -> T:
        try:
            value = compute()
            with self.lock:
                value = keep(value)
                del self._running[key]
        except BaseException as exc:
            with self.lock:
                self._running.pop(key, None)
            future.set_exception(exc)
            raise
        future.set_result(value)
        return value


@dataclass
class Analysis:
    """A snapshot with its findings, and room for derived views (layouts).

    ``extras`` of an all-time analysis in a scope may be carried to a later
    store version (see the module Notes): keep there only what follows from
    this analysis's graph.
    """

    snapshot: Snapshot
    findings: dict[str, Any]
    extras: dict[Any, Any] = field(default_factory=dict)
    _flights: _Flights = field(default_factory=_Flights, repr=False, compare=False)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The extra under ``key``, computed once and kept with this analysis.

        Requests racing for one key wait for one computation. A value stored
        in ``extras`` directly meanwhile is kept, and returned instead.

        >>> found = Analysis(Snapshot(nx.DiGraph(), 1, Window()), {})
        >>> found.cached("answer", lambda: 42), found.cached("answer", lambda: 0)
        (42, 42)
        """
        return self._flights.run(
            key,
            lambda: self.extras.get(key, _MISSING),
            compute,
            lambda value: self.extras.setdefault(key, value),
        )

    def carried(self, version: int, *, extras: bool) -> Analysis:
        """This analysis as that of a later ``version`` whose graph is the same;
        with its extras (shared, not copied) or with none."""
        snap = Snapshot(self.snapshot.relationships, version, self.snapshot.window)
        if not extras:
            return Analysis(snap, self.findings)
        return Analysis(snap, self.findings, self.extras, self._flights)


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


def _reach(whole: Analysis, scope: Scope) -> frozenset[str]:
    """:func:`partnermap.graph.scope.reach` of the scope's center, on the
    undirected ties kept with the whole network's all-time analysis."""
    h = whole.cached(_TIES, lambda: ties(whole.snapshot.relationships))
    if scope.center not in h:
        return frozenset()
    return frozenset(
        nx.single_source_shortest_path_length(h, scope.center, scope.depth)
    )


def _same(a: nx.DiGraph, b: nx.DiGraph) -> bool:
    """Whether two graphs hold the same nodes, ties and data; sizes first, as
    most graphs that differ differ in size."""
    return (
        len(a) == len(b)
        and a.number_of_edges() == b.number_of_edges()
        and nx.utils.graphs_equal(a, b)
    )


class AnalysisCache:
    """The latest analysis for each of a few windows, and for more (window,
    scope) pairs, which are small."""

    def __init__(self, size: int = 8, mask: Callable[[str], str] | None = None) -> None:
        self.size = size
        self.mask = mask
        self._whole: OrderedDict[Window, Analysis] = OrderedDict()
        self._scoped: OrderedDict[tuple[Window, Scope], Analysis] = OrderedDict()
        self._flights = _Flights()

    def scoped(self, scope: Scope) -> ScopedCache:
        """This cache as a reader with ``scope`` sees it."""
        return ScopedCache(self, scope)

    def get(
        self, store: Store, window: Window | None = None, scope: Scope = WHOLE
    ) -> Analysis:
        """The analysis of the store's current version (or a later one) for a
        window and scope."""
        return self._get(store, store.version(), window or Window(), scope)

    def _get(
        self, store: Store, version: int, window: Window, scope: Scope
    ) -> Analysis:
        # The whole network and the scopes live in two tables of their own size.
        if scope.whole:
            table: OrderedDict[Any, Analysis] = self._whole
            key: Hashable = window
            most = self.size
        else:
            table, key, most = self._scoped, (window, scope), 4 * self.size + 32

        def lookup() -> Analysis:
            found = table.get(key)
            if found is None or found.snapshot.version < version:
                return _MISSING
            table.move_to_end(key)
            return found

        def keep(found: Analysis) -> Analysis:
            # A slow computation of an older version does not replace a newer one.
            kept = table.get(key)
            if kept is None or kept.snapshot.version <= found.snapshot.version:
                table[key] = found
                table.move_to_end(key)
            while len(table) > most:
                table.popitem(last=False)
            return found

        def compute() -> Analysis:
            if scope.whole:
                return _analysis(take_snapshot(store, window))
            return self._scope(store, version, window, scope)

        return self._flights.run((version, key), lookup, compute, keep)

    def _scope(
        self, store: Store, version: int, window: Window, scope: Scope
    ) -> Analysis:
        # The scope's stakeholders come from the all-time graph, so a partner
        # sees the same neighbourhood in every window.
        base = self._get(store, version, window, WHOLE)
        whole = (
            base if window == Window() else self._get(store, version, Window(), WHOLE)
        )
        nodes = None if scope.center is None else _reach(whole, scope)
        g = restrict(
            base.snapshot.relationships,
            nodes,
            mask=(self.mask or person_label) if scope.mask_people else None,
            grouping=whole.snapshot.relationships,
            keep=() if scope.center is None else (scope.center,),
        )
        # Both analyses hold at least ``version``; the older one labels the result.
        label = min(base.snapshot.version, whole.snapshot.version)

        # An import elsewhere leaves this scope as it was: keep what it had.
        with self._flights.lock:
            had = self._scoped.get((window, scope))
        if had is not None and _same(had.snapshot.relationships, g):
            if had.snapshot.version >= label:
                return had
            return had.carried(label, extras=window == Window())
        return Analysis(Snapshot(g, label, window), analyze(g))


class ScopedCache:
    """An :class:`AnalysisCache` as one reader sees it: ``get`` gives the
    analysis restricted to the reader's scope.

    Made for one request: the store's version is read at the first ``get``
    and kept, so every analysis the request gets is of that version (or a
    later one), and the store is asked once instead of at every ``get``.
    """

    def __init__(self, cache: AnalysisCache, scope: Scope) -> None:
        self.cache = cache
        self.scope = scope
        self._version: int | None = None

    def get(self, store: Store, window: Window | None = None) -> Analysis:
        """The analysis of the store's version for a window, in scope."""
        if self._version is None:
            self._version = store.version()
        return self.cache._get(store, self._version, window or Window(), self.scope)
