"""The interface every store implements, and the function that opens one.

A store is the system of record. It applies an :class:`ImportBatch`
atomically (all of it or none of it), idempotently (the same batch twice
changes nothing), and bumps its version on every batch that changed something.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator
from datetime import date

from partnermap.model import (
    ApplyResult,
    ImportBatch,
    Interaction,
    Stakeholder,
    StakeholderKind,
)

Progress = Callable[[str, int, int], None]
"""Called as progress(step, done, total) while a long import is written."""


class Store(abc.ABC):
    """Where stakeholders and interactions live."""

    url: str

    @abc.abstractmethod
    def apply(
        self,
        batch: ImportBatch,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
    ) -> ApplyResult:
        """Write a batch atomically; with dry_run, report what would change."""

    @abc.abstractmethod
    def version(self) -> int:
        """A number that grows with every applied batch that changed something."""

    @abc.abstractmethod
    def get_stakeholder(self, stakeholder_id: str) -> Stakeholder | None:
        """One stakeholder by id, or None."""

    @abc.abstractmethod
    def list_stakeholders(
        self,
        *,
        kind: StakeholderKind | None = None,
        search: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[list[Stakeholder], int]:
        """A page of stakeholders ordered by name then id, and the total count."""

    @abc.abstractmethod
    def existing_ids(self, ids: list[str]) -> set[str]:
        """The subset of ids that are stakeholders in the store."""

    @abc.abstractmethod
    def iter_stakeholders(self) -> Iterator[Stakeholder]:
        """Every stakeholder."""

    @abc.abstractmethod
    def iter_interactions(
        self, *, start: date | None = None, end: date | None = None
    ) -> Iterator[Interaction]:
        """Every interaction, or those dated within [start, end] if given.

        Undated interactions are always included: they have no date to fall
        outside the window.
        """

    @abc.abstractmethod
    def interactions_of(self, stakeholder_id: str) -> list[Interaction]:
        """Every interaction with the stakeholder as source or target."""

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Totals: stakeholders, interactions, and stakeholders per kind."""

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise StoreError when the store cannot be reached."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
