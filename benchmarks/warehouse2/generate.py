"""warehouse2: a second, blind, synthetic French hospital imaging warehouse.

Writes the four canonical tables (patients, stays, exams, reports) and their truth
(truth/links.parquet, truth/exam_faults.parquet) for one of three profiles:
regional_group, private_clinic, emergency_heavy. See README.md for the habits.

    python generate.py --profile regional_group --patients 1500 --seed 31337 -o DIR
    python generate.py --all --patients 1500 --seed 31337 -o sets/   # the three sets

Deterministic: the same arguments write byte-identical files. Standard library and
pyarrow only (random.Random seeded with a string).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import unicodedata

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vocab as V  # noqa: E402

D0 = dt.datetime(2023, 1, 2)
D1 = dt.datetime(2024, 12, 20)
H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

# ---------------------------------------------------------------------------------------
# profiles
# ---------------------------------------------------------------------------------------
_CONSOLE_BASE = dict(ascii=True, case="upper", apostrophe="keep", hyphen=0.0, hyphen_mode=" ",
                     truncate=None, usage=0.1, nee=0.0, given_extra=0.0, no_caret=0.0, typo=0.02,
                     swapped=0.01, bd_typo=0.01, bd_swap=0.005, bd_missing=0.0, sex_missing=0.01,
                     drop_part=0.0)


def _console(**kw):
    c = dict(_CONSOLE_BASE)
    c.update(kw)
    return c


PROFILES = {
    "regional_group": dict(
        code=1, zipf=0.6, family_rate=0.08, twin_rate=0.004, usage_rate=0.45,
        registry="ins", ipp="group10",
        visits_mean=1.6, visit_mix={"emergency": 0.28, "hospitalisation": 0.30, "day_care": 0.17,
                                    "consultation": 0.25},
        admit_rate=0.35, outpatient_mean=1.4, oncology_rate=0.14, repeat_rate=0.05,
        faults=dict(missing=0.03, mistyped=0.035, other=0.02, temporary_er=0.10, temporary=0.003),
        other_same_name=0.3, other_previous_on_worklist=0.5,
        no_report=0.04, addendum=0.03, corrected=0.02, prelim_er=0.45, second_reader_pet=0.35,
        outside_review=0.02, combined_repeat=0.0, report_dt_null=0.0, wrong_accession=0.005,
        report_pid=dict(ok=0.955, null=0.02, local=0.025), title_copy_desc=0.0,
        stay_id="nda_site", report_id="ris_site", multi_unit=False, html_residue=0.0,
        sites={
            "A": dict(weight=0.40, short="MONTVAL", inst=["CH MONTVAL", "CENTRE HOSPITALIER DE MONTVAL", "CHMONTVAL"],
                      uid="1.2.250.1.312.1.1", ipp_fmt="plain", temp="TMP{n6}",
                      console=_console(ascii=False, apostrophe="keep", usage=0.12, given_extra=0.1),
                      mod_console={"US": dict(ascii=True, apostrophe="drop", truncate=(16, 10)),
                                   "MG": dict(ascii=True, usage=0.5)},
                      acc="A{yy}{n7}", ris="A{yy}{n7}", report_acc=0.9, exam_stay=0.4, report_stay=0.6,
                      title="ccam", queue="fast", er_merged=False, utc=False, exam_unit_req=0.35,
                      header_line=0.6, date_line=0.7, html=0.0),
            "B": dict(weight=0.25, short="STE-AGATHE", inst=["HOPITAL SAINTE-AGATHE", "HOP STE AGATHE", "SAINTE AGATHE"],
                      uid="1.2.840.113619.2.55.3.604", ipp_fmt="strip0", temp="9999{n6}",
                      console=_console(apostrophe="space", hyphen=0.7, hyphen_mode=" ", usage=0.3, typo=0.04,
                                       swapped=0.03, bd_typo=0.02, bd_swap=0.02),
                      mod_console={"CT": dict(no_caret=0.12), "DX": dict(case="title", ascii=False)},
                      acc="B{yy}{n7}", ris="{yy}{n}", report_acc=0.7, exam_stay=0.0, report_stay=0.2,
                      title="desc", queue="backlog", er_merged=True, utc=False, exam_unit_req=0.1,
                      header_line=0.3, date_line=0.5, html=0.0),
            "C": dict(weight=0.20, short="BELLEROCHE", inst=["CH DE BELLEROCHE", "C.H. BELLEROCHE", None],
                      uid="1.3.12.2.1107.5.1.4.77", ipp_fmt="prefix", temp="BELX{n5}",
                      console=_console(apostrophe="drop", hyphen=0.5, hyphen_mode="", truncate=(12, 8),
                                       no_caret=0.05, usage=0.1),
                      acc="C{yy}{n7}", ris="{n7}-C", report_acc=0.6, exam_stay=0.2, report_stay=0.6,
                      title="site_generic", queue="same_day", er_merged=False, utc=True, exam_unit_req=0.5,
                      header_line=0.0, date_line=0.9, html=0.0),
            "D": dict(weight=0.15, short="VAL-D-ORGE", inst=["POLE SANTE DU VAL D'ORGE", "VAL D ORGE"],
                      uid="1.2.392.200036.9116.2.6", ipp_fmt="key97", temp="P{n8}",
                      console=_console(ascii=False, case="title", usage=0.6, nee=0.15, typo=0.02),
                      mod_console={"NM": dict(ascii=True, case="upper", usage=0.2, nee=0.0),
                                   "PT\\CT": dict(ascii=True, case="upper", usage=0.2, nee=0.0)},
                      acc="D{yy}{n7}", ris="RIS{yy}{n9}", report_acc=0.4, exam_stay=0.0, report_stay=0.2,
                      title="modality", queue="telerad", er_merged=False, utc=False, exam_unit_req=0.2,
                      header_line=0.8, date_line=0.3, html=0.08),
        },
        wards=["PNEUMOLOGIE", "CARDIOLOGIE", "GASTRO-ENTEROLOGIE", "ONCOLOGIE MEDICALE", "NEUROLOGIE",
               "MEDECINE INTERNE", "CHIRURGIE DIGESTIVE", "ORTHOPEDIE", "GERIATRIE", "NEPHROLOGIE"],
        day_units=["HDJ ONCOLOGIE", "HDJ MEDECINE", "CHIRURGIE AMBULATOIRE"],
        consult_units=["CONSULTATION ORTHOPEDIE", "CONSULTATION PNEUMOLOGIE", "CONSULTATION NEUROLOGIE",
                       "CONSULTATION GYNECOLOGIE"],
        er_unit="URGENCES", imaging_unit="IMAGERIE MEDICALE",
    ),
    "private_clinic": dict(
        code=2, zipf=0.85, family_rate=0.30, twin_rate=0.03, usage_rate=0.55,
        registry="mixed", ipp="clinic7", mix_boost={"mammo": 2.5, "us_thyroid": 1.5, "bone_rx": 1.3, "pet_fdg": 0.6},
        visits_mean=0.45, visit_mix={"emergency": 0.03, "hospitalisation": 0.22, "day_care": 0.55,
                                     "consultation": 0.20},
        admit_rate=0.2, outpatient_mean=2.6, oncology_rate=0.10, repeat_rate=0.01, preop_rate=0.35,
        faults=dict(missing=0.01, mistyped=0.02, other=0.03, temporary_er=0.05, temporary=0.004),
        other_same_name=0.7, other_previous_on_worklist=0.1,
        no_report=0.02, addendum=0.01, corrected=0.01, prelim_er=0.0, second_reader_pet=0.0,
        outside_review=0.01, combined_repeat=0.0, report_dt_null=0.0, wrong_accession=0.015,
        report_pid=dict(ok=0.99, null=0.01, local=0.0), title_copy_desc=0.85,
        stay_id="clinic", report_id="numeric", multi_unit=False, html_residue=0.0,
        sites={
            "A": dict(weight=1.0, short="CLINIQUE", inst=["CLINIQUE DU PARC SAINT-ROCH", "CLINIQUE ST ROCH",
                                                          "IMAGERIE DU PARC"],
                      uid="1.3.46.670589.11.4217", ipp_fmt="plain", temp="PROV{n5}",
                      console=_console(usage=0.35, nee=0.1, given_extra=0.2, typo=0.02, swapped=0.01),
                      acc="CL{n8}", ris="CL{n8}", report_acc=0.92, exam_stay=0.05, report_stay=0.3,
                      title="desc", queue="clinic", er_merged=False, utc=False, exam_unit_req=0.0,
                      header_line=0.9, date_line=0.8, html=0.0),
        },
        wards=["CHIRURGIE ORTHOPEDIQUE", "CHIRURGIE VISCERALE", "UROLOGIE", "CARDIOLOGIE"],
        day_units=["CHIRURGIE AMBULATOIRE", "HDJ ONCOLOGIE", "ENDOSCOPIE"],
        consult_units=["CONSULTATION ORTHOPEDIE", "CONSULTATION SENOLOGIE", "CONSULTATION UROLOGIE"],
        er_unit="SOINS NON PROGRAMMES", imaging_unit="CABINET D'IMAGERIE",
    ),
    "emergency_heavy": dict(
        code=3, zipf=0.55, family_rate=0.06, twin_rate=0.004, usage_rate=0.4,
        registry="upper_ascii", ipp="er9", mix_boost={"pet_fdg": 0.5, "nm_bone": 0.5},
        visits_mean=1.9, visit_mix={"emergency": 0.72, "hospitalisation": 0.12, "day_care": 0.06,
                                    "consultation": 0.10},
        admit_rate=0.4, outpatient_mean=0.5, oncology_rate=0.04, repeat_rate=0.22,
        faults=dict(missing=0.04, mistyped=0.03, other=0.02, temporary_er=0.22, temporary=0.0),
        other_same_name=0.25, other_previous_on_worklist=0.6,
        no_report=0.03, no_report_er_cr=0.25, addendum=0.01, corrected=0.01, prelim_er=0.0,
        second_reader_pet=0.0, outside_review=0.03, combined_repeat=0.4, report_dt_null=0.3,
        wrong_accession=0.0, report_pid=dict(ok=0.93, null=0.07, local=0.0), title_copy_desc=0.0,
        stay_id="movement", report_id="doc", multi_unit=True, html_residue=0.03,
        sites={
            "A": dict(weight=1.0, short="URG", inst=["CHU LES TROIS RIVIERES", "CHU 3 RIVIERES", None],
                      uid="2.25", ipp_fmt="plain", temp="ER",
                      console=_console(typo=0.06, swapped=0.04, usage=0.2, bd_typo=0.03, bd_swap=0.03,
                                       bd_missing=0.03, sex_missing=0.05, hyphen=0.3, drop_part=0.3),
                      acc="U{yymmdd}{n4}", ris="U{yymmdd}{n4}", report_acc=0.25, exam_stay=0.45, report_stay=0.35,
                      title="generic", queue="er", er_merged=False, utc=False, exam_unit_req=0.6,
                      header_line=0.2, date_line=0.4, html=0.03),
        },
        wards=["UHCD", "MEDECINE POLYVALENTE", "CARDIOLOGIE", "REANIMATION", "CHIRURGIE VISCERALE",
               "TRAUMATOLOGIE", "GERIATRIE AIGUE", "NEUROLOGIE - UNV", "PNEUMOLOGIE"],
        day_units=["HDJ MEDECINE", "HDJ ONCOLOGIE"],
        consult_units=["CONSULTATION POST-URGENCES", "CONSULTATION TRAUMATOLOGIE"],
        er_unit="URGENCES ADULTES", imaging_unit="RADIOLOGIE URGENCES",
    ),
}

DIAG = {
    "PNEUMOLOGIE": ["J18.9", "J44.1", "C34.1", "J84.1", "J96.0"], "CARDIOLOGIE": ["I50.9", "I21.4", "I48.9", "I26.9"],
    "GASTRO-ENTEROLOGIE": ["K80.2", "K74.6", "K85.9", "C18.7"], "ONCOLOGIE MEDICALE": ["C34.1", "C50.4", "C18.7", "C25.0", "Z51.1"],
    "NEUROLOGIE": ["I63.5", "G40.9", "G35"], "MEDECINE INTERNE": ["R50.9", "D64.9", "M31.5"],
    "URGENCES": ["S06.0", "R07.4", "R10.4", "S82.6", "J18.9"], "ORTHOPEDIE": ["S72.0", "M17.1", "S82.6"],
}


# ---------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------
def strip_accents(s: str) -> str:
    s = s.replace("Œ", "OE").replace("œ", "oe").replace("Æ", "AE").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def has_accents(s: str) -> bool:
    return strip_accents(s) != s


def title_case(s: str) -> str:
    out, up = [], True
    for c in s.lower():
        out.append(c.upper() if up else c)
        up = c in " -'"
    return "".join(out)


def zipf_weights(n, a):
    return [1.0 / (i + 1) ** a for i in range(n)]


def rand_dt(rng, a=D0, b=D1):
    return a + dt.timedelta(seconds=rng.randrange(int((b - a).total_seconds())))


def easter(y):
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = ((h + l_ - 7 * m + 114) % 31) + 1
    return dt.date(y, month, day)


HOLIDAYS = set()
for _y in (2023, 2024, 2025):
    _e = easter(_y)
    HOLIDAYS |= {dt.date(_y, 1, 1), _e + dt.timedelta(1), dt.date(_y, 5, 1), dt.date(_y, 5, 8),
                 _e + dt.timedelta(39), _e + dt.timedelta(50), dt.date(_y, 7, 14), dt.date(_y, 8, 15),
                 dt.date(_y, 11, 1), dt.date(_y, 11, 11), dt.date(_y, 12, 25)}


def working_day(d: dt.date, saturday=False) -> bool:
    if d in HOLIDAYS:
        return False
    return d.weekday() < 5 or (saturday and d.weekday() == 5)


def next_working(t: dt.datetime, rng, start=8, end=19, saturday=False) -> dt.datetime:
    """t if it falls in working hours of a working day, else a moment early on the next one."""
    if working_day(t.date(), saturday) and start <= t.hour < end:
        return t
    d = t.date() if t.hour < start else t.date() + DAY
    while not working_day(d, saturday):
        d += DAY
    return dt.datetime.combine(d, dt.time(start)) + dt.timedelta(minutes=rng.randrange(15, 240))


def add_working_days(t, n, rng):
    d = t.date()
    while n > 0:
        d += DAY
        if working_day(d):
            n -= 1
    return dt.datetime.combine(d, dt.time(8)) + dt.timedelta(minutes=rng.randrange(0, 600))


def scheduled_time(rng, day: dt.date, start=7.5, end=19.0):
    return dt.datetime.combine(day, dt.time(0)) + dt.timedelta(minutes=int(60 * rng.uniform(start, end)))


def fr_date(d):
    return d.strftime("%d/%m/%Y")


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def long_date(d):
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


# ---------------------------------------------------------------------------------------
# the generator
# ---------------------------------------------------------------------------------------
class Warehouse:
    def __init__(self, profile: str, n_patients: int, seed: int):
        self.name = profile
        self.P = PROFILES[profile]
        self.rng = random.Random(f"warehouse2|{profile}|{seed}|{n_patients}")
        self.n = n_patients
        self.patients, self.stays, self.exams, self.reports = [], [], [], []
        self.links, self.faults = [], []
        self.used_ids = set()
        self.counters = {}

    # ----- ids -----
    def counter(self, key, start=1, step=(1, 1)):
        v = self.counters.get(key, start)
        self.counters[key] = v + self.rng.randint(*step)
        return v

    def new_ipp(self):
        rng, kind = self.rng, self.P["ipp"]
        while True:
            if kind == "group10":
                v = f"{rng.randrange(100000, 39999999):010d}"
            elif kind == "clinic7":
                v = str(rng.randrange(100000, 2999999))
            else:
                v = str(rng.randrange(100000000, 199999999))
            if v not in self.used_ids:
                self.used_ids.add(v)
                return v

    def site_ipp(self, ipp, site):
        fmt = self.P["sites"][site]["ipp_fmt"]
        if fmt == "strip0":
            return ipp.lstrip("0")
        if fmt == "prefix":
            return "BEL" + ipp
        if fmt == "key97":
            return ipp + f"{97 - int(ipp) % 97:02d}"
        return ipp

    # ----- patients -----
    def pick_surname(self):
        return self.rng.choices(V.SURNAMES, self.sw)[0]

    def pick_given(self, sex):
        return self.rng.choice(V.MALE_GIVEN if sex == "M" else V.FEMALE_GIVEN)

    def person(self, fam, sex, bd, given=None, usage=None):
        rng = self.rng
        giv = given or self.pick_given(sex)
        pool = [g for g in (V.MALE_GIVEN if sex == "M" else V.FEMALE_GIVEN) if "-" not in g and g != giv]
        giv2 = rng.choice(pool) if rng.random() < 0.5 else None
        p = dict(pid=self.new_ipp(), fam=fam, giv=giv, giv2=giv2, bd=bd, sex=sex, usage=usage,
                 site=rng.choices(list(self.P["sites"]), [s["weight"] for s in self.P["sites"].values()])[0],
                 onco=rng.random() < self.P["oncology_rate"])
        self.patients.append(p)
        return p

    def adult_bd(self):
        age = min(98, max(18, int(self.rng.triangular(18, 97, 68))))
        return dt.date(2024 - age, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def make_patients(self):
        P, rng = self.P, self.rng
        self.sw = zipf_weights(len(V.SURNAMES), P["zipf"])
        while len(self.patients) < self.n:
            r = rng.random()
            if r < P["twin_rate"]:
                fam = self.pick_surname()
                bd = dt.date(rng.randrange(1960, 2018), rng.randrange(1, 13), rng.randrange(1, 29))
                kind = rng.random()
                if kind < 0.4:
                    pair, sexes = rng.choice(V.TWIN_PAIRS_M), ("M", "M")
                elif kind < 0.8:
                    pair, sexes = rng.choice(V.TWIN_PAIRS_F), ("F", "F")
                else:
                    pair, sexes = rng.choice(V.MIXED_TWINS), ("M", "F")
                for g, s in zip(pair, sexes, strict=False):
                    self.person(fam, s, bd, given=g)
            elif r < P["twin_rate"] + P["family_rate"]:
                fam = self.pick_surname()
                hbd = self.adult_bd()
                father = self.person(fam, "M", hbd)
                wbd = hbd + dt.timedelta(days=rng.randrange(-2500, 2500))
                if wbd.year > 2005:
                    wbd = wbd.replace(year=2005)
                if rng.random() < 0.8:
                    self.person(self.pick_surname(), "F", wbd, usage=fam if rng.random() < 0.85 else None)
                for _ in range(rng.choice([0, 1, 1, 2])):
                    cbd = hbd + dt.timedelta(days=rng.randrange(8000, 13000))
                    if cbd.year >= 2023:
                        continue
                    sex = rng.choice("MF")
                    # a son named after his father (homonym, other birth date)
                    g = father["giv"] if sex == "M" and rng.random() < 0.3 else None
                    self.person(fam, sex, cbd, given=g)
            else:
                sex = rng.choice("MF")
                bd = self.adult_bd() if rng.random() < 0.94 else dt.date(rng.randrange(2005, 2022), rng.randrange(1, 13), rng.randrange(1, 29))
                usage = None
                if sex == "F" and 2024 - bd.year >= 25 and rng.random() < P["usage_rate"]:
                    usage = self.pick_surname()
                self.person(self.pick_surname(), sex, bd, usage=usage)
        self.patients = self.patients[: self.n]
        self.by_pid = {p["pid"]: p for p in self.patients}
        self.by_fam = {}
        for p in self.patients:
            self.by_fam.setdefault(p["fam"], []).append(p)

    def registry_row(self, p):
        style = self.P["registry"]
        fam, giv, usage = p["fam"], p["giv"], p["usage"]
        if style == "ins":  # INS-like: upper case, no accents, hyphen/apostrophe kept
            f = lambda s: strip_accents(s).upper() if s else s  # noqa: E731
            return f(fam), f(giv), f(usage)
        if style == "mixed":  # family upper with accents, given as written
            return fam, giv, usage
        f = lambda s: strip_accents(s).upper() if s else s  # noqa: E731
        return f(fam), title_case(strip_accents(giv)), f(usage)

    # ----- stays, exams -----
    def new_stay(self, p, site, start, end, unit, stype, nda=None, suffix=None):
        P = self.P
        if nda is None:
            nda = self.new_nda(site, start)
        sid = nda if suffix is None else f"{nda}-{suffix:02d}"
        base = unit.split(" (")[0]
        codes = DIAG.get(base) or DIAG.get("URGENCES" if "URG" in base else "MEDECINE INTERNE")
        diag = None
        if self.rng.random() < 0.7 and stype != "consultation":
            diag = ";".join(sorted(set(self.rng.sample(codes, self.rng.randint(1, min(3, len(codes)))))))
        u = unit if P["stay_id"] != "nda_site" else f"{unit} ({P['sites'][site]['short']})"
        st = dict(stay_id=sid, pid=p["pid"], start=start, end=end, unit=u, type=stype, diag=diag, site=site, nda=nda)
        self.stays.append(st)
        return st

    def new_nda(self, site, t):
        kind = self.P["stay_id"]
        n = self.counter(("nda", site, t.year), 1, (1, 40))
        if kind == "nda_site":
            return f"{'ABCD'.index(site) + 1}{t.year % 100:02d}{n:06d}"
        if kind == "clinic":
            return f"V{t.year % 100:02d}{n:06d}"
        return f"{t.year % 100:02d}{n:07d}"

    def pick_family(self, context, p):
        mix = dict(V.CONTEXT_MIX[context])
        for k, f in self.P.get("mix_boost", {}).items():
            if k in mix:
                mix[k] *= f
        if p["sex"] == "M":
            mix.pop("mammo", None)
        fam = self.rng.choices(list(mix), list(mix.values()))[0]
        return fam

    def add_exam(self, p, site, t, fam, stay, context, req_unit, urgent, visit=None):
        self.exams.append(dict(p=p, site=site, t=t, fam=fam, stay=stay, context=context, req_unit=req_unit,
                               urgent=urgent, visit=visit))

    def exams_in(self, p, site, stay, context, n, urgent_any=False, visit=None, window=None):
        rng = self.rng
        a, b = window or (stay["start"], stay["end"])
        for _ in range(n):
            fam = self.pick_family(context, p)
            if urgent_any or fam == "thorax_rx":
                t = a + (b - a) * rng.random()
            else:  # scheduled imaging: working hours inside the stay when possible
                t = a + (b - a) * rng.random()
                t2 = next_working(t, rng)
                if t2 <= b:
                    t = t2
            self.add_exam(p, site, t, fam, stay, context, stay["unit"], urgent_any, visit)
            if rng.random() < self.P["repeat_rate"] and fam in ("thorax_rx", "ct_head", "bone_rx", "us_abdo"):
                t3 = t + dt.timedelta(minutes=rng.randrange(90, 600))
                if t3 > b and stay["type"] == "emergency":
                    stay["end"] = t3 + dt.timedelta(minutes=rng.randrange(30, 180))
                    b = stay["end"]
                if t3 <= b:
                    self.add_exam(p, site, t3, fam, stay, context, stay["unit"], urgent_any, visit)

    def visit_site(self, p):
        sites = list(self.P["sites"])
        if len(sites) == 1 or self.rng.random() < 0.85:
            return p["site"]
        return self.rng.choice(sites)

    def make_activity(self):
        P, rng = self.P, self.rng
        for p in self.patients:
            nvis = self.poisson(P["visits_mean"])
            for _ in range(nvis):
                site = self.visit_site(p)
                kind = rng.choices(list(P["visit_mix"]), list(P["visit_mix"].values()))[0]
                getattr(self, "visit_" + kind)(p, site)
            for _ in range(self.poisson(P["outpatient_mean"])):
                site = self.visit_site(p)
                day = rand_dt(rng).date()
                while not working_day(day, saturday=self.name == "private_clinic"):
                    day += DAY
                end = 12.5 if day.weekday() == 5 else 19.0
                t = scheduled_time(rng, day, 7.5, end)
                self.add_exam(p, site, t, self.pick_family("outpatient", p), None, "outpatient", None, False)
            if p["onco"]:
                fam = rng.choice(["ct_tap", "ct_tap", "pet_fdg"])
                day = rand_dt(rng, D0, D0 + 200 * DAY).date()
                site = p["site"]
                for _ in range(rng.randint(2, 6)):
                    while not working_day(day):
                        day += DAY
                    if day > D1.date():
                        break
                    t = scheduled_time(rng, day, 8, 17)
                    if rng.random() < 0.5:  # in a day-care stay of oncology, else outpatient
                        st = self.new_stay(p, site, t - dt.timedelta(minutes=rng.randrange(30, 120)),
                                           t + dt.timedelta(hours=rng.uniform(2, 6)), P["day_units"][1 % len(P["day_units"])]
                                           if len(P["day_units"]) > 1 else P["day_units"][0], "day_care")
                        self.add_exam(p, site, t, fam, st, "day_care", st["unit"], False)
                    else:
                        self.add_exam(p, site, t, fam, None, "outpatient", None, False)
                    day += dt.timedelta(days=rng.randrange(60, 120))
                    if rng.random() < 0.3:
                        fam = "pet_fdg" if fam == "ct_tap" else "ct_tap"

    def poisson(self, lam):
        # Knuth; lam is small
        L, k, pr = pow(2.718281828459045, -lam), 0, 1.0
        while True:
            pr *= self.rng.random()
            if pr <= L:
                return k
            k += 1

    def er_arrival(self):
        rng = self.rng
        day = rand_dt(rng).date()
        hour = rng.choices(range(24), [1, 1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 7, 7, 7, 7, 7, 7, 6, 6, 5, 4, 3, 2])[0]
        return dt.datetime.combine(day, dt.time(hour)) + dt.timedelta(minutes=rng.randrange(60))

    def visit_emergency(self, p, site):
        P, rng = self.P, self.rng
        s = P["sites"][site]
        t0 = self.er_arrival()
        er_end = t0 + dt.timedelta(minutes=rng.randrange(120, 900 if self.name == "emergency_heavy" else 720))
        admitted = rng.random() < P["admit_rate"]
        visit = f"v{len(self.stays)}-{p['pid']}"
        n_er = rng.choices([1, 2, 3], [0.55, 0.32, 0.13])[0]
        if P["multi_unit"]:
            nda = self.new_nda(site, t0)
            if not admitted:
                er = self.new_stay(p, site, t0, er_end, P["er_unit"], "emergency", nda=nda)
                self.exams_in(p, site, er, "emergency", n_er, urgent_any=True, visit=visit)
                return
            er = self.new_stay(p, site, t0, er_end, P["er_unit"], "emergency", nda=nda, suffix=1)
            self.exams_in(p, site, er, "emergency", n_er, urgent_any=True, visit=visit)
            t, k = er["end"], 2
            wards = [P["wards"][0]] if rng.random() < 0.6 else []
            wards += rng.sample(P["wards"][1:], rng.choice([1, 1, 2]))
            for w in wards:
                dur = rng.uniform(8, 36) if w == "UHCD" else rng.uniform(24, 240)
                mv = self.new_stay(p, site, t, t + dt.timedelta(hours=dur), w, "hospitalisation", nda=nda, suffix=k)
                self.exams_in(p, site, mv, "hospitalisation", self.poisson(0.9), urgent_any=w in ("REANIMATION", "UHCD"), visit=visit)
                t, k = mv["end"], k + 1
            return
        if admitted:
            hstart = er_end
            hosp_unit = rng.choice(P["wards"])
            if s["er_merged"]:  # the ER passage is part of the stay, which starts at ward arrival
                hosp = self.new_stay(p, site, hstart, hstart + dt.timedelta(hours=rng.uniform(24, 300)), hosp_unit, "hospitalisation")
                self.exams_in(p, site, hosp, "emergency", n_er, urgent_any=True, visit=visit, window=(t0, er_end))
            else:
                er = self.new_stay(p, site, t0, er_end, P["er_unit"], "emergency")
                self.exams_in(p, site, er, "emergency", n_er, urgent_any=True, visit=visit)
                hstart = er["end"]  # a repeated exam may have lengthened the passage
                hosp = self.new_stay(p, site, hstart + dt.timedelta(minutes=rng.randrange(0, 40)),
                                     hstart + dt.timedelta(hours=rng.uniform(24, 300)), hosp_unit, "hospitalisation")
            self.exams_in(p, site, hosp, "hospitalisation", self.poisson(1.3), visit=visit)
        else:
            er = self.new_stay(p, site, t0, er_end, P["er_unit"], "emergency")
            self.exams_in(p, site, er, "emergency", n_er, urgent_any=True, visit=visit)

    def visit_hospitalisation(self, p, site):
        P, rng = self.P, self.rng
        day = rand_dt(rng).date()
        while not working_day(day):
            day += DAY
        start = scheduled_time(rng, day, 8, 16)
        st = self.new_stay(p, site, start, start + dt.timedelta(hours=rng.uniform(20, 240)), rng.choice(P["wards"]), "hospitalisation")
        self.exams_in(p, site, st, "hospitalisation", self.poisson(1.6))
        if rng.random() < 0.08:  # a consultation nested in the stay (anaesthesia, specialist)
            c0 = st["start"] + (st["end"] - st["start"]) * rng.random()
            self.new_stay(p, site, c0, c0 + dt.timedelta(minutes=45), rng.choice(P["consult_units"]), "consultation")

    def visit_day_care(self, p, site):
        P, rng = self.P, self.rng
        day = rand_dt(rng).date()
        while not working_day(day):
            day += DAY
        start = scheduled_time(rng, day, 7.5, 10)
        st = self.new_stay(p, site, start, start + dt.timedelta(hours=rng.uniform(4, 9)), rng.choice(P["day_units"]), "day_care")
        n = rng.choices([0, 1, 2], [0.25, 0.6, 0.15])[0]
        self.exams_in(p, site, st, "day_care", n)
        if rng.random() < P.get("preop_rate", 0.0):
            # pre-operative imaging the working day before: billed as an outpatient act (no stay)
            d = day - DAY
            while not working_day(d, saturday=True):
                d -= DAY
            fam = "thorax_rx" if rng.random() < 0.6 else rng.choice(["us_abdo", "bone_rx", "us_doppler"])
            self.add_exam(p, site, scheduled_time(rng, d, 8, 18), fam, None, "outpatient", None, False)

    def visit_consultation(self, p, site):
        P, rng = self.P, self.rng
        day = rand_dt(rng).date()
        while not working_day(day):
            day += DAY
        start = scheduled_time(rng, day, 8, 18)
        st = self.new_stay(p, site, start, start + dt.timedelta(minutes=rng.randrange(20, 90)), rng.choice(P["consult_units"]), "consultation")
        if rng.random() < 0.5:
            self.exams_in(p, site, st, "consultation", 1, urgent_any=True)

    # ----- exam headers -----
    def finalize_exams(self):
        P, rng = self.P, self.rng
        self.exams.sort(key=lambda e: (e["t"], e["p"]["pid"], e["fam"]))
        self.all_forms = {self.site_ipp(p["pid"], s) for p in self.patients for s in P["sites"]} | self.used_ids
        self.all_forms |= {p["pid"].lstrip("0") for p in self.patients}
        for st in self.stays:  # whole minutes, the exams they hold stay inside
            st["start"] = st["start"].replace(second=0, microsecond=0)
            if st["end"].second or st["end"].microsecond:
                st["end"] = st["end"].replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        last_on = {}
        temp_of_visit = {}
        for _i, e in enumerate(self.exams):
            s = P["sites"][e["site"]]
            p = e["p"]
            mod, descs, bps, _ = V.EXAMS[e["fam"]]
            joint = rng.choice(V.JOINTS)
            side = rng.choice(["DROIT", "GAUCHE"])
            e["joint"], e["side"] = joint, side
            desc = rng.choice(descs[: 2] if e["site"] in ("A", "B") and rng.random() < 0.7 else descs)
            if e["site"] == "C" and rng.random() < 0.5 and e["fam"] != "bone_rx":
                desc = descs[-1]
            side_w = side + ("E" if joint[0] in ("MAIN", "CHEVILLE", "EPAULE", "HANCHE") else "")
            e["desc"] = desc.format(joint=joint[0], side=side_w if "{side}" in desc and rng.random() < 0.85 else "").strip()
            bp = rng.choice(bps).format(bp=joint[1])
            e["body_part"] = bp or None
            e["modality"] = mod if not (mod == "CR" and rng.random() < 0.3) else "DX"
            if e["site"] in ("C",) and e["modality"] == "PT\\CT":
                e["modality"] = "PT"
            # study time as written by the console (site C consoles run on UTC)
            t = e["t"]
            if s["utc"]:
                t = t - (2 * H if _cest(t) else H)
            e["study_dt"] = t.replace(microsecond=0)
            yy = f"{e['t'].year % 100:02d}"
            n = self.counter(("acc", e["site"]), rng.randrange(1000, 9000), (1, 3))
            e["acc_n"], e["acc_yy"] = n, yy
            e["acc"] = self.fmt_acc(s["acc"], n, e["t"])
            # id
            if s["uid"] == "2.25":
                e["eid"] = "2.25." + str(rng.getrandbits(100))
            else:
                e["eid"] = f"{s['uid']}.{e['t'].strftime('%Y%m%d%H%M%S')}.{self.counter(('uid', e['site']), 1, (1, 7))}"
            e["institution"] = rng.choice(s["inst"]) if rng.random() > 0.03 else None
            e["unit"] = e["req_unit"] if (e["req_unit"] and rng.random() < s["exam_unit_req"]) else P["imaging_unit"]
            # stay id written in the header
            st = e["stay"]
            e["hdr_stay"] = None
            if st is not None and rng.random() < s["exam_stay"]:
                e["hdr_stay"] = st["nda"] if P["stay_id"] == "movement" else st["stay_id"]
            # ---- patient identity (fault, then noise) ----
            F = P["faults"]
            r = rng.random()
            fault = "none"
            temp_rate = F["temporary_er"] if e["context"] == "emergency" else F["temporary"]
            mistyped = F["mistyped"] * (1.8 if s["ipp_fmt"] == "strip0" else 1.0)  # site B types IPPs by hand
            if r < temp_rate:
                fault = "temporary_ipp"
            elif r < temp_rate + F["missing"]:
                fault = "missing_ipp"
            elif r < temp_rate + F["missing"] + mistyped:
                fault = "mistyped_ipp"
            elif r < temp_rate + F["missing"] + mistyped + F["other"]:
                fault = "other_patient_ipp"
            noise = []
            key = (e["site"], e["modality"])
            if fault == "temporary_ipp":
                vk = e["visit"] or e["eid"]
                if vk not in temp_of_visit:
                    temp_of_visit[vk] = (self.temp_ipp(s, e["t"]), rng.random())
                hdr_ipp, style = temp_of_visit[vk]
                pn, bd, sex, noise = self.temp_identity(p, s, style)
            else:
                console = dict(s["console"], **s.get("mod_console", {}).get(e["modality"], {}))
                pn, bd, sex, noise = self.render_identity(p, console)
                hdr_ipp = self.site_ipp(p["pid"], e["site"])
                if hdr_ipp != p["pid"]:
                    noise.append("ipp_format")
                if fault == "missing_ipp":
                    hdr_ipp = None if rng.random() < 0.8 else rng.choice(["", "0", "INCONNU"])
                    if hdr_ipp == "":
                        hdr_ipp = None
                elif fault == "mistyped_ipp":
                    hdr_ipp = self.mistype(hdr_ipp, e["site"])
                elif fault == "other_patient_ipp":
                    q = self.other_patient(p, last_on.get(key))
                    if q is None:
                        fault = "none"
                    else:
                        hdr_ipp = self.site_ipp(q["pid"], e["site"])
            last_on[key] = p
            e["fault"], e["noise"] = fault, noise
            e["hdr_ipp"], e["pn"], e["hdr_bd"], e["hdr_sex"] = hdr_ipp, pn, bd, sex

    def fmt_acc(self, fmt, n, t):
        yy = f"{t.year % 100:02d}"
        return (fmt.replace("{yymmdd}", t.strftime("%y%m%d")).replace("{yy}", yy)
                .replace("{n4}", f"{n % 10000:04d}").replace("{n7}", f"{n:07d}").replace("{n8}", f"{n:08d}")
                .replace("{n9}", f"{n:09d}").replace("{n}", str(n)))

    def temp_ipp(self, s, t):
        rng = self.rng
        fmt = s["temp"]
        if fmt == "ER":
            r = rng.random()
            if r < 0.6:
                return "99" + f"{rng.randrange(10**8):08d}"
            if r < 0.85:
                return "X" + t.strftime("%y%m%d%H%M")
            return "INC" + f"{rng.randrange(10**5):05d}"
        return (fmt.replace("{n5}", f"{rng.randrange(10**5):05d}").replace("{n6}", f"{rng.randrange(10**6):06d}")
                .replace("{n8}", f"{rng.randrange(10**8):08d}"))

    def temp_identity(self, p, s, style):
        rng = self.rng
        fam = strip_accents(p["fam"]).upper()
        if style < 0.5:
            pn = rng.choice(["INCONNU^HOMME" if p["sex"] == "M" else "INCONNUE^FEMME", "X^X", "ANONYME^PATIENT",
                             f"URGENCE^{rng.randrange(100, 999)}", "SOUS X^", "PATIENT^NON IDENTIFIE"])
            bd = rng.choice([dt.date(1900, 1, 1), dt.date(p["bd"].year + rng.randint(-5, 5), 1, 1), None])
            return pn, bd, (p["sex"] if rng.random() < 0.8 else None), ["placeholder_name"]
        if style < 0.7:
            bd = dt.date(p["bd"].year, 1, 1) if rng.random() < 0.5 else None
            return f"{fam}^INCONNU", bd, p["sex"], ["placeholder_name"]
        return self.render_identity(p, s["console"])  # identity known, registry record not found

    def mistype(self, ipp, site):
        rng = self.rng
        taken = self.all_forms  # never an existing IPP, in any site's format
        for _ in range(50):
            chars = list(ipp)
            digits = [i for i, c in enumerate(chars) if c.isdigit()]
            r = rng.random()
            if r < 0.5:
                i = rng.choice(digits)
                chars[i] = rng.choice([d for d in "0123456789" if d != chars[i]])
            elif r < 0.8:
                pairs = [i for i in digits[:-1] if i + 1 in digits and chars[i] != chars[i + 1]]
                if not pairs:
                    continue
                i = rng.choice(pairs)
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
            else:
                chars = chars[rng.randint(1, 2):]
            v = "".join(chars)
            if v and v not in taken:
                return v
        return ipp[:-1]

    def other_patient(self, p, previous):
        rng, P = self.rng, self.P
        if previous is not None and previous is not p and rng.random() < P["other_previous_on_worklist"]:
            return previous
        if rng.random() < P["other_same_name"]:
            same = [q for q in self.by_fam.get(p["fam"], []) if q is not p]
            if same:
                return rng.choice(same)
        q = rng.choice(self.patients)
        return None if q is p else q

    def render_identity(self, p, c):
        rng = self.rng
        noise = []
        reg_f, reg_g, _ = self.registry_row(p)
        fam, giv = p["fam"], p["giv"]
        if p["usage"] and rng.random() < c["usage"]:
            fam = p["usage"]
            noise.append("usage_name")
        elif p["usage"] and rng.random() < c["nee"]:
            fam = f"{p['usage']} NEE {p['fam']}" if rng.random() < 0.6 else f"{p['fam']} EP {p['usage']}"
            noise.append("maiden_and_usage")
        if p["giv2"] and rng.random() < c["given_extra"]:
            giv = f"{giv} {p['giv2']}"
            noise.append("given_extra")

        def op(kind, f):
            nonlocal fam, giv
            nf, ng = f(fam), f(giv)
            if (nf, ng) != (fam, giv):
                noise.append(kind)
            fam, giv = nf, ng

        if c["apostrophe"] != "keep":
            op("apostrophe", lambda s: s.replace("'", " " if c["apostrophe"] == "space" else ""))
        if rng.random() < c["hyphen"]:
            op("compound", lambda s: s.replace("-", c["hyphen_mode"]))
        if rng.random() < c["drop_part"] and ("-" in fam or " " in fam) and len(fam) > 8:
            op("compound", lambda s: s if s is giv else s.replace("-", " ").split(" ")[-1 if rng.random() < 0.3 else 0])
        if rng.random() < c["typo"]:
            which = rng.random() < 0.7
            target = fam if which else giv
            letters = [i for i, ch in enumerate(target) if ch.isalpha()]
            if letters:
                i = rng.choice(letters)
                r = rng.random()
                if r < 0.4:
                    t2 = target[:i] + target[i + 1:]
                elif r < 0.7:
                    t2 = target[:i] + target[i] + target[i:]
                else:
                    t2 = target[:i] + rng.choice("AEIOURSTNLC") + target[i + 1:]
                if which:
                    fam = t2
                else:
                    giv = t2
                noise.append("typo")
        if c["ascii"]:
            fam, giv = strip_accents(fam), strip_accents(giv)
        if c["case"] == "upper":
            fam, giv = fam.upper(), giv.upper()
        else:
            fam, giv = title_case(fam), title_case(giv)
        if c["truncate"]:
            op("truncated", lambda s: s[: c["truncate"][0]] if s is fam else s[: c["truncate"][1]])
        if has_accents(fam + giv) != has_accents(reg_f + reg_g):
            noise.append("accents")
        if any(ch.islower() for ch in fam) != any(ch.islower() for ch in reg_f):
            noise.append("case")
        if rng.random() < c["swapped"]:
            fam, giv = giv, fam
            noise.append("swapped")
        pn = f"{fam}^{giv}"
        if rng.random() < c["no_caret"]:
            pn = f"{fam} {giv}"
            noise.append("no_separator")
        bd = p["bd"]
        r = rng.random()
        if r < c["bd_missing"]:
            bd = None
            noise.append("birth_date_missing")
        elif r < c["bd_missing"] + c["bd_swap"] and bd.day <= 12 and bd.day != bd.month:
            bd = bd.replace(day=bd.month, month=bd.day)
            noise.append("birth_day_month_swap")
        elif r < c["bd_missing"] + c["bd_swap"] + c["bd_typo"]:
            bd = self.bd_typo(bd)
            noise.append("birth_date_typo")
        sex = p["sex"]
        if rng.random() < c["sex_missing"]:
            sex = None
            noise.append("sex_missing")
        return pn, bd, sex, noise

    def bd_typo(self, bd):
        rng = self.rng
        s = bd.strftime("%Y%m%d")
        for _ in range(30):
            i = rng.choice([2, 3, 6, 7])
            t = s[:i] + rng.choice("0123456789") + s[i + 1:]
            try:
                v = dt.datetime.strptime(t, "%Y%m%d").date()
            except ValueError:
                continue
            if v != bd and v.year < 2024:
                return v
        return bd + DAY

    # ----- reports -----
    def make_reports(self):
        P, rng = self.P, self.rng
        by_patient = {}
        for e in self.exams:
            by_patient.setdefault(e["p"]["pid"], []).append(e)
        skip = set()
        if P["combined_repeat"]:
            for _pid, es in by_patient.items():
                for a, b in zip(es, es[1:], strict=False):
                    if (a["fam"] == b["fam"] == "thorax_rx" and a["stay"] is b["stay"] and a["t"].date() == b["t"].date()
                            and rng.random() < P["combined_repeat"]):
                        skip.add(id(a))
                        b["combined_with"] = a
        for e in self.exams:
            s = P["sites"][e["site"]]
            if id(e) in skip:
                continue
            nr = P["no_report"]
            if e["context"] == "emergency" and e["fam"] in ("thorax_rx", "bone_rx"):
                nr = P.get("no_report_er_cr", nr)
            if rng.random() < nr:
                continue
            prev = [x for x in by_patient[e["p"]["pid"]] if x["fam"] == e["fam"] and x["t"] < e["t"]]
            e["previous"] = prev[-1] if prev else None
            abnormal = rng.random() < (0.55 if e["context"] in ("emergency", "hospitalisation") or e["p"]["onco"] else 0.35)
            t_final = self.sign_time(e, s)
            if e["urgent"] and rng.random() < P["prelim_er"] and e["modality"] in ("CT", "MR", "US"):
                t_pre = e["t"] + dt.timedelta(minutes=rng.randrange(15, 90))
                if t_final - t_pre > 2 * H:
                    self.report(e, s, t_pre, "prelim", abnormal)
            self.report(e, s, t_final, "final", abnormal)
            if e["fam"] == "pet_fdg" and rng.random() < P["second_reader_pet"]:
                self.report(e, s, add_working_days(t_final, rng.randint(1, 4), rng), "second_reader", abnormal)
            if rng.random() < P["corrected"]:
                self.report(e, s, next_working(t_final + dt.timedelta(days=rng.uniform(3, 28)), rng), "corrected", abnormal)
            if rng.random() < P["addendum"]:
                self.report(e, s, next_working(t_final + dt.timedelta(days=rng.uniform(12, 50)), rng), "addendum", abnormal)
        # reviews of outside imaging: no exam in this PACS
        n_out = int(round(P["outside_review"] * len(self.exams)))
        hosp = [st for st in self.stays if st["type"] in ("hospitalisation", "day_care", "consultation")]
        for _ in range(n_out):
            if hosp and rng.random() < 0.6:
                st = rng.choice(hosp)
                t = st["start"] + (st["end"] - st["start"]) * rng.uniform(0.1, 0.9)
                p = self.by_pid[st["pid"]]
            else:
                st, p, t = None, rng.choice(self.patients), next_working(rand_dt(rng), rng)
            self.outside_report(p, st, t)
        self.reports.sort(key=lambda r: (r["sort_t"], r["rid_n"]))

    def sign_time(self, e, s):
        rng, t, q = self.rng, e["t"], s["queue"]
        if e["urgent"] and q != "clinic":
            if q == "er" or rng.random() < 0.5:
                return t + dt.timedelta(minutes=rng.randrange(20, 200))
            return next_working(t + dt.timedelta(minutes=rng.randrange(30, 180)), rng)
        nuc = e["fam"] in ("pet_fdg", "nm_bone")
        if q == "fast":
            r = next_working(t + dt.timedelta(minutes=rng.randrange(30, 360)), rng)
        elif q == "backlog":
            r = add_working_days(t, rng.choice([0, 1, 1, 2, 3, 4]), rng) if e["modality"] in ("CT", "MR") else \
                next_working(t + dt.timedelta(hours=rng.uniform(1, 30)), rng)
            r = max(r, t + dt.timedelta(minutes=40))
        elif q == "same_day":
            r = t + dt.timedelta(minutes=rng.randrange(20, 240))
        elif q == "telerad":
            r = add_working_days(t, rng.randint(2, 10), rng)
        elif q == "clinic":
            r = t + dt.timedelta(minutes=rng.randrange(15, 240))
            if r.date() != t.date():  # signed before the evening closes, or right after a late exam
                r = max(dt.datetime.combine(t.date(), dt.time(23, 30)), t + dt.timedelta(minutes=rng.randrange(10, 40)))
            if nuc and rng.random() < 0.05:
                r = next_working(t + DAY, rng)
        else:  # er profile, scheduled exams
            r = next_working(t + dt.timedelta(hours=rng.uniform(0.5, 48)), rng)
        if nuc and q not in ("clinic",):
            r = max(r, add_working_days(t, rng.randint(1, 3), rng))
        return r

    def new_report_id(self, site):
        kind = self.P["report_id"]
        n = self.counter(("rid", site), 1000, (1, 2))
        if kind == "ris_site":
            return f"CR-{site}-{n:07d}", n
        if kind == "numeric":
            return str(40000 + n), n
        return f"DOC{n:08d}", n

    def report_pid(self, e):
        rng, P = self.rng, self.P
        p = e["p"]
        if e["fault"] == "temporary_ipp":
            r = rng.random()
            if r < 0.4:
                return e["hdr_ipp"]
            return p["pid"] if r < 0.9 else None
        w = P["report_pid"]
        r = rng.random()
        if r < w["ok"]:
            return p["pid"]
        if r < w["ok"] + w["null"]:
            return None
        return self.site_ipp(p["pid"], e["site"])

    def report(self, e, s, t, kind, abnormal):
        P, rng = self.P, self.rng
        rid, n = self.new_report_id(e["site"])
        title, text = self.compose(e, s, t, kind, abnormal)
        acc = None
        if rng.random() < s["report_acc"]:
            acc = self.fmt_acc(s["ris"], e["acc_n"], e["t"])
            if rng.random() < P["wrong_accession"] and e.get("previous") is not None:
                acc = self.fmt_acc(s["ris"], e["previous"]["acc_n"], e["previous"]["t"])
        st = e["stay"]
        rst = None
        if st is not None and rng.random() < s["report_stay"]:
            rst = st["stay_id"]
            if P["multi_unit"] and rng.random() < 0.15:
                sib = [x for x in self.stays if x["nda"] == st["nda"] and x is not st]
                if sib:
                    rst = rng.choice(sib)["stay_id"]
        rdt = t.replace(microsecond=0, second=0)
        if rng.random() < P["report_dt_null"]:
            rdt = None
        self.reports.append(dict(report_id=rid, rid_n=n, patient_id=self.report_pid(e), stay_id=rst, report_datetime=rdt,
                                 title=title, text=text, accession_number=acc, exam=e, stay=st, sort_t=t))

    def outside_report(self, p, st, t):
        rng = self.rng
        site = p["site"] if self.P["stay_id"] == "nda_site" else "A"
        rid, n = self.new_report_id(site)
        fam = rng.choice(["ct_chest", "ct_tap", "mr_brain", "pet_fdg", "mr_spine"])
        when = t - dt.timedelta(days=rng.randrange(5, 120))
        where = rng.choice(["Clinique des Alpilles", "CH de Rochebrune", "un cabinet de ville", "CHU voisin",
                            "Centre d'imagerie Pasteur"])
        desc = V.EXAMS[fam][1][0].lower()
        title = rng.choice(["Avis sur examen extérieur", "RELECTURE IMAGERIE EXTERNE", "Second avis radiologique",
                            "Avis RCP - imagerie"])
        body = (f"Relecture à la demande du clinicien d'un(e) {desc} réalisé(e) le {fr_date(when)} à {where}.\n\n"
                f"{rng.choice(V.RESULTS_ABNORMAL[fam] + V.RESULTS_NORMAL[fam])}\n\n"
                f"Conclusion : {rng.choice(['Concordance avec le compte rendu initial.', 'Lecture discordante, voir ci-dessus.', 'Pas de modification de la prise en charge proposée.'])}\n"
                f"{rng.choice(V.DOCTORS)}")
        body = self.fill(body, dict(side="DROIT"), None)
        rst = st["stay_id"] if st is not None and rng.random() < 0.5 else None
        self.reports.append(dict(report_id=rid, rid_n=n, patient_id=p["pid"] if rng.random() < 0.97 else None,
                                 stay_id=rst, report_datetime=None if rng.random() < self.P["report_dt_null"] else t.replace(second=0, microsecond=0),
                                 title=title, text=body, accession_number=None, exam=None, stay=st, sort_t=t))

    def fill(self, s, e, extra):
        rng = self.rng
        side = (e.get("side") or rng.choice(["DROIT", "GAUCHE"])).lower()
        joint = e.get("joint") or rng.choice(V.JOINTS)
        return (s.replace("{side_l}", "droit" if side == "droit" else "gauche").replace("{joint_l}", joint[2])
                .replace("{organ}", rng.choice(V.ORGANS)).replace("{size}", str(rng.randrange(4, 48)))
                .replace("{seg}", rng.choice(["IV", "VI", "VII", "VIII", "II"]))
                .replace("{suv}", f"{rng.uniform(2.5, 19):.1f}".replace(".", ","))
                .replace("{ref}", f"{rng.uniform(1.8, 2.9):.1f}".replace(".", ","))
                .replace("{dose}", str(rng.randrange(180, 380))).replace("{gly}", f"{rng.uniform(0.8, 1.5):.2f}".replace(".", ","))
                .replace("{delay}", str(rng.randrange(55, 80))))

    def title_of(self, e, s, kind):
        rng, P = self.rng, self.P
        style = s["title"]
        fam = e["fam"]
        if P["title_copy_desc"]:
            if rng.random() < P["title_copy_desc"]:
                base = e["desc"]
            else:
                base = rng.choice([e["desc"].capitalize(), "Compte rendu " + e["desc"].lower(), "CR " + e["desc"]])
        elif style == "ccam":
            base = V.EXAMS[fam][3].replace("{joint_l}", e["joint"][2])
        elif style == "desc":
            base = e["desc"] if rng.random() < 0.8 else rng.choice(V.EXAMS[fam][1]).format(joint=e["joint"][0], side="").strip()
        elif style == "site_generic":
            base = f"COMPTE RENDU D'IMAGERIE - {s['short']}"
        elif style == "modality":
            base = {"CR": "CR RADIOLOGIE", "DX": "CR RADIOLOGIE", "CT": "CR SCANNER", "MR": "CR IRM", "US": "CR ECHOGRAPHIE",
                    "MG": "CR SENOLOGIE", "PT\\CT": "CR TEP-TDM", "PT": "CR TEP-TDM", "NM": "CR MEDECINE NUCLEAIRE"}[e["modality"]]
        else:  # generic (emergency)
            if rng.random() < 0.7:
                base = rng.choice(["Compte rendu d'imagerie", "CR RADIO", "Imagerie", "Compte-rendu radiologique",
                                   "RADIOLOGIE URGENCES", "Compte rendu"])
            else:
                base = e["desc"].capitalize()
        if kind == "prelim":
            return rng.choice(["CR PROVISOIRE DE GARDE", f"{base} - lecture préliminaire"])
        if kind == "second_reader":
            return rng.choice(["TEP - seconde lecture", f"{base} (double lecture)"])
        if kind == "corrected":
            return rng.choice([f"{base} - RECTIFICATIF", f"{base} (annule et remplace)", "CR MODIFIE"])
        if kind == "addendum":
            return rng.choice(["ADDENDUM", f"Addendum - {base}", f"{base} : complément"])
        return base

    def compose(self, e, s, t, kind, abnormal):
        rng, P = self.rng, self.P
        fam = e["fam"]
        title = self.title_of(e, s, kind)
        p = e["p"]
        when = e["t"]
        date_forms = [f"Examen du {fr_date(when)}", f"Examen réalisé le {fr_date(when)} à {when:%Hh%M}",
                      f"Date de l'examen : {when:%d.%m.%Y}", f"Le {long_date(when)}", f"{e['desc']} du {fr_date(when)}"]
        lines = []
        if rng.random() < s["header_line"]:
            civ = "M." if p["sex"] == "M" else "Mme"
            name = p["usage"] if p["usage"] and rng.random() < 0.5 else p["fam"]
            lines.append(rng.choice([f"Patient : {civ} {strip_accents(name).upper()} {p['giv']}, né(e) le {fr_date(p['bd'])}",
                                     f"{civ} {name} {p['giv']} ({fr_date(p['bd'])})",
                                     f"Nom : {strip_accents(name).upper()}  Prénom : {p['giv']}  DDN : {fr_date(p['bd'])}"]))
        date_p = s["date_line"]
        if P["report_dt_null"]:
            date_p = max(date_p, 0.6)
        if rng.random() < date_p:
            lines.append(rng.choice(date_forms))
        if rng.random() < 0.3:
            lines.append(f"Prescripteur : {rng.choice(V.DOCTORS)}" + (f" ({e['req_unit'].title()})" if e["req_unit"] else ""))
        head = "\n".join(lines)
        if kind == "prelim":
            body = (f"Lecture préliminaire (interne de garde), sous réserve de la relecture par le senior.\n"
                    f"{self.results(fam, abnormal, 1)}\nAvis : {self.conclusion(fam, abnormal)}")
            return title, self.finish(e, s, head, body)
        if kind == "second_reader":
            body = (f"Double lecture de la TEP-TDM du {fr_date(when)}.\n"
                    f"{rng.choice(['En accord avec la première lecture.', 'Précision : la fixation décrite est jugée plutôt inflammatoire.', 'Pas de modification de la conclusion.'])}\n"
                    f"{rng.choice(V.DOCTORS)} / {rng.choice(V.DOCTORS)}")
            return title, self.finish(e, s, head, body)
        if kind == "addendum":
            body = (f"Complément au compte rendu {rng.choice(['de l’examen', 'du ' + fr_date(when), 'initial'])}.\n"
                    f"{rng.choice(['Après relecture en RCP, ', 'Après comparaison avec l’imagerie antérieure, ', 'À la demande du clinicien, '])}"
                    f"{rng.choice(['la lésion décrite est stable.', 'le nodule mesure en réalité {size} mm.', 'pas de modification de la conclusion.', 'une biopsie est proposée.'])}")
            return title, self.finish(e, s, head, self.fill(body, e, None))
        hdr = rng.choice(V.SECTION_HEADERS)
        ind = self.fill(rng.choice(V.INDICATIONS[fam]), e, None)
        tech = self.fill(rng.choice(V.TECHNIQUES[fam]), e, None)
        parts = [f"{hdr[0]}\n{ind}" if hdr[0][-1] != ":" else f"{hdr[0]} {ind}"]
        if rng.random() < 0.85:
            parts.append(f"{hdr[1]}\n{tech}" if hdr[1][-1] != ":" else f"{hdr[1]} {tech}")
        if e.get("previous") is not None and rng.random() < 0.6:
            parts.append(rng.choice(["Comparaison", "Examen de référence", "Comparatif"]) +
                         f" : {rng.choice(['examen', 'scanner', 'étude'])} du {fr_date(e['previous']['t'])}.")
        res = self.results(fam, abnormal, rng.randint(2, 4), e)
        if e.get("combined_with") is not None:
            a = e["combined_with"]
            res = (f"Clichés de {a['t']:%Hh%M} et de {when:%Hh%M}.\n" + res)
        parts.append(f"{hdr[2]}\n{res}")
        parts.append(f"{hdr[3]}\n{self.conclusion(fam, abnormal, e)}")
        if kind == "corrected":
            parts.insert(0, rng.choice(["Ce compte rendu annule et remplace le précédent (erreur de latéralité).",
                                        "CR rectifié : correction de la conclusion.", "Version corrigée."]))
        parts.append(rng.choice(V.DOCTORS) + rng.choice(["", "\nCompte rendu validé électroniquement.", "\nSigné électroniquement"]))
        return title, self.finish(e, s, head, "\n\n".join(parts))

    def finish(self, e, s, head, body):
        text = (head + "\n\n" + body) if head else body
        if self.rng.random() < s["html"]:
            text = ("<p>" + text.replace("\n\n", "</p><p>").replace("\n", "<br>").replace("é", "&eacute;")
                    .replace("è", "&egrave;") + "</p>")
        return text

    def results(self, fam, abnormal, k, e=None):
        rng = self.rng
        norm = list(V.RESULTS_NORMAL[fam])
        rng.shuffle(norm)
        out = norm[:k]
        if abnormal:
            out[0:0] = [rng.choice(V.RESULTS_ABNORMAL[fam])]
            out = out[:k]
        return self.fill("\n".join(out), e or {}, None)

    def conclusion(self, fam, abnormal, e=None):
        rng = self.rng
        pool = (V.CONCL_ABNORMAL if abnormal else V.CONCL_NORMAL)
        opts = pool.get(fam, []) + pool["_"]
        return self.fill(rng.choice(opts), e or {}, None)

    # ----- output -----
    def run(self):
        self.make_patients()
        self.make_activity()
        self.finalize_exams()
        self.make_reports()
        return self

    def tables(self):
        pats = sorted(self.patients, key=lambda p: p["pid"])
        reg = [self.registry_row(p) for p in pats]
        patients = {
            "patient_id": [p["pid"] for p in pats], "family_name": [r[0] for r in reg], "given_name": [r[1] for r in reg],
            "birth_date": [p["bd"] for p in pats], "sex": [p["sex"] for p in pats], "usage_name": [r[2] for r in reg],
        }
        sts = sorted(self.stays, key=lambda s: (s["start"], s["stay_id"]))
        stays = {
            "stay_id": [s["stay_id"] for s in sts], "patient_id": [s["pid"] for s in sts],
            "start_datetime": [s["start"] for s in sts],
            "end_datetime": [s["end"] for s in sts],
            "unit": [s["unit"] for s in sts], "stay_type": [s["type"] for s in sts], "diagnoses": [s["diag"] for s in sts],
        }
        ex = self.exams
        exams = {
            "exam_id": [e["eid"] for e in ex], "accession_number": [e["acc"] for e in ex],
            "patient_id": [e["hdr_ipp"] for e in ex], "patient_name": [e["pn"] for e in ex],
            "birth_date": [e["hdr_bd"] for e in ex], "sex": [e["hdr_sex"] for e in ex],
            "study_datetime": [e["study_dt"] for e in ex], "modality": [e["modality"] for e in ex],
            "study_description": [e["desc"] for e in ex], "body_part": [e["body_part"] for e in ex],
            "institution": [e["institution"] for e in ex], "unit": [e["unit"] for e in ex],
            "stay_id": [e["hdr_stay"] for e in ex],
        }
        rp = self.reports
        reports = {k: [r[k] for r in rp] for k in ("report_id", "patient_id", "stay_id", "report_datetime", "title", "text",
                                                    "accession_number")}
        links = {"source_type": [], "source_id": [], "target_type": [], "target_id": []}

        def link(st, sid, tt, tid):
            links["source_type"].append(st)
            links["source_id"].append(sid)
            links["target_type"].append(tt)
            links["target_id"].append(tid)

        for e in ex:
            link("exam", e["eid"], "patient", e["p"]["pid"])
            link("exam", e["eid"], "stay", e["stay"]["stay_id"] if e["stay"] else None)
        for r in rp:
            link("report", r["report_id"], "exam", r["exam"]["eid"] if r["exam"] else None)
            link("report", r["report_id"], "stay", r["stay"]["stay_id"] if r["stay"] else None)
        faults = {"exam_id": [e["eid"] for e in ex], "fault": [e["fault"] for e in ex],
                  "identity_noise": [";".join(dict.fromkeys(e["noise"])) for e in ex]}
        return patients, stays, exams, reports, links, faults


def _cest(t):
    """Summer time in France (last Sunday of March .. last Sunday of October)."""
    def last_sunday(y, m):
        d = dt.date(y, m, 31)
        return d - dt.timedelta(days=(d.weekday() + 1) % 7)
    return last_sunday(t.year, 3) <= t.date() < last_sunday(t.year, 10)


S, D, TS = pa.string(), pa.date32(), pa.timestamp("us")
SCHEMAS = {
    "patients": [("patient_id", S), ("family_name", S), ("given_name", S), ("birth_date", D), ("sex", S), ("usage_name", S)],
    "stays": [("stay_id", S), ("patient_id", S), ("start_datetime", TS), ("end_datetime", TS), ("unit", S),
              ("stay_type", S), ("diagnoses", S)],
    "exams": [("exam_id", S), ("accession_number", S), ("patient_id", S), ("patient_name", S), ("birth_date", D),
              ("sex", S), ("study_datetime", TS), ("modality", S), ("study_description", S), ("body_part", S),
              ("institution", S), ("unit", S), ("stay_id", S)],
    "reports": [("report_id", S), ("patient_id", S), ("stay_id", S), ("report_datetime", TS), ("title", S), ("text", S),
                ("accession_number", S)],
    "links": [("source_type", S), ("source_id", S), ("target_type", S), ("target_id", S)],
    "exam_faults": [("exam_id", S), ("fault", S), ("identity_noise", S)],
}


def write(table: dict, name: str, path: str):
    schema = pa.schema([pa.field(c, t) for c, t in SCHEMAS[name]])
    arrays = [pa.array(table[c], type=t) for c, t in SCHEMAS[name]]
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), path, compression="zstd")


def generate(profile: str, n_patients: int, seed: int, out: str) -> dict:
    w = Warehouse(profile, n_patients, seed).run()
    patients, stays, exams, reports, links, faults = w.tables()
    os.makedirs(os.path.join(out, "truth"), exist_ok=True)
    for name, tab in (("patients", patients), ("stays", stays), ("exams", exams), ("reports", reports)):
        write(tab, name, os.path.join(out, f"{name}.parquet"))
    write(links, "links", os.path.join(out, "truth", "links.parquet"))
    write(faults, "exam_faults", os.path.join(out, "truth", "exam_faults.parquet"))
    return {k: len(v[next(iter(v))]) for k, v in (("patients", patients), ("stays", stays), ("exams", exams),
                                                   ("reports", reports), ("links", links))}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", choices=sorted(PROFILES))
    ap.add_argument("--all", action="store_true", help="write the three profiles under OUT/<profile>")
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=31337)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args(argv)
    if not a.all and not a.profile:
        ap.error("--profile or --all")
    todo = sorted(PROFILES, key=lambda k: PROFILES[k]["code"]) if a.all else [a.profile]
    for prof in todo:
        out = os.path.join(a.out, prof) if a.all else a.out
        sizes = generate(prof, a.patients, a.seed, out)
        print(prof, " ".join(f"{k}={v}" for k, v in sizes.items()), "->", out)


if __name__ == "__main__":
    main()
