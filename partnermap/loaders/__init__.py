"""Loaders: files in, validated import batches out. They never write.

:func:`load_files` is the one entry point. It detects each file's format
(suffix, then the header), orders the files so that later ones can refer to
what earlier ones bring (schools before survey scores), and returns one batch
for the whole import together with a report per file. Any problem in any file
refuses the whole import.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

from partnermap.errors import LoadError, Problem
from partnermap.loaders import (
    attendance,
    dycd,
    gephi,
    gexf,
    graphml,
    irs_eo,
    kumu,
    nces,
    nodelink,
    nyc_demographics,
    nyc_directory,
    nyc_school_attributes,
    survey,
    tidy,
)
from partnermap.loaders._clean import clean_batch
from partnermap.loaders._tables import (
    LEGACY_ENCODING_WARNING,
    TEXT_SUFFIXES,
    UNSAVED_FORMULAS,
    WORKBOOK_SUFFIXES,
    check_size,
    find_column,
    legacy_encoded,
    read_delimited,
    read_workbook,
)
from partnermap.loaders._xml import local, parse_xml
from partnermap.loaders.base import FileReport, LoadContext, Peek, read_text
from partnermap.loaders.resolution import read_review
from partnermap.model import ImportBatch, Stakeholder, number_occurrences

log = logging.getLogger(__name__)

# In load order: a module's files are read after those of the modules before it.
# Directories enrich what earlier files brought; surveys and sign-in sheets
# refer to them.
FORMATS: list[ModuleType] = [
    tidy,
    kumu,
    gephi,
    gexf,
    graphml,
    nodelink,
    nyc_directory,
    dycd,
    nyc_school_attributes,
    nyc_demographics,
    nces,
    irs_eo,
    survey,
    attendance,
]
# In detection order: the most particular layouts are tried first.
_DETECTION: list[ModuleType] = [
    nyc_directory,
    dycd,
    nyc_school_attributes,
    nyc_demographics,
    nces,
    irs_eo,
    kumu,
    gephi,
    survey,
    attendance,
    tidy,
    gexf,
    graphml,
    nodelink,
]
_SUFFIXES = TEXT_SUFFIXES | WORKBOOK_SUFFIXES | {".json", ".gexf", ".graphml", ".xml"}


def _refuse(path: Path, message: str, hint: str, row: int | None = None) -> LoadError:
    # "." and ".." have no name of their own: say the path as given.
    return LoadError([Problem(path.name or str(path), message, row=row, hint=hint)])


def peek(path: Path, max_bytes: int | None = None) -> Peek:
    """What detection needs of a file: its headers, sheets, JSON or XML root."""
    seen = Peek(path.name, path.suffix.lower())
    if seen.suffix in WORKBOOK_SUFFIXES:
        tables, _ = read_workbook(path, max_bytes)
        seen.headers = [t.header for t in tables]
        seen.sheets = [t.sheet or "" for t in tables]
    elif seen.suffix in TEXT_SUFFIXES:
        seen.headers = [read_delimited(path, head=20).header]
    elif seen.suffix == ".json":
        try:
            seen.data = json.loads(read_text(path))
        except ValueError as exc:
            raise _refuse(
                path, f"is not valid JSON ({exc})", "export it again"
            ) from None
        except RecursionError:
            raise _refuse(
                path, "is JSON nested too deeply to read",
                "export the graph as node-link JSON (nodes and links lists)",
            ) from None
    else:
        seen.xml_root = local(parse_xml(path).tag)
    return seen


def detect_format(path: Path, max_bytes: int | None = None) -> ModuleType:
    """The loader module for a file, from its suffix and then its content."""
    if not path.exists():
        raise _refuse(path, f"file not found at {path}", "check the path")
    if path.is_dir():
        raise _refuse(path, "is a folder", "name the files inside it")
    if not path.is_file():
        raise _refuse(path, "is not a regular file", "copy the data into a file first")
    if path.suffix.lower() not in _SUFFIXES:
        raise _refuse(
            path,
            f"unknown format (suffix {path.suffix or 'none'!r})",
            "partnermap reads .csv, .tsv, .txt, .xlsx, .json, .gexf and .graphml "
            "files; export the sheet as CSV or XLSX",
        )
    check_size(path, max_bytes)
    if path.suffix.lower() in TEXT_SUFFIXES:
        first_line = read_text(path).split("\n", 1)[0]
        for module in _DETECTION:
            if not hasattr(module, "detect") and module.sniff(first_line):
                return module
    seen = peek(path, max_bytes)
    for module in _DETECTION:
        if hasattr(module, "detect") and module.detect(seen):
            return module
    missing = _nearly_tidy(seen)
    if missing:
        raise _refuse(path, missing[0], missing[1], row=1)
    raise _refuse(
        path,
        "unknown format: the header matches none of the known layouts",
        "see the README's 'Input formats' for the columns each "
        "layout needs (for example id,name,kind for stakeholders or "
        "source,target,type,date for interactions)",
        row=1,
    )


def _nearly_tidy(seen: Peek) -> tuple[str, str] | None:
    """What a header that is almost a tidy table lacks, in words, or None."""
    for header in seen.headers:
        cols = {h.strip().lower() for h in header}
        if cols & {"source", "from"} or cols & {"target", "to"}:
            need = [
                name
                for name, alts in (("source", {"source", "from"}), ("target", {"target", "to"}), ("type", {"type", "kind"}))
                if not cols & alts
            ]
            if need:
                return (
                    "looks like an interactions table but lacks column(s): "
                    + ", ".join(need),
                    "an interactions table needs source, target and type",
                )
        if "name" in cols or "id" in cols:
            need = [c for c in ("name", "kind") if c not in cols]
            if need:
                return (
                    "looks like a stakeholders table but lacks column(s): "
                    + ", ".join(need),
                    "a stakeholders table needs name and kind (id is optional)",
                )
    return None


def _edges_last(path: Path) -> int:
    """Within one format, tables of edges are read after tables of nodes."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return 0
    header = read_text(path).split("\n", 1)[0].replace(";", ",").replace("\t", ",")
    return int(find_column(header.split(","), "target", "to") is not None)


def _unsaved_formulas(path: Path, max_bytes: int | None) -> list[Problem]:
    """A refused workbook's formula cells without a saved value, which read as
    empty: often the cause of its "is empty" problems."""
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return []
    try:
        tables, _ = read_workbook(path, max_bytes)
    except LoadError:
        return []
    return [
        Problem(path.name, warning)
        for table in tables
        for warning in table.warnings
        if UNSAVED_FORMULAS in warning
    ]


_NOTHING_READ = "nothing was read from this file: it holds no data rows"


def _read_nothing(batch: ImportBatch, report: FileReport) -> bool:
    """Whether a file gave nothing and its loader said nothing of why (no
    rows dropped or skipped, no warning): a header with no rows below it."""
    empty = not (batch.stakeholders or batch.interactions or batch.attribute_updates)
    return (
        empty
        and not report.warnings
        and not report.dropped
        and not any(report.counts.values())
    )


def load_files(
    paths: list[Path],
    *,
    store_stakeholders: Callable[[], Iterator[Stakeholder]] = lambda: iter(()),
    create_missing: bool = False,
    max_bytes: int | None = None,
    date_format: str | None = None,
    review: Path | None = None,
    salt: str | None = None,
) -> tuple[ImportBatch, list[FileReport]]:
    """Read every file into one batch; refuse all of them if any has a problem.

    Problems from every file are collected before refusing, so the error lists
    all of them, not only the first.
    """
    problems: list[Problem] = []
    detected: list[tuple[int, Path, ModuleType]] = []
    for path in paths:
        try:
            module = detect_format(Path(path), max_bytes)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        rank = FORMATS.index(module) * 2 + _edges_last(Path(path))
        detected.append((rank, Path(path), module))
    if problems:
        raise LoadError(problems)

    # Read in dependency order so that later files see earlier files' records.
    context = LoadContext(
        store_stakeholders=store_stakeholders,
        create_missing=create_missing,
        max_bytes=max_bytes,
        date_format=date_format,
        salt=salt,
    )
    if review is not None:
        context.review = read_review(review)
    reports: list[FileReport] = []
    for _, path, module in sorted(detected, key=lambda t: t[0]):
        try:
            batch, report = module.load(path, context)
        except LoadError as exc:
            problems.extend(exc.problems + _unsaved_formulas(path, context.max_bytes))
            continue
        try:
            report.warnings.extend(clean_batch(batch, path.name))
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        if legacy_encoded(path):
            report.warnings.append(LEGACY_ENCODING_WARNING)
        if _read_nothing(batch, report):
            report.warnings.append(_NOTHING_READ)
        batch.files.append(str(path))
        number_occurrences(batch.interactions)
        context.batch.extend(batch)
        reports.append(report)
        log.info("read %s", report.summary())
    if problems:
        raise LoadError(problems)
    context.batch.consolidate()
    return context.batch, reports
