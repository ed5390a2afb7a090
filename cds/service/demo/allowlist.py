"""Demo-mode settings: the service may call its own demo FHIR facade."""

from __future__ import annotations

from ..fhir_server_policy import normalize_base_url
from ..settings import Settings
from .fhir_facade import PREFIX


def with_demo_fhir_server(settings: Settings, base_url: str) -> Settings:
    """`settings` with `{base_url}/demo/fhir` added to the FHIR servers an anonymous client may have
    the service call: with prefetch off, the demo page's hook names that server as `fhirServer`."""
    own = normalize_base_url(base_url.rstrip("/") + PREFIX)
    if own in settings.anonymous_fhir_servers:
        return settings
    return settings.model_copy(update={"anonymous_fhir_servers": (*settings.anonymous_fhir_servers, own)})
