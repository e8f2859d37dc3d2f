"""Read free-text partner cells into organization names and stable keys.

School directories list partners as free text: names separated by commas and
semicolons, legal forms split off by the commas ("Literacy, Inc."),
apostrophes written three ways, headings ("Partnerships: ..."), programs after
a colon or a dash ("Medgar Evers College: College Now"), and now and then a
paragraph of prose. :func:`split_partners` reads one cell into names and the
pieces it dropped; :func:`partner_key` turns a name into the key that every
spelling of one organization shares; :func:`partner_id` is the stakeholder id
built from that key.

The rules are the module-level constants below, each with the reason for it.
They were set by reading every distinct piece of the partner columns of the
NYC High School Directory 2014-15 and 2016.

Notes
-----
Not handled, so these come out as partner names: person names listed without
a heading, services listed as if they were partners ("SAT Prep"), and two
organizations joined by "and" without a comma unless the file lists both on
their own (see :func:`split_joined`). Lists whose separators were lost ("Ace
Mentoring NYC Association of Energy Affordability ...") are dropped as too
long for one name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# Apostrophes as typed (curly, backtick, acute) all become "'". The 2016
# directory lost them and shows two spaces ("St. John  s"), or three where a
# space followed ("Teachers   College" for "Teachers' College").
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018`\u00b4\u02bc"})
_LOST_APOSTROPHE = re.compile(r"(?<=\w)  (?=\w)")
_LOST_APOSTROPHE_SPACE = re.compile(r"(?<=\w)   (?=\w)")
_QUOTES = str.maketrans({c: '"' for c in "\u201c\u201d"})
_DASHES = str.maketrans({c: "-" for c in "\u2013\u2014"})

# A piece that is only a legal form split off by a comma ("Inc.", "LLC",
# "Inc. (FEGS)") is joined back to the name before it.
LEGAL_SUFFIXES = frozenset(
    {"inc", "incorporated", "llc", "llp", "ltd", "corp", "co", "lp", "pc", "plc"}
)

# Names that hold a comma or a colon of their own, as they are written in the
# files; their marks do not split. In matching, "&" and "and" stand for each
# other, a comma may be missing, and an apostrophe may be a two-space gap.
NAMES_WITH_SEPARATORS = (
    "Batten, Barton, Durstine & Osborn",
    "Barton, Durstine & Osborn",
    "Big Brothers, Big Sisters",
    "Cadwalader, Wickersham & Taft",
    "Cleary, Gottlieb, Steen & Hamilton",
    "Cravath, Swaine & Moore",
    "Davis, Polk & Wardwell",
    "McDermott, Will, & Emery",
    "Russo, Scamardella & D'Amato",
    "Simpson, Thacher & Bartlett",
    "Simpson, Thacher, Barlett",
    "Skidmore, Owings, & Merill",
    "Skidmore, Owings, & Merrill",
    "Skody, Scot & Company",
    "Wachtell, Lipton, Rosen, & Katz",
    "Weil, Gotshal & Manges",
    "Willkie, Farr & Gallagher",
    "Architecture, Construction & Engineering",
    "Lesbian, Gay, Bisexual & Transgender",
    "Intrepid Sea, Air, & Space Museum",
    "Schools of Mathematics, Science, & Technology",
    "Safety, Teamwork, Attitude, Respect, Responsibility",
    "Local Elementary, Middle, & High Schools",
    "College Access: Research & Action",
    "College Action: Research & Action",
)

# Whole pieces that name no organization: placeholders, list fillers, stray
# words. Compared lower-cased, punctuation read as spaces.
NOT_A_NAME = frozenset(
    {
        "n a",
        "na",
        "none",
        "no",
        "tbd",
        "tba",
        "etc",
        "various",
        "and",
        "or",
        "more",
        "others",
        "other",
        "and more",
        "and others",
        "and many more",
        "many more",
        "many others",
        "and many others",
        "inc",
        "us",
        "also",
        "additionally",
        "in addition",
    }
)

# A heading before a colon that introduces a list rather than naming a
# partner ("Partnerships: Brooklyn College, ..."); the heading is dropped.
LIST_HEADING = re.compile(
    r"partner|include|following|internship|opportunit|agenc|firms?$|sponsor"
    r"|collaborat|organi[sz]ations?$|affiliat|\bwith$",
    re.IGNORECASE,
)

# A heading that introduces people, not organizations ("Visiting Artists:
# ..."); the rest of that part of the cell is dropped unread.
PEOPLE_HEADING = re.compile(
    r"\b(artists?|chefs?|speakers?|mentors?|individuals?|people|volunteers?)$",
    re.IGNORECASE,
)

# Lower-case words found in sentences and never in the organization names of
# these lists. A piece holding one of them outside parentheses is prose; it
# and the rest of its sentence are dropped.
PROSE_WORDS = frozenset(
    """is are was were be been being will would can could may should must
    has have had we our us you your they their them it its this these those
    he she his her provide provides provided providing offer offers offered
    offering help helps allows allow include includes including included
    which who whom whose where when students student works selects
    receive earn participate manages supports please refer visit see serve
    serves promote promotes located connects teaches recognized selected also
    partners partnered said gain meet complete imagine support strive founded
    """.split()  # noqa: SIM905
)

# Prose words that make prose on their own; the others need a second word
# in lower case beside them ("Achieving Change in our Neighborhood" is a
# name).
_VERBS = frozenset(
    "is are was were will would has have had been can could may must said".split()  # noqa: SIM905
)

# Prose words that count with a capital too ("We partner with ...").
PROSE_WORDS_ANY_CASE = frozenset({"we", "they", "that's"})

# A parenthesised part of more words than this is a description, left out of
# the name shown ("East Side House (provides services for ...)").
MAX_PARENTHESIS_WORDS = 3

# More words than this (outside parentheses, small words not counted) is a
# run-together list or a sentence, not one name.
MAX_NAME_WORDS = 10

# A period ends a sentence unless the word before it is one of these, a
# single letter, or an initialism such as "N.Y.".
ABBREVIATIONS = frozenset(
    """st mt ft dr mr mrs ms jr sr inc co corp ltd llc bros dept univ assn intl
    ave no vs""".split()  # noqa: SIM905
)

# Key words spelled several ways; the left spelling becomes the right one.
TOKEN_SPELLINGS = {
    "theatre": "theater",
    "theatres": "theaters",
    "centre": "center",
    "saint": "st",
    "street": "st",
    "mt": "mount",
    "ft": "fort",
    "ny": "new york",
    "nyc": "new york city",
    "intl": "international",
    "univ": "university",
    "ctr": "center",
    "assn": "association",
    "dept": "department",
    "corp": "corporation",
    "queensboro": "queensborough",
}

# Words too small to tell a name from a sentence.
_SMALL_WORDS = frozenset("the a an of for and at in on with to".split())  # noqa: SIM905

# Leading and trailing key words that do not tell organizations apart.
_KEY_LEADING = frozenset({"the", "and"})
_KEY_TRAILING = (LEGAL_SUFFIXES - {"corp"}) | {"and"}


@dataclass
class Dropped:
    """A piece of a cell that is not an organization name, and why."""

    text: str
    reason: str


@dataclass
class Split:
    """What one cell held: names as cleaned and as written, pieces dropped."""

    names: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


@lru_cache(maxsize=65536)
def clean_text(text: str) -> str:
    """Repair apostrophes, quotes and dashes; collapse white space.

    >>> clean_text("St. John  s University")
    "St. John's University"
    >>> clean_text("St. Johns   University")
    "St. Johns' University"
    """
    text = text.translate(_APOSTROPHES).translate(_QUOTES).translate(_DASHES)
    text = _LOST_APOSTROPHE_SPACE.sub("' ", text)
    text = _LOST_APOSTROPHE.sub("'", text)
    return " ".join(text.split())


def split_partners(cell: str) -> Split:
    """Read one partner cell into organization names and dropped pieces.

    Parameters
    ----------
    cell : str
        The cell as found in the file.

    Returns
    -------
    Split
        Names in the order written, cleaned by :func:`clean_text` and as
        written, and the pieces dropped with the reason.

    Examples
    --------
    >>> split_partners("Literacy, Inc.; St. John  s University, N/A").names
    ['Literacy, Inc.', "St. John's University"]
    """
    result = Split()
    for segment in _segments(_protect(cell)):
        _read_segment(segment, result)
    return result


@lru_cache(maxsize=65536)
def partner_key(name: str) -> str:
    """The key shared by the spellings of one organization's name.

    Lower case, ASCII, no apostrophes, "&" read as "and", other punctuation
    as a space, parenthesised parts and web suffixes left out, a few
    spellings unified (:data:`TOKEN_SPELLINGS`), a leading "The" and a
    trailing legal form dropped.

    >>> partner_key("The St. John  s University (SJU)")
    'st johns university'
    >>> partner_key("Saint John's University, Inc.")
    'st johns university'
    """
    text = clean_text(name).replace("'", "")
    text = re.sub(r"(?i)\bwww\.|\.(org|com|net|edu)\b", " ", text)
    bare = _without_parentheses(text)
    text = bare if re.search(r"[A-Za-z0-9]", bare) else text
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[&+]", " and ", text.lower())
    tokens: list[str] = []
    for token in re.sub(r"[^a-z0-9]+", " ", text).split():
        tokens.extend(TOKEN_SPELLINGS.get(token, token).split())
    while tokens and tokens[0] in _KEY_LEADING:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1] in _KEY_TRAILING:
        tokens.pop()
    return " ".join(tokens)


def partner_id(key: str) -> str:
    """Stakeholder id of a partner key: ``org:st-johns-university``."""
    return "org:" + key.replace(" ", "-")


@lru_cache(maxsize=65536)
def acronym_of(name: str) -> str | None:
    """The acronym a name gives in closing parentheses, if it gives one.

    The acronym must be written mostly in capitals and spell the initials of
    the name (letters may continue inside a word: "APEX" for "Asian
    Professional Extension").

    >>> acronym_of("Museum of Modern Art (MoMA)")
    'MoMA'
    >>> acronym_of("Rotunda Gallery (BRIC)") is None
    True
    """
    match = re.search(r"\(([^()]+)\)\s*$", clean_text(name))
    if not match:
        return None
    inner = match.group(1).strip()
    if not is_acronym(inner):
        return None
    words = partner_key(name).split()
    letters = re.sub(r"[^a-z]", "", inner.lower())
    return inner if _spells_initials(letters, words) else None


def is_acronym(text: str) -> bool:
    """True for a short token written mostly in capitals: "MoMA", "C-CAP"."""
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    short = len(text) <= 12 and " " not in text.strip()
    return short and len(letters) >= 2 and upper >= 2 and upper * 2 >= len(letters)


# -- cutting a cell into pieces ---------------------------------------------

# Stand-ins for the commas and colons inside NAMES_WITH_SEPARATORS while the
# cell is cut; _tidy puts the real marks back.
_COMMA, _COLON = "\x1f", "\x1e"
_JOIN = r"\s*(?:,\s*)?(?:&|\band\b)\s*|,\s*|:\s*|\s+"


def _separator_pattern(name: str) -> re.Pattern[str]:
    """A loose pattern for one of NAMES_WITH_SEPARATORS."""
    words = re.split(_JOIN, name)
    marks = re.findall(_JOIN, name)
    parts = [_word_pattern(words[0])]
    for mark, word in zip(marks, words[1:]):
        if "&" in mark or "and" in mark:
            parts.append(r",?\s*(?:&|and)\s*")
        elif "," in mark:
            parts.append(r",?\s*")
        elif ":" in mark:
            parts.append(r":\s*")
        else:
            parts.append(r"\s+")
        parts.append(_word_pattern(word))
    return re.compile("".join(parts), re.IGNORECASE)


def _word_pattern(word: str) -> str:
    return r"(?:'|\u2019|\s{2,3})".join(re.escape(w) for w in word.split("'"))


_SEPARATOR_NAMES = re.compile(
    "|".join(_separator_pattern(n).pattern for n in NAMES_WITH_SEPARATORS),
    re.IGNORECASE,
)


def _protect(text: str) -> str:
    """Hide the commas and colons of NAMES_WITH_SEPARATORS from splitting."""
    return _SEPARATOR_NAMES.sub(
        lambda m: m.group(0).replace(",", _COMMA).replace(":", _COLON), text
    )


def _segments(text: str) -> list[str]:
    """Sentences and semicolon-separated parts, outside parentheses."""
    text = text.translate(_DASHES).replace("\n", " ").replace("\r", " ")
    pieces: list[str] = []
    for part in _split_outside(text, ";"):
        pieces.extend(_sentences(part))
    return [p for p in (p.strip() for p in pieces) if p]


def _sentences(text: str) -> list[str]:
    """Cut at a period, "!" or "?" followed by a space and a capital."""
    out, start, seen = [], 0, 0
    for match in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"\u201c(])", text):
        end = match.start()
        # The last word before the cut, looked for back to the previous
        # candidate cut only, so a run of abbreviations stays linear.
        last = text[text.rfind(" ", seen, end) + 1 or seen : end].rstrip(".!?")
        seen = match.end()
        if end > start and text[end - 1] == "." and _is_abbreviation(last):
            continue
        if re.match(r"[A-Z]\.\s", text[match.end() : match.end() + 3]):
            continue  # an initial follows: "Edward. J. Malloy"
        out.append(text[start:end])
        start = match.end()
    out.append(text[start:])
    return out


def _is_abbreviation(word: str) -> bool:
    bare = word.strip("()\"'")
    return len(bare) <= 1 or "." in bare or bare.lower() in ABBREVIATIONS


def _split_outside(text: str, separators: str) -> list[str]:
    """Split at any of ``separators`` that is not inside parentheses.

    Unbalanced parentheses protect nothing: the text is split everywhere.
    """
    balanced = text.count("(") == text.count(")")
    if "(" not in text or not balanced:
        return re.split(f"[{re.escape(separators)}]", text)
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _without_parentheses(text: str) -> str:
    """Each outermost balanced "(...)" replaced by a space; an unmatched
    parenthesis stays. One pass, so deep nesting costs no more than its length.

    >>> _without_parentheses("ACE (After (School) Club) and Co (NY"), _without_parentheses(")a(b)")
    ('ACE   and Co (NY', ')a ')
    """
    out: list[str] = []
    opened: list[int] = []
    for char in text:
        if char == "(":
            opened.append(len(out))
        elif char == ")" and opened:
            del out[opened.pop() :]
            out.append(" ")
            continue
        out.append(char)
    return "".join(out)


# -- reading one segment -------------------------------------------------------


def _read_segment(segment: str, result: Split) -> None:
    """Names of one sentence or semicolon part, with its prose left out.

    A prose piece takes with it the pieces that continue its sentence (in
    lower case: "..., which manages 400+ national parks, historic sites")
    and a lead-in mostly in lower case ("Since the school's development,
    Roundabout has ..."). Pieces after it are read again when all of them,
    up to the next prose, start like names ("..., Writing Program with
    students from Middlebury College, Photography Program at New York
    University").
    """
    fragments = _rejoin(_without_headings(_split_outside(segment, ","), result))
    reasons = [_prose_reason(f) for f in fragments]
    drop = [bool(r) for r in reasons]
    for n in range(1, len(fragments)):
        if drop[n - 1] and not drop[n]:
            # Read on after prose only if every piece up to the next prose
            # piece starts like a name.
            end = next((m for m in range(n, len(fragments)) if reasons[m]), None)
            stop = len(fragments) if end is None else end
            if any(_continues(f) for f in fragments[n:stop]):
                drop[n:stop] = [True] * (stop - n)
    for n in range(len(fragments) - 2, -1, -1):
        drop[n] = drop[n] or (drop[n + 1] and _leads_in(fragments[n : n + 2]))
    run: list[int] = []
    for n, fragment in enumerate([*fragments, ""]):
        if n < len(fragments) and drop[n]:
            run.append(n)
            continue
        if run:
            text = ", ".join(fragments[i].strip() for i in run)
            reason = (
                "prose" if "prose" in (reasons[i] for i in run) else reasons[run[0]]
            )
            result.dropped.append(Dropped(_restore(text), reason or "prose"))
            run = []
        if n < len(fragments):
            _read_name(fragment, result)


def _read_name(fragment: str, result: Split) -> None:
    written = _tidy(fragment)
    name = _short_parentheses(clean_text(written))
    if _names_nothing(name):
        if name:
            result.dropped.append(Dropped(name, "not a name"))
        return
    result.names.append(name)
    result.written.append(written)


def _leads_in(pair: list[str]) -> bool:
    """True when the first piece opens the prose sentence of the second.

    Either it is mostly in lower case, or it is one word before a sentence
    that goes on in lower case ("Comprehensive, interdisciplinary clinical
    services are available").
    """
    first, then = pair
    one_word = len(first.split()) == 1 and _continues(then)
    return one_word or _mostly_lower(first)


def _continues(fragment: str) -> bool:
    """True for a piece that goes on with a sentence rather than naming."""
    words = re.sub(r"^\s*(and|&)\s+", "", fragment).split()
    if not words:
        return True
    lower_start = words[0].islower() and words[0] != "the"
    return lower_start or _mostly_lower(fragment)


def _mostly_lower(fragment: str) -> bool:
    """True when most words after the first start in lower case."""
    words = re.findall(r"[A-Za-z']+", _without_parentheses(fragment))[1:]
    words = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(words) and 2 * sum(w[0].islower() for w in words) > len(words)


def _without_headings(pieces: list[str], result: Split) -> list[str]:
    """Resolve "Heading: ..." and "Org: Program" / "Org - Program" pieces.

    A list heading gives way to what follows it; a heading naming people
    drops the rest of the part; otherwise the piece is an organization
    followed by its program, and the program is set aside as dropped with
    reason "program" (a loader that sees the program listed on its own
    elsewhere may take it back as a name).
    """
    out: list[str] = []
    for n, piece in enumerate(pieces):
        head, detail = _cut_heading(piece)
        if head is None:
            out.append(piece)
        elif PEOPLE_HEADING.search(head):
            count = len(pieces) - n
            result.dropped.append(Dropped(f"{count} names after '{head}'", "people"))
            break
        elif LIST_HEADING.search(head):
            out.append(detail)
        elif _prose_reason(head):
            out.append(piece)
        else:
            out.append(head)
            if _prose_reason(detail):
                result.dropped.append(Dropped(_restore(detail), "prose"))
            elif detail.strip():
                name = _short_parentheses(clean_text(_tidy(detail)))
                result.dropped.append(Dropped(name, "program"))
    return out


def _cut_heading(piece: str) -> tuple[str | None, str]:
    """Split "Head: rest" or "Head - rest" at the first such mark.

    A colon in a web address and a mark inside parentheses do not count.
    """
    for match in re.finditer(r":(?!//)|\s-\s", piece):
        head = piece[: match.start()]
        if head.count("(") == head.count(")") and head.strip():
            return head.strip(), piece[match.end() :]
    return None, piece


def _rejoin(fragments: list[str]) -> list[str]:
    """Join legal forms split off by commas ("Literacy, Inc.") back on."""
    out: list[str] = []
    for fragment in fragments:
        text = fragment.strip()
        if out and _is_legal_suffix(text):
            out[-1] = f"{out[-1].rstrip()}, {text}"
        else:
            out.append(text)
    return out


def _is_legal_suffix(text: str) -> bool:
    head = re.split(r"[\s(]", text, maxsplit=1)[0]
    return re.sub(r"[^a-z]", "", head.lower()) in LEGAL_SUFFIXES


def _prose_reason(fragment: str) -> str:
    """Why a piece is not a name: "prose", "too long for one name", or "".

    Prose: a word of PROSE_WORDS_ANY_CASE, a verb such as "is", or another
    word of PROSE_WORDS among at least two lower-case words that are not
    small ones ("Achieving Change in our Neighborhood" is a name).
    """
    text = clean_text(_without_parentheses(fragment))
    words = [w.strip("'") for w in re.findall(r"[A-Za-z']+", text)]
    words = [w for w in words if w]
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    lower = [w for w in content if w[0].islower()]
    if any(w.lower() in PROSE_WORDS_ANY_CASE for w in words):
        return "prose"
    if any(w in _VERBS for w in lower):
        return "prose"
    if len(lower) >= 2 and any(w in PROSE_WORDS for w in lower):
        return "prose"
    return "too long for one name" if len(content) > MAX_NAME_WORDS else ""


def _short_parentheses(name: str) -> str:
    """Leave out parenthesised descriptions longer than a few words."""

    def keep(match: re.Match[str]) -> str:
        words = match.group(0).split()
        return match.group(0) if len(words) <= MAX_PARENTHESIS_WORDS else " "

    name = re.sub(r"\([^()]*\)", keep, name)
    return " ".join(name.split()).replace(" ,", ",")


def _restore(text: str) -> str:
    return text.replace(_COMMA, ",").replace(_COLON, ":")


def _tidy(fragment: str) -> str:
    """Strip list glue ("and", "&") and stray punctuation around a name."""
    text = _restore(fragment).strip()
    text = re.sub(r"^(and|&)\s+", "", text, flags=re.IGNORECASE)
    text = text.strip(' ,;:-_!*"\u201c\u201d')
    last = text.rsplit(" ", 1)[-1]
    if text.endswith(".") and not _is_abbreviation(last.rstrip(".")):
        text = text.rstrip(". ")
    if text.endswith(")") and text.count("(") < text.count(")"):
        text = text[:-1].rstrip()
    if text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:].lstrip()
    if re.fullmatch(r"\([^()]*\)", text):
        text = text[1:-1].strip()
    if text.startswith("the "):
        text = "T" + text[1:]
    return text


def _names_nothing(name: str) -> bool:
    """True for placeholders and for pieces with no capital letter at all."""
    plain = " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())
    if not plain or plain in NOT_A_NAME:
        return True
    if not any(c.isupper() for c in name):
        return True
    return all(w.isdigit() or w in {"in", "the", "of", "and"} for w in plain.split())


def split_joined(name: str, vocabulary: set[str]) -> list[str]:
    """Split "A and B" ("A & B") when A and B are each listed on their own.

    ``vocabulary`` holds the keys of the names listed in the same file. A
    name that cannot be cut into listed names comes back whole.

    >>> split_joined("Mercy College and John Jay College",
    ...              {"mercy college", "john jay college"})
    ['Mercy College', 'John Jay College']
    >>> split_joined("Boys and Girls Club", {"boys and girls club"})
    ['Boys and Girls Club']
    """
    for match in re.finditer(r"\s+(?:and|&)\s+", name):
        left, right = name[: match.start()], name[match.end() :]
        if left.count("(") != left.count(")"):
            continue
        if partner_key(left) in vocabulary:
            if partner_key(right) in vocabulary:
                return [left.strip(), right.strip()]
            rest = split_joined(right, vocabulary)
            if len(rest) > 1:
                return [left.strip(), *rest]
    return [name]


def _spells_initials(letters: str, words: list[str]) -> bool:
    """True when ``letters`` start the first word and follow the words' order.

    Each letter is the initial of a later word or the next matching letter
    of the current word; words may be skipped.
    """
    if not letters or not words or words[0][:1] != letters[0]:
        return False
    position = {"word": 0, "char": 1}
    for letter in letters[1:]:
        if not _advance(letter, words, position):
            return False
    return True


def _advance(letter: str, words: list[str], position: dict[str, int]) -> bool:
    word, char = position["word"], position["char"]
    rest = words[word][char:]
    if letter in rest:
        position["char"] = char + rest.index(letter) + 1
        return True
    for later in range(word + 1, len(words)):
        if words[later].startswith(letter):
            position.update(word=later, char=1)
            return True
    return False
