"""Dependencies every route goes through.

Access control is added here, in one place: every router is included with
:func:`access` as a dependency, and handlers get the store and the analysis
through the aliases below.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from partnermap.errors import PartnermapError
from partnermap.graph.cache import Analysis, AnalysisCache
from partnermap.graph.changes import parse_period
from partnermap.graph.reciprocity import reporters
from partnermap.graph.report import Params
from partnermap.graph.snapshot import Window
from partnermap.model import school_year_end, school_year_start
from partnermap.settings import Settings
from partnermap.store.base import Store


class BadWindowError(PartnermapError):
    """A time window that cannot be understood."""


def access(request: Request) -> None:
    """Every route's gate. Open for now; keys and roles will be checked here."""


def get_store(request: Request) -> Store:
    """The app's one store, opened by the lifespan."""
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


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
    if school_year:
        try:
            return Window(school_year_start(school_year), school_year_end(school_year))
        except ValueError as exc:
            raise BadWindowError(str(exc)) from exc
    if start and end and start > end:
        raise BadWindowError(f"start {start} is after end {end}")
    return Window(start, end)


WindowDep = Annotated[Window, Depends(get_window)]


def get_analysis(request: Request, store: StoreDep, window: WindowDep) -> Analysis:
    """The snapshot and findings of the store's current version for the window."""
    cache: AnalysisCache = request.app.state.analyses
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


def get_known(request: Request, store: StoreDep) -> set[str]:
    """Stakeholders that ever reported anything (all time), for one-way versus unknown."""
    cache: AnalysisCache = request.app.state.analyses
    whole = cache.get(store, Window())
    found: set[str] = whole.cached("reporters", lambda: reporters(whole.snapshot.relationships))
    return found


KnownDep = Annotated[set[str], Depends(get_known)]


def parse_period_text(text: str) -> Window:
    """A period as GET /api/changes reads it; a BadWindowError (422) otherwise."""
    try:
        return parse_period(text)
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
    """The two periods a change request compares."""
    return parse_period_text(start), parse_period_text(end)


PeriodsDep = Annotated[tuple[Window, Window], Depends(get_periods)]


def get_cache(request: Request) -> AnalysisCache:
    """The app's analysis cache, for routes that need more than one window."""
    cache: AnalysisCache = request.app.state.analyses
    return cache


CacheDep = Annotated[AnalysisCache, Depends(get_cache)]
