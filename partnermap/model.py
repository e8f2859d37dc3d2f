"""The vocabulary of partnermap: stakeholder kinds, interaction types, records.

Everything that names a kind of stakeholder or a type of interaction is defined
here once. Loaders, stores, analytics and pages import from this module and
never spell a kind or a type themselves.

Notes
-----
Intensity follows the ladder used in community-partnership practice:
awareness < cooperation < coordination < integration.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, IntEnum
from typing import Any, NamedTuple


class StakeholderKind(str, Enum):
    """What a stakeholder is."""

    SCHOOL = "school"
    FAMILY_GROUP = "family_group"
    COMMUNITY_ORGANIZATION = "community_organization"
    AFTERSCHOOL_PROVIDER = "afterschool_provider"
    PROGRAM_SITE = "program_site"
    BUSINESS = "business"
    FINANCIAL_INSTITUTION = "financial_institution"
    HIGHER_EDUCATION = "higher_education"
    HEALTH_PROVIDER = "health_provider"
    CULTURAL_ORGANIZATION = "cultural_organization"
    NONPROFIT = "nonprofit"
    DISTRICT_OFFICE = "district_office"
    PERSON = "person"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Plain-language name shown to people."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    StakeholderKind.SCHOOL: "School",
    StakeholderKind.FAMILY_GROUP: "Family group",
    StakeholderKind.COMMUNITY_ORGANIZATION: "Community organization",
    StakeholderKind.AFTERSCHOOL_PROVIDER: "After-school program provider",
    StakeholderKind.PROGRAM_SITE: "Program site",
    StakeholderKind.BUSINESS: "Business",
    StakeholderKind.FINANCIAL_INSTITUTION: "Financial institution",
    StakeholderKind.HIGHER_EDUCATION: "College or university",
    StakeholderKind.HEALTH_PROVIDER: "Hospital or health provider",
    StakeholderKind.CULTURAL_ORGANIZATION: "Cultural organization",
    StakeholderKind.NONPROFIT: "Nonprofit",
    StakeholderKind.DISTRICT_OFFICE: "District office",
    StakeholderKind.PERSON: "Person",
    StakeholderKind.OTHER: "Other partner",
}


class Intensity(IntEnum):
    """How deep a tie is, from awareness up to integration."""

    AWARENESS = 1
    COOPERATION = 2
    COORDINATION = 3
    INTEGRATION = 4


class Direction(str, Enum):
    """Which way an interaction flows between its source and target."""

    ONE_WAY = "one_way"  # source -> target only
    BOTH = "both"  # both take part: source -> target and target -> source


@dataclass(frozen=True)
class TypeInfo:
    """Defaults that come with an interaction type."""

    direction: Direction
    intensity: Intensity
    label: str
    confirmed: bool = True  # False: a one-sided claim until the target confirms


class InteractionType(str, Enum):
    """What happened between two stakeholders."""

    PARTNER_LISTED = "partner_listed"
    INFORMATION_SENT = "information_sent"
    FEEDBACK_GIVEN = "feedback_given"
    MEETING = "meeting"
    PROGRAM_HOSTED = "program_hosted"
    DATA_SHARED = "data_shared"
    RESOURCES_SHARED = "resources_shared"
    VOLUNTEERING = "volunteering"
    JOINT_PLANNING = "joint_planning"
    AGREEMENT = "agreement"
    FUNDING = "funding"

    @property
    def info(self) -> TypeInfo:
        """The type's default direction, intensity and label."""
        return TYPE_INFO[self]


TYPE_INFO: dict[InteractionType, TypeInfo] = {
    InteractionType.PARTNER_LISTED: TypeInfo(
        Direction.ONE_WAY, Intensity.AWARENESS, "Partner listed", confirmed=False
    ),
    InteractionType.INFORMATION_SENT: TypeInfo(
        Direction.ONE_WAY, Intensity.COOPERATION, "Information sent"
    ),
    InteractionType.FEEDBACK_GIVEN: TypeInfo(
        Direction.ONE_WAY, Intensity.COOPERATION, "Feedback given"
    ),
    InteractionType.MEETING: TypeInfo(Direction.BOTH, Intensity.COOPERATION, "Meeting"),
    InteractionType.PROGRAM_HOSTED: TypeInfo(
        Direction.BOTH, Intensity.COORDINATION, "Program run at a site"
    ),
    InteractionType.DATA_SHARED: TypeInfo(
        Direction.ONE_WAY, Intensity.COORDINATION, "Data shared"
    ),
    InteractionType.RESOURCES_SHARED: TypeInfo(
        Direction.ONE_WAY, Intensity.COORDINATION, "Resources shared"
    ),
    InteractionType.VOLUNTEERING: TypeInfo(
        Direction.ONE_WAY, Intensity.COOPERATION, "Volunteering"
    ),
    InteractionType.JOINT_PLANNING: TypeInfo(
        Direction.BOTH, Intensity.COORDINATION, "Joint planning"
    ),
    InteractionType.AGREEMENT: TypeInfo(
        Direction.BOTH, Intensity.INTEGRATION, "Agreement"
    ),
    InteractionType.FUNDING: TypeInfo(
        Direction.ONE_WAY, Intensity.INTEGRATION, "Funding"
    ),
}


FIRST_DAY = date(1, 7, 1)
LAST_DAY = date(9999, 6, 30)
"""The days a school year can hold (0001-02 to 9998-99): interactions dated
outside them are refused at load."""


def school_year_start(label: str) -> date:
    """Return the first day (1 July) of a school year such as ``"2014-15"``.

    >>> school_year_start("2014-15")
    datetime.date(2014, 7, 1)
    """
    head, _, tail = label.partition("-")
    if not (head.isdigit() and len(head) == 4 and tail.isdigit()):
        raise ValueError(f"school year {label!r} is not of the form 2014-15")
    start = int(head)
    if not 1 <= start <= 9998:
        raise ValueError(f"school year {label!r} is out of range (0001-02 to 9998-99)")
    if int(tail) % 100 != (start + 1) % 100:
        raise ValueError(f"school year {label!r} does not span two years in a row")
    return date(start, 7, 1)


def school_year_end(label: str) -> date:
    """Return the last day (30 June) of a school year such as ``"2014-15"``."""
    start = school_year_start(label)
    return date(start.year + 1, 6, 30)


@dataclass(frozen=True)
class Provenance:
    """Where a record came from: file, optional sheet, row (1-based, header=1)."""

    file: str
    row: int | None = None
    sheet: str | None = None

    def describe(self) -> str:
        """Short human form: ``hs_directory.csv row 14``."""
        where = self.file if self.sheet is None else f"{self.file} [{self.sheet}]"
        return where if self.row is None else f"{where} row {self.row}"


@dataclass
class Stakeholder:
    """A school, group, organization or person that takes part in partnerships.

    Ids are text everywhere: "00123" stays "00123".
    """

    id: str
    name: str
    kind: StakeholderKind
    attributes: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON and stores."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "attributes": dict(self.attributes),
            "source": self.source,
        }


@dataclass
class Interaction:
    """One dated, typed event between two stakeholders.

    ``direction`` defaults to the type's own; ``confirmed`` is False for a
    one-sided claim (a school listing a partner the partner never confirmed).
    """

    source: str
    target: str
    type: InteractionType
    date: date | None = None
    school_year: str | None = None
    direction: Direction | None = None
    confirmed: bool | None = None
    provenance: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    occurrence: int = 0
    """How many rows of the same content came before this one in its file."""
    stored_key: str | None = field(default=None, compare=False, repr=False)
    """The key a store keeps for it, which :attr:`key` then gives as is."""

    def __post_init__(self) -> None:
        if self.direction is None:
            self.direction = self.type.info.direction
        if self.confirmed is None:
            self.confirmed = self.type.info.confirmed
        if self.date is None and self.school_year:
            self.date = school_year_start(self.school_year)

    @property
    def key(self) -> str:
        """Idempotency key: the same event loaded twice has the same key.

        It is made of the content (pair, type, date, school year, attributes)
        and :attr:`occurrence`, not of the file's name or row: a renamed,
        re-ordered or cumulative file adds only its new rows, while two
        identical rows of one file (two real meetings on one day) stay two.
        The same event in two files is one event. An interaction read from a
        store gives the key the store keeps.
        """
        if self.stored_key:
            return self.stored_key
        parts = [
            self.source,
            self.target,
            self.type.value,
            self.date.isoformat() if self.date else "",
            self.school_year or "",
            json.dumps(self.attributes, sort_keys=True, default=str),
        ]
        if self.occurrence:
            parts.append(f"#{self.occurrence}")
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON and stores."""
        assert self.direction is not None
        return {
            "key": self.key,
            "source": self.source,
            "target": self.target,
            "type": self.type.value,
            "date": self.date.isoformat() if self.date else None,
            "school_year": self.school_year,
            "direction": self.direction.value,
            "confirmed": bool(self.confirmed),
            "provenance": self.provenance,
            "attributes": dict(self.attributes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, keep_key: bool = False) -> Interaction:
        """Inverse of :meth:`to_dict`; the key is recomputed unless
        ``keep_key`` (a store reading back what it keeps)."""
        raw_date = data.get("date")
        return cls(
            source=str(data["source"]),
            target=str(data["target"]),
            type=InteractionType(data["type"]),
            date=date.fromisoformat(str(raw_date)[:10]) if raw_date else None,
            school_year=data.get("school_year"),
            direction=Direction(data["direction"]),
            confirmed=bool(data["confirmed"]),
            provenance=data.get("provenance") or "",
            attributes=dict(data.get("attributes") or {}),
            stored_key=data.get("key") if keep_key else None,
        )


def number_occurrences(items: list[Interaction]) -> None:
    """Number the interactions of one file that share their content, in order
    (0, 1, 2, ...), so that each keeps a key of its own.

    >>> a = Interaction("a", "b", InteractionType.MEETING, date(2015, 3, 1))
    >>> b = Interaction("a", "b", InteractionType.MEETING, date(2015, 3, 1))
    >>> number_occurrences([a, b]); (a.occurrence, b.occurrence), a.key != b.key
    ((0, 1), True)
    """
    seen: dict[str, int] = {}
    for item in items:
        item.stored_key, item.occurrence = None, 0
        content = item.key
        item.occurrence = seen.get(content, 0)
        seen[content] = item.occurrence + 1


KEY_SCHEME = "2"
"""The way :attr:`Interaction.key` is made; stores rekey what they hold when
it changes. 1: content, file name and row; 2: content and occurrence."""

_FILE_ROW = re.compile(r"^(.*?) row (\d+)")


def rekeyed(items: list[tuple[str, Interaction]]) -> list[tuple[str, Interaction]]:
    """Stored interactions (each with its network) under content keys.

    Interactions are grouped by network and by the file their provenance
    names, taken in row order, and numbered as a load of that file would
    (:func:`number_occurrences`). Two that now share a key (the same event
    from two files) are one: the first is kept.
    """

    def place(pair: tuple[str, Interaction]) -> tuple[str, str, int, str]:
        network, item = pair
        found = _FILE_ROW.match(item.provenance)
        file, row = (found[1], int(found[2])) if found else (item.provenance, 0)
        return network, file, row, item.key

    ordered = sorted(items, key=place)
    out: dict[tuple[str, str], tuple[str, Interaction]] = {}
    groups: dict[tuple[str, str], list[Interaction]] = {}
    for pair in ordered:
        groups.setdefault(place(pair)[:2], []).append(pair[1])
    for (network, _), members in groups.items():
        number_occurrences(members)
        for item in members:
            out.setdefault((network, item.key), (network, item))
    return list(out.values())


class Flow(NamedTuple):
    """Interactions of one type, direction and confirmation between one
    ordered pair, aggregated: what the relationship graph is built from.

    ``first`` and ``last`` are the earliest and latest ISO dates of the
    events, None when none is dated.
    """

    source: str
    target: str
    type: InteractionType
    direction: Direction
    confirmed: bool
    events: int
    first: str | None
    last: str | None


def flows_of(interactions: Iterable[Interaction]) -> list[Flow]:
    """Aggregate interactions into flows, in the order each flow first occurs.

    Stores compute the same in their query language
    (:meth:`partnermap.store.base.Store.iter_flows`); this is the definition.

    >>> a = Interaction("a", "b", InteractionType.MEETING, date(2015, 3, 1))
    >>> b = Interaction("a", "b", InteractionType.MEETING, date(2014, 9, 1))
    >>> [(f.events, f.first, f.last) for f in flows_of([a, b])]
    [(2, '2014-09-01', '2015-03-01')]
    """
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for item in interactions:
        day = item.date.isoformat() if item.date else None
        confirmed = bool(item.confirmed)
        key = (item.source, item.target, item.type, item.direction, confirmed)
        found = groups.get(key)
        if found is None:
            groups[key] = [1, day, day]
            continue
        found[0] += 1
        if day is not None:
            if found[1] is None or day < found[1]:
                found[1] = day
            if found[2] is None or day > found[2]:
                found[2] = day
    return [Flow(*key, *rest) for key, rest in groups.items()]


def stakeholder_from_dict(data: dict[str, Any]) -> Stakeholder:
    """Inverse of :meth:`Stakeholder.to_dict`."""
    return Stakeholder(
        id=str(data["id"]),
        name=str(data["name"]),
        kind=StakeholderKind(data["kind"]),
        attributes=dict(data.get("attributes") or {}),
        source=data.get("source") or "",
    )


@dataclass
class ImportBatch:
    """What a loader read: stakeholders, interactions and attribute updates.

    ``attribute_updates`` maps an existing stakeholder id to attributes that
    are merged into it (survey scores, demographics). A loader never writes;
    the store applies a whole batch or none of it.
    """

    stakeholders: list[Stakeholder] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    attribute_updates: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def consolidate(self) -> None:
        """Merge stakeholder records that share an id, in order: later wins.

        Two files of one import may describe the same stakeholder (a school in
        two directories). The store then sees one record per id, so the
        order of the files cannot make a re-load look like a change.
        """
        merged: dict[str, Stakeholder] = {}
        for person in self.stakeholders:
            seen = merged.get(person.id)
            if seen is None:
                merged[person.id] = Stakeholder(
                    person.id, person.name, person.kind, dict(person.attributes), person.source
                )
                continue
            seen.name, seen.kind = person.name, person.kind
            seen.attributes.update(person.attributes)
            seen.source = person.source or seen.source
        self.stakeholders = list(merged.values())

    def extend(self, other: ImportBatch) -> None:
        """Add another batch's records to this one (later attributes win)."""
        self.stakeholders.extend(other.stakeholders)
        self.interactions.extend(other.interactions)
        for sid, attrs in other.attribute_updates.items():
            self.attribute_updates.setdefault(sid, {}).update(attrs)
        self.files.extend(other.files)


@dataclass
class ApplyResult:
    """What applying a batch changed in a store."""

    stakeholders_added: int = 0
    stakeholders_updated: int = 0
    interactions_added: int = 0
    attributes_updated: int = 0
    version: int = 0

    @property
    def changed(self) -> bool:
        """True when the batch changed anything."""
        return bool(
            self.stakeholders_added
            or self.stakeholders_updated
            or self.interactions_added
            or self.attributes_updated
        )

    def to_dict(self) -> dict[str, int]:
        """Plain data for JSON."""
        return {
            "stakeholders_added": self.stakeholders_added,
            "stakeholders_updated": self.stakeholders_updated,
            "interactions_added": self.interactions_added,
            "attributes_updated": self.attributes_updated,
            "version": self.version,
        }
