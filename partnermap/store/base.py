"""The interface every store implements, and the function that opens one.

A store is the system of record. It applies an :class:`ImportBatch`
atomically (all of it or none of it), idempotently (the same batch twice
changes nothing), and bumps its version on every batch that changed something.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Self
from urllib.parse import quote, quote_plus

from partnermap.access import ApiKey
from partnermap.errors import StoreError
from partnermap.model import (
    ApplyResult,
    Flow,
    ImportBatch,
    Interaction,
    Stakeholder,
    StakeholderKind,
    flows_of,
)

Progress = Callable[[str, int, int], None]
"""Called as progress(step, done, total) while a long import is written."""

DEFAULT_NETWORK = "main"
"""The network a store works on when none is named."""

_NETWORK_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


FORGOTTEN = "[forgotten]"
"""What an audit line reads where it named a stakeholder since forgotten."""


def id_forms(sid: str) -> list[str]:
    """The forms an id takes in audit lines: as it is, and as a URL path
    or query writes it.

    >>> id_forms("02M475"), id_forms("a b/c")
    (['02M475'], ['a b/c', 'a%20b/c', 'a%20b%2Fc', 'a+b%2Fc'])
    """
    forms = [sid, quote(sid), quote(sid, safe=""), quote_plus(sid)]
    return list(dict.fromkeys(forms))


def redact(text: str, sid: str) -> str:
    """An audit line with every mention of an id, as a whole word of a path,
    a query or a sentence, replaced by :data:`FORGOTTEN`.

    >>> redact("GET /api/stakeholders/p1/ego", "p1")
    'GET /api/stakeholders/[forgotten]/ego'
    >>> redact("GET /api/stakeholders/p12", "p1"), redact("GET /network?focus=p1", "p1")
    ('GET /api/stakeholders/p12', 'GET /network?focus=[forgotten]')
    """
    for form in sorted(id_forms(sid), key=len, reverse=True):
        text = re.sub(
            rf"(?<![^\s/=?&:,;\"'(]){re.escape(form)}(?![^\s/?&:,;\"')#])",
            FORGOTTEN,
            text,
        )
    return text


def check_network(name: str) -> str:
    """A network name as given, or a StoreError saying what names look like.

    >>> check_network("nyc-2016")
    'nyc-2016'
    """
    if not isinstance(name, str) or not _NETWORK_NAME.fullmatch(name):
        raise StoreError(
            f"network name {name!r} is not allowed; use 1 to 40 lower-case letters, "
            "digits, '-' or '_', starting with a letter or digit (for example nyc)"
        )
    return name


class Store(abc.ABC):
    """Where stakeholders and interactions live.

    One store holds one or more networks (districts). A store object is bound
    to one of them, :attr:`network`: everything it reads, writes, counts,
    forgets and audits belongs to that network alone, and the same
    stakeholder id in two networks names two different stakeholders.
    :meth:`for_network` gives the same store bound to another network. Only
    :meth:`find_api_key` looks across networks, since a key is what tells a
    request which network it may see.
    """

    url: str
    network: str = DEFAULT_NETWORK

    @abc.abstractmethod
    def for_network(self, network: str) -> Store:
        """This store bound to another network, sharing its connection.

        Closing the returned object does not close the shared connection.
        Raises StoreError for a name :func:`check_network` refuses.
        """

    @abc.abstractmethod
    def networks(self) -> list[str]:
        """The networks that hold a stakeholder or a key, sorted by name."""

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
        """Every interaction, or those dated within [start, end] if given,
        ordered by key.

        Undated interactions are always included: they have no date to fall
        outside the window.
        """

    def iter_flows(
        self, *, start: date | None = None, end: date | None = None
    ) -> Iterator[Flow]:
        """The interactions of :meth:`iter_interactions` with the same window,
        aggregated: one :class:`~partnermap.model.Flow` per source, target,
        type, direction and confirmation, with the number of events and the
        first and last date.

        Flows come in the order of their first interaction in key order (the
        order of :meth:`iter_interactions`), so a relationship graph built
        from them equals the one built from the events, edge order included.
        This default aggregates the events in Python; a store overrides it
        with a query so that analytics never read the event log.
        """
        return iter(flows_of(self.iter_interactions(start=start, end=end)))

    @abc.abstractmethod
    def interactions_of(self, stakeholder_id: str) -> list[Interaction]:
        """Every interaction with the stakeholder as source or target."""

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Totals: stakeholders, interactions, and stakeholders per kind."""

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise StoreError when the store cannot be reached."""

    # -- access and audit ------------------------------------------------
    # Not abstract, so that a store written before keys existed still opens;
    # such a store refuses keys with a StoreError that says so.

    def add_api_key(self, key: ApiKey) -> None:
        """Keep a new key (its hash only); its network must be this store's
        (a StoreError otherwise)."""
        raise self._no_access()

    def api_keys(self) -> list[ApiKey]:
        """Every key of this network, revoked ones included, oldest first."""
        raise self._no_access()

    def find_api_key(self, key_hash: str) -> ApiKey | None:
        """The key with this hash in any network, revoked or not, or None.

        The one read that crosses networks: the key found names its network.
        """
        raise self._no_access()

    def revoke_api_key(self, key_id: str, when: str) -> bool:
        """Revoke a key of this network; False when none has that id."""
        raise self._no_access()

    def forget(self, stakeholder_id: str) -> dict[str, int]:
        """Delete a stakeholder, its interactions and revoke the keys bound to it,
        atomically, bumping the version; counts of what went."""
        raise self._no_access()

    def audit(self, who: str, action: str, what: str, when: str) -> None:
        """Append one line to the audit log."""
        raise self._no_access()

    def audit_log(self, *, offset: int = 0, limit: int = 100) -> list[dict[str, str]]:
        """Audit lines, newest first."""
        raise self._no_access()

    def _no_access(self) -> StoreError:
        return StoreError(
            f"the {type(self).__name__} does not keep API keys, deletions or an "
            "audit log yet; use the SQLite store for a deployment with keys"
        )

    def close(self) -> None:
        """Release connections."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
