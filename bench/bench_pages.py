"""Benchmark (not a test): how fast a 5,000-node network view becomes interactive.

Run from the repository root (needs Debian's chromium and playwright):

    .venv/bin/python bench/bench_pages.py [--nodes 5000] [--repeat 3] [--script FILE]

It stores a synthetic NYC-shaped graph cut to ``--nodes`` stakeholders, serves
it with the real app (aggregation off, so every node is drawn), opens
/network in headless Chromium at 1366x768 and prints, as medians:

- served: navigation start to the last byte of the page; the first visit
  (snapshot, findings, brokers, layout) is reported apart, later ones are
  served from the cache of the store version;
- drawn: to vis-network's first frame;
- interactive: to the answer of a search typed right after the first frame
  (the details panel of the found stakeholder shown);
- click: from a click on one of its neighbours on the canvas, right after, to
  that neighbour's details shown.

Target: interactive under 5 s at 5,000 nodes. It also prints the default
aggregated NYC-sized view (all ~6,500 synthetic nodes, view_max_nodes 3000).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from partnermap.model import ImportBatch, Interaction, Stakeholder
from partnermap.model import InteractionType as T
from partnermap.model import StakeholderKind as K
from partnermap.settings import Settings
from partnermap.store import open_store
from tests.viz._browser import CHROMIUM, CHROMIUM_ARGS, LAPTOP, serve
from tests.viz.synthetic import nyc_shaped


def synthetic_store(folder: Path, nodes: int) -> str:
    """A store holding the synthetic graph cut to its first ``nodes`` nodes."""
    g = nyc_shaped()
    keep = list(g)[:nodes]
    g = g.subgraph(keep)
    batch = ImportBatch()
    batch.stakeholders.extend(Stakeholder(n, a["name"], K(a["kind"])) for n, a in g.nodes(data=True))
    for u, v, e in g.edges(data=True):
        if "partner_listed" in e["counts"]:
            batch.interactions.append(Interaction(u, v, T.PARTNER_LISTED))
        elif u < v:
            batch.interactions.append(Interaction(u, v, T.PROGRAM_HOSTED))
    url = f"sqlite:///{folder / f'bench-{nodes}.db'}"
    with open_store(url) as store:
        store.apply(batch)
    return url


def measure(browser: object, base: str, query: str, script: Path | None) -> dict[str, float]:
    context = browser.new_context(viewport=LAPTOP)  # type: ignore[attr-defined]
    if script is not None:
        body = script.read_text(encoding="utf-8")
        context.route("**/static/network.js", lambda r: r.fulfill(
            body=body, content_type="text/javascript"))
    page = context.new_page()
    page.goto(f"{base}/network")
    page.wait_for_selector("body[data-drawn]", timeout=120_000)
    page.fill("#pm-search-input", query)
    page.keyboard.press("Enter")
    page.wait_for_selector("#pm-details:not([hidden])", timeout=60_000)
    served, drawn, now, nodes = page.evaluate(
        "[performance.getEntriesByType('navigation')[0].responseEnd, window.pmFirstDraw,"
        " performance.now(),"
        " JSON.parse(document.getElementById('pm-data').textContent).nodes.length]"
    )
    # A neighbour of the found node that a click there would hit, once the view
    # has stopped moving: where, and its name.
    x, y, name = page.evaluate(
        """async () => {
            const frame = () => new Promise(r => requestAnimationFrame(r));
            const view = () => JSON.stringify([pmNetwork.getViewPosition(), pmNetwork.getScale()]);
            for (let last = null; last !== view(); ) { last = view(); await frame(); await frame(); }
            const box = document.querySelector('#pm-network canvas').getBoundingClientRect();
            const nodes = JSON.parse(document.getElementById('pm-data').textContent).nodes;
            for (const b of document.querySelectorAll('#pm-details-neighbours button')) {
                const i = Number(b.getAttribute('data-node'));
                const at = pmNetwork.canvasToDOM(pmNetwork.getPosition(i));
                if (at.x > 40 && at.y > 40 && at.x < box.width - 40 && at.y < box.height - 60
                    && pmNetwork.getNodeAt(at) === i) {
                    return [box.left + at.x, box.top + at.y, nodes[i][1]];
                }
            }
            throw new Error('no neighbour in view to click');
        }"""
    )
    start = page.evaluate("performance.now()")
    page.mouse.click(x, y)
    page.wait_for_function(
        "name => document.getElementById('pm-details-name').textContent === name",
        arg=name, timeout=60_000,
    )
    clicked = page.evaluate("performance.now()") - start
    context.close()
    return {"served": served / 1000, "drawn": drawn / 1000, "interactive": now / 1000,
            "click": clicked / 1000, "nodes": nodes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--script", type=Path, default=None,
                        help="serve this file as network.js, to compare a change")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        cases = [
            (f"{args.nodes:,} nodes drawn whole", synthetic_store(Path(tmp), args.nodes),
             Settings(view_max_nodes=10**9, auth_required=False)),
            ("NYC-sized, aggregated (default)", synthetic_store(Path(tmp), 10**9),
             Settings(auth_required=False)),
        ]
        for label, url, settings in cases:
            runs = []
            with serve(url, settings) as base:
                for _ in range(args.repeat + 1):  # the first visit builds the page
                    runs.append(measure(browser, base, "School s00", args.script))
            first, runs = runs[0], runs[1:]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(f"{label}: {med['nodes']:,.0f} nodes shown; served {med['served']:.2f} s, "
                  f"first draw {med['drawn']:.2f} s, interactive {med['interactive']:.2f} s, "
                  f"click answered in {med['click']:.2f} s "
                  f"(first visit: served {first['served']:.2f} s, "
                  f"interactive {first['interactive']:.2f} s)")
        browser.close()


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - start:.0f} s")
