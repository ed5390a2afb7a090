"""The CDS Hooks endpoints: discovery, service calls and feedback. Thin: the work is elsewhere."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Depends, Request
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from cds.service.auth import AuthenticatedClient, Client
from cds.service.card_keys import protocol_key, with_uuids
from cds.service.errors import BadRequest, HookTimedOut, UnknownService
from cds.service.feedback_store import Feedback, IssuedCard, Partition
from cds.service.models import CdsResponse, Discovery, FeedbackItem, HookRequest, Service
from cds.service.parsing import parse_feedback, parse_hook_call, require_json
from cds.service.state import ServiceState, State
from cds.service.wire import WireResponse

log = logging.getLogger("trialcds.service.routes")
router = APIRouter()


@router.get("/cds-services")
async def discovery(state: State) -> Response:
    # Open to all: the list of services holds no patient data, and clients read it at setup time.
    return WireResponse(Discovery(services=tuple(state.engine.services())))


@router.post("/cds-services/{service_id}", dependencies=[Depends(require_json)])
async def call_service(service_id: str, request: Request, client: Client, state: State) -> Response:
    hooks = _hooks_of(state, service_id)
    call = parse_hook_call(await request.body())
    hook_request = call.request  # its prefetch not read yet
    if hook_request.hook not in hooks:
        raise BadRequest(f"service {service_id} does not answer hook {hook_request.hook}")
    refused = _refuses_fhir_server(hook_request, client, state)
    # A prefetch sent before, byte for byte, needs no reading: the result it gave is remembered.
    response = state.engine.remembered_cards(service_id, hook_request, call.digest)
    if response is None:
        hook_request = call.whole()
        if refused:
            # Why not a 403: the spec's answer for "the service cannot reach the data it needs" is
            # 412, and only when prefetch does not already hold that data. A server we will not call
            # is treated exactly like that: the engine answers from prefetch, or raises
            # PrefetchUnavailable -> 412. The access token meant for it is discarded at once.
            hook_request = hook_request.model_copy(update={"fhirServer": None, "fhirAuthorization": None})
        try:
            async with asyncio.timeout(state.settings.hook_timeout_s):
                response = await state.engine.cards(service_id, hook_request, client)
        except TimeoutError as error:
            raise HookTimedOut("no answer within the service's time limit") from error
    response = with_uuids(response)
    if response.cards and hook_request.patient_id() is not None:
        filing = (response, service_id, hook_request, client, state)
        if state.store.local:
            # A SQLite file answers both steps in about 0.5 ms. Handing them to a worker thread cost
            # more: under load the thread waits for the GIL behind other requests' evaluations
            # (c=16 from the cache: 158 -> 245 requests/s done here).
            response = _file_cards(*filing)
        else:
            # A database across the network must not stall every other request while it answers.
            response = await run_in_threadpool(_file_cards, *filing)
    state.metrics.cards.labels(service=service_id).inc(len(response.cards))
    return WireResponse(response)


@router.post("/cds-services/{service_id}/feedback", dependencies=[Depends(require_json)])
async def receive_feedback(service_id: str, request: Request, client: Client, state: State) -> Response:
    _hooks_of(state, service_id)
    items = parse_feedback(await request.body()).feedback
    partition = _partition(client)

    def store() -> int:
        records = [_feedback(item, service_id, partition, state) for item in items]
        return state.store.record(records, state.now())

    added = await run_in_threadpool(store)
    log.info("feedback stored", extra={"service": service_id, "items": len(items), "new": added})
    # The spec defines no body for the feedback answer; success is the status alone.
    return Response(status_code=200)


def _hooks_of(state: ServiceState, service_id: str) -> set[str]:
    services: list[Service] = state.engine.services()
    hooks = {service.hook for service in services if service.id == service_id}
    if not hooks:
        raise UnknownService(f"no CDS service with id {service_id}")
    return hooks


def _refuses_fhir_server(request: HookRequest, client: AuthenticatedClient, state: ServiceState) -> bool:
    """True when the request names a `fhirServer` the client's allowlist lacks: it is never called
    (no SSRF), whatever the request says."""
    if request.fhirServer is None or client.may_call(request.fhirServer):
        return False
    state.metrics.fhir_server_refused.inc()
    log.warning("fhirServer not on the client's allowlist", extra={"iss": client.issuer})
    return True


def _file_cards(
    response: CdsResponse,
    service_id: str,
    request: HookRequest,
    client: AuthenticatedClient,
    state: ServiceState,
) -> CdsResponse:
    """The response without cards the clinician overrode lately, its other cards registered."""
    kept = _without_suppressed(response, service_id, request, client, state)
    _register(kept, service_id, request, client, state)
    return kept


def _without_suppressed(
    response: CdsResponse,
    service_id: str,
    request: HookRequest,
    client: AuthenticatedClient,
    state: ServiceState,
) -> CdsResponse:
    patient, days = request.patient_id(), state.settings.override_suppression_days
    keys = {key for card in response.cards if (key := protocol_key(card)) is not None}
    if patient is None or days == 0 or not keys:
        return response
    try:
        suppressed = state.store.suppressed_keys(
            patient, keys, state.now(), days, partition=_partition(client), service_id=service_id
        )
    except SQLAlchemyError as error:
        # Decision support stays up when its bookkeeping is down: show the cards.
        log.error("suppression lookup failed", extra={"error_type": type(error).__name__})
        return response
    kept = tuple(card for card in response.cards if protocol_key(card) not in suppressed)
    state.metrics.cards_suppressed.labels(service=service_id).inc(len(response.cards) - len(kept))
    return response.model_copy(update={"cards": kept})


def _register(
    response: CdsResponse,
    service_id: str,
    request: HookRequest,
    client: AuthenticatedClient,
    state: ServiceState,
) -> None:
    patient = request.patient_id()
    if patient is None or not response.cards:
        return
    issued_at, partition = state.now(), _partition(client)
    cards = [
        IssuedCard(str(card.uuid), service_id, patient, protocol_key(card), partition, issued_at)
        for card in response.cards
    ]
    try:
        state.store.record_issued(cards)
    except SQLAlchemyError as error:
        # Without the record, later feedback on these cards cannot suppress them; cards still go out.
        log.error("card registry write failed", extra={"error_type": type(error).__name__})


def _partition(client: AuthenticatedClient) -> Partition:
    return Partition(client.issuer, client.tenant)


def _feedback(item: FeedbackItem, service_id: str, partition: Partition, state: ServiceState) -> Feedback:
    issued = state.store.issued(item.card)
    # Feedback from one client never attaches to another client's card (and so cannot hide it).
    if issued is not None and issued.partition != partition:
        issued = None
    reason = item.overrideReason.reason if item.overrideReason else None
    return Feedback(
        card_uuid=item.card,
        # The card's own service, should a client post to a sibling service's feedback URL.
        service_id=issued.service_id if issued else service_id,
        outcome=item.outcome,
        outcome_at=item.outcome_time(),
        partition=partition,
        patient_id=issued.patient_id if issued else None,
        protocol_key=issued.protocol_key if issued else None,
        accepted_suggestions=tuple(suggestion.id for suggestion in item.acceptedSuggestions),
        reason_code=reason.code if reason else None,
        reason_system=reason.system if reason else None,
        reason_display=reason.display if reason else None,
        user_comment=item.overrideReason.userComment if item.overrideReason else None,
    )
