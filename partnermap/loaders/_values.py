"""Cell values: text ids, missing cells, and dates with one format per column.

Only an empty cell is missing: "NA", "None", "null" and "-" are names like any
other. Ids are text: a number read from a spreadsheet becomes "12", never
"12.0", and "00123" keeps its zeros.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in).
_EXCEL_EPOCH = date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_SERIAL = re.compile(r"^\d{4,5}(?:\.0+)?$")

DATE_FORMATS = {
    "iso": "YYYY-MM-DD",
    "us": "MM/DD/YYYY",
    "dmy": "DD/MM/YYYY",
    "serial": "an Excel day number such as 45292",
}


def text(value: Any) -> str:
    """A cell as text: ``None`` is "", 12.0 is "12", a datetime is its ISO date."""
    if type(value) is str:
        value = value.strip()
        # A leading apostrophe before a formula character is the exports'
        # neutraliser (partnermap.export._common.neutral); take it off.
        if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
            return value[1:].strip()
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def native(value: Any) -> Any:
    """A spreadsheet attribute cell: numbers and booleans stay typed, rest text."""
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return text(value)


def truth(value: Any) -> bool | None:
    """ "true"/"yes"/"1" and "false"/"no"/"0"; None for anything else."""
    word = text(value).lower()
    if word in {"true", "yes", "y", "1"}:
        return True
    if word in {"false", "no", "n", "0"}:
        return False
    return None


def _one(raw: Any, fmt: str) -> date | None:
    if isinstance(raw, datetime):
        return raw.date() if fmt == "cell" else None
    if isinstance(raw, date):
        return raw if fmt == "cell" else None
    value = text(raw)
    try:
        if fmt == "iso" and len(value) == 10:
            return date.fromisoformat(value)
        if fmt == "iso" and (m := _ISO.match(value)):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if fmt in {"us", "dmy"} and (m := _SLASHED.match(value)):
            first, second, year = int(m[1]), int(m[2]), int(m[3])
            month, day = (first, second) if fmt == "us" else (second, first)
            return date(year, month, day)
        if fmt == "serial" and (isinstance(raw, int | float) or _SERIAL.match(value)):
            return _EXCEL_EPOCH + timedelta(days=int(float(value)))
    except ValueError:
        return None
    return None


@dataclass
class DateColumn:
    """The dates of one column, read with the one format that fits them all."""

    format: str | None
    values: list[date | None]
    bad: list[int]  # positions (in the values given) that the format cannot read


def read_dates(raw: list[Any], declared: str | None = None) -> DateColumn:
    """Read a column of dates with one format: the declared one, else detected.

    Detection tries real date cells, ISO, US (MM/DD/YYYY), then DD/MM/YYYY,
    then Excel serial numbers, and keeps the first format that reads every
    non-empty value. When none reads them all, the format reading the most
    wins and the others are reported as bad.

    >>> read_dates(["03/04/2024", "12/31/2024"]).format
    'us'
    >>> read_dates(["2024-03-04", 45292]).bad
    [1]
    """
    present = [i for i, v in enumerate(raw) if text(v) != ""]
    order = [declared] if declared else ["iso", "us", "dmy", "serial"]
    if not declared and any(isinstance(raw[i], date) for i in present):
        order.insert(0, "cell")
    best: tuple[int, str | None, list[date | None]] = (-1, None, [None] * len(raw))
    for fmt in order:
        values: list[date | None] = [None] * len(raw)
        for i in present:
            values[i] = _one(raw[i], fmt)
        read = len(present) - sum(values[i] is None for i in present)
        if read > best[0]:
            best = (read, fmt, values)
        if read == len(present):
            break
    _, found, values = best
    bad = [i for i in present if values[i] is None]
    return DateColumn(found, values, bad)


_LAT_LON = re.compile(r"\((-?\d+(?:\.\d+)?),\s*(-?\d+(?:\.\d+)?)\)")


def location_point(text: str) -> tuple[float, float] | None:
    """The "(lat, lon)" at the end of an NYC Open Data location cell, if any."""
    found = _LAT_LON.search(text or "")
    return (float(found.group(1)), float(found.group(2))) if found else None
