"""Every finding kind in one place: parameters, names, and how to compute each.

The API, the CLI and the benchmark go through :func:`finding` and
:func:`analyze_all`; none of them calls the analytics modules directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from partnermap.graph.brokers import brokers_finding, ties
from partnermap.graph.communities import communities_finding
from partnermap.graph.coverage import coverage_finding, default_rules_text, parse_rules
from partnermap.graph.dormant import dormant_finding
from partnermap.graph.engagement import engagement_summary
from partnermap.graph.findings import isolated_groups_finding, one_way_finding
from partnermap.graph.introductions import introductions_finding
from partnermap.graph.need import need_finding
from partnermap.graph.reciprocity import TieBalance, tie_balances


@dataclass(frozen=True)
class Params:
    """What a finding can be tuned by; hashable, so results cache by it.

    ``threshold``: share of a pair's events at which it is lopsided (0.5-1).
    ``dormant_days`` and ``as_of``: the dormancy period and its end.
    ``rules``: coverage rules as TOML text; None for the shipped defaults.
    ``seed``: for Louvain and sampled betweenness.
    """

    threshold: float = 0.8
    dormant_days: int = 365
    as_of: date | None = None
    rules: str | None = None
    seed: int = 0


class _Shared:
    """Views several findings need, built once per graph and kept in ``memo``."""

    def __init__(self, g: nx.DiGraph, p: Params, known: set[str] | None,
                 memo: dict[Any, Any]) -> None:
        self.g, self.p, self.known, self.memo = g, p, known, memo

    @property
    def h(self) -> nx.Graph:
        return self._get(("ties",), lambda: ties(self.g))

    @property
    def balances(self) -> list[TieBalance]:
        return self._get(("balances", self.p.threshold),
                         lambda: tie_balances(self.g, threshold=self.p.threshold, known=self.known))

    def _get(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]


def _rules(p: Params) -> tuple[Any, ...]:
    if p.rules is None:
        return parse_rules(default_rules_text(), "default rules")
    return parse_rules(p.rules, "rules")


KINDS: dict[str, Callable[[_Shared], dict[str, Any]]] = {
    "isolated_groups": lambda s: isolated_groups_finding(s.g),
    "one_way": lambda s: one_way_finding(
        s.g, threshold=s.p.threshold, known=s.known, balances=s.balances
    ),
    "brokers": lambda s: brokers_finding(s.g, seed=s.p.seed, h=s.h),
    "coverage": lambda s: coverage_finding(s.g, _rules(s.p)),
    "need": lambda s: need_finding(s.g),
    "dormant": lambda s: dormant_finding(s.g, days=s.p.dormant_days, as_of=s.p.as_of),
    "communities": lambda s: communities_finding(s.g, seed=s.p.seed, h=s.h),
    "introductions": lambda s: introductions_finding(s.g, h=s.h),
    "summary": lambda s: engagement_summary(
        s.g, threshold=s.p.threshold, known=s.known, h=s.h, balances=s.balances
    ),
}
"""Finding kinds in report order; the API spells them with hyphens."""

PARAMS_USED: dict[str, tuple[str, ...]] = {
    "isolated_groups": (), "one_way": ("threshold",), "brokers": ("seed",),
    "coverage": ("rules",), "need": (), "dormant": ("dormant_days", "as_of"),
    "communities": ("seed",), "introductions": (), "summary": ("threshold",),
}


def cache_key(kind: str, params: Params) -> tuple[Any, ...]:
    """The key a finding caches under: its kind and only the params it reads."""
    return ("finding", kind, *(getattr(params, name) for name in PARAMS_USED[kind]))


def finding(
    kind: str,
    g: nx.DiGraph,
    params: Params | None = None,
    known: set[str] | None = None,
    memo: dict[Any, Any] | None = None,
) -> dict[str, Any]:
    """One finding of the relationship graph; raises KeyError for an unknown kind.

    ``memo`` keeps views shared between findings (the undirected ties, the
    tie balances) so that computing several findings of one graph builds
    each view once; pass the same dict for the same graph and ``known``.

    >>> finding("need", nx.DiGraph())["totals"]
    {'ranked': 0, 'need_unknown': 0, 'high_need_low_support': 0}
    """
    shared = _Shared(g, params or Params(), known, {} if memo is None else memo)
    return KINDS[kind](shared)


def analyze_all(
    g: nx.DiGraph, params: Params | None = None, known: set[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Every finding, keyed by kind in report order."""
    memo: dict[Any, Any] = {}
    return {kind: finding(kind, g, params, known, memo) for kind in KINDS}
