"""NYC DYCD after-school programs: which agency runs a program at which site.

Each row names an agency, a program and the site it runs at. The agency
becomes a stakeholder of kind afterschool_provider (``provider:<name key>``;
the part of the name after " - " or "@", a branch or a site, is left out).
The site becomes the school it is, when a school already known to the import
or the store has the same name and place (see
:mod:`partnermap.loaders._school_names`; school coordinates and zip come
from the High School Directory), and otherwise a stakeholder of kind
program_site (``site:<name key>|<postcode>``, or ``site:<name key>`` where the
row has no postcode) with its borough, postcode, address and coordinates.
Each row becomes one interaction of type program_hosted from the provider to
the site or school, with the program and its type.

Coordinates and postcode come from the ``Latitude``, ``Longitude`` and
``Postcode`` columns, or from ``Location 1`` where those are empty.

Ignored: contact numbers, grade levels, community board, council district,
census tract, BIN, BBL and NTA. The rows carry no dates, so the interactions
have none.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from partnermap.errors import LoadError, Problem
from partnermap.loaders._partner_names import clean_text, partner_key
from partnermap.loaders._resolve import resolve
from partnermap.loaders._school_names import (
    MAX_DISTANCE_M,
    distance_m,
    name_agreement,
)
from partnermap.loaders._values import location_point
from partnermap.loaders.base import FileReport, LoadContext, read_table, require_columns
from partnermap.model import (
    ImportBatch,
    Interaction,
    InteractionType,
    Stakeholder,
    StakeholderKind,
)

log = logging.getLogger(__name__)

FORMAT = "nyc-dycd-afterschool"

_REQUIRED = ["PROGRAM TYPE", "PROGRAM", "SITE NAME", "AGENCY"]
_POSTCODE = re.compile(r"(\d{5})\s*(?:\n|$)")
_BRANCH = re.compile(r"\s+-\s+|\s*@")


@dataclass(frozen=True)
class _Row:
    """One program at one site, as read."""

    row: int
    agency: str
    site: str
    program: str
    program_type: str
    borough: str
    postcode: str
    address: str
    point: tuple[float, float] | None


@dataclass
class _Site:
    """A program site: its name and place, and the school it is, if any."""

    key: str
    name: str
    postcode: str
    borough: str
    address: str
    points: list[tuple[float, float]]
    first_row: int
    school: str | None = None


@dataclass(frozen=True)
class _School:
    """What matching needs of a known school."""

    id: str
    name: str
    zip: str
    point: tuple[float, float] | None


def sniff(first_line: str) -> bool:
    """True for the DYCD header (PROGRAM TYPE, SITE NAME, AGENCY)."""
    columns = {c.strip().strip('"\ufeff').upper() for c in first_line.split(",")}
    return {"PROGRAM TYPE", "SITE NAME", "AGENCY"} <= columns


def load(path: Path, context: LoadContext) -> tuple[ImportBatch, FileReport]:
    """Read DYCD program rows into providers, sites and program listings."""
    header, rows = read_table(path, delimiter=",")
    require_columns(path, header, _REQUIRED)
    records = _read_rows(path, {h.strip().upper(): h for h in header}, rows)
    report = FileReport(str(path), FORMAT)

    # Providers: one per agency, spellings merged as for directory partners.
    provider_of, providers = _providers(path, records, report)

    # Sites: the school a site is, where name and place agree.
    sites = _sites(records)
    _match_schools(sites, _known_schools(context), report)
    batch = ImportBatch(
        stakeholders=[*providers, *_site_stakeholders(path, sites)],
        interactions=[_interaction(path, r, provider_of, sites) for r in records],
    )
    _count(report, providers, sites, batch)
    _log(path, report)
    return batch, report


# -- reading rows -------------------------------------------------------------


def _read_rows(
    path: Path, columns: dict[str, str], rows: Iterator[tuple[int, dict[str, str]]]
) -> list[_Row]:
    """Every row, or a refusal that names each row without agency or site."""
    problems: list[Problem] = []
    records: list[_Row] = []
    for n, raw in rows:
        row = {key: raw.get(name, "") for key, name in columns.items()}
        agency, site = _text(row["AGENCY"]), _text(row["SITE NAME"])
        for column, value in (("AGENCY", agency), ("SITE NAME", site)):
            if not value:
                problems.append(
                    Problem(
                        path.name,
                        f"{column} is empty",
                        n,
                        column,
                        hint="name the agency and the site of every program",
                    )
                )
        if agency and site:
            records.append(_record(n, row, agency, site))
    if problems:
        raise LoadError(problems)
    return records


def _record(n: int, row: dict[str, str], agency: str, site: str) -> _Row:
    location = row.get("LOCATION 1", "")
    postcode = row.get("POSTCODE", "").strip()
    if not postcode:
        found = _POSTCODE.search(location)
        postcode = found.group(1) if found else ""
    address = location.split("\n", 1)[0].strip()
    if postcode and address.endswith(postcode):
        address = address[: -len(postcode)].strip()
    return _Row(
        row=n,
        agency=agency,
        site=site,
        program=_text(row["PROGRAM"]),
        program_type=_text(row["PROGRAM TYPE"]),
        borough=_text(row.get("BOROUGH / COMMUNITY", "")),
        postcode=postcode,
        address=address,
        point=_point(row.get("LATITUDE", ""), row.get("LONGITUDE", ""), location),
    )


def _text(value: str) -> str:
    return " ".join(value.split())


def _point(lat: str, lon: str, location: str) -> tuple[float, float] | None:
    try:
        return (float(lat), float(lon))
    except ValueError:
        return location_point(location)


# -- providers ------------------------------------------------------------------


def provider_name(agency: str) -> str:
    """The agency without its branch or site: "Alianza Dominicana, Inc."

    >>> provider_name("Alianza Dominicana, Inc. @Dyckman Community Center")
    'Alianza Dominicana, Inc.'
    >>> provider_name("Asian Americans for Equality - Queens")
    'Asian Americans for Equality'
    """
    head = _BRANCH.split(agency, maxsplit=1)[0].strip()
    return head or agency


def _providers(
    path: Path, records: list[_Row], report: FileReport
) -> tuple[dict[str, str], list[Stakeholder]]:
    """Provider id per agency spelling, and one stakeholder per provider."""
    counts = Counter(partner_key(provider_name(r.agency)) for r in records)
    resolution = resolve(dict(counts), {})
    spellings: dict[str, Counter[str]] = {}
    first: dict[str, int] = {}
    provider_of: dict[str, str] = {}
    for r in records:
        key = resolution.canonical[partner_key(provider_name(r.agency))]
        spellings.setdefault(key, Counter())[clean_text(provider_name(r.agency))] += 1
        first.setdefault(key, r.row)
        provider_of[r.agency] = f"provider:{key.replace(' ', '-')}"
    providers = []
    for key, names in spellings.items():
        name = names.most_common(1)[0][0]
        for other in names:
            if other != name:
                report.details.append(f"merged provider {other!r} into {name!r}")
                report.merged += 1
        providers.append(
            Stakeholder(
                id=f"provider:{key.replace(' ', '-')}",
                name=name,
                kind=StakeholderKind.AFTERSCHOOL_PROVIDER,
                source=f"{path.name} row {first[key]}",
            )
        )
    return provider_of, providers


# -- sites and schools -------------------------------------------------------


def site_key(name: str, postcode: str) -> str:
    """Site id: ``site:ps-205-clarion-school|11219`` (no "|" without postcode).

    >>> site_key("P.S. 205 CLARION SCHOOL", "11219")
    'site:ps-205-clarion-school|11219'
    """
    joined: list[str] = []
    initials = False  # whether joined[-1] was built from single letters
    for word in partner_key(name).split():
        letter = len(word) == 1 and word.isalpha()
        if letter and initials:
            joined[-1] += word
        else:
            joined.append(word)
        initials = letter
    slug = "-".join(joined)
    return f"site:{slug}|{postcode}" if postcode else f"site:{slug}"


def _sites(records: list[_Row]) -> dict[str, _Site]:
    sites: dict[str, _Site] = {}
    for r in records:
        key = site_key(r.site, r.postcode)
        site = sites.get(key)
        if site is None:
            site = sites[key] = _Site(
                key, r.site, r.postcode, r.borough, r.address, [], r.row
            )
        if r.point is not None and r.point not in site.points:
            site.points.append(r.point)
    return sites


def _known_schools(context: LoadContext) -> list[_School]:
    """Known schools with attributes merged across records, later ones winning.

    Two directories of one import describe one school twice; the 2014-15 one
    alone has coordinates, so attributes are merged as the store merges them.
    """
    merged: dict[str, Stakeholder] = {}
    attributes: dict[str, dict[str, object]] = {}
    for s in [*context.store_stakeholders(), *context.batch.stakeholders]:
        if s.kind is StakeholderKind.SCHOOL:
            merged[s.id] = s
            attributes.setdefault(s.id, {}).update(s.attributes)
    return [_school(s, attributes[s.id]) for s in merged.values()]


def _school(s: Stakeholder, attributes: dict[str, object]) -> _School:
    lat, lon = attributes.get("latitude"), attributes.get("longitude")
    point = None
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        point = (float(lat), float(lon))
    return _School(s.id, s.name, str(attributes.get("zip", "")), point)


def _match_schools(
    sites: dict[str, _Site], schools: list[_School], report: FileReport
) -> None:
    """Set each site's school where exactly one school agrees best."""
    nearby = _Nearby(schools)
    for site in sites.values():
        found = _candidates(site, nearby.around(site))
        if not found:
            continue
        best = max(found, key=lambda c: c[0])
        tied = [c for c in found if c[0] == best[0]]
        if len(tied) > 1:
            names = " or ".join(f"{c[1].id} {c[1].name!r}" for c in tied)
            report.details.append(
                f"left site {site.name!r} ({site.postcode}) unmatched: {names}"
            )
            continue
        site.school = best[1].id
        report.details.append(
            f"matched site {site.name!r} ({site.postcode or 'no postcode'}) "
            f"to school {best[1].id} {best[1].name!r} ({best[2]})"
        )


class _Nearby:
    """Schools by grid cell (about 1 km) and by zip, to look up a site's."""

    CELL = 0.01  # degrees; larger than MAX_DISTANCE_M in both directions

    def __init__(self, schools: list[_School]) -> None:
        self._cells: dict[tuple[int, int], list[_School]] = {}
        self._zips: dict[str, list[_School]] = {}
        for school in schools:
            if school.point:
                self._cells.setdefault(self._cell(school.point), []).append(school)
            self._zips.setdefault(school.zip, []).append(school)

    def _cell(self, point: tuple[float, float]) -> tuple[int, int]:
        return (int(point[0] // self.CELL), int(point[1] // self.CELL))

    def around(self, site: _Site) -> list[_School]:
        """Schools in the cells around the site's points, and in its postcode."""
        found: dict[str, _School] = {}
        for point in site.points:
            row, col = self._cell(point)
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    for school in self._cells.get((row + dr, col + dc), []):
                        found[school.id] = school
        for school in self._zips.get(site.postcode, []) if site.postcode else []:
            found[school.id] = school
        return list(found.values())


def _candidates(
    site: _Site, schools: list[_School]
) -> list[tuple[tuple[bool, float, float], _School, str]]:
    out = []
    for school in schools:
        where = _near(site, school)
        if where is None:
            continue
        agreement = name_agreement(site.name, school.name, school.id)
        if agreement.agrees:
            rank = (agreement.by_number, agreement.score, -where[0])
            out.append((rank, school, where[1]))
    return out


def _near(site: _Site, school: _School) -> tuple[float, str] | None:
    """(distance, description) when the two are in one place, else None.

    A site's rows may give it several geocodes (one of "105 Hamiton Ave"
    and "105 Hamilton Avenue" is wrong); the nearest counts.
    """
    if site.points and school.point:
        metres = min(distance_m(p, school.point) for p in site.points)
        return (metres, f"{metres:.0f} m apart") if metres <= MAX_DISTANCE_M else None
    if site.postcode and site.postcode == school.zip:
        return (MAX_DISTANCE_M, f"same postcode {site.postcode}")
    return None


def _site_stakeholders(path: Path, sites: dict[str, _Site]) -> list[Stakeholder]:
    out = []
    for site in sites.values():
        if site.school:
            continue
        attributes: dict[str, object] = {}
        for name, value in (
            ("borough", site.borough),
            ("postcode", site.postcode),
            ("address", site.address),
        ):
            if value:
                attributes[name] = value
        if site.points:
            attributes["latitude"], attributes["longitude"] = site.points[0]
        out.append(
            Stakeholder(
                id=site.key,
                name=site.name,
                kind=StakeholderKind.PROGRAM_SITE,
                attributes=attributes,
                source=f"{path.name} row {site.first_row}",
            )
        )
    return out


def _interaction(
    path: Path, r: _Row, provider_of: dict[str, str], sites: dict[str, _Site]
) -> Interaction:
    site = sites[site_key(r.site, r.postcode)]
    return Interaction(
        source=provider_of[r.agency],
        target=site.school or site.key,
        type=InteractionType.PROGRAM_HOSTED,
        provenance=f"{path.name} row {r.row}",
        attributes={"program": r.program, "program_type": r.program_type},
    )


# -- report ---------------------------------------------------------------------


def _count(
    report: FileReport,
    providers: list[Stakeholder],
    sites: dict[str, _Site],
    batch: ImportBatch,
) -> None:
    matched = sum(1 for s in sites.values() if s.school)
    report.counts = {
        "providers": len(providers),
        "sites": len(sites) - matched,
        "sites matched to schools": matched,
        "programs": len(batch.interactions),
    }


def _log(path: Path, report: FileReport) -> None:
    counts = report.counts
    log.info(
        "loaded %s providers, %s program sites and %s programs from %s",
        f"{counts['providers']:,}",
        f"{counts['sites'] + counts['sites matched to schools']:,}",
        f"{counts['programs']:,}",
        path.name,
    )
    log.info(
        "matched %s program sites to known schools",
        f"{counts['sites matched to schools']:,}",
    )
