"""GET /api/changes?from=&to=: what changed between two periods."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from partnermap.api.deps import CacheDep, PeriodsDep, StoreDep
from partnermap.api.routes import _views

router = APIRouter(prefix="/api/changes", tags=["findings"])


@router.get("")
def changes(periods: PeriodsDep, store: StoreDep, cache: CacheDep) -> dict[str, Any]:
    """New, ended, strengthened and weakened ties; stakeholders who joined or dropped out.

    A period is a school year (2014-15), a year (2016) or a date range
    (2016-01-01..2016-06-30).
    """
    return _views.changes(cache, store, *periods)
