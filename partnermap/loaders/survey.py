"""A network survey: one row per responding organization and named partner.

Columns: ``respondent`` (or organization, from) and ``partner`` (or named
partner, to), optionally ``date``, ``type`` (default partner_listed: a
one-sided claim until the partner confirms it) and ratings ``frequency``,
``trust`` and ``value`` (numbers). A respondent that names no partner has
one row with the partner empty. Every respondent is recorded (attribute
``survey_responded``: the file name), so that analytics can tell "no tie"
from "no answer": an organization without it did not answer.

Respondents and partners must be known (loaded earlier or in the same
import) or are refused with a did-you-mean; --create-missing adds them as
placeholders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from partnermap.loaders._records import Builder, Where
from partnermap.loaders._tables import find_column, tables_of
from partnermap.loaders._values import text
from partnermap.loaders.base import FileReport, LoadContext, Peek
from partnermap.model import ImportBatch, InteractionType

FORMAT = "network-survey"
RATINGS = ("frequency", "trust", "value")
_RESPONDENT = ("respondent", "responding organization", "organization", "from")
_PARTNER = ("partner", "named partner", "partner name", "to")


def detect(peek: Peek) -> bool:
    """A table with a respondent column and a partner column."""
    return bool(peek.headers) and all(
        find_column(h, "respondent", "responding organization")
        and find_column(h, *_PARTNER)
        for h in peek.headers
    )


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read a network survey's responses."""
    tables, skipped = tables_of(path, context.max_bytes)
    builder = Builder(path.name, FORMAT, context)
    for table in tables:
        who = find_column(table.header, *_RESPONDENT) or ""
        partner = find_column(table.header, *_PARTNER) or ""
        kind_col = find_column(table.header, "type", "interaction")
        date_col = find_column(table.header, "date", "when") or "date"
        for n, row in table.records():
            where = Where(table.file, table.sheet, n)
            builder.mention(where, row.get(who), who)
            if not text(row.get(partner)):
                continue
            kind = (
                builder.type(row.get(kind_col), where, kind_col)
                if kind_col and text(row.get(kind_col))
                else InteractionType.PARTNER_LISTED
            )
            builder.add_edge(
                where,
                source=row.get(who),
                target=row.get(partner),
                type=kind,
                date=row.get(date_col),
                attributes=_ratings(table.header, row, where, builder),
                columns=(who, partner),
                date_column=date_col,
            )
    # Problems so far are kept: finish() adds the reference checks, then refuses.
    batch, report = builder.finish(("respondent rows", "named partners"))
    for sid in builder.mentioned:
        batch.attribute_updates[sid] = {"survey_responded": path.name}
    report.counts = {
        "respondents": len(set(builder.mentioned)),
        "named partners": len(batch.interactions),
    }
    report.warnings += skipped
    return batch, report


def _ratings(
    header: list[str], row: dict[str, Any], where: Where, builder: Builder
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in RATINGS:
        column = find_column(header, name)
        value = text(row.get(column)) if column else ""
        if not value:
            continue
        try:
            number = float(value)
        except ValueError:
            builder.problems.append(
                where.problem(
                    f"{name} {value!r} is not a number",
                    column,
                    "rate with a number such as 1 to 5",
                )
            )
            continue
        out[name] = int(number) if number.is_integer() else number
    return out
