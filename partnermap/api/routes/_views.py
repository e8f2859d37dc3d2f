"""What several page routes share: the all-time layout, school years, brokers.

Findings come from :mod:`partnermap.graph` and are kept in the analysis's
``extras`` so that each is computed once per store version and window.
"""

from __future__ import annotations

import importlib
from typing import Any

from fastapi import Request

from partnermap.graph.cache import Analysis, AnalysisCache
from partnermap.graph.snapshot import Window
from partnermap.store.base import Store
from partnermap.viz.layout import Point, positions
from partnermap.viz.profile import school_year_of


def all_time(request: Request, store: Store) -> Analysis:
    """The all-time analysis, whose layout every window and filter reuses."""
    cache: AnalysisCache = request.app.state.analyses
    return cache.get(store, Window())


def layout(request: Request, store: Store) -> dict[str, Point]:
    """Positions of every stakeholder, stable across windows and filters."""
    analysis = all_time(request, store)
    if "positions" not in analysis.extras:
        analysis.extras["positions"] = positions(analysis.snapshot.relationships)
    placed: dict[str, Point] = analysis.extras["positions"]
    return placed


def school_years(request: Request, store: Store) -> list[str]:
    """The school years the store's ties fall in, oldest first."""
    analysis = all_time(request, store)
    if "school_years" not in analysis.extras:
        years = set()
        for _, _, edge in analysis.snapshot.relationships.edges(data=True):
            for day in (edge.get("first"), edge.get("last")):
                if day:
                    years.add(school_year_of(_date(day)))
        analysis.extras["school_years"] = sorted(years)
    found: list[str] = analysis.extras["school_years"]
    return found


def finding(
    analysis: Analysis, kind: str, known: set[str] | None = None
) -> dict[str, Any] | None:
    """One finding of graph/'s report (brokers, dormant, coverage, summary...),
    kept with the analysis; None where graph/ does not provide that kind."""
    if kind in analysis.findings:
        found: dict[str, Any] = analysis.findings[kind]
        return found
    try:
        report = importlib.import_module("partnermap.graph.report")
    except ImportError:
        return None
    if kind not in getattr(report, "KINDS", {}):
        return None
    g = analysis.snapshot.relationships
    params = report.Params()
    result: dict[str, Any] = analysis.cached(
        report.cache_key(kind, params), lambda: report.finding(kind, g, params, known)
    )
    return result


def brokers(analysis: Analysis) -> dict[str, Any] | None:
    """The brokers finding, when graph/ provides one; None otherwise."""
    if not len(analysis.snapshot.relationships):
        return None
    return finding(analysis, "brokers")


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
