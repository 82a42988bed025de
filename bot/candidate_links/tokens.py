"""Signed, expiring link tokens (itsdangerous), timed by the injected clock.

A token carries the request's uid, the language and a nonce (each link is its own), and its
expiry. The signature is checked first: a token altered in any way is refused as "altered"; one
past its expiry as "expired"."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from bot.candidate_links.rules import LANGUAGES, LONGEST_LIFE, Language, RefusalReason
from bot.shared.clock import Clock

SALT = "candidate-link"


class LinkRefused(Exception):
    """A link that cannot be used; `reason` says why (the page shows it)."""

    def __init__(self, reason: RefusalReason) -> None:
        super().__init__(reason)
        self.reason: RefusalReason = reason


@dataclass(frozen=True)
class LinkClaims:
    request_uid: str
    language: Language
    nonce: str
    expires_at: datetime


class _ClockSigner(TimestampSigner):
    """itsdangerous' timestamps from our clock (tests freeze and move it)."""

    def __init__(self, *args: Any, clock: Clock, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clock = clock

    def get_timestamp(self) -> int:
        return int(self._clock.now().timestamp())


class LinkTokens:
    def __init__(self, key: bytes, clock: Clock) -> None:
        self._clock = clock
        self._serializer = URLSafeTimedSerializer(
            key, salt=SALT, signer=_ClockSigner, signer_kwargs={"clock": clock}
        )

    def sign(self, request_uid: str, language: Language, expires_at: datetime) -> str:
        payload = {
            "r": request_uid,
            "l": language,
            "n": secrets.token_urlsafe(12),
            "e": int(expires_at.timestamp()),
        }
        return str(self._serializer.dumps(payload))

    def read(self, token: str) -> LinkClaims:
        """The token's claims; raises LinkRefused("altered" or "expired")."""
        try:
            raw = self._serializer.loads(token, max_age=int(LONGEST_LIFE.total_seconds()))
        except SignatureExpired as error:
            raise LinkRefused("expired") from error
        except BadData as error:
            raise LinkRefused("altered") from error
        claims = _claims(raw)
        if self._clock.now() >= claims.expires_at:
            raise LinkRefused("expired")
        return claims


def _claims(raw: object) -> LinkClaims:
    """A signed payload is ours, but check its shape anyway (an old format, a key reused)."""
    if not isinstance(raw, dict):
        raise LinkRefused("altered")
    payload = cast(dict[str, object], raw)
    uid, language, nonce, expiry = (payload.get(k) for k in ("r", "l", "n", "e"))
    if not (isinstance(uid, str) and isinstance(nonce, str) and isinstance(expiry, int)):
        raise LinkRefused("altered")
    if language not in LANGUAGES:
        raise LinkRefused("altered")
    return LinkClaims(uid, language, nonce, datetime.fromtimestamp(expiry, UTC))
