"""Benchmark (not a test): 50 concurrent clients with viewer and partner keys
on the NYC example, with an import running meanwhile.

Run from the repository root:

    .venv/bin/python bench/bench_load.py [--clients 50] [--seconds 60]

It loads the NYC example into a fresh SQLite store, creates viewer keys and
partner keys (each bound to a school with partners), serves the app with
``partnermap serve`` (keys required) in a separate process, and runs the
clients in threads, each looping over a mix of API routes and pages for its
key with no pause between requests. Meanwhile a coordinator uploads a small
file every 10 s through POST /api/imports; each changes the store, so the
whole network and the viewers' view are analysed again (a partner's
neighbourhood that the upload leaves alone is carried to the new version).
Right after each upload the coordinator and a viewer ask for one of its
stakeholders: an answer without its new tie is counted as stale.

It prints requests, errors (any status but 200), p50 and p99 overall and per
route kind, the server's CPU time per request, how long each upload took, the
stale answers, and checks that every imported interaction is in the store
afterwards. Server and clients share the machine's cores, so the figures
depend on what else runs there.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50,
                        help="concurrent clients, half viewers and half partners")
    parser.add_argument("--seconds", type=float, default=60, help="how long they run")
    parser.add_argument("--port", type=int, default=8765, help="the server's port")
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
        _run(base, keys, coordinator, args, db, server.pid)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


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
         args: argparse.Namespace, db: Path, server_pid: int) -> None:
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
    took_imports: list[float] = []
    stale: list[str] = []
    viewer = keys["viewer"][0][0]

    def importer() -> None:
        with httpx.Client(base_url=base, headers={"X-API-Key": coordinator}, timeout=300) as http:
            n = 0
            while time.monotonic() < stop - 5:
                n += 1
                body = "source,target,type,date\n" + "".join(
                    f"bench-{n}-{i},bench-{n}-{i + 1},meeting,2017-0{1 + i % 9}-01\n"
                    for i in range(20))
                start = time.perf_counter()
                res = http.post("/api/imports", params={"filename": f"bench-{n}.csv",
                                                        "create_missing": "true"},
                                content=body.encode())
                took_imports.append(time.perf_counter() - start)
                if res.status_code != 200:
                    errors.append(f"{res.status_code} import {res.text[:200]}")
                else:
                    imported.append(f"bench-{n}")
                    stale.extend(_stale(http, f"bench-{n}-0", {"coordinator": coordinator,
                                                               "viewer": viewer}))
                time.sleep(10)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    threads.append(threading.Thread(target=importer))
    cpu_before = _cpu_seconds(server_pid)
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    _report(times, errors, elapsed, args)
    cpu = _cpu_seconds(server_pid) - cpu_before
    served = sum(len(ts) for ts in times.values())
    print(f"server CPU: {cpu:.1f} s ({cpu / elapsed:.0%} of one core, "
          f"{cpu * 1000 / max(served, 1):.0f} ms per request)")
    with open_store(str(db)) as store:
        lost = [tag for tag in imported if store.get_stakeholder(f"{tag}-0") is None
                or len(store.interactions_of(f"{tag}-0")) != 1]
    print(f"imports: {len(imported)} applied during the run, {len(lost)} lost, "
          f"{len(stale)} stale answers right after them; each took "
          + ", ".join(f"{t:.1f}" for t in took_imports) + " s")
    for line in stale[:10]:
        print("  stale:", line)


def _stale(http: httpx.Client, sid: str, keys: dict[str, str]) -> list[str]:
    """Who, asked right after an import, does not see its stakeholder's tie."""
    found = []
    for role, secret in keys.items():
        res = http.get(f"/api/stakeholders/{sid}", headers={"X-API-Key": secret})
        ties = res.json().get("relationships", []) if res.status_code == 200 else []
        if len(ties) != 1:
            found.append(f"{role} {sid}: {res.status_code}, {len(ties)} ties")
    return found


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
