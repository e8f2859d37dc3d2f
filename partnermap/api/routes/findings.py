"""GET /api/findings/{kind}: the same content as ``partnermap analyze --json``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from partnermap.api.deps import AnalysisDep

router = APIRouter(prefix="/api/findings", tags=["findings"])


@router.get("/isolated-groups")
def isolated_groups(analysis: AnalysisDep) -> dict[str, Any]:
    """Isolated groups with their members, and stakeholders with no tie at all."""
    return {"window": analysis.snapshot.window.label(), **analysis.findings["isolated_groups"]}


@router.get("/one-way")
def one_way(analysis: AnalysisDep) -> dict[str, Any]:
    """Relationships whose flows go one way only, with counts by interaction type."""
    return {"window": analysis.snapshot.window.label(), **analysis.findings["one_way"]}
