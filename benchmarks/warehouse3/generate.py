#!/usr/bin/env python3
"""warehouse3: a blind synthetic French imaging warehouse generator.

Three profiles, each a different kind of French hospital warehouse:

* ``chu``    -- university hospital, integrated DPI + RIS + PACS (DICOM worklist), busy
                emergency department with provisional identities, pseudonymised report
                texts, generic report titles, reports filed under a venue (NDA).
* ``ch_gie`` -- general hospital whose imaging is run by a private radiology group (GIE)
                with its own RIS: mostly outpatients, IPP typed by hand or absent, ASCII
                consoles, married names, reports with descriptive titles and almost no
                stay or accession number, double reading of screening mammograms.
* ``clcc``   -- cancer centre: cohorts followed by PET-CT / CT / MR every few months,
                day-care stays, nuclear-medicine consoles typed by hand, INS given-name
                lists, imported outside exams, structured reports with comparisons,
                corrected reports and addenda.

Usage::

    python generate.py --profile chu --patients 1500 --seed 31 -o sets/chu

Standard library + pyarrow only; the output is a deterministic function of
(profile, patients, seed): reruns are byte-identical.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import unicodedata

import pyarrow as pa
import pyarrow.parquet as pq
import vocab as V

D = dt.datetime
H = dt.timedelta(hours=1)
MIN = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)

START = D(2022, 1, 3)
END = D(2024, 12, 20)

HOLIDAYS = {dt.date(*x) for x in [
    (2022, 1, 1), (2022, 4, 18), (2022, 5, 1), (2022, 5, 8), (2022, 5, 26), (2022, 6, 6),
    (2022, 7, 14), (2022, 8, 15), (2022, 11, 1), (2022, 11, 11), (2022, 12, 25),
    (2023, 1, 1), (2023, 4, 10), (2023, 5, 1), (2023, 5, 8), (2023, 5, 18), (2023, 5, 29),
    (2023, 7, 14), (2023, 8, 15), (2023, 11, 1), (2023, 11, 11), (2023, 12, 25),
    (2024, 1, 1), (2024, 4, 1), (2024, 5, 1), (2024, 5, 8), (2024, 5, 9), (2024, 5, 20),
    (2024, 7, 14), (2024, 8, 15), (2024, 11, 1), (2024, 11, 11), (2024, 12, 25),
    (2025, 1, 1), (2025, 4, 21), (2025, 5, 1), (2025, 5, 8), (2025, 5, 29), (2025, 6, 9),
]}

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]

# ------------------------------------------------------------------------------------
# profiles: every habit the generator uses is configured here
# ------------------------------------------------------------------------------------
PROFILES = {
    "chu": dict(
        desc_style="chu", title_style="chu",
        institution=["CHU DE KERVILLE", "CHU DE KERVILLE - HOPITAL NORD"],
        imaging_units={"urg": "IMAGERIE URGENCES", "nm": "MEDECINE NUCLEAIRE", "default": "RADIOLOGIE CENTRALE"},
        ipp="chu", acc_missing=0.005,                     # 9 digits, "00" + 7
        stay_id="chu", exam_uid_root="1.2.250.1.38.2.1", acc="chu", report_id="chu",
        episodes_mean=2.4,
        episodes={"er_only": 25, "er_hosp": 20, "hosp": 15, "hdj": 6, "consult": 12, "ext": 18, "onco": 4},
        er_separate_stay=0.7,           # ER passage is its own stay (else exam before admission)
        nested_consult=0.08,            # consultation (e.g. anaesthesia) nested in a hospitalisation
        # header IPP faults by channel (missing, mistyped, other, temporary)
        faults={"urg": (0.01, 0.01, 0.015, 0.16), "hosp": (0.01, 0.01, 0.01, 0.0),
                "ext": (0.015, 0.01, 0.015, 0.0), "import": (0.3, 0.0, 0.0, 0.0)},
        anonymous_er=0.03,              # unconscious patient: ANONYME identity (with temp IPP)
        zero_strip_console=0.03,        # one old CT console drops the leading zeros of the IPP
        temp_ipp="chu",
        noise_rate=0.18, noise_bad_boost=0.25,
        noise_kinds={"accents_lost": 4, "case": 1, "typo": 3, "swapped": 1, "usage_name": 3,
                     "compound": 2, "birth_day_month_swap": 1, "birth_date_typo": 2, "sex_missing": 1,
                     "birth_date_missing": 1},
        ascii_console=0.0, usage_name_console=0.15,
        married_women=0.45, couples=0.12, twins=0.012, homonyms=0.015,
        exam_stay_id=0.65, requesting_unit=0.3,
        no_report=0.03, combined_report=0.02, addendum_night=0.2, addendum=0.01, corrected=0.01,
        outside_review=0.01, second_reading_mg=0.0, same_kind_same_day=0.02, late_pet=0.0,
        rep_patient_id=0.995, rep_patient_follows_header=0.0, rep_stay_id=0.88, rep_wrong_venue=0.05,
        rep_acc=0.96, rep_acc_variant=0.0,
        generic_title=0.8, mention_type=0.6, mention_date=0.3, name_placeholder=True,
        date_placeholder=0.0, html=0.03, header_styles=[0, 1, 2], signature="validated",
        abnormal=0.45, comparison=0.4, teleradiology_night=0.0,
    ),
    "ch_gie": dict(
        desc_style="gie", title_style="gie",
        institution=["CH DE SAINT-AUBIN-SUR-LOIRE", "SCM IMAGERIE DU VAL"],
        imaging_units={"urg": "IMAGERIE CH", "nm": "IMAGERIE CH", "default": "CABINET IMAGERIE DU VAL"},
        ipp="gie", acc_missing=0.06,                     # 8 digits, old patients start with 0
        stay_id="gie", exam_uid_root="1.2.826.0.1.3680043.2.1125", acc="gie", report_id="gie",
        episodes_mean=2.2,
        episodes={"er_only": 16, "er_hosp": 9, "hosp": 7, "hdj": 2, "consult": 10, "ext": 52, "onco": 4},
        er_separate_stay=0.0,
        nested_consult=0.0,
        faults={"urg": (0.02, 0.02, 0.01, 0.09), "hosp": (0.03, 0.02, 0.01, 0.0),
                "ext": (0.22, 0.07, 0.025, 0.0), "import": (0.5, 0.0, 0.0, 0.0)},
        anonymous_er=0.0,
        zero_strip_console=1.0,         # the GIE RIS stores the IPP as a number (typed by hand)
        temp_ipp="gie",
        noise_rate=0.30, noise_bad_boost=0.2,
        noise_kinds={"accents_lost": 0, "case": 0, "typo": 4, "swapped": 2, "usage_name": 6,
                     "compound": 3, "birth_day_month_swap": 3, "birth_date_typo": 2, "sex_missing": 3,
                     "birth_date_default": 1},
        ascii_console=1.0, usage_name_console=0.6,
        married_women=0.5, couples=0.15, twins=0.01, homonyms=0.02,
        exam_stay_id=0.1, requesting_unit=0.5,
        no_report=0.03, combined_report=0.05, addendum_night=0.0, addendum=0.01, corrected=0.005,
        outside_review=0.02, second_reading_mg=1.0, same_kind_same_day=0.04, late_pet=0.0,
        rep_patient_id=0.88, rep_patient_follows_header=1.0, rep_stay_id=0.4, rep_wrong_venue=0.0,
        rep_acc=0.15, rep_acc_variant=0.6,
        generic_title=0.1, mention_type=0.95, mention_date=0.8, name_placeholder=False,
        date_placeholder=0.0, html=0.0, header_styles=[3, 1], signature="typed",
        abnormal=0.35, comparison=0.25, teleradiology_night=1.0,
    ),
    "clcc": dict(
        desc_style="clcc", title_style="clcc",
        institution=["CENTRE FRANCOIS MERLIN", "CENTRE FRANCOIS MERLIN - SITE ROCHEBRUNE"],
        imaging_units={"urg": "RADIOLOGIE", "nm": "MEDECINE NUCLEAIRE", "default": "RADIOLOGIE"},
        ipp="clcc", acc_missing=0.0,                    # YY + 6 digits (year of first visit)
        stay_id="clcc", exam_uid_root="1.3.46.670589.11.3", acc="clcc", report_id="clcc",
        episodes_mean=1.0,
        episodes={"er_only": 4, "er_hosp": 4, "hosp": 6, "hdj": 0, "consult": 0, "ext": 0, "onco": 86},
        er_separate_stay=1.0,
        nested_consult=0.0,
        faults={"urg": (0.02, 0.02, 0.01, 0.04), "hosp": (0.01, 0.01, 0.005, 0.0),
                "ext": (0.015, 0.015, 0.01, 0.0), "nm": (0.02, 0.06, 0.01, 0.0),
                "import": (0.3, 0.0, 0.0, 0.0)},
        anonymous_er=0.0,
        zero_strip_console=0.0,
        temp_ipp="clcc",
        noise_rate=0.22, noise_bad_boost=0.2,
        noise_kinds={"accents_lost": 3, "case": 2, "typo": 3, "swapped": 1, "usage_name": 1,
                     "compound": 2, "birth_day_month_swap": 2, "birth_date_typo": 3, "sex_missing": 1,
                     "given_names_list": 4},
        ascii_console=0.0, usage_name_console=0.05,
        married_women=0.45, couples=0.06, twins=0.006, homonyms=0.01,
        exam_stay_id=0.3, requesting_unit=0.15,
        no_report=0.02, combined_report=0.03, addendum_night=0.0, addendum=0.03, corrected=0.03,
        outside_review=0.03, second_reading_mg=0.0, same_kind_same_day=0.0, late_pet=0.04,
        imported=0.06,
        rep_patient_id=0.98, rep_patient_follows_header=0.0, rep_stay_id=0.5, rep_wrong_venue=0.0,
        rep_acc=0.75, rep_acc_variant=0.0,
        generic_title=0.25, mention_type=0.85, mention_date=0.6, name_placeholder=True,
        date_placeholder=0.3, html=0.08, header_styles=[0, 4, 5], signature="validated",
        abnormal=0.6, comparison=0.8, teleradiology_night=0.0,
    ),
}

CONTEXT_EXAMS = {
    # channel -> (catalogue key, weight)
    "urg": [("CT_HEAD", 25), ("DX_CHEST", 18), ("CT_ABDO", 10), ("US_ABDO", 8), ("CT_ANGIO", 6),
            ("DX_KNEE", 6), ("DX_WRIST", 7), ("DX_HIP", 6), ("DX_ABDO", 2), ("US_DOPPLER", 5),
            ("CT_SPINE", 3), ("CT_CHEST", 4)],
    "hosp": [("CR_CHEST", 25), ("CT_CHEST", 10), ("CT_TAP", 8), ("US_ABDO", 10), ("MR_BRAIN", 7),
             ("US_DOPPLER", 6), ("CT_ABDO", 8), ("MR_LIVER", 3), ("DX_HIP", 3), ("NM_LUNG", 2),
             ("MR_SPINE", 2), ("CT_HEAD", 6)],
    "ext": [("DX_KNEE", 10), ("DX_HIP", 7), ("DX_CHEST", 8), ("US_ABDO", 10), ("US_THYROID", 5),
            ("MG_SCREEN", 12), ("MG_DIAG", 4), ("US_BREAST", 5), ("MR_KNEE", 6), ("MR_SPINE", 6),
            ("MR_BRAIN", 5), ("CT_CHEST", 5), ("CT_SPINE", 3), ("MR_PELVIS", 3), ("US_DOPPLER", 4),
            ("CT_TAP", 3), ("DX_WRIST", 3)],
    "onco": [("CT_TAP", 40), ("PT_FDG", 25), ("MR_BRAIN", 6), ("MR_LIVER", 5), ("NM_BONE", 5),
             ("PT_PSMA", 3), ("MR_PELVIS", 4), ("MG_DIAG", 4), ("US_BREAST", 2), ("MR_BREAST", 2),
             ("CT_CHEST", 4)],
}
ONCO_BY_CANCER = {
    "poumon": ["CT_TAP", "CT_TAP", "PT_FDG", "PT_FDG", "MR_BRAIN", "CT_CHEST"],
    "lymphome": ["PT_FDG", "PT_FDG", "PT_FDG", "CT_TAP"],
    "sein": ["MG_DIAG", "US_BREAST", "CT_TAP", "NM_BONE", "MR_BREAST", "PT_FDG"],
    "prostate": ["MR_PELVIS", "NM_BONE", "PT_PSMA", "CT_TAP"],
    "colon": ["CT_TAP", "CT_TAP", "MR_LIVER", "PT_FDG"],
    "rectum": ["MR_PELVIS", "CT_TAP", "CT_TAP", "MR_LIVER"],
}
RCLASS_DELAY_KEYS = ("ct", "mr", "us", "mg", "cr", "pet", "nm")


# ------------------------------------------------------------------------------------
# small helpers
# ------------------------------------------------------------------------------------
def wchoice(rng, pairs):
    tot = sum(w for _, w in pairs)
    x = rng.random() * tot
    for k, w in pairs:
        x -= w
        if x < 0:
            return k
    return pairs[-1][0]


def strip_accents(s):
    if s is None:
        return None
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def working(d):
    return d.weekday() < 5 and d not in HOLIDAYS


def next_working_morning(t, rng, h0=8.0, h1=11.5):
    d = t.date() + DAY
    while not working(d):
        d += DAY
    return D(d.year, d.month, d.day) + dt.timedelta(hours=rng.uniform(h0, h1))


def add_working_days(t, n, rng, h0=9.0, h1=18.5):
    d = t.date()
    k = 0
    while k < n:
        d += DAY
        if working(d):
            k += 1
    if n == 0:
        while not working(d):
            d += DAY
    return D(d.year, d.month, d.day) + dt.timedelta(hours=rng.uniform(h0, h1))


def rand_day(rng, a=START, b=END):
    return a + dt.timedelta(days=rng.randrange((b - a).days))


def at(day, hours):
    return D(day.year, day.month, day.day) + dt.timedelta(hours=hours)


def work_slot(rng, day, h0=8.0, h1=18.0, saturday=False):
    """A scheduled slot on a working day at or after `day`."""
    d = day.date() if isinstance(day, D) else day
    while not (working(d) or (saturday and d.weekday() == 5 and d not in HOLIDAYS)):
        d += DAY
    if d.weekday() == 5:
        h1 = min(h1, 12.5)
    m = int(rng.uniform(h0, h1) * 60)
    m -= m % 5
    return D(d.year, d.month, d.day) + dt.timedelta(minutes=m)


def fmt_date(d, style):
    if style == 0:
        return d.strftime("%d/%m/%Y")
    if style == 1:
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == 2:
        return d.strftime("%d/%m/%y")
    return d.strftime("%d.%m.%Y")


# ------------------------------------------------------------------------------------
# identifiers
# ------------------------------------------------------------------------------------
class Ids:
    def __init__(self, rng, prof):
        self.rng, self.p = rng, prof
        self.used = set()
        self.seq = {}

    def ipp(self, birth_year):
        r = self.rng
        while True:
            if self.p["ipp"] == "chu":
                v = "00" + str(r.randrange(1000000, 9999999))
            elif self.p["ipp"] == "gie":
                # numbering started in 1996; patients first seen before 2005 have a leading 0
                old = r.random() < (0.55 if birth_year < 1970 else 0.3)
                v = ("0" + str(r.randrange(1000000, 9999999))) if old else str(r.randrange(10000000, 29999999))
            else:
                yy = r.choice(["15", "16", "17", "18", "19", "20", "21", "22", "23", "24"])
                v = yy + f"{r.randrange(0, 999999):06d}"
            if v not in self.used:
                self.used.add(v)
                return v

    def next(self, kind, start):
        self.seq[kind] = self.seq.get(kind, start) + self.rng.randrange(1, 7)
        return self.seq[kind]


# ------------------------------------------------------------------------------------
# patients
# ------------------------------------------------------------------------------------
def pick_given(rng, sex, year):
    pool = V.GIVEN_M if sex == "M" else V.GIVEN_F
    band = "old" if year < 1955 else ("mid" if year < 1985 else "young")
    if rng.random() < 0.15:
        band = rng.choice(["old", "mid", "young"])
    return rng.choice(pool[band])


def make_patients(rng, prof, n, ids, onco_only):
    head = V.SURNAMES_HEAD
    head = [(n, max(1, w // 4)) for n, w in head]
    tail = [(s, 3) for s in V.SURNAMES_TAIL]
    gen = [(s, 1) for s in V.SURNAMES_GEN]
    surnames = head + tail + gen
    pats = []

    def birth(rng, onco):
        if onco:
            y = int(rng.triangular(1932, 1995, 1958))
        else:
            y = int(rng.triangular(1925, 2020, 1960))
        return dt.date(y, 1, 1) + dt.timedelta(days=rng.randrange(365))

    def new(sex=None, family=None, bd=None, given=None):
        sex = sex or ("F" if rng.random() < (0.56 if onco_only else 0.52) else "M")
        bd = bd or birth(rng, onco_only)
        family = family or wchoice(rng, surnames)
        given = given or pick_given(rng, sex, bd.year)
        p = dict(patient_id=ids.ipp(bd.year), family_name=family, given_name=given,
                 birth_date=bd, sex=sex, usage_name=None, extra_given=None)
        if rng.random() < 0.35:  # INS: list of birth given names
            pool = V.GIVEN_M if sex == "M" else V.GIVEN_F
            others = [g for g in pool["old"] if g != given]
            p["extra_given"] = " ".join([given] + rng.sample(others, rng.choice([1, 2])))
        return p

    while len(pats) < n:
        x = rng.random()
        if x < prof["couples"] and n - len(pats) >= 2:
            h = new(sex="M")
            w = new(sex="F", bd=h["birth_date"] + dt.timedelta(days=rng.randrange(-3000, 1500)))
            w["usage_name"] = h["family_name"]
            pats += [h, w]
        elif x < prof["couples"] + prof["twins"] and n - len(pats) >= 2:
            sex = rng.choice("MF")
            a, b = rng.choice(V.TWIN_NAMES_M if sex == "M" else V.TWIN_NAMES_F)
            bd = birth(rng, onco_only)
            fam = wchoice(rng, surnames)
            t1, t2 = new(sex=sex, family=fam, bd=bd, given=a), new(sex=sex, family=fam, bd=bd, given=b)
            t1["twin"] = t2["twin"] = True
            pats += [t1, t2]
        elif x < prof["couples"] + prof["twins"] + prof["homonyms"] and pats:
            src = rng.choice(pats)
            pats.append(new(sex=src["sex"], family=src["family_name"], given=src["given_name"]))
        else:
            p = new()
            if p["sex"] == "F" and p["birth_date"].year < 1999 and rng.random() < prof["married_women"] * 0.8:
                p["usage_name"] = wchoice(rng, surnames)
                if p["usage_name"] == p["family_name"]:
                    p["usage_name"] = None
            pats.append(p)
    return pats[:n]


# ------------------------------------------------------------------------------------
# care episodes -> stays + planned exams
# ------------------------------------------------------------------------------------
class World:
    def __init__(self, rng, prof, ids):
        self.rng, self.p, self.ids = rng, prof, ids
        self.stays, self.exams = [], []

    def stay(self, pat, start, end, unit, stype, fam_diag=None):
        r = self.rng
        sid_kind = self.p["stay_id"]
        if sid_kind == "chu":
            sid = f"{start.year % 10}{self.ids.next('stay', 10000000):08d}"
        elif sid_kind == "gie":
            sid = f"{self.ids.next('stay', 40000000)}"
        else:
            sid = f"V{self.ids.next('stay', 3000000):07d}"
        diags = None
        if stype != "consultation" or r.random() < 0.3:
            ds = []
            if fam_diag:
                ds.append(r.choice(V.DIAG_BY_FAMILY.get(fam_diag, ["R69"])))
            ds += r.sample(V.EXTRA_DIAG, r.choice([0, 0, 1, 2]))
            diags = ";".join(dict.fromkeys(ds)) or None
        s = dict(stay_id=sid, patient_id=pat["patient_id"], start_datetime=start, end_datetime=end,
                 unit=unit, stay_type=stype, diagnoses=diags)
        self.stays.append(s)
        return s

    def exam(self, pat, key, t, channel, episode, unit=None, cancer=None):
        t = t.replace(microsecond=0)
        e = dict(pat=pat, key=key, t=t, channel=channel, episode=episode, req_unit=unit, cancer=cancer)
        self.exams.append(e)
        return e

    def pick(self, channel, sex, age):
        r = self.rng
        for _ in range(20):
            k = wchoice(r, CONTEXT_EXAMS[channel])
            if k.startswith("MG") or k in ("US_BREAST", "MR_BREAST"):
                if sex == "M" or (k == "MG_SCREEN" and not 50 <= age <= 74):
                    continue
            if k == "PT_PSMA" and sex == "F":
                continue
            if k == "MR_PELVIS" and sex == "M" and r.random() < 0.3:
                continue
            return k
        return "DX_CHEST"


def episodes_for(world, pat, ep_no):
    """Create stays and exams of one care episode."""
    rng, prof = world.rng, world.p
    age = 2023 - pat["birth_date"].year
    kind = wchoice(rng, list(prof["episodes"].items()))
    day = rand_day(rng)
    if kind in ("er_only", "er_hosp"):
        arrive = at(day, rng.choice([rng.uniform(0, 24), rng.uniform(9, 23)]))
        n = rng.choice([1, 1, 1, 2, 2, 3])
        keys = list(dict.fromkeys(world.pick("urg", pat["sex"], age) for _ in range(n)))
        if prof["stay_id"] == "clcc":
            er_unit = "UNITE SOINS NON PROGRAMMES"
        else:
            er_unit = "URGENCES ADULTES" if age >= 16 else "URGENCES PEDIATRIQUES"
        dur = dt.timedelta(hours=rng.uniform(2.5, 9))
        separate = kind == "er_only" or rng.random() < prof["er_separate_stay"]
        fam = V.CATALOG[keys[0]][4]
        er = world.stay(pat, arrive, arrive + dur, er_unit, "emergency", fam) if separate else None
        times = sorted(arrive + dt.timedelta(minutes=rng.uniform(20, dur.total_seconds() / 60 - 15)) for _ in keys)
        for k, t in zip(keys, times):
            world.exam(pat, k, t, "urg", ep_no, er_unit)
        if kind == "er_hosp":
            # admission: right after the ER stay, or up to 8 h after the exams
            if separate:
                adm = arrive + dur + dt.timedelta(minutes=rng.uniform(5, 50))
            else:
                adm = times[-1] + dt.timedelta(minutes=rng.uniform(20, 7.5 * 60))
            los = dt.timedelta(days=rng.choice([1, 2, 3, 4, 5, 7, 9, 14]), hours=rng.uniform(0, 10))
            unit = rng.choice(V.UNITS_HOSP)
            hs = world.stay(pat, adm, adm + los, unit, "hospitalisation", fam)
            inpatient_exams(world, pat, hs, unit, ep_no, age)
    elif kind == "hosp":
        adm = at(day, rng.uniform(8, 16))
        los = dt.timedelta(days=rng.choice([1, 2, 3, 5, 6, 8, 12]), hours=rng.uniform(0, 6))
        unit = rng.choice(V.UNITS_HOSP)
        k0 = world.pick("hosp", pat["sex"], age)
        hs = world.stay(pat, adm, adm + los, unit, "hospitalisation", V.CATALOG[k0][4])
        inpatient_exams(world, pat, hs, unit, ep_no, age, first=k0)
    elif kind == "hdj":
        t0 = work_slot(rng, day, 7.5, 8.5)
        unit = rng.choice(V.UNITS_HDJ)
        k = world.pick("onco", pat["sex"], age)
        world.stay(pat, t0, t0 + dt.timedelta(hours=rng.uniform(5, 9)), unit, "day_care", V.CATALOG[k][4])
        world.exam(pat, k, t0 + dt.timedelta(minutes=rng.uniform(30, 240)), "hosp", ep_no, unit)
    elif kind == "consult":
        # exam done as outpatient in the morning, consultation later the same day
        k = world.pick("ext", pat["sex"], age)
        t = work_slot(rng, day, 8, 11, saturday=prof["stay_id"] == "gie")
        unit = rng.choice(V.UNITS_CONS)
        world.exam(pat, k, t, "ext", ep_no, unit)
        c0 = t + dt.timedelta(minutes=rng.uniform(60, 240))
        world.stay(pat, c0, c0 + dt.timedelta(minutes=rng.choice([20, 30, 45])), unit, "consultation", V.CATALOG[k][4])
    elif kind == "ext":
        n = 1 if rng.random() < 0.8 else 2
        t = work_slot(rng, day, 8, 19, saturday=prof["stay_id"] == "gie")
        keys = list(dict.fromkeys(world.pick("ext", pat["sex"], age) for _ in range(n)))
        for i, k in enumerate(keys):
            world.exam(pat, k, t + dt.timedelta(minutes=25 * i), "ext", ep_no)
    elif kind == "onco":
        onco_course(world, pat, ep_no, age)


def inpatient_exams(world, pat, hs, unit, ep_no, age, first=None):
    rng, prof = world.rng, world.p
    n = rng.choice([0, 1, 1, 2, 2, 3]) if first is None else rng.choice([1, 1, 2, 3])
    span = (hs["end_datetime"] - hs["start_datetime"]).total_seconds()
    for i in range(n):
        k = first if (i == 0 and first) else world.pick("hosp", pat["sex"], age)
        t = hs["start_datetime"] + dt.timedelta(seconds=rng.uniform(0.05, 0.95) * span)
        if k not in ("CR_CHEST",) and not working(t.date()) and rng.random() < 0.7:
            t = work_slot(rng, t, 8, 18)
            if t > hs["end_datetime"]:
                t = hs["end_datetime"] - dt.timedelta(hours=rng.uniform(1, 3))
        if any(x["pat"] is pat and x["key"] == k and x["t"].date() == t.date() for x in world.exams[-4:]):
            continue
        world.exam(pat, k, t, "hosp", ep_no, unit)
        if k == "CR_CHEST" and rng.random() < prof["same_kind_same_day"] * 4:
            # control film the same day (after drain / line insertion)
            t2 = t + dt.timedelta(hours=rng.uniform(1, 5))
            if t2 < hs["end_datetime"]:
                world.exam(pat, k, t2, "hosp", ep_no, unit)
    if prof["nested_consult"] and rng.random() < prof["nested_consult"] and span > 2 * 86400:
        c0 = hs["start_datetime"] + dt.timedelta(days=1, hours=rng.uniform(1, 6))
        cs = world.stay(pat, c0, c0 + dt.timedelta(minutes=30), "CONSULTATION ANESTHESIE", "consultation")
        if rng.random() < 0.5:
            world.exam(pat, "DX_CHEST", c0 + dt.timedelta(minutes=rng.uniform(3, 25)), "hosp", ep_no, cs["unit"])


def onco_course(world, pat, ep_no, age):
    rng, prof = world.rng, world.p
    cancers = ["poumon", "lymphome", "colon", "rectum"] + (["sein", "sein", "sein"] if pat["sex"] == "F" else ["prostate", "prostate"])
    cancer = rng.choice(cancers)
    seq = ONCO_BY_CANCER[cancer]
    clcc = prof["stay_id"] == "clcc"
    t = rand_day(rng, START, END - 200 * DAY)
    n_visits = rng.randint(2, 9) if clcc else rng.randint(1, 4)
    for v in range(n_visits):
        if t > END:
            break
        day_care = rng.random() < (0.45 if clcc else 0.3)
        slot = work_slot(rng, t, 7.5, 9.0 if day_care else 17.0)
        keys = [seq[0] if v == 0 else rng.choice(seq)]
        if v == 0 and rng.random() < 0.6:
            keys.append(rng.choice(seq[1:]))
        elif rng.random() < 0.25:
            keys.append(rng.choice(seq))
        keys = list(dict.fromkeys(keys))
        if day_care:
            unit = "HDJ ONCOLOGIE" if cancer != "lymphome" else "HDJ HEMATOLOGIE"
            world.stay(pat, slot, slot + dt.timedelta(hours=rng.uniform(5, 9)), unit, "day_care",
                       V.CATALOG[keys[0]][4])
            for i, k in enumerate(keys):
                world.exam(pat, k, slot + dt.timedelta(minutes=45 + 95 * i + rng.uniform(0, 30)), "hosp",
                           ep_no, unit, cancer)
        else:
            for i, k in enumerate(keys):
                ch = "ext"
                world.exam(pat, k, slot + dt.timedelta(minutes=70 * i), ch, ep_no, None, cancer)
            if rng.random() < 0.7:
                c = slot + dt.timedelta(days=rng.choice([1, 2, 5, 7, 8]))
                c = work_slot(rng, c, 9, 17)
                world.stay(pat, c, c + dt.timedelta(minutes=30), "CONSULTATION ONCOLOGIE", "consultation",
                           V.CATALOG[keys[0]][4])
        t = slot + dt.timedelta(days=rng.randint(55, 130))
        ep_no += 1
        if clcc and rng.random() < 0.06:
            adm = rand_day(rng, slot, slot + 40 * DAY) + dt.timedelta(hours=rng.uniform(8, 17))
            hs = world.stay(pat, adm, adm + dt.timedelta(days=rng.randint(2, 9)), "ONCOLOGIE MEDICALE",
                            "hospitalisation", V.CATALOG[keys[0]][4])
            inpatient_exams(world, pat, hs, hs["unit"], ep_no, age)
    return ep_no


# ------------------------------------------------------------------------------------
# exam headers
# ------------------------------------------------------------------------------------
def mistype(rng, ipp, existing):
    for _ in range(50):
        s = list(ipp)
        m = rng.random()
        if m < 0.45:
            i = rng.randrange(len(s))
            s[i] = rng.choice([c for c in "0123456789" if c != s[i]])
            v = "".join(s)
        elif m < 0.8:
            i = rng.randrange(len(s) - 1)
            if s[i] == s[i + 1]:
                continue
            s[i], s[i + 1] = s[i + 1], s[i]
            v = "".join(s)
        else:
            v = ipp[rng.choice([1, 2]):]
        if v not in existing and v != ipp:
            return v
    return ipp[:-1]


def noise_name(rng, prof, pat, n_kinds, anonymous=False):
    """Header identity (PN, birth date, sex) with the profile's console habits + noise."""
    kinds = []
    fam, giv = pat["family_name"], pat["given_name"]
    bd, sex = pat["birth_date"], pat["sex"]
    if anonymous:
        fam = "ANONYME"
        giv = ("HOMME" if sex == "M" else "FEMME") + f" URG{rng.randrange(100, 999)}"
        bd = dt.date(1900, 1, 1) if rng.random() < 0.6 else None
        return f"{fam}^{giv}", bd, sex, ["anonymous"]
    # systematic console habits
    if pat["usage_name"] and rng.random() < prof["usage_name_console"]:
        fam = pat["usage_name"]
        kinds.append("usage_name")
    pool = [(k, w) for k, w in prof["noise_kinds"].items() if w > 0]
    chosen = []
    while len(chosen) < n_kinds and len(chosen) < 4:
        k = wchoice(rng, pool)
        if k not in chosen:
            chosen.append(k)
    for k in chosen:
        if k == "usage_name":
            if pat["usage_name"] and fam != pat["usage_name"]:
                fam = pat["usage_name"]
                kinds.append(k)
        elif k == "accents_lost":
            f2, g2 = strip_accents(fam), strip_accents(giv)
            if (f2, g2) != (fam, giv):
                fam, giv = f2, g2
                kinds.append(k)
        elif k == "case":
            fam, giv = (fam.title(), giv.title()) if rng.random() < 0.6 else (fam, giv.lower().capitalize())
            kinds.append(k)
        elif k == "typo":
            target = "f" if rng.random() < 0.6 else "g"
            s = list(fam if target == "f" else giv)
            i = rng.randrange(1, len(s)) if len(s) > 1 else 0
            m = rng.random()
            if m < 0.4:
                s[i] = rng.choice("AEIOULNRSTM")
            elif m < 0.7:
                del s[i]
            else:
                s.insert(i, s[i])
            v = "".join(s)
            if target == "f" and v != fam:
                fam = v
                kinds.append(k)
            elif target == "g" and v != giv:
                giv = v
                kinds.append(k)
        elif k == "swapped":
            kinds.append(k)
        elif k == "compound":
            for which in ("f", "g"):
                s = fam if which == "f" else giv
                if "-" in s or " " in s:
                    parts = s.replace("-", " ").split()
                    m = rng.random()
                    v = " ".join(parts) if m < 0.35 and "-" in s else ("".join(parts) if m < 0.6 else parts[0])
                    if v != s:
                        if which == "f":
                            fam = v
                        else:
                            giv = v
                        kinds.append(k)
                        break
        elif k == "given_names_list":
            if pat["extra_given"]:
                giv = pat["extra_given"]
                kinds.append(k)
        elif k == "birth_day_month_swap":
            if bd and bd.day <= 12 and bd.day != bd.month:
                bd = dt.date(bd.year, bd.day, bd.month)
                kinds.append(k)
        elif k == "birth_date_typo":
            if bd:
                s = bd.strftime("%Y%m%d")
                for _ in range(20):
                    i = rng.choice([2, 3, 5, 6, 7])
                    t = s[:i] + rng.choice("0123456789") + s[i + 1:]
                    try:
                        nb = dt.datetime.strptime(t, "%Y%m%d").date()
                    except ValueError:
                        continue
                    if nb != bd and nb.year > 1900:
                        bd = nb
                        kinds.append(k)
                        break
        elif k == "birth_date_default":
            if bd:
                bd = dt.date(bd.year, 1, 1) if rng.random() < 0.7 else dt.date(1900, 1, 1)
                kinds.append(k)
        elif k == "birth_date_missing":
            bd = None
            kinds.append(k)
        elif k == "sex_missing":
            sex = None
            kinds.append(k)
    if prof["ascii_console"] and rng.random() < prof["ascii_console"]:
        f2, g2 = strip_accents(fam).upper(), strip_accents(giv).upper()
        if (f2, g2) != (fam.upper(), giv.upper()) and "accents_lost" not in kinds:
            kinds.append("accents_lost")
        fam, giv = f2, g2
    pn = f"{giv}^{fam}" if "swapped" in kinds else f"{fam}^{giv}"
    return pn, bd, sex, kinds


def temp_ipp(rng, prof, used):
    while True:
        if prof["temp_ipp"] == "chu":
            v = "8" + f"{rng.randrange(0, 99999999):08d}"
        elif prof["temp_ipp"] == "gie":
            v = "PROV" + f"{rng.randrange(0, 999999):06d}"
        else:
            v = "TMP" + f"{rng.randrange(0, 99999):05d}"
        if v not in used:
            used.add(v)
            return v


def accession(rng, prof, ids, e):
    t = e["t"]
    if prof["acc"] == "chu":
        return f"{t.year % 100:02d}{ids.next('acc', 1000000):07d}"
    if prof["acc"] == "gie":
        return f"IMG-{ids.next('acc', 120000):07d}"
    nm = V.CATALOG[e["key"]][0] in ("PT\\CT", "NM")
    if nm:
        return f"MN{t.year % 100:02d}{ids.next('accnm', 10000):05d}"
    return f"RX{t.year % 100:02d}{ids.next('accrx', 100000):06d}"


# ------------------------------------------------------------------------------------
# truth helpers
# ------------------------------------------------------------------------------------
def true_stay(stays_by_pat, pid, t):
    best = None
    for s in stays_by_pat.get(pid, []):
        inside = s["start_datetime"] <= t <= s["end_datetime"]
        before = (s["stay_type"] == "hospitalisation" and s["start_datetime"] - 8 * H <= t < s["start_datetime"])
        if inside:
            key = (0, s["end_datetime"] - s["start_datetime"], s["stay_id"])
        elif before:
            key = (1, s["start_datetime"] - t, s["stay_id"])
        else:
            continue
        if best is None or key < best[0]:
            best = (key, s)
    return best[1] if best else None


def open_stay(stays_by_pat, pid, t):
    """The stay open at time t (the DPI venue a report is filed under)."""
    c = [s for s in stays_by_pat.get(pid, []) if s["start_datetime"] <= t <= s["end_datetime"]]
    return min(c, key=lambda s: (s["end_datetime"] - s["start_datetime"], s["stay_id"])) if c else None


# ------------------------------------------------------------------------------------
# report timing and text
# ------------------------------------------------------------------------------------
def report_time(rng, prof, name, e):
    rdt, junior = _report_time(rng, prof, name, e)
    rdt = rdt.replace(microsecond=0)
    if rdt <= e["t"] + 10 * MIN:
        rdt = e["t"] + dt.timedelta(minutes=rng.uniform(20, 180))
    return rdt, junior


def _report_time(rng, prof, name, e):
    t = e["t"]
    rc = V.CATALOG[e["key"]][3]
    urgent = e["channel"] == "urg"
    night = not (8 <= t.hour < 18.5) or not working(t.date())
    if name == "chu":
        if urgent or (e["channel"] == "hosp" and rc in ("cr", "us", "ct") and night):
            if night and rng.random() < 0.35:
                return next_working_morning(t, rng, 8.0, 11.0), True   # junior read, senior validates
            return t + dt.timedelta(minutes=rng.uniform(25, 180)), False
        if rc in ("cr", "us"):
            return (t + dt.timedelta(minutes=rng.uniform(20, 300)) if not night
                    else next_working_morning(t, rng)), False
        if rc == "ct":
            return add_working_days(t, rng.choice([0, 0, 1, 1, 2]), rng) if rng.random() < 0.5 else \
                t + dt.timedelta(hours=rng.uniform(1, 6)), False
        if rc == "mr":
            return add_working_days(t, rng.choice([1, 1, 2, 3, 4, 6, 9]), rng), False
        if rc == "mg":
            return add_working_days(t, rng.choice([0, 0, 1]), rng), False
        return add_working_days(t, rng.choice([0, 1, 1, 2]), rng, 14, 19), False   # pet / nm
    if name == "ch_gie":
        if urgent and night:   # teleradiology at night and weekends
            return t + dt.timedelta(minutes=rng.uniform(30, 140)), False
        if urgent or e["channel"] == "hosp" and rc in ("cr", "us"):
            return t + dt.timedelta(minutes=rng.uniform(40, 360)), False
        if e["channel"] == "ext" and rc in ("us", "cr", "mg"):
            return t + dt.timedelta(minutes=rng.uniform(10, 55)), False   # given to the patient
        if rc in ("ct", "mr"):
            # dictated, typed by the secretaries: Monday backlog after the weekend
            return add_working_days(t, rng.choice([1, 1, 2, 2, 3, 4]), rng, 9, 17.5), False
        return add_working_days(t, rng.choice([1, 2, 3]), rng, 9, 17.5), False
    # clcc
    if urgent:
        return t + dt.timedelta(minutes=rng.uniform(45, 240)), False
    if rc == "pet":
        return add_working_days(t, rng.choice([0, 1, 1, 2, 3]), rng, 12, 19), False
    if rc == "nm":
        return add_working_days(t, rng.choice([0, 1, 2]), rng, 12, 19), False
    if rc == "ct":
        return add_working_days(t, rng.choice([0, 1, 2, 3, 4, 5]), rng), False
    if rc == "mr":
        return add_working_days(t, rng.choice([2, 3, 4, 5, 6, 8]), rng), False
    return add_working_days(t, rng.choice([0, 0, 1]), rng), False


def html_residue(rng, text):
    text = text.replace("é", "&eacute;") if rng.random() < 0.5 else text
    text = text.replace("\n\n", "</p><p>").replace("\n", "<br>")
    return "<p>" + text.replace("  ", "&nbsp; ") + "</p>"


def report_text(rng, prof, e, prev, rdt, signer, second_exam=None):
    key = e["key"]
    mod, body, _, rc, fam = V.CATALOG[key]
    hs = V.HEADERS[rng.choice(prof["header_styles"])]
    t = e["t"]
    dstyle = rng.choice([0, 0, 0, 1, 2]) if prof["stay_id"] != "gie" else 0
    date_txt = "[DATE]" if rng.random() < prof["date_placeholder"] else fmt_date(t, dstyle)
    lines = []
    if prof["stay_id"] == "gie":
        lines.append(f"{'Mme' if e['pat']['sex'] == 'F' else 'M.'} {strip_accents(e['pat']['family_name'])} "
                     f"{strip_accents(e['pat']['given_name']).title()}, né{'e' if e['pat']['sex'] == 'F' else ''} le "
                     f"{e['pat']['birth_date'].strftime('%d/%m/%Y')}")
        lines.append(f"Adressé par le Dr {rng.choice(['MOUGEOT', 'LAPORTE', 'BERTHIER', 'NAVARRO', 'CHAMPION'])}")
        lines.append("")
    elif prof["name_placeholder"] and rng.random() < 0.5:
        lines.append(f"Patient{'e' if e['pat']['sex'] == 'F' else ''} : [NOM] [PRENOM]")
    mention_type = rng.random() < prof["mention_type"]
    mention_date = rng.random() < prof["mention_date"]
    ename = V.EXAM_NAME[key]
    if second_exam is not None:
        ename = ename + " et " + V.EXAM_NAME[second_exam["key"]]
    if mention_type and mention_date:
        if prof["stay_id"] == "gie":
            lines.append(f"{e['desc']} du {date_txt}")
        else:
            lines.append(rng.choice([f"{ename[0].upper() + ename[1:]} du {date_txt}",
                                     f"Examen réalisé le {date_txt} : {ename}.",
                                     f"{ename.upper()} ({date_txt})"]))
    elif mention_type:
        lines.append(rng.choice([ename.upper(), f"{ename[0].upper() + ename[1:]}.", f"Examen : {ename}"]))
    elif mention_date:
        lines.append(f"Examen du {date_txt}.")
    lines.append("")
    ind = rng.choice(V.INDICATIONS[fam])
    cancer = e.get("cancer")
    if cancer:
        c = V.CANCER_LABEL[cancer]
        tmpl = rng.choice(V.ONCO_IND_NEXT if prev else V.ONCO_IND_FIRST)
        ind = tmpl.format(c=c, C=c[0].upper() + c[1:], n=rng.choice([2, 3, 4, 6]))
    lines.append(f"{hs['ind']} {ind}" if hs["ind"].endswith(":") else f"{hs['ind']}\n{ind}")
    tech = rng.choice(V.TECH_BY_KEY.get(key) or V.TECHNIQUES[mod])
    if "{dose}" in tech:
        tech = tech.format(dose=rng.randrange(180, 420) if mod != "NM" else rng.randrange(500, 760),
                           gly=f"{rng.uniform(0.78, 1.45):.2f}".replace(".", ","),
                           delay=rng.choice([55, 60, 62, 65, 70, 75]))
    if tech:
        lines.append(f"{hs['tech']} {tech}" if hs["tech"].endswith(":") else f"{hs['tech']}\n{tech}")
    if prev is None and rng.random() < 0.25:
        lines.append(rng.choice(["Pas d'examen antérieur disponible pour comparaison.", "Pas d'antériorité."]))
    if prev is not None and rng.random() < prof["comparison"]:
        c = rng.choice([x for x in V.COMPARISONS if "{prev}" in x])
        pd = "[DATE]" if rng.random() < prof["date_placeholder"] else fmt_date(prev["t"], dstyle)
        lines.append(c.format(prev=pd, examname=V.EXAM_NAME[prev["key"]]))
    normal, abnormal = V.RESULTS_BY_KEY.get(key) or V.RESULTS[fam]
    onco_res = cancer and fam in ("tap_ct", "pet_fdg", "pet_psma", "liver_mr", "pelvis_mr") and \
        (fam != "pet_psma" or cancer == "prostate")
    if onco_res and rng.random() < 0.85:
        opts = V.ONCO_RES[cancer]
        res, concl = opts[0] if prev is None else rng.choice(opts[1:])
        suv = f" (SUVmax {rng.uniform(3.5, 19):.1f})".replace(".", ",") if mod == "PT\\CT" else ""
        res = res.format(suv=suv)
    elif rng.random() < prof["abnormal"] and abnormal:
        res, concl = rng.choice(abnormal)
    else:
        res = rng.choice(normal)
        concl = rng.choice(["Examen normal.", "Pas d'anomalie décelable.", "Absence d'anomalie significative.",
                            "Examen sans particularité."])
    lines.append(f"{hs['res']}\n{res}")
    lines.append(f"{hs['concl']}\n{concl}")
    lines.append("")
    if prof["signature"] == "validated":
        who = "[NOM]" if prof["name_placeholder"] and rng.random() < 0.7 else signer
        lines.append(f"Compte rendu validé électroniquement par {who} le {rdt.strftime('%d/%m/%Y à %H:%M')}")
    else:
        lines.append(rng.choice(["Bien confraternellement,", "Cordialement,", ""]))
        lines.append(signer)
        if e["channel"] == "urg" and not (8 <= t.hour < 19):
            lines.insert(0, "TÉLÉRADIOLOGIE - Interprétation à distance\n")
    text = "\n".join(lines)
    return text, concl


def title_for(rng, prof, e, kind="main"):
    if kind == "addendum":
        return rng.choice(["ADDENDUM", "Complément au compte rendu", "Addendum imagerie"])
    if kind == "corrected":
        return rng.choice(["Compte rendu rectifié", "CR MODIFIÉ", "Compte rendu (version corrigée)"])
    if kind == "second":
        return "Deuxième lecture - dépistage organisé"
    if kind == "outside":
        return rng.choice(["Avis sur imagerie extérieure", "Relecture examen extérieur"])
    if rng.random() < prof["generic_title"]:
        return rng.choice(V.GENERIC_TITLES[prof["title_style"]])
    if prof["stay_id"] == "gie":
        return e["desc"]
    n = V.EXAM_NAME[e["key"]]
    return rng.choice([n[0].upper() + n[1:], n.upper(), "CR " + e["desc"]])


# ------------------------------------------------------------------------------------
# main generation
# ------------------------------------------------------------------------------------
def generate(profile, n_patients, seed):
    prof = PROFILES[profile]
    rng = random.Random(f"warehouse3|{profile}|{n_patients}|{seed}")
    ids = Ids(rng, prof)
    pats = make_patients(rng, prof, n_patients, ids, onco_only=profile == "clcc")
    pid_set = {p["patient_id"] for p in pats}
    by_family = {}
    for p in pats:
        by_family.setdefault(p["family_name"], []).append(p)
    world = World(rng, prof, ids)
    for p in pats:
        n_ep = 1
        while rng.random() < 1 - 1 / (prof["episodes_mean"] + 0.0001) and n_ep < 8:
            n_ep += 1
        ep = 0
        for _ in range(n_ep):
            ep += 1
            r = episodes_for(world, p, ep * 100)
    # same kind the same day (bilateral radiographs as two studies, repeated controls)
    extra = []
    for e in world.exams:
        if e["key"] in ("DX_KNEE", "DX_HIP", "DX_WRIST", "US_DOPPLER") and rng.random() < prof["same_kind_same_day"] * 3:
            extra.append(dict(e, t=e["t"] + dt.timedelta(minutes=rng.randint(2, 12)), twin_of=id(e)))
        if e["key"] == "PT_FDG" and rng.random() < prof["late_pet"]:
            extra.append(dict(e, t=e["t"] + dt.timedelta(minutes=rng.randint(70, 110)), late_pet=True))
    world.exams += extra
    # imported outside exams (clcc): done elsewhere, imported from CD into the PACS
    if prof.get("imported"):
        for p in pats:
            if rng.random() < prof["imported"] * 2:
                k = rng.choice(["CT_TAP", "CT_CHEST", "MR_BRAIN", "PT_FDG", "MR_PELVIS", "MG_DIAG" if p["sex"] == "F" else "CT_ABDO"])
                mine = [x for x in world.stays if x["patient_id"] == p["patient_id"]]
                for _ in range(20):   # done elsewhere: never during one of our stays
                    t = at(rand_day(rng), rng.uniform(8, 18))
                    if not any(x["start_datetime"] - 9 * H <= t <= x["end_datetime"] for x in mine):
                        world.exam(p, k, t, "import", 0)
                        break
    world.exams.sort(key=lambda e: (e["t"], e["pat"]["patient_id"], e["key"]))
    stays = sorted(world.stays, key=lambda s: (s["start_datetime"], s["stay_id"]))
    stays_by_pat = {}
    for s in stays:
        stays_by_pat.setdefault(s["patient_id"], []).append(s)

    # ---- exam headers ----
    temp_used = set()
    temp_by_episode = {}
    exam_rows, faults_rows, links = [], [], []
    uid_seq = 0
    for e in world.exams:
        p = e["pat"]
        uid_seq += rng.randrange(1, 40)
        root = prof["exam_uid_root"] if e["channel"] != "import" else "1.2.840.113619.2.55.3"
        e["exam_id"] = f"{root}.{e['t'].strftime('%Y%m%d')}.{uid_seq}{rng.randrange(100, 999)}"
        e["acc"] = (accession(rng, prof, ids, e) if rng.random() >= prof["acc_missing"] else None) if e["channel"] != "import" else (
            None if rng.random() < 0.5 else f"EXT{rng.randrange(100000, 999999)}")
        e["desc"] = rng.choice(V.DESCRIPTIONS[prof["desc_style"]][e["key"]])
        mod, body = V.CATALOG[e["key"]][0], V.CATALOG[e["key"]][1]
        channel = e["channel"]
        fkey = "nm" if (mod in ("PT\\CT", "NM") and "nm" in prof["faults"] and channel != "import") else channel
        pm, pmt, po, pt_ = prof["faults"][fkey]
        x = rng.random()
        anonymous = False
        if x < pm:
            fault, hid = "missing_ipp", None
        elif x < pm + pmt:
            fault, hid = "mistyped_ipp", mistype(rng, p["patient_id"], pid_set)
        elif x < pm + pmt + po:
            fault = "other_patient_ipp"
            same = [q for q in by_family.get(p["family_name"], []) if q is not p]
            other = rng.choice(same) if same and rng.random() < 0.34 else rng.choice(pats)
            while other is p:
                other = rng.choice(pats)
            hid = other["patient_id"]
        elif x < pm + pmt + po + pt_:
            fault = "temporary_ipp"
            ek = (p["patient_id"], e["episode"])
            if ek not in temp_by_episode:
                temp_by_episode[ek] = (temp_ipp(rng, prof, temp_used), rng.random() < prof["anonymous_er"] / max(pt_, 1e-9))
            hid, anonymous = temp_by_episode[ek]
        else:
            fault, hid = "ok", p["patient_id"]
        # zero-stripping console / RIS
        if hid and hid == p["patient_id"] and hid.startswith("0") and prof["zero_strip_console"]:
            if (prof["zero_strip_console"] >= 1.0 and channel == "ext") or \
               (prof["zero_strip_console"] < 1.0 and mod == "CT" and rng.random() < prof["zero_strip_console"] * 3):
                hid = hid.lstrip("0")
                fault = "mistyped_ipp"
        bad = fault != "ok"
        rate = prof["noise_rate"] + (prof["noise_bad_boost"] if bad else 0)
        nk = 0
        if rng.random() < rate:
            nk = 1 + (rng.random() < 0.25) + (rng.random() < 0.08)
        pn, bd, sex, kinds = noise_name(rng, prof, p, nk, anonymous=anonymous)
        ts = true_stay(stays_by_pat, p["patient_id"], e["t"])
        e["true_stay"] = ts
        # stay id carried by the header (worklist NDA)
        sid = None
        if ts is not None and channel != "import":
            carried = open_stay(stays_by_pat, p["patient_id"], e["t"]) or ts
            if rng.random() < prof["exam_stay_id"] * (1.0 if channel != "ext" else 0.3):
                sid = carried["stay_id"]
        unit = prof["imaging_units"]["urg" if channel == "urg" else ("nm" if mod in ("PT\\CT", "NM") else "default")]
        if ts is not None and e.get("req_unit") and rng.random() < prof["requesting_unit"]:
            unit = e["req_unit"]
        inst = rng.choice(prof["institution"])
        if profile == "ch_gie":
            inst = prof["institution"][1] if channel == "ext" else prof["institution"][0]
        if channel == "import":
            inst = rng.choice(["CLINIQUE DU PARC", "CH DE MONTVAL", "CABINET DE RADIOLOGIE DES LILAS",
                               "CENTRE D'IMAGERIE DU LITTORAL", None])
            unit = None
        if e.get("late_pet"):
            e["desc"] = e["desc"] + " TARDIVE"
        exam_rows.append(dict(exam_id=e["exam_id"], accession_number=e["acc"], patient_id=hid,
                              patient_name=pn, birth_date=bd, sex=sex, study_datetime=e["t"],
                              modality=mod, study_description=e["desc"], body_part=body,
                              institution=inst, unit=unit, stay_id=sid))
        e["hid"] = hid
        faults_rows.append(dict(exam_id=e["exam_id"], fault=fault, identity_noise=";".join(kinds)))
        links.append(("exam", e["exam_id"], "patient", p["patient_id"]))
        links.append(("exam", e["exam_id"], "stay", ts["stay_id"] if ts else None))

    # ---- reports ----
    report_rows = []
    rseq = [0]

    def rid(t):
        rseq[0] += rng.randrange(1, 30)
        if prof["report_id"] == "chu":
            return f"CR{t.year}{rseq[0]:08d}"
        if prof["report_id"] == "gie":
            return f"{5000000 + rseq[0]}"
        return f"DOC-{rseq[0]:09d}"

    def acc_in_report(e):
        a = e["acc"]
        if a is None or rng.random() >= prof["rep_acc"]:
            return None
        if prof["rep_acc_variant"] and rng.random() < prof["rep_acc_variant"]:
            return a.replace("IMG-", "IMG") if rng.random() < 0.6 else a.replace("IMG-", "").lstrip("0")
        return a

    def add_report(e, rdt, title, text, truth_exam, truth_stay):
        p = e["pat"] if e is not None else None
        r_id = rid(rdt)
        if p is not None and rng.random() < prof["rep_patient_id"]:
            if prof["rep_patient_follows_header"] and e is not None and e.get("hid") is not None:
                rpid = e["hid"]
            else:
                rpid = p["patient_id"]
        else:
            rpid = None
        sid = None
        if truth_stay is not None and rng.random() < prof["rep_stay_id"]:
            sid = truth_stay["stay_id"]
            if prof["rep_wrong_venue"] and rng.random() < prof["rep_wrong_venue"]:
                cur = open_stay(stays_by_pat, p["patient_id"], rdt)
                if cur is not None:
                    sid = cur["stay_id"]
        elif truth_stay is None and p is not None and prof["rep_wrong_venue"] and rng.random() < 0.2:
            cur = open_stay(stays_by_pat, p["patient_id"], rdt)  # outpatient exam read during a later stay
            if cur is not None:
                sid = cur["stay_id"]
        if prof["html"] and rng.random() < prof["html"]:
            text = html_residue(rng, text)
        report_rows.append(dict(report_id=r_id, patient_id=rpid, stay_id=sid, report_datetime=rdt,
                                title=title, text=text,
                                accession_number=acc_in_report(e) if truth_exam is not None else None))
        links.append(("report", r_id, "exam", truth_exam["exam_id"] if truth_exam else None))
        links.append(("report", r_id, "stay", truth_stay["stay_id"] if truth_stay else None))

    last_by_pat_fam = {}
    exams_sorted = world.exams
    # pair exams for combined reports: same patient, same day, consecutive
    combined_with = {}
    combined_obj = {}
    prev_e = None
    for e in exams_sorted:
        if prev_e is not None and prev_e["pat"] is e["pat"] and prev_e["t"].date() == e["t"].date() \
                and e["channel"] != "import" and prev_e["channel"] != "import" and id(prev_e) not in combined_with:
            if e.get("late_pet") or (e.get("twin_of") and rng.random() < 0.5) \
                    or rng.random() < prof["combined_report"] * 8:
                combined_with[id(e)] = prev_e
                combined_obj[id(e)] = (prev_e, e)
        prev_e = e
    covers = {id(a_): b_ for a_, b_ in combined_obj.values()}
    for e in exams_sorted:
        fam = V.CATALOG[e["key"]][4]
        pk = (e["pat"]["patient_id"], fam)
        prev = last_by_pat_fam.get(pk)
        last_by_pat_fam[pk] = e
        if e["channel"] == "import":
            if rng.random() < 0.35:   # a radiologist gives an opinion on the imported exam
                rdt = add_working_days(e["t"] + dt.timedelta(days=rng.randint(3, 40)), 0, rng)
                signer = rng.choice(V.SIGNERS)
                text, _ = report_text(rng, prof, e, prev, rdt, signer)
                text = f"Relecture d'un examen réalisé à l'extérieur ({e['t'].strftime('%d/%m/%Y')}).\n" + text
                add_report(e, rdt, title_for(rng, prof, e, "outside"), text, e, None)
            continue
        if id(e) in combined_with:
            continue   # reported together with the previous exam
        if rng.random() < prof["no_report"]:
            continue
        rdt, junior = report_time(rng, prof, profile, e)
        signer = rng.choice(V.SIGNERS)
        second = covers.get(id(e))
        text, concl = report_text(rng, prof, e, prev, rdt, signer, second_exam=second)
        ts = e["true_stay"]
        add_report(e, rdt, title_for(rng, prof, e), text, e, ts)
        if junior and rng.random() < prof["addendum_night"]:
            t2 = add_working_days(rdt, rng.choice([0, 0, 1]), rng, 9, 18)
            if t2 <= rdt:
                t2 = rdt + dt.timedelta(minutes=rng.uniform(30, 240))
            add_report(e, t2, title_for(rng, prof, e, "addendum"),
                       f"ADDENDUM après relecture senior ({rng.choice(V.SIGNERS)}) :\n"
                       f"{rng.choice(['Confirme les conclusions du compte rendu initial.', 'Pas de modification de la conclusion.', 'Précision : absence de lésion osseuse traumatique associée.', 'Après relecture, discret épanchement pleural non mentionné initialement.'])}",
                       e, ts)
        elif rng.random() < prof["addendum"]:
            t2 = rdt + dt.timedelta(days=rng.uniform(0.2, 6))
            add_report(e, t2, title_for(rng, prof, e, "addendum"),
                       rng.choice(["Complément après comparaison avec l'examen extérieur apporté par le patient : ",
                                   "Addendum : ", "Complément d'information : "]) +
                       rng.choice(["les lésions décrites étaient déjà présentes, stables.",
                                   "la lésion hépatique est nouvelle.", "pas de modification de la conclusion."]),
                       e, ts)
        if rng.random() < prof["corrected"]:
            t2 = rdt + dt.timedelta(hours=rng.uniform(2, 72))
            text2, _ = report_text(rng, prof, e, prev, t2, signer)
            add_report(e, t2, title_for(rng, prof, e, "corrected"),
                       f"Annule et remplace le compte rendu du {rdt.strftime('%d/%m/%Y')}.\n" + text2, e, ts)
        if e["key"] == "MG_SCREEN" and rng.random() < prof["second_reading_mg"]:
            t2 = add_working_days(e["t"], rng.randint(5, 15), rng, 9, 17)
            add_report(e, t2, title_for(rng, prof, e, "second"),
                       f"Dépistage organisé du cancer du sein - deuxième lecture\nMammographie du "
                       f"{e['t'].strftime('%d/%m/%Y')}\nAvis du second lecteur : "
                       + rng.choice(["concordant avec L1, ACR 1.", "concordant, ACR 2.",
                                     "anomalie vue en seconde lecture : foyer de microcalcifications du sein gauche, rappel de la patiente.",
                                     "concordant, examen normal."]), e, ts)
    # outside reviews without any exam in the PACS (CD read on screen, not imported)
    n_out = int(len(pats) * prof["outside_review"])
    for _ in range(n_out):
        p = rng.choice(pats)
        t = work_slot(rng, rand_day(rng), 9, 17)
        c = [s for s in stays_by_pat.get(p["patient_id"], []) if s["stay_type"] == "consultation"]
        cs = None
        if c and rng.random() < 0.5:
            cs = rng.choice(c)
            t = cs["start_datetime"] + dt.timedelta(minutes=10)
        k = rng.choice(["CT_CHEST", "MR_BRAIN", "MR_SPINE", "CT_TAP"])
        fake = dict(pat=p, key=k, t=t - dt.timedelta(days=rng.randint(5, 60)), channel="ext",
                    desc=rng.choice(V.DESCRIPTIONS[prof["desc_style"]][k]), acc=None, cancer=None)
        text, _ = report_text(rng, prof, fake, None, t, rng.choice(V.SIGNERS))
        text = (f"Avis sur un {V.EXAM_NAME[k]} réalisé le {fake['t'].strftime('%d/%m/%Y')} au "
                f"{rng.choice(['Centre d imagerie du Littoral', 'CH de Montval', 'Clinique du Parc'])}, apporté sur CD.\n") + text
        add_report(fake, t, title_for(rng, prof, fake, "outside"), text, None, cs)

    for r in report_rows:
        r["report_datetime"] = r["report_datetime"].replace(microsecond=0)
    report_rows.sort(key=lambda r: r["report_id"])
    exam_rows.sort(key=lambda r: r["exam_id"])
    faults_rows.sort(key=lambda r: r["exam_id"])
    patients_rows = sorted(({k: p[k] for k in ("patient_id", "family_name", "given_name", "birth_date", "sex", "usage_name")}
                            for p in pats), key=lambda r: r["patient_id"])
    return patients_rows, stays, exam_rows, report_rows, links, faults_rows


SCHEMAS = {
    "patients": [("patient_id", pa.string()), ("family_name", pa.string()), ("given_name", pa.string()),
                 ("birth_date", pa.date32()), ("sex", pa.string()), ("usage_name", pa.string())],
    "stays": [("stay_id", pa.string()), ("patient_id", pa.string()), ("start_datetime", pa.timestamp("us")),
              ("end_datetime", pa.timestamp("us")), ("unit", pa.string()), ("stay_type", pa.string()),
              ("diagnoses", pa.string())],
    "exams": [("exam_id", pa.string()), ("accession_number", pa.string()), ("patient_id", pa.string()),
              ("patient_name", pa.string()), ("birth_date", pa.date32()), ("sex", pa.string()),
              ("study_datetime", pa.timestamp("us")), ("modality", pa.string()), ("study_description", pa.string()),
              ("body_part", pa.string()), ("institution", pa.string()), ("unit", pa.string()), ("stay_id", pa.string())],
    "reports": [("report_id", pa.string()), ("patient_id", pa.string()), ("stay_id", pa.string()),
                ("report_datetime", pa.timestamp("us")), ("title", pa.string()), ("text", pa.string()),
                ("accession_number", pa.string())],
    "links": [("source_type", pa.string()), ("source_id", pa.string()), ("target_type", pa.string()),
              ("target_id", pa.string())],
    "exam_faults": [("exam_id", pa.string()), ("fault", pa.string()), ("identity_noise", pa.string())],
}


def write(rows, name, path):
    schema = pa.schema(SCHEMAS[name])
    cols = {f: [r[f] for r in rows] for f, _ in SCHEMAS[name]}
    table = pa.table({f: pa.array(cols[f], type=t) for f, t in SCHEMAS[name]}, schema=schema)
    pq.write_table(table, path, compression="zstd", use_dictionary=True, write_statistics=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", required=True, choices=sorted(PROFILES))
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    pats, stays, exams, reports, links, faults = generate(a.profile, a.patients, a.seed)
    os.makedirs(os.path.join(a.out, "truth"), exist_ok=True)
    write(pats, "patients", os.path.join(a.out, "patients.parquet"))
    write(stays, "stays", os.path.join(a.out, "stays.parquet"))
    write(exams, "exams", os.path.join(a.out, "exams.parquet"))
    write(reports, "reports", os.path.join(a.out, "reports.parquet"))
    link_rows = [dict(source_type=a_, source_id=b, target_type=c, target_id=d) for a_, b, c, d in links]
    link_rows.sort(key=lambda r: (r["source_type"], r["source_id"], r["target_type"]))
    write(link_rows, "links", os.path.join(a.out, "truth", "links.parquet"))
    write(faults, "exam_faults", os.path.join(a.out, "truth", "exam_faults.parquet"))
    print(f"{a.profile}: patients={len(pats)} stays={len(stays)} exams={len(exams)} reports={len(reports)}")


if __name__ == "__main__":
    main()
