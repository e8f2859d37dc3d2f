"""The network explorer: GET /network and its exports /network.csv, .gexf.

Every filter is a query parameter, so a view can be bookmarked and shared,
and the exports take the same ones as the page.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from partnermap.api.deps import AnalysisDep, SettingsDep, StoreDep
from partnermap.api.routes import _views
from partnermap.graph.cache import Analysis
from partnermap.model import StakeholderKind
from partnermap.viz.explorer import (
    FINDINGS,
    View,
    ViewFilter,
    aggregate,
    places,
    select,
)
from partnermap.viz.export import view_csv, view_gexf
from partnermap.viz.network import render_network

router = APIRouter(tags=["pages"])

_CACHED_VIEWS = 16


def view_filter(
    kind: Annotated[list[StakeholderKind] | None, Query(description="Only these kinds.")] = None,
    borough: Annotated[str, Query(max_length=60, description="A borough, e.g. Bronx.")] = "",
    district: Annotated[
        str, Query(pattern=r"^(\d{2})?$", description="A district: DBN digits, e.g. 07.")
    ] = "",
    finding: Annotated[
        str, Query(pattern=r"^(one_way|isolated)?$", description="one_way or isolated.")
    ] = "",
    group: Annotated[
        str, Query(pattern=r"^(group-\d+)?$", description="One isolated group, e.g. group-3.")
    ] = "",
) -> ViewFilter:
    """The part of the network a request asks for."""
    kinds = frozenset(k.value for k in kind or [])
    return ViewFilter(kinds, borough, district, finding, group)


FilterDep = Annotated[ViewFilter, Depends(view_filter)]


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    """The network page is the front door."""
    return RedirectResponse("/network")


@router.get("/network", response_class=HTMLResponse)
def network(
    request: Request,
    analysis: AnalysisDep,
    store: StoreDep,
    settings: SettingsDep,
    flt: FilterDep,
    focus: Annotated[str, Query(max_length=300, description="A stakeholder to select.")] = "",
    school_year: Annotated[str, Query(include_in_schema=False)] = "",
) -> HTMLResponse:
    """The partnership network, filtered; one-way ties, isolated groups and
    brokers marked; large views aggregated."""
    def page() -> str:
        view = _view(request, analysis, store, flt, settings.view_max_nodes, focus)
        found = _views.brokers(analysis)
        explorer = _explorer(request, store, analysis, flt, focus, school_year)
        return render_network(
            view.graph,
            one_way=view.one_way,
            isolated=view.isolated,
            positions=view.positions,
            title=f"partnermap · network ({analysis.snapshot.window.label()})",
            physics_max_nodes=settings.physics_max_nodes,
            brokers={b["stakeholder"]["id"] for b in (found or {}).get("brokers", [])},
            collapsed=view.collapsed,
            stakeholders=view.stakeholders,
            explorer=explorer,
        )

    html: str = analysis.cached(("network_html", flt, focus, school_year), page)
    _trim(analysis)
    return HTMLResponse(html)


@router.get("/network.csv", response_class=Response)
def network_csv(
    request: Request, analysis: AnalysisDep, store: StoreDep, flt: FilterDep
) -> Response:
    """The ties of the filtered view as CSV (not aggregated)."""
    view = _view(request, analysis, store, flt, 0, "")
    return Response(
        view_csv(view.graph, view.one_way),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="partnermap-network.csv"'},
    )


@router.get("/network.gexf", response_class=Response)
def network_gexf(
    request: Request, analysis: AnalysisDep, store: StoreDep, flt: FilterDep
) -> Response:
    """The filtered view as GEXF (not aggregated), for Gephi."""
    view = _view(request, analysis, store, flt, 0, "")
    return Response(
        view_gexf(view.graph, view.one_way),
        media_type="application/gexf+xml",
        headers={"Content-Disposition": 'attachment; filename="partnermap-network.gexf"'},
    )


def _view(
    request: Request,
    analysis: Analysis,
    store: StoreDep,
    flt: ViewFilter,
    max_nodes: int,
    focus: str,
) -> View:
    """The filtered view; aggregated past ``max_nodes`` (0: never)."""
    groups, lonely = _views.isolated_groups(analysis)
    one_way = _views.one_way_pairs(analysis)
    g = select(analysis.snapshot.relationships, flt, one_way=one_way, groups=groups,
               lonely=lonely)
    isolated = {m for members in groups.values() for m in members}
    placed = _views.layout(request, store)
    return aggregate(g, one_way=one_way, isolated=isolated, positions=placed,
                     max_nodes=max_nodes or len(g) + 1, keep=[focus] if focus else [])


def _explorer(
    request: Request,
    store: StoreDep,
    analysis: Analysis,
    flt: ViewFilter,
    focus: str,
    school_year: str,
) -> dict[str, object]:
    """The filter form's options and state, and the focus."""
    boroughs, districts = places(_views.all_time(request, store).snapshot.relationships)
    query = [("kind", k) for k in sorted(flt.kinds)] + [
        (name, value)
        for name, value in [("borough", flt.borough), ("district", flt.district),
                            ("school_year", school_year), ("finding", flt.finding),
                            ("group", flt.group)]
        if value
    ]
    return {
        "kind_options": [{"key": k.value, "label": k.label} for k in StakeholderKind],
        "kinds": sorted(flt.kinds),
        "boroughs": boroughs,
        "districts": districts,
        "school_years": _views.school_years(request, store),
        "findings": list(FINDINGS.items()),
        "borough": flt.borough,
        "district": flt.district,
        "school_year": school_year,
        "finding": flt.finding,
        "group": flt.group,
        "focus": focus,
        "active": not flt.is_empty() or bool(school_year),
        "query": "?" + urlencode(query) if query else "",
    }


def _trim(analysis: Analysis) -> None:
    """Keep only the most recent rendered views of an analysis."""
    keys = list(analysis.extras)  # a copy: other requests may add meanwhile
    views = [k for k in keys if isinstance(k, tuple) and k[0] == "network_html"]
    for old in views[:-_CACHED_VIEWS]:
        analysis.extras.pop(old, None)
