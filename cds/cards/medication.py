"""Order-sign warnings (`trial-medication-check`): a drafted order that would make the patient fail a
criterion of a trial they are a candidate for (likely or possibly eligible) or enrolled in."""

from __future__ import annotations

import uuid

from ..eligibility.results import ProtocolResult
from ..service.models import Card, Coding, Link, Source
from .eligibility import EXTENSION_KEY, OVERRIDE_SYSTEM, TOPIC_SYSTEM, CardContext, trial_name
from .markdown import escape, row

MEDICATION_OVERRIDE_REASONS = (
    Coding(
        code="benefit-outweighs",
        system=OVERRIDE_SYSTEM,
        display="Clinical benefit outweighs trial eligibility",
    ),
    Coding(
        code="trial-not-pursued", system=OVERRIDE_SYSTEM, display="Trial not being pursued for this patient"
    ),
    Coding(code="data-incorrect", system=OVERRIDE_SYSTEM, display="The data shown is wrong"),
)


def newly_failing(before: ProtocolResult, after: ProtocolResult) -> list[str]:
    """Ids of criteria that do not fail now and would fail with the orders."""
    was = {c.id: c.status for c in before.criteria}
    return [c.id for c in after.criteria if c.status == "fail" and was.get(c.id) != "fail"]


def medication_cards(
    before: list[ProtocolResult],
    after: list[ProtocolResult],
    enrolled: set[str],
    ctx: CardContext,
) -> list[Card]:
    """Warnings for candidate or enrolled protocols/cohorts that the orders would turn to fail.
    `enrolled` holds protocol ids (or NCT numbers) from the patient's ResearchSubject records."""
    after_by_key = {r.key: r for r in after}
    cards = []
    for b in before:
        a = after_by_key.get(b.key)
        if a is None:
            continue
        is_enrolled = b.protocol in enrolled or b.nct in enrolled
        if b.verdict == "ineligible" and not is_enrolled:
            continue
        failing = newly_failing(b, a)
        if failing:
            cards.append(_card(b, a, failing, is_enrolled, ctx))
    return cards


def _card(
    before: ProtocolResult, after: ProtocolResult, failing: list[str], enrolled: bool, ctx: CardContext
) -> Card:
    name = trial_name(after)
    relation = "enrolled in" if enrolled else "a candidate for"
    summary = f"Order may rule the patient out of {name} ({after.nct})"
    if len(summary) >= 140:
        summary = summary[:136] + "..."
    by_id = {c.id: c for c in after.criteria}
    lines = [
        f"The patient is {relation} **{escape(name)}** ({after.nct}). Signing this order would make "
        f"{'this criterion' if len(failing) == 1 else 'these criteria'} fail:",
        "",
        row("", "Criterion", "With the order"),
        row("---", "---", "---"),
    ]
    for cid in failing:
        c = by_id[cid]
        evidence = "; ".join(escape(e.display) for e in c.evidence[:3]) or "—"
        lines.append(row("❌", f"{escape(c.text)} ({c.kind})", evidence))
    return Card(
        uuid=uuid.uuid4(),
        summary=summary,
        detail="\n".join(lines),
        indicator="warning",
        source=Source(
            label="trialcds trial screening",
            url=f"{ctx.base_url}/",
            topic=Coding(
                code="trial-medication-check", system=TOPIC_SYSTEM, display="Trial eligibility and orders"
            ),
        ),
        overrideReasons=MEDICATION_OVERRIDE_REASONS,
        links=(
            Link(
                label=f"{after.nct} on ClinicalTrials.gov",
                url=f"https://clinicaltrials.gov/study/{after.nct}",
                type="absolute",
            ),
        ),
        extension={EXTENSION_KEY: after.to_json(), "trialcds.newlyFailing": {"criteria": failing}},
    )
