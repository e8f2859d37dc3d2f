"""The Jinja2 environment every page shares, and safe JSON for <script> blocks.

Every template extends ``base.html`` (navigation, styles) and is rendered with
autoescape on, so a stakeholder's name is always text. Data a page's script
needs travels as JSON inside ``<script type="application/json">``, escaped by
:func:`script_json` so that no name can close the element.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from partnermap.viz import TEMPLATES_DIR

NAV = [
    ("/network", "Network"),
    ("/findings", "Findings"),
    ("/changes", "Changes"),
    ("/report", "Report"),
]
"""The pages in the navigation bar, in order."""

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(value: Any) -> Markup:
    """JSON that is safe inside a ``<script>`` element.

    >>> str(script_json({"name": "</script>"}))
    '{"name":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_JSON_ESCAPES))


def render_page(template: str, *, asset_url: str = "/static", **context: Any) -> str:
    """Render one page template with the shared navigation and asset root."""
    return environment().get_template(template).render(
        asset_url=asset_url.rstrip("/"), nav=NAV, **context
    )


def _number(value: float | str) -> str:
    """``1,234``; a count shown as "fewer than 5" stays as it is."""
    return f"{value:,}" if isinstance(value, int | float) else str(value)


@cache
def environment() -> jinja2.Environment:
    """The one autoescaping environment over :data:`TEMPLATES_DIR`."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["number"] = _number
    env.globals["script_json"] = script_json
    return env


def error_page(status: int, message: str) -> str:
    """The page shown for an error on a page route (404: no such stakeholder)."""
    title = "Not found" if status == 404 else "Something went wrong"
    return render_page("error.html", title=f"{title} · partnermap", heading=title,
                       message=message)
