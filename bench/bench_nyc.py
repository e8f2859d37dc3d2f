"""Benchmark (not a test): load, analyze and render the NYC example.

Run from the repository root:

    .venv/bin/python bench/bench_nyc.py [--repeat 3]

It prints, as medians over the repeats:

- load: reading every file of examples/nyc and applying the batch to a fresh
  SQLite store;
- analyze: a snapshot of the store and every finding;
- network: the server-side layout and the /network HTML;
- demo: from starting ``partnermap demo`` to the first 200 from /network.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from partnermap.graph.findings import analyze  # noqa: E402
from partnermap.graph.snapshot import take_snapshot  # noqa: E402
from partnermap.loaders import load_files  # noqa: E402
from partnermap.store import open_store  # noqa: E402
from partnermap.viz.layout import positions  # noqa: E402
from partnermap.viz.network import render_network  # noqa: E402

FILES = sorted(p for p in (ROOT / "examples" / "nyc").iterdir() if p.suffix in {".csv", ".txt"})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def once(folder: Path) -> dict[str, float]:
    """One run of every step in a fresh store."""
    out: dict[str, float] = {}
    url = f"sqlite:///{folder / 'bench.db'}"
    t = time.perf_counter()
    with open_store(url) as store:
        batch, _ = load_files(FILES, store_stakeholders=store.iter_stakeholders)
        store.apply(batch)
        out["load"] = time.perf_counter() - t

        t = time.perf_counter()
        snap = take_snapshot(store)
        found = analyze(snap.relationships)
        out["analyze"] = time.perf_counter() - t

    t = time.perf_counter()
    g = snap.relationships
    one_way = {(r["source"]["id"], r["target"]["id"]) for r in found["one_way"]["relationships"]}
    isolated = {m["id"] for gr in found["isolated_groups"]["groups"] for m in gr["members"]}
    html = render_network(g, one_way=one_way, isolated=isolated, positions=positions(g), title="bench")
    out["network"] = time.perf_counter() - t
    out["network_kib"] = len(html.encode()) / 1024
    out["nodes"] = g.number_of_nodes()
    out["edges"] = g.number_of_edges()
    return out


def demo_to_page() -> float:
    """Seconds from starting ``partnermap demo`` to a served /network page."""
    port = _free_port()
    exe = Path(sys.executable).with_name("partnermap")
    t = time.perf_counter()
    proc = subprocess.Popen(
        [str(exe), "demo", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/network", timeout=60) as r:
                    if r.status == 200:
                        r.read()
                        return time.perf_counter() - t
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("partnermap demo exited early") from None
                time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            runs.append(once(Path(folder)))
    demo = [demo_to_page() for _ in range(args.repeat)]
    print(f"NYC example: {runs[0]['nodes']:,.0f} stakeholders, {runs[0]['edges']:,.0f} directed ties")
    for step in ("load", "analyze", "network"):
        print(f"{step:>8}: {statistics.median(r[step] for r in runs):6.2f} s")
    print(f"    page: {runs[0]['network_kib']:,.0f} KiB of HTML")
    print(f"    demo: {statistics.median(demo):6.2f} s from `partnermap demo` to a served /network")


if __name__ == "__main__":
    main()
