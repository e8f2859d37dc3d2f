"""Dependencies every route goes through.

Access control lives here, in one place: every router is included with
:func:`access` as a dependency, which finds the request's key (header or
login cookie) and its role; handlers get the store, and the analysis and
cache as the key's scope sees them, through the aliases below. A partner key's
analysis holds only its stakeholder's neighbourhood, so every finding, page
and export built from it is confined to that neighbourhood.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Query, Request

from partnermap.access import (
    LOCAL,
    PARTNER_DEPTH,
    ForbiddenError,
    Principal,
    Role,
    UnauthenticatedError,
    hash_key,
    now,
)
from partnermap.errors import NotFoundError, PartnermapError
from partnermap.graph.cache import Analysis, AnalysisCache, ScopedCache
from partnermap.graph.changes import parse_periods
from partnermap.graph.reciprocity import reporters
from partnermap.graph.report import Params
from partnermap.graph.scope import WHOLE, Scope, is_group
from partnermap.graph.snapshot import Window
from partnermap.model import (
    Stakeholder,
    StakeholderKind,
    school_year_end,
    school_year_start,
)
from partnermap.privacy import group_record, person_label
from partnermap.settings import Settings
from partnermap.store.base import Store


class BadWindowError(PartnermapError):
    """A time window that cannot be understood."""


COOKIE = "partnermap_key"
"""The login cookie: the key itself, HttpOnly and SameSite=Strict."""

_KEY_USE_EVERY = 600.0
"""Seconds between two audit lines for the use of one key."""


def presented_key(request: Request) -> tuple[str | None, bool]:
    """The key a request carries (Authorization: Bearer, X-API-Key, or the
    cookie), and whether it is the cookie's: the one credential a browser
    adds by itself."""
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None, False
    if request.headers.get("x-api-key"):
        return request.headers["x-api-key"], False
    return request.cookies.get(COOKIE) or None, True


def access(request: Request) -> Principal:
    """Every route's gate: who the request acts as, or a 401.

    Without ``auth_required`` (the local demo) a request without a key acts
    as an admin; a key, when sent, is checked all the same.
    """
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    settings: Settings = request.app.state.settings
    secret, by_cookie = presented_key(request)
    if secret is None and not settings.auth_required:
        # Any web page the demo's user opens could post to 127.0.0.1: a
        # browser's request naming another origin may only read, and a
        # browser's request to another host name (a DNS rebinding) nothing.
        _local_only(request)
        if request.method not in _SAFE_METHODS and not is_same_origin(request, unnamed=True):
            raise ForbiddenError(
                "a change to a server without API keys must come from its own "
                "pages or from outside a browser (curl), and this request's "
                "Origin names another site"
            )
        principal = LOCAL
    elif secret is None:
        raise UnauthenticatedError(
            "an API key is required: send 'Authorization: Bearer KEY' or "
            "'X-API-Key: KEY', or log in at /login"
        )
    else:
        if by_cookie and request.method not in _SAFE_METHODS:
            same_origin(request)
        principal = _principal_of(request, secret)
    request.state.principal = principal
    return principal


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


_BROWSER_HEADERS = ("sec-fetch-site", "origin", "referer")
"""Headers a browser adds by itself; a script outside one (curl, a test
client) sends none of them."""


def _local_only(request: Request) -> None:
    """Refuse a browser's request to a key-less server under a host name
    other than the loopback's: a page whose name was made to point at
    127.0.0.1 (DNS rebinding) would otherwise read and write as an admin."""
    if not any(h in request.headers for h in _BROWSER_HEADERS):
        return
    host = urlsplit("//" + request.headers.get("host", "")).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ForbiddenError(
            f"a server without API keys answers browsers only as 127.0.0.1 or "
            f"localhost, not as {host!r}; open http://127.0.0.1:PORT, or create "
            "keys to serve it under a name"
        )


def is_same_origin(request: Request, *, unnamed: bool = False) -> bool:
    """Whether a browser sent the request from this site's own pages: its
    Origin (else Referer) names the host the request was sent to. A request
    naming no origin at all (not a browser's) counts as ``unnamed``.

    SameSite=Strict keeps the cookie from other sites, but another port of
    the same host, or a sibling subdomain, is the same site: only the origin
    tells them apart. Behind a proxy, pass the Host header on (or set
    X-Forwarded-Host).
    """
    sent = request.headers.get("origin") or request.headers.get("referer")
    if sent is None:
        return unnamed
    origin = urlsplit(sent)
    if not origin.hostname:
        return False  # "null": a sandboxed frame or a data: page
    named = [request.headers.get("host", "")]
    named += request.headers.get("x-forwarded-host", "").split(",")
    own = {_host_port(h.strip(), origin.scheme) for h in named if h.strip()}
    return _host_port(origin.netloc, origin.scheme) in own


def _host_port(netloc: str, scheme: str) -> tuple[str, int | None]:
    """A host and port as a browser compares them: any case, the scheme's
    default port written or not.

    >>> _host_port("PM.example:443", "https") == _host_port("pm.example", "https")
    True
    """
    parts = urlsplit("//" + netloc.rsplit("@", 1)[-1])
    try:
        port = parts.port
    except ValueError:
        return (netloc, -1)
    default = {"http": 80, "https": 443}.get(scheme)
    return ((parts.hostname or "").rstrip("."), default if port is None else port)


def same_origin(request: Request) -> None:
    """Refuse a change sent with the login cookie from another origin (a
    cross-site request forgery from a sibling site)."""
    if not is_same_origin(request):
        raise ForbiddenError(
            "a change sent with the login cookie must come from partnermap's own "
            "pages, and this request's Origin names another site or none; send "
            "the key in 'Authorization: Bearer KEY' instead"
        )


def _principal_of(request: Request, secret: str) -> Principal:
    store: Store = request.app.state.store
    key = store.find_api_key(hash_key(secret)) if len(secret) < 200 else None
    if key is None or key.revoked:
        raise UnauthenticatedError("the API key is unknown or revoked")
    # Key use goes to the key's network's audit log, once per key every few minutes.
    seen: dict[str, float] = request.app.state.key_use
    if time.monotonic() - seen.get(key.id, -_KEY_USE_EVERY) >= _KEY_USE_EVERY:
        seen[key.id] = time.monotonic()
        store.for_network(key.network).audit(
            f"key:{key.id}", "key-use", f"{request.method} {request.url.path}", now()
        )
    return Principal(key.role, key.id, key.stakeholder, key.network)


PrincipalDep = Annotated[Principal, Depends(access)]


def require(role: Role) -> Callable[[Principal], Principal]:
    """A dependency that lets only ``role`` and the roles above it through."""

    def check(principal: PrincipalDep) -> Principal:
        if not principal.role.at_least(role):
            article = "an" if role.value[0] in "aeiou" else "a"
            raise ForbiddenError(f"this needs {article} {role.value} key or higher")
        return principal

    return check


def scope_of(principal: Principal) -> Scope:
    """What a principal sees of the network."""
    if principal.role is Role.PARTNER:
        return Scope(principal.stakeholder, PARTNER_DEPTH, mask_people=True)
    return Scope(mask_people=True) if principal.masks_people else WHOLE


def get_store(request: Request, principal: PrincipalDep) -> Store:
    """The app's one store, bound to the network of the request's key (the
    configured network for the key-less local demo): nothing a handler reads
    or writes through it crosses into another network."""
    store: Store = request.app.state.store
    if principal.network is None or principal.network == store.network:
        return store
    return store.for_network(principal.network)


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


class NetworkCaches:
    """One :class:`AnalysisCache` per network, made when first asked for, so
    that no analysis of one network is ever served to another."""

    def __init__(self, make: Callable[[], AnalysisCache]) -> None:
        self._make = make
        self._caches: dict[str, AnalysisCache] = {}
        self._lock = threading.Lock()

    def of(self, network: str) -> AnalysisCache:
        """The cache of one network."""
        with self._lock:
            if network not in self._caches:
                self._caches[network] = self._make()
            return self._caches[network]


def get_window(
    start: Annotated[date | None, Query(description="First day, YYYY-MM-DD.")] = None,
    end: Annotated[date | None, Query(description="Last day, YYYY-MM-DD.")] = None,
    school_year: Annotated[
        str | None,
        Query(
            pattern=r"^(\d{4}-\d{2})?$",
            description="A school year such as 2014-15; empty means all time.",
        ),
    ] = None,
) -> Window:
    """The time window a request asks for; all time by default."""
    if school_year and (start or end):
        raise BadWindowError("give either school_year or start/end, not both")
    if school_year:
        try:
            return Window(school_year_start(school_year), school_year_end(school_year))
        except ValueError as exc:
            raise BadWindowError(str(exc)) from exc
    if start and end and start > end:
        raise BadWindowError(f"start {start} is after end {end}")
    return Window(start, end)


WindowDep = Annotated[Window, Depends(get_window)]


def get_cache(request: Request, store: StoreDep, principal: PrincipalDep) -> ScopedCache:
    """The analysis cache of the key's network, as the key sees it."""
    caches: NetworkCaches = request.app.state.analyses
    return caches.of(store.network).scoped(scope_of(principal))


CacheDep = Annotated[ScopedCache, Depends(get_cache)]


def get_analysis(store: StoreDep, cache: CacheDep, window: WindowDep) -> Analysis:
    """The snapshot and findings of the store's current version for the window,
    in the key's scope."""
    return cache.get(store, window)


AnalysisDep = Annotated[Analysis, Depends(get_analysis)]


def get_params(
    threshold: Annotated[
        float,
        Query(ge=0.5, le=1, description="Share of a pair's events at which it is lopsided."),
    ] = 0.8,
    dormant_days: Annotated[
        int, Query(ge=0, le=36500, description="Days without interaction to be dormant.")
    ] = 365,
    as_of: Annotated[
        date | None,
        Query(description="End of the dormancy period, YYYY-MM-DD; default the latest event."),
    ] = None,
    rules: Annotated[
        str | None,
        Query(max_length=20000, description="Coverage rules as TOML text; default the shipped rules."),
    ] = None,
) -> Params:
    """The tuning of the findings a request asks for."""
    return Params(threshold=threshold, dormant_days=dormant_days, as_of=as_of, rules=rules)


ParamsDep = Annotated[Params, Depends(get_params)]


def get_known(store: StoreDep, cache: CacheDep) -> set[str]:
    """Stakeholders that ever reported anything (all time), for one-way versus unknown."""
    whole = cache.get(store, Window())
    found: set[str] = whole.cached("reporters", lambda: reporters(whole.snapshot.relationships))
    return found


KnownDep = Annotated[set[str], Depends(get_known)]


def parse_periods_text(first: str, second: str) -> tuple[Window, Window]:
    """Two periods as /api/changes and /changes read them, the earlier first;
    a BadWindowError (422) otherwise."""
    try:
        return parse_periods(first, second)
    except ValueError as exc:
        raise BadWindowError(str(exc)) from exc


def get_periods(
    start: Annotated[
        str,
        Query(alias="from", max_length=40,
              description="First period: 2014-15, 2016 or 2016-01-01..2016-06-30."),
    ],
    end: Annotated[
        str, Query(alias="to", max_length=40, description="Second period, written the same way.")
    ],
) -> tuple[Window, Window]:
    """The two periods a change request compares, the earlier first."""
    return parse_periods_text(start, end)


PeriodsDep = Annotated[tuple[Window, Window], Depends(get_periods)]


def visible(store: Store, cache: ScopedCache, stakeholder_id: str) -> Stakeholder:
    """A stakeholder the key may see, people masked; a 404 otherwise, the same
    404 as for an id that does not exist, so a partner learns nothing.

    A key that masks people sees them as the groups of its view
    (:func:`partnermap.graph.scope.group_people`): a group's id answers with
    the group, a person's own id with a 404 (but for a partner key's own
    stakeholder, which its view keeps).
    """
    if cache.scope.whole:
        found = store.get_stakeholder(stakeholder_id)
    else:
        found = _in_view(store, cache, stakeholder_id)
    if found is None:
        raise NotFoundError(f"no stakeholder with id {stakeholder_id!r}")
    return found


def _in_view(store: Store, cache: ScopedCache, stakeholder_id: str) -> Stakeholder | None:
    """A stakeholder of the key's all-time view, or None."""
    nodes = cache.get(store, Window()).snapshot.relationships.nodes
    if stakeholder_id not in nodes:
        return None
    if cache.scope.mask_people and is_group(stakeholder_id, nodes[stakeholder_id]):
        return group_record(stakeholder_id, nodes[stakeholder_id])
    found = store.get_stakeholder(stakeholder_id)
    return masked(found) if found is not None and cache.scope.mask_people else found


def masked(found: Stakeholder) -> Stakeholder:
    """A person under its pseudonym label, with no attributes; others as they are."""
    if found.kind is not StakeholderKind.PERSON:
        return found
    return Stakeholder(found.id, person_label(found.id), found.kind, {}, found.source)
