"""Pages: GET /network, the interactive network, and / which leads to it."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

from partnermap.api.deps import AnalysisDep, SettingsDep
from partnermap.graph.cache import Analysis
from partnermap.viz.layout import positions
from partnermap.viz.network import render_network

router = APIRouter(tags=["pages"])


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    """The network page is the front door."""
    return RedirectResponse("/network")


@router.get("/network", response_class=HTMLResponse)
def network(analysis: AnalysisDep, settings: SettingsDep) -> HTMLResponse:
    """The whole partnership network, coloured by kind, one-way ties marked."""
    if "network_html" not in analysis.extras:
        analysis.extras["network_html"] = _render(analysis, settings.physics_max_nodes)
    return HTMLResponse(analysis.extras["network_html"])


def _render(analysis: Analysis, physics_max_nodes: int) -> str:
    g = analysis.snapshot.relationships
    found = analysis.findings
    one_way = {(r["source"]["id"], r["target"]["id"]) for r in found["one_way"]["relationships"]}
    isolated = {m["id"] for gr in found["isolated_groups"]["groups"] for m in gr["members"]}
    return render_network(
        g,
        one_way=one_way,
        isolated=isolated,
        positions=positions(g),
        title=f"partnermap · network ({analysis.snapshot.window.label()})",
        physics_max_nodes=physics_max_nodes,
    )
