"""From rows to validated records: kinds, types, references, dates, placeholders.

Every graph-shaped format (tidy, Kumu, Gephi, GEXF, GraphML, node-link JSON)
reads its file into nodes and edges and hands them to a :class:`Builder`,
which checks them all and reports every problem, not only the first:

- a kind or type is matched on its value or label, ignoring case, spaces and
  "-"/"_"; formats of other tools may read an unknown one leniently (kind
  "other", type from the format's default) with a warning that counts them;
- an edge end is found by id, then by exact name, then by name ignoring case
  and spacing; otherwise it fails with a did-you-mean suggestion (rapidfuzz),
  or becomes a placeholder stakeholder of kind "other" when the import asks
  for it (--create-missing); placeholders are reported by name;
- a problem is reported at the row and column of the end it concerns, and a
  problem found twice (an attendee named in several meetings) is listed once;
- the ends of an unordered pair (two attendees of one meeting) are stored in
  id order, so that a re-ordered sheet gives the same interactions;
- the dates of one column are read with one format (see
  :func:`partnermap.loaders._values.read_dates`);
- a new stakeholder whose name confidently matches one already known (from
  the store or an earlier file of the import) merges into it: its attributes
  update the known one, and references to its id or name, in this file and
  later ones, point to the known one. Borderline matches stay apart. Both
  are listed in the report (see :mod:`partnermap.loaders.resolution`).
  Stakeholders within one file are not matched against each other.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from partnermap.errors import LoadError, Problem
from partnermap.loaders._clean import clean
from partnermap.loaders._values import DATE_FORMATS, read_dates, text, truth
from partnermap.loaders.base import FileReport, LoadContext
from partnermap.loaders.resolution import Matches, describe, match
from partnermap.model import (
    FIRST_DAY,
    LAST_DAY,
    Direction,
    ImportBatch,
    Interaction,
    InteractionType,
    Stakeholder,
    StakeholderKind,
    school_year_end,
    school_year_start,
)
from partnermap.privacy import pseudo_id

SUGGEST_SCORE = 80.0
PEOPLE_HINT = (
    "; if it is a person loaded earlier under that id, set "
    "PARTNERMAP_PSEUDONYM_SALT to the salt used then"
)
JSON_SUFFIX = " (json)"

# Words other tools use for our kinds and types.
_KIND_WORDS = {
    "organization": StakeholderKind.COMMUNITY_ORGANIZATION,
    "cbo": StakeholderKind.COMMUNITY_ORGANIZATION,
    "pta": StakeholderKind.FAMILY_GROUP,
    "pto": StakeholderKind.FAMILY_GROUP,
    "college": StakeholderKind.HIGHER_EDUCATION,
    "university": StakeholderKind.HIGHER_EDUCATION,
    "hospital": StakeholderKind.HEALTH_PROVIDER,
    "company": StakeholderKind.BUSINESS,
    "bank": StakeholderKind.FINANCIAL_INSTITUTION,
    "district": StakeholderKind.DISTRICT_OFFICE,
}
_TYPE_WORDS = {
    "information": InteractionType.INFORMATION_SENT,
    "newsletter": InteractionType.INFORMATION_SENT,
    "feedback": InteractionType.FEEDBACK_GIVEN,
    "partner": InteractionType.PARTNER_LISTED,
    "partnership": InteractionType.PARTNER_LISTED,
    "data": InteractionType.DATA_SHARED,
    "resources": InteractionType.RESOURCES_SHARED,
    "volunteer": InteractionType.VOLUNTEERING,
    "planning": InteractionType.JOINT_PLANNING,
    "mou": InteractionType.AGREEMENT,
    "funds": InteractionType.FUNDING,
}


@lru_cache(maxsize=4096)
def _squash(word: str) -> str:
    return re.sub(r"[\s_\-/]+", "", word.casefold())


def _vocabulary(enum: Any, words: dict[str, Any]) -> dict[str, Any]:
    table = {_squash(w): v for w, v in words.items()}
    for item in enum:
        table[_squash(item.value)] = item
        table[_squash(item.label if hasattr(item, "label") else item.info.label)] = item
    return table


KINDS = _vocabulary(StakeholderKind, _KIND_WORDS)
TYPES = _vocabulary(InteractionType, _TYPE_WORDS)


def name_key(name: str) -> str:
    """A name compared ignoring case and spacing."""
    return " ".join(name.casefold().split())


def did_you_mean(word: str, choices: list[str]) -> str | None:
    """The closest choice when it is close enough to suggest."""
    if not choices or not word:
        return None
    best = process.extractOne(word, choices, scorer=fuzz.WRatio)
    return best[0] if best and best[1] >= SUGGEST_SCORE else None


@dataclass
class Where:
    """A row of a table: file, sheet, row number and the provenance text."""

    file: str
    sheet: str | None
    row: int | None

    def text(self) -> str:
        place = self.file if self.sheet is None else f"{self.file} [{self.sheet}]"
        return place if self.row is None else f"{place} row {self.row}"

    def problem(
        self, message: str, column: str | None = None, hint: str = ""
    ) -> Problem:
        return Problem(self.file, message, self.row, column, self.sheet, hint)


@dataclass
class _Edge:
    where: Where
    places: tuple[Where, Where]  # where each end is named
    ends: tuple[str, str]
    columns: tuple[str, str]
    type: InteractionType | None  # None: refused (its problem is listed)
    date_raw: Any
    date_column: str
    school_year: str | None
    direction: Direction | None
    confirmed: bool | None
    provenance: str | None
    attributes: dict[str, Any]
    unordered: bool = False
    refused: bool = False


@dataclass
class Builder:
    """Collects nodes and edges of one file; :meth:`finish` checks and builds."""

    file: str
    format: str
    context: LoadContext
    strict: bool = True  # False: unknown kinds/types are read leniently, warned
    default_type: InteractionType | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stakeholders: list[Stakeholder] = field(default_factory=list)
    edges: list[_Edge] = field(default_factory=list)
    lenient: dict[str, set[str]] = field(default_factory=dict)
    mentions: list[tuple[Where, str, str]] = field(default_factory=list)
    mentioned: list[str] = field(default_factory=list)
    first_seen: dict[str, tuple[Where, str, StakeholderKind]] = field(
        default_factory=dict
    )

    def mention(self, where: Where, ref: Any, column: str) -> None:
        """A stakeholder named without an interaction (a survey respondent)."""
        self.mentions.append((where, text(ref), column))

    # -- nodes ------------------------------------------------------------------

    def kind(
        self, raw: Any, where: Where, column: str = "kind"
    ) -> StakeholderKind | None:
        word = text(raw)
        found = KINDS.get(_squash(word))
        if found is not None:
            return found
        if not self.strict:
            self.lenient.setdefault("kind", set()).add(word or "(empty)")
            return StakeholderKind.OTHER
        choices = [k.value for k in StakeholderKind]
        guess = did_you_mean(word, choices)
        hint = (
            f"did you mean {guess!r}?" if guess else f"use one of {', '.join(choices)}"
        )
        self.problems.append(where.problem(f"kind {word!r} is not known", column, hint))
        return None

    def add_node(
        self,
        where: Where,
        *,
        id: Any,
        name: Any,
        kind: StakeholderKind | None,
        attributes: dict[str, Any],
        source: str | None = None,
        name_column: str = "name",
    ) -> None:
        """A stakeholder row; an empty id means the name is the id."""
        label = text(name)
        if not label:
            self.problems.append(
                where.problem(
                    "name is empty", name_column, "give every stakeholder a name"
                )
            )
            return
        if kind is None:
            return
        sid = text(id) or label
        seen = self.first_seen.get(sid)
        if seen is not None and (seen[1], seen[2]) != (label, kind):
            self.problems.append(
                where.problem(
                    f"id {sid!r} is used again, for {label!r} ({kind.value}); "
                    f"{seen[0].text()} gave it to {seen[1]!r} ({seen[2].value})",
                    "id",
                    "give each stakeholder its own id, or make the two rows agree",
                )
            )
            return
        self.first_seen.setdefault(sid, (where, label, kind))
        self.stakeholders.append(
            Stakeholder(
                id=sid,
                name=label,
                kind=kind,
                attributes=decode_attributes(attributes),
                source=where.text() if source is None else source,
            )
        )

    # -- edges ------------------------------------------------------------------

    def type(
        self, raw: Any, where: Where, column: str = "type"
    ) -> InteractionType | None:
        word = text(raw)
        found = TYPES.get(_squash(word))
        if found is not None:
            return found
        if not self.strict and self.default_type is not None:
            self.lenient.setdefault("type", set()).add(word or "(empty)")
            return self.default_type
        choices = [t.value for t in InteractionType]
        guess = did_you_mean(word, choices)
        hint = (
            f"did you mean {guess!r}?" if guess else f"use one of {', '.join(choices)}"
        )
        message = f"type {word!r} is not known" if word else "type is empty"
        self.problems.append(where.problem(message, column, hint))
        return None

    def add_edge(
        self,
        where: Where,
        *,
        source: Any,
        target: Any,
        type: InteractionType | None,
        date: Any = None,
        school_year: Any = None,
        direction: Any = None,
        confirmed: Any = None,
        provenance: Any = None,
        attributes: dict[str, Any] | None = None,
        columns: tuple[str, str] = ("source", "target"),
        date_column: str = "date",
        places: tuple[Where, Where] | None = None,
        unordered: bool = False,
    ) -> None:
        """An interaction row; its ends and date are checked in :meth:`finish`.

        ``places`` are the rows naming each end, when not ``where`` (attendees
        of one meeting); ``unordered`` ends are stored in id order.
        """
        way = self._direction(direction, where)
        year = self._school_year(school_year, where)
        # A row refused here is kept, so that its ends and date are checked
        # too and the refusal lists all that is wrong with it.
        self.edges.append(
            _Edge(
                where,
                places or (where, where),
                (text(source), text(target)),
                columns,
                type,
                date,
                date_column,
                year if isinstance(year, str) else None,
                way if isinstance(way, Direction) else None,
                truth(confirmed) if text(confirmed) else None,
                None if provenance is None else text(provenance),
                decode_attributes(attributes or {}),
                unordered,
                refused=type is None or way is False or year is False,
            )
        )

    def _school_year(self, raw: Any, where: Where) -> str | None | bool:
        """A school year such as 2014-15, None when empty, False when refused."""
        label = text(raw)
        if not label:
            return None
        try:
            school_year_start(label)
        except ValueError as exc:
            self.problems.append(
                where.problem(
                    str(exc), "school_year", "write a school year as 2014-15 (July to June)"
                )
            )
            return False
        return label

    def _direction(self, raw: Any, where: Where) -> Direction | None | bool:
        word = _squash(text(raw))
        if not word:
            return None
        if word in {"oneway", "directed", "direct", "forward"}:
            return Direction.ONE_WAY
        if word in {"both", "mutual", "undirected", "bidirectional", "twoway"}:
            return Direction.BOTH
        self.problems.append(
            where.problem(
                f"direction {text(raw)!r} is not known",
                "direction",
                "use one_way (directed) or both (mutual, undirected)",
            )
        )
        return False

    # -- the whole file ---------------------------------------------------------

    def finish(
        self, counts_name: tuple[str, str] = ("stakeholders", "interactions")
    ) -> tuple[ImportBatch, FileReport]:
        """Resolve every edge end and date; refuse the file if anything failed."""
        dates = self._dates()
        matched = self._match_known()
        own = [s for s in self.stakeholders if s.id not in matched.merge]
        aliases = self.context.aliases
        batch = ImportBatch(stakeholders=own)
        for s in self.stakeholders:
            if s.id in matched.merge:
                aliases[s.id] = aliases[s.name] = matched.merge[s.id]
                if s.attributes:
                    batch.attribute_updates[matched.merge[s.id]] = dict(s.attributes)
        refs = _References(self.context, own, aliases)
        placeholders: dict[str, Stakeholder] = {}
        for i, edge in enumerate(self.edges):
            source, target = (
                refs.find(ref, place, col, self, placeholders)
                for ref, place, col in zip(
                    edge.ends, edge.places, edge.columns, strict=True
                )
            )
            if source is None or target is None or i in dates.bad:
                continue
            if not self._in_year(edge, dates.values[i]) or edge.refused:
                continue
            if edge.unordered and target < source:
                source, target = target, source
            batch.interactions.append(
                Interaction(
                    source=source,
                    target=target,
                    type=edge.type,
                    date=dates.values[i],
                    school_year=edge.school_year,
                    direction=edge.direction,
                    confirmed=edge.confirmed,
                    provenance=(
                        edge.where.text()
                        if edge.provenance is None
                        else edge.provenance
                    ),
                    attributes=edge.attributes,
                )
            )
        for where, ref, column in self.mentions:
            found = refs.find(ref, where, column, self, placeholders)
            if found is not None:
                self.mentioned.append(found)
        if self.problems:
            raise LoadError(_once(self.problems))
        batch.stakeholders += placeholders.values()
        report = FileReport(
            self.file,
            self.format,
            {
                counts_name[0]: len(self.stakeholders),
                counts_name[1]: len(batch.interactions),
            },
        )
        self._warn(report, placeholders, refs.people)
        if matched.candidates:
            describe(matched, report)
        return batch, report

    def _in_year(self, edge: _Edge, day: date | None) -> bool:
        """Whether an edge's date falls in its school year; a problem if not."""
        if day is None or edge.school_year is None:
            return True
        first, last = school_year_start(edge.school_year), school_year_end(edge.school_year)
        if first <= day <= last:
            return True
        self.problems.append(
            edge.where.problem(
                f"date {day} is outside school year {edge.school_year} "
                f"({first} to {last})",
                edge.date_column,
                "correct the date or the school year, or leave school_year empty",
            )
        )
        return False

    def _match_known(self) -> Matches:
        """Confident matches of this file's new stakeholders to known ones."""
        known = self.context.known()
        fresh = [s for s in self.stakeholders if s.id not in known]
        if not fresh or not known:
            return Matches({}, [])
        return match(fresh, list(known.values()), self.context.review)

    def _dates(self) -> _Dates:
        out = _Dates([None] * len(self.edges), set())
        groups: dict[tuple[str, str | None, str], list[int]] = {}
        for i, edge in enumerate(self.edges):
            groups.setdefault(
                (edge.where.file, edge.where.sheet, edge.date_column), []
            ).append(i)
        for (_, _, column), members in groups.items():
            raw = [self.edges[i].date_raw for i in members]
            read = read_dates(raw, self.context.date_format)
            if self.context.date_format is None and read.format == "us":
                self._warn_day_first(raw, read.values, column)
            for pos, i in enumerate(members):
                out.values[i] = read.values[pos]
                day = read.values[pos]
                if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                    out.bad.add(i)
                    self.problems.append(
                        self.edges[i].where.problem(
                            f"date {day} is outside the school years partnermap can "
                            f"place it in ({FIRST_DAY} to {LAST_DAY})",
                            column,
                            "leave the date empty for an undated interaction",
                        )
                    )
            for pos in read.bad:
                edge = self.edges[members[pos]]
                out.bad.add(members[pos])
                fmt = DATE_FORMATS.get(read.format or "", "one date format")
                self.problems.append(
                    edge.where.problem(
                        f"date {text(raw[pos])!r} does not match the column's format ({fmt})",
                        column,
                        "write every date of a column one way (YYYY-MM-DD is safest), "
                        "or declare the format with --date-format",
                    )
                )
        return out

    def _warn_day_first(
        self, raw: list[Any], us: list[date | None], column: str
    ) -> None:
        """Say so when a column read month-first reads day-first just as well."""
        dmy = read_dates(raw, "dmy")
        if not dmy.bad and dmy.values != us:
            self.warnings.append(
                f"dates in column {column!r} were read as MM/DD/YYYY (US); every "
                "one of them also reads as DD/MM/YYYY: if they are day-first, "
                "load again with --date-format dmy"
            )

    def _warn(
        self, report: FileReport, placeholders: dict[str, Stakeholder], people: bool
    ) -> None:
        if placeholders:
            names = ", ".join(repr(s.name) for s in placeholders.values())
            report.warnings.append(
                f"created {len(placeholders)} placeholder stakeholder(s) of kind 'other' "
                "for unknown references (--create-missing; create_missing=true through "
                f"the API): {names}" + (PEOPLE_HINT if people else "")
            )
            report.counts["placeholders"] = len(placeholders)
        for what, words in sorted(self.lenient.items()):
            read_as = (
                "other" if what == "kind" else getattr(self.default_type, "value", "")
            )
            report.warnings.append(
                f"{len(words)} unknown {what} value(s) read as {read_as!r}: "
                + ", ".join(repr(w) for w in sorted(words)[:10])
            )
        report.warnings += self.warnings


@dataclass
class _Dates:
    values: list[date | None]
    bad: set[int]


def _once(problems: list[Problem]) -> list[Problem]:
    """The problems in order, each listed once."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        key = (p.file, p.sheet, p.row, p.column, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


class _References:
    """Finds the stakeholder an edge end names: by id, name, or loose name."""

    def __init__(
        self, context: LoadContext, own: list[Stakeholder], aliases: dict[str, str]
    ) -> None:
        self.aliases = aliases
        known = context.known()
        known.update({s.id: s for s in own})
        self.ids = known
        self.names: dict[str, str] = {}
        self.loose: dict[str, set[str]] = {}
        for s in known.values():
            self.names.setdefault(s.name, s.id)
            self.loose.setdefault(name_key(s.name), set()).add(s.id)
        # Ids as clean_batch will store them: a reference with a control
        # character finds the stakeholder it will be stored as.
        self.clean_ids = {clean(i).strip(): i for i in known}
        self.create = context.create_missing
        self.salt = context.salt
        self.people = any(s.kind is StakeholderKind.PERSON for s in known.values())
        self.guesses: dict[str, str | None] = {}

    def find(
        self,
        ref: str,
        where: Where,
        column: str,
        builder: Builder,
        placeholders: dict[str, Stakeholder],
    ) -> str | None:
        if ref in self.aliases:
            return self.aliases[ref]
        if ref in self.ids:
            return ref
        tidy = clean(ref).strip()
        if tidy in self.clean_ids:
            return self.clean_ids[tidy]
        person = self._person(tidy)
        if person is not None:
            return person
        if ref in self.names:
            return self.names[ref]
        loose = self.loose.get(name_key(ref), set())
        if len(loose) == 1:
            return next(iter(loose))
        if not tidy:
            builder.problems.append(
                where.problem(
                    f"{column} is empty", column, "name both ends of every interaction"
                )
            )
            return None
        if self.create:
            placeholders.setdefault(
                tidy,
                Stakeholder(
                    tidy,
                    tidy,
                    StakeholderKind.OTHER,
                    {"placeholder": True},
                    where.text(),
                ),
            )
            return tidy
        if ref not in self.guesses:
            self.guesses[ref] = did_you_mean(ref, sorted(self.names))
        guess = self.guesses[ref]
        hint = (
            f"did you mean {guess!r}?"
            if guess
            else "load its stakeholders table in the same import or first, "
            "or pass --create-missing to add a placeholder "
            "(create_missing=true through the API)"
        ) + (PEOPLE_HINT if self.people else "")
        builder.problems.append(
            where.problem(f"{column} {ref!r} is not a known stakeholder", column, hint)
        )
        return None

    def _person(self, ref: str) -> str | None:
        """The pseudonym of a person an earlier import loaded under id ``ref``."""
        if not self.salt or not ref:
            return None
        sid = pseudo_id(self.salt, ref)
        known = self.ids.get(sid)
        return sid if known is not None and known.kind is StakeholderKind.PERSON else None


def decode_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values; decode "name (json)" columns written by the exports."""
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        if value is None or value == "":
            continue
        if key.endswith(JSON_SUFFIX) and isinstance(value, str):
            try:
                out[key[: -len(JSON_SUFFIX)]] = json.loads(value)
                continue
            except ValueError:
                pass
        key = key.removeprefix("attr:")
        out[key] = value
    return out


def encode_attributes(attributes: dict[str, Any], reserved: set[str]) -> dict[str, Any]:
    """Flat attributes for a file: lists and dicts as JSON, reserved names prefixed."""
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        name = f"attr:{key}" if key in reserved or key.startswith("attr:") else key
        if isinstance(value, (list, dict)) or value is None:
            out[name + JSON_SUFFIX] = json.dumps(
                value, ensure_ascii=False, sort_keys=True
            )
        else:
            out[name] = value
    return out
