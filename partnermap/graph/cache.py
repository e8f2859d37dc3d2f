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

from partnermap.graph.findings import analyze
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


class AnalysisCache:
    """Snapshots and findings for the last few (version, window) pairs."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._items: OrderedDict[tuple[int, Window], Analysis] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: Store, window: Window | None = None) -> Analysis:
        """The analysis of the store's current version for a window."""
        window = window or Window()
        key = (store.version(), window)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            snap = take_snapshot(store, window)
            found = Analysis(snap, analyze(snap.relationships))
            self._items[(snap.version, window)] = found
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return found
