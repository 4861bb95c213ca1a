#!/usr/bin/env python3
"""Generate the fully synthetic OMOP CDM 5.4 + MI-CDM imaging extract.

Everything here is invented (seeded RNG): no real person, stay, exam or report.
Output: CSV files one level up (/work/blind_omop/).
"""
import csv
import os
import random
from datetime import date, datetime, timedelta

SEED = 20240517
rng = random.Random(SEED)
OUT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# ---------------------------------------------------------------- spec columns
# OHDSI/CommonDataModel inst/csv/OMOP_CDMv5.4_Field_Level.csv (column order)
COLS = {
    "person": ["person_id", "gender_concept_id", "year_of_birth", "month_of_birth", "day_of_birth",
               "birth_datetime", "race_concept_id", "ethnicity_concept_id", "location_id", "provider_id",
               "care_site_id", "person_source_value", "gender_source_value", "gender_source_concept_id",
               "race_source_value", "race_source_concept_id", "ethnicity_source_value",
               "ethnicity_source_concept_id"],
    "visit_occurrence": ["visit_occurrence_id", "person_id", "visit_concept_id", "visit_start_date",
                         "visit_start_datetime", "visit_end_date", "visit_end_datetime", "visit_type_concept_id",
                         "provider_id", "care_site_id", "visit_source_value", "visit_source_concept_id",
                         "admitted_from_concept_id", "admitted_from_source_value", "discharged_to_concept_id",
                         "discharged_to_source_value", "preceding_visit_occurrence_id"],
    "care_site": ["care_site_id", "care_site_name", "place_of_service_concept_id", "location_id",
                  "care_site_source_value", "place_of_service_source_value"],
    "procedure_occurrence": ["procedure_occurrence_id", "person_id", "procedure_concept_id", "procedure_date",
                             "procedure_datetime", "procedure_end_date", "procedure_end_datetime",
                             "procedure_type_concept_id", "modifier_concept_id", "quantity", "provider_id",
                             "visit_occurrence_id", "visit_detail_id", "procedure_source_value",
                             "procedure_source_concept_id", "modifier_source_value"],
    "note": ["note_id", "person_id", "note_date", "note_datetime", "note_type_concept_id", "note_class_concept_id",
             "note_title", "note_text", "encoding_concept_id", "language_concept_id", "provider_id",
             "visit_occurrence_id", "visit_detail_id", "note_source_value", "note_event_id",
             "note_event_field_concept_id"],
    # dr-you-group/ImageWG inst/ddl/5.4/postgresql/MICDM_postgresql_5.4_ddl.sql (column order)
    "image_occurrence": ["image_occurrence_id", "person_id", "procedure_occurrence_id", "visit_occurrence_id",
                         "anatomic_site_concept_id", "wadors_uri", "local_path", "image_occurrence_date",
                         "image_study_uid", "image_series_uid", "modality_concept_id"],
}

# ---------------------------------------------------------------- concepts
EHR = 32817
UTF8 = 32678
FRENCH = 4180186
RADIOLOGY_REPORT = 44814641  # Note Type "Radiology report"
MALE, FEMALE = 8507, 8532
IP, OP, ER = 9201, 9202, 9203

MOD = {  # DICOM modality -> SNOMED concept (approximate, see README)
    "CT": 4300757, "MR": 4013636, "PT": 4305790, "US": 4037672, "MG": 4324693, "DX": 4056681,
}
SITE = {  # approximate SNOMED body-structure concepts, see README
    "lungs": 4250192, "abdomen": 37303869, "heart": 4217142, "brain": 4119359, "breast": 4298444,
}

# local RIS catalogue: code -> (source value, DICOM modality, procedure concept, anatomic site, title)
EXAMS = {
    "TEPFDG": ("TEPFDG - TEP-TDM 18F-FDG CORPS ENTIER", "PT", MOD["PT"], None, "CR TEP-TDM au 18F-FDG"),
    "TEPPSMA": ("TEPPSMA - TEP-TDM 68GA-PSMA", "PT", MOD["PT"], None, "CR TEP-TDM au 68Ga-PSMA"),
    "TDMTAP": ("TDMTAP - TDM THORACO-ABDO-PELVIENNE INJ", "CT", MOD["CT"], "abdomen",
               "CR TDM thoraco-abdomino-pelvienne"),
    "TDMTHO": ("TDMTHO - TDM THORACIQUE", "CT", MOD["CT"], "lungs", "CR TDM thoracique"),
    "TDMCER": ("TDMCER - TDM CEREBRALE SANS INJ", "CT", MOD["CT"], "brain", "CR TDM cérébrale"),
    "IRMCER": ("IRMCER - IRM CEREBRALE", "MR", MOD["MR"], "brain", "CR IRM cérébrale"),
    "IRMPEL": ("IRMPEL - IRM PELVIENNE", "MR", MOD["MR"], None, "CR IRM pelvienne"),
    "ECHABD": ("ECHABD - ECHOGRAPHIE ABDOMINALE", "US", MOD["US"], "abdomen", "CR Échographie abdominale"),
    "ECHTHY": ("ECHTHY - ECHOGRAPHIE THYROIDIENNE", "US", MOD["US"], None, "CR Échographie thyroïdienne"),
    "MAMBIL": ("MAMBIL - MAMMOGRAPHIE BILATERALE", "MG", MOD["MG"], "breast", "CR Mammographie bilatérale"),
    "RXTHO": ("RXTHO - RADIOGRAPHIE THORAX FACE", "DX", MOD["DX"], "lungs", "CR Radiographie thoracique"),
    "RXGEN": ("RXGEN - RADIOGRAPHIE GENOU", "DX", MOD["DX"], None, "CR Radiographie du genou"),
}
GENERIC_TITLE = "CR d'imagerie médicale"

CARE_SITES = [
    # id, name, place_of_service concept, UF code, pos source value
    (1, "PNEUMOLOGIE", 8717, "UF1204", "HOSPITALISATION"),
    (2, "MEDECINE NUCLEAIRE", 8756, "UF3310", "CONSULTATION EXTERNE"),
    (3, "URGENCES", 8870, "UF0101", "URGENCES"),
    (4, "RADIOLOGIE CENTRALE", 8756, "UF3301", "CONSULTATION EXTERNE"),
    (5, "ONCOLOGIE MEDICALE", 8717, "UF2150", "HOSPITALISATION"),
    (6, "GYNECOLOGIE - SENOLOGIE", 8756, "UF2410", "CONSULTATION EXTERNE"),
    (7, "NEUROLOGIE", 8717, "UF1530", "HOSPITALISATION"),
    (8, "UROLOGIE", 8717, "UF1710", "HOSPITALISATION"),
]

# patient "profiles" drive which exams they get
PROFILES = {
    "lung_cancer": (["TEPFDG", "TDMTAP", "TDMTHO", "RXTHO", "IRMCER", "TEPFDG", "TDMTAP"], [1, 5, 2]),
    "lymphoma": (["TEPFDG", "TEPFDG", "TDMTAP", "ECHABD", "TEPFDG"], [5, 2]),
    "breast_cancer": (["MAMBIL", "TEPFDG", "TDMTAP", "IRMCER", "ECHABD", "MAMBIL"], [6, 5, 2]),
    "prostate": (["TEPPSMA", "IRMPEL", "TDMTAP", "TEPPSMA"], [8, 2]),
    "neuro": (["TDMCER", "IRMCER", "IRMCER", "RXTHO"], [7, 3]),
    "general": (["RXTHO", "ECHABD", "TDMTHO", "RXGEN", "ECHTHY", "TDMCER"], [3, 4, 1]),
}


def dt(d: datetime) -> str:
    return d.strftime("%Y-%m-%d %H:%M:%S")


def ds(d) -> str:
    return d.strftime("%Y-%m-%d")


def fr(d) -> str:
    return d.strftime("%d/%m/%Y")


# ---------------------------------------------------------------- persons
persons = []
used_ipp = set()


def new_ipp():
    while True:
        v = "8000" + f"{rng.randint(10000, 99999)}"
        if v not in used_ipp:
            used_ipp.add(v)
            return v


profile_plan = (["lung_cancer"] * 7 + ["lymphoma"] * 5 + ["breast_cancer"] * 5 + ["prostate"] * 4 +
                ["neuro"] * 4 + ["general"] * 5)
for i, prof in enumerate(profile_plan, start=1):
    if prof == "breast_cancer":
        sex = "F"
    elif prof == "prostate":
        sex = "M"
    else:
        sex = rng.choice("MF")
    born = date(rng.randint(1938, 1992), rng.randint(1, 12), rng.randint(1, 28))
    persons.append(dict(person_id=i, sex=sex, born=born, ipp=new_ipp(), profile=prof, provisional=False))

# two provisional identities created at the emergency desk ("identité provisoire"), with no report
for i in (31, 32):
    sex = "M" if i == 31 else "F"
    persons.append(dict(person_id=i, sex=sex, born=date(1970 if i == 31 else 1955, 1, 1), ipp=new_ipp(),
                        profile=None, provisional=True))

# ---------------------------------------------------------------- visits
visits = []
used_nda = set()


def new_nda(year):
    while True:
        v = f"{year % 100:02d}{rng.randint(1000000, 9999999)}"
        if v not in used_nda:
            used_nda.add(v)
            return v


def add_visit(pid, kind, start: datetime, care_site):
    if kind == IP:
        end = start + timedelta(days=rng.randint(2, 12), hours=rng.randint(-3, 5))
        end = end.replace(hour=rng.randint(10, 17), minute=rng.choice([0, 15, 30, 45]))
    elif kind == ER:
        end = start + timedelta(hours=rng.randint(3, 20), minutes=rng.randint(0, 59))
    else:
        end = start + timedelta(hours=rng.randint(1, 5), minutes=rng.randint(0, 59))
    v = dict(visit_occurrence_id=len(visits) + 1, person_id=pid, kind=kind, start=start, end=end,
             care_site=care_site, nda=new_nda(start.year))
    visits.append(v)
    return v


def rand_dt(d0: date, d1: date, h0=8, h1=18) -> datetime:
    span = (d1 - d0).days
    d = d0 + timedelta(days=rng.randint(0, max(span, 0)))
    return datetime(d.year, d.month, d.day, rng.randint(h0, h1 - 1), rng.choice(range(0, 60, 5)),
                     rng.randint(0, 59))


# ---------------------------------------------------------------- exams
exams = []  # truth-level exam records
START, END = date(2022, 1, 10), date(2024, 11, 30)

n_per_person = {p["person_id"]: 0 for p in persons}
for p in persons[:30]:
    catalogue, sites = PROFILES[p["profile"]]
    n = rng.randint(2, 4) if p["profile"] != "general" else rng.randint(1, 3)
    # chronological series of exams
    d = START + timedelta(days=rng.randint(0, 500))
    for k in range(n):
        code = catalogue[k % len(catalogue)] if k < len(catalogue) else rng.choice(catalogue)
        if k > 0 and rng.random() < 0.3:
            code = rng.choice(catalogue)
        when = datetime(d.year, d.month, d.day, rng.randint(7, 18), rng.choice(range(0, 60, 5)),
                        rng.randint(0, 59))
        exams.append(dict(true_pid=p["person_id"], code=code, when=when, sites=sites))
        d = d + timedelta(days=rng.randint(20, 160))
        if d > END:
            break

# top up / trim to 90 exams
while len(exams) < 90:
    p = rng.choice(persons[:30])
    catalogue, sites = PROFILES[p["profile"]]
    d = START + timedelta(days=rng.randint(0, (END - START).days))
    when = datetime(d.year, d.month, d.day, rng.randint(7, 18), rng.choice(range(0, 60, 5)), rng.randint(0, 59))
    exams.append(dict(true_pid=p["person_id"], code=rng.choice(catalogue), when=when, sites=sites))
exams = exams[:90]
exams.sort(key=lambda e: e["when"])

# visit scenario per exam: A = stay carried by the exam, B = stay exists but exam carries none, C = no stay
for e in exams:
    r = rng.random()
    e["scenario"] = "A" if r < 0.34 else ("B" if r < 0.52 else "C")
    if e["scenario"] == "C":
        e["visit"] = None
        continue
    modality = EXAMS[e["code"]][1]
    if e["code"] in ("TDMCER", "RXTHO", "RXGEN") and rng.random() < 0.6:
        kind, cs = ER, 3
        start = e["when"] - timedelta(hours=rng.randint(1, 4), minutes=rng.randint(0, 59))
    elif modality in ("PT",) or e["code"] in ("MAMBIL", "ECHTHY") or rng.random() < 0.35:
        kind = OP
        cs = 2 if modality == "PT" else (6 if e["code"] == "MAMBIL" else 4)
        start = e["when"] - timedelta(minutes=rng.randint(20, 90))
    else:
        kind, cs = IP, rng.choice(e["sites"])
        if cs in (2, 3, 4, 6):
            cs = 5
        start = e["when"] - timedelta(days=rng.randint(0, 4), hours=rng.randint(0, 6))
    e["visit"] = add_visit(e["true_pid"], kind, start, cs)
    # the stay must contain the exam time
    if e["visit"]["end"] <= e["when"]:
        e["visit"]["end"] = e["when"] + (timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 4))
                                         if kind == IP else timedelta(minutes=rng.randint(30, 150)))

# extra unrelated visits (consultations, other stays) up to 70
while len(visits) < 70:
    p = rng.choice(persons[:30])
    if True:
        kind = rng.choice([OP, OP, IP, ER])
        cs = {OP: rng.choice([2, 4, 6, 5]), IP: rng.choice([1, 5, 7, 8]), ER: 3}[kind]
    add_visit(p["person_id"], kind, rand_dt(START, END, 8, 20), cs)
# provisional identities got an emergency stay on the day of the exam mis-attached to them (built below)

# ---------------------------------------------------------------- mis-attached exams (~10 %)
exam_ids = list(range(len(exams)))
rng.shuffle(exam_ids)
mis = exam_ids[:9]
for j, idx in enumerate(mis):
    e = exams[idx]
    if j < 2:
        wrong = persons[30 + j]["person_id"]  # provisional identity
    else:
        candidates = [p["person_id"] for p in persons[:30] if p["person_id"] != e["true_pid"]]
        # half of the time same sex (harder), otherwise anyone
        tp = next(p for p in persons if p["person_id"] == e["true_pid"])
        if j % 2 == 0:
            candidates = [c for c in candidates if persons[c - 1]["sex"] == tp["sex"]] or candidates
        wrong = rng.choice(candidates)
    e["recorded_pid"] = wrong
for e in exams:
    e.setdefault("recorded_pid", e["true_pid"])

# ---------------------------------------------------------------- procedure + image rows
UID_ROOT = "1.2.250.1.999.77.3"
used_uid = set()


def study_uid(when: datetime):
    while True:
        u = f"{UID_ROOT}.{when.strftime('%Y%m%d')}.{rng.randint(100000, 999999)}.{rng.randint(1, 9999)}"
        if u not in used_uid:
            used_uid.add(u)
            return u


proc_rows, img_rows = [], []
for i, e in enumerate(exams, start=1):
    src, modality, pconcept, site, _title = EXAMS[e["code"]]
    e["procedure_occurrence_id"] = 100000 + i
    e["image_occurrence_id"] = 500000 + i
    e["study_uid"] = study_uid(e["when"])
    series_no = {"PT": rng.choice([3, 4, 5]), "CT": rng.choice([2, 3, 4, 601])}.get(modality, 1)
    e["series_uid"] = f"{e['study_uid']}.{series_no}"
    # stay carried by the exam row: scenario A, only when the recorded person owns that stay
    vid = None
    if e["scenario"] == "A" and e["recorded_pid"] == e["true_pid"]:
        vid = e["visit"]["visit_occurrence_id"]
    elif e["recorded_pid"] != e["true_pid"]:
        # the ETL links an exam to a stay of the (recorded) person if one covers the exam time
        for v in visits:
            if v["person_id"] == e["recorded_pid"] and v["start"] <= e["when"] <= v["end"]:
                vid = v["visit_occurrence_id"]
    e["proc_visit"] = vid
    proc_rows.append({
        "procedure_occurrence_id": e["procedure_occurrence_id"], "person_id": e["recorded_pid"],
        "procedure_concept_id": pconcept, "procedure_date": ds(e["when"]), "procedure_datetime": dt(e["when"]),
        "procedure_type_concept_id": EHR, "quantity": 1, "visit_occurrence_id": vid,
        "procedure_source_value": src, "procedure_source_concept_id": 0,
    })
    y, m, d = e["when"].strftime("%Y"), e["when"].strftime("%m"), e["when"].strftime("%d")
    img_rows.append({
        "image_occurrence_id": e["image_occurrence_id"], "person_id": e["recorded_pid"],
        "procedure_occurrence_id": e["procedure_occurrence_id"], "visit_occurrence_id": vid,
        "anatomic_site_concept_id": SITE[site] if site else None,
        "wadors_uri": (f"https://pacs-dicomweb.chu.example/dicom-web/studies/{e['study_uid']}"
                       f"/series/{e['series_uid']}"),
        "local_path": (f"/mnt/pacs_export/{y}/{m}/{d}/{e['study_uid']}/{e['series_uid']}/"
                       if rng.random() < 0.9 else None),
        "image_occurrence_date": ds(e["when"]), "image_study_uid": e["study_uid"],
        "image_series_uid": e["series_uid"], "modality_concept_id": MOD[modality],
    })

# provisional identities: give them an emergency stay around their mis-attached exam (realistic origin of
# the error: exam ordered under the provisional identity before the identities were merged)
for e in exams:
    if e["recorded_pid"] in (31, 32):
        v = add_visit(e["recorded_pid"], ER, e["when"] - timedelta(hours=2, minutes=10), 3)
        if v["end"] <= e["when"]:
            v["end"] = e["when"] + timedelta(hours=1)
        e["proc_visit"] = v["visit_occurrence_id"]
        for row in proc_rows + img_rows:
            if row["procedure_occurrence_id"] == e["procedure_occurrence_id"]:
                row["visit_occurrence_id"] = v["visit_occurrence_id"]

# ---------------------------------------------------------------- reports
pers = {p["person_id"]: p for p in persons}


def age_at(p, d):
    b = p["born"]
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


def who(p, d):
    a = age_at(p, d)
    return f"{'Patient' if p['sex'] == 'M' else 'Patiente'} de {a} ans"


def prior_exam(e):
    prev = [x for x in exams if x["true_pid"] == e["true_pid"] and x["when"] < e["when"]
            and EXAMS[x["code"]][1] == EXAMS[e["code"]][1]]
    return prev[-1] if prev else None


SUV = lambda: f"{rng.uniform(2.5, 18.0):.1f}".replace(".", ",")
MM = lambda lo, hi: rng.randint(lo, hi)


def report(e, p):
    code = e["code"]
    d = e["when"]
    prev = prior_exam(e)
    lines = []
    intro = who(p, d) if rng.random() < 0.7 else None
    comp = (f"Comparaison : examen du {fr(prev['when'])}." if prev and rng.random() < 0.7
            else "Comparaison : pas d'examen antérieur disponible.")
    if code == "TEPFDG":
        ctx = {"lung_cancer": "adénocarcinome pulmonaire", "lymphoma": "lymphome B diffus à grandes cellules",
               "breast_cancer": "carcinome canalaire infiltrant du sein"}.get(p["profile"], "nodule pulmonaire")
        step = "bilan d'extension initial" if not prev else rng.choice(
            ["évaluation thérapeutique", "suivi après traitement", "suspicion de récidive"])
        g = rng.randint(4, 7)
        lines += [f"Indication : {intro + ', ' if intro else ''}{ctx}, {step}.",
                  f"Technique : injection de {rng.randint(180, 320)} MBq de 18F-FDG, glycémie à "
                  f"{g},{rng.randint(0, 9)} mmol/l. Acquisition TEP-TDM du vertex à mi-cuisses "
                  f"{rng.choice([60, 65, 70])} min après injection. TDM low-dose sans injection.",
                  comp, "Résultats :"]
        if rng.random() < 0.6:
            lines += [f"- Hypermétabolisme {rng.choice(['du lobe supérieur droit', 'du lobe inférieur gauche', 'médiastinal', 'sus-claviculaire gauche', 'mammaire droit'])}"
                      f", SUVmax {SUV()}, mesurant {MM(9, 45)} mm.",
                      f"- {rng.choice(['Adénopathie hilaire homolatérale hypermétabolique', 'Pas de fixation ganglionnaire suspecte', 'Fixations osseuses multiples du rachis', 'Lésion hépatique segment VI hypermétabolique'])}"
                      f"{', SUVmax ' + SUV() if rng.random() < 0.5 else ''}.",
                      "Conclusion :",
                      rng.choice(["Aspect en faveur d'une maladie évolutive.", "Réponse métabolique partielle.",
                                  "Bilan d'extension : atteinte ganglionnaire locorégionale, pas de lésion à distance.",
                                  "Progression métabolique hépatique et osseuse."])]
        else:
            lines += ["- Absence de foyer hypermétabolique suspect.",
                      "- Fixations physiologiques (cerveau, myocarde, voies urinaires).",
                      "Conclusion :",
                      rng.choice(["Réponse métabolique complète (Deauville 2).",
                                  "Pas d'argument pour une récidive métabolique.",
                                  "Examen sans anomalie métabolique suspecte."])]
    elif code == "TEPPSMA":
        psa = f"{rng.uniform(0.2, 25):.1f}".replace(".", ",")
        lines += [f"Indication : {intro + ', ' if intro else ''}adénocarcinome prostatique, PSA à {psa} ng/ml.",
                  f"Technique : injection de {rng.randint(100, 200)} MBq de 68Ga-PSMA-11, acquisition TEP-TDM "
                  f"du vertex à mi-cuisses à 60 min.", comp, "Résultats :",
                  f"- Fixation prostatique {rng.choice(['droite', 'gauche', 'bilatérale'])}, SUVmax {SUV()}.",
                  f"- {rng.choice(['Adénopathie iliaque externe droite fixante de 8 mm', 'Pas de fixation ganglionnaire pelvienne', 'Lésion osseuse fixante du cotyle gauche'])}.",
                  "Conclusion :",
                  rng.choice(["Récidive locale isolée.", "Atteinte ganglionnaire pelvienne.",
                              "Maladie oligométastatique osseuse."])]
    elif code in ("TDMTAP", "TDMTHO"):
        zone = "thoraco-abdomino-pelvienne" if code == "TDMTAP" else "thoracique"
        lines += [f"Indication : {intro + ', ' if intro else ''}{rng.choice(['bilan d extension', 'suivi oncologique', 'dyspnée et toux persistante', 'altération de l état général']).replace(' d ', ' d’').replace(' l ', ' l’')}.",
                  f"Technique : acquisition hélicoïdale {zone} {'après injection de produit de contraste iodé' if code == 'TDMTAP' else 'sans injection'}, "
                  f"reconstructions multiplanaires.", comp, "Résultats :",
                  f"- {rng.choice(['Nodule pulmonaire', 'Masse', 'Micronodule'])} {rng.choice(['du lobe supérieur droit', 'du lobe inférieur gauche', 'lingulaire', 'du lobe moyen'])} de {MM(4, 48)} mm.",
                  f"- {rng.choice(['Pas d épanchement pleural', 'Épanchement pleural droit de faible abondance', 'Adénomégalie médiastinale 4R de 14 mm', 'Emphysème centrolobulaire des apex']).replace(' d ', ' d’')}.",
                  ]
        if code == "TDMTAP":
            lines.append(f"- {rng.choice(['Foie de taille normale sans lésion focale', 'Deux lésions hépatiques hypodenses de 12 et 18 mm', 'Pas d ascite, pas d adénomégalie rétropéritonéale']).replace(' d ', ' d’')}.")
        lines += ["Conclusion :", rng.choice(["Stabilité lésionnelle.", "Aspect en faveur d'une progression.",
                                              "Lésion pulmonaire suspecte, avis en RCP.",
                                              "Pas d'argument pour une évolutivité."])]
    elif code == "TDMCER":
        lines += [f"Indication : {intro + ', ' if intro else ''}{rng.choice(['céphalées brutales', 'chute avec traumatisme crânien', 'déficit moteur brachial droit', 'confusion'])}.",
                  "Technique : acquisition sans injection de produit de contraste.", "Résultats :",
                  f"- {rng.choice(['Pas d hémorragie intra ni extra-axiale', 'Hypodensité séquellaire frontale gauche', 'Hématome sous-dural chronique droit de 8 mm']).replace(' d ', ' d’')}.",
                  "- Ligne médiane en place. Système ventriculaire de taille normale.", "Conclusion :",
                  rng.choice(["Pas de lésion intracrânienne aiguë.", "Hématome sous-dural chronique sans effet de masse.",
                              "Séquelle ischémique ancienne, pas de lésion récente."])]
    elif code == "IRMCER":
        lines += [f"Indication : {intro + ', ' if intro else ''}{rng.choice(['bilan d extension cérébral', 'crise comitiale inaugurale', 'troubles de la marche', 'suivi de métastases cérébrales traitées']).replace(' d ', ' d’')}.",
                  "Technique : séquences T1, T2 FLAIR, diffusion, T2*, T1 3D après injection de gadolinium.",
                  comp, "Résultats :",
                  f"- {rng.choice(['Absence de prise de contraste suspecte', 'Lésion pariétale droite rehaussée en anneau de 14 mm avec œdème périlésionnel', 'Hypersignaux FLAIR de la substance blanche périventriculaire (Fazekas 2)'])}.",
                  "- Pas d'anomalie en diffusion.", "Conclusion :",
                  rng.choice(["IRM cérébrale sans anomalie.", "Métastase cérébrale unique pariétale droite.",
                              "Leucopathie vasculaire modérée."])]
    elif code == "IRMPEL":
        lines += [f"Indication : {intro + ', ' if intro else ''}élévation du PSA, bilan local.",
                  "Technique : IRM multiparamétrique T2, diffusion, perfusion.", "Résultats :",
                  f"- Prostate de {MM(28, 75)} cc. Lésion de la zone périphérique {rng.choice(['droite', 'gauche'])} de {MM(6, 19)} mm.",
                  f"- {rng.choice(['Pas d extension extra-capsulaire', 'Contact capsulaire sur 10 mm']).replace(' d ', ' d’')}.",
                  "Conclusion :", f"Lésion PI-RADS {rng.choice([3, 4, 5])}."]
    elif code == "ECHABD":
        lines += [f"Indication : {intro + ', ' if intro else ''}{rng.choice(['douleurs de l hypochondre droit', 'bilan hépatique perturbé', 'suivi de lésion hépatique']).replace(' l ', ' l’')}.",
                  "Technique : échographie abdominale par voie sous-costale et intercostale.", "Résultats :",
                  f"- {rng.choice(['Foie homogène de taille normale', 'Foie stéatosique', 'Nodule hépatique hyperéchogène de 15 mm du segment VII'])}.",
                  f"- {rng.choice(['Vésicule alithiasique', 'Vésicule lithiasique sans signe de cholécystite', 'Voies biliaires non dilatées'])}. Reins sans dilatation.",
                  "Conclusion :", rng.choice(["Échographie abdominale normale.", "Stéatose hépatique.",
                                              "Lithiase vésiculaire non compliquée.",
                                              "Probable angiome hépatique, à confronter à l'IRM."])]
    elif code == "ECHTHY":
        lines += [f"Indication : {intro + ', ' if intro else ''}nodule thyroïdien palpé.",
                  "Technique : échographie cervicale haute fréquence.", "Résultats :",
                  f"- Nodule {rng.choice(['lobaire droit', 'lobaire gauche', 'isthmique'])} de {MM(6, 32)} mm, "
                  f"{rng.choice(['isoéchogène', 'hypoéchogène', 'mixte'])}.", "- Pas d'adénopathie cervicale.",
                  "Conclusion :", f"Nodule EU-TIRADS {rng.choice([2, 3, 4])}."]
    elif code == "MAMBIL":
        lines += [f"Indication : {intro + ', ' if intro else ''}{'surveillance après traitement d un cancer du sein'.replace(' d ', ' d’') if prev else 'masse palpable du sein ' + rng.choice(['droit', 'gauche'])}.",
                  "Technique : mammographie bilatérale face et oblique externe, complétée d'une échographie.",
                  comp, "Résultats :", f"- Seins de densité de type {rng.choice(['B', 'C'])}.",
                  f"- {rng.choice(['Opacité spiculée du QSE droit de 18 mm', 'Microcalcifications punctiformes groupées du sein gauche', 'Remaniements post-thérapeutiques stables', 'Pas d anomalie suspecte']).replace(' d ', ' d’')}.",
                  "Conclusion :", f"ACR {rng.choice([1, 2, 3, 4, 5])}."]
    elif code == "RXTHO":
        lines += [f"Indication : {intro + ', ' if intro else ''}{rng.choice(['dyspnée', 'fièvre et toux', 'contrôle après pose de chambre implantable', 'douleur thoracique'])}.",
                  "Technique : radiographie thoracique de face, debout.", "Résultats :",
                  f"- {rng.choice(['Pas de foyer parenchymateux', 'Opacité alvéolaire basale droite', 'Émoussement du cul-de-sac costo-diaphragmatique gauche', 'Cathéter de chambre implantable en place'])}.",
                  "- Silhouette cardiaque de taille normale.", "Conclusion :",
                  rng.choice(["Radiographie thoracique sans anomalie.", "Pneumopathie basale droite.",
                              "Épanchement pleural gauche de faible abondance."])]
    else:  # RXGEN
        side = rng.choice(['droit', 'gauche'])
        lines += [f"Indication : {intro + ', ' if intro else ''}traumatisme du genou {side}.",
                  f"Technique : radiographies du genou {side} face et profil.", "Résultats :",
                  f"- {rng.choice(['Pas de fracture visible', 'Pincement fémoro-tibial interne', 'Épanchement intra-articulaire'])}.",
                  "Conclusion :", rng.choice(["Pas de lésion osseuse traumatique.", "Gonarthrose fémoro-tibiale interne."])]
    if rng.random() < 0.5:
        lines.insert(0, f"Examen réalisé le {fr(d)}.")
    if rng.random() < 0.4:
        lines.append("Compte rendu validé électroniquement.")
    return "\n".join(lines)


notes = []
truth_rows = []
exams_with_report = list(range(len(exams)))
rng.shuffle(exams_with_report)
no_report = set(exams_with_report[:16])  # 16 exams have no report
rep_no = 0


def note_source(d):
    global rep_no
    rep_no += 1
    return f"CRI{d.strftime('%y')}-{rng.randint(10000, 99999)}{rep_no % 10}"


for idx, e in enumerate(exams):
    if idx in no_report:
        continue
    p = pers[e["true_pid"]]
    delay = rng.choice([0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 4, 6, 8, 10])
    nd = e["when"] + timedelta(days=delay, hours=rng.randint(1, 5), minutes=rng.randint(0, 59))
    if delay == 0 and nd.date() != e["when"].date():
        nd = e["when"] + timedelta(minutes=rng.randint(20, 90))
    if nd.date() > e["when"].date() + timedelta(days=10):
        nd = datetime.combine(e["when"].date() + timedelta(days=10), datetime.min.time()) + timedelta(hours=18)
    # the note carries a stay for scenario A (mostly) and B (always)
    vid = None
    if e["visit"] is not None and (e["scenario"] == "B" or rng.random() < 0.85):
        vid = e["visit"]["visit_occurrence_id"]
    title = EXAMS[e["code"]][4] if rng.random() < 0.7 else GENERIC_TITLE
    notes.append(dict(pid=p["person_id"], when=nd, title=title, text=report(e, p), vid=vid,
                      src=note_source(nd), true_uid=e["study_uid"]))

# 6 reports without exam in image_occurrence (second reading of external exams, exams not in PACS export)
for k in range(6):
    p = rng.choice(persons[:30])
    catalogue, _ = PROFILES[p["profile"]]
    code = rng.choice(catalogue)
    d0 = START + timedelta(days=rng.randint(0, (END - START).days))
    when = datetime(d0.year, d0.month, d0.day, rng.randint(8, 17), rng.choice(range(0, 60, 5)), 0)
    fake = dict(true_pid=p["person_id"], code=code, when=when, sites=[])
    text = report(fake, p)
    if k % 2 == 0:
        text = f"Relecture d'un examen réalisé à l'extérieur le {fr(when)}.\n" + text
    nd = when + timedelta(days=rng.randint(0, 5), hours=rng.randint(1, 4))
    vid = None
    for v in visits:
        if v["person_id"] == p["person_id"] and v["start"] <= nd <= v["end"] + timedelta(days=1):
            vid = v["visit_occurrence_id"]
    if vid is None and k < 3:
        v = add_visit(p["person_id"], OP, nd - timedelta(hours=1), 4 if EXAMS[code][1] != "PT" else 2)
        if v["end"] < nd:
            v["end"] = nd + timedelta(minutes=30)
        vid = v["visit_occurrence_id"]
    title = EXAMS[code][4] if rng.random() < 0.5 else GENERIC_TITLE
    notes.append(dict(pid=p["person_id"], when=nd, title=title, text=text, vid=vid, src=note_source(nd),
                      true_uid=None))

notes.sort(key=lambda n: n["when"])
note_rows = []
for i, n in enumerate(notes, start=1):
    n["note_id"] = 900000 + i
    note_rows.append({
        "note_id": n["note_id"], "person_id": n["pid"], "note_date": ds(n["when"]), "note_datetime": dt(n["when"]),
        "note_type_concept_id": EHR, "note_class_concept_id": RADIOLOGY_REPORT, "note_title": n["title"],
        "note_text": n["text"], "encoding_concept_id": UTF8, "language_concept_id": FRENCH,
        "visit_occurrence_id": n["vid"], "note_source_value": n["src"],
    })

# ---------------------------------------------------------------- persons / visits / care sites rows
person_rows = []
for p in persons:
    b = p["born"]
    person_rows.append({
        "person_id": p["person_id"], "gender_concept_id": MALE if p["sex"] == "M" else FEMALE,
        "year_of_birth": b.year, "month_of_birth": b.month, "day_of_birth": b.day,
        "birth_datetime": dt(datetime(b.year, b.month, b.day)), "race_concept_id": 0, "ethnicity_concept_id": 0,
        "person_source_value": p["ipp"], "gender_source_value": p["sex"], "gender_source_concept_id": 0,
        "race_source_concept_id": 0, "ethnicity_source_concept_id": 0,
    })

visits.sort(key=lambda v: v["visit_occurrence_id"])
# written in id order (ids follow the order in which the stays were loaded)
visit_rows = []
for v in visits:
    visit_rows.append({
        "visit_occurrence_id": v["visit_occurrence_id"], "person_id": v["person_id"], "visit_concept_id": v["kind"],
        "visit_start_date": ds(v["start"]), "visit_start_datetime": dt(v["start"]),
        "visit_end_date": ds(v["end"]), "visit_end_datetime": dt(v["end"]), "visit_type_concept_id": EHR,
        "care_site_id": v["care_site"], "visit_source_value": v["nda"], "visit_source_concept_id": 0,
    })

care_rows = [{"care_site_id": c[0], "care_site_name": c[1], "place_of_service_concept_id": c[2],
              "care_site_source_value": c[3], "place_of_service_source_value": c[4]} for c in CARE_SITES]

# ---------------------------------------------------------------- truth
for e in exams:
    if e["recorded_pid"] != e["true_pid"]:
        truth_rows.append({"record_type": "image_occurrence", "record_id": e["image_occurrence_id"],
                           "image_study_uid": e["study_uid"], "true_person_id": e["true_pid"]})
for n in notes:
    truth_rows.append({"record_type": "note", "record_id": n["note_id"], "image_study_uid": n["true_uid"] or "",
                       "true_person_id": n["pid"]})


def write(name, cols, rows):
    path = os.path.join(OUT, f"{name}.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in cols])
    print(f"{name}.csv: {len(rows)} rows")


write("care_site", COLS["care_site"], care_rows)
write("person", COLS["person"], person_rows)
write("visit_occurrence", COLS["visit_occurrence"], visit_rows)
write("procedure_occurrence", COLS["procedure_occurrence"], proc_rows)
write("image_occurrence", COLS["image_occurrence"], img_rows)
write("note", COLS["note"], note_rows)
write("truth", ["record_type", "record_id", "image_study_uid", "true_person_id"], truth_rows)
