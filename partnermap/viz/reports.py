"""The findings, changes and report pages: findings as tables, charts, text.

These pages arrange the records that :mod:`partnermap.graph` returns; they
compute nothing. Long lists are cut to :data:`ROWS` rows unless every row is
asked for (``?all=1``); sorting happens in the browser (``pages.js``).

Not supported yet: the four-ideas summary, coverage gaps by rules, need
against support, dormant ties, communities and changes between periods;
their sections appear when the findings that feed them exist.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from partnermap.viz.charts import bar_chart, network_svg
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


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{type_label(k)} {n}" for k, n in sorted(counts.items()))


def render_findings(
    findings: dict[str, Any],
    *,
    brokers: dict[str, Any] | None,
    window: str,
    show_all: bool,
    query: str,
) -> str:
    """The findings page: one sortable table per finding."""
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
        kind_label=kind_label,
        limit=ROWS,
        show_all=show_all,
        query=query,
    )


def render_report(
    rel: nx.DiGraph,
    findings: dict[str, Any],
    *,
    brokers: dict[str, Any] | None,
    positions: dict[str, Point],
    window: str,
) -> str:
    """The report for leaders: totals, charts, top gaps and the network."""
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
        picture=picture,
        legend=[(k.label, c) for k, (c, _) in KIND_STYLE.items()
                if k.value in set(_kind_keys(rel))],
        kind_label=kind_label,
    )


def render_changes(
    *, school_years: list[str], start: str, end: str, changes: dict[str, Any] | None
) -> str:
    """The changes page; without a changes finding it says so."""
    return render_page(
        "changes.html",
        title="Changes · partnermap",
        heading="Changes between two periods",
        active="/changes",
        school_years=school_years,
        start=start,
        end=end,
        changes=changes,
    )


def _kind_keys(rel: nx.DiGraph) -> list[str]:
    counts: dict[str, int] = {}
    for _, kind in rel.nodes(data="kind"):
        counts[str(kind)] = counts.get(str(kind), 0) + 1
    return sorted(counts, key=lambda k: (-counts[k], k))


def _kind_bars(rel: nx.DiGraph) -> list[tuple[str, float]]:
    counts: dict[str, int] = {}
    for _, kind in rel.nodes(data="kind"):
        counts[str(kind)] = counts.get(str(kind), 0) + 1
    return [(kind_label(k), counts[k]) for k in _kind_keys(rel)]
