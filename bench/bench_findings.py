"""Benchmark (not a test): every finding on a synthetic district.

Run from the repository root:

    .venv/bin/python bench/bench_findings.py                 # 20,000 / 1,000,000
    .venv/bin/python bench/bench_findings.py --stakeholders 5000 --interactions 200000
    .venv/bin/python bench/bench_findings.py --store          # through SQLite and the API

It prints the seconds to build the relationship graph, to compute each
finding the first time, and to answer every finding again from the cached
analysis, plus the peak resident memory. Without ``--store`` the interactions
stream straight into :func:`relationship_graph` (what a snapshot does after
reading the store); with it they are written to a SQLite store first (not
timed) and the first and repeated requests go through the API.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from partnermap.graph.cache import Analysis
from partnermap.graph.reciprocity import reporters
from partnermap.graph.report import KINDS, Params, cache_key, finding
from partnermap.graph.snapshot import Snapshot, Window, relationship_graph
from partnermap.model import Interaction, InteractionType, Stakeholder, StakeholderKind

K = StakeholderKind
T = InteractionType
MIX = [(K.SCHOOL, 0.08), (K.FAMILY_GROUP, 0.12), (K.COMMUNITY_ORGANIZATION, 0.2),
       (K.AFTERSCHOOL_PROVIDER, 0.1), (K.BUSINESS, 0.15), (K.NONPROFIT, 0.15),
       (K.HIGHER_EDUCATION, 0.05), (K.HEALTH_PROVIDER, 0.05), (K.CULTURAL_ORGANIZATION, 0.1)]
TYPES = [(T.INFORMATION_SENT, 0.35), (T.MEETING, 0.2), (T.FEEDBACK_GIVEN, 0.1),
         (T.DATA_SHARED, 0.08), (T.RESOURCES_SHARED, 0.07), (T.VOLUNTEERING, 0.08),
         (T.JOINT_PLANNING, 0.05), (T.AGREEMENT, 0.02), (T.PARTNER_LISTED, 0.05)]


def district(n: int, seed: int = 0) -> tuple[list[Stakeholder], list[tuple[str, str]]]:
    """Stakeholders (schools with coordinates and need) and the pairs that interact."""
    rng = random.Random(seed)
    people, schools = [], []
    for i in range(n):
        kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
        attrs = {}
        if kind is K.SCHOOL:
            attrs = {"latitude": 40.5 + rng.random() / 2, "longitude": -74.2 + rng.random() / 2,
                     "frl_percent": round(rng.uniform(20, 98), 1),
                     "ell_percent": round(rng.uniform(0, 40), 1),
                     "borough": rng.choice(["A", "B", "C", "D", "E"])}
        people.append(Stakeholder(f"s{i:06d}", f"Stakeholder {i}", kind, attrs))
        if kind is K.SCHOOL:
            schools.append(people[-1].id)
    pairs = set()
    weights = [1 / (r + 1) ** 0.8 for r in range(len(schools))]  # a few busy schools
    for person in people:
        ties = 1 + int(rng.expovariate(1 / 3))
        for school in rng.choices(schools, weights, k=ties):
            if school != person.id:
                pairs.add((person.id, school))
    for _ in range(n // 10):  # some ties between partners
        a, b = rng.sample(people, 2)
        pairs.add((a.id, b.id))
    return people, sorted(pairs)


def interactions(pairs: list[tuple[str, str]], m: int, seed: int = 1) -> Iterator[Interaction]:
    """``m`` interactions on the pairs, over three school years."""
    rng = random.Random(seed)
    types, weights = [t for t, _ in TYPES], [w for _, w in TYPES]
    start = date(2021, 7, 1)
    for i in range(m):
        a, b = pairs[rng.randrange(len(pairs))]
        if rng.random() < 0.5:
            a, b = b, a
        kind = rng.choices(types, weights)[0]
        yield Interaction(a, b, kind, start + timedelta(days=rng.randrange(1095)), provenance=str(i))


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_memory(people: list[Stakeholder], pairs: list[tuple[str, str]], m: int) -> None:
    t0 = time.perf_counter()
    g = relationship_graph(people, interactions(pairs, m))
    build = time.perf_counter() - t0
    print(f"relationship graph: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} "
          f"directed edges in {build:.1f} s")
    analysis = Analysis(Snapshot(g, 1, Window()), {})
    params = Params()
    t1 = time.perf_counter()
    known = reporters(g)
    for kind in KINDS:
        t = time.perf_counter()
        analysis.cached(cache_key(kind, params),
                        lambda k=kind: finding(k, g, params, known, analysis.extras))
        print(f"  {kind:<16} {time.perf_counter() - t:6.2f} s")
    first = time.perf_counter() - t1
    t2 = time.perf_counter()
    for kind in KINDS:
        analysis.cached(cache_key(kind, params), lambda k=kind: finding(k, g, params, known))
    again = time.perf_counter() - t2
    print(f"first computation: {build + first:.1f} s (graph {build:.1f} s + findings {first:.1f} s); "
          f"repeated, every finding: {again * 1000:.2f} ms; peak memory {peak_mib():,.0f} MiB")


def through_store(people: list[Stakeholder], pairs: list[tuple[str, str]], m: int) -> None:
    from fastapi.testclient import TestClient

    from partnermap.access import Role, new_key
    from partnermap.api.app import create_app
    from partnermap.model import ImportBatch
    from partnermap.store import open_store

    folder = tempfile.mkdtemp(prefix="bench-findings-")
    url = f"sqlite:///{folder}/bench.db"
    t = time.perf_counter()
    with open_store(url) as store:
        store.apply(ImportBatch(stakeholders=people, interactions=list(interactions(pairs, m))))
        # A coordinator sees the whole network unmasked: the unscoped analysis.
        record, secret = new_key(Role.COORDINATOR)
        store.add_api_key(record)
    print(f"store written (not part of the target) in {time.perf_counter() - t:.1f} s")
    with TestClient(create_app(url), headers={"X-API-Key": secret}) as client:
        t = time.perf_counter()
        for kind in KINDS:  # the first one also reads the store into a snapshot
            tk = time.perf_counter()
            assert client.get(f"/api/findings/{kind.replace('_', '-')}").status_code == 200
            print(f"  {kind:<16} {time.perf_counter() - tk:6.2f} s")
        first = time.perf_counter() - t
        t = time.perf_counter()
        for kind in KINDS:
            client.get(f"/api/findings/{kind.replace('_', '-')}")
        again = time.perf_counter() - t
    print(f"API first request for every finding: {first:.1f} s; repeated: {again * 1000:.0f} ms "
          f"in all ({again * 1000 / len(KINDS):.0f} ms each); peak memory {peak_mib():,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stakeholders", type=int, default=20_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--store", action="store_true", help="go through SQLite and the API")
    args = parser.parse_args()
    people, pairs = district(args.stakeholders)
    print(f"synthetic district: {len(people):,} stakeholders, {len(pairs):,} tied pairs, "
          f"{args.interactions:,} interactions")
    (through_store if args.store else in_memory)(people, pairs, args.interactions)


if __name__ == "__main__":
    main()
