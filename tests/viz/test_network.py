"""The network page as HTML: escaped, self-contained, marked up as promised."""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from typing import Any

import networkx as nx
import pytest

from partnermap.viz import STATIC_DIR
from partnermap.viz.layout import positions
from partnermap.viz.network import PHYSICS_MAX_NODES, render_network
from tests.viz.synthetic import nyc_shaped

EVIL = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>alert(2)</script>\u2028&amp;"


def flow(counts: dict[str, int], confirmed: bool = True) -> dict[str, Any]:
    return {
        "counts": counts,
        "events": sum(counts.values()),
        "first": "2024-09-01",
        "last": "2024-10-01",
        "intensity": 2,
        "confirmed": confirmed,
    }


def hand_drawn() -> nx.DiGraph:
    """school <-> pta (mutual), school -> evil (one-way), a pair apart."""
    g = nx.DiGraph()
    g.add_node("school-1", name="Lincoln High", kind="school", attributes={})
    g.add_node("family-1", name="Lincoln PTA", kind="family_group", attributes={})
    g.add_node("evil", name=EVIL, kind="nonprofit", attributes={})
    g.add_node("club-1", name=BREAKOUT, kind="community_organization", attributes={})
    g.add_node("club-2", name="Go Club", kind="community_organization", attributes={})
    g.add_edge("school-1", "family-1", **flow({"meeting": 2}))
    g.add_edge("family-1", "school-1", **flow({"meeting": 2}))
    g.add_edge("school-1", "evil", **flow({"information_sent": 3, "partner_listed": 1}))
    g.add_edge("club-1", "club-2", **flow({"agreement": 1}))
    g.add_edge("club-2", "club-1", **flow({"agreement": 1}))
    return g


def render(g: nx.DiGraph | None = None, **kwargs: Any) -> str:
    g = hand_drawn() if g is None else g
    args: dict[str, Any] = {
        "one_way": {("school-1", "evil")},
        "isolated": {"club-1", "club-2"},
        "positions": positions(g),
        "title": "Network <b>test</b>",
    }
    args.update(kwargs)
    return render_network(g, **args)


def embedded(html: str, block: str) -> Any:
    match = re.search(
        rf'<script id="{block}" type="application/json">(.*?)</script>', html, re.DOTALL
    )
    assert match is not None
    return json.loads(match.group(1))


class Sources(HTMLParser):
    """Every src and href in a page, and every tag name."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in {"src", "href"}]


def sources(html: str) -> Sources:
    parser = Sources()
    parser.feed(html)
    return parser


def test_render_network_keeps_names_out_of_the_markup() -> None:
    html = render()
    assert EVIL not in html
    assert "<img" not in html
    assert "</script><script>" not in html
    assert "\u2028" not in html
    assert sources(html).tags.count("script") == 4  # two data blocks, two files


def test_render_network_round_trips_names_through_the_json() -> None:
    names = {n[0]: n[1] for n in embedded(render(), "pm-data")["nodes"]}
    assert names["evil"] == EVIL
    assert names["club-1"] == BREAKOUT


def test_render_network_escapes_the_title() -> None:
    html = render()
    assert "<title>Network &lt;b&gt;test&lt;/b&gt;</title>" in html
    assert "<b>test</b>" not in html


@pytest.mark.parametrize("asset_url", ["/static", "/static/", "/app/assets"])
def test_render_network_loads_assets_only_from_the_app(asset_url: str) -> None:
    urls = sources(render(asset_url=asset_url)).urls
    base = asset_url.rstrip("/")
    assets = [u for u in urls if u.endswith((".css", ".js"))]
    assert assets == [
        f"{base}/vis-network.css",
        f"{base}/network.css",
        f"{base}/pages.css",
        f"{base}/vis-network.min.js",
        f"{base}/network.js",
    ]
    pages = [u for u in urls if u not in assets and not u.startswith("data:")]
    assert all(u.startswith(("/", "#")) for u in pages)
    assert not any(u.startswith(("http://", "https://", "//")) for u in urls)


def test_static_dir_holds_what_the_page_loads() -> None:
    for name in ["vis-network.css", "network.css", "vis-network.min.js", "network.js",
                 "pages.css", "pages.js"]:
        assert (STATIC_DIR / name).is_file()
    assert (STATIC_DIR / "LICENSE-vis-network.txt").is_file()
    own = (STATIC_DIR / "network.js").read_text() + (
        STATIC_DIR / "network.css"
    ).read_text()
    assert "http://" not in own and "https://" not in own
    script = (STATIC_DIR / "network.js").read_text()
    for sink in [".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write"]:
        assert sink not in script


def test_render_network_marks_one_way_and_draws_mutual_pairs_once() -> None:
    data = embedded(render(), "pm-data")
    ids = [n[0] for n in data["nodes"]]
    drawn = {(ids[e[0]], ids[e[1]]): e[2] for e in data["edges"]}
    assert drawn == {
        ("family-1", "school-1"): "mutual",
        ("school-1", "evil"): "one_way",
        ("club-1", "club-2"): "mutual",
    }
    one_way = next(e for e in data["edges"] if e[2] == "one_way")
    assert one_way[3] == [
        [["information_sent", 3], ["partner_listed", 1]],
        "2024-09-01",
        "2024-10-01",
        2,
        True,
    ]
    assert data["tie_counts"] == {"mutual": 2, "one_way": 1, "single": 0, "self": 0}


def test_render_network_a_flow_not_called_one_way_is_drawn_plain() -> None:
    data = embedded(render(one_way=set()), "pm-data")
    assert sorted(e[2] for e in data["edges"]) == ["mutual", "mutual", "single"]


def test_render_network_legend_lists_the_kinds_present_only() -> None:
    html = render()
    for label in ["School", "Family group", "Community organization", "Nonprofit"]:
        assert f"<span>{label}</span>" in html
    assert "District office" not in html
    assert "After-school program provider" not in html
    assert [k["key"] for k in embedded(html, "pm-data")["kinds"]] == [
        "school",
        "family_group",
        "community_organization",
        "nonprofit",
    ]


def test_render_network_legend_names_ties_and_isolated_groups() -> None:
    html = render()
    assert "One-way: nothing flows back" in html
    assert "Flows both ways" in html
    assert "Shaded: an isolated group" in html
    assert "the other side has not reported" not in html  # none drawn


def test_render_network_numbers_isolated_groups() -> None:
    data = embedded(render(), "pm-data")
    group = {n[0]: n[5] for n in data["nodes"]}
    assert group == {"school-1": 0, "family-1": 0, "evil": 0, "club-1": 1, "club-2": 1}


def test_render_network_uses_the_given_positions() -> None:
    g = hand_drawn()
    placed = positions(g)
    data = embedded(render(g, positions=placed), "pm-data")
    assert {n[0]: (n[3], n[4]) for n in data["nodes"]} == placed


def test_render_network_leaves_unplaced_nodes_to_the_browser() -> None:
    data = embedded(render(positions={}), "pm-data")
    assert all(n[3] is None and n[4] is None for n in data["nodes"])


def test_render_network_physics_only_on_small_graphs() -> None:
    small = embedded(render(), "pm-options")
    assert small["physics"]["enabled"] is True
    assert small["layout"]["improvedLayout"] is False

    g = nx.DiGraph()
    for i in range(PHYSICS_MAX_NODES + 1):
        g.add_node(str(i), name=f"n{i}", kind="school", attributes={})
    big = render(g, one_way=set(), isolated=set(), positions=positions(g))
    options = embedded(big, "pm-options")
    assert options["physics"]["enabled"] is False
    assert options["edges"]["smooth"] is False
    assert embedded(big, "pm-data")["large"] is True


def test_render_network_physics_threshold_can_be_set() -> None:
    options = embedded(render(physics_max_nodes=3), "pm-options")
    assert options["physics"]["enabled"] is False


def test_render_network_of_an_empty_graph() -> None:
    html = render(nx.DiGraph(), one_way=set(), isolated=set(), positions={})
    data = embedded(html, "pm-data")
    assert data["nodes"] == [] and data["edges"] == [] and data["kinds"] == []


def test_render_network_unknown_kind_counts_as_other() -> None:
    g = nx.DiGraph()
    g.add_node("x", name="X", kind="spaceship", attributes={})
    data = embedded(render(g, one_way=set(), isolated=set()), "pm-data")
    assert [k["key"] for k in data["kinds"]] == ["other"]


def test_render_network_nyc_sized_graph_is_fast() -> None:
    g = nyc_shaped()
    placed = positions(g)
    start = time.perf_counter()
    html = render_network(g, one_way=set(), isolated=set(), positions=placed, title="t")
    took = time.perf_counter() - start
    print(f"render of {g.number_of_nodes():,} nodes: {took:.2f} s, {len(html):,} bytes")
    assert took < 5.0  # about 0.3 s; catches per-edge scans of the node list
