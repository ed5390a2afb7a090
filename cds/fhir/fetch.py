"""Fetching a patient's data from an EHR's FHIR server with fhirpy (the only module that imports it).

Queries are prefetch-template shaped (`Patient/123`, `Condition?patient=123`); searches follow every
`next` page. All queries of one call run concurrently, each request has a timeout and the whole call
an overall deadline; a query that fails or runs out of time is reported as such, never as "no data".
One aiohttp session serves every call (fhirpy 2.3 opens a session per request; `_SharedSessionClient`
reuses ours), and the Bearer token travels per request, never stored or logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp
from fhirpy import AsyncFHIRClient
from fhirpy.base.exceptions import (
    AuthorizationError,
    ForbiddenError,
    InvalidResponse,
    OperationOutcome,
    ResourceNotFound,
)

log = logging.getLogger(__name__)

# A safety bound on one query's results (a patient's observations run to thousands, not millions).
MAX_RESOURCES = 20_000


@dataclass(frozen=True, slots=True)
class FetchLimits:
    request_timeout_s: float = 5.0
    deadline_s: float = 8.0
    page_size: int | None = None  # `_count` for searches; None: the server's default
    max_pages: int = 100


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """A query that did not answer: why, in words that name no patient data."""

    reason: str


FetchResult = list[dict[str, Any]] | FetchFailure


class NotFhirJson(Exception):
    """A FHIR server's successful answer that is not FHIR JSON (an HTML error page, a cut-off body, a
    Bundle of the wrong shape): the query failed, it did not find nothing."""


def _fhir_json(text: str) -> dict[str, Any]:
    """The answer as a resource, checked as far as fhirpy and the paging here walk it, so that
    neither ever trips over a remote server's mistake."""
    try:
        body = json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python's json goes
        raise NotFhirJson from None
    if not isinstance(body, dict) or not isinstance(body.get("resourceType"), str):
        raise NotFhirJson
    if body["resourceType"] == "Bundle":
        entries, links = body.get("entry", []), body.get("link", [])
        if not isinstance(entries, list) or not isinstance(links, list):
            raise NotFhirJson
        for entry in entries:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
                raise NotFhirJson
        if not all(isinstance(link, dict) and isinstance(link.get("url", ""), str) for link in links):
            raise NotFhirJson
    return body


class _SharedSessionClient(AsyncFHIRClient):
    """fhirpy's async client on a shared aiohttp session, parsing numbers as exact Decimals."""

    def __init__(self, session: aiohttp.ClientSession, url: str, authorization: str, timeout: float) -> None:
        super().__init__(url, authorization=authorization)
        self._session = session
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def _do_request(
        self,
        method: str,
        path: str,
        data: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
        *,
        returning_status: bool = False,
    ) -> Any:
        headers = self._build_request_headers()
        url = self._build_request_url(path, params)
        async with self._session.request(method, url, json=data, headers=headers, timeout=self._timeout) as r:
            text = await r.text()
            if 200 <= r.status < 300:
                body = _fhir_json(text) if text else None
                return (body, r.status) if returning_status else body
            if r.status == 401:
                raise AuthorizationError("unauthorized")
            if r.status == 403:
                raise ForbiddenError("forbidden")
            if r.status in (404, 410):
                raise ResourceNotFound("not found")
            raise OperationOutcome(reason=f"HTTP {r.status}")  # type: ignore[no-untyped-call]


class FhirFetcher:
    """Fetches prefetch-shaped queries from FHIR servers; one instance per service process."""

    def __init__(self, limits: FetchLimits | None = None) -> None:
        self.limits = limits or FetchLimits()
        self._session: aiohttp.ClientSession | None = None

    async def _shared_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def fetch(
        self, server: str, token: str | None, queries: Mapping[str, str]
    ) -> dict[str, FetchResult]:
        """Run every query concurrently; each key maps to its resources or to a FetchFailure."""
        session = await self._shared_session()
        client = _SharedSessionClient(
            session, server.rstrip("/"), f"Bearer {token}" if token else "", self.limits.request_timeout_s
        )
        tasks = {key: asyncio.create_task(self._one(client, query)) for key, query in queries.items()}
        _done, pending = await asyncio.wait(tasks.values(), timeout=self.limits.deadline_s)
        for task in pending:
            task.cancel()
        results: dict[str, FetchResult] = {}
        for key, task in tasks.items():
            if task in pending:
                results[key] = FetchFailure(f"no answer within {self.limits.deadline_s:g} s")
            else:
                results[key] = task.result()
        return results

    async def _one(self, client: _SharedSessionClient, query: str) -> FetchResult:
        kind = query.split("?", 1)[0]
        try:
            if query.startswith(("http://", "https://")):
                # A `next` page of a prefetched Bundle: only ever on the client's own FHIR server.
                if not same_origin(query, client.url):
                    return FetchFailure("a next-page link points outside the FHIR server")
                return await self._pages(client, query)
            if "?" not in query and "/" in query:
                resource = await client._fetch_resource(query)  # type: ignore[no-untyped-call]
                return [_plain(resource)] if resource else []
            return await self._search(client, query)
        except ResourceNotFound:
            return []
        except (AuthorizationError, ForbiddenError):
            return FetchFailure(f"{kind}: the FHIR server refused the token")
        except OperationOutcome as exc:
            return FetchFailure(f"{kind}: the FHIR server answered with an error ({_brief(exc)})")
        except TimeoutError:
            return FetchFailure(f"{kind}: no answer within {self.limits.request_timeout_s:g} s")
        except aiohttp.ClientError as exc:
            return FetchFailure(f"{kind}: cannot reach the FHIR server ({type(exc).__name__})")
        except (NotFhirJson, InvalidResponse):  # InvalidResponse: fhirpy's "a search did not give a Bundle"
            return FetchFailure(f"{kind}: the FHIR server's answer is not FHIR JSON")

    async def _pages(self, client: _SharedSessionClient, url: str) -> FetchResult:
        return await _pages_of(client, url, self.limits.max_pages)

    async def _search(self, client: _SharedSessionClient, query: str) -> FetchResult:
        resource_type, _, params_text = query.partition("?")
        params: dict[str, Any] = {}
        for name, value in parse_qsl(params_text, keep_blank_values=True):
            params.setdefault(name, []).append(value)
        search = client.resources(resource_type).search(
            **{k: v if len(v) > 1 else v[0] for k, v in params.items()}
        )
        if self.limits.page_size:
            search = search.limit(self.limits.page_size)
        found: list[dict[str, Any]] = []
        async for resource in search:
            found.append(_plain(resource))
            if len(found) > MAX_RESOURCES:
                return FetchFailure(f"{resource_type}: more results than this service reads")
        return found


async def _pages_of(client: _SharedSessionClient, url: str, max_pages: int) -> FetchResult:
    found: list[dict[str, Any]] = []
    next_url: str | None = url
    for _ in range(max_pages):
        if next_url is None:
            return found
        bundle = await client._fetch_resource(next_url)  # type: ignore[no-untyped-call]
        if not isinstance(bundle, dict):
            return FetchFailure("a next page is not a Bundle")
        found.extend(
            e["resource"] for e in bundle.get("entry") or [] if isinstance(e, dict) and "resource" in e
        )
        next_url = next(
            (link.get("url") for link in bundle.get("link") or [] if link.get("relation") == "next"), None
        )
        if next_url is not None and not same_origin(next_url, client.url):
            return FetchFailure("a next-page link points outside the FHIR server")
    return FetchFailure("more pages than this service reads") if next_url else found


def _plain(resource: Any) -> dict[str, Any]:
    data = resource.serialize() if hasattr(resource, "serialize") else resource
    return dict(data)


def _brief(exc: Exception) -> str:
    text = str(exc).strip()
    return text[:80] if text else type(exc).__name__


def same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.netloc) == (pb.scheme, pb.netloc)
