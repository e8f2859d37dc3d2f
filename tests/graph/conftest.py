"""NYC snapshots shared by the graph tests, built once per session."""

from __future__ import annotations

import networkx as nx
import pytest

from partnermap.graph.snapshot import Window, take_snapshot
from partnermap.model import school_year_end, school_year_start
from partnermap.store import open_store


def _year(label: str) -> Window:
    return Window(school_year_start(label), school_year_end(label))


@pytest.fixture(scope="session")
def nyc_graphs(nyc_store_url: str) -> dict[str, nx.DiGraph]:
    """Relationship graphs of the NYC store: all time, 2014-15 and 2016-17."""
    with open_store(nyc_store_url) as store:
        return {
            "all": take_snapshot(store).relationships,
            "2014-15": take_snapshot(store, _year("2014-15")).relationships,
            "2016-17": take_snapshot(store, _year("2016-17")).relationships,
        }
