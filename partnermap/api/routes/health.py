"""GET /api/health."""

from __future__ import annotations

from fastapi import APIRouter

from partnermap.api.deps import StoreDep
from partnermap.api.schemas import Health

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", response_model=Health)
def health(store: StoreDep) -> Health:
    """Whether the service and its store answer, with the store's totals."""
    store.ping()
    return Health(status="ok", store=store.url.split("://")[0], version=store.version(), counts=store.counts())
