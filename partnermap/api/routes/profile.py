"""GET /stakeholders/{id}: a stakeholder's profile page ("My connections")."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from partnermap.api.deps import AnalysisDep, CacheDep, KnownDep, StoreDep, visible
from partnermap.api.routes import _views
from partnermap.viz.profile import render_profile

router = APIRouter(prefix="/stakeholders", tags=["pages"])


@router.get("/{stakeholder_id:path}", response_class=HTMLResponse)
def profile(
    stakeholder_id: str,
    store: StoreDep,
    cache: CacheDep,
    analysis: AnalysisDep,
    known: KnownDep,
) -> HTMLResponse:
    """Connections, one-way and dormant ties, rules broken, history and
    neighbourhood of one stakeholder."""
    found = visible(store, cache, stakeholder_id)
    g = analysis.snapshot.relationships
    # Only events whose both sides the key may see.
    seen = _views.all_time_nodes(cache, store)
    events = [i for i in store.interactions_of(stakeholder_id)
              if i.source in seen and i.target in seen]
    brokers = _views.brokers(analysis) or {}
    html = render_profile(
        g,
        stakeholder_id,
        name=found.name,
        kind=found.kind.value,
        attributes=found.attributes,
        source=found.source,
        one_way_rows=analysis.findings["one_way"]["relationships"],
        interactions=events,
        window=analysis.snapshot.window.label(),
        broker=next(
            (b for b in brokers.get("brokers", [])
             if b["stakeholder"]["id"] == stakeholder_id),
            None,
        ),
        dormant=_views.finding(analysis, "dormant", known),
        coverage=_views.finding(analysis, "coverage", known),
        what_if=_views.what_if(analysis, stakeholder_id) if stakeholder_id in g else None,
    )
    return HTMLResponse(html)
