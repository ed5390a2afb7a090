"""Which FHIR servers the service may call: exact matches against an allowlist of base URLs.

A hook request names its `fhirServer`, so without this check any caller could point the service at
an internal address (SSRF). Comparison is on a normalized form and is exact: a prefix match would
let `https://ehr.example.org/fhir/../admin` or `https://ehr.example.org.evil.test` through.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_base_url(url: str) -> str:
    """The canonical spelling of an http(s) base URL; ValueError for anything else.

    >>> normalize_base_url("HTTPS://EHR.Example.org:443/fhir/r4/")
    'https://ehr.example.org/fhir/r4'
    >>> normalize_base_url("http://127.0.0.1:8080")
    'http://127.0.0.1:8080'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        raise ValueError(f"a base URL has no credentials, query or fragment: {url!r}")
    if any(segment in (".", "..") for segment in parts.path.split("/")):
        raise ValueError(f"a base URL has no dot segments: {url!r}")
    try:
        port = parts.port
    except ValueError as error:
        raise ValueError(f"bad port in {url!r}") from error
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


def is_allowed(url: str, allowed: Iterable[str]) -> bool:
    """True when `url` is, once normalized, one of the `allowed` base URLs.

    >>> is_allowed("https://ehr.example.org/fhir/", ["https://ehr.example.org/fhir"])
    True
    >>> is_allowed("https://ehr.example.org/fhir/admin", ["https://ehr.example.org/fhir"])
    False
    """
    try:
        candidate = normalize_base_url(url)
    except ValueError:
        return False
    return candidate in {normalize_base_url(entry) for entry in allowed}
