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
        Query(pattern=r"^\d{4}-\d{2}$", description="A school year such as 2014-15."),
    ] = None,
) -> Window:
    """The time window a request asks for; all time by default."""
    if school_year is not None:
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
