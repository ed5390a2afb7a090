"""The UCUM unit table: prefixes, base units and defined unit atoms (UCUM 2.1, case-sensitive codes).

Each atom is written the way the specification's essence table defines it: a magnitude times a unit
term over atoms defined elsewhere in the table, so a row can be checked against the specification by
eye. `ucum.py` resolves every term into an exact factor and a dimension vector on first use.

Departures from the published 2.1 tables, each deliberate:
- The Planck constant `[h]` carries the 2.0.1 erratum (1e-34, not 1e-24).
- Nothing else: the mole keeps the specification's 6.0221367e23 (not the 2019 SI value), because
  conversions must agree with other UCUM implementations.
"""

from dataclasses import dataclass
from typing import Literal

# Order fixes the first seven positions of every dimension vector.
BASE_UNITS: tuple[str, ...] = ("m", "g", "s", "rad", "K", "C", "cd")

PREFIXES: dict[str, str] = {
    "Y": "1e24",
    "Z": "1e21",
    "E": "1e18",
    "P": "1e15",
    "T": "1e12",
    "G": "1e9",
    "M": "1e6",
    "k": "1e3",
    "h": "1e2",
    "da": "1e1",
    "d": "1e-1",
    "c": "1e-2",
    "m": "1e-3",
    "u": "1e-6",
    "n": "1e-9",
    "p": "1e-12",
    "f": "1e-15",
    "a": "1e-18",
    "z": "1e-21",
    "y": "1e-24",
    "Ki": "1024",
    "Mi": "1048576",
    "Gi": "1073741824",
    "Ti": "1099511627776",
}


@dataclass(frozen=True)
class Special:
    """How a value on a non-ratio scale maps onto the ratio unit `unit` (and back).

    offset: base = (v + offset) * scale                     (Cel, [degF], [degRe])
    log:    base = scale * radix ** (v * exponent)          (pH, neper, bel and its variants)
    opaque: a scale this module does not convert (tangent, square root, retired homeopathic
            potencies); such a unit converts only to itself.
    """

    kind: Literal["offset", "log", "opaque"]
    unit: str
    scale: str = "1"
    offset: str = "0"
    radix: str = "10"  # "e" for the natural logarithm
    exponent: str = "1"


@dataclass(frozen=True)
class UnitDef:
    """One unit atom: `code` equals `value` times `unit`; arbitrary atoms get a dimension of their own."""

    code: str
    value: str
    unit: str
    metric: bool
    arbitrary: bool = False
    special: Special | None = None


M = True  # metric: takes prefixes
N = False  # not metric

# (code, magnitude, unit term, metric), grouped as the specification groups them.
_RATIO_ROWS: tuple[tuple[str, str, str, bool], ...] = (
    # dimensionless numbers
    ("10*", "10", "1", N),
    ("10^", "10", "1", N),
    ("[pi]", "3.1415926535897932384626433832795028841971693993751058209749445923", "1", N),
    ("%", "1", "10*-2", N),
    ("[ppth]", "1", "10*-3", N),
    ("[ppm]", "1", "10*-6", N),
    ("[ppb]", "1", "10*-9", N),
    ("[pptr]", "1", "10*-12", N),
    # SI units
    ("mol", "6.0221367", "10*23", M),
    ("sr", "1", "rad2", M),
    ("Hz", "1", "s-1", M),
    ("N", "1", "kg.m/s2", M),
    ("Pa", "1", "N/m2", M),
    ("J", "1", "N.m", M),
    ("W", "1", "J/s", M),
    ("A", "1", "C/s", M),
    ("V", "1", "J/C", M),
    ("F", "1", "C/V", M),
    ("Ohm", "1", "V/A", M),
    ("S", "1", "Ohm-1", M),
    ("Wb", "1", "V.s", M),
    ("T", "1", "Wb/m2", M),
    ("H", "1", "Wb/A", M),
    ("lm", "1", "cd.sr", M),
    ("lx", "1", "lm/m2", M),
    ("Bq", "1", "s-1", M),
    ("Gy", "1", "J/kg", M),
    ("Sv", "1", "J/kg", M),
    # other units from ISO 1000, ISO 2955 and ANSI X3.50
    ("gon", "0.9", "deg", N),
    ("deg", "2", "[pi].rad/360", N),
    ("'", "1", "deg/60", N),
    ("''", "1", "'/60", N),
    ("l", "1", "dm3", M),
    ("L", "1", "l", M),
    ("ar", "100", "m2", M),
    ("min", "60", "s", N),
    ("h", "60", "min", N),
    ("d", "24", "h", N),
    ("a_t", "365.24219", "d", N),
    ("a_j", "365.25", "d", N),
    ("a_g", "365.2425", "d", N),
    ("a", "1", "a_j", N),
    ("wk", "7", "d", N),
    ("mo_s", "29.53059", "d", N),
    ("mo_j", "1", "a_j/12", N),
    ("mo_g", "1", "a_g/12", N),
    ("mo", "1", "mo_j", N),
    ("t", "1e3", "kg", M),
    ("bar", "1e5", "Pa", M),
    ("u", "1.6605402e-24", "g", M),
    ("eV", "1", "[e].V", M),
    ("AU", "149597.870691", "Mm", N),
    ("pc", "3.085678e16", "m", M),
    # natural units
    ("[c]", "299792458", "m/s", M),
    ("[h]", "6.6260755e-34", "J.s", M),
    ("[k]", "1.380658e-23", "J/K", M),
    ("[eps_0]", "8.854187817e-12", "F/m", M),
    ("[mu_0]", "1", "4.[pi].10*-7.N/A2", M),
    ("[e]", "1.60217733e-19", "C", M),
    ("[m_e]", "9.1093897e-28", "g", M),
    ("[m_p]", "1.6726231e-24", "g", M),
    ("[G]", "6.67259e-11", "m3.kg-1.s-2", M),
    ("[g]", "980665e-5", "m/s2", M),
    ("atm", "101325", "Pa", N),
    ("[ly]", "1", "[c].a_j", M),
    ("gf", "1", "g.[g]", M),
    ("[lbf_av]", "1", "[lb_av].[g]", N),
    # CGS units
    ("Ky", "1", "cm-1", M),
    ("Gal", "1", "cm/s2", M),
    ("dyn", "1", "g.cm/s2", M),
    ("erg", "1", "dyn.cm", M),
    ("P", "1", "dyn.s/cm2", M),
    ("Bi", "10", "A", M),
    ("St", "1", "cm2/s", M),
    ("Mx", "1e-8", "Wb", M),
    ("G", "1e-4", "T", M),
    ("Oe", "250", "/[pi].A/m", M),
    ("Gb", "1", "Oe.cm", M),
    ("sb", "1", "cd/cm2", M),
    ("Lmb", "1", "cd/cm2/[pi]", M),
    ("ph", "1e-4", "lx", M),
    ("Ci", "37e9", "Bq", M),
    ("R", "2.58e-4", "C/kg", M),
    ("RAD", "100", "erg/g", M),
    ("REM", "1", "RAD", M),
    # international customary units
    ("[in_i]", "254e-2", "cm", N),
    ("[ft_i]", "12", "[in_i]", N),
    ("[yd_i]", "3", "[ft_i]", N),
    ("[mi_i]", "5280", "[ft_i]", N),
    ("[fth_i]", "6", "[ft_i]", N),
    ("[nmi_i]", "1852", "m", N),
    ("[kn_i]", "1", "[nmi_i]/h", N),
    ("[sin_i]", "1", "[in_i]2", N),
    ("[sft_i]", "1", "[ft_i]2", N),
    ("[syd_i]", "1", "[yd_i]2", N),
    ("[cin_i]", "1", "[in_i]3", N),
    ("[cft_i]", "1", "[ft_i]3", N),
    ("[cyd_i]", "1", "[yd_i]3", N),
    ("[bf_i]", "144", "[in_i]3", N),
    ("[cr_i]", "128", "[ft_i]3", N),
    ("[mil_i]", "1e-3", "[in_i]", N),
    ("[cml_i]", "1", "[pi]/4.[mil_i]2", N),
    ("[hd_i]", "4", "[in_i]", N),
    # U.S. survey lengths
    ("[ft_us]", "1200", "m/3937", N),
    ("[yd_us]", "3", "[ft_us]", N),
    ("[in_us]", "1", "[ft_us]/12", N),
    ("[rd_us]", "16.5", "[ft_us]", N),
    ("[ch_us]", "4", "[rd_us]", N),
    ("[lk_us]", "1", "[ch_us]/100", N),
    ("[rch_us]", "100", "[ft_us]", N),
    ("[rlk_us]", "1", "[rch_us]/100", N),
    ("[fth_us]", "6", "[ft_us]", N),
    ("[fur_us]", "40", "[rd_us]", N),
    ("[mi_us]", "8", "[fur_us]", N),
    ("[acr_us]", "160", "[rd_us]2", N),
    ("[srd_us]", "1", "[rd_us]2", N),
    ("[smi_us]", "1", "[mi_us]2", N),
    ("[sct]", "1", "[mi_us]2", N),
    ("[twp]", "36", "[sct]", N),
    ("[mil_us]", "1e-3", "[in_us]", N),
    # British imperial lengths
    ("[in_br]", "2.539998", "cm", N),
    ("[ft_br]", "12", "[in_br]", N),
    ("[rd_br]", "16.5", "[ft_br]", N),
    ("[ch_br]", "4", "[rd_br]", N),
    ("[lk_br]", "1", "[ch_br]/100", N),
    ("[fth_br]", "6", "[ft_br]", N),
    ("[pc_br]", "2.5", "[ft_br]", N),
    ("[yd_br]", "3", "[ft_br]", N),
    ("[mi_br]", "5280", "[ft_br]", N),
    ("[nmi_br]", "6080", "[ft_br]", N),
    ("[kn_br]", "1", "[nmi_br]/h", N),
    ("[acr_br]", "4840", "[yd_br]2", N),
    # U.S. volumes
    ("[gal_us]", "231", "[in_i]3", N),
    ("[bbl_us]", "42", "[gal_us]", N),
    ("[qt_us]", "1", "[gal_us]/4", N),
    ("[pt_us]", "1", "[qt_us]/2", N),
    ("[gil_us]", "1", "[pt_us]/4", N),
    ("[foz_us]", "1", "[gil_us]/4", N),
    ("[fdr_us]", "1", "[foz_us]/8", N),
    ("[min_us]", "1", "[fdr_us]/60", N),
    ("[crd_us]", "128", "[ft_i]3", N),
    ("[bu_us]", "2150.42", "[in_i]3", N),
    ("[gal_wi]", "1", "[bu_us]/8", N),
    ("[pk_us]", "1", "[bu_us]/4", N),
    ("[dqt_us]", "1", "[pk_us]/8", N),
    ("[dpt_us]", "1", "[dqt_us]/2", N),
    ("[tbs_us]", "1", "[foz_us]/2", N),
    ("[tsp_us]", "1", "[tbs_us]/3", N),
    ("[cup_us]", "16", "[tbs_us]", N),
    ("[foz_m]", "30", "mL", N),
    ("[cup_m]", "240", "mL", N),
    ("[tsp_m]", "5", "mL", N),
    ("[tbs_m]", "15", "mL", N),
    # British imperial volumes
    ("[gal_br]", "4.54609", "l", N),
    ("[pk_br]", "2", "[gal_br]", N),
    ("[bu_br]", "4", "[pk_br]", N),
    ("[qt_br]", "1", "[gal_br]/4", N),
    ("[pt_br]", "1", "[qt_br]/2", N),
    ("[gil_br]", "1", "[pt_br]/4", N),
    ("[foz_br]", "1", "[gil_br]/5", N),
    ("[fdr_br]", "1", "[foz_br]/8", N),
    ("[min_br]", "1", "[fdr_br]/60", N),
    # avoirdupois, troy and apothecaries' weights
    ("[gr]", "64.79891", "mg", N),
    ("[lb_av]", "7000", "[gr]", N),
    ("[oz_av]", "1", "[lb_av]/16", N),
    ("[dr_av]", "1", "[oz_av]/16", N),
    ("[scwt_av]", "100", "[lb_av]", N),
    ("[lcwt_av]", "112", "[lb_av]", N),
    ("[ston_av]", "20", "[scwt_av]", N),
    ("[lton_av]", "20", "[lcwt_av]", N),
    ("[stone_av]", "14", "[lb_av]", N),
    ("[pwt_tr]", "24", "[gr]", N),
    ("[oz_tr]", "20", "[pwt_tr]", N),
    ("[lb_tr]", "12", "[oz_tr]", N),
    ("[sc_ap]", "20", "[gr]", N),
    ("[dr_ap]", "3", "[sc_ap]", N),
    ("[oz_ap]", "8", "[dr_ap]", N),
    ("[lb_ap]", "12", "[oz_ap]", N),
    ("[oz_m]", "28", "g", N),
    # typesetter's lengths
    ("[lne]", "1", "[in_i]/12", N),
    ("[pnt]", "1", "[lne]/6", N),
    ("[pca]", "12", "[pnt]", N),
    ("[pnt_pr]", "0.013837", "[in_i]", N),
    ("[pca_pr]", "12", "[pnt_pr]", N),
    ("[pied]", "32.48", "cm", N),
    ("[pouce]", "1", "[pied]/12", N),
    ("[ligne]", "1", "[pouce]/12", N),
    ("[didot]", "1", "[ligne]/6", N),
    ("[cicero]", "12", "[didot]", N),
    # heat
    ("[degR]", "5", "K/9", N),
    ("cal_[15]", "4.18580", "J", M),
    ("cal_[20]", "4.18190", "J", M),
    ("cal_m", "4.19002", "J", M),
    ("cal_IT", "4.1868", "J", M),
    ("cal_th", "4.184", "J", M),
    ("cal", "1", "cal_th", M),
    ("[Cal]", "1", "kcal_th", N),
    ("[Btu_39]", "1.05967", "kJ", N),
    ("[Btu_59]", "1.05480", "kJ", N),
    ("[Btu_60]", "1.05468", "kJ", N),
    ("[Btu_m]", "1.05587", "kJ", N),
    ("[Btu_IT]", "1.05505585262", "kJ", N),
    ("[Btu_th]", "1.054350", "kJ", N),
    ("[Btu]", "1", "[Btu_th]", N),
    ("[HP]", "550", "[ft_i].[lbf_av]/s", N),
    ("tex", "1", "g/km", M),
    ("[den]", "1", "g/9/km", N),
    # units used in medicine
    ("m[H2O]", "980665e-5", "kPa", M),
    ("m[Hg]", "133.3220", "kPa", M),
    ("[in_i'H2O]", "1", "m[H2O].[in_i]/m", N),
    ("[in_i'Hg]", "1", "m[Hg].[in_i]/m", N),
    ("[PRU]", "1", "mm[Hg].s/ml", N),
    ("[wood'U]", "1", "mm[Hg].min/L", N),
    ("[diop]", "1", "/m", N),
    ("[mesh_i]", "1", "/[in_i]", N),
    ("[Ch]", "1", "mm/3", N),
    ("[drp]", "1", "ml/20", N),
    ("[hnsf'U]", "1", "1", N),
    ("[MET]", "3.5", "mL/min/kg", N),
    # chemical and biochemical units
    ("eq", "1", "mol", M),
    ("osm", "1", "mol", M),
    ("g%", "1", "g/dl", M),
    ("[S]", "1", "10*-13.s", N),
    ("[HPF]", "1", "1", N),
    ("[LPF]", "100", "1", N),
    ("kat", "1", "mol/s", M),
    ("U", "1", "umol/min", M),
    ("[IU]", "1", "[iU]", M),
    # miscellaneous
    ("st", "1", "m3", M),
    ("Ao", "0.1", "nm", N),
    ("b", "100", "fm2", N),
    ("att", "1", "kgf/cm2", N),
    ("mho", "1", "S", M),
    ("[psi]", "1", "[lbf_av]/[in_i]2", N),
    ("circ", "2", "[pi].rad", N),
    ("sph", "4", "[pi].sr", N),
    ("[car_m]", "2e-1", "g", N),
    ("[car_Au]", "1", "/24", N),
    ("[smoot]", "67", "[in_i]", N),
    # information technology
    ("bit", "1", "1", M),
    ("By", "8", "bit", M),
    ("Bd", "1", "/s", M),
)

# Arbitrary units: each is its own kind of quantity, so none converts to another (nor to 1).
_ARBITRARY_ROWS: tuple[tuple[str, bool], ...] = (
    ("[iU]", M),
    ("[arb'U]", N),
    ("[USP'U]", N),
    ("[GPL'U]", N),
    ("[MPL'U]", N),
    ("[APL'U]", N),
    ("[beth'U]", N),
    ("[anti'Xa'U]", N),
    ("[todd'U]", N),
    ("[dye'U]", N),
    ("[smgy'U]", N),
    ("[bdsk'U]", N),
    ("[ka'U]", N),
    ("[knk'U]", N),
    ("[mclg'U]", N),
    ("[tb'U]", N),
    ("[CCID_50]", N),
    ("[TCID_50]", N),
    ("[EID_50]", N),
    ("[PFU]", N),
    ("[FFU]", N),
    ("[CFU]", N),
    ("[IR]", N),
    ("[BAU]", N),
    ("[AU]", N),
    ("[Amb'a'1'U]", N),
    ("[PNU]", N),
    ("[Lf]", N),
    ("[D'ag'U]", N),
    ("[FEU]", N),
    ("[ELU]", N),
    ("[EU]", N),
    ("[hp_X]", N),
    ("[hp_C]", N),
    ("[hp_M]", N),
    ("[hp_Q]", N),
    ("[kp_X]", N),
    ("[kp_C]", N),
    ("[kp_M]", N),
    ("[kp_Q]", N),
)


def _offset(unit: str, scale: str, offset: str) -> Special:
    return Special("offset", unit, scale=scale, offset=offset)


def _log(unit: str, *, scale: str = "1", radix: str = "10", exponent: str = "1") -> Special:
    return Special("log", unit, scale=scale, radix=radix, exponent=exponent)


def _opaque(unit: str) -> Special:
    return Special("opaque", unit)


# Special units on non-ratio scales: (code, metric, scale).
_SPECIAL_ROWS: tuple[tuple[str, bool, Special], ...] = (
    ("Cel", M, _offset("K", "1", "273.15")),
    ("[degF]", N, _offset("K", "5/9", "459.67")),
    ("[degRe]", N, _offset("K", "5/4", "218.52")),
    ("[pH]", N, _log("mol/l", exponent="-1")),
    ("Np", M, _log("1", radix="e")),
    ("B", M, _log("1")),
    ("B[SPL]", M, _log("10*-5.Pa", scale="2", exponent="1/2")),
    ("B[V]", M, _log("V", exponent="1/2")),
    ("B[mV]", M, _log("mV", exponent="1/2")),
    ("B[uV]", M, _log("uV", exponent="1/2")),
    ("B[10.nV]", M, _log("nV", scale="10", exponent="1/2")),
    ("B[W]", M, _log("W")),
    ("B[kW]", M, _log("kW")),
    ("bit_s", N, _log("1", radix="2")),
    ("[p'diop]", N, _opaque("rad")),
    ("%[slope]", N, _opaque("rad")),
    ("[hp'_X]", N, _opaque("1")),
    ("[hp'_C]", N, _opaque("1")),
    ("[hp'_M]", N, _opaque("1")),
    ("[hp'_Q]", N, _opaque("1")),
    ("[m/s2/Hz^(1/2)]", N, _opaque("m/s2")),
)

UNITS: tuple[UnitDef, ...] = (
    tuple(UnitDef(code, value, unit, metric) for code, value, unit, metric in _RATIO_ROWS)
    + tuple(UnitDef(code, "1", "1", metric, arbitrary=True) for code, metric in _ARBITRARY_ROWS)
    + tuple(UnitDef(code, "1", s.unit, metric, special=s) for code, metric, s in _SPECIAL_ROWS)
)
