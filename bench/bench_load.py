"""Benchmark (not a test): 50 concurrent clients with viewer and partner keys
on the NYC example, with an import running meanwhile.

Run from the repository root:

    .venv/bin/python bench/bench_load.py [--clients 50] [--seconds 60]

It loads the NYC example into a fresh SQLite store, creates viewer keys and
partner keys (each bound to a school with partners), serves the app with
``partnermap serve`` (keys required) in a separate process, and runs the
clients in threads, each looping over a mix of API routes and pages for its
key. Meanwhile a coordinator uploads a small file every 10 s through
POST /api/imports (each changes the store, so every cache is rebuilt). It
prints requests, errors (any status but 200), p50 and p99 per route kind, and
checks that every imported interaction is in the store afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from partnermap.access import Role, new_key
from partnermap.graph.snapshot import take_snapshot
from partnermap.loaders import load_files
from partnermap.store import open_store

NYC = ROOT / "examples" / "nyc"


def _prepare(db: Path, partners: int, viewers: int) -> tuple[dict[str, list[tuple[str, str]]], str]:
    batch, _ = load_files(sorted(p for p in NYC.iterdir() if p.suffix in {".csv", ".txt"}))
    keys: dict[str, list[tuple[str, str]]] = {"viewer": [], "partner": []}
    with open_store(str(db)) as store:
        store.apply(batch)
        g = take_snapshot(store).relationships
        schools = sorted(n for n, k in g.nodes(data="kind") if k == "school" and g.degree(n) > 2)
        for sid in random.Random(7).sample(schools, partners):
            record, secret = new_key(Role.PARTNER, sid)
            store.add_api_key(record)
            keys["partner"].append((secret, sid))
        for _ in range(viewers):
            record, secret = new_key(Role.VIEWER)
            store.add_api_key(record)
            keys["viewer"].append((secret, schools[0]))
        record, coordinator = new_key(Role.COORDINATOR)
        store.add_api_key(record)
    return keys, coordinator


def _paths(role: str, sid: str) -> list[tuple[str, str]]:
    return [
        ("health", "/api/health"),
        ("list", "/api/stakeholders?limit=50"),
        ("detail", f"/api/stakeholders/{sid}"),
        ("ego", f"/api/stakeholders/{sid}/network?depth=2"),
        ("findings", "/api/findings/one-way"),
        ("findings", "/api/findings/coverage"),
        ("page", f"/stakeholders/{sid}"),
        ("page", "/findings" if role == "viewer" else "/network"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="partnermap-bench-load-"))
    db = folder / "nyc.db"
    keys, coordinator = _prepare(db, partners=args.clients // 2, viewers=5)
    env = {**os.environ, "PARTNERMAP_AUTH_REQUIRED": "true"}
    server = subprocess.Popen(
        [sys.executable, "-m", "partnermap.cli", "serve", "--store", str(db),
         "--port", str(args.port)], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{args.port}"
    try:
        _wait(base)
        _run(base, keys, coordinator, args, folder, db)
    finally:
        server.terminate()
        server.wait()


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/login", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def _run(base: str, keys: dict[str, list[tuple[str, str]]], coordinator: str,
         args: argparse.Namespace, folder: Path, db: Path) -> None:
    times: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def client(n: int) -> None:
        role = "partner" if n % 2 else "viewer"
        pool = keys[role]
        secret, sid = pool[n // 2 % len(pool)]
        paths = _paths(role, sid)
        rng = random.Random(n)
        with httpx.Client(base_url=base, headers={"X-API-Key": secret}, timeout=120) as http:
            while time.monotonic() < stop:
                kind, path = rng.choice(paths)
                start = time.perf_counter()
                res = http.get(path)
                took = time.perf_counter() - start
                with lock:
                    times.setdefault(f"{role} {kind}", []).append(took)
                    if res.status_code != 200:
                        errors.append(f"{res.status_code} {role} {path}")

    imported: list[str] = []

    def importer() -> None:
        with httpx.Client(base_url=base, headers={"X-API-Key": coordinator}, timeout=300) as http:
            n = 0
            while time.monotonic() < stop - 5:
                n += 1
                body = "source,target,type,date\n" + "".join(
                    f"bench-{n}-{i},bench-{n}-{i + 1},meeting,2017-0{1 + i % 9}-01\n"
                    for i in range(20))
                res = http.post("/api/imports", params={"filename": f"bench-{n}.csv",
                                                        "create_missing": "true"},
                                content=body.encode())
                if res.status_code != 200:
                    errors.append(f"{res.status_code} import {res.text[:200]}")
                else:
                    imported.append(f"bench-{n}")
                time.sleep(10)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    threads.append(threading.Thread(target=importer))
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    _report(times, errors, elapsed, args)
    with open_store(str(db)) as store:
        lost = [tag for tag in imported if store.get_stakeholder(f"{tag}-0") is None
                or len(store.interactions_of(f"{tag}-0")) != 1]
    print(f"imports: {len(imported)} applied during the run, {len(lost)} lost")


def _report(times: dict[str, list[float]], errors: list[str], elapsed: float,
            args: argparse.Namespace) -> None:
    every = sorted(t for ts in times.values() for t in ts)
    print(f"{args.clients} clients, {elapsed:.0f} s: {len(every):,} requests "
          f"({len(every) / elapsed:.1f}/s), {len(errors)} errors")
    print(f"all: p50 {_pct(every, 50) * 1000:.0f} ms, p99 {_pct(every, 99) * 1000:.0f} ms")
    for name, ts in sorted(times.items()):
        ts.sort()
        print(f"  {name:20} n={len(ts):5}  p50 {_pct(ts, 50) * 1000:7.0f} ms  "
              f"p99 {_pct(ts, 99) * 1000:7.0f} ms  mean {statistics.fmean(ts) * 1000:7.0f} ms")
    for line in sorted(set(errors))[:10]:
        print("  error:", line)


def _pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100))]


if __name__ == "__main__":
    main()
