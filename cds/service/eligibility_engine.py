"""The HookEngine behind the service: prefetch (and fetched data) -> patient record -> protocols ->
cards. It sees no HTTP; the service has already validated and authenticated the call."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ..cards import CardContext, eligibility_cards, medication_cards
from ..eligibility.results import PatientResult
from ..eligibility.runner import LoadedProtocol, Screener
from ..fhir import shapes
from ..fhir.fetch import FetchFailure, FhirFetcher
from ..fhir.prefetch import read_prefetch, templates
from ..fhir.reader import PatientData
from ..fhir.record import PatientRecord
from .auth import AuthenticatedClient
from .engine import PrefetchUnavailable
from .hooks import HookDefinition
from .models import Card, CdsResponse, Coding, HookRequest, Service, Source
from .result_cache import ResultCache, content_key, sent_key

log = logging.getLogger("trialcds.service.engine")

# Statuses of a ResearchSubject that mean the patient is in the study.
ON_STUDY = {
    "on-study",
    "on-study-intervention",
    "on-study-observation",
    "pending-on-study",
    "candidate",
    "eligible",
    "follow-up",
    "potential-candidate",
    "screening",
}


class EligibilityEngine:
    def __init__(
        self,
        screener: Screener,
        hooks: Iterable[HookDefinition],
        fetcher: FhirFetcher,
        base_url: str,
        as_of: str | None = None,
        result_cache_size: int = 0,
    ) -> None:
        self.as_of = as_of  # None: each hook is evaluated as of today
        self.results = ResultCache(result_cache_size)
        self.screener = screener
        self.hooks = {h.id: h for h in hooks}
        self.fetcher = fetcher
        self.base_url = base_url.rstrip("/")
        types = {
            r.type for p in screener.protocols for lib in p.libraries.values() for r in lib.all_requirements()
        }
        self._templates = {
            h.id: templates(types | ({"ResearchSubject"} if h.cards == "medication-check" else set()))
            for h in self.hooks.values()
        }

    async def aclose(self) -> None:
        await self.fetcher.aclose()

    def services(self) -> list[Service]:
        return [
            Service(
                hook=h.hook, id=h.id, title=h.title, description=h.description, prefetch=self._templates[h.id]
            )
            for h in self.hooks.values()
        ]

    def _protocols(self, hook: HookDefinition) -> list[LoadedProtocol]:
        wanted = hook.protocols
        return [p for p in self.screener.protocols if wanted is None or p.spec.id in wanted]

    def remembered_cards(
        self, service_id: str, request: HookRequest, prefetch_digest: str | None
    ) -> CdsResponse | None:
        hook = self.hooks.get(service_id)
        patient_id = request.patient_id()
        if hook is None or hook.cards == "medication-check" or patient_id is None or prefetch_digest is None:
            return None
        if not self.results.size:
            return None
        result = self.results.get(self._sent_key(prefetch_digest, hook, patient_id, self._today()))
        return None if result is None else self._eligibility_response(result, patient_id)

    def _sent_key(self, prefetch_digest: str, hook: HookDefinition, patient_id: str, as_of: str) -> str:
        # What else decides the result of a prefetch that needed no fetching: the patient, the day,
        # the service (its templates) and the protocols; always cut short at ineligible (patient-view).
        protocols = (p.spec.id for p in self._protocols(hook))
        return sent_key(prefetch_digest, patient_id, as_of, "until-ineligible", hook.id, *protocols)

    async def cards(self, service_id: str, request: HookRequest, client: AuthenticatedClient) -> CdsResponse:
        hook = self.hooks[service_id]
        patient_id = request.patient_id()
        if patient_id is None:
            raise PrefetchUnavailable("the hook context has no patientId")
        resources, incomplete, fetched = await self._collect(hook, request)
        ctx = CardContext(self.base_url, patient_id, "")
        if incomplete:
            return CdsResponse(cards=(self._incomplete_card(incomplete),))
        if not any(
            isinstance(r, dict) and r.get("resourceType") == "Patient" and shapes.problem(r) is None
            for r in resources
        ):
            raise PrefetchUnavailable("the patient's record (Patient) is not available")
        protocols = self._protocols(hook)
        if hook.cards == "medication-check":
            return self._medication_check(request, patient_id, resources, protocols, ctx)
        # Cards show only what is not ineligible: a protocol or cohort may stop at its first fail.
        result = self._evaluate(patient_id, resources, protocols, complete=False)
        if not fetched and request.prefetch_digest is not None and self.results.size:
            # All of it came in the prefetch: the same bytes again will give this result.
            self.results.put(self._sent_key(request.prefetch_digest, hook, patient_id, result.as_of), result)
        return self._eligibility_response(result, patient_id)

    def _eligibility_response(self, result: PatientResult, patient_id: str) -> CdsResponse:
        ctx = CardContext(self.base_url, patient_id, result.as_of)
        return CdsResponse(cards=tuple(eligibility_cards(list(result.results), ctx)))

    def _today(self) -> str:
        return self.as_of or datetime.now(UTC).date().isoformat()

    # --------------------------------------------------------------------------- data
    async def _collect(
        self, hook: HookDefinition, request: HookRequest
    ) -> tuple[list[dict[str, Any]], list[str], bool]:
        """The patient's resources from prefetch plus what must be fetched; what could not be had;
        whether anything was fetched."""
        context = {k: v for k, v in request.context.model_dump().items() if isinstance(v, str)}
        state = read_prefetch(request.prefetch, self._templates[hook.id], context)
        queries = {**state.to_fetch, **{f"{k}:next": url for k, url in state.next_pages.items()}}
        resources = list(state.resources)
        if not queries:
            return resources, [], False
        if request.fhirServer is None:
            raise PrefetchUnavailable(
                "prefetch lacks "
                + ", ".join(sorted(k for k in queries if not k.endswith(":next")) or ["pages"])
                + " and no FHIR server may be called"
            )
        token = (
            request.fhirAuthorization.access_token.get_secret_value() if request.fhirAuthorization else None
        )
        fetched = await self.fetcher.fetch(request.fhirServer, token, queries)
        incomplete = []
        for result in fetched.values():
            if isinstance(result, FetchFailure):
                incomplete.append(result.reason)
            else:
                resources.extend(result)
        if incomplete:
            log.warning("FHIR data incomplete", extra={"failures": len(incomplete)})
        return resources, incomplete, True

    def _evaluate(
        self,
        patient_id: str,
        resources: list[dict[str, Any]],
        protocols: list[LoadedProtocol],
        complete: bool = True,
    ) -> PatientResult:
        as_of = self._today()
        # Keyed on the resources as received, so a repeat call skips the shape checks as well; a
        # result cut short at ineligible is kept apart from a whole one (Screener.evaluate).
        extent = "whole" if complete else "until-ineligible"
        key = None
        if self.results.size:  # the key is a pass over the whole record: none when nothing is kept
            key = content_key(resources, patient_id, as_of, extent, *(p.spec.id for p in protocols))
            cached = self.results.get(key)
            if cached is not None:
                return cached
        usable = [r for r in resources if shapes.problem(r) is None]
        if len(usable) < len(resources):
            # Types and a count only: a problem's text may quote a value from the record.
            skipped = sorted({str(r.get("resourceType")) for r in resources if shapes.problem(r) is not None})
            log.warning("resources skipped", extra={"count": len(resources) - len(usable), "types": skipped})
        screener = Screener(protocols, self.screener.terminology)
        result = screener.evaluate(
            PatientData(patient_id, usable), as_of, PatientRecord(usable), complete=complete
        )
        if key is not None:
            self.results.put(key, result)
        return result

    # ------------------------------------------------------------------- order-sign
    def _medication_check(
        self,
        request: HookRequest,
        patient_id: str,
        resources: list[dict[str, Any]],
        protocols: list[LoadedProtocol],
        ctx: CardContext,
    ) -> CdsResponse:
        signed_on = self._today()
        drafts = draft_medication_requests(
            getattr(request.context, "draftOrders", None), patient_id, signed_on
        )
        if not drafts:
            return CdsResponse()
        before = self._evaluate(patient_id, resources, protocols)
        after = self._evaluate(patient_id, resources + drafts, protocols)
        enrolled = enrolled_studies(resources)
        ctx = CardContext(self.base_url, patient_id, before.as_of)
        return CdsResponse(
            cards=tuple(medication_cards(list(before.results), list(after.results), enrolled, ctx))
        )

    def _incomplete_card(self, reasons: list[str]) -> Card:
        shown = "; ".join(sorted(set(reasons)))
        return Card(
            uuid=uuid.uuid4(),
            summary="Clinical trial screening could not be completed",
            detail=(
                "Part of the patient's record could not be read from the EHR's FHIR server, so trial "
                f"eligibility was not checked ({shown}). Open the chart again later to retry."
            ),
            indicator="info",
            source=Source(
                label="trialcds trial screening",
                url=f"{self.base_url}/",
                topic=Coding(
                    code="trial-eligibility",
                    system="https://trialcds.org/fhir/CodeSystem/card-topic",
                    display="Clinical trial eligibility",
                ),
            ),
        )


def draft_medication_requests(bundle: Any, patient_id: str, signed_on: str) -> list[dict[str, Any]]:
    """The draft orders' MedicationRequests, as if signed: status active, for this patient, authored
    today when no date is given (CRITERIA.md rule 2 ignores drafts, so they must be made active)."""
    if not isinstance(bundle, dict):
        return []
    out = []
    for n, entry in enumerate(bundle.get("entry") or []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or resource.get("resourceType") != "MedicationRequest":
            continue
        signed = {**resource, "status": "active", "subject": {"reference": f"Patient/{patient_id}"}}
        signed.setdefault("id", f"draft-{n + 1}")
        signed.setdefault("intent", "order")
        if "authoredOn" not in signed:
            from datetime import UTC, datetime

            signed["authoredOn"] = datetime.now(UTC).date().isoformat()
        out.append(signed)
    return out


def enrolled_studies(resources: list[dict[str, Any]]) -> set[str]:
    """NCT numbers and study ids the patient's ResearchSubject records put them in."""
    found: set[str] = set()
    for r in resources:
        if r.get("resourceType") != "ResearchSubject" or r.get("status") not in ON_STUDY:
            continue
        study = r.get("study") or {}
        identifier = study.get("identifier") or {}
        for value in (study.get("reference"), study.get("display"), identifier.get("value")):
            if isinstance(value, str):
                found.add(value.rsplit("/", 1)[-1])
                found.update(word.strip("(),") for word in value.split() if word.upper().startswith("NCT"))
    return found
