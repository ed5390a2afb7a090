"""The report: a row per patient and protocol/cohort with verdict, failing and unknown criteria."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from cds.screening import Outcome, report_rows, to_csv
from cds.screening.html_report import to_html

AS_OF = "2026-11-01"


def _criterion(cid: str, status: str, check: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": cid, "kind": "inclusion", "status": status, "text": f"rule {cid}"}
    if check:
        out["check"] = check
    return out


def _record(pid: str, *results: dict[str, Any], name: str = "Jane Doe") -> dict[str, Any]:
    return {"patient": f"Patient/{pid}", "asOf": AS_OF, "results": list(results), "name": name}


def _result(cohort: str | None, verdict: str, *criteria: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"protocol": "f01", "nct": "NCT06208280", "verdict": verdict}
    if cohort:
        out["cohort"] = cohort
    out["criteria"] = list(criteria)
    return out


SLE_AND_AAV = Outcome(
    "p1",
    _record(
        "p1",
        _result(
            "sle",
            "possibly-eligible",
            _criterion("sle-dx", "pass"),
            _criterion("sle-sledai", "unknown", "a SLEDAI-2K"),
        ),
        _result("aav", "ineligible", _criterion("aav-dx", "fail"), _criterion("aav-anca", "unknown")),
    ),
)


def test_each_protocol_cohort_result_is_a_row_with_its_failing_and_unknown_criteria() -> None:
    rows = report_rows([SLE_AND_AAV], AS_OF)
    assert [(r.cohort, r.verdict) for r in rows] == [("sle", "possibly-eligible"), ("aav", "ineligible")]
    assert rows[0].unknown == ("sle-sledai: rule sle-sledai (check: a SLEDAI-2K)",) and rows[0].failing == ()
    assert rows[1].failing == ("aav-dx: rule aav-dx",) and rows[1].unknown == ("aav-anca: rule aav-anca",)


def test_a_patient_not_screened_is_one_row_saying_why() -> None:
    (row,) = report_rows([Outcome("p9", problem="data could not be read: no answer within 120 s")], AS_OF)
    assert (row.patient, row.verdict, row.unknown) == (
        "Patient/p9",
        "not-screened",
        ("data could not be read: no answer within 120 s",),
    )


def test_rows_list_likely_then_possibly_eligible_then_the_rest() -> None:
    likely = Outcome("p2", _record("p2", _result(None, "likely-eligible", _criterion("x", "pass"))))
    rows = report_rows([Outcome("p0", problem="x"), SLE_AND_AAV, likely], AS_OF)
    assert [r.verdict for r in rows] == ["likely-eligible", "possibly-eligible", "ineligible", "not-screened"]


def test_the_csv_has_a_header_and_a_line_per_row() -> None:
    table = list(csv.DictReader(io.StringIO(to_csv(report_rows([SLE_AND_AAV], AS_OF)))))
    assert [(r["patient"], r["cohort"], r["verdict"]) for r in table] == [
        ("Patient/p1", "sle", "possibly-eligible"),
        ("Patient/p1", "aav", "ineligible"),
    ]
    assert table[1]["failing"] == "aav-dx: rule aav-dx"


def test_a_csv_cell_that_a_spreadsheet_would_run_as_a_formula_is_made_inert() -> None:
    outcome = Outcome("p1", _record("p1", _result(None, "ineligible"), name='=HYPERLINK("http://x")'))
    (row,) = csv.DictReader(io.StringIO(to_csv(report_rows([outcome], AS_OF))))
    assert row["name"] == '\'=HYPERLINK("http://x")'


def test_the_html_report_escapes_what_the_record_says() -> None:
    outcome = Outcome("p1", _record("p1", _result(None, "ineligible"), name="<script>alert(1)</script>"))
    page = to_html(report_rows([outcome], AS_OF), "http://ehr/fhir", AS_OF)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_html_report_is_self_contained_and_sortable() -> None:
    page = to_html(report_rows([SLE_AND_AAV], AS_OF), "http://ehr/fhir", AS_OF)
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert page.count('<th scope="col"><button type="button">') == 7 and "aria-sort" in page
    assert page.count('<td class="v ') == 2


def test_the_html_summary_counts_verdicts_per_trial_and_cohort() -> None:
    page = to_html(report_rows([SLE_AND_AAV], AS_OF), "http://ehr/fhir", AS_OF)
    summary = page.split('<table class="summary">')[1].split("</table>")[0]
    assert "f01 / sle (NCT06208280)" in summary and "f01 / aav (NCT06208280)" in summary
    assert re.findall(r'<td class="n">(\d+)</td>', summary) == ["0", "1", "1", "0"]


def test_the_html_report_can_hide_the_rows_marked_not_eligible() -> None:
    page = to_html(report_rows([SLE_AND_AAV], AS_OF), "http://ehr/fhir", AS_OF)
    assert '<input type="checkbox" id="hide-ineligible">' in page
    assert (
        page.count('<tr class="ineligible">') == 1
        and "table.hide-ineligible tr.ineligible{display:none}" in page
    )
