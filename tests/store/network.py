"""A small hand-drawn partnership network that both store test modules use."""

from __future__ import annotations

from datetime import date

from partnermap.model import (
    ImportBatch,
    Interaction,
    InteractionType,
    Stakeholder,
    StakeholderKind,
)
from partnermap.store.base import Store

SCHOOL = StakeholderKind.SCHOOL

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    'O\'Brien "Quoted" Academy',
    "'); MATCH (n) DETACH DELETE n; //",
    "Robert'); DROP TABLE stakeholders;--",
    "back\\slash 100% _under_",
]
UNICODE = ["Escuela Pública Nº 5", "학교 🏫", "Ελληνικό Σχολείο", "Zoë's Café"]


def people() -> list[Stakeholder]:
    return [
        Stakeholder(
            "00123",
            "Lincoln High",
            SCHOOL,
            {"borough": "Bronx", "enrollment": 1200},
            "schools.csv row 2",
        ),
        Stakeholder("00124", "lincoln Elementary", SCHOOL, {}, "schools.csv row 3"),
        Stakeholder("F1", "Parents United", StakeholderKind.FAMILY_GROUP),
        Stakeholder("B7", "Acme Corp", StakeholderKind.BUSINESS, {"sector": "retail"}),
        Stakeholder("C1", "Bronx Arts", StakeholderKind.CULTURAL_ORGANIZATION),
    ]


def events() -> list[Interaction]:
    return [
        Interaction(
            "00123",
            "B7",
            InteractionType.PARTNER_LISTED,
            school_year="2014-15",
            provenance="hs_directory.csv row 2",
        ),
        Interaction("B7", "00123", InteractionType.VOLUNTEERING, date(2015, 3, 10)),
        Interaction(
            "00123",
            "F1",
            InteractionType.INFORMATION_SENT,
            date(2016, 1, 5),
            provenance="newsletters.csv row 9",
            attributes={"channel": "email"},
        ),
        Interaction("F1", "00123", InteractionType.MEETING, date(2016, 2, 1)),
        Interaction("C1", "00124", InteractionType.PROGRAM_HOSTED),
    ]


def network() -> ImportBatch:
    return ImportBatch(stakeholders=people(), interactions=events())


def snapshot(store: Store) -> tuple[object, ...]:
    """Everything a reader can see, to compare before and after."""
    return (
        store.version(),
        store.counts(),
        [s.to_dict() for s in store.iter_stakeholders()],
        [i.to_dict() for i in store.iter_interactions()],
    )
