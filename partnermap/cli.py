"""The command line: a thin layer over loaders, stores, findings and the app.

Examples
--------
partnermap demo                          # load the NYC example, serve on :8000
partnermap load examples/nyc/* --dry-run # what would change, writing nothing
partnermap analyze --json                # findings as JSON
partnermap serve --port 8080
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from partnermap.errors import LoadError, PartnermapError
from partnermap.graph.findings import analyze as analyze_graph
from partnermap.graph.snapshot import Window, take_snapshot
from partnermap.loaders import load_files
from partnermap.model import school_year_end, school_year_start
from partnermap.store import Store, open_store

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


def _setup_logging(verbose: bool = False) -> None:
    # The commands print their own summaries; the log adds the steps on request.
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        format="%(message)s",
        stream=sys.stderr,
    )


def _fail(exc: PartnermapError, code: int = 2) -> NoReturn:
    if isinstance(exc, LoadError):
        typer.echo(f"error: import refused, nothing was written ({len(exc.problems)} problem(s)):", err=True)
        for problem in exc.problems:
            typer.echo(f"  {problem}", err=True)
    else:
        typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(code)


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
) -> None:
    batch, reports = load_files(
        files, store_stakeholders=store.iter_stakeholders, create_missing=create_missing
    )
    result = store.apply(batch, dry_run=dry_run, progress=_progress)
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
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report; write nothing.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every merge and drop.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the details to this file.")
    ] = None,
) -> None:
    """Load files into a store as one all-or-nothing import."""
    _setup_logging(verbose)
    docs = [f for f in files if f.suffix.lower() == ".md"]
    for doc in docs:
        typer.echo(f"skipped {doc.name}: a Markdown note, not data")
    files = [f for f in files if f not in docs]
    try:
        with open_store(store) as opened:
            _load_into(opened, files, dry_run=dry_run, verbose=verbose, report=report)
    except PartnermapError as exc:
        _fail(exc)


def _window(
    school_year: str | None, start: str | None, end: str | None
) -> Window:
    try:
        if school_year:
            return Window(school_year_start(school_year), school_year_end(school_year))
        return Window(
            date.fromisoformat(start) if start else None,
            date.fromisoformat(end) if end else None,
        )
    except ValueError as exc:
        raise typer.BadParameter(f"{exc}; write dates as YYYY-MM-DD and school years as 2014-15") from exc


@app.command()
def analyze(
    store: StoreOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    school_year: Annotated[
        str | None, typer.Option(help="Only this school year, e.g. 2014-15.")
    ] = None,
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD.")] = None,
    limit: Annotated[
        int, typer.Option(help="Rows per section in text output; 0 for all.")
    ] = 20,
) -> None:
    """Print the findings: isolated groups, isolated stakeholders, one-way ties."""
    _setup_logging()
    window = _window(school_year, start, end)
    try:
        with open_store(store) as opened:
            snap = take_snapshot(opened, window)
    except PartnermapError as exc:
        _fail(exc)
    found = analyze_graph(snap.relationships)
    if as_json:
        typer.echo(json.dumps({"window": window.label(), **found}, indent=2, ensure_ascii=False))
        return
    typer.echo(_findings_text(found, window, limit))


def _findings_text(found: dict[str, Any], window: Window, limit: int) -> str:
    iso, one = found["isolated_groups"], found["one_way"]
    cut = (lambda rows: rows) if limit == 0 else (lambda rows: rows[:limit])
    out = [f"Findings for {window.label()}", ""]
    t = iso["totals"]
    out.append(
        f"Isolated groups: {t['groups']:,} groups holding {t['stakeholders_in_groups']:,} "
        f"stakeholders outside the main network of {t['main_component_size']:,}"
    )
    for group in cut(iso["groups"]):
        names = "; ".join(m["name"] for m in group["members"])
        out.append(f"  {group['id']} ({group['size']}): {names}")
    _more(out, iso["groups"], limit)
    out += ["", f"Isolated stakeholders (no interaction at all): {t['isolated_stakeholders']:,}"]
    for who in cut(iso["isolated_stakeholders"]):
        out.append(f"  {who['name']} [{who['kind']}]")
    _more(out, iso["isolated_stakeholders"], limit)
    t = one["totals"]
    out += [
        "",
        f"One-way relationships: {t['one_way']:,} of {t['directed_relationships']:,} "
        f"directed ties ({t['unconfirmed_claims']:,} are unconfirmed claims); "
        f"{t['mutual_pairs']:,} mutual pairs",
    ]
    for rel in cut(one["relationships"]):
        counts = ", ".join(f"{k} {v}" for k, v in rel["counts"].items())
        note = "" if rel["confirmed"] else " (unconfirmed)"
        out.append(f"  {rel['direction']}: {counts}{note}")
    _more(out, one["relationships"], limit)
    return "\n".join(out)


def _more(out: list[str], rows: list[Any], limit: int) -> None:
    if limit and len(rows) > limit:
        out.append(f"  … and {len(rows) - limit:,} more (--limit 0 or --json for all)")


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API and the network pages."""
    import uvicorn

    from partnermap.api.app import create_app
    from partnermap.store import resolve_url

    _setup_logging()
    url = resolve_url(store)
    try:
        open_store(url).close()
    except PartnermapError as exc:
        _fail(exc)
    typer.echo(f"serving http://{host}:{port}/network  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(url), host=host, port=port, log_level="warning")


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
    files = sorted(p for p in example_dir().iterdir() if p.suffix in {".csv", ".txt"})
    if store is None:
        folder = tempfile.mkdtemp(prefix="partnermap-demo-")
        store = f"sqlite:///{Path(folder) / 'demo.db'}"
    typer.echo(f"loading the NYC example into {store}")
    try:
        with open_store(store) as opened:
            _load_into(opened, files, dry_run=False, verbose=False, report=None)
    except PartnermapError as exc:
        _fail(exc)
    serve(store=store, host=host, port=port)


if __name__ == "__main__":  # pragma: no cover
    app()
