"""Coverage rules: parsing, hand-worked gaps, and the NYC schools with no business partner."""

from __future__ import annotations

import networkx as nx
import pytest

from partnermap.errors import InvalidInputError
from partnermap.graph.coverage import Rule, coverage_finding, parse_rules


def _graph() -> nx.DiGraph:
    # s1 lists biz (one-way); s2 meets pta (two-way); s3 has nothing;
    # prov runs a program at s2, and s2 shares data back with prov.
    g = nx.DiGraph()
    kinds = {"s1": "school", "s2": "school", "s3": "school", "biz": "business",
             "pta": "family_group", "prov": "afterschool_provider"}
    for n, k in kinds.items():
        g.add_node(n, kind=k, name=n.upper())
    g.add_edge("s1", "biz", counts={"partner_listed": 1})
    g.add_edge("s2", "pta", counts={"meeting": 1})
    g.add_edge("pta", "s2", counts={"meeting": 1})
    g.add_edge("prov", "s2", counts={"program_hosted": 1})
    g.add_edge("s2", "prov", counts={"program_hosted": 1, "data_shared": 2})
    return g


def test_default_rules_give_the_hand_worked_gaps() -> None:
    found = coverage_finding(_graph())
    gaps = {r["id"]: [x["who"]["id"] for x in r["gaps"]] for r in found["rules"]}
    assert gaps == {
        "business-partner": ["s2", "s3"],
        "family-two-way": ["s1", "s3"],
        "host-shares-data": [],
    }
    assert found["totals"] == {"business-partner": 2, "family-two-way": 2, "host-shares-data": 0}


def test_a_one_way_family_tie_does_not_meet_the_two_way_rule() -> None:
    g = _graph()
    g.remove_edge("pta", "s2")
    (rule,) = [r for r in coverage_finding(g)["rules"] if r["id"] == "family-two-way"]
    assert [x["who"]["id"] for x in rule["gaps"]] == ["s1", "s2", "s3"]


def test_user_rules_with_a_minimum() -> None:
    rules = parse_rules('[[rules]]\nid = "two"\napplies_to = ["school"]\n'
                        'partner_kinds = ["business", "family_group"]\nmin = 2\n')
    assert rules == (Rule("two", "two", ("school",), ("business", "family_group"), 2),)
    (rule,) = coverage_finding(_graph(), rules)["rules"]
    assert [(x["who"]["id"], x["has"]) for x in rule["gaps"]] == [("s1", 1), ("s2", 1), ("s3", 0)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules = [", "rules: not valid TOML"),
        ("x = 1", "rules: no [[rules]] tables"),
        ('[[rules]]\napplies_to = ["school"]\npartner_kinds = ["spaceship"]',
         "rules rule 1: partner_kinds must list kinds from"),
        ('[[rules]]\napplies_to = ["school"]\npartner_kinds = ["business"]\nminimum = 2',
         "rules rule 1: unknown key(s) ['minimum']"),
        ('[[rules]]\napplies_to = ["school"]\npartner_kinds = ["business"]\nmin = 0',
         "rules rule 1: min must be a whole number of at least 1"),
        ('[[rules]]\napplies_to = ["school"]\npartner_kinds = ["business"]\nback_types = ["x"]',
         "rules rule 1: back_types ['x'] unknown"),
        ('[[rules]]\napplies_to = ["school"]\npartner_kinds = ["business"]\ntwo_way = "no"',
         "rules rule 1: two_way must be true or false, unquoted (not 'no')"),
        ('[[rules]]\napplies_to = ["school"]\npartner_kinds = ["business"]\nmin = true',
         "rules rule 1: min must be a whole number of at least 1"),
        ("rules = [1]", "rules rule 1: write each rule as a [[rules]] table"),
        ('[[rules]]\napplies_to = ["school"]\npartner_kinds = [["business"]]',
         "rules rule 1: partner_kinds must list kinds from"),
        ('[[rules]]\napplies_to = [{x = 1}]\npartner_kinds = ["business"]',
         "rules rule 1: applies_to must list kinds from"),
        ('[[rules]]\napplies_to = "school"\npartner_kinds = ["business"]',
         "rules rule 1: applies_to must list kinds from"),
        ('[[rules]]\napplies_to = ["school"]\npartner_kinds = ["business"]\n'
         'back_types = [["x"]]', "rules rule 1: back_types ['(not a list of words)'] unknown"),
        ('[[rules]]\nid = ["a"]\napplies_to = ["school"]\npartner_kinds = ["business"]',
         'rules rule 1: id must be text in quotes (id = "...")'),
        ("a = " + "[" * 5000, "rules: nested too deeply to read"),
        ('[[rules]]\nid = "a"\napplies_to = ["school"]\npartner_kinds = ["business"]\n'
         '[[rules]]\nid = "a"\napplies_to = ["school"]\npartner_kinds = ["nonprofit"]',
         "rules: rule id(s) ['a'] used more than once"),
    ],
)
def test_bad_rules_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        parse_rules(text)
    assert str(err.value).startswith(message)


def test_nyc_schools_with_no_business_partner(nyc_graphs: dict[str, nx.DiGraph], nyc_batch) -> None:  # type: ignore[no-untyped-def]
    # Straight from the loader's records, without the graph: the schools that
    # never list (nor are listed by, nor run a program with) a business or a
    # financial institution, in either directory year.
    kind = {s.id: s.kind.value for s in nyc_batch.stakeholders}
    schools = {s for s, k in kind.items() if k == "school"}
    covered = set()
    for i in nyc_batch.interactions:
        for a, b in ((i.source, i.target), (i.target, i.source)):
            if kind.get(a) == "school" and kind.get(b) in ("business", "financial_institution"):
                covered.add(a)
    (rule,) = [r for r in coverage_finding(nyc_graphs["all"])["rules"] if r["id"] == "business-partner"]
    assert {x["who"]["id"] for x in rule["gaps"]} == schools - covered
    assert rule["checked"] == len(schools) == 437
    assert rule["broken"] == 211
    # In 2016-17 alone more schools lack one: a 2014-15 listing does not count.
    (later,) = [r for r in coverage_finding(nyc_graphs["2016-17"])["rules"] if r["id"] == "business-partner"]
    assert later["broken"] > rule["broken"]
