#!/usr/bin/env python3
"""warehouse5: a blind synthetic French imaging warehouse generator (three profiles).

Usage:  python generate.py --profile {chu_urgences,clcc_referral,ch_ght_migration} \
            --patients 1500 --seed 5 -o sets/<profile>

Standard library + pyarrow only. Deterministic: same profile/patients/seed -> byte-identical files.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import unicodedata

import pyarrow as pa
import pyarrow.parquet as pq
import vocab as V

START = dt.datetime(2024, 1, 1)
END = dt.datetime(2025, 12, 31)
HOLIDAYS = {dt.date(*d) for d in [
    (2024, 1, 1), (2024, 4, 1), (2024, 5, 1), (2024, 5, 8), (2024, 5, 9), (2024, 5, 20), (2024, 7, 14),
    (2024, 8, 15), (2024, 11, 1), (2024, 11, 11), (2024, 12, 25), (2025, 1, 1), (2025, 4, 21), (2025, 5, 1),
    (2025, 5, 8), (2025, 5, 29), (2025, 6, 9), (2025, 7, 14), (2025, 8, 15), (2025, 11, 1), (2025, 11, 11),
    (2025, 12, 25)]}
MIGRATION = dt.datetime(2025, 3, 1)  # ch_ght_migration: PACS replaced on this date

PROFILES = {
    "chu_urgences": dict(
        institution=["CHU DE RIVEMONT", "CHU RIVEMONT", "CHU DE RIVEMONT - HOPITAL NORD"],
        units=V.UNITS_CHU, imaging_unit="RADIOLOGIE CENTRALE",
        episodes=[("er", 42), ("hosp", 18), ("day_care", 8), ("consult_then_exam", 14), ("outpatient", 18)],
        age=(0, 98, 52, 22), usage_rate=0.40, temp_rate=0.13, missing=0.03, mistyped=0.05, other=0.03,
        exam_stay=0.65, stale_stay=0.04, report_stay=0.70, report_acc=0.88, report_pid_null=0.02,
        noise=0.22, er_cr_unreported=0.5, addendum=0.04, html=0.0, titles="descriptive_or_desc",
    ),
    "clcc_referral": dict(
        institution=["INSTITUT REGIONAL DU CANCER", "IRC - CENTRE DE LUTTE CONTRE LE CANCER"],
        units=V.UNITS_CLCC, imaging_unit="IMAGERIE - MEDECINE NUCLEAIRE",
        episodes=None, age=(25, 95, 64, 12), usage_rate=0.45, temp_rate=0.0, missing=0.015, mistyped=0.02,
        other=0.01, exam_stay=0.0, stale_stay=0.0, report_stay=0.30, report_acc=0.92, report_pid_null=0.005,
        noise=0.10, er_cr_unreported=0.0, addendum=0.06, html=0.08, titles="descriptive",
    ),
    "ch_ght_migration": dict(
        institution=["CH DE VALMONT", "CH VALMONT", "CENTRE HOSPITALIER DE VALMONT", "CH SAINT-AUBIN SITE NORD",
                     "CH ST AUBIN", ""],
        units=V.UNITS_CH, imaging_unit="IMAGERIE MEDICALE",
        episodes=[("er", 34), ("hosp", 14), ("imaging_venue", 30), ("outpatient", 10), ("day_care", 6),
                  ("birth", 6)],
        age=(0, 100, 55, 25), usage_rate=0.50, temp_rate=0.04, missing=0.04, mistyped=0.04, other=0.035,
        exam_stay=0.20, stale_stay=0.0, report_stay=0.90, report_acc=0.15, report_pid_null=0.05,
        noise=0.18, er_cr_unreported=0.25, addendum=0.03, html=0.03, titles="generic",
    ),
}


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def wpick(rng, items):
    """items: list of (value, weight)."""
    total = sum(w for _, w in items)
    x = rng.random() * total
    for v, w in items:
        x -= w
        if x < 0:
            return v
    return items[-1][0]


def workday_push(t: dt.datetime, rng) -> dt.datetime:
    """A non-urgent validation falls on the next working day, in office hours."""
    moved = False
    while t.weekday() >= 5 or t.date() in HOLIDAYS:
        t = (t + dt.timedelta(days=1)).replace(hour=8, minute=0)
        moved = True
    if moved or t.hour < 8 or t.hour >= 19:
        if t.hour >= 19:
            t = t + dt.timedelta(days=1)
        t = t.replace(hour=8, minute=0) + dt.timedelta(minutes=rng.randint(10, 600))
        while t.weekday() >= 5 or t.date() in HOLIDAYS:
            t = t + dt.timedelta(days=1)
    return t


def fr_date(d) -> str:
    return d.strftime("%d/%m/%Y")


class Gen:
    def __init__(self, profile: str, n: int, seed: int):
        self.p = PROFILES[profile]
        self.name = profile
        self.n = n
        self.rng = random.Random(f"warehouse5:{profile}:{n}:{seed}")
        self.patients, self.stays, self.exams, self.reports = [], [], [], []
        self.links, self.faults, self.habits = [], [], []
        self.used_ids = set()
        self.acc_seq = 0
        self.rep_seq = 0

    # ------------------------------------------------------------ ids
    def new_id(self, fmt):
        while True:
            v = fmt(self.rng)
            if v not in self.used_ids:
                self.used_ids.add(v)
                return v

    def ipp(self):
        r = self.rng
        if self.name == "chu_urgences":   # 8 digits, leading zeros kept in the registry
            return self.new_id(lambda r: f"{r.randint(100000, 4999999):08d}")
        if self.name == "clcc_referral":  # 7 digits, year-of-creation prefix
            return self.new_id(lambda r: f"{r.choice([98, 99, 10, 12, 15, 18, 20, 21, 22, 23, 24, 25])}{r.randint(0, 99999):05d}")
        return self.new_id(lambda r: f"4{r.randint(10000000, 99999999)}")  # GHT 9 digits

    def stay_id(self):
        if self.name == "clcc_referral":
            return self.new_id(lambda r: f"V{r.randint(1000000, 9999999)}")
        return self.new_id(lambda r: f"{r.randint(100000000, 999999999)}")

    def accession(self, t: dt.datetime, kind="local"):
        self.acc_seq += 1
        r = self.rng
        if self.name == "chu_urgences":
            return f"{t:%y%m%d}{self.acc_seq % 10000:04d}"
        if self.name == "clcc_referral":
            if kind == "cd":
                return r.choice([None, None, f"EXT{r.randint(100000, 999999)}", f"{r.randint(10**9, 10**10 - 1)}"])
            return f"IRC{t:%Y}{self.acc_seq:06d}"
        if t < MIGRATION:   # old PACS: RX + 6 digits, some lost at migration
            return None if r.random() < 0.08 else f"RX{r.randint(100000, 999999)}"
        return f"GHT{t:%y}{self.acc_seq:08d}"

    # ------------------------------------------------------------ patients
    def make_patients(self):
        r, p = self.rng, self.p
        lo, hi, mu, sd = p["age"]
        births = []
        i = 0
        while len(self.patients) < self.n:
            kind = r.random()
            if self.patients and kind < 0.12:      # relative of an existing patient: same surname
                base = r.choice(self.patients)
                fam = base["family_name"]
            else:
                base, fam = None, wpick(r, V.SURNAMES)
                if r.random() < 0.45:    # the long tail: rare surnames
                    fam = r.choice(V.RARE_ROOTS) + r.choice(V.RARE_SUFFIXES)
                if r.random() < 0.03:
                    fam = f"{fam}-{wpick(r, V.SURNAMES)}" if r.random() < 0.7 else f"{fam} {wpick(r, V.SURNAMES)}"
            if self.name == "clcc_referral":
                sex = "F" if r.random() < 0.62 else "M"
            else:
                sex = "F" if r.random() < 0.52 else "M"
            age = min(hi, max(lo, int(r.gauss(mu, sd))))
            if self.name == "ch_ght_migration" and r.random() < 0.05:
                age = 0
            bd = dt.date(2025, 1, 1) - dt.timedelta(days=int(age * 365.25) + r.randint(0, 364))
            if self.name != "clcc_referral" and age > 70 and r.random() < 0.015:
                bd = dt.date(bd.year, 1, 1)        # registry habit: 01/01 for unknown day (born abroad)
            given = self.given(sex, bd.year)
            rec = self.patient_rec(fam, given, bd, sex)
            self.patients.append(rec)
            if r.random() < 0.006 and len(self.patients) < self.n:  # twins
                sex2 = sex if r.random() < 0.6 else ("M" if sex == "F" else "F")
                g2 = self.given(sex2, bd.year)
                while g2 == given:
                    g2 = self.given(sex2, bd.year)
                self.patients.append(self.patient_rec(fam, g2, bd, sex2, twin_of=rec["patient_id"]))
            if r.random() < 0.006 and len(self.patients) < self.n:  # exact homonym, other birth date
                bd2 = bd + dt.timedelta(days=r.randint(-9000, 9000))
                bd2 = min(bd2, dt.date(2024, 12, 1))
                self.patients.append(self.patient_rec(fam, given, bd2, sex, homonym_of=rec["patient_id"]))
            i += 1
        self.by_id = {pt["patient_id"]: pt for pt in self.patients}

    def given(self, sex, year):
        r = self.rng
        pool = V.GIVEN_F if sex == "F" else V.GIVEN_M
        items = [(g, w * 2.718 ** (-((year - peak) / 15.0) ** 2) + 0.02) for g, w, peak in pool]
        return wpick(r, items)

    def patient_rec(self, fam, given, bd, sex, twin_of=None, homonym_of=None):
        r, p = self.rng, self.p
        usage = None
        age = 2025 - bd.year
        if sex == "F" and age > 25 and r.random() < p["usage_rate"]:
            husband = wpick(r, V.SURNAMES)
            usage = husband if r.random() < 0.85 else f"{husband}-{fam}"
        # registry spelling habits
        if self.name == "clcc_referral":       # INS-style: uppercase, no diacritics
            fam_w, given_w = strip_accents(fam).upper(), strip_accents(given).upper()
            if r.random() < 0.12:               # INS list of birth given names
                given_w = given_w + " " + strip_accents(self.given(sex, bd.year)).upper()
        elif self.name == "ch_ght_migration":
            fam_w, given_w = V.ACCENTED.get(fam, fam), given
        else:
            fam_w, given_w = fam, given
        usage_w = strip_accents(usage).upper() if usage else None
        return dict(patient_id=self.ipp(), family_name=fam_w, given_name=given_w, birth_date=bd, sex=sex,
                    usage_name=usage_w, _twin=twin_of, _homonym=homonym_of)

    # ------------------------------------------------------------ stays and exams
    def add_stay(self, pid, start, end, stay_type, unit):
        sid = self.stay_id()
        diag = None
        if stay_type in ("hospitalisation", "day_care") and unit in V.DIAGNOSES and self.rng.random() < 0.85:
            codes = self.rng.sample(V.DIAGNOSES[unit], k=min(len(V.DIAGNOSES[unit]), self.rng.randint(1, 2)))
            diag = ";".join(codes)
        self.stays.append(dict(stay_id=sid, patient_id=pid, start_datetime=start, end_datetime=end, unit=unit,
                               stay_type=stay_type, diagnoses=diag))
        return sid

    def rand_time(self, day: dt.date, h0=8, h1=18):
        return dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=self.rng.randint(h0 * 60, h1 * 60 - 1))

    def rand_day(self, lo=START, hi=END):
        span = (hi - lo).days
        return (lo + dt.timedelta(days=self.rng.randint(0, max(0, span)))).date()

    def plan_exam(self, pid, code, t, stay=None, req_unit=None, ctx=None):
        ex = dict(pid=pid, code=code, t=t, stay=stay, req_unit=req_unit, ctx=dict(ctx or {}))
        self.planned.append(ex)
        return ex

    def episodes_generic(self, pt):
        r, p = self.rng, self.p
        pid = pt["patient_id"]
        n_ep = min(8, 1 + int(r.expovariate(0.9)))
        units = p["units"]
        for _ in range(n_ep):
            kind = wpick(r, p["episodes"])
            age = 2025 - pt["birth_date"].year
            if kind == "birth" and age > 1:
                kind = "er"
            day = self.rand_day()
            if kind == "er":
                hour = wpick(r, [(h, w) for h, w in zip(range(24), [3, 2, 2, 1, 1, 1, 2, 3, 5, 7, 8, 8, 7, 7, 7, 7, 7,
                                                                    7, 7, 6, 6, 5, 4, 4])])
                arr = dt.datetime(day.year, day.month, day.day, hour, r.randint(0, 59))
                dur = dt.timedelta(minutes=r.randint(120, 14 * 60))
                er_unit = units["emergency"][0]
                if self.name == "ch_ght_migration" and age < 16:
                    er_unit = "URGENCES PEDIATRIQUES"
                sid = self.add_stay(pid, arr, arr + dur, "emergency", er_unit)
                temp = r.random() < p["temp_rate"] * (2.0 if hour < 7 or hour >= 21 else 1.0)
                ctx = dict(er=True, temp=temp, visit=sid)
                trauma = r.random() < 0.3
                codes = (["BODYSCAN", "TDM_CER", "TDM_RACHIS", "RX_BASSIN", "RX_CHEVILLE", "RX_POIGNET"] if trauma else
                         ["RX_THO", "TDM_CER", "ANGIO_EP", "TDM_AP", "ECHO_ABDO", "ECHO_DOPPLER_MI", "RX_ASP", "ANGIO_TSA"])
                k = 1 + (r.random() < 0.45) + (r.random() < 0.15)
                t = arr + dt.timedelta(minutes=r.randint(20, 150))
                for code in r.sample(codes, k):
                    if t < arr + dur:
                        self.plan_exam(pid, code, t, sid, er_unit, ctx)
                        if code in ("TDM_CER", "RX_THO") and r.random() < 0.08 and t + dt.timedelta(hours=5) < arr + dur:
                            self.plan_exam(pid, code, t + dt.timedelta(hours=r.randint(3, 5)), sid, er_unit,
                                           dict(ctx, control=True))  # same exam repeated the same day
                    t += dt.timedelta(minutes=r.randint(15, 90))
                if r.random() < 0.30:   # admitted
                    hs = arr + dur
                    hunit = r.choice(units["hospitalisation"])
                    he = hs + dt.timedelta(days=r.randint(1, 12), hours=r.randint(0, 10))
                    hsid = self.add_stay(pid, hs, he, "hospitalisation", hunit)
                    self.inpatient_exams(pid, hsid, hs, he, hunit)
            elif kind == "hosp":
                hs = self.rand_time(day, 8, 17)
                hunit = r.choice(units["hospitalisation"])
                if self.name == "ch_ght_migration" and age < 16:
                    hunit = "PEDIATRIE"
                he = hs + dt.timedelta(days=r.randint(1, 15), hours=r.randint(0, 8))
                hsid = self.add_stay(pid, hs, he, "hospitalisation", hunit)
                self.inpatient_exams(pid, hsid, hs, he, hunit, at_least=1)
            elif kind == "birth":
                hs = self.rand_time(day, 0, 24)
                he = hs + dt.timedelta(days=r.randint(2, 6))
                hsid = self.add_stay(pid, hs, he, "hospitalisation", "MATERNITE" if r.random() < 0.6 else "PEDIATRIE")
                self.plan_exam(pid, r.choice(["RX_THO", "ECHO_ABDO"]), hs + dt.timedelta(hours=r.randint(2, 40)), hsid,
                               "PEDIATRIE", dict(newborn=True))
            elif kind == "day_care":
                s = self.rand_time(day, 8, 10)
                e = s + dt.timedelta(hours=r.randint(5, 9))
                u = r.choice(units["day_care"])
                sid = self.add_stay(pid, s, e, "day_care", u)
                self.plan_exam(pid, r.choice(["TDM_TAP", "TDM_THO", "ECHO_ABDO", "IRM_CER", "TDM_AP"]),
                               s + dt.timedelta(minutes=r.randint(30, 200)), sid, u)
            elif kind == "consult_then_exam":
                s = self.rand_time(day, 8, 16)
                u = r.choice(units["consultation"])
                self.add_stay(pid, s, s + dt.timedelta(minutes=30), "consultation", u)
                code = r.choice(["IRM_GENOU", "IRM_RACHIS_L", "ECHO_PELV", "TDM_THO", "IRM_CER", "ECHO_THYR", "RX_THO"])
                self.plan_exam(pid, code, s + dt.timedelta(minutes=r.randint(45, 180)), None, u)
            elif kind == "imaging_venue":   # CH: every external imaging visit opens a venue in the imaging unit
                t = self.rand_time(day, 8, 19)
                code = r.choice(["RX_THO", "RX_BASSIN", "ECHO_ABDO", "ECHO_PELV", "MAMMO", "MAMMO_DEP", "TDM_THO",
                                 "TDM_AP", "IRM_GENOU", "IRM_RACHIS_L", "IRM_CER", "ECHO_DOPPLER_MI", "RX_CHEVILLE"])
                sid = self.add_stay(pid, t - dt.timedelta(minutes=r.randint(5, 30)), t + dt.timedelta(minutes=r.randint(40, 90)),
                                    "consultation", "IMAGERIE MEDICALE")
                self.plan_exam(pid, code, t, sid, "IMAGERIE MEDICALE")
                if code == "TDM_THO" and r.random() < 0.5:  # thorax + abdomen-pelvis in one session
                    self.plan_exam(pid, "TDM_AP", t + dt.timedelta(minutes=r.randint(2, 6)), sid, "IMAGERIE MEDICALE",
                                   dict(session_pair=True))
            else:  # outpatient, no stay
                t = self.rand_time(day, 7, 20)
                code = r.choice(["IRM_GENOU", "IRM_RACHIS_L", "IRM_CER", "ECHO_ABDO", "TDM_THO", "MAMMO", "ECHO_THYR",
                                 "IRM_PELV", "RX_THO"])
                self.plan_exam(pid, code, t, None, None)

    def inpatient_exams(self, pid, sid, hs, he, unit, at_least=0):
        r = self.rng
        days = max(1, (he - hs).days)
        k = max(at_least, min(6, int(r.expovariate(1 / (0.25 * days + 0.6)))))
        codes = ["RX_THO_LIT", "TDM_THO", "TDM_AP", "ECHO_ABDO", "IRM_CER", "TDM_CER", "ECHO_DOPPLER_MI", "TDM_TAP", "RX_THO"]
        last = {}
        for _ in range(k):
            t = hs + dt.timedelta(minutes=r.randint(60, max(61, int((he - hs).total_seconds() // 60) - 30)))
            if t.hour < 7:
                t = t.replace(hour=r.randint(8, 16))
            if t >= he:
                continue
            code = r.choice(codes)
            self.plan_exam(pid, code, t, sid, unit)
            if code == "RX_THO_LIT" and r.random() < 0.12 and t.hour < 15:  # post-procedure control chest film
                self.plan_exam(pid, code, t + dt.timedelta(hours=r.randint(1, 4)), sid, unit, dict(control=True))

    def episodes_clcc(self, pt):
        """Cancer centre: a care pathway per patient, many referred from other hospitals."""
        r = self.rng
        pid = pt["patient_id"]
        sex = pt["sex"]
        cancer = wpick(r, [("breast", 40 if sex == "F" else 0), ("lung", 18), ("prostate", 0 if sex == "F" else 25),
                           ("digestive", 15), ("lymphoma", 10), ("gyn", 8 if sex == "F" else 0), ("ent", 6)])
        pt["_cancer"] = cancer
        plan = {
            "breast": [["MAMMO", "ECHO_SEIN"], ["IRM_SEIN"], ["TEP_FDG"], ["TDM_TAP"], ["SCINTI_OS"], ["MAMMO", "ECHO_SEIN"]],
            "lung": [["TEP_FDG"], ["TDM_TAP", "IRM_CER"], ["TDM_TAP"], ["TEP_FDG"], ["TDM_THO"]],
            "prostate": [["IRM_PROST"], ["TEP_PSMA"], ["SCINTI_OS"], ["TEP_CHOL"], ["TDM_TAP"]],
            "digestive": [["TDM_TAP"], ["IRM_FOIE"], ["TEP_FDG"], ["TDM_TAP"], ["IRM_PELV"]],
            "lymphoma": [["TEP_FDG"], ["TEP_FDG"], ["TEP_FDG"], ["TDM_TAP"]],
            "gyn": [["IRM_PELV"], ["TEP_FDG"], ["TDM_TAP"]],
            "ent": [["TEP_FDG"], ["TDM_TAP"], ["ECHO_THYR"]],
        }[cancer]
        first = START + dt.timedelta(days=r.randint(0, 600))
        referred = r.random() < 0.55
        pt["_referred"] = referred
        if referred:   # images brought on CD from the referring hospital, imported in the PACS
            src = r.choice(V.OUTSIDE_CENTRES)
            ext_ipp = str(r.randint(10 ** 7, 10 ** 9))
            for j in range(r.choice([1, 1, 2, 3])):
                code = r.choice(plan[0] + ["TDM_TAP", "TDM_THO", "IRM_CER" if cancer == "lung" else "ECHO_ABDO"])
                t = self.rand_time((first - dt.timedelta(days=r.randint(8, 70))).date(), 7, 20)
                self.plan_exam(pid, code, t, None, None, dict(cd=True, src=src, ext_ipp=ext_ipp))
            if r.random() < 0.10:
                self.second_opinions.append((pid, first - dt.timedelta(days=r.randint(1, 6)), src))
        cs = self.rand_time(first.date(), 8, 17)
        cunit = {"breast": "CS SENOLOGIE", "digestive": "CS ONCOLOGIE DIGESTIVE", "prostate": "CS UROLOGIE ONCO",
                 "ent": "CS ORL ONCOLOGIE", "lymphoma": "CS HEMATOLOGIE"}.get(cancer, r.choice(self.p["units"]["consultation"]))
        self.add_stay(pid, cs, cs + dt.timedelta(minutes=40), "consultation", cunit)
        t = cs + dt.timedelta(days=r.randint(3, 20))
        steps = plan[: r.randint(2, len(plan))]
        while t < END and steps:
            group = steps.pop(0)
            day = t.date()
            if day.weekday() >= 5:
                day += dt.timedelta(days=7 - day.weekday())
            where = wpick(r, [("out", 55), ("hdj", 30), ("hosp", 8), ("cs", 7)])
            sid, unit, base = None, None, self.rand_time(day, 7, 16)
            if where == "hdj":
                s = self.rand_time(day, 7, 9)
                unit = r.choice(self.p["units"]["day_care"])
                sid = self.add_stay(pid, s, s + dt.timedelta(hours=r.randint(6, 9)), "day_care", unit)
                base = s + dt.timedelta(minutes=r.randint(20, 120))
            elif where == "hosp":
                s = self.rand_time(day, 8, 15)
                unit = r.choice(self.p["units"]["hospitalisation"])
                sid = self.add_stay(pid, s, s + dt.timedelta(days=r.randint(2, 10)), "hospitalisation", unit)
                base = s + dt.timedelta(hours=r.randint(2, 30))
            elif where == "cs":   # exam the same morning as a consultation, outside the consultation venue
                s = self.rand_time(day, 13, 17)
                unit = cunit
                self.add_stay(pid, s, s + dt.timedelta(minutes=30), "consultation", cunit)
                base = s - dt.timedelta(hours=r.randint(2, 5))
            for code in group:
                ex = self.plan_exam(pid, code, base, sid, unit)
                if code == "TEP_FDG" and r.random() < 0.07:  # dual-time-point acquisition: 2 studies, 1 report
                    self.plan_exam(pid, code, base + dt.timedelta(minutes=r.randint(60, 90)), sid, unit,
                                   dict(late_of=id(ex)))
                base += dt.timedelta(minutes=r.randint(25, 70))
            t = t + dt.timedelta(days=r.randint(50, 120))
            if not steps and r.random() < 0.5:
                steps = [plan[-1]]
            if where == "hosp" and r.random() < 0.2:   # unscheduled visit (fever under chemotherapy) weeks later
                s = self.rand_time((base + dt.timedelta(days=r.randint(12, 40))).date(), 0, 24)
                usid = self.add_stay(pid, s, s + dt.timedelta(hours=r.randint(3, 10)), "emergency",
                                     "UNITE DE SOINS NON PROGRAMMES")
                if r.random() < 0.6:
                    self.plan_exam(pid, r.choice(["TDM_THO", "RX_THO", "TDM_AP"]), s + dt.timedelta(minutes=r.randint(40, 150)),
                                   usid, "UNITE DE SOINS NON PROGRAMMES", dict(er=True, visit=usid))

    # ------------------------------------------------------------ exam headers
    def header_identity(self, pt, ctx, fault_kind):
        """Patient name/birth/sex as the modality console wrote them, and the noise kinds."""
        r, p = self.rng, self.p
        kinds = []
        fam = V.ACCENTED.get(pt["family_name"], pt["family_name"]) if self.name != "clcc_referral" else pt["family_name"]
        fam = pt["family_name"]
        given = pt["given_name"]
        bd, sex = pt["birth_date"], pt["sex"]
        if fault_kind == "temporary_ipp" and ctx.get("anonymous", True):
            # provisional identity created at the ER desk: placeholder name and birth date
            style = r.random()
            if style < 0.4:
                fam_h, giv_h = "INCONNU", ("HOMME" if sex == "M" else "FEMME")
            elif style < 0.7:
                fam_h, giv_h = "X", f"URG{r.randint(100, 999)}"
            else:
                fam_h, giv_h = "ANONYME", ("MASCULIN" if sex == "M" else "FEMININ")
            bdh = dt.date(1900, 1, 1) if r.random() < 0.5 else dt.date(bd.year + r.randint(-8, 8), 1, 1)
            return f"{fam_h}^{giv_h}", bdh, (sex if r.random() < 0.7 else None), ["anonymous_name", "placeholder_birth_date"]
        if ctx.get("newborn") and r.random() < 0.7:
            giv_h = r.choice(["BB", "BEBE", "NOUVEAU-NE", "BB FILLE" if sex == "F" else "BB GARCON"])
            return f"{strip_accents(fam).upper()}^{giv_h}", bd, sex, ["newborn_placeholder"]
        # the console's normal spelling (a deviation from the registry is recorded)
        if self.name == "clcc_referral":
            fam_h, giv_h = fam, given
            if ctx.get("cd"):
                fam_h, giv_h = fam, given.split(" ")[0].title()
                kinds.append("case")
        else:
            # consoles write FAMILY^GIVEN in uppercase without diacritics: that convention is not
            # recorded as noise; a registry family name that had diacritics is (accents_lost)
            fam_h, giv_h = strip_accents(fam).upper(), strip_accents(given).upper()
            if fam_h != fam.upper():
                kinds.append("accents_lost")
        if " " in giv_h and self.name == "clcc_referral" and not ctx.get("cd") and r.random() < 0.5:
            giv_h = giv_h.split(" ")[0]
            kinds.append("first_given_only")
        # usage name on the console
        if pt["usage_name"]:
            pu = {"chu_urgences": 0.35, "clcc_referral": 0.15, "ch_ght_migration": 0.75}[self.name]
            if ctx.get("cd"):
                pu = 0.6
            if r.random() < pu:
                fam_h = pt["usage_name"]
                kinds.append("usage_name")
        noisy = r.random() < p["noise"] * (2 if fault_kind != "none" else 1)
        if noisy:
            kind = wpick(r, [("typo", 30), ("swapped", 12), ("compound", 15), ("birth_day_month_swap", 12),
                             ("birth_date_typo", 15), ("sex_missing", 10), ("truncated", 6)])
            if kind == "typo" and len(fam_h) > 4:
                i = r.randint(1, len(fam_h) - 2)
                c = fam_h[i]
                repl = r.choice([c + c, "", r.choice("AEIOUNMRLST"), fam_h[i + 1] + c])
                fam_h = fam_h[:i] + repl + fam_h[i + 1 + (1 if len(repl) == 2 and repl != c + c else 0):]
                kinds.append("typo")
            elif kind == "swapped":
                fam_h, giv_h = giv_h, fam_h
                kinds.append("swapped")
            elif kind == "compound" and ("-" in fam_h or " " in fam_h or "-" in giv_h):
                if "-" in giv_h and r.random() < 0.5:
                    giv_h = r.choice([giv_h.replace("-", " "), giv_h.replace("-", ""), giv_h.split("-")[0]])
                else:
                    sep = "-" if "-" in fam_h else " "
                    fam_h = r.choice([fam_h.replace(sep, ""), fam_h.split(sep)[0], fam_h.replace(sep, " " if sep == "-" else "-")])
                kinds.append("compound")
            elif kind == "birth_day_month_swap" and bd.day <= 12 and bd.day != bd.month:
                bd = dt.date(bd.year, bd.day, bd.month)
                kinds.append("birth_day_month_swap")
            elif kind == "birth_date_typo":
                for _ in range(5):
                    s = bd.strftime("%Y%m%d")
                    i = r.choice([2, 3, 5, 7])
                    s2 = s[:i] + str(r.randint(0, 9)) + s[i + 1:]
                    try:
                        nb = dt.datetime.strptime(s2, "%Y%m%d").date()
                    except ValueError:
                        continue
                    if nb != bd:
                        bd = nb
                        kinds.append("birth_date_typo")
                        break
            elif kind == "sex_missing":
                sex = None
                kinds.append("sex_missing")
            elif kind == "truncated" and len(fam_h) + len(giv_h) > 18:
                giv_h = giv_h[: max(1, 18 - len(fam_h))]
                kinds.append("truncated")
        return f"{fam_h}^{giv_h}", bd, sex, kinds

    def mistype(self, ipp):
        r = self.rng
        for _ in range(20):
            how = r.random()
            if self.name == "chu_urgences" and ipp.startswith("0") and how < 0.5:
                cand = ipp.lstrip("0")               # mobile DX / console drops leading zeros
            elif how < 0.75:
                i = r.randrange(len(ipp))
                cand = ipp[:i] + r.choice([d for d in "0123456789" if d != ipp[i]]) + ipp[i + 1:]
            else:
                i = r.randrange(len(ipp) - 1)
                cand = ipp[:i] + ipp[i + 1] + ipp[i] + ipp[i + 2:]
            if cand != ipp and cand not in self.by_id:
                return cand
        return ipp[:-1]

    def other_patient(self, pt):
        r = self.rng
        same = [q for q in self.surname_index.get(pt["family_name"], []) if q["patient_id"] != pt["patient_id"]]
        if same and r.random() < 0.4:
            return r.choice(same)
        while True:
            q = r.choice(self.patients)
            if q["patient_id"] != pt["patient_id"]:
                return q

    def build_exams(self):
        r, p = self.rng, self.p
        self.planned.sort(key=lambda e: (e["t"], e["pid"], e["code"]))
        self.surname_index = {}
        for q in self.patients:
            self.surname_index.setdefault(q["family_name"], []).append(q)
        temp_ids = {}
        stays_by_pid = {}
        for s in self.stays:
            stays_by_pid.setdefault(s["patient_id"], []).append(s)
        self.exam_rows = []
        for ex in self.planned:
            pt = self.by_id[ex["pid"]]
            ctx = ex["ctx"]
            mod, desc, body, _ = V.CATALOGUE[ex["code"]]
            t = ex["t"]
            habit = []
            site2 = self.name == "ch_ght_migration" and r.random() < 0.4   # Saint-Aubin site of the GHT
            # --- how the IPP is written
            fault = "none"
            if ctx.get("temp"):
                fault = "temporary_ipp"
            else:
                x = r.random()
                boost = 1.6 if (ctx.get("er") or ex["code"] in ("RX_THO_LIT",)) else 1.0
                if x < p["missing"] * boost:
                    fault = "missing_ipp"
                elif x < (p["missing"] + p["mistyped"]) * boost:
                    fault = "mistyped_ipp"
                elif x < (p["missing"] + p["mistyped"] + p["other"]) * boost:
                    fault = "other_patient_ipp"
            ipp_h = pt["patient_id"]
            ident_pt = pt
            if ctx.get("cd"):
                if r.random() < 0.35:   # imported without reconciliation: the referring hospital's IPP
                    ipp_h = ctx["ext_ipp"]
                    fault = "missing_ipp"
                    habit.append("external_ipp_cd_import")
                else:
                    fault = "none"
                    habit.append("cd_import_reconciled")
            elif fault == "temporary_ipp":
                key = ctx["visit"]
                if key not in temp_ids:
                    if self.name == "chu_urgences":
                        temp_ids[key] = self.new_id(lambda r: f"0{r.randint(9000000, 9999999)}")
                    else:
                        temp_ids[key] = self.new_id(lambda r: f"TMP{r.randint(100000, 999999)}")
                ipp_h = temp_ids[key]
            elif fault == "missing_ipp":
                ipp_h = None if r.random() < 0.7 else r.choice(["", "0", "INCONNU"]) or None
                if ipp_h == "0" or ipp_h == "INCONNU":
                    habit.append("ipp_placeholder_value")
            elif fault == "mistyped_ipp":
                ipp_h = self.mistype(pt["patient_id"])
            elif fault == "other_patient_ipp":
                ipp_h = self.other_patient(pt)["patient_id"]
            # old PACS of the second site: pre-GHT local IPPs
            if site2 and t < MIGRATION and fault == "none" and r.random() < 0.25:
                ipp_h = str(int(pt["patient_id"][1:]) % 10 ** 7 + 1000000)
                if ipp_h in self.by_id:
                    ipp_h = ipp_h + "0"
                fault = "missing_ipp"
                habit.append("obsolete_site_ipp")
            name, bd_h, sex_h, kinds = self.header_identity(pt, dict(ctx, anonymous=True), fault)
            # --- times
            t_h = t
            if site2 and t < MIGRATION:
                # old PACS of the Saint-Aubin site stored study times in UTC; the migration did not convert them
                summer = dt.datetime(t.year, 3, 31) <= t < dt.datetime(t.year, 10, 27)
                t_h = t - dt.timedelta(hours=2 if summer else 1)
                habit.append("utc_shifted_time")
            # --- description, unit, institution
            desc_h = desc
            if ctx.get("cd") or (self.name == "ch_ght_migration" and t < MIGRATION):
                if ex["code"] in V.DESC_ALIASES and r.random() < 0.7:
                    desc_h = r.choice(V.DESC_ALIASES[ex["code"]])
            if ctx.get("late_of"):
                desc_h = desc + " - TARDIF"
            if ctx.get("cd"):
                inst = ctx["src"].upper()
                unit = None
            else:
                if self.name == "ch_ght_migration":
                    inst = r.choice(p["institution"][3:5] if site2 else p["institution"][:3] + [""]) or None
                else:
                    inst = r.choice(p["institution"]) or None
                if mod in ("PT\\CT", "NM"):
                    unit = "MEDECINE NUCLEAIRE"
                else:
                    unit = p["imaging_unit"]
                if ex["req_unit"] and r.random() < 0.35:
                    unit = ex["req_unit"]
            body_h = body if r.random() < 0.93 else None
            stay_h = None
            if ex["stay"] and r.random() < p["exam_stay"]:
                stay_h = ex["stay"]
                if r.random() < p["stale_stay"]:   # RIS kept the last closed venue of the patient
                    older = [s for s in stays_by_pid.get(pt["patient_id"], []) if s["end_datetime"] < t]
                    if older:
                        stay_h = older[-1]["stay_id"]
                        habit.append("stale_stay_on_exam")
            uid = self.new_id(lambda r: "1.2.250.1.{}.{}.{}.{}".format(
                {"chu_urgences": 213, "clcc_referral": 88, "ch_ght_migration": 301}[self.name],
                r.randint(1, 9), t.strftime("%Y%m%d%H%M%S"), r.randint(10 ** 5, 10 ** 9)))
            acc = self.accession(t, "cd" if ctx.get("cd") else "local")
            row = dict(exam_id=uid, accession_number=acc, patient_id=ipp_h, patient_name=name, birth_date=bd_h,
                       sex=sex_h, study_datetime=t_h, modality=mod, study_description=desc_h, body_part=body_h,
                       institution=inst, unit=unit, stay_id=stay_h)
            self.exams.append(row)
            self.faults.append(dict(exam_id=uid, fault=fault, identity_noise=";".join(kinds)))
            self.links.append(dict(source_type="exam", source_id=uid, target_type="patient", target_id=pt["patient_id"]))
            self.links.append(dict(source_type="exam", source_id=uid, target_type="stay", target_id=ex["stay"]))
            if ctx.get("control"):
                habit.append("same_exam_same_day")
            if ctx.get("temp"):
                habit.append("er_provisional_identity")
            self.habits.append(dict(exam_id=uid, habits=";".join(habit)))
            ex["row"] = row
            self.exam_rows.append(ex)

    # ------------------------------------------------------------ reports
    def report_delay(self, ex, t):
        """Validation time of the report, by profile and modality."""
        r = self.rng
        mod = V.CATALOGUE[ex["code"]][0]
        ctx = ex["ctx"]
        if self.name == "chu_urgences":
            if ctx.get("er") and (t.hour >= 20 or t.hour < 8) and mod in ("CT", "US"):
                return t + dt.timedelta(minutes=r.randint(15, 95)), "telerad"
            if ctx.get("er"):
                return t + dt.timedelta(minutes=r.randint(20, 240)), None
            if mod == "MR":
                return workday_push(t + dt.timedelta(hours=r.randint(20, 110)), r), None
            if mod in ("CR", "DX"):
                return workday_push(t + dt.timedelta(hours=r.uniform(2, 40)), r), None
            return workday_push(t + dt.timedelta(hours=r.uniform(1, 20)), r), None
        if self.name == "clcc_referral":
            if ctx.get("er"):
                return t + dt.timedelta(minutes=r.randint(40, 360)), None
            if mod in ("MG", "US"):
                return t + dt.timedelta(minutes=r.randint(25, 150)), None
            if mod in ("PT\\CT", "NM"):   # dictated by the junior, validated by the senior
                return workday_push(t + dt.timedelta(hours=r.uniform(18, 70)), r), "second_reader"
            if mod == "MR":
                return workday_push(t + dt.timedelta(hours=r.uniform(30, 150)), r), None
            return workday_push(t + dt.timedelta(hours=r.uniform(20, 96)), r), None  # CT waits for the RCP
        # CH: short-staffed; MR read by a partner group; summer / Christmas backlog
        slow = 1.0 + (1.5 if (t.month == 8 or (t.month == 12 and t.day > 20)) else 0.0)
        if ctx.get("er"):
            return t + dt.timedelta(minutes=int(r.randint(20, 300) * (1 + (slow - 1) / 3))), None
        if mod == "MR":
            return workday_push(t + dt.timedelta(hours=r.uniform(24, 240) * slow), r), "partner_group"
        return workday_push(t + dt.timedelta(hours=r.uniform(0.5, 60) * slow), r), None

    def new_report_id(self):
        self.rep_seq += 1
        if self.name == "chu_urgences":
            return f"CR{self.rep_seq:07d}"
        if self.name == "clcc_referral":
            return f"DOC-{self.rep_seq:06d}"
        return str(5000000 + self.rep_seq * 7)

    def previous_exam(self, ex):
        body = V.CATALOGUE[ex["code"]][2]
        key = (ex["pid"], body)
        prev = self.last_by_region.get(key)
        self.last_by_region[key] = ex["t"]
        return prev

    def report_text(self, ex, rdt, channel, covered=None, pt=None):
        r, p = self.rng, self.p
        mod, desc, body, _ = V.CATALOGUE[ex["code"]]
        style = r.choice(V.HEADER_STYLES)
        abnormal = r.random() < (0.55 if self.name == "clcc_referral" else 0.35)
        lines = []
        title_mod = r.choice(V.MODALITY_WORDS[mod])
        region = V.REGION_WORDS.get(body, "")
        mention = r.random()
        exam_label = f"{title_mod} {region}".strip()
        if covered:
            exam_label = "Scanner thoraco-abdomino-pelvien" if ex["code"] == "TDM_THO" else exam_label + " (acquisitions précoce et tardive)"
        if channel == "telerad":
            lines.append(r.choice(V.TELERAD_HEADER).format(hh=f"{ex['t'].hour:02d}", mm=f"{ex['t'].minute:02d}"))
        if self.name == "ch_ght_migration":
            # CH dictation: the text seldom names the exam; often only a date placeholder
            if mention < 0.35:
                lines.append("Examen du [DATE]")
            elif mention < 0.6:
                lines.append(f"{exam_label.upper()} DU {fr_date(ex['t'])}")
            elif mention < 0.75:
                lines.append("Patient(e) : [NOM]")
        elif self.name == "clcc_referral":
            if mention < 0.7:
                lines.append(f"{exam_label} réalisé(e) le {fr_date(ex['t'])}")
            else:
                lines.append(f"{exam_label} - [DATE]")
        else:
            if mention < 0.5:
                lines.append(f"{exam_label}")
            elif mention < 0.7:
                lines.append(f"{exam_label} du {fr_date(ex['t'])}")
        if ex["ctx"].get("cd"):
            pass
        ind_h, tech_h, res_h, conc_h = style
        lines.append("")
        lines.append(ind_h)
        ind = r.choice(V.INDICATIONS_BY_CODE.get(ex["code"]) or V.INDICATIONS.get(body, ["Bilan."]))
        if ex["ctx"].get("newborn"):
            ind = "Nouveau-né, détresse respiratoire." if mod in ("CR", "DX") else "Nouveau-né, bilan malformatif."
        if ex["ctx"].get("control"):
            ind = "Contrôle. " + ind
        lines.append(ind)
        if tech_h:
            lines.append("")
            lines.append(tech_h)
            tech = r.choice(V.TECHNIQUES_BY_CODE.get(ex["code"]) or V.TECHNIQUES[mod])
            tech = tech.format(dose=r.randint(180, 420), gly=f"{r.uniform(0.8, 1.6):.2f}".replace(".", ","),
                               delay=r.randint(55, 80))
            lines.append(tech)
        lines.append("")
        lines.append(res_h)
        prev = self.previous_exam(ex)
        if prev and r.random() < 0.6:
            c = r.choice([c for c in V.COMPARISONS if "{prev}" in c])
            lines.append(c.format(prev=fr_date(prev), prev_src=r.choice(V.OUTSIDE_CENTRES)))
        elif r.random() < 0.2:
            lines.append(V.COMPARISONS[2])
        normals = list(V.NORMAL_BY_CODE.get(ex["code"]) or V.NORMAL_FINDINGS.get(body, ["Pas d'anomalie."]))
        r.shuffle(normals)
        finding = None
        if abnormal:
            finding = r.choice(V.ABNORMAL_BY_CODE.get(ex["code"]) or V.ABNORMAL_FINDINGS.get(body, ["Anomalie non spécifique."]))
            finding = finding.format(n=r.randint(4, 48), suv=f"{r.uniform(2.5, 18):.1f}".replace(".", ","))
            lines.append(finding)
        if finding:   # do not deny what was just described
            def toks(x):
                return {w for w in re.findall(r"[a-z]+", strip_accents(x.lower())) if len(w) >= 6}
            words = toks(finding)
            normals = [x for x in normals if not words & toks(x)]
        lines.extend(normals[: r.randint(1, 3)])
        if covered and ex["code"] == "TDM_THO":
            lines.append("Étage abdomino-pelvien : " + r.choice(V.NORMAL_FINDINGS["ABDOMEN"]))
        lines.append("")
        lines.append(conc_h)
        if abnormal:
            conc = finding.split(",")[0].rstrip(".") + "."
            if r.random() < 0.4:
                conc = r.choice(["Aspect évocateur de : ", "Aspect compatible avec ", "En faveur de "]) + conc[0].lower() + conc[1:]
            lines.append(conc)
        else:
            lines.append(r.choice(V.NORMAL_CONCLUSIONS))
        lines.append("")
        lines.append(r.choice(V.SIGNATURES))
        text = "\n".join(lines)
        if r.random() < p["html"]:
            text = "<p>" + text.replace("&", "&amp;").replace("\n", "<br>") + "</p>"
        # title
        if p["titles"] == "generic":
            title = r.choice(V.TITLES_GENERIC) if r.random() < 0.85 else None
        elif p["titles"] == "descriptive":
            title = exam_label.upper() if r.random() < 0.5 else f"Compte rendu de {exam_label}"
        else:
            title = ex["row"]["study_description"] if r.random() < 0.6 else r.choice(V.TITLES_GENERIC)
            if channel == "telerad":
                title = "TELERADIOLOGIE - " + (ex["row"]["study_description"] or "")
        return title, text

    def build_reports(self):
        r, p = self.rng, self.p
        self.last_by_region = {}
        by_uid_late = {}
        skip = set()
        # one report for two studies: CH thorax+AP sessions; CLCC dual-time-point PET
        partner = {}
        for i, ex in enumerate(self.exam_rows):
            if ex["ctx"].get("session_pair") and i > 0 and self.exam_rows[i - 1]["code"] == "TDM_THO" \
                    and self.exam_rows[i - 1]["pid"] == ex["pid"] and r.random() < 0.6:
                partner[i - 1] = i
                skip.add(i)
            if ex["ctx"].get("late_of"):
                for j in range(i - 1, max(-1, i - 40), -1):
                    if id(self.exam_rows[j]) == ex["ctx"]["late_of"] or (
                            self.exam_rows[j]["pid"] == ex["pid"] and self.exam_rows[j]["code"] == ex["code"]
                            and (ex["t"] - self.exam_rows[j]["t"]) < dt.timedelta(hours=3)):
                        partner[j] = i
                        skip.add(i)
                        break
        # plan reports
        plan = []
        for i, ex in enumerate(self.exam_rows):
            if i in skip:
                continue
            mod = V.CATALOGUE[ex["code"]][0]
            if ex["ctx"].get("cd"):
                continue          # imported CDs are not re-reported (the outside report is scanned, not here)
            if mod in ("CR", "DX") and ex["ctx"].get("er") and r.random() < p["er_cr_unreported"]:
                continue          # ER radiograph read by the emergency physician only
            if r.random() < 0.015:
                continue          # never validated (lost in the dictation queue)
            rdt, channel = self.report_delay(ex, ex["t"])
            plan.append((rdt, i, channel))
        for pid, when, src in self.second_opinions:
            plan.append((workday_push(when, r), -1, ("second_opinion", pid, src)))
        plan.sort(key=lambda x: (x[0], x[1], str(x[2])))
        for rdt, i, channel in plan:
            if i == -1:
                _, pid, src = channel
                rid = self.new_report_id()
                text = ("AVIS SUR DOSSIER EXTÉRIEUR\n\nRelecture d'un scanner thoraco-abdomino-pelvien réalisé au "
                        f"{src}, à la demande du Dr [NOM].\n\nRésultats\n"
                        + r.choice(V.ABNORMAL_FINDINGS["CHESTABDOMEN"]).format(n=r.randint(8, 40))
                        + "\n\nConclusion\nAvis donné pour la RCP. Pas d'examen complémentaire dans l'immédiat.\n\nDr [NOM]")
                self.reports.append(dict(report_id=rid, patient_id=pid, stay_id=None, report_datetime=rdt,
                                         title="Avis sur dossier extérieur", text=text, accession_number=None))
                self.links.append(dict(source_type="report", source_id=rid, target_type="exam", target_id=None))
                self.links.append(dict(source_type="report", source_id=rid, target_type="stay", target_id=None))
                continue
            ex = self.exam_rows[i]
            row = ex["row"]
            pt = self.by_id[ex["pid"]]
            covered = partner.get(i)
            title, text = self.report_text(ex, rdt, channel, covered=covered is not None, pt=pt)
            if channel == "second_reader" and r.random() < 0.3:
                text += "\nDouble lecture : Dr [NOM] / Dr [NOM]"
            rid = self.new_report_id()
            pid_r = pt["patient_id"]
            if channel == "telerad":
                pid_r = row["patient_id"]       # the teleradiology platform echoes the header IPP
            elif r.random() < p["report_pid_null"]:
                pid_r = None
            acc = row["accession_number"] if r.random() < p["report_acc"] else None
            if covered is not None and acc and r.random() < 0.5:
                acc = f"{acc}\\{self.exam_rows[covered]['row']['accession_number']}"   # both accessions
            stay_r = ex["stay"] if (ex["stay"] and r.random() < p["report_stay"]) else None
            self.reports.append(dict(report_id=rid, patient_id=pid_r, stay_id=stay_r, report_datetime=rdt,
                                     title=title, text=text, accession_number=acc))
            self.links.append(dict(source_type="report", source_id=rid, target_type="exam", target_id=row["exam_id"]))
            self.links.append(dict(source_type="report", source_id=rid, target_type="stay", target_id=ex["stay"]))
            # addendum / corrected report / second reading: a second report row for the same exam
            if r.random() < p["addendum"] + (0.12 if channel == "telerad" else 0):
                later = rdt + dt.timedelta(hours=r.uniform(2, 96))
                if channel == "telerad":
                    later = workday_push(rdt.replace(hour=8) + dt.timedelta(days=1 if rdt.hour >= 8 else 0), r)
                    add = "RELECTURE SENIOR DU SCANNER DE GARDE\n\nRelecture : concordance avec l'interprétation initiale." \
                        if r.random() < 0.7 else "RELECTURE SENIOR\n\nDiscordance mineure : " + r.choice(V.NORMAL_FINDINGS["HEAD"])
                    ttl = "Relecture senior"
                elif self.name == "ch_ght_migration" and r.random() < 0.6:
                    add = "COMPTE RENDU MODIFIÉ (version 2)\n\n" + text
                    ttl = title
                else:
                    add = r.choice(V.ADDENDUM_TEXTS).format(n=r.randint(10, 30), m=r.randint(31, 60))
                    ttl = "Addendum" if r.random() < 0.6 else title
                rid2 = self.new_report_id()
                self.reports.append(dict(report_id=rid2, patient_id=pt["patient_id"], stay_id=stay_r,
                                         report_datetime=later, title=ttl, text=add,
                                         accession_number=row["accession_number"] if r.random() < p["report_acc"] else None))
                self.links.append(dict(source_type="report", source_id=rid2, target_type="exam", target_id=row["exam_id"]))
                self.links.append(dict(source_type="report", source_id=rid2, target_type="stay", target_id=ex["stay"]))

    # ------------------------------------------------------------ run
    def run(self):
        self.make_patients()
        self.planned = []
        self.second_opinions = []
        for pt in self.patients:
            if self.name == "clcc_referral":
                self.episodes_clcc(pt)
            else:
                self.episodes_generic(pt)
        self.stays.sort(key=lambda s: (s["start_datetime"], s["stay_id"]))
        self.build_exams()
        self.build_reports()


SCHEMAS = {
    "patients": pa.schema([("patient_id", pa.string()), ("family_name", pa.string()), ("given_name", pa.string()),
                           ("birth_date", pa.date32()), ("sex", pa.string()), ("usage_name", pa.string())]),
    "stays": pa.schema([("stay_id", pa.string()), ("patient_id", pa.string()), ("start_datetime", pa.timestamp("us")),
                        ("end_datetime", pa.timestamp("us")), ("unit", pa.string()), ("stay_type", pa.string()),
                        ("diagnoses", pa.string())]),
    "exams": pa.schema([("exam_id", pa.string()), ("accession_number", pa.string()), ("patient_id", pa.string()),
                        ("patient_name", pa.string()), ("birth_date", pa.date32()), ("sex", pa.string()),
                        ("study_datetime", pa.timestamp("us")), ("modality", pa.string()),
                        ("study_description", pa.string()), ("body_part", pa.string()), ("institution", pa.string()),
                        ("unit", pa.string()), ("stay_id", pa.string())]),
    "reports": pa.schema([("report_id", pa.string()), ("patient_id", pa.string()), ("stay_id", pa.string()),
                          ("report_datetime", pa.timestamp("us")), ("title", pa.string()), ("text", pa.string()),
                          ("accession_number", pa.string())]),
    "links": pa.schema([("source_type", pa.string()), ("source_id", pa.string()), ("target_type", pa.string()),
                        ("target_id", pa.string())]),
    "exam_faults": pa.schema([("exam_id", pa.string()), ("fault", pa.string()), ("identity_noise", pa.string())]),
    "exam_habits": pa.schema([("exam_id", pa.string()), ("habits", pa.string())]),
}


def write(rows, name, path):
    schema = SCHEMAS[name]
    cols = {f.name: [row.get(f.name) for row in rows] for f in schema}
    table = pa.Table.from_pydict(cols, schema=schema)
    pq.write_table(table, path, compression="snappy")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--profile", required=True, choices=sorted(PROFILES))
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    g = Gen(a.profile, a.patients, a.seed)
    g.run()
    os.makedirs(os.path.join(a.out, "truth"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "extra"), exist_ok=True)
    pts = [{k: v for k, v in pt.items() if not k.startswith("_")} for pt in g.patients]
    write(pts, "patients", os.path.join(a.out, "patients.parquet"))
    write(g.stays, "stays", os.path.join(a.out, "stays.parquet"))
    write(g.exams, "exams", os.path.join(a.out, "exams.parquet"))
    write(g.reports, "reports", os.path.join(a.out, "reports.parquet"))
    write(g.links, "links", os.path.join(a.out, "truth", "links.parquet"))
    write(g.faults, "exam_faults", os.path.join(a.out, "truth", "exam_faults.parquet"))
    write(g.habits, "exam_habits", os.path.join(a.out, "extra", "exam_habits.parquet"))
    print(f"{a.profile}: {len(pts)} patients, {len(g.stays)} stays, {len(g.exams)} exams, {len(g.reports)} reports")


if __name__ == "__main__":
    main()
