#!/usr/bin/env python3
"""warehouse9: independent synthetic French imaging warehouse generator (blind).

Written from the radlink table contract only (tables.py docstring + TableSpec,
data_samples/README.md, parquet schemas). Standard library + pyarrow.

usage: generate.py --profile NAME --patients N --seed S -o DIR
"""
import argparse
import datetime as dt
import os
import random

import pyarrow as pa
import pyarrow.parquet as pq

D, DT = pa.date32(), pa.timestamp("us")
S = pa.string()
SCHEMAS = {
    "patients": [("patient_id", S), ("family_name", S), ("given_name", S), ("birth_date", D), ("sex", S), ("usage_name", S)],
    "stays": [("stay_id", S), ("patient_id", S), ("start_datetime", DT), ("end_datetime", DT), ("unit", S), ("stay_type", S), ("diagnoses", S)],
    "exams": [("exam_id", S), ("accession_number", S), ("patient_id", S), ("patient_name", S), ("birth_date", D), ("sex", S),
              ("study_datetime", DT), ("modality", S), ("study_description", S), ("body_part", S), ("institution", S), ("unit", S), ("stay_id", S)],
    "reports": [("report_id", S), ("patient_id", S), ("stay_id", S), ("report_datetime", DT), ("title", S), ("text", S), ("accession_number", S)],
    "links": [("source_type", S), ("source_id", S), ("target_type", S), ("target_id", S)],
    "exam_faults": [("exam_id", S), ("fault", S), ("identity_noise", S)],
}

PROFILES = ("chu_pediatrie_adulte", "imagerie_territoriale", "centre_medecine_nucleaire")

# ---------------------------------------------------------------- names
SURNAMES = ("MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL LEFEBVRE LEROY ROUX DAVID "
            "BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER "
            "BLANC GUERIN BOYER GARNIER CHEVALIER FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY "
            "ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN BLANCHARD "
            "GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD ROCHE RENARD SCHMITT ROY LEROUX COLIN "
            "VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY "
            "LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS "
            "MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT "
            "CARRE CHARLES RENAULT CHARPENTIER MENARD MAILLARD BARON BERTIN BAILLY HERVE SCHNEIDER FERNANDEZ LE-GALL COLLET "
            "LEGER BOUVIER JULIEN PREVOST MILLET PERROT DANIEL LE-ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS REMY LE-GOFF PELLETIER "
            "LEVEQUE PERRIER LEBLANC BARRE LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD "
            "GILLET ETIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN DA-SILVA BOUCHET GAY LEMAITRE BENARD MARECHAL "
            "HUMBERT REYNAUD ANTOINE HOARAU PERRET BARTHELEMY CORDIER PICHON LEJEUNE GILBERT LAMY DELAUNAY PASQUIER CARLIER LAPORTE "
            "HADDAD BENALI NGUYEN TRAN DIALLO TRAORE KONATE CAMARA OUEDRAOGO YILMAZ SAIDI BOUZID MANSOURI").split()
ACCENTED = {"LEFEVRE": "LEFÈVRE", "GERARD": "GÉRARD", "HERVE": "HERVÉ", "LEVEQUE": "LÉVÊQUE", "BENARD": "BÉNARD",
            "MENARD": "MÉNARD", "REMY": "RÉMY", "MARECHAL": "MARÉCHAL", "BARTHELEMY": "BARTHÉLÉMY", "RIVIERE": "RIVIÈRE",
            "FRANCOIS": "FRANÇOIS", "GUERIN": "GUÉRIN", "PREVOST": "PRÉVOST", "ETIENNE": "ÉTIENNE"}
PARTICLES = ("DE", "DU", "DE LA", "D'", "LE", "DES")
GIVEN_M = ("Jean Pierre Michel André Philippe Alain Bernard Jacques Daniel Patrick Christian Nicolas Thomas Julien Sébastien "
           "Frédéric Laurent Stéphane Olivier Éric Christophe Mathieu Hugo Lucas Louis Gabriel Léo Raphaël Arthur Jules Adam Nathan "
           "Théo Noah Ethan Mohamed Karim Yanis Rayan Jean-Paul Jean-Claude Jean-Marc Marc-Antoine François Gérard René Hervé").split()
GIVEN_F = ("Marie Nathalie Isabelle Sylvie Catherine Françoise Christine Monique Valérie Sandrine Sophie Céline Stéphanie Julie "
           "Aurélie Émilie Camille Léa Manon Chloé Emma Jade Louise Alice Lina Inès Zoé Anna Rose Mila Ambre Sarah Fatima Amina "
           "Yasmine Marie-Claude Anne-Sophie Marie-Thérèse Hélène Geneviève Élise Josiane Danielle Renée Brigitte Chantal").split()


def strip_accents(s):
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


class Gen:
    def __init__(self, profile, n, seed):
        self.p, self.n = profile, n
        self.r = random.Random(f"warehouse9|{profile}|{seed}")
        self.period0 = dt.datetime(2021, 1, 4)
        self.period1 = dt.datetime(2024, 12, 20)
        self.patients, self.stays, self.exams, self.reports = [], [], [], []
        self.links, self.faults = [], []
        self.used_ids = set()
        self.stays_of = {}
        # surname weights: heavy-tailed (Zipf-like)
        self.sw = [1.0 / (i + 1) ** 0.9 for i in range(len(SURNAMES))]
        self.pid_by_id = {}

    # ------------------------------------------------------------ helpers
    def uid(self, fn):
        while True:
            v = fn()
            if v not in self.used_ids:
                self.used_ids.add(v)
                return v

    def digits(self, k):
        return "".join(self.r.choice("0123456789") for _ in range(k))

    def new_ipp(self):
        p = self.p
        if p == "chu_pediatrie_adulte":
            return self.uid(lambda: "8" + self.digits(8))
        if p == "imagerie_territoriale":
            return self.uid(lambda: "7" + str(self.r.randint(10000000, 99999999)))
        return self.uid(lambda: "00" + str(self.r.randint(10000, 99999)))  # 7-char IPP with leading zeros

    def surname(self):
        r = self.r
        s = r.choices(SURNAMES, self.sw)[0]
        x = r.random()
        if x < 0.05:
            part = r.choice(PARTICLES)
            s = (part + s) if part.endswith("'") else f"{part} {s}"
        elif x < 0.10:
            s = s + "-" + r.choices(SURNAMES, self.sw)[0]
        elif x < 0.13:
            s = s + " " + r.choices(SURNAMES, self.sw)[0]
        return ACCENTED.get(s, s) if r.random() < 0.5 else s

    def rand_dt(self, a, b):
        span = (b - a).total_seconds()
        return a + dt.timedelta(seconds=int(self.r.random() * span))

    # ------------------------------------------------------------ patients
    def make_patients(self):
        r = self.r
        p = self.p
        child_frac = {"chu_pediatrie_adulte": 0.30, "imagerie_territoriale": 0.10, "centre_medecine_nucleaire": 0.02}[p]
        adults = []
        while len(self.patients) < self.n:
            is_child = adults and r.random() < child_frac
            if is_child:
                parent = r.choice(adults)
                fam = parent["family_name"] if r.random() < 0.85 else self.surname()
                pb = parent["birth_date"]
                lo = max(dt.date(pb.year + 18, 1, 1), dt.date(2007, 1, 1))
                hi = dt.date(2024, 10, 1)
                if lo >= hi:
                    continue
                bd = lo + dt.timedelta(days=r.randint(0, (hi - lo).days))
                if p == "chu_pediatrie_adulte" and r.random() < 0.15:  # newborns
                    bd = dt.date(2021, 1, 1) + dt.timedelta(days=r.randint(0, 1400))
                    if bd < lo:
                        continue
            else:
                parent = None
                fam = self.surname()
                age_mu = {"chu_pediatrie_adulte": 50, "imagerie_territoriale": 58, "centre_medecine_nucleaire": 64}[p]
                age = min(98, max(18, int(r.gauss(age_mu, 16))))
                bd = dt.date(2023 - age, 1, 1) + dt.timedelta(days=r.randint(0, 364))
            sex = r.choice("MF")
            given = r.choice(GIVEN_M if sex == "M" else GIVEN_F)
            usage = None
            if sex == "F" and parent is None and (2023 - bd.year) > 25 and r.random() < 0.4:
                usage = self.surname()
            pat = dict(patient_id=self.new_ipp(), family_name=fam, given_name=given, birth_date=bd, sex=sex,
                       usage_name=usage, _parent=parent["patient_id"] if parent else None)
            if parent is None and 20 <= 2023 - bd.year <= 55:
                adults.append(pat)
            elif parent is None and len(adults) < 5:
                adults.append(pat)
            self.patients.append(pat)
        self.pid_by_id = {x["patient_id"]: x for x in self.patients}

    # ------------------------------------------------------------ stays
    def hospital_of(self):
        if self.p == "imagerie_territoriale":
            return self.r.choices(["CHA", "CHB", "CHC", "CHD"], [4, 3, 2, 1])[0]
        return "H"

    def stay_id(self, hosp):
        p = self.p
        if p == "chu_pediatrie_adulte":
            return self.uid(lambda: "1" + self.digits(8))
        if p == "imagerie_territoriale":
            pre = {"CHA": "A", "CHB": "5", "CHC": "C", "CHD": "9"}[hosp]
            if pre.isdigit():
                return self.uid(lambda: pre + self.digits(9))
            return self.uid(lambda: pre + "24" + self.digits(6))
        return self.uid(lambda: "S" + self.digits(8))

    UNITS = {
        "chu_pediatrie_adulte": ["PNEUMOLOGIE", "CARDIOLOGIE", "NEUROLOGIE", "GASTRO-ENTEROLOGIE", "ONCOLOGIE MEDICALE",
                                 "CHIRURGIE DIGESTIVE", "ORTHOPEDIE", "MEDECINE INTERNE", "PEDIATRIE GENERALE",
                                 "CHIRURGIE PEDIATRIQUE", "NEONATOLOGIE", "REANIMATION PEDIATRIQUE", "URGENCES PEDIATRIQUES",
                                 "URGENCES ADULTES", "MATERNITE"],
        "imagerie_territoriale": ["MEDECINE POLYVALENTE", "CARDIOLOGIE", "PNEUMOLOGIE", "GERIATRIE", "CHIRURGIE VISCERALE",
                                  "ORTHOPEDIE", "SSR", "UHCD", "URGENCES", "MEDECINE INTERNE", "ONCOLOGIE"],
        "centre_medecine_nucleaire": ["ONCOLOGIE MEDICALE", "HEMATOLOGIE", "ENDOCRINOLOGIE", "MEDECINE NUCLEAIRE",
                                      "PNEUMOLOGIE", "URGENCES", "CARDIOLOGIE", "UROLOGIE"],
    }
    DIAG = ["C34.1", "C34.9", "C50.9", "C61", "C18.7", "C83.3", "C81.9", "E05.0", "E04.1", "I21.4", "I50.9", "J18.9",
            "J44.1", "S72.0", "K35.8", "R10.4", "N39.0", "G40.9", "I63.9", "P59.9", "J21.9", "R50.9", "Z51.1", "C73", "D64.9"]

    def pick_unit(self, pat, stype, hosp):
        r, p = self.r, self.p
        child = (2023 - pat["birth_date"].year) < 16
        if p == "chu_pediatrie_adulte":
            if stype == "emergency":
                return "URGENCES PEDIATRIQUES" if child else "URGENCES ADULTES"
            if child:
                if (dt.date(2024, 1, 1) - pat["birth_date"]).days < 400 and r.random() < 0.4:
                    return "NEONATOLOGIE"
                return r.choice(["PEDIATRIE GENERALE", "CHIRURGIE PEDIATRIQUE", "REANIMATION PEDIATRIQUE"])
            return r.choice(self.UNITS[p][:8])
        if p == "imagerie_territoriale":
            u = "URGENCES" if stype == "emergency" else r.choice([x for x in self.UNITS[p] if x != "URGENCES"])
            return f"{hosp} {u}" if r.random() < 0.5 else u
        if stype == "emergency":
            return "URGENCES"
        if stype == "day_care":
            return r.choice(["ONCOLOGIE MEDICALE", "HEMATOLOGIE", "MEDECINE NUCLEAIRE"])
        return r.choice(self.UNITS[p])

    def make_stays(self):
        r, p = self.r, self.p
        mean = {"chu_pediatrie_adulte": 2.2, "imagerie_territoriale": 1.8, "centre_medecine_nucleaire": 0.9}[p]
        tw = {"chu_pediatrie_adulte": [40, 15, 20, 25], "imagerie_territoriale": [35, 10, 20, 35],
              "centre_medecine_nucleaire": [30, 40, 25, 5]}[p]
        for pat in self.patients:
            k = min(8, int(r.expovariate(1 / mean)))
            bstart = max(self.period0, dt.datetime.combine(pat["birth_date"], dt.time(0)))
            starts = sorted(self.rand_dt(bstart, self.period1) for _ in range(k))
            last_end = bstart
            lst = []
            for st in starts:
                if st < last_end + dt.timedelta(days=2):
                    continue
                stype = r.choices(["hospitalisation", "day_care", "consultation", "emergency"], tw)[0]
                hosp = self.hospital_of()
                if stype == "hospitalisation":
                    st = st.replace(hour=r.randint(8, 20), minute=r.randrange(0, 60, 5))
                    en = st + dt.timedelta(days=r.choice([1, 1, 2, 3, 4, 5, 7, 9, 14, 21]), hours=r.randint(-4, 4))
                elif stype == "day_care":
                    st = st.replace(hour=r.randint(7, 10), minute=r.randrange(0, 60, 5))
                    en = st.replace(hour=r.randint(14, 18))
                elif stype == "consultation":
                    st = st.replace(hour=r.randint(8, 17), minute=r.randrange(0, 60, 15))
                    en = st + dt.timedelta(minutes=r.choice([15, 30, 45, 60, 90]))
                else:
                    en = st + dt.timedelta(hours=r.randint(2, 14), minutes=r.randint(0, 59))
                ndiag = r.choice([0, 1, 1, 2, 3])
                diag = ";".join(r.sample(self.DIAG, ndiag)) if ndiag and stype != "consultation" else None
                s = dict(stay_id=self.stay_id(hosp), patient_id=pat["patient_id"], start_datetime=st, end_datetime=en,
                         unit=self.pick_unit(pat, stype, hosp), stay_type=stype, diagnoses=diag, _hosp=hosp, _pre=False)
                lst.append(s)
                last_end = en
                # emergency -> admission chain (the emergency visit itself not always in PMSI)
                if stype == "emergency" and r.random() < 0.35:
                    h_st = en + dt.timedelta(minutes=r.randint(10, 120))
                    h = dict(stay_id=self.stay_id(hosp), patient_id=pat["patient_id"], start_datetime=h_st,
                             end_datetime=h_st + dt.timedelta(days=r.randint(1, 10)), unit=self.pick_unit(pat, "hospitalisation", hosp),
                             stay_type="hospitalisation", diagnoses=r.choice(self.DIAG), _hosp=hosp, _pre=True)
                    if r.random() < 0.5:
                        lst.pop()  # only the admission exists in PMSI; emergency exams precede it
                    lst.append(h)
                    last_end = h["end_datetime"]
                # consultation nested in a hospitalisation (anaesthesia, specialist opinion)
                if stype == "hospitalisation" and (en - st).days >= 3 and r.random() < 0.12:
                    c_st = self.rand_dt(st + dt.timedelta(hours=12), en - dt.timedelta(hours=3))
                    lst.append(dict(stay_id=self.stay_id(hosp), patient_id=pat["patient_id"], start_datetime=c_st,
                                    end_datetime=c_st + dt.timedelta(minutes=45), unit=r.choice(self.UNITS[p]),
                                    stay_type="consultation", diagnoses=None, _hosp=hosp, _pre=False))
            # CHU: newborn born during the period -> birth stay (maternity / neonatology) from day 0
            if p == "chu_pediatrie_adulte" and pat["birth_date"] >= self.period0.date() and r.random() < 0.8:
                b0 = dt.datetime.combine(pat["birth_date"], dt.time(r.randint(0, 23), r.randrange(0, 60, 5)))
                b1 = b0 + dt.timedelta(days=r.choice([3, 4, 5, 8, 15, 25]))
                if not any(s["start_datetime"] <= b1 for s in lst):
                    lst.insert(0, dict(stay_id=self.stay_id("H"), patient_id=pat["patient_id"], start_datetime=b0, end_datetime=b1,
                                       unit=r.choice(["MATERNITE", "NEONATOLOGIE"]), stay_type="hospitalisation",
                                       diagnoses=r.choice(["P59.9", "P07.3", "P22.1", "Z38.0"]), _hosp="H", _pre=False))
            self.stays_of[pat["patient_id"]] = lst
            self.stays.extend(lst)

    def true_stay(self, pid, t, pre_ok=False):
        cands = [s for s in self.stays_of[pid] if s["start_datetime"] <= t <= s["end_datetime"]]
        if cands:
            return min(cands, key=lambda s: s["end_datetime"] - s["start_datetime"])
        if pre_ok:
            for s in self.stays_of[pid]:
                if s["stay_type"] == "hospitalisation" and dt.timedelta(0) < s["start_datetime"] - t <= dt.timedelta(hours=8):
                    return s
        return None

    # ------------------------------------------------------------ exam catalogue
    CAT = {
        "CT": [("TDM THORACIQUE", "CHEST"), ("TDM THORACO-ABDO-PELVIENNE", "CHEST"), ("SCANNER CEREBRAL SANS INJECTION", "HEAD"),
               ("TDM ABDOMINO-PELVIENNE", "ABDOMEN"), ("ANGIOSCANNER THORACIQUE", "CHEST"), ("TDM RACHIS LOMBAIRE", "LSPINE")],
        "MR": [("IRM CEREBRALE", "HEAD"), ("IRM DU GENOU DROIT", "KNEE"), ("IRM LOMBAIRE", "LSPINE"), ("IRM HEPATIQUE", "ABDOMEN"),
               ("IRM PROSTATIQUE MULTIPARAMETRIQUE", "PELVIS")],
        "US": [("ECHOGRAPHIE ABDOMINALE", "ABDOMEN"), ("ECHOGRAPHIE PELVIENNE", "PELVIS"), ("ECHO-DOPPLER VEINEUX MI", "LEG"),
               ("ECHOGRAPHIE THYROIDIENNE", "NECK"), ("ECHOGRAPHIE RENALE ET VESICALE", "ABDOMEN")],
        "CR": [("RADIOGRAPHIE THORAX FACE", "CHEST"), ("RX BASSIN FACE", "PELVIS"), ("RADIO POIGNET GAUCHE", "HAND"),
               ("ASP", "ABDOMEN")],
        "DX": [("THORAX FACE AU LIT", "CHEST"), ("RADIOGRAPHIE CHEVILLE DROITE", "ANKLE"), ("RX GENOU GAUCHE F+P", "KNEE")],
        "MG": [("MAMMOGRAPHIE BILATERALE", "BREAST"), ("MAMMOGRAPHIE DE DEPISTAGE", "BREAST")],
        "PT\\CT": [("TEP-TDM FDG CORPS ENTIER", "WHOLEBODY"), ("TEP-TDM 18F-PSMA", "WHOLEBODY"), ("TEP-TDM 68GA-DOTATOC", "WHOLEBODY"),
                   ("TEP-TDM FDG CEREBRALE", "HEAD"), ("TEP-TDM 18F-CHOLINE", "NECK")],
        "NM": [("SCINTIGRAPHIE OSSEUSE CORPS ENTIER", "WHOLEBODY"), ("SCINTIGRAPHIE THYROIDIENNE TC99M", "NECK"),
               ("SCINTIGRAPHIE MYOCARDIQUE DE PERFUSION", "HEART"), ("SCINTIGRAPHIE PULMONAIRE V/Q", "CHEST"),
               ("SCINTIGRAPHIE THYROIDIENNE IODE 123", "NECK")],
    }
    PED = {"US": [("ECHOGRAPHIE TRANSFONTANELLAIRE", "HEAD"), ("ECHOGRAPHIE HANCHES NOURRISSON", "HIP"),
                  ("ECHOGRAPHIE ABDOMINALE PEDIATRIQUE", "ABDOMEN")],
           "CR": [("RADIOGRAPHIE THORAX PEDIATRIQUE", "CHEST"), ("AGE OSSEUX MAIN GAUCHE", "HAND")],
           "MR": [("IRM CEREBRALE PEDIATRIQUE", "HEAD")]}

    def modality_for(self, pat, stype):
        r, p = self.r, self.p
        age = (dt.date(2023, 1, 1) - pat["birth_date"]).days / 365.25
        if p == "centre_medecine_nucleaire":
            return r.choices(["PT\\CT", "NM", "CT", "US"], [55, 35, 6, 4])[0]
        if stype == "emergency":
            return r.choices(["CT", "CR", "DX", "US", "MR"], [40, 25, 15, 15, 5])[0]
        if age < 16:
            return r.choices(["US", "CR", "MR", "CT", "DX"], [40, 30, 15, 8, 7])[0]
        w = [30, 18, 18, 12, 8, 6 if pat["sex"] == "F" else 0, 3, 3]
        if p == "imagerie_territoriale":
            w = [32, 14, 18, 14, 10, 8 if pat["sex"] == "F" else 0, 0, 0]
        return r.choices(["CT", "MR", "US", "CR", "DX", "MG", "PT\\CT", "NM"], w)[0]

    # ------------------------------------------------------------ exams
    def exam_uid(self):
        root = {"chu_pediatrie_adulte": "1.2.250.1.38.2.1", "imagerie_territoriale": "1.2.826.0.1.3680043.9.7421",
                "centre_medecine_nucleaire": "1.3.12.2.1107.5.1.4.95031"}[self.p]
        return self.uid(lambda: f"{root}.{self.r.randint(10**9, 10**10 - 1)}.{self.r.randint(1, 99999)}")

    def accession(self, t):
        p = self.p
        if p == "chu_pediatrie_adulte":
            return self.uid(lambda: f"{t:%Y}{self.digits(7)}")
        if p == "imagerie_territoriale":
            return self.uid(lambda: "GHT" + self.digits(9))
        return self.uid(lambda: "MN" + f"{t:%y}" + self.digits(6))

    MIGRATION = dt.datetime(2023, 3, 13)  # GHT RIS migration
    PACS_MERGE = dt.datetime(2022, 6, 1)  # CHU paediatric PACS merged into adult PACS

    def make_exams(self):
        r, p = self.r, self.p
        outp_mean = {"chu_pediatrie_adulte": 1.4, "imagerie_territoriale": 1.6, "centre_medecine_nucleaire": 2.6}[p]
        for pat in self.patients:
            pid = pat["patient_id"]
            plan = []  # (time, stay_or_None, pre_admission, stype)
            for s in self.stays_of[pid]:
                st = s["stay_type"]
                n = {"hospitalisation": r.choice([0, 1, 1, 2, 3]), "emergency": r.choice([0, 1, 1, 2]),
                     "day_care": r.choice([0, 0, 1]), "consultation": r.choice([0, 0, 0, 1])}[st]
                if p == "centre_medecine_nucleaire" and st != "day_care":
                    n = r.choice([0, 0, 1])
                for _ in range(n):
                    t = self.rand_dt(s["start_datetime"], s["end_datetime"])
                    if st == "hospitalisation" and (t.hour < 7 or t.hour > 20):
                        t = t.replace(hour=r.randint(8, 18))
                        if not (s["start_datetime"] <= t <= s["end_datetime"]):
                            t = self.rand_dt(s["start_datetime"], s["end_datetime"])
                    plan.append((t, st))
                born = dt.datetime.combine(pat["birth_date"], dt.time(0))
                if (s["_pre"] or (st == "hospitalisation" and r.random() < 0.08)) and \
                        s["start_datetime"] - dt.timedelta(hours=8) > born:
                    for _ in range(r.choice([1, 1, 2])):
                        t = s["start_datetime"] - dt.timedelta(minutes=r.randint(20, 7 * 60 + 50))
                        plan.append((t, "emergency"))
            no = int(r.expovariate(1 / outp_mean)) if r.random() < 0.9 else 0
            bstart = max(self.period0, dt.datetime.combine(pat["birth_date"], dt.time(0)) + dt.timedelta(days=1))
            for _ in range(no):
                for _try in range(20):
                    day = self.rand_dt(bstart, self.period1)
                    t = day.replace(hour=r.randint(7, 18), minute=r.randrange(0, 60, 5))
                    if self.true_stay(pid, t, True) is None:
                        break
                plan.append((t, "outpatient"))
            if not plan and r.random() < 0.9:
                t = self.rand_dt(bstart, self.period1).replace(hour=r.randint(8, 18))
                plan.append((t, "outpatient"))
            for t, st in sorted(plan, key=lambda x: x[0]):
                self.add_exam(pat, t, st)

    def add_exam(self, pat, t, stype):
        r, p = self.r, self.p
        pid = pat["patient_id"]
        truth_stay = self.true_stay(pid, t, pre_ok=True)
        mod = self.modality_for(pat, stype)
        child = (t.date() - pat["birth_date"]).days < 16 * 365
        cat = self.PED.get(mod) if child and mod in self.PED and r.random() < 0.6 else self.CAT[mod]
        desc, bp = r.choice(cat)
        for _ in range(10):  # sex-specific exams
            male_only = any(k in desc for k in ("PSMA", "CHOLINE", "PROSTAT"))
            if (male_only and pat["sex"] == "F") or (mod == "MG" and pat["sex"] == "M"):
                desc, bp = r.choice(cat)
            else:
                break
        if p == "imagerie_territoriale" and stype == "emergency" and (t.hour >= 20 or t.hour < 8):
            pass
        if p == "imagerie_territoriale":
            inst = {"CHA": "CH AVAL - SITE PRINCIPAL", "CHB": "CH BOISVERT", "CHC": "CH DES COLLINES", "CHD": "HOPITAL LOCAL DUNES"}
            site = truth_stay["_hosp"] if truth_stay and r.random() < 0.7 else r.choice(["CHA", "CHB", "CHC", "CHD"])
            institution = inst[site] if r.random() < 0.9 else None
        elif p == "chu_pediatrie_adulte":
            institution = ("CHU - HOPITAL ENFANTS" if child else "CHU - HOPITAL CENTRAL") if r.random() < 0.85 else "CHU"
        else:
            institution = r.choice(["CENTRE TEP NUCLEOSUD", "NUCLEOSUD", "Centre de Medecine Nucleaire Sud"])
        if truth_stay and r.random() < 0.3:
            unit = truth_stay["unit"]
        else:
            unit = {"chu_pediatrie_adulte": "IMAGERIE PEDIATRIQUE" if child else "RADIOLOGIE CENTRALE",
                    "imagerie_territoriale": "IMAGERIE MEDICALE",
                    "centre_medecine_nucleaire": "MEDECINE NUCLEAIRE"}[p]
            if stype == "emergency" and p != "centre_medecine_nucleaire" and r.random() < 0.5:
                unit = "RADIOLOGIE URGENCES"
        stay_fill = {"chu_pediatrie_adulte": 0.12, "imagerie_territoriale": 0.06, "centre_medecine_nucleaire": 0.25}[p]
        hdr_stay = truth_stay["stay_id"] if truth_stay and r.random() < stay_fill else None
        fault, hdr_pid, noise, name, bd, sex = self.header_identity(pat, t, stype)
        acc = self.accession(t)
        ex = dict(exam_id=self.exam_uid(), accession_number=acc, patient_id=hdr_pid, patient_name=name, birth_date=bd,
                  sex=sex, study_datetime=t, modality=mod, study_description=desc, body_part=bp, institution=institution,
                  unit=unit, stay_id=hdr_stay, _pat=pat, _stay=truth_stay, _stype=stype, _old_acc=None, _pair=None)
        if p == "imagerie_territoriale" and t < self.MIGRATION:
            ex["_old_acc"] = self.uid(lambda: f"{t:%y}" + self.digits(6))  # old RIS number (pre-migration)
        self.exams.append(ex)
        self.links.append(("exam", ex["exam_id"], "patient", pid))
        self.links.append(("exam", ex["exam_id"], "stay", truth_stay["stay_id"] if truth_stay else None))
        self.faults.append((ex["exam_id"], fault, ";".join(noise)))
        # nuclear medicine: PET exported as two studies (PT + low-dose CT) on some cameras
        if p == "centre_medecine_nucleaire" and mod == "PT\\CT" and r.random() < 0.3:
            ex["modality"] = "PT"
            ct = dict(ex)
            ct.update(exam_id=self.exam_uid(), modality="CT", study_description="TDM LOW DOSE POUR CORRECTION ATTENUATION",
                      study_datetime=t + dt.timedelta(minutes=r.randint(0, 3)) if truth_stay is None or
                      t + dt.timedelta(minutes=3) <= truth_stay["end_datetime"] else t,
                      accession_number=acc if r.random() < 0.5 else self.accession(t), _pair=ex["exam_id"])
            self.exams.append(ct)
            self.links.append(("exam", ct["exam_id"], "patient", pid))
            self.links.append(("exam", ct["exam_id"], "stay", truth_stay["stay_id"] if truth_stay else None))
            self.faults.append((ct["exam_id"], fault, ";".join(noise)))
            ex["_pair"] = ct["exam_id"]

    # ------------------------------------------------------------ identity faults and noise
    def mistype(self, ipp):
        r = self.r
        for _ in range(50):
            k = r.random()
            s = list(ipp)
            if k < 0.45:
                i = r.randrange(len(s))
                s[i] = r.choice([c for c in "0123456789" if c != s[i]])
            elif k < 0.8:
                i = r.randrange(len(s) - 1)
                if s[i] == s[i + 1]:
                    continue
                s[i], s[i + 1] = s[i + 1], s[i]
            else:
                s = s[r.randint(1, 2):]
            v = "".join(s)
            if v not in self.pid_by_id:
                return v
        return None

    def noisy_name(self, fam, given, pat, noise, rate):
        r = self.r
        if pat.get("usage_name") and r.random() < 0.45:
            fam = pat["usage_name"]
            noise.append("usage_name")
        if r.random() < rate * 0.6:
            fam2 = strip_accents(fam)
            g2 = strip_accents(given)
            if fam2 != fam or g2 != given:
                fam, given = fam2, g2
                noise.append("accents_lost")
        if ("-" in fam or " " in fam) and r.random() < rate * 1.5:
            bits = fam.replace("-", " ").split()
            main = bits[-1] if bits[0] in ("DE", "DU", "LE", "LA", "DES", "D'") else bits[0]
            fam = r.choice(["".join(bits), main, " ".join(bits), "-".join(bits)])
            noise.append("compound")
        if r.random() < rate * 0.3 and len(fam) > 4:
            i = r.randrange(1, len(fam) - 1)
            op = r.random()
            if op < 0.4:
                fam = fam[:i] + fam[i + 1:]
            elif op < 0.7:
                fam = fam[:i] + fam[i] + fam[i:]
            else:
                fam = fam[:i] + r.choice("AEIOURSTNL") + fam[i + 1:]
            noise.append("typo")
        if r.random() < rate * 0.25:
            given = given.upper()
            fam = fam.capitalize() if r.random() < 0.5 else fam.lower()
            noise.append("case")
        else:
            given = given.upper() if r.random() < 0.7 else given
        if r.random() < rate * 0.15:
            fam, given = given, fam
            noise.append("swapped")
        return f"{fam}^{given}"

    def header_identity(self, pat, t, stype):
        r, p = self.r, self.p
        pid = pat["patient_id"]
        age_days = (t.date() - pat["birth_date"]).days
        child = age_days < 16 * 365
        night = t.hour >= 20 or t.hour < 8
        fault = "none"
        hdr = pid
        noise = []
        base_rate = {"chu_pediatrie_adulte": 0.22, "imagerie_territoriale": 0.28, "centre_medecine_nucleaire": 0.18}[p]
        x = r.random()
        if p == "chu_pediatrie_adulte":
            if age_days < 30 and r.random() < 0.6:
                fault = "newborn_temporary"
            elif child and pat["_parent"] and x < 0.06:
                fault = "parent_ipp"
            elif child and t < self.PACS_MERGE and x < 0.30:
                fault = "reformatted_ipp"
            elif x < 0.03 + (0.06 if stype == "emergency" else 0):
                fault = "temporary_ipp"
            elif x < 0.12:
                fault = r.choices(["missing_ipp", "mistyped_ipp", "other_patient_ipp", "merged_identity"], [3, 4, 2, 2])[0]
        elif p == "imagerie_territoriale":
            if stype == "emergency" and night and x < 0.12:
                fault = "temporary_ipp"
            elif x < 0.05:
                fault = "local_ipp"
            elif x < 0.15:
                fault = r.choices(["missing_ipp", "mistyped_ipp", "other_patient_ipp", "temporary_ipp"], [4, 3, 3, 2])[0]
        else:
            if x < 0.05:
                fault = "external_ipp"
            elif x < 0.13:
                fault = r.choices(["missing_ipp", "mistyped_ipp", "other_patient_ipp", "temporary_ipp"], [2, 5, 1.5, 1])[0]
        rate = base_rate * (1.6 if fault != "none" else 1.0)
        fam, given = pat["family_name"], pat["given_name"]
        bd, sex = pat["birth_date"], pat["sex"]
        if fault == "missing_ipp":
            hdr = None if r.random() < 0.8 else r.choice(["", "0", "INCONNU"])
        elif fault == "mistyped_ipp":
            hdr = self.mistype(pid)
            if hdr is None:
                fault, hdr = "none", pid
        elif fault == "other_patient_ipp":
            same = [q for q in self.patients if q["family_name"] == pat["family_name"] and q is not pat]
            q = r.choice(same) if same and r.random() < 0.35 else r.choice(self.patients)
            if q is pat:
                fault = "none"
            else:
                hdr = q["patient_id"]
        elif fault == "temporary_ipp":
            key = (pid, t.date())
            if not hasattr(self, "_tmp"):
                self._tmp = {}
            if key not in self._tmp:
                self._tmp[key] = self.uid(lambda: ("TMP" + self.digits(6)) if p != "chu_pediatrie_adulte" else ("9999" + self.digits(5)))
            hdr = self._tmp[key]
        elif fault == "newborn_temporary":
            if not hasattr(self, "_nn"):
                self._nn = {}
            if pid not in self._nn:
                self._nn[pid] = self.uid(lambda: "NN" + self.digits(7))
            hdr = self._nn[pid]
            parent = self.pid_by_id.get(pat["_parent"]) if pat["_parent"] else None
            mother = parent["usage_name"] or parent["family_name"] if parent else fam
            fam, given = r.choice([("BEBE DE", mother), ("BB", mother), (mother, "BEBE"), (f"BEBE {mother}", "")])
            noise.append("newborn_name")
            if r.random() < 0.3:
                sex = None
                noise.append("sex_missing")
            name = f"{fam}^{given}".rstrip("^")
            return fault, hdr, noise, name, bd, sex
        elif fault == "parent_ipp":
            par = self.pid_by_id[pat["_parent"]]
            hdr = par["patient_id"]
            if r.random() < 0.5:
                fam, given = par["family_name"], par["given_name"]
                noise.append("parent_identity")
                if r.random() < 0.6:
                    bd, sex = par["birth_date"], par["sex"]
        elif fault == "reformatted_ipp":
            hdr = r.choice(["0" + pid, "P" + pid[1:], pid[1:]])
        elif fault == "merged_identity":
            if not hasattr(self, "_dup"):
                self._dup = {}
            if pid not in self._dup:
                self._dup[pid] = self.new_ipp()  # duplicate IPP, merged later, absent from the registry
            hdr = self._dup[pid]
        elif fault == "local_ipp":
            if not hasattr(self, "_loc"):
                self._loc = {}
            if pid not in self._loc:
                self._loc[pid] = self.uid(lambda: "L" + self.digits(6))
            hdr = self._loc[pid]
        elif fault == "external_ipp":
            hdr = self.uid(lambda: self.r.choice(["CL", "EXT", "K"]) + self.digits(7))
        name = self.noisy_name(fam, given, pat, noise, rate)
        if r.random() < rate * 0.12 and bd.day <= 12 and bd.day != bd.month:
            bd = dt.date(bd.year, bd.day, bd.month)
            noise.append("birth_day_month_swap")
        elif r.random() < rate * 0.12:
            for _ in range(10):
                s = list(bd.strftime("%Y%m%d"))
                i = r.choice([2, 3, 5, 6, 7])
                s[i] = r.choice("0123456789")
                try:
                    nb = dt.datetime.strptime("".join(s), "%Y%m%d").date()
                except ValueError:
                    continue
                if nb != bd:
                    bd = nb
                    noise.append("birth_date_typo")
                    break
        if r.random() < rate * 0.15 and sex:
            sex = None
            noise.append("sex_missing")
        if p == "centre_medecine_nucleaire" and len(name) > 22 and r.random() < 0.5:
            name = name[:22]  # old camera console: PN field truncated
            noise.append("truncated")
        return fault, hdr, noise, name, bd, sex

    # ------------------------------------------------------------ reports
    RADIOLOGISTS = ["Dr LEMAIRE", "Dr N'GUYEN", "Pr DURAND-VIEL", "Dr ABITBOL", "Dr FERRAND", "Dr OUARDI", "Dr KERMAREC"]

    def fmt_date(self, t):
        r = self.r
        mois = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        return r.choice([f"{t:%d/%m/%Y}", f"{t.day} {mois[t.month - 1]} {t.year}", f"{t:%d/%m/%y}", f"{t:%d.%m.%Y}"])

    # indications, normal and abnormal findings, by family of exam
    TXT = {
        "PET": (["Bilan d'extension initial d'un adénocarcinome pulmonaire.", "Évaluation de la réponse après 4 cures de R-CHOP.",
                 "Suspicion de récidive, remontée des marqueurs.", "Bilan initial d'un lymphome de Hodgkin.",
                 "Nodule pulmonaire de 14 mm, caractérisation.", "Remontée du PSA à 1,2 ng/mL après prostatectomie."],
                ["Pas de foyer hypermétabolique suspect.", "Absence de fixation pathologique ganglionnaire médiastinale."],
                ["ganglionnaire médiastinal 4R", "lobaire supérieur droit", "hépatique segment VII", "osseux iliaque gauche",
                 "surrénalien gauche", "sus-claviculaire gauche"]),
        "BONE": (["Bilan d'extension d'un cancer de la prostate.", "Douleurs osseuses diffuses, néoplasie mammaire traitée.",
                  "Suspicion de fracture de fatigue."],
                 ["Pas de foyer d'hyperfixation suspect.", "Fixations dégénératives rachidiennes sans caractère suspect."],
                 ["costal droit", "vertébral L2", "iliaque gauche", "sacré"]),
        "THYR": (["Hyperthyroïdie biologique, TSH effondrée.", "Nodule thyroïdien palpable.", "Goitre multinodulaire."],
                 ["Fixation homogène des deux lobes, sans nodule froid ni chaud."],
                 ["lobaire droit (nodule chaud)", "lobaire gauche (nodule froid)"]),
        "HEART": (["Douleur thoracique atypique, épreuve d'effort non contributive.", "Bilan préopératoire coronarien."],
                  ["Pas de défect de perfusion réversible. FEVG estimée à 62 %."],
                  ["inférieur (ischémie réversible)", "antéro-septal (séquelle de nécrose)"]),
        "CHEST": (["Dyspnée d'aggravation progressive.", "Toux fébrile.", "Suspicion d'embolie pulmonaire.", "Bilan d'extension.",
                   "Contrôle post-opératoire.", "Position de la sonde d'intubation."],
                  ["Pas d'épanchement pleural. Pas de foyer de condensation.", "Pas d'embolie pulmonaire.", "Pas d'adénopathie médiastinale."],
                  ["lobaire inférieur droit", "lobaire supérieur gauche", "pleural droit", "hilaire gauche"]),
        "HEAD": (["Céphalées inhabituelles.", "Déficit moteur brutal de l'hémicorps droit.", "Traumatisme crânien sous anticoagulant.",
                  "Crise convulsive inaugurale."],
                 ["Pas d'hémorragie intracrânienne. Pas d'effet de masse.", "Pas d'anomalie de signal parenchymateuse."],
                 ["frontal droit", "pariétal gauche", "capsulo-lenticulaire gauche"]),
        "ABDO": (["Douleur abdominale fébrile.", "Douleur de la fosse iliaque droite.", "Cholestase biologique.", "Suivi de cirrhose."],
                 ["Foie de taille normale, sans lésion focale. Pas d'épanchement.", "Pas de dilatation des voies biliaires."],
                 ["hépatique segment VI", "appendiculaire", "rénal gauche", "pancréatique céphalique"]),
        "OSTEO": (["Traumatisme, recherche de fracture.", "Chute de sa hauteur.", "Douleur mécanique.", "Âge osseux, retard de croissance."],
                  ["Pas de fracture visible.", "Pas de lésion osseuse traumatique décelable."],
                  ["du col fémoral droit", "de l'extrémité distale du radius", "de la malléole latérale"]),
        "BREAST": (["Dépistage organisé.", "Masse palpable du sein gauche."],
                   ["Seins de densité de type B. Pas d'anomalie. ACR 1."],
                   ["du quadrant supéro-externe gauche", "rétro-aréolaire droite"]),
        "PED": (["Fièvre du nourrisson sans point d'appel.", "Dépistage de luxation congénitale de hanche.", "Prématurité, surveillance.",
                 "Vomissements en jet."],
                ["Examen dans les limites de la normale pour l'âge.", "Pas d'hémorragie intraventriculaire."],
                ["pylorique (épaississement)", "rénal droit (dilatation pyélique)", "intraventriculaire grade I"]),
    }

    def family(self, ex):
        d, m, bp = ex["study_description"], ex["modality"], ex["body_part"]
        if m in ("PT\\CT", "PT"):
            return "PET"
        if m == "NM":
            return "BONE" if "OSSEUSE" in d else "THYR" if "THYRO" in d else "HEART" if "MYOCARD" in d else "CHEST"
        if "PEDIATRIQUE" in d or "NOURRISSON" in d or "TRANSFONTAN" in d:
            return "PED"
        if bp in ("CHEST",):
            return "CHEST"
        if bp in ("HEAD",):
            return "HEAD"
        if bp in ("ABDOMEN", "PELVIS", "NECK"):
            return "ABDO"
        if bp == "BREAST":
            return "BREAST"
        return "OSTEO"

    def body(self, ex, t, date_in_text):
        r = self.r
        mod, desc = ex["modality"], ex["study_description"]
        pat = ex["_pat"]
        fam = self.family(ex)
        inds, normals, sites = self.TXT[fam]
        civ = "Madame" if pat["sex"] == "F" else "Monsieur"
        lines = []
        if date_in_text:
            lines.append(r.choice([f"Examen réalisé le {self.fmt_date(t)}.", f"{desc} du {self.fmt_date(t)}",
                                   f"Date de l'examen : {self.fmt_date(t)}", f"Examen du {self.fmt_date(t)} à {t:%Hh%M}."]))
        if r.random() < 0.5:
            lines.append(f"Patient(e) : {civ} [NOM]")
        lines.append(r.choice(["Indication :", "INDICATION", "Renseignements cliniques :", "Motif :"]))
        ind = r.choice(inds)
        if "PSMA" in desc or "CHOLINE" in desc:
            ind = r.choice(["Remontée du PSA à 1,2 ng/mL après prostatectomie.", "Bilan initial d'un adénocarcinome prostatique à haut risque."])
        elif "DOTATOC" in desc:
            ind = "Tumeur neuroendocrine du grêle, bilan d'extension."
        lines.append(ind)
        lines.append(r.choice(["Technique :", "TECHNIQUE", "Protocole :"]))
        if fam == "PET":
            tr = "FDG" if "FDG" in desc else desc.split()[-1]
            dose = r.randint(150, 380)
            gly = f"Glycémie à {str(r.randint(80, 140) / 100).replace('.', ',')} g/L. " if tr == "FDG" else ""
            lines.append(f"Injection de {dose} MBq de {tr}. {gly}Acquisition {r.randint(55, 75)} minutes après injection, "
                         "couplée à un scanner low dose.")
        elif mod == "NM":
            lines.append(f"Injection de {r.randint(400, 740)} MBq de 99mTc-HMDP, balayage corps entier à 3 heures."
                         if fam == "BONE" else f"Injection de {r.randint(70, 185)} MBq, acquisition planaire et tomographique.")
        elif mod == "CT":
            lines.append(r.choice(["Acquisition hélicoïdale sans puis avec injection de produit de contraste iodé.",
                                   "Acquisition sans injection.", "Acquisition au temps portal après injection."]))
        elif mod == "MR":
            lines.append("Séquences T1, T2, FLAIR, diffusion, T1 après gadolinium.")
        elif mod == "US":
            lines.append(r.choice(["Sonde convexe et linéaire.", "Examen réalisé au lit.", "Échographie mode B et doppler couleur."]))
        elif mod == "MG":
            lines.append("Incidences face et oblique bilatérales, complétées par une échographie.")
        else:
            lines.append(r.choice(["Incidences standard.", "Cliché de face au lit.", "Face et profil."]))
        lines.append(r.choice(["Résultats :", "RESULTATS", "Description :"]))
        if r.random() < 0.45:
            lines.append(r.choice(normals))
            concl = r.choice(["Examen normal.", "Absence d'anomalie significative.", "Pas d'anomalie décelable."])
        else:
            sz = r.randint(5, 45)
            site = r.choice(sites)
            if fam == "PET":
                suv = str(r.randint(25, 180) / 10).replace(".", ",")
                lines.append(f"Foyer hypermétabolique {site} de {sz} mm, SUVmax {suv}.")
                lines.append(f"Foie de référence SUVmax {str(r.randint(18, 32) / 10).replace('.', ',')}.")
                concl = r.choice([f"Foyer {site} suspect, à confronter à l'histologie.", f"Foyer {site} compatible avec une localisation secondaire.",
                                  f"Réponse métabolique partielle, foyer {site} résiduel."])
            elif fam in ("BONE", "THYR", "HEART"):
                lines.append(f"Hyperfixation / anomalie {site}.")
                concl = r.choice([f"Anomalie {site}, à confronter.", f"Aspect évocateur d'une atteinte {site}."])
            elif fam == "OSTEO":
                lines.append(f"Trait de fracture {site}, non déplacé.")
                concl = f"Fracture {site}."
            else:
                lines.append(f"Lésion {site} mesurant {sz} mm.")
                concl = r.choice([f"Lésion {site} suspecte, à confronter.", f"Lésion {site} probablement bénigne, contrôle à 6 mois.",
                                  f"Aspect stable de la lésion {site}."])
        lines.append(r.choice(["Conclusion :", "CONCLUSION", "En conclusion :"]))
        lines.append(concl)
        return lines

    def title(self, ex):
        r = self.r
        d = ex["study_description"]
        return r.choice([d, d.title(), f"Compte rendu : {d}", f"CR {d}", "COMPTE RENDU D'IMAGERIE"])

    def make_reports(self):
        r, p = self.r, self.p
        rid_fn = {"chu_pediatrie_adulte": lambda: "CR" + self.digits(8),
                  "imagerie_territoriale": lambda: "RPT-" + self.digits(9),
                  "centre_medecine_nucleaire": lambda: self.digits(10)}[p]
        date_frac = {"chu_pediatrie_adulte": 0.35, "imagerie_territoriale": 0.65, "centre_medecine_nucleaire": 0.8}[p]
        no_report = {"chu_pediatrie_adulte": 0.06, "imagerie_territoriale": 0.04, "centre_medecine_nucleaire": 0.03}[p]
        for ex in self.exams:
            if ex["_pair"] and ex["modality"] == "CT":
                continue  # the low-dose CT is covered by the PET report
            if r.random() < no_report:
                continue  # never dictated / not exported
            t = ex["study_datetime"]
            mod = ex["modality"]
            night = t.hour >= 20 or t.hour < 8
            if p == "chu_pediatrie_adulte":
                if r.random() < 0.45:  # resident dictation, senior validation days later
                    rt = t + dt.timedelta(days=r.randint(1, 6), hours=r.randint(0, 8))
                    sign = f"Dicté par {r.choice(['Dr BENSAID (interne)', 'Dr MOREL (interne)', 'Dr LE-GALL (DJ)'])}, validé par {r.choice(self.RADIOLOGISTS)}."
                else:
                    rt = t + dt.timedelta(hours=r.uniform(0.5, 30 if mod in ('MR', 'NM', 'PT\\CT') else 8))
                    sign = r.choice(self.RADIOLOGISTS)
            elif p == "imagerie_territoriale":
                if night:
                    rt = t + dt.timedelta(minutes=r.randint(20, 180))
                    sign = f"Téléradiologie — {r.choice(['Dr SAADI', 'Dr VERNIER', 'Dr KOWALSKI'])} (garde de nuit)"
                else:
                    rt = t + dt.timedelta(hours=r.uniform(0.3, 48 if mod == 'MR' else 10))
                    sign = r.choice(self.RADIOLOGISTS)
            else:
                if r.random() < 0.55:  # batch signing on Friday afternoon
                    d0 = t + dt.timedelta(days=1)
                    while d0.weekday() != 4:
                        d0 += dt.timedelta(days=1)
                    if r.random() < 0.3:
                        d0 += dt.timedelta(days=7)
                    rt = d0.replace(hour=r.randint(16, 19), minute=r.randint(0, 59), second=r.randint(0, 59))
                else:
                    rt = t + dt.timedelta(days=r.randint(1, 12), hours=r.randint(0, 6))
                sign = r.choice(["Dr MARCHETTI, médecin nucléaire", "Dr OUALI", "Pr ROUSSEAU-BLANC"])
            rt = rt.replace(microsecond=0)
            self.add_report(ex, rt, sign, rid_fn, date_frac)
        # reports of outside exams (second opinion / re-reading), no exam in the warehouse
        n_out = int(len(self.exams) * {"chu_pediatrie_adulte": 0.01, "imagerie_territoriale": 0.025, "centre_medecine_nucleaire": 0.03}[p])
        for _ in range(n_out):
            pat = r.choice(self.patients)
            rt = self.rand_dt(self.period0, self.period1).replace(hour=r.randint(9, 18), microsecond=0)
            st = self.true_stay(pat["patient_id"], rt)
            txt = [r.choice(["Relecture d'un examen réalisé à l'extérieur.", "Avis sur imagerie extérieure (CD apporté par le patient).",
                             "Seconde lecture TEP réalisée dans un autre centre."]),
                   "Conclusion :", r.choice(["Pas d'élément nouveau.", "Concordant avec le compte rendu initial.", "Lésion suspecte confirmée."])]
            rep = dict(report_id=self.uid(rid_fn), patient_id=pat["patient_id"], stay_id=st["stay_id"] if st and r.random() < 0.5 else None,
                       report_datetime=rt, title="AVIS SUR EXAMEN EXTERIEUR", text="\n".join(txt), accession_number=None)
            self.reports.append(rep)
            self.links.append(("report", rep["report_id"], "exam", None))
            self.links.append(("report", rep["report_id"], "stay", st["stay_id"] if st else None))

    def add_report(self, ex, rt, sign, rid_fn, date_frac):
        r, p = self.r, self.p
        pat = ex["_pat"]
        t = ex["study_datetime"]
        lines = self.body(ex, t, r.random() < date_frac)
        if ex["_pair"]:
            lines.insert(0, "TEP et scanner low dose de repérage réalisés au cours de la même séance.")
        lines.append(sign)
        text = "\n".join(lines)
        if p == "imagerie_territoriale" and r.random() < 0.07:
            text = "<p>" + text.replace("\n", "<br>").replace("'", "&#39;").replace("é", "&eacute;") + "</p>"
        # patient id on the report (from the RIS / report server)
        pid = pat["patient_id"]
        fp = {"chu_pediatrie_adulte": 0.04, "imagerie_territoriale": 0.03, "centre_medecine_nucleaire": 0.02}[p]
        if r.random() < fp:
            pid = None
        elif p == "chu_pediatrie_adulte" and self.faults_by.get(ex["exam_id"]) == "newborn_temporary" and r.random() < 0.5:
            pid = ex["patient_id"]  # report filed under the baby's provisional IPP
        st = ex["_stay"]
        sfill = {"chu_pediatrie_adulte": 0.6, "imagerie_territoriale": 0.35, "centre_medecine_nucleaire": 0.15}[p]
        stay_id = st["stay_id"] if st and r.random() < sfill else None
        if p == "imagerie_territoriale":
            if ex["_old_acc"]:
                acc = r.choices([ex["_old_acc"], ex["accession_number"], None], [45, 25, 30])[0]
            else:
                acc = ex["accession_number"] if r.random() < 0.6 else None
        elif p == "chu_pediatrie_adulte":
            acc = ex["accession_number"] if r.random() < 0.5 else None
        else:
            acc = ex["accession_number"] if r.random() < 0.7 else None
        rep = dict(report_id=self.uid(rid_fn), patient_id=pid, stay_id=stay_id, report_datetime=rt, title=self.title(ex),
                   text=text, accession_number=acc)
        self.reports.append(rep)
        self.links.append(("report", rep["report_id"], "exam", ex["exam_id"]))
        self.links.append(("report", rep["report_id"], "stay", st["stay_id"] if st else None))
        reissue = {"chu_pediatrie_adulte": 0.02, "imagerie_territoriale": 0.02, "centre_medecine_nucleaire": 0.06}[p]
        if r.random() < reissue:
            rt2 = rt + dt.timedelta(days=r.randint(0, 20), hours=r.randint(1, 8))
            text2 = (f"COMPTE RENDU RECTIFIÉ — annule et remplace le compte rendu du {rt:%d/%m/%Y}.\n" +
                     text.replace("Conclusion", "Conclusion (corrigée)"))
            rep2 = dict(rep, report_id=self.uid(rid_fn), report_datetime=rt2, title="ADDENDUM - " + rep["title"], text=text2)
            self.reports.append(rep2)
            self.links.append(("report", rep2["report_id"], "exam", ex["exam_id"]))
            self.links.append(("report", rep2["report_id"], "stay", st["stay_id"] if st else None))

    # ------------------------------------------------------------ run / write
    def run(self):
        self.make_patients()
        self.make_stays()
        self.make_exams()
        self.faults_by = {e: f for e, f, _ in self.faults}
        self.make_reports()

    def write(self, out):
        os.makedirs(os.path.join(out, "truth"), exist_ok=True)
        key = {"patients": "patient_id", "stays": "stay_id", "exams": "exam_id", "reports": "report_id"}
        # rows in a warehouse export order (by id) so that order carries no truth
        rows = {"patients": self.patients, "stays": self.stays, "exams": self.exams, "reports": self.reports}
        for name, lst in rows.items():
            cols = SCHEMAS[name]
            lst = sorted(lst, key=lambda d: d[key[name]])
            arrays = [pa.array([d[c] for d in lst], type=t) for c, t in cols]
            pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(cols)), os.path.join(out, name + ".parquet"),
                           compression="zstd")
        for name, tuples in (("links", self.links), ("exam_faults", self.faults)):
            cols = SCHEMAS[name]
            tuples = sorted(tuples, key=lambda x: tuple(v or "" for v in x))
            arrays = [pa.array([x[i] for x in tuples], type=t) for i, (c, t) in enumerate(cols)]
            pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(cols)), os.path.join(out, "truth", name + ".parquet"),
                           compression="zstd")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--profile", required=True, choices=PROFILES)
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    g = Gen(a.profile, a.patients, a.seed)
    g.run()
    g.write(a.out)
    print(f"{a.profile}: patients={len(g.patients)} stays={len(g.stays)} exams={len(g.exams)} reports={len(g.reports)} -> {a.out}")


if __name__ == "__main__":
    main()
