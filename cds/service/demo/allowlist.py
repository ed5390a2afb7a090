"""Demo-mode settings: the service may call its own demo FHIR facade and, on this machine, the local
HAPI sandbox (`trialcds sandbox up`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from ...sandbox.hapi import DEFAULT_PORT as SANDBOX_PORT
from ..fhir_server_policy import normalize_base_url
from ..settings import Settings, is_loopback_host
from .fhir_facade import PREFIX

# The spellings of this machine a browser may have in its address bar for the same service.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def own_fhir_bases(base_url: str) -> tuple[str, ...]:
    """The demo facade's base URL; for a service on this machine, under each loopback name.

    >>> own_fhir_bases("https://demo.example.org/")
    ('https://demo.example.org/demo/fhir',)
    >>> own_fhir_bases("http://localhost:8080")
    ('http://127.0.0.1:8080/demo/fhir', 'http://localhost:8080/demo/fhir', 'http://[::1]:8080/demo/fhir')
    """
    own = normalize_base_url(base_url.rstrip("/") + PREFIX)
    parts = urlsplit(own)
    if not is_loopback_host(parts.hostname or ""):
        return (own,)
    port = f":{parts.port}" if parts.port else ""
    return tuple(normalize_base_url(f"{parts.scheme}://{name}{port}{parts.path}") for name in LOOPBACK_NAMES)


def sandbox_bases(base_url: str) -> tuple[str, ...]:
    """The local HAPI sandbox under each loopback name, for a demo served on this machine only: a
    demo others reach must not become a way into its host's loopback services.

    >>> sandbox_bases("https://demo.example.org")
    ()
    >>> sandbox_bases("http://127.0.0.1:8080")[0]
    'http://127.0.0.1:8090/fhir'
    """
    if not is_loopback_host(urlsplit(base_url).hostname or ""):
        return ()
    return tuple(normalize_base_url(f"http://{name}:{SANDBOX_PORT}/fhir") for name in LOOPBACK_NAMES)


def with_demo_fhir_server(settings: Settings, base_url: str) -> Settings:
    """`settings` with the demo facade added to the FHIR servers an anonymous client may have the
    service call: with prefetch off, the demo page's hook names it as `fhirServer`, spelled as the
    browser's address bar has it (localhost or 127.0.0.1 for a service on this machine)."""
    wanted = (*own_fhir_bases(base_url), *sandbox_bases(base_url))
    missing = [url for url in wanted if url not in settings.anonymous_fhir_servers]
    if not missing:
        return settings
    return settings.model_copy(
        update={"anonymous_fhir_servers": (*settings.anonymous_fhir_servers, *missing)}
    )
