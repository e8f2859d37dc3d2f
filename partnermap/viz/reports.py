"""The findings, changes and report pages: findings as tables, charts, text.

These pages arrange the records that :mod:`partnermap.graph` returns; they
compute nothing (a share's percentage is the one sum done here, for its
label). Long lists are cut to :data:`ROWS` rows unless every row is asked for
(``?all=1``); sorting happens in the browser (``pages.js``). Measures and
rules link to the findings guide (``/guide/findings``, docs/findings.md).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from partnermap.graph.scope import GROUP_KIND, PERSON, kind_of
from partnermap.model import Intensity
from partnermap.privacy import shown_number
from partnermap.viz.charts import bar_chart, network_svg, share_chart
from partnermap.viz.layout import Point
from partnermap.viz.network import KIND_STYLE, TIE_STYLE
from partnermap.viz.pages import render_page
from partnermap.viz.profile import KIND_COLOURS, kind_label, type_label

ROWS = 200
"""Rows a findings table shows before "show all"."""

BALANCE_TEXT = {
    "balanced": "Balanced",
    "lopsided": "Lopsided",
    "one_way": "One-way",
    "unknown": "Unknown (other side silent)",
}
BALANCE_COLOURS = ["#009E73", "#E69F00", "#D55E00", "#9AA3AD"]


IDEAS = {
    "shared_vision": "Shared vision",
    "intentional_culture_and_diversity": "Intentional culture and diversity",
    "authentic_collaboration": "Authentic collaboration",
    "360_degree_communication": "360-degree communication",
}
"""The four ideas of the summary, in order, with their titles."""

MEASURES = {
    "planning_participation": "Stakeholders who plan together",
    "planning_kinds": "Kinds of stakeholder planning",
    "connected": "In the main network",
    "community_groups_tied_to_a_school": "Community groups tied to a school",
    "shared_work_both_ways": "Shared work flowing both ways",
    "data_both_ways": "Data shared both ways",
    "two_way": "Pairs with flows back",
    "feedback_answered": "Feedback answered",
}
"""Plain names of the summary's measures; an unknown one shows its id."""

CHANGES = {
    "new": ("New relationships", "A flow in the second period and none in the first."),
    "ended": ("Ended relationships", "A flow in the first period and none in the second."),
    "strengthened": (
        "Strengthened relationships",
        "Deeper in the second period, or as deep with more events both ways together.",
    ),
    "weakened": (
        "Weakened relationships",
        "Shallower in the second period, or as deep with fewer events.",
    ),
}
"""The relationship changes, in order, with a title and what each means."""

INTENSITY = {i.value: i.name.lower() for i in Intensity}


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{type_label(k)} {n}" for k, n in sorted(counts.items()))


def render_findings(
    findings: dict[str, Any],
    *,
    brokers: dict[str, Any] | None,
    more: dict[str, dict[str, Any]],
    window: str,
    show_all: bool,
    query: str,
) -> str:
    """The findings page: one sortable table per finding.

    ``more`` holds graph/'s coverage, need, dormant, communities and
    introductions findings, each shown when present.
    """
    groups = findings["isolated_groups"]
    one_way = findings["one_way"]
    limit = None if show_all else ROWS
    rows = one_way["relationships"]
    return render_page(
        "findings.html",
        title="Findings · partnermap",
        heading="Findings",
        active="/findings",
        window=window,
        groups=groups["groups"][:limit],
        groups_total=len(groups["groups"]),
        lonely=groups["isolated_stakeholders"][:limit],
        lonely_total=len(groups["isolated_stakeholders"]),
        group_totals=groups["totals"],
        one_way=[{**r, "evidence": _counts_text(r["counts"])} for r in rows[:limit]],
        one_way_total=len(rows),
        one_way_totals=one_way["totals"],
        lopsided=one_way.get("balance", {}).get("lopsided", [])[:limit],
        brokers=brokers,
        **_more_sections(more, limit),
        kind_label=kind_label,
        limit=ROWS,
        show_all=show_all,
        query=query,
    )


def _more_sections(more: dict[str, dict[str, Any]], limit: int | None) -> dict[str, Any]:
    """The coverage, need, dormant, communities and introductions tables."""
    coverage = more.get("coverage") or {"rules": []}
    gaps = [{**gap, "rule": r["text"]} for r in coverage["rules"] for gap in r["gaps"]]
    need = more.get("need") or {"schools": [], "need_unknown": []}
    dormant = more.get("dormant") or {"ties": [], "totals": {}}
    found = more.get("communities") or {"communities": [], "totals": {}}
    intro = more.get("introductions") or {"groups": [], "stakeholders": [], "totals": {}}
    intros = [{**r, "is_group": False} for r in intro["stakeholders"]] + [
        {**g, "who": {"id": g["group"], "name": g["group"], "kind": "group"}, "is_group": True}
        for g in intro["groups"]
    ]
    return {
        "coverage": coverage if "coverage" in more else None,
        "gaps": gaps[:limit],
        "gaps_total": len(gaps),
        "need": need if "need" in more else None,
        "need_rows": need["schools"][:limit],
        "dormant": dormant if "dormant" in more else None,
        "dormant_rows": dormant["ties"][:limit],
        "communities": found if "communities" in more else None,
        "introductions": intro if "introductions" in more else None,
        "intro_rows": intros[:limit],
        "intro_total": len(intros),
    }


def render_report(
    rel: nx.DiGraph,
    findings: dict[str, Any],
    *,
    brokers: dict[str, Any] | None,
    summary: dict[str, Any] | None,
    coverage: dict[str, Any] | None,
    need: dict[str, Any] | None,
    positions: dict[str, Point],
    window: str,
) -> str:
    """The report for leaders: totals, the four ideas, top gaps and the network."""
    groups = findings["isolated_groups"]
    one_way = findings["one_way"]
    totals = {
        "stakeholders": rel.number_of_nodes(),
        "relationships": one_way["totals"]["directed_relationships"],
        "mutual": one_way["totals"]["mutual_pairs"],
        "one_way": one_way["totals"]["one_way"],
        "groups": groups["totals"]["groups"],
        "in_groups": groups["totals"]["stakeholders_in_groups"],
        "lonely": groups["totals"]["isolated_stakeholders"],
        "main": groups["totals"]["main_component_size"],
    }
    by_kind = _kind_bars(rel)
    shown = set(_kind_keys(rel))
    pairs = one_way.get("balance", {}).get("pairs", {})
    balance = [(BALANCE_TEXT[k], pairs.get(k, 0)) for k in BALANCE_TEXT]
    marked = {
        (r["source"]["id"], r["target"]["id"]): TIE_STYLE["one_way"]["color"]
        for r in one_way["relationships"]
        if r.get("status") == "one_way"
    }
    picture = network_svg(
        rel, positions, colours=KIND_COLOURS, title=f"The partnership network, {window}",
        highlight=marked,
    )
    return render_page(
        "report.html",
        title="Report · partnermap",
        heading="Partnership report",
        active="/report",
        window=window,
        totals=totals,
        kinds_chart=bar_chart(
            by_kind, title="Stakeholders by kind",
            colours=[KIND_COLOURS.get(k, "#BBBBBB") for k in _kind_keys(rel)],
        ),
        balance_chart=bar_chart(balance, title="Pairs by how their flows balance",
                                colours=BALANCE_COLOURS),
        top_groups=groups["groups"][:5],
        brokers=(brokers or {}).get("brokers", [])[:5] if brokers else [],
        fragile=(brokers or {}).get("fragile_ties", [])[:5] if brokers else [],
        ideas=_ideas(summary),
        rules=(coverage or {}).get("rules", []),
        need_top=[r for r in (need or {}).get("schools", []) if r["gap"] >= 0.5][:5],
        need_totals=(need or {}).get("totals"),
        picture=picture,
        legend=_legend(shown),
        kind_label=kind_label,
    )


def _ideas(summary: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each idea of the summary with its measures and a chart of them."""
    out = []
    for key, title in IDEAS.items():
        idea = (summary or {}).get(key)
        if idea is None:
            continue
        measures = [{**m, "label": MEASURES.get(m["id"], m["id"])} for m in idea["measures"]]
        out.append({
            "key": key,
            "title": title,
            "idea": idea["idea"],
            "measures": measures,
            "chart": share_chart(
                [(m["label"], m["numerator"], m["denominator"]) for m in measures],
                title=f"{title}: {idea['idea']}",
            ),
        })
    return out


def render_changes(
    *,
    school_years: list[str],
    start: str,
    end: str,
    changes: dict[str, Any] | None,
    show_all: bool = False,
    query: str = "",
    problem: str = "",
) -> str:
    """The changes page: a table per kind of change; without periods it says
    so; with periods it cannot compare, it says why above the form."""
    limit = None if show_all else ROWS
    tables = []
    for key, (title, meaning) in CHANGES.items():
        rows = (changes or {}).get(key, [])
        tables.append({"key": key, "title": title, "meaning": meaning, "total": len(rows),
                       "rows": [_change_row(r) for r in rows[:limit]]})
    people = {
        key: {"total": len((changes or {}).get(key, [])),
              "rows": (changes or {}).get(key, [])[:limit]}
        for key in ("joined", "dropped")
    }
    return render_page(
        "changes.html",
        title="Changes · partnermap",
        heading="Changes between two periods",
        active="/changes",
        school_years=sorted({*school_years, *(y for y in (start, end) if y)}),
        start=start,
        end=end,
        changes=changes,
        tables=tables,
        people=people,
        kind_label=kind_label,
        show_all=show_all,
        query=query,
        problem=problem,
    )


def _change_row(row: dict[str, Any]) -> dict[str, Any]:
    """A change row with its before and after written out."""
    def side(s: dict[str, Any] | None) -> str:
        if s is None:
            return "none"
        level = INTENSITY.get(s["intensity"], str(s["intensity"]))
        events = f"{shown_number(s['events'])} event{'' if s['events'] == 1 else 's'}"
        return f"{events} · {level}"

    def sort_key(s: dict[str, Any] | None) -> int:
        # "fewer than 5" sorts between 0 and 5, telling no more than it says.
        n = (s or {}).get("events", 0)
        return n if isinstance(n, int) else 1

    return {**row, "before_text": side(row["before"]), "after_text": side(row["after"]),
            "before_events": sort_key(row["before"]),
            "after_events": sort_key(row["after"])}


def _legend(shown: set[str]) -> list[tuple[str, str]]:
    """The kinds drawn, by label and colour; groups of people share the
    colour of people."""
    out = []
    for kind, (colour, _) in KIND_STYLE.items():
        labels = [kind.label] if kind.value in shown else []
        if kind.value == PERSON and GROUP_KIND in shown:
            labels.append(kind_label(GROUP_KIND))
        out += [(label, colour) for label in labels]
    return out


def _kind_counts(rel: nx.DiGraph) -> Counter[str]:
    """Stakeholders by kind; a group of people counts as a group, not a person."""
    return Counter(kind_of(n, data) for n, data in rel.nodes(data=True))


def _kind_keys(rel: nx.DiGraph) -> list[str]:
    counts = _kind_counts(rel)
    return sorted(counts, key=lambda k: (-counts[k], k))


def _kind_bars(rel: nx.DiGraph) -> list[tuple[str, float]]:
    counts = _kind_counts(rel)
    return [(kind_label(k), counts[k]) for k in _kind_keys(rel)]
