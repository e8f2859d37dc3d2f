"""Attendance or sign-in sheets: who came to which event.

Columns: ``event`` (or meeting), ``date`` (or when), and ``organization``
(or attendee, group, stakeholder). The organizations that attended one event
on one date meet each other: each pair of them gets one ``meeting``
interaction (flowing both ways) with the event's name as an attribute. A
pair has no order: its ends are stored in id order, so a sheet loaded again
with its rows re-ordered adds nothing, and a cumulative sheet adds only the
pairs it did not hold before. The provenance names both rows ("sign_in.csv
row 3+5"), in file order.

Attendees must be known (loaded earlier or in the same import) or are refused
with a did-you-mean, once per attendee row, at that row; --create-missing adds
them as placeholders. A person's name on a sign-in sheet is not read: list
organizations or groups.

Cost: an event with n attendees gives n(n-1)/2 meetings.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

from partnermap.loaders._records import Builder, Where
from partnermap.loaders._tables import find_column, tables_of
from partnermap.loaders._values import text
from partnermap.loaders.base import FileReport, LoadContext, Peek
from partnermap.model import ImportBatch, InteractionType

FORMAT = "attendance"
_WHO = ("organization", "organisation", "attendee", "group", "stakeholder")


def detect(peek: Peek) -> bool:
    """A table with an event column and an organization column, without targets."""
    return bool(peek.headers) and all(
        find_column(h, "event", "meeting")
        and find_column(h, *_WHO)
        and not find_column(h, "target", "to", "partner")
        for h in peek.headers
    )


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read sign-in sheets into meetings among the attendees."""
    tables, skipped = tables_of(path, context.max_bytes)
    builder = Builder(path.name, FORMAT, context)
    events = 0
    for table in tables:
        event_col = find_column(table.header, "event", "meeting") or ""
        who_col = find_column(table.header, *_WHO) or ""
        date_col = find_column(table.header, "date", "when") or "date"
        groups: dict[tuple[str, str], list[tuple[int, str]]] = {}
        dates: dict[tuple[str, str], object] = {}
        for n, row in table.records():
            key = (text(row.get(event_col)), text(row.get(date_col)))
            if not text(row.get(who_col)):
                builder.problems.append(
                    Where(table.file, table.sheet, n).problem(
                        f"{who_col} is empty",
                        who_col,
                        "name the organization that attended",
                    )
                )
                continue
            groups.setdefault(key, []).append((n, text(row.get(who_col))))
            dates.setdefault(key, row.get(date_col))
            builder.mention(
                Where(table.file, table.sheet, n), row.get(who_col), who_col
            )
        for key, people in groups.items():
            events += 1
            for (n1, a), (n2, b) in combinations(people, 2):
                first = Where(table.file, table.sheet, n1)
                builder.add_edge(
                    first,
                    source=a,
                    target=b,
                    type=InteractionType.MEETING,
                    date=dates[key],
                    attributes={"event": key[0]},
                    provenance=f"{first.text()}+{n2}",
                    columns=(who_col, who_col),
                    date_column=date_col,
                    places=(first, Where(table.file, table.sheet, n2)),
                    unordered=True,
                )
    # Problems so far are kept: finish() adds the reference checks, then refuses.
    batch, report = builder.finish()
    report.counts = {
        "events": events,
        "attendances": len(builder.mentioned),
        "meetings": len(batch.interactions),
    }
    report.warnings += skipped
    return batch, report
