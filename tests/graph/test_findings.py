"""Isolated groups and one-way relationships on the tiny graph of tests/tiny.py."""

from __future__ import annotations

import networkx as nx

from partnermap.graph.components import (
    isolated_groups,
    isolated_stakeholders,
    main_component,
)
from partnermap.graph.findings import analyze, isolated_groups_finding, one_way_finding
from partnermap.graph.reciprocity import mutual_pairs, one_way_pairs
from partnermap.graph.snapshot import relationship_graph
from partnermap.model import Interaction
from partnermap.model import InteractionType as T
from tests.tiny import EVENTS, PEOPLE


def graph() -> nx.DiGraph:
    return relationship_graph(PEOPLE, EVENTS)


def test_relationship_graph_aggregates_parallel_events_on_one_edge() -> None:
    g = graph()
    edge = g.edges["school-1", "nonprofit-1"]
    assert edge["counts"] == {"information_sent": 3, "partner_listed": 1}
    assert edge["events"] == 4
    assert (edge["first"], edge["last"]) == ("2024-07-01", "2024-11-02")
    assert edge["intensity"] == 2
    assert edge["confirmed"] is True
    assert not g.has_edge("nonprofit-1", "school-1")


def test_both_way_interaction_gives_an_edge_each_way() -> None:
    g = graph()
    assert g.edges["family-1", "school-1"]["counts"] == {"meeting": 1}
    assert g.edges["club-2", "club-1"]["counts"] == {"agreement": 1}
    assert g.edges["club-2", "club-2"]["counts"] == {"meeting": 1}
    assert g.number_of_edges() == 7


def test_one_way_pairs_excludes_mutual_pairs_and_self_loops() -> None:
    g = graph()
    assert one_way_pairs(g) == {("school-1", "nonprofit-1")}
    assert mutual_pairs(g) == {
        frozenset({"school-1", "family-1"}),
        frozenset({"club-1", "club-2"}),
    }


def test_isolated_groups_and_stakeholders() -> None:
    g = graph()
    assert main_component(g) == {"school-1", "family-1", "nonprofit-1"}
    assert isolated_groups(g) == [{"club-1", "club-2"}, {"self-only"}]
    assert isolated_stakeholders(g) == {"loner"}


def test_isolated_groups_finding_lists_members_by_name() -> None:
    found = isolated_groups_finding(graph())
    assert found["totals"] == {
        "groups": 2,
        "stakeholders_in_groups": 3,
        "isolated_stakeholders": 1,
        "main_component_size": 3,
    }
    first = found["groups"][0]
    assert [m["name"] for m in first["members"]] == ["Chess Club", "Go Club"]
    assert first["kinds"] == {"community_organization": 2}
    assert found["isolated_stakeholders"][0]["id"] == "loner"


def test_one_way_finding_gives_pair_direction_and_counts() -> None:
    found = one_way_finding(graph())
    assert found["totals"] == {
        "one_way": 1,
        "unconfirmed_claims": 0,
        "mutual_pairs": 2,
        "directed_relationships": 5,
    }
    (row,) = found["relationships"]
    assert row["source"]["id"] == "school-1"
    assert row["target"]["id"] == "nonprofit-1"
    assert row["direction"] == "Lincoln High → Reading Partners"
    assert row["counts"] == {"information_sent": 3, "partner_listed": 1}


def test_a_listing_alone_is_an_unconfirmed_claim() -> None:
    g = relationship_graph(
        PEOPLE[:3], [Interaction("school-1", "nonprofit-1", T.PARTNER_LISTED, school_year="2014-15")]
    )
    row = one_way_finding(g)["relationships"][0]
    assert row["confirmed"] is False
    assert one_way_finding(g)["totals"]["unconfirmed_claims"] == 1


def test_tie_for_largest_component_goes_to_smallest_id() -> None:
    g = nx.DiGraph([("b", "c"), ("a", "z")])
    assert main_component(g) == {"a", "z"}
    assert isolated_groups(g) == [{"b", "c"}]


def test_empty_graph_has_no_findings() -> None:
    found = analyze(nx.DiGraph())
    assert found["isolated_groups"]["groups"] == []
    assert found["isolated_groups"]["isolated_stakeholders"] == []
    assert found["isolated_groups"]["totals"]["main_component_size"] == 0
    assert found["one_way"]["relationships"] == []
    assert found["one_way"]["totals"]["directed_relationships"] == 0
