"""Client keys and tenants, and keeping every secret out of logs and the database.

Each client key (``OTR_GATEWAY_API_KEYS``) is a tenant. The gateway keeps only each key's hash (SHA-256): that is
the tenant id stored with every object, and a request's bearer token is hashed to find its tenant. The upstream's
key and header values are needed in clear to call it; :class:`Redactor` removes them (and the client keys) from
every log line and from the upstream's error messages before a run keeps them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

from .errors import INVALID_API_KEY_MESSAGE, unauthorized

REDACTED = "[redacted]"
#: Shorter values are not redacted: replacing every "a" would garble the log and hide nothing.
MIN_SECRET_CHARS = 4


def tenant_of(key: str) -> str:
    """Return the tenant id of a client key: its SHA-256, in hex."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_keys(value: str) -> list[str]:
    """Return the keys of a comma-separated list (blanks around them and empty entries dropped)."""
    return [key.strip() for key in value.split(",") if key.strip()]


class ClientKeys:
    """The tenants that may call the gateway, known by their keys' hashes only."""

    def __init__(self, keys: Iterable[str]) -> None:
        """Accept ``keys`` (kept as hashes)."""
        self._tenants = frozenset(tenant_of(key) for key in keys)

    def __len__(self) -> int:
        """Return how many keys there are."""
        return len(self._tenants)

    def tenant(self, token: str) -> str:
        """Return the tenant of a bearer token; 401 ``invalid_api_key`` when it is no client key."""
        tenant = tenant_of(token)
        if tenant not in self._tenants:
            raise unauthorized(INVALID_API_KEY_MESSAGE, code="invalid_api_key")
        return tenant


class Redactor:
    """Replaces known secret values in text with ``[redacted]``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        """Redact each of ``secrets`` (longest first, so that one secret inside another goes whole)."""
        self._secrets = sorted({s for s in secrets if len(s) >= MIN_SECRET_CHARS}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """Return ``text`` without any of the secrets."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts every record's message (arguments merged in) and exception text."""

    def __init__(self, redact: Redactor) -> None:
        """Redact with ``redact``."""
        super().__init__()
        self._redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the record's message by its redacted rendering; keep the record."""
        message = self._redact(record.getMessage())
        if record.exc_info:
            formatter = logging.Formatter()
            message += "\n" + self._redact(formatter.formatException(record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = message, None
        return True
