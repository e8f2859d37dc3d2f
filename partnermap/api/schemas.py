"""Request and response models, kept apart from the store's records."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from partnermap.model import Stakeholder


class StakeholderOut(BaseModel):
    """A stakeholder as the API shows it."""

    id: str
    name: str
    kind: str
    kind_label: str
    attributes: dict[str, Any]
    source: str

    @classmethod
    def of(cls, s: Stakeholder) -> StakeholderOut:
        """From a store record."""
        return cls(
            id=s.id,
            name=s.name,
            kind=s.kind.value,
            kind_label=s.kind.label,
            attributes=s.attributes,
            source=s.source,
        )


class StakeholderPage(BaseModel):
    """One page of stakeholders."""

    total: int
    offset: int
    limit: int
    items: list[StakeholderOut]


class Relationship(BaseModel):
    """A stakeholder's tie with another, as seen from the stakeholder."""

    other: dict[str, str] = Field(description="id, name and kind of the other side")
    outgoing: dict[str, int | str] = Field(
        description='events from this stakeholder, by type ("fewer than 5" for 1 to '
        "4 on a tie of a group of people, shown to viewers and partners)"
    )
    incoming: dict[str, int | str] = Field(
        description="events to this stakeholder, by type (masked as outgoing)"
    )
    first: str | None
    last: str | None
    status: str = Field(description="mutual, one_way_out or one_way_in")


class StakeholderDetail(StakeholderOut):
    """A stakeholder with its relationships."""

    relationships: list[Relationship]


class Health(BaseModel):
    """Whether the service and its store answer."""

    status: str
    store: str
    network: str = Field(description="the network (district) the key sees")
    version: int
    counts: dict[str, int | str] = Field(
        description="totals; to viewers and partners, those of their view: a "
        "count of people under 5 reads 'fewer than 5', one that holds such a "
        "group 'at least N'"
    )


class ErrorBody(BaseModel):
    """The one shape of every error."""

    error: str
    detail: Any = None
    problems: list[str] | None = Field(
        default=None,
        description="a refused import's every problem (file, row, column, what "
        "and how to fix it): the first 1,000, then a line counting the rest; "
        "detail holds the first",
    )


class AuditLine(BaseModel):
    """One line of the audit log."""

    at: str = Field(description="UTC time, ISO 8601")
    who: str = Field(description="key:<id>, cli:<user> or local")
    action: str = Field(description="import, forget, key-create, key-revoke, login, key-use")
    what: str


class ImportResult(BaseModel):
    """What an upload changed."""

    file: str = Field(description="the sanitised file name it was saved under")
    format: str
    stakeholders_added: int
    stakeholders_updated: int
    interactions_added: int
    attributes_updated: int
    version: int
    warnings: list[str] = Field(
        description="the loader's warnings, as `partnermap load` prints them "
        "(empty when none): a file read as Windows-1252, placeholders made for "
        "unknown stakeholders, skipped title rows or sheets, dates that also "
        "read day-first"
    )
