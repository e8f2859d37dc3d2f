"""GET and POST /login, GET /logout: the pages' login with an API key.

The key is kept in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS),
so page scripts cannot read it and other sites cannot send it.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from partnermap.access import hash_key, now
from partnermap.api.deps import COOKIE, is_same_origin
from partnermap.store.base import Store
from partnermap.viz.pages import render_page

router = APIRouter(tags=["login"])

_MAX_FORM = 4096


def _safe_next(target: str) -> str:
    """Only a path on this site: never another host (no open redirect)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/network"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(
    next_: Annotated[str, Query(alias="next", max_length=2000)] = "/network",
) -> HTMLResponse:
    """The login form."""
    return _form(_safe_next(next_), "")


@router.post("/login", response_model=None, include_in_schema=False)
async def login(request: Request) -> HTMLResponse | RedirectResponse:
    """Check the key; on success keep it in the cookie and go on. A form sent
    from another origin is refused: it would log the visitor in with a key
    of someone else's choosing (a form naming no origin is not a browser's)."""
    body = (await request.body())[:_MAX_FORM].decode("utf-8", "replace")
    form = {k: v[0] for k, v in parse_qs(body).items()}
    key, target = form.get("key", "").strip(), _safe_next(form.get("next", "/network"))
    if not is_same_origin(request, unnamed=True):
        return _form(target, "Log in from this site's own login page.", 403)
    store: Store = request.app.state.store
    found = store.find_api_key(hash_key(key)) if key and len(key) < 200 else None
    if found is None or found.revoked:
        return _form(target, "That key is unknown or revoked.", 401)
    store.for_network(found.network).audit(f"key:{found.id}", "login", "pages", now())
    out = RedirectResponse(target, status_code=303)
    out.set_cookie(
        COOKIE, key, httponly=True, samesite="strict",
        secure=request.url.scheme == "https", path="/",
    )
    return out


@router.get("/logout", include_in_schema=False)
def logout() -> RedirectResponse:
    """Forget the cookie."""
    out = RedirectResponse("/login", status_code=303)
    out.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return out


def _form(target: str, message: str, status: int = 200) -> HTMLResponse:
    html = render_page("login.html", title="partnermap · log in", next=target, login_page=True,
                       message=message)
    return HTMLResponse(html, status_code=status)
