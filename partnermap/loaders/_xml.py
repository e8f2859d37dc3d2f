"""XML read safely: defusedxml refuses entity expansion and external entities."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_tree  # type: ignore[import-untyped]
from defusedxml import DefusedXmlException  # type: ignore[import-untyped]

from partnermap.errors import LoadError, Problem


def parse_xml(path: Path) -> Element:
    """The root element of an XML file; entity bombs and bad XML are refused."""
    try:
        return safe_tree.parse(str(path)).getroot()
    except DefusedXmlException as exc:
        raise LoadError(
            [
                Problem(
                    path.name,
                    f"refused: the XML declares entities ({exc.__class__.__name__}), "
                    "which can expand without limit (an entity-expansion bomb)",
                    hint="export the graph again from Gephi, yEd or networkx; "
                    "their files declare no entities",
                )
            ]
        ) from None
    except safe_tree.ParseError as exc:
        raise LoadError(
            [
                Problem(
                    path.name,
                    f"is not well-formed XML ({exc})",
                    hint="export the graph again; the file may be cut short",
                )
            ]
        ) from None


def local(tag: str) -> str:
    """A tag without its namespace: ``{http://...}node`` is ``node``."""
    return tag.rsplit("}", 1)[-1]
