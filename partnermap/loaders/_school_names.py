"""Tell whether a program site's name and place are those of a known school.

A site matches a school when the two are close (:data:`MAX_DISTANCE_M`
between their coordinates, or the same postcode where either lacks
coordinates) and their names agree (:func:`name_agreement`). Site names are
often cut short ("H.S. 528 HIGH SCHOOL FOR GLOBA"), abbreviated ("Fannie
Lou") or carry the school's number ("JHS 262 (Channel View)") or code
("(X427)"), so names are compared word by word rather than as strings.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz

# Sites farther than this from a school are not that school. Geocodes of one
# building differ by up to about 300 m between the two sources.
MAX_DISTANCE_M = 400.0

# Words that say "a school" and nothing about which one.
GENERIC_WORDS = frozenset(
    """high school schools hs secondary academy the of for and at a an in
    ms is ps jhs ihs cis career technical education cte campus educational
    public""".split()  # noqa: SIM905
)

# A school word that the site name lacks and that makes it another place:
# "Medgar Evers College" is not "Medgar Evers College Preparatory School",
# "Lafayette HS" is not "International High School at Lafayette".
TELLING_WORDS = frozenset(
    """international preparatory middle elementary early ii iii iv v vi vii
    viii""".split()  # noqa: SIM905
)

_SPELLINGS = {
    "prep": "preparatory",
    "cc": "community college",
    "hs": "high school",
    "ms": "middle",
}
_ACRONYM = re.compile(r"\(\s*[A-Z]{3,}\s*\)")
_CODE = re.compile(r"\b(?:\d{2})?([mxkqr])\s?(\d{3})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Agreement:
    """How a site name agrees with a school name (see name_agreement)."""

    agrees: bool
    score: float
    by_number: bool


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two (latitude, longitude)."""
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    dlat, dlon = lat2 - lat1, math.radians(b[1] - a[1])
    h = (
        math.sin(dlat / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def name_agreement(site: str, school: str, dbn: str) -> Agreement:
    """Whether a site name names the school ``dbn`` called ``school``.

    Every word of the site name that tells schools apart must match a word
    of the school name (see ``_match``); an acronym in parentheses
    ("(PAIHS)") and a parenthesis cut short ("(K6") are left out; a school
    number of two digits or more
    in the site name must be the DBN's number, and a code such as "(X427)"
    or "04M435" must be the DBN's; and the school name may hold no
    :data:`TELLING_WORDS` that the site name lacks.

    >>> name_agreement("Fannie Lou", "Fannie Lou Hamer Freedom High School",
    ...                "12X682").agrees
    True
    >>> name_agreement("Medgar Evers College",
    ...                "Medgar Evers College Preparatory School", "17K590").agrees
    False
    """
    code = _CODE.search(site)
    if code and f"{code.group(1)}{code.group(2)}".upper() != dbn[2:].upper():
        return Agreement(False, 0.0, False)
    site_words, numbers = _words(site)
    school_words, _ = _words(school)
    number = int(dbn[3:]) if dbn[3:].isdigit() else None
    by_number = bool(code) or (number is not None and number in numbers)
    if any(n >= 10 and n != number for n in numbers) or not (site_words or by_number):
        return Agreement(False, 0.0, False)
    last = len(site_words) - 1
    matched = {_match(w, school_words, n == last) for n, w in enumerate(site_words)}
    if None in matched:
        return Agreement(False, 0.0, False)
    if (set(school_words) - matched) & TELLING_WORDS:
        return Agreement(False, 0.0, False)
    score = fuzz.token_set_ratio(" ".join(site_words), " ".join(school_words))
    return Agreement(True, score, by_number)


def _words(name: str) -> tuple[list[str], set[int]]:
    """Words that tell schools apart, and the numbers, of a school name."""
    text = _ACRONYM.sub(" ", re.sub(r"\([^()]*$", " ", name))
    text = _CODE.sub(" ", text.lower().replace("&", " and "))
    text = re.sub(r"[\u2019'`]", "", text)
    words: list[str] = []
    numbers: set[int] = set()
    for token in re.sub(r"[^a-z0-9]+", " ", text).split():
        if token.isdigit():
            numbers.add(int(token))
            continue
        for word in _SPELLINGS.get(token, token).split():
            if len(word) > 1 and word not in GENERIC_WORDS:
                words.append(word)
    return words, numbers


def _match(word: str, school_words: list[str], last: bool) -> str | None:
    """The school word that ``word`` stands for, if any.

    The same word, a prefix of four letters or more (of two or more for the
    last word: names are cut short), a near spelling, or two school words
    run together ("Eastside" for "East Side").
    """
    shortest = 2 if last else 4
    pairs = [a + b for a, b in pairwise(school_words)]
    for other in [*school_words, *pairs]:
        if word == other:
            return other
        if len(word) >= shortest and other.startswith(word):
            return other
        if fuzz.ratio(word, other) >= 85:
            return other
    return None
