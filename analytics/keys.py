"""The shape of API keys: ``cc_<prefix>_<secret>``, stored as a SHA-256 hash."""

import hashlib
import secrets

SCHEME = "cc"
PREFIX_LENGTH = 10


def new_key() -> tuple[str, str]:
    """A fresh (prefix, key): the prefix is 40 random bits, the secret 256."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    return prefix, f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def split_key(key: str) -> tuple[str, str] | None:
    """The prefix and secret of a well-formed key, else None."""
    scheme, _, rest = key.partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != SCHEME or len(prefix) != PREFIX_LENGTH or len(secret) < 32:
        return None
    return prefix, secret
