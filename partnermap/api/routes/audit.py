"""GET /api/audit: the audit log, for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from partnermap.access import Role
from partnermap.api.deps import StoreDep, require
from partnermap.api.schemas import AuditLine

router = APIRouter(prefix="/api/audit", tags=["admin"])


@router.get("", response_model=list[AuditLine], dependencies=[Depends(require(Role.ADMIN))])
def audit_log(
    store: StoreDep,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditLine]:
    """Imports, deletions, logins and key use: who, when, what; newest first."""
    return [AuditLine(**line) for line in store.audit_log(offset=offset, limit=limit)]
