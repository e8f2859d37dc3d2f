"""What every loader shares: the context it reads against and its report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnermap.errors import LoadError, Problem
from partnermap.loaders._tables import parse_csv, read_text
from partnermap.model import ImportBatch, Stakeholder, StakeholderKind

MAX_FIELD = 1_000_000


@dataclass
class FileReport:
    """What one file gave: its format, counts, and what was merged or dropped.

    ``details`` holds one line per merged or dropped item; the CLI prints them
    with --verbose or writes them to a report file. They name organizations
    and rows, never people.
    """

    path: str
    format: str
    counts: dict[str, int] = field(default_factory=dict)
    merged: int = 0
    dropped: int = 0
    warnings: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    review: list[Any] = field(default_factory=list)  # resolution.Candidate

    def summary(self) -> str:
        """One line: ``hs_directory.csv (nyc-hs-directory): 435 schools, ...``."""
        parts = [f"{n:,} {what}" for what, n in self.counts.items()]
        if self.merged:
            parts.append(f"{self.merged:,} merged")
        if self.dropped:
            parts.append(f"{self.dropped:,} dropped")
        return f"{Path(self.path).name} ({self.format}): " + ", ".join(parts)


@dataclass
class LoadContext:
    """What a loader may look up: stakeholders already loaded or in the store.

    ``batch`` accumulates the records of earlier files of the same import, so
    a later file (after-school sites, survey scores) can refer to schools an
    earlier file brought.
    """

    batch: ImportBatch = field(default_factory=ImportBatch)
    store_stakeholders: Callable[[], Iterator[Stakeholder]] = lambda: iter(())
    create_missing: bool = False
    max_bytes: int | None = None  # None: the default limit of loaders._tables
    date_format: str | None = None  # "iso", "us", "dmy", "serial"; None: detect
    review: dict[tuple[str, str], str] = field(default_factory=dict)
    # The pseudonym salt, if set: a reference to a person loaded earlier under
    # its own id finds the person's pseudonym (privacy.pseudo_id).
    salt: str | None = None
    # Ids and names of stakeholders merged into known ones, for later files.
    aliases: dict[str, str] = field(default_factory=dict)

    def known(self) -> dict[str, Stakeholder]:
        """Every stakeholder visible to this import, by id (batch wins)."""
        seen = {s.id: s for s in self.store_stakeholders()}
        seen.update({s.id: s for s in self.batch.stakeholders})
        return seen

    def of_kind(self, kind: StakeholderKind) -> list[Stakeholder]:
        """Visible stakeholders of one kind, ordered by id."""
        return sorted(
            (s for s in self.known().values() if s.kind is kind), key=lambda s: s.id
        )


def read_table(
    path: Path, *, delimiter: str | None = None
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and (row number, row) pairs of a delimited file; header is row 1.

    Header names keep their spelling but lose surrounding spaces. Duplicate
    header names are refused with their names.
    """
    text = read_text(path)
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max([",", "\t", ";", "|"], key=first.count)
        if first.count(delimiter) == 0:
            delimiter = ","
    records = parse_csv(path.name, text, delimiter)
    reader = iter(records)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise LoadError(
            [
                Problem(
                    path.name,
                    "the file is empty",
                    hint="export it again with a header row",
                )
            ]
        ) from None
    dupes = sorted(h for h, n in Counter(header).items() if h and n > 1)
    if dupes:
        raise LoadError(
            [
                Problem(
                    path.name,
                    f"duplicate column names {', '.join(repr(d) for d in dupes)}",
                    row=1,
                    hint="rename the columns so that each name appears once",
                )
            ]
        )

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for n, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            yield (
                n,
                {
                    h: (values[i] if i < len(values) else "")
                    for i, h in enumerate(header)
                },
            )

    return header, rows()


def require_columns(path: Path, header: list[str], needed: list[str]) -> None:
    """Refuse a table that lacks any of the needed columns, naming them all."""
    lower = {h.lower() for h in header}
    missing = [c for c in needed if c.lower() not in lower]
    if missing:
        raise LoadError(
            [
                Problem(
                    path.name,
                    f"missing required column(s) {', '.join(repr(m) for m in missing)}",
                    row=1,
                    hint=f"the header must include {', '.join(needed)}",
                )
            ]
        )


@dataclass
class Peek:
    """What format detection sees of a file beyond its suffix.

    ``headers``: the header of a text table, or of each visible workbook sheet;
    ``sheets``: the workbook's visible sheet names; ``data``: a JSON file's
    parsed content; ``xml_root``: an XML file's root element name, without
    its namespace.
    """

    name: str
    suffix: str
    headers: list[list[str]] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    data: object = None
    xml_root: str = ""
