"""Build the demo patients: data/demo-patients/<id>.json (one FHIR R4 collection Bundle per patient)
and data/demo-patients/README.md (what each patient shows and the verdicts expected of it).

Each patient is a clinical vignette written with cds.fhir.builder, dated relative to the as-of date
that `trialcds demo` and the README use (AS_OF). Beside each vignette stand the verdicts we expect per
protocol and cohort and the criteria that decide them; the README table is generated from them and
tests/data/test_demo_patients.py checks them against the protocols, so there is one copy only.

    .venv/bin/python scripts/build_demo_patients.py           # rewrite the files
    .venv/bin/python scripts/build_demo_patients.py --check   # exit 1 when a committed file differs

The people are invented; any likeness to a real person is chance.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from cds.fhir import builder as fb
from cds.fhir.builder import ATC, ICD10CM, LOCAL, LOINC, RXNORM, SNOMED, Json, PatientBuilder
from cds.fhir.jsontext import dumps

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "demo-patients"
AS_OF = "2026-11-01"
MRN_SYSTEM = "https://trialcds.org/fhir/demo/mrn"
# Results the laboratory's own test catalogue codes (no LOINC code checked for them).
SITE_LAB = "https://trialcds.org/fhir/demo/lab-catalogue"


def ago(*, years: int = 0, months: int = 0, weeks: int = 0, days: int = 0) -> str:
    """A date this long before the as-of date (calendar months, as the criteria count them)."""
    return fb.ago(AS_OF, years=years, months=months, weeks=weeks, days=days)


# ===================================================================================== expectations
LIKELY, POSSIBLY, INELIGIBLE = "likely-eligible", "possibly-eligible", "ineligible"
RESULTS = ("a-duse", "f01/sle", "f01/aav", "f01/iim", "f01/dcssc")
RESULT_TITLES = {
    "a-duse": "A-DUSE",
    "f01/sle": "F01 SLE",
    "f01/aav": "F01 AAV",
    "f01/iim": "F01 IIM",
    "f01/dcssc": "F01 dcSSc",
}


@dataclass(frozen=True)
class Outcome:
    """What decides one verdict: the failing criteria (ineligible), else the unknown ones (possibly
    eligible), else none (likely eligible); each with why, in a few words."""

    fails: tuple[tuple[str, str], ...] = ()
    unknowns: tuple[tuple[str, str], ...] = ()

    @property
    def verdict(self) -> str:
        return INELIGIBLE if self.fails else POSSIBLY if self.unknowns else LIKELY

    @property
    def deciding_status(self) -> str | None:
        """The status the deciding criteria have: fail, unknown, or None when nothing stands in the way."""
        return "fail" if self.fails else "unknown" if self.unknowns else None

    @property
    def deciders(self) -> tuple[tuple[str, str], ...]:
        # With a fail, unknowns do not change the verdict and are not listed.
        return self.fails or self.unknowns

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(self.fails + other.fails, self.unknowns + other.unknowns)


def failing(reasons: dict[str, str]) -> Outcome:
    return Outcome(fails=tuple(reasons.items()))


def unknown(reasons: dict[str, str]) -> Outcome:
    return Outcome(unknowns=tuple(reasons.items()))


CLEAR = Outcome()
NOT_SSC_FOR_ADUSE = failing(
    {
        "inc-ssc": "no systemic sclerosis",
        "inc-active-du": "no digital ulcer",
        "inc-du-refractory": "no digital ulcer",
    }
)
NO_DU = failing({"inc-active-du": "no digital ulcer", "inc-du-refractory": "no digital ulcer"})
NO_SLE = failing({"sle-dx": "no SLE"})
NO_AAV = failing({"aav-dx": "no GPA or MPA"})
NO_IIM = failing({"iim-dx": "no DM, PM or IMNM"})
NO_SSC = failing({"dcssc-dx": "no systemic sclerosis", "dcssc-ild-function": "no ILD"})


@dataclass(frozen=True)
class Expected:
    """The outcome per protocol and cohort; `f01` holds what the F01 criteria common to all cohorts add."""

    a_duse: Outcome
    f01: Outcome = CLEAR
    sle: Outcome = NO_SLE
    aav: Outcome = NO_AAV
    iim: Outcome = NO_IIM
    dcssc: Outcome = NO_SSC

    def results(self) -> dict[str, Outcome]:
        return {
            "a-duse": self.a_duse,
            "f01/sle": self.f01 + self.sle,
            "f01/aav": self.f01 + self.aav,
            "f01/iim": self.f01 + self.iim,
            "f01/dcssc": self.f01 + self.dcssc,
        }


# ========================================================================================= the chart
@dataclass(frozen=True)
class Analyte:
    loinc: str
    display: str
    unit: str
    female: tuple[float | None, float | None]
    male: tuple[float | None, float | None] | None = None  # None: same as female


def _same(unit: str, low: float | None, high: float | None) -> tuple[str, tuple[float | None, float | None]]:
    return unit, (low, high)


# Reference intervals as a hospital laboratory prints them: SI units (most European sites) or US
# conventional units. Sex-specific where the laboratory gives two.
SI: dict[str, Analyte] = {
    "hb": Analyte("718-7", "Hemoglobin [Mass/volume] in Blood", "g/L", (120, 155), (135, 175)),
    "wbc": Analyte("6690-2", "Leukocytes [#/volume] in Blood by Automated count", "10*9/L", (4.0, 10.0)),
    "anc": Analyte("751-8", "Neutrophils [#/volume] in Blood by Automated count", "10*9/L", (1.8, 7.5)),
    "plt": Analyte("777-3", "Platelets [#/volume] in Blood by Automated count", "10*9/L", (150, 400)),
    "creat": Analyte(
        "14682-9", "Creatinine [Moles/volume] in Serum or Plasma", "umol/L", (45, 84), (59, 104)
    ),
    "alt": Analyte(
        "1742-6",
        "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
        "U/L",
        (None, 33),
        (None, 41),
    ),
    "ast": Analyte(
        "1920-8",
        "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
        "U/L",
        (None, 32),
        (None, 40),
    ),
    "bili": Analyte("14631-6", "Bilirubin.total [Moles/volume] in Serum or Plasma", "umol/L", (None, 21)),
    "crp": Analyte("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", "mg/L", (None, 5)),
    "esr": Analyte(
        "4537-7", "Erythrocyte sedimentation rate by Westergren method", "mm/h", (None, 20), (None, 15)
    ),
    "c3": Analyte("4485-9", "Complement C3 [Mass/volume] in Serum or Plasma", "g/L", (0.9, 1.8)),
    "c4": Analyte("4498-2", "Complement C4 [Mass/volume] in Serum or Plasma", "g/L", (0.1, 0.4)),
    "dsdna": Analyte("5130-0", "DNA double strand Ab [Units/volume] in Serum", "[IU]/mL", (None, 27)),
    "upcr": Analyte("2890-2", "Protein/Creatinine [Mass ratio] in Urine", "mg/mmol", (None, 15)),
    "urbc": Analyte(
        "13945-1",
        "Erythrocytes [#/area] in Urine sediment by Microscopy high power field",
        "/[HPF]",
        (None, 2),
    ),
    "uwbc": Analyte(
        "5821-4", "Leukocytes [#/area] in Urine sediment by Microscopy high power field", "/[HPF]", (None, 5)
    ),
    "pr3": Analyte("6968-2", "Proteinase 3 Ab [Units/volume] in Serum", "U/mL", (None, 2.0)),
    "mpo": Analyte("6969-0", "Myeloperoxidase Ab [Units/volume] in Serum", "U/mL", (None, 3.5)),
    "ntprobnp": Analyte(
        "33762-6",
        "Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma",
        "ng/L",
        (None, 125),
    ),
}
US: dict[str, Analyte] = {
    **SI,
    "hb": Analyte("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", (12.0, 15.5), (13.5, 17.5)),
    "wbc": Analyte("6690-2", "Leukocytes [#/volume] in Blood by Automated count", "10*3/uL", (4.0, 11.0)),
    "anc": Analyte("751-8", "Neutrophils [#/volume] in Blood by Automated count", "10*3/uL", (1.5, 7.8)),
    "plt": Analyte("777-3", "Platelets [#/volume] in Blood by Automated count", "10*3/uL", (150, 400)),
    "creat": Analyte(
        "2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", (0.59, 1.04), (0.74, 1.35)
    ),
    "alt": Analyte(
        "1742-6",
        "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
        "U/L",
        (None, 35),
        (None, 45),
    ),
    "ast": Analyte(
        "1920-8",
        "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
        "U/L",
        (None, 35),
        (None, 40),
    ),
    "bili": Analyte("1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma", "mg/dL", (0.1, 1.2)),
    "c3": Analyte("4485-9", "Complement C3 [Mass/volume] in Serum or Plasma", "mg/dL", (90, 180)),
    "c4": Analyte("4498-2", "Complement C4 [Mass/volume] in Serum or Plasma", "mg/dL", (10, 40)),
    "dsdna": Analyte("5130-0", "DNA double strand Ab [Units/volume] in Serum", "[IU]/mL", (None, 30)),
    "upcr": Analyte("2890-2", "Protein/Creatinine [Mass ratio] in Urine", "mg/g", (None, 200)),
    "ntprobnp": Analyte(
        "33762-6",
        "Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma",
        "pg/mL",
        (None, 125),
    ),
    "ldl": Analyte(
        "13457-7", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation", "mg/dL", (None, 100)
    ),
    "hba1c": Analyte("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", (None, 5.7)),
}
MUSCLE: dict[str, Analyte] = {
    "ck": Analyte(
        "2157-6",
        "Creatine kinase [Enzymatic activity/volume] in Serum or Plasma",
        "U/L",
        (26, 192),
        (39, 308),
    ),
    "aldolase": Analyte(
        "1761-6", "Aldolase [Enzymatic activity/volume] in Serum or Plasma", "U/L", (None, 8.1)
    ),
    "ldh": Analyte(
        "2532-0", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma", "U/L", (135, 214)
    ),
}
SI.update(MUSCLE)
US.update(MUSCLE)

POSITIVE = (SNOMED, "10828004", "Positive")
NEGATIVE = (SNOMED, "260385009", "Negative")


@dataclass(frozen=True)
class Drug:
    """A medication as the EHR codes it: RxNorm ingredient (when the project's value sets list one) and ATC."""

    name: str
    rxnorm: str | None
    atc: str


class Chart:
    """One patient's record, written the way a rheumatology clinic fills it; every method adds
    resources through the builder."""

    def __init__(self, p: PatientBuilder, sex: str, units: dict[str, Analyte]) -> None:
        self.p = p
        self.sex = sex
        self.units = units

    # ---------------------------------------------------------------------------------- diagnoses
    def dx(
        self,
        system: str | None,
        code: str | None,
        display: str | None = None,
        *,
        text: str | None = None,
        onset: str | None = None,
        recorded: str | None = None,
        abatement: str | None = None,
        status: str = "active",
        site: str | None = None,
        problem: bool = False,
    ) -> Json:
        """A diagnosis; `problem` puts it on the problem list (the rheumatological diagnoses and their
        organ involvement), the rest are encounter diagnoses, as a clinic records comorbidities."""
        c = self.p.condition(
            system,
            code,
            display,
            text=text,
            onset=onset,
            recorded=recorded or onset,
            abatement=abatement,
            clinical_status=status,
        )
        category = "problem-list-item" if problem else "encounter-diagnosis"
        c["category"] = [fb.concept("http://terminology.hl7.org/CodeSystem/condition-category", category)]
        if site:
            c["bodySite"] = [{"text": site}]
        return c

    # ------------------------------------------------------------------------------ laboratory
    def lab(self, key: str, value: float | str, date: str) -> Json:
        a = self.units[key]
        low, high = a.male if self.sex == "male" and a.male else a.female
        number = Decimal(str(value))
        flag = "H" if high is not None and number > Decimal(str(high)) else None
        flag = "L" if low is not None and number < Decimal(str(low)) else flag
        return self.p.observation(
            LOINC,
            a.loinc,
            a.display,
            value=value,
            unit=a.unit,
            date=date,
            low=low,
            high=high,
            interpretation=flag,
        )

    def lab_series(self, dates: list[str], **series: tuple[float | str | None, ...]) -> None:
        """Results drawn on the given dates, one tuple per analyte (None: not measured that day)."""
        for i, date in enumerate(dates):
            for key, values in series.items():
                value = values[i]
                if value is not None:
                    self.lab(key, value, date)

    def test(self, system: str, code: str, display: str, result: tuple[str, str, str], date: str) -> Json:
        """A qualitative result (serology, pregnancy test): Positive or Negative."""
        return self.p.observation(system, code, display, value_code=result, date=date)

    def titre(self, system: str, code: str, display: str, titre: str, date: str) -> Json:
        return self.p.observation(system, code, display, value_string=titre, date=date, interpretation="POS")

    # ------------------------------------------------------------------------------ vital signs
    def vitals(
        self,
        date: str,
        *,
        weight: float,
        bp: tuple[int, int],
        hr: int,
        height: float | None = None,
        spo2: int | None = None,
    ) -> None:
        vital = "vital-signs"
        self.p.observation(
            LOINC, "29463-7", "Body weight", value=weight, unit="kg", date=date, category=vital
        )
        if height is not None:
            self.p.observation(
                LOINC, "8302-2", "Body height", value=height, unit="cm", date=date, category=vital
            )
            bmi = (Decimal(str(weight)) / (Decimal(str(height)) / 100) ** 2).quantize(Decimal("0.1"))
            self.p.observation(
                LOINC,
                "39156-5",
                "Body mass index (BMI) [Ratio]",
                value=bmi,
                unit="kg/m2",
                date=date,
                category=vital,
            )
        self.p.observation(
            LOINC,
            "85354-9",
            "Blood pressure panel with all children optional",
            date=date,
            category=vital,
            components=[(LOINC, "8480-6", bp[0], "mm[Hg]"), (LOINC, "8462-4", bp[1], "mm[Hg]")],
        )
        self.p.observation(LOINC, "8867-4", "Heart rate", value=hr, unit="/min", date=date, category=vital)
        if spo2 is not None:
            # Taken at rest on room air: no inhaled-oxygen component.
            self.p.observation(
                LOINC,
                "59408-5",
                "Oxygen saturation in Arterial blood by Pulse oximetry",
                value=spo2,
                unit="%",
                date=date,
                category=vital,
            )

    # ------------------------------------------------------------------ lung function, echo, scores
    def pft(
        self,
        date: str,
        fvc_l: float,
        fvc_pct: float,
        dlco: float | None = None,
        dlco_pct: float | None = None,
    ) -> None:
        """Spirometry and diffusion capacity as the lung-function laboratory reports them: the measured
        value with its % predicted as a component."""
        self.p.observation(
            LOINC,
            "19868-9",
            "Forced vital capacity [Volume] Respiratory system by Spirometry",
            value=fvc_l,
            unit="L",
            date=date,
            category="procedure",
            components=[(LOINC, "19872-1", fvc_pct, "%")],
        )
        if dlco is not None and dlco_pct is not None:
            self.p.observation(
                LOINC,
                "19911-7",
                "Diffusion capacity.carbon monoxide",
                value=dlco,
                unit="mL/min/mm[Hg]",
                date=date,
                category="procedure",
                components=[(LOINC, "98130-8", dlco_pct, "%")],
            )

    def echo(self, date: str, lvef: int, rvsp: int) -> None:
        self.p.procedure(
            SNOMED, "40701008", "Echocardiography", text="Transthoracic echocardiography", date=date
        )
        self.p.observation(
            LOINC,
            "10230-1",
            "Left ventricular Ejection fraction",
            value=lvef,
            unit="%",
            date=date,
            category="imaging",
        )
        # Right ventricular systolic pressure from the tricuspid jet: a systolic estimate, kept under the
        # laboratory's own code so that it is never read as a mean pulmonary artery pressure.
        self.p.observation(
            SITE_LAB,
            "ECHO-RVSP",
            "Right ventricular systolic pressure (tricuspid regurgitation jet)",
            value=rvsp,
            unit="mm[Hg]",
            date=date,
            category="imaging",
        )

    def score(self, code: str, display: str, value: float, date: str, unit: str = "{score}") -> Json:
        return self.p.observation(LOCAL, code, display, value=value, unit=unit, date=date, category="survey")

    def sledai(self, value: int, date: str) -> Json:
        return self.score("sledai-2k", "SLEDAI-2K total score", value, date)

    def mrss(self, value: int, date: str) -> Json:
        return self.score("mrss", "Modified Rodnan skin score, total", value, date)

    def ssc_classification(self, value: int, date: str) -> Json:
        return self.score(
            "ssc-acr-eular-2013", "2013 ACR/EULAR systemic sclerosis classification score", value, date
        )

    def bvas(self, total: int, date: str, major: int | None = None, other: int | None = None) -> Json:
        items = []
        if major is not None and other is not None:
            items = [(LOCAL, "bvas-v3-major", major, "1"), (LOCAL, "bvas-v3-minor", other, "1")]
        o = self.score("bvas-v3", "Birmingham Vasculitis Activity Score v3, total", total, date)
        if items:
            o["component"] = [
                {"code": fb.concept(s, c), "valueQuantity": fb.quantity(v, u)} for s, c, v, u in items
            ]
        return o

    def smoking(self, status: str, date: str | None = None, *, quit: str | None = None) -> Json:
        answers = {
            "never": (SNOMED, "266919005", "Never smoker"),
            "former": (SNOMED, "8517006", "Former smoker"),
        }
        o = self.p.observation(
            LOINC,
            "72166-2",
            "Tobacco smoking status",
            value_code=answers[status],
            date=date,
            category="social-history",
        )
        if quit:
            # A former-smoker status holds from the day the patient stopped.
            o["effectivePeriod"] = {"start": quit}
        return o

    # ----------------------------------------------------------------------------- medications
    def med(
        self,
        drug: Drug,
        text: str,
        *,
        start: str,
        end: str | None = None,
        dose: tuple[float, str] | None = None,
        per_day: int = 1,
        every: tuple[int, str] | None = None,
        times: int = 1,
        route: str = "oral",
        reason: str | None = None,
        request: bool = False,
    ) -> Json:
        """A medication the patient takes (status active) or took (completed, with an end date):
        a MedicationStatement, or with `request` the MedicationRequest of a new prescription.
        `every` = (n, 'wk' | 'mo'): `times` doses every n weeks or months instead of `per_day` doses a day."""
        system, code = (RXNORM, drug.rxnorm) if drug.rxnorm else (ATC, drug.atc)
        status = "completed" if end else "active"
        if request:
            m = self.p.medication_request(
                system,
                code,
                drug.name,
                text=text,
                authored=start,
                end=end,
                status=status,
                dose=dose,
                per_day=per_day,
                route=route,
                reason_text=reason,
            )
            dosage = m.get("dosageInstruction", [{}])[0]
        else:
            m = self.p.medication(
                system,
                code,
                drug.name,
                text=text,
                start=start,
                end=end,
                status=status,
                dose=dose,
                per_day=per_day,
                route=route,
                reason_text=reason,
            )
            dosage = m.get("dosage", [{}])[0]
        if drug.rxnorm:
            m["medicationCodeableConcept"]["coding"].append(fb.coding(ATC, drug.atc, drug.name))
        if every is not None:
            dosage["timing"] = {"repeat": {"frequency": times, "period": every[0], "periodUnit": every[1]}}
        if dose is not None:
            dosage["text"] = _sig(dose, per_day, every, times)
        return m

    # ------------------------------------------------------------------- procedures and the rest
    def procedure(self, text: str, date: str, code: tuple[str, str, str] | None = None) -> Json:
        system, c, display = code if code else (None, None, None)
        return self.p.procedure(system, c, display, text=text, date=date)

    def vaccine(self, cvx: str, date: str) -> Json:
        return self.p.immunization(cvx, VACCINES[cvx], date=date)

    def allergy(
        self,
        text: str,
        reaction: str,
        recorded: str,
        *,
        code: tuple[str, str, str] | None = None,
        severity: str = "mild",
    ) -> Json:
        system, c, display = code if code else (None, None, None)
        a = self.p.allergy(system, c, display, text=text, criticality="low", recorded=recorded)
        a["type"] = "allergy"
        a["category"] = ["medication"]
        a["reaction"] = [{"manifestation": [{"text": reaction}], "severity": severity}]
        return a


def _sig(dose: tuple[float, str], per_day: int, every: tuple[int, str] | None, times: int = 1) -> str:
    amount = f"{Decimal(str(dose[0])).normalize():f} {dose[1]}"
    if every is not None:
        n, unit = every
        word = {"wk": "week", "mo": "month"}[unit]
        if times > 1:
            return f"{amount} {times} times a {word}"
        return f"{amount} once a {word}" if n == 1 else f"{amount} every {n} {word}s"
    return f"{amount} " + {1: "once daily", 2: "twice daily", 3: "three times daily"}[per_day]


# CVX vaccine names (CDC CVX table).
VACCINES = {
    "141": "Influenza, seasonal, injectable",
    "133": "Pneumococcal conjugate PCV 13",
    "33": "pneumococcal polysaccharide PPV23",
    "187": "Zoster vaccine recombinant",
    "115": "Tdap",
    "208": "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30mcg/0.5mL dose",
}

# --------------------------------------------------------------------------------------- drugs
NIFEDIPINE = Drug("nifedipine", "7417", "C08CA05")
AMLODIPINE = Drug("amlodipine", "17767", "C08CA01")
SILDENAFIL = Drug("sildenafil", "136411", "G04BE03")
BOSENTAN = Drug("bosentan", "75207", "C02KX01")
ILOPROST = Drug("iloprost", None, "B01AC11")
ATORVASTATIN = Drug("atorvastatin", "83367", "C10AA05")
RAMIPRIL = Drug("ramipril", "35296", "C09AA05")
LISINOPRIL = Drug("lisinopril", "29046", "C09AA03")
LOSARTAN = Drug("losartan", "52175", "C09CA01")
TAMSULOSIN = Drug("tamsulosin", "77492", "G04CA02")
PREDNISONE = Drug("prednisone", "8640", "H02AB07")
PREDNISOLONE = Drug("prednisolone", "8638", "H02AB06")
METHYLPREDNISOLONE = Drug("methylprednisolone", "6902", "H02AB04")
HYDROXYCHLOROQUINE = Drug("hydroxychloroquine", "5521", "P01BA02")
MYCOPHENOLATE = Drug("mycophenolate mofetil", "68149", "L04AA06")
AZATHIOPRINE = Drug("azathioprine", "1256", "L04AX01")
METHOTREXATE = Drug("methotrexate", "6851", "L04AX03")
TACROLIMUS = Drug("tacrolimus", "42316", "L04AD02")
CYCLOPHOSPHAMIDE = Drug("cyclophosphamide", "3002", "L01AA01")
RITUXIMAB = Drug("rituximab", "121191", "L01FA01")
BELIMUMAB = Drug("belimumab", None, "L04AG04")
CO_TRIMOXAZOLE = Drug("sulfamethoxazole and trimethoprim", None, "J01EE01")
NITROFURANTOIN = Drug("nitrofurantoin", None, "J01XE01")
IVIG = Drug("immunoglobulins, normal human, for intravascular administration", None, "J06BA02")
NINTEDANIB = Drug("nintedanib", None, "L01EX09")
PACLITAXEL = Drug("paclitaxel", None, "L01CD01")
CARBOPLATIN = Drug("carboplatin", None, "L01XA02")
OMEPRAZOLE = Drug("omeprazole", None, "A02BC01")
FOLIC_ACID = Drug("folic acid", None, "B03BB01")
CALCIUM_VITAMIN_D = Drug("calcium, combinations with vitamin D", None, "A12AX")
COLECALCIFEROL = Drug("colecalciferol", None, "A11CC05")
ALENDRONATE = Drug("alendronic acid", None, "M05BA04")
ASPIRIN = Drug("acetylsalicylic acid", None, "B01AC06")
METFORMIN = Drug("metformin", None, "A10BA02")
LEVOTHYROXINE = Drug("levothyroxine sodium", None, "H03AA01")
FERROUS_SULFATE = Drug("ferrous sulfate", None, "B03AA07")
ETHINYLESTRADIOL_LEVONORGESTREL = Drug("levonorgestrel and ethinylestradiol", None, "G03AA07")

# Diagnoses used by several patients.
RAYNAUD = (ICD10CM, "I73.00", "Raynaud's syndrome without gangrene")
GERD = (ICD10CM, "K21.9", "Gastro-esophageal reflux disease without esophagitis")
HYPERTENSION = (ICD10CM, "I10", "Essential (primary) hypertension")
MENOPAUSE = (ICD10CM, "Z78.0", "Asymptomatic menopausal state")
SSC = (SNOMED, "89155008", "Systemic sclerosis")
SKIN_ULCER = (SNOMED, "46742003", "Skin ulcer")
ILD = (SNOMED, "233703007", "Interstitial lung disease")
SLE = (SNOMED, "55464009", "Systemic lupus erythematosus")
PENICILLIN_ALLERGY = (SNOMED, "91936005", "Allergy to penicillin")


# ====================================================================================== registry
@dataclass(frozen=True)
class DemoPatient:
    id: str
    name: str  # "Family, Given"
    born: str
    sex: str
    city: str
    country: str
    vignette: str
    expected: Expected
    shows: str  # the readings the patient exercises, for the README
    write: Callable[[Chart], None] = field(repr=False)

    @property
    def display_name(self) -> str:
        family, _, given = self.name.partition(", ")
        return f"{given} {family}"

    def build(self) -> PatientBuilder:
        p = PatientBuilder(self.id, birth_date=self.born, gender=self.sex, name=self.name)
        p.patient["name"][0]["use"] = "official"
        p.patient["identifier"] = [{"system": MRN_SYSTEM, "value": f"DEMO-{_index(self.id):04d}"}]
        p.patient["address"] = [{"city": self.city, "country": self.country}]
        self.write(Chart(p, self.sex, US if self.country == "US" else SI))
        return p


PATIENTS: list[DemoPatient] = []


def _index(patient_id: str) -> int:
    return next(i for i, d in enumerate(PATIENTS, 1) if d.id == patient_id)


def demo_patient(
    patient_id: str,
    name: str,
    *,
    born: str,
    sex: str,
    city: str,
    country: str,
    vignette: str,
    expected: Expected,
    shows: str,
) -> Callable[[Callable[[Chart], None]], Callable[[Chart], None]]:
    """Register the decorated vignette as a demo patient."""

    def register(write: Callable[[Chart], None]) -> Callable[[Chart], None]:
        PATIENTS.append(
            DemoPatient(patient_id, name, born, sex, city, country, vignette, expected, shows, write)
        )
        return write

    return register


# ====================================================================================== vignettes
# ---------------------------------------------------------------------------------- A-DUSE patients
@demo_patient(
    "isabelle-moreau",
    "Moreau, Isabelle",
    born="1970-05-12",
    sex="female",
    city="Toulouse",
    country="FR",
    vignette=(
        "56, limited cutaneous SSc (CREST) for 14 years; an ischaemic ulcer of the right index fingertip "
        "for 14 weeks despite nifedipine (6 years) and sildenafil (5 months); postmenopausal"
    ),
    shows="A-DUSE met in full: an ulcer found by its text, refractory by its onset, standard treatment documented for years, a vasodilator started 5 months ago counted as stable, menopause for 5 years instead of a pregnancy test; a healed earlier ulcer is ignored; CREST is read as limited cutaneous for F01.",
    expected=Expected(
        a_duse=CLEAR,
        dcssc=failing({"dcssc-dx": "limited cutaneous (CREST), not diffuse", "dcssc-ild-function": "no ILD"}),
    ),
)
def isabelle_moreau(c: Chart) -> None:
    c.dx(
        ICD10CM,
        "M34.1",
        "CR(E)ST syndrome",
        text="Limited cutaneous systemic sclerosis (CREST syndrome)",
        onset=ago(years=14, months=2),
        problem=True,
    )
    c.dx(*RAYNAUD, onset=ago(years=18))
    c.dx(*GERD, onset=ago(years=12))
    c.dx(ICD10CM, "L94.2", "Calcinosis cutis", text="Calcinosis cutis of the fingers", onset=ago(years=6))
    c.dx(*MENOPAUSE, onset=ago(years=5))
    c.dx(
        *SKIN_ULCER,
        text="Ischaemic digital ulcer, right index fingertip",
        onset=ago(weeks=14),
        site="Right index finger, fingertip",
        problem=True,
    )
    c.dx(
        *SKIN_ULCER,
        text="Digital ulcer, left middle fingertip (healed)",
        onset=ago(years=2, months=1),
        abatement=ago(years=1, months=8),
        status="resolved",
        site="Left middle finger, fingertip",
    )
    c.test(LOINC, "8061-4", "Nuclear Ab [Presence] in Serum", POSITIVE, ago(years=14, months=2))
    c.test(
        LOINC,
        "16570-4",
        "Centromere Ab [Presence] in Serum by Immunofluorescence",
        POSITIVE,
        ago(years=14, months=2),
    )
    c.ssc_classification(14, ago(years=14, months=2))

    c.med(
        NIFEDIPINE, "Nifedipine 30 mg modified-release tablet", start=ago(years=6, months=3), dose=(30, "mg")
    )
    c.med(SILDENAFIL, "Sildenafil 20 mg tablet", start=ago(months=5), dose=(20, "mg"), per_day=3)
    c.med(
        ILOPROST,
        "Iloprost intravenous infusion, 5-day course",
        start=ago(years=1, months=2, days=4),
        end=ago(years=1, months=2),
        route="intravenous",
    )
    c.med(
        OMEPRAZOLE,
        "Omeprazole 20 mg gastro-resistant capsule",
        start=ago(years=12),
        dose=(20, "mg"),
        per_day=2,
    )
    c.med(ASPIRIN, "Aspirin 75 mg tablet", start=ago(years=2), dose=(75, "mg"))
    c.med(CALCIUM_VITAMIN_D, "Calcium carbonate 500 mg / colecalciferol 400 IU tablet", start=ago(years=5))

    visits = [ago(months=11, days=3), ago(months=7), ago(months=4), ago(weeks=3)]
    c.lab_series(
        visits,
        hb=(127, 124, 126, 123),
        wbc=(5.9, 6.3, 5.4, 6.0),
        anc=(3.6, 4.0, 3.2, 3.7),
        plt=(262, 248, 271, 255),
        creat=(66, 69, 64, 67),
        alt=(18, 21, 17, 19),
        ast=(22, 24, 21, 23),
        bili=(7, 9, 8, 7),
        crp=(2.1, 3.4, 1.8, 2.6),
        esr=(14, 18, 12, 16),
        ntprobnp=(None, 88, None, None),
    )
    for date, weight, bp in zip(
        visits, (61.5, 61.0, 60.4, 60.8), ((118, 72), (122, 76), (116, 70), (120, 74)), strict=True
    ):
        c.vitals(
            date,
            weight=weight,
            bp=bp,
            hr=74,
            height=164 if date == visits[0] else None,
            spo2=97 if date in visits[2:] else None,
        )
    c.pft(ago(months=7), 2.95, 98, 15.6, 71)
    c.echo(ago(months=7), lvef=63, rvsp=31)
    c.mrss(6, ago(months=7))
    c.mrss(5, ago(weeks=3))
    c.smoking("never", ago(months=7))

    c.procedure("Nailfold videocapillaroscopy: scleroderma pattern", ago(years=14, months=2))
    c.procedure("Upper gastrointestinal endoscopy", ago(years=4))
    c.procedure("Bone densitometry (DXA)", ago(years=2))
    c.vaccine("141", ago(years=1, weeks=4))
    c.vaccine("141", ago(weeks=4))
    c.vaccine("133", ago(years=3))
    c.vaccine("33", ago(years=2))
    c.vaccine("208", ago(years=1, months=1))
    c.allergy("Penicillin", "Urticaria", ago(years=20), code=PENICILLIN_ALLERGY)


@demo_patient(
    "thomas-becker",
    "Becker, Thomas",
    born="1965-02-20",
    sex="male",
    city="Hamburg",
    country="DE",
    vignette=(
        "61, diffuse cutaneous SSc with stable ILD (FVC 78 %); a left middle fingertip ulcer entered two "
        "weeks ago with no onset date; bosentan and amlodipine for years"
    ),
    shows="An ulcer without an onset date is unknown, never fail; a former smoker's quit date; lung function outside both windows fails `dcssc-ild-function`.",
    expected=Expected(
        a_duse=unknown({"inc-du-refractory": "the ulcer's onset is not recorded"}),
        dcssc=failing({"dcssc-ild-function": "FVC 78 % and DLCO 74 % predicted, both above 70 %"}),
    ),
)
def thomas_becker(c: Chart) -> None:
    c.dx(*SSC, text="Diffuse cutaneous systemic sclerosis", onset=ago(years=10, months=4), problem=True)
    c.dx(
        *ILD,
        text="Interstitial lung disease, SSc-associated (NSIP), stable",
        onset=ago(years=8),
        problem=True,
    )
    c.dx(*RAYNAUD, onset=ago(years=11))
    c.dx(*HYPERTENSION, onset=ago(years=6))
    c.dx(*GERD, onset=ago(years=9))
    # Entered in the problem list at the last visit; the note says "present for some time".
    c.dx(
        *SKIN_ULCER,
        text="Digital ulcer, left middle fingertip",
        recorded=ago(weeks=2),
        site="Left middle finger, fingertip",
        problem=True,
    )
    c.dx(
        *SKIN_ULCER,
        text="Digital ulcer, right thumb (healed)",
        onset=ago(years=3),
        abatement=ago(years=2, months=8),
        status="resolved",
        site="Right thumb",
    )
    c.test(LOINC, "8061-4", "Nuclear Ab [Presence] in Serum", POSITIVE, ago(years=10, months=4))
    c.test(SITE_LAB, "SCL70", "Anti-Scl-70 (topoisomerase I) antibody", POSITIVE, ago(years=10, months=4))
    c.ssc_classification(15, ago(years=10, months=4))

    c.med(PREDNISONE, "Prednisone 5 mg tablet", start=ago(years=9), dose=(5, "mg"))
    c.med(
        CYCLOPHOSPHAMIDE,
        "Cyclophosphamide 750 mg intravenous infusion",
        start=ago(years=8, months=7),
        end=ago(years=8),
        dose=(750, "mg"),
        every=(4, "wk"),
        route="intravenous",
    )
    c.med(
        MYCOPHENOLATE, "Mycophenolate mofetil 500 mg tablet", start=ago(years=8), dose=(1000, "mg"), per_day=2
    )
    c.med(AMLODIPINE, "Amlodipine 5 mg tablet", start=ago(years=5), dose=(5, "mg"))
    c.med(RAMIPRIL, "Ramipril 5 mg capsule", start=ago(years=6), dose=(5, "mg"))
    c.med(BOSENTAN, "Bosentan 125 mg tablet", start=ago(years=3, months=2), dose=(125, "mg"), per_day=2)
    c.med(OMEPRAZOLE, "Omeprazole 40 mg gastro-resistant capsule", start=ago(years=9), dose=(40, "mg"))

    visits = [ago(months=11), ago(months=8), ago(months=5), ago(weeks=2)]
    c.lab_series(
        visits,
        hb=(141, 138, 140, 137),
        wbc=(7.1, 6.8, 7.4, 6.9),
        anc=(4.6, 4.2, 4.9, 4.4),
        plt=(231, 244, 226, 238),
        creat=(88, 91, 86, 90),
        alt=(24, 22, 26, 23),
        ast=(25, 23, 27, 24),
        bili=(11, 9, 12, 10),
        crp=(4.2, 3.8, 5.1, 4.6),
        ntprobnp=(None, None, 104, None),
    )
    for date, weight in zip(visits, (78.4, 78.9, 77.6, 78.1), strict=True):
        c.vitals(date, weight=weight, bp=(132, 80), hr=70, height=179 if date == visits[0] else None, spo2=95)
    c.pft(ago(months=11), 3.48, 80, 18.9, 75)
    c.pft(ago(months=5), 3.41, 78, 18.6, 74)
    c.echo(ago(months=5), lvef=60, rvsp=33)
    c.mrss(14, ago(months=5))
    c.mrss(13, ago(weeks=2))
    c.smoking("former", quit=ago(years=17))

    c.procedure("High-resolution CT of the chest", ago(months=11))
    c.vaccine("141", ago(weeks=5))
    c.vaccine("133", ago(years=4))
    c.vaccine("33", ago(years=3))
    c.vaccine("187", ago(years=2))
    c.vaccine("187", ago(years=1, months=10))


@demo_patient(
    "ana-ferreira",
    "Ferreira, Ana",
    born="1977-08-03",
    sex="female",
    city="Newark",
    country="US",
    vignette=(
        "49, early diffuse cutaneous SSc without ILD; a right ring fingertip ulcer for 11 weeks on nifedipine; "
        "atorvastatin started 5 weeks ago for a new LDL of 192 mg/dL; hysterectomy"
    ),
    shows="A new prescription (MedicationRequest) of a statin 5 weeks old makes the otherwise eligible A-DUSE patient ineligible; a hysterectomy rules out childbearing potential.",
    expected=Expected(
        a_duse=failing({"exc-vasoactive-unstable": "atorvastatin started 5 weeks ago"}),
        dcssc=failing({"dcssc-ild-function": "no ILD"}),
    ),
)
def ana_ferreira(c: Chart) -> None:
    c.dx(
        ICD10CM,
        "M34.0",
        "Progressive systemic sclerosis",
        text="Diffuse cutaneous systemic sclerosis",
        onset=ago(years=4, months=1),
        problem=True,
    )
    c.dx(*RAYNAUD, onset=ago(years=5))
    c.dx(
        *SKIN_ULCER,
        text="Digital ulcer, right ring fingertip",
        onset=ago(weeks=11),
        site="Right ring finger, fingertip",
        problem=True,
    )
    c.dx(ICD10CM, "E78.5", "Hyperlipidemia, unspecified", onset=ago(weeks=6))
    c.dx(ICD10CM, "K22.4", "Dyskinesia of esophagus", onset=ago(years=3))
    c.procedure(
        "Total abdominal hysterectomy (uterine fibroids)", ago(years=9), (SNOMED, "236886002", "Hysterectomy")
    )
    c.test(LOINC, "8061-4", "Nuclear Ab [Presence] in Serum", POSITIVE, ago(years=4, months=1))
    c.test(SITE_LAB, "RNAPOL3", "Anti-RNA polymerase III antibody", POSITIVE, ago(years=4, months=1))
    c.ssc_classification(13, ago(years=4, months=1))

    c.med(NIFEDIPINE, "Nifedipine 30 mg extended-release tablet", start=ago(years=4), dose=(30, "mg"))
    c.med(METHOTREXATE, "Methotrexate 2.5 mg tablet", start=ago(years=3), dose=(15, "mg"), every=(1, "wk"))
    c.med(FOLIC_ACID, "Folic acid 1 mg tablet", start=ago(years=3), dose=(1, "mg"))
    c.med(OMEPRAZOLE, "Omeprazole 20 mg delayed-release capsule", start=ago(years=3), dose=(20, "mg"))
    c.med(
        ATORVASTATIN,
        "Atorvastatin 20 mg tablet",
        start=ago(weeks=5),
        dose=(20, "mg"),
        request=True,
        reason="Hyperlipidemia",
    )

    visits = [ago(months=10), ago(months=7), ago(months=4), ago(weeks=1)]
    c.lab_series(
        visits,
        hb=(12.9, 13.1, 12.7, 13.0),
        wbc=(6.8, 7.2, 6.5, 6.9),
        anc=(4.1, 4.6, 3.9, 4.3),
        plt=(284, 301, 276, 290),
        creat=(0.71, 0.74, 0.69, 0.72),
        alt=(22, 26, 24, 28),
        ast=(20, 23, 21, 25),
        bili=(0.5, 0.4, 0.6, 0.5),
        crp=(3.1, 2.4, 2.9, 2.2),
    )
    c.lab("ldl", 192, ago(weeks=6))
    for date, weight in zip(visits, (64.2, 63.8, 63.1, 63.5), strict=True):
        c.vitals(date, weight=weight, bp=(124, 78), hr=78, height=161 if date == visits[0] else None, spo2=98)
    c.pft(ago(months=5), 2.98, 92, 18.1, 80)
    c.echo(ago(months=5), lvef=65, rvsp=28)
    c.mrss(18, ago(months=5))
    c.mrss(16, ago(weeks=1))
    c.smoking("never", ago(months=5))

    c.procedure("High-resolution CT of the chest: no interstitial lung disease", ago(months=5))
    c.vaccine("141", ago(weeks=4))
    c.vaccine("133", ago(years=2))
    c.vaccine("208", ago(years=1, months=2))
    c.allergy("Sulfonamide antibiotics", "Maculopapular rash", ago(years=15))


# ------------------------------------------------------------------------------------- SLE patients
@demo_patient(
    "amara-okafor",
    "Okafor, Amara",
    born="1992-04-17",
    sex="female",
    city="Houston",
    country="US",
    vignette=(
        "34, SLE for 8 years, flaring (SLEDAI-2K 12, anti-dsDNA 212 IU/mL, low C3/C4) on hydroxychloroquine, "
        "prednisone and mycophenolate; belimumab stopped 4 months ago; negative hCG"
    ),
    shows="Every F01 SLE criterion met from coded data: recorded SLEDAI-2K, positive ANA and anti-dsDNA, standard treatment, negative serum hCG in the last month, belimumab stopped more than a month ago.",
    expected=Expected(a_duse=NOT_SSC_FOR_ADUSE, sle=CLEAR),
)
def amara_okafor(c: Chart) -> None:
    c.dx(*SLE, onset=ago(years=8, months=3), problem=True)
    c.dx(ICD10CM, "L93.1", "Subacute cutaneous lupus erythematosus", onset=ago(years=7))
    c.dx(
        ICD10CM,
        "M32.19",
        "Other organ or system involvement in systemic lupus erythematosus",
        text="Lupus arthritis (hands, wrists)",
        onset=ago(months=3),
    )
    c.dx(ICD10CM, "L65.9", "Nonscarring hair loss, unspecified", onset=ago(months=4))
    c.dx(ICD10CM, "E55.9", "Vitamin D deficiency, unspecified", onset=ago(years=3))

    c.med(
        HYDROXYCHLOROQUINE,
        "Hydroxychloroquine 200 mg tablet",
        start=ago(years=8),
        dose=(200, "mg"),
        per_day=2,
    )
    c.med(PREDNISONE, "Prednisone 5 mg tablet", start=ago(years=2), end=ago(months=4), dose=(5, "mg"))
    c.med(PREDNISONE, "Prednisone 10 mg tablet", start=ago(months=4), dose=(10, "mg"))
    c.med(
        MYCOPHENOLATE, "Mycophenolate mofetil 500 mg tablet", start=ago(years=3), dose=(1000, "mg"), per_day=2
    )
    c.med(
        BELIMUMAB,
        "Belimumab 10 mg/kg intravenous infusion",
        start=ago(years=1, months=6),
        end=ago(months=4),
        dose=(10, "mg/kg"),
        every=(4, "wk"),
        route="intravenous",
    )
    c.med(COLECALCIFEROL, "Vitamin D3 2000 IU capsule", start=ago(years=3), dose=(2000, "[iU]"))
    c.procedure("Insertion of levonorgestrel intrauterine device", ago(years=2))

    visits = [ago(months=10), ago(months=7), ago(months=4), ago(weeks=2)]
    c.lab_series(
        visits,
        hb=(11.9, 11.4, 11.8, 11.6),
        wbc=(4.6, 4.2, 3.9, 4.1),
        anc=(2.9, 2.7, 2.4, 2.6),
        plt=(201, 192, 176, 188),
        creat=(0.72, 0.70, 0.76, 0.74),
        alt=(19, 23, 20, 21),
        ast=(22, 25, 21, 24),
        bili=(0.4, 0.3, 0.4, 0.4),
        c3=(84, 79, 70, 72),
        c4=(12, 11, 9, 9),
        dsdna=(96, 140, 188, 212),
        esr=(28, 34, 41, 38),
        crp=(2.3, 3.1, 4.0, 3.6),
        urbc=(1, 2, 1, 2),
        upcr=(110, 140, 160, 150),
    )
    for date, weight in zip(visits, (69.0, 68.4, 67.9, 68.2), strict=True):
        c.vitals(
            date,
            weight=weight,
            bp=(116, 74),
            hr=82,
            height=165 if date == visits[0] else None,
            spo2=98 if date in visits[2:] else None,
        )
    c.test(LOINC, "8061-4", "Nuclear Ab [Presence] in Serum", POSITIVE, ago(weeks=2))
    c.titre(LOINC, "5048-4", "Nuclear Ab [Titer] in Serum by Immunofluorescence", "1:640", ago(weeks=2))
    c.sledai(8, ago(months=7))
    c.sledai(10, ago(months=4))
    c.sledai(12, ago(weeks=2))
    c.test(
        LOINC,
        "2118-8",
        "Choriogonadotropin (pregnancy test) [Presence] in Serum or Plasma",
        NEGATIVE,
        ago(days=10),
    )
    c.echo(ago(months=6), lvef=62, rvsp=24)
    c.smoking("never", ago(months=7))

    c.vaccine("141", ago(weeks=6))
    c.vaccine("133", ago(years=5))
    c.vaccine("33", ago(years=4))
    c.vaccine("208", ago(years=2))
    c.vaccine("115", ago(years=6))
    c.allergy("Penicillin", "Urticaria", ago(years=12), code=PENICILLIN_ALLERGY)


@demo_patient(
    "julia-novak",
    "Novák, Julia",
    born="1985-09-30",
    sex="female",
    city="Brno",
    country="CZ",
    vignette=(
        "41, SLE for 11 years with low C3, rising anti-dsDNA, leukopenia and thrombocytopenia; no SLEDAI-2K "
        "scored for 8 months (the laboratory items add up to 6 of 8)"
    ),
    shows="Without a recorded SLEDAI-2K the laboratory items are counted (low C3, anti-dsDNA, platelets, leukocytes: 6 points); below 8 that stays unknown, never fail. SI units throughout.",
    expected=Expected(
        a_duse=NOT_SSC_FOR_ADUSE,
        sle=unknown({"sle-sledai": "no SLEDAI-2K in 3 months; laboratory items score 6"}),
    ),
)
def julia_novak(c: Chart) -> None:
    c.dx(*SLE, onset=ago(years=11, months=5), problem=True)
    c.dx(ICD10CM, "E06.3", "Autoimmune thyroiditis", onset=ago(years=6))
    c.dx(*RAYNAUD, onset=ago(years=10))

    c.med(
        HYDROXYCHLOROQUINE,
        "Hydroxychloroquine 200 mg tablet",
        start=ago(years=11),
        dose=(200, "mg"),
        per_day=2,
    )
    c.med(PREDNISOLONE, "Prednisolone 5 mg tablet", start=ago(years=1, months=2), dose=(7.5, "mg"))
    c.med(AZATHIOPRINE, "Azathioprine 50 mg tablet", start=ago(years=2, months=6), dose=(100, "mg"))
    c.med(LEVOTHYROXINE, "Levothyroxine 75 microgram tablet", start=ago(years=6), dose=(75, "ug"))

    visits = [ago(months=10), ago(months=7), ago(months=4), ago(days=12)]
    c.lab_series(
        visits,
        hb=(121, 119, 122, 118),
        wbc=(3.4, 3.1, 3.0, 2.8),
        anc=(1.9, 1.8, 1.7, 1.6),
        plt=(128, 112, 104, 92),
        creat=(62, 65, 61, 64),
        alt=(17, 19, 16, 18),
        ast=(24, 25, 22, 26),
        bili=(8, 7, 9, 8),
        c3=(0.78, 0.71, 0.66, 0.62),
        c4=(0.14, 0.13, 0.12, 0.12),
        dsdna=(44, 58, 71, 85),
        urbc=(1, 1, 2, 2),
        uwbc=(1, 2, 1, 1),
        upcr=(9, 11, 10, 12),
        esr=(24, 22, 27, 29),
        crp=(1.9, 2.2, 1.6, 2.4),
    )
    c.p.observation(
        LOINC,
        "3016-3",
        "Thyrotropin [Units/volume] in Serum or Plasma",
        value=2.1,
        unit="m[IU]/L",
        date=ago(months=4),
        low=0.27,
        high=4.2,
    )
    for date, weight in zip(visits, (59.4, 59.0, 58.7, 59.1), strict=True):
        c.vitals(
            date,
            weight=weight,
            bp=(112, 70),
            hr=72,
            height=168 if date == visits[0] else None,
            spo2=99 if date == visits[-1] else None,
        )
    c.test(LOINC, "8061-4", "Nuclear Ab [Presence] in Serum", POSITIVE, ago(days=12))
    c.sledai(10, ago(months=8))
    c.test(LOINC, "2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine", NEGATIVE, ago(days=12))
    c.echo(ago(months=9), lvef=60, rvsp=26)
    c.smoking("never", ago(months=10))

    c.vaccine("141", ago(weeks=3))
    c.vaccine("141", ago(years=1, weeks=3))
    c.vaccine("133", ago(years=3))
    c.vaccine("208", ago(years=1, months=3))


@demo_patient(
    "mei-lin-chen",
    "Chen, Mei Lin",
    born="1997-01-22",
    sex="female",
    city="San Francisco",
    country="US",
    vignette=(
        "29, SLE with class IV lupus nephritis on mycophenolate and prednisone; hemoglobin fallen to "
        "7.2 g/dL (72 g/L); SLEDAI-2K 14"
    ),
    shows="Hemoglobin in g/dL converted to g/L before the comparison; lupus nephritis itself does not exclude; a methylprednisolone pulse 14 months ago is outside the 2-month window.",
    expected=Expected(
        a_duse=NOT_SSC_FOR_ADUSE,
        f01=failing({"inc-hb": "Hb 7.2 g/dL = 72 g/L, needs >= 80 g/L"}),
        sle=CLEAR,
    ),
)
def mei_lin_chen(c: Chart) -> None:
    c.dx(*SLE, onset=ago(years=5, months=2), problem=True)
    c.dx(
        SNOMED,
        "68815009",
        "Systemic lupus erythematosus glomerulonephritis syndrome",
        text="Lupus nephritis, ISN/RPS class IV (renal biopsy)",
        onset=ago(years=1, months=2),
        problem=True,
    )
    c.dx(
        ICD10CM,
        "D63.8",
        "Anemia in other chronic diseases classified elsewhere",
        text="Anemia of chronic kidney disease and inflammation",
        onset=ago(months=6),
    )
    c.dx(*HYPERTENSION, onset=ago(years=1))
    c.procedure("Percutaneous renal biopsy", ago(years=1, months=2))

    c.med(
        METHYLPREDNISOLONE,
        "Methylprednisolone 500 mg intravenous, 3 daily pulses",
        start=ago(years=1, months=2, days=2),
        end=ago(years=1, months=2),
        dose=(500, "mg"),
        route="intravenous",
    )
    c.med(
        PREDNISONE,
        "Prednisone 10 mg tablet",
        start=ago(years=1, months=2),
        end=ago(months=2),
        dose=(30, "mg"),
    )
    c.med(PREDNISONE, "Prednisone 5 mg tablet", start=ago(months=2), dose=(15, "mg"))
    c.med(
        MYCOPHENOLATE,
        "Mycophenolate mofetil 500 mg tablet",
        start=ago(years=1, months=1),
        dose=(1500, "mg"),
        per_day=2,
    )
    c.med(HYDROXYCHLOROQUINE, "Hydroxychloroquine 200 mg tablet", start=ago(years=5), dose=(200, "mg"))
    c.med(LISINOPRIL, "Lisinopril 10 mg tablet", start=ago(years=1), dose=(10, "mg"))
    c.med(FERROUS_SULFATE, "Ferrous sulfate 325 mg tablet", start=ago(months=5), dose=(325, "mg"))
    c.med(
        NITROFURANTOIN,
        "Nitrofurantoin monohydrate/macrocrystals 100 mg capsule",
        start=ago(months=3, days=5),
        end=ago(months=3),
        dose=(100, "mg"),
        per_day=2,
        reason="Acute cystitis",
    )

    visits = [ago(months=10), ago(months=6), ago(weeks=15), ago(days=9)]
    c.lab_series(
        visits,
        hb=(9.8, 9.1, 8.4, 7.2),
        wbc=(6.1, 5.4, 5.8, 5.2),
        anc=(4.4, 3.9, 4.2, 3.8),
        plt=(232, 219, 224, 210),
        creat=(1.21, 1.08, 1.05, 1.02),
        alt=(15, 18, 16, 17),
        ast=(19, 21, 18, 20),
        bili=(0.3, 0.3, 0.4, 0.3),
        c3=(52, 61, 60, 58),
        c4=(6, 8, 8, 8),
        dsdna=(410, 360, 335, 320),
        upcr=(3400, 2600, 2100, 1850),
        urbc=(25, 18, 15, 12),
        uwbc=(3, 4, 2, 3),
    )
    for date, weight in zip(visits, (56.1, 55.4, 55.2, 55.0), strict=True):
        c.vitals(
            date,
            weight=weight,
            bp=(132, 84),
            hr=88,
            height=158 if date == visits[0] else None,
            spo2=98 if date == visits[-1] else None,
        )
    c.test(LOINC, "8061-4", "Nuclear Ab [Presence] in Serum", POSITIVE, ago(days=9))
    c.sledai(18, ago(months=6))
    c.sledai(14, ago(days=9))
    c.test(
        LOINC,
        "2118-8",
        "Choriogonadotropin (pregnancy test) [Presence] in Serum or Plasma",
        NEGATIVE,
        ago(days=9),
    )
    c.echo(ago(months=8), lvef=58, rvsp=29)
    c.smoking("never", ago(months=10))

    c.vaccine("141", ago(weeks=6))
    c.vaccine("133", ago(years=1))
    c.vaccine("208", ago(years=2))


# ------------------------------------------------------------------------------------- AAV patients
@demo_patient(
    "daniel-kowalski",
    "Kowalski, Daniel",
    born="1974-06-09",
    sex="male",
    city="Kraków",
    country="PL",
    vignette=(
        "52, PR3-ANCA granulomatosis with polyangiitis relapsing after rituximab maintenance ended: PR3-ANCA "
        "86 U/mL, BVAS v3 14 (2 major, 4 other items); on azathioprine, co-trimoxazole prophylaxis"
    ),
    shows="BVAS v3 read from its item counts; PR3-ANCA positive by its reference range; co-trimoxazole with a prophylaxis reason is not an active infection (F01) nor an ulcer antibiotic (A-DUSE); the last rituximab 7 months ago.",
    expected=Expected(a_duse=NOT_SSC_FOR_ADUSE, aav=CLEAR),
)
def daniel_kowalski(c: Chart) -> None:
    c.dx(
        SNOMED,
        "195353004",
        "Wegener's granulomatosis",
        text="Granulomatosis with polyangiitis (PR3-ANCA positive)",
        onset=ago(years=5, months=2),
        problem=True,
    )
    c.dx(ICD10CM, "J32.9", "Chronic sinusitis, unspecified", onset=ago(years=5))
    c.dx(*HYPERTENSION, onset=ago(years=3))
    c.dx(None, None, text="Episcleritis, right eye", onset=ago(weeks=3))
    c.dx(
        ICD10CM,
        "R91.8",
        "Other nonspecific abnormal finding of lung field",
        text="New bilateral pulmonary nodules",
        onset=ago(weeks=2),
    )

    c.med(PREDNISONE, "Prednisone 5 mg tablet", start=ago(years=2), end=ago(days=6), dose=(5, "mg"))
    c.med(PREDNISONE, "Prednisone 20 mg tablet", start=ago(days=6), dose=(40, "mg"))
    c.med(AZATHIOPRINE, "Azathioprine 50 mg tablet", start=ago(years=4, months=6), dose=(150, "mg"))
    for months in (25, 19, 13, 7):  # maintenance every 6 months, stopped after the fourth dose
        day = ago(months=months)
        c.med(
            RITUXIMAB,
            "Rituximab 500 mg intravenous infusion",
            start=day,
            end=day,
            dose=(500, "mg"),
            route="intravenous",
        )
    c.med(
        CO_TRIMOXAZOLE,
        "Co-trimoxazole 960 mg tablet, Monday-Wednesday-Friday",
        start=ago(years=5),
        dose=(960, "mg"),
        every=(1, "wk"),
        times=3,
        reason="Pneumocystis jirovecii pneumonia prophylaxis",
    )
    c.med(AMLODIPINE, "Amlodipine 5 mg tablet", start=ago(years=3), dose=(5, "mg"))
    c.med(OMEPRAZOLE, "Omeprazole 20 mg gastro-resistant capsule", start=ago(years=2), dose=(20, "mg"))

    visits = [ago(months=9), ago(months=6), ago(weeks=15), ago(days=6)]
    c.lab_series(
        visits,
        hb=(144, 146, 142, 131),
        wbc=(7.2, 6.9, 7.6, 9.8),
        anc=(4.5, 4.3, 4.9, 7.1),
        plt=(262, 255, 281, 388),
        creat=(86, 88, 90, 98),
        alt=(21, 24, 22, 24),
        ast=(19, 20, 22, 21),
        bili=(10, 9, 11, 9),
        crp=(3.2, 2.8, 4.1, 48),
        esr=(8, 10, 12, 62),
        urbc=(1, 1, 2, 15),
        pr3=(3.1, 4.4, 12.5, 86),
        mpo=(None, None, None, 0.4),
    )
    for date, weight in zip(visits, (88.6, 88.1, 87.9, 86.4), strict=True):
        c.vitals(
            date,
            weight=weight,
            bp=(138, 86),
            hr=84,
            height=182 if date == visits[0] else None,
            spo2=96 if date == visits[-1] else None,
        )
    c.bvas(0, ago(months=9))
    c.bvas(0, ago(months=6))
    c.bvas(14, ago(days=6), major=2, other=4)
    c.echo(ago(months=10), lvef=61, rvsp=27)
    c.smoking("former", quit=ago(years=10))

    c.procedure("CT of the chest", ago(weeks=2))
    c.procedure("Nasal endoscopy", ago(days=6))
    c.vaccine("141", ago(weeks=4))
    c.vaccine("133", ago(years=5))
    c.vaccine("33", ago(years=4))
    c.vaccine("187", ago(years=3))
    c.vaccine("187", ago(years=2, months=10))


@demo_patient(
    "walter-hughes",
    "Hughes, Walter",
    born="1956-03-14",
    sex="male",
    city="Columbus",
    country="US",
    vignette=(
        "70, MPO-ANCA microscopic polyangiitis with CKD 3a, renal flare (MPO-ANCA 96 U/mL, hematuria, "
        "BVAS v3 8); diabetes, hypertension, BPH"
    ),
    shows="Age 70 fails F01 while everything else in the AAV cohort passes, including a Cockcroft-Gault clearance of 56 mL/min from creatinine in mg/dL, weight and age.",
    expected=Expected(
        a_duse=NOT_SSC_FOR_ADUSE, f01=failing({"inc-age": "70 years old, needs 18-65"}), aav=CLEAR
    ),
)
def walter_hughes(c: Chart) -> None:
    c.dx(
        SNOMED,
        "239928004",
        "Microscopic polyarteritis nodosa",
        text="Microscopic polyangiitis (MPO-ANCA positive) with renal involvement",
        onset=ago(years=2, months=3),
        problem=True,
    )
    c.dx(ICD10CM, "N18.31", "Chronic kidney disease, stage 3a", onset=ago(years=2))
    c.dx(ICD10CM, "E11.9", "Type 2 diabetes mellitus without complications", onset=ago(years=12))
    c.dx(*HYPERTENSION, onset=ago(years=15))
    c.dx(ICD10CM, "E78.5", "Hyperlipidemia, unspecified", onset=ago(years=10))
    c.dx(
        ICD10CM,
        "N40.0",
        "Benign prostatic hyperplasia without lower urinary tract symptoms",
        onset=ago(years=5),
    )

    c.med(
        PREDNISONE, "Prednisone 5 mg tablet", start=ago(years=1, months=9), end=ago(days=10), dose=(7.5, "mg")
    )
    c.med(PREDNISONE, "Prednisone 10 mg tablet", start=ago(days=10), dose=(30, "mg"))
    for day in (ago(years=2, months=2), ago(years=2, months=1, weeks=2)):
        c.med(
            RITUXIMAB,
            "Rituximab 1000 mg intravenous infusion",
            start=day,
            end=day,
            dose=(1000, "mg"),
            route="intravenous",
        )
    c.med(AZATHIOPRINE, "Azathioprine 50 mg tablet", start=ago(years=1, months=8), dose=(100, "mg"))
    c.med(METFORMIN, "Metformin 1000 mg tablet", start=ago(years=12), dose=(1000, "mg"), per_day=2)
    c.med(ATORVASTATIN, "Atorvastatin 40 mg tablet", start=ago(years=6), dose=(40, "mg"))
    c.med(LOSARTAN, "Losartan 50 mg tablet", start=ago(years=4), dose=(50, "mg"))
    c.med(TAMSULOSIN, "Tamsulosin 0.4 mg capsule", start=ago(years=5), dose=(0.4, "mg"))

    visits = [ago(months=9), ago(months=6), ago(weeks=14), ago(days=10)]
    c.lab_series(
        visits,
        hb=(12.4, 12.6, 12.1, 11.9),
        wbc=(7.8, 7.1, 7.5, 7.4),
        anc=(5.2, 4.6, 5.1, 5.0),
        plt=(241, 236, 249, 256),
        creat=(1.38, 1.35, 1.36, 1.42),
        alt=(20, 23, 21, 22),
        ast=(18, 20, 19, 19),
        bili=(0.6, 0.7, 0.5, 0.6),
        mpo=(2.8, 3.1, 22, 96),
        pr3=(None, None, None, 0.3),
        urbc=(2, 3, 6, 18),
        upcr=(420, 390, 510, 900),
        hba1c=(None, 7.1, None, 6.9),
    )
    for date, weight in zip(visits, (83.1, 82.6, 82.4, 82.0), strict=True):
        c.vitals(
            date,
            weight=weight,
            bp=(136, 78),
            hr=68,
            height=176 if date == visits[0] else None,
            spo2=95 if date == visits[-1] else None,
        )
    c.bvas(0, ago(months=6))
    c.bvas(8, ago(days=10))
    c.echo(ago(months=9), lvef=52, rvsp=30)
    c.smoking("former", quit=ago(years=20))

    c.vaccine("141", ago(weeks=5))
    c.vaccine("133", ago(years=6))
    c.vaccine("33", ago(years=5))
    c.vaccine("187", ago(years=4))
    c.vaccine("187", ago(years=3, months=10))


@demo_patient(
    "fatima-haddad",
    "Haddad, Fatima",
    born="1990-11-20",
    sex="female",
    city="Dearborn",
    country="US",
    vignette=(
        "35, granulomatosis with polyangiitis, grumbling ENT disease (BVAS v3 4, four other items) on "
        "methotrexate; last PR3-ANCA 5 months ago and last pregnancy test 2 months ago"
    ),
    shows="Results that are too old are unknown: PR3-ANCA 5 months ago (needs 3) and a pregnancy test 2 months ago (needs 1).",
    expected=Expected(
        a_duse=NOT_SSC_FOR_ADUSE,
        f01=unknown({"inc-pregnancy": "no pregnancy test in the last month"}),
        aav=unknown({"aav-anca": "no PR3- or MPO-ANCA in 3 months"}),
    ),
)
def fatima_haddad(c: Chart) -> None:
    c.dx(
        SNOMED,
        "195353004",
        "Wegener's granulomatosis",
        text="Granulomatosis with polyangiitis, limited (ENT) disease",
        onset=ago(years=3, months=2),
        problem=True,
    )
    c.dx(ICD10CM, "J32.9", "Chronic sinusitis, unspecified", onset=ago(years=3))
    c.dx(ICD10CM, "J38.6", "Stenosis of larynx", text="Subglottic stenosis", onset=ago(years=1))

    for day in (ago(years=3, months=1), ago(years=3, weeks=2)):
        c.med(
            RITUXIMAB,
            "Rituximab 1000 mg intravenous infusion",
            start=day,
            end=day,
            dose=(1000, "mg"),
            route="intravenous",
        )
    c.med(PREDNISONE, "Prednisone 2.5 mg tablet", start=ago(years=1), dose=(7.5, "mg"))
    c.med(
        METHOTREXATE,
        "Methotrexate 2.5 mg tablet",
        start=ago(years=2, months=6),
        dose=(20, "mg"),
        every=(1, "wk"),
    )
    c.med(FOLIC_ACID, "Folic acid 1 mg tablet", start=ago(years=2, months=6), dose=(1, "mg"))
    c.med(
        ETHINYLESTRADIOL_LEVONORGESTREL,
        "Levonorgestrel 0.15 mg / ethinylestradiol 0.03 mg tablet",
        start=ago(years=2, months=6),
        dose=(1, "tablet"),
    )

    visits = [ago(months=10), ago(months=7), ago(months=4), ago(days=14)]
    c.lab_series(
        visits,
        hb=(13.1, 12.8, 13.0, 12.9),
        wbc=(6.4, 6.9, 7.1, 6.6),
        anc=(4.0, 4.4, 4.6, 4.2),
        plt=(252, 268, 259, 264),
        creat=(0.68, 0.70, 0.66, 0.69),
        alt=(24, 29, 27, 26),
        ast=(21, 24, 23, 22),
        bili=(0.5, 0.6, 0.5, 0.5),
        crp=(6.1, 8.4, 7.2, 9.0),
        esr=(18, 22, 21, 26),
    )
    c.lab("pr3", 9.2, ago(months=10))
    c.lab("pr3", 18, ago(months=5))
    for date, weight in zip(visits, (66.3, 66.0, 65.4, 65.9), strict=True):
        c.vitals(date, weight=weight, bp=(118, 76), hr=76, height=160 if date == visits[0] else None, spo2=98)
    c.bvas(2, ago(months=4), major=0, other=2)
    c.bvas(4, ago(days=14), major=0, other=4)
    c.test(
        LOINC, "2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine", NEGATIVE, ago(months=2)
    )
    c.echo(ago(months=11), lvef=63, rvsp=22)
    c.smoking("never", ago(months=10))

    c.procedure("Laryngoscopy with subglottic dilatation", ago(months=8))
    c.vaccine("141", ago(weeks=5))
    c.vaccine("133", ago(years=3))
    c.vaccine("33", ago(years=2))


# ------------------------------------------------------------------------------------- IIM patients
@demo_patient(
    "priya-raman",
    "Raman, Priya",
    born="1981-12-05",
    sex="female",
    city="Boston",
    country="US",
    vignette=(
        "44, refractory dermatomyositis: MMT-8 118/150, CK 2840 U/L, patient/physician/extramuscular VAS "
        "6.1/5.0/3.2 cm, HAQ-DI 1.375; methotrexate failed, now mycophenolate and IVIG; negative hCG"
    ),
    shows="The IIM core set with all five measures abnormal; AST and ALT raised by the myositis but under 2.5 x ULN; two immunosuppressants, one stopped, each documented for more than 3 months; IVIG is not a biologic of the list.",
    expected=Expected(a_duse=NOT_SSC_FOR_ADUSE, iim=CLEAR),
)
def priya_raman(c: Chart) -> None:
    c.dx(
        SNOMED,
        "396230008",
        "Dermatomyositis",
        text="Dermatomyositis (anti-Mi-2 positive), refractory",
        onset=ago(years=2, months=4),
        problem=True,
    )
    c.dx(ICD10CM, "R13.10", "Dysphagia, unspecified", onset=ago(months=5))
    c.dx(ICD10CM, "E55.9", "Vitamin D deficiency, unspecified", onset=ago(years=2))
    c.score(
        "iim-eular-acr-2017-probability",
        "2017 EULAR/ACR IIM classification probability",
        94,
        ago(years=2, months=4),
        unit="%",
    )
    c.test(SITE_LAB, "MI2", "Anti-Mi-2 antibody", POSITIVE, ago(years=2, months=4))
    c.procedure("Muscle biopsy, left vastus lateralis", ago(years=2, months=4))
    c.procedure("CT chest, abdomen and pelvis (cancer screening): no malignancy", ago(months=10))
    c.procedure("Screening mammography", ago(months=10))

    c.med(
        PREDNISONE,
        "Prednisone 20 mg tablet",
        start=ago(years=2, months=4),
        end=ago(years=1, months=6),
        dose=(40, "mg"),
    )
    c.med(PREDNISONE, "Prednisone 5 mg tablet", start=ago(years=1, months=6), dose=(15, "mg"))
    c.med(
        METHOTREXATE,
        "Methotrexate 2.5 mg tablet",
        start=ago(years=2, months=3),
        end=ago(months=9),
        dose=(20, "mg"),
        every=(1, "wk"),
    )
    c.med(
        FOLIC_ACID, "Folic acid 1 mg tablet", start=ago(years=2, months=3), end=ago(months=9), dose=(1, "mg")
    )
    c.med(
        MYCOPHENOLATE,
        "Mycophenolate mofetil 500 mg tablet",
        start=ago(months=9),
        dose=(1500, "mg"),
        per_day=2,
    )
    c.med(
        IVIG,
        "Immune globulin intravenous (human) 10 %, 2 g/kg over 2 days",
        start=ago(months=5),
        dose=(2, "g/kg"),
        every=(4, "wk"),
        route="intravenous",
    )
    c.med(ALENDRONATE, "Alendronate 70 mg tablet", start=ago(years=2), dose=(70, "mg"), every=(1, "wk"))
    c.med(CALCIUM_VITAMIN_D, "Calcium carbonate 600 mg / vitamin D3 800 IU tablet", start=ago(years=2))

    visits = [ago(months=10), ago(months=7), ago(months=4), ago(days=7)]
    c.lab_series(
        visits,
        hb=(12.6, 12.3, 12.4, 12.1),
        wbc=(7.9, 8.4, 9.2, 8.9),
        anc=(5.6, 6.1, 6.9, 6.7),
        plt=(288, 294, 310, 301),
        creat=(0.61, 0.60, 0.59, 0.58),
        alt=(48, 55, 63, 61),
        ast=(62, 68, 79, 74),
        bili=(0.4, 0.5, 0.4, 0.4),
        ck=(1460, 1980, 2620, 2840),
        aldolase=(12.4, 14.1, 17.5, 18.2),
        ldh=(318, 356, 398, 412),
        crp=(3.8, 4.4, 5.2, 4.9),
    )
    for date, weight in zip(visits, (64.1, 63.6, 63.0, 62.8), strict=True):
        c.vitals(
            date,
            weight=weight,
            bp=(122, 78),
            hr=80,
            height=162 if date == visits[0] else None,
            spo2=97 if date in visits[2:] else None,
        )
    for date, mmt8, patient, physician, extramuscular, haq in (
        (ago(months=4), 128, 4.9, 4.2, 2.6, 1.0),
        (ago(days=7), 118, 6.1, 5.0, 3.2, 1.375),
    ):
        c.score("mmt-8", "Manual Muscle Testing, 8 muscles, total", mmt8, date)
        c.score("imacs-patient-global", "Patient global activity, VAS", patient, date, unit="cm")
        c.score("imacs-physician-global", "Physician global activity, VAS", physician, date, unit="cm")
        c.score("imacs-extramuscular", "Extramuscular global activity, VAS", extramuscular, date, unit="cm")
        c.p.observation(
            LOINC, "75874-8", "Total score [HAQ-DI]", value=haq, unit="{score}", date=date, category="survey"
        )
    c.test(LOINC, "2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine", NEGATIVE, ago(days=7))
    c.pft(ago(months=3), 2.96, 88, 19.8, 82)
    c.echo(ago(months=3), lvef=60, rvsp=25)
    c.smoking("never", ago(months=10))

    c.vaccine("141", ago(weeks=3))
    c.vaccine("133", ago(years=2))
    c.vaccine("33", ago(years=1))
    c.vaccine("187", ago(years=1, months=6))
    c.vaccine("187", ago(years=1, months=4))
    c.allergy("Sulfonamide antibiotics", "Rash", ago(years=9))


@demo_patient(
    "kenji-watanabe",
    "Watanabe, Kenji",
    born="1968-07-19",
    sex="male",
    city="Seattle",
    country="US",
    vignette=(
        "58, anti-SRP immune-mediated necrotizing myopathy transferred 2 months ago: diagnoses, medications "
        "and visits came over, laboratory results, scores and echocardiography did not"
    ),
    shows="A record without laboratory results, scores or echocardiography: ten criteria unknown, none failing, each saying what to record.",
    expected=Expected(
        a_duse=NOT_SSC_FOR_ADUSE,
        iim=unknown(
            {
                "inc-hb": "no hemoglobin",
                "inc-anc": "no neutrophil count",
                "inc-plt": "no platelet count",
                "inc-crcl": "no creatinine",
                "inc-creatinine": "no creatinine",
                "inc-liver": "no ALT, AST or bilirubin",
                "inc-spo2": "no SpO2",
                "inc-lvef": "no echocardiography",
                "iim-mmt8": "no MMT-8",
                "iim-core-set": "no VAS, HAQ or muscle enzymes",
            }
        ),
    ),
)
def kenji_watanabe(c: Chart) -> None:
    c.dx(
        ICD10CM,
        "G72.49",
        "Other inflammatory and immune myopathies, not elsewhere classified",
        text="Immune-mediated necrotizing myopathy (anti-SRP positive)",
        onset=ago(years=1, months=3),
        recorded=ago(months=2),
        problem=True,
    )
    c.dx(*HYPERTENSION, onset=ago(years=8), recorded=ago(months=2))
    c.dx(ICD10CM, "E78.5", "Hyperlipidemia, unspecified", onset=ago(years=6), recorded=ago(months=2))
    c.dx(*GERD, onset=ago(years=3), recorded=ago(months=2))
    c.procedure("Muscle biopsy, right vastus lateralis (outside hospital)", ago(years=1, months=3))
    c.procedure("MRI of both thighs (outside hospital)", ago(years=1, months=3))

    c.med(
        PREDNISONE,
        "Prednisone 20 mg tablet",
        start=ago(years=1, months=2),
        end=ago(months=3),
        dose=(60, "mg"),
    )
    c.med(PREDNISONE, "Prednisone 10 mg tablet", start=ago(months=3), dose=(20, "mg"))
    c.med(
        METHOTREXATE,
        "Methotrexate 2.5 mg tablet",
        start=ago(years=1, months=1),
        end=ago(months=5),
        dose=(15, "mg"),
        every=(1, "wk"),
    )
    c.med(TACROLIMUS, "Tacrolimus 1 mg capsule", start=ago(months=5), dose=(2, "mg"), per_day=2)
    c.med(
        IVIG,
        "Immune globulin intravenous (human) 10 %, 2 g/kg over 2 days",
        start=ago(months=6),
        dose=(2, "g/kg"),
        every=(4, "wk"),
        route="intravenous",
    )
    c.med(LISINOPRIL, "Lisinopril 20 mg tablet", start=ago(years=8), dose=(20, "mg"))
    c.med(ALENDRONATE, "Alendronate 70 mg tablet", start=ago(years=1), dose=(70, "mg"), every=(1, "wk"))
    c.med(CALCIUM_VITAMIN_D, "Calcium carbonate 600 mg / vitamin D3 800 IU tablet", start=ago(years=1))
    c.med(OMEPRAZOLE, "Omeprazole 20 mg delayed-release capsule", start=ago(years=3), dose=(20, "mg"))

    # Visits since the transfer (vital signs only), and the outpatient physical therapy he attends
    # twice a week.
    for date, weight, bp in (
        (ago(months=2), 75.2, (132, 82)),
        (ago(weeks=7), 75.0, (130, 80)),
        (ago(weeks=5), 74.8, (128, 80)),
        (ago(weeks=3), 74.9, (128, 78)),
        (ago(weeks=1), 74.5, (126, 78)),
    ):
        c.vitals(date, weight=weight, bp=bp, hr=76, height=171 if date == ago(months=2) else None)
    for week in range(10, 0, -1):
        for day in (0, 3):
            c.procedure(
                "Physical therapy session: strengthening and gait training", ago(weeks=week, days=day)
            )
    c.smoking("never", ago(months=2))

    for years in (3, 2, 1):
        c.vaccine("141", ago(years=years, weeks=4))
    c.vaccine("141", ago(weeks=2))
    c.vaccine("208", ago(years=1, months=1))
    c.vaccine("133", ago(years=2, months=6))
    c.allergy("Iodinated contrast media", "Urticaria", ago(years=4))


# ----------------------------------------------------------------------------------- dcSSc patients
@demo_patient(
    "laura-jimenez",
    "Jiménez, Laura",
    born="1982-10-11",
    sex="female",
    city="Barcelona",
    country="ES",
    vignette=(
        "44, diffuse cutaneous SSc (anti-topoisomerase I) with NSIP-pattern ILD progressing after "
        "cyclophosphamide and on mycophenolate: FVC 69 % -> 62 % predicted in 5 months, mRSS 20 -> 23; tubal ligation"
    ),
    shows="The F01 dcSSc cohort met: FVC and DLCO inside their windows, a relative FVC fall of 10.1 %, an mRSS rise of 15 %, glucocorticoid, cyclophosphamide and mycophenolate each documented for 6 months or more; tubal ligation instead of a pregnancy test.",
    expected=Expected(a_duse=NO_DU, dcssc=CLEAR),
)
def laura_jimenez(c: Chart) -> None:
    c.dx(
        *SSC,
        text="Diffuse cutaneous systemic sclerosis (anti-topoisomerase I positive)",
        onset=ago(years=4, months=6),
        problem=True,
    )
    c.dx(
        *ILD,
        text="Interstitial lung disease (NSIP pattern), SSc-associated",
        onset=ago(years=3, months=1),
        problem=True,
    )
    c.dx(*RAYNAUD, onset=ago(years=5))
    c.dx(*GERD, onset=ago(years=4))
    c.dx(ICD10CM, "Z98.51", "Tubal ligation status", onset=ago(years=8))
    c.test(LOINC, "8061-4", "Nuclear Ab [Presence] in Serum", POSITIVE, ago(years=4, months=6))
    c.test(SITE_LAB, "SCL70", "Anti-Scl-70 (topoisomerase I) antibody", POSITIVE, ago(years=4, months=6))
    c.ssc_classification(16, ago(years=4, months=6))

    c.med(
        METHYLPREDNISOLONE,
        "Methylprednisolone 500 mg intravenous, 3 daily pulses",
        start=ago(years=3, days=2),
        end=ago(years=3),
        dose=(500, "mg"),
        route="intravenous",
    )
    c.med(PREDNISONE, "Prednisone 10 mg tablet", start=ago(years=3), end=ago(years=2), dose=(10, "mg"))
    c.med(PREDNISONE, "Prednisone 5 mg tablet", start=ago(years=2), dose=(5, "mg"))
    c.med(
        CYCLOPHOSPHAMIDE,
        "Cyclophosphamide 750 mg intravenous infusion",
        start=ago(years=3),
        end=ago(years=2, months=5),
        dose=(750, "mg"),
        every=(4, "wk"),
        route="intravenous",
    )
    c.med(
        MYCOPHENOLATE,
        "Mycophenolate mofetil 500 mg tablet",
        start=ago(years=2, months=5),
        dose=(1500, "mg"),
        per_day=2,
    )
    c.med(NINTEDANIB, "Nintedanib 150 mg capsule", start=ago(months=4), dose=(150, "mg"), per_day=2)
    c.med(
        NIFEDIPINE, "Nifedipine 20 mg modified-release tablet", start=ago(years=4), dose=(20, "mg"), per_day=2
    )
    c.med(OMEPRAZOLE, "Omeprazole 40 mg gastro-resistant capsule", start=ago(years=4), dose=(40, "mg"))

    visits = [ago(months=11), ago(months=8), ago(months=5), ago(days=17)]
    c.lab_series(
        visits,
        hb=(128, 126, 125, 124),
        wbc=(7.2, 6.6, 6.9, 6.8),
        anc=(5.1, 4.6, 4.8, 4.9),
        plt=(262, 281, 270, 276),
        creat=(61, 59, 60, 58),
        alt=(19, 21, 31, 38),
        ast=(22, 24, 29, 31),
        bili=(7, 8, 6, 7),
        crp=(5.8, 4.9, 6.4, 6.1),
        ntprobnp=(96, None, 110, None),
    )
    for date, weight in zip(visits, (58.4, 57.9, 57.5, 57.2), strict=True):
        c.vitals(date, weight=weight, bp=(112, 70), hr=86, height=163 if date == visits[0] else None, spo2=94)
    c.pft(ago(months=11), 2.45, 74, 15.3, 58)
    c.pft(ago(months=5), 2.28, 69, 13.7, 52)
    c.pft(ago(days=17), 2.05, 62, 12.4, 47)
    c.mrss(17, ago(months=11))
    c.mrss(20, ago(months=5))
    c.mrss(23, ago(days=17))
    c.echo(ago(months=5), lvef=64, rvsp=34)
    # Screening before a change of treatment.
    screening = ago(months=1)
    c.test(
        LOINC,
        "5196-1",
        "Hepatitis B virus surface Ag [Presence] in Serum or Plasma by Immunoassay",
        NEGATIVE,
        screening,
    )
    c.test(LOINC, "16128-1", "Hepatitis C virus Ab [Presence] in Serum", NEGATIVE, screening)
    c.test(LOINC, "7918-6", "HIV 1+2 Ab [Presence] in Serum", NEGATIVE, screening)
    c.test(LOINC, "22587-0", "Treponema pallidum Ab [Presence] in Serum", NEGATIVE, screening)
    c.test(
        LOINC,
        "71773-6",
        "Mycobacterium tuberculosis stimulated gamma interferon [Interpretation] in Blood Qualitative",
        NEGATIVE,
        screening,
    )
    c.smoking("never", ago(months=11))

    c.procedure("High-resolution CT of the chest", ago(months=1))
    c.procedure("High-resolution CT of the chest", ago(years=1, months=1))
    c.vaccine("141", ago(weeks=5))
    c.vaccine("133", ago(years=3))
    c.vaccine("33", ago(years=2))
    c.vaccine("187", ago(years=1, months=3))
    c.vaccine("187", ago(years=1, months=1))


@demo_patient(
    "marek-nowak",
    "Nowak, Marek",
    born="1969-01-27",
    sex="male",
    city="Poznań",
    country="PL",
    vignette=(
        "57, diffuse cutaneous SSc with fibrotic ILD: FVC 44.9 % and DLCO 36 % predicted, just under the "
        "trial's windows; skin still worsening (mRSS 22 -> 25)"
    ),
    shows="The window boundary: FVC 44.9 % (needs 45-70) and DLCO 36 % (needs 40-70) predicted fail `dcssc-ild-function` although the skin score shows active disease.",
    expected=Expected(
        a_duse=NO_DU,
        dcssc=failing({"dcssc-ild-function": "FVC 44.9 % < 45 % and DLCO 36 % < 40 % predicted"}),
    ),
)
def marek_nowak(c: Chart) -> None:
    c.dx(*SSC, text="Diffuse cutaneous systemic sclerosis", onset=ago(years=7, months=2), problem=True)
    c.dx(
        *ILD,
        text="Interstitial lung disease, SSc-associated (fibrotic NSIP)",
        onset=ago(years=6, months=4),
        problem=True,
    )
    c.dx(*RAYNAUD, onset=ago(years=8))
    c.dx(*GERD, onset=ago(years=6))
    c.test(SITE_LAB, "SCL70", "Anti-Scl-70 (topoisomerase I) antibody", POSITIVE, ago(years=7, months=2))
    c.ssc_classification(18, ago(years=7, months=2))

    c.med(PREDNISONE, "Prednisone 5 mg tablet", start=ago(years=6), dose=(5, "mg"))
    c.med(
        CYCLOPHOSPHAMIDE,
        "Cyclophosphamide 750 mg intravenous infusion",
        start=ago(years=6, months=3),
        end=ago(years=5, months=8),
        dose=(750, "mg"),
        every=(4, "wk"),
        route="intravenous",
    )
    c.med(
        MYCOPHENOLATE,
        "Mycophenolate mofetil 500 mg tablet",
        start=ago(years=5, months=8),
        dose=(1500, "mg"),
        per_day=2,
    )
    c.med(NINTEDANIB, "Nintedanib 150 mg capsule", start=ago(years=2), dose=(150, "mg"), per_day=2)
    c.med(NIFEDIPINE, "Nifedipine 30 mg modified-release tablet", start=ago(years=7), dose=(30, "mg"))
    c.med(OMEPRAZOLE, "Omeprazole 40 mg gastro-resistant capsule", start=ago(years=6), dose=(40, "mg"))

    visits = [ago(months=11), ago(months=8), ago(months=5), ago(days=20)]
    c.lab_series(
        visits,
        hb=(146, 144, 145, 141),
        wbc=(8.1, 7.7, 7.9, 7.6),
        anc=(5.4, 5.0, 5.2, 4.9),
        plt=(244, 236, 251, 240),
        creat=(84, 86, 85, 88),
        alt=(28, 31, 27, 29),
        ast=(26, 27, 25, 28),
        bili=(12, 10, 11, 12),
        crp=(7.4, 6.8, 8.1, 7.7),
        ntprobnp=(142, None, 158, None),
    )
    for date, weight in zip(visits, (71.8, 71.2, 70.9, 71.0), strict=True):
        c.vitals(date, weight=weight, bp=(126, 78), hr=88, height=178 if date == visits[0] else None, spo2=93)
    c.pft(ago(months=11), 2.31, 50.1, 9.9, 41)
    c.pft(ago(months=5), 2.14, 46.4, 9.2, 38)
    c.pft(ago(days=20), 2.07, 44.9, 8.7, 36)
    c.mrss(22, ago(months=5))
    c.mrss(25, ago(days=20))
    c.echo(ago(months=4), lvef=57, rvsp=41)
    screening = ago(months=2)
    c.test(
        LOINC,
        "5196-1",
        "Hepatitis B virus surface Ag [Presence] in Serum or Plasma by Immunoassay",
        NEGATIVE,
        screening,
    )
    c.test(LOINC, "16128-1", "Hepatitis C virus Ab [Presence] in Serum", NEGATIVE, screening)
    c.test(LOINC, "7918-6", "HIV 1+2 Ab [Presence] in Serum", NEGATIVE, screening)
    c.test(
        LOINC,
        "71773-6",
        "Mycobacterium tuberculosis stimulated gamma interferon [Interpretation] in Blood Qualitative",
        NEGATIVE,
        screening,
    )
    c.smoking("former", quit=ago(years=12))

    c.procedure("High-resolution CT of the chest", ago(months=5))
    c.procedure("Six-minute walk test", ago(days=20))
    c.vaccine("141", ago(weeks=3))
    c.vaccine("133", ago(years=4))
    c.vaccine("33", ago(years=3))
    c.vaccine("187", ago(years=2))
    c.vaccine("187", ago(years=1, months=10))


# ------------------------------------------------------------------------------ past cancer patient
@demo_patient(
    "helena-lindqvist",
    "Lindqvist, Helena",
    born="1967-06-02",
    sex="female",
    city="Uppsala",
    country="SE",
    vignette=(
        "59, systemic sclerosis (subtype not recorded) with a left index fingertip ulcer for 10 weeks on "
        "amlodipine; triple-negative breast cancer 3 years ago, in remission for 2 years 3 months"
    ),
    shows="One cancer, two trials: onset 3 years ago excludes A-DUSE (5 years), while F01 excuses a cancer in remission for 2 years or more; SSc without a subtype leaves `dcssc-dx` unknown.",
    expected=Expected(
        a_duse=failing({"exc-cancer-5y": "breast cancer diagnosed 3 years ago"}),
        dcssc=failing({"dcssc-ild-function": "no ILD"}),
    ),
)
def helena_lindqvist(c: Chart) -> None:
    c.dx(
        ICD10CM,
        "M34.9",
        "Systemic sclerosis, unspecified",
        text="Systemic sclerosis",
        onset=ago(years=9, months=3),
        problem=True,
    )
    c.dx(*RAYNAUD, onset=ago(years=12))
    c.dx(*GERD, onset=ago(years=7))
    c.dx(*MENOPAUSE, onset=ago(years=8))
    c.dx(
        *SKIN_ULCER,
        text="Digital ulcer, left index fingertip",
        onset=ago(weeks=10),
        site="Left index finger, fingertip",
        problem=True,
    )
    c.dx(
        ICD10CM,
        "C50.412",
        "Malignant neoplasm of upper-outer quadrant of left female breast",
        text="Invasive ductal carcinoma, left breast, pT1c N0, triple-negative",
        onset=ago(years=3),
        abatement=ago(years=2, months=3),
        status="remission",
    )
    c.test(LOINC, "8061-4", "Nuclear Ab [Presence] in Serum", POSITIVE, ago(years=9, months=3))
    c.test(
        LOINC,
        "16570-4",
        "Centromere Ab [Presence] in Serum by Immunofluorescence",
        POSITIVE,
        ago(years=9, months=3),
    )
    c.ssc_classification(12, ago(years=9, months=3))

    c.procedure("Lumpectomy of left breast with sentinel lymph node biopsy", ago(years=2, months=11))
    c.med(
        PACLITAXEL,
        "Paclitaxel 80 mg/m2 intravenous, weekly x 12",
        start=ago(years=2, months=10),
        end=ago(years=2, months=7),
        route="intravenous",
    )
    c.med(
        CARBOPLATIN,
        "Carboplatin AUC 2 intravenous, weekly x 12",
        start=ago(years=2, months=10),
        end=ago(years=2, months=7),
        route="intravenous",
    )
    c.procedure("Adjuvant radiotherapy to the left breast, 15 fractions", ago(years=2, months=4))
    c.procedure("Bilateral mammography: no recurrence", ago(months=9))

    c.med(AMLODIPINE, "Amlodipine 10 mg tablet", start=ago(years=5), dose=(10, "mg"))
    c.med(
        ILOPROST,
        "Iloprost intravenous infusion, 5-day course",
        start=ago(weeks=7, days=4),
        end=ago(weeks=7),
        route="intravenous",
    )
    c.med(OMEPRAZOLE, "Omeprazole 20 mg gastro-resistant capsule", start=ago(years=7), dose=(20, "mg"))
    c.med(COLECALCIFEROL, "Colecalciferol 800 IU tablet", start=ago(years=3), dose=(800, "[iU]"))

    visits = [ago(months=11), ago(months=7), ago(months=4), ago(weeks=2)]
    c.lab_series(
        visits,
        hb=(129, 131, 128, 130),
        wbc=(5.6, 5.2, 5.9, 5.4),
        anc=(3.4, 3.1, 3.7, 3.3),
        plt=(228, 241, 233, 236),
        creat=(68, 70, 66, 69),
        alt=(16, 18, 17, 15),
        ast=(20, 21, 19, 20),
        bili=(9, 8, 10, 9),
        crp=(1.6, 2.1, 1.4, 1.9),
    )
    for date, weight in zip(visits, (66.0, 65.6, 66.2, 65.9), strict=True):
        c.vitals(date, weight=weight, bp=(128, 76), hr=70, height=169 if date == visits[0] else None, spo2=97)
    c.pft(ago(months=6), 2.88, 96, 19.2, 78)
    c.echo(ago(months=6), lvef=66, rvsp=27)
    c.mrss(8, ago(months=6))
    c.smoking("never", ago(months=11))

    c.vaccine("141", ago(weeks=4))
    c.vaccine("133", ago(years=4))
    c.vaccine("208", ago(years=1))


# ========================================================================================= output
def bundle_text(patient: DemoPatient) -> str:
    bundle = patient.build().bundle()
    bundle = {
        "resourceType": "Bundle",
        "id": patient.id,
        **{k: v for k, v in bundle.items() if k != "resourceType"},
    }
    return dumps(bundle, indent=2, ensure_ascii=False) + "\n"


def _cell(outcome: Outcome) -> str:
    why = "; ".join(f"`{criterion}` {reason}" for criterion, reason in outcome.deciders)
    status = {"fail": "fails", "unknown": "unknown"}.get(outcome.deciding_status or "", "")
    return f"**{outcome.verdict}**" + (f"<br>{status}: {why}" if why else "")


def readme_text() -> str:
    titles = [RESULT_TITLES[key] for key in RESULTS]
    lines = [
        "# Demo patients",
        "",
        f"{len(PATIENTS)} synthetic patients, one FHIR R4 collection Bundle each (`<id>.json`), for `trialcds demo`,",
        "the project README and the tests. The people are invented. Every date is set relative to the as-of date",
        f"**{AS_OF}**: evaluate them on that date, or the windows (3 months of labs, 8 weeks of ulcer, ...) move.",
        "",
        "```sh",
        f"trialcds evaluate data/demo-patients/*.json --as-of {AS_OF}",
        "```",
        "",
        "Generated by `scripts/build_demo_patients.py` from the vignettes written there, together with this",
        "table; do not edit either by hand (`--check` tells when they differ from the script).",
        "`tests/data/test_demo_patients.py` evaluates each patient and checks the verdicts below: for",
        "**ineligible** the criteria listed are exactly the failing ones, for **possibly-eligible** exactly the",
        "unknown ones; manual criteria (consent, investigator judgement) never decide and are not listed.",
        "",
        "| patient | vignette | " + " | ".join(titles) + " |",
        "| --- | --- | " + " | ".join("---" for _ in titles) + " |",
    ]
    for patient in PATIENTS:
        results = patient.expected.results()
        cells = [f"{patient.display_name}<br>`{patient.id}.json`", patient.vignette]
        cells += [_cell(results[key]) for key in RESULTS]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## What each patient exercises", ""]
    lines += [f"- **{p.display_name}**: {p.shows}" for p in PATIENTS]
    return "\n".join(lines) + "\n"


def outputs() -> dict[str, str]:
    """Every file of data/demo-patients/ by name, as the script writes it."""
    files = {f"{p.id}.json": bundle_text(p) for p in PATIENTS}
    files["README.md"] = readme_text()
    return files


def stale(folder: Path, files: dict[str, str]) -> list[str]:
    """Names of the files that differ from the script's output, are missing, or should not be there."""
    on_disk = {p.name for p in folder.glob("*") if p.is_file()}
    differ = [
        n for n, text in files.items() if n not in on_disk or (folder / n).read_text(encoding="utf-8") != text
    ]
    return sorted(differ + sorted(on_disk - set(files)))


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a committed file differs from the output"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    files = outputs()
    if args.check:
        problems = stale(OUT, files)
        for name in problems:
            print(f"{OUT / name}: differs from scripts/build_demo_patients.py (re-run it)", file=sys.stderr)
        return 1 if problems else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name in sorted({p.name for p in OUT.glob("*.json")} - set(files)):
        (OUT / name).unlink()
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
