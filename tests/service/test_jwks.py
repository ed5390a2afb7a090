"""JWKS fetching and caching: rotation is followed, made-up kids cannot make us hammer the host."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
import pytest

from cds.service.jwks import HttpJwksFetcher, JwksCache, JwksError

from .support import EC_KEY, OTHER_EC_KEY, RSA_KEY, Clock, jwks_of

URL = "https://ehr.example.org/jwks.json"


class Documents:
    def __init__(self, document: Mapping[str, Any] | None) -> None:
        self.document = document
        self.fetches = 0

    async def __call__(self, url: str) -> Mapping[str, Any]:
        self.fetches += 1
        if self.document is None:
            raise JwksError("HTTP 503")
        return self.document


def cache(
    documents: Documents, clock: Clock, min_refresh_s: float = 60, max_age_s: float = 3600
) -> JwksCache:
    return JwksCache(documents, min_refresh_s=min_refresh_s, max_age_s=max_age_s, clock=clock)


async def test_keys_are_fetched_once_and_then_served_from_the_cache() -> None:
    documents, clock = Documents(jwks_of(EC_KEY, RSA_KEY)), Clock()
    keys = cache(documents, clock)
    assert (await keys.key(URL, "ec-1")).kid == "ec-1"
    assert (await keys.key(URL, "rsa-1")).kid == "rsa-1"
    assert documents.fetches == 1


async def test_an_unknown_kid_refetches_once_the_interval_has_passed() -> None:
    documents, clock = Documents(jwks_of(EC_KEY)), Clock()
    keys = cache(documents, clock, min_refresh_s=60)
    await keys.key(URL, "ec-1")
    with pytest.raises(JwksError):
        await keys.key(URL, "ec-2")
    assert documents.fetches == 1  # too soon after the first fetch
    documents.document = {"keys": [OTHER_EC_KEY.as_dict(private=False) | {"kid": "ec-2"}]}
    clock.now += 61
    assert (await keys.key(URL, "ec-2")).kid == "ec-2"
    assert documents.fetches == 2


async def test_keys_older_than_the_max_age_are_refetched_on_use() -> None:
    documents, clock = Documents(jwks_of(EC_KEY)), Clock()
    keys = cache(documents, clock, max_age_s=600)
    await keys.key(URL, "ec-1")
    clock.now += 601
    await keys.key(URL, "ec-1")
    assert documents.fetches == 2


async def test_a_failed_refresh_keeps_the_keys_already_held() -> None:
    documents, clock = Documents(jwks_of(EC_KEY)), Clock()
    keys = cache(documents, clock, max_age_s=600)
    await keys.key(URL, "ec-1")
    documents.document = None
    clock.now += 601
    assert (await keys.key(URL, "ec-1")).kid == "ec-1"


async def test_no_keys_at_all_is_an_error() -> None:
    with pytest.raises(JwksError):
        await cache(Documents(None), Clock()).key(URL, "ec-1")


async def test_a_document_without_keys_is_an_error() -> None:
    with pytest.raises(JwksError):
        await cache(Documents({"keys": []}), Clock()).key(URL, "ec-1")


def fetcher(handler: Any, max_bytes: int = 256 * 1024) -> HttpJwksFetcher:
    transport = httpx.MockTransport(handler)
    return HttpJwksFetcher(1.0, max_bytes, httpx.AsyncClient(transport=transport, follow_redirects=False))


async def test_http_fetcher_reads_a_jwks_document() -> None:
    document = jwks_of(EC_KEY)
    fetch = fetcher(lambda request: httpx.Response(200, json=document))
    assert await fetch(URL) == document
    await fetch.aclose()


async def test_http_fetcher_does_not_follow_redirects() -> None:
    # A redirect would take the key source off the allowlist.
    fetch = fetcher(lambda request: httpx.Response(302, headers={"Location": "https://attacker.example/k"}))
    with pytest.raises(JwksError, match="302"):
        await fetch(URL)


async def test_http_fetcher_refuses_oversized_documents() -> None:
    body = json.dumps({"keys": [], "padding": "x" * 2048}).encode()
    fetch = fetcher(lambda request: httpx.Response(200, content=body), max_bytes=1024)
    with pytest.raises(JwksError, match="too large"):
        await fetch(URL)


@pytest.mark.parametrize("content", [b"<html>", b"[" * 5000 + b"]" * 5000], ids=["html", "nested too deeply"])
async def test_http_fetcher_refuses_non_json(content: bytes) -> None:
    fetch = fetcher(lambda request: httpx.Response(200, content=content))
    with pytest.raises(JwksError, match="not JSON"):
        await fetch(URL)


async def test_http_fetcher_turns_network_errors_into_jwks_errors() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(JwksError, match="ConnectError"):
        await fetcher(fail)(URL)
