"""GET /findings, /changes, /report and /guide/findings: findings as pages."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from partnermap.api.deps import (
    AnalysisDep,
    BadWindowError,
    CacheDep,
    KnownDep,
    StoreDep,
    parse_periods_text,
)
from partnermap.api.routes import _views
from partnermap.viz.guide import render_guide
from partnermap.viz.reports import render_changes, render_findings, render_report

router = APIRouter(tags=["pages"])

_FINDINGS = ("coverage", "need", "dormant", "communities", "introductions")
"""The findings of graph/'s report the findings page shows beside its own."""


@router.get("/findings", response_class=HTMLResponse)
def findings_page(
    analysis: AnalysisDep,
    known: KnownDep,
    show_all: Annotated[bool, Query(alias="all", description="Every row.")] = False,
    school_year: Annotated[str, Query(include_in_schema=False)] = "",
) -> HTMLResponse:
    """Every finding as a sortable table with what it means and what to do."""
    html: str = analysis.cached(
        ("findings_html", show_all, school_year),
        lambda: render_findings(
            analysis.findings,
            brokers=_views.brokers(analysis),
            more={kind: _views.finding(analysis, kind, known) for kind in _FINDINGS},
            window=analysis.snapshot.window.label(),
            show_all=show_all,
            query=f"&school_year={quote(school_year)}" if school_year else "",
        ),
    )
    return HTMLResponse(html)


@router.get("/report", response_class=HTMLResponse)
def report_page(
    request: Request, analysis: AnalysisDep, store: StoreDep, known: KnownDep
) -> HTMLResponse:
    """The report for leaders: on screen, or printed to PDF."""
    html: str = analysis.cached(
        "report_html",
        lambda: render_report(
            analysis.snapshot.relationships,
            analysis.findings,
            brokers=_views.brokers(analysis),
            summary=_views.finding(analysis, "summary", known),
            coverage=_views.finding(analysis, "coverage", known),
            need=_views.finding(analysis, "need", known),
            positions=_views.layout(request, store),
            window=analysis.snapshot.window.label(),
        ),
    )
    return HTMLResponse(html)


@router.get("/changes", response_class=HTMLResponse)
def changes_page(
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    start: Annotated[str, Query(alias="from", max_length=40)] = "",
    end: Annotated[str, Query(alias="to", max_length=40)] = "",
    show_all: Annotated[bool, Query(alias="all", description="Every row.")] = False,
) -> HTMLResponse:
    """What changed between two periods; by default the two latest school years."""
    years = _views.school_years(request, store)
    start = start or (years[-2] if len(years) > 1 else years[-1] if years else "")
    end = end or (years[-1] if years else "")
    found, problem = None, ""
    if start and end:
        try:
            found = _views.changes(cache, store, *parse_periods_text(start, end))
        except BadWindowError as exc:
            problem = str(exc)  # shown above the form, to pick again
    html = render_changes(
        school_years=years, start=start, end=end, changes=found, show_all=show_all,
        query=f"&from={quote(start)}&to={quote(end)}", problem=problem,
    )
    return HTMLResponse(html, status_code=422 if problem else 200)


@router.get("/guide/findings", response_class=HTMLResponse)
def guide_page() -> HTMLResponse:
    """How every finding and measure is defined (docs/findings.md)."""
    return HTMLResponse(render_guide())
