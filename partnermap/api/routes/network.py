"""GET /api/stakeholders/{id}/network and GET /api/stakeholders/{id}/whatif-leaves."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from partnermap.api.deps import (
    AnalysisDep,
    CacheDep,
    KnownDep,
    ParamsDep,
    StoreDep,
    visible,
)
from partnermap.api.routes import _views
from partnermap.graph.brokers import ties
from partnermap.graph.dormant import latest_date
from partnermap.graph.ego import ego_network

router = APIRouter(prefix="/api/stakeholders", tags=["stakeholders"])


@router.get("/{stakeholder_id:path}/network")
def network(
    stakeholder_id: str,
    store: StoreDep,
    cache: CacheDep,
    analysis: AnalysisDep,
    params: ParamsDep,
    known: KnownDep,
    depth: Annotated[int, Query(ge=1, le=4, description="Ties away from the stakeholder.")] = 1,
) -> dict[str, Any]:
    """A stakeholder's connections to a depth, with one-way and dormant ties marked."""
    visible(store, cache, stakeholder_id)
    g = analysis.snapshot.relationships
    found = ego_network(
        g, stakeholder_id, depth=depth, threshold=params.threshold, known=known,
        dormant_days=params.dormant_days,
        as_of=params.as_of or analysis.cached("latest_date", lambda: latest_date(g)),
        undirected=analysis.cached("ties", lambda: ties(g)),
    )
    return {"window": analysis.snapshot.window.label(), **found}


@router.get("/{stakeholder_id:path}/whatif-leaves")
def whatif_leaves(
    stakeholder_id: str, store: StoreDep, cache: CacheDep, analysis: AnalysisDep
) -> dict[str, Any]:
    """Who loses every tie to the rest of the network if this stakeholder leaves."""
    visible(store, cache, stakeholder_id)
    found = _views.what_if(analysis, stakeholder_id)
    return {"window": analysis.snapshot.window.label(), **found}
