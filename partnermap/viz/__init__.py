"""Pages and pictures: network pages, their layouts, and the assets they use.

Every script and style a page needs lies in :data:`STATIC_DIR`, which the app
serves at ``/static``, so that the pages work with no internet.
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR: Path = Path(__file__).parent / "static"
"""Scripts and styles served by the app at /static (vis-network and our own)."""

TEMPLATES_DIR: Path = Path(__file__).parent / "templates"
"""Jinja2 templates of the pages."""

__all__ = ["STATIC_DIR", "TEMPLATES_DIR"]
