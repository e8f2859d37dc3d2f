"""Pages: GET /network, the interactive network, and / which leads to it."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

from partnermap.api.deps import AnalysisDep, SettingsDep
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
    g = analysis.snapshot.relationships
    if "positions" not in analysis.extras:
        analysis.extras["positions"] = positions(g)
    found = analysis.findings
    one_way = {(r["source"]["id"], r["target"]["id"]) for r in found["one_way"]["relationships"]}
    isolated = {m["id"] for gr in found["isolated_groups"]["groups"] for m in gr["members"]}
    html = render_network(
        g,
        one_way=one_way,
        isolated=isolated,
        positions=analysis.extras["positions"],
        title=f"partnermap · network ({analysis.snapshot.window.label()})",
    )
    return HTMLResponse(html)
