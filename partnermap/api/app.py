"""The FastAPI application: one store per app, routers, one error handler."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from partnermap.api.deps import BadWindowError, access
from partnermap.api.routes import (
    changes,
    findings,
    health,
    network,
    pages,
    profile,
    reports,
    stakeholders,
)
from partnermap.errors import (
    InvalidInputError,
    LoadError,
    NotFoundError,
    PartnermapError,
    StoreError,
)
from partnermap.graph.cache import AnalysisCache
from partnermap.settings import Settings
from partnermap.store import open_store
from partnermap.viz import STATIC_DIR
from partnermap.viz.pages import error_page

log = logging.getLogger(__name__)

_STATUS = {
    NotFoundError: 404,
    BadWindowError: 422,
    InvalidInputError: 422,
    LoadError: 422,
    StoreError: 503,
}


def create_app(store_url: str | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app; the store opens with the app and closes with it."""
    settings = settings or Settings()
    url = store_url or settings.store

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(url)
        log.info("serving store %s", url.split("://")[0])
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="partnermap",
        description="The partnerships around schools: who works with whom, "
        "isolated groups and one-way relationships.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.analyses = AnalysisCache(settings.snapshot_cache_size)
    for router in (
        health.router,
        stakeholders.router,
        network.router,
        findings.router,
        changes.router,
        pages.router,
        profile.router,
        reports.router,
    ):
        app.include_router(router, dependencies=[Depends(access)])
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(PartnermapError, _domain_error)
    return app


async def _domain_error(request: Request, exc: Exception) -> JSONResponse | HTMLResponse:
    """Map a domain error to its status code and the one error shape; a page
    (any path outside /api) gets the same as an HTML page."""
    status = next((code for cls, code in _STATUS.items() if isinstance(exc, cls)), 400)
    if not request.url.path.startswith("/api"):
        return HTMLResponse(error_page(status, str(exc)), status_code=status)
    return JSONResponse(status_code=status, content={"error": type(exc).__name__, "detail": str(exc)})
