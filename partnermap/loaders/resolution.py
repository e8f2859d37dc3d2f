"""Entity resolution across files: confident merges, borderline pairs for review.

The same organization comes spelled differently from different files ("Boys &
Girls Club of Durham", "Boys and Girls Clubs - Durham"). :func:`match` pairs
each incoming stakeholder with the closest known stakeholder of a compatible
kind, comparing normalised names (:func:`normalise`) with rapidfuzz's
token-sort ratio, plus the city or ZIP where both sides know it:

- confident: token-sort ratio at least :data:`CONFIDENT`, no place that
  disagrees, and no other incoming row confidently matching the same
  stakeholder; merged, and listed (nothing merges silently);
- borderline: rapidfuzz's WRatio (which forgives a missing word, "Meany
  Middle School" ~ "Edmonds S. Meany Middle School") at least
  :data:`BORDERLINE`, or a confident score whose places disagree; kept apart
  and written to a review CSV;
- otherwise no match.

The review CSV (``partnermap load --review FILE``) has a ``decision`` column:
write ``merge`` or ``separate`` and load again with the same ``--review``
file; a decision there overrides the score either way.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from partnermap.errors import LoadError, Problem
from partnermap.model import Stakeholder, StakeholderKind

CONFIDENT = 95.0
BORDERLINE = 88.0
COMMON = 300
_NOISE = frozenset(
    "the a an of inc incorporated llc corp corporation co ltd company school".split()  # noqa: SIM905
)
_SHORT = {
    "st": "saint",
    "mt": "mount",
    "ctr": "center",
    "centre": "center",
    "assn": "association",
    "intl": "international",
    "hs": "high",
    "es": "elementary",
    "ms": "middle",
    "ps": "public",
}
_PLURALS = re.compile(r"(?<=[a-z]{3})s\b")
_ORGS = {
    StakeholderKind.COMMUNITY_ORGANIZATION,
    StakeholderKind.AFTERSCHOOL_PROVIDER,
    StakeholderKind.NONPROFIT,
    StakeholderKind.CULTURAL_ORGANIZATION,
    StakeholderKind.HEALTH_PROVIDER,
    StakeholderKind.HIGHER_EDUCATION,
    StakeholderKind.BUSINESS,
    StakeholderKind.FINANCIAL_INSTITUTION,
    StakeholderKind.OTHER,
}
REVIEW_COLUMNS = [
    "decision",
    "score",
    "reason",
    "incoming_id",
    "incoming_name",
    "incoming_place",
    "known_id",
    "known_name",
    "known_place",
]


def normalise(name: str) -> str:
    """A name for comparison: lower case, "&" as "and", no punctuation or noise.

    >>> normalise("Boys & Girls Clubs - Durham, Inc.")
    'boy and girl club durham'
    >>> normalise("COLLEGE OF ST MARY")
    'college saint mary'
    >>> normalise("Police Athletic League (PAL)")
    'police athletic league'
    """
    text = re.sub(r"\([^)]*\)", " ", name.casefold())
    text = text.replace("&", " and ").replace("+", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    text = _PLURALS.sub("", text)
    words = (_SHORT.get(w, w) for w in text.split())
    return " ".join(w for w in words if w not in _NOISE)


def place_of(s: Stakeholder) -> dict[str, str]:
    """ZIP (5 digits) and city known for a stakeholder."""
    attrs = {k.lower(): v for k, v in s.attributes.items()}
    place = {}
    for key in ("zip", "postcode", "zip code", "postal code"):
        if attrs.get(key):
            place["zip"] = str(attrs[key])[:5]
            break
    for key in ("city", "borough"):
        if attrs.get(key):
            place["city"] = " ".join(str(attrs[key]).casefold().split())
            break
    return place


def _clash(a: dict[str, str], b: dict[str, str]) -> bool:
    """Places disagree: ZIPs differ, or (no ZIP on both sides) cities differ."""
    for key in ("zip", "city"):
        if key in a and key in b:
            return a[key] != b[key]
    return False


def _show(place: dict[str, str]) -> str:
    return " ".join(place.get(k, "") for k in ("city", "zip") if k in place)


@dataclass
class Candidate:
    """One proposed pair; ``decision`` is merge, separate, or "" (undecided)."""

    decision: str
    score: float
    reason: str
    incoming_id: str
    incoming_name: str
    incoming_place: str
    known_id: str
    known_name: str
    known_place: str


@dataclass
class Matches:
    """Incoming id -> known id to merge into, and every pair considered."""

    merge: dict[str, str]
    candidates: list[Candidate]

    @property
    def borderline(self) -> list[Candidate]:
        """Pairs kept apart that a person should look at."""
        return [c for c in self.candidates if c.decision == ""]


def _compatible(a: StakeholderKind, b: StakeholderKind) -> bool:
    return a == b or (a in _ORGS and b in _ORGS)


def match(
    incoming: list[Stakeholder],
    known: list[Stakeholder],
    review: dict[tuple[str, str], str] | None = None,
) -> Matches:
    """Pair incoming stakeholders with known ones (see the module docstring)."""
    review = review or {}
    names = {s.id: normalise(s.name) for s in known}
    choices = list(names.values())
    ids = list(names)
    by_id = {s.id: s for s in known}
    out = Matches({}, [])
    index = _Index(choices)
    for item in incoming:
        if item.id in by_id:
            continue
        query = normalise(item.name)
        candidate = _best(item, query, index.hits(query), by_id, ids, choices)
        if candidate is None:
            continue
        decided = review.get((candidate.incoming_id, candidate.known_id))
        if decided:
            candidate.decision, candidate.reason = decided, "decided in review file"
        out.candidates.append(candidate)
    _one_each(out.candidates)
    out.merge = {
        c.incoming_id: c.known_id
        for c in out.candidates
        if c.decision.startswith("merge")
    }
    return out


def _one_each(candidates: list[Candidate]) -> None:
    """Several rows confidently matching one known stakeholder: review them all."""
    hits: dict[str, int] = {}
    for c in candidates:
        if c.decision == "merge (confident)":
            hits[c.known_id] = hits.get(c.known_id, 0) + 1
    for c in candidates:
        if c.decision == "merge (confident)" and hits[c.known_id] > 1:
            c.decision, c.reason = "", "several rows match one stakeholder"


class _Index:
    """Known names by word, so that a query is scored only against names that
    share a word with it (the words on more than :data:`COMMON` names, such
    as "new" and "york", do not count)."""

    def __init__(self, choices: list[str]) -> None:
        self.choices = choices
        self.words: dict[str, list[int]] = {}
        for n, name in enumerate(choices):
            for word in set(name.split()):
                self.words.setdefault(word, []).append(n)

    def hits(self, query: str) -> list[tuple[float, int]]:
        near = sorted(
            {
                n
                for w in set(query.split())
                if len(self.words.get(w, ())) <= COMMON
                for n in self.words.get(w, ())
            }
        )
        found = process.extract(
            query,
            [self.choices[n] for n in near],
            scorer=fuzz.WRatio,
            score_cutoff=BORDERLINE,
            limit=5,
        )
        return [(score, near[i]) for _, score, i in found]


def _comparable(a: str, b: str) -> bool:
    """Both names have two words or more, the shorter at least 40% of the longer."""
    short, long = sorted((len(a.split()), len(b.split())))
    return short >= 2 and short / long >= 0.4


def _best(
    item: Stakeholder,
    query: str,
    hits: list[tuple[float, int]],
    by_id: dict[str, Stakeholder],
    ids: list[str],
    choices: list[str],
) -> Candidate | None:
    for loose, index in hits:
        other = by_id[ids[index]]
        strict = fuzz.token_sort_ratio(query, choices[index])
        if not _compatible(item.kind, other.kind):
            continue
        if strict < CONFIDENT and not _comparable(query, choices[index]):
            continue
        here, there = place_of(item), place_of(other)
        clash = _clash(here, there)
        if strict >= CONFIDENT and not clash:
            decision = "merge (confident)"
            reason = "same name" if strict == 100 else "similar spelling"
        else:
            decision = ""
            reason = "places differ" if clash else "similar name"
        score = strict if decision else loose
        return Candidate(
            decision,
            round(score, 1),
            reason,
            item.id,
            item.name,
            _show(here),
            other.id,
            other.name,
            _show(there),
        )
    return None


def describe(found: Matches, report: Any) -> None:
    """List every pair in a file report; warn when some await a person's review."""
    for c in found.candidates:
        verb = "merged" if c.decision.startswith("merge") else "kept apart (review)"
        report.details.append(
            f"{verb}: {c.incoming_name!r} [{c.incoming_id}] ~ {c.known_name!r} "
            f"[{c.known_id}] score {c.score} ({c.reason})"
        )
    report.review.extend(found.candidates)
    report.merged += len(found.merge)
    if found.merge:
        report.warnings.append(
            f"merged {len(found.merge)} stakeholder(s) into known ones with the same "
            "name (see --verbose or --review FILE)"
        )
    if found.borderline:
        report.warnings.append(
            f"{len(found.borderline)} borderline match(es) kept apart; decide them "
            "in the review file (--review FILE) and load again"
        )


def write_review(path: Path, candidates: list[Candidate]) -> None:
    """Write every pair considered, borderline ones first, for a person to edit."""
    rows = sorted(
        candidates, key=lambda c: (c.decision != "", -c.score, c.incoming_name)
    )
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(REVIEW_COLUMNS)
        for c in rows:
            writer.writerow([getattr(c, f.name) for f in fields(Candidate)])


def read_review(path: Path) -> dict[tuple[str, str], str]:
    """Decisions of an edited review CSV: (incoming id, known id) -> decision."""
    if not path.exists():
        return {}
    decisions: dict[tuple[str, str], str] = {}
    problems = []
    with path.open(encoding="utf-8-sig", newline="") as src:
        for n, row in enumerate(csv.DictReader(src), start=2):
            word = (row.get("decision") or "").strip().lower()
            if not word:
                continue
            if word not in {"merge", "separate", "merge (confident)"}:
                problems.append(
                    Problem(
                        path.name,
                        f"decision {word!r} is not known",
                        n,
                        "decision",
                        hint="write merge, separate, or leave it empty",
                    )
                )
                continue
            decisions[(row.get("incoming_id", ""), row.get("known_id", ""))] = word
    if problems:
        raise LoadError(problems)
    return decisions
