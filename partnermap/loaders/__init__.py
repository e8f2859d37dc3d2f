"""Loaders: files in, validated import batches out. They never write.

:func:`load_files` is the one entry point. It detects each file's format
(suffix, then the header), orders the files so that later ones can refer to
what earlier ones bring (schools before survey scores), and returns one batch
for the whole import together with a report per file. Any problem in any file
refuses the whole import.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

from partnermap.errors import LoadError, Problem
from partnermap.loaders import (
    dycd,
    nyc_demographics,
    nyc_directory,
    nyc_school_attributes,
    tidy,
)
from partnermap.loaders.base import FileReport, LoadContext, read_text
from partnermap.model import ImportBatch, Stakeholder

log = logging.getLogger(__name__)

# In load order: a module's files are read after those of the modules before it.
FORMATS: list[ModuleType] = [
    tidy,
    nyc_directory,
    dycd,
    nyc_school_attributes,
    nyc_demographics,
]

_SUFFIXES = {".csv", ".txt", ".tsv"}


def detect_format(path: Path) -> ModuleType:
    """The loader module for a file, from its suffix and then its header."""
    if not path.exists():
        raise LoadError(
            [Problem(path.name, f"file not found at {path}", hint="check the path")]
        )
    if path.is_dir():
        raise LoadError(
            [Problem(path.name, "is a folder", hint="name the files inside it")]
        )
    if path.suffix.lower() not in _SUFFIXES:
        raise LoadError(
            [
                Problem(
                    path.name,
                    f"unknown format (suffix {path.suffix or 'none'!r})",
                    hint="partnermap reads .csv, .tsv and .txt tables; "
                    "export the sheet as CSV",
                )
            ]
        )
    first_line = read_text(path).split("\n", 1)[0]
    for module in FORMATS:
        if module.sniff(first_line):
            return module
    raise LoadError(
        [
            Problem(
                path.name,
                "unknown format: the header matches none of the known layouts",
                row=1,
                hint="see the README's 'Input formats' for the columns each "
                "layout needs (for example id,name,kind for stakeholders or "
                "source,target,type,date for interactions)",
            )
        ]
    )


def load_files(
    paths: list[Path],
    *,
    store_stakeholders: Callable[[], Iterator[Stakeholder]] = lambda: iter(()),
    create_missing: bool = False,
) -> tuple[ImportBatch, list[FileReport]]:
    """Read every file into one batch; refuse all of them if any has a problem.

    Problems from every file are collected before refusing, so the error lists
    all of them, not only the first.
    """
    problems: list[Problem] = []
    detected: list[tuple[int, Path, ModuleType]] = []
    for path in paths:
        try:
            module = detect_format(Path(path))
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        detected.append((FORMATS.index(module), Path(path), module))
    if problems:
        raise LoadError(problems)

    # Read in dependency order so that later files see earlier files' records.
    context = LoadContext(
        store_stakeholders=store_stakeholders, create_missing=create_missing
    )
    reports: list[FileReport] = []
    for _, path, module in sorted(detected, key=lambda t: t[0]):
        try:
            batch, report = module.load(path, context)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        batch.files.append(str(path))
        context.batch.extend(batch)
        reports.append(report)
        log.info("read %s", report.summary())
    if problems:
        raise LoadError(problems)
    context.batch.consolidate()
    return context.batch, reports
