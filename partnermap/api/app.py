"""The FastAPI application: one store per app, routers, one error handler."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from partnermap.access import ForbiddenError, UnauthenticatedError
from partnermap.api.deps import BadWindowError, access
from partnermap.api.routes import (
    audit,
    changes,
    findings,
    health,
    imports,
    login,
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
    TooLargeError,
)
from partnermap.graph.cache import AnalysisCache
from partnermap.privacy import person_label
from partnermap.settings import Settings
from partnermap.store import open_store
from partnermap.viz import STATIC_DIR
from partnermap.viz.pages import error_page

log = logging.getLogger(__name__)

_STATUS = {
    UnauthenticatedError: 401,
    ForbiddenError: 403,
    TooLargeError: 413,
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
    app.state.analyses = AnalysisCache(settings.snapshot_cache_size, mask=person_label)
    app.state.key_use = {}
    if not settings.auth_required:
        log.warning("serving without API keys: every request acts as an admin")
    app.include_router(login.router)
    for router in (
        health.router,
        audit.router,
        imports.router,
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


async def _domain_error(
    request: Request, exc: Exception
) -> JSONResponse | HTMLResponse | RedirectResponse:
    """Map a domain error to its status code and the one error shape; a page
    (any path outside /api) gets the same as an HTML page, or the login page
    when it needs a key."""
    status = next((code for cls, code in _STATUS.items() if isinstance(exc, cls)), 400)
    page = not request.url.path.startswith("/api")
    if page and status == 401:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    if page:
        return HTMLResponse(error_page(status, str(exc)), status_code=status)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        status_code=status,
        content={"error": type(exc).__name__, "detail": str(exc)},
        headers=headers,
    )
