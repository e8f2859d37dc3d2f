"""The findings guide page: docs/findings.md, served so that pages can link
to the definition of every finding and measure with no internet.

Each ``##`` section becomes an anchor named like GitHub's (lower case,
punctuation dropped, spaces as hyphens: ``#the-four-ideas-summary``). The
Markdown is rendered by markdown-it-py when installed (it comes with typer's
rich), else shown as preformatted text.

Not supported: the guide lives in the source tree's docs/ folder, not in the
installed package; an installed copy without it answers 404 with a pointer.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup, escape

from partnermap.errors import NotFoundError
from partnermap.viz.pages import render_page

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "findings.md"
"""Where the findings guide is read from."""


def anchor(heading: str) -> str:
    """A heading's anchor, as GitHub writes it.

    >>> anchor("The four ideas (summary)")
    'the-four-ideas-summary'
    """
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def render_guide(path: Path = GUIDE) -> str:
    """The guide as a page, one section per ``##`` heading."""
    if not path.is_file():
        raise NotFoundError(
            f"the findings guide is not installed here; read docs/findings.md "
            f"in the partnermap source ({path})"
        )
    text = path.read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    parts = re.split(r"^## (.+)$", body, flags=re.MULTILINE)
    sections = [{"id": "", "heading": "", "html": _html(parts[0])}]
    for heading, chunk in zip(parts[1::2], parts[2::2], strict=True):
        sections.append({"id": anchor(heading), "heading": heading.strip(),
                         "html": _html(chunk)})
    heading = title.lstrip("# ").strip()
    return render_page("guide.html", title=f"{heading} · partnermap", heading=heading,
                       sections=sections)


def _html(markdown: str) -> Markup:
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        return Markup(f"<pre>{escape(markdown.strip())}</pre>")
    # html=False: raw HTML in the Markdown is shown as text, never run.
    return Markup(MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown))
