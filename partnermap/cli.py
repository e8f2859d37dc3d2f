"""The command line: a thin layer over loaders, stores, findings and the app.

Examples
--------
partnermap demo                          # load the NYC example, serve on :8000
partnermap load examples/nyc/* --dry-run # what would change, writing nothing
partnermap analyze --json                # findings as JSON
partnermap whatif 02M475                 # who is cut off if a stakeholder leaves
partnermap changes 2014-15 2016-17       # what changed between two periods
partnermap serve --port 8080
partnermap load people.xlsx --create-missing --review review.csv
partnermap export network.gexf           # also .graphml, .json, .xlsx (Kumu), a folder (CSV)
partnermap keys create --role partner --stakeholder 02M475   # prints the key once
partnermap forget person-0a1b2c3d4e5f6a7b  # delete a stakeholder and all about it
partnermap audit                         # who imported, deleted, used a key, when
"""

from __future__ import annotations

import getpass
import ipaddress
import json
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from partnermap.access import Role, new_key, now
from partnermap.errors import (
    InvalidInputError,
    LoadError,
    NotFoundError,
    PartnermapError,
    StoreError,
)
from partnermap.export import export_store
from partnermap.graph.brokers import what_if_leaves
from partnermap.graph.changes import changes_finding, parse_periods
from partnermap.graph.coverage import parse_rules
from partnermap.graph.reciprocity import reporters
from partnermap.graph.report import KINDS, Params, finding
from partnermap.graph.snapshot import Window, take_snapshot
from partnermap.loaders import load_files
from partnermap.loaders._values import DATE_FORMATS
from partnermap.loaders.resolution import write_review
from partnermap.model import StakeholderKind, school_year_end, school_year_start
from partnermap.privacy import is_pseudo_id, pseudo_id, pseudonymise
from partnermap.settings import Settings
from partnermap.store import Store, open_store
from partnermap.store.base import DEFAULT_NETWORK, FORGOTTEN

app = typer.Typer(
    help="partnermap: map the partnerships around schools and find what to fix.",
    no_args_is_help=True,
    add_completion=False,
)
log = logging.getLogger("partnermap")

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store URL (sqlite:///path.db or neo4j://host:7687). "
        "Default: $PARTNERMAP_STORE, else sqlite:///partnermap.db.",
    ),
]


NetworkOpt = Annotated[
    str | None,
    typer.Option(
        "--network",
        help="The network (district) within the store. "
        "Default: $PARTNERMAP_NETWORK, else main.",
    ),
]


def _setup_logging(verbose: bool = False, *, server: bool = False) -> None:
    # The commands print their own summaries; the log adds the steps on request.
    # A server's log lines carry the time and the logger (a lost Neo4j, say).
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s" if server else "%(message)s",
        stream=sys.stderr,
    )


_MAX_PROBLEMS_SHOWN = 50


def _fail(exc: PartnermapError, code: int = 2) -> NoReturn:
    if isinstance(exc, LoadError):
        problems = exc.problems
        typer.echo(f"error: import refused, nothing was written ({len(problems)} problem(s)):", err=True)
        for problem in problems[:_MAX_PROBLEMS_SHOWN]:
            typer.echo(f"  {problem}", err=True)
        if len(problems) > _MAX_PROBLEMS_SHOWN:
            typer.echo(
                f"  … and {len(problems) - _MAX_PROBLEMS_SHOWN:,} more; fix these first "
                "and load again",
                err=True,
            )
    else:
        typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(code)


def _writable(path: Path | None, option: str) -> None:
    """Refuse an output file that cannot be written, before any work is done."""
    if path is None:
        return
    problem = None
    if path.is_dir():
        problem = f"{path} is a folder; give a file name"
    elif not path.parent.is_dir():
        problem = f"folder {path.parent} does not exist; create it first"
    if problem:
        typer.echo(f"error: {option} {problem}", err=True)
        raise typer.Exit(2)


def _existing_store(url: str | None) -> None:
    """Read-only commands refuse a SQLite store that is not there (a typo)."""
    from partnermap.store import resolve_url

    resolved = resolve_url(url)
    if resolved.startswith("sqlite:///"):
        file = Path(resolved.removeprefix("sqlite:///"))
    elif resolved.endswith(".db") and "://" not in resolved:
        file = Path(resolved)
    else:
        return
    if not file.exists():
        typer.echo(
            f"error: no store at {file}; load data first (partnermap load FILE... "
            f"--store {resolved}) or name another store with --store",
            err=True,
        )
        raise typer.Exit(2)


def _open_network(store: str | None, network: str | None) -> Store:
    """The store bound to a network that holds something: a read, change or
    key command given a mistyped network says so instead of finding nothing.
    A store that holds no network at all passes (nothing is there to read)."""
    opened = open_store(store, network)
    unknown = _unknown_network(opened)
    if unknown:
        opened.close()
        raise StoreError(unknown)
    return opened


def _unknown_network(opened: Store) -> str | None:
    """Why the store's network is not one it holds, or None when it is (or
    when the store holds none)."""
    held = opened.networks()
    if not held or opened.network in held:
        return None
    return (
        f"the store holds no network {opened.network!r} (it holds: "
        f"{', '.join(held)}); check --network or PARTNERMAP_NETWORK, or load "
        "data into it first"
    )


def _progress(step: str, done: int, total: int) -> None:
    if total >= 10_000:
        typer.echo(f"  writing {step}: {done:,}/{total:,}", err=True)


def _load_into(
    store: Store,
    files: list[Path],
    *,
    dry_run: bool,
    verbose: bool,
    report: Path | None,
    create_missing: bool = False,
    max_mb: float | None = None,
    date_format: str | None = None,
    review: Path | None = None,
    keep_person_names: bool = False,
) -> None:
    batch, reports = load_files(
        files,
        store_stakeholders=store.iter_stakeholders,
        create_missing=create_missing,
        max_bytes=_max_bytes(max_mb),
        date_format=date_format,
        review=review,
        salt=Settings().salt(),
    )
    if review is not None:
        write_review(review, [c for rep in reports for c in rep.review])
        typer.echo(f"matches to review written to {review}")
    people = pseudonymise(batch, Settings().salt(), keep_names=keep_person_names)
    result = store.apply(batch, dry_run=dry_run, progress=_progress)
    if not dry_run:
        names = ", ".join(Path(f).name for f in batch.files)
        store.audit(_who(), "import",
                    f"{names}: {result.to_dict()} ({people} people pseudonymised)", now())
    for rep in reports:
        typer.echo(rep.summary())
        for warning in rep.warnings:
            typer.echo(f"  warning: {warning}")
        if verbose:
            for line in rep.details:
                typer.echo(f"  {line}")
    verb = "would add" if dry_run else "added"
    typer.echo(
        f"{'dry run: ' if dry_run else ''}{verb} {result.stakeholders_added:,} "
        f"stakeholders, {result.interactions_added:,} interactions; "
        f"{'would update' if dry_run else 'updated'} {result.stakeholders_updated:,} "
        f"stakeholders and {result.attributes_updated:,} attribute sets"
        + ("" if dry_run else f"; store version {result.version}")
    )
    if report is not None:
        lines = [rep.summary() for rep in reports]
        for rep in reports:
            lines += [f"{Path(rep.path).name}: {line}" for line in rep.details]
        report.write_text("\n".join(lines) + "\n", encoding="utf-8")
        typer.echo(f"details written to {report}")


@app.command()
def load(
    files: Annotated[list[Path], typer.Argument(help="Files to load as one import.")],
    store: StoreOpt = None,
    network: NetworkOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report; write nothing.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every merge and drop.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the details to this file.")
    ] = None,
    create_missing: Annotated[
        bool,
        typer.Option(
            "--create-missing",
            help="Add a placeholder (kind 'other') for each unknown stakeholder an "
            "interaction names, instead of refusing the import.",
        ),
    ] = False,
    max_size: Annotated[
        float | None,
        typer.Option(
            "--max-size",
            min=0.000001,
            help="Refuse files (and unpacked workbooks) over this many MB. "
            "Default: $PARTNERMAP_MAX_IMPORT_MB, else 100.",
        ),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(
            "--date-format",
            help="Read every date column as iso (YYYY-MM-DD), us (MM/DD/YYYY), "
            "dmy (DD/MM/YYYY) or serial (Excel day numbers). Default: detect "
            "per column.",
        ),
    ] = None,
    review: Annotated[
        Path | None,
        typer.Option(
            "--review",
            help="Entity-resolution review CSV: decisions in it (merge/separate) "
            "are applied, then it is rewritten with every match considered.",
        ),
    ] = None,
    keep_person_names: Annotated[
        bool,
        typer.Option(
            "--keep-person-names",
            help="Keep the names of person-level records (a coordinator's choice); "
            "by default they are replaced by a pseudonym and never stored.",
        ),
    ] = False,
) -> None:
    """Load files into a store as one all-or-nothing import.

    Example: partnermap load stakeholders.csv interactions.csv --dry-run
    """
    _setup_logging(verbose)
    _writable(report, "--report")
    _writable(review, "--review")
    docs = [f for f in files if f.suffix.lower() == ".md"]
    for doc in docs:
        typer.echo(f"skipped {doc.name}: a Markdown note, not data")
    files = [f for f in files if f not in docs]
    try:
        with open_store(store, network) as opened:
            _load_into(
                opened,
                files,
                dry_run=dry_run,
                verbose=verbose,
                report=report,
                create_missing=create_missing,
                max_mb=max_size,
                date_format=_date_format(date_format),
                review=review,
                keep_person_names=keep_person_names,
            )
    except PartnermapError as exc:
        _fail(exc)


def _who() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _max_bytes(max_mb: float | None) -> int:
    mb = Settings().max_import_mb if max_mb is None else max_mb
    return int(mb * 1024 * 1024)


def _date_format(name: str | None) -> str | None:
    if name is not None and name not in DATE_FORMATS:
        raise typer.BadParameter(
            f"date format {name!r} is not known; use one of {', '.join(DATE_FORMATS)}"
        )
    return name


@app.command()
def export(
    path: Annotated[
        Path,
        typer.Argument(
            help="Where to write: a folder (tidy CSV), or a .xlsx (Kumu), .gexf, "
            ".graphml or .json (node-link) file."
        ),
    ],
    store: StoreOpt = None,
    network: NetworkOpt = None,
    format: Annotated[
        str | None,
        typer.Option("--format", help="tidy, kumu, gexf, graphml or json; default: from the path."),
    ] = None,
) -> None:
    """Write the whole store in a format other tools open; load reads it back.

    Example: partnermap export network.gexf   (then open it in Gephi)
    """
    _setup_logging()
    _existing_store(store)
    try:
        with _open_network(store, network) as opened:
            written = export_store(opened, path, format)
            counts = opened.counts()
    except PartnermapError as exc:
        _fail(exc)
    except OSError as exc:
        typer.echo(f"error: cannot write {path}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(
        f"exported {counts['stakeholders']:,} stakeholders and "
        f"{counts['interactions']:,} interactions to {', '.join(map(str, written))}"
    )


def _window(
    school_year: str | None, start: str | None, end: str | None
) -> Window:
    try:
        if school_year and (start or end):
            raise ValueError("give either --school-year or --start/--end, not both")
        if school_year:
            return Window(school_year_start(school_year), school_year_end(school_year))
        first = date.fromisoformat(start) if start else None
        last = date.fromisoformat(end) if end else None
        if first and last and first > last:
            raise ValueError(f"--start {first} is after --end {last}")
        return Window(first, last)
    except ValueError as exc:
        raise typer.BadParameter(f"{exc}; write dates as YYYY-MM-DD and school years as 2014-15") from exc


@app.command()
def analyze(
    store: StoreOpt = None,
    network: NetworkOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    school_year: Annotated[
        str | None, typer.Option(help="Only this school year, e.g. 2014-15.")
    ] = None,
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD.")] = None,
    limit: Annotated[
        int, typer.Option(min=0, help="Rows per section in text output; 0 for all.")
    ] = 20,
    section: Annotated[
        list[str] | None,
        typer.Option(help=f"Only these sections (repeat): {', '.join(KINDS)}."),
    ] = None,
    threshold: Annotated[
        float, typer.Option(help="Share of a pair's events at which it is lopsided (0.5-1).")
    ] = 0.8,
    dormant_days: Annotated[
        int, typer.Option(help="Days without interaction for a tie to be dormant.")
    ] = 365,
    as_of: Annotated[
        str | None, typer.Option(help="End of the dormancy period, YYYY-MM-DD.")
    ] = None,
    rules: Annotated[
        Path | None, typer.Option(help="Coverage rules TOML file (default: shipped rules).")
    ] = None,
) -> None:
    """Print the findings, a section per kind (see docs/findings.md).

    Example: partnermap analyze --school-year 2016-17 --section brokers --json
    """
    _setup_logging()
    window = _window(school_year, start, end)
    params = _params(threshold, dormant_days, as_of, rules)
    kinds = _sections(section)
    _existing_store(store)
    try:
        with _open_network(store, network) as opened:
            snap = take_snapshot(opened, window)
            whole = snap if window == Window() else take_snapshot(opened, Window())
        known = reporters(whole.relationships)
        memo: dict[Any, Any] = {}
        found = {k: finding(k, snap.relationships, params, known, memo) for k in kinds}
    except PartnermapError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps({"window": window.label(), **found}, indent=2, ensure_ascii=False))
        return
    typer.echo(_findings_text(found, window, limit))


def _params(threshold: float, days: int, as_of: str | None, rules: Path | None) -> Params:
    if not 0.5 <= threshold <= 1:
        raise typer.BadParameter(f"--threshold {threshold} must be between 0.5 and 1")
    if not 0 <= days <= 36500:
        raise typer.BadParameter(f"--dormant-days {days} must be between 0 and 36500 (100 years)")
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        raise typer.BadParameter(f"--as-of {as_of!r}: write YYYY-MM-DD") from exc
    try:
        text = rules.read_text(encoding="utf-8") if rules else None
    except OSError as exc:
        raise typer.BadParameter(f"--rules {rules}: {exc.strerror}") from exc
    except UnicodeDecodeError:
        raise typer.BadParameter(f"--rules {rules}: not UTF-8; save it as UTF-8") from None
    if rules is not None and text is not None:
        try:
            parse_rules(text, str(rules))  # refused here, naming the file
        except InvalidInputError as exc:
            raise typer.BadParameter(str(exc)) from None
    return Params(threshold=threshold, dormant_days=days, as_of=day, rules=text)


def _sections(section: list[str] | None) -> list[str]:
    wanted = [s.replace("-", "_") for s in section or KINDS]
    bad = [s for s in wanted if s not in KINDS]
    if bad:
        raise typer.BadParameter(f"unknown section(s) {bad}; choose from {', '.join(KINDS)}")
    return wanted


def _findings_text(found: dict[str, Any], window: Window, limit: int) -> str:
    out = [f"Findings for {window.label()}"]
    for kind, body in found.items():
        if kind == "isolated_groups":
            out += ["", *_isolated_text(body, limit)]
        elif kind == "one_way":
            out += ["", *_one_way_text(body, limit)]
        else:
            out += ["", *_section_text(kind, body, limit)]
    return "\n".join(out)


_ROWS = {
    "brokers": "brokers", "coverage": "rules", "need": "schools", "dormant": "ties",
    "communities": "communities", "introductions": "stakeholders",
}


def _section_text(kind: str, body: dict[str, Any], limit: int) -> list[str]:
    title = kind.replace("_", " ").capitalize()
    if kind == "summary":
        out = ["Summary: four ideas of authentic community engagement"]
        for idea, data in body.items():
            out.append(f"  {idea.replace('_', ' ')} ({data['idea']})")
            for m in data["measures"]:
                value = "n/a" if m["value"] is None else f"{m['value']:.0%}"
                out.append(f"    {m['id']}: {value} ({m['numerator']:,}/{m['denominator']:,})")
        return out
    totals = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in body.get("totals", {}).items())
    out = [f"{title}: {totals}"]
    rows = body.get(_ROWS.get(kind, ""), [])
    if kind == "coverage":
        rows = [gap for rule in rows for gap in rule["gaps"]]
    for row in rows if limit == 0 else rows[:limit]:
        out.append(f"  {row.get('what', row)}")
    _more(out, rows, limit)
    return out


def _cut(rows: list[Any], limit: int) -> list[Any]:
    return rows if limit == 0 else rows[:limit]


def _isolated_text(iso: dict[str, Any], limit: int) -> list[str]:
    out: list[str] = []
    t = iso["totals"]
    out.append(
        f"Isolated groups: {t['groups']:,} groups holding {t['stakeholders_in_groups']:,} "
        f"stakeholders outside the main network of {t['main_component_size']:,}"
    )
    for group in _cut(iso["groups"], limit):
        shown = group["members"] if limit == 0 else group["members"][:6]
        names = "; ".join(m["name"] for m in shown)
        rest = len(group["members"]) - len(shown)
        out.append(f"  {group['id']} ({group['size']}): {names}" + (f"; … {rest} more" if rest else ""))
    _more(out, iso["groups"], limit)
    out += ["", f"Isolated stakeholders (no interaction at all): {t['isolated_stakeholders']:,}"]
    for who in _cut(iso["isolated_stakeholders"], limit):
        out.append(f"  {who['name']} [{who['kind']}]")
    _more(out, iso["isolated_stakeholders"], limit)
    return out


def _one_way_text(one: dict[str, Any], limit: int) -> list[str]:
    t = one["totals"]
    out = [
        (
            f"One-way relationships: {t['one_way']:,} of "
            f"{t['directed_relationships']:,} directed ties "
            f"({t['unconfirmed_claims']:,} are unconfirmed claims); "
            f"{t['mutual_pairs']:,} mutual pairs"
        ),
    ]
    for rel in _cut(one["relationships"], limit):
        counts = ", ".join(f"{k} {v}" for k, v in rel["counts"].items())
        note = "" if rel["confirmed"] else " (unconfirmed)"
        out.append(f"  {rel['direction']}: {counts}{note}")
    _more(out, one["relationships"], limit)
    if "balance" in one:
        pairs = one["balance"]["pairs"]
        out.append(
            "  pairs by status: " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in pairs.items())
            + f" (lopsided at {one['balance']['threshold']:.0%})"
        )
    return out


def _more(out: list[str], rows: list[Any], limit: int) -> None:
    if limit and len(rows) > limit:
        out.append(f"  … and {len(rows) - limit:,} more (--limit 0 or --json for all)")


@app.command()
def whatif(
    stakeholder_id: Annotated[str, typer.Argument(help="The stakeholder's id.")],
    store: StoreOpt = None,
    network: NetworkOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    school_year: Annotated[
        str | None, typer.Option(help="Only this school year, e.g. 2014-15.")
    ] = None,
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD.")] = None,
) -> None:
    """Who loses every tie to the rest of the network if a stakeholder leaves.

    Example: partnermap whatif 02M475 --school-year 2016-17
    """
    _setup_logging()
    _existing_store(store)
    window = _window(school_year, start, end)
    try:
        with _open_network(store, network) as opened:
            _must_exist(opened, stakeholder_id)
            snap = take_snapshot(opened, window)
    except PartnermapError as exc:
        _fail(exc)
    found = what_if_leaves(snap.relationships, stakeholder_id)
    if as_json:
        typer.echo(json.dumps({"window": window.label(), **found}, indent=2, ensure_ascii=False))
        return
    typer.echo(f"{found['what']} ({window.label()})")
    for who in found["cut_off"]:
        typer.echo(f"  {who['name']} [{who['kind']}]")
    typer.echo(f"next step: {found['suggestion']}")


@app.command()
def changes(
    first: Annotated[str, typer.Argument(help="First period: 2014-15, 2016 or 2016-01-01..2016-06-30.")],
    second: Annotated[str, typer.Argument(help="Second period, written the same way.")],
    store: StoreOpt = None,
    network: NetworkOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[
        int, typer.Option(min=0, help="Rows per list in text output; 0 for all.")
    ] = 20,
) -> None:
    """New, ended, strengthened and weakened ties between two periods, and who
    joined or dropped out.

    Example: partnermap changes 2014-15 2016-17
    """
    _setup_logging()
    _existing_store(store)
    try:
        windows = parse_periods(first, second)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    try:
        with _open_network(store, network) as opened:
            snaps = [take_snapshot(opened, w) for w in windows]
    except PartnermapError as exc:
        _fail(exc)
    labels = (windows[0].label(), windows[1].label())
    found = changes_finding(snaps[0].relationships, snaps[1].relationships, labels)
    if as_json:
        typer.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    t = found["totals"]
    out = [f"Changes from {labels[0]} to {labels[1]}: "
           + ", ".join(f"{k} {v:,}" for k, v in t.items())]
    for key in ("new", "ended", "strengthened", "weakened", "joined", "dropped"):
        rows = found[key]
        out.append(f"{key.capitalize()}: {len(rows):,}")
        for row in rows if limit == 0 else rows[:limit]:
            out.append(f"  {row.get('what') or row.get('name')}")
        _more(out, rows, limit)
    typer.echo("\n".join(out))


@app.command()
def serve(
    store: StoreOpt = None,
    network: NetworkOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API and the network pages."""
    import uvicorn

    from partnermap.api.app import create_app
    from partnermap.store import resolve_url

    _setup_logging(server=True)
    _check_address(host, port)
    url = resolve_url(store)
    settings = Settings(network=network) if network else Settings()
    try:
        with open_store(url, settings.network) as opened:
            _check_keys(opened, settings, host)
            unknown = _unknown_network(opened)
            if unknown and not settings.auth_required:
                raise StoreError(unknown)
    except PartnermapError as exc:
        _fail(exc)
    typer.echo(f"serving http://{host}:{port}/network  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(url, settings), host=host, port=port, log_level="warning")


def _check_address(host: str, port: int) -> None:
    """Refuse a port out of range or already taken, before any work is done."""
    if not 1 <= port <= 65535:
        raise typer.BadParameter(f"port {port} is not between 1 and 65535", param_hint="--port")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        typer.echo(
            f"error: cannot listen on {host}:{port} ({exc.strerror or exc}); "
            "choose another with --port, or check --host",
            err=True,
        )
        raise typer.Exit(2) from None


def _check_keys(store: Store, settings: Settings, host: str) -> None:
    """Refuse to serve beyond this machine without keys; warn when local."""
    if not _local(host) and not settings.auth_required:
        typer.echo(
            f"error: refusing to serve on {host} without API keys; set "
            "PARTNERMAP_AUTH_REQUIRED=true (the default) and create a key with "
            "'partnermap keys create --role admin', or serve on 127.0.0.1",
            err=True,
        )
        raise typer.Exit(2)
    if not settings.auth_required:
        typer.echo("warning: serving without API keys on this machine only: "
                   "every request acts as an admin", err=True)
        return
    if not any(
        k.revoked is None
        for name in store.networks()
        for k in store.for_network(name).api_keys()
    ):
        typer.echo(
            "error: API keys are required and the store holds none; create one "
            "with 'partnermap keys create --role admin', or, on this machine only, "
            "set PARTNERMAP_AUTH_REQUIRED=false",
            err=True,
        )
        raise typer.Exit(2)


def _local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def example_dir() -> Path:
    """The bundled NYC example: $PARTNERMAP_EXAMPLE, the clone's, or ./examples/nyc."""
    candidates = [
        os.environ.get("PARTNERMAP_EXAMPLE"),
        Path(__file__).resolve().parents[1] / "examples" / "nyc",
        Path.cwd() / "examples" / "nyc",
    ]
    for place in candidates:
        if place and Path(place).is_dir():
            return Path(place)
    raise typer.BadParameter(
        "the NYC example was not found; run from the partnermap clone or set "
        "PARTNERMAP_EXAMPLE to its examples/nyc folder"
    )


@app.command()
def demo(
    store: Annotated[
        str | None,
        typer.Option(help="Store to load into. Default: a fresh SQLite file in a temporary folder."),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Load the bundled NYC example into a fresh store and serve it."""
    _setup_logging()
    _check_address(host, port)
    files = sorted(p for p in example_dir().iterdir() if p.suffix in {".csv", ".txt"})
    folder = None
    if store is None:
        folder = tempfile.mkdtemp(prefix="partnermap-demo-")
        store = f"sqlite:///{Path(folder) / 'demo.db'}"
    typer.echo(f"loading the NYC example into {store}")
    # A SIGTERM (from a service manager, or `kill`) ends the demo as Ctrl-C
    # does: through the finally below. The server re-raises it once stopped.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        try:
            with open_store(store) as opened:
                _load_into(opened, files, dry_run=False, verbose=False, report=None)
        except PartnermapError as exc:
            _fail(exc)
        if _local(host):
            os.environ["PARTNERMAP_AUTH_REQUIRED"] = "false"
        serve(store=store, host=host, port=port)
    finally:
        # The demo's own temporary store goes when the demo stops.
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="admin, coordinator, viewer or partner.")],
    stakeholder: Annotated[
        str | None, typer.Option(help="The stakeholder a partner key is bound to.")
    ] = None,
    store: StoreOpt = None,
    network: NetworkOpt = None,
) -> None:
    """Create a key and print it once; only its hash is kept.

    Example: partnermap keys create --role partner --stakeholder 02M475
    """
    _setup_logging()
    try:
        chosen = Role(role)
    except ValueError:
        raise typer.BadParameter(
            f"role {role!r} is not known; use admin, coordinator, viewer or partner"
        ) from None
    try:
        new_key(chosen, stakeholder)  # refuses a role and stakeholder that do not fit
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    try:
        with open_store(store, network) as opened:
            record, secret = new_key(chosen, stakeholder, opened.network)
            if stakeholder:
                _must_exist(opened, stakeholder)
            unknown = _unknown_network(opened)
            opened.add_api_key(record)
            opened.audit(_who(), "key-create", f"{record.id} ({chosen.value})", now())
    except PartnermapError as exc:
        _fail(exc)
    typer.echo(f"created key {record.id} ({chosen.value}, network {record.network}"
               + (f", stakeholder {stakeholder}" if stakeholder else "") + ")")
    typer.echo(secret)
    typer.echo("keep it now: it is not shown again", err=True)
    if unknown:
        typer.echo(f"warning: {unknown}; the key sees nothing until then", err=True)


@keys_app.command("list")
def keys_list(
    store: StoreOpt = None,
    network: NetworkOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List keys (never their secrets), revoked ones marked.

    Example: partnermap keys list
    """
    _setup_logging()
    try:
        with _open_network(store, network) as opened:
            found = [k.to_dict() for k in opened.api_keys()]
    except PartnermapError as exc:
        _fail(exc)
    def line(k: dict[str, Any]) -> str:
        bound = f" stakeholder={k['stakeholder']}" if k["stakeholder"] else ""
        state = f" revoked {k['revoked']}" if k["revoked"] else ""
        return (
            f"{k['id']}  {k['role']}  network={k['network']}{bound}  "
            f"created {k['created']}{state}"
        )

    _list(found, as_json, line,
          "no keys yet; create one with: partnermap keys create --role admin")


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id, e.g. k-1a2b3c4d.")],
    store: StoreOpt = None,
    network: NetworkOpt = None,
) -> None:
    """Revoke a key at once; it is refused from the next request on.

    Example: partnermap keys revoke k-1a2b3c4d
    """
    _setup_logging()
    try:
        with _open_network(store, network) as opened:
            if not opened.revoke_api_key(key_id, now()):
                raise NotFoundError(
                    f"no key with id {key_id!r} in network {opened.network!r}; see "
                    f"'partnermap keys list --network {opened.network}'"
                )
            opened.audit(_who(), "key-revoke", key_id, now())
    except PartnermapError as exc:
        _fail(exc)
    typer.echo(f"revoked {key_id}")


@app.command()
def forget(
    stakeholder_id: Annotated[str, typer.Argument(help="The stakeholder's id.")],
    store: StoreOpt = None,
    network: NetworkOpt = None,
) -> None:
    """Delete a stakeholder and everything about it: its interactions, the
    keys bound to it (revoked), and its id in the audit log (read
    "\\[forgotten]"). Caches and later exports no longer hold it. A person may
    be named by the id it was loaded with when the pseudonym salt is set.

    Example: partnermap forget person-0a1b2c3d4e5f6a7b
    """
    _setup_logging()
    try:
        with _open_network(store, network) as opened:
            stakeholder_id = _stored_id(opened, stakeholder_id)
            gone = opened.forget(stakeholder_id)
            opened.audit(_who(), "forget", f"{FORGOTTEN}: {gone}", now())
    except PartnermapError as exc:
        _fail(exc)
    typer.echo(
        f"forgot {stakeholder_id}: {gone['interactions']:,} interactions deleted, "
        f"{gone['keys_revoked']} key(s) revoked, "
        f"{gone['audit_lines']} audit line(s) no longer name it"
    )


def _must_exist(store: Store, sid: str) -> None:
    """Refuse an id that is not stored; an id in other case or spacing, a
    person's loaded id (with the salt), a name, or part of up to three names
    gets the id to give."""
    if store.get_stakeholder(sid) is not None:
        return
    word = sid.strip().casefold()
    person = _loaded_person(store, sid)
    if person is not None:
        raise NotFoundError(
            f"no stakeholder with id {sid!r}; the person loaded under it is stored "
            f"as {person!r}"
        )
    ids: list[tuple[str, str]] = []
    named: list[tuple[str, str]] = []
    for s in store.iter_stakeholders():
        if s.id.casefold() == word:
            ids.append((s.name, s.id))
        elif s.kind is not StakeholderKind.PERSON and word and word in s.name.casefold():
            named.append((s.name, s.id))
    named.sort()
    exact = [(name, i) for name, i in named if name.casefold() == word]
    found = ids or exact or (named if len(named) <= 3 else [])
    hint = "; ".join(f"{name!r} has id {i!r}" for name, i in found)
    raise NotFoundError(f"no stakeholder with id {sid!r}" + (f"; {hint}" if hint else ""))


def _stored_id(store: Store, sid: str) -> str:
    """The id a stakeholder is stored under: as given, or the pseudonym of a
    person loaded under that id (found with the pseudonym salt)."""
    if store.get_stakeholder(sid) is not None or is_pseudo_id(sid):
        return sid
    hint = (
        "; a person is stored under a pseudonym: set PARTNERMAP_PSEUDONYM_SALT "
        "(or _FILE) to the salt used at load to forget a person by the id it "
        "was loaded with"
    )
    if not Settings().salt():
        raise NotFoundError(f"no stakeholder with id {sid!r}{hint}")
    pseudonym = _loaded_person(store, sid)
    if pseudonym is None:
        raise NotFoundError(f"no stakeholder with id {sid!r}, nor a person loaded under it")
    return pseudonym


def _loaded_person(store: Store, sid: str) -> str | None:
    """The stored pseudonym of a person loaded under id ``sid``, when the
    pseudonym salt is set and the person is stored; else None."""
    salt = Settings().salt()
    if not salt:
        return None
    person = pseudo_id(salt, sid)
    return person if store.get_stakeholder(person) is not None else None


@app.command()
def audit(
    store: StoreOpt = None,
    network: NetworkOpt = None,
    limit: Annotated[int, typer.Option(min=1, help="Lines to show, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The audit log: imports, deletions, key changes, logins and key use.

    Example: partnermap audit --limit 20
    """
    _setup_logging()
    try:
        with _open_network(store, network) as opened:
            lines = opened.audit_log(limit=limit)
    except PartnermapError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps(lines, indent=2, ensure_ascii=False))
        return
    for line in lines:
        typer.echo(f"{line['at']}  {line['who']}  {line['action']}  {line['what']}")


@app.command()
def networks(
    store: StoreOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The networks (districts) in the store, with their counts and keys.

    Example: partnermap networks
    """
    _setup_logging()
    _existing_store(store)
    found = []
    try:
        with open_store(store, DEFAULT_NETWORK) as opened:
            for name in opened.networks():
                one = opened.for_network(name)
                counts = one.counts()
                found.append({
                    "network": name,
                    "stakeholders": counts["stakeholders"],
                    "interactions": counts["interactions"],
                    "keys": sum(k.revoked is None for k in one.api_keys()),
                })
    except PartnermapError as exc:
        _fail(exc)
    _list(
        found, as_json,
        lambda row: f"{row['network']}  {row['stakeholders']:,} stakeholders, "
        f"{row['interactions']:,} interactions, {row['keys']} active key(s)",
        "no networks yet; load data with: partnermap load FILE... --network NAME",
    )


def _list(
    rows: list[dict[str, Any]], as_json: bool, line: Callable[[dict[str, Any]], str],
    empty: str,
) -> None:
    """Rows as JSON, or one line each (``empty`` when there are none)."""
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo(empty)
    for row in rows:
        typer.echo(line(row))


def main() -> None:
    """The ``partnermap`` command: the app, with settings errors said plainly."""
    from pydantic import ValidationError

    try:
        app()
    except ValidationError as exc:
        for error in exc.errors():
            name = "PARTNERMAP_" + "_".join(str(p) for p in error["loc"]).upper()
            typer.echo(f"error: setting {name}: {error['msg']}", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":  # pragma: no cover
    main()
