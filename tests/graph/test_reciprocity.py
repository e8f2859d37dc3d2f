"""Tie balance: one-way, lopsided, balanced and unknown, on hand-worked graphs."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from partnermap.graph.findings import one_way_finding
from partnermap.graph.reciprocity import reporters, tie_balances
from partnermap.graph.snapshot import relationship_graph
from partnermap.model import Interaction, Stakeholder
from partnermap.model import InteractionType as T
from partnermap.model import StakeholderKind as K


def _graph() -> nx.DiGraph:
    # school -> pta: 8 newsletters, pta -> school: 2 feedback  => share 8/10 = 0.8
    # school -> club: 1 newsletter, club -> school: 1 feedback => share 0.5
    # school -> biz: 2 newsletters; biz reports elsewhere (biz -> club data) => one_way
    # school -> quiet: 1 newsletter; quiet never sends anything => unknown, never_reported
    # school -> listed: a listing only (unconfirmed) => unknown, unconfirmed_claim
    # biz -> club: 1 data shared; club -> biz nothing; club reports => one_way
    people = [Stakeholder(i, i.title(), K.OTHER) for i in
              ("school", "pta", "club", "biz", "quiet", "listed")]
    ev = [Interaction("school", "pta", T.INFORMATION_SENT, provenance=str(i)) for i in range(8)]
    ev += [Interaction("pta", "school", T.FEEDBACK_GIVEN, provenance=str(i)) for i in range(2)]
    ev += [Interaction("school", "club", T.INFORMATION_SENT),
           Interaction("club", "school", T.FEEDBACK_GIVEN)]
    ev += [Interaction("school", "biz", T.INFORMATION_SENT, provenance=str(i)) for i in range(2)]
    ev += [Interaction("school", "quiet", T.INFORMATION_SENT),
           Interaction("school", "listed", T.PARTNER_LISTED, school_year="2014-15"),
           Interaction("biz", "club", T.DATA_SHARED)]
    return relationship_graph(people, ev)


def test_tie_balances_classify_each_pair() -> None:
    got = {(t.source, t.target): (t.status, t.reason) for t in tie_balances(_graph())}
    assert got == {
        ("school", "pta"): ("lopsided", "few_flows_back"),
        ("club", "school"): ("balanced", ""),  # a tie on events: the smaller id sends
        ("school", "biz"): ("one_way", "no_flow_back"),
        ("school", "quiet"): ("unknown", "never_reported"),
        ("school", "listed"): ("unknown", "unconfirmed_claim"),
        ("biz", "club"): ("one_way", "no_flow_back"),
    }


def test_threshold_moves_the_lopsided_line() -> None:
    # 0.8 share is lopsided at 0.8, balanced at 0.81.
    statuses = {(t.source, t.target): t.status for t in tie_balances(_graph(), threshold=0.81)}
    assert statuses["school", "pta"] == "balanced"


def test_reporters_of_another_period_make_silence_one_way() -> None:
    # quiet reported in another period: its silence here is one-way, not unknown.
    got = {(t.source, t.target): t.status
           for t in tie_balances(_graph(), known=reporters(_graph()) | {"quiet"})}
    assert got["school", "quiet"] == "one_way"


def test_by_channel_counts_information_out_and_feedback_back() -> None:
    (pta,) = [t for t in tie_balances(_graph()) if t.target == "pta"]
    assert (pta.out_by_channel, pta.back_by_channel) == ({"information": 8}, {"feedback": 2})


@pytest.mark.parametrize("bad", [0.49, 1.01])
def test_threshold_out_of_range_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="is not between 0.5 and 1"):
        tie_balances(_graph(), threshold=bad)


def test_one_way_finding_adds_status_and_balance() -> None:
    found = one_way_finding(_graph())
    assert {(r["source"]["id"], r["target"]["id"]): r["status"] for r in found["relationships"]} == {
        ("school", "biz"): "one_way", ("school", "quiet"): "unknown",
        ("school", "listed"): "unknown", ("biz", "club"): "one_way"}
    assert found["balance"]["pairs"] == {"balanced": 1, "lopsided": 1, "one_way": 2, "unknown": 2}
    assert found["balance"]["unknown_reasons"] == {"never_reported": 1, "unconfirmed_claim": 1}
    # information without feedback back: school->biz, school->quiet (listing counts as information)
    # school->listed; pta and club gave feedback.
    assert found["balance"]["information_without_feedback"] == 3


def test_nyc_listings_are_unknown_not_one_way(nyc_graphs: dict[str, nx.DiGraph], nyc_batch) -> None:  # type: ignore[no-untyped-def]
    # Worked from the loader's records: every directory listing is a school's
    # unconfirmed claim about a partner that never sends anything, so each
    # listed pair with no program run between them is unknown. DYCD programs
    # flow both ways (a meeting-like tie), so those pairs are balanced.
    listed = {frozenset((i.source, i.target)) for i in nyc_batch.interactions
              if i.type is T.PARTNER_LISTED and i.source != i.target}
    hosted = {frozenset((i.source, i.target)) for i in nyc_batch.interactions
              if i.type is T.PROGRAM_HOSTED and i.source != i.target}
    got = Counter(t.status for t in tie_balances(nyc_graphs["all"]))
    assert got == {"unknown": len(listed - hosted), "balanced": len(hosted)}
