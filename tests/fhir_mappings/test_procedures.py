"""fhir_mappings/Procedures.cql: procedures by value set (code or text keyword), when they were
performed, and the window-shaped exclusion (CRITERIA.md rule 5); and the keyword matcher behind it."""

from __future__ import annotations

from typing import Any

from protocols.support import AS_OF, mapping_value

from cds.eligibility.externals import mentions
from cds.fhir.builder import ICD10CM, SNOMED, PatientBuilder, ago

HSCT = (SNOMED, "234336002", "Hemopoietic stem cell transplant")
SYMPATHECTOMY_WINDOW = "Records.LastMonths(1)"


def procs(expression: str, p: PatientBuilder) -> Any:
    return mapping_value(expression, p, ["Procedures", "Records"])


def ids(expression: str, p: PatientBuilder) -> list[str]:
    return [x.data["id"] for x in procs(expression, p)]


def test_a_procedure_with_no_code_is_found_by_a_keyword_of_the_set() -> None:
    p = PatientBuilder("p1")
    p.procedure(None, None, text="Thoracoscopic Sympathectomy, left", date=AS_OF)
    p.procedure(None, None, text="Carpal tunnel release", date=AS_OF)
    assert ids('Procedures.Recorded("pr-symp")', p) == ["p1-proc1"]


def test_a_procedure_is_found_by_code() -> None:
    p = PatientBuilder("p2")
    p.procedure(*HSCT, date="2026-01-01")
    assert ids('Procedures.Recorded("pr-hsct")', p) == ["p2-proc1"]


def test_not_done_and_entered_in_error_procedures_are_not_usable() -> None:
    p = PatientBuilder("p3")
    p.procedure(*HSCT, date="2026-01-01", status="not-done")
    p.procedure(*HSCT, date="2026-01-01", status="entered-in-error")
    p.procedure(*HSCT, date="2026-01-01", status="in-progress")
    assert ids('Procedures.Recorded("pr-hsct")', p) == ["p3-proc3"]


def test_a_scoped_keyword_counts_on_a_record_of_the_scope_set() -> None:
    p = PatientBuilder("p4")
    p.procedure(*HSCT, text="Autologous peripheral blood stem cell transplant", date="2026-01-01")
    assert procs('Procedures.HasKeyword(First([Procedure]), "pr-hsct-autologous")', p) is True


def test_a_scoped_keyword_does_not_count_outside_the_scope_set() -> None:
    p = PatientBuilder("p5")
    p.procedure(None, None, text="Autologous fat grafting to fingers", date="2026-01-01")
    assert procs('Procedures.HasKeyword(First([Procedure]), "pr-hsct-autologous")', p) is False
    assert ids('Procedures.Recorded("pr-hsct-autologous")', p) == []


def test_a_status_condition_code_of_a_procedure_set_is_not_a_procedure() -> None:
    p = PatientBuilder("p6")
    p.condition(ICD10CM, "Z94.84", "Stem cells transplant status")
    assert ids('Procedures.Recorded("pr-hsct")', p) == []


# ------------------------------------------------------------------------------------ dates
def test_performed_date_time_is_a_one_day_interval() -> None:
    p = PatientBuilder("p7")
    p.procedure(*HSCT, date="2026-03-04")
    interval = procs("Procedures.Performed(First([Procedure]))", p)
    assert (str(interval.low), str(interval.high)) == ("2026-03-04", "2026-03-04")


def test_performed_period_keeps_both_ends() -> None:
    p = PatientBuilder("p8")
    p.procedure(*HSCT)["performedPeriod"] = {"start": "2026-03-01", "end": "2026-03-20"}
    interval = procs("Procedures.Performed(First([Procedure]))", p)
    assert (str(interval.low), str(interval.high)) == ("2026-03-01", "2026-03-20")


def test_performed_is_null_without_a_date() -> None:
    p = PatientBuilder("p9")
    p.procedure(*HSCT)
    assert procs("Procedures.Performed(First([Procedure]))", p) is None


def test_in_window_includes_the_first_day_of_the_window() -> None:
    p = PatientBuilder("p10")
    p.procedure(*HSCT, date=ago(AS_OF, months=1))
    assert ids(f"Procedures.InWindow([Procedure], {SYMPATHECTOMY_WINDOW})", p) == ["p10-proc1"]


def test_in_window_excludes_the_day_before_the_window() -> None:
    p = PatientBuilder("p11")
    p.procedure(*HSCT, date=ago(AS_OF, months=1, days=1))
    assert ids(f"Procedures.InWindow([Procedure], {SYMPATHECTOMY_WINDOW})", p) == []


def test_in_window_includes_a_period_that_ends_inside_the_window() -> None:
    p = PatientBuilder("p12")
    p.procedure(*HSCT)["performedPeriod"] = {"start": ago(AS_OF, months=2), "end": ago(AS_OF, days=20)}
    assert ids(f"Procedures.InWindow([Procedure], {SYMPATHECTOMY_WINDOW})", p) == ["p12-proc1"]


# ------------------------------------------------------------------------------ the exclusion
def excluding(p: PatientBuilder) -> Any:
    return procs(
        f"Procedures.ExcludingIn(Procedures.Recorded(\"pr-symp\"), {SYMPATHECTOMY_WINDOW}, 'sympathectomy')",
        p,
    )


def test_a_procedure_in_the_window_fails_with_its_evidence() -> None:
    p = PatientBuilder("p13")
    p.procedure(None, None, text="Digital sympathectomy", date=ago(AS_OF, days=10))
    result = excluding(p)
    assert result["status"] == "fail"
    assert result["evidence"][0] == {
        "reference": "Procedure/p13-proc1",
        "display": f"Digital sympathectomy, performed {ago(AS_OF, days=10)}",
        "date": ago(AS_OF, days=10),
    }


def test_an_older_procedure_passes_saying_since_when_it_was_looked_for() -> None:
    p = PatientBuilder("p14")
    p.procedure(None, None, text="Digital sympathectomy", date=ago(AS_OF, months=1, days=1))
    result = excluding(p)
    assert result["status"] == "pass"
    assert result["evidence"][0]["display"] == f"no sympathectomy recorded since {ago(AS_OF, months=1)}"


def test_an_undated_procedure_is_unknown() -> None:
    p = PatientBuilder("p15")
    p.procedure(None, None, text="Digital sympathectomy")
    result = excluding(p)
    assert result["status"] == "unknown"
    assert result["check"] == "the date of the sympathectomy"
    assert result["evidence"][0]["display"] == "Digital sympathectomy, date not recorded"


def test_no_procedure_passes() -> None:
    assert excluding(PatientBuilder("p16"))["status"] == "pass"


# ------------------------------------------------------------------------- keyword matching
def test_keywords_match_at_a_word_start_case_insensitively() -> None:
    assert mentions(["Ulcer of right FINGERTIP"], ("finger",))
    assert mentions(["auto-HSCT 2025"], ("auto-hsct",))


def test_keywords_do_not_match_inside_a_word() -> None:
    assert not mentions(["nondigital ulcer"], ("digital",))


def test_no_keywords_match_nothing() -> None:
    assert not mentions(["anything"], ())
