"""Who may see what: roles, API keys, and the part of the network a key sees.

A key is a high-entropy secret shown once when it is created; the store keeps
only its SHA-256 hash, so a stolen database yields no usable key. Roles, from
most to least:

- admin: keys, deletion, the audit log, and everything below;
- coordinator: imports and everything below;
- viewer: reads everything, with person-level records pseudonymised;
- partner: bound to one stakeholder; sees only its network to depth 2
  (:data:`PARTNER_DEPTH`) and the findings about it.

Every key belongs to one network (district) of its store and sees nothing
of any other.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from partnermap.errors import PartnermapError

PARTNER_DEPTH = 2
"""How many ties away from its stakeholder a partner key sees."""

KEY_PREFIX = "pm_"


class Role(str, Enum):
    """What a key may do."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    VIEWER = "viewer"
    PARTNER = "partner"

    def at_least(self, other: Role) -> bool:
        """True when this role may do everything ``other`` may."""
        return _RANK[self] >= _RANK[other]


_RANK = {Role.PARTNER: 0, Role.VIEWER: 1, Role.COORDINATOR: 2, Role.ADMIN: 3}


class UnauthenticatedError(PartnermapError):
    """No key, or a key that is unknown or revoked."""


class ForbiddenError(PartnermapError):
    """A known key whose role may not do this."""


@dataclass(frozen=True)
class ApiKey:
    """A key as the store keeps it: never the secret, only its hash."""

    id: str
    role: Role
    key_hash: str
    created: str
    stakeholder: str | None = None
    revoked: str | None = None
    network: str = "main"

    def to_dict(self) -> dict[str, str | None]:
        """Plain data for listings (the hash is left out)."""
        return {
            "id": self.id,
            "network": self.network,
            "role": self.role.value,
            "stakeholder": self.stakeholder,
            "created": self.created,
            "revoked": self.revoked,
        }


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: a key, or the local demo without keys."""

    role: Role
    key_id: str | None = None
    stakeholder: str | None = None
    network: str | None = None
    """The key's network; None for the local demo, which sees the store's."""

    @property
    def who(self) -> str:
        """The name the audit log records."""
        return f"key:{self.key_id}" if self.key_id else "local"

    @property
    def masks_people(self) -> bool:
        """Viewers and partners see person-level records pseudonymised."""
        return not self.role.at_least(Role.COORDINATOR)


LOCAL = Principal(Role.ADMIN)
"""The principal of a deployment that runs without keys (the local demo)."""


def now() -> str:
    """The current UTC time, ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def hash_key(secret: str) -> str:
    """The stored form of a key: hex SHA-256 (the key has 256 bits of entropy)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_key(
    role: Role, stakeholder: str | None = None, network: str = "main"
) -> tuple[ApiKey, str]:
    """A fresh key record and its secret, which is shown once and never stored.

    A partner key must name its stakeholder; no other role may.

    >>> record, secret = new_key(Role.VIEWER)
    >>> secret.startswith("pm_") and record.key_hash == hash_key(secret)
    True
    """
    if (role is Role.PARTNER) != bool(stakeholder):
        raise ValueError(
            "a partner key needs --stakeholder ID, and only a partner key takes one"
        )
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    record = ApiKey(
        id="k-" + secrets.token_hex(4),
        role=role,
        key_hash=hash_key(secret),
        created=now(),
        stakeholder=stakeholder,
        network=network,
    )
    return record, secret
