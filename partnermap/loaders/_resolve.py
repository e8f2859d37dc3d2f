"""Entity resolution: decide which name keys are one organization.

Keys come from :func:`partnermap.loaders._partner_names.partner_key`. Three
confident kinds of merge are made, in this order:

1. same words: keys equal once the small words (:data:`SMALL_WORDS`) and the
   spaces are left out ("ArtsConnection", "Arts Connection"; "Museum of Art
   and Design", "Museum of Arts & Design" stay apart until step 2);
2. similar spelling: rapidfuzz ratio of at least :data:`MIN_SIMILARITY` on
   those squeezed keys of at least :data:`MIN_FUZZY_LENGTH` letters, the same
   digits, and no word from :data:`TELLING_WORDS` in one but not the other
   ("Syracruse University" joins "Syracuse University"; the YMCA and the
   YWCA stay two); left out above :data:`MAX_FUZZY_KEYS` keys;
3. acronym: a bare acronym ("MoMA") joins the organization that the same
   file spells out with it ("Museum of Modern Art (MoMA)") when at least
   :data:`ACRONYM_SHARE` of its spelled-out uses point to that organization.

Each group's key is a key already known to the store or import when there is
one (so a second file reuses the first file's ids), else the key with the
most listings, else the first one seen.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

SMALL_WORDS = frozenset("the a an of for and at in on with to w".split())  # noqa: SIM905
MIN_SIMILARITY = 95.0
MIN_FUZZY_LENGTH = 8
ACRONYM_SHARE = 0.75
MAX_FUZZY_KEYS = 20_000
"""Above this many distinct keys (a district directory holds a few thousand)
step 2 is left out, since it compares keys pairwise: 20,000 keys take about
15 s, 40,000 about a minute."""

# Words that tell two otherwise alike names apart: a near-identical spelling
# that differs in one of them is a different organization.
TELLING_WORDS = frozenset(
    """men mens women womens boys girls stem step north south east west upper
    lower junior senior elementary middle high bronx brooklyn queens manhattan
    staten hebrew christian""".split()  # noqa: SIM905
)


@dataclass
class Resolution:
    """Where each key went: its group key, and why it merged when it did."""

    canonical: dict[str, str] = field(default_factory=dict)
    reason: dict[str, str] = field(default_factory=dict)
    fuzzy_skipped: int = 0  # keys too many for step 2 (see MAX_FUZZY_KEYS), or 0


def resolve(
    counts: dict[str, int],
    acronyms: dict[str, Counter[str]],
    known: Iterable[str] = (),
) -> Resolution:
    """Group keys that name one organization.

    Parameters
    ----------
    counts : dict of str to int
        Listings per key, in the order first seen.
    acronyms : dict of str to Counter
        For each acronym key used bare in the file, the keys of the names it
        was given for in parentheses, with counts.
    known : iterable of str
        Keys of organizations already known; preferred as group keys.

    Returns
    -------
    Resolution
        The group key of every key in ``counts`` and, for keys that merged
        into another, "same name", "similar spelling" or "acronym".
    """
    preferred = set(known)
    keys = list(dict.fromkeys([*counts, *sorted(preferred)]))
    groups = _UnionFind(keys)
    for members in _by_squeezed(keys).values():
        for other in members[1:]:
            groups.union(members[0], other)
    fuzzy = len(keys) <= MAX_FUZZY_KEYS
    for a, b in _similar_pairs(keys) if fuzzy else []:
        groups.union(a, b)
    acronym_merged = _join_acronyms(counts, acronyms, groups)
    found = _name_groups(counts, preferred, groups, acronym_merged)
    found.fuzzy_skipped = 0 if fuzzy else len(keys)
    return found


def squeeze(key: str) -> str:
    """The key without small words and spaces: ``museumofmodernart``."""
    return "".join(w for w in key.split() if w not in SMALL_WORDS)


def _by_squeezed(keys: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key in keys:
        out.setdefault(squeeze(key), []).append(key)
    return out


def _similar_pairs(keys: list[str]) -> list[tuple[str, str]]:
    """Pairs of keys with near-identical squeezed spellings (see Notes)."""
    squeezed = sorted({squeeze(k) for k in keys}, key=lambda s: (len(s), s))
    first: dict[str, str] = {}
    for key in keys:
        first.setdefault(squeeze(key), key)
    lengths = [len(s) for s in squeezed]
    pairs = []
    for n, text in enumerate(squeezed):
        if len(text) < MIN_FUZZY_LENGTH:
            continue
        end = bisect.bisect_right(lengths, len(text) * 1.11 + 1)
        for other, _, _ in process.extract(
            text,
            squeezed[n + 1 : end],
            scorer=fuzz.ratio,
            score_cutoff=MIN_SIMILARITY,
            limit=None,
        ):
            if _may_merge(first[text], first[other]):
                pairs.append((first[text], first[other]))
    return pairs


def _may_merge(a: str, b: str) -> bool:
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False
    return not (set(a.split()) ^ set(b.split())) & TELLING_WORDS


def _join_acronyms(
    counts: dict[str, int], acronyms: dict[str, Counter[str]], groups: _UnionFind
) -> set[str]:
    """Join bare acronyms to the group they mostly stand for."""
    merged = set()
    for acronym, targets in sorted(acronyms.items()):
        if acronym not in counts:
            continue
        votes: Counter[str] = Counter()
        for key, n in targets.items():
            votes[groups.find(key)] += n
        votes.pop(groups.find(acronym), None)
        if not votes:
            continue
        (top, n), total = votes.most_common(1)[0], sum(votes.values())
        if n >= ACRONYM_SHARE * total:
            groups.union(top, acronym)
            merged.add(acronym)
    return merged


def _name_groups(
    counts: dict[str, int],
    preferred: set[str],
    groups: _UnionFind,
    acronym_merged: set[str],
) -> Resolution:
    members: dict[str, list[str]] = {}
    for key in counts:
        members.setdefault(groups.find(key), []).append(key)
    for key in preferred:
        if groups.find(key) in members:
            members[groups.find(key)].append(key)
    order = {key: n for n, key in enumerate(counts)}
    result = Resolution()
    for keys in members.values():
        best = min(
            keys,
            key=lambda k: (k not in preferred, -counts.get(k, 0), order.get(k, 0), k),
        )
        for key in keys:
            if key not in counts:
                continue
            result.canonical[key] = best
            if key != best:
                result.reason[key] = _why(key, best, acronym_merged)
    return result


def _why(key: str, best: str, acronym_merged: set[str]) -> str:
    if squeeze(key) == squeeze(best):
        return "same name"
    joined = key in acronym_merged or best in acronym_merged
    return "acronym" if joined else "similar spelling"


class _UnionFind:
    """Disjoint sets of keys."""

    def __init__(self, keys: list[str]) -> None:
        self._parent = {k: k for k in keys}

    def find(self, key: str) -> str:
        self._parent.setdefault(key, key)
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:
            self._parent[key], key = root, self._parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)
