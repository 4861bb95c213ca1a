#!/usr/bin/env python3
"""warehouse13 -- blind synthetic French imaging warehouse generator.

Written from the table contract only (radlink/tables.py docstring + TableSpec, the
data_samples README and parquet schemas).  Standard library + pyarrow.

usage: generate.py --profile NAME --patients N --seed S -o DIR
profiles: seances_hdj_oncologie, horloges_et_compteurs, patients_internationaux
"""
import argparse
import datetime as dt
import os
import random
import zlib

import pyarrow as pa
import pyarrow.parquet as pq

D, T = dt.date, dt.datetime
TD = dt.timedelta

S = pa.string()
TS = pa.timestamp("us")
SCHEMAS = {
 "patients": [("patient_id", S), ("family_name", S), ("given_name", S), ("birth_date", pa.date32()), ("sex", S), ("usage_name", S)],
 "stays": [("stay_id", S), ("patient_id", S), ("start_datetime", TS), ("end_datetime", TS), ("unit", S), ("stay_type", S), ("diagnoses", S)],
 "exams": [("exam_id", S), ("accession_number", S), ("patient_id", S), ("patient_name", S), ("birth_date", pa.date32()), ("sex", S),
           ("study_datetime", TS), ("modality", S), ("study_description", S), ("body_part", S), ("institution", S), ("unit", S), ("stay_id", S)],
 "reports": [("report_id", S), ("patient_id", S), ("stay_id", S), ("report_datetime", TS), ("title", S), ("text", S), ("accession_number", S)],
 "truth/links": [("source_type", S), ("source_id", S), ("target_type", S), ("target_id", S)],
 "truth/exam_faults": [("exam_id", S), ("fault", S), ("identity_noise", S)],
}

FR_FAMILY = ["MARTIN"]*12 + ["BERNARD"]*8 + ["THOMAS"]*6 + ["PETIT"]*6 + ["ROBERT"]*5 + ["RICHARD"]*5 + ["DURAND"]*5 + ["DUBOIS"]*5 + [
 "MOREAU", "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD", "BONNET",
 "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT", "MULLER", "LEFEVRE", "FAURE", "ANDRE", "MERCIER", "BLANC", "GUERIN", "BOYER",
 "GARNIER", "CHEVALIER", "FRANCOIS", "LEGRAND", "GAUTHIER", "GARCIA", "PERRIN", "ROBIN", "CLEMENT", "MORIN", "NICOLAS", "HENRY",
 "ROUSSEL", "MATHIEU", "GAUTIER", "MASSON", "MARCHAND", "DUVAL", "DENIS", "DUMONT", "MARIE", "LEMAIRE", "NOEL", "MEYER", "DUFOUR",
 "MEUNIER", "BRUN", "BLANCHARD", "GIRAUD", "JOLY", "RIVIERE", "LUCAS", "BRUNET", "GAILLARD", "BARBIER", "ARNAUD", "MARTINEZ",
 "GÉRARD", "ROCHE", "RENARD", "SCHMITT", "ROY", "LEROUX", "COLIN", "VIDAL", "CARON", "PICARD", "ROGER", "FABRE", "AUBERT",
 "LEMOINE", "RENAUD", "DUMAS", "LACROIX", "OLIVIER", "PHILIPPE", "BOURGEOIS", "PIERRE", "BENOÎT", "REY", "LECLERC", "PAYET",
 "ROLLAND", "LECLERCQ", "GUILLAUME", "LECOMTE", "LÓPEZ", "JEAN", "DUPUY", "GUILLOT", "HUBERT", "BERGER", "CARPENTIER", "SANCHEZ",
 "DE LA FONTAINE", "LE GALL", "LE BRIS", "D'ALMEIDA", "SAINT-JUST", "LEBRETON-HÉMON", "DE SOUSA", "N'DIAYE", "KERGOAT", "QUÉRÉ"]
FR_M = ["JEAN", "PIERRE", "MICHEL", "ANDRÉ", "PHILIPPE", "ALAIN", "BERNARD", "JACQUES", "FRANÇOIS", "CHRISTIAN", "DANIEL", "PATRICK",
        "NICOLAS", "OLIVIER", "LAURENT", "THIERRY", "STÉPHANE", "ÉRIC", "JÉRÔME", "JEAN-PIERRE", "JEAN-LUC", "MARC", "GÉRARD", "YVES"]
FR_F = ["MARIE", "NATHALIE", "ISABELLE", "SYLVIE", "CATHERINE", "FRANÇOISE", "MONIQUE", "CHRISTINE", "VALÉRIE", "SANDRINE",
        "HÉLÈNE", "NICOLE", "ANNE", "MARTINE", "CÉLINE", "ÉMILIE", "MARIE-CLAUDE", "JOSIANE", "BRIGITTE", "CHANTAL", "AURÉLIE", "GENEVIÈVE"]
# international names: canonical registry spelling + transliteration variants seen elsewhere
INTL = [  # (family variants, given variants, sex, origin)
 (["BENABDALLAH", "BEN ABDALLAH", "BENABDELLAH", "BEN-ABDALLAH"], ["MOHAMED", "MOHAMMED", "MOHAMMAD", "MUHAMMAD"], "M", "ar"),
 (["EL KHOURY", "ELKHOURY", "EL-KHOURI", "KHOURY"], ["YOUSSEF", "YOUSSOUF", "YUSUF", "YOUSEF"], "M", "ar"),
 (["BOUAZIZ", "BOUAZIS", "BOU AZIZ"], ["FATIMA", "FATIMA ZAHRA", "FATMA", "FATIMA-ZOHRA"], "F", "ar"),
 (["ABDELKADER", "ABD EL KADER", "ABDELKADIR"], ["AICHA", "AÏCHA", "AISHA", "AYCHA"], "F", "ar"),
 (["HADDAD", "HADDED", "AL HADDAD"], ["KHALED", "KHALID", "KALED"], "M", "ar"),
 (["IVANOV", "IVANOFF", "IWANOW"], ["SERGUEI", "SERGEY", "SERGEJ", "SERGUEÏ"], "M", "ru"),
 (["KOUZNETSOVA", "KUZNETSOVA", "KUZNECOVA", "KOUZNETSOV"], ["IOULIA", "YULIA", "JULIJA", "IULIIA"], "F", "ru"),
 (["TCHERNYCHEV", "CHERNYSHEV", "TSCHERNYSCHOW"], ["ALEKSANDR", "ALEXANDRE", "ALEXANDER", "OLEKSANDR"], "M", "ru"),
 (["SHEVCHENKO", "CHEVTCHENKO", "SZEWCZENKO"], ["OLENA", "ELENA", "ALENA", "HELENA"], "F", "ua"),
 (["ZHANG", "CHANG", "TCHANG"], ["WEI", "WEI MING", "WEIMING", "WEI-MING"], "M", "zh"),
 (["WANG", "WONG", "OUANG"], ["XIAOLI", "XIAO LI", "XIAO-LI", "HSIAO LI"], "F", "zh"),
 (["LIU", "LIOU", "LAU"], ["JIANHUA", "JIAN HUA", "CHIEN HUA"], "M", "zh"),
 (["DA SILVA SANTOS", "DA SILVA", "SANTOS", "SILVA SANTOS", "DA SILVA-SANTOS"], ["JOÃO", "JOAO", "JOAO PEDRO", "JOÃO PEDRO"], "M", "pt"),
 (["FERREIRA DOS SANTOS", "FERREIRA", "DOS SANTOS", "FERREIRA-DOS SANTOS"], ["MARIA", "MARIA DE FÁTIMA", "MARIA FATIMA"], "F", "pt"),
 (["GARCÍA LÓPEZ", "GARCIA LOPEZ", "GARCIA", "GARCIA-LOPEZ"], ["JOSÉ LUIS", "JOSE LUIS", "JOSE", "JOSELUIS"], "M", "es"),
 (["FERNÁNDEZ RUIZ", "FERNANDEZ RUIZ", "FERNANDEZ", "FERNANDEZ-RUIZ"], ["MARÍA JOSÉ", "MARIA JOSE", "MARIA"], "F", "es"),
 (["NGUYEN", "NGUYEN VAN", "NGUYÊN"], ["VAN MINH", "MINH", "VAN-MINH"], "M", "vi"),
 (["DIALLO", "DJALLO", "JALLOH"], ["MAMADOU", "MAMADOU LAMINE", "MAMADU"], "M", "wa"),
 (["YILMAZ", "YILMAS", "YÍLMAZ"], ["AYSE", "AYŞE", "AICHE"], "F", "tr"),
 (["MÜLLER", "MUELLER", "MULLER"], ["JÜRGEN", "JURGEN", "JUERGEN"], "M", "de"),
 (["KOWALSKI", "KOVALSKI", "KOWALSKY"], ["KRZYSZTOF", "KRZYSZTOF", "CHRISTOPHE"], "M", "pl"),
 (["O'BRIEN", "OBRIEN", "O BRIEN"], ["SIOBHAN", "SIOBHÁN", "SHIVON"], "F", "ie"),
]
LANG = {"ar": "arabe", "ru": "russe", "ua": "ukrainien", "zh": "mandarin", "pt": "portugais", "es": "espagnol", "vi": "vietnamien",
        "wa": "peul", "tr": "turc", "de": "allemand", "pl": "polonais", "ie": "anglais"}

# (modality, description, body_part, title, report delay kind)
EXAMS = {
 "tdm_tap": ("CT", "TDM THORACO-ABDO-PELVIENNE INJECTEE", "CHEST", "SCANNER THORACO-ABDOMINO-PELVIEN", "fast"),
 "tdm_thorax": ("CT", "TDM THORAX", "CHEST", "SCANNER THORACIQUE", "fast"),
 "tdm_crane": ("CT", "TDM CEREBRALE SANS INJECTION", "HEAD", "SCANNER CEREBRAL", "fast"),
 "tdm_dosi": ("CT", "TDM DOSIMETRIQUE RADIOTHERAPIE", "CHEST", "SCANNER DE CENTRAGE", "fast"),
 "tep": ("PT\\CT", "TEP-TDM FDG CORPS ENTIER", "WHOLEBODY", "TEP-TDM AU 18F-FDG", "slow"),
 "irm_cer": ("MR", "IRM ENCEPHALIQUE", "HEAD", "IRM CEREBRALE", "slow"),
 "irm_foie": ("MR", "IRM HEPATIQUE", "ABDOMEN", "IRM DU FOIE", "slow"),
 "irm_sein": ("MR", "IRM MAMMAIRE BILATERALE", "BREAST", "IRM MAMMAIRE", "slow"),
 "mammo": ("MG", "MAMMOGRAPHIE BILATERALE", "BREAST", "MAMMOGRAPHIE", "fast"),
 "echo_abdo": ("US", "ECHOGRAPHIE ABDOMINALE", "ABDOMEN", "ECHOGRAPHIE ABDOMINALE", "fast"),
 "echo_doppler": ("US", "ECHO-DOPPLER VEINEUX MEMBRES INFERIEURS", "LEG", "ECHO-DOPPLER VEINEUX", "fast"),
 "rx_thorax": ("CR", "RADIOGRAPHIE THORAX FACE", "CHEST", "RADIOGRAPHIE DU THORAX", "fast"),
 "rx_picc": ("DX", "RADIO THORAX CONTROLE PICC-LINE", "CHEST", "CONTROLE DE POSITION DE PICC-LINE", "fast"),
 "scinti_os": ("NM", "SCINTIGRAPHIE OSSEUSE CORPS ENTIER", "WHOLEBODY", "SCINTIGRAPHIE OSSEUSE", "slow"),
 "rx_cheville": ("CR", "RADIOGRAPHIE CHEVILLE", "ANKLE", "RADIOGRAPHIE DE LA CHEVILLE", "fast"),
}
RADIOLOGUES = ["Dr A. LEMOINE", "Dr S. KHALIL", "Dr P. VASSEUR", "Dr C. NGUYEN", "Dr M.-H. DESCAMPS", "Dr J. ORTEGA", "Pr F. BAUDIN"]
ORGANE = {"CHEST": "thorax", "HEAD": "encéphale", "ABDOMEN": "abdomen", "WHOLEBODY": "corps entier", "BREAST": "seins", "LEG": "membres inférieurs", "ANKLE": "cheville"}

PROFILES = {
 "seances_hdj_oncologie": dict(institution="INSTITUT DE CANCEROLOGIE DU VAL DE LOIRE", tz_pacs=False, acc_reset=False, intl=0.04,
     units=["ONCOLOGIE MEDICALE", "HEMATOLOGIE", "RADIOTHERAPIE", "CHIRURGIE CANCEROLOGIQUE", "SOINS PALLIATIFS"]),
 "horloges_et_compteurs": dict(institution="CENTRE HOSPITALIER DE LA COTE D'OPALE", tz_pacs=True, acc_reset=True, intl=0.05,
     units=["URGENCES", "MEDECINE POLYVALENTE", "PNEUMOLOGIE", "CARDIOLOGIE", "CHIRURGIE ORTHOPEDIQUE", "GERIATRIE", "REANIMATION"]),
 "patients_internationaux": dict(institution="CHU TRANSFRONTALIER DE STRASBOURG-KEHL", tz_pacs=False, acc_reset=False, intl=0.55,
     units=["URGENCES", "MEDECINE INTERNE", "GASTRO-ENTEROLOGIE", "PNEUMOLOGIE", "NEUROLOGIE", "MALADIES INFECTIEUSES", "ORL"]),
}
IMAGING_UNIT = "IMAGERIE MEDICALE"
CIM = ["C34.1", "C50.9", "C18.7", "C61", "C83.3", "C25.0", "C64", "J18.9", "I26.9", "S82.6", "I50.9", "K80.2", "R07.4", "Z51.1", "Z51.0", "D64.9", "J44.1", "N39.0"]

# --------------------------------------------------------------------------- time
def last_sunday(y, m):
    d = D(y, m, 31)
    return d - TD(days=(d.weekday() + 1) % 7)

def paris_offset(local):
    """UTC offset (hours) of a Europe/Paris local wall-clock time (EU rule, switch at 02:00/03:00 local)."""
    y = local.year
    start = T.combine(last_sunday(y, 3), dt.time(2))
    end = T.combine(last_sunday(y, 10), dt.time(3))
    return 2 if start <= local < end else 1

# --------------------------------------------------------------------------- helpers
STRIP = str.maketrans("ÀÂÄÁÃÇÉÈÊËÍÎÏÓÔÖÕÚÙÛÜŞŁÑ", "AAAAACEEEEIIIOOOOUUUUSLN")

def noacc(s):
    return s.translate(STRIP)

class Gen:
    def __init__(self, profile, n, seed):
        self.p = PROFILES[profile]
        self.profile = profile
        self.r = random.Random(seed * 1000003 + zlib.crc32(profile.encode()))
        self.n = n
        self.used_ipp = set()
        self.patients, self.stays, self.exams, self.reports = [], [], [], []
        self.links, self.faults = [], []
        self.person = {}      # ipp -> person dict
        self.acc_counter = {}
        self.stay_seq = 0
        self.exam_seq = 0
        self.rep_seq = 0
        self.tmp_seq = 0
        self.exam_local = []
        self.exam_dicts = []

    # ---- identity
    def new_ipp(self):
        while True:
            v = "8" + "".join(str(self.r.randrange(10)) for _ in range(8)) if self.r.random() < .8 else \
                "7" + "".join(str(self.r.randrange(10)) for _ in range(8))
            if v not in self.used_ipp:
                self.used_ipp.add(v)
                return v

    def make_person(self):
        r = self.r
        sex = r.choice("MF")
        intl = None
        if r.random() < self.p["intl"]:
            cand = [x for x in INTL if x[2] == sex]
            intl = r.choice(cand)
            fam, giv = intl[0][0], intl[1][0]
        else:
            fam = r.choice(FR_FAMILY)
            giv = r.choice(FR_M if sex == "M" else FR_F)
        age = r.choice([r.randint(18, 40), r.randint(40, 90), r.randint(50, 85), r.randint(1, 17) if r.random() < .15 else r.randint(30, 80)])
        by = 2024 - age
        bd = D(by, r.randint(1, 12), r.randint(1, 28))
        unknown_bd = False
        if intl and self.profile == "patients_internationaux" and r.random() < .30:
            bd, unknown_bd = D(by, 1, 1), True
        usage = None
        if sex == "F" and age > 25 and r.random() < .38:
            usage = r.choice(FR_FAMILY)
            if usage == fam:
                usage = "LAMBERT"
        return dict(family=fam, given=giv, sex=sex, birth=bd, usage=usage, intl=intl, unknown_bd=unknown_bd, ipps=[])

    def register(self, person, family=None, given=None, birth=None):
        ipp = self.new_ipp()
        person["ipps"].append(ipp)
        self.person[ipp] = person
        self.patients.append([ipp, family or person["family"], given or person["given"], birth or person["birth"], person["sex"], person["usage"]])
        return ipp

    # ---- stays
    def add_stay(self, ipp, start, end, unit, stype, diag):
        self.stay_seq += 1
        sid = "5" + str(10000000 + self.stay_seq * 7 + self.r.randrange(7)).zfill(8)
        st = dict(id=sid, ipp=ipp, start=start, end=end, unit=unit, type=stype)
        self.stays.append([sid, ipp, start, end, unit, stype, diag])
        return st

    # ---- accession
    def accession(self, when):
        r = self.r
        if self.p["acc_reset"]:
            y = when.year
            c = self.acc_counter.get(y, 0) + r.randint(1, 40)  # other patients' exams in between
            self.acc_counter[y] = c
            return "A" + str(c).zfill(8)
        c = self.acc_counter.get(0, 23000000 + r.randrange(100000)) + r.randint(1, 4)
        self.acc_counter[0] = c
        return "A" + str(c).zfill(8)

    # ---- header identity noise
    def noisy_identity(self, person, ipp, bad):
        r = self.r
        fam, giv, bd, sex = person["family"], person["given"], person["birth"], person["sex"]
        kinds = []
        p = .45 if bad else .22
        intl = person["intl"]
        if intl and self.profile == "patients_internationaux":
            p = .7
        if r.random() < p:
            pool = ["accents_lost", "case", "typo", "swapped", "usage_name", "compound", "birth_day_month_swap", "birth_date_typo", "sex_missing"]
            w = [3, 2, 2, 1, 2, 1, 1, 1, 1]
            if intl:
                pool += ["transliteration", "swapped"]
                w += [8, 4] if self.profile == "patients_internationaux" else [3, 1]
            k = r.randint(1, 2)
            for _ in range(k):
                kinds.append(r.choices(pool, w)[0])
            kinds = sorted(set(kinds), key=kinds.index)
        done = []
        for k in kinds:
            if k == "accents_lost" and noacc(fam + giv) != fam + giv:
                fam, giv = noacc(fam), noacc(giv); done.append(k)
            elif k == "case":
                fam, giv = fam.title(), giv.title(); done.append(k)
            elif k == "typo" and len(fam) > 3:
                i = r.randrange(1, len(fam) - 1)
                fam = fam[:i] + r.choice("AEIOURSTNLM") + fam[i + 1:]; done.append(k)
            elif k == "swapped":
                fam, giv = giv, fam; done.append(k)
            elif k == "usage_name" and person["usage"]:
                fam = person["usage"]; done.append(k)
            elif k == "compound" and (" " in fam or "-" in fam):
                sep = " " if " " in fam else "-"
                parts = fam.split(sep)
                fam = r.choice([sep.join(parts).replace(sep, "-" if sep == " " else " "), "".join(parts), parts[0], parts[-1]]); done.append(k)
            elif k == "transliteration" and intl:
                fam = r.choice(intl[0][1:]) if r.random() < .7 else fam
                giv = r.choice(intl[1][1:]) if len(intl[1]) > 1 else giv
                done.append(k)
            elif k == "birth_day_month_swap" and bd.day <= 12 and bd.day != bd.month:
                bd = D(bd.year, bd.day, bd.month); done.append(k)
            elif k == "birth_date_typo":
                for _ in range(10):
                    s = bd.strftime("%Y%m%d"); i = r.choice([2, 3, 5, 7])
                    try:
                        nb = dt.datetime.strptime(s[:i] + str(r.randrange(10)) + s[i + 1:], "%Y%m%d").date()
                    except ValueError:
                        continue
                    if nb != bd:
                        bd = nb; done.append(k); break
            elif k == "sex_missing":
                sex = None; done.append(k)
        return f"{fam}^{giv}", bd, sex, done

    def header_ipp(self, ipp, person, emergency, visit_key):
        r = self.r
        pe = .05
        pt = .09 if emergency else .03
        x = r.random()
        if x < pe:
            return None, "missing_ipp"
        x -= pe
        if x < .06:
            s = ipp
            for _ in range(20):
                m = r.random()
                if m < .45:
                    i = r.randrange(9); s = ipp[:i] + str((int(ipp[i]) + r.randint(1, 9)) % 10) + ipp[i + 1:]
                elif m < .8:
                    i = r.randrange(8); s = ipp[:i] + ipp[i + 1] + ipp[i] + ipp[i + 2:]
                else:
                    s = ipp[r.randint(1, 2):]
                if s != ipp and s not in self.used_ipp:
                    return s, "mistyped_ipp"
            return None, "missing_ipp"
        x -= .06
        if x < .04:
            same = [q for q, pp in self.person.items() if pp is not person and pp["family"] == person["family"]] if r.random() < .33 else []
            others = same or [q for q in self.sample_ipps if self.person[q] is not person]
            return r.choice(others), "other_patient_ipp"
        x -= .04
        if x < pt:
            if visit_key not in self.tmp_by_visit:
                self.tmp_seq += 1
                self.tmp_by_visit[visit_key] = r.choice(["TMP", "9999"]) + str(self.tmp_seq).zfill(5)
            return self.tmp_by_visit[visit_key], "temporary_ipp"
        return ipp, "none"

    # ---- exam + report
    def add_exam(self, person, ipp, local_dt, kind, stay, link_stay, req_unit, emergency=False, visit_key=None, dup=False):
        r = self.r
        mod, desc, bp, title, delay = EXAMS[kind]
        self.exam_seq += 1
        eid = "1.2.250.1.59.13.%d.%d.%d" % (zlib.crc32(self.profile.encode()) % 997, local_dt.year, 100000 + self.exam_seq * 3 + r.randrange(3))
        acc = None  # assigned in time order by finalize_accessions()
        true_ipp = person["ipps"][0]
        hipp, fault = self.header_ipp(ipp, person, emergency, visit_key or (true_ipp, local_dt.date()))
        if fault == "none" and dup:
            fault = "duplicate_ipp"   # header carries a second registry IPP of the same person
        pn, bd, sex, noise = self.noisy_identity(person, hipp, fault != "none")
        study = local_dt
        if self.p["tz_pacs"]:
            study = local_dt - TD(hours=paris_offset(local_dt))
        unit = IMAGING_UNIT
        if stay is not None and r.random() < .30:
            unit = stay["unit"]
        if mod == "PT\\CT" or mod == "NM":
            unit = "MEDECINE NUCLEAIRE"
        stay_field = link_stay["id"] if link_stay is not None and r.random() < .10 else None
        self.exams.append([eid, None, hipp, pn, bd, sex, study, mod, desc, bp, self.p["institution"], unit, stay_field])
        self.exam_local.append(local_dt)
        self.faults.append([eid, fault, ";".join(noise)])
        self.links.append(["exam", eid, "patient", true_ipp])
        self.links.append(["exam", eid, "stay", link_stay["id"] if link_stay else None])
        ex = dict(id=eid, row=self.exams[-1], local=local_dt, kind=kind, stay=link_stay, person=person, ipp=ipp, true_ipp=true_ipp,
                  link=self.links[-1], reps=[])
        self.exam_dicts.append(ex)
        return ex

    def report_time(self, ex):
        r = self.r
        t = ex["local"]
        if EXAMS[ex["kind"]][4] == "fast":
            return t + TD(minutes=r.randint(20, 600))
        return t + TD(days=r.randint(1, 3), minutes=r.randint(-180, 300))

    def add_report(self, ex, rtime, radiologue, interpreter=None, outside=False, date_only=False):
        r = self.r
        self.rep_seq += 1
        rid = "CR" + str(3000000 + self.rep_seq * 5 + r.randrange(5))
        person = ex["person"]
        kind = ex["kind"]
        mod, desc, bp, title, _ = EXAMS[kind]
        ipp = ex["ipp"] if r.random() < .975 else None
        if date_only:
            rtime = T.combine(rtime.date(), dt.time())
        stay = ex["stay"]
        stay_field = stay["id"] if stay is not None and r.random() < .55 else None
        acc = ex if (ex["id"] and r.random() < .40) else None  # resolved to the accession number at write time
        text = self.report_text(ex, radiologue, interpreter, outside)
        self.reports.append([rid, ipp, stay_field, rtime, title, text, acc])
        self.links.append(["report", rid, "exam", None if outside else ex["id"]])
        self.links.append(["report", rid, "stay", None if outside else (stay["id"] if stay else None)])
        if not outside:
            ex["reps"].append((self.reports[-1], self.links[-1]))

    def report_text(self, ex, radiologue, interpreter, outside):
        r = self.r
        kind = ex["kind"]
        mod, desc, bp, title, _ = EXAMS[kind]
        d = ex["local"]
        lines = []
        if r.random() < .5:
            style = r.choice(["le %d/%m/%Y", "du %d/%m/%Y", "le %d.%m.%y", "réalisé le %d/%m/%Y à %Hh%M"])
            lines.append(f"{title} {d.strftime(style)}")
        else:
            lines.append(title)
        if outside:
            lines.append("Relecture d'un examen réalisé à l'extérieur (CD apporté par le patient), pour second avis.")
        ind = {
            "tdm_tap": ["Bilan d'extension initial d'un adénocarcinome pulmonaire.", "Évaluation après 3 cures de chimiothérapie.", "Surveillance d'un cancer colique opéré."],
            "tdm_thorax": ["Dyspnée fébrile.", "Suspicion d'embolie pulmonaire.", "Nodule pulmonaire à caractériser."],
            "tdm_crane": ["Céphalées brutales.", "Chute avec traumatisme crânien sous anticoagulant.", "Recherche de métastases cérébrales."],
            "tdm_dosi": ["Scanner de centrage avant radiothérapie.", "Scanner dosimétrique, repositionnement."],
            "tep": ["Bilan initial d'un lymphome B diffus.", "Évaluation de la réponse thérapeutique.", "Suspicion de récidive."],
            "irm_cer": ["Bilan de métastases cérébrales.", "Crise comitiale inaugurale."],
            "irm_foie": ["Caractérisation d'une lésion hépatique découverte en échographie."],
            "irm_sein": ["Bilan d'extension locorégional d'un carcinome canalaire infiltrant."],
            "mammo": ["Dépistage organisé.", "Surveillance après tumorectomie."],
            "echo_abdo": ["Douleurs de l'hypochondre droit.", "Cytolyse hépatique."],
            "echo_doppler": ["Grosse jambe gauche douloureuse.", "Suspicion de TVP."],
            "rx_thorax": ["Toux fébrile.", "Contrôle post-opératoire."],
            "rx_picc": ["Contrôle de position de PICC-line avant chimiothérapie."],
            "scinti_os": ["Bilan d'extension d'un adénocarcinome prostatique."],
            "rx_cheville": ["Traumatisme en inversion."],
        }[kind]
        lines.append("")
        lines.append(r.choice(["INDICATION :", "Indication :", "RENSEIGNEMENTS CLINIQUES :", "Motif :"]))
        lines.append(r.choice(ind))
        if interpreter:
            lines.append(r.choice([
                f"Patient non francophone, examen réalisé avec l'aide d'un interprète ({LANG[interpreter]}).",
                f"Présence d'un interprète en {LANG[interpreter]}.",
                f"Interprétariat téléphonique ({LANG[interpreter]}) pour le recueil du consentement.",
                "Barrière de la langue, informations recueillies par l'intermédiaire de la famille."]))
        lines.append("")
        lines.append(r.choice(["TECHNIQUE :", "Technique :", "PROTOCOLE :"]))
        tech = {"CT": "Acquisition hélicoïdale" + r.choice([" sans injection.", " après injection de produit de contraste iodé.", " au temps portal."]),
                "PT\\CT": f"Injection de {r.randint(180, 350)} MBq de 18F-FDG. Glycémie {r.choice(['0,9', '1,05', '1,2', '0,98'])} g/L. Acquisition {r.randint(55, 75)} min après injection.",
                "MR": "Séquences T1, T2, diffusion et T1 après injection de gadolinium.",
                "MG": "Incidences face et oblique bilatérales.",
                "US": "Examen réalisé par voie sus-pubienne et intercostale." if kind == "echo_abdo" else "Exploration du réseau veineux profond et superficiel.",
                "CR": "Cliché de face.", "DX": "Cliché de face au lit.",
                "NM": f"Injection de {r.randint(550, 750)} MBq de 99mTc-HMDP. Balayage corps entier à 3 heures."}[mod]
        lines.append(tech)
        lines.append("")
        lines.append(r.choice(["RÉSULTATS :", "Résultats :", "COMPTE RENDU :", "DESCRIPTION :"]))
        org = ORGANE[bp]
        normal = r.random() < .45
        if normal:
            lines.append(r.choice([f"Pas d'anomalie décelable au niveau de l'{org}." if org[0] in "aeé" else f"Pas d'anomalie décelable au niveau du {org}.",
                                    "Examen dans les limites de la normale.", "Absence d'anomalie significative."]))
        else:
            sz = r.randint(6, 45)
            lines.append(r.choice([f"Lésion nodulaire de {sz} mm, à surveiller.", f"Formation tissulaire de {sz/10:.1f} cm".replace(".", ",") + ", suspecte.",
                                    "Épanchement pleural de faible abondance.", f"Adénopathie de {sz} mm de petit axe.",
                                    "Stabilité des lésions connues par rapport à l'examen précédent.", "Diminution des lésions cibles (réponse partielle)."]))
        lines.append("")
        lines.append(r.choice(["CONCLUSION :", "Conclusion :", "EN CONCLUSION :"]))
        lines.append("Examen normal." if normal else r.choice(["Aspect compatible avec une progression.", "Réponse partielle.", "Maladie stable.", "Anomalie à confronter aux données cliniques."]))
        if r.random() < .3:
            lines.append("Le patient [NOM], né le [DATE], a été informé." if r.random() < .5 else "Compte rendu transmis au médecin demandeur.")
        lines.append("")
        lines.append(r.choice([radiologue, f"{radiologue}, radiologue", f"Signé électroniquement par {radiologue}"]))
        text = "\n".join(lines)
        if r.random() < .05:
            text = text.replace("\n", "<br>").replace("é", "&eacute;").replace("'", "&#39;")
            text = "<p>" + text + "</p>"
        return text

    # ----------------------------------------------------------------- profiles
    def run(self):
        r = self.r
        self.tmp_by_visit = {}
        persons = []
        for _ in range(self.n):
            pe = self.make_person()
            self.register(pe)
            persons.append(pe)
        # families: a few relatives share a surname
        self.sample_ipps = [p["ipps"][0] for p in persons]
        getattr(self, "run_" + self.profile)(persons)

    def day0(self):
        return T(2022, 1, 1) + TD(days=self.r.randrange(0, 900))

    def at(self, day, h0, h1):
        return T.combine(day.date() if isinstance(day, T) else day, dt.time()) + TD(minutes=self.r.randint(h0 * 60, h1 * 60 - 1))

    def run_seances_hdj_oncologie(self, persons):
        r = self.r
        for pe in persons:
            ipp = pe["ipps"][0]
            start = self.day0()
            cancer = r.choice(["C34.1", "C50.9", "C18.7", "C83.3", "C61", "C25.0"])
            unit = "HEMATOLOGIE" if cancer == "C83.3" else "ONCOLOGIE MEDICALE"
            visits = []
            # initial workup: outpatient exams
            for k in r.sample(["tdm_tap", "tep", "irm_cer", "scinti_os", "mammo", "irm_sein"], r.randint(1, 3)):
                visits.append(("out", self.at(start + TD(days=r.randint(0, 20)), 8, 18), k))
            # chemo sessions: each its own day_care stay
            d = start + TD(days=28)
            ncures = r.randint(0, 12)
            for c in range(ncures):
                day = d + TD(days=c * r.choice([7, 14, 21]))
                if day.weekday() >= 5:
                    day += TD(days=7 - day.weekday())
                st = self.add_stay(ipp, self.at(day, 7, 9), None, unit, "day_care", "Z51.1;" + cancer)
                st_end = st["start"] + TD(hours=r.randint(4, 9))
                self.stays[-1][3] = st_end; st["end"] = st_end
                if c in (2, 5, 8, 11) or (c == 0 and r.random() < .3):
                    k = "tdm_tap" if r.random() < .7 else "tep"
                    ex = self.add_exam(pe, ipp, st["start"] + TD(minutes=r.randint(20, 180)), k, st, st, unit)
                    visits.append(("done", ex, None))
                if c == 0 and r.random() < .4:
                    ex = self.add_exam(pe, ipp, st["start"] + TD(minutes=r.randint(5, 60)), "rx_picc", st, st, unit)
                    visits.append(("done", ex, None))
                if r.random() < .1:  # transfusion session the same week
                    t0 = self.at(day + TD(days=2), 8, 10)
                    self.add_stay(ipp, t0, t0 + TD(hours=r.randint(3, 6)), "HEMATOLOGIE", "day_care", "Z51.3;D64.9")
            # radiotherapy: planning CT then daily sessions
            if r.random() < .35:
                rd = d + TD(days=ncures * 14 + r.randint(5, 20))
                while rd.weekday() >= 5: rd += TD(days=1)
                nses = r.choice([5, 10, 20, 25, 30])
                s0 = None
                i = 0; day = rd
                while i < nses:
                    if day.weekday() < 5:
                        t0 = self.at(day, 8, 17)
                        st = self.add_stay(ipp, t0, t0 + TD(minutes=r.randint(20, 50)), "RADIOTHERAPIE", "day_care", "Z51.0;" + cancer)
                        if i == 0:
                            ex = self.add_exam(pe, ipp, t0 + TD(minutes=r.randint(1, 15)), "tdm_dosi", st, st, "RADIOTHERAPIE")
                            visits.append(("done", ex, None))
                        i += 1
                    day += TD(days=1)
                # planning CT sometimes a week before first session, outside any stay
                if r.random() < .3:
                    visits.append(("out", self.at(rd - TD(days=7), 9, 16), "tdm_dosi"))
            # long inpatient stay with weekend leaves (leave does not close the stay)
            if r.random() < .4:
                hs = self.at(start + TD(days=r.randint(30, 300)), 10, 20)
                dur = r.randint(5, 40)
                he = hs + TD(days=dur, hours=r.randint(-6, 6))
                hunit = r.choice(["ONCOLOGIE MEDICALE", "CHIRURGIE CANCEROLOGIQUE", "SOINS PALLIATIFS"])
                st = self.add_stay(ipp, hs, he, hunit, "hospitalisation", cancer + ";" + r.choice(["J18.9", "D70", "R50.9", "I26.9", "E87.1"]))
                day = hs + TD(days=1)
                while day < he - TD(hours=12):
                    if day.weekday() < 5 and r.random() < .12:  # no exam during Sat/Sun leave
                        t = self.at(day, 8, 19)
                        if t < he:
                            k = r.choice(["rx_thorax", "rx_thorax", "tdm_thorax", "echo_abdo", "echo_doppler", "tdm_crane"])
                            ex = self.add_exam(pe, ipp, t, k, st, st, hunit)
                            visits.append(("done", ex, None))
                    day += TD(days=1)
            # follow-up outpatient
            for j in range(r.randint(0, 3)):
                visits.append(("out", self.at(start + TD(days=200 + 90 * j + r.randint(0, 30)), 8, 18), r.choice(["tdm_tap", "tep", "irm_foie"])))
            # consultations (no exams)
            for j in range(r.randint(0, 4)):
                t = self.at(start + TD(days=r.randint(0, 500)), 9, 17)
                self.add_stay(ipp, t, t + TD(minutes=30), unit, "consultation", cancer)
            exams = []
            for v in visits:
                if v[0] == "out":
                    exams.append(self.add_exam(pe, ipp, v[1], v[2], None, None, IMAGING_UNIT))
                else:
                    exams.append(v[1])
            for ex in exams:
                if r.random() < .05:
                    continue  # report never written / not exported
                slow = EXAMS[ex["kind"]][4] == "slow"
                batch = slow or ex["kind"] in ("tdm_tap", "tdm_dosi") and r.random() < .5
                if batch and r.random() < .6:
                    # dictated in batch on Friday afternoon by the weekly radiologist
                    fri = ex["local"] + TD(days=(4 - ex["local"].weekday()) % 7)
                    if fri.date() == ex["local"].date() and ex["local"].hour >= 16:
                        fri += TD(days=7)
                    wk = ex["local"].isocalendar()[1]
                    rt = T.combine(fri.date(), dt.time(17)) + TD(minutes=r.randint(0, 150))
                    self.add_report(ex, rt, RADIOLOGUES[wk % len(RADIOLOGUES)])
                else:
                    self.add_report(ex, self.report_time(ex), r.choice(RADIOLOGUES))
            if r.random() < .04:
                fake = self.add_exam_like_outside(pe, ipp, start)
                self.add_report(fake, fake["local"] + TD(days=r.randint(1, 10)), r.choice(RADIOLOGUES), outside=True)

    def add_exam_like_outside(self, pe, ipp, start):
        return dict(id=None, row=None, local=self.at(start + TD(days=self.r.randint(-60, 10)), 9, 17),
                    kind=self.r.choice(["tdm_tap", "irm_cer", "tep"]), stay=None, person=pe, ipp=ipp)

    def run_horloges_et_compteurs(self, persons):
        r = self.r
        for pe in persons:
            ipp = pe["ipps"][0]
            base = self.day0()
            exams = []
            for v in range(r.choice([1, 1, 2, 2, 3, 4])):
                t0 = base + TD(days=r.randint(0, 700))
                kind = r.random()
                if kind < .45:  # emergency visit, often at night, maybe followed by admission
                    arr = T.combine(t0.date(), dt.time()) + TD(minutes=r.choice([r.randint(0, 1439), r.randint(1260, 1439), r.randint(0, 420)]))
                    er_end = arr + TD(hours=r.randint(3, 14))
                    er = self.add_stay(ipp, arr, er_end, "URGENCES", "emergency", r.choice(CIM[7:]))
                    vk = (ipp, "er", arr)
                    for _ in range(r.randint(1, 3)):
                        t = arr + TD(minutes=r.randint(30, int((er_end - arr).total_seconds() // 60) - 10))
                        exams.append(self.add_exam(pe, ipp, t, r.choice(["tdm_crane", "tdm_thorax", "rx_thorax", "rx_cheville", "echo_abdo", "tdm_tap"]), er, er, "URGENCES", True, vk))
                    if r.random() < .45:
                        hunit = r.choice(self.p["units"][1:])
                        hs = er_end + TD(minutes=r.randint(10, 120))
                        he = hs + TD(days=r.randint(1, 15), hours=r.randint(0, 8))
                        hst = self.add_stay(ipp, hs, he, hunit, "hospitalisation", r.choice(CIM[7:]) + ";" + r.choice(CIM))
                        for _ in range(r.randint(0, 3)):
                            t = hs + TD(minutes=r.randint(60, int((he - hs).total_seconds() // 60) - 30))
                            exams.append(self.add_exam(pe, ipp, t, r.choice(["rx_thorax", "tdm_thorax", "echo_doppler", "irm_cer", "echo_abdo"]), hst, hst, hunit))
                elif kind < .75:
                    hunit = r.choice(self.p["units"][1:])
                    hs = self.at(t0, 9, 18)
                    he = hs + TD(days=r.randint(1, 10), hours=r.randint(0, 6))
                    hst = self.add_stay(ipp, hs, he, hunit, "hospitalisation", r.choice(CIM))
                    for _ in range(r.randint(1, 3)):
                        t = hs + TD(minutes=r.randint(60, int((he - hs).total_seconds() // 60) - 30))
                        # some exams on the night ward (night = day boundary in UTC vs local)
                        if r.random() < .2:
                            t = T.combine(t.date(), dt.time(23, r.randint(0, 59))) if r.random() < .5 else T.combine(t.date(), dt.time(0, r.randint(0, 59)))
                            if not (hs <= t <= he):
                                t = hs + TD(hours=1)
                        exams.append(self.add_exam(pe, ipp, t, r.choice(["rx_thorax", "tdm_thorax", "echo_doppler", "irm_cer", "echo_abdo", "tdm_tap"]), hst, hst, hunit))
                    if r.random() < .15:  # consultation nested in hospitalisation
                        c = hs + TD(hours=r.randint(2, 20))
                        if c + TD(minutes=30) < he:
                            cst = self.add_stay(ipp, c, c + TD(minutes=30), "CARDIOLOGIE", "consultation", None)
                            exams.append(self.add_exam(pe, ipp, c + TD(minutes=r.randint(2, 25)), "echo_doppler", cst, cst, "CARDIOLOGIE"))
                else:  # outpatient
                    t = self.at(t0, 8, 19)
                    if r.random() < .3:
                        cst = self.add_stay(ipp, t - TD(minutes=20), t + TD(minutes=40), r.choice(self.p["units"][1:]), "consultation", None)
                        exams.append(self.add_exam(pe, ipp, t, r.choice(["rx_thorax", "echo_abdo", "mammo"]), cst, cst, cst["unit"]))
                    else:
                        exams.append(self.add_exam(pe, ipp, t, r.choice(["rx_thorax", "echo_abdo", "mammo", "irm_cer", "tdm_thorax", "scinti_os"]), None, None, IMAGING_UNIT))
            for ex in exams:
                if r.random() < .04:
                    continue
                self.add_report(ex, self.report_time(ex), r.choice(RADIOLOGUES), date_only=r.random() < .15)
            if r.random() < .03:
                fake = self.add_exam_like_outside(pe, ipp, base)
                self.add_report(fake, fake["local"] + TD(days=r.randint(1, 10)), r.choice(RADIOLOGUES), outside=True, date_only=r.random() < .15)

    def run_patients_internationaux(self, persons):
        r = self.r
        for pe in persons:
            base = self.day0()
            exams = []
            newipp = pe["intl"] is not None and r.random() < .25
            lang = pe["intl"][3] if pe["intl"] else None
            interp = lang is not None and lang not in ("de", "ie") and r.random() < .5
            nvis = r.choice([1, 1, 1, 2, 2, 3]) if pe["intl"] else r.choice([1, 2, 2, 3, 4])
            for v in range(nvis):
                ipp = pe["ipps"][0]
                dup = False
                if newipp and v > 0:
                    # a new IPP created at this visit: a second registry row, spelled differently
                    fam = r.choice(pe["intl"][0]); giv = r.choice(pe["intl"][1])
                    if r.random() < .3: fam, giv = giv, fam
                    bd = pe["birth"] if r.random() < .6 else D(pe["birth"].year, 1, 1)
                    ipp = self.register(pe, fam, giv, bd)
                    dup = True
                t0 = base + TD(days=r.randint(0, 700))
                if r.random() < .5:
                    arr = self.at(t0, 0, 24)
                    er_end = arr + TD(hours=r.randint(2, 12))
                    er = self.add_stay(ipp, arr, er_end, "URGENCES", "emergency", r.choice(CIM[7:]))
                    vk = (ipp, arr)
                    # some emergency exams precede the admission they belong to (< 8 h)
                    admit = r.random() < .35
                    for _ in range(r.randint(1, 2)):
                        t = arr + TD(minutes=r.randint(20, int((er_end - arr).total_seconds() // 60) - 5))
                        exams.append(self.add_exam(pe, ipp, t, r.choice(["tdm_crane", "tdm_thorax", "rx_thorax", "rx_cheville", "echo_abdo", "tdm_tap"]), er, er, "URGENCES", True, vk, dup))
                    if admit:
                        hunit = r.choice(self.p["units"][1:])
                        hs = er_end + TD(minutes=r.randint(5, 60))
                        he = hs + TD(days=r.randint(1, 12))
                        hst = self.add_stay(ipp, hs, he, hunit, "hospitalisation", r.choice(CIM))
                        for _ in range(r.randint(0, 3)):
                            t = hs + TD(minutes=r.randint(60, int((he - hs).total_seconds() // 60) - 30))
                            exams.append(self.add_exam(pe, ipp, t, r.choice(["irm_cer", "irm_foie", "tdm_tap", "echo_abdo", "rx_thorax"]), hst, hst, hunit, False, None, dup))
                else:
                    t = self.at(t0, 8, 19)
                    if r.random() < .5:
                        cst = self.add_stay(ipp, t - TD(minutes=r.randint(10, 60)), t + TD(minutes=r.randint(30, 90)), r.choice(self.p["units"][1:]), "consultation", None)
                        exams.append(self.add_exam(pe, ipp, t, r.choice(["echo_abdo", "rx_thorax", "irm_cer", "tdm_thorax"]), cst, cst, cst["unit"], False, None, dup))
                    else:
                        exams.append(self.add_exam(pe, ipp, t, r.choice(["echo_abdo", "rx_thorax", "irm_cer", "tdm_thorax", "mammo", "tep"]), None, None, IMAGING_UNIT, False, None, dup))
            for ex in exams:
                if r.random() < .05:
                    continue
                self.add_report(ex, self.report_time(ex), r.choice(RADIOLOGUES), interpreter=lang if interp else None)
            if pe["intl"] and r.random() < .12:  # imaging brought from abroad, read here
                fake = self.add_exam_like_outside(pe, pe["ipps"][-1], base)
                self.add_report(fake, fake["local"] + TD(days=r.randint(1, 10)), r.choice(RADIOLOGUES), interpreter=lang if interp else None, outside=True)

    # ----------------------------------------------------------------- output
    def finalize_accessions(self):
        order = sorted(range(len(self.exams)), key=lambda i: (self.exam_local[i], self.exams[i][0]))
        for i in order:
            self.exams[i][1] = self.accession(self.exam_local[i])
        for rep in self.reports:
            if isinstance(rep[6], dict):
                rep[6] = rep[6]["row"][1]

    def finalize_stays(self):
        """exam->stay truth by the contract rule, on the real (local) instant: the shortest stay of the
        same person containing the exam, else a hospitalisation starting <= 8 h after it (work-up
        before admission), else none."""
        by_person = {}
        for row in self.stays:
            by_person.setdefault(id(self.person[row[1]]), []).append(row)
        self.moved = 0
        for ex in self.exam_dicts:
            t = ex["local"]
            cands = [s for s in by_person.get(id(ex["person"]), []) if s[2] <= t <= s[3]]
            if cands:
                best = min(cands, key=lambda s: (s[3] - s[2], s[0]))
            else:
                hs = [s for s in by_person.get(id(ex["person"]), []) if s[5] == "hospitalisation" and t < s[2] <= t + TD(hours=8)]
                best = min(hs, key=lambda s: s[2]) if hs else None
            new = best[0] if best else None
            old = ex["link"][3]
            if new != old:
                self.moved += 1
                ex["link"][3] = new
                if ex["row"][12] is not None:
                    ex["row"][12] = new
                for rep, lk in ex["reps"]:
                    lk[3] = new
                    if rep[2] is not None:
                        rep[2] = new

    def write(self, out):
        self.finalize_stays()
        self.finalize_accessions()
        os.makedirs(os.path.join(out, "truth"), exist_ok=True)
        data = {"patients": sorted(self.patients), "stays": sorted(self.stays, key=lambda x: x[0]),
                "exams": sorted(self.exams, key=lambda x: x[0]), "reports": sorted(self.reports, key=lambda x: x[0]),
                "truth/links": self.links, "truth/exam_faults": sorted(self.faults)}
        for name, rows in data.items():
            sch = pa.schema(SCHEMAS[name])
            cols = list(zip(*rows)) if rows else [[] for _ in sch]
            tbl = pa.table([pa.array(list(c), type=f.type) for c, f in zip(cols, sch)], schema=sch)
            pq.write_table(tbl, os.path.join(out, name + ".parquet"), compression="zstd")

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profile", required=True, choices=sorted(PROFILES))
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    g = Gen(a.profile, a.patients, a.seed)
    g.run()
    g.write(a.out)
    print(a.profile, {k: len(v) for k, v in [("patients", g.patients), ("stays", g.stays), ("exams", g.exams), ("reports", g.reports)]})

if __name__ == "__main__":
    main()
