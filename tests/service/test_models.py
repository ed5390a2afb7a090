"""The CDS Hooks models: tolerant of what clients send, strict about what we send."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from cds.service.models import (
    Action,
    Card,
    CdsResponse,
    FeedbackItem,
    FeedbackRequest,
    HookRequest,
    Link,
    OrderSignRequest,
    PatientViewContext,
    PatientViewRequest,
    Service,
    request_type,
)

from .support import card, patient_view


def parse(data: dict[str, Any]) -> HookRequest:
    return request_type(data.get("hook")).model_validate(data)


# --- requests ----------------------------------------------------------------------------------


def test_patient_view_request_gets_a_typed_context() -> None:
    request = parse(patient_view("p-7"))
    assert isinstance(request, PatientViewRequest)
    assert isinstance(request.context, PatientViewContext)
    assert request.context.patientId == "p-7"
    assert request.patient_id() == "p-7"


def test_order_sign_request_requires_draft_orders_to_be_a_bundle() -> None:
    data = patient_view(hook="order-sign")
    data["hook"] = "order-sign"
    data["context"]["draftOrders"] = {"resourceType": "MedicationRequest"}
    with pytest.raises(ValidationError, match="Bundle"):
        parse(data)
    data["context"]["draftOrders"] = {"resourceType": "Bundle", "entry": []}
    assert isinstance(parse(data), OrderSignRequest)


def test_patient_view_without_patient_id_is_refused() -> None:
    data = patient_view()
    del data["context"]["patientId"]
    with pytest.raises(ValidationError, match="patientId"):
        parse(data)


def test_hooks_we_do_not_type_keep_their_context_members() -> None:
    data = patient_view()
    data["hook"] = "encounter-start"
    data["context"]["encounterId"] = "e-1"
    request = parse(data)
    assert type(request) is HookRequest
    assert request.context.model_extra == {
        "userId": "Practitioner/dr-1",
        "patientId": "p-1",
        "encounterId": "e-1",
    }
    assert request.patient_id() == "p-1"


def test_unknown_top_level_members_and_extensions_from_newer_clients_are_accepted() -> None:
    data = patient_view(extension={"com.example.flag": {"on": True}}, futureMember=[1, 2])
    data["context"]["com.example.extra"] = "x"
    request = parse(data)
    assert request.extension == {"com.example.flag": {"on": True}}
    assert request.model_extra == {"futureMember": [1, 2]}


def test_extension_must_be_a_json_object() -> None:
    with pytest.raises(ValidationError, match="extension"):
        parse(patient_view(extension=["not", "an", "object"]))


def test_null_prefetch_values_stay_null_and_distinct_from_absent_keys() -> None:
    request = parse(patient_view(prefetch={"patient": None, "conditions": {"resourceType": "Bundle"}}))
    assert request.prefetch == {"patient": None, "conditions": {"resourceType": "Bundle"}}
    assert "observations" not in request.prefetch


def test_prefetch_values_must_be_resources_or_null() -> None:
    with pytest.raises(ValidationError, match="prefetch"):
        parse(patient_view(prefetch={"patient": "Patient/1"}))


def fhir_authorization(**overrides: Any) -> dict[str, Any]:
    return {
        "access_token": "secret-token-value",
        "token_type": "Bearer",
        "expires_in": 300,
        "scope": "patient/Patient.read patient/Observation.read",
        "subject": "trialcds",
        **overrides,
    }


def test_fhir_authorization_without_fhir_server_is_refused() -> None:
    with pytest.raises(ValidationError, match="cds-r-1"):
        parse(patient_view(fhirAuthorization=fhir_authorization()))


def test_access_token_never_shows_in_a_repr() -> None:
    request = parse(
        patient_view(fhirServer="https://ehr.example.org/fhir", fhirAuthorization=fhir_authorization())
    )
    assert "secret-token-value" not in repr(request)
    assert request.fhirAuthorization is not None
    assert request.fhirAuthorization.access_token.get_secret_value() == "secret-token-value"


def test_token_type_other_than_bearer_is_refused() -> None:
    with pytest.raises(ValidationError, match="Bearer"):
        parse(
            patient_view(
                fhirServer="https://e.org/fhir", fhirAuthorization=fhir_authorization(token_type="MAC")
            )
        )


def test_relative_fhir_server_is_refused() -> None:
    with pytest.raises(ValidationError, match="absolute"):
        parse(patient_view(fhirServer="/fhir"))


def test_wrong_types_are_refused() -> None:
    with pytest.raises(ValidationError):
        parse(patient_view(context="Patient/1"))
    with pytest.raises(ValidationError):
        parse({**patient_view(), "hookInstance": 42})


# --- responses ---------------------------------------------------------------------------------


def test_summary_of_139_characters_passes_and_140_is_refused() -> None:
    Card.model_validate(card(summary="x" * 139))
    with pytest.raises(ValidationError, match="139"):
        Card.model_validate(card(summary="x" * 140))


def test_blank_summary_is_refused() -> None:
    with pytest.raises(ValidationError):
        Card.model_validate(card(summary="   "))


def test_suggestions_without_selection_behavior_are_refused() -> None:
    suggestion = {"label": "Refer to the trial team"}
    with pytest.raises(ValidationError, match="cds-resp-6"):
        Card.model_validate(card(suggestions=[suggestion]))
    assert Card.model_validate(card(suggestions=[suggestion], selectionBehavior="at-most-one")).suggestions


def test_at_most_one_allows_only_one_recommended_suggestion() -> None:
    both = [{"label": "A", "isRecommended": True}, {"label": "B", "isRecommended": True}]
    with pytest.raises(ValidationError, match="cds-resp-1"):
        Card.model_validate(card(suggestions=both, selectionBehavior="at-most-one"))
    Card.model_validate(card(suggestions=both, selectionBehavior="any"))


def test_unknown_selection_behavior_is_refused() -> None:
    with pytest.raises(ValidationError):
        Card.model_validate(card(suggestions=[{"label": "A"}], selectionBehavior="all"))


def test_override_reasons_need_a_display() -> None:
    with pytest.raises(ValidationError, match="cds-resp-4"):
        Card.model_validate(card(overrideReasons=[{"code": "x", "system": "https://s.example"}]))


def test_app_context_is_only_for_smart_links() -> None:
    with pytest.raises(ValidationError, match="cds-resp-3"):
        Link(label="Trial", url="https://clinicaltrials.gov/study/NCT1", type="absolute", appContext="x")
    Link(label="Review", url="https://trialcds.example.org/launch", type="smart", appContext="trial=f01")


def test_links_and_source_urls_must_be_absolute() -> None:
    with pytest.raises(ValidationError):
        Link(label="Review", url="/review", type="absolute")
    with pytest.raises(ValidationError):
        Card.model_validate(card(source={"label": "s", "icon": "icon.png"}))


def test_suggestion_actions_need_a_description() -> None:
    action = {"type": "create", "resource": {"resourceType": "ServiceRequest"}}
    with pytest.raises(ValidationError, match="cds-resp-5"):
        Card.model_validate(
            card(suggestions=[{"label": "Refer", "actions": [action]}], selectionBehavior="any")
        )


def test_system_actions_may_omit_the_description() -> None:
    response = CdsResponse.model_validate(
        {"cards": [], "systemActions": [{"type": "update", "resource": {"resourceType": "Task"}}]}
    )
    assert response.systemActions[0].description is None


def test_create_and_update_actions_carry_a_resource() -> None:
    with pytest.raises(ValidationError, match="FHIR resource"):
        Action(type="create", description="Create")


def test_delete_action_needs_a_resource_id() -> None:
    with pytest.raises(ValidationError, match="cds-resp-2"):
        Action(type="delete", description="Remove")


def test_a_1_0_delete_action_with_the_id_in_resource_becomes_resource_id() -> None:
    action = Action.model_validate(
        {"type": "delete", "description": "Remove", "resource": "MedicationRequest/9"}
    )
    assert action.resourceId == "MedicationRequest/9"
    assert action.resource is None


def test_outbound_models_refuse_unknown_members() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        Card.model_validate(card(colour="red"))


def test_service_id_must_be_url_safe() -> None:
    with pytest.raises(ValidationError):
        Service(hook="patient-view", id="trial eligibility/1", description="d")


# --- feedback ----------------------------------------------------------------------------------


def feedback_item(**overrides: Any) -> dict[str, Any]:
    return {"card": "c-1", "outcome": "overridden", "outcomeTimestamp": "2026-11-02T10:00:00Z", **overrides}


def test_accepted_feedback_must_name_the_accepted_suggestions() -> None:
    with pytest.raises(ValidationError, match="cds-fb-2"):
        FeedbackItem.model_validate(feedback_item(outcome="accepted"))
    item = FeedbackItem.model_validate(feedback_item(outcome="accepted", acceptedSuggestions=[{"id": "s-1"}]))
    assert item.acceptedSuggestions[0].id == "s-1"


def test_override_reason_needs_a_reason_or_a_comment() -> None:
    with pytest.raises(ValidationError, match="cds-fb-3"):
        FeedbackItem.model_validate(feedback_item(overrideReason={}))
    FeedbackItem.model_validate(feedback_item(overrideReason={"userComment": "seen by the trial team"}))


def test_outcome_other_than_accepted_or_overridden_is_refused() -> None:
    with pytest.raises(ValidationError):
        FeedbackItem.model_validate(feedback_item(outcome="ignored"))


def test_outcome_timestamp_without_offset_is_read_as_utc() -> None:
    item = FeedbackItem.model_validate(feedback_item(outcomeTimestamp="2026-11-02T10:00:00"))
    assert item.outcome_time() == datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def test_outcome_timestamp_with_offset_is_converted_to_utc() -> None:
    item = FeedbackItem.model_validate(feedback_item(outcomeTimestamp="2026-11-02T12:00:00+02:00"))
    assert item.outcome_time() == datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def test_override_reason_coding_may_carry_fhir_coding_extras() -> None:
    reason = {"code": "declined", "system": "https://s.example", "userSelected": True}
    item = FeedbackItem.model_validate(feedback_item(overrideReason={"reason": reason}))
    assert item.overrideReason is not None and item.overrideReason.reason is not None
    assert item.overrideReason.reason.code == "declined"


def test_feedback_request_needs_at_least_one_item() -> None:
    with pytest.raises(ValidationError):
        FeedbackRequest.model_validate({"feedback": []})


def test_user_comment_is_not_in_the_repr() -> None:
    item = FeedbackItem.model_validate(
        feedback_item(overrideReason={"userComment": "patient is my neighbour"})
    )
    assert "neighbour" not in repr(item)
