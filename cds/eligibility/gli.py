"""FVC predicted from age, height, sex and ethnicity: the GLI-2012 spirometry equations (Quanjer PH et
al., "Multi-ethnic reference values for spirometry for the 3-95-yr age range: the global lung function
2012 equations", Eur Respir J 2012;40:1324-43), for adults 18 to 67 years.

    M = exp(a0 + a1 ln(height cm) + a2 ln(age) + a_ethnicity + Mspline(age))   predicted (median), litres
    S = exp(p0 + p1 ln(age) + p_ethnicity + Sspline(age))                     coefficient of variation
    L = q0 + q1 ln(age)                                                       skewness (Lspline is 0 for FVC)

Coefficients and spline values are those of the GLI-2012 lookup table as distributed with the R
package rspiro (thlytras/rspiro, data-raw/RLookupTable.csv, "FVC" rows). The GLI table lists the
splines every 0.25 years; this module keeps the whole-year values and interpolates linearly between
them. The quarter-year values differ from that interpolation by at most 0.0008 in Mspline (at 18-20
years, where the spline bends most; about 0.0002 above 25 years), i.e. under 0.1 % of the predicted
value: 0.06 points of % predicted near the 70 % threshold.

>>> round(percent_predicted(Decimal("3.0"), 50, 165, "female", "caucasian"), 1)
Decimal('84.0')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

ETHNICITIES = ("caucasian", "african-american", "north-east-asian", "south-east-asian", "other")
AGE_RANGE = (18, 67)


@dataclass(frozen=True, slots=True)
class Coefficients:
    a0: float
    a1: float  # ln(height, cm)
    a2: float  # ln(age, years)
    a_ethnicity: tuple[float, float, float, float]  # African-American, NE Asian, SE Asian, other/mixed
    p0: float
    p1: float
    p_ethnicity: tuple[float, float, float, float]
    q0: float
    q1: float


FVC = {
    "male": Coefficients(
        -11.2281, 2.4135, 0.0865, (-0.1684, -0.0405, -0.1177, -0.0825),
        -2.2963, 0.0718, (0.0794, -0.46, 0.0325, -0.0503), 0.9481, 0.0,
    ),
    "female": Coefficients(
        -10.403, 2.2633, 0.0234, (-0.1555, -0.0262, -0.1516, -0.0833),
        -2.3549, 0.1017, (0.081, -0.1809, 0.0459, -0.0503), 0.8236, 0.0,
    ),
}  # fmt: skip

# (Mspline, Sspline) at whole years of age 18, 19, ... 67.
_SPLINES = {
    "male": (
        (0.1478, -0.0706), (0.1603, -0.0738), (0.1672, -0.0767), (0.1697, -0.0790), (0.1692, -0.0807),
        (0.1665, -0.0818), (0.1623, -0.0823), (0.1571, -0.0822), (0.1513, -0.0817), (0.1451, -0.0809),
        (0.1387, -0.0799), (0.1323, -0.0786), (0.1259, -0.0771), (0.1195, -0.0754), (0.1130, -0.0735),
        (0.1067, -0.0714), (0.1006, -0.0690), (0.0945, -0.0665), (0.0885, -0.0637), (0.0826, -0.0607),
        (0.0765, -0.0574), (0.0704, -0.0539), (0.0641, -0.0501), (0.0577, -0.0461), (0.0510, -0.0417),
        (0.0443, -0.0371), (0.0374, -0.0322), (0.0304, -0.0270), (0.0233, -0.0216), (0.0160, -0.0159),
        (0.0086, -0.0100), (0.0011, -0.0039), (-0.0066, 0.0025), (-0.0145, 0.0090), (-0.0226, 0.0156),
        (-0.0308, 0.0224), (-0.0393, 0.0293), (-0.0479, 0.0363), (-0.0567, 0.0434), (-0.0658, 0.0505),
        (-0.0750, 0.0577), (-0.0845, 0.0649), (-0.0942, 0.0722), (-0.1041, 0.0796), (-0.1141, 0.0869),
        (-0.1242, 0.0943), (-0.1344, 0.1017), (-0.1447, 0.1091), (-0.1549, 0.1164), (-0.1652, 0.1238),
    ),
    "female": (
        (0.1355, -0.0354), (0.1406, -0.0371), (0.1436, -0.0391), (0.1453, -0.0414), (0.1460, -0.0442),
        (0.1459, -0.0474), (0.1449, -0.0511), (0.1436, -0.0550), (0.1422, -0.0592), (0.1408, -0.0635),
        (0.1392, -0.0680), (0.1374, -0.0723), (0.1355, -0.0767), (0.1333, -0.0808), (0.1309, -0.0847),
        (0.1280, -0.0883), (0.1248, -0.0915), (0.1212, -0.0942), (0.1172, -0.0962), (0.1129, -0.0976),
        (0.1082, -0.0981), (0.1031, -0.0977), (0.0977, -0.0965), (0.0919, -0.0945), (0.0858, -0.0916),
        (0.0794, -0.0880), (0.0727, -0.0837), (0.0658, -0.0787), (0.0587, -0.0731), (0.0514, -0.0669),
        (0.0439, -0.0602), (0.0362, -0.0529), (0.0283, -0.0453), (0.0202, -0.0373), (0.0119, -0.0289),
        (0.0034, -0.0202), (-0.0053, -0.0113), (-0.0143, -0.0022), (-0.0234, 0.0071), (-0.0328, 0.0165),
        (-0.0424, 0.0260), (-0.0523, 0.0356), (-0.0623, 0.0453), (-0.0726, 0.0550), (-0.0830, 0.0647),
        (-0.0936, 0.0744), (-0.1043, 0.0841), (-0.1152, 0.0938), (-0.1263, 0.1034), (-0.1375, 0.1131),
    ),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Lms:
    """GLI's L (skewness), M (predicted median, litres) and S (coefficient of variation)."""

    l: float  # noqa: E741  (the GLI name)
    m: float
    s: float

    def lower_limit_of_normal(self) -> float:
        return float(self.m * (1 - 1.645 * self.l * self.s) ** (1 / self.l))

    def z_score(self, measured: float) -> float:
        return float(((measured / self.m) ** self.l - 1) / (self.l * self.s))


def _splines(sex: str, age: float) -> tuple[float, float]:
    table = _SPLINES[sex]
    low = math.floor(age)
    i = low - AGE_RANGE[0]
    if i >= len(table) - 1:
        return table[-1]
    frac = age - low
    (m0, s0), (m1, s1) = table[i], table[i + 1]
    return m0 + frac * (m1 - m0), s0 + frac * (s1 - s0)


def fvc_lms(age: float, height_cm: float, sex: str, ethnicity: str = "caucasian") -> Lms | None:
    """L, M, S of FVC; None outside 18-67 years, for a sex other than male/female, or an unknown
    ethnicity group."""
    if sex not in FVC or ethnicity not in ETHNICITIES or not AGE_RANGE[0] <= age <= AGE_RANGE[1]:
        return None
    if height_cm <= 0:
        return None
    c = FVC[sex]
    group = ETHNICITIES.index(ethnicity)
    a_eth = c.a_ethnicity[group - 1] if group else 0.0
    p_eth = c.p_ethnicity[group - 1] if group else 0.0
    mspline, sspline = _splines(sex, age)
    m = math.exp(c.a0 + c.a1 * math.log(height_cm) + c.a2 * math.log(age) + a_eth + mspline)
    s = math.exp(c.p0 + c.p1 * math.log(age) + p_eth + sspline)
    return Lms(c.q0 + c.q1 * math.log(age), m, s)


def predicted_fvc(
    age: Decimal | float, height_cm: Decimal | float, sex: str, ethnicity: str
) -> Decimal | None:
    """Predicted FVC in litres (full float precision: callers divide by it)."""
    lms = fvc_lms(float(age), float(height_cm), sex, ethnicity)
    return None if lms is None else Decimal(repr(lms.m))


def percent_predicted(
    litres: Decimal, age: Decimal | float, height_cm: Decimal | float, sex: str, ethnicity: str
) -> Decimal | None:
    lms = fvc_lms(float(age), float(height_cm), sex, ethnicity)
    if lms is None:
        return None
    return Decimal(str(round(100 * float(litres) / lms.m, 2)))
