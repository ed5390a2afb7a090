"""Patients for the F01 protocol tests: codes used by them, and a record that passes every computable
common criterion (each test then adds or changes the one thing it is about)."""

from __future__ import annotations

from cds.fhir.builder import ICD10CM, LOCAL, LOINC, RXNORM, SNOMED, PatientBuilder, ago
from protocols.support import AS_OF

SLE = (SNOMED, "55464009", "Systemic lupus erythematosus")
GPA = (SNOMED, "195353004", "Granulomatosis with polyangiitis")
MPA = (ICD10CM, "M31.7", "Microscopic polyangiitis")
DERMATOMYOSITIS = (SNOMED, "396230008", "Dermatomyositis")
IBM = (ICD10CM, "G72.41", "Inclusion body myositis")
SSC = (SNOMED, "89155008", "Systemic sclerosis")
ILD = (SNOMED, "233703007", "Interstitial lung disease")

PREDNISONE = (RXNORM, "8640", "prednisone")
METHYLPREDNISOLONE = (RXNORM, "6902", "methylprednisolone")
HYDROXYCHLOROQUINE = (RXNORM, "5521", "hydroxychloroquine")
AZATHIOPRINE = (RXNORM, "1256", "azathioprine")
METHOTREXATE = (RXNORM, "6851", "methotrexate")
MYCOPHENOLATE = (RXNORM, "7145", "mycophenolic acid")
CYCLOPHOSPHAMIDE = (RXNORM, "3002", "cyclophosphamide")
RITUXIMAB = (RXNORM, "121191", "rituximab")

HB = (LOINC, "718-7", "Hemoglobin")
ANC = (LOINC, "751-8", "Neutrophils")
PLT = (LOINC, "777-3", "Platelets")
CREATININE = (LOINC, "2160-0", "Creatinine")
WEIGHT = (LOINC, "29463-7", "Body weight")
ALT = (LOINC, "1742-6", "ALT")
AST = (LOINC, "1920-8", "AST")
BILIRUBIN = (LOINC, "1975-2", "Bilirubin")
SPO2 = (LOINC, "59408-5", "SpO2")
LVEF = (LOINC, "10230-1", "LVEF")
HCG = (LOINC, "2106-3", "hCG, urine")
NEGATIVE = (SNOMED, "260385009", "Negative")
POSITIVE = (SNOMED, "10828004", "Positive")
SLEDAI = (LOCAL, "sledai-2k", "SLEDAI-2K")


def days_ago(n: int) -> str:
    return ago(AS_OF, days=n)


def months_ago(n: int, days: int = 0) -> str:
    return ago(AS_OF, months=n, days=days)


def fit_patient(
    pid: str = "f01-1", *, gender: str = "male", birth_date: str = "1980-04-02"
) -> PatientBuilder:
    """Adult with labs, SpO2 and LVEF inside every F01 limit, recent enough (a man, so pregnancy passes)."""
    p = PatientBuilder(pid, birth_date=birth_date, gender=gender)
    when = days_ago(20)
    p.observation(*HB, value=12.5, unit="g/dL", date=when)
    p.observation(*ANC, value=3.1, unit="10*9/L", date=when)
    p.observation(*PLT, value=210, unit="10*3/uL", date=when)
    p.observation(*CREATININE, value=0.9, unit="mg/dL", date=when)
    p.observation(*WEIGHT, value=72, unit="kg", date=when, category="vital-signs")
    p.observation(*ALT, value=30, unit="U/L", date=when)
    p.observation(*AST, value=28, unit="U/L", date=when)
    p.observation(*BILIRUBIN, value=0.7, unit="mg/dL", date=when)
    p.observation(*SPO2, value=97, unit="%", date=when, category="vital-signs")
    p.observation(*LVEF, value=58, unit="%", date=months_ago(5))
    return p
