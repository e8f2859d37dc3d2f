"""Need against support on a hand-worked graph and the NYC example."""

from __future__ import annotations

import networkx as nx

from partnermap.graph.need import need_finding, percentile_ranks


def test_percentile_ranks_share_ties() -> None:
    # values 5 < 10 < 20 = 20: ranks 1, 2, 3.5, 3.5 over 4
    assert percentile_ranks({"a": 10, "b": 20, "c": 20, "d": 5}) == {
        "d": 0.25, "a": 0.5, "b": 0.875, "c": 0.875}


def test_need_against_support_hand_worked() -> None:
    # Three schools:
    #   hi:  frl 90, ell 30, 0 partners
    #   mid: frl 60, (no ell), 1 partner
    #   lo:  frl 20, ell 10, 2 partners
    #   none: no indicator, listed apart
    # frl percentiles: lo 1/3, mid 2/3, hi 1;  ell: lo 1/2, hi 1
    # need: hi 1, mid 2/3, lo (1/3 + 1/2)/2 = 5/12
    # support (partners 0, 1, 2): hi 1/3, mid 2/3, lo 1
    # gap: hi 2/3, mid 0, lo -7/12
    g = nx.DiGraph([("mid", "p1"), ("lo", "p1"), ("p2", "lo")])
    g.add_node("hi")
    g.add_node("none", kind="school")
    attrs = {"hi": {"frl_percent": 90, "ell_percent": 30}, "mid": {"frl_percent": 60},
             "lo": {"frl_percent": 20, "ell_percent": 10}}
    for n, a in attrs.items():
        g.nodes[n].update(kind="school", attributes=a)
    found = need_finding(g)
    assert [(r["who"]["id"], r["partners"], r["need"], r["support"], r["gap"]) for r in found["schools"]] == [
        ("hi", 0, 1.0, round(1 / 3, 4), round(2 / 3, 4)),
        ("mid", 1, round(2 / 3, 4), round(2 / 3, 4), 0.0),
        ("lo", 2, round(5 / 12, 4), 1.0, round(-7 / 12, 4)),
    ]
    assert found["need_unknown"] == [{"id": "none", "name": "none"}]
    assert found["totals"] == {"ranked": 3, "need_unknown": 1, "high_need_low_support": 1}


def test_nyc_need_ranks_schools_with_demographics(nyc_graphs: dict[str, nx.DiGraph], nyc_batch) -> None:  # type: ignore[no-untyped-def]
    # Schools with a free-lunch or English-learner figure in the demographics
    # file (the loader's attribute updates) are ranked; the rest are not.
    with_need = {sid for sid, a in nyc_batch.attribute_updates.items()
                 if "frl_percent" in a or "ell_percent" in a}
    found = need_finding(nyc_graphs["all"])
    assert {r["who"]["id"] for r in found["schools"]} == with_need
    assert found["totals"]["ranked"] + found["totals"]["need_unknown"] == 437
    top = found["schools"][0]
    # The first school has the largest gap: no ranked school has a larger one.
    assert top["gap"] == max(r["gap"] for r in found["schools"])
