"""The seam between the HTTP service and the eligibility engine.

The service validates, authenticates and polices a hook call, then hands it to a `HookEngine`; the
engine turns the request (prefetch, or the client's FHIR server) into cards. The service never calls
back into the engine for anything else, and the engine never sees HTTP.
"""

from __future__ import annotations

from typing import Protocol

from cds.service.auth import AuthenticatedClient
from cds.service.models import CdsResponse, HookRequest, Service


class PrefetchUnavailable(Exception):
    """Data the engine needs was neither prefetched nor obtainable from the FHIR server.

    The spec's answer is HTTP 412; the message names the missing data (a prefetch key or a resource
    type, never patient content) and goes into the OperationOutcome.
    """


class HookEngine(Protocol):
    def services(self) -> list[Service]:
        """The services to list in discovery; a service id may repeat with different hooks."""
        ...

    def remembered_cards(
        self, service_id: str, request: HookRequest, prefetch_digest: str | None
    ) -> CdsResponse | None:
        """Cards for a call whose prefetch (by the digest of its bytes) was answered before, from the
        remembered result; None when there is none, and the call goes to `cards` with its prefetch
        read. `request` has no prefetch; the service has validated it as for `cards`."""
        ...

    async def cards(self, service_id: str, request: HookRequest, client: AuthenticatedClient) -> CdsResponse:
        """Cards for one hook call.

        `request.fhirServer` is set only when the client may have it called (the allowlist check is
        done); without it, the engine works from prefetch alone or raises `PrefetchUnavailable`.
        """
        ...
