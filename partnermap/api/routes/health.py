"""GET /api/health."""

from __future__ import annotations

from fastapi import APIRouter

from partnermap.api.deps import CacheDep, StoreDep
from partnermap.api.schemas import Health
from partnermap.graph.scope import GROUP_KIND, is_group
from partnermap.graph.snapshot import Window
from partnermap.privacy import is_masked, small_count

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
    """The store's totals for a key that sees everything; for the others,
    those of the view they are given (stakeholders, relationships, kinds).

    To a key that masks people (viewers, partners), ``stakeholders`` counts
    what its list holds, a group of people once, ``kind:people_group`` the
    groups, and ``kind:person`` the people: exact when every group holds 5 or
    more, "fewer than 5" when its one group is smaller, and otherwise "at
    least N" (the sizes of the groups of 5 or more, plus one for each smaller
    group), since an exact total less the groups shown would give the small
    ones away. A viewer gets the number of ``interactions`` only where no tie
    touches a group of people (a total less the counts shown on ties would
    give the masked ones away); a partner never does."""
    scope = cache.scope
    if scope.whole:
        return dict(store.counts())
    g = cache.get(store, Window()).snapshot.relationships
    counts: dict[str, int | str] = {
        "stakeholders": len(g),
        "relationships": g.number_of_edges(),
    }
    if scope.center is None and not any(is_masked(d) for *_, d in g.edges(data=True)):
        counts["interactions"] = store.counts()["interactions"]
    for _, kind in sorted(g.nodes(data="kind")):
        key = f"kind:{kind}"
        counts[key] = int(counts.get(key, 0)) + 1
    if scope.mask_people and "kind:person" in counts:
        sizes = [d["attributes"]["people"] for n, d in g.nodes(data=True) if is_group(n, d)]
        counts["kind:person"] = people_total(sizes)
        counts[f"kind:{GROUP_KIND}"] = len(sizes)
    return counts


def people_total(sizes: list[int | str]) -> int | str:
    """The number of people in groups of the shown sizes, as a key that masks
    people may see it.

    >>> people_total([7, 12]), people_total(["fewer than 5"])
    (19, 'fewer than 5')
    >>> people_total([7, "fewer than 5", "fewer than 5"])
    'at least 9'
    """
    small = sum(1 for n in sizes if not isinstance(n, int))
    exact = sum(n for n in sizes if isinstance(n, int))
    if not small:
        return exact
    if small == 1 and not exact:
        return small_count(1)
    return f"at least {exact + small:,}"
