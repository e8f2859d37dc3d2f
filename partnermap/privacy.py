"""Person-level records: pseudonyms at load, masks when served, small counts.

A person (a parent on a sign-in sheet, a liaison) is a stakeholder of kind
``person``. At load its id becomes ``person-`` and 16 hex digits of a salted
HMAC-SHA256 of the id it was loaded with, and its name becomes a label made
from that id, so the name is never stored; its attributes (which may hold an
e-mail or a phone number) are dropped. A coordinator may keep names
(``load --keep-person-names``); ids are pseudonymised either way.

Viewers and partners never see a person on their own: their view of the
network holds groups of people instead (:func:`partnermap.graph.scope.group_people`),
named by their size, and any count of people under :data:`SMALL_COUNT` reads
"fewer than 5" (:func:`small_count`, :func:`people_text`).

Counts of events are counts of people too where a tie touches a group: three
parents signing in once each to one meeting give the group's tie three
meetings. Such a tie carries :data:`MASKED` in its data, and every output
(API, page, finding text, export) shows its event counts through
:func:`event_count` and :func:`event_counts`: under 5 (per type and in
totals) they read "fewer than 5"; 0 and 5 or more stay exact. The numbers
on the tie stay exact, so statuses and findings are worked out as for
anyone; a coordinator's graph has no such tie and sees every number.

Notes
-----
A file that refers to a person loaded by an earlier import may name the
id the person was loaded with: the loaders look up its pseudonym with the
salt (``LoadContext.salt``); without the salt, name the pseudonymous id.

A sum of such counts (a tie's total, a channel's types, both ways of a
pair) is shown through :func:`event_sum`: on a masked tie with 7 feedback
events and 2 meetings the total reads "at least 8", not 9, which less 7 would
give the meetings; a lopsided pair with a count under 5 shows no share.

Not supported: counts summed over several ties (a collapsed node of the
explorer adds its leaves' counts by type), a share narrowed down by
asking for the one-way finding at many thresholds, and differences between
windows (each window's counts are masked on their own, so 9 events in a
year and 6 in its spring give 3 in its autumn).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from typing import Any

from partnermap.errors import InvalidInputError
from partnermap.model import ImportBatch, Stakeholder, StakeholderKind

SMALL_COUNT = 5
"""Counts of people below this are shown as "fewer than 5"."""

MASKED = "masked"
"""Key of the edge data that marks a tie touching a group of people (set by
:func:`partnermap.graph.scope.group_people`): its event counts are counts of
people, shown through :func:`event_count`."""


def person_label(pseudo_id: str) -> str:
    """The name shown for a person: ``Person`` and 8 hex digits of its id.

    >>> person_label("person-0123456789abcdef")
    'Person 45f104d9'
    """
    return "Person " + hashlib.sha256(pseudo_id.encode("utf-8")).hexdigest()[:8]


def pseudo_id(salt: str, original: str) -> str:
    """The stored id of a person loaded with id ``original``."""
    digest = hmac.new(salt.encode("utf-8"), original.encode("utf-8"), hashlib.sha256)
    return "person-" + digest.hexdigest()[:16]


def pseudonymise(batch: ImportBatch, salt: str | None, *, keep_names: bool = False) -> int:
    """Replace every person's id (and name, unless kept) in a batch, in place.

    Returns how many people were pseudonymised. Raises InvalidInputError when
    the batch holds people and no salt is set.
    """
    records = {s.id for s in batch.stakeholders if s.kind is StakeholderKind.PERSON}
    people = {p for p in records if not is_pseudo_id(p)}
    if people and not salt:
        raise InvalidInputError(
            "the import holds person-level records and no pseudonym salt is set; "
            "set PARTNERMAP_PSEUDONYM_SALT or PARTNERMAP_PSEUDONYM_SALT_FILE"
        )
    # A record under an id that is already a pseudonym (an export read back)
    # keeps its id but, like the others, loses its attributes and its name.
    ids = {p: p for p in records} | {p: pseudo_id(salt or "", p) for p in people}
    batch.stakeholders = [_renamed(s, ids, keep_names) for s in batch.stakeholders]
    for item in batch.interactions:
        item.source = ids.get(item.source, item.source)
        item.target = ids.get(item.target, item.target)
    batch.attribute_updates = {
        ids.get(k, k): ({} if k in ids else v) for k, v in batch.attribute_updates.items()
    }
    return len(people)


def is_pseudo_id(sid: str) -> bool:
    """Whether an id is a pseudonym as :func:`pseudo_id` makes them.

    >>> is_pseudo_id(pseudo_id("salt", "p7")), is_pseudo_id("person-alice")
    (True, False)
    """
    return _PSEUDO.fullmatch(sid) is not None


_PSEUDO = re.compile(r"person-[0-9a-f]{16}")


def _renamed(s: Stakeholder, ids: dict[str, str], keep_names: bool) -> Stakeholder:
    if s.id not in ids:
        return s
    new = ids[s.id]
    name = s.name if keep_names else person_label(new)
    return Stakeholder(new, name, s.kind, {}, s.source)


def small_count(n: int) -> int | str:
    """A count of people as viewers and partners see it.

    >>> small_count(3), small_count(0), small_count(12)
    ('fewer than 5', 0, 12)
    """
    return "fewer than 5" if 0 < n < SMALL_COUNT else n


def is_masked(*ties: Mapping[str, Any] | None) -> bool:
    """Whether any of these ties (edge data, None for no tie) touches a group
    of people.

    >>> is_masked({"masked": True}, None), is_masked({"events": 3}), is_masked()
    (True, False, False)
    """
    return any(tie is not None and bool(tie.get(MASKED)) for tie in ties)


def event_count(n: int, *ties: Mapping[str, Any] | None) -> int | str:
    """A number of events on ``ties`` (edge data: one tie, or both ways of a
    pair) as viewers and partners see it: under 5 reads "fewer than 5" when
    any of them touches a group of people (:func:`is_masked`).

    >>> group, other = {"masked": True}, {}
    >>> event_count(3, group), event_count(3, other), event_count(3, other, group)
    ('fewer than 5', 3, 'fewer than 5')
    >>> event_count(0, group), event_count(5, group)
    (0, 5)
    """
    return small_count(n) if is_masked(*ties) else n


def event_counts(
    counts: Mapping[str, int], *ties: Mapping[str, Any] | None
) -> dict[str, int | str]:
    """Event counts by type (or by channel) as :func:`event_count` shows each.

    >>> event_counts({"meeting": 3, "feedback_given": 7}, {"masked": True})
    {'meeting': 'fewer than 5', 'feedback_given': 7}
    >>> event_counts({"meeting": 3}, {"events": 3})
    {'meeting': 3}
    """
    masked = is_masked(*ties)
    return {kind: small_count(n) if masked else n for kind, n in counts.items()}


def event_sum(parts: Iterable[int], *ties: Mapping[str, Any] | None) -> int | str:
    """A sum of event counts (a tie's types, a channel's types, both ways of a
    pair) as viewers and partners see it, given the counts it adds up.

    On a tie of a group of people (:func:`is_masked`), a sum with a part under
    5 reads "at least N": the parts of 5 or more, plus one for each smaller
    part. An exact sum beside the parts shown would give the small ones away
    (9 meetings and feedback, 7 of them feedback). A sum of one part reads as
    that part.

    >>> group = {"masked": True}
    >>> event_sum([7, 2], group), event_sum([7, 2], {}), event_sum([7, 6], group)
    ('at least 8', 9, 13)
    >>> event_sum([3], group), event_sum([3, 0], group), event_sum([], group)
    ('fewer than 5', 'fewer than 5', 0)
    """
    nonzero = [n for n in parts if n]
    total = sum(nonzero)
    if not is_masked(*ties):
        return total
    small = sum(1 for n in nonzero if n < SMALL_COUNT)
    if not small or len(nonzero) == 1:
        return small_count(total)
    return f"at least {total - sum(n for n in nonzero if n < SMALL_COUNT) + small:,}"


def events_on(
    edges: Iterable[Mapping[str, Any] | None], *ties: Mapping[str, Any] | None
) -> int | str:
    """The events on these edges (edge data, None for none), by their counts
    by type, as :func:`event_sum` shows them; masked when any of the edges or
    of ``ties`` touches a group of people.

    >>> group = {"masked": True, "counts": {"meeting": 2, "feedback_given": 7}}
    >>> events_on([group]), events_on([{"counts": {"meeting": 2}}, None])
    ('at least 8', 2)
    >>> events_on([{"events": 3}], group)
    'fewer than 5'
    """
    given = [e for e in edges if e is not None]
    parts = [
        n
        for e in given
        for n in (e.get("counts") or {"": e.get("events", 1)}).values()
    ]
    return event_sum(parts, *given, *ties)


def both_ways(g: Any, u: str, v: str) -> tuple[Mapping[str, Any] | None, ...]:
    """The ties u -> v and v -> u of a graph (None where there is none), to
    pass to :func:`event_count` for the events of a pair.

    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", masked=True)
    >>> both_ways(g, "a", "b"), both_ways(g, "b", "a")
    (({'masked': True}, None), (None, {'masked': True}))
    """
    return (
        g.edges[u, v] if g.has_edge(u, v) else None,
        g.edges[v, u] if g.has_edge(v, u) else None,
    )


def shown_number(n: int | str) -> str:
    """A shown count in words: thousands separated, "fewer than 5" as it is.

    >>> shown_number(1234), shown_number("fewer than 5")
    ('1,234', 'fewer than 5')
    """
    return f"{n:,}" if isinstance(n, int) else str(n)


def people_text(n: int) -> str:
    """A number of people in words, as viewers and partners see it.

    >>> people_text(3), people_text(7), people_text(1234)
    ('fewer than 5 people', '7 people', '1,234 people')
    """
    shown = small_count(n)
    return f"{shown:,} people" if isinstance(shown, int) else f"{shown} people"


def group_record(node: str, data: Mapping[str, Any]) -> Stakeholder:
    """A group of people (a node of a graph made by
    :func:`partnermap.graph.scope.group_people`) as a stakeholder record.

    >>> data = {"name": "7 people", "kind": "person", "attributes": {"people": 7}}
    >>> found = group_record("people:0a1b2c3d4e5f", data)
    >>> found.name, found.kind.value, found.attributes
    ('7 people', 'person', {'people': 7})
    """
    attributes = dict(data.get("attributes") or {})
    return Stakeholder(node, str(data["name"]), StakeholderKind.PERSON, attributes, "")
