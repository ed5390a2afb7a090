"""Build the FHIR terminology content under fhir_mappings/ from the tables in this file.

The tables below are the editable source: one entry per concept group of
../shared/TERMINOLOGY.md, each code with the source key it was read from, or flagged
unverified. Running this script rewrites fhir_mappings/valuesets/*.json and
fhir_mappings/codesystems/disease-activity.json; the test suite fails when the committed
files and this script disagree, so edit here and re-run:

    .venv/bin/python scripts/build_valuesets.py
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VALUESET_DIR = ROOT / "fhir_mappings" / "valuesets"
CODESYSTEM_DIR = ROOT / "fhir_mappings" / "codesystems"

BASE = "https://trialcds.org/fhir"
VERSION = "0.1.0"
# Fixed so that a rebuild without content changes produces identical files.
EXPANSION_TIMESTAMP = "2026-11-23T00:00:00Z"

SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"
CVX = "http://hl7.org/fhir/sid/cvx"
LOCAL = f"{BASE}/CodeSystem/disease-activity"

EXT_SOURCE = f"{BASE}/StructureDefinition/code-source"
EXT_INGREDIENT = f"{BASE}/StructureDefinition/ingredient-name"
EXT_KEYWORD = f"{BASE}/StructureDefinition/text-keyword"
EXT_KEYWORD_SCOPE = f"{BASE}/StructureDefinition/text-keyword-scope"
REVIEW_SYSTEM = f"{BASE}/CodeSystem/terminology-review"

# Source keys: the first block is TERMINOLOGY.md's own table; the rest were read while
# building these files. A key names where a code/display pair was read, not a licence check.
SOURCES: dict[str, str] = {
    "ATC": "fabkury/atcd: WHO ATC-DDD 2026-04-25.csv (+ 2021-12-03, 2024-07-31 for older codes)",
    "LX": "ngiger/elexis-jubula: jubula-tests/rsc/db/mysql/simpel.sql (embedded LOINC table, older release)",
    "MII": "medizininformatik-initiative/kerndatensatz-lungenfunktion: Observation_FVC.fsh, Observation_DLCO.fsh",
    "VS": "https://hl7.org/fhir/2021Mar/bodyheight.html; hl7.org vital-sign measurement value set",
    "LNC": "loinc.org term pages (10230-1, 19911-7, 75842-5, 64392-4)",
    "HA": "third-party LOINC mirrors (healthassure.in codes, autoicdapi.com/loinc/75874-8)",
    "CREDS": "https://hl7.org/fhir/us/registry-protocols/2023May/ValueSet-NewYorkHeartAssociation.json.html",
    "CCX": "https://build.fhir.org/ig/sguinezm/cardioCx-IG/ValueSet-FunctionalCapacityVS.html",
    "ICD": "medtrack-io/icd_code: lib/codes/*.ex (ICD-10-CM, content about FY2017)",
    "LC": "logicahealth/covid-19: fsh/fsh-source/CV19-ValueSets.fsh",
    "UKRDC": "PyPI ukrdc-xsdata 4.2.0: ukrdc_xsdata/ukrdc/types/cf_edta_prd.py",
    "VR": "nightingaleproject/vital_records_sandbox_ig: ValueSetInfectionsDuringPregnancyLiveBirth.fsh",
    "CPIC": "cpicpgx/cpic-schema: drug.sql",
    "PED": "PEDSnet/Variable-Dictionary: drugs/{raas_codes,rx_other_antihtn,rx_steroids}.csv",
    "RXC": "public record of an RxClass classMembers query, ATC H02AB, ingredients (2025-10-18)",
    "FS": "public FHIR/FSH files seen via code search (repository not named by the index)",
    "TERM": "listed in TERMINOLOGY.md without a source key",
    "USCORE": "https://hl7.org/fhir/us/core/STU3.1.1/ValueSet-us-core-observation-smokingstatus.html",
    "IPS": "https://hl7.org/fhir/uv/ips/STU1.1/ValueSet-current-smoking-status-uv-ips.html",
    "NDCL": "https://ndclist.com/ndc/72189-673/rxnorm (RxNorm SCD for NDC 72189-673)",
    "CVXFS": "public CVX tables seen via code search (IHS RPMS immunization table BITN2; HL7 v2 CVX listing)",
    "LOCAL": f"this project's own code system {LOCAL}",
}


@dataclass(frozen=True)
class Concept:
    system: str
    code: str
    display: str
    source: str
    unverified: str = ""


@dataclass(frozen=True)
class PrefixFilter:
    """An is-a filter: every code of `system` under `value` (ICD-10-CM or ATC by prefix)."""

    system: str
    value: str
    label: str
    unverified: str = ""


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    purpose: str
    concepts: tuple[Concept, ...] = ()
    filters: tuple[PrefixFilter, ...] = ()
    ingredient_names: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    keyword_scope: str = ""
    notes: tuple[str, ...] = field(default=())


def sct(code: str, display: str, source: str, unverified: str = "") -> Concept:
    return Concept(SNOMED, code, display, source, unverified)


def lnc(code: str, display: str, source: str, unverified: str = "") -> Concept:
    return Concept(LOINC, code, display, source, unverified)


def rx(code: str, display: str, source: str, unverified: str = "") -> Concept:
    return Concept(RXNORM, code, display, source, unverified)


def atc(code: str, display: str, unverified: str = "") -> Concept:
    return Concept(ATC, code, display, "ATC", unverified)


def local(code: str) -> Concept:
    return Concept(LOCAL, code, LOCAL_SCORES[code][0], "LOCAL")


def icd(code: str, display: str, source: str = "ICD", unverified: str = "") -> tuple[Concept, ...]:
    """Both spellings of an ICD-10-CM code: FHIR's dotted form and the undotted one sites send."""
    dotted = code if "." in code or len(code) <= 3 else f"{code[:3]}.{code[3:]}"
    undotted = dotted.replace(".", "")
    forms = (dotted,) if dotted == undotted else (dotted, undotted)
    return tuple(Concept(ICD10CM, form, display, source, unverified) for form in forms)


def icds(*pairs: tuple[str, str]) -> tuple[Concept, ...]:
    return tuple(c for code, display in pairs for c in icd(code, display))


def icd_prefix(value: str, label: str, unverified: str = "") -> PrefixFilter:
    return PrefixFilter(ICD10CM, value, label, unverified)


def atc_prefix(value: str, label: str) -> PrefixFilter:
    return PrefixFilter(ATC, value, label)


def icd_categories(letter: str, numbers: Iterable[str], label: str) -> tuple[PrefixFilter, ...]:
    return tuple(icd_prefix(f"{letter}{n}", label) for n in numbers)


# --- local score codes (TERMINOLOGY.md section 0) -------------------------------------------
LOCAL_SCORES: dict[str, tuple[str, str]] = {
    "sledai-2k": ("SLEDAI-2K total score", "0-105"),
    "mrss": ("Modified Rodnan skin score, total", "0-51"),
    "bvas-v3": ("Birmingham Vasculitis Activity Score v3, total", "0-63"),
    "bvas-v3-major": ("BVAS v3: number of major items present (component of bvas-v3)", "count"),
    "bvas-v3-minor": ("BVAS v3: number of other items present (component of bvas-v3)", "count"),
    "mmt-8": ("Manual Muscle Testing, 8 muscles, total", "0-150"),
    "imacs-patient-global": ("Patient global activity, VAS", "0-10 cm"),
    "imacs-physician-global": ("Physician global activity, VAS", "0-10 cm"),
    "imacs-extramuscular": ("Extramuscular global activity, VAS", "0-10 cm"),
    "ssc-acr-eular-2013": ("2013 ACR/EULAR systemic sclerosis classification score", "0-19"),
    "iim-eular-acr-2017-probability": ("2017 EULAR/ACR IIM classification probability", "%"),
}


def category_numbers(text: str) -> tuple[str, ...]:
    """Two-character ICD-10-CM category numbers written as one space-separated line."""
    return tuple(text.split())


# --- ICD-10-CM category lists read in the ICD source's code index (all_codes.ex) ----------------
MALIGNANT_C = category_numbers(
    "00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 30 31 32 33 34 37 38 39 40 41 43 4A 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 7A 7B 76 77 78 79 80 81 82 83 84 85 86 88 90 91 92 93 94 95 96"
)
IN_SITU_D = category_numbers("00 01 02 03 04 05 06 07 09")
PREGNANCY_O_READ = category_numbers(
    "00 01 02 03 04 07 08 09 10 11 12 13 14 15 16 20 21 22 23 24 25 26 28 29 30 31 32 33 34 35 36"
)
# Not re-read: the ICD source page holding O40 onwards was not opened (ICD-10-CM chapter 15 layout).
PREGNANCY_O_NOT_READ = category_numbers(
    "40 41 42 43 44 45 46 47 48 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 80 82 85 86 87 88 89 90 91 92 94 98 99 9A"
)


def diagnosis_groups() -> list[Group]:
    return [
        Group(
            "dx-ssc",
            "Systemic sclerosis",
            "Systemic sclerosis, any subtype (inc-ssc, dcssc-dx).",
            (
                sct("89155008", "Systemic sclerosis (disorder)", "LC"),
                *icds(
                    ("M34.0", "Progressive systemic sclerosis"),
                    ("M34.1", "CR(E)ST syndrome"),
                    ("M34.2", "Systemic sclerosis induced by drug and chemical"),
                    ("M34.81", "Systemic sclerosis with lung involvement"),
                    ("M34.82", "Systemic sclerosis with myopathy"),
                    ("M34.83", "Systemic sclerosis with polyneuropathy"),
                    ("M34.89", "Other systemic sclerosis"),
                    ("M34.9", "Systemic sclerosis, unspecified"),
                ),
            ),
            notes=(
                "Diffuse and limited cutaneous subtypes have no verified code: see dx-ssc-diffuse and dx-ssc-limited.",
            ),
        ),
        Group(
            "dx-ssc-diffuse",
            "Diffuse cutaneous systemic sclerosis (text)",
            "Diffuse cutaneous SSc (dcssc-dx): no verified SNOMED CT or ICD-10-CM code exists, so the subtype is "
            "recognised only by these words on a record matched by dx-ssc.",
            keywords=("diffuse", "dcSSc"),
            keyword_scope="dx-ssc",
        ),
        Group(
            "dx-ssc-limited",
            "Limited cutaneous systemic sclerosis",
            "Limited cutaneous SSc / CREST (dcssc-dx fails on it): ICD-10-CM M34.1, or these words on a record "
            "matched by dx-ssc.",
            icds(("M34.1", "CR(E)ST syndrome")),
            keywords=("limited", "lcSSc", "CREST"),
            keyword_scope="dx-ssc",
        ),
        Group(
            "dx-du",
            "Skin ulcer (digital when qualified)",
            "Ulcer codes for the digital ulcer criteria (inc-active-du, inc-du-refractory). No verified code means "
            "'digital ulcer': a record matched here is a digital ulcer when its text or display carries one of "
            "the keywords, or its bodySite is a finger.",
            (
                sct("46742003", "Skin ulcer (disorder)", "LC"),
                *icds(
                    (
                        "L98.491",
                        "Non-pressure chronic ulcer of skin of other sites limited to breakdown of skin",
                    ),
                    ("L98.492", "Non-pressure chronic ulcer of skin of other sites with fat layer exposed"),
                    ("L98.493", "Non-pressure chronic ulcer of skin of other sites with necrosis of muscle"),
                    ("L98.494", "Non-pressure chronic ulcer of skin of other sites with necrosis of bone"),
                    (
                        "L98.499",
                        "Non-pressure chronic ulcer of skin of other sites with unspecified severity",
                    ),
                    ("I73.01", "Raynaud's syndrome with gangrene"),
                    ("I96", "Gangrene, not elsewhere classified"),
                ),
            ),
            keywords=("digital", "finger", "fingertip"),
            keyword_scope="dx-du",
            notes=(
                "L97.x is lower limb only and is left out. Later L98.495-L98.498 codes post-date the ICD source.",
            ),
        ),
        Group(
            "dx-om",
            "Osteomyelitis of the hand or of unspecified site",
            "exc-osteomyelitis reads osteomyelitis of the hand/finger or of unspecified site; other named sites "
            "(femur, foot ...) are deliberately left out.",
            (sct("60168000", "Osteomyelitis (disorder)", "FS"), *icds(*OSTEOMYELITIS_HAND_AND_UNSPECIFIED)),
        ),
        Group(
            "dx-sle",
            "Systemic lupus erythematosus",
            "SLE (sle-dx). Drug-induced lupus M32.0 is left out.",
            (
                sct("55464009", "Systemic lupus erythematosus (disorder)", "LC"),
                *icds(
                    ("M32.10", "Systemic lupus erythematosus, organ or system involvement unspecified"),
                    ("M32.11", "Endocarditis in systemic lupus erythematosus"),
                    ("M32.12", "Pericarditis in systemic lupus erythematosus"),
                    ("M32.13", "Lung involvement in systemic lupus erythematosus"),
                    ("M32.14", "Glomerular disease in systemic lupus erythematosus"),
                    ("M32.15", "Tubulo-interstitial nephropathy in systemic lupus erythematosus"),
                    ("M32.19", "Other organ or system involvement in systemic lupus erythematosus"),
                    ("M32.8", "Other forms of systemic lupus erythematosus"),
                    ("M32.9", "Systemic lupus erythematosus, unspecified"),
                ),
            ),
        ),
        Group(
            "dx-ln",
            "Lupus nephritis",
            "Lupus nephritis (shown for review in sle-severe-organ; it does not exclude by itself).",
            (
                sct(
                    "68815009", "Systemic lupus erythematosus glomerulonephritis syndrome (disorder)", "UKRDC"
                ),
                *icds(
                    ("M32.14", "Glomerular disease in systemic lupus erythematosus"),
                    ("M32.15", "Tubulo-interstitial nephropathy in systemic lupus erythematosus"),
                ),
            ),
        ),
        Group(
            "dx-neph",
            "Nephrotic syndrome",
            "Nephrotic syndrome (sle-severe-organ review).",
            (
                sct("52254009", "Nephrotic syndrome (disorder)", "LC"),
                *icds(
                    ("N04.0", "Nephrotic syndrome with minor glomerular abnormality"),
                    ("N04.1", "Nephrotic syndrome with focal and segmental glomerular lesions"),
                    ("N04.2", "Nephrotic syndrome with diffuse membranous glomerulonephritis"),
                    ("N04.3", "Nephrotic syndrome with diffuse mesangial proliferative glomerulonephritis"),
                    (
                        "N04.4",
                        "Nephrotic syndrome with diffuse endocapillary proliferative glomerulonephritis",
                    ),
                    ("N04.5", "Nephrotic syndrome with diffuse mesangiocapillary glomerulonephritis"),
                    ("N04.6", "Nephrotic syndrome with dense deposit disease"),
                    ("N04.7", "Nephrotic syndrome with diffuse crescentic glomerulonephritis"),
                    ("N04.8", "Nephrotic syndrome with other morphologic changes"),
                    ("N04.9", "Nephrotic syndrome with unspecified morphologic changes"),
                ),
            ),
        ),
        Group(
            "dx-gpa",
            "Granulomatosis with polyangiitis",
            "GPA (aav-dx). The ICD source titles M31.3x 'Wegener's granulomatosis'; the later GPA title is unverified.",
            (
                sct("195353004", "Wegener's granulomatosis (disorder)", "UKRDC"),
                *icds(
                    ("M31.30", "Wegener's granulomatosis without renal involvement"),
                    ("M31.31", "Wegener's granulomatosis with renal involvement"),
                ),
            ),
            keywords=("granulomatosis with polyangiitis",),
        ),
        Group(
            "dx-mpa",
            "Microscopic polyangiitis",
            "MPA (aav-dx).",
            (
                sct("239928004", "Microscopic polyarteritis nodosa (disorder)", "LC"),
                *icds(("M31.7", "Microscopic polyangiitis")),
            ),
        ),
        Group(
            "dx-egpa",
            "Eosinophilic granulomatosis with polyangiitis",
            "EGPA / Churg-Strauss (exc-other-autoimmune).",
            (
                sct("82275008", "Allergic granulomatosis angiitis (disorder)", "UKRDC"),
                *icd("M30.1", "Polyarteritis with lung involvement [Churg-Strauss]"),
            ),
            keywords=("eosinophilic granulomatosis", "Churg-Strauss"),
        ),
        Group(
            "dx-dm",
            "Dermatomyositis",
            "Dermatomyositis (iim-dx). M33.9x (dermatopolymyositis, unspecified) is in both dx-dm and dx-pm.",
            (
                sct("396230008", "Dermatomyositis (disorder)", "LC"),
                *icds(*DERMATOPOLYMYOSITIS_OTHER, *DERMATOPOLYMYOSITIS_UNSPECIFIED),
            ),
            notes=("Newer 'without myopathy' codes post-date the ICD source and are unverified.",),
        ),
        Group(
            "dx-pm",
            "Polymyositis",
            "Polymyositis (iim-dx).",
            (
                sct("31384009", "Polymyositis (disorder)", "LC"),
                *icds(
                    ("M33.20", "Polymyositis, organ involvement unspecified"),
                    ("M33.21", "Polymyositis with respiratory involvement"),
                    ("M33.22", "Polymyositis with myopathy"),
                    ("M33.29", "Polymyositis with other organ involvement"),
                    *DERMATOPOLYMYOSITIS_UNSPECIFIED,
                ),
            ),
        ),
        Group(
            "dx-imnm",
            "Immune-mediated necrotizing myopathy",
            "IMNM (iim-dx). No specific SNOMED CT or ICD-10-CM code was found; G72.49 is the nearest (broader) "
            "code, so a G72.49 record counts only with one of the keywords.",
            icds(("G72.49", "Other inflammatory and immune myopathies, not elsewhere classified")),
            keywords=("necrotizing myopathy", "necrotising myopathy", "IMNM"),
            keyword_scope="dx-imnm",
        ),
        Group(
            "dx-ibm",
            "Inclusion body myositis",
            "IBM (exc-other-autoimmune, iim-other-myopathy; does not count for iim-dx).",
            (
                sct(
                    "72315009",
                    "Inclusion body myositis (disorder)",
                    "TERM",
                    "commonly cited, not read in a source",
                ),
                *icds(("G72.41", "Inclusion body myositis [IBM]")),
            ),
        ),
        Group(
            "dx-ild",
            "Interstitial lung disease",
            "ILD (dcssc-ild-function, dcssc-active). J84.111-J84.117 (idiopathic interstitial pneumonias) were "
            "added from the ICD source beside TERMINOLOGY.md's list.",
            (
                sct("233703007", "Interstitial lung disease (disorder)", "LC"),
                sct("51615001", "Fibrosis of lung (disorder)", "LC"),
                sct("196133001", "Lung disease with systemic sclerosis (disorder)", "FS"),
                *icds(
                    ("J84.10", "Pulmonary fibrosis, unspecified"),
                    ("J84.111", "Idiopathic interstitial pneumonia, not otherwise specified"),
                    ("J84.112", "Idiopathic pulmonary fibrosis"),
                    ("J84.113", "Idiopathic non-specific interstitial pneumonitis"),
                    ("J84.114", "Acute interstitial pneumonitis"),
                    ("J84.115", "Respiratory bronchiolitis interstitial lung disease"),
                    ("J84.116", "Cryptogenic organizing pneumonia"),
                    ("J84.117", "Desquamative interstitial pneumonia"),
                    (
                        "J84.17",
                        "Other interstitial pulmonary diseases with fibrosis in diseases classified elsewhere",
                    ),
                    ("J84.89", "Other specified interstitial pulmonary diseases"),
                    ("J84.9", "Interstitial pulmonary disease, unspecified"),
                    ("M34.81", "Systemic sclerosis with lung involvement"),
                ),
            ),
        ),
        Group(
            "dx-ph",
            "Pulmonary hypertension",
            "Pulmonary hypertension (2013 SSc score item).",
            (
                sct("70995007", "Pulmonary hypertension (disorder)", "LC"),
                *icds(
                    ("I27.0", "Primary pulmonary hypertension"),
                    ("I27.2", "Other secondary pulmonary hypertension"),
                ),
            ),
            filters=(icd_prefix("I27.2", "I27.20-I27.29 (FY2018+)", "post-date the ICD source"),),
        ),
        Group(
            "dx-hbv",
            "Hepatitis B",
            "Active hepatitis B (exc-hbv-hcv-hiv-syphilis).",
            (
                sct("66071002", "Viral hepatitis type B (disorder)", "VR"),
                sct("61977001", "Chronic type B viral hepatitis (disorder)", "LC"),
                *icds(
                    ("B16.0", "Acute hepatitis B with delta-agent with hepatic coma"),
                    ("B16.1", "Acute hepatitis B with delta-agent without hepatic coma"),
                    ("B16.2", "Acute hepatitis B without delta-agent with hepatic coma"),
                    ("B16.9", "Acute hepatitis B without delta-agent and without hepatic coma"),
                    ("B18.0", "Chronic viral hepatitis B with delta-agent"),
                    ("B18.1", "Chronic viral hepatitis B without delta-agent"),
                    ("B19.10", "Unspecified viral hepatitis B without hepatic coma"),
                    ("B19.11", "Unspecified viral hepatitis B with hepatic coma"),
                ),
            ),
        ),
        Group(
            "dx-hcv",
            "Hepatitis C",
            "Active hepatitis C (exc-hbv-hcv-hiv-syphilis).",
            (
                sct("50711007", "Viral hepatitis type C (disorder)", "VR"),
                sct("128302006", "Chronic hepatitis C (disorder)", "LC"),
                *icds(
                    ("B17.10", "Acute hepatitis C without hepatic coma"),
                    ("B17.11", "Acute hepatitis C with hepatic coma"),
                    ("B18.2", "Chronic viral hepatitis C"),
                    ("B19.20", "Unspecified viral hepatitis C without hepatic coma"),
                    ("B19.21", "Unspecified viral hepatitis C with hepatic coma"),
                ),
            ),
        ),
        Group(
            "dx-hiv",
            "HIV infection",
            "HIV infection (exc-hbv-hcv-hiv-syphilis).",
            (
                sct("86406008", "Human immunodeficiency virus infection (disorder)", "LC"),
                sct("62479008", "Acquired immune deficiency syndrome (disorder)", "LC"),
                *icd("B20", "Human immunodeficiency virus [HIV] disease"),
                *icd("Z21", "Asymptomatic human immunodeficiency virus [HIV] infection status"),
            ),
        ),
        Group(
            "dx-syph",
            "Syphilis",
            "Syphilis (exc-hbv-hcv-hiv-syphilis).",
            (
                sct("76272004", "Syphilis (disorder)", "VR"),
                *icds(
                    ("A53.0", "Latent syphilis, unspecified as early or late"),
                    ("A53.9", "Syphilis, unspecified"),
                ),
            ),
            filters=icd_categories("A", ("50", "51", "52", "53"), "syphilis A50-A53"),
        ),
        Group(
            "dx-tb",
            "Tuberculosis, active or latent",
            "Active or latent TB (exc-tuberculosis). ICD-10-CM has no A16 category.",
            (
                sct("427099000", "Active tuberculosis (disorder)", "LC"),
                sct("56717001", "Tuberculosis (disorder)", "LC"),
                *icds(
                    ("R76.11", "Nonspecific reaction to tuberculin skin test without active tuberculosis"),
                    (
                        "R76.12",
                        "Nonspecific reaction to cell mediated immunity measurement of gamma interferon antigen "
                        "response without active tuberculosis",
                    ),
                ),
                *icd("Z22.7", "Latent tuberculosis", "TERM", "post-dates the ICD source"),
            ),
            filters=icd_categories("A", ("15", "17", "18", "19"), "tuberculosis A15-A19"),
        ),
        Group(
            "dx-ca",
            "Malignant neoplasm",
            "Malignancy (exc-cancer-5y, exc-malignancy): C00-C96, in situ D00-D09 and history Z85. The "
            "exception list of exc-malignancy is dx-ca-carveout.",
            (
                sct("363346000", "Malignant neoplastic disease (disorder)", "LC"),
                sct("118600007", "Malignant lymphoma (disorder)", "LC"),
                *icds(*BREAST_DCIS, *CERVIX_CIS),
            ),
            filters=icd_categories("C", MALIGNANT_C, "malignant neoplasm C00-C96")
            + icd_categories("D", IN_SITU_D, "in situ neoplasm D00-D09")
            + (icd_prefix("Z85", "personal history of malignant neoplasm"),),
        ),
        Group(
            "dx-ca-carveout",
            "Malignancies the F01 exclusion may excuse",
            "exc-malignancy (a): non-melanoma skin cancer (C44), cervical carcinoma in situ (D06), localized "
            "prostate cancer (C61), low-stage bladder cancer (C67), ductal carcinoma in situ (D05.1). Cured, "
            "localized or low stage is not coded: the engine shows these for review.",
            icds(*BREAST_DCIS, *CERVIX_CIS),
            filters=(
                icd_prefix("C44", "other malignant neoplasm of skin"),
                icd_prefix("D06", "carcinoma in situ of cervix uteri"),
                icd_prefix("C61", "malignant neoplasm of prostate"),
                icd_prefix("C67", "malignant neoplasm of bladder"),
                icd_prefix("D05.1", "intraductal carcinoma in situ of breast"),
            ),
        ),
        Group(
            "dx-pcnsl",
            "Primary CNS lymphoma",
            "Primary CNS lymphoma (exc-cns-lymphoma): no specific code; a lymphoma code counts only with a CNS word.",
            icds(
                ("C83.39", "Diffuse large B-cell lymphoma, extranodal and solid organ sites"),
                ("C85.89", "Other specified types of non-Hodgkin lymphoma, extranodal and solid organ sites"),
            ),
            keywords=("CNS", "central nervous system", "brain", "cerebral", "intracranial"),
            keyword_scope="dx-pcnsl",
        ),
        Group(
            "dx-hf",
            "Heart failure",
            "Heart failure (exc-cardiovascular).",
            (sct("84114007", "Heart failure (disorder)", "LC"), *icds(*HEART_FAILURE)),
            filters=(icd_prefix("I50", "heart failure"),),
        ),
        Group(
            "dx-mi",
            "Myocardial infarction",
            "Myocardial infarction (exc-cardiovascular, last 6 months).",
            (sct("22298006", "Myocardial infarction (disorder)", "LC"), *icds(*ACUTE_MI)),
            filters=(
                icd_prefix("I21", "acute myocardial infarction"),
                icd_prefix("I22", "subsequent myocardial infarction", "category not read in the ICD source"),
            ),
        ),
        Group(
            "dx-ua",
            "Unstable angina",
            "Unstable angina (exc-cardiovascular).",
            (
                sct(
                    "4557003",
                    "Preinfarction syndrome (disorder)",
                    "TERM",
                    "code and display not read in a source",
                ),
                *icd("I20.0", "Unstable angina"),
            ),
        ),
        Group(
            "dx-arr",
            "Ventricular arrhythmia",
            "Ventricular tachycardia / fibrillation (exc-cardiovascular).",
            (
                sct("71908006", "Ventricular fibrillation (disorder)", "LC"),
                sct("6624005", "Ventricular tachyarrhythmia (disorder)", "LC"),
                *icds(
                    ("I47.2", "Ventricular tachycardia"),
                    ("I49.01", "Ventricular fibrillation"),
                    ("I49.02", "Ventricular flutter"),
                ),
            ),
        ),
        Group(
            "dx-stroke",
            "Stroke",
            "History of stroke (exc-cardiovascular). Haemorrhagic stroke I60-I61 is included unverified.",
            (
                sct("230690007", "Cerebrovascular accident (disorder)", "LC"),
                *icd(
                    "Z86.73",
                    "Personal history of transient ischemic attack (TIA), and cerebral infarction without residual deficits",
                ),
            ),
            filters=(
                icd_prefix("I63", "cerebral infarction"),
                icd_prefix("I60", "nontraumatic subarachnoid hemorrhage", "not read in the ICD source"),
                icd_prefix("I61", "nontraumatic intracerebral hemorrhage", "not read in the ICD source"),
            ),
        ),
        Group(
            "dx-ra",
            "Rheumatoid arthritis",
            "Rheumatoid arthritis (exc-other-autoimmune).",
            (sct("69896004", "Rheumatoid arthritis (disorder)", "LC"),),
            filters=(
                icd_prefix("M05", "rheumatoid arthritis with rheumatoid factor"),
                icd_prefix("M06", "other rheumatoid arthritis"),
            ),
        ),
        Group(
            "dx-tak",
            "Takayasu arteritis",
            "Takayasu arteritis (exc-other-autoimmune).",
            (
                sct("359789008", "Takayasu's disease (disorder)", "LC"),
                *icd("M31.4", "Aortic arch syndrome [Takayasu]"),
            ),
        ),
        Group(
            "dx-beh",
            "Behcet's disease",
            "Behcet's disease (exc-other-autoimmune). No SNOMED CT code was verified.",
            icd("M35.2", "Behcet's disease"),
            keywords=("Behcet", "Behçet"),
        ),
        Group(
            "dx-hsp",
            "IgA vasculitis (Henoch-Schoenlein purpura)",
            "IgA vasculitis (exc-other-autoimmune).",
            (
                sct("191306005", "Henoch-Schönlein purpura (disorder)", "UKRDC"),
                *icd("D69.0", "Allergic purpura"),
            ),
        ),
        Group(
            "dx-cryo",
            "Cryoglobulinemic vasculitis",
            "Cryoglobulinemic vasculitis (exc-other-autoimmune).",
            (
                sct("239947001", "Essential mixed cryoglobulinemia (disorder)", "UKRDC"),
                sct("28807005", "Secondary cryoglobulinemia (disorder)", "UKRDC"),
                *icd("D89.1", "Cryoglobulinemia"),
            ),
        ),
        Group(
            "dx-gbm",
            "Anti-GBM disease",
            "Anti-GBM (Goodpasture) disease (exc-other-autoimmune). ICD-10-CM files it under M31.0.",
            (
                sct("236506009", "Goodpasture's disease (disorder)", "UKRDC"),
                sct("50581000", "Goodpasture's syndrome (disorder)", "UKRDC"),
                *icd("M31.0", "Hypersensitivity angiitis"),
            ),
        ),
        Group(
            "dx-ttp",
            "Thrombotic thrombocytopenic purpura",
            "TTP (sle-severe-organ).",
            (
                sct("78129009", "Thrombotic thrombocytopenic purpura (disorder)", "UKRDC"),
                *icd("M31.1", "Thrombotic microangiopathy"),
            ),
        ),
        Group(
            "dx-pleff",
            "Pleural effusion",
            "Pleural effusion (inc-spo2, inc-effusions).",
            (
                sct("60046008", "Pleural effusion (disorder)", "TERM", "code not read in a source"),
                *icds(
                    ("J90", "Pleural effusion, not elsewhere classified"),
                    ("J91.0", "Malignant pleural effusion"),
                    ("J91.8", "Pleural effusion in other conditions classified elsewhere"),
                ),
            ),
        ),
        Group(
            "dx-pceff",
            "Pericardial effusion",
            "Pericardial effusion (inc-effusions). I31.3 was later split (I31.31, I31.39, unverified): matched by prefix.",
            (
                sct("373945007", "Pericardial effusion (disorder)", "TERM", "code not read in a source"),
                *icd("I31.3", "Pericardial effusion (noninflammatory)"),
            ),
            filters=(
                icd_prefix(
                    "I31.3",
                    "pericardial effusion and its later subcodes",
                    "subcodes post-date the ICD source",
                ),
            ),
        ),
        Group(
            "dx-preg",
            "Pregnancy",
            "Current pregnancy (inc-pregnancy, exc-pregnancy): pregnancy states and the whole O chapter by prefix.",
            (
                sct("77386006", "Patient currently pregnant (finding)", "LC"),
                *icds(
                    ("Z33.1", "Pregnant state, incidental"), ("Z33.3", "Pregnant state, gestational carrier")
                ),
            ),
            filters=icd_categories("O", PREGNANCY_O_READ, "pregnancy, childbirth and the puerperium")
            + tuple(
                icd_prefix(
                    f"O{n}",
                    "pregnancy, childbirth and the puerperium",
                    "category not re-read in the ICD source",
                )
                for n in PREGNANCY_O_NOT_READ
            ),
        ),
        Group(
            "dx-menopause",
            "Menopause",
            "Postmenopausal state for childbearing potential (inc-pregnancy: menopause >= 2 years before as-of).",
            (
                sct("76498008", "Postmenopausal state (finding)", "TERM", "no source key in TERMINOLOGY.md"),
                *icd("Z78.0", "Asymptomatic menopausal state"),
            ),
        ),
        Group(
            "dx-ssti",
            "Skin and soft-tissue infection",
            "Reason codes that make a systemic antibiotic count against exc-antibiotics-du: cellulitis or "
            "lymphangitis of a finger, the upper limb or unspecified site. No SNOMED CT code was verified; the "
            "words match reasonCode text.",
            icds(
                ("L03.011", "Cellulitis of right finger"),
                ("L03.012", "Cellulitis of left finger"),
                ("L03.019", "Cellulitis of unspecified finger"),
                ("L03.021", "Acute lymphangitis of right finger"),
                ("L03.022", "Acute lymphangitis of left finger"),
                ("L03.029", "Acute lymphangitis of unspecified finger"),
                ("L03.113", "Cellulitis of right upper limb"),
                ("L03.114", "Cellulitis of left upper limb"),
                ("L03.123", "Acute lymphangitis of right upper limb"),
                ("L03.124", "Acute lymphangitis of left upper limb"),
                ("L03.90", "Cellulitis, unspecified"),
                ("L03.91", "Acute lymphangitis, unspecified"),
            ),
            keywords=(
                "cellulitis",
                "lymphangitis",
                "paronychia",
                "skin infection",
                "soft tissue infection",
                "infected ulcer",
            ),
        ),
    ]


OSTEOMYELITIS_HAND_AND_UNSPECIFIED: tuple[tuple[str, str], ...] = (
    ("M86.00", "Acute hematogenous osteomyelitis, unspecified site"),
    ("M86.041", "Acute hematogenous osteomyelitis, right hand"),
    ("M86.042", "Acute hematogenous osteomyelitis, left hand"),
    ("M86.049", "Acute hematogenous osteomyelitis, unspecified hand"),
    ("M86.10", "Other acute osteomyelitis, unspecified site"),
    ("M86.141", "Other acute osteomyelitis, right hand"),
    ("M86.142", "Other acute osteomyelitis, left hand"),
    ("M86.149", "Other acute osteomyelitis, unspecified hand"),
    ("M86.20", "Subacute osteomyelitis, unspecified site"),
    ("M86.241", "Subacute osteomyelitis, right hand"),
    ("M86.242", "Subacute osteomyelitis, left hand"),
    ("M86.249", "Subacute osteomyelitis, unspecified hand"),
    ("M86.30", "Chronic multifocal osteomyelitis, unspecified site"),
    ("M86.341", "Chronic multifocal osteomyelitis, right hand"),
    ("M86.342", "Chronic multifocal osteomyelitis, left hand"),
    ("M86.349", "Chronic multifocal osteomyelitis, unspecified hand"),
    ("M86.40", "Chronic osteomyelitis with draining sinus, unspecified site"),
    ("M86.441", "Chronic osteomyelitis with draining sinus, right hand"),
    ("M86.442", "Chronic osteomyelitis with draining sinus, left hand"),
    ("M86.449", "Chronic osteomyelitis with draining sinus, unspecified hand"),
    ("M86.50", "Other chronic hematogenous osteomyelitis, unspecified site"),
    ("M86.541", "Other chronic hematogenous osteomyelitis, right hand"),
    ("M86.542", "Other chronic hematogenous osteomyelitis, left hand"),
    ("M86.549", "Other chronic hematogenous osteomyelitis, unspecified hand"),
    ("M86.60", "Other chronic osteomyelitis, unspecified site"),
    ("M86.641", "Other chronic osteomyelitis, right hand"),
    ("M86.642", "Other chronic osteomyelitis, left hand"),
    ("M86.649", "Other chronic osteomyelitis, unspecified hand"),
    ("M86.8X4", "Other osteomyelitis, hand"),
    ("M86.8X9", "Other osteomyelitis, unspecified sites"),
    ("M86.9", "Osteomyelitis, unspecified"),
)

DERMATOPOLYMYOSITIS_OTHER: tuple[tuple[str, str], ...] = (
    ("M33.10", "Other dermatopolymyositis, organ involvement unspecified"),
    ("M33.11", "Other dermatopolymyositis with respiratory involvement"),
    ("M33.12", "Other dermatopolymyositis with myopathy"),
    ("M33.19", "Other dermatopolymyositis with other organ involvement"),
)
DERMATOPOLYMYOSITIS_UNSPECIFIED: tuple[tuple[str, str], ...] = (
    ("M33.90", "Dermatopolymyositis, unspecified, organ involvement unspecified"),
    ("M33.91", "Dermatopolymyositis, unspecified with respiratory involvement"),
    ("M33.92", "Dermatopolymyositis, unspecified with myopathy"),
    ("M33.99", "Dermatopolymyositis, unspecified with other organ involvement"),
)
BREAST_DCIS: tuple[tuple[str, str], ...] = (
    ("D05.10", "Intraductal carcinoma in situ of unspecified breast"),
    ("D05.11", "Intraductal carcinoma in situ of right breast"),
    ("D05.12", "Intraductal carcinoma in situ of left breast"),
)
CERVIX_CIS: tuple[tuple[str, str], ...] = (
    ("D06.0", "Carcinoma in situ of endocervix"),
    ("D06.1", "Carcinoma in situ of exocervix"),
    ("D06.7", "Carcinoma in situ of other parts of cervix"),
    ("D06.9", "Carcinoma in situ of cervix, unspecified"),
)
HEART_FAILURE: tuple[tuple[str, str], ...] = (
    ("I50.1", "Left ventricular failure"),
    ("I50.20", "Unspecified systolic (congestive) heart failure"),
    ("I50.21", "Acute systolic (congestive) heart failure"),
    ("I50.22", "Chronic systolic (congestive) heart failure"),
    ("I50.23", "Acute on chronic systolic (congestive) heart failure"),
    ("I50.30", "Unspecified diastolic (congestive) heart failure"),
    ("I50.31", "Acute diastolic (congestive) heart failure"),
    ("I50.32", "Chronic diastolic (congestive) heart failure"),
    ("I50.33", "Acute on chronic diastolic (congestive) heart failure"),
    ("I50.40", "Unspecified combined systolic (congestive) and diastolic (congestive) heart failure"),
    ("I50.41", "Acute combined systolic (congestive) and diastolic (congestive) heart failure"),
    ("I50.42", "Chronic combined systolic (congestive) and diastolic (congestive) heart failure"),
    ("I50.43", "Acute on chronic combined systolic (congestive) and diastolic (congestive) heart failure"),
    ("I50.9", "Heart failure, unspecified"),
)
ACUTE_MI: tuple[tuple[str, str], ...] = (
    ("I21.01", "ST elevation (STEMI) myocardial infarction involving left main coronary artery"),
    (
        "I21.02",
        "ST elevation (STEMI) myocardial infarction involving left anterior descending coronary artery",
    ),
    ("I21.09", "ST elevation (STEMI) myocardial infarction involving other coronary artery of anterior wall"),
    ("I21.11", "ST elevation (STEMI) myocardial infarction involving right coronary artery"),
    ("I21.19", "ST elevation (STEMI) myocardial infarction involving other coronary artery of inferior wall"),
    ("I21.21", "ST elevation (STEMI) myocardial infarction involving left circumflex coronary artery"),
    ("I21.29", "ST elevation (STEMI) myocardial infarction involving other sites"),
    ("I21.3", "ST elevation (STEMI) myocardial infarction of unspecified site"),
    ("I21.4", "Non-ST elevation (NSTEMI) myocardial infarction"),
)


def procedure_groups() -> list[Group]:
    return [
        Group(
            "pr-hsct",
            "Hematopoietic stem cell transplant",
            "HSCT, procedure or status (exc-prior-cell-therapy, exc-hsct-12m). Autologous vs allogeneic SNOMED "
            "subtypes are unverified: see pr-hsct-autologous.",
            (
                sct("234336002", "Hemopoietic stem cell transplant (procedure)", "LC"),
                sct("153351000119102", "History of peripheral stem cell transplant (situation)", "LC"),
                sct("2631000119108", "History of bone marrow transplant (situation)", "LC"),
                *icds(
                    ("Z94.84", "Stem cells transplant status"), ("Z94.81", "Bone marrow transplant status")
                ),
            ),
            keywords=("stem cell transplant", "bone marrow transplant", "HSCT"),
        ),
        Group(
            "pr-hsct-autologous",
            "Autologous hematopoietic stem cell transplant (text)",
            "Autologous HSCT (exc-hsct-12m): these words on a record matched by pr-hsct.",
            keywords=("autologous", "auto-HSCT", "ASCT"),
            keyword_scope="pr-hsct",
        ),
        Group(
            "pr-cart",
            "CAR-T or other cell therapy",
            "CAR-T / CAR-NK / other cell therapy (exc-prior-cell-therapy). Procedure codes are unverified; "
            "ATC L01XL (antineoplastic cell and gene therapy) matches by prefix.",
            (
                *icd(
                    "Z92.850",
                    "Personal history of Chimeric Antigen Receptor T-cell therapy",
                    "TERM",
                    "FY2023+, post-dates the ICD source",
                ),
                atc("L01XL03", "axicabtagene ciloleucel"),
                atc("L01XL12", "obecabtagene autoleucel"),
            ),
            filters=(atc_prefix("L01XL", "antineoplastic cell and gene therapy"),),
            keywords=("CAR-T", "CAR T", "CAR-NK", "chimeric antigen receptor", "cell therapy"),
        ),
        Group(
            "pr-ktx",
            "Kidney transplant",
            "Kidney transplant, ever (exc-kidney-transplant). Procedure codes are unverified.",
            icd("Z94.0", "Kidney transplant status"),
            keywords=("kidney transplant", "renal transplant"),
        ),
        Group(
            "pr-dial",
            "Dialysis",
            "Dialysis in the last 3 months (exc-dialysis-plasmapheresis-3m). Procedure codes are unverified.",
            (
                sct("105502003", "Dependence on renal dialysis (finding)", "LC"),
                *icd("Z99.2", "Dependence on renal dialysis"),
            ),
            keywords=("dialysis", "hemodialysis", "haemodialysis"),
        ),
        Group(
            "pr-plex",
            "Plasmapheresis",
            "Plasmapheresis in the last 3 months (exc-dialysis-plasmapheresis-3m). No code verified: text only.",
            keywords=("plasmapheresis", "plasma exchange"),
        ),
        Group(
            "pr-o2",
            "Oxygen therapy",
            "Oxygen therapy in the last month (exc-severe-pulmonary).",
            (
                sct("931000119107", "Dependence on supplemental oxygen (finding)", "LC"),
                *icd("Z99.81", "Dependence on supplemental oxygen"),
            ),
            keywords=("oxygen therapy", "supplemental oxygen", "home oxygen"),
        ),
        Group(
            "pr-vent",
            "Mechanical or non-invasive ventilation",
            "Ventilation in the last month (exc-severe-pulmonary).",
            (
                sct("444932008", "Dependence on ventilator (finding)", "LC"),
                *icd("Z99.11", "Dependence on respirator [ventilator] status"),
            ),
            keywords=(
                "mechanical ventilation",
                "non-invasive ventilation",
                "noninvasive ventilation",
                "CPAP",
                "BiPAP",
            ),
        ),
        Group(
            "pr-ster",
            "Surgical sterility",
            "Hysterectomy, bilateral oophorectomy or tubal ligation (inc-pregnancy: not of childbearing potential).",
            (
                sct("236886002", "Hysterectomy (procedure)", "TERM", "no source key in TERMINOLOGY.md"),
                *icds(
                    ("Z90.710", "Acquired absence of both cervix and uterus"),
                    ("Z90.711", "Acquired absence of uterus with remaining cervical stump"),
                    ("Z90.722", "Acquired absence of ovaries, bilateral"),
                    ("Z98.51", "Tubal ligation status"),
                ),
            ),
            keywords=(
                "hysterectomy",
                "bilateral oophorectomy",
                "tubal ligation",
                "sterilisation",
                "sterilization",
            ),
        ),
        Group(
            "pr-symp",
            "Sympathectomy",
            "Upper-limb sympathectomy in the last month (exc-sympathectomy-debridement-1m). No code verified.",
            keywords=("sympathectomy",),
        ),
        Group(
            "pr-debr",
            "Ulcer debridement",
            "Ulcer debridement in the last month (exc-sympathectomy-debridement-1m). No code verified.",
            keywords=("debridement", "debrided"),
        ),
        Group(
            "pr-botox",
            "Botulinum toxin injection",
            "Botulinum toxin injection in the last 4 weeks (exc-botulinum-4w). No procedure code verified; "
            "the medication is med-botox.",
            keywords=("botulinum", "botox"),
        ),
        Group(
            "rs-prophylaxis",
            "Prophylaxis reason",
            "Reason text that makes an anti-infective prophylactic (exc-active-infection passes it). No "
            "prophylaxis reason code was verified.",
            keywords=("prophylaxis", "prophylactic", "prevention", "preventive"),
        ),
    ]


def lab(group_id: str, title: str, purpose: str, *concepts: Concept) -> Group:
    return Group(group_id, title, purpose, tuple(concepts))


def lab_groups() -> list[Group]:
    return [
        lab("lab-hb", "Hemoglobin", "inc-hb.", lnc("718-7", "Hemoglobin [Mass/volume] in Blood", "LX")),
        lab(
            "lab-anc",
            "Neutrophils, absolute",
            "inc-anc.",
            lnc("751-8", "Neutrophils [#/volume] in Blood by Automated count", "LX"),
            lnc("26499-4", "Neutrophils [#/volume] in Blood", "LX"),
            lnc("753-4", "Neutrophils [#/volume] in Blood by Manual count", "TERM", "not read in a source"),
        ),
        lab(
            "lab-plt",
            "Platelets",
            "inc-plt; SLEDAI thrombocytopenia.",
            lnc("777-3", "Platelets [#/volume] in Blood by Automated count", "LX"),
            lnc("26515-7", "Platelets [#/volume] in Blood", "LX"),
        ),
        lab(
            "lab-wbc",
            "Leukocytes",
            "SLEDAI leukopenia.",
            lnc("6690-2", "Leukocytes [#/volume] in Blood by Automated count", "LX"),
        ),
        lab(
            "lab-creat",
            "Creatinine, serum",
            "inc-creatinine, Cockcroft-Gault input.",
            lnc("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "FS"),
            lnc("14682-9", "Creatinine [Moles/volume] in Serum or Plasma", "LX"),
            lnc("59826-8", "Creatinine [Moles/volume] in Blood", "LX"),
        ),
        lab(
            "lab-crcl",
            "Creatinine clearance",
            "inc-crcl. eGFR (33914-3, CKD-EPI) is not creatinine clearance and is left out.",
            lnc("35591-7", "Creatinine renal clearance predicted by Cockcroft-Gault formula", "LX"),
            lnc("2164-2", "Creatinine renal clearance in 24 hour", "LX"),
            lnc("12195-4", "Creatinine renal clearance/1.73 sq M in 24 hour", "LX"),
        ),
        lab(
            "lab-alt",
            "Alanine aminotransferase",
            "inc-liver, iim-core-set.",
            lnc("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "LX"),
        ),
        lab(
            "lab-ast",
            "Aspartate aminotransferase",
            "inc-liver, iim-core-set.",
            lnc("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "LX"),
        ),
        lab(
            "lab-tbil",
            "Bilirubin, total",
            "inc-liver.",
            lnc("1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma", "FS"),
            lnc("14631-6", "Bilirubin.total [Moles/volume] in Serum or Plasma", "LX"),
        ),
        lab(
            "lab-spo2",
            "Oxygen saturation",
            "inc-spo2. Room air comes from a component or note; inhaled-oxygen codes are unverified.",
            lnc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "LX"),
            lnc("2708-6", "Oxygen saturation in Arterial blood", "LX"),
            lnc("59417-6", "Oxygen saturation in Arterial blood by Pulse oximetry --resting", "LX"),
        ),
        lab(
            "lab-lvef",
            "Left ventricular ejection fraction",
            "inc-lvef.",
            lnc("10230-1", "Left ventricular Ejection fraction", "LNC"),
            lnc("18043-0", "Left ventricular Ejection fraction by US", "HA"),
            lnc(
                "77891-0", "Left ventricular Ejection fraction by US.2D+Calculated by Teichholz method", "HA"
            ),
            lnc(
                "8806-2",
                "Left ventricular Ejection fraction by 2D echo",
                "TERM",
                "code and display not read in a source",
            ),
        ),
        lab(
            "lab-hcg",
            "Pregnancy test (hCG)",
            "inc-pregnancy, exc-pregnancy: serum or urine hCG.",
            lnc("2118-8", "Choriogonadotropin (pregnancy test) [Presence] in Serum or Plasma", "LX"),
            lnc("2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine", "LX"),
            lnc("19080-1", "Choriogonadotropin [Units/volume] in Serum or Plasma", "LX"),
            lnc("21198-7", "Choriogonadotropin.beta subunit [Units/volume] in Serum or Plasma", "LX"),
            lnc(
                "2110-5",
                "Choriogonadotropin.beta subunit (pregnancy test) [Presence] in Serum or Plasma",
                "LX",
            ),
        ),
        lab(
            "lab-ana",
            "Antinuclear antibody",
            "sle-serology.",
            lnc("8061-4", "Nuclear Ab [Presence] in Serum", "LX"),
            lnc("5048-4", "Nuclear Ab [Titer] in Serum by Immunofluorescence", "LX"),
        ),
        lab(
            "lab-dsdna",
            "Anti-dsDNA antibody",
            "sle-serology; SLEDAI increased DNA binding.",
            lnc("5130-0", "DNA double strand Ab [Units/volume] in Serum", "LX"),
            lnc("11013-0", "DNA double strand Ab [Titer] in Serum", "LX"),
        ),
        lab(
            "lab-pr3",
            "PR3-ANCA",
            "aav-anca. IIF c-ANCA (14277-8) is not antigen-specific and is left out.",
            lnc("6968-2", "Proteinase 3 Ab [Units/volume] in Serum", "LX"),
            lnc("46267-1", "Proteinase 3 Ab [Units/volume] in Serum by Immunoassay", "LX"),
        ),
        lab(
            "lab-mpo",
            "MPO-ANCA",
            "aav-anca. IIF p-ANCA (14278-6) is not antigen-specific and is left out.",
            lnc("6969-0", "Myeloperoxidase Ab [Units/volume] in Serum", "LX"),
            lnc("46266-3", "Myeloperoxidase Ab [Units/volume] in Serum by Immunoassay", "LX"),
        ),
        lab(
            "lab-ck",
            "Creatine kinase",
            "iim-core-set.",
            lnc("2157-6", "Creatine kinase [Enzymatic activity/volume] in Serum or Plasma", "LX"),
        ),
        lab(
            "lab-ald",
            "Aldolase",
            "iim-core-set (not 1763-2).",
            lnc("1761-6", "Aldolase [Enzymatic activity/volume] in Serum or Plasma", "LX"),
        ),
        lab(
            "lab-ldh",
            "Lactate dehydrogenase",
            "iim-core-set.",
            lnc("2532-0", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma", "LX"),
        ),
        lab(
            "lab-c3",
            "Complement C3",
            "SLEDAI low complement.",
            lnc("4485-9", "Complement C3 [Mass/volume] in Serum or Plasma", "LX"),
        ),
        lab(
            "lab-c4",
            "Complement C4",
            "SLEDAI low complement.",
            lnc("4498-2", "Complement C4 [Mass/volume] in Serum or Plasma", "LX"),
        ),
        lab(
            "lab-uprot-24h",
            "Protein, 24 hour urine",
            "SLEDAI proteinuria.",
            lnc("2889-4", "Protein [Mass/time] in 24 hour Urine", "LX"),
        ),
        lab(
            "lab-upcr",
            "Urine protein/creatinine ratio",
            "SLEDAI proteinuria (proxy).",
            lnc("2890-2", "Protein/Creatinine [Mass ratio] in Urine", "LX"),
        ),
        lab(
            "lab-urine-rbc",
            "Urine erythrocytes",
            "SLEDAI haematuria.",
            lnc("13945-1", "Erythrocytes [#/area] in Urine sediment by Microscopy high power field", "LX"),
        ),
        lab(
            "lab-urine-wbc",
            "Urine leukocytes",
            "SLEDAI pyuria.",
            lnc("5821-4", "Leukocytes [#/area] in Urine sediment by Microscopy high power field", "LX"),
        ),
        lab(
            "lab-urine-casts",
            "Urinary casts",
            "SLEDAI urinary casts.",
            lnc("9439-1", "Casts [#/area] in Urine sediment by Microscopy high power field", "LX"),
            lnc("9842-6", "Casts [#/area] in Urine sediment by Microscopy low power field", "LX"),
        ),
        lab("lab-temp", "Body temperature", "SLEDAI fever.", lnc("8310-5", "Body temperature", "LX")),
        lab(
            "lab-fvc",
            "Forced vital capacity, measured",
            "Measured FVC volume (dcssc-active declines). Predicted and % predicted are lab-fvc-predicted and "
            "lab-fvc-pct-predicted.",
            lnc("19868-9", "Forced vital capacity [Volume] Respiratory system by Spirometry", "FS"),
            lnc("19870-5", "Forced vital capacity [Volume] Respiratory system", "FS"),
            lnc(
                "19876-2",
                "Forced vital capacity [Volume] Respiratory system by Spirometry --pre bronchodilation",
                "FS",
            ),
            sct("50834005", "Forced vital capacity", "MII"),
        ),
        lab(
            "lab-fvc-predicted",
            "Forced vital capacity, predicted",
            "GLI-2012 fallback input.",
            lnc("19869-7", "Forced vital capacity [Volume] Respiratory system Predicted", "MII"),
        ),
        lab(
            "lab-fvc-pct-predicted",
            "Forced vital capacity, % predicted",
            "dcssc-ild-function (45-70 %). 19872-1's exact long name was not seen; the display is MII's.",
            lnc("19872-1", "FVC measured/predicted", "MII"),
            sct("445210000", "Percentage of predicted forced vital capacity", "MII"),
        ),
        lab(
            "lab-dlco",
            "DLCO, measured",
            "Measured DLCO (dcssc-active declines), with or without haemoglobin adjustment.",
            lnc("19911-7", "Diffusion capacity.carbon monoxide", "LNC"),
            lnc("19913-3", "Diffusion capacity.carbon monoxide adjusted for hemoglobin", "MII"),
        ),
        lab(
            "lab-dlco-predicted",
            "DLCO, predicted",
            "GLI 2017 fallback input.",
            lnc("19910-9", "Diffusion capacity.carbon monoxide Predicted", "MII"),
        ),
        lab(
            "lab-dlco-pct-predicted",
            "DLCO, % predicted",
            "dcssc-ild-function (40-70 %). The display is MII's.",
            lnc("98130-8", "Diffusion capacity.carbon monoxide/Predicted", "MII"),
        ),
        lab(
            "lab-pap",
            "Pulmonary artery pressure",
            "exc-severe-pulmonary. No LOINC for echo mean PAP was found; 59101-6 is an acceleration-time "
            "estimate and catheter mPAP codes are unverified.",
            lnc("59101-6", "Pulmonary artery Pressure by derived by US", "HA"),
        ),
        lab("lab-wt", "Body weight", "Cockcroft-Gault input.", lnc("29463-7", "Body weight", "LX")),
        lab("lab-ht", "Body height", "GLI input.", lnc("8302-2", "Body height", "VS")),
        lab(
            "lab-igra",
            "Interferon-gamma release assay",
            "exc-tuberculosis (positive IGRA in 6 months).",
            lnc(
                "71773-6",
                "Mycobacterium tuberculosis stimulated gamma interferon [Interpretation] in Blood Qualitative",
                "HA",
            ),
        ),
        lab(
            "lab-inf",
            "Infection serology (all)",
            "exc-hbv-hcv-hiv-syphilis: every test below in one set.",
            *INFECTION_TESTS,
        ),
        lab("lab-hbsag", "Hepatitis B surface antigen", "exc-hbv-hcv-hiv-syphilis.", INFECTION_TESTS[0]),
        lab("lab-hbv-dna", "Hepatitis B DNA", "exc-hbv-hcv-hiv-syphilis.", INFECTION_TESTS[1]),
        lab(
            "lab-hcv-ab",
            "Hepatitis C antibody",
            "Screening only: a positive antibody is not active HCV.",
            INFECTION_TESTS[2],
        ),
        lab(
            "lab-hcv-rna",
            "Hepatitis C RNA",
            "exc-hbv-hcv-hiv-syphilis.",
            INFECTION_TESTS[3],
            INFECTION_TESTS[4],
        ),
        lab("lab-hiv", "HIV antibody", "exc-hbv-hcv-hiv-syphilis.", INFECTION_TESTS[5], INFECTION_TESTS[6]),
        lab("lab-syph-treponemal", "Treponemal antibody", "exc-hbv-hcv-hiv-syphilis.", INFECTION_TESTS[7]),
        lab("lab-syph-rpr", "Reagin (RPR)", "Non-treponemal screen, shown for review.", INFECTION_TESTS[8]),
        Group(
            "obs-smoking-status",
            "Smoking status observation",
            "exc-smoking-3m: the Observation code. Answers are ans-smoking-current, -former, -never.",
            (lnc("72166-2", "Tobacco smoking status", "TERM", "not read in a source"),),
        ),
        Group(
            "ans-smoking-current",
            "Current smoker answers",
            "exc-smoking-3m: current smoker.",
            (
                sct("449868002", "Current every day smoker", "USCORE"),
                sct("428041000124106", "Current some day smoker", "USCORE"),
                sct("77176002", "Smoker, current status unknown", "USCORE"),
                sct("428071000124103", "Current Heavy tobacco smoker", "USCORE"),
                sct("428061000124105", "Current Light tobacco smoker", "USCORE"),
                lnc("LA18976-3", "Current every day smoker", "IPS"),
                lnc("LA18977-1", "Current some day smoker", "IPS"),
                lnc("LA18979-7", "Smoker, current status unknown", "IPS"),
                lnc("LA18981-3", "Heavy tobacco smoker", "IPS"),
                lnc("LA18982-1", "Light tobacco smoker", "IPS"),
            ),
        ),
        Group(
            "ans-smoking-former",
            "Former smoker answers",
            "exc-smoking-3m: former smoker (the quit date decides).",
            (sct("8517006", "Former smoker", "USCORE"), lnc("LA15920-4", "Former smoker", "IPS")),
        ),
        Group(
            "ans-smoking-never",
            "Never smoker answers",
            "exc-smoking-3m: never smoker.",
            (sct("266919005", "Never smoker", "USCORE"), lnc("LA18978-9", "Never smoker", "IPS")),
        ),
    ]


INFECTION_TESTS: tuple[Concept, ...] = (
    lnc("5196-1", "Hepatitis B virus surface Ag [Presence] in Serum or Plasma by Immunoassay", "LX"),
    lnc("29615-2", "Hepatitis B virus DNA [#/volume] (viral load)", "LX"),
    lnc("16128-1", "Hepatitis C virus Ab [Presence] in Serum", "LX"),
    lnc("11259-9", "Hepatitis C virus RNA [Presence] in Serum or Plasma", "LX"),
    lnc("11011-4", "Hepatitis C virus RNA [Units/volume] (viral load)", "LX"),
    lnc("7918-6", "HIV 1+2 Ab [Presence] in Serum", "LX"),
    lnc("31201-7", "HIV 1+2 Ab [Presence] in Serum by Immunoassay", "LX"),
    lnc("22587-0", "Treponema pallidum Ab [Presence] in Serum", "LX"),
    lnc("20507-0", "Reagin Ab [Presence] in Serum by RPR", "LX"),
)


def score(group_id: str, title: str, purpose: str, *concepts: Concept) -> Group:
    return Group(group_id, title, purpose, tuple(concepts))


NYHA_CLASSES: tuple[Concept, ...] = (
    sct("420300004", "New York Heart Association Classification - Class I", "CCX"),
    sct("421704003", "New York Heart Association Classification - Class II", "CCX"),
    sct("420913000", "New York Heart Association Classification - Class III", "CCX"),
    sct("422293003", "New York Heart Association Classification - Class IV", "CCX"),
)


def score_groups() -> list[Group]:
    return [
        score(
            "sc-sledai",
            "SLEDAI-2K",
            "sle-sledai (>= 8). 64392-4 is the SLICC damage index, not SLEDAI.",
            local("sledai-2k"),
        ),
        score("sc-mrss", "Modified Rodnan skin score", "dcssc-active (mRSS rise >= 10 %).", local("mrss")),
        score(
            "sc-bvas",
            "BVAS v3 (total and item counts)",
            "aav-bvas: total with optional major/minor item-count components.",
            local("bvas-v3"),
            local("bvas-v3-major"),
            local("bvas-v3-minor"),
        ),
        score(
            "sc-bvas-major", "BVAS v3 major item count", "aav-bvas (>= 1 major item).", local("bvas-v3-major")
        ),
        score(
            "sc-bvas-minor",
            "BVAS v3 other item count",
            "aav-bvas (>= 3 other items).",
            local("bvas-v3-minor"),
        ),
        score("sc-mmt8", "MMT-8", "iim-mmt8 (<= 141 of 150).", local("mmt-8")),
        score(
            "sc-vas",
            "IMACS global activity VAS (all three)",
            "iim-core-set. The RA CDAI items 75846-6 and 75894-6 are not the IMACS 10 cm VAS and are left out.",
            local("imacs-patient-global"),
            local("imacs-physician-global"),
            local("imacs-extramuscular"),
        ),
        score(
            "sc-vas-patient",
            "IMACS patient global activity VAS",
            "iim-core-set (>= 2 cm).",
            local("imacs-patient-global"),
        ),
        score(
            "sc-vas-physician",
            "IMACS physician global activity VAS",
            "iim-core-set (>= 2 cm).",
            local("imacs-physician-global"),
        ),
        score(
            "sc-vas-extramuscular",
            "IMACS extramuscular global activity VAS",
            "iim-core-set (>= 2 cm).",
            local("imacs-extramuscular"),
        ),
        score(
            "sc-haq",
            "HAQ-DI",
            "iim-core-set (HAQ >= 0.25). The HAQ panel 71950-0 is not a score and is left out; confirm the "
            "long name on loinc.org.",
            lnc("75874-8", "Total score [HAQ-DI]", "HA"),
        ),
        score(
            "sc-nyha",
            "NYHA functional class (observation code)",
            "exc-cardiovascular: the Observation code. Class answers are sc-nyha-class.",
            lnc("88020-3", "Functional capacity NYHA", "CREDS"),
            sct("420816009", "New York Heart Association Classification (assessment scale)", "CREDS"),
        ),
        score(
            "sc-nyha-class",
            "NYHA class I-IV answers",
            "exc-cardiovascular. The LA28408-5 answer list is the objective A-D assessment, not I-IV. "
            "CCX gave the codes; the displays are written here, not read.",
            *NYHA_CLASSES,
        ),
        score(
            "sc-nyha-class-iii-iv",
            "NYHA class III or IV",
            "exc-cardiovascular (NYHA III or IV -> fail).",
            *NYHA_CLASSES[2:],
        ),
        score(
            "sc-ssc-2013",
            "2013 ACR/EULAR SSc classification score",
            "inc-ssc (a recorded score < 9 fails).",
            local("ssc-acr-eular-2013"),
        ),
        score(
            "sc-iim-probability",
            "2017 EULAR/ACR IIM classification probability",
            "iim-dx (probability >= 55 %).",
            local("iim-eular-acr-2017-probability"),
        ),
    ]


UNVERIFIED_CUI = "RxNorm CUI marked u in TERMINOLOGY.md"
INFORMAL_CUI = "RxNorm CUI seen only in informal code files, some with wrong CUIs"


def med(
    group_id: str,
    title: str,
    purpose: str,
    concepts: tuple[Concept, ...],
    filters: tuple[PrefixFilter, ...],
    names: tuple[str, ...],
) -> Group:
    return Group(group_id, title, purpose, concepts, filters, ingredient_names=names)


def cardiovascular_medication_groups() -> list[Group]:
    return [
        med(
            "med-statin",
            "Statins",
            "exc-vasoactive-unstable.",
            (
                rx("83367", "atorvastatin", "CPIC"),
                rx("36567", "simvastatin", "CPIC"),
                rx("42463", "pravastatin", "CPIC"),
                rx("301542", "rosuvastatin", "CPIC"),
                rx("596723", "cerivastatin", "CPIC"),
                rx("6472", "lovastatin", "TERM", UNVERIFIED_CUI),
                rx("41127", "fluvastatin", "TERM", UNVERIFIED_CUI),
                rx("861634", "pitavastatin", "TERM", UNVERIFIED_CUI),
                atc("C10AA01", "simvastatin"),
                atc("C10AA02", "lovastatin"),
                atc("C10AA03", "pravastatin"),
                atc("C10AA04", "fluvastatin"),
                atc("C10AA05", "atorvastatin"),
                atc("C10AA06", "cerivastatin"),
                atc("C10AA07", "rosuvastatin"),
                atc("C10AA08", "pitavastatin"),
            ),
            (
                atc_prefix("C10AA", "HMG CoA reductase inhibitors"),
                atc_prefix("C10B", "lipid modifying combinations"),
            ),
            (
                "atorvastatin",
                "simvastatin",
                "pravastatin",
                "rosuvastatin",
                "cerivastatin",
                "lovastatin",
                "fluvastatin",
                "pitavastatin",
                "lipitor",
                "zocor",
                "crestor",
                "pravachol",
            ),
        ),
        med(
            "med-ccb",
            "Calcium channel blockers",
            "exc-vasoactive-unstable; standard digital ulcer treatment (inc-du-standard-treatment).",
            (
                rx("17767", "amlodipine", "TERM", INFORMAL_CUI),
                rx("7417", "nifedipine", "TERM", INFORMAL_CUI),
                rx("3443", "diltiazem", "TERM", INFORMAL_CUI),
                rx("11170", "verapamil", "TERM", INFORMAL_CUI),
                rx("4316", "felodipine", "TERM", UNVERIFIED_CUI),
                rx("7396", "nicardipine", "TERM", UNVERIFIED_CUI),
                atc("C08CA01", "amlodipine"),
                atc("C08CA02", "felodipine"),
                atc("C08CA03", "isradipine"),
                atc("C08CA04", "nicardipine"),
                atc("C08CA05", "nifedipine"),
                atc("C08DA01", "verapamil"),
                atc("C08DB01", "diltiazem"),
            ),
            (atc_prefix("C08", "calcium channel blockers"),),
            (
                "amlodipine",
                "nifedipine",
                "diltiazem",
                "verapamil",
                "felodipine",
                "nicardipine",
                "isradipine",
                "norvasc",
                "adalat",
                "procardia",
                "cardizem",
                "tildiem",
                "isoptin",
            ),
        ),
        med(
            "med-acei",
            "ACE inhibitors",
            "exc-vasoactive-unstable.",
            (
                rx("1998", "captopril", "CPIC"),
                rx("18867", "benazepril", "PED"),
                rx("35208", "quinapril", "PED"),
                rx("38454", "trandolapril", "PED"),
                rx("30131", "moexipril", "PED"),
                rx("29046", "lisinopril", "TERM", INFORMAL_CUI),
                rx("3827", "enalapril", "TERM", UNVERIFIED_CUI),
                rx("35296", "ramipril", "TERM", UNVERIFIED_CUI),
                rx("54552", "perindopril", "TERM", UNVERIFIED_CUI),
                atc("C09AA01", "captopril"),
                atc("C09AA02", "enalapril"),
                atc("C09AA03", "lisinopril"),
                atc("C09AA04", "perindopril"),
                atc("C09AA05", "ramipril"),
            ),
            (
                atc_prefix("C09AA", "ACE inhibitors, plain"),
                atc_prefix("C09B", "ACE inhibitors, combinations"),
            ),
            (
                "captopril",
                "enalapril",
                "lisinopril",
                "perindopril",
                "ramipril",
                "benazepril",
                "quinapril",
                "trandolapril",
                "moexipril",
            ),
        ),
        med(
            "med-arb",
            "Angiotensin II receptor blockers",
            "exc-vasoactive-unstable.",
            (
                rx("214354", "candesartan", "PED"),
                rx("83818", "irbesartan", "PED"),
                rx("69749", "valsartan", "PED"),
                rx("73494", "telmisartan", "PED"),
                rx("321064", "olmesartan", "PED"),
                rx("83515", "eprosartan", "PED"),
                rx("1091643", "azilsartan", "PED"),
                rx("52175", "losartan", "TERM", INFORMAL_CUI),
                atc("C09CA01", "losartan"),
                atc("C09CA03", "valsartan"),
                atc("C09CA04", "irbesartan"),
                atc("C09CA06", "candesartan"),
                atc("C09CA07", "telmisartan"),
                atc("C09CA08", "olmesartan medoxomil"),
            ),
            (
                atc_prefix("C09CA", "angiotensin II receptor blockers, plain"),
                atc_prefix("C09D", "ARB combinations"),
            ),
            (
                "losartan",
                "valsartan",
                "irbesartan",
                "candesartan",
                "telmisartan",
                "olmesartan",
                "eprosartan",
                "azilsartan",
                "cozaar",
                "diovan",
            ),
        ),
        med(
            "med-nitr",
            "Organic nitrates",
            "exc-vasoactive-unstable (nitroglycerin).",
            (
                rx("6058", "isosorbide dinitrate", "CPIC"),
                rx("4917", "nitroglycerin", "TERM", UNVERIFIED_CUI),
                atc("C01DA02", "glyceryl trinitrate"),
                atc("C01DA08", "isosorbide dinitrate"),
                atc("C01DA14", "isosorbide mononitrate"),
            ),
            (atc_prefix("C01DA", "organic nitrates"),),
            ("nitroglycerin", "glyceryl trinitrate", "isosorbide dinitrate", "isosorbide mononitrate", "gtn"),
        ),
        med(
            "med-alpha",
            "Alpha-1 blockers",
            "exc-vasoactive-unstable.",
            (
                rx("8629", "prazosin", "PED"),
                rx("49276", "doxazosin", "PED"),
                rx("39230", "urapidil", "PED"),
                rx("5784", "indoramin", "PED"),
                rx("77492", "tamsulosin", "CPIC"),
                rx("37798", "terazosin", "TERM", UNVERIFIED_CUI),
                atc("C02CA01", "prazosin"),
                atc("C02CA04", "doxazosin"),
                atc("C02CA06", "urapidil"),
                atc("G04CA01", "alfuzosin"),
                atc("G04CA02", "tamsulosin"),
                atc("G04CA03", "terazosin"),
            ),
            (
                atc_prefix("C02CA", "alpha-adrenoreceptor antagonists"),
                atc_prefix("G04CA", "alpha-adrenoreceptor antagonists (urologic)"),
            ),
            (
                "prazosin",
                "doxazosin",
                "urapidil",
                "indoramin",
                "alfuzosin",
                "tamsulosin",
                "terazosin",
                "cardura",
                "flomax",
            ),
        ),
        med(
            "med-vaso",
            "Other vasodilators",
            "exc-vasoactive-unstable (vasodilators other than the classes above).",
            (
                rx("5470", "hydralazine", "CPIC"),
                rx("6984", "minoxidil", "PED"),
                rx("7476", "nitroprusside", "PED"),
                atc("C02DB02", "hydralazine"),
                atc("C02DC01", "minoxidil"),
                atc("C02DD01", "nitroprusside"),
            ),
            (atc_prefix("C04A", "peripheral vasodilators"),),
            ("hydralazine", "minoxidil", "nitroprusside"),
        ),
        med(
            "med-pde5",
            "PDE5 inhibitors",
            "exc-vasoactive-unstable; standard digital ulcer treatment.",
            (
                rx("136411", "sildenafil", "CPIC"),
                rx("358263", "tadalafil", "PED"),
                atc("G04BE03", "sildenafil"),
                atc("G04BE08", "tadalafil"),
                atc("G04BE09", "vardenafil"),
            ),
            (),
            ("sildenafil", "tadalafil", "vardenafil", "revatio", "viagra", "cialis", "adcirca"),
        ),
        med(
            "med-era",
            "Endothelin receptor antagonists",
            "exc-vasoactive-unstable; standard digital ulcer treatment. Riociguat (C02KX05) rides along as TERMINOLOGY.md lists it.",
            (
                rx("75207", "bosentan", "PED"),
                rx("358274", "ambrisentan", "PED"),
                rx("1442132", "macitentan", "PED"),
                rx("1439816", "riociguat", "PED"),
                atc("C02KX01", "bosentan"),
                atc("C02KX02", "ambrisentan"),
                atc("C02KX04", "macitentan"),
                atc("C02KX05", "riociguat"),
            ),
            (),
            (
                "bosentan",
                "ambrisentan",
                "macitentan",
                "riociguat",
                "tracleer",
                "volibris",
                "letairis",
                "opsumit",
            ),
        ),
        med(
            "med-pgi2",
            "Prostacyclin analogues",
            "exc-vasoactive-unstable; standard digital ulcer treatment (iloprost). No RxNorm CUI was found in "
            "the stored curated lists: ATC and names only.",
            (
                atc("B01AC09", "epoprostenol"),
                atc("B01AC11", "iloprost"),
                atc("B01AC21", "treprostinil"),
                atc("B01AC27", "selexipag"),
            ),
            (),
            (
                "epoprostenol",
                "iloprost",
                "treprostinil",
                "selexipag",
                "ilomedin",
                "ventavis",
                "flolan",
                "remodulin",
                "uptravi",
            ),
        ),
        med(
            "med-nac",
            "N-acetylcysteine",
            "exc-vasoactive-unstable. The route decides whether it counts (three ATC homes).",
            (
                rx("197", "acetylcysteine", "TERM", UNVERIFIED_CUI),
                atc("R05CB01", "acetylcysteine"),
                atc("V03AB23", "acetylcysteine"),
                atc("S01XA08", "acetylcysteine"),
            ),
            (),
            ("acetylcysteine", "n-acetylcysteine", "nac", "fluimucil", "mucomyst"),
        ),
        med(
            "med-lmwh",
            "Low molecular weight heparins",
            "exc-vasoactive-unstable. Unfractionated heparin (B01AB01) is left out.",
            (
                rx("67108", "enoxaparin", "TERM", UNVERIFIED_CUI),
                rx("67109", "dalteparin", "TERM", UNVERIFIED_CUI),
                rx("69528", "tinzaparin", "TERM", UNVERIFIED_CUI),
                atc("B01AB04", "dalteparin"),
                atc("B01AB05", "enoxaparin"),
                atc("B01AB06", "nadroparin"),
                atc("B01AB10", "tinzaparin"),
            ),
            (),
            (
                "enoxaparin",
                "dalteparin",
                "nadroparin",
                "tinzaparin",
                "lovenox",
                "clexane",
                "fragmin",
                "fraxiparine",
                "innohep",
            ),
        ),
        med(
            "med-botox",
            "Botulinum toxin",
            "exc-botulinum-4w. Product-level RxNorm codes are unverified: ATC and names.",
            (atc("M03AX01", "botulinum toxin"),),
            (),
            (
                "botulinum toxin",
                "onabotulinumtoxina",
                "abobotulinumtoxina",
                "incobotulinumtoxina",
                "botox",
                "dysport",
                "xeomin",
            ),
        ),
    ]


def immunology_medication_groups() -> list[Group]:
    return [
        med(
            "med-j01",
            "Systemic antibacterials",
            "exc-antibiotics-du, exc-active-infection: ATC J01 by prefix; the route must not be topical.",
            (atc("J01", "antibacterials for systemic use"),),
            (atc_prefix("J01", "antibacterials for systemic use"),),
            (),
        ),
        med(
            "med-j02",
            "Systemic antimycotics",
            "exc-active-infection: ATC J02 by prefix.",
            (atc("J02", "antimycotics for systemic use"),),
            (atc_prefix("J02", "antimycotics for systemic use"),),
            (),
        ),
        med(
            "med-j05",
            "Systemic antivirals",
            "exc-active-infection: ATC J05 by prefix.",
            (atc("J05", "antivirals for systemic use"),),
            (atc_prefix("J05", "antivirals for systemic use"),),
            (),
        ),
        med(
            "med-gc",
            "Systemic glucocorticoids",
            "Prednisone-equivalent dose (exc-gc-taper, exc-pulse-gc-2m, AAV remission) and standard treatment. "
            "Factors are in fhir_mappings/glucocorticoid-equivalents.yaml. One clinical drug (SCD) was verified.",
            (
                rx("8640", "prednisone", "RXC"),
                rx("8638", "prednisolone", "RXC"),
                rx("6902", "methylprednisolone", "RXC"),
                rx("3264", "dexamethasone", "RXC"),
                rx("5492", "hydrocortisone", "RXC"),
                rx("1514", "betamethasone", "RXC"),
                rx(
                    "1347",
                    "betamethasone (alternative CUI also seen)",
                    "RXC",
                    "two CUIs seen for betamethasone",
                ),
                rx("10759", "triamcinolone", "RXC"),
                rx("22396", "deflazacort", "RXC"),
                rx("312617", "prednisone 5 MG Oral Tablet", "NDCL"),
                atc("H02AB01", "betamethasone"),
                atc("H02AB02", "dexamethasone"),
                atc("H02AB04", "methylprednisolone"),
                atc("H02AB06", "prednisolone"),
                atc("H02AB07", "prednisone"),
                atc("H02AB09", "hydrocortisone"),
            ),
            (atc_prefix("H02AB", "glucocorticoids"),),
            (
                "prednisone",
                "prednisolone",
                "methylprednisolone",
                "dexamethasone",
                "hydrocortisone",
                "cortisone",
                "betamethasone",
                "triamcinolone",
                "deflazacort",
                "solu-medrol",
                "medrol",
                "deltasone",
            ),
        ),
        med(
            "med-is",
            "Conventional immunosuppressants",
            "sle-refractory, aav-relapsed-refractory, iim-refractory, dcssc-refractory. Leflunomide and the "
            "pre-2023 code are both listed. Iguratimod has no ATC code or RxNorm CUI: name only.",
            (
                rx("1256", "azathioprine", "CPIC"),
                rx("7145", "mycophenolic acid", "CPIC"),
                rx("68149", "mycophenolate mofetil", "TERM", UNVERIFIED_CUI),
                rx("6851", "methotrexate", "CPIC"),
                rx("3008", "cyclosporine", "CPIC"),
                rx("42316", "tacrolimus", "CPIC"),
                rx("35302", "sirolimus", "CPIC"),
                rx("27169", "leflunomide", "TERM", UNVERIFIED_CUI),
                atc("L04AX01", "azathioprine"),
                atc("L04AA06", "mycophenolic acid"),
                atc("L04AK01", "leflunomide"),
                atc("L04AA13", "leflunomide (code until about 2023)"),
                atc("L04AX03", "methotrexate"),
                atc("L01BA01", "methotrexate"),
                atc("L04AD01", "ciclosporin"),
                atc("L04AD02", "tacrolimus"),
            ),
            (),
            (
                "azathioprine",
                "mycophenolic acid",
                "mycophenolate",
                "mycophenolate mofetil",
                "methotrexate",
                "ciclosporin",
                "cyclosporine",
                "tacrolimus",
                "sirolimus",
                "leflunomide",
                "iguratimod",
                "cellcept",
                "imuran",
                "arava",
            ),
        ),
        med(
            "med-cyc",
            "Cyclophosphamide",
            "aav-relapsed-refractory, dcssc-refractory; allergy check (exc-allergy).",
            (rx("3002", "cyclophosphamide", "CPIC"), atc("L01AA01", "cyclophosphamide")),
            (),
            ("cyclophosphamide", "endoxan", "cytoxan"),
        ),
        med(
            "med-bio",
            "Biologics",
            "exc-biologic-1m, sle-refractory, aav (rituximab). Rituximab and belimumab carry both their 2021 and "
            "2026 ATC codes. Telitacicept has no ATC code or CUI: name only.",
            (
                rx("121191", "rituximab", "CPIC"),
                rx("612865", "tocilizumab", "TERM", UNVERIFIED_CUI),
                atc("L01FA01", "rituximab"),
                atc("L01XC02", "rituximab (2021 code)"),
                atc("L04AG04", "belimumab"),
                atc("L04AA26", "belimumab (2021 code)"),
                atc("L04AC07", "tocilizumab"),
                atc("L04AG11", "anifrolumab"),
                atc("L04AA24", "abatacept"),
            ),
            (),
            (
                "rituximab",
                "belimumab",
                "telitacicept",
                "tocilizumab",
                "anifrolumab",
                "abatacept",
                "mabthera",
                "rituxan",
                "benlysta",
                "actemra",
                "roactemra",
                "saphnelo",
                "orencia",
            ),
        ),
        med(
            "med-am",
            "Antimalarials",
            "sle-refractory (standard SLE treatment).",
            (
                rx("5521", "hydroxychloroquine", "CPIC"),
                rx("2393", "chloroquine", "CPIC"),
                atc("P01BA02", "hydroxychloroquine"),
                atc("P01BA01", "chloroquine"),
                atc("P01AX05", "mepacrine"),
            ),
            (),
            ("hydroxychloroquine", "chloroquine", "mepacrine", "quinacrine", "plaquenil"),
        ),
        med(
            "med-flu",
            "Fludarabine",
            "exc-allergy (fludarabine).",
            (rx("24698", "fludarabine", "TERM", UNVERIFIED_CUI), atc("L01BB05", "fludarabine")),
            (),
            ("fludarabine", "fludara"),
        ),
        med(
            "med-gcsf",
            "Colony stimulating factors",
            "inc-hb / inc-anc / inc-plt: no G-CSF within 7 days before the sample.",
            (atc("L03AA", "colony stimulating factors"),),
            (atc_prefix("L03AA", "colony stimulating factors"),),
            ("filgrastim", "pegfilgrastim", "lenograstim", "g-csf"),
        ),
        Group(
            "cvx-live",
            "Live vaccines",
            "exc-live-vaccine-1m: Immunization.vaccineCode. TERMINOLOGY.md's five codes are all unverified; "
            "94, 54, 55 and 174 were seen in public CVX tables.",
            (
                Concept(CVX, "03", "MMR", "TERM", "CVX list unverified in TERMINOLOGY.md"),
                Concept(CVX, "21", "varicella", "TERM", "CVX list unverified in TERMINOLOGY.md"),
                Concept(CVX, "19", "BCG", "CVXFS", "CVX list unverified in TERMINOLOGY.md"),
                Concept(CVX, "37", "yellow fever", "TERM", "CVX list unverified in TERMINOLOGY.md"),
                Concept(
                    CVX, "111", "influenza, live, intranasal", "TERM", "CVX list unverified in TERMINOLOGY.md"
                ),
                Concept(CVX, "94", "MMRV", "CVXFS"),
                Concept(CVX, "54", "adenovirus vaccine, type 4, live, oral", "CVXFS"),
                Concept(CVX, "55", "adenovirus vaccine, type 7, live, oral", "CVXFS"),
                Concept(CVX, "174", "cholera, live attenuated", "CVXFS"),
            ),
            keywords=("live", "attenuated"),
            keyword_scope="",
        ),
    ]


def all_groups() -> list[Group]:
    groups = (
        diagnosis_groups()
        + procedure_groups()
        + lab_groups()
        + score_groups()
        + cardiovascular_medication_groups()
        + immunology_medication_groups()
    )
    return sorted(groups, key=lambda g: g.id)


# --- rendering ------------------------------------------------------------------------------


def pascal_case(group_id: str) -> str:
    return "".join(part.capitalize() for part in group_id.split("-"))


def unverified_designation(reason: str) -> dict[str, Any]:
    return {
        "use": {"system": REVIEW_SYSTEM, "code": "unverified", "display": "Unverified code"},
        "value": f"unverified: {reason}",
    }


def compose_concept(concept: Concept) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "extension": [{"url": EXT_SOURCE, "valueString": concept.source}],
        "code": concept.code,
        "display": concept.display,
    }
    if concept.unverified:
        entry["designation"] = [unverified_designation(concept.unverified)]
    return entry


def compose_includes(group: Group) -> list[dict[str, Any]]:
    systems: dict[str, list[Concept]] = {}
    for concept in group.concepts:
        systems.setdefault(concept.system, []).append(concept)
    includes: list[dict[str, Any]] = [
        {"system": system, "concept": [compose_concept(c) for c in concepts]}
        for system, concepts in systems.items()
    ]
    includes += [
        {"system": f.system, "filter": [{"property": "concept", "op": "is-a", "value": f.value}]}
        for f in group.filters
    ]
    return includes


def expansion_entry(concept: Concept) -> dict[str, Any]:
    entry: dict[str, Any] = {"system": concept.system, "code": concept.code, "display": concept.display}
    if concept.unverified:
        entry["designation"] = [unverified_designation(concept.unverified)]
    return entry


def expansion(group: Group) -> dict[str, Any]:
    contains = [expansion_entry(c) for c in group.concepts]
    result: dict[str, Any] = {"timestamp": EXPANSION_TIMESTAMP, "total": len(contains)}
    if contains:
        result["contains"] = contains
    return result


def describe(group: Group) -> str:
    """The human account of a set: what it is for, where each code comes from, what is unverified."""
    parts = [group.purpose]
    keys = sorted({c.source for c in group.concepts})
    if keys:
        parts.append("Sources: " + "; ".join(f"[{k}] {SOURCES[k]}" for k in keys) + ".")
    flagged = [f"{c.code} ({c.unverified})" for c in group.concepts if c.unverified]
    if flagged:
        parts.append(
            "Unverified codes, kept for review and flagged with an 'unverified' designation: "
            + ", ".join(flagged)
            + "."
        )
    if group.filters:
        prefixes = ", ".join(f.value for f in group.filters)
        parts.append(f"Matching by code prefix (is-a filters, dotted or undotted): {prefixes}.")
        shaky = [f"{f.value} ({f.unverified})" for f in group.filters if f.unverified]
        if shaky:
            parts.append("Unverified prefixes: " + ", ".join(shaky) + ".")
    if group.keywords:
        scope = f" on a record matched by {group.keyword_scope}" if group.keyword_scope else ""
        parts.append("Text keywords" + scope + ": " + ", ".join(group.keywords) + ".")
    parts += list(group.notes)
    return " ".join(parts)


def extensions(group: Group) -> list[dict[str, Any]]:
    result = [{"url": EXT_INGREDIENT, "valueString": name} for name in group.ingredient_names]
    result += [{"url": EXT_KEYWORD, "valueString": word} for word in group.keywords]
    if group.keyword_scope:
        result.append({"url": EXT_KEYWORD_SCOPE, "valueCanonical": f"{BASE}/ValueSet/{group.keyword_scope}"})
    return result


def render_valueset(group: Group) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "ValueSet", "id": group.id}
    ext = extensions(group)
    if ext:
        resource["extension"] = ext
    resource |= {
        "url": f"{BASE}/ValueSet/{group.id}",
        "version": VERSION,
        "name": pascal_case(group.id),
        "title": group.title,
        "status": "active",
        "experimental": False,
        "publisher": "trialcds",
        "description": describe(group),
    }
    includes = compose_includes(group)
    if includes:
        resource["compose"] = {"include": includes}
    resource["expansion"] = expansion(group)
    return resource


def render_codesystem() -> dict[str, Any]:
    return {
        "resourceType": "CodeSystem",
        "id": "disease-activity",
        "url": LOCAL,
        "version": VERSION,
        "name": "DiseaseActivity",
        "title": "trialcds disease-activity scores",
        "status": "active",
        "experimental": False,
        "publisher": "trialcds",
        "description": (
            "Local codes for disease-activity and classification scores that have no LOINC code "
            "(TERMINOLOGY.md section 0). Observations carry valueQuantity with unit {score}, cm for the "
            "VAS, % for the IIM probability; BVAS item counts may be components of bvas-v3. Sites map their "
            "own codes here with fhir_mappings/conceptmaps/site-local-codes.json."
        ),
        "caseSensitive": True,
        "content": "complete",
        "count": len(LOCAL_SCORES),
        "concept": [
            {"code": code, "display": display, "definition": f"{display}; range {value_range}."}
            for code, (display, value_range) in LOCAL_SCORES.items()
        ],
    }


def render_json(resource: dict[str, Any]) -> str:
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"


def build_all() -> dict[Path, str]:
    """Every generated file, by path, with its text."""
    files = {VALUESET_DIR / f"{g.id}.json": render_json(render_valueset(g)) for g in all_groups()}
    files[CODESYSTEM_DIR / "disease-activity.json"] = render_json(render_codesystem())
    return files


def main(argv: list[str]) -> int:
    files = build_all()
    if "--check" in argv:
        stale = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
