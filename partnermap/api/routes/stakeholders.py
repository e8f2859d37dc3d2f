"""GET /api/stakeholders and GET /api/stakeholders/{id}.

To a key that masks people (viewers, partners) people are listed as the
groups of its view (:func:`partnermap.graph.scope.group_people`), one entry
of kind ``person`` per group, never one by one; ``total`` counts the entries
listed, so a group counts once whatever its size.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from partnermap.api.deps import AnalysisDep, CacheDep, StoreDep, masked, visible
from partnermap.api.schemas import (
    Relationship,
    StakeholderDetail,
    StakeholderOut,
    StakeholderPage,
)
from partnermap.graph.scope import Scope, is_group
from partnermap.graph.snapshot import Window
from partnermap.model import Stakeholder, StakeholderKind
from partnermap.privacy import event_counts, group_record
from partnermap.store.base import Store

router = APIRouter(prefix="/api/stakeholders", tags=["stakeholders"])


@router.get("", response_model=StakeholderPage)
def list_stakeholders(
    store: StoreDep,
    cache: CacheDep,
    kind: Annotated[StakeholderKind | None, Query(description="Only this kind.")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Part of the name, any case.")
    ] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> StakeholderPage:
    """Stakeholders ordered by name, filtered by kind and name, a page at a time."""
    if cache.scope.whole:
        items, total = store.list_stakeholders(kind=kind, search=q, offset=offset, limit=limit)
    else:
        items, total = _scoped_page(store, cache, kind, q, offset, limit)
    return StakeholderPage(
        total=total,
        offset=offset,
        limit=limit,
        items=[StakeholderOut.of(s) for s in items],
    )


@router.get("/{stakeholder_id:path}", response_model=StakeholderDetail)
def get_stakeholder(
    stakeholder_id: str, store: StoreDep, cache: CacheDep, analysis: AnalysisDep
) -> StakeholderDetail:
    """One stakeholder with its relationships in the window."""
    found = visible(store, cache, stakeholder_id)
    g = analysis.snapshot.relationships
    ties = []
    if stakeholder_id in g:
        others = set(g.successors(stakeholder_id)) | set(g.predecessors(stakeholder_id))
        for other in sorted(others, key=lambda o: (g.nodes[o]["name"], o)):
            out = g.edges[stakeholder_id, other] if g.has_edge(stakeholder_id, other) else {}
            inc = g.edges[other, stakeholder_id] if g.has_edge(other, stakeholder_id) else {}
            dates = [d for d in (out.get("first"), out.get("last"), inc.get("first"), inc.get("last")) if d]
            status = "mutual" if out and inc else ("one_way_out" if out else "one_way_in")
            ties.append(
                Relationship(
                    other={"id": other, "name": g.nodes[other]["name"], "kind": g.nodes[other]["kind"]},
                    outgoing=event_counts(out.get("counts", {}), out, inc),
                    incoming=event_counts(inc.get("counts", {}), out, inc),
                    first=min(dates) if dates else None,
                    last=max(dates) if dates else None,
                    status=status,
                )
            )
    base = StakeholderOut.of(found)
    return StakeholderDetail(**base.model_dump(), relationships=ties)


def _scoped_page(
    store: Store, cache: CacheDep, kind: StakeholderKind | None, q: str | None,
    offset: int, limit: int,
) -> tuple[list[Stakeholder], int]:
    """A page of the stakeholders in the key's scope, searched by the names the
    key sees (a person's kept name is never matched); people as groups when
    the key masks them."""
    whole = cache.get(store, Window())
    nodes = whole.snapshot.relationships.nodes
    ordered: list[tuple[str, str, str]] = whole.cached(
        "names_in_order",
        lambda: sorted(
            (str(data.get("name", n)).casefold(), n, str(data.get("kind", "")))
            for n, data in nodes(data=True)
        ),
    )
    wanted = (q or "").casefold()
    rows = [
        (name, n) for name, n, of in ordered
        if (kind is None or of == kind.value) and wanted in name
    ]
    scope = cache.scope
    page = [_record(store, scope, n, nodes[n]) for _, n in rows[offset:offset + limit]]
    return [s for s in page if s is not None], len(rows)


def _record(
    store: Store, scope: Scope, node: str, data: dict[str, Any]
) -> Stakeholder | None:
    """The stakeholder record of a node of the key's view: a group of people
    from the view itself, any other from the store (people masked)."""
    if scope.mask_people and is_group(node, data):
        return group_record(node, data)
    found = store.get_stakeholder(node)
    return masked(found) if found is not None and scope.mask_people else found
