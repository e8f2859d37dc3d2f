"""Coverage gaps by rule: who lacks a kind of partner, or a deep enough tie.

Rules live in a small TOML file; the defaults ship in
``partnermap/graph/coverage_rules.toml``. A rule reads::

    [[rules]]
    id = "business-partner"
    text = "Every school has at least one business partner"
    applies_to = ["school"]                          # stakeholder kinds checked
    partner_kinds = ["business", "financial_institution"]
    min = 1                                          # partners needed (default 1)
    two_way = false                                  # tie must flow both ways
    back_types = []                                  # partner must send one back

Notes
-----
A partner is a stakeholder of one of ``partner_kinds`` tied by a flow either
way in the window. With ``two_way`` only pairs with flows both ways count;
with ``back_types`` only partners that sent one of those interaction types to
the stakeholder count. Self-loops never count. Unknown keys in a rule are
refused, so a typo cannot silently switch a condition off.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

import networkx as nx

from partnermap.errors import InvalidInputError
from partnermap.model import InteractionType, StakeholderKind

_KEYS = {"id", "text", "applies_to", "partner_kinds", "min", "two_way", "back_types"}


@dataclass(frozen=True)
class Rule:
    """One coverage rule (see the module docstring)."""

    id: str
    text: str
    applies_to: tuple[str, ...]
    partner_kinds: tuple[str, ...]
    min: int = 1
    two_way: bool = False
    back_types: tuple[str, ...] = ()


def default_rules_text() -> str:
    """The TOML text of the rules that ship with partnermap."""
    return resources.files("partnermap.graph").joinpath("coverage_rules.toml").read_text(
        encoding="utf-8"
    )


def parse_rules(text: str, source: str = "rules") -> tuple[Rule, ...]:
    """Rules from TOML text; raises InvalidInputError naming the broken rule.

    >>> [r.id for r in parse_rules(default_rules_text())]
    ['business-partner', 'family-two-way', 'host-shares-data']
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError(f"{source}: not valid TOML ({exc})") from exc
    except RecursionError:
        raise InvalidInputError(f"{source}: nested too deeply to read") from None
    items = data.get("rules")
    if not isinstance(items, list) or not items:
        raise InvalidInputError(f"{source}: no [[rules]] tables; see docs/findings.md")
    rules = tuple(_rule(item, n, source) for n, item in enumerate(items, 1))
    twice = sorted(i for i, n in Counter(r.id for r in rules).items() if n > 1)
    if twice:
        raise InvalidInputError(
            f"{source}: rule id(s) {twice} used more than once; give each rule its own id"
        )
    return rules


def _rule(item: dict[str, Any], n: int, source: str) -> Rule:
    where = f"{source} rule {n}"
    if not isinstance(item, dict):
        raise InvalidInputError(f"{where}: write each rule as a [[rules]] table")
    extra = set(item) - _KEYS
    if extra:
        raise InvalidInputError(f"{where}: unknown key(s) {sorted(extra)}; allowed: {sorted(_KEYS)}")
    for key in ("id", "text"):
        value = item.get(key, "")
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise InvalidInputError(f'{where}: {key} must be text in quotes ({key} = "...")')
    kinds = {k.value for k in StakeholderKind}
    for key in ("applies_to", "partner_kinds"):
        listed = _words(item.get(key, []))
        if listed is None or not listed or set(listed) - kinds:
            raise InvalidInputError(f"{where}: {key} must list kinds from {sorted(kinds)}")
    types = {t.value for t in InteractionType}
    listed = _words(item.get("back_types", []))
    bad = ["(not a list of words)"] if listed is None else [t for t in listed if t not in types]
    if bad:
        raise InvalidInputError(f"{where}: back_types {bad} unknown; allowed: {sorted(types)}")
    least = item.get("min", 1)
    if isinstance(least, bool) or not isinstance(least, int) or least < 1:
        raise InvalidInputError(f"{where}: min must be a whole number of at least 1")
    if not isinstance(item.get("two_way", False), bool):
        raise InvalidInputError(
            f"{where}: two_way must be true or false, unquoted (not "
            f"{item['two_way']!r})"
        )
    return Rule(
        id=str(item.get("id") or f"rule-{n}"),
        text=str(item.get("text") or item.get("id") or f"rule {n}"),
        applies_to=tuple(item["applies_to"]),
        partner_kinds=tuple(item["partner_kinds"]),
        min=int(item.get("min", 1)),
        two_way=bool(item.get("two_way", False)),
        back_types=tuple(item.get("back_types", ())),
    )


def _words(value: Any) -> list[str] | None:
    """A TOML list of strings, or None for anything else.

    >>> _words(["school"]), _words("school"), _words([["school"]])
    (['school'], None, None)
    """
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def partners_meeting(g: nx.DiGraph, node: str, rule: Rule) -> set[str]:
    """The partners of ``node`` that count toward ``rule``.

    >>> g = nx.DiGraph([("s", "b")])
    >>> g.nodes["b"]["kind"] = "business"
    >>> rule = Rule("r", "r", ("school",), ("business",))
    >>> partners_meeting(g, "s", rule), partners_meeting(g, "s", Rule("r", "r", ("school",), ("business",), two_way=True))
    ({'b'}, set())
    """
    others = (set(g.successors(node)) | set(g.predecessors(node))) - {node}
    found = set()
    for other in others:
        if g.nodes[other].get("kind") not in rule.partner_kinds:
            continue
        if rule.two_way and not (g.has_edge(node, other) and g.has_edge(other, node)):
            continue
        if rule.back_types:
            back = g.edges[other, node]["counts"] if g.has_edge(other, node) else {}
            if not any(back.get(t) for t in rule.back_types):
                continue
        found.add(other)
    return found


def coverage_finding(g: nx.DiGraph, rules: tuple[Rule, ...] | None = None) -> dict[str, Any]:
    """Every stakeholder that breaks a rule, with what it lacks.

    Examples
    --------
    >>> g = nx.DiGraph([("s1", "b")])
    >>> g.add_node("s2")
    >>> nx.set_node_attributes(g, {"s1": "school", "s2": "school", "b": "business"}, "kind")
    >>> out = coverage_finding(g)
    >>> [(r["id"], r["checked"], [x["who"]["id"] for x in r["gaps"]]) for r in out["rules"]][0]
    ('business-partner', 2, ['s2'])
    """
    rules = rules if rules is not None else parse_rules(default_rules_text(), "default rules")
    out = []
    for rule in rules:
        checked = sorted(n for n, k in g.nodes(data="kind") if k in rule.applies_to)
        gaps = []
        for node in checked:
            have = partners_meeting(g, node, rule)
            if len(have) >= rule.min:
                continue
            name = g.nodes[node].get("name", node)
            gaps.append({
                "who": {"id": node, "name": name, "kind": g.nodes[node].get("kind", "")},
                "has": len(have),
                "needs": rule.min,
                "what": f"{name} breaks the rule: {rule.text.lower()} (has {len(have)})",
                "suggestion": _next_step(rule, name),
            })
        gaps.sort(key=lambda r: (r["who"]["name"], r["who"]["id"]))
        out.append({"id": rule.id, "text": rule.text, "checked": len(checked),
                    "broken": len(gaps), "gaps": gaps})
    return {"rules": out, "totals": {r["id"]: r["broken"] for r in out}}


def _next_step(rule: Rule, name: str) -> str:
    kinds = " or ".join(StakeholderKind(k).label.lower() for k in rule.partner_kinds)
    if rule.back_types:
        return f"agree with {name}'s {kinds} partners to send {', '.join(rule.back_types)} back"
    if rule.two_way:
        return f"set up a way for a {kinds} to talk with {name} both ways"
    return f"introduce {name} to a {kinds} (see the introductions finding)"
