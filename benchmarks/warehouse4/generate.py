"""warehouse4: blind synthetic French imaging warehouse generator (three profiles).

python generate.py --profile ght_fusion --patients 1500 --seed 41 -o sets/ght_fusion
Standard library + pyarrow only; deterministic from profile/patients/seed.
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

D0 = dt.datetime(2023, 1, 1)
D1 = dt.datetime(2024, 12, 31)
HOLIDAYS = {dt.date(*x) for x in [
    (2023, 1, 1), (2023, 4, 10), (2023, 5, 1), (2023, 5, 8), (2023, 5, 18), (2023, 5, 29), (2023, 7, 14),
    (2023, 8, 15), (2023, 11, 1), (2023, 11, 11), (2023, 12, 25), (2024, 1, 1), (2024, 4, 1), (2024, 5, 1),
    (2024, 5, 8), (2024, 5, 9), (2024, 5, 20), (2024, 7, 14), (2024, 8, 15), (2024, 11, 1), (2024, 11, 11),
    (2024, 12, 25), (2025, 1, 1), (2025, 4, 21), (2025, 5, 1), (2025, 5, 8), (2025, 5, 29)]}

# ---------------------------------------------------------------- profiles
PROFILES = {
    # GHT of three public hospitals; identity registries merged on 2024-03-04.
    "ght_fusion": dict(
        kind="adult", exams_per_patient=3.4, sites=["A", "B", "C"], site_w=[0.5, 0.3, 0.2],
        fusion=dt.datetime(2024, 3, 4), p_old_ipp_before=0.92, p_old_ipp_after={"A": 0.0, "B": 0.22, "C": 0.05},
        p_missing={"A": 0.015, "B": 0.02, "C": 0.06}, p_mistyped={"A": 0.02, "B": 0.04, "C": 0.03},
        p_other={"A": 0.01, "B": 0.015, "C": 0.02}, p_tmp_emerg=0.10,
        p_noise={"A": 0.18, "B": 0.30, "C": 0.25}, p_exam_stay={"A": 0.22, "B": 0.0, "C": 0.0},
        p_report_stay=0.45, p_report_acc={"A": 0.85, "B": 0.0, "C": 0.35}, p_report_ipp_null=0.02,
        p_requesting_unit=0.30, p_in_stay=0.55, p_no_report=0.04, p_corrected=0.025, p_outside_report=0.02,
        homonym_pairs=12, twin_pairs=2,
    ),
    # University children's hospital: neonatology, paediatric emergencies, same-day repeats.
    "pediatrie": dict(
        kind="child", exams_per_patient=2.9, sites=["P"], site_w=[1.0],
        p_missing={"P": 0.02}, p_mistyped={"P": 0.025}, p_other={"P": 0.012}, p_tmp_emerg=0.14,
        p_noise={"P": 0.22}, p_exam_stay={"P": 0.60}, p_report_stay=0.85, p_report_acc={"P": 0.70},
        p_report_ipp_null=0.01, p_requesting_unit=0.45, p_in_stay=0.70, p_no_report=0.05,
        p_corrected=0.01, p_outside_report=0.01, p_births=0.14, p_twins=0.06, p_repeat=0.35,
        p_parent_name=0.07, homonym_pairs=4,
    ),
    # Private imaging clinics feeding a public hospital's warehouse: outpatients, outside radiologists.
    "clinique_reseau": dict(
        kind="adult", exams_per_patient=2.6, sites=["K1", "K2", "K3"], site_w=[0.45, 0.35, 0.2],
        p_missing={"K1": 0.06, "K2": 0.10, "K3": 0.15}, p_mistyped={"K1": 0.04, "K2": 0.05, "K3": 0.03},
        p_other={"K1": 0.01, "K2": 0.01, "K3": 0.015}, p_local={"K1": 0.10, "K2": 0.18, "K3": 0.25},
        p_tmp_emerg=0.0, p_noise={"K1": 0.30, "K2": 0.35, "K3": 0.28}, p_exam_stay={"K1": 0.01, "K2": 0.0, "K3": 0.0},
        p_report_stay=0.03, p_report_acc={"K1": 0.97, "K2": 0.90, "K3": 0.60}, p_report_ipp_null=0.0,
        p_requesting_unit=0.0, p_in_stay=0.07, p_no_report=0.06, p_corrected=0.01, p_outside_report=0.07,
        p_second_reading=0.9, homonym_pairs=8,
    ),
}

INSTITUTIONS = {
    "A": "CH DE VALMONT-SUR-LOIRE", "B": "CH DE BREVANNES", "C": "HOPITAL LOCAL DE SAINT-AUBIN",
    "P": "HOPITAL D'ENFANTS JEANNE-DE-FLANDRE", "K1": "CIMA LES TILLEULS", "K2": "IMAGERIE DU PARC",
    "K3": "CABINET DE RADIOLOGIE DES REMPARTS",
}
IMAGING_UNIT = {"A": "IMAGERIE MEDICALE", "B": "RADIOLOGIE", "C": "RADIOLOGIE", "P": "IMAGERIE PEDIATRIQUE",
                "K1": "CIMA", "K2": "IMAGERIE", "K3": "RADIOLOGIE LIBERALE"}
UNITS_ADULT = [("PNEUMOLOGIE", ["J18.9", "J44.1", "C34.1"]), ("CARDIOLOGIE", ["I50.9", "I21.4"]),
               ("GASTRO-ENTEROLOGIE", ["K80.2", "K85.9", "C18.7"]), ("NEUROLOGIE", ["I63.9", "G35", "G40.9"]),
               ("MEDECINE INTERNE", ["R50.9", "D64.9"]), ("CHIRURGIE ORTHOPEDIQUE", ["S72.0", "M17.1"]),
               ("ONCOLOGIE", ["C50.9", "C83.3", "C61"]), ("GERIATRIE", ["R26.8", "E86"])]
UNITS_CHILD = [("NEONATOLOGIE", ["P07.3", "P22.0", "P59.9"]), ("REANIMATION PEDIATRIQUE", ["J21.0", "A41.9"]),
               ("PEDIATRIE GENERALE", ["J21.9", "N10", "R50.9"]), ("CHIRURGIE PEDIATRIQUE", ["K35.8", "S52.5", "Q40.0"]),
               ("NEUROPEDIATRIE", ["G40.9", "R62.0"]), ("ONCO-HEMATO PEDIATRIQUE", ["C91.0", "C64"])]


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


PART_WORDS = {"KNEE": ["énisque", "fémoro-tibial", "Gonalgie", "arthrose"], "SHOULDER": ["coiffe", "supra-épineux", "épaule"],
              "WRIST": ["radius", "main en extension", "Contrôle après réduction"], "HAND": ["maturation osseuse", "âge osseux"],
              "ELBOW": ["main en extension", "Contrôle après réduction", "supracondylienne", "coussinet"],
              "ANKLE": ["torsion", "malléole"]}


def fit(sentences, part):
    """Keep the sentences whose site-specific words match the body part (limbs share one pool)."""
    own = PART_WORDS.get(part)
    if own is None:
        return sentences
    others = [w for p, ws in PART_WORDS.items() if p != part for w in ws if w not in own]
    keep = [x for x in sentences if any(w in x for w in own) or not any(w in x for w in others)]
    return keep or sentences


def is_workday(d):
    return d.weekday() < 5 and d not in HOLIDAYS


def next_workday(t, n):
    d = t.date()
    k = 0
    while k < n or not is_workday(d):
        d += dt.timedelta(days=1)
        if is_workday(d):
            k += 1
    return d


class Gen:
    def __init__(self, profile, n, seed):
        self.pname = profile
        self.P = PROFILES[profile]
        self.n = n
        self.r = random.Random(f"{profile}|{n}|{seed}")
        self.used_ipps = set()
        self.counter = {}

    def uniq(self, key, fmt):
        while True:
            v = fmt(self.r)
            if (key, v) not in self.counter:
                self.counter[(key, v)] = 1
                return v

    # ------------------------------------------------------------ names
    def surname(self):
        names, w = zip(*V.SURNAMES)
        return self.r.choices(names, w)[0]

    def given(self, sex, child):
        if child:
            return self.r.choice(V.MALE_CHILD if sex == "M" else V.FEMALE_CHILD)
        return self.r.choice(V.MALE_ADULT if sex == "M" else V.FEMALE_ADULT)

    def master_ipp(self):
        r = self.r
        if self.pname == "ght_fusion":
            f = lambda r: "4" + f"{r.randrange(10**8):08d}"
        elif self.pname == "pediatrie":
            f = lambda r: "31" + f"{r.randrange(10**6):06d}"
        else:
            f = lambda r: f"{r.randrange(10**10):010d}"  # hospital IPP of 10 digits, leading zeros kept
        return self.uniq("ipp", f)

    # ------------------------------------------------------------ patients
    def patients(self):
        r, P = self.r, self.P
        pts = []
        child = P["kind"] == "child"
        i = 0
        while len(pts) < self.n:
            sex = r.choice("MF")
            fam = self.surname()
            if child:
                if r.random() < P["p_births"]:
                    bd = (D0 + dt.timedelta(days=r.randrange((D1 - D0).days - 30))).date()
                else:
                    bd = (D0 - dt.timedelta(days=r.randrange(17 * 365))).date()
            else:
                age = min(98, max(18, int(r.gauss(58, 18))))
                bd = (D0 - dt.timedelta(days=age * 365 + r.randrange(365))).date()
            p = dict(patient_id=self.master_ipp(), family_name=fam, given_name=self.given(sex, child),
                     birth_date=bd, sex=sex, usage_name=None, tags=[])
            if child:
                p["mother_name"] = self.surname() if r.random() < 0.6 else fam
                if p["mother_name"] != fam and r.random() < 0.10:
                    p["usage_name"] = f"{fam} {p['mother_name']}"
                p["newborn"] = bd >= D0.date()
                if p["newborn"] and r.random() < P["p_twins"] and len(pts) < self.n - 1:
                    sex2 = r.choice("MF")
                    twin = dict(p, patient_id=self.master_ipp(), given_name=self.given(sex2, True), sex=sex2, tags=["twin"])
                    p["tags"] = ["twin"]
                    p["twin_rank"], twin["twin_rank"] = 1, 2
                    pts.append(p)
                    pts.append(twin)
                    continue
            else:
                age = (D0.date() - bd).days // 365
                if sex == "F" and age > 25 and r.random() < 0.45:
                    p["usage_name"] = self.surname()
            pts.append(p)
        # homonyms: same family and given name, another birth date
        for _ in range(P.get("homonym_pairs", 0)):
            a, b = r.sample(range(len(pts)), 2)
            if pts[b]["sex"] == pts[a]["sex"]:
                pts[b]["family_name"], pts[b]["given_name"] = pts[a]["family_name"], pts[a]["given_name"]
                pts[b]["tags"] = pts[b]["tags"] + ["homonym"]
        # GHT: secondary IPPs of the former registries of sites B and C
        if self.pname == "ght_fusion":
            for p in pts:
                p["old"] = {}
                if r.random() < 0.55:
                    p["old"]["B"] = self.uniq("old", lambda r: f"00{r.randrange(10**6):06d}")
                if r.random() < 0.35:
                    p["old"]["C"] = self.uniq("old", lambda r: "C" + f"{r.randrange(10**6):06d}")
        return pts

    # ------------------------------------------------------------ stays
    def stays(self, pts):
        r, P = self.r, self.P
        child = P["kind"] == "child"
        units = UNITS_CHILD if child else UNITS_ADULT
        out = []
        for p in pts:
            p["stays"] = []
            n = r.choices([0, 1, 2, 3, 4], [0.25, 0.35, 0.2, 0.12, 0.08])[0]
            if self.pname == "clinique_reseau":
                n = r.choices([0, 1, 2], [0.6, 0.3, 0.1])[0]
            if child and p.get("newborn"):
                n = max(n, 1)
            for k in range(n):
                earliest = dt.datetime.combine(max(p["birth_date"], D0.date()), dt.time())
                if child and p.get("newborn") and k == 0:
                    start = earliest + dt.timedelta(hours=r.randrange(1, 30))
                    typ, unit, dur = "hospitalisation", "NEONATOLOGIE", dt.timedelta(days=r.randrange(3, 40))
                    diag = "P07.3;P22.0" if r.random() < 0.5 else "P59.9"
                else:
                    span = (D1 - earliest).total_seconds()
                    if span <= 86400 * 3:
                        continue
                    start = earliest + dt.timedelta(seconds=r.randrange(int(span - 86400 * 3)))
                    typ = r.choices(["hospitalisation", "emergency", "day_care", "consultation"], [0.45, 0.3, 0.1, 0.15])[0]
                    if typ == "emergency":
                        unit, dur = ("URGENCES PEDIATRIQUES" if child else "URGENCES"), dt.timedelta(hours=r.randrange(2, 14))
                        diag = r.choice(["R10.4", "S06.0", "J06.9", "R50.9", None])
                    else:
                        unit, diags = r.choice(units[1:] if child else units)
                        diag = ";".join(r.sample(diags, r.randint(1, min(2, len(diags)))))
                        if typ == "hospitalisation":
                            dur = dt.timedelta(days=r.randrange(1, 15), hours=r.randrange(24))
                            start = start.replace(hour=r.randrange(8, 20), minute=r.randrange(60))
                        elif typ == "day_care":
                            start = start.replace(hour=r.randrange(7, 11), minute=r.randrange(60))
                            dur = dt.timedelta(hours=r.randrange(4, 10))
                        else:
                            start = start.replace(hour=r.randrange(8, 17), minute=r.randrange(60))
                            dur = dt.timedelta(minutes=r.randrange(20, 90))
                            if r.random() < 0.3:
                                diag = None
                s = dict(stay_id=self.uniq("stay", lambda r: f"{r.randrange(10**8, 10**9)}"), patient_id=p["patient_id"],
                         start_datetime=start.replace(second=0, microsecond=0),
                         end_datetime=(start + dur).replace(second=0, microsecond=0), unit=unit, stay_type=typ,
                         diagnoses=diag)
                p["stays"].append(s)
                out.append(s)
        return out

    # ------------------------------------------------------------ exams
    def exam_time(self, p, stay, emergency):
        r = self.r
        if stay is not None:
            a, b = stay["start_datetime"], stay["end_datetime"]
            if stay["stay_type"] == "hospitalisation" and r.random() < 0.12 and self.pname != "clinique_reseau":
                return a - dt.timedelta(minutes=r.randrange(30, 7 * 60)), "pre_admission"
            t = a + dt.timedelta(seconds=r.randrange(max(60, int((b - a).total_seconds()))))
            if stay["stay_type"] in ("hospitalisation",) and t.hour < 7 and r.random() < 0.7:
                t = t.replace(hour=r.randrange(8, 18))
                if t > b:
                    t = a + dt.timedelta(minutes=5)
            return t, "in_stay"
        earliest = dt.datetime.combine(max(p["birth_date"], D0.date()), dt.time())
        while True:
            t = earliest + dt.timedelta(days=r.randrange(max(1, (D1 - earliest).days)))
            if is_workday(t.date()) or r.random() < 0.08:
                break
        return t.replace(hour=r.randrange(8, 19), minute=r.randrange(60), second=r.randrange(60)), "outpatient"

    def catalogue(self, p):
        if self.pname == "clinique_reseau":
            return V.CLINIC_CATALOGUE
        return V.CATALOGUE["child" if self.P["kind"] == "child" else "adult"]

    def pick_exam(self, p, stay):
        r = self.r
        cat = self.catalogue(p)
        if self.pname == "pediatrie":
            if stay and stay["unit"] in ("NEONATOLOGIE", "REANIMATION PEDIATRIQUE"):
                return r.choice([cat[1], cat[1], cat[1], cat[8], cat[2]])
            if stay and stay["stay_type"] == "emergency":
                return r.choice([cat[0], cat[3], cat[5], cat[6], cat[7], cat[12], cat[10]])
        if stay and stay["stay_type"] == "emergency":
            em = [c for c in cat if c[3] in ("rx", "ct", "us")]
            return r.choice(em)
        w = [4 if c[3] == "rx" else 2 if c[3] in ("ct", "us", "mr") else 1 for c in cat]
        if self.pname == "clinique_reseau":
            w = [4 if c[3] == "mr" else 3 if c[3] in ("mg", "us") else 2 for c in cat]
            if p["sex"] == "M":
                w = [0 if c[3] == "mg" or "PELVIENNE" in c[1] else x for c, x in zip(cat, w)]
            else:
                w = [0 if "PROSTATE" in c[1] else x for c, x in zip(cat, w)]
        return r.choices(cat, w)[0]

    def accession(self, site, t):
        r = self.r
        if site == "A":
            return self.uniq("acc", lambda r: f"A{t:%y}{r.randrange(10**7):07d}")
        if site == "B":
            return self.uniq("acc", lambda r: f"{r.randrange(10**9, 10**10)}")
        if site == "C":
            if r.random() < 0.07:
                return None
            return self.uniq("acc", lambda r: f"RX-{t:%Y}-{r.randrange(10**6):06d}")
        if site == "P":
            return self.uniq("acc", lambda r: f"{t:%y}P{r.randrange(10**7):07d}")
        if site == "K1":
            return self.uniq("acc", lambda r: f"CIMA-{r.randrange(10**7):07d}")
        if site == "K2":
            return self.uniq("acc", lambda r: f"{r.randrange(10**8, 10**9)}")
        return self.uniq("acc", lambda r: f"E{t:%Y%m%d}{r.randrange(1000):03d}")

    def mistype(self, ipp, all_ipps):
        r = self.r
        for _ in range(50):
            s = list(ipp)
            k = r.random()
            if k < 0.5:
                i = r.randrange(len(s))
                s[i] = r.choice([d for d in "0123456789" if d != s[i]])
                v = "".join(s)
            elif k < 0.8:
                i = r.randrange(len(s) - 1)
                if s[i] == s[i + 1]:
                    continue
                s[i], s[i + 1] = s[i + 1], s[i]
                v = "".join(s)
            else:
                v = ipp[r.randint(1, 2):]
            if v not in all_ipps:
                return v
        return ipp[1:]

    def identity(self, p, site, t, ex, fault):
        """Header name/birth/sex as the console wrote them; returns (pn, bd, sex, kinds)."""
        r, P = self.r, self.P
        fam, giv, bd, sex = p["family_name"], p["given_name"], p["birth_date"], p["sex"]
        kinds = []
        pn_sep = "^"
        # newborn placeholder identity in the first days of life (paediatrics)
        if self.pname == "pediatrie" and p.get("newborn") and (t.date() - bd).days <= 4 and r.random() < 0.75:
            if p.get("twin_rank"):
                giv = r.choice([f"JUMEAU {p['twin_rank']}", f"J{p['twin_rank']}", f"BB {p['twin_rank']}"])
            else:
                giv = r.choice(["BB", "BEBE", "NOUVEAU-NE", "GARCON" if sex == "M" else "FILLE"])
            if r.random() < 0.5:
                fam = p["mother_name"]
            kinds.append("newborn_placeholder")
        p_noise = P["p_noise"][site] * (1.8 if fault != "none" else 1.0)
        if self.pname == "pediatrie" and r.random() < P["p_parent_name"] and p["mother_name"] != fam and "newborn_placeholder" not in kinds:
            fam = p["mother_name"]
            kinds.append("parent_name")
        if r.random() < p_noise:
            pool = ["accents_lost", "case", "typo", "swapped", "usage_name", "compound", "birth_day_month_swap",
                    "birth_date_typo", "sex_missing"]
            w = [3, 2, 3, 1.5, 3 if self.pname == "clinique_reseau" else 1.5, 1, 1, 1.2, 1]
            for k in r.choices(pool, w, k=r.choice([1, 1, 1, 2])):
                if k not in kinds:
                    kinds.append(k)
        out_k = []
        for k in sorted(set(kinds), key=kinds.index):
            if k == "usage_name":
                if p.get("usage_name") and fam == p["family_name"]:
                    fam = p["usage_name"]
                else:
                    continue
            elif k == "typo":
                if len(fam) < 4:
                    continue
                i = r.randrange(1, len(fam) - 1)
                op = r.random()
                if op < 0.4:
                    fam = fam[:i] + fam[i + 1:]
                elif op < 0.7:
                    fam = fam[:i] + fam[i] + fam[i:]
                else:
                    fam = fam[:i] + r.choice("AEIOURSTNL") + fam[i + 1:]
            elif k == "compound":
                if " " in fam or "-" in fam:
                    fam = r.choice([fam.replace(" ", "-").replace("-", " ") if "-" in fam else fam.replace(" ", "-"),
                                    fam.replace(" ", "").replace("-", ""), fam.replace("-", " ").split(" ")[-1]])
                elif "-" in giv:
                    giv = r.choice([giv.replace("-", " "), giv.split("-")[0], giv.replace("-", "")])
                else:
                    continue
            elif k == "birth_day_month_swap":
                if bd.day > 12 or bd.day == bd.month:
                    continue
                bd = bd.replace(day=bd.month, month=bd.day)
            elif k == "birth_date_typo":
                s = bd.strftime("%Y%m%d")
                for _ in range(20):
                    i = r.choice([3, 5, 7])
                    cand = s[:i] + r.choice("0123456789") + s[i + 1:]
                    try:
                        nb = dt.datetime.strptime(cand, "%Y%m%d").date()
                    except ValueError:
                        continue
                    if nb != bd:
                        bd = nb
                        break
                else:
                    continue
            elif k == "sex_missing":
                sex = None
            out_k.append(k)
        kinds = out_k
        # site console habits (applied after noise)
        if site in ("B", "K2") or "accents_lost" in kinds:
            new = strip_accents(fam), strip_accents(giv)
            if new != (fam, giv) and "accents_lost" not in kinds:
                kinds.append("accents_lost")
            fam, giv = new
        elif "accents_lost" in kinds:
            kinds.remove("accents_lost")
        if "case" in kinds:
            fam, giv = fam.title(), giv.lower() if r.random() < 0.3 else giv
        else:
            giv = giv.upper() if site in ("B", "C", "P", "K2") else giv
        if "swapped" in kinds:
            pn = f"{giv}{pn_sep}{fam}"
        else:
            pn = f"{fam}{pn_sep}{giv}"
        if site == "C" and r.random() < 0.3:
            pn = pn + "^^"  # empty trailing PN components kept by this console
        return pn, bd, sex, kinds

    def exams(self, pts):
        r, P = self.r, self.P
        all_ipps = {p["patient_id"] for p in pts}
        all_old = {v for p in pts for v in p.get("old", {}).values()}
        ex_rows, faults = [], []
        uid_root = {"ght_fusion": "1.2.250.1.211", "pediatrie": "1.2.250.1.59.31", "clinique_reseau": "1.3.6.1.4.1.48213"}[self.pname]
        tmp_by_visit = {}
        for p in pts:
            n = max(1, int(r.expovariate(1 / P["exams_per_patient"])) + (1 if r.random() < 0.5 else 0))
            if p.get("newborn"):
                n += 2
            for _ in range(n):
                stay = None
                if p["stays"] and r.random() < P["p_in_stay"]:
                    stay = r.choice(p["stays"])
                if self.pname == "pediatrie" and p.get("newborn") and p["stays"] and r.random() < 0.6:
                    stay = p["stays"][0]
                t, where = self.exam_time(p, stay, stay is not None and stay["stay_type"] == "emergency")
                if t.date() < p["birth_date"]:
                    t = dt.datetime.combine(p["birth_date"], dt.time(10, 0))
                modality, desc, part, grp, region = self.pick_exam(p, stay)
                repeats = 1
                if self.pname == "pediatrie" and grp == "rx" and stay is not None and r.random() < P["p_repeat"]:
                    repeats = r.choice([2, 2, 3])
                elif self.pname != "pediatrie" and grp == "rx" and r.random() < 0.04:
                    repeats = 2
                for k in range(repeats):
                    tt = t + dt.timedelta(minutes=k * r.randrange(40, 420))
                    self._one_exam(p, stay, tt, modality, desc, part, grp, region, all_ipps, all_old, uid_root,
                                   tmp_by_visit, ex_rows, faults, pts)
        return ex_rows, faults

    def _one_exam(self, p, stay, t, modality, desc, part, grp, region, all_ipps, all_old, uid_root, tmp_by_visit,
                  ex_rows, faults, pts):
        r, P = self.r, self.P
        site = r.choices(P["sites"], P["site_w"])[0]
        if self.pname == "ght_fusion" and stay is not None:
            site = "A" if r.random() < 0.75 else site
        if self.pname == "ght_fusion" and site in ("B", "C") and modality == "PT\\CT":
            site = "A"
        t = t.replace(microsecond=0)
        emergency = stay is not None and stay["stay_type"] == "emergency"
        ipp = p["patient_id"]
        fault = "none"
        u = r.random()
        if emergency and P["p_tmp_emerg"] and u < P["p_tmp_emerg"]:
            key = (p["patient_id"], stay["stay_id"])
            if key not in tmp_by_visit:
                tmp_by_visit[key] = self.uniq("tmp", (lambda r: "TMP" + f"{r.randrange(10**6):06d}") if self.pname == "ght_fusion"
                                              else (lambda r: "9999" + f"{r.randrange(10**5):05d}"))
            ipp, fault = tmp_by_visit[key], "temporary_ipp"
        else:
            u = r.random()
            cut = [P["p_missing"][site], P["p_mistyped"][site], P["p_other"][site], P.get("p_local", {}).get(site, 0)]
            if u < cut[0]:
                ipp, fault = None, "missing_ipp"
            elif u < sum(cut[:2]):
                ipp, fault = self.mistype(ipp, all_ipps | all_old), "mistyped_ipp"
            elif u < sum(cut[:3]):
                same = [q for q in pts if q["family_name"] == p["family_name"] and q is not p]
                q = r.choice(same) if same and r.random() < 0.4 else r.choice(pts)
                if q is not p:
                    ipp, fault = q["patient_id"], "other_patient_ipp"
            elif u < sum(cut):
                ipp, fault = self.uniq("local", lambda r: f"CL{r.randrange(10**6):06d}"), "local_id"
            if self.pname == "ght_fusion" and fault == "none" and site in p.get("old", {}):
                pr = P["p_old_ipp_before"] if t < P["fusion"] else P["p_old_ipp_after"][site]
                if r.random() < pr:
                    ipp, fault = p["old"][site], "secondary_ipp"
        pn, bd, sex, kinds = self.identity(p, site, t, None, fault)
        unit = IMAGING_UNIT[site]
        if stay is not None and r.random() < P["p_requesting_unit"]:
            unit = stay["unit"]
        if self.pname == "pediatrie" and stay is not None and stay["unit"] in ("NEONATOLOGIE", "REANIMATION PEDIATRIQUE") and "LIT" in desc:
            unit = stay["unit"]  # bedside radiographs are booked by the ward
        ex = dict(exam_id=f"{uid_root}.{t:%Y%m%d}.{len(ex_rows) + 1}.{r.randrange(10**6)}",
                  accession_number=self.accession(site, t), patient_id=ipp, patient_name=pn, birth_date=bd, sex=sex,
                  study_datetime=t, modality=modality, study_description=desc, body_part=part,
                  institution=INSTITUTIONS[site], unit=unit,
                  stay_id=stay["stay_id"] if stay is not None and r.random() < P["p_exam_stay"][site] else None)
        if site == "C" and r.random() < 0.5:
            ex["body_part"] = None
        if self.pname == "clinique_reseau" and r.random() < 0.15:
            ex["birth_date"] = None
        ex["_p"], ex["_site"], ex["_grp"], ex["_region"], ex["_emerg"], ex["_part"] = p, site, grp, region, emergency, part
        ex_rows.append(ex)
        faults.append(dict(exam_id=ex["exam_id"], fault=fault, identity_noise=";".join(kinds)))

    # ------------------------------------------------------------ truth of exam -> stay
    @staticmethod
    def true_stay(p, t):
        inside = [s for s in p["stays"] if s["start_datetime"] <= t <= s["end_datetime"]]
        if inside:
            return min(inside, key=lambda s: (s["end_datetime"] - s["start_datetime"], s["stay_id"]))
        pre = [s for s in p["stays"] if s["stay_type"] == "hospitalisation"
               and s["start_datetime"] - dt.timedelta(hours=8) <= t < s["start_datetime"]]
        if pre:
            return min(pre, key=lambda s: (s["start_datetime"] - t, s["stay_id"]))
        return None

    # ------------------------------------------------------------ reports
    def delay(self, ex):
        r, grp, t = self.r, ex["_grp"], ex["study_datetime"]
        name = self.pname
        if name == "ght_fusion":
            if ex["_emerg"] and grp in ("rx", "ct", "us"):
                h = r.uniform(0.3, 3) if grp != "rx" or r.random() < 0.4 else None
                if h is not None:
                    return t + dt.timedelta(hours=h)
            if grp == "us":
                return t + dt.timedelta(minutes=r.randrange(10, 120))
            days = {"rx": r.choice([0, 1, 1, 2, 3]), "ct": r.choice([0, 1, 1, 2]), "mr": r.choice([1, 2, 3, 4, 6]),
                    "mg": r.choice([0, 1]), "nm": r.choice([1, 2]), "pet": r.choice([1, 1, 2])}[grp]
            if r.random() < 0.06:
                days += r.randrange(5, 20)  # queue backlog (radiologist shortage)
        elif name == "pediatrie":
            if grp == "us":
                return t + dt.timedelta(minutes=r.randrange(15, 90))
            if grp in ("rx", "ct"):
                if 8 <= t.hour < 18 and is_workday(t.date()):
                    return t + dt.timedelta(minutes=r.randrange(20, 300))
                # night/weekend: intern's preliminary reading, validated by the senior next working morning
                d = next_workday(t, 1)
                return dt.datetime.combine(d, dt.time(r.randrange(8, 12), r.randrange(60)))
            days = {"mr": r.choice([1, 2, 2, 3, 5]), "nm": r.choice([1, 2, 3]), "mg": 1, "pet": 1}.get(grp, 1)
        else:
            if grp in ("us", "mg", "rx"):
                if r.random() < 0.7:
                    return t + dt.timedelta(minutes=r.randrange(15, 240))
                return t.replace(hour=r.randrange(18, 21), minute=r.randrange(60)) if t.hour < 18 else t + dt.timedelta(hours=1)
            days = {"ct": r.choice([0, 1, 1, 2, 3]), "mr": int(min(35, r.lognormvariate(1.3, 0.8))),
                    "pet": r.choice([1, 1, 2])}[grp]
            if days == 0:
                return t + dt.timedelta(hours=r.uniform(2, 8))
        d = next_workday(t, days) if days > 0 else t.date()
        out = dt.datetime.combine(d, dt.time(r.randrange(8, 19), r.randrange(60), r.randrange(60)))
        if out <= t:
            out = t + dt.timedelta(hours=r.uniform(1, 5))
        return out

    def text(self, ex, kind="main", prev=None):
        r, grp = self.r, ex["_grp"]
        p = ex["_p"]
        st = r.choice(V.HEADER_STYLES)
        t = ex["study_datetime"]
        abnormal = r.random() < 0.42
        n = r.randrange(4, 35)
        reg = V.REGION[V.PART_REGION.get(ex["_part"], ex["_part"])]
        res = r.choice(fit(reg[2] if abnormal else reg[1], ex["_part"])).format(n=n, s=f"{r.uniform(3, 18):.1f}".replace(".", ","))
        inds = fit((reg[3] if self.pname == "pediatrie" and reg[3] else reg[0]) or reg[3], ex["_part"])
        concl = (res.split(".")[0] + "." if abnormal else r.choice(V.CONCLUSIONS_NORMAL))
        lines = []
        if self.pname == "clinique_reseau":
            lines.append(f"{INSTITUTIONS[ex['_site']].title()} - Dr {self.surname().title()}, radiologue")
            lines.append(r.choice(["Cher confrère,", "Chère consœur, cher confrère,", "Madame, Monsieur,"]))
            lines.append(f"Je vous remercie de m'avoir adressé votre patient(e) [NOM] pour un(e) {ex['study_description'].lower()} réalisé(e) le {t:%d/%m/%Y}.")
        elif self.pname == "pediatrie":
            if r.random() < 0.45:
                lines.append(f"{ex['study_description']} du {t:%d/%m/%Y}")
            if r.random() < 0.3:
                lines.append(f"Enfant [NOM], âge : {max(0, (t.date() - p['birth_date']).days // 30)} mois." if (t.date() - p['birth_date']).days < 730
                             else f"Enfant [NOM], {(t.date() - p['birth_date']).days // 365} ans.")
        else:
            if r.random() < 0.25:
                lines.append("Examen réalisé le [DATE].")
            elif r.random() < 0.2:
                lines.append(f"{ex['study_description']}")
        if kind == "corrected":
            lines.insert(0, "*** COMPTE RENDU MODIFIÉ - annule et remplace la version précédente ***")
        if kind == "second":
            lines = ["DÉPISTAGE ORGANISÉ - DEUXIÈME LECTURE", f"Mammographie du {t:%d/%m/%Y}, première lecture : ACR 1.",
                     "Deuxième lecture : " + r.choice(["ACR 1, concordante.", "ACR 2, bénin.", "ACR 0, rappel pour bilan complémentaire."])]
            return "\n".join(lines)
        if kind == "addendum":
            return "ADDENDUM : " + r.choice(["après avis du référent, lésion à contrôler à 3 mois.",
                                             "relecture : pas de modification de la conclusion.",
                                             "la comparaison avec l'examen antérieur confirme la stabilité."])
        lines.append(f"{st[0]} {r.choice(inds)}".strip())
        if st[1]:
            lines.append(f"{st[1]} {r.choice(V.TECHNIQUE[grp])}")
        if st[2]:
            lines.append(st[2])
        if r.random() < 0.35:
            lines.append(f"Étude de : {ex['_region']}.")
        lines.append(res)
        if r.random() < 0.35:
            d0 = (t - dt.timedelta(days=r.randrange(30, 700))).strftime("%d/%m/%Y")
            lines.append(r.choice(V.COMPARISONS).format(d=d0))
        lines.append(f"{st[3]} {concl}")
        if self.pname == "clinique_reseau":
            lines.append(r.choice(["Bien confraternellement.", "Cordialement.", "Avec mes sentiments confraternels."]))
        txt = "\n".join(lines)
        if r.random() < (0.08 if self.pname == "ght_fusion" and ex["_site"] == "B" else 0.02):
            txt = "<p>" + txt.replace("\n", "<br>").replace("'", "&#39;") + "</p>"
        return txt

    def title(self, ex, kind):
        r = self.r
        if self.pname == "ght_fusion":
            base = r.choice(["Compte rendu d'imagerie", "CR RADIOLOGIE", "Compte-rendu radiologique"]) if ex["_site"] != "A" \
                else r.choice(["Compte rendu d'imagerie", ex["study_description"]])
        elif self.pname == "pediatrie":
            base = ex["study_description"] + r.choice(["", " - CR", " (compte rendu)"])
        else:
            base = r.choice(["Compte rendu", "CR RADIOLOGIE", "Courrier", "Résultat d'examen", None])
        if kind == "corrected" and base:
            base += " (modifié)"
        if kind in ("addendum", "second"):
            base = r.choice(["Addendum", "Complément", "Deuxième lecture"]) if kind == "second" else "Addendum"
        return base

    def reports(self, exams, stay_truth):
        r, P = self.r, self.P
        reps, links = [], []
        for ex in exams:
            if r.random() < P["p_no_report"]:
                continue
            kinds = ["main"]
            if r.random() < P["p_corrected"]:
                kinds.append("corrected")
            if self.pname == "ght_fusion" and ex["_grp"] in ("ct", "mr", "pet") and r.random() < 0.03:
                kinds.append("addendum")
            if self.pname == "clinique_reseau" and "DEPISTAGE" in ex["study_description"] and r.random() < P["p_second_reading"]:
                kinds.append("second")
            t0 = self.delay(ex)
            for k in kinds:
                if k == "main":
                    rt = t0
                elif k == "second":
                    rt = dt.datetime.combine(next_workday(t0, r.randrange(7, 21)), dt.time(r.randrange(9, 17), r.randrange(60)))
                else:
                    rt = t0 + dt.timedelta(hours=r.uniform(2, 96))
                reps.append(self._report(ex, rt, k, stay_truth[ex["exam_id"]]))
        return reps

    def _report(self, ex, rt, kind, true_stay, patient=None):
        r, P = self.r, self.P
        p = ex["_p"] if ex else patient
        site = ex["_site"] if ex else P["sites"][0]
        rid = self.uniq("rep", lambda r: {"ght_fusion": f"CR{r.randrange(10**8):08d}",
                                         "pediatrie": f"{r.randrange(10**7):07d}",
                                         "clinique_reseau": f"DOC-{r.randrange(16**8):08X}"}[self.pname])
        ipp = p["patient_id"]
        if self.pname == "clinique_reseau" and ex is not None:
            f = ex["_fault"]
            ipp = ex["patient_id"] if f in ("none", "mistyped_ipp", "other_patient_ipp") else None
        elif r.random() < P["p_report_ipp_null"]:
            ipp = None
        carried = true_stay if r.random() < P["p_report_stay"] else None
        acc = ex["accession_number"] if ex and r.random() < P["p_report_acc"][site] else None
        row = dict(report_id=rid, patient_id=ipp, stay_id=carried["stay_id"] if carried else None,
                   report_datetime=rt.replace(microsecond=0), title=None, text=None, accession_number=acc)
        if ex is not None:
            row["title"] = self.title(ex, kind)
            row["text"] = self.text(ex, kind)
        row["_exam"] = ex["exam_id"] if ex else None
        row["_stay"] = true_stay["stay_id"] if true_stay else None
        return row

    def outside_reports(self, pts, n):
        """Reports of exams done elsewhere (images never reached this PACS): true exam is null."""
        r = self.r
        out = []
        for _ in range(n):
            p = r.choice(pts)
            t = dt.datetime.combine(max(p["birth_date"], D0.date()), dt.time(10)) + dt.timedelta(days=r.randrange(300))
            cat = self.catalogue(p)
            modality, desc, part, grp, region = r.choice(cat)
            fake = dict(exam_id=None, accession_number=None, study_datetime=t, study_description=desc, _p=p,
                        _site=r.choice(self.P["sites"]), _grp=grp, _region=region, _emerg=False, _fault="none", _part=part,
                        patient_id=p["patient_id"])
            row = self._report(fake, t + dt.timedelta(days=r.randrange(1, 10), hours=r.randrange(9, 17)), "main", None)
            row["accession_number"] = None
            row["_exam"] = None
            if self.pname != "clinique_reseau":
                row["title"] = r.choice(["Examen extérieur", "CR EXTERIEUR (numérisé)", "Compte rendu"])
                row["text"] = "Compte rendu d'examen extérieur intégré au dossier.\n" + row["text"]
            out.append(row)
        return out

    # ------------------------------------------------------------ run
    def run(self):
        pts = self.patients()
        stays = self.stays(pts)
        exams, faults = self.exams(pts)
        for ex, f in zip(exams, faults):
            ex["_fault"] = f["fault"]
        stay_truth = {ex["exam_id"]: self.true_stay(ex["_p"], ex["study_datetime"]) for ex in exams}
        reps = self.reports(exams, stay_truth)
        reps += self.outside_reports(pts, int(len(reps) * self.P["p_outside_report"]))
        # order reports by datetime as a warehouse extract would, ties by id
        reps.sort(key=lambda x: (x["report_datetime"], x["report_id"]))
        exams.sort(key=lambda x: (x["study_datetime"], x["exam_id"]))
        fmap = {f["exam_id"]: f for f in faults}
        faults = [fmap[e["exam_id"]] for e in exams]
        links = []
        for ex in exams:
            links.append(("exam", ex["exam_id"], "patient", ex["_p"]["patient_id"]))
        for ex in exams:
            s = stay_truth[ex["exam_id"]]
            links.append(("exam", ex["exam_id"], "stay", s["stay_id"] if s else None))
        for rp in reps:
            links.append(("report", rp["report_id"], "exam", rp["_exam"]))
        for rp in reps:
            links.append(("report", rp["report_id"], "stay", rp["_stay"]))
        return pts, stays, exams, reps, faults, links


SCHEMA = {
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
    cols = SCHEMA[name]
    if rows and isinstance(rows[0], tuple):
        rows = [dict(zip([c for c, _ in cols], x)) for x in rows]
    arrays = [pa.array([row.get(c) for row in rows], type=t) for c, t in cols]
    table = pa.Table.from_arrays(arrays, schema=pa.schema([pa.field(c, t) for c, t in cols]))
    pq.write_table(table, path, compression="snappy")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", required=True, choices=sorted(PROFILES))
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=41)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    pts, stays, exams, reps, faults, links = Gen(a.profile, a.patients, a.seed).run()
    os.makedirs(os.path.join(a.out, "truth"), exist_ok=True)
    write(pts, "patients", os.path.join(a.out, "patients.parquet"))
    write(sorted(stays, key=lambda s: (s["patient_id"], s["start_datetime"], s["stay_id"])), "stays", os.path.join(a.out, "stays.parquet"))
    write(exams, "exams", os.path.join(a.out, "exams.parquet"))
    write(reps, "reports", os.path.join(a.out, "reports.parquet"))
    write(links, "links", os.path.join(a.out, "truth", "links.parquet"))
    write(faults, "exam_faults", os.path.join(a.out, "truth", "exam_faults.parquet"))
    print(a.profile, len(pts), "patients", len(stays), "stays", len(exams), "exams", len(reps), "reports")


if __name__ == "__main__":
    main()
