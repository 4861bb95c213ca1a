"""warehouse6: a blind synthetic French imaging warehouse generator (three profiles).

Usage:
    python generate.py --profile chu_ris --patients 1500 --seed 61 -o sets/chu_ris
    python generate.py --profile all --patients 1500 --seed 61 -o sets

Standard library + pyarrow only. Deterministic: same profile, patients and seed give
byte-identical parquet files.
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
DAY = dt.timedelta(days=1)
H = dt.timedelta(hours=1)
MIN = dt.timedelta(minutes=1)

HOLIDAYS = {dt.date(*x) for x in [
    (2023, 1, 1), (2023, 4, 10), (2023, 5, 1), (2023, 5, 8), (2023, 5, 18), (2023, 5, 29),
    (2023, 7, 14), (2023, 8, 15), (2023, 11, 1), (2023, 11, 11), (2023, 12, 25),
    (2024, 1, 1), (2024, 4, 1), (2024, 5, 1), (2024, 5, 8), (2024, 5, 9), (2024, 5, 20),
    (2024, 7, 14), (2024, 8, 15), (2024, 11, 1), (2024, 11, 11), (2024, 12, 25),
    (2025, 1, 1), (2025, 4, 21), (2025, 5, 1), (2025, 5, 8), (2025, 5, 29), (2025, 6, 9)]}

CORRECT = "none"  # exam_faults.fault of a correctly attached exam

# ------------------------------------------------------------------------------ profiles
PROFILES = {
    # A large university hospital (CHU): RIS + PACS, 24/7 emergencies, identity merges.
    "chu_ris": dict(
        seed_salt=101, start=D(2023, 1, 2), end=D(2024, 12, 20),
        ipp=lambda r: "80" + f"{r.randrange(10**8):08d}",
        stay_id=lambda r, t: f"{t.year % 100:02d}" + f"{r.randrange(10**7):07d}",
        temp_ipp=lambda r: "77" + f"{r.randrange(10**8):08d}",
        episodes=(2, 5),
        episode_w={"emergency": 22, "emergency_admit": 18, "hosp": 18, "outpatient": 30, "day_care": 6, "icu": 3},
        units=["PNEUMOLOGIE", "NEUROLOGIE", "CARDIOLOGIE", "CHIRURGIE DIGESTIVE", "ORTHOPEDIE",
               "MEDECINE INTERNE", "GERIATRIE", "ONCOLOGIE MEDICALE", "HEMATOLOGIE"],
        outpatient_venue=0.65,  # outpatient imaging opens a consultation venue in IMAGERIE
        institution=lambda r, code: "CHU DE NORDVILLE",
        imaging_unit={"rx": "RADIOLOGIE CENTRALE", "ct": "RADIOLOGIE CENTRALE", "mr": "NEURORADIOLOGIE",
                      "us": "RADIOLOGIE CENTRALE", "mg": "IMAGERIE DE LA FEMME", "pet": "MEDECINE NUCLEAIRE",
                      "nm": "MEDECINE NUCLEAIRE", "ir": "RADIOLOGIE INTERVENTIONNELLE"},
        requesting_unit_on_exam=0.0, stay_on_exam=0.0,
        accession=lambda r, t, n: f"{t.year}{n:07d}", accession_missing=0.0,
        faults={"missing_ipp": 0.02, "mistyped_ipp": 0.025, "other_patient_ipp": 0.02},
        temp_emergency=0.22, anonymous_share=0.35,
        noise_rate=0.18, strip_accents_console=0.15,
        merges=0.04, report_keeps_temp=0.4,
        splits={"TDMTAP": 0.6, "RXGENOUX": 0.7},
        report_missing=0.03,
        report_acc="ris", report_acc_rate=0.92,
        report_ipp_null=0.01, report_stay_rate=0.85,
        titles="descriptive_ris",
        corrected_both_versions=0.03, addendum_rows=0.03, second_reader_mr=0.25,
        weekend_reading={"rx": True, "ct": True, "us": True, "ir": True, "mr": False, "mg": False, "pet": False, "nm": False},
        delay_h={"rx": (2, 30), "ct": (0.5, 14), "us": (0.3, 6), "ir": (1, 48), "mr": (20, 96),
                 "mg": (24, 120), "pet": (20, 72), "nm": (20, 72)},
        placeholders="brackets", html=0.0, rtf=0.0,
        twins=0.01, homonyms=0.03, foreign=0.04, newborns=0.0,
        usage_rate=0.45,
    ),
    # A general hospital (CH) whose imaging is run and read by a private radiology group
    # (SELARL) that also reads for two other hospitals and its own private practice.
    "ch_groupe": dict(
        seed_salt=202, start=D(2023, 6, 1), end=D(2025, 5, 30),
        ipp=lambda r: f"{r.randrange(10**7):07d}" if r.random() < 0.5 else "00" + f"{r.randrange(10**5):05d}",
        stay_id=lambda r, t: "1" + f"{t.year % 100:02d}" + f"{r.randrange(10**6):06d}",
        temp_ipp=lambda r: "TMP" + f"{r.randrange(10**6):06d}",
        episodes=(1, 4),
        episode_w={"emergency": 30, "emergency_admit": 15, "hosp": 12, "outpatient": 33, "maternity": 10},
        units=["MEDECINE POLYVALENTE", "CHIRURGIE VISCERALE", "CARDIOLOGIE", "GERIATRIE", "PEDIATRIE",
               "ORTHOPEDIE", "PNEUMOLOGIE"],
        outpatient_venue=0.0,
        institution=lambda r, code: "CH DE VALMONT",
        imaging_unit={k: "IMAGERIE MEDICALE" for k in ("rx", "ct", "mr", "us", "mg", "pet", "nm", "ir")},
        requesting_unit_on_exam=0.45, stay_on_exam=0.35,
        accession=lambda r, t, n: f"CHV{n:07d}", accession_missing=1.0,  # only for off-worklist exams
        off_worklist=0.09,
        faults={"missing_ipp": 0.0, "mistyped_ipp": 0.015, "other_patient_ipp": 0.03},
        temp_emergency=0.12, anonymous_share=0.1,
        noise_rate=0.22, strip_accents_console=0.7,
        merges=0.0,
        splits={"RXGENOUX": 0.5},
        report_missing=0.04,
        report_acc="group", report_acc_rate=1.0,
        report_ipp_null=0.22, report_stay_rate=0.0,
        titles="generic",
        corrected_both_versions=0.0, addendum_rows=0.0, second_reader_mr=0.0,
        weekend_reading={"rx": False, "ct": True, "us": False, "ir": False, "mr": False, "mg": False, "pet": False, "nm": False},
        delay_h={"rx": (1, 20), "ct": (0.3, 3), "us": (0.1, 2), "ir": (1, 24), "mr": (4, 48),
                 "mg": (0.5, 8), "pet": (24, 72), "nm": (24, 72)},
        outside_reports=0.07,
        placeholders="none", html=0.0, rtf=0.05,
        twins=0.005, homonyms=0.04, foreign=0.07, newborns=0.0,
        usage_rate=0.55,
    ),
    # A cancer centre (CLCC): séances in day hospital, PET-CT, follow-up CT, biopsies,
    # second opinions on outside exams, reports corrected and re-signed.
    "clcc": dict(
        seed_salt=303, start=D(2023, 3, 1), end=D(2024, 11, 29),
        ipp=lambda r: f"{r.choice([15, 17, 19, 21, 22, 23]):02d}" + f"{r.randrange(10**6):06d}",
        stay_id=lambda r, t: "V" + f"{r.randrange(10**8):08d}",
        temp_ipp=lambda r: "9999" + f"{r.randrange(10**4):04d}",
        episodes=(1, 2),
        episode_w={"cancer_course": 70, "outpatient": 20, "hosp": 10},
        units=["ONCOLOGIE MEDICALE", "CHIRURGIE ONCOLOGIQUE", "HEMATOLOGIE", "SOINS DE SUPPORT"],
        outpatient_venue=0.0,
        institution=lambda r, code: "INSTITUT REGIONAL DU CANCER",
        imaging_unit={"rx": "IMAGERIE", "ct": "IMAGERIE", "mr": "IMAGERIE", "us": "IMAGERIE",
                      "mg": "IMAGERIE", "pet": "MEDECINE NUCLEAIRE", "nm": "MEDECINE NUCLEAIRE", "ir": "RADIOLOGIE INTERVENTIONNELLE"},
        requesting_unit_on_exam=0.0, stay_on_exam=0.15,
        accession=lambda r, t, n: f"IRC{t.year % 100:02d}{n:06d}", accession_missing=0.0,
        faults={"missing_ipp": 0.01, "mistyped_ipp": 0.015, "other_patient_ipp": 0.008},
        temp_emergency=0.0, anonymous_share=0.0,
        noise_rate=0.12, strip_accents_console=0.3,
        merges=0.0,
        splits={"SEINBILAN": 0.8},
        report_missing=0.01,
        report_acc="same", report_acc_rate=0.85,
        report_ipp_null=0.03, report_stay_rate=0.4,
        titles="descriptive_dated",
        corrected_replace=0.06, corrected_both_versions=0.0, addendum_rows=0.0, second_reader_mr=0.0,
        weekend_reading={k: False for k in ("rx", "ct", "mr", "us", "mg", "pet", "nm", "ir")},
        delay_h={"rx": (2, 30), "ct": (6, 60), "us": (0.2, 4), "ir": (0.5, 4), "mr": (30, 140),
                 "mg": (1, 8), "pet": (18, 70), "nm": (18, 60)},
        outside_imports=0.12, outside_reports=0.05,
        placeholders="stars", html=0.08, rtf=0.0,
        twins=0.004, homonyms=0.03, foreign=0.06, newborns=0.0,
        usage_rate=0.5,
    ),
}

EMERG_EXAMS = [("RXT", 30), ("TDMC", 22), ("ECHOABD", 8), ("TDMAP", 10), ("RXPOIGNET", 8),
               ("RXBASSIN", 7), ("ANGIOTDM", 6), ("DOPPLERMI", 5), ("RXASP", 3), ("TDMRACHIS", 4)]
HOSP_EXAMS = [("RXT", 25), ("TDMT", 10), ("TDMTAP", 10), ("ECHOABD", 10), ("IRMC", 8),
              ("DOPPLERMI", 6), ("TDMAP", 6), ("IRMFOIE", 3), ("SCINTIPULM", 2), ("TEPFDG", 4), ("BIOPSIE", 3)]
OUTP_EXAMS = [("RXTL", 10), ("RXGENOUX", 8), ("RXRACHIS", 6), ("IRMRACHIS", 10), ("IRMGENOU", 8),
              ("IRMC", 7), ("ECHOPELV", 8), ("ECHOABD", 8), ("MAMMO", 9), ("ECHOSEIN", 3), ("TDMT", 6),
              ("IRMPELV", 3), ("SCINTIOS", 3), ("TEPFDG", 3)]
MATER_EXAMS = [("ECHOHANCHE", 5), ("ECHOTF", 3), ("RXT", 2)]


def wpick(r, items):
    tot = sum(w for _, w in items)
    x = r.random() * tot
    for k, w in items:
        x -= w
        if x < 0:
            return k
    return items[-1][0]


def strip_acc(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def fam(code):
    return V.EXAMS[code][5]


# ------------------------------------------------------------------------------ patients
def make_patients(r, P, n):
    common = V.SURNAMES_COMMON + [(x, 2) for x in V.SURNAMES_RARE]
    ipps, pats = set(), []

    def new_ipp():
        while True:
            x = P["ipp"](r)
            if x not in ipps:
                ipps.add(x)
                return x

    i = 0
    while len(pats) < n:
        i += 1
        u = r.random()
        sex = "F" if r.random() < 0.53 else "M"
        by = int(min(2022, max(1926, r.gauss(1962, 19))))
        bd = dt.date(by, 1, 1) + dt.timedelta(days=r.randrange(365))
        foreign = r.random() < P["foreign"]
        if foreign:
            f, g, sex = r.choice(V.FOREIGN)
        else:
            f = wpick(r, common)
            f = V.ACCENTED.get(f, f)
            g = r.choice(V.GIVEN_F if sex == "F" else V.GIVEN_M)
        usage = None
        if sex == "F" and not foreign and (dt.date(2024, 1, 1) - bd).days > 25 * 365 and r.random() < P["usage_rate"]:
            usage = V.ACCENTED.get(wpick(r, common), wpick(r, common))
            if usage == f:
                usage = None
        p = dict(patient_id=new_ipp(), family_name=f, given_name=g, birth_date=bd, sex=sex,
                 usage_name=usage, foreign=foreign, retired=None, merge_date=None, newborn=False,
                 mother=None)
        pats.append(p)
        if u < P["twins"] and len(pats) < n:  # twin: same family, same birth date
            s2 = "F" if r.random() < 0.5 else "M"
            g2 = r.choice(V.GIVEN_F if s2 == "F" else V.GIVEN_M)
            pats.append(dict(p, patient_id=new_ipp(), given_name=g2, sex=s2, usage_name=None, twin=True))
        elif u < P["twins"] + P["homonyms"] and len(pats) < n and not foreign:  # homonym
            bd2 = dt.date(int(min(2022, max(1926, r.gauss(1962, 19)))), 1, 1) + dt.timedelta(days=r.randrange(365))
            pats.append(dict(p, patient_id=new_ipp(), birth_date=bd2, usage_name=None, homonym=True))
    # identity merges (doublons fusionnés): a retired IPP that older documents still carry
    for p in pats:
        if r.random() < P["merges"]:
            p["retired"] = new_ipp()
            p["merge_date"] = P["start"] + dt.timedelta(days=r.randrange((P["end"] - P["start"]).days))
    return pats, ipps


# ------------------------------------------------------------------------------ episodes
class Ctx:
    def __init__(self, r, P, prof):
        self.r, self.P, self.prof = r, P, prof
        self.stays, self.reqs, self.stay_ids = [], [], set()

    def stay(self, p, start, end, unit, typ):
        while True:
            sid = self.P["stay_id"](self.r, start)
            if sid not in self.stay_ids:
                self.stay_ids.add(sid)
                break
        diag = self.r.choice(V.DIAG_BY_UNIT.get(unit, [None])) if typ != "consultation" else None
        if typ == "consultation" and self.r.random() < 0.3:
            diag = None
        s = dict(stay_id=sid, patient_id=p["patient_id"], start_datetime=start, end_datetime=end,
                 unit=unit, stay_type=typ, diagnoses=diag, _p=p)
        self.stays.append(s)
        return s

    def req(self, p, code, t, stay=None, **kw):
        self.reqs.append(dict(p=p, code=code, t=t, stay=stay, **kw))


def rand_time(r, P):
    span = (P["end"] - P["start"]).days
    return P["start"] + dt.timedelta(days=r.randrange(span))


def working_hours(r, day):
    d = day
    while d.weekday() >= 5 or d.date() in HOLIDAYS:
        d += DAY
    return D(d.year, d.month, d.day, 8) + dt.timedelta(minutes=r.randrange(600))


def episode(c, p, kind):
    r, P = c.r, c.P
    day = rand_time(r, P)
    if kind in ("emergency", "emergency_admit"):
        t0 = D(day.year, day.month, day.day) + dt.timedelta(minutes=r.randrange(1440))
        er_len = dt.timedelta(minutes=r.randint(120, 900))
        direct = kind == "emergency_admit" and c.prof == "ch_groupe" and r.random() < 0.5
        s_er = None if direct else c.stay(p, t0, t0 + er_len, "URGENCES", "emergency")
        temp = None
        if s_er is not None and r.random() < P["temp_emergency"]:
            temp = dict(ipp=P["temp_ipp"](r), anonymous=r.random() < P["anonymous_share"], n=r.randint(1, 9))
        n = 1 + (r.random() < 0.45) + (r.random() < 0.15)
        codes = []
        for k in range(n):
            code = wpick(r, EMERG_EXAMS)
            if code not in codes:
                codes.append(code)
        tt = t0 + dt.timedelta(minutes=r.randint(20, 90))
        for code in codes:
            c.req(p, code, tt, s_er, emergency=True, temp=temp)
            # head trauma under anticoagulant: control CT the same day (same kind, same day)
            if code == "TDMC" and r.random() < 0.12:
                c.req(p, "TDMC", tt + dt.timedelta(hours=6, minutes=r.randint(0, 50)), s_er, emergency=True,
                      temp=temp, control=True)
            tt += dt.timedelta(minutes=r.randint(10, 60))
        if kind == "emergency_admit":
            hs = (t0 + er_len) if s_er else (tt + dt.timedelta(minutes=r.randint(30, 400)))
            unit = r.choice(P["units"])
            he = hs + dt.timedelta(days=r.randint(1, 12), hours=r.randint(0, 8))
            sh = c.stay(p, hs, he, unit, "hospitalisation")
            for k in range(r.randint(0, 3)):
                t = hs + dt.timedelta(minutes=r.randrange(max(60, int((he - hs).total_seconds() // 60) - 60)))
                t = working_hours(r, t) if r.random() < 0.7 else t
                if t < he:
                    c.req(p, wpick(r, HOSP_EXAMS), t, sh)
    elif kind in ("hosp", "icu"):
        hs = working_hours(r, day)
        unit = "REANIMATION" if kind == "icu" else r.choice(P["units"])
        he = hs + dt.timedelta(days=r.randint(1, 20 if kind == "icu" else 10), hours=r.randint(0, 6))
        sh = c.stay(p, hs, he, unit, "hospitalisation")
        # nested consultation in a hospitalisation (anaesthesia / specialist consultation)
        if r.random() < 0.05:
            cs = hs + dt.timedelta(hours=r.randint(3, 20))
            if cs + H < he:
                c.stay(p, cs, cs + dt.timedelta(minutes=30), "CONSULTATION ANESTHESIE", "consultation")
        if kind == "icu":  # two bedside chest films a day on some days
            d = hs
            while d < he - H:
                c.req(p, "RXT", D(d.year, d.month, d.day, 7, r.randint(0, 59)) if d.hour < 7 else d + dt.timedelta(minutes=20), sh, icu=True)
                if r.random() < 0.2:
                    c.req(p, "RXT", D(d.year, d.month, d.day, 18, r.randint(0, 59)), sh, icu=True)
                d = D(d.year, d.month, d.day) + DAY + dt.timedelta(hours=7)
        for k in range(r.randint(1, 3)):
            t = hs + dt.timedelta(minutes=r.randrange(int((he - hs).total_seconds() // 60) - 30))
            t = working_hours(r, t) if r.random() < 0.8 else t
            if t < he:
                c.req(p, wpick(r, HOSP_EXAMS), t, sh)
    elif kind == "outpatient":
        for k in range(r.randint(1, 2)):
            t = working_hours(r, day + dt.timedelta(days=k * r.randint(20, 200)))
            if t > P["end"] + 30 * DAY:
                break
            code = wpick(r, OUTP_EXAMS)
            if c.prof == "clcc" and code in ("RXGENOUX", "IRMGENOU", "RXRACHIS", "ECHOPELV"):
                code = r.choice(["MAMMO", "SEINBILAN", "SCINTIOS", "TDMT", "IRMPELV"])
            s = None
            if r.random() < P["outpatient_venue"]:
                s = c.stay(p, t - dt.timedelta(minutes=15), t + dt.timedelta(minutes=r.randint(40, 150)), "IMAGERIE", "consultation")
            c.req(p, code, t, s, outpatient=True)
    elif kind == "day_care":
        t = working_hours(r, day)
        s = c.stay(p, t - dt.timedelta(minutes=30), t + dt.timedelta(hours=r.randint(4, 8)), r.choice(P["units"]), "day_care")
        c.req(p, r.choice(["TDMTAP", "TEPFDG", "IRMFOIE", "BIOPSIE", "SCINTIOS"]), t + H, s)
    elif kind == "maternity":
        # mother gives birth; the newborn (own patient, registered first under the mother's
        # name) gets hip / transfontanellar ultrasound in the maternity or neonatology
        hs = D(day.year, day.month, day.day) + dt.timedelta(minutes=r.randrange(1440))
        he = hs + dt.timedelta(days=r.randint(2, 5))
        c.stay(p, hs, he, "MATERNITE", "hospitalisation")
        c.newborn_requests.append((p, hs, he))
    elif kind == "cancer_course":
        cancer_course(c, p, day)


def cancer_course(c, p, day):
    r, P = c.r, c.P
    breast = p["sex"] == "F" and r.random() < 0.5
    t = working_hours(r, day)
    # diagnosis: outside exam brought on CD (second opinion), biopsy, staging
    if r.random() < P["outside_imports"]:
        c.req(p, r.choice(["TDMT", "TDMTAP", "IRMSEIN" if breast else "IRMFOIE"]),
              t - dt.timedelta(days=r.randint(10, 60), hours=r.randint(0, 5)), None, outside=True, import_t=t)
    if breast:
        c.req(p, "SEINBILAN", t, None, outpatient=True)
    s = c.stay(p, t + dt.timedelta(days=7), t + dt.timedelta(days=7, hours=6), "HOPITAL DE JOUR ONCOLOGIE", "day_care")
    c.req(p, "BIOPSIE", t + dt.timedelta(days=7, hours=1, minutes=r.randint(0, 90)), s, procedure=True)
    t2 = working_hours(r, t + dt.timedelta(days=r.randint(10, 16)))
    c.req(p, "TEPFDG" if r.random() < 0.7 else "TDMTAP", t2, None, outpatient=True, staging=True)
    if r.random() < 0.3:
        c.req(p, "SCINTIOS", working_hours(r, t2 + DAY * r.randint(1, 5)), None, outpatient=True)
    # séances: one day_care stay per chemotherapy visit (every 21 days)
    ncyc = r.randint(3, 8)
    d = working_hours(r, t2 + dt.timedelta(days=r.randint(7, 14)))
    for k in range(ncyc):
        if d > P["end"]:
            break
        sd = D(d.year, d.month, d.day, 8, r.randint(0, 50))
        s = c.stay(p, sd, sd + dt.timedelta(hours=r.randint(4, 9)), "HOPITAL DE JOUR ONCOLOGIE", "day_care")
        if k in (2, 5):  # evaluation imaging done the morning of the séance
            code = "TEPFDG" if r.random() < 0.5 else "TDMTAP"
            c.req(p, code, sd + dt.timedelta(minutes=r.randint(20, 120)), s, evaluation=True)
        d = working_hours(r, d + dt.timedelta(days=21))
    if r.random() < 0.25:  # radiotherapy planning CT: no report
        rs = working_hours(r, d)
        s = c.stay(p, rs, rs + H, "RADIOTHERAPIE", "day_care")
        c.req(p, "TDMT", rs + dt.timedelta(minutes=15), s, dosimetry=True)
    if r.random() < 0.3:  # complication admission
        hs = working_hours(r, t2 + dt.timedelta(days=r.randint(20, 120)))
        he = hs + dt.timedelta(days=r.randint(2, 9))
        sh = c.stay(p, hs, he, r.choice(P["units"]), "hospitalisation")
        c.req(p, r.choice(["ANGIOTDM", "RXT", "ECHOABD", "IRMC"]), hs + dt.timedelta(hours=r.randint(2, 30)), sh)


# ------------------------------------------------------------------------------ identity
def digit_sub(r, s):
    i = r.randrange(len(s))
    ch = s[i]
    if ch.isdigit():
        return s[:i] + str((int(ch) + r.randint(1, 9)) % 10) + s[i + 1:]
    return s[:i] + s[i + 1:]


def mistype(r, ipp, taken):
    for _ in range(50):
        k = r.random()
        if k < 0.45:
            x = digit_sub(r, ipp)
        elif k < 0.8:
            i = r.randrange(len(ipp) - 1)
            x = ipp[:i] + ipp[i + 1] + ipp[i] + ipp[i + 2:]
        else:
            x = ipp.lstrip("0") if ipp.startswith("0") else ipp[r.randint(1, 2):]
        if x != ipp and x not in taken:
            return x
    return ipp[:-1]


def valid_date_typo(r, d):
    s = d.strftime("%Y%m%d")
    for _ in range(40):
        i = r.choice([2, 3, 5, 7])
        x = s[:i] + str(r.randrange(10)) + s[i + 1:]
        try:
            nd = dt.datetime.strptime(x, "%Y%m%d").date()
        except ValueError:
            continue
        if nd != d and 1900 < nd.year < 2026:
            return nd
    return d


def header_identity(r, P, p, t, req, out_noise):
    """DICOM PN, birth date and sex as typed/received at the modality."""
    fam_, giv = p["family_name"], p["given_name"]
    bd, sex = p["birth_date"], p["sex"]
    noise = []
    if p.get("newborn") and (t.date() - bd).days < 10 and r.random() < 0.8:
        fam_ = p["mother"]["usage_name"] or p["mother"]["family_name"]
        giv = "BB" if not p.get("twin_rank") else f"BB {p['twin_rank']}"
        noise.append("newborn_name")
    if req.get("temp") and req["temp"]["anonymous"]:
        fam_, giv = "INCONNU", ("HOMME" if sex == "M" else "FEMME") + f" {req['temp']['n']}"
        bd = dt.date(1900, 1, 1) if r.random() < 0.6 else None
        noise.append("anonymous_identity")
        return f"{fam_}^{giv}", bd, sex, noise
    if p["foreign"] and r.random() < 0.5:
        fam_, giv = giv, fam_
        noise.append("swapped")
    elif p["foreign"] and r.random() < 0.5:
        bd = dt.date(bd.year, 1, 1)
        if bd != p["birth_date"]:
            noise.append("birth_date_default")
    if r.random() < P["noise_rate"] * (2.0 if req.get("hand_typed") else 1.0):
        kinds = ["case", "typo", "swapped", "usage_name", "compound", "birth_day_month_swap",
                 "birth_date_typo", "sex_missing", "truncated"]
        for k in r.sample(kinds, 1 + (r.random() < 0.2)):
            if k == "case":
                fam_, giv = fam_.title(), giv.title()
            elif k == "typo" and len(fam_) > 3:
                i = r.randrange(1, len(fam_) - 1)
                op = r.random()
                fam_ = (fam_[:i] + fam_[i + 1:]) if op < 0.4 else (fam_[:i] + fam_[i] + fam_[i:]) if op < 0.6 else \
                    (fam_[:i] + r.choice("AEIOURSTLN") + fam_[i + 1:])
            elif k == "swapped" and "swapped" not in noise:
                fam_, giv = giv, fam_
            elif k == "usage_name" and p["usage_name"] and "newborn_name" not in noise:
                fam_ = p["usage_name"]
            elif k == "compound" and ("-" in fam_ or " " in fam_ or "-" in giv):
                if "-" in giv and r.random() < 0.5:
                    giv = r.choice([giv.replace("-", " "), giv.split("-")[0]])
                else:
                    fam_ = r.choice([fam_.replace("-", " "), fam_.replace(" ", ""), fam_.replace("-", ""),
                                     fam_.split("-")[0].split(" ")[-1]])
            elif k == "birth_day_month_swap" and bd and bd.day <= 12 and bd.day != bd.month:
                bd = dt.date(bd.year, bd.day, bd.month)
            elif k == "birth_date_typo" and bd:
                bd = valid_date_typo(r, bd)
            elif k == "sex_missing":
                sex = None
            elif k == "truncated" and len(f"{fam_}^{giv}") > 14:
                s = f"{fam_}^{giv}"[:14]
                fam_, _, giv = s.partition("^")
            else:
                continue
            noise.append(k)
    console_strip = r.random() < P["strip_accents_console"]
    if console_strip:
        f2, g2 = strip_acc(fam_), strip_acc(giv)
        if (f2, g2) != (fam_, giv):
            noise.append("accents_lost")
        fam_, giv = f2, g2
    out = f"{fam_}^{giv}"
    return out, bd, sex, noise


# ------------------------------------------------------------------------------ reports
def fmt_d(t):
    return t.strftime("%d/%m/%Y")


def read_time(r, P, fa, t, emergency):
    lo, hi = P["delay_h"][fa]
    if emergency and fa in ("ct", "us", "rx"):
        lo, hi = lo * 0.3, hi * 0.4
    rt = t + dt.timedelta(seconds=int(3600 * (lo + (hi - lo) * (r.random() ** 1.8))))
    if not P["weekend_reading"][fa] or (fa == "rx" and not emergency):
        if rt.weekday() >= 5 or rt.date() in HOLIDAYS or rt.hour < 8 or rt.hour >= 19:
            if not (emergency and P["weekend_reading"][fa]):
                base = rt if rt.hour < 8 else D(rt.year, rt.month, rt.day) + DAY
                rt = working_hours(r, base)
    if rt <= t:
        rt = t + dt.timedelta(minutes=r.randint(15, 90))
    return rt


def report_text(r, P, code, t, exam_label, abnormal, prev, style, sig, extra_codes=()):
    mod, desc, bp, label, region, fa = V.EXAMS[code]
    lines = []
    ph = P["placeholders"]
    if ph == "brackets":
        lines.append(r.choice(["Patient : [NOM]", "Nom : [NOM] - Né(e) le [DATE]", "[NOM]"]))
    elif ph == "stars":
        lines.append(r.choice(["Patient(e) : ***", "Identité : *** *** (né(e) le **/**/****)"]))
    else:
        lines.append(r.choice(["Cher confrère,", "", "Madame, Monsieur,", ""]))
    # what the text says about the exam
    m = r.random()
    if m < 0.35:
        lines.append(f"{exam_label} du {fmt_d(t)}")
    elif m < 0.55:
        lines.append(f"Examen réalisé le {fmt_d(t)} à {t.strftime('%Hh%M')}.")
    elif m < 0.75:
        lines.append(exam_label.upper())
    elif m < 0.85:
        lines.append(f"Date de l'examen : {t.strftime('%d/%m/%y')}")
    # else: nothing about the exam
    for c2 in extra_codes:
        lines.append(f"Complété par : {V.EXAMS[c2][3].lower()}.")
    inds, norms, abns = V.CONTENT[code]
    if style["ind"]:
        lines += ["", style["ind"], r.choice(inds)]
    if style["tech"]:
        tech = "Acquisition hélicoïdale sans injection." if code in ("TDMC", "TDMRACHIS") else r.choice(V.TECHNIQUES[fa])
        lines += ["", style["tech"], tech]
    body = []
    if prev is not None:
        tpl = r.choice(V.COMPARISONS)
        body.append(tpl.format(prev=fmt_d(prev[1]), prev_label=V.EXAMS[prev[0]][3].lower())
                    + ((r.choice(V.STABLE) if abnormal else r.choice(V.STABLE_NORMAL)) if "Pas d'examen" not in tpl else ""))
    body.append(r.choice(abns) if abnormal else r.choice(norms))
    if abnormal and r.random() < 0.4:
        body.append(r.choice(norms))
    if style["res"]:
        lines += ["", style["res"]]
    lines += body
    if abnormal:
        pre, main = r.choice(V.CONC_ABN_PREFIX), body[1 if prev is not None else 0]
        if style["conc"].lower().startswith("au total"):
            pre = ""
        conc = pre + (main[0].lower() + main[1:] if pre.endswith(", ") else main)
    else:
        conc = r.choice(V.CONC_NORMAL)
    lines += ["", style["conc"], conc, "", sig]
    return "\n".join(lines)


def title_for(r, P, code, t, split_req):
    mod, desc, bp, label, region, fa = V.EXAMS[code]
    kind = P["titles"]
    if kind == "generic":
        return r.choice(V.GENERIC_TITLES)
    if kind == "descriptive_ris":
        if split_req == "TDMTAP":
            desc = "TDM THORAX ABDOMEN PELVIS"
        elif split_req == "RXGENOUX":
            desc = "RX GENOUX BILATERAUX"
        return r.choice(["CR - ", "CR ", ""]) + desc
    if split_req == "SEINBILAN":
        label = "Bilan sénologique"
    return f"{label} du {fmt_d(t)}" if r.random() < 0.8 else label


def decorate(r, P, text):
    if r.random() < P["html"]:
        text = "<p>" + text.replace("&", "&amp;").replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p>"
        text = text.replace("é", "&eacute;") if r.random() < 0.5 else text
    elif r.random() < P["rtf"]:
        text = "{\\rtf1\\ansi\\deff0 " + text.replace("\n", "\\par ") + "}"
    return text


# ------------------------------------------------------------------------------ main build
def build(profile, n_patients, seed):
    P = PROFILES[profile]
    r = random.Random(seed * 1000003 + P["seed_salt"])
    pats, ipps = make_patients(r, P, n_patients)
    c = Ctx(r, P, profile)
    c.newborn_requests = []
    kinds = list(P["episode_w"].items())
    for p in list(pats):
        lo, hi = P["episodes"]
        n_ep = lo + int((hi - lo) * r.random() ** 2)
        for _ in range(n_ep):
            k = wpick(r, kinds)
            if k == "maternity" and (p["sex"] != "F" or not 1975 < p["birth_date"].year < 2004):
                k = "outpatient"
            if k == "cancer_course" and any(q.get("cancer") for q in [p]):
                k = "outpatient"
            if k == "cancer_course":
                p["cancer"] = True
            episode(c, p, k)
    # newborns of the maternity episodes: become registry patients of their own
    for mother, hs, he in c.newborn_requests:
        nb_twins = 2 if r.random() < 0.03 else 1
        fam_reg = mother["family_name"] if r.random() < 0.4 else V.ACCENTED.get(wpick(r, V.SURNAMES_COMMON), "MARTIN")
        for k in range(nb_twins):
            sx = "F" if r.random() < 0.49 else "M"
            while True:
                ipp = P["ipp"](r)
                if ipp not in ipps:
                    ipps.add(ipp)
                    break
            nb = dict(patient_id=ipp, family_name=fam_reg, given_name=r.choice(V.GIVEN_F if sx == "F" else V.GIVEN_M),
                      birth_date=hs.date(), sex=sx, usage_name=None, foreign=False, retired=None, merge_date=None,
                      newborn=True, mother=mother, twin_rank=(k + 1) if nb_twins == 2 else None)
            pats.append(nb)
            sn = c.stay(nb, hs + dt.timedelta(minutes=5), he, "NEONATOLOGIE" if r.random() < 0.2 else "MATERNITE", "hospitalisation")
            if r.random() < 0.6:
                c.req(nb, wpick(r, MATER_EXAMS), working_hours(r, hs + DAY), sn)

    # ---- expand requests into studies (splits) ----
    studies = []
    for q in c.reqs:
        code = q["code"]
        if code in V.SPLITS:
            if r.random() < P["splits"].get(code, 0.0):
                parts = V.SPLITS[code]
            else:
                parts = (code if code in V.EXAMS else V.SPLITS[code][0],)
                if code == "SEINBILAN":
                    parts = ("MAMMO",)
                if code == "RXGENOUX":
                    parts = (r.choice(["RXGENOUD", "RXGENOUG"]),)
            grp = []
            for i, pc in enumerate(parts):
                s = dict(q, code=pc, t=q["t"] + dt.timedelta(minutes=3 * i + (12 if code == "SEINBILAN" and i else 0)),
                         split=code if len(parts) > 1 else None, primary=(i == 0))
                grp.append(s)
                studies.append(s)
            for s in grp:
                s["group"] = grp
        else:
            studies.append(dict(q, split=None, primary=True, group=None))
    studies = [s for s in studies if P["start"] - 90 * DAY <= s["t"] <= P["end"] + 40 * DAY]
    studies.sort(key=lambda s: (s["t"], s["p"]["patient_id"], s["code"]))

    # ---- exams ----
    acc_n = {}
    exams, faults, links = [], [], []
    taken = set(ipps) | {p["retired"] for p in pats if p["retired"]}
    by_surname = {}
    for p in pats:
        by_surname.setdefault(strip_acc(p["family_name"]), []).append(p)
    last_on_modality = {}
    stays_by_p = {}
    for s in c.stays:
        stays_by_p.setdefault(s["_p"]["patient_id"], []).append(s)
    used_uids = set()
    for s in studies:
        p, code, t = s["p"], s["code"], s["t"]
        mod, desc, bp, label, region, fa = V.EXAMS[code]
        while True:
            uid = f"1.2.250.1.{214 + P['seed_salt'] % 7}.{r.randint(1, 9)}.{t.strftime('%Y%m%d%H%M%S')}.{r.randrange(10**6)}"
            if uid not in used_uids:
                used_uids.add(uid)
                break
        s["exam_id"] = uid
        off_wl = s.get("outside") is None and r.random() < P.get("off_worklist", 0.0) * (2.5 if s.get("emergency") else 0.6)
        s["hand_typed"] = off_wl
        # accession
        if s.get("outside"):
            acc = None if r.random() < 0.5 else "EXT" + f"{r.randrange(10**7):07d}"
        elif off_wl and P["accession_missing"] > 0:
            acc = None
        else:
            yk = t.year
            acc_n[yk] = acc_n.get(yk, 0) + r.randint(1, 4)
            acc = P["accession"](r, t, acc_n[yk] + 1000 * (P["seed_salt"] % 10))
            if s.get("group") and not s["primary"]:
                pass
        s["acc"] = acc
        # fault
        fault = CORRECT
        hdr_ipp = p["patient_id"]
        if s.get("temp"):
            fault, hdr_ipp = "temporary_ipp", s["temp"]["ipp"]
        elif off_wl:
            u = r.random()
            if u < 0.45:
                fault, hdr_ipp = "missing_ipp", None
            elif u < 0.75:
                fault, hdr_ipp = "mistyped_ipp", mistype(r, p["patient_id"], taken)
        elif s.get("outside"):
            u = r.random()
            if u < 0.35:  # CD import: the foreign site's own patient number
                fault, hdr_ipp = "missing_ipp", None
        if fault == CORRECT:
            u = r.random()
            f = P["faults"]
            if u < f["missing_ipp"]:
                fault, hdr_ipp = "missing_ipp", None
            elif u < f["missing_ipp"] + f["mistyped_ipp"]:
                fault, hdr_ipp = "mistyped_ipp", mistype(r, p["patient_id"], taken)
            elif u < f["missing_ipp"] + f["mistyped_ipp"] + f["other_patient_ipp"]:
                prev = last_on_modality.get(mod)
                cand = None
                if prev is not None and prev[0] is not p and (t - prev[1]) < 4 * H:
                    cand = prev[0]  # the worklist line just above
                else:
                    same = [q for q in by_surname.get(strip_acc(p["family_name"]), []) if q is not p]
                    if same and r.random() < 0.6:
                        cand = r.choice(same)
                    else:
                        cand = r.choice(pats)
                        if cand is p:
                            cand = None
                if cand is not None:
                    fault, hdr_ipp = "other_patient_ipp", cand["patient_id"]
        if fault == "mistyped_ipp" and hdr_ipp in taken:
            hdr_ipp = None
            fault = "missing_ipp"
        last_on_modality[mod] = (p, t)
        name, bd, sex, noise = header_identity(r, P, p, t, s, None)
        # institution / unit / stay on the exam
        if s.get("outside"):
            inst = r.choice(["CLINIQUE DU PARC", "CH DE BELLERIVE", "CENTRE D'IMAGERIE DES TILLEULS", "HOPITAL PRIVE SAINT-ROCH"])
            unit = None
        else:
            inst = P["institution"](r, code)
            unit = P["imaging_unit"][fa]
            if s["stay"] is not None and r.random() < P["requesting_unit_on_exam"]:
                unit = s["stay"]["unit"]
        # exam→stay truth by the contract's rule
        tstay = None
        if not s.get("outside"):
            cands = [st for st in stays_by_p.get(p["patient_id"], []) if st["start_datetime"] <= t <= st["end_datetime"]]
            if not cands:
                cands = [st for st in stays_by_p.get(p["patient_id"], [])
                         if st["stay_type"] == "hospitalisation" and st["start_datetime"] - 8 * H <= t < st["start_datetime"]]
            if cands:
                tstay = min(cands, key=lambda st: (st["end_datetime"] - st["start_datetime"], st["stay_id"]))["stay_id"]
        s["tstay"] = tstay
        exam_stay = None
        if s["stay"] is not None and r.random() < P["stay_on_exam"]:
            exam_stay = s["stay"]["stay_id"]
        exams.append(dict(exam_id=uid, accession_number=acc, patient_id=hdr_ipp, patient_name=name, birth_date=bd,
                          sex=sex, study_datetime=t, modality=mod, study_description=desc if not s.get("outside") else
                          r.choice([desc, desc.title(), "EXAMEN EXTERIEUR", label.upper()]),
                          body_part=bp if r.random() < 0.93 else None, institution=inst, unit=unit, stay_id=exam_stay))
        faults.append(dict(exam_id=uid, fault=fault, identity_noise=";".join(noise)))
        links.append(("exam", uid, "patient", p["patient_id"]))
        links.append(("exam", uid, "stay", tstay))

    # ---- reports ----
    reports, rid_seen = [], set()
    prev_by_p = {}
    sig_by_fa = {}
    styles = V.HEADER_STYLES
    pstyle = {"chu_ris": [0, 1, 3], "ch_groupe": [2, 4, 1], "clcc": [1, 3, 0, 2]}[profile]
    grp_counter = {}

    def new_rid(t):
        while True:
            if profile == "chu_ris":
                x = "CR" + f"{r.randrange(10**9):09d}"
            elif profile == "ch_groupe":
                x = f"{r.randrange(10**10):010d}"
            else:
                x = f"DOC-{t.year}-{r.randrange(10**7):07d}"
            if x not in rid_seen:
                rid_seen.add(x)
                return x

    def rep_ipp(p, rt, s=None):
        if r.random() < P["report_ipp_null"]:
            return None
        if s is not None and s.get("temp") and r.random() < P.get("report_keeps_temp", 0.0):
            return s["temp"]["ipp"]  # provisional identity never merged in the report store
        if p["retired"] and rt < p["merge_date"]:
            return p["retired"]
        return p["patient_id"]

    def rep_acc(s, rt):
        if r.random() >= P["report_acc_rate"]:
            return None
        if P["report_acc"] == "ris":
            return "DMD" + f"{rt.year % 100:02d}" + f"{r.randrange(10**7):07d}"
        if P["report_acc"] == "group":
            site = "VAL"
            grp_counter[rt.year] = grp_counter.get(rt.year, 0) + r.randint(1, 6)  # shared with other sites
            return f"SIV-{site}-{rt.year % 100:02d}-{grp_counter[rt.year]:06d}"
        return s["acc"]

    for s in studies:
        p, code, t = s["p"], s["code"], s["t"]
        mod, desc, bp, label, region, fa = V.EXAMS[code]
        key = p["patient_id"]
        prev = prev_by_p.get((key, code))
        prev_by_p[(key, code)] = (code, t)
        if not s["primary"] or s.get("dosimetry"):
            continue  # secondary study of a split request; dosimetry CT: no report
        if r.random() < P["report_missing"]:
            continue
        if s.get("outside"):
            rt = working_hours(r, s["import_t"] + dt.timedelta(hours=r.randint(2, 80)))
        elif s.get("procedure"):
            rt = t + dt.timedelta(minutes=r.randint(25, 180))
        else:
            rt = read_time(r, P, fa, t, s.get("emergency"))
            if fa == "mr" and r.random() < P["second_reader_mr"]:
                rt = working_hours(r, rt + dt.timedelta(days=r.randint(1, 3)))
            if code == "MAMMO" and profile == "clcc" and r.random() < 0.1:  # reread at the breast RCP
                rt = working_hours(r, rt + dt.timedelta(days=r.randint(2, 7)))
        if rt > P["end"] + 45 * DAY:
            continue
        abnormal = r.random() < (0.6 if profile == "clcc" else 0.38)
        st = styles[r.choice(pstyle)]
        sig_by_fa.setdefault(fa, r.sample(V.SIGNATURES, 3))
        sig = r.choice(sig_by_fa[fa])
        extra = [g["code"] for g in (s["group"] or []) if g is not s]
        text = report_text(r, P, code, t, label, abnormal, prev if r.random() < 0.7 else None, st, sig, extra)
        if s.get("outside"):
            text = f"RELECTURE D'UN EXAMEN EXTÉRIEUR réalisé le {fmt_d(t)} (images importées).\n" + text
        if s.get("procedure"):
            text = "COMPTE RENDU OPÉRATOIRE DE RADIOLOGIE INTERVENTIONNELLE\nOpérateur : " + sig + "\n" + text
        if profile == "ch_groupe" and r.random() < 0.05:
            text += "\n\n" + r.choice(V.ADDENDUM_TEXTS)
        title = title_for(r, P, code, t, s.get("split"))
        if s.get("outside"):
            title = "Relecture examen extérieur" if P["titles"] != "generic" else title
        tstay = s["tstay"]
        rstay = None
        if tstay and r.random() < P["report_stay_rate"]:
            rstay = tstay
            if profile == "clcc":  # filed under the venue open when the report was signed
                later = [x for x in c.stays if x["_p"] is p and x["start_datetime"] <= rt <= x["end_datetime"]]
                if later:
                    rstay = later[0]["stay_id"]
        versions = [(rt, text, title)]
        if P.get("corrected_replace", 0) and r.random() < P["corrected_replace"]:
            rt2 = working_hours(r, rt + dt.timedelta(days=r.randint(1, 20)))
            versions = [(rt2, text + f"\n\nCompte rendu modifié le {fmt_d(rt2)} : correction de la latéralité.", title)]
        elif r.random() < P["corrected_both_versions"]:
            rt2 = working_hours(r, rt + dt.timedelta(days=r.randint(1, 10)))
            versions.append((rt2, "COMPTE RENDU RECTIFIÉ - annule et remplace le précédent\n\n" + text,
                             "CR RECTIFIE " + desc))
        if r.random() < P["addendum_rows"]:
            rt3 = rt + dt.timedelta(days=r.randint(1, 15), hours=r.randint(0, 5))
            versions.append((rt3, r.choice(V.ADDENDUM_TEXTS) + "\n\n" + sig, "ADDENDUM - " + desc))
        for vrt, vtext, vtitle in versions:
            rid = new_rid(vrt)
            reports.append(dict(report_id=rid, patient_id=rep_ipp(p, vrt, s), stay_id=rstay, report_datetime=vrt,
                                title=vtitle, text=decorate(r, P, vtext), accession_number=rep_acc(s, vrt)))
            links.append(("report", rid, "exam", None if (s.get("outside") and s.get("no_image")) else s["exam_id"]))
            links.append(("report", rid, "stay", tstay))
    # reports of exams done outside (group's private practice / letters): no exam in the PACS
    n_out = int(len(pats) * P.get("outside_reports", 0.0))
    for k in range(n_out):
        p = r.choice(pats)
        code = r.choice(["IRMRACHIS", "ECHOABD", "TDMT", "MAMMO", "IRMGENOU", "TDMTAP"])
        mod, desc, bp, label, region, fa = V.EXAMS[code]
        t = working_hours(r, rand_time(r, P))
        rt = t + dt.timedelta(hours=r.randint(1, 30))
        st = styles[r.choice(pstyle)]
        text = report_text(r, P, code, t, label, r.random() < 0.4, None, st, r.choice(V.SIGNATURES))
        if profile == "ch_groupe":
            text = "Cabinet de radiologie des Tilleuls (SELARL Imagerie du Val)\n" + text
        else:
            text = "Document extérieur numérisé\n" + text
        rid = new_rid(rt)
        reports.append(dict(report_id=rid, patient_id=rep_ipp(p, rt), stay_id=None, report_datetime=rt,
                            title=title_for(r, P, code, t, None) if profile != "clcc" else "Compte rendu externe",
                            text=decorate(r, P, text), accession_number=rep_acc(dict(acc=None), rt)
                            if profile == "ch_groupe" else None))
        links.append(("report", rid, "exam", None))
        links.append(("report", rid, "stay", None))

    patients = [dict(patient_id=p["patient_id"], family_name=p["family_name"], given_name=p["given_name"],
                     birth_date=p["birth_date"], sex=p["sex"], usage_name=p["usage_name"]) for p in pats]
    stays = [{k: v for k, v in s.items() if not k.startswith("_")} for s in c.stays]
    patients.sort(key=lambda x: x["patient_id"])
    stays.sort(key=lambda x: (x["start_datetime"], x["stay_id"]))
    reports.sort(key=lambda x: (x["report_datetime"], x["report_id"]))
    links.sort(key=lambda x: (x[0], x[1], x[2]))
    return patients, stays, exams, reports, links, faults


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
    sch = pa.schema(SCHEMAS[name])
    cols = {f: [row[f] for row in rows] for f, _ in SCHEMAS[name]}
    tbl = pa.Table.from_pydict(cols, schema=sch)
    pq.write_table(tbl, path, compression="snappy")


def write_set(profile, n, seed, out):
    patients, stays, exams, reports, links, faults = build(profile, n, seed)
    os.makedirs(os.path.join(out, "truth"), exist_ok=True)
    write(patients, "patients", os.path.join(out, "patients.parquet"))
    write(stays, "stays", os.path.join(out, "stays.parquet"))
    write(exams, "exams", os.path.join(out, "exams.parquet"))
    write(reports, "reports", os.path.join(out, "reports.parquet"))
    write([dict(zip(("source_type", "source_id", "target_type", "target_id"), l)) for l in links], "links",
          os.path.join(out, "truth", "links.parquet"))
    write(faults, "exam_faults", os.path.join(out, "truth", "exam_faults.parquet"))
    print(f"{profile}: {len(patients)} patients, {len(stays)} stays, {len(exams)} exams, {len(reports)} reports -> {out}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", required=True, choices=list(PROFILES) + ["all"])
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=61)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    if a.profile == "all":
        for k, prof in enumerate(PROFILES):
            write_set(prof, a.patients, a.seed, os.path.join(a.out, prof))
    else:
        write_set(a.profile, a.patients, a.seed, a.out)


if __name__ == "__main__":
    main()
