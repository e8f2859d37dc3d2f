"""What the loaders of per-school figures share: numbers and known schools.

Survey scores and demographics only add attributes to schools that the
import or the store already knows; a row for any other school is skipped and
counted as dropped, with one warning for the whole file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from partnermap.errors import Problem
from partnermap.loaders._values import native
from partnermap.loaders.base import FileReport, LoadContext
from partnermap.model import StakeholderKind

log = logging.getLogger(__name__)


def known_schools(context: LoadContext) -> set[str]:
    """Ids of the schools visible to this import."""
    return {s.id for s in context.known().values() if s.kind is StakeholderKind.SCHOOL}


def number(
    value: str, file: str, row: int, column: str, problems: list[Problem]
) -> int | float | None:
    """A cell as int or float; None when empty; a problem when not a number.

    >>> number(" 88.6 ", "d.csv", 2, "frl_percent", [])
    88.6
    >>> number("422", "d.csv", 2, "total_enrollment", []), number("  ", "", 2, "", [])
    (422, None)
    """
    text = value.strip().rstrip("%").replace(",", "")
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return native(float(text))  # "8.0" is 8: a whole number is an int
    except ValueError:
        problems.append(
            Problem(
                file,
                f"{value.strip()!r} is not a number",
                row,
                column,
                hint="write a number such as 42 or 7.5, or leave the cell empty",
            )
        )
        return None


def note_skipped(report: FileReport, path: Path, skipped: dict[str, str]) -> None:
    """Count rows of unknown schools as dropped, with one warning in all."""
    for dbn, name in skipped.items():
        report.details.append(f"skipped {dbn} {name!r}: not a known school")
    rows = report.dropped
    if not rows:
        return
    warning = (
        f"{path.name}: skipped {rows:,} rows of {len(skipped):,} schools that are "
        "not in the map (most are elementary and middle schools); load a list "
        "of those schools first to keep their figures"
    )
    report.warnings.append(warning)
    log.warning(warning)
