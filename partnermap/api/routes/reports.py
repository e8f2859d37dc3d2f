"""GET /findings, /changes and /report: findings as pages for people."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from partnermap.api.deps import AnalysisDep, StoreDep
from partnermap.api.routes import _views
from partnermap.viz.reports import render_changes, render_findings, render_report

router = APIRouter(tags=["pages"])


@router.get("/findings", response_class=HTMLResponse)
def findings_page(
    analysis: AnalysisDep,
    show_all: Annotated[bool, Query(alias="all", description="Every row.")] = False,
    school_year: Annotated[str, Query(include_in_schema=False)] = "",
) -> HTMLResponse:
    """Every finding as a sortable table with what it means and what to do."""
    html = render_findings(
        analysis.findings,
        brokers=_views.brokers(analysis),
        window=analysis.snapshot.window.label(),
        show_all=show_all,
        query=f"&school_year={quote(school_year)}" if school_year else "",
    )
    return HTMLResponse(html)


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request, analysis: AnalysisDep, store: StoreDep) -> HTMLResponse:
    """The report for leaders: on screen, or printed to PDF."""
    key = "report_html"
    if key not in analysis.extras:
        analysis.extras[key] = render_report(
            analysis.snapshot.relationships,
            analysis.findings,
            brokers=_views.brokers(analysis),
            positions=_views.layout(request, store),
            window=analysis.snapshot.window.label(),
        )
    return HTMLResponse(analysis.extras[key])


@router.get("/changes", response_class=HTMLResponse)
def changes_page(
    request: Request,
    store: StoreDep,
    start: Annotated[str, Query(alias="from", max_length=40)] = "",
    end: Annotated[str, Query(alias="to", max_length=40)] = "",
) -> HTMLResponse:
    """What changed between two school years."""
    years = _views.school_years(request, store)
    start = start or (years[0] if years else "")
    end = end or (years[-1] if years else "")
    return HTMLResponse(render_changes(school_years=years, start=start, end=end, changes=None))
