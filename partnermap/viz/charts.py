"""Small server-drawn SVG pictures: bar charts and a static network drawing.

Both return markup built with autoescaping (every label and title goes
through :func:`markupsafe.escape`), so they can be placed in a page as is and
print well: no script, no external font.

Notes
-----
:func:`network_svg` draws nodes as one path per kind and ties as one path per
class, so a picture of the whole NYC example (6,000 nodes) stays under a
megabyte. It draws; it does not lay out: pass positions from
:mod:`partnermap.viz.layout`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import networkx as nx
from markupsafe import Markup, escape

from partnermap.viz.layout import Point

BAR_COLOUR = "#0072B2"


def bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    colours: Sequence[str] | None = None,
    width: int = 460,
    unit: str = "",
) -> Markup:
    """Horizontal bars with their labels and values, as an ``<svg>`` element.

    >>> "<svg" in bar_chart([("a", 1)], title="t")
    True
    >>> "&lt;b&gt;" in bar_chart([("<b>", 1)], title="t")
    True
    """
    row, label_w, gap = 22, min(190, width // 2.4), 6
    height = row * max(len(bars), 1) + 8
    top = max((v for _, v in bars), default=0) or 1
    plot = width - label_w - 70
    parts = [
        f'<svg class="pm-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    ]
    for i, (label, value) in enumerate(bars):
        y = 4 + i * row
        w = max(plot * value / top, 1 if value else 0)
        colour = colours[i % len(colours)] if colours else BAR_COLOUR
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<text x="{label_w - gap}" y="{y + 15}" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 7}" '
            f'fill="{escape(colour)}"><title>{escape(label)}: {value:,}{escape(unit)}</title></rect>'
            f'<text x="{label_w + w + 5:.1f}" y="{y + 15}">{value:,}{escape(unit)}</text>'
        )
    if not bars:
        parts.append('<text x="4" y="18">Nothing to show</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def share_chart(
    shares: Sequence[tuple[str, int, int]],
    *,
    title: str,
    width: int = 460,
) -> Markup:
    """Shares as bars out of 100%, as an ``<svg>`` element.

    Each share is (label, numerator, denominator); a denominator of 0 is
    drawn as "nothing to measure", not as 0%.

    >>> chart = share_chart([("a", 1, 4), ("b", 0, 0)], title="t")
    >>> "25% (1 of 4)" in chart, "nothing to measure" in chart
    (True, True)
    """
    row, bar = 40, 16  # a label line, then the bar under it
    plot = width - 4
    height = row * max(len(shares), 1) + 4
    parts = [
        f'<svg class="pm-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    ]
    for i, (label, num, den) in enumerate(shares):
        y = 2 + i * row
        text = f"{round(100 * num / den)}% ({num:,} of {den:,})" if den else "nothing to measure"
        fill = plot * num / den if den else 0
        parts.append(
            f'<text x="2" y="{y + 13}">{escape(label)}</text>'
            f'<rect x="2" y="{y + 18}" width="{plot}" height="{bar}" fill="#e8ebef"/>'
            f'<rect x="2" y="{y + 18}" width="{fill:.1f}" height="{bar}" '
            f'fill="{BAR_COLOUR}"><title>{escape(label)}: {escape(text)}</title></rect>'
            f'<text x="7" y="{y + 31}" class="pm-chart-value">{escape(text)}</text>'
        )
    if not shares:
        parts.append('<text x="4" y="18">Nothing to show</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def network_svg(
    rel: nx.DiGraph,
    positions: dict[str, Point],
    *,
    colours: dict[str, str],
    title: str,
    highlight: dict[tuple[str, str], str] | None = None,
    centre: str | None = None,
    width: int = 1100,
    labels: bool = False,
) -> Markup:
    """A static drawing of a laid-out graph, as an ``<svg>`` element.

    ``colours`` maps a kind to its fill; ``highlight`` maps a tie (u, v) to a
    stroke colour (one-way ties, say); ``centre`` is drawn larger; ``labels``
    writes each node's name beside it (for small pictures).

    >>> g = nx.DiGraph([("a", "b")])
    >>> "<path" in network_svg(g, {"a": (0, 0), "b": (10, 0)}, colours={}, title="t")
    True
    """
    placed = {n: positions[n] for n in rel if n in positions}
    if not placed:
        return Markup(
            f'<svg class="pm-net-svg" role="img" viewBox="0 0 {width} 60" aria-label="'
            f'{escape(title)}"><text x="10" y="35">Nothing to draw</text></svg>'
        )
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    pad = 30.0 if labels else 12.0
    room = 150.0 if labels else 0.0  # labels run to the right of their dots
    scale = (width - 2 * pad - room) / max(max(xs) - min(xs), 1.0)
    height = (max(ys) - min(ys)) * scale + 2 * pad
    if height > width * 1.2:  # tall graphs: fit the height instead
        scale = (width * 1.2 - 2 * pad) / max(max(ys) - min(ys), 1.0)
        height = width * 1.2

    left, top = min(xs), min(ys)

    def at(node: str) -> tuple[float, float]:
        x, y = placed[node]
        return (x - left) * scale + pad, (y - top) * scale + pad

    radius = max(1.2, min(6.0, 9 * scale)) if not labels else 6.0
    parts = [
        f'<svg class="pm-net-svg" role="img" viewBox="0 0 {width} {height:.0f}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    parts += _ties(rel, at, placed, highlight or {}, max(0.4, radius / 4))
    parts += _nodes(rel, at, placed, colours, radius, centre)
    if labels:
        for node in placed:
            x, y = at(node)
            name = str(rel.nodes[node].get("name", node))
            name = name if len(name) <= 28 else name[:27] + "…"
            parts.append(
                f'<text x="{x + radius + 2:.1f}" y="{y + 4:.1f}" font-size="11">'
                f"{escape(name)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


_At = Callable[[str], tuple[float, float]]


def _ties(
    rel: nx.DiGraph,
    at: _At,
    placed: dict[str, Point],
    highlight: dict[tuple[str, str], str],
    width: float,
) -> list[str]:
    """One path for plain ties and one per highlight colour."""
    plain: list[str] = []
    marked: dict[str, list[str]] = {}
    for u, v in rel.edges:
        if u == v or u not in placed or v not in placed:
            continue
        (x1, y1), (x2, y2) = at(u), at(v)
        seg = f"M{x1:.1f} {y1:.1f}L{x2:.1f} {y2:.1f}"
        colour = highlight.get((u, v))
        (marked.setdefault(colour, []) if colour else plain).append(seg)
    out = [f'<path d="{"".join(plain)}" stroke="#9AA3AD" stroke-opacity="0.6" '
           f'stroke-width="{width:.2f}" fill="none"/>']
    for colour, segs in marked.items():
        out.append(f'<path d="{"".join(segs)}" stroke="{escape(colour)}" '
                   f'stroke-width="{width * 1.6:.2f}" stroke-dasharray="3 2" fill="none"/>')
    return out


def _nodes(
    rel: nx.DiGraph,
    at: _At,
    placed: dict[str, Point],
    colours: dict[str, str],
    radius: float,
    centre: str | None,
) -> list[str]:
    """One path of circles per kind, then the centre on top."""
    by_kind: dict[str, list[str]] = {}
    for node in placed:
        if node == centre:
            continue
        x, y = at(node)
        r = radius
        by_kind.setdefault(str(rel.nodes[node].get("kind", "other")), []).append(
            f"M{x - r:.1f} {y:.1f}a{r:.1f} {r:.1f} 0 1 0 {2 * r:.1f} 0"
            f"a{r:.1f} {r:.1f} 0 1 0 {-2 * r:.1f} 0"
        )
    out = []
    for kind, arcs in sorted(by_kind.items()):
        out.append(f'<path d="{"".join(arcs)}" fill="{escape(colours.get(kind, "#BBBBBB"))}" '
                   f'stroke="#333" stroke-width="{radius / 6:.2f}"/>')
    if centre in placed:
        x, y = at(centre)
        colour = colours.get(str(rel.nodes[centre].get("kind")), "#BBBBBB")
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius * 1.8:.1f}" '
                   f'fill="{escape(colour)}" stroke="#000" stroke-width="2"/>')
    return out
