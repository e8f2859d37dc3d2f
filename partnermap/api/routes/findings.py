"""GET /api/findings/{kind}: the same content as ``partnermap analyze --json``.

Every route takes the time window (``start``/``end`` or ``school_year``);
heavy results are kept with the cached analysis, so a repeated request is
answered without recomputing.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from partnermap.api.deps import AnalysisDep, KnownDep, ParamsDep
from partnermap.graph.cache import Analysis
from partnermap.graph.report import Params, cache_key, finding

router = APIRouter(prefix="/api/findings", tags=["findings"])


def _serve(kind: str, analysis: Analysis, params: Params, known: set[str]) -> dict[str, Any]:
    g = analysis.snapshot.relationships
    found = analysis.cached(
        cache_key(kind, params), lambda: finding(kind, g, params, known, analysis.extras)
    )
    return {"window": analysis.snapshot.window.label(), **found}


@router.get("/isolated-groups")
def isolated_groups(analysis: AnalysisDep) -> dict[str, Any]:
    """Isolated groups with their members, and stakeholders with no tie at all."""
    return {"window": analysis.snapshot.window.label(), **analysis.findings["isolated_groups"]}


@router.get("/one-way")
def one_way(analysis: AnalysisDep, params: ParamsDep, known: KnownDep) -> dict[str, Any]:
    """One-way ties with counts by type; every pair classified, unknown sides apart."""
    return _serve("one_way", analysis, params, known)


@router.get("/brokers")
def brokers(analysis: AnalysisDep, params: ParamsDep, known: KnownDep) -> dict[str, Any]:
    """Brokers by betweenness, what each one's leaving cuts off, and fragile ties."""
    return _serve("brokers", analysis, params, known)


@router.get("/coverage")
def coverage(analysis: AnalysisDep, params: ParamsDep, known: KnownDep) -> dict[str, Any]:
    """Stakeholders that break a coverage rule, and what each lacks."""
    return _serve("coverage", analysis, params, known)


@router.get("/need")
def need(analysis: AnalysisDep, params: ParamsDep, known: KnownDep) -> dict[str, Any]:
    """Schools by need against partners, most need and fewest partners first."""
    return _serve("need", analysis, params, known)


@router.get("/dormant")
def dormant(analysis: AnalysisDep, params: ParamsDep, known: KnownDep) -> dict[str, Any]:
    """Ties with no interaction in the last ``dormant_days`` before ``as_of``."""
    return _serve("dormant", analysis, params, known)


@router.get("/communities")
def communities(analysis: AnalysisDep, params: ParamsDep, known: KnownDep) -> dict[str, Any]:
    """Louvain communities and how they cut across boroughs and districts."""
    return _serve("communities", analysis, params, known)


@router.get("/introductions")
def introductions(analysis: AnalysisDep, params: ParamsDep, known: KnownDep) -> dict[str, Any]:
    """Suggested introductions for isolated groups and schools lacking a business partner."""
    return _serve("introductions", analysis, params, known)


@router.get("/summary")
def summary(analysis: AnalysisDep, params: ParamsDep, known: KnownDep) -> dict[str, Any]:
    """The four ideas of authentic community engagement, with their measures."""
    return _serve("summary", analysis, params, known)
