"""warehouse8: blind synthetic French imaging warehouse generator (three profiles).

python generate.py --profile gie_chu --patients 1500 --seed 8 -o sets/gie_chu
Standard library + pyarrow. Deterministic: same arguments -> byte-identical parquet files.
"""
import argparse
import hashlib
import os
import random
import unicodedata
from datetime import date, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import vocab as V

START, END = datetime(2023, 1, 2), datetime(2025, 12, 20)

PROFILES = {
    # Regional imaging GIE: one PACS/RIS for three hospitals, our registry = CH de Valmont (V).
    "gie_chu": dict(
        eps=(1, 4), ep_w={"er": 35, "hosp": 25, "consult": 20, "outpatient": 15, "gie_other_site": 5},
        foreign_patients=0.12,  # extra PACS exams of patients of the two other sites (not in registry)
        age=(18, 95), usage=0.45, jan1=0.35, twins=0.004, homonyms=0.01, fusion=0.0,
        p_missing=0.03, p_mistyped=0.03, p_other=0.025, p_temp_er=0.22, p_noise=0.22,
        p_exam_stay=0.05, p_exam_req_unit=0.55, p_report=0.95, p_rep_ipp=0.99, p_rep_stay=0.85,
        p_rep_acc=0.9, p_req_in_text=0.0, p_descr_title=0.85, p_date_in_text=0.3, p_combined=0.8,
        p_prelim_night=0.7, p_corrected=0.01, p_addendum=0.01, utc_reports=True, markup="rtf",
        p_markup=0.05, p_repeat=0.02, p_anon_name=0.3, pacs_prefix_from=datetime(2024, 3, 4)),
    # Private imaging group (cabinet libéral) inside a private clinic: mostly outpatients.
    "clinique_liberale": dict(
        eps=(1, 3), ep_w={"outpatient": 50, "screening": 18, "hosp": 12, "outside": 8, "preadmit": 7, "consult": 5},
        foreign_patients=0.0, age=(20, 92), usage=0.55, jan1=0.5, twins=0.008, homonyms=0.03, fusion=0.0,
        p_missing=0.09, p_mistyped=0.04, p_other=0.03, p_temp_er=0.0, p_noise=0.3,
        p_exam_stay=0.0, p_exam_req_unit=0.0, p_report=0.97, p_rep_ipp=0.8, p_rep_stay=0.15,
        p_rep_acc=0.2, p_req_in_text=0.85, p_descr_title=0.15, p_date_in_text=0.75, p_combined=0.7,
        p_prelim_night=0.0, p_corrected=0.02, p_addendum=0.0, utc_reports=False, markup=None,
        p_markup=0.0, p_repeat=0.01, p_anon_name=0.0, p_outside_imported=0.55),
    # Cancer centre (CLCC) with nuclear medicine: long follow-up, weekly séances, versioned reports.
    "clcc_onco": dict(
        eps=(1, 2), ep_w={"followup": 55, "seances": 25, "hosp": 12, "partner_pet": 8},
        foreign_patients=0.0, age=(25, 88), usage=0.4, jan1=0.2, twins=0.002, homonyms=0.008, fusion=0.05,
        p_missing=0.02, p_mistyped=0.02, p_other=0.015, p_temp_er=0.0, p_noise=0.15,
        p_exam_stay=0.6, p_exam_req_unit=0.3, p_report=0.98, p_rep_ipp=0.97, p_rep_stay=0.8,
        p_rep_acc=0.7, p_req_in_text=0.0, p_descr_title=0.95, p_date_in_text=0.9, p_combined=0.5,
        p_prelim_night=0.0, p_corrected=0.06, p_addendum=0.04, utc_reports=False, markup="html",
        p_markup=0.06, p_repeat=0.03, p_anon_name=0.0, p_resident_prelim=0.15),
}


class Gen:
    def __init__(self, profile, n, seed):
        self.p, self.name, self.n = PROFILES[profile], profile, n
        h = int(hashlib.sha256(profile.encode()).hexdigest()[:8], 16)
        self.r = random.Random(seed * 1000003 + h)
        self.patients, self.stays, self.exams, self.reports = [], [], [], []
        self.links, self.faults = [], []
        self.used_ids = set()
        self.seq = {}

    # ---------- ids ----------
    def nxt(self, key, start=1):
        self.seq[key] = self.seq.get(key, start) + self.r.randint(1, 3)
        return self.seq[key]

    def ipp(self):
        while True:
            if self.name == "gie_chu":
                v = "00" + str(self.r.randint(40000000, 49999999))
            elif self.name == "clinique_liberale":
                v = str(self.r.randint(1000000, 3999999))
            else:
                v = str(self.r.randint(19000000, 25999999))
            if v not in self.used_ids:
                self.used_ids.add(v)
                return v

    def stay_id(self, t):
        if self.name == "gie_chu":
            return "3%02d%06d" % (t.year % 100, self.nxt("stay"))
        if self.name == "clinique_liberale":
            return "S%07d" % self.nxt("stay", 1200000)
        return "V%d%06d" % (t.year, self.nxt("stay%d" % t.year))

    def accession(self, t, mod, site="V"):
        if self.name == "gie_chu":
            return "%s%02d%06d" % (site, t.year % 100, self.nxt("acc%s%d" % (site, t.year)))
        if self.name == "clinique_liberale":
            return "%d%06d" % (t.year, self.nxt("acc%d" % t.year))
        m = mod.replace("\\CT", "")[:2]
        return "%02d%s%05d" % (t.year % 100, m, self.nxt("acc%s%d" % (m, t.year)))

    def uid(self, root=None):
        root = root or {"gie_chu": "1.2.250.1.213.4.1", "clinique_liberale": "1.2.826.0.1.3680043.9.7711",
                        "clcc_onco": "1.2.250.1.59.77"}[self.name]
        return "%s.%d.%d" % (root, self.r.randint(10**9, 10**10), self.nxt("uid"))

    # ---------- time helpers ----------
    def workday(self, d):
        return d.weekday() < 5 and d.strftime("%Y-%m-%d") not in V.HOLIDAYS

    def rand_day(self, a=START, b=END):
        return a + timedelta(days=self.r.randint(0, max(0, (b - a).days)))

    def work_time(self, d, h0=8, h1=19):
        while not self.workday(d):
            d += timedelta(days=1)
        return datetime(d.year, d.month, d.day, self.r.randint(h0, h1 - 1), self.r.choice(range(0, 60, 5)))

    def next_work_slot(self, t):
        """Push a time to the next working-hours slot (reading room open 8h-19h on working days)."""
        if self.workday(t) and 8 <= t.hour < 19:
            return t
        d = t if t.hour < 8 else t + timedelta(days=1)
        d = datetime(d.year, d.month, d.day)
        while not self.workday(d):
            d += timedelta(days=1)
        return d + timedelta(hours=8, minutes=self.r.randint(10, 180))

    @staticmethod
    def utc_offset(t):
        def last_sunday(y, m):
            d = date(y, m, 31)
            return d - timedelta(days=(d.weekday() + 1) % 7)
        a, b = last_sunday(t.year, 3), last_sunday(t.year, 10)
        return 2 if a <= t.date() < b else 1

    # ---------- patients ----------
    def make_patients(self):
        names, weights = zip(*V.SURNAMES)
        p, r = self.p, self.r
        while len(self.patients) < self.n:
            sex = r.choice("MF")
            fam = r.choices(names, weights)[0]
            giv = r.choice(V.MALE_GIVEN if sex == "M" else V.FEMALE_GIVEN)
            age = r.randint(*p["age"])
            bd = date(2025 - age, r.randint(1, 12), r.randint(1, 28))
            jan1 = fam in V.FOREIGN_SURNAMES and r.random() < p["jan1"]
            if jan1:
                bd = date(bd.year, 1, 1)
            usage = None
            if sex == "F" and age > 25 and r.random() < p["usage"]:
                usage = r.choices(names, weights)[0]
                if usage == fam:
                    usage = None
            pat = dict(patient_id=self.ipp(), family_name=fam, given_name=giv, birth_date=bd, sex=sex,
                       usage_name=usage, jan1=jan1, old_ipp=None, fusion_date=None, site_ipp=None)
            self.patients.append(pat)
            if r.random() < p["twins"] and len(self.patients) < self.n:
                sx = r.choice("MF")
                g2 = r.choice(V.MALE_GIVEN if sx == "M" else V.FEMALE_GIVEN)
                self.patients.append(dict(pat, patient_id=self.ipp(), given_name=g2, sex=sx, usage_name=None,
                                          twin_of=pat["patient_id"]))
            if r.random() < p["homonyms"] and len(self.patients) < self.n:
                bd2 = date(2025 - r.randint(*p["age"]), r.randint(1, 12), r.randint(1, 28))
                self.patients.append(dict(pat, patient_id=self.ipp(), birth_date=bd2, usage_name=None))
        for pat in self.patients:
            if r.random() < p["fusion"]:
                pat["old_ipp"] = self.ipp()
                pat["fusion_date"] = self.rand_day(datetime(2023, 6, 1), datetime(2025, 6, 1))
            if self.name == "gie_chu" and r.random() < 0.3:
                pat["site_ipp"] = r.choice("BS") + "%07d" % r.randint(1000000, 9999999)

    # ---------- stays ----------
    def add_stay(self, pat, a, b, unit, stype, diag=True):
        sid = None  # numbered later, in admission order
        dg = ";".join(sorted(set(self.r.sample(V.DIAG, self.r.randint(1, 3))))) if diag and self.r.random() < 0.8 else None
        s = dict(stay_id=sid, patient_id=pat["patient_id"], start_datetime=a, end_datetime=b,
                 unit=unit, stay_type=stype, diagnoses=dg, id=sid, start=a, end=b, type=stype)
        self.stays.append(s)
        return s

    STYPE = {"gie_chu": dict(er="urgence", hosp="hospitalisation", consult="consultation externe", day="hospitalisation de jour"),
             "clinique_liberale": dict(er="ATU", hosp="HC", consult="EXT", day="AMBU"),
             "clcc_onco": dict(er="URG", hosp="HOSPIT", consult="CONSULT", day="SEANCE")}
    UNITS = {"gie_chu": ["PNEUMOLOGIE", "CARDIOLOGIE", "GASTRO-ENTEROLOGIE", "NEUROLOGIE", "MED INTERNE",
                         "CHIR VISCERALE", "ORTHOPEDIE", "GERIATRIE", "REA POLYVALENTE"],
             "clinique_liberale": ["CHIRURGIE ORTHO", "CHIRURGIE DIGESTIVE", "UROLOGIE", "MEDECINE POLYVALENTE"],
             "clcc_onco": ["ONCOLOGIE MEDICALE", "HEMATOLOGIE", "CHIRURGIE SENOLOGIQUE", "RADIOTHERAPIE",
                           "SOINS DE SUPPORT"]}

    # ---------- exams ----------
    def new_exam(self, pat, key, t, stay=None, ctx="out", inst=None, site="V", outside=False, req=None):
        mod, desc, bp, region, klass = V.EXAMS[key]
        e = dict(pat=pat, key=key, mod=mod, desc=desc, bp=bp, t=t, stay=stay, ctx=ctx, site=site,
                 outside=outside, req=req, exam_id=self.uid("1.3.6.1.4.1.%d" % self.r.randint(20000, 60000)) if outside else self.uid(),
                 acc=None if outside and self.r.random() < 0.5 else "?",  # numbered later, in time order
                 inst=inst)
        self.exams.append(e)
        return e

    def pick(self, keys):
        return self.r.choice(keys)

    def episodes(self, pat):
        p, r = self.p, self.r
        st = self.STYPE[self.name]
        kinds, w = zip(*p["ep_w"].items())
        for _ in range(r.randint(*p["eps"])):
            k = r.choices(kinds, w)[0]
            d = self.rand_day()
            if k == "er":
                a = datetime(d.year, d.month, d.day, r.randint(0, 23), r.randint(0, 59))
                b = a + timedelta(hours=r.randint(3, 14), minutes=r.randint(0, 59))
                s = self.add_stay(pat, a, b, "URGENCES", st["er"])
                tmp = "TMP%07d" % self.nxt("tmp", 100000) if r.random() < p["p_temp_er"] else None
                anon = tmp and r.random() < p["p_anon_name"]
                t = a + timedelta(minutes=r.randint(20, 120))
                ks = r.sample(["CR_CHEST", "CT_HEAD", "CT_ANGIO_PE", "DX_HIP", "DX_WRIST", "US_ABD", "CT_AP", "US_DOPPLER_LL"], r.randint(1, 2))
                for key in ks:
                    e = self.new_exam(pat, key, min(t, b - timedelta(minutes=10)), s, "er")
                    e["tmp"], e["anon"] = tmp, anon
                    t += timedelta(minutes=r.randint(15, 90))
                    if key == "CR_CHEST" and r.random() < p["p_repeat"] * 5:
                        e2 = self.new_exam(pat, key, min(t + timedelta(hours=1), b - timedelta(minutes=5)), s, "er")
                        e2["tmp"], e2["anon"] = tmp, anon
                if r.random() < 0.35:
                    a2 = b + timedelta(minutes=r.randint(10, 120))
                    self.hosp(pat, a2)
            elif k == "hosp":
                self.hosp(pat, self.work_time(d, 9, 17))
            elif k == "consult":
                a = self.work_time(d, 8, 18)
                s = self.add_stay(pat, a, a + timedelta(minutes=r.randint(30, 150)), r.choice(self.UNITS[self.name]), st["consult"], diag=False)
                self.new_exam(pat, self.pick(["CR_CHEST", "US_THYROID", "DX_KNEE", "US_ABD", "MR_BRAIN", "CT_THORAX"]),
                              a + timedelta(minutes=r.randint(5, 25)), s, "consult")
            elif k == "outpatient":
                keys = ["MR_KNEE", "MR_LSPINE", "US_ABD", "US_THYROID", "CT_SPINE", "DX_KNEE", "CT_THORAX",
                        "MR_PELVIS", "US_BREAST", "MG_DIAG", "MR_BRAIN", "US_DOPPLER_LL", "DX_WRIST"]
                t = self.work_time(d)
                e = self.new_exam(pat, self.pick(keys), t, None, "out")
                if e["key"] == "MG_DIAG" and r.random() < 0.6:
                    self.new_exam(pat, "US_BREAST", t + timedelta(minutes=r.randint(10, 30)), None, "out", req=e)
                if r.random() < p["p_repeat"]:
                    self.new_exam(pat, e["key"], t + timedelta(minutes=r.randint(20, 200)), None, "out")
            elif k == "screening":
                if pat["sex"] == "F":
                    self.new_exam(pat, "MG_SCREEN", self.work_time(d), None, "screen")
            elif k == "outside":
                t = self.work_time(d - timedelta(days=r.randint(7, 120)))
                key = self.pick(["MR_LSPINE", "CT_THORAX", "MR_KNEE", "CT_AP", "MG_DIAG", "MR_BRAIN"])
                if r.random() < p["p_outside_imported"]:
                    e = self.new_exam(pat, key, t, None, "outside", inst=r.choice(V.OUTSIDE_CENTRES), outside=True)
                    e["import_t"] = self.work_time(d)
                else:
                    self.orphan_reports.append((pat, key, t, self.work_time(d)))
            elif k == "preadmit":
                t = self.work_time(d, 7, 12)
                e = self.new_exam(pat, self.pick(["CR_CHEST", "CT_AP", "US_ABD"]), t, None, "preadmit")
                a = t + timedelta(hours=r.randint(1, 6))
                s = self.add_stay(pat, a, a + timedelta(days=r.randint(1, 5), hours=r.randint(0, 6)),
                                  r.choice(self.UNITS[self.name]), st["hosp"])
                e["stay"] = s  # truth: the admission it belongs to (done < 8 h before it)
            elif k == "gie_other_site":
                t = self.work_time(d)
                site = r.choice("BS")
                e = self.new_exam(pat, self.pick(["CT_THORAX_INJ", "MR_BRAIN", "US_ABD", "CT_AP"]), t, None, "site", site=site,
                                  inst={"B": "CH BRUYERES", "S": "HOPITAL ST-MARTIN"}[site])
            elif k == "seances":
                a0 = self.work_time(d, 8, 11)
                unit = r.choice(["ONCOLOGIE MEDICALE", "HEMATOLOGIE"])
                for i in range(r.randint(4, 12)):
                    a = a0 + timedelta(days=7 * i)
                    if not self.workday(a):
                        a += timedelta(days=1)
                    s = self.add_stay(pat, a, a + timedelta(hours=r.randint(3, 7)), unit, st["day"])
                    if i == 0 and r.random() < 0.4:
                        self.new_exam(pat, "CR_CHEST", a + timedelta(minutes=r.randint(20, 90)), s, "seance")
                self.followup(pat, a0 - timedelta(days=r.randint(10, 25)), r.randint(2, 6))
            elif k == "followup":
                self.followup(pat, self.work_time(self.rand_day(START, datetime(2024, 9, 1))), r.randint(3, 10))
            elif k == "partner_pet":
                t = self.work_time(d)
                e = self.new_exam(pat, "PT_FDG", t, None, "partner", inst="CH DE LA VALLEE - TEP")
        return

    def hosp(self, pat, a):
        r = self.r
        b = a + timedelta(days=r.randint(1, 12), hours=r.randint(0, 8))
        stype = self.STYPE[self.name]["hosp"]
        if self.name == "clinique_liberale" and r.random() < 0.4:  # chirurgie ambulatoire: same-day stay
            b, stype = a + timedelta(hours=r.randint(5, 9)), self.STYPE[self.name]["day"]
        s = self.add_stay(pat, a, b, r.choice(self.UNITS[self.name]), stype)
        for _ in range(r.choices([0, 1, 2, 3], [2, 4, 3, 1])[0]):
            key = self.pick(["CT_TAP", "CT_THORAX_INJ", "MR_BRAIN", "US_ABD", "DX_CHEST_BED", "CR_CHEST", "MR_LIVER", "US_DOPPLER_LL", "CT_AP", "NM_BONE"])
            t = a + timedelta(minutes=r.randint(60, int((b - a).total_seconds() // 60) - 30))
            e = self.new_exam(pat, key, t, s, "hosp")
            if key == "CT_THORAX_INJ" and r.random() < 0.5:
                self.new_exam(pat, "CT_AP", t + timedelta(minutes=r.randint(2, 8)), s, "hosp", req=e)
            if key == "DX_CHEST_BED" and r.random() < self.p["p_repeat"] * 8:
                self.new_exam(pat, key, min(t + timedelta(hours=r.randint(3, 20)), b - timedelta(minutes=5)), s, "hosp")

    def drop_overlaps(self):
        """Random episodes of one patient may collide: keep the earlier stay, move exams into it or out."""
        byp, gone = {}, set()
        for s in self.stays:
            byp.setdefault(s["patient_id"], []).append(s)
        for v in byp.values():
            v.sort(key=lambda s: (s["start"], s["end"]))
            keep = []
            for s in v:
                if keep and s["start"] < keep[-1]["end"]:
                    gone.add(id(s)); s["into"] = keep[-1]
                else:
                    keep.append(s)
        for e in self.exams:
            s = e["stay"]
            if s is not None and id(s) in gone:
                k = s["into"]
                e["stay"] = k if k["start"] - timedelta(hours=8) <= e["t"] <= k["end"] else None
        self.stays = [s for s in self.stays if id(s) not in gone]

    def followup(self, pat, t, n):
        r = self.r
        key = r.choice(["CT_TAP", "CT_TAP", "PT_FDG", "MR_LIVER", "MR_BREAST", "PT_PSMA"])
        for i in range(n):
            if t > END:
                break
            stay = None
            if r.random() < 0.45:
                stay = self.add_stay(pat, t - timedelta(minutes=r.randint(15, 60)), t + timedelta(hours=r.randint(2, 6)),
                                     r.choice(self.UNITS[self.name]), "HDJ")
            e = self.new_exam(pat, key, t, stay, "fu")
            if key == "PT_FDG" and r.random() < self.p["p_combined"] * 0.4:
                self.new_exam(pat, "CT_THORAX_INJ", t + timedelta(minutes=r.randint(15, 25)), stay, "fu", req=e)
            if key == "CT_TAP" and r.random() < self.p["p_repeat"] * 3:  # biopsy + control CT same day
                t2 = t + timedelta(hours=r.randint(1, 3))
                if stay:
                    t2 = min(t2, stay["end"] - timedelta(minutes=10))
                self.new_exam(pat, "CT_THORAX", t2, stay, "fu")
            t = self.work_time(t + timedelta(days=r.randint(80, 100)), 8, 18)

    # ---------- header identity: faults and noise ----------
    def mistype(self, v):
        r = self.r
        for _ in range(50):
            s = list(v)
            k = r.random()
            if k < 0.5:
                i = r.randrange(len(s)); s[i] = r.choice([c for c in "0123456789" if c != s[i]]) if s[i].isdigit() else s[i]
            elif k < 0.85:
                i = r.randrange(len(s) - 1); s[i], s[i + 1] = s[i + 1], s[i]
            else:
                s = s[:-1] if r.random() < 0.5 else s + [r.choice("0123456789")]
            w = "".join(s)
            if w != v and w not in self.used_ids and w.lstrip("0") != v.lstrip("0"):
                return w
        return v[:-1] + ("0" if v[-1] != "0" else "1")

    def write_ipp(self, pat, t):
        v = pat["patient_id"]
        if self.name == "gie_chu":
            return ("CHV" + v) if t >= self.p["pacs_prefix_from"] else v.lstrip("0")
        return v

    def header(self, e):
        r, p, pat = self.r, self.p, e["pat"]
        fault = "none"
        if pat.get("ghost"):
            e["hdr_ipp"], fault = pat["site_ipp"], "foreign_patient"
        elif e["ctx"] == "site":
            e["hdr_ipp"], fault = pat["site_ipp"] or (e["site"] + "%07d" % r.randint(1000000, 9999999)), "site_ipp"
        elif e["ctx"] == "outside":
            e["hdr_ipp"] = None if r.random() < 0.4 else "EXT%06d" % r.randint(0, 999999)
            fault = "missing_ipp" if e["hdr_ipp"] is None else "outside_ipp"
        elif e["ctx"] == "partner":
            e["hdr_ipp"], fault = "PV%06d" % r.randint(0, 999999), "outside_ipp"
        elif e.get("tmp"):
            e["hdr_ipp"], fault = e["tmp"], "temporary_ipp"
        elif pat["old_ipp"] and e["t"] < pat["fusion_date"]:
            e["hdr_ipp"], fault = pat["old_ipp"], "merged_ipp"
        else:
            x = r.random()
            if x < p["p_missing"]:
                e["hdr_ipp"], fault = None, "missing_ipp"
            elif x < p["p_missing"] + p["p_mistyped"]:
                e["hdr_ipp"], fault = self.mistype(pat["patient_id"]), "mistyped_ipp"
                if self.name == "gie_chu" and e["t"] >= p["pacs_prefix_from"]:
                    e["hdr_ipp"] = "CHV" + e["hdr_ipp"]
            elif x < p["p_missing"] + p["p_mistyped"] + p["p_other"]:
                same = [q for q in self.by_surname.get(pat["family_name"], []) if q is not pat]
                other = r.choice(same) if same and r.random() < 0.4 else r.choice(self.patients)
                if other is pat:
                    other = self.patients[(self.patients.index(pat) + 1) % len(self.patients)]
                e["hdr_ipp"], fault = self.write_ipp(other, e["t"]), "other_patient_ipp"
            else:
                e["hdr_ipp"] = self.write_ipp(pat, e["t"])
        e["fault"] = fault
        # identity as typed at the console
        fam = pat["family_name"]; giv = pat["given_name"]; bd = pat["birth_date"]; sex = pat["sex"]
        noise = []
        pn_noise = p["p_noise"] * (1.6 if fault != "none" else 1.0)
        if e.get("anon"):
            e["pn"] = "INCONNU^%s" % ("HOMME" if sex == "M" else "FEMME"); e["bd"] = date(bd.year if r.random() < 0.3 else 1900, 1, 1)
            e["sex"] = sex; e["noise"] = "anonymous_identity"; return
        if r.random() < pn_noise:
            kinds = r.sample(["accents_lost", "typo", "swapped", "usage_name", "compound", "birth_day_month_swap",
                              "birth_date_typo", "sex_missing", "case"], r.choice([1, 1, 1, 2]))
            for k in kinds:
                if k == "usage_name" and pat["usage_name"]:
                    fam = pat["usage_name"] if r.random() < 0.6 else fam + "-" + pat["usage_name"]
                elif k == "accents_lost" and strip(fam + giv) != fam + giv:
                    fam, giv = strip(fam), strip(giv)
                elif k == "typo" and len(fam) > 4:
                    i = r.randrange(1, len(fam) - 1)
                    fam = fam[:i] + r.choice("AEIOURNSTL") + fam[i + 1:] if r.random() < 0.5 else fam[:i] + fam[i + 1:]
                elif k == "swapped":
                    fam, giv = giv, fam
                elif k == "compound" and (" " in fam or "-" in fam or "'" in fam):
                    fam = r.choice([fam.replace(" ", "").replace("-", "").replace("'", ""), fam.replace(" ", "-"),
                                    fam.split(" ")[-1].split("-")[0]])
                elif k == "birth_day_month_swap" and bd.day <= 12 and bd.day != bd.month:
                    bd = date(bd.year, bd.day, bd.month)
                elif k == "birth_date_typo":
                    y = bd.year + r.choice([-10, -1, 1, 10]); bd = date(y, bd.month, bd.day)
                elif k == "sex_missing":
                    sex = None
                elif k == "case":
                    fam, giv = fam.title(), giv.title()
                else:
                    continue
                noise.append(k)
        # habits that are not noise: consoles of the GIE strip accents; CLCC writes trailing carets
        if self.name == "gie_chu":
            fam, giv = strip(fam), strip(giv)
        pn = "%s^%s" % (fam, giv)
        if self.name == "clcc_onco":
            pn += "^^^"
        if self.name == "clinique_liberale" and r.random() < 0.5:
            pn = pn.replace("^", " ")  # the clinic modality worklist writes "FAMILY GIVEN"
        # foreign-born patient with a known birth date in the registry, typed 01/01 at an emergency/walk-in console
        if (pat["family_name"] in V.FOREIGN_SURNAMES and not pat["jan1"] and self.name != "clcc_onco"
                and e["ctx"] in ("er", "out") and r.random() < (0.4 if e["ctx"] == "er" else 0.15) and bd.day + bd.month > 2):
            bd = date(bd.year, 1, 1); noise.append("birth_jan1")
        e["pn"], e["bd"], e["sex"], e["noise"] = pn, bd, sex, ";".join(noise)

    # ---------- reports ----------
    def delay(self, e):
        r, klass = self.r, V.EXAMS[e["key"]][4]
        t = e["t"]
        if e["ctx"] == "er":
            rt = t + timedelta(minutes=r.randint(20, 150))
            return rt
        if e["key"] == "MG_SCREEN" or e["ctx"] == "out" and self.name == "clinique_liberale":
            return t + timedelta(minutes=r.randint(15, 90))
        if klass == "fast":
            rt = t + timedelta(hours=r.expovariate(1 / (4 if self.name != "clcc_onco" else 20)))
        elif klass == "slow":
            rt = t + timedelta(hours=r.expovariate(1 / (30 if self.name == "gie_chu" else 60)))
        else:
            rt = t + timedelta(hours=r.uniform(20, 80))
        if e["ctx"] == "outside":
            rt = e["import_t"] + timedelta(days=r.uniform(0, 6))
        return self.next_work_slot(rt)

    def make_text(self, e, others=(), req_no=None, version=None, prelim=False, second_read=False, prev=None, outside_t=None):
        r, p = self.r, self.p
        mod, region = e["mod"] if e else V.EXAMS[others[0]][0], None
        key = e["key"] if e else others[0]
        mod, desc, bp, region, _ = V.EXAMS[key]
        others = list(others) if e else list(others[1:])
        ind, tech, res, conc = r.choice(V.HEADER_STYLES)
        lines = []
        t = e["t"] if e else outside_t
        if req_no:
            lines.append("N° de demande : %s" % req_no)
        elif e and e["acc"] and r.random() < 0.3:
            lines.append("N° examen : %s" % e["acc"])
        if r.random() < p["p_date_in_text"]:
            lines.append(r.choice(["Examen réalisé le %s." % t.strftime("%d/%m/%Y"),
                                   "%s du %s" % (V.MOD_WORD[mod].upper(), t.strftime("%d/%m/%Y")),
                                   "Date de l'examen : %s" % t.strftime("%d/%m/%Y à %Hh%M")]))
        if e and e["ctx"] == "outside":
            lines.append("Avis sur examen extérieur (%s) réalisé le %s, CD importé." % (e["inst"], t.strftime("%d/%m/%Y")))
        elif outside_t:
            lines.append(r.choice(["Relecture d'un examen réalisé le %s au %s (CD du patient, non archivé)." ,
                                   "Second avis : examen du %s, %s, images consultées sur CD."]) % (t.strftime("%d/%m/%Y"), r.choice(V.OUTSIDE_CENTRES)))
        if e and e["ctx"] == "partner":
            lines.append("Examen réalisé sur la caméra TEP du CH de la Vallée (convention), interprété au centre.")
        if prelim:
            lines.append("COMPTE RENDU PRÉLIMINAIRE - interne de garde, à valider par un sénior.")
        if second_read:
            lines.append("DEUXIÈME LECTURE - Dépistage organisé du cancer du sein.")
        topic = V.TOPIC[key]
        lines += ["", ind, r.choice(V.T_IND[topic]), "", tech]
        what = V.MOD_WORD[mod] + " " + region
        if others:
            what = " + ".join([V.MOD_WORD[mod] + " " + region] + [V.EXAMS[k][3] for k in others])
        if mod == "MG":
            lines.append("Mammographie bilatérale, incidences de face et oblique.")
        elif r.random() < 0.7:
            lines.append("%s%s." % (what[0].upper() + what[1:], r.choice([" sans injection", " après injection de produit de contraste", "", " en coupes fines"]) if mod in ("CT", "MR") else ""))
        else:
            lines.append("Protocole standard.")
        if mod in ("PT\\CT", "NM"):
            lines.append("Activité injectée : %d MBq." % r.randint(180, 700))
        lines += ["", res]
        if prev is not None:
            lines.append(r.choice(V.COMPARISONS).format(d=prev.strftime("%d/%m/%Y")))
        abnormal = r.random() < 0.45
        s, v = r.randint(4, 45), "%d,%d" % (r.randint(2, 18), r.randint(0, 9))
        lines.append((r.choice(V.T_ABN[topic]) if abnormal else r.choice(V.T_NORMAL[topic])).format(s=s, v=v))
        for k in others:
            m2 = V.EXAMS[k][0]
            if V.EXAMS[k][3] == region:
                lines.append("Complément %s : %s" % (V.MOD_WORD[m2].lower(), r.choice(V.T_NORMAL[V.TOPIC[k]])))
            else:
                lines.append("Étage %s : %s" % (V.EXAMS[k][3], r.choice(V.T_NORMAL[V.TOPIC[k]])))
        lines += ["", conc]
        if prev is not None and abnormal:
            lines.append(r.choice(V.CONCL_STABLE))
        elif abnormal:
            lines.append(lines[-3 - len(others)].split(",")[0].rstrip(".") + ".")
        else:
            lines.append(r.choice(V.CONCL_NORMAL))
        if version:
            lines.insert(0, version)
        sig = "Interne : Dr %s (non validé)" % r.choice(V.RADIOLOGISTS) if prelim else r.choice(V.SIGNATURES).format(r=r.choice(V.RADIOLOGISTS))
        lines += ["", sig]
        txt = "\n".join(lines)
        if p["markup"] and r.random() < p["p_markup"]:
            if p["markup"] == "html":
                txt = txt.replace("&", "&amp;").replace("\n", "<br>").replace("é", "&eacute;")
                txt = "<p>" + txt + "</p>"
            else:
                txt = "{\\rtf1\\ansi " + txt.replace("\n", "\\par ") + "}"
        return txt

    def title(self, e, key=None):
        r = self.r
        if r.random() < self.p["p_descr_title"]:
            d = V.EXAMS[key or e["key"]][1]
            return r.choice([d, d.title(), "CR " + d, V.MOD_WORD[V.EXAMS[key or e["key"]][0]] + " - " + V.EXAMS[key or e["key"]][3]])
        return r.choice(V.GENERIC_TITLES)

    def add_report(self, e, rt, text, title, pat, stay_truth, exam_truth, acc=None):
        p, r = self.p, self.r
        n = self.nxt("rep", 5000000)
        rid = {"gie_chu": "CR%08d" % n, "clinique_liberale": str(n)}.get(self.name) or "%s-R%d" % (acc or "X", n)
        shown = rt - timedelta(hours=self.utc_offset(rt)) if p["utc_reports"] else rt
        ipp = None
        if pat is not None and r.random() < p["p_rep_ipp"]:
            ipp = pat["site_ipp"] if pat.get("ghost") or (e and e["ctx"] == "site" and r.random() < 0.7) else pat["patient_id"]
        st = stay_truth["id"] if stay_truth and r.random() < p["p_rep_stay"] else None
        self.reports.append(dict(report_id=rid, patient_id=ipp, stay_id=st, report_datetime=shown.replace(second=0, microsecond=0),
                                 title=title, text=text, accession_number=acc if acc and r.random() < p["p_rep_acc"] else None))
        self.links.append(("report", rid, "exam", exam_truth))
        self.links.append(("report", rid, "stay", stay_truth["id"] if stay_truth else None))

    def make_reports(self):
        r, p = self.r, self.p
        done = set()
        by_pat_key = {}
        for e in sorted(self.exams, key=lambda x: x["t"]):
            if id(e) in done:
                continue
            kids = [x for x in self.exams_by_req.get(id(e), [])]
            if e["req"] is not None and id(e["req"]) not in done and False:
                continue
            pk = (id(e["pat"]), e["key"])
            prev = by_pat_key.get(pk)
            by_pat_key[pk] = e["t"]
            if e["req"] is not None:
                if id(e) in done:
                    continue
            if r.random() > p["p_report"] or e["key"] == "DX_CHEST_BED" and r.random() < 0.3:
                continue
            combined = kids and r.random() < p["p_combined"]
            others = [k["key"] for k in kids] if combined else []
            for k in (kids if combined else []):
                done.add(id(k))
            rt = self.delay(e)
            req_no = "DM%06d" % self.nxt("req", 100000) if r.random() < p["p_req_in_text"] else None
            st = e["stay"] if not e["outside"] else None
            pat = e["pat"]
            exam_prev = prev if (self.name == "clcc_onco" or r.random() < 0.5) else None
            if e["ctx"] == "er" and p["p_prelim_night"] and (rt.hour >= 19 or rt.hour < 8 or not self.workday(rt)) and r.random() < p["p_prelim_night"]:
                self.add_report(e, rt, self.make_text(e, others, req_no, prelim=True), "CR PROVISOIRE", pat, st, e["exam_id"], e["acc"])
                rt = self.next_work_slot(rt + timedelta(hours=1)) + timedelta(minutes=r.randint(0, 90))
            if p.get("p_resident_prelim") and r.random() < p["p_resident_prelim"]:
                self.add_report(e, rt, self.make_text(e, others, req_no, prelim=True, prev=exam_prev), self.title(e), pat, st, e["exam_id"], e["acc"])
                rt = self.next_work_slot(rt + timedelta(hours=r.uniform(2, 40)))
            txt = self.make_text(e, others, req_no, prev=exam_prev)
            self.add_report(e, rt, txt, self.title(e), pat, st, e["exam_id"], e["acc"])
            if e["key"] == "MG_SCREEN":
                rt2 = self.next_work_slot(rt + timedelta(days=r.randint(7, 25)))
                self.add_report(e, rt2, self.make_text(e, (), req_no, second_read=True), "DEPISTAGE - 2EME LECTURE", pat, st, e["exam_id"], e["acc"])
            if r.random() < p["p_corrected"]:
                rt2 = self.next_work_slot(rt + timedelta(hours=r.uniform(1, 72)))
                self.add_report(e, rt2, self.make_text(e, others, req_no, version="COMPTE RENDU MODIFIÉ - annule et remplace la version précédente", prev=exam_prev),
                                self.title(e) + " (V2)" if self.name == "clcc_onco" else self.title(e), pat, st, e["exam_id"], e["acc"])
            if r.random() < p["p_addendum"]:
                rt2 = self.next_work_slot(rt + timedelta(days=r.uniform(1, 10)))
                self.add_report(e, rt2, "ADDENDUM\nAprès relecture en RCP, " + r.choice(["la lésion décrite mesure %d mm." % r.randint(5, 40),
                                "pas de modification de la conclusion.", "le nodule hépatique est en faveur d'un angiome."]),
                                "ADDENDUM", pat, st, e["exam_id"], e["acc"])
        for pat, key, t, rt in self.orphan_reports:
            txt = self.make_text(None, (key,), "DM%06d" % self.nxt("req", 100000), outside_t=t)
            self.add_report(None, self.next_work_slot(rt + timedelta(hours=r.uniform(0, 48))), txt, self.title(None, key), pat, None, None)

    # ---------- main ----------
    def run(self):
        self.orphan_reports = []
        self.make_patients()
        self.by_surname = {}
        for q in self.patients:
            self.by_surname.setdefault(q["family_name"], []).append(q)
        for pat in list(self.patients):
            self.episodes(pat)
        if self.p["foreign_patients"]:
            names, weights = zip(*V.SURNAMES)
            for _ in range(int(self.n * self.p["foreign_patients"])):
                sx = self.r.choice("MF")
                g = dict(patient_id=None, family_name=self.r.choices(names, weights)[0],
                         given_name=self.r.choice(V.MALE_GIVEN if sx == "M" else V.FEMALE_GIVEN),
                         birth_date=date(self.r.randint(1930, 2005), self.r.randint(1, 12), self.r.randint(1, 28)), sex=sx,
                         usage_name=None, jan1=False, old_ipp=None, fusion_date=None, ghost=True)
                site = self.r.choice("BS")
                g["site_ipp"] = site + "%07d" % self.r.randint(1000000, 9999999)
                for _ in range(self.r.randint(1, 3)):
                    self.new_exam(g, self.pick(["CT_THORAX", "MR_BRAIN", "US_ABD", "CR_CHEST", "CT_AP"]), self.work_time(self.rand_day()),
                                  None, "ghost", site=site, inst={"B": "CH BRUYERES", "S": "HOPITAL ST-MARTIN"}[site])
        self.drop_overlaps()
        for s in sorted(self.stays, key=lambda x: (x["start"], x["patient_id"], x["end"])):
            s["id"] = s["stay_id"] = self.stay_id(s["start"])
        for e in sorted(self.exams, key=lambda x: (x.get("import_t") or x["t"], x["exam_id"])):
            if e["acc"]:
                e["acc"] = self.accession(e.get("import_t") or e["t"], e["mod"], e["site"])
        self.exams_by_req = {}
        for e in self.exams:
            if e["req"] is not None:
                self.exams_by_req.setdefault(id(e["req"]), []).append(e)
        for e in self.exams:
            self.header(e)
        self.make_reports()

    def tables(self):
        p, r = self.p, self.r
        inst_default = {"gie_chu": "GIE IMAGERIE VALMONT - CH VALMONT", "clinique_liberale": "IMAGERIE CLINIQUE DU LAC",
                        "clcc_onco": "INSTITUT DE CANCEROLOGIE DES HAUTS"}[self.name]
        pats = [{k: q[k] for k in ("patient_id", "family_name", "given_name", "birth_date", "sex", "usage_name")} for q in self.patients]
        ex = []
        for e in sorted(self.exams, key=lambda x: (x["t"], x["exam_id"])):
            s = e["stay"]
            unit = "IMAGERIE" if self.name != "clcc_onco" else ("MEDECINE NUCLEAIRE" if e["mod"] in ("PT\\CT", "NM") else "RADIOLOGIE")
            if s and r.random() < p["p_exam_req_unit"]:
                unit = s["unit"]
            if e["outside"]:
                unit = None
            show_stay = s["id"] if s and r.random() < p["p_exam_stay"] and s["start"] <= e["t"] else None
            ex.append(dict(exam_id=e["exam_id"], accession_number=e["acc"], patient_id=e["hdr_ipp"], patient_name=e["pn"],
                           birth_date=e["bd"], sex=e["sex"], study_datetime=e["t"], modality=e["mod"],
                           study_description=e["desc"] if not e["outside"] else e["desc"].title(),
                           body_part=e["bp"] if r.random() < 0.9 else None, institution=e["inst"] or inst_default,
                           unit=unit, stay_id=show_stay))
            self.links.append(("exam", e["exam_id"], "patient", e["pat"]["patient_id"]))
            self.links.append(("exam", e["exam_id"], "stay", s["id"] if s and not e["outside"] else None))
            self.faults.append(dict(exam_id=e["exam_id"], fault=e["fault"], identity_noise=e["noise"]))
        reps = sorted(self.reports, key=lambda x: (x["report_datetime"], x["report_id"]))
        stays = sorted(self.stays, key=lambda x: (x["start_datetime"], x["stay_id"]))
        stays = [{k: s[k] for k, _ in SCHEMAS["stays"]} for s in stays]
        links = [dict(zip(("source_type", "source_id", "target_type", "target_id"), l)) for l in self.links]
        return pats, stays, ex, reps, links, self.faults


def strip(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


S, D, T = pa.string(), pa.date32(), pa.timestamp("us")
SCHEMAS = {
    "patients": [("patient_id", S), ("family_name", S), ("given_name", S), ("birth_date", D), ("sex", S), ("usage_name", S)],
    "stays": [("stay_id", S), ("patient_id", S), ("start_datetime", T), ("end_datetime", T), ("unit", S), ("stay_type", S), ("diagnoses", S)],
    "exams": [("exam_id", S), ("accession_number", S), ("patient_id", S), ("patient_name", S), ("birth_date", D), ("sex", S),
              ("study_datetime", T), ("modality", S), ("study_description", S), ("body_part", S), ("institution", S), ("unit", S), ("stay_id", S)],
    "reports": [("report_id", S), ("patient_id", S), ("stay_id", S), ("report_datetime", T), ("title", S), ("text", S), ("accession_number", S)],
    "links": [("source_type", S), ("source_id", S), ("target_type", S), ("target_id", S)],
    "exam_faults": [("exam_id", S), ("fault", S), ("identity_noise", S)],
}


def write(rows, name, path):
    sch = pa.schema(SCHEMAS[name])
    tab = pa.Table.from_pylist([{k: row.get(k) for k, _ in SCHEMAS[name]} for row in rows], schema=sch)
    pq.write_table(tab, path, compression="snappy")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", required=True, choices=sorted(PROFILES))
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    g = Gen(a.profile, a.patients, a.seed)
    g.run()
    pats, stays, ex, reps, links, faults = g.tables()
    os.makedirs(os.path.join(a.out, "truth"), exist_ok=True)
    write(pats, "patients", os.path.join(a.out, "patients.parquet"))
    write(stays, "stays", os.path.join(a.out, "stays.parquet"))
    write(ex, "exams", os.path.join(a.out, "exams.parquet"))
    write(reps, "reports", os.path.join(a.out, "reports.parquet"))
    write(links, "links", os.path.join(a.out, "truth", "links.parquet"))
    write(faults, "exam_faults", os.path.join(a.out, "truth", "exam_faults.parquet"))
    print(a.profile, "patients", len(pats), "stays", len(stays), "exams", len(ex), "reports", len(reps))


if __name__ == "__main__":
    main()
