"""Protocol results -> CDS Hooks cards (patient-view, `trial-eligibility`).

One card per protocol or cohort whose verdict is not ineligible. The card says the verdict, lists
every criterion with its status, the rule, the evidence and (for unknowns) what to check, links to
the trial's registry entry and to our review page, offers a referral, and carries the result object
of CONTRACT.md under extension["trialcds.eligibility"].
"""

from __future__ import annotations

import functools
import json
import uuid
from dataclasses import dataclass

from fhir.resources.R4B.servicerequest import ServiceRequest

from ..eligibility.results import CriterionResult, ProtocolResult
from ..service.models import Action, Card, Coding, Link, Source, Suggestion
from .markdown import escape, row

EXTENSION_KEY = "trialcds.eligibility"
TOPIC_SYSTEM = "https://trialcds.org/fhir/CodeSystem/card-topic"
OVERRIDE_SYSTEM = "https://trialcds.org/fhir/CodeSystem/override-reason"
OVERRIDE_REASONS = (
    Coding(code="already-screened", system=OVERRIDE_SYSTEM, display="Already screened for this trial"),
    Coding(code="patient-declined", system=OVERRIDE_SYSTEM, display="Patient declined"),
    Coding(code="not-clinically-appropriate", system=OVERRIDE_SYSTEM, display="Not clinically appropriate"),
    Coding(code="data-incorrect", system=OVERRIDE_SYSTEM, display="The data shown is wrong"),
)
MARKS = {"pass": "✅", "fail": "❌", "unknown": "❔", "manual": "📝"}
VERDICT_WORDS = {
    "likely-eligible": "Likely eligible",
    "possibly-eligible": "Possibly eligible",
    "ineligible": "Not eligible",
}
SNOMED_REFERRAL = "3457005"  # Patient referral (procedure)


@dataclass(frozen=True, slots=True)
class CardContext:
    """Where the cards point: the service's public base URL, and who the patient is."""

    base_url: str
    patient_id: str
    as_of: str


def trial_name(result: ProtocolResult) -> str:
    name = result.title
    if result.cohort:
        name += f", {result.cohort_title or result.cohort} cohort"
    return name


def summary(result: ProtocolResult) -> str:
    word = "Likely" if result.verdict == "likely-eligible" else "Possible"
    text = f"{word} trial match: {trial_name(result)} ({result.nct})"
    return text if len(text) < 140 else text[:136] + "..."


# A repeat chart opening is answered with the cached result object: its table is written once
# (0.6 ms for a 38-criterion cohort). Results are frozen, so equal results have equal text.
@functools.lru_cache(maxsize=1024)
def detail(result: ProtocolResult) -> str:
    n = len(result.criteria)
    parts = [f"{result.count('pass')} of {n} criteria met"]
    if result.count("fail"):
        parts.append(f"{result.count('fail')} not met")
    if result.count("unknown"):
        parts.append(f"{result.count('unknown')} to check")
    if result.count("manual"):
        parts.append(f"{result.count('manual')} for the trial team to confirm")
    head = (
        f"**{VERDICT_WORDS[result.verdict]}** for {escape(trial_name(result))} ({result.nct}): "
        + ", ".join(parts)
        + "."
    )
    lines = [head, "", row("", "Criterion", "Evidence"), row("---", "---", "---")]
    order = {"fail": 0, "unknown": 1, "pass": 2, "manual": 3}
    for c in sorted(result.criteria, key=lambda c: order[c.status]):
        lines.append(row(MARKS[c.status], _rule(c), _evidence(c)))
    return "\n".join(lines)


def _rule(c: CriterionResult) -> str:
    kind = "exclusion" if c.kind == "exclusion" else "inclusion"
    return f"{escape(c.text)} ({kind})"


def _evidence(c: CriterionResult) -> str:
    parts = []
    for e in c.evidence[:3]:
        shown = escape(e.display)
        if e.date and e.date not in e.display:
            shown += f", {e.date}"
        parts.append(shown)
    if len(c.evidence) > 3:
        parts.append(f"and {len(c.evidence) - 3} more")
    text = "; ".join(parts)
    if c.status in ("unknown", "manual") and c.check:
        check = f"**Check:** {escape(c.check)}"
        text = f"{text}. {check}" if text else check
    return text or "—"


def referral(result: ProtocolResult, ctx: CardContext) -> dict[str, object]:
    """A draft ServiceRequest referring the patient to the trial team, validated as FHIR R4."""
    text = _validated_referral(
        trial_name(result), result.nct, VERDICT_WORDS[result.verdict], ctx.patient_id, ctx.as_of
    )
    request: dict[str, object] = json.loads(text)  # each card its own object
    return request


# Building and validating one costs about 0.8 ms, and a chart opened again asks for the same ones.
@functools.lru_cache(maxsize=4096)
def _validated_referral(name: str, nct: str, verdict_words: str, patient_id: str, as_of: str) -> str:
    request = ServiceRequest.model_validate(
        {
            "resourceType": "ServiceRequest",
            "status": "draft",
            "intent": "proposal",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://snomed.info/sct",
                            "code": SNOMED_REFERRAL,
                            "display": "Patient referral",
                        }
                    ]
                }
            ],
            "code": {"text": f"Referral to the {name} trial team ({nct})"},
            "subject": {"reference": f"Patient/{patient_id}"},
            "reasonCode": [{"text": f"{verdict_words} for {name} as of {as_of}"}],
            "supportingInfo": [{"display": f"ClinicalTrials.gov {nct}"}],
            "note": [{"text": "Proposed by trialcds; the trial team confirms eligibility."}],
        }
    )
    return json.dumps(request.model_dump(mode="json", exclude_none=True))


def eligibility_card(result: ProtocolResult, ctx: CardContext) -> Card:
    app_context = json.dumps(
        {"patient": ctx.patient_id, "protocol": result.protocol, "cohort": result.cohort, "asOf": ctx.as_of},
        separators=(",", ":"),
    )
    return Card(
        uuid=uuid.uuid4(),
        summary=summary(result),
        detail=detail(result),
        indicator="info",
        source=Source(
            label="trialcds trial screening",
            url=f"{ctx.base_url}/",
            topic=Coding(code="trial-eligibility", system=TOPIC_SYSTEM, display="Clinical trial eligibility"),
        ),
        suggestions=(
            Suggestion(
                label="Refer to the trial team",
                uuid=uuid.uuid4(),
                actions=(
                    Action(
                        type="create",
                        description=f"Create a referral to the {trial_name(result)} trial team",
                        resource=referral(result, ctx),
                    ),
                ),
            ),
        ),
        selectionBehavior="at-most-one",
        overrideReasons=OVERRIDE_REASONS,
        links=(
            Link(
                label=f"{result.nct} on ClinicalTrials.gov",
                url=f"https://clinicaltrials.gov/study/{result.nct}",
                type="absolute",
            ),
            Link(
                label="Review eligibility", url=f"{ctx.base_url}/review", type="smart", appContext=app_context
            ),
        ),
        extension={EXTENSION_KEY: result.to_json()},
    )


def eligibility_cards(results: list[ProtocolResult], ctx: CardContext) -> list[Card]:
    """Cards for every protocol or cohort whose verdict is not ineligible, likely ones first."""
    shown = [r for r in results if r.verdict != "ineligible"]
    shown.sort(key=lambda r: r.verdict != "likely-eligible")
    return [eligibility_card(r, ctx) for r in shown]
