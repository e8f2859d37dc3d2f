"""Export, then load into an empty store: the same store, for every format."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from partnermap.export import WRITERS, export_store
from partnermap.loaders import load_files
from partnermap.model import (
    Direction,
    ImportBatch,
    Interaction,
    InteractionType,
    Stakeholder,
    StakeholderKind,
)
from partnermap.store import Store, open_store

# Kumu reads an empty cell as no value, so an empty source comes back as the
# row the element was read from; every other format keeps it empty.
EMPTY_SOURCE_LOST = {"kumu"}
SUFFIX = {
    "tidy": "",
    "kumu": ".xlsx",
    "gexf": ".gexf",
    "graphml": ".graphml",
    "json": ".json",
}


def rich_batch() -> ImportBatch:
    """Awkward on purpose: zeros, unicode, typed and nested attributes, clashes."""
    people = [
        Stakeholder(
            "00123",
            "Lincoln High",
            StakeholderKind.SCHOOL,
            {
                "enrollment": 1204,
                "frl_share": 0.71,
                "zip": "02134",
                "charter": False,
                "grades": ["09", "10"],
                "kind": "clash",
                "latitude": 40.7128,
            },
            "stakeholders.csv row 2",
        ),
        Stakeholder(
            "pta",
            "Lincoln PTA, Inc.",
            StakeholderKind.FAMILY_GROUP,
            {"tags": ["families", "español"], "enrollment": 12},
            "a.xlsx [S] row 3",
        ),
        Stakeholder(
            "rp",
            "Reading Partners « NYC »",
            StakeholderKind.NONPROFIT,
            {"mixed": 5, "note": "NA"},
            "gephi.csv row 4",
        ),
        Stakeholder("x", "None", StakeholderKind.OTHER, {"mixed": "five"}, "x row 1"),
        # DYCD site ids hold a "|", which Kumu reads as a separator in From/To.
        Stakeholder(
            "site:ps-205|11226", "P.S. 205", StakeholderKind.PROGRAM_SITE, {}, "d row 3"
        ),
        Stakeholder("api", "Added by hand", StakeholderKind.PERSON, {}, ""),
    ]
    events = [
        Interaction(
            "00123",
            "pta",
            InteractionType.MEETING,
            date(2024, 9, 1),
            provenance="events.csv row 2",
            attributes={"event": "Open house"},
        ),
        Interaction(
            "00123",
            "rp",
            InteractionType.INFORMATION_SENT,
            date(2024, 9, 2),
            provenance="events.csv row 3",
            attributes={"weight": 2.5, "channel": "email"},
        ),
        Interaction(
            "rp",
            "00123",
            InteractionType.PARTNER_LISTED,
            school_year="2014-15",
            provenance="dir.csv row 9",
        ),
        Interaction(
            "pta",
            "rp",
            InteractionType.AGREEMENT,
            None,
            direction=Direction.ONE_WAY,
            confirmed=False,
            provenance="mou.csv row 2",
            attributes={"terms": {"years": 2}, "type": "clash"},
        ),
        Interaction(
            "x",
            "rp",
            InteractionType.MEETING,
            date(2024, 9, 1),
            provenance="events.csv row 2",
            attributes={"event": "Open house"},
        ),
        Interaction(
            "rp",
            "site:ps-205|11226",
            InteractionType.PROGRAM_HOSTED,
            school_year="2015-16",
            provenance="d row 3",
            attributes={"program": "SONYC"},
        ),
    ]
    return ImportBatch(people, events)


def everything(store: Store) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Every stakeholder and interaction as plain data, in a stable order."""
    people = sorted(
        (s.to_dict() for s in store.iter_stakeholders()), key=lambda d: str(d["id"])
    )
    events = sorted(
        (i.to_dict() for i in store.iter_interactions()), key=lambda d: str(d["key"])
    )
    return people, events


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_export_then_load_gives_the_same_store(tmp_path: Path, fmt: str) -> None:
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as first:
        first.apply(rich_batch())
        expected = everything(first)
        written = export_store(first, tmp_path / f"out{SUFFIX[fmt]}", fmt)
    batch, _ = load_files(written)
    with open_store(f"sqlite:///{tmp_path / 'b.db'}") as second:
        second.apply(batch)
        people, events = everything(second)
    if fmt in EMPTY_SOURCE_LOST:
        hand = next(p for p in people if p["id"] == "api")
        assert hand["source"] == "out.xlsx [Elements] row 3"
        hand["source"] = ""
    assert (people, events) == expected


# A Kumu workbook is left out: Excel keeps 15 significant digits, so a
# coordinate such as 40.72978268700047 comes back 40.729782687000466.
@pytest.mark.parametrize("fmt", sorted(set(WRITERS) - {"kumu"}))
def test_the_nyc_store_reloads_its_own_export_unchanged(
    tmp_path: Path, nyc_store_url: str, fmt: str
) -> None:
    # Whole numbers stay ints through every format (a survey score of "8.0"
    # is stored as 8), so loading an export back changes nothing at all.
    with open_store(nyc_store_url) as store:
        written = export_store(store, tmp_path / f"nyc{SUFFIX[fmt]}", fmt)
        batch, _ = load_files(written)
        result = store.apply(batch, dry_run=True)
    assert (result.stakeholders_added, result.stakeholders_updated,
            result.attributes_updated) == (0, 0, 0)
    assert result.interactions_added == 0
