"""Need against support: schools with the most need and the fewest partners.

Notes
-----
Need indicators are the school attributes ``frl_percent`` (free or reduced
price lunch share) and ``ell_percent`` (English learners share). Each is
turned into a percentile rank among the schools that have it: the average
1-based rank of the value (ties share the mean of their ranks) divided by
the number of such schools, so 1.0 is the highest need. A school's need is
the mean of its available percentiles. Support is the number of distinct
partners (stakeholders tied by a flow either way, self excluded), ranked the
same way among the schools with a need figure. The gap is need minus
support, from -1 to 1; the largest gap comes first, then the higher need,
then the id. Schools with neither indicator are listed apart, not ranked.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

INDICATORS = ("frl_percent", "ell_percent")


def percentile_ranks(values: dict[str, float]) -> dict[str, float]:
    """Average 1-based rank over the count, ties sharing their mean rank.

    >>> percentile_ranks({"a": 10, "b": 20, "c": 20, "d": 5})
    {'d': 0.25, 'a': 0.5, 'b': 0.875, 'c': 0.875}
    """
    by_value: dict[float, list[str]] = defaultdict(list)
    for key, value in values.items():
        by_value[value].append(key)
    out, seen, n = {}, 0, len(values)
    for value in sorted(by_value):
        keys = sorted(by_value[value])
        mean_rank = seen + (len(keys) + 1) / 2
        for key in keys:
            out[key] = mean_rank / n
        seen += len(keys)
    return out


def partner_counts(g: nx.DiGraph, nodes: list[str]) -> dict[str, int]:
    """Distinct partners of each node, a flow either way, self excluded."""
    return {n: len((set(g.successors(n)) | set(g.predecessors(n))) - {n}) for n in nodes}


def need_finding(g: nx.DiGraph, *, kind: str = "school") -> dict[str, Any]:
    """Schools ranked by need against partners (see the module Notes).

    Examples
    --------
    >>> g = nx.DiGraph([("rich", "p1"), ("rich", "p2")])
    >>> g.add_node("poor", kind="school", attributes={"frl_percent": 90})
    >>> g.nodes["rich"].update(kind="school", attributes={"frl_percent": 10})
    >>> [r["who"]["id"] for r in need_finding(g)["schools"]]
    ['poor', 'rich']
    """
    schools = sorted(n for n, k in g.nodes(data="kind") if k == kind)
    figures = {n: _indicators(g, n) for n in schools}
    ranked = [n for n in schools if figures[n]]
    pct = {i: percentile_ranks({n: figures[n][i] for n in ranked if i in figures[n]})
           for i in INDICATORS}
    count = partner_counts(g, schools)
    support = percentile_ranks({n: count[n] for n in ranked}) if ranked else {}
    rows = []
    for n in ranked:
        parts = [pct[i][n] for i in INDICATORS if n in pct[i]]
        need = sum(parts) / len(parts)
        rows.append(_row(g, n, figures[n], count[n], need, support[n]))
    rows.sort(key=lambda r: (-r["gap"], -r["need"], r["who"]["id"]))
    missing = [{"id": n, "name": g.nodes[n].get("name", n)} for n in schools if not figures[n]]
    return {"indicators": list(INDICATORS), "schools": rows, "need_unknown": missing,
            "totals": {"ranked": len(rows), "need_unknown": len(missing),
                       "high_need_low_support": sum(1 for r in rows if r["gap"] >= 0.5)}}


def _indicators(g: nx.DiGraph, node: str) -> dict[str, float]:
    attrs = g.nodes[node].get("attributes") or {}
    out = {}
    for key in INDICATORS:
        try:
            out[key] = float(attrs[key])
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _row(g: nx.DiGraph, n: str, figures: dict[str, float], partners: int,
         need: float, support: float) -> dict[str, Any]:
    name = g.nodes[n].get("name", n)
    shown = ", ".join(f"{k.split('_')[0].upper()} {v:g}%" for k, v in figures.items())
    return {
        "who": {"id": n, "name": name, "kind": g.nodes[n].get("kind", "")},
        "indicators": figures,
        "partners": partners,
        "need": round(need, 4),
        "support": round(support, 4),
        "gap": round(need - support, 4),
        "what": f"{name}: {shown}; {partners} partners",
        "suggestion": f"prioritise {name} for new partners" if need - support >= 0.5
        else "no action: support matches need",
    }
