"""What several routes share: the all-time layout, school years, findings.

Findings come from :mod:`partnermap.graph` and are kept in the analysis's
``extras`` so that each is computed once per store version and window.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from partnermap.api.deps import access, get_cache
from partnermap.graph.brokers import ties, what_if_leaves
from partnermap.graph.cache import Analysis, ScopedCache
from partnermap.graph.changes import changes_finding
from partnermap.graph.report import Params, cache_key
from partnermap.graph.report import finding as report_finding
from partnermap.graph.snapshot import Window
from partnermap.model import FIRST_DAY, LAST_DAY
from partnermap.store.base import Store
from partnermap.viz.layout import Point, positions
from partnermap.viz.profile import school_year_of


def all_time(request: Request, store: Store) -> Analysis:
    """The all-time analysis in the key's scope, whose layout every window and
    filter reuses."""
    return get_cache(request, store, access(request)).get(store, Window())


def all_time_nodes(cache: ScopedCache, store: Store) -> Any:
    """The stakeholders in the key's scope, all time (a node view)."""
    return cache.get(store, Window()).snapshot.relationships.nodes


def layout(request: Request, store: Store) -> dict[str, Point]:
    """Positions of every stakeholder, stable across windows and filters."""
    analysis = all_time(request, store)
    placed: dict[str, Point] = analysis.cached(
        "positions", lambda: positions(analysis.snapshot.relationships)
    )
    return placed


def school_years(request: Request, store: Store) -> list[str]:
    """The school years the store's ties fall in, oldest first."""
    analysis = all_time(request, store)

    def years() -> list[str]:
        found = set()
        for _, _, edge in analysis.snapshot.relationships.edges(data=True):
            for day in (edge.get("first"), edge.get("last")):
                # A store loaded before such dates were refused may hold one.
                if day and FIRST_DAY <= _date(day) <= LAST_DAY:
                    found.add(school_year_of(_date(day)))
        return sorted(found)

    result: list[str] = analysis.cached("school_years", years)
    return result


def finding(analysis: Analysis, kind: str, known: set[str]) -> dict[str, Any]:
    """One finding of graph/'s report with its default parameters, kept with
    the analysis under the same key as GET /api/findings/<kind>.

    ``known`` must be the all-time reporters (:data:`~partnermap.api.deps.KnownDep`),
    as the API passes them, since the cached result is shared with it.
    """
    g = analysis.snapshot.relationships
    params = Params()
    result: dict[str, Any] = analysis.cached(
        cache_key(kind, params),
        lambda: report_finding(kind, g, params, known, analysis.extras),
    )
    return result


def brokers(analysis: Analysis) -> dict[str, Any] | None:
    """The brokers finding (it reads no reporters); None for an empty graph."""
    if not len(analysis.snapshot.relationships):
        return None
    return finding(analysis, "brokers", set())


def what_if(analysis: Analysis, node: str) -> dict[str, Any]:
    """What the network loses if ``node`` leaves, kept with the analysis."""
    g = analysis.snapshot.relationships
    near = analysis.cached("ties", lambda: ties(g))
    found: dict[str, Any] = analysis.cached(
        ("whatif", node), lambda: what_if_leaves(g, node, near)
    )
    return found


def changes(
    cache: ScopedCache, store: Store, first: Window, second: Window
) -> dict[str, Any]:
    """What changed from one period to another, kept with the second one."""
    before, after = cache.get(store, first), cache.get(store, second)
    labels = (before.snapshot.window.label(), after.snapshot.window.label())
    found: dict[str, Any] = after.cached(
        ("changes-from", before.snapshot.window),
        lambda: changes_finding(
            before.snapshot.relationships, after.snapshot.relationships, labels
        ),
    )
    return found


def one_way_pairs(analysis: Analysis) -> set[tuple[str, str]]:
    """The one-way relationships of the findings, as (source, target) ids."""
    rows = analysis.findings["one_way"]["relationships"]
    return {(r["source"]["id"], r["target"]["id"]) for r in rows}


def isolated_groups(analysis: Analysis) -> tuple[dict[str, list[str]], list[str]]:
    """Isolated groups by id with their members, and the untied stakeholders."""
    found = analysis.findings["isolated_groups"]
    groups = {g["id"]: [m["id"] for m in g["members"]] for g in found["groups"]}
    return groups, [m["id"] for m in found["isolated_stakeholders"]]


def _date(day: str) -> Any:
    from datetime import date

    return date.fromisoformat(day[:10])
