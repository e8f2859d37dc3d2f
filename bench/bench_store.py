"""Benchmark (not a test): load and read back a synthetic network in each store.

Run from the repository root, with a Neo4j started by ``.ci/neo4j.sh`` with
heap enough for a million interactions in one transaction (about 4 GB of
transaction memory, which Neo4j caps at 70% of the heap):

    export PARTNERMAP_NEO4J_PASSWORD=...
    NEO4J_HEAP=8g NEO4J_PAGECACHE_MB=1536 bash .ci/neo4j.sh start
    bash .ci/neo4j.sh wait
    .venv/bin/python bench/bench_store.py --neo4j bolt://127.0.0.1:7687 \\
        [--stakeholders 20000] [--interactions 1000000] [--json FILE]

It prints, per store:

- load: applying the whole network as one batch (one transaction) to an empty
  store;
- reload: applying the same batch again (idempotent: nothing changes);
- read: a snapshot read, every stakeholder and every interaction
  (``iter_stakeholders`` and ``iter_interactions``);
- ratio: Neo4j's time over SQLite's.

The Neo4j database named by --neo4j is emptied first and after: point it at a
test server, never at one that holds data. Targets: 1,000,000 interactions
into Neo4j in under 3 minutes, and a snapshot read no more than 3 times
SQLite's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from partnermap.model import (
    ImportBatch,
    Interaction,
    InteractionType,
    Stakeholder,
    StakeholderKind,
)
from partnermap.store import open_store
from partnermap.store.base import Store

YEARS = ["2014-15", "2015-16", "2016-17", "2017-18", "2018-19"]


def synthetic(n_stakeholders: int, n_interactions: int, seed: int = 7) -> ImportBatch:
    """A reproducible network: a tenth schools, the rest partners of all kinds.

    Nine in ten interactions are dated over five school years; the rest carry
    only a school year. Partners mostly touch a few schools, so the relationship
    graph is far smaller than the event log, as in a real district.
    """
    rng = random.Random(seed)
    kinds = list(StakeholderKind)
    people = [
        Stakeholder(
            f"{i:06d}",
            f"Stakeholder {i}",
            StakeholderKind.SCHOOL if i % 10 == 0 else kinds[i % len(kinds)],
            {"enrollment": 300 + i % 900} if i % 10 == 0 else {},
        )
        for i in range(n_stakeholders)
    ]
    schools = [p.id for p in people if p.kind is StakeholderKind.SCHOOL]
    types = list(InteractionType)
    start = date(2014, 7, 1)
    events = []
    for n in range(n_interactions):
        partner = people[rng.randrange(n_stakeholders)].id
        school = schools[rng.randrange(len(schools))]
        source, target = (school, partner) if n % 2 else (partner, school)
        dated = n % 10 != 0
        events.append(
            Interaction(
                source,
                target,
                types[n % len(types)],
                date=start + timedelta(days=rng.randrange(5 * 365)) if dated else None,
                school_year=None if dated else YEARS[n % len(YEARS)],
                provenance=f"synthetic.csv row {n + 2}",
            )
        )
    return ImportBatch(stakeholders=people, interactions=events)


def timed(step: str, work, results: dict[str, float]):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    value = work()
    results[step] = time.perf_counter() - t
    print(f"  {step:<7} {results[step]:8.1f} s", flush=True)
    return value


def run(store: Store, batch: ImportBatch) -> dict[str, float]:
    """Load, reload and read one store; the seconds of each step."""
    out: dict[str, float] = {}
    loaded = timed("load", lambda: store.apply(batch), out)
    again = timed("reload", lambda: store.apply(batch), out)
    assert loaded.interactions_added == len({i.key for i in batch.interactions})
    assert not again.changed, "a second load of the same batch changed the store"

    def read() -> tuple[int, int]:
        people = list(store.iter_stakeholders())
        events = list(store.iter_interactions())
        return len(people), len(events)

    counts = timed("read", read, out)
    assert counts == (len(batch.stakeholders), loaded.interactions_added)
    return out


def empty_neo4j(url: str) -> None:
    """Delete everything, in batches (a million relationships at once would not fit)."""
    import neo4j

    auth = (
        os.environ.get("PARTNERMAP_NEO4J_USER") or "neo4j",
        os.environ["PARTNERMAP_NEO4J_PASSWORD"],
    )
    with (
        neo4j.GraphDatabase.driver(url, auth=auth) as driver,
        driver.session() as session,
    ):
        session.run(
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 50000 ROWS"
        ).consume()
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 50000 ROWS"
        ).consume()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stakeholders", type=int, default=20_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument(
        "--neo4j",
        default=os.environ.get("PARTNERMAP_TEST_NEO4J_URL"),
        help="Neo4j URL of a test server (emptied!); default PARTNERMAP_TEST_NEO4J_URL",
    )
    parser.add_argument(
        "--nyc",
        action="store_true",
        help="the NYC example instead of a synthetic network",
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    t = time.perf_counter()
    if args.nyc:
        from partnermap.loaders import load_files

        files = sorted(
            p for p in (ROOT / "examples" / "nyc").iterdir() if p.suffix != ".md"
        )
        batch, _ = load_files(files)
    else:
        batch = synthetic(args.stakeholders, args.interactions)
    print(
        f"{'NYC example' if args.nyc else 'synthetic network'}: "
        f"{len(batch.stakeholders):,} stakeholders, "
        f"{len(batch.interactions):,} interactions "
        f"({time.perf_counter() - t:.1f} s to read or build)"
    )
    figures: dict[str, dict[str, float]] = {}
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            print("sqlite")
            with open_store(f"sqlite:///{folder}/bench.db") as store:
                figures["sqlite"] = run(store, batch)
    if args.neo4j:
        print(f"neo4j {args.neo4j}")
        empty_neo4j(args.neo4j)
        try:
            with open_store(args.neo4j) as store:
                figures["neo4j"] = run(store, batch)
        finally:
            empty_neo4j(args.neo4j)
    else:
        print("neo4j skipped: give --neo4j or set PARTNERMAP_TEST_NEO4J_URL")

    if {"sqlite", "neo4j"} <= set(figures):
        print("neo4j / sqlite")
        for step in ("load", "reload", "read"):
            ratio = figures["neo4j"][step] / figures["sqlite"][step]
            print(f"  {step:<7} {ratio:8.1f} x")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "stakeholders": len(batch.stakeholders),
                    "interactions": len(batch.interactions),
                    "seconds": figures,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
