"""warehouse7: blind synthetic French imaging warehouses (three profiles).

python generate.py --profile chu_migration_telerad --patients 1500 --seed 71 -o sets/chu_migration_telerad

Standard library + pyarrow. Deterministic: same profile/patients/seed -> byte-identical files.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import os
import random

import pyarrow as pa
import pyarrow.parquet as pq
import vocab as V

D = dt.datetime
TD = dt.timedelta

# ----------------------------------------------------------------------------------------
# Profiles: each is a different kind of French warehouse.
PROFILES = {
    # University hospital, two PACS (migration on 2022-03-14), ED with night teleradiology.
    "chu_migration_telerad": dict(
        site="chu", start=D(2019, 1, 7), end=D(2024, 6, 28), migration=D(2022, 3, 14),
        episodes=(1, 4.2),  # min, mean
        mix={"ed": 0.34, "hosp": 0.20, "outpatient": 0.26, "nested": 0.05, "series": 0.07,
             "outside": 0.03, "consult_exam": 0.05},
        p_admit=0.35, p_temp_visit=0.09, p_anonymous_temp=0.35,
        p_missing=0.03, p_mistyped=0.05, p_other=0.025,
        exam_stay_rate=0.12, report_stay_rate=0.55, report_requesting_stay=0.25,
        report_ipp_rate=0.96, report_acc_rate=0.72, p_html=0.08, p_report=0.90,
        p_ed_rx_unreported=0.30, p_addendum=0.03, p_corrected=0.02, p_telerad_reread=0.18,
    ),
    # General hospital of a GHT: shared mobile MRI, organised breast screening, PDF reports,
    # reports filed under the prescribing venue, dictation backlog after public holidays.
    "ch_gcs_pdf": dict(
        site="gcs", start=D(2020, 1, 6), end=D(2024, 12, 20), migration=None,
        episodes=(1, 3.6),
        mix={"ed": 0.22, "hosp": 0.16, "consult": 0.22, "screening": 0.16, "mobile_mri": 0.12,
             "ordered_next": 0.08, "series": 0.04},
        p_admit=0.30, p_temp_visit=0.06, p_anonymous_temp=0.0,
        p_missing=0.02, p_mistyped=0.035, p_other=0.03,
        exam_stay_rate=0.0, report_stay_rate=0.82, report_requesting_stay=1.0,
        report_ipp_rate=0.99, report_acc_rate=0.22, p_html=0.0, p_report=0.94,
        p_ed_rx_unreported=0.15, p_addendum=0.02, p_corrected=0.015, p_telerad_reread=0.0,
    ),
    # Comprehensive cancer centre: day-care venues, PET-CT console in UTC, follow-up series,
    # second opinions on outside exams, double reading, pseudonymised text.
    "clcc_oncology": dict(
        site="clcc", start=D(2018, 9, 3), end=D(2024, 3, 29), migration=None,
        episodes=(1, 2.4),
        mix={"series": 0.46, "daycare": 0.16, "hosp": 0.10, "consult": 0.12, "outside": 0.07,
             "ed": 0.04, "screening": 0.05},
        p_admit=0.5, p_temp_visit=0.02, p_anonymous_temp=0.0,
        p_missing=0.04, p_mistyped=0.02, p_other=0.015,
        exam_stay_rate=0.62, report_stay_rate=0.90, report_requesting_stay=0.0,
        report_ipp_rate=0.985, report_acc_rate=0.85, p_html=0.0, p_report=0.95,
        p_ed_rx_unreported=0.0, p_addendum=0.05, p_corrected=0.03, p_telerad_reread=0.0,
    ),
}


def easter(y):
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = ((h + l - 7 * m + 114) % 31) + 1
    return dt.date(y, month, day)


HOLIDAYS = set()
for _y in range(2017, 2027):
    _e = easter(_y)
    HOLIDAYS |= {dt.date(_y, 1, 1), _e + TD(1), dt.date(_y, 5, 1), dt.date(_y, 5, 8), _e + TD(39),
                 _e + TD(50), dt.date(_y, 7, 14), dt.date(_y, 8, 15), dt.date(_y, 11, 1),
                 dt.date(_y, 11, 11), dt.date(_y, 12, 25)}


def working(d):
    return d.weekday() < 5 and d not in HOLIDAYS


def next_working_time(t, rng, lo=8.5, hi=18.5):
    """First working-hours instant at or after t (jittered)."""
    d = t.date()
    h = t.hour + t.minute / 60
    if working(d) and lo <= h < hi:
        return t
    if working(d) and h < lo:
        return D(d.year, d.month, d.day) + TD(hours=lo + rng.random() * 1.5)
    d = d + TD(1)
    while not working(d):
        d += TD(1)
    return D(d.year, d.month, d.day) + TD(hours=lo + rng.random() * 2)


def add_working_days(t, n, rng, lo=8.5, hi=18.5):
    d = t.date()
    while n > 0:
        d += TD(1)
        if working(d):
            n -= 1
    return D(d.year, d.month, d.day) + TD(hours=lo + rng.random() * (hi - lo))


def after_holiday(d):
    """Working days elapsed since the last public holiday (None if > 4)."""
    for k in range(1, 4):
        if (d - TD(k)) in HOLIDAYS:
            return k
    return None


def strip_accents(s):
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def fr_date(d):
    return d.strftime("%d/%m/%Y")


# ----------------------------------------------------------------------------------------
class Gen:
    def __init__(self, profile, n_patients, seed):
        self.pname = profile
        self.P = PROFILES[profile]
        salt = int(hashlib.sha256(profile.encode()).hexdigest()[:8], 16)
        self.rng = random.Random(seed * 1_000_003 + salt)
        self.n = n_patients
        self.site = self.P["site"]
        self.patients, self.stays, self.exams, self.reports = [], [], [], []
        self.stay_seq = 0
        self.stay_ids = set()

    # -- identities -----------------------------------------------------------------------
    def ipp(self, k):
        r = self.rng
        if self.site == "chu":  # 9 digits, zero-padded sequence from the old GAM
            return f"{r.randint(100000, 9999999):09d}"
        if self.site == "gcs":  # 8 digits starting with the site digit 3
            return "3" + f"{r.randint(0, 9999999):07d}"
        return f"{r.choice([18, 19, 20, 21, 22, 23])}{r.randint(0, 99999):05d}"  # CLCC: year + seq

    def given(self, sex, year):
        r = self.rng
        if sex == "M":
            pool = V.GIVEN_M_OLD if year < 1955 else V.GIVEN_M_MID if year < 1985 else V.GIVEN_M_YOUNG
        else:
            pool = V.GIVEN_F_OLD if year < 1955 else V.GIVEN_F_MID if year < 1985 else V.GIVEN_F_YOUNG
        return r.choice(pool)

    def surname(self):
        names, w = zip(*V.SURNAMES)
        w = [x ** 0.6 for x in w]
        s = self.rng.choices(names, w)[0]
        if self.rng.random() < 0.04:  # compound birth name
            s = s + "-" + self.rng.choices(names, w)[0]
        return s

    def make_patients(self):
        r = self.rng
        used = set()
        age_mode = {"chu": (55, 22), "gcs": (58, 20), "clcc": (61, 12)}[self.site]
        female_share = {"chu": 0.5, "gcs": 0.56, "clcc": 0.62}[self.site]
        pats = []
        while len(pats) < self.n:
            sex = "F" if r.random() < female_share else "M"
            age = min(99, max(1, int(r.gauss(*age_mode))))
            by = 2022 - age
            bd = dt.date(by, 1, 1) + TD(r.randint(0, 364))
            fam = self.surname()
            p = dict(family=fam, given=self.given(sex, by), birth=bd, sex=sex, usage=None)
            if sex == "F" and age > 25 and r.random() < 0.42:
                u = self.surname()
                p["usage"] = u if r.random() < 0.8 else f"{u}-{fam}"  # nom d'usage, sometimes double
            pats.append(p)
            x = r.random()
            if x < 0.012 and len(pats) < self.n:  # twins: same birth name, birth date, other given name
                sex2 = r.choice("MF")
                g = self.given(sex2, by)
                if g != p["given"]:
                    pats.append(dict(family=fam, given=g, birth=bd, sex=sex2, usage=None))
            elif x < 0.03 and len(pats) < self.n:  # homonym: same names, other birth date
                pats.append(dict(family=fam, given=p["given"], birth=bd + TD(r.randint(400, 9000)),
                                 sex=sex, usage=None))
        for i, p in enumerate(pats):
            while True:
                ip = self.ipp(i)
                if ip not in used:
                    break
            used.add(ip)
            p["id"] = ip
        self.patients = pats
        self.ipps = used

    # -- stays ----------------------------------------------------------------------------
    def new_stay(self, pat, start, end, stype, unit):
        self.stay_seq += 1
        r = self.rng
        while True:
            if self.site == "chu":
                sid = f"{(start.year % 100):02d}{r.randint(0, 9999999):07d}"
            elif self.site == "gcs":
                sid = f"5{r.randint(0, 99999999):08d}"
            else:
                sid = f"V{r.randint(0, 9999999):07d}"
            if sid not in self.stay_ids:
                break
        self.stay_ids.add(sid)
        diag = None
        if stype in ("hospitalisation", "emergency") and unit in V.DIAG and r.random() < 0.85:
            diag = ";".join(r.sample(V.DIAG[unit], k=min(len(V.DIAG[unit]), r.randint(1, 2))))
        s = dict(stay_id=sid, patient=pat, start=start, end=end, stype=stype, unit=unit, diag=diag)
        self.stays.append(s)
        return s

    def rand_day(self):
        r = self.rng
        span = (self.P["end"] - self.P["start"]).days
        return self.P["start"] + TD(days=r.randint(0, span))

    def workday_time(self, day, lo=8.0, hi=18.0):
        d = day
        while not working(d.date()):
            d += TD(1)
        return D(d.year, d.month, d.day) + TD(minutes=int((lo + self.rng.random() * (hi - lo)) * 60))

    def exam(self, pat, key, t, stay, requesting=None, ctx="", ed=False, **kw):
        e = dict(patient=pat, key=key, t=t, stay=stay, requesting=requesting or stay, ctx=ctx, ed=ed)
        e.update(kw)
        self.exams.append(e)
        return e

    # -- episodes -------------------------------------------------------------------------
    def episode(self, pat, kind):
        r, P, U = self.rng, self.P, V.UNITS[self.site]
        day = self.rand_day()
        if kind == "ed":
            start = D(day.year, day.month, day.day) + TD(minutes=r.randint(0, 1439))
            if self.site == "clcc":  # the unscheduled-care unit is open 8:30-18:30 on working days
                start = self.workday_time(day, 8.5, 17.0)
            end = start + TD(minutes=r.randint(120, 720))
            st = self.new_stay(pat, start, end, "emergency", r.choice(U["emergency"]))
            temp = r.random() < P["p_temp_visit"]
            anon = temp and r.random() < P["p_anonymous_temp"]
            visit = dict(temp=temp, anon=anon, tid=None)
            ed_keys = (["rx_thorax", "tdm_cerebral", "rx_bassin", "rx_cheville", "tdm_abdo", "echo_abdo",
                        "tdm_thorax", "tdm_rachis", "rx_abdo", "echo_doppler"] if self.site != "clcc"
                       else ["rx_thorax", "tdm_thorax", "echo_abdo"])
            n = r.choice([1, 1, 1, 2, 2, 3])
            keys = r.sample(ed_keys, n)
            if self.site == "chu" and r.random() < 0.2 and "tdm_cerebral" not in keys:
                keys.append("irm_cerebrale")  # stroke pathway
            t = start + TD(minutes=r.randint(20, 90))
            for k in keys:
                if t > end - TD(minutes=10):
                    t = end - TD(minutes=r.randint(5, 30))
                self.exam(pat, k, t, st, ed=True, visit=visit, ctx="ed")
                t += TD(minutes=r.randint(15, 120))
            if r.random() < P["p_admit"]:
                hs = end
                he = hs + TD(days=r.randint(1, 12), hours=r.randint(0, 8))
                unit = r.choice(U["hospitalisation"])
                hst = self.new_stay(pat, hs, he, "hospitalisation", unit)
                if self.site == "gcs":  # the ED passage is merged into the admission venue in the DPI
                    for e in self.exams:
                        if e["patient"] is pat and e["stay"] is st:
                            e["requesting"] = hst
                self.hosp_exams(pat, hst, visit if r.random() < 0.5 else None)
        elif kind in ("hosp", "nested"):
            hs = D(day.year, day.month, day.day) + TD(hours=r.randint(8, 17), minutes=r.randint(0, 59))
            he = hs + TD(days=r.randint(1, 15), hours=r.randint(0, 6))
            unit = r.choice(U["hospitalisation"])
            hst = self.new_stay(pat, hs, he, "hospitalisation", unit)
            if self.site == "chu" and r.random() < 0.3:  # exam done the morning of admission, before the venue opens
                t = hs - TD(minutes=r.randint(30, 400))
                self.exam(pat, r.choice(["tdm_tap", "rx_thorax", "echo_abdo"]), t, hst, ctx="pre_admission")
            self.hosp_exams(pat, hst, None)
            if kind == "nested":  # a consultation opened inside the hospitalisation
                cs_t = hs + TD(hours=r.randint(20, max(21, int((he - hs).total_seconds() // 3600) - 4)))
                cs_t = cs_t.replace(minute=0) + TD(hours=0)
                cs = self.new_stay(pat, cs_t, cs_t + TD(minutes=r.randint(45, 120)), "consultation",
                                   r.choice(U["consultation"]))
                self.exam(pat, r.choice(["echo_doppler", "echo_thyroide", "irm_rachis"]), cs_t + TD(minutes=15),
                          cs, ctx="nested")
        elif kind == "outpatient":  # "externe" without any venue (activité libérale, old habits)
            t = self.workday_time(day)
            self.exam(pat, r.choice(["irm_genou", "irm_rachis", "echo_abdo", "rx_thorax", "tdm_rachis",
                                     "echo_thyroide", "irm_cerebrale", "mammo_diag"]), t, None, ctx="outpatient")
        elif kind in ("consult", "consult_exam"):
            t = self.workday_time(day)
            cs = self.new_stay(pat, t - TD(minutes=r.randint(10, 40)), t + TD(minutes=r.randint(30, 90)),
                               "consultation", r.choice(U["consultation"]))
            keys = {"chu": ["irm_cerebrale", "echo_abdo", "tdm_thorax", "irm_foie"],
                    "gcs": ["echo_abdo", "rx_thorax", "echo_thyroide", "mammo_diag", "tdm_abdo", "rx_bassin"],
                    "clcc": ["mammo_diag", "echo_thyroide", "tdm_tap", "irm_pelvis", "echo_abdo"]}[self.site]
            self.exam(pat, r.choice(keys), t, cs, ctx="consult")
        elif kind == "daycare":
            d0 = self.workday_time(day, 8, 8.1)
            st = self.new_stay(pat, d0, d0 + TD(hours=r.randint(6, 9)), "day_care", r.choice(U["day_care"]))
            k = r.choice(["tep_fdg", "scinti_os", "tdm_tap", "irm_foie"])
            self.exam(pat, k, d0 + TD(minutes=r.randint(20, 240)), st, ctx="daycare")
        elif kind == "screening":
            if pat["sex"] != "F":
                return self.episode(pat, "outpatient" if self.site == "chu" else "consult")
            t0 = self.workday_time(day, 8, 17.5)
            rounds = r.randint(1, 3)
            for i in range(rounds):  # organised screening every two years
                t = t0 + TD(days=730 * i + r.randint(-30, 30))
                if t > self.P["end"]:
                    break
                t = self.workday_time(t, 8, 17.5)
                if self.site == "gcs":
                    self.exam(pat, "mammo_depistage", t, None, ctx="screening")
                else:
                    cs = self.new_stay(pat, t - TD(minutes=20), t + TD(minutes=60), "consultation", "CS SENOLOGIE")
                    self.exam(pat, "mammo_depistage", t, cs, ctx="screening")
        elif kind == "mobile_mri":  # the GCS mobile MRI parks here on Tuesdays and Thursdays
            d = D(day.year, day.month, day.day)
            while d.weekday() not in (1, 3) or not working(d.date()):
                d += TD(1)
            t = d + TD(minutes=int((8 + r.random() * 10) * 60))
            k = r.choice(["irm_genou", "irm_rachis", "irm_cerebrale", "irm_pelvis", "irm_foie"])
            inp = [s for s in self.stays if s["patient"] is pat and s["stype"] == "hospitalisation"
                   and s["start"] <= t <= s["end"]]
            self.exam(pat, k, t, inp[0] if inp else None, ctx="mobile_mri")
        elif kind == "ordered_next":  # ordered during a stay, done at the next consultation
            hs = D(day.year, day.month, day.day) + TD(hours=r.randint(8, 17))
            he = hs + TD(days=r.randint(2, 9))
            hst = self.new_stay(pat, hs, he, "hospitalisation", r.choice(V.UNITS[self.site]["hospitalisation"]))
            self.hosp_exams(pat, hst, None)
            t = self.workday_time(he + TD(days=r.randint(14, 60)))
            cs = self.new_stay(pat, t - TD(minutes=30), t + TD(minutes=r.randint(40, 90)), "consultation",
                               r.choice(V.UNITS[self.site]["consultation"]))
            self.exam(pat, r.choice(["tdm_abdo", "echo_abdo", "tdm_thorax", "irm_cerebrale"]), t + TD(minutes=5), cs,
                      requesting=hst, ctx="ordered_next")
        elif kind == "series":  # same exam every few weeks (oncology response, cirrhosis, SEP)
            key = {"chu": ["tdm_tap", "irm_cerebrale", "irm_foie", "tdm_thorax"],
                   "gcs": ["tdm_tap", "echo_abdo", "tdm_thorax"],
                   "clcc": ["tep_fdg", "tdm_tap", "tdm_tap", "tep_fdg", "scinti_os", "irm_foie", "tep_psma",
                            "irm_pelvis"]}[self.site]
            k = r.choice(key)
            n = r.randint(3, 8) if self.site == "clcc" else r.randint(2, 5)
            gap = r.choice([42, 56, 63, 84, 90])
            t = self.workday_time(day, 7.5, 16 if self.site == "clcc" else 18)
            prev = []
            for i in range(n):
                if t > self.P["end"]:
                    break
                if self.site == "clcc" and r.random() < 0.55:
                    st = self.new_stay(pat, D(t.year, t.month, t.day, 7, 45), D(t.year, t.month, t.day, 17, 30),
                                       "day_care", r.choice(V.UNITS["clcc"]["day_care"]))
                    tt = max(t, st["start"] + TD(minutes=10))
                elif self.site == "clcc" or r.random() < 0.5:
                    st = self.new_stay(pat, t - TD(minutes=30), t + TD(minutes=r.randint(60, 150)), "consultation",
                                       r.choice(V.UNITS[self.site]["consultation"]))
                    tt = t
                else:
                    st, tt = None, t
                e = self.exam(pat, k, tt, st, ctx="series", priors=list(prev))
                prev.append(e)
                if self.site == "clcc" and k == "tep_fdg" and r.random() < 0.15:  # diagnostic CT the same day
                    t2 = tt + TD(minutes=r.randint(90, 200))
                    if st is not None:
                        st["end"] = max(st["end"], t2 + TD(minutes=30))
                    self.exam(pat, "tdm_tap", t2, st, ctx="series_same_day", priors=[])
                t = self.workday_time(t + TD(days=gap + r.randint(-7, 10)), 7.5, 16 if self.site == "clcc" else 18)
        elif kind == "outside":  # second opinion on an outside exam: a report without a local exam
            t = self.workday_time(day)
            st = None
            if r.random() < 0.6:
                st = self.new_stay(pat, t - TD(minutes=20), t + TD(minutes=60), "consultation",
                                   r.choice(V.UNITS[self.site]["consultation"]))
            self.outside.append(dict(patient=pat, t=t, stay=st, key=r.choice(
                ["tdm_tap", "irm_cerebrale", "tep_fdg", "irm_pelvis", "mammo_diag"])))

    def hosp_exams(self, pat, st, visit):
        r = self.rng
        dur_h = (st["end"] - st["start"]).total_seconds() / 3600
        n = r.choice([0, 1, 1, 2, 2, 3, 4])
        keys = {"chu": ["rx_thorax_lit", "rx_thorax_lit", "tdm_tap", "echo_abdo", "irm_cerebrale", "tdm_cerebral",
                        "echo_doppler", "tdm_thorax"],
                "gcs": ["rx_thorax_lit", "rx_thorax", "tdm_abdo", "echo_abdo", "echo_doppler", "tdm_cerebral"],
                "clcc": ["rx_thorax_lit", "tdm_tap", "tep_fdg", "scinti_os", "echo_abdo", "irm_cerebrale"]}[self.site]
        for _ in range(n):
            t = st["start"] + TD(hours=r.uniform(1, max(1.5, dur_h - 1)))
            if not r.random() < 0.1:
                t = t.replace(hour=r.randint(8, 18))
                if t < st["start"] or t > st["end"]:
                    t = st["start"] + TD(hours=r.uniform(1, max(1.5, dur_h - 1)))
            k = r.choice(keys)
            e = self.exam(pat, k, t, st, ctx="hosp", visit=visit if (visit and t - st["start"] < TD(hours=6)) else None)
            if k in ("rx_thorax_lit",) and r.random() < 0.25:  # control film after a drain / line, same day
                t2 = t + TD(hours=r.uniform(1, 5))
                if t2 <= st["end"]:
                    self.exam(pat, k, t2, st, ctx="hosp_control", visit=e.get("visit"))

    def safe_episode(self, pat, kind):
        """An episode that does not overlap the patient's earlier stays (else retried, then dropped)."""
        for _ in range(6):
            ns, ne, no = len(self.stays), len(self.exams), len(self.outside)
            self.episode(pat, kind)
            old = self.busy.setdefault(id(pat), [])
            new = self.stays[ns:]
            times = [e["t"] for e in self.exams[ne:]] + [o["t"] for o in self.outside[no:]]
            clash = any(s["start"] - TD(hours=9) < n_["end"] and n_["start"] < s["end"] + TD(hours=9)
                        for s in old for n_ in new)
            clash = clash or any(s["start"] - TD(hours=9) <= t <= s["end"] + TD(hours=1) for s in old for t in times)
            old_t = self.busy_t.setdefault(id(pat), [])
            clash = clash or any(n_["start"] - TD(hours=9) <= t <= n_["end"] + TD(hours=1) for n_ in new for t in old_t)
            if not clash:
                old.extend(new)
                old_t.extend(times)
                return
            del self.stays[ns:], self.exams[ne:], self.outside[no:]

    def make_activity(self):
        self.busy, self.busy_t = {}, {}
        r = self.rng
        self.outside = []
        lo, mean = self.P["episodes"]
        kinds, w = zip(*self.P["mix"].items())
        for pat in self.patients:
            n = lo + min(12, int(r.expovariate(1 / max(0.1, mean - lo))))
            for _ in range(n):
                self.safe_episode(pat, r.choices(kinds, w)[0])
        # every patient gets at least one exam or report
        have = {id(e["patient"]) for e in self.exams} | {id(o["patient"]) for o in self.outside}
        for pat in self.patients:
            if id(pat) not in have:
                self.safe_episode(pat, "consult" if self.site != "chu" else "outpatient")
        self.exams = [e for e in self.exams if self.P["start"] - TD(days=1) <= e["t"] <= self.P["end"] + TD(days=60)]
        for e in self.exams:
            e["t"] = e["t"].replace(microsecond=0)
        for s_ in self.stays:
            s_["start"], s_["end"] = s_["start"].replace(second=0, microsecond=0), s_["end"].replace(second=0, microsecond=0)
        self.exams.sort(key=lambda e: (e["t"], e["patient"]["id"], e["key"]))
        self.stays.sort(key=lambda s: (s["start"], s["stay_id"]))
        # the truth stay follows the rule: inside the stay (the shortest if nested), or up to
        # 8 h before a hospitalisation; an exam performed outside any stay has none
        mine = {}
        for s_ in self.stays:
            mine.setdefault(id(s_["patient"]), []).append(s_)
        for e in self.exams:
            t = e["t"]
            ss = mine.get(id(e["patient"]), [])
            inside = [x for x in ss if x["start"] <= t <= x["end"]]
            pre = [x for x in ss if x["stype"] == "hospitalisation" and x["start"] - TD(hours=8) <= t < x["start"]]
            pool = inside or pre
            e["stay"] = min(pool, key=lambda x: (x["end"] - x["start"], x["stay_id"])) if pool else None
            if e["requesting"] is None:
                e["requesting"] = e["stay"]

    # -- exam headers ---------------------------------------------------------------------
    def exam_headers(self):
        r, P = self.rng, self.P
        seq = {}
        tmp_counter = [0]
        for i, e in enumerate(self.exams):
            mod, descs, bp, longname, tkey = V.CATALOGUE[e["key"]]
            pat = e["patient"]
            t = e["t"]
            old = P["migration"] is not None and t < P["migration"]
            e["mod"], e["tkey"], e["longname"] = mod, tkey, longname
            # console/PACS that made the header
            if self.site == "chu":
                console = "old_pacs" if old else ("ed_cr" if e["ed"] and mod in ("CR", "DX") else "pacs")
            elif self.site == "gcs":
                console = "mobile" if e["ctx"] == "mobile_mri" else "mammo" if mod == "MG" else "pacs"
            else:
                console = "petct" if mod == "PT\\CT" else "nm" if mod == "NM" else "pacs"
            e["console"] = console
            # accession numbers
            if self.site == "chu":
                if old:
                    k = ("old", t.year)
                    seq[k] = seq.get(k, 0) + r.randint(1, 9)
                    acc = f"RX{t.year % 100:02d}{seq[k]:06d}"
                else:
                    k = ("new", t.date())
                    seq[k] = seq.get(k, 0) + r.randint(1, 4)
                    acc = f"{t:%Y%m%d}{seq[k]:04d}"
            elif self.site == "gcs":
                if console == "mobile":
                    k = ("m", t.year)
                    seq[k] = seq.get(k, 0) + r.randint(1, 6)
                    acc = f"IRMM{t.year}-{seq[k]:05d}"
                else:
                    seq["g"] = seq.get("g", 41000000) + r.randint(1, 30)
                    acc = f"{seq['g']:08d}"
            else:
                seq["c"] = seq.get("c", 3100000) + r.randint(1, 12)
                acc = f"E{seq['c']:07d}"
                if console == "nm" and r.random() < 0.12:
                    acc = None  # add-on scintigraphies booked directly on the NM workstation
            e["acc"] = acc
            root = {"chu": "1.2.250.1.214.1" if old else "1.2.250.1.59.7.3", "gcs": "1.2.250.1.311.2",
                    "clcc": "1.2.250.1.488.5"}[self.site]
            e["exam_id"] = f"{root}.{t:%Y%m%d%H%M%S}.{r.randint(10000, 99999)}.{i + 1}"
            # description, institution, unit
            e["desc"] = r.choice(descs)
            if console == "old_pacs":
                e["desc"] = strip_accents(e["desc"]).upper()
            inst_main, insts = V.HOSP[self.site]
            if self.site == "chu":
                e["inst"] = insts[0] if r.random() < 0.5 else insts[1] if not old else "CHU VALBRUNE"
            elif self.site == "gcs":
                e["inst"] = "GCS IRM MOBILE VAL DE LOIRE" if console == "mobile" else r.choice(insts[:2])
            else:
                e["inst"] = insts[2] if console in ("petct", "nm") else r.choice(insts[:2])
            st = e["stay"]
            req = e["requesting"]
            if req is not None and req["stype"] in ("hospitalisation", "emergency", "day_care") and r.random() < 0.3:
                e["unit"] = req["unit"]  # requesting unit instead of the imaging department
            elif console == "mobile":
                e["unit"] = "IRM MOBILE GCS"
            else:
                imgs = V.UNITS[self.site]["imaging"]
                e["unit"] = (imgs[0] if mod not in ("PT\\CT", "NM") else "MEDECINE NUCLEAIRE") \
                    if self.site != "gcs" else imgs[r.randint(0, 1)]
            # stay carried on the exam (worklist venue): often the requesting venue
            e["stay_col"] = None
            if req is not None and r.random() < P["exam_stay_rate"]:
                e["stay_col"] = req["stay_id"]
            # study time as written: the CLCC PET-CT console writes UTC
            if console == "petct":
                off = 2 if _cest(t) else 1
                e["t_hdr"] = t - TD(hours=off)
            else:
                e["t_hdr"] = t
            self.identity(e, tmp_counter)

    def identity(self, e, tmp_counter):
        r, P = self.rng, self.P
        pat = e["patient"]
        noise = []
        fam, giv, bd, sex = pat["family"], pat["given"], pat["birth"], pat["sex"]
        fault = "none"
        ipp = pat["id"]
        visit = e.get("visit")
        console = e["console"]
        anonymous = False
        if visit and visit["temp"]:
            if visit["tid"] is None:
                tmp_counter[0] += 1
                visit["tid"] = {"chu": f"9999{r.randint(10000, 99999)}", "gcs": f"TMP{r.randint(100000, 999999)}",
                                "clcc": f"9999{r.randint(1000, 9999)}"}[self.site]
            ipp, fault = visit["tid"], "temporary_ipp"
            if visit["anon"]:
                anonymous = True
        else:
            x = r.random()
            pm, pt, po = P["p_missing"], P["p_mistyped"], P["p_other"]
            if console == "mobile":
                pm, pt = 0.22, 0.10  # manual entry on the mobile MRI
            if console == "ed_cr":
                pt = 0.09
            if console == "nm" and e["acc"] is None:
                pm = 0.35
            if x < pm:
                ipp, fault = None, "missing_ipp"
            elif x < pm + pt:
                ipp, fault = self.mistype(ipp, console), "mistyped_ipp"
            elif x < pm + pt + po:
                others = [q for q in self.patients if q is not pat]
                same = [q for q in others if q["family"] == fam]
                if same and r.random() < 0.34:
                    ipp = r.choice(same)["id"]
                else:
                    ipp = r.choice(others)["id"]
                fault = "other_patient_ipp"
        # names
        if anonymous:
            fam_w, giv_w = "INCONNU", ("HOMME" if sex == "M" else "FEMME")
            bd = dt.date(bd.year - bd.year % 5, 1, 1)  # estimated age, born 1st January
            noise.append("anonymous_name")
            noise.append("birth_date_default")
            name = f"{fam_w}^{giv_w}^{r.randint(1, 40)}"
        else:
            fam_w, giv_w = fam, giv
            if pat["usage"] and (console in ("mammo", "mobile") and r.random() < 0.75 or r.random() < 0.12):
                fam_w = pat["usage"]
                noise.append("usage_name")
            if "-" in fam_w and r.random() < 0.35 or " " in fam_w and r.random() < 0.3:
                fam_w = r.choice([fam_w.replace("-", " "), fam_w.replace("-", "").replace(" ", ""),
                                  fam_w.split("-")[0].split(" ")[-1] if "-" in fam_w else fam_w.replace(" ", "-")])
                noise.append("compound")
            upper_given = console in ("old_pacs", "ed_cr", "mobile", "mammo") or self.site == "gcs"
            if console in ("old_pacs", "ed_cr", "mobile") or (self.site == "gcs" and r.random() < 0.5):
                a = strip_accents(fam_w), strip_accents(giv_w)
                if a != (fam_w, giv_w):
                    noise.append("accents_lost")
                fam_w, giv_w = a
            if upper_given:  # DICOM PN in capitals: the format's norm, not counted as noise
                giv_w = giv_w.upper()
            elif r.random() < 0.04:
                fam_w = fam_w.title()
                noise.append("case")
            if r.random() < (0.06 if console in ("mobile", "ed_cr") else 0.02):
                fam_w = self.typo(fam_w)
                noise.append("typo")
            if r.random() < (0.05 if console == "mobile" else 0.01):
                fam_w, giv_w = giv_w, fam_w
                noise.append("swapped")
            name = f"{fam_w}^{giv_w}"
            if console in ("mammo",) and pat["usage"] and "usage_name" in noise and r.random() < 0.5:
                name = f"{fam_w}^{giv_w}^^^NEE {strip_accents(fam).upper()}"  # née X in the suffix
            if r.random() < (0.08 if console == "mobile" else 0.01):
                if bd.day <= 12 and bd.day != bd.month:
                    bd = dt.date(bd.year, bd.day, bd.month)
                    noise.append("birth_day_month_swap")
            elif r.random() < 0.012:
                bd2 = _date_typo(bd, r)
                if bd2 != bd:
                    bd = bd2
                    noise.append("birth_date_typo")
        if r.random() < (0.10 if console in ("ed_cr", "mobile") else 0.02) or anonymous and r.random() < 0.3:
            sex = None
            noise.append("sex_missing")
        e.update(hdr_ipp=ipp, hdr_name=name, hdr_birth=bd, hdr_sex=sex, fault=fault,
                 noise=";".join(dict.fromkeys(noise)))

    def mistype(self, ipp, console):
        r = self.rng
        for _ in range(50):
            y = r.random()
            if self.site == "chu" and ipp.startswith("0") and (console == "ed_cr" or y < 0.4):
                c = ipp.lstrip("0")  # console field is numeric
            elif y < 0.55:
                k = r.randrange(len(ipp))
                c = ipp[:k] + str((int(ipp[k]) + r.randint(1, 9)) % 10) + ipp[k + 1:] if ipp[k].isdigit() else ipp
            elif y < 0.85:
                k = r.randrange(len(ipp) - 1)
                c = ipp[:k] + ipp[k + 1] + ipp[k] + ipp[k + 2:]
            else:
                c = ipp[1:]
            if c != ipp and c not in self.ipps:
                return c
        return ipp[:-1]

    def typo(self, s):
        r = self.rng
        if len(s) < 4:
            return s
        k = r.randrange(1, len(s) - 1)
        op = r.random()
        if op < 0.4:
            return s[:k] + s[k + 1:]
        if op < 0.7:
            return s[:k] + s[k + 1] + s[k] + s[k + 2:]
        return s[:k] + r.choice("AEIOURSTLN") + s[k + 1:]

    # -- reports --------------------------------------------------------------------------
    def delay(self, e):
        """When the report is validated (signed), local time."""
        r, t, mod = self.rng, e["t"], e["mod"]
        h = t.hour
        if self.site == "chu":
            night = h >= 20 or h < 8 or not working(t.date())
            if e["ed"] and mod in ("CT", "MR") and night:
                e["telerad"] = True
                return t + TD(minutes=r.randint(18, 150))
            if e["ed"]:
                if night:
                    return next_working_time(t + TD(minutes=1), r) + TD(minutes=r.randint(0, 240))
                return t + TD(minutes=r.randint(15, 200))
            if mod == "MR":
                return add_working_days(t, r.choice([1, 1, 2, 3, 4]), r)
            if e["ctx"] == "outpatient" and mod in ("CR", "DX", "US", "MG"):
                return t + TD(minutes=r.randint(10, 90))
            if mod == "CT" and r.random() < 0.5:
                return add_working_days(t, 1, r)
            return next_working_time(t + TD(minutes=r.randint(30, 300)), r)
        if self.site == "gcs":
            if e["console"] == "mobile":  # the GCS radiologist reads remotely in batches
                base = add_working_days(t, r.choice([2, 3, 4, 6, 8]), r)
            elif e["key"] == "mammo_depistage":
                base = D(t.year, t.month, t.day, 18, 40) + TD(seconds=r.randint(0, 50))  # batch signature
                return base
            elif e["ed"] and not working(t.date()) and mod in ("CT",):
                base = t + TD(minutes=r.randint(30, 180))  # on-call radiologist at home
            elif e["ed"]:
                base = t + TD(minutes=r.randint(20, 240)) if 8 <= h < 19 else next_working_time(t, r)
            elif mod == "CT":
                base = add_working_days(t, r.choice([0, 1, 1, 2]), r) if True else t
                if base < t:
                    base = t + TD(hours=2)
            else:
                base = next_working_time(t + TD(minutes=r.randint(20, 400)), r)
            k = after_holiday(base.date())
            if k is not None and not (e["ed"] and mod == "CT"):
                base = add_working_days(base, r.randint(1, 3), r)  # dictation backlog after a holiday
            return max(base, t + TD(minutes=10))
        # clcc
        if mod in ("PT\\CT", "NM"):
            v = add_working_days(t, r.choice([0, 1, 1, 2, 3]), r, lo=16.5, hi=20.0) if r.random() < 0.9 \
                else t + TD(hours=r.uniform(3, 7))
            return max(v, t + TD(minutes=r.randint(40, 120)))
        if mod in ("CT", "MR"):
            return add_working_days(t, r.choice([1, 1, 2]), r)
        return t + TD(minutes=r.randint(15, 120))

    def make_reports(self):
        r, P = self.rng, self.P
        rep_seq = [0]
        self.reports = []
        by_pat_exams = {}
        for e in self.exams:
            by_pat_exams.setdefault(e["patient"]["id"], []).append(e)
        for e in self.exams:
            if e["ed"] and e["mod"] in ("CR", "DX") and r.random() < P["p_ed_rx_unreported"]:
                continue  # ED radiographs read by the emergency physician only
            if r.random() > P["p_report"]:
                continue
            rt = self.delay(e)
            if rt > self.P["end"] + TD(days=20):
                continue  # not yet validated at extraction time
            abnormal = r.random() < (0.45 if self.site != "clcc" else 0.6)
            kind = "telerad" if e.get("telerad") else "main"
            if e["key"] == "mammo_depistage" and self.site == "gcs":
                kind = "screening1"
                abnormal = r.random() < 0.06
            self.add_report(e, rt, kind, abnormal, rep_seq, by_pat_exams)
            if kind == "telerad" and r.random() < P["p_telerad_reread"]:
                self.add_report(e, next_working_time(rt + TD(hours=1), r) + TD(minutes=r.randint(0, 120)),
                                "reread", abnormal, rep_seq, by_pat_exams)
            if kind == "screening1" and not abnormal:
                self.add_report(e, add_working_days(rt, r.randint(5, 15), r), "screening2", False, rep_seq,
                                by_pat_exams)
            if r.random() < P["p_addendum"]:
                self.add_report(e, rt + TD(hours=r.uniform(2, 120)), "addendum", abnormal, rep_seq, by_pat_exams)
            if r.random() < P["p_corrected"]:
                self.add_report(e, rt + TD(hours=r.uniform(1, 72)), "corrected", abnormal, rep_seq, by_pat_exams)
        for o in self.outside:
            mod, descs, bp, longname, tkey = V.CATALOGUE[o["key"]]
            fake = dict(patient=o["patient"], key=o["key"], t=o["t"] - TD(days=r.randint(7, 60)), stay=None,
                        requesting=o["stay"], ctx="outside", ed=False, mod=mod, tkey=tkey, longname=longname,
                        acc=None, exam_id=None, priors=[], console="outside")
            self.add_report(fake, o["t"] + TD(hours=r.uniform(0.5, 50)), "outside", r.random() < 0.6, rep_seq,
                            by_pat_exams)
        self.reports.sort(key=lambda x: (x["rt"], x["report_id"]))

    def add_report(self, e, rt, kind, abnormal, rep_seq, by_pat_exams):
        r, P = self.rng, self.P
        rep_seq[0] += 1
        pat = e["patient"]
        if self.site == "chu":
            rid = f"CR{rt.year}{rep_seq[0]:07d}"
        elif self.site == "gcs":
            rid = f"{7100000 + rep_seq[0] * 3 + r.randint(0, 2)}"
        else:
            rid = f"DOC-{rep_seq[0]:06d}-{r.choice('ABCDEFGH')}"
        text, title = self.report_text(e, rt, kind, abnormal, by_pat_exams)
        pid = pat["id"] if r.random() < P["report_ipp_rate"] else None
        if e.get("hdr_ipp") and e["fault"] == "temporary_ipp" and r.random() < 0.4:
            pid = e["hdr_ipp"]  # report validated before the identity was merged
        stay_col = None
        if r.random() < P["report_stay_rate"]:
            req = e["requesting"]
            if req is not None and (r.random() < P["report_requesting_stay"] or e["stay"] is None):
                stay_col = req["stay_id"]
            elif e["stay"] is not None:
                stay_col = e["stay"]["stay_id"]
        acc = None
        if kind == "telerad":
            acc = f"TLR{r.randint(1000000, 9999999)}"  # the company's own numbering
        elif e["acc"] and r.random() < P["report_acc_rate"]:
            acc = e["acc"]
            if self.site == "chu" and acc.startswith("RX") and r.random() < 0.3:
                acc = acc[2:]  # migrated reports lost the prefix
        rep = dict(report_id=rid, patient_id=pid, stay_id=stay_col, rt=rt.replace(microsecond=0), title=title, text=text,
                   accession_number=acc, exam=e if e.get("exam_id") else None, kind=kind)
        self.reports.append(rep)

    # -- report text ----------------------------------------------------------------------
    def report_text(self, e, rt, kind, abnormal, by_pat_exams):
        r, site = self.rng, self.site
        tkey = e["tkey"]
        hs = r.choice(V.HEADER_STYLES)
        pat = e["patient"]
        ind = r.choice(V.INDICATIONS[tkey])
        mod1 = e["mod"].split("\\")[0]
        tech = r.choice(V.TECHNIQUE.get(mod1, ["Examen réalisé selon le protocole habituel."]))
        if abnormal:
            res = r.choice(V.ABNORMAL[tkey])
            extra = r.choice(["Pas d'autre anomalie décelable.", "Reste de l'examen sans particularité.",
                              "Pas d'autre anomalie.", ""])
            concl = r.choice(V.CONCL_ABN_PREFIX) + res.split(".")[0].split(",")[0] + "."
        else:
            res, extra = r.choice(V.NORMAL[tkey]), ""
            concl = r.choice(V.CONCL_NORMAL)
        # comparisons with earlier exams, quoting their dates
        comp = ""
        priors = [p for p in e.get("priors", []) if p["t"] < e["t"]]
        if priors and r.random() < 0.85:
            q = priors[-r.randint(1, min(3, len(priors))):]
            comp = "Comparaison avec " + ", ".join(
                f"l'examen du {fr_date(p['t'])}" for p in q) + "."
            if site == "clcc" and r.random() < 0.5 and e["mod"] == "PT\\CT":
                comp += " Évolution par rapport au " + fr_date(q[0]["t"]) + " : " + r.choice(
                    ["réponse métabolique partielle.", "stabilité.", "progression métabolique.",
                     "réponse métabolique complète (Deauville 2)."])
        elif r.random() < 0.15:
            comp = r.choice(["Pas d'examen antérieur disponible pour comparaison.",
                             "Comparaison avec un scanner extérieur du " + fr_date(e["t"] - TD(days=r.randint(60, 900))) + "."])
        date_line = ""
        if site == "clcc" or (site == "chu" and r.random() < 0.3):
            date_line = r.choice([f"Examen réalisé le {fr_date(e['t'])}.",
                                  f"{e['longname'].capitalize()} du {fr_date(e['t'])}",
                                  f"Date de l'examen : {e['t'].day} {V.MONTHS_FR[e['t'].month - 1]} {e['t'].year}"])
        who_name = f"{pat['usage'] or pat['family']} {pat['given']}" if site != "clcc" else "[NOM]"
        civ = "Madame" if pat["sex"] == "F" else "Monsieur"
        greet = ""
        if site == "gcs" and r.random() < 0.4:
            greet = f"Cher confrère,\nJ'ai vu ce jour {civ} {who_name} pour {e['longname'].lower()}."
        elif site == "clcc" and r.random() < 0.3:
            greet = f"{civ} [NOM], adressé(e) par le Dr [NOM]."
        parts = []
        if date_line:
            parts.append(date_line)
        if greet:
            parts.append(greet)
        if site == "chu" and r.random() < 0.3:  # terse emergency style, no sections
            body = f"{e['longname']}\n{ind}\n{res} {extra}".strip() + ("\n" + comp if comp else "") + f"\nConclusion : {concl}"
            parts = [body]
        else:
            parts.append(f"{hs[0]}\n{ind}")
            if r.random() < 0.8:
                parts.append(f"{hs[1]}\n{tech}")
            parts.append(f"{hs[2]}\n" + (comp + "\n" if comp else "") + f"{res} {extra}".strip())
            parts.append(f"{hs[3]}\n{concl}")
        sign = r.choice(V.RADIOLOGISTS)
        title = self.title(e, kind)
        if kind == "telerad":
            sign = r.choice(V.TELERADIOLOGISTS)
            parts.insert(0, f"{V.TELERAD_COMPANY} - interprétation à distance\nDemande n° {r.randint(100000, 999999)}")
            parts.append("Examen interprété à distance sur images transmises. Relecture par l'équipe sur place selon protocole.")
        elif kind == "reread":
            parts = [f"RELECTURE DU {e['longname']} réalisé en garde le {fr_date(e['t'])}.",
                     r.choice(["Concordance avec l'interprétation de téléradiologie.",
                               "Discordance mineure : " + r.choice(V.ABNORMAL[tkey])])]
        elif kind == "addendum":
            parts = [r.choice(["ADDENDUM", "Complément au compte rendu", "Additif"]),
                     f"Complément au compte rendu du {fr_date(e['t'])} : " + r.choice(
                         ["après relecture avec l'examen antérieur, aspect stable.",
                          "après avis collégial, " + concl.lower(),
                          "résultat de la comparaison avec l'examen extérieur apporté par le patient : pas de changement."])]
        elif kind == "corrected":
            parts.insert(0, "COMPTE RENDU MODIFIÉ - annule et remplace la version précédente")
        elif kind == "screening1":
            parts = ["DÉPISTAGE ORGANISÉ DU CANCER DU SEIN - 1re lecture",
                     f"{civ} {who_name}",
                     r.choice(V.NORMAL["mammo"]) if not abnormal else r.choice(V.ABNORMAL["mammo"]),
                     "Conclusion : " + ("ACR 1, résultat normal. Le dossier est transmis pour seconde lecture."
                                        if not abnormal else "Bilan diagnostique immédiat réalisé.")]
        elif kind == "screening2":
            parts = ["DÉPISTAGE ORGANISÉ - 2e LECTURE", "Centre régional de coordination des dépistages des cancers",
                     f"Mammographies du {fr_date(e['t'])} : pas d'anomalie en seconde lecture. Prochain dépistage dans 2 ans."]
        elif kind == "outside":
            parts.insert(0, r.choice(["AVIS SUR EXAMEN EXTÉRIEUR", "Relecture d'un examen réalisé à l'extérieur",
                                      "Second avis - imagerie extérieure"]))
            parts.insert(1, f"{e['longname']} réalisé le {fr_date(e['t'])} au centre d'imagerie {r.choice(['des Tilleuls', 'du Parc', 'Saint-Roch'])}.")
        parts.append(sign if site != "clcc" else r.choice([sign, "Dr [NOM]", "Dr [NOM] / Pr [NOM] (double lecture)"]))
        text = "\n\n".join(parts)
        if site == "gcs":
            text = self.pdf_layout(text, e, rt, pat)
        elif site == "chu" and r.random() < self.P["p_html"]:
            text = "<html><body><p>" + html.escape(text).replace("\n", "<br>").replace("é", "&eacute;").replace(
                "è", "&egrave;") + "</p></body></html>"
        return text, title

    def pdf_layout(self, text, e, rt, pat):
        """Text extracted from the PDF: page header repeated, footers, page numbers."""
        r = self.rng
        acc = e.get("acc") or ""
        head = ("CENTRE HOSPITALIER DE SAINT-AUBERT-SUR-LOIRE\nService d'Imagerie Médicale - Tél. 02 47 00 00 00\n"
                f"Patient : {(pat['usage'] or pat['family'])} {pat['given']}   Né(e) le : {fr_date(pat['birth'])}\n"
                f"N° examen : {acc}   Date : {fr_date(e['t'])}")
        if e.get("console") == "mobile":
            head = head.replace("Service d'Imagerie Médicale", "GCS IRM mobile Val de Loire")
        foot = "Document validé électroniquement - {p}/{n}"
        lines = text.split("\n")
        if len(lines) > 9 and r.random() < 0.6:
            cut = len(lines) // 2
            pages = ["\n".join(lines[:cut]), "\n".join(lines[cut:])]
        else:
            pages = [text]
        n = len(pages)
        out = []
        for i, pg in enumerate(pages):
            out.append(head + "\n\n" + pg + "\n\n" + foot.format(p=i + 1, n=n) + "\n\f")
        return "\n".join(out).replace("\f", "")

    def title(self, e, kind):
        r, site = self.rng, self.site
        if kind == "telerad":
            return "CR TELERADIOLOGIE"
        if kind == "addendum":
            return r.choice(["ADDENDUM", "Complément CR imagerie"])
        if kind == "outside":
            return "Avis imagerie extérieure"
        if kind in ("screening1", "screening2"):
            return "Dépistage organisé - mammographie"
        if site == "chu":
            return r.choice(["Compte rendu radiologique", "CR IMAGERIE", "Compte rendu radiologique",
                             "CR " + e["longname"]]) if kind != "corrected" else "CR IMAGERIE (modifié)"
        if site == "gcs":
            return e["longname"].title() if r.random() < 0.7 else "Document imagerie (PDF)"
        return r.choice([f"Compte-rendu {e['longname'].lower()}", f"CR {e['mod'].split(chr(92))[0]} - {e['longname']}",
                         e["longname"]])

    # -- output ---------------------------------------------------------------------------
    def write(self, out):
        os.makedirs(os.path.join(out, "truth"), exist_ok=True)
        pats = sorted(self.patients, key=lambda p: p["id"])
        T = lambda cols, rows, schema: pa.Table.from_pydict({c: [row[i] for row in rows] for i, c in enumerate(cols)},
                                                             schema=schema)
        s = pa.string()
        ts = pa.timestamp("us")
        sch_p = pa.schema([("patient_id", s), ("family_name", s), ("given_name", s), ("birth_date", pa.date32()),
                           ("sex", s), ("usage_name", s)])
        rows = [(p["id"], p["family"], p["given"], p["birth"], p["sex"], p["usage"]) for p in pats]
        pq.write_table(T(sch_p.names, rows, sch_p), os.path.join(out, "patients.parquet"))
        sch_s = pa.schema([("stay_id", s), ("patient_id", s), ("start_datetime", ts), ("end_datetime", ts),
                           ("unit", s), ("stay_type", s), ("diagnoses", s)])
        rows = [(x["stay_id"], x["patient"]["id"], x["start"], x["end"], x["unit"], x["stype"], x["diag"])
                for x in self.stays]
        pq.write_table(T(sch_s.names, rows, sch_s), os.path.join(out, "stays.parquet"))
        sch_e = pa.schema([("exam_id", s), ("accession_number", s), ("patient_id", s), ("patient_name", s),
                           ("birth_date", pa.date32()), ("sex", s), ("study_datetime", ts), ("modality", s),
                           ("study_description", s), ("body_part", s), ("institution", s), ("unit", s),
                           ("stay_id", s)])
        rows = [(e["exam_id"], e["acc"], e["hdr_ipp"], e["hdr_name"], e["hdr_birth"], e["hdr_sex"], e["t_hdr"],
                 e["mod"], e["desc"], V.CATALOGUE[e["key"]][2], e["inst"], e["unit"], e["stay_col"])
                for e in self.exams]
        pq.write_table(T(sch_e.names, rows, sch_e), os.path.join(out, "exams.parquet"))
        sch_r = pa.schema([("report_id", s), ("patient_id", s), ("stay_id", s), ("report_datetime", ts),
                           ("title", s), ("text", s), ("accession_number", s)])
        rows = [(x["report_id"], x["patient_id"], x["stay_id"], x["rt"], x["title"], x["text"], x["accession_number"])
                for x in self.reports]
        pq.write_table(T(sch_r.names, rows, sch_r), os.path.join(out, "reports.parquet"))
        # truth
        links = []
        for e in self.exams:
            links.append(("exam", e["exam_id"], "patient", e["patient"]["id"]))
        for e in self.exams:
            links.append(("exam", e["exam_id"], "stay", e["stay"]["stay_id"] if e["stay"] else None))
        for x in self.reports:
            links.append(("report", x["report_id"], "exam", x["exam"]["exam_id"] if x["exam"] else None))
        for x in self.reports:
            st = x["exam"]["stay"] if x["exam"] else None
            links.append(("report", x["report_id"], "stay", st["stay_id"] if st else None))
        sch_l = pa.schema([("source_type", s), ("source_id", s), ("target_type", s), ("target_id", s)])
        pq.write_table(T(sch_l.names, links, sch_l), os.path.join(out, "truth", "links.parquet"))
        sch_f = pa.schema([("exam_id", s), ("fault", s), ("identity_noise", s)])
        rows = [(e["exam_id"], e["fault"], e["noise"]) for e in self.exams]
        pq.write_table(T(sch_f.names, rows, sch_f), os.path.join(out, "truth", "exam_faults.parquet"))

    def run(self, out):
        self.make_patients()
        self.make_activity()
        self.exam_headers()
        self.make_reports()
        self.write(out)
        return len(self.patients), len(self.stays), len(self.exams), len(self.reports)


def _cest(t):
    """Summer time in France (last Sunday of March 01:00 UTC .. last Sunday of October)."""
    def last_sunday(y, m):
        d = dt.date(y, m, 31)
        return d - TD((d.weekday() + 1) % 7)
    return last_sunday(t.year, 3) <= t.date() < last_sunday(t.year, 10)


def _date_typo(d, r):
    s = d.strftime("%Y%m%d")
    for _ in range(20):
        k = r.choice([2, 3, 5, 7])
        c = s[:k] + str(r.randint(0, 9)) + s[k + 1:]
        try:
            nd = dt.datetime.strptime(c, "%Y%m%d").date()
        except ValueError:
            continue
        if nd != d:
            return nd
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", required=True, choices=sorted(PROFILES))
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=71)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    n = Gen(a.profile, a.patients, a.seed).run(a.out)
    print(a.profile, "patients=%d stays=%d exams=%d reports=%d" % n)


if __name__ == "__main__":
    main()
