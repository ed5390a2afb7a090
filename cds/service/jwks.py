"""Client public keys fetched from allowlisted JWKS URLs, cached, and refreshed when keys rotate.

A token naming an unknown `kid` triggers a refetch (the client may have rotated its keys), but at most
once per `min_refresh_s` per URL: otherwise a stream of made-up kids would turn the service into a
request amplifier against the client's JWKS host. Keys older than `max_age_s` are refetched on use;
if that fetch fails, the keys already held keep working.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import Key, KeySet

log = logging.getLogger("trialcds.service.jwks")

JwksFetcher = Callable[[str], Awaitable[Mapping[str, Any]]]


class JwksError(Exception):
    """No usable key: the URL could not be fetched or does not hold the kid."""


def find_key(keys: KeySet, kid: str) -> Key | None:
    return next((key for key in keys if key.kid == kid), None)


def parse_key_set(document: Mapping[str, Any]) -> KeySet:
    try:
        return KeySet.import_key_set({"keys": list(document["keys"])})
    except (JoseError, KeyError, TypeError, ValueError) as error:
        raise JwksError("not a JWKS document") from error


class HttpJwksFetcher:
    """GETs a JWKS over one shared HTTP client; no redirects, since only the listed URL is trusted."""

    def __init__(
        self, timeout_s: float, max_bytes: int = 256 * 1024, client: httpx.AsyncClient | None = None
    ):
        self._client = client or httpx.AsyncClient(timeout=timeout_s, follow_redirects=False)
        self._max_bytes = max_bytes

    async def __call__(self, url: str) -> Mapping[str, Any]:
        try:
            async with self._client.stream("GET", url, headers={"Accept": "application/json"}) as response:
                if response.status_code != 200:
                    raise JwksError(f"JWKS answered HTTP {response.status_code}")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > self._max_bytes:
                        raise JwksError("JWKS document too large")
        except httpx.HTTPError as error:
            raise JwksError(f"JWKS fetch failed: {type(error).__name__}") from error
        try:
            document = json.loads(body)
        except (ValueError, RecursionError) as error:  # RecursionError: nested past Python's limit
            raise JwksError("JWKS is not JSON") from error
        if not isinstance(document, dict):
            raise JwksError("JWKS is not a JSON object")
        return document

    async def aclose(self) -> None:
        await self._client.aclose()


@dataclass
class _Entry:
    keys: KeySet | None = None
    fetched_at: float = float("-inf")
    attempted_at: float = float("-inf")


class JwksCache:
    def __init__(
        self, fetch: JwksFetcher, *, min_refresh_s: float, max_age_s: float, clock: Callable[[], float]
    ) -> None:
        self._fetch = fetch
        self._min_refresh_s = min_refresh_s
        self._max_age_s = max_age_s
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def key(self, url: str, kid: str) -> Key:
        entry = self._entries.setdefault(url, _Entry())
        if entry.keys is None or self._clock() - entry.fetched_at >= self._max_age_s:
            await self._refresh(url, entry)
        key = find_key(entry.keys, kid) if entry.keys is not None else None
        if key is None:
            await self._refresh(url, entry)
            key = find_key(entry.keys, kid) if entry.keys is not None else None
        if key is None:
            raise JwksError("no key with that kid")
        return key

    async def _refresh(self, url: str, entry: _Entry) -> None:
        attempted = entry.attempted_at
        async with self._locks.setdefault(url, asyncio.Lock()):
            # Another request refreshed while this one waited, or one did so too recently.
            if entry.attempted_at != attempted or self._clock() - attempted < self._min_refresh_s:
                return
            entry.attempted_at = self._clock()
            try:
                keys = parse_key_set(await self._fetch(url))
            except JwksError as error:
                log.warning("jwks fetch failed", extra={"jwks_url": url, "reason": str(error)})
                return
            entry.keys, entry.fetched_at = keys, self._clock()
