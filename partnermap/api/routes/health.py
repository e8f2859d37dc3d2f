"""GET /api/health."""

from __future__ import annotations

from fastapi import APIRouter

from partnermap.api.deps import CacheDep, StoreDep
from partnermap.api.schemas import Health
from partnermap.graph.scope import GROUP_KIND, PERSON, is_group, reach
from partnermap.graph.snapshot import Window
from partnermap.privacy import small_count

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", response_model=Health)
def health(store: StoreDep, cache: CacheDep) -> Health:
    """Whether the service and its store answer, with the totals the key may see."""
    store.ping()
    return Health(
        status="ok",
        store=store.url.split("://")[0],
        network=store.network,
        version=store.version(),
        counts=_counts(store, cache),
    )


def _counts(store: StoreDep, cache: CacheDep) -> dict[str, int | str]:
    """The store's totals; in a partner's scope, those of its neighbourhood
    (stakeholders and relationships). To a key that masks people (viewers,
    partners), ``stakeholders`` counts what its list holds, a group of people
    once, ``kind:people_group`` the groups, and ``kind:person`` the people
    themselves, under 5 as "fewer than 5"."""
    scope = cache.scope
    if scope.whole:
        return dict(store.counts())
    g = cache.get(store, Window()).snapshot.relationships
    if scope.center is None:
        counts: dict[str, int | str] = {**store.counts(), "stakeholders": len(g)}
    else:
        counts = {"stakeholders": len(g), "relationships": g.number_of_edges()}
        for _, kind in sorted(g.nodes(data="kind")):
            key = f"kind:{kind}"
            counts[key] = int(counts.get(key, 0)) + 1
    if scope.mask_people and "kind:person" in counts:
        counts["kind:person"] = small_count(_people(store, cache))
        counts[f"kind:{GROUP_KIND}"] = sum(1 for n, d in g.nodes(data=True) if is_group(n, d))
    return counts


def _people(store: StoreDep, cache: CacheDep) -> int:
    """How many people the key's scope holds (all time), before grouping."""
    whole = cache.cache.get(store, Window()).snapshot.relationships
    scope = cache.scope
    nodes = whole if scope.center is None else reach(whole, scope.center, scope.depth)
    return sum(1 for n in nodes if whole.nodes[n].get("kind") == PERSON)
