"""Tables from delimited text and XLSX workbooks, read defensively.

A :class:`Table` is a header and numbered rows, from a CSV/TSV/TXT file or one
sheet of a workbook. Reading it handles what real district spreadsheets do:

- encodings: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"),
  else cp1252 (with a warning); a file that is UTF-8 but for a few stray
  bytes (one line pasted from another file) is refused with the line, rather
  than read wholly as cp1252 with every accented letter garbled;
- delimiters , ; tab and |, chosen from the first lines; a file with none of
  them is one column;
- a title row (one filled cell) above the header is skipped;
- header names lose surrounding spaces; duplicate names are refused by name;
- hidden sheets, and sheets whose name starts with "#" or "_", are skipped and
  reported;
- formula cells without a saved value are reported (the file was written by a
  tool that does not calculate; open and save it in Excel or LibreOffice).

Size: a file over the size limit is refused with the limit named, and an XLSX
whose zipped parts would unpack past the limit (or unpack more than
:data:`MAX_ZIP_RATIO` times their packed size) is refused before it is opened.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from partnermap.errors import LoadError, Problem

MAX_FIELD = 1_000_000
MAX_ZIP_RATIO = 200
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
_DELIMITERS = [",", "\t", ";", "|"]
_SNIFF_LINES = 20
_TITLE_ROWS = 5
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass
class Table:
    """A header and its rows; ``rows`` are (row number in the file, cells)."""

    file: str
    sheet: str | None
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    header_row: int = 1
    warnings: list[str] = field(default_factory=list)

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Row number and {column: cell}; short rows are padded with None."""
        for n, cells in self.rows:
            yield (
                n,
                {
                    h: (cells[i] if i < len(cells) else None)
                    for i, h in enumerate(self.header)
                    if h
                },
            )

    def problem(
        self,
        message: str,
        row: int | None = None,
        column: str | None = None,
        hint: str = "",
    ) -> Problem:
        """A problem located in this table."""
        return Problem(self.file, message, row, column, self.sheet, hint)

    def where(self, row: int) -> str:
        """Provenance text: ``file.csv row 4`` or ``book.xlsx [Sheet] row 4``."""
        place = self.file if self.sheet is None else f"{self.file} [{self.sheet}]"
        return f"{place} row {row}"


def check_size(path: Path, max_bytes: int | None) -> None:
    """Refuse a file larger than the limit, naming the limit and how to raise it."""
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    size = path.stat().st_size
    if size > limit:
        raise LoadError([_too_big(path.name, f"is {_mb(size)}", limit)])


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.1f} MB"


def _too_big(name: str, what: str, limit: int) -> Problem:
    return Problem(
        name,
        f"{what}, over the size limit of {_mb(limit)}",
        hint="split the file, or raise the limit with --max-size (MB) or "
        "PARTNERMAP_MAX_IMPORT_MB",
    )


def check_zip(path: Path, max_bytes: int | None) -> None:
    """Refuse a zip (XLSX) that would unpack past the limit or is a zip bomb."""
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        with zipfile.ZipFile(path) as zipped:
            parts = zipped.infolist()
    except (zipfile.BadZipFile, OSError):
        raise LoadError(
            [
                Problem(
                    path.name,
                    "is not a readable XLSX workbook (not a zip file)",
                    hint="open it in Excel or LibreOffice and save it as .xlsx",
                )
            ]
        ) from None
    unpacked = sum(p.file_size for p in parts)
    packed = sum(p.compress_size for p in parts) or 1
    if unpacked > limit:
        raise LoadError(
            [_too_big(path.name, f"would unpack to {_mb(unpacked)}", limit)]
        )
    if unpacked > 1024 * 1024 and unpacked / packed > MAX_ZIP_RATIO:
        raise LoadError(
            [
                Problem(
                    path.name,
                    f"unpacks {unpacked / packed:,.0f} times its size "
                    f"(limit {MAX_ZIP_RATIO}): refused as a possible zip bomb",
                    hint="save the workbook again from Excel or LibreOffice",
                )
            ]
        )


# -- text files ---------------------------------------------------------------


LEGACY_ENCODING_WARNING = (
    "the file is not UTF-8, so it was read as Windows-1252 (Western European); "
    "if any name shows wrong letters, save the file as UTF-8 (in Excel: Save As, "
    "CSV UTF-8) and load it again"
)


def read_text(path: Path) -> str:
    """A text file's content: UTF-8 (±BOM), UTF-16 with BOM, else Windows-1252.

    A file that is none of these (Shift-JIS, for example) is refused with the
    line of its first unreadable byte, rather than read with letters lost. So
    is a file of mixed encodings: one that starts with the UTF-8 byte order
    mark, or holds at least as many valid UTF-8 letters of two or more bytes
    as bytes that are not UTF-8 (see :func:`_mostly_utf8`).
    """
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if raw.startswith(codecs.BOM_UTF8) or _mostly_utf8(raw):
            raise _mixed(path, exc.object, exc.start) from None
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _not_text(path, raw, exc.start) from None
    # Western European text seldom has four non-ASCII letters in a row; text
    # in an East Asian encoding read this way has little else.
    run = _HIGH_RUN.search(raw)
    if run is not None:
        raise _not_text(path, raw, run.start())
    return text


_HIGH_RUN = re.compile(rb"[\x80-\xff]{4}")
# One UTF-8 letter of two to four bytes (RFC 3629: no overlongs, surrogates).
_UTF8_LETTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH = bytes(range(0x80, 0x100))


def _mostly_utf8(raw: bytes) -> bool:
    """Whether a file that is not wholly UTF-8 is UTF-8 but for a few bytes.

    Windows-1252 text seldom holds a valid UTF-8 letter by chance (an
    accented capital followed by a curly quote, as in "JOSÉ’S"), and then
    among many bytes that are not UTF-8; so a file counts as UTF-8 with
    stray bytes when its valid UTF-8 letters are at least as many as its
    bytes outside them.
    """
    letters = _UTF8_LETTER.findall(raw)
    if not letters:
        return False
    high = len(raw) - len(raw.translate(None, _HIGH))
    in_letters = sum(len(letter) for letter in letters)
    return len(letters) >= high - in_letters


def _mixed(path: Path, raw: bytes, at: int) -> LoadError:
    line = raw.count(b"\n", 0, at) + 1
    byte = raw[at : at + 1]
    try:
        seen = f", {byte.decode('cp1252')!r} in Windows-1252"
    except UnicodeDecodeError:
        seen = ""
    problem = Problem(
        path.name,
        f"line {line} is not UTF-8 while the rest of the file is "
        f"(byte 0x{raw[at]:02x}{seen})",
        hint="save the file as UTF-8 (in Excel: Save As, CSV UTF-8), or retype "
        "the letters of that line, and load it again",
    )
    return LoadError([problem])


def _not_text(path: Path, raw: bytes, at: int) -> LoadError:
    line = raw.count(b"\n", 0, at) + 1
    problem = Problem(
        path.name,
        f"line {line} holds bytes (0x{raw[at]:02x}…) that are neither UTF-8 nor "
        "Windows-1252 text",
        hint="save the file as UTF-8 (in Excel: Save As, CSV UTF-8) and load it again",
    )
    return LoadError([problem])


def legacy_encoded(path: Path) -> bool:
    """True for a text file that :func:`read_text` reads as Windows-1252."""
    if path.suffix.lower() not in {".csv", ".tsv", ".txt", ".json"}:
        return False
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return True
    return False


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter used the same number of times on the most lines.

    It must be so used on at least half the lines, else the file is one
    column (a name list whose names hold a ";" stays one column).

    >>> sniff_delimiter(["a;b;c", "1;2,5;3"])
    ';'
    >>> sniff_delimiter(["name", "Lincoln High"])
    ','
    """
    best, best_score = ",", 0
    filled = [line for line in lines if line.strip()]
    for delim in _DELIMITERS:
        counts = [_count_outside_quotes(line, delim) for line in filled]
        common = Counter(c for c in counts if c > 0).most_common(1)
        if not common or common[0][1] * 2 < len(filled):
            continue
        score = common[0][1] * 1000 + common[0][0]
        if score > best_score:
            best, best_score = delim, score
    return best


def _count_outside_quotes(line: str, delim: str) -> int:
    quoted, n = False, 0
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delim and not quoted:
            n += 1
    return n


def read_delimited(
    path: Path, *, delimiter: str | None = None, head: int | None = None
) -> Table:
    """A CSV, TSV or TXT table, with the header found below any title rows.

    ``head`` reads only that many lines (enough to find the header).
    """
    text = read_text(path)
    if head is not None:
        text = "\n".join(text.splitlines()[:head])
    lines = text.splitlines()[:_SNIFF_LINES]
    delim = delimiter or sniff_delimiter(lines)
    cells = parse_csv(path.name, text, delim)
    return _table(path.name, None, [(n, row) for n, row in enumerate(cells, start=1)])


def parse_csv(name: str, text: str, delimiter: str) -> list[list[str]]:
    """Every row of a delimited text; a malformed one is refused with its line."""
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        raise LoadError(
            [
                Problem(
                    name,
                    f"cannot be read as a table ({exc})",
                    row=reader.line_num or None,
                    hint=f"cells are limited to {MAX_FIELD:,} characters; check for "
                    "an unclosed quote or save the sheet as CSV again",
                )
            ]
        ) from None


def _filled(cells: list[Any]) -> int:
    return sum(
        1 for c in cells if c is not None and (c.strip() if type(c) is str else str(c))
    )


def _any_filled(cells: list[Any]) -> bool:
    for c in cells:
        if c is not None and (c.strip() if type(c) is str else str(c)):
            return True
    return False


def _table(
    name: str, sheet: str | None, numbered: list[tuple[int, list[Any]]]
) -> Table:
    rows = [(n, cells) for n, cells in numbered if _any_filled(cells)]
    if not rows:
        where = f"sheet {sheet!r}" if sheet else "the file"
        raise LoadError(
            [
                Problem(
                    name,
                    f"{where} is empty",
                    sheet=sheet,
                    hint="export it again with a header row",
                )
            ]
        )
    start = _header_index(rows)
    header_row, head = rows[start]
    header = [("" if h is None else str(h)).strip() for h in head]
    while header and header[-1] == "":
        header.pop()
    dupes = sorted(h for h, n in Counter(header).items() if h and n > 1)
    if dupes:
        raise LoadError(
            [
                Problem(
                    name,
                    f"duplicate column names {', '.join(repr(d) for d in dupes)}",
                    header_row,
                    sheet=sheet,
                    hint="rename the columns so that each name appears once",
                )
            ]
        )
    table = Table(name, sheet, header, rows[start + 1 :], header_row)
    if start:
        table.warnings.append(
            f"skipped {start} title row(s) above the header in row {header_row}"
        )
    unnamed = [i for i, h in enumerate(header) if not h]
    if unnamed:
        under = [
            n for n, cells in table.rows if _any_filled([cells[i] for i in unnamed if i < len(cells)])
        ]
        if under:
            from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

            table.warnings.append(
                f"{len(under)} row(s) have cells under a column with no name "
                f"(column {get_column_letter(unnamed[0] + 1)}; first in row {under[0]}), which "
                "were not read: name that column in the header"
            )
    wide = [n for n, cells in table.rows if _any_filled(cells[len(header) :])]
    if wide:
        table.warnings.append(
            f"{len(wide)} row(s) have cells right of the last named column "
            f"({len(header)} columns; first in row {wide[0]}), which were not "
            "read: name that column in the header, or check for a stray "
            "delimiter in the row"
        )
    return table


def _header_index(rows: list[tuple[int, list[Any]]]) -> int:
    """Skip title rows: leading rows with one filled cell above a wider row."""
    for i, (_, cells) in enumerate(rows[:_TITLE_ROWS]):
        if _filled(cells) > 1:
            return i
    return 0


# -- workbooks ------------------------------------------------------------------


def read_workbook(
    path: Path, max_bytes: int | None = None
) -> tuple[list[Table], list[str]]:
    """The visible, non-ignored sheets of an XLSX workbook, and what was skipped.

    Formula cells whose saved value is missing are reported in each table's
    warnings. The last few workbooks read are kept (detection reads a
    workbook, then its loader reads it again).
    """
    stat = path.stat()
    tables, skipped = _read_workbook(
        str(path.resolve()), stat.st_mtime_ns, stat.st_size, max_bytes
    )
    return [_copy(t) for t in tables], list(skipped)


def _copy(table: Table) -> Table:
    return Table(
        table.file,
        table.sheet,
        table.header,
        table.rows,
        table.header_row,
        list(table.warnings),
    )


def _has_formulas(path: Path) -> bool:
    with zipfile.ZipFile(path) as zipped:
        for part in zipped.infolist():
            if part.filename.startswith("xl/worksheets/") and part.filename.endswith(
                ".xml"
            ):
                body = zipped.read(part)
                if b"<f>" in body or b"<f " in body:
                    return True
    return False


def _defused(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the XML behind an exception (openpyxl wraps it)."""
    from defusedxml import DefusedXmlException

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


@lru_cache(maxsize=4)
def _read_workbook(
    name: str, mtime: int, size: int, max_bytes: int | None
) -> tuple[list[Table], list[str]]:
    import openpyxl  # type: ignore[import-untyped]

    path = Path(name)
    check_zip(path, max_bytes)
    try:
        values = openpyxl.load_workbook(path, data_only=True, read_only=True)
        formulas = (
            openpyxl.load_workbook(path, data_only=False, read_only=True)
            if _has_formulas(path)
            else None
        )
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        if _defused(exc):
            raise LoadError(
                [
                    Problem(
                        path.name,
                        "refused: its XML declares entities, which can expand "
                        "without limit (an entity-expansion bomb)",
                        hint="open it in Excel or LibreOffice and save it as .xlsx",
                    )
                ]
            ) from None
        raise LoadError(
            [
                Problem(
                    path.name,
                    f"cannot be read as an XLSX workbook ({exc.__class__.__name__})",
                    hint="open it in Excel or LibreOffice and save it as .xlsx",
                )
            ]
        ) from None
    tables: list[Table] = []
    skipped: list[str] = []
    for sheet in values.worksheets:
        if sheet.sheet_state != "visible":
            skipped.append(f"skipped sheet {sheet.title!r}: it is hidden")
            continue
        if sheet.title.startswith(("#", "_")):
            skipped.append(f"skipped sheet {sheet.title!r}: marked to ignore")
            continue
        numbered = [
            (n, list(row))
            for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        if not any(_filled(c) for _, c in numbered):
            skipped.append(f"skipped sheet {sheet.title!r}: it is empty")
            continue
        table = _table(path.name, sheet.title, numbered)
        if formulas is not None:
            table.warnings += _unsaved_formulas(
                formulas[sheet.title], numbered, sheet.title
            )
        tables.append(table)
    values.close()
    if formulas is not None:
        formulas.close()
    return tables, skipped


UNSAVED_FORMULAS = "formula cell(s) without a saved value"
"""Words of the warning about formula cells read as empty."""


def _unsaved_formulas(
    formulas: Any, numbered: list[tuple[int, list[Any]]], title: str
) -> list[str]:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    values = dict(numbered)
    cells = []
    for n, row in enumerate(formulas.iter_rows(values_only=True), start=1):
        for i, cell in enumerate(row):
            saved = values.get(n, [])
            if (
                isinstance(cell, str)
                and cell.startswith("=")
                and (i >= len(saved) or saved[i] is None)
            ):
                cells.append(f"{get_column_letter(i + 1)}{n}")
    if not cells:
        return []
    shown = ", ".join(cells[:5]) + (
        f" and {len(cells) - 5} more" if len(cells) > 5 else ""
    )
    return [
        (
            f"sheet {title!r}: {len(cells)} {UNSAVED_FORMULAS} "
            f"({shown}) read as empty; open and save the workbook in Excel or LibreOffice"
        )
    ]


def first_rows(path: Path, max_bytes: int | None = None) -> list[list[str]]:
    """Headers to sniff: the text file's header, or every visible sheet's."""
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        tables, _ = read_workbook(path, max_bytes)
        return [t.header for t in tables]
    return [read_delimited(path, head=_SNIFF_LINES).header]


def tables_of(
    path: Path, max_bytes: int | None = None
) -> tuple[list[Table], list[str]]:
    """Every table of a file (one for text, one per sheet) and what was skipped."""
    check_size(path, max_bytes)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return read_workbook(path, max_bytes)
    return [read_delimited(path)], []


@lru_cache(maxsize=65536)
def column_key(header: str) -> str:
    """A header compared loosely: case, spaces, "_" and "-" ignored."""
    return " ".join(
        header.strip().casefold().replace("_", " ").replace("-", " ").split()
    )


def find_column(header: list[str], *names: str) -> str | None:
    """The first header that matches one of the names loosely."""
    keys = {column_key(h): h for h in header if h}
    for name in names:
        if column_key(name) in keys:
            return keys[column_key(name)]
    return None
