"""GET /api/health."""

from __future__ import annotations

from fastapi import APIRouter

from partnermap.api.deps import CacheDep, StoreDep
from partnermap.api.schemas import Health
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
        version=store.version(),
        counts=_counts(store, cache),
    )


def _counts(store: StoreDep, cache: CacheDep) -> dict[str, int | str]:
    """The store's totals; in a partner's scope, those of its neighbourhood
    (stakeholders and relationships); people under 5 as "fewer than 5" to any
    key that sees people masked."""
    scope = cache.scope
    if scope.center is None:
        counts: dict[str, int | str] = dict(store.counts())
    else:
        g = cache.get(store, Window()).snapshot.relationships
        counts = {"stakeholders": len(g), "relationships": g.number_of_edges()}
        for _, kind in sorted(g.nodes(data="kind")):
            key = f"kind:{kind}"
            counts[key] = int(counts.get(key, 0)) + 1
    if scope.mask_people and "kind:person" in counts:
        counts["kind:person"] = small_count(int(counts["kind:person"]))
    return counts
