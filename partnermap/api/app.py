"""The FastAPI application: one store per app, routers, one error handler."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import fastapi_offline
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from partnermap.access import ForbiddenError, UnauthenticatedError
from partnermap.api.deps import BadWindowError, NetworkCaches, access
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

# Swagger UI 5 (it reads OpenAPI 3.1, which FastAPI writes), as shipped by the
# fastapi-offline package, so that /docs needs no CDN.
_SWAGGER_DIR = Path(fastapi_offline.__file__).parent / "static"

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

_MAX_PROBLEMS = 1_000
"""A refused import's problems listed in its 422; a last line counts the rest."""


def create_app(store_url: str | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app; the store opens with the app and closes with it."""
    settings = settings or Settings()
    url = store_url or settings.store

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(url, settings.network)
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
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.analyses = NetworkCaches(
        lambda: AnalysisCache(settings.snapshot_cache_size, mask=person_label)
    )
    app.state.key_use = {}
    if not settings.auth_required:
        log.warning("serving without API keys: every request acts as an admin")
    app.include_router(login.router)
    for router in (
        health.router,
        audit.router,
        imports.router,
        # Before the stakeholders' routes: an id may hold "/", so
        # /api/stakeholders/{id}/network must be tried before /{id}.
        network.router,
        stakeholders.router,
        findings.router,
        changes.router,
        pages.router,
        profile.router,
        reports.router,
    ):
        app.include_router(router, dependencies=[Depends(access)])
    app.mount("/static/swagger", StaticFiles(directory=_SWAGGER_DIR), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """The OpenAPI page, with Swagger UI served by the app (works offline)."""
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="partnermap API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon.png",
        )

    app.add_exception_handler(PartnermapError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_middleware(NoFraming)
    return app


class NoFraming:
    """Adds to every response the headers that keep other sites from showing
    the pages in a frame (clickjacking): X-Frame-Options and a
    Content-Security-Policy of frame-ancestors 'none'."""

    HEADERS = (
        (b"x-frame-options", b"DENY"),
        (b"content-security-policy", b"frame-ancestors 'none'"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def framed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.HEADERS]}
            await send(message)

        await self.app(scope, receive, framed)


def _error(request: Request, status: int, name: str, detail: object) -> JSONResponse | HTMLResponse:
    """The one error shape for the API, and an error page for pages."""
    if not request.url.path.startswith("/api") and request.url.path != "/openapi.json":
        return HTMLResponse(error_page(status, _plain(detail)), status_code=status)
    return JSONResponse(status_code=status, content={"error": name, "detail": detail})


def _plain(detail: object) -> str:
    if isinstance(detail, list):
        parts = []
        for item in detail:
            where = ".".join(str(p) for p in item.get("loc", [])[1:]) if isinstance(item, dict) else ""
            msg = item.get("msg", str(item)) if isinstance(item, dict) else str(item)
            parts.append(f"{where}: {msg}" if where else msg)
        return "; ".join(parts)
    return str(detail)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse | HTMLResponse:
    """A bad parameter: 422 in the one error shape, listing each parameter."""
    assert isinstance(exc, RequestValidationError)
    detail = [
        {"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    return _error(request, 422, "ValidationError", detail)


async def _http_error(request: Request, exc: Exception) -> JSONResponse | HTMLResponse:
    """Routing errors (no such path, wrong method) in the one error shape."""
    assert isinstance(exc, HTTPException)
    names = {404: "NotFound", 405: "MethodNotAllowed"}
    response = _error(request, exc.status_code, names.get(exc.status_code, "HTTPError"), exc.detail)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


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
    content: dict[str, Any] = {"error": type(exc).__name__, "detail": str(exc)}
    if isinstance(exc, LoadError):
        content["problems"] = [str(p) for p in exc.problems[:_MAX_PROBLEMS]]
        if len(exc.problems) > _MAX_PROBLEMS:
            content["problems"].append(
                f"(and {len(exc.problems) - _MAX_PROBLEMS} more problems)"
            )
    return JSONResponse(status_code=status, content=content, headers=headers)
