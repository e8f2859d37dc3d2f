"""The four ideas of authentic community engagement, each with its measures.

Notes
-----
Every measure is a share: a numerator over a denominator, with value None
when the denominator is 0 (nothing to measure, which is not the same as 0).
Pairs are unordered pairs with a flow either way; self-loops are dropped.
The definitions, as in docs/findings.md:

- shared vision: ``planning_participation`` = stakeholders with a joint
  planning or agreement tie / stakeholders with any tie;
  ``planning_kinds`` = kinds among those planners / kinds among stakeholders
  with any tie.
- intentional culture and diversity: ``connected`` = stakeholders in the main
  network / all stakeholders; ``community_groups_tied_to_a_school`` = family
  groups and community organizations with a tie to a school / all of them.
- authentic collaboration: ``shared_work_both_ways`` = pairs where data,
  resources, funding or volunteering flowed both ways / pairs where any did;
  ``data_both_ways`` the same for data shared alone.
- 360-degree communication: ``two_way`` = pairs with flows back (balanced or
  lopsided) / pairs whose both sides are known (unknown ones left out, see
  :func:`partnermap.graph.reciprocity.tie_balances`); ``feedback_answered`` =
  ordered pairs where feedback was given and the receiver sent anything back
  / ordered pairs where feedback was given.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from partnermap.graph.brokers import ties
from partnermap.graph.components import main_component
from partnermap.graph.reciprocity import CHANNELS, TieBalance, tie_balances

_PLANNING = {"joint_planning", "agreement"}


def _share(name: str, num: int, den: int, definition: str) -> dict[str, Any]:
    return {"id": name, "value": round(num / den, 4) if den else None,
            "numerator": num, "denominator": den, "definition": definition}


def engagement_summary(
    g: nx.DiGraph,
    *,
    threshold: float = 0.8,
    known: set[str] | None = None,
    h: nx.Graph | None = None,
    balances: list[TieBalance] | None = None,
) -> dict[str, Any]:
    """The four ideas with their measures (see the module Notes).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("s", "f", counts={"meeting": 1}, events=1, confirmed=True)
    >>> g.add_edge("f", "s", counts={"meeting": 1}, events=1, confirmed=True)
    >>> out = engagement_summary(g)
    >>> [m["value"] for m in out["360_degree_communication"]["measures"]]
    [1.0, None]
    """
    h = ties(g) if h is None else h
    if balances is None:
        balances = tie_balances(g, threshold=threshold, known=known)
    active = [n for n in h if h.degree(n) > 0]
    return {
        "shared_vision": _vision(g, active),
        "intentional_culture_and_diversity": _culture(g, h),
        "authentic_collaboration": _collaboration(g),
        "360_degree_communication": _communication(g, balances),
    }


def _idea(text: str, measures: list[dict[str, Any]]) -> dict[str, Any]:
    return {"idea": text, "measures": measures}


def _vision(g: nx.DiGraph, active: list[str]) -> dict[str, Any]:
    planners = {n for u, v, c in g.edges(data="counts", default={}) if u != v
                and _PLANNING & set(c) for n in (u, v)}
    kinds_all = {g.nodes[n].get("kind") for n in active}
    kinds_plan = {g.nodes[n].get("kind") for n in planners}
    return _idea("breadth of participation in planning", [
        _share("planning_participation", len(planners), len(active),
               "stakeholders with a joint planning or agreement tie / stakeholders with any tie"),
        _share("planning_kinds", len(kinds_plan), len(kinds_all),
               "kinds of stakeholder among planners / kinds with any tie"),
    ])


def _culture(g: nx.DiGraph, h: nx.Graph) -> dict[str, Any]:
    groups = [n for n, k in g.nodes(data="kind") if k in ("family_group", "community_organization")]
    tied = [n for n in groups if any(g.nodes[o].get("kind") == "school" for o in h[n])]
    return _idea("every community group connected, none isolated", [
        _share("connected", len(main_component(g)), g.number_of_nodes(),
               "stakeholders in the main network / all stakeholders"),
        _share("community_groups_tied_to_a_school", len(tied), len(groups),
               "family groups and community organizations tied to a school / all of them"),
    ])


def _both_ways(g: nx.DiGraph, kinds: frozenset[str]) -> tuple[int, int]:
    flows = {(u, v) for u, nbrs in g._succ.items() for v, d in nbrs.items()
             if u != v and not kinds.isdisjoint(d.get("counts", {}))}
    both = sum(1 for u, v in flows if (v, u) in flows) // 2
    return both, len(flows) - both  # a pair with flows both ways is two flows


def _collaboration(g: nx.DiGraph) -> dict[str, Any]:
    work = _both_ways(g, CHANNELS["shared_work"])
    data = _both_ways(g, frozenset({"data_shared"}))
    return _idea("data and resources shared both ways", [
        _share("shared_work_both_ways", *work,
               "pairs with data, resources, funding or volunteering both ways / pairs with any"),
        _share("data_both_ways", *data, "pairs with data shared both ways / pairs with any"),
    ])


def _communication(g: nx.DiGraph, balances: list[TieBalance]) -> dict[str, Any]:
    judged = [t for t in balances if t.status != "unknown"]
    two_way = sum(1 for t in judged if t.status in ("balanced", "lopsided"))
    fed = [(u, v) for u, v, c in g.edges(data="counts", default={}) if u != v and c.get("feedback_given")]
    answered = sum(1 for u, v in fed if g.has_edge(v, u))
    return _idea("two-way communication, feedback answered", [
        _share("two_way", two_way, len(judged),
               "pairs with flows back / pairs whose both sides are known"),
        _share("feedback_answered", answered, len(fed),
               "feedback given that the receiver answered with any flow back / feedback given"),
    ])
