"""The exports open in other tools' readers (networkx's, as Gephi's stand-in)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import openpyxl

from partnermap.export import export_store
from partnermap.store import open_store
from tests.export.test_round_trip import rich_batch


def exported(tmp_path: Path, name: str) -> Path:
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as store:
        store.apply(rich_batch())
        return export_store(store, tmp_path / name)[0]


def test_gexf_reads_in_networkx(tmp_path: Path) -> None:
    graph = nx.read_gexf(exported(tmp_path, "net.gexf"))
    assert graph.number_of_nodes() == 6
    assert graph.number_of_edges() == 6 + 3  # the three two-way ones are "mutual"
    assert graph.nodes["00123"]["label"] == "Lincoln High"
    assert graph.nodes["00123"]["enrollment"] == 1204
    assert graph.nodes["00123"]["attr:kind"] == "clash"


def test_graphml_reads_in_networkx(tmp_path: Path) -> None:
    graph = nx.read_graphml(exported(tmp_path, "net.graphml"))
    assert graph.number_of_nodes() == 6
    assert graph.number_of_edges() == 6
    assert graph.nodes["00123"]["frl_share"] == 0.71
    assert graph.nodes["rp"]["mixed (json)"] == "5"


def test_node_link_reads_in_networkx(tmp_path: Path) -> None:
    import json

    data = json.loads(exported(tmp_path, "net.json").read_text(encoding="utf-8"))
    graph = nx.node_link_graph(data, edges="links")
    assert graph.number_of_edges() == 6
    assert graph.nodes["pta"]["tags"] == ["families", "español"]


def test_kumu_workbook_layout(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(exported(tmp_path, "net.xlsx"))
    assert book.sheetnames == ["Elements", "Connections"]
    header = [c.value for c in book["Elements"][1]]
    assert header[:5] == ["ID", "Label", "Type", "Tags", "Provenance"]
    assert [c.value for c in book["Elements"][4]][:4] == [
        "pta",
        "Lincoln PTA, Inc.",
        "Family group",
        "families|español",
    ]
    assert [c.value for c in book["Connections"][1]][:4] == [
        "From",
        "To",
        "Type",
        "Direction",
    ]
