"""Dormant ties, change between periods and ego networks: hand-worked and NYC."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from partnermap.graph.changes import compare, parse_period
from partnermap.graph.dormant import dormant_finding, dormant_ties
from partnermap.graph.ego import ego_network
from partnermap.model import InteractionType as T


def _dated() -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_edge("a", "b", last="2023-06-30", events=1)
    g.add_edge("b", "a", last="2024-01-10", events=1)  # the pair's last is 2024-01-10
    g.add_edge("a", "c", last="2023-01-01", events=1)
    g.add_edge("a", "d", last=None, events=1)          # undated
    g.add_edge("e", "e", last="2000-01-01", events=1)  # self-loop: ignored
    return g


def test_dormant_relative_to_as_of() -> None:
    # as_of 2024-06-30, 365 days: cutoff 2023-07-01 (2024 is a leap year:
    # 2024-06-30 minus 365 days). a-c (2023-01-01) is dormant; a-b (2024-01-10) is not.
    assert dormant_ties(_dated(), days=365, as_of=date(2024, 6, 30)) == {
        frozenset("ac"): "2023-01-01"}
    # Default as_of is the latest date, 2024-01-10; 180 days back is 2023-07-14.
    assert set(dormant_ties(_dated(), days=180)) == {frozenset("ac")}
    assert set(dormant_ties(_dated(), days=400)) == set()
    found = dormant_finding(_dated(), days=365, as_of=date(2024, 6, 30))
    assert found["totals"] == {"ties": 3, "dormant": 1, "undated": 1}


def test_nyc_dormant_ties_are_the_2014_listings_not_repeated(nyc_graphs, nyc_batch) -> None:  # type: ignore[no-untyped-def]
    # The latest date is 1 July 2016 (2016-17 listings); a year back is
    # 2 July 2015, so a pair is dormant when its last listing was 2014-15.
    # From the loader's records: pairs listed in 2014-15 and never in 2016-17.
    years: dict[frozenset[str], set[str]] = {}
    for i in nyc_batch.interactions:
        if i.type is T.PARTNER_LISTED and i.source != i.target:
            years.setdefault(frozenset((i.source, i.target)), set()).add(i.school_year)
    expected = {p for p, y in years.items() if y == {"2014-15"}}
    found = dormant_finding(nyc_graphs["all"], days=365)
    assert found["as_of"] == "2016-07-01"
    assert {frozenset(w["id"] for w in r["pair"]) for r in found["ties"]} == expected
    assert len(expected) == 450


@pytest.mark.parametrize(
    ("text", "label"),
    [("2014-15", "2014-07-01..2015-06-30"), ("2016", "2016-01-01..2016-12-31"),
     ("2016-01-01..2016-06-30", "2016-01-01..2016-06-30"), ("2016-01-01..", "2016-01-01..")],
)
def test_parse_period(text: str, label: str) -> None:
    assert parse_period(text).label() == label


@pytest.mark.parametrize("text", ["2014-16", "last year", "2016-02-01..2016-01-01", "20160"])
def test_parse_period_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match="write a school year"):
        parse_period(text)


def test_compare_hand_worked() -> None:
    # before: s-x (1 event, intensity 2), s-y (1, 2), s-w (3 events, 3)
    # after:  s-y (2 events, 2) strengthened; s-w (1 event, 3) weakened;
    #         s-z new; s-x ended; x dropped out, z joined.
    before = nx.DiGraph()
    before.add_edge("s", "x", events=1, intensity=2)
    before.add_edge("s", "y", events=1, intensity=2)
    before.add_edge("s", "w", events=3, intensity=3)
    after = nx.DiGraph()
    after.add_edge("s", "y", events=1, intensity=2)
    after.add_edge("y", "s", events=1, intensity=2)
    after.add_edge("w", "s", events=1, intensity=3)
    after.add_edge("s", "z", events=1, intensity=1)
    out = compare(before, after)
    assert {k: [p["pair"] for p in out[k]] for k in ("new", "ended", "strengthened", "weakened")} == {
        "new": [["s", "z"]], "ended": [["s", "x"]], "strengthened": [["s", "y"]],
        "weakened": [["s", "w"]]}
    assert (out["joined"], out["dropped"]) == (["z"], ["x"])


def test_nyc_changes_from_2014_15_to_2016_17(nyc_graphs, nyc_batch) -> None:  # type: ignore[no-untyped-def]
    # From the loader's records: a stakeholder is active in a year when it is
    # in a listing of that year or in an (undated, so every year) DYCD program.
    hosted = {n for i in nyc_batch.interactions if i.type is T.PROGRAM_HOSTED
              for n in (i.source, i.target)}
    active = {"2014-15": set(hosted), "2016-17": set(hosted)}
    pairs: dict[str, set[frozenset[str]]] = {"2014-15": set(), "2016-17": set()}
    for i in nyc_batch.interactions:
        if i.type is T.PARTNER_LISTED and i.source != i.target:
            active[i.school_year] |= {i.source, i.target}
            pairs[i.school_year].add(frozenset((i.source, i.target)))
    out = compare(nyc_graphs["2014-15"], nyc_graphs["2016-17"])
    assert set(out["joined"]) == active["2016-17"] - active["2014-15"]
    assert set(out["dropped"]) == active["2014-15"] - active["2016-17"]
    assert (len(out["joined"]), len(out["dropped"])) == (422, 200)
    hosted_pairs = {frozenset((i.source, i.target)) for i in nyc_batch.interactions
                    if i.type is T.PROGRAM_HOSTED}
    assert {frozenset(r["pair"]) for r in out["new"]} == pairs["2016-17"] - pairs["2014-15"] - hosted_pairs
    assert {frozenset(r["pair"]) for r in out["ended"]} == pairs["2014-15"] - pairs["2016-17"] - hosted_pairs
    assert out["totals"]["ended"] == 450


def test_ego_network_marks_one_way_and_dormant() -> None:
    # me <-> a (2024), me -> b (2022, a reporting b elsewhere: b -> c), b -> c (2024)
    g = nx.DiGraph()
    g.add_edge("me", "a", events=1, last="2024-05-01", confirmed=True)
    g.add_edge("a", "me", events=1, last="2024-05-01", confirmed=True)
    g.add_edge("me", "b", events=1, last="2022-01-01", confirmed=True)
    g.add_edge("b", "c", events=1, last="2024-05-01", confirmed=True)
    out = ego_network(g, "me", depth=1)
    assert [n["id"] for n in out["nodes"]] == ["me", "a", "b"]
    ties = {(t["source"], t["target"]): (t["status"], t["dormant"]) for t in out["ties"]}
    assert ties == {("a", "me"): ("balanced", False), ("me", "b"): ("one_way", True)}
    assert ego_network(g, "me", depth=2)["totals"]["stakeholders"] == 3
    with pytest.raises(KeyError):
        ego_network(g, "nobody")
