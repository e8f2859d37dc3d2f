"""A deterministic graph shaped like the whole NYC example, for timing checks.

About 870 schools and sites, 5,000 partners and 620 after-school providers:
each school lists a handful of partners (a few partners are listed by many
schools, most by one), and each provider runs programs at sites, some of
which are schools. Names and ids are made up.
"""

from __future__ import annotations

import random

import networkx as nx

LISTED = {
    "counts": {"partner_listed": 1},
    "events": 1,
    "first": "2014-07-01",
    "last": "2014-07-01",
    "intensity": 1,
    "confirmed": False,
}
HOSTED = {
    "counts": {"program_hosted": 1},
    "events": 1,
    "first": None,
    "last": None,
    "intensity": 3,
    "confirmed": True,
}
PARTNER_KINDS = [
    "community_organization",
    "nonprofit",
    "cultural_organization",
    "higher_education",
    "business",
    "health_provider",
    "other",
]


def nyc_shaped(seed: int = 0) -> nx.DiGraph:
    """The synthetic graph: ~6,500 nodes and ~15,000 directed edges."""
    rng = random.Random(seed)
    g = nx.DiGraph()
    schools = [f"s{i:03d}" for i in range(870)]
    partners = [f"p{i:04d}" for i in range(5000)]
    providers = [f"a{i:03d}" for i in range(623)]
    for s in schools:
        g.add_node(s, name=f"School {s}", kind="school", attributes={})
    for p in partners:
        g.add_node(
            p, name=f"Partner {p}", kind=rng.choice(PARTNER_KINDS), attributes={}
        )
    for a in providers:
        g.add_node(a, name=f"Provider {a}", kind="afterschool_provider", attributes={})

    # Popular partners are listed by many schools, the rest by one or two.
    weights = [1.0 / (1 + i) ** 0.9 for i in range(len(partners))]
    for s in schools:
        for p in set(rng.choices(partners, weights=weights, k=rng.randint(2, 14))):
            g.add_edge(s, p, **LISTED)
    for p in partners:
        if g.degree(p) == 0:
            g.add_edge(rng.choice(schools), p, **LISTED)

    # Providers run programs at sites: half of the time at a school.
    sites = 0
    for a in providers:
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.5:
                site = rng.choice(schools)
            else:
                site = f"site{sites:04d}"
                sites += 1
                g.add_node(
                    site, name=f"Site {site}", kind="program_site", attributes={}
                )
            g.add_edge(a, site, **HOSTED)
            g.add_edge(site, a, **HOSTED)
    return g
