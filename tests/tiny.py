"""A tiny hand-drawn partnership graph shared by the tests.

The graph used throughout (arrows are flows):

    school-1 <-> family-1          a meeting: mutual
    school-1  -> nonprofit-1       information sent three times: one-way,
                                   parallel events on one pair
    school-1  -> nonprofit-1       ... and a listing, also one-way
    club-1   <-> club-2            an agreement: an isolated group of two
    club-2    -> club-2            a self-loop: never one-way
    loner                          no interaction at all: isolated stakeholder
    self-only -> self-only         only a self-loop: an isolated group of one
"""

from __future__ import annotations

from datetime import date

from partnermap.model import ImportBatch, Interaction, Stakeholder
from partnermap.model import InteractionType as T
from partnermap.model import StakeholderKind as K

PEOPLE = [
    Stakeholder("school-1", "Lincoln High", K.SCHOOL),
    Stakeholder("family-1", "Lincoln PTA", K.FAMILY_GROUP),
    Stakeholder("nonprofit-1", "Reading Partners", K.NONPROFIT),
    Stakeholder("club-1", "Chess Club", K.COMMUNITY_ORGANIZATION),
    Stakeholder("club-2", "Go Club", K.COMMUNITY_ORGANIZATION),
    Stakeholder("loner", "Lonely Org", K.BUSINESS),
    Stakeholder("self-only", "Self Talker", K.OTHER),
]
EVENTS = [
    Interaction("school-1", "family-1", T.MEETING, date(2024, 9, 1)),
    Interaction("school-1", "nonprofit-1", T.INFORMATION_SENT, date(2024, 9, 2), provenance="r1"),
    Interaction("school-1", "nonprofit-1", T.INFORMATION_SENT, date(2024, 10, 2), provenance="r2"),
    Interaction("school-1", "nonprofit-1", T.INFORMATION_SENT, date(2024, 11, 2), provenance="r3"),
    Interaction("school-1", "nonprofit-1", T.PARTNER_LISTED, school_year="2024-25"),
    Interaction("club-1", "club-2", T.AGREEMENT, date(2023, 1, 5)),
    Interaction("club-2", "club-2", T.MEETING, date(2023, 2, 5)),
    Interaction("self-only", "self-only", T.INFORMATION_SENT, date(2023, 2, 5)),
]


def batch() -> ImportBatch:
    """The tiny graph as an import batch."""
    return ImportBatch(stakeholders=list(PEOPLE), interactions=list(EVENTS))
