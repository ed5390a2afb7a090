"""The screening report as one self-contained HTML page: a summary per trial and a table that sorts
by any column (a few lines of inline script; no network, no CDN), readable when printed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape

from .report import VERDICT_ORDER, ReportRow

VERDICT_WORDS = {
    "likely-eligible": "Likely eligible",
    "possibly-eligible": "Possibly eligible",
    "ineligible": "Not eligible",
    "not-screened": "Not screened",
}

_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1d2430}
h1{font-size:1.4rem;margin:0 0 .3rem}p.meta{color:#556;margin:0 0 1.2rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d8dde6;padding:.45rem .6rem;
text-align:left;vertical-align:top}th{background:#f1f4f8;position:sticky;top:0}
th button{all:unset;cursor:pointer;font-weight:600}th button:focus-visible{outline:2px solid #2b6cb0}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
.v{font-weight:600;white-space:nowrap}.v.likely-eligible{color:#1e6b35}.v.possibly-eligible{color:#8a5a00}
.v.ineligible{color:#8b1f1f}.v.not-screened{color:#555}ul{margin:0;padding-left:1.1rem}
table.summary{width:auto;margin-bottom:1.2rem}td.n{text-align:right}td.id{white-space:nowrap}
label.filter{display:inline-block;margin:0 0 .8rem}table.hide-ineligible tr.ineligible{display:none}
@media print{th{position:static}th button::after{content:""}}
"""

_SCRIPT = """
document.getElementById("hide-ineligible").addEventListener("change", event =>
  document.querySelector("table.rows").classList.toggle("hide-ineligible", event.target.checked));
document.querySelectorAll("table.rows th button").forEach((button, column) => {
  button.addEventListener("click", () => {
    const th = button.parentElement, table = th.closest("table"), body = table.tBodies[0];
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(h => h.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const key = row => row.cells[column].dataset.key ?? row.cells[column].textContent;
    const rows = Array.from(body.rows).sort((a, b) =>
      key(a).localeCompare(key(b), undefined, {numeric: true}) * (ascending ? 1 : -1));
    body.append(...rows);
  });
});
"""

_COLUMNS = ("Verdict", "Patient", "Name", "Birth date", "Trial", "Not met", "To check")


def to_html(rows: Sequence[ReportRow], source: str, as_of: str) -> str:
    title = f"Trial pre-screening, {as_of}"
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
            f"<h1>{escape(title)}</h1>",
            f'<p class="meta">Source: {escape(source)} · {len({r.patient for r in rows})} patients · '
            f"{len(rows)} rows · click a column heading to sort</p>",
            _summary(rows),
            '<label class="filter"><input type="checkbox" id="hide-ineligible"> Hide the rows marked '
            f"{VERDICT_WORDS['ineligible']}</label>",
            _table(rows),
            f"<script>{_SCRIPT}</script></body></html>",
        ]
    )


def trial_label(row: ReportRow) -> str:
    """
    >>> trial_label(ReportRow("Patient/p", "", "", "f01", "NCT06208280", "sle", "ineligible", (), (), ""))
    'f01 / sle (NCT06208280)'
    """
    if not row.protocol:
        return ""
    name = f"{row.protocol} / {row.cohort}" if row.cohort else row.protocol
    return f"{name} ({row.nct})" if row.nct else name


def _summary(rows: Sequence[ReportRow]) -> str:
    counts = Counter((trial_label(r), r.verdict) for r in rows)
    trials = sorted({label for label, _ in counts})
    verdicts = sorted({v for _, v in counts}, key=lambda v: VERDICT_ORDER.get(v, 9))
    head = "".join(f"<th>{escape(VERDICT_WORDS.get(v, v))}</th>" for v in verdicts)
    body = "".join(
        f"<tr><td>{escape(t or 'no trial')}</td>"
        + "".join(f'<td class="n">{counts.get((t, v), 0)}</td>' for v in verdicts)
        + "</tr>"
        for t in trials
    )
    return f'<table class="summary"><thead><tr><th>Trial</th>{head}</tr></thead><tbody>{body}</tbody></table>'


def _table(rows: Sequence[ReportRow]) -> str:
    head = "".join(f'<th scope="col"><button type="button">{escape(c)}</button></th>' for c in _COLUMNS)
    return (
        f'<table class="rows"><thead><tr>{head}</tr></thead><tbody>{"".join(map(_row, rows))}</tbody></table>'
    )


def _row(row: ReportRow) -> str:
    order = VERDICT_ORDER.get(row.verdict, 9)
    verdict = escape(VERDICT_WORDS.get(row.verdict, row.verdict))
    return (
        f'<tr class="{escape(row.verdict)}"><td class="v {escape(row.verdict)}" data-key="{order}">{verdict}</td>'
        f'<td class="id">{escape(row.patient)}</td><td>{escape(row.name)}</td>'
        f'<td class="id">{escape(row.birth_date)}</td>'
        f"<td>{escape(trial_label(row))}</td><td>{_list(row.failing)}</td><td>{_list(row.unknown)}</td></tr>"
    )


def _list(items: tuple[str, ...]) -> str:
    return f"<ul>{''.join(f'<li>{escape(i)}</li>' for i in items)}</ul>" if items else ""
