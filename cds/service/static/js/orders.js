// The demo's order catalog and the draft MedicationRequest an order-sign hook carries in draftOrders.
// Codes: RxNorm ingredient and ATC (both, as an EHR's drug file often has), routes in SNOMED CT.

import { uuid4 } from "./dom.js";

const RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
const ATC = "http://www.whocc.no/atc";
const SNOMED = "http://snomed.info/sct";
const UCUM = "http://unitsofmeasure.org";
const ROUTES = {
  oral: { code: "26643006", display: "Oral route" },
  intravenous: { code: "47625008", display: "Intravenous route" },
};

export const CATALOG = [
  {
    id: "rituximab",
    label: "Rituximab 1000 mg IV, two doses two weeks apart",
    ingredient: "rituximab",
    rxnorm: "121191",
    atc: "L01FA01",
    dose: 1000,
    route: "intravenous",
    timing: { repeat: { count: 2, frequency: 1, period: 2, periodUnit: "wk" } },
  },
  {
    id: "prednisone-60",
    label: "Prednisone 60 mg by mouth, once daily",
    ingredient: "prednisone",
    rxnorm: "8640",
    atc: "H02AB07",
    dose: 60,
    route: "oral",
    timing: { repeat: { frequency: 1, period: 1, periodUnit: "d" } },
  },
  {
    id: "ciprofloxacin",
    label: "Ciprofloxacin 500 mg by mouth, twice daily",
    ingredient: "ciprofloxacin",
    rxnorm: "2551",
    atc: "J01MA02",
    dose: 500,
    route: "oral",
    timing: { repeat: { frequency: 2, period: 1, periodUnit: "d" } },
  },
];

/** Today as YYYY-MM-DD in the user's time zone (the order's authoredOn). */
function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A draft MedicationRequest for `item`, for the patient, by the user. */
export function draftMedicationRequest(item, patientId, userId) {
  const route = ROUTES[item.route];
  return {
    resourceType: "MedicationRequest",
    id: `draft-${uuid4()}`,
    status: "draft",
    intent: "order",
    medicationCodeableConcept: {
      coding: [
        { system: RXNORM, code: item.rxnorm, display: item.ingredient },
        { system: ATC, code: item.atc, display: item.ingredient },
      ],
      text: item.label,
    },
    subject: { reference: `Patient/${patientId}` },
    authoredOn: today(),
    requester: { reference: userId },
    dosageInstruction: [
      {
        text: item.label,
        timing: item.timing,
        route: { coding: [{ system: SNOMED, ...route }], text: item.route },
        doseAndRate: [{ doseQuantity: { value: item.dose, unit: "mg", system: UCUM, code: "mg" } }],
      },
    ],
  };
}

/** The draftOrders Bundle of an order-sign context. */
export function draftOrders(...resources) {
  return { resourceType: "Bundle", type: "collection", entry: resources.map((resource) => ({ resource })) };
}
