"""The DYCD after-school loader: providers, sites, and sites that are schools.

How the expected numbers were established:

- programs: 1,599 data rows, counted with the csv module (SOURCE.md says the
  same); every row is one program_hosted interaction.
- providers: 637 distinct AGENCY strings, 624 once surrounding spaces go,
  584 once the branch after " - " or "@" goes ("Police Athletic League,
  Inc. - Bronx"), 522 distinct name keys, 508 after the loader's spelling
  merges; the 76 merges were read one by one in the report ("merged provider
  'The Children's Aid Society' into 'The Childrens Aid Society'", ...).
- sites: 1,346 distinct (SITE NAME, Postcode) pairs in the raw file; the
  loader fills an empty Postcode from Location 1 and folds case and
  punctuation ("CURTIS HS" and "Curtis HS"), giving 1,319 sites, 78 of which
  are schools of the two directories.
- the 78 matches below were each checked by hand against the directories:
  same building or campus (distance given in the report) and the same school
  by name, number or code. Sites near a school but left as sites on purpose:
  "Medgar Evers College" (the college, not Medgar Evers College Preparatory
  School), "LaGuardia Community College" (two high schools there),
  "Lafayette HS" and "Marble Hill" (the International High Schools there
  are other schools), "Forestdale at Forest Hills Campus" (an agency),
  "LIC High School" (461 m from Long Island City High School, beyond the
  400 m limit).
"""

from __future__ import annotations

import ast
import re

from partnermap.loaders import dycd, load_files
from partnermap.loaders._school_names import name_agreement
from partnermap.model import InteractionType, StakeholderKind
from tests.loaders.conftest import DYCD, Loaded

MATCHES = {
    ("04M435 MANHATTAN CENTER FOR SC", "04M435"),
    ("ACADEMY FOR COLLEGE PREPARATION AND CAREER EXPLORATION: A CO", "17K382"),
    ("Academy of Amerian", "30Q575"),
    ("All City Leadership School", "32K554"),
    ("August Martin High School", "27Q400"),
    ("BRONX LAB SCHOOL", "11X265"),
    ("Bronx School for Law, Government & Justice - H.S. 505", "09X505"),
    ("Brooklyn Collegiate 1", "23K493"),
    ("Brooklyn Collegiate 2", "23K493"),
    ("C.I.S./H.S. 670 HEALTH OPPORTU", "07X670"),
    ("COMMUNITY SCHOOL FOR SOCIAL JUSTICE (X427)", "07X427"),
    ("Central Park East", "04M555"),
    ("Curtis HS", "31R450"),
    ("Eastside Community HS", "01M450"),
    ("Edward R. Murrow HS", "21K525"),
    ("Erasmus H.S. of Service Learning", "17K539"),
    ("FREDERICK DOUGLASS ACADEMY (M499)", "05M499"),
    ("Fannie Lou", "12X682"),
    ("Flushing High School - H.S. 460", "25Q460"),
    ("Fort Hamiltion HS", "20K490"),
    ("Fredrick Douglas Academy VI High School", "27Q260"),
    ("Green School", "14K454"),
    ("Gregorio Luperon HS", "06M552"),
    ("H.S. 305 PABLO NERUDA ACADEMY", "08X305"),
    ("H.S. 427 COMMUNITY SCHOOL FOR", "07X427"),
    ("H.S. 528 HIGH SCHOOL FOR GLOBA", "17K528"),
    ("HEALTH OPPORTUNITIES HIGH SCHOOL (X670)", "07X670"),
    ("HIGH SCHOOL OF COMPUTERS AND TECHNOLOGY (X275)", "11X275"),
    ("HS For Teaching Arts", "26Q566"),
    ("HS for Civil Rights", "19K504"),
    ("HS for Dual Languages", "02M545"),
    ("HS for Legal Studies", "14K477"),
    ("Harry S. Truman HS (X455)", "11X455"),
    ("Herbert H. Lehman High School - H.S. 405", "08X405"),
    ("High School for Dual Language and Asian Studies", "02M545"),
    ("High School for Global Citizenship", "17K528"),
    ("High School for Public Service", "17K546"),
    ("INTERNATIONAL HIGH SCHOOL AT PROSPECT HEIGHTS (K524)", "17K524"),
    ("International HS", "24Q530"),
    ("JHS 262 (Channel View)", "27Q262"),
    ("JHS 265", "13K265"),
    ("M.S. 223 M.S. 223 - THE LABORA", "07X223"),
    ("M.S. 223 M.S. 223 - THE LABORATORY", "07X223"),
    ("M.S. 368- IN-Tech Academy", "10X368"),
    ("M.S. 860 Frederick Douglass Academy II", "03M860"),
    ("M.S./H.S. 413 SCHOOL OF THE FU", "02M413"),
    ("MARIE CURIE HIGH SCHOOL", "10X237"),
    ("MOTT HAVEN VILLAGE PREPARATORY HIGH SCHOOL (X473)", "07X473"),
    ("Manhattan Center for Science and Mathematics", "04M435"),
    ("Marta Valle Secondary School", "01M509"),
    ("Marta Valley HS", "01M509"),
    ("Mott Haven Village Prep", "07X473"),
    ("Murray Bergtraum HS", "02M520"),
    ("Murry Bergtraum HS", "02M520"),
    ("NEW UTRECHT HIGH SCHOOL (K445)", "20K445"),
    ("P.S./H.S 80 MICHAEL J. PETRIDE", "31R080"),
    ("PERFORMING ARTS AND TECHNOLOGY HIGH SCHOOL (K507)", "19K507"),
    ("Pan American International High School (PAIHS)", "12X388"),
    ("Pathways College Preparatory School: A College Board School", "29Q259"),
    ("Port Richmond HS 1", "31R445"),
    ("Port Richmond HS 2", "31R445"),
    ("Progress HS", "14K474"),
    ("Public School 80 - The Michael J. Petrides School", "31R080"),
    ("RALPH J MCKEE CAREER TECHNICAL", "31R600"),
    ("Riverdale/Kingsbridge Academy (MS/HS 141)", "10X141"),
    ("School International Studies", "15K497"),
    ("School for Democracy and Leadership", "17K533"),
    ("School for Democracy", "17K533"),
    ("THE SCHOOL FOR HUMAN RIGHTS", "17K531"),
    ("THEATRE ARTS PRODUCTION COMPANY SCHOOL (X225)", "10X225"),
    ("THURGOOD MARSHALL ACADEMY FOR LEARNING AND SOCIAL CHANGE (M670)", "05M670"),
    ("The International High School @ Prospect Heights (K524)", "17K524"),
    ("The Urban Assembly School for Law and Justice", "13K483"),
    ("Tottenville HS", "31R455"),
    ("W. H. MAXWELL CAREER AND TECHNICAL EDUCATION HIGH SCHOOL (K6", "19K660"),
    ("Westinghouse", "13K605"),
    ("William Bryant HS", "30Q445"),
    ("Wings Academy", "12X684"),
}


_MATCHED = re.compile(r"matched site (.+) \((?:\d{5}|no postcode)\) to school (\w+) ")


def _matches(lines: list[str]) -> set[tuple[str, str]]:
    """(site name, school id) of every "matched site ..." report line."""
    found = (_MATCHED.match(line) for line in lines)
    return {(ast.literal_eval(m.group(1)), m.group(2)) for m in found if m}


def test_load_dycd_counts(nyc_import: Loaded) -> None:
    report = nyc_import.report(DYCD)
    assert report.format == "nyc-dycd-afterschool"
    assert report.counts == {
        "providers": 508,
        "sites": 1241,
        "sites matched to schools": 78,
        "programs": 1599,
    }
    assert report.merged == 76
    kinds = {s.id: s.kind for s in nyc_import.batch.stakeholders}
    providers = [k for k in kinds if k.startswith("provider:")]
    sites = [k for k in kinds if k.startswith("site:")]
    assert len(providers) == 508
    assert {kinds[p] for p in providers} == {StakeholderKind.AFTERSCHOOL_PROVIDER}
    assert len(sites) == 1241
    assert {kinds[s] for s in sites} == {StakeholderKind.PROGRAM_SITE}


def test_every_site_to_school_match(nyc_import: Loaded) -> None:
    assert _matches(nyc_import.report(DYCD).details) == MATCHES


def test_sample_provider_sites(nyc_import: Loaded) -> None:
    # Rows 141, 894, 922, 1177 and 1386 name "New York Center for
    # Interpersonal Development" (one with a trailing space) as AGENCY, at
    # RALPH J MCKEE CAREER TECHNICAL, Curtis HS (105 Hamiton Ave 10301),
    # Port Richmond HS 1, its own office (120 Stuyvesant Place 10301) and
    # CONCORD HIGH SCHOOL (109 Rhine Ave 10304, not in the directories).
    provider = "provider:new-york-center-for-interpersonal-development"
    targets = {i.target for i in nyc_import.batch.interactions if i.source == provider}
    assert targets == {
        "31R600",
        "31R450",
        "31R445",
        "site:new-york-center-for-interpersonal-development|10301",
        "site:concord-high-school|10304",
    }
    row = next(
        i
        for i in nyc_import.batch.interactions
        if i.provenance == "DYCD_after-school_programs.csv row 141"
    )
    assert (row.source, row.target, row.type) == (
        provider,
        "31R600",
        InteractionType.PROGRAM_HOSTED,
    )
    assert row.attributes == {
        "program": "Out of School Time",
        "program_type": "After-School Programs",
    }


def test_site_attributes(nyc_import: Loaded) -> None:
    site = next(
        s
        for s in nyc_import.batch.stakeholders
        if s.id == "site:concord-high-school|10304"
    )
    assert site.name == "CONCORD HIGH SCHOOL"
    assert site.attributes == {
        "borough": "Staten Island",
        "postcode": "10304",
        "address": "109 Rhine Ave",
        "latitude": 40.610868,  # the Latitude and Longitude columns
        "longitude": -74.087379,
    }


def test_without_known_schools_every_site_is_a_site() -> None:
    batch, (report,) = load_files([DYCD])
    assert report.counts == {
        "providers": 508,
        "sites": 1319,
        "sites matched to schools": 0,
        "programs": 1599,
    }
    assert {i.target[:5] for i in batch.interactions} == {"site:"}


def test_provider_and_site_names() -> None:
    assert dycd.provider_name("Police Athletic League, Inc. - Bronx") == (
        "Police Athletic League, Inc."
    )
    assert dycd.site_key("M.S. 223 M.S. 223 - THE LABORATORY", "10454") == (
        "site:ms-223-ms-223-the-laboratory|10454"
    )
    assert dycd.site_key("Harlem YMCA", "") == "site:harlem-ymca"


def test_name_agreement_on_tricky_pairs() -> None:
    agrees = [
        ("Fannie Lou", "Fannie Lou Hamer Freedom High School", "12X682"),
        ("JHS 262 (Channel View)", "Channel View School for Research", "27Q262"),
        (
            "H.S. 528 HIGH SCHOOL FOR GLOBA",
            "The High School for Global Citizenship",
            "17K528",
        ),
        ("Eastside Community HS", "East Side Community School", "01M450"),
        (
            "04M435 MANHATTAN CENTER FOR SC",
            "Manhattan Center for Science and Mathematics",
            "04M435",
        ),
    ]
    differs = [
        ("Medgar Evers College", "Medgar Evers College Preparatory School", "17K590"),
        ("Lafayette HS", "International High School at Lafayette", "21K337"),
        (
            "Franklin K. Lane High School - H.S. 420",
            "Multicultural High School",
            "19K583",
        ),
        ("PAUL ROBESON HIGH SCHOOL (K625)", "Paul Robeson High School", "17K122"),
        ("Forestdale at Forest Hills Campus", "Forest Hills High School", "28Q440"),
        ("BRONX LAB SCHOOL", "Bronx Aerospace High School", "11X545"),
    ]
    assert all(name_agreement(*pair).agrees for pair in agrees)
    assert not any(name_agreement(*pair).agrees for pair in differs)


def test_sniff() -> None:
    header = "PROGRAM TYPE,PROGRAM,SITE NAME,BOROUGH / COMMUNITY,AGENCY,Contact Number"
    assert dycd.sniff(header)
    assert not dycd.sniff("dbn,school_name,partner_cbo")
