"""Settings, read from the environment (prefix PARTNERMAP_) or given directly."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting partnermap reads; the README lists them."""

    model_config = SettingsConfigDict(env_prefix="PARTNERMAP_", extra="ignore")

    store: str = Field(
        "sqlite:///partnermap.db",
        description="Store URL: sqlite:///path.db (embedded) or neo4j://host:7687.",
    )
    network: str = Field(
        "main",
        description="The network (district) the commands and a key-less local "
        "server use; a key always sees its own network.",
    )
    neo4j_user: str = Field("neo4j", description="Neo4j user name.")
    neo4j_password: str | None = Field(
        None, description="Neo4j password; required for a Neo4j store, no default."
    )
    physics_max_nodes: int = Field(
        300, description="Above this many nodes the network page turns physics off."
    )
    view_max_nodes: int = Field(
        3000,
        description="Above this many nodes the network explorer collapses each "
        "stakeholder's leaf partners into a count node.",
    )
    max_import_mb: float = Field(
        100.0,
        description="Largest file (or unpacked XLSX workbook) an import accepts, in MB; "
        "the load command's --max-size overrides it.",
    )
    snapshot_cache_size: int = Field(
        8,
        description="How many windows of the whole network to keep analysed (the "
        "latest version of each); scoped views get 4 times as many plus 32.",
    )
    auth_required: bool = Field(
        True,
        description="Require an API key (header or login cookie) on every route and "
        "page. Only the demo on 127.0.0.1 may run without: serve refuses any "
        "other address unless this is true and a key exists.",
    )
    pseudonym_salt: str | None = Field(
        None,
        description="Secret salt of person pseudonyms; needed to load person-level "
        "records. A secret: no default.",
    )
    pseudonym_salt_file: Path | None = Field(
        None, description="A file holding the pseudonym salt (read if the salt is unset)."
    )

    def salt(self) -> str | None:
        """The pseudonym salt: the setting, else the salt file's text, else None."""
        if self.pseudonym_salt:
            return self.pseudonym_salt
        if self.pseudonym_salt_file is not None:
            return self.pseudonym_salt_file.read_text(encoding="utf-8").strip() or None
        return None
