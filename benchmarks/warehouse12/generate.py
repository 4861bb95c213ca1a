#!/usr/bin/env python3
"""warehouse12 -- independent synthetic French imaging warehouse generator (blind).

Written from the canonical table contract only (column names/types, truth contract).
Standard library + pyarrow.  Deterministic: same arguments -> byte-identical parquet.

    python generate.py --profile identitovigilance_ins --patients 1500 --seed 12 -o sets/identitovigilance_ins

Writes patients/stays/exams/reports.parquet, truth/links.parquet, truth/exam_faults.parquet
and habits/{exam,report}_habits.parquet (generator-side labels used by validate.py to
measure the habits; not part of the radlink contract).
"""
import argparse
import hashlib
import os
import random
import unicodedata
from datetime import date, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq

PROFILES = ("identitovigilance_ins", "imagerie_externe_ocr", "urgences_double_lecture")
P0 = datetime(2021, 1, 1)
P1 = datetime(2024, 12, 31, 23, 59)
INS_DATE = datetime(2022, 7, 1)  # identitovigilance_ins: INS qualification starts

# ----------------------------------------------------------------------------- names
SURNAMES = """MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL
LEFÈVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU
VINCENT MÜLLER LEFEBVRE FAURE ANDRÉ MERCIER BLANC GUÉRIN BOYER GARNIER CHEVALIER FRANÇOIS LEGRAND
GAUTHIER GARCIA PERRIN ROBIN CLÉMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND
DUVAL DENIS DUMONT MARIE LEMAIRE NOËL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIÈRE LUCAS
BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GÉRARD ROCHE RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON
PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOÎT
REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER
CARPENTIER SANCHEZ DUPUIS MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN
JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT CARRÉ CHARLES RENAULT CHARPENTIER MÉNARD MAILLARD
BARON BERTIN BAILLY HERVÉ SCHNEIDER FERNANDEZ LE GALL COLLET LÉGER BOUVIER JULIEN PRÉVOST MILLET
PERROT DANIEL LE ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS RÉMY LE GOFF PELLETIER LÉVÊQUE PERRIER
LEBLANC BARRÉ LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD
GILLET ÉTIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN DA SILVA BOUCHET GAY LEMAÎTRE
BÉNARD MARÉCHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET BARTHÉLEMY CORDIER PICHON LEJEUNE GILBERT
LAMY DELAUNAY PASQUIER CARLIER LAPORTE NGUYEN TRAN DIALLO N'DIAYE BEN SALEM HADDAD BENALI
DE LA FONTAINE D'ALMEIDA DOS SANTOS LE BIHAN KERGOAT LE BRIS QUÉMÉNER DE SAINT-EXUPÉRY
VAN DER BERGHE DUPONT-MOREAU MARTIN-LEROY BERNARD-GIRAUD SAINT-MARTIN""".split("\n")
_s = []
for line in SURNAMES:
    # multi-word names are written with "_" nowhere; split on double space not used: re-join particles
    toks = line.split()
    i = 0
    while i < len(toks):
        t = toks[i]
        if t in ("LE", "DA", "DE", "DOS", "VAN", "BEN") and i + 1 < len(toks):
            if t == "DE" and toks[i + 1] == "LA":
                t = "DE LA " + toks[i + 2]; i += 2
            elif t == "VAN":
                t = "VAN DER " + toks[i + 2]; i += 2
            else:
                t = t + " " + toks[i + 1]; i += 1
        _s.append(t)
        i += 1
SURNAMES = _s
SURNAME_W = [1.0 / (r + 3) ** 0.9 for r in range(len(SURNAMES))]

MALE = """Jean Pierre Michel André Philippe René Louis Alain Jacques Bernard Marcel Daniel Roger Robert
Paul Claude Christian Henri Georges Nicolas François Patrick Gérard Christophe Joseph Frédéric
Stéphane Sébastien Thomas Julien Laurent Éric Olivier Pascal Thierry Hervé Jérôme Benoît Loïc Noël
Mohamed Karim Yannick Maxime Hugo Lucas Théo Mathéo Raphaël Jean-Pierre Jean-François Jean-Marc
Jean-Claude Jean-Luc Pierre-Yves Marc-Antoine Gaël Rémi Cédric Grégoire Hamza Youssef Quentin""".split()
FEMALE = """Marie Nathalie Isabelle Sylvie Catherine Françoise Hélène Valérie Christine Monique Nicole
Martine Jacqueline Anne Sandrine Véronique Céline Sophie Chloé Gaëlle Léa Zoé Agnès Émilie Élodie
Noémie Aurélie Mélanie Julie Camille Manon Inès Jeanne Geneviève Thérèse Josiane Danièle Fatima
Aïcha Marie-Claire Anne-Sophie Marie-Hélène Marie-Thérèse Anne-Laure Marie-Noëlle Laëtitia Océane
Maëlle Solène Clémence Bérénice Yasmine Amandine Stéphanie Brigitte Odile Ghislaine Pascale""".split()
DOCTORS = ["Dr A. VERNIER", "Dr C. HAMIDI", "Dr P.-L. KERVELLA", "Dr S. OUAZZANI", "Dr M. DELACROIX",
           "Dr J. TOURNEUR", "Dr E. BASTIDE", "Pr F. LHERMITTE", "Dr N. ABADIE", "Dr R. CASTAGNÉ"]
INTERNS = ["Dr L. MOREAU (interne)", "Dr T. NGUYEN (interne)", "Dr B. SALL (interne)",
           "Dr H. PEYRE (interne)", "Dr I. BOUAZIZ (interne)"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def strip_accents(s):
    if s is None:
        return None
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def up(s):
    return s.upper() if s else s


# ----------------------------------------------------------------------------- exam catalogue
# key: (modality, description, body_part, report delay hours (min,max), title, weights by context)
CAT = {
    "ct_head": ("CT", "TDM CEREBRALE SANS INJECTION", "HEAD", (0.3, 6), "SCANNER CÉRÉBRAL"),
    "ct_chest": ("CT", "TDM THORACIQUE AVEC INJECTION", "CHEST", (1, 20), "SCANNER THORACIQUE"),
    "ct_ape": ("CT", "ANGIOSCANNER THORACIQUE (EMBOLIE PULMONAIRE)", "CHEST", (0.3, 4), "ANGIOSCANNER THORACIQUE"),
    "ct_tap": ("CT", "TDM THORACO-ABDO-PELVIENNE INJECTEE", "CHEST", (2, 30), "SCANNER THORACO-ABDOMINO-PELVIEN"),
    "ct_abd": ("CT", "TDM ABDOMINO-PELVIENNE", "ABDOMEN", (0.5, 20), "SCANNER ABDOMINO-PELVIEN"),
    "ct_spine": ("CT", "TDM RACHIS CERVICAL", "CSPINE", (0.5, 8), "SCANNER DU RACHIS CERVICAL"),
    "cr_chest": ("CR", "RADIOGRAPHIE THORAX FACE", "CHEST", (0.5, 24), "RADIOGRAPHIE THORACIQUE"),
    "dx_wrist": ("DX", "RADIOGRAPHIE POIGNET FACE + PROFIL", "HAND", (0.5, 24), "RADIOGRAPHIE DU POIGNET"),
    "dx_pelvis": ("DX", "RADIOGRAPHIE BASSIN FACE", "PELVIS", (0.5, 24), "RADIOGRAPHIE DU BASSIN"),
    "us_abd": ("US", "ECHOGRAPHIE ABDOMINALE", "ABDOMEN", (0.2, 6), "ÉCHOGRAPHIE ABDOMINALE"),
    "us_doppler": ("US", "ECHO-DOPPLER VEINEUX MEMBRES INFERIEURS", "LEG", (0.2, 6), "ÉCHO-DOPPLER VEINEUX"),
    "mr_brain": ("MR", "IRM CEREBRALE", "BRAIN", (20, 72), "IRM CÉRÉBRALE"),
    "mr_knee": ("MR", "IRM GENOU DROIT", "KNEE", (20, 72), "IRM DU GENOU"),
    "mr_lspine": ("MR", "IRM RACHIS LOMBAIRE", "LSPINE", (20, 72), "IRM DU RACHIS LOMBAIRE"),
    "pet_fdg": ("PT\\CT", "TEP-TDM FDG CORPS ENTIER", "WHOLEBODY", (24, 72), "TEP-SCANNER AU 18F-FDG"),
    "nm_bone": ("NM", "SCINTIGRAPHIE OSSEUSE CORPS ENTIER", "WHOLEBODY", (24, 72), "SCINTIGRAPHIE OSSEUSE"),
    "mg_bilat": ("MG", "MAMMOGRAPHIE BILATERALE", "BREAST", (1, 48), "MAMMOGRAPHIE BILATÉRALE"),
}
ER_MIX = {"ct_head": 30, "cr_chest": 25, "ct_ape": 10, "ct_abd": 12, "us_abd": 6, "us_doppler": 5,
          "ct_spine": 6, "dx_wrist": 8, "dx_pelvis": 6, "mr_brain": 2}
WARD_MIX = {"ct_chest": 14, "ct_tap": 12, "cr_chest": 22, "us_abd": 10, "us_doppler": 6, "mr_brain": 8,
            "ct_abd": 10, "pet_fdg": 6, "nm_bone": 3, "ct_head": 6, "mr_lspine": 3}
OUT_MIX = {"ct_chest": 10, "ct_tap": 12, "mr_knee": 8, "mr_lspine": 10, "mr_brain": 8, "mg_bilat": 14,
           "us_abd": 10, "pet_fdg": 10, "nm_bone": 5, "dx_wrist": 5, "dx_pelvis": 4, "cr_chest": 6}

IND = {
    "ct_head": ["Chute de sa hauteur sous anticoagulant, traumatisme crânien.", "Céphalées brutales inhabituelles.",
                "Déficit moteur brachio-facial gauche depuis 2 heures.", "Confusion fébrile chez un patient âgé."],
    "ct_chest": ["Bilan d'extension d'un adénocarcinome pulmonaire.", "Nodule pulmonaire à caractériser.",
                 "Dyspnée d'aggravation progressive.", "Surveillance d'une pneumopathie interstitielle."],
    "ct_ape": ["Dyspnée aiguë, D-dimères positifs, suspicion d'embolie pulmonaire.",
               "Douleur thoracique et tachycardie, recherche d'EP."],
    "ct_tap": ["Bilan d'extension d'un cancer colique.", "Évaluation thérapeutique après 3 cures de chimiothérapie.",
               "Altération de l'état général, recherche de néoplasie."],
    "ct_abd": ["Douleur de la fosse iliaque droite, syndrome inflammatoire.", "Suspicion d'occlusion du grêle.",
               "Colique néphrétique fébrile."],
    "ct_spine": ["Accident de la voie publique, cervicalgies.", "Chute dans les escaliers, douleur cervicale."],
    "cr_chest": ["Toux fébrile.", "Contrôle de position de sonde.", "Dyspnée.", "Bilan pré-opératoire."],
    "dx_wrist": ["Chute sur la main en hyperextension.", "Douleur du poignet après traumatisme."],
    "dx_pelvis": ["Chute, impotence fonctionnelle du membre inférieur droit.", "Coxalgie droite."],
    "us_abd": ["Douleur de l'hypochondre droit, suspicion de cholécystite.", "Cytolyse hépatique."],
    "us_doppler": ["Grosse jambe gauche douloureuse, suspicion de TVP.", "Œdème du mollet droit."],
    "mr_brain": ["Bilan de céphalées chroniques.", "Suivi d'une sclérose en plaques.", "Vertiges récidivants."],
    "mr_knee": ["Gonalgie droite après entorse, suspicion de lésion méniscale."],
    "mr_lspine": ["Lombosciatique gauche L5 rebelle au traitement médical."],
    "pet_fdg": ["Bilan initial d'un lymphome de Hodgkin.", "Évaluation après chimiothérapie d'un cancer pulmonaire.",
                "Suspicion de récidive d'un cancer du sein."],
    "nm_bone": ["Bilan d'extension osseuse d'un adénocarcinome prostatique.", "Douleurs osseuses diffuses."],
    "mg_bilat": ["Dépistage organisé.", "Nodule palpable du sein gauche."],
}
TECH = {
    "CT": ["Acquisition hélicoïdale sans injection.", "Acquisition après injection de 80 mL de produit de contraste iodé.",
           "Acquisition hélicoïdale au temps portal après injection iodée."],
    "CR": ["Cliché de face en position debout.", "Cliché de face au lit."],
    "DX": ["Incidences de face et de profil."],
    "US": ["Examen réalisé par voie sus-pubienne et intercostale.", "Examen en mode B et doppler couleur."],
    "MR": ["Séquences T1, T2, FLAIR et diffusion, injection de gadolinium.", "Séquences sagittales T1 et T2, axiales T2."],
    "PT\\CT": ["Injection de {dose} MBq de 18F-FDG, glycémie à {gly} g/L, acquisition à 60 minutes."],
    "NM": ["Injection de {dose} MBq de 99mTc-HMDP, balayage corps entier à 3 heures."],
    "MG": ["Incidences de face et oblique externe bilatérales."],
}
NORMAL = {
    "ct_head": ("Pas d'hémorragie intracrânienne. Pas d'effet de masse. Structures médianes en place.",
                "Pas de lésion intracrânienne traumatique."),
    "ct_chest": ("Pas de nodule pulmonaire suspect. Pas d'adénopathie médiastinale. Pas d'épanchement pleural.",
                 "Examen sans anomalie significative."),
    "ct_ape": ("Bonne opacification des artères pulmonaires. Pas de défect endoluminal.", "Pas d'embolie pulmonaire."),
    "ct_tap": ("Pas de lésion hépatique focale. Pas d'adénopathie. Pas d'épanchement.", "Pas de lésion secondaire décelable."),
    "ct_abd": ("Appendice fin. Pas d'infiltration de la graisse. Pas de dilatation des anses.", "Examen sans particularité."),
    "ct_spine": ("Pas de fracture du rachis cervical. Alignement conservé.", "Pas de lésion traumatique du rachis cervical."),
    "cr_chest": ("Pas de foyer de condensation. Pas d'épanchement pleural. Silhouette cardiaque normale.",
                 "Radiographie thoracique normale."),
    "dx_wrist": ("Pas de trait de fracture visible. Interlignes articulaires conservés.", "Pas de fracture."),
    "dx_pelvis": ("Pas de fracture du bassin ni des cols fémoraux.", "Pas de lésion osseuse traumatique."),
    "us_abd": ("Vésicule alithiasique à paroi fine. Voies biliaires non dilatées. Foie homogène.", "Échographie normale."),
    "us_doppler": ("Veines fémorales et poplitées compressibles, flux modulé.", "Pas de thrombose veineuse profonde."),
    "mr_brain": ("Pas d'anomalie de signal parenchymateuse. Pas de prise de contraste anormale.", "IRM cérébrale normale."),
    "mr_knee": ("Ménisques de signal normal. Ligaments croisés continus.", "Pas de lésion méniscale ni ligamentaire."),
    "mr_lspine": ("Discopathie dégénérative L4-L5 sans conflit radiculaire.", "Pas de hernie discale conflictuelle."),
    "pet_fdg": ("Pas de foyer hypermétabolique suspect. SUVmax hépatique de référence 2,1.",
                "Absence de lésion hypermétabolique suspecte."),
    "nm_bone": ("Fixation homogène du squelette. Pas de foyer d'hyperfixation suspect.", "Pas de lésion osseuse secondaire."),
    "mg_bilat": ("Seins de densité de type B. Pas de masse ni de microcalcification suspecte.", "ACR 1 bilatéral."),
}
ABN = {
    "ct_head": ("Hématome sous-dural fronto-pariétal droit de 8 mm d'épaisseur, sans déviation de la ligne médiane.",
                "Hématome sous-dural droit de 8 mm."),
    "ct_chest": ("Nodule spiculé du lobe supérieur droit de 23 x 18 mm. Adénopathie médiastinale 4R de 14 mm.",
                 "Nodule spiculé lobaire supérieur droit suspect, adénopathie médiastinale."),
    "ct_ape": ("Défects endoluminaux des artères lobaires inférieures droite et gauche. Rapport VD/VG à 1,1.",
               "Embolie pulmonaire bilatérale proximale."),
    "ct_tap": ("Deux lésions hépatiques hypodenses du segment VII (18 mm) et du segment IV (12 mm).",
               "Lésions hépatiques évocatrices de métastases."),
    "ct_abd": ("Appendice augmenté de calibre à 11 mm avec infiltration de la graisse péri-appendiculaire.",
               "Appendicite aiguë non compliquée."),
    "ct_spine": ("Fracture non déplacée de l'arc postérieur de C1.", "Fracture stable de l'arc postérieur de C1."),
    "cr_chest": ("Opacité alvéolaire de la base droite avec bronchogramme aérique.", "Pneumopathie de la base droite."),
    "dx_wrist": ("Fracture du radius distal extra-articulaire avec bascule postérieure.",
                 "Fracture de Pouteau-Colles."),
    "dx_pelvis": ("Fracture cervicale vraie du col fémoral droit, déplacée (Garden III).",
                  "Fracture du col fémoral droit."),
    "us_abd": ("Vésicule lithiasique à paroi épaissie à 5 mm, signe de Murphy échographique positif.",
               "Cholécystite aiguë lithiasique."),
    "us_doppler": ("Thrombus non compressible de la veine poplitée gauche s'étendant à la fémorale superficielle.",
                   "Thrombose veineuse profonde fémoro-poplitée gauche."),
    "mr_brain": ("Plusieurs hypersignaux FLAIR de la substance blanche périventriculaire, dont un rehaussé.",
                 "Lésions démyélinisantes dont une active."),
    "mr_knee": ("Hypersignal linéaire de la corne postérieure du ménisque interne atteignant la surface articulaire.",
                "Fissure de la corne postérieure du ménisque interne."),
    "mr_lspine": ("Hernie discale L4-L5 postéro-latérale gauche au contact de la racine L5 gauche.",
                  "Hernie discale L4-L5 gauche conflictuelle."),
    "pet_fdg": ("Adénopathies sus-claviculaires et médiastinales hypermétaboliques (SUVmax 9,4).",
                "Atteinte ganglionnaire sus- et sous-diaphragmatique hypermétabolique."),
    "nm_bone": ("Foyers d'hyperfixation du rachis dorsal et de l'aile iliaque gauche.", "Lésions osseuses secondaires."),
    "mg_bilat": ("Masse irrégulière de 14 mm du quadrant supéro-externe gauche.", "ACR 5 à gauche, biopsie recommandée."),
}

UNITS_WARD = ["PNEUMOLOGIE", "CARDIOLOGIE", "NEUROLOGIE", "MEDECINE INTERNE", "CHIRURGIE DIGESTIVE",
              "ONCOLOGIE MEDICALE", "GERIATRIE", "ORTHOPEDIE", "GASTRO-ENTEROLOGIE", "NEPHROLOGIE"]
DIAG = {"PNEUMOLOGIE": ["J18.9", "C34.1", "J44.1", "I26.9"], "CARDIOLOGIE": ["I50.9", "I21.4", "I48.9"],
        "NEUROLOGIE": ["I63.9", "G35", "G40.9"], "MEDECINE INTERNE": ["R53", "D64.9", "M31.3"],
        "CHIRURGIE DIGESTIVE": ["K35.8", "C18.7", "K56.6"], "ONCOLOGIE MEDICALE": ["C50.9", "C18.9", "C81.1", "Z51.1"],
        "GERIATRIE": ["R29.6", "S72.0", "F05.1"], "ORTHOPEDIE": ["S72.0", "S52.5", "M17.1"],
        "GASTRO-ENTEROLOGIE": ["K80.0", "K85.9", "K92.2"], "NEPHROLOGIE": ["N17.9", "N18.4"],
        "URGENCES": ["S06.0", "R07.4", "R10.4", "T14.9"], "UHCD": ["S06.0", "R55", "I26.9"],
        "REANIMATION": ["J96.0", "A41.9", "I46.9"], "HDJ ONCOLOGIE": ["Z51.1", "C50.9"],
        "CONSULTATION": [None], "MEDECINE NUCLEAIRE": ["C81.1"]}


# ----------------------------------------------------------------------------- helpers
class Ctx:
    def __init__(self, profile, seed):
        h = hashlib.sha256(f"warehouse12|{profile}|{seed}".encode()).hexdigest()
        self.r = random.Random(int(h[:16], 16))
        self.profile = profile
        self.used_ids = set()

    def uniq(self, fn):
        while True:
            v = fn()
            if v not in self.used_ids:
                self.used_ids.add(v)
                return v

    def p(self, x):
        return self.r.random() < x

    def wchoice(self, d):
        ks = list(d)
        return self.r.choices(ks, weights=[d[k] for k in ks])[0]


def rdt(r, a, b):
    return a + timedelta(seconds=r.randrange(int((b - a).total_seconds())))


def at_hour(r, day, lo=8, hi=18):
    return datetime(day.year, day.month, day.day) + timedelta(minutes=r.randrange(lo * 60, hi * 60))


def fmt_date_fr(r, d, ocr=False):
    m = r.random()
    if m < 0.55:
        s = d.strftime("%d/%m/%Y")
    elif m < 0.8:
        s = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    elif m < 0.9:
        s = d.strftime("%d/%m/%y")
    else:
        s = d.strftime("%d.%m.%Y")
    return s


# ----------------------------------------------------------------------------- identity noise
def typo(r, s):
    if not s or len(s) < 3:
        return s
    i = r.randrange(1, len(s) - 1)
    k = r.random()
    if not s[i].isalpha():
        return s
    if k < 0.4:
        c = r.choice("AEIOUNRSTLM")
        c = c if s[i].isupper() else c.lower()
        return s[:i] + c + s[i + 1:] if c != s[i] else s[:i] + s[i + 1:]
    if k < 0.7:
        return s[:i] + s[i + 1:]
    return s[:i] + s[i] + s[i:]


def compound_variant(r, s):
    if "-" in s:
        return r.choice([s.replace("-", " "), s.replace("-", ""), s.split("-")[0]])
    if " " in s:
        return r.choice([s.replace(" ", "-"), s.replace(" ", ""), s.split(" ")[-1]])
    return s


def valid_date(y, m, d):
    try:
        return date(y, m, d)
    except ValueError:
        return None


def bd_typo(r, bd):
    for _ in range(20):
        s = list(bd.strftime("%Y%m%d"))
        i = r.choice([2, 3, 6, 7])
        s[i] = str(r.randrange(10))
        s = "".join(s)
        d = valid_date(int(s[:4]), int(s[4:6]), int(s[6:]))
        if d and d != bd and d.year < 2021:
            return d
    return bd


# ----------------------------------------------------------------------------- generator
class Gen:
    def __init__(self, profile, n, seed):
        self.c = Ctx(profile, seed)
        self.r = self.c.r
        self.profile = profile
        self.n = n
        self.patients = []   # dict person
        self.stays = []      # rows
        self.exams = []      # rows + hidden
        self.reports = []
        self.ipp_seq = 0

    # ---- ids
    def new_ipp(self):
        r = self.r
        if self.profile == "identitovigilance_ins":
            return self.c.uniq(lambda: "00" + str(r.randrange(100000, 999999)) + str(r.randrange(10)))
        if self.profile == "imagerie_externe_ocr":
            return self.c.uniq(lambda: str(r.randrange(300000000, 399999999)))
        return self.c.uniq(lambda: "7" + str(r.randrange(1000000, 9999999)))

    def new_stay_id(self, kind="hosp"):
        r = self.r
        if self.profile == "urgences_double_lecture":
            if kind == "er":
                return self.c.uniq(lambda: "U" + str(r.randrange(21000000, 24999999)))
            return self.c.uniq(lambda: "S" + str(r.randrange(21000000, 24999999)))
        if self.profile == "identitovigilance_ins":
            return self.c.uniq(lambda: str(r.randrange(210000000, 249999999)))
        return self.c.uniq(lambda: str(r.randrange(10000000, 99999999)))

    def new_acc(self, when, partner=None):
        r = self.r
        if partner:
            fmt = partner[2]
            if fmt == "cip":
                return self.c.uniq(lambda: f"CIP-{when:%y}-{r.randrange(1, 99999):05d}")
            if fmt == "rx":
                return self.c.uniq(lambda: f"RX{when:%y%m}{r.randrange(1, 9999):04d}")
            return self.c.uniq(lambda: f"{r.randrange(100000, 999999)}")
        if self.profile == "identitovigilance_ins":
            return self.c.uniq(lambda: f"{when:%y}{r.randrange(10000000, 99999999)}")
        if self.profile == "imagerie_externe_ocr":
            return self.c.uniq(lambda: f"IMG{r.randrange(1000000, 9999999)}")
        return self.c.uniq(lambda: f"E{when:%y}{r.randrange(100000, 999999)}")

    def new_uid(self, partner=None):
        r = self.r
        root = {"identitovigilance_ins": "1.2.250.1.38.2.", "imagerie_externe_ocr": "1.2.826.0.1.3680043.9.7133.",
                "urgences_double_lecture": "1.3.46.670589.11.4410."}[self.profile]
        if partner:
            root = partner[3]
        return self.c.uniq(lambda: root + f"{r.randrange(10**5, 10**6)}.{r.randrange(10**8, 10**9)}.{r.randrange(1, 999)}")

    def new_report_id(self):
        r = self.r
        pre = {"identitovigilance_ins": "CR", "imagerie_externe_ocr": "DOC", "urgences_double_lecture": "RAD"}[self.profile]
        return self.c.uniq(lambda: f"{pre}{r.randrange(10**7, 10**8)}")

    # ---- patients
    def make_people(self):
        r = self.r
        for i in range(self.n):
            sex = "F" if r.random() < 0.52 else "M"
            fam = r.choices(SURNAMES, weights=SURNAME_W)[0]
            k = r.random()
            ng = 1 if k < 0.35 else (2 if k < 0.8 else 3)
            pool = FEMALE if sex == "F" else MALE
            givens = []
            while len(givens) < ng:
                g = r.choice(pool)
                if g not in givens:
                    givens.append(g)
            age_years = r.choice([r.randrange(0, 18), r.randrange(18, 50), r.randrange(40, 95), r.randrange(55, 90)])
            bd = date(2020 - age_years, 1, 1) + timedelta(days=r.randrange(365))
            usage = None
            if sex == "F" and age_years > 25 and r.random() < 0.4:
                usage = r.choices(SURNAMES, weights=SURNAME_W)[0]
                if usage == fam:
                    usage = None
            person = dict(pid=i, ipp=self.new_ipp(), family=fam, givens=givens, sex=sex, bd=bd, usage=usage,
                          old_bd=None, dup_ipp=None, merge_date=None)
            # families: sometimes copy the surname of the previous person (sibling / spouse)
            if self.patients and r.random() < 0.06:
                prev = self.patients[-1]
                person["family"] = prev["family"]
            self.patients.append(person)
        if self.profile == "identitovigilance_ins":
            for p in self.patients:
                if r.random() < 0.05:   # birth date corrected at INS qualification
                    k = r.random()
                    if k < 0.4:
                        p["old_bd"] = date(p["bd"].year, 1, 1) if p["bd"] != date(p["bd"].year, 1, 1) else None
                    elif k < 0.7 and p["bd"].day <= 12 and p["bd"].day != p["bd"].month:
                        p["old_bd"] = date(p["bd"].year, p["bd"].day, p["bd"].month)
                    else:
                        p["old_bd"] = bd_typo(r, p["bd"])
                if r.random() < 0.05:   # duplicate IPP created, merged later into the survivor
                    p["dup_ipp"] = self.new_ipp()
                    p["merge_date"] = rdt(r, datetime(2021, 6, 1), datetime(2024, 6, 1))
        if self.profile == "urgences_double_lecture":
            for p in self.patients:
                if r.random() < 0.015:
                    p["dup_ipp"] = self.new_ipp()
                    p["merge_date"] = rdt(r, datetime(2021, 6, 1), datetime(2024, 6, 1))

    def registry_row(self, p):
        if self.profile == "identitovigilance_ins":
            return (p["ipp"], strip_accents(p["family"]).upper(), strip_accents(p["givens"][0]).upper(), p["bd"], p["sex"],
                    strip_accents(p["usage"]).upper() if p["usage"] else None)
        if self.profile == "imagerie_externe_ocr":
            return (p["ipp"], p["family"], p["givens"][0].upper(), p["bd"], p["sex"], p["usage"])
        return (p["ipp"], strip_accents(p["family"]), strip_accents(p["givens"][0]).upper(), p["bd"], p["sex"],
                strip_accents(p["usage"]) if p["usage"] else None)

    # ---- header identity
    def header_identity(self, p, when, partner=None, er=False, bad=False):
        """return (patient_name, birth_date, sex, noise list)."""
        r = self.r
        noise = []
        reg = self.registry_row(p)
        rfam, rgiv, rbd, rsex = reg[1], reg[2], reg[3], reg[4]
        fam, givs, bd, sex = rfam, [rgiv], rbd, rsex
        sep = "^"
        if self.profile == "identitovigilance_ins" and when < INS_DATE:
            # pre-INS: usage name, all given names, accents as typed at the desk
            if p["usage"] and r.random() < 0.8:
                fam = p["usage"].upper(); noise.append("usage_name")
            else:
                fam = p["family"].upper()
            givs = [g.upper() for g in p["givens"]]
            if len(givs) > 1:
                noise.append("all_given_names")
            if fam != strip_accents(fam) or any(g != strip_accents(g) for g in givs):
                noise.append("accents_kept")
            if p["old_bd"]:
                bd = p["old_bd"]; noise.append("birth_date_before_ins")
        elif self.profile == "imagerie_externe_ocr":
            if partner:
                fam, givs = strip_accents(p["family"]).upper(), [strip_accents(p["givens"][0]).upper()]
                if fam != p["family"].upper() or givs[0] != p["givens"][0].upper():
                    noise.append("accents_lost")
                if partner[4] == "space":
                    sep = " "; noise.append("pn_single_component")
                if p["usage"] and r.random() < 0.5:
                    fam = strip_accents(p["usage"]).upper(); noise.append("usage_name")
        rate = {"identitovigilance_ins": 0.10, "imagerie_externe_ocr": 0.14, "urgences_double_lecture": 0.16}[self.profile]
        if er:
            rate += 0.08
        if bad:
            rate += 0.1
        if partner:
            rate += 0.1
        if r.random() < rate:
            kinds = ["typo", "swapped", "compound", "case", "accents_lost", "birth_day_month_swap", "birth_date_typo",
                     "sex_missing", "usage_name"]
            for _ in range(1 if r.random() < 0.8 else 2):
                k = r.choice(kinds)
                if k in noise:
                    continue
                if k == "typo":
                    nf = typo(r, fam)
                    if nf != fam:
                        fam = nf; noise.append(k)
                elif k == "swapped":
                    noise.append(k)
                elif k == "compound":
                    nf = compound_variant(r, fam)
                    if nf != fam:
                        fam = nf; noise.append(k)
                elif k == "case":
                    fam = fam.title(); givs = [g.title() for g in givs]; noise.append(k)
                elif k == "accents_lost":
                    nf, ng = strip_accents(fam), [strip_accents(g) for g in givs]
                    if nf != fam or ng != givs:
                        fam, givs = nf, ng; noise.append(k)
                elif k == "birth_day_month_swap":
                    if bd.day <= 12 and bd.day != bd.month:
                        bd = date(bd.year, bd.day, bd.month); noise.append(k)
                elif k == "birth_date_typo":
                    nb = bd_typo(r, bd)
                    if nb != bd:
                        bd = nb; noise.append(k)
                elif k == "sex_missing":
                    sex = None; noise.append(k)
                elif k == "usage_name":
                    if p["usage"] and "usage_name" not in noise:
                        fam = strip_accents(p["usage"]).upper() if fam == strip_accents(fam) else p["usage"].upper()
                        noise.append(k)
        if partner and r.random() < 0.15:
            bd = None; noise.append("birth_date_missing")
        if "swapped" in noise:
            name = sep.join(givs[:1]) + sep + fam
        else:
            name = fam + sep + (" ".join(givs) if sep == " " else "^".join([givs[0]] + ([" ".join(givs[1:])] if len(givs) > 1 else [])))
        return name, bd, sex, noise

    def provisional_identity(self, p, when):
        r = self.r
        k = r.random()
        if k < 0.5:
            name = "X^INCONNU"
        elif k < 0.75:
            name = "ANONYME^" + ("HOMME" if p["sex"] == "M" else "FEMME")
        else:
            name = "INCONNU^" + r.choice(["ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO"]) + f" {when:%d%m}"
        bd = date(1900, 1, 1) if r.random() < 0.5 else date(when.year - r.choice([30, 50, 70]), 1, 1)
        return name, bd, (p["sex"] if r.random() < 0.7 else None), ["provisional_identity"]

    def temp_ipp(self, when):
        r = self.r
        if self.profile == "urgences_double_lecture":
            return self.c.uniq(lambda: f"TMP{when:%y%m%d}{r.randrange(100, 999)}")
        return self.c.uniq(lambda: "9999" + str(r.randrange(10000, 99999)))

    def mistype(self, ipp):
        r = self.r
        for _ in range(50):
            k = r.random()
            s = list(ipp)
            if k < 0.45:
                i = r.randrange(len(s)); s[i] = str((int(s[i]) + r.randrange(1, 10)) % 10) if s[i].isdigit() else s[i]
            elif k < 0.8:
                i = r.randrange(len(s) - 1); s[i], s[i + 1] = s[i + 1], s[i]
            else:
                s = s[r.randrange(1, 3):]
            v = "".join(s)
            if v != ipp and v not in self.c.used_ids:
                return v
        return ipp[1:]

    # ---- stays
    def add_stay(self, p, start, end, unit, stype, kind="hosp"):
        sid = self.new_stay_id(kind)
        diag = self.r.choice(DIAG.get(unit, [None]))
        if diag and self.r.random() < 0.35:
            diag = diag + ";" + self.r.choice(["I10", "E11.9", "Z92.1", "N18.3", "E66.9"])
        if self.r.random() < 0.1:
            diag = None
        s = dict(stay_id=sid, pid=p["pid"], ipp=p["ipp"], start=start, end=end, unit=unit, stype=stype, diag=diag)
        self.stays.append(s)
        return s

    # ---- exams
    def add_exam(self, p, key, when, stay=None, er=False, partner=None, habit="", unit=None):
        age = (when.date() - p["bd"]).days / 365.25
        if age < 18 and key in ("pet_fdg", "nm_bone", "mg_bilat", "mr_lspine", "ct_tap", "ct_ape"):
            key = self.r.choice(["cr_chest", "us_abd", "dx_wrist", "mr_knee"])
        elif key == "mg_bilat" and (p["sex"] == "M" or age < 35):
            key = "us_abd"
        when = when.replace(microsecond=0)
        e = dict(pid=p["pid"], key=key, true_dt=when, stay=stay, er=er, partner=partner, habit=habit, unit=unit,
                 exam_id=self.new_uid(partner), acc=self.new_acc(when, partner), reports=0)
        self.exams.append(e)
        return e

    def episodes(self):
        r = self.r
        prof = self.profile
        for p in self.patients:
            n_ep = 1 + min(int(r.expovariate(0.7)), 6)
            for _ in range(n_ep):
                day = rdt(r, P0 + timedelta(days=3), P1 - timedelta(days=40))
                k = r.random()
                if prof == "urgences_double_lecture":
                    if k < 0.6:
                        self.ep_er(p, day)
                    elif k < 0.8:
                        self.ep_ward(p, day)
                    else:
                        self.ep_out(p, day)
                elif prof == "imagerie_externe_ocr":
                    if k < 0.55:
                        self.ep_out(p, day, partner_ok=True)
                    elif k < 0.75:
                        self.ep_ward(p, day, partner_ok=True)
                    elif k < 0.87:
                        self.ep_er(p, day)
                    else:
                        self.ep_consult(p, day)
                else:
                    if k < 0.35:
                        self.ep_out(p, day)
                    elif k < 0.65:
                        self.ep_ward(p, day)
                    elif k < 0.8:
                        self.ep_er(p, day)
                    elif k < 0.9:
                        self.ep_daycare(p, day)
                    else:
                        self.ep_consult(p, day)

    def ep_out(self, p, day, partner_ok=False):
        r = self.r
        partner = None
        if partner_ok and r.random() < 0.6:
            partner = r.choice(PARTNERS)
        key = self.c.wchoice(OUT_MIX)
        if key == "mg_bilat" and p["sex"] == "M":
            key = "mr_knee"
        when = at_hour(r, day, 8, 19)
        self.add_exam(p, key, when, partner=partner)
        if r.random() < 0.3:   # follow-up exam some months later
            w2 = at_hour(r, day + timedelta(days=r.randrange(60, 200)), 8, 19)
            if w2 < P1:
                self.add_exam(p, key, w2, partner=partner)

    def ep_consult(self, p, day):
        r = self.r
        start = at_hour(r, day, 8, 16)
        s = self.add_stay(p, start, start + timedelta(minutes=r.randrange(30, 120)), "CONSULTATION", "consultation")
        key = r.choice(["cr_chest", "us_abd", "dx_wrist", "mg_bilat" if p["sex"] == "F" else "dx_pelvis"])
        self.add_exam(p, key, start + timedelta(minutes=r.randrange(5, 25)), stay=s)

    def ep_daycare(self, p, day):
        r = self.r
        start = at_hour(r, day, 7, 10)
        unit = r.choice(["HDJ ONCOLOGIE", "MEDECINE NUCLEAIRE"])
        s = self.add_stay(p, start, start + timedelta(hours=r.uniform(4, 9)), unit, "day_care")
        self.add_exam(p, r.choice(["pet_fdg", "ct_tap"]), start + timedelta(minutes=r.randrange(40, 180)), stay=s)

    def ward_exams(self, p, s, nmax=3, partner_ok=False):
        r = self.r
        dur = (s["end"] - s["start"]).total_seconds()
        for _ in range(r.randrange(1, nmax + 1)):
            t = s["start"] + timedelta(seconds=r.uniform(0.05, 0.95) * dur)
            t = at_hour(r, t, 8, 18) if r.random() < 0.8 else t
            if not (s["start"] < t < s["end"]):
                t = s["start"] + timedelta(seconds=dur / 2)
            partner = r.choice(PARTNERS) if partner_ok and r.random() < 0.15 else None
            self.add_exam(p, self.c.wchoice(WARD_MIX), t, stay=s, unit=s["unit"], partner=partner,
                          habit="partner_during_stay" if partner else "")

    def ep_ward(self, p, day, partner_ok=False):
        r = self.r
        prof = self.profile
        start = at_hour(r, day, 9, 17)
        unit = r.choice(UNITS_WARD)
        if partner_ok and r.random() < 0.25:  # outside exam a few hours/days before admission
            partner = r.choice(PARTNERS)
            t = start - timedelta(hours=r.choice([r.uniform(1, 7.5), r.uniform(20, 200)]))
            if t.hour < 8 or t.hour >= 19:
                t = at_hour(r, t - timedelta(days=1), 8, 19)
            self.add_exam(p, self.c.wchoice(OUT_MIX), t, partner=partner, habit="partner_before_stay")
        end = start + timedelta(hours=r.uniform(30, 15 * 24))
        s = self.add_stay(p, start, end, unit, "hospitalisation")
        self.ward_exams(p, s, partner_ok=partner_ok)
        if prof == "urgences_double_lecture" and r.random() < 0.3:  # transfer to another unit
            u2 = r.choice([u for u in UNITS_WARD + ["REANIMATION"] if u != unit])
            s2 = self.add_stay(p, end, end + timedelta(hours=r.uniform(24, 10 * 24)), u2, "hospitalisation")
            self.ward_exams(p, s2, nmax=2)
        elif prof != "urgences_double_lecture" and r.random() < 0.08:  # consultation nested in the stay
            t = start + (end - start) / 3
            s3 = self.add_stay(p, t, t + timedelta(hours=1), "CONSULTATION", "consultation")
            self.add_exam(p, "cr_chest", t + timedelta(minutes=20), stay=s3, habit="nested_consultation")

    def ep_er(self, p, day):
        """emergency visit: ER passage, maybe UHCD, maybe ward admission."""
        r = self.r
        prof = self.profile
        arrive = rdt(r, day, day + timedelta(hours=24))
        er_len = timedelta(hours=r.uniform(2, 10))
        unidentified = r.random() < {"identitovigilance_ins": 0.12, "imagerie_externe_ocr": 0.04,
                                     "urgences_double_lecture": 0.13}[prof]
        visit = dict(unidentified=unidentified, tmp=None)
        er_stay = None
        if prof == "urgences_double_lecture" or r.random() < 0.5:
            er_stay = self.add_stay(p, arrive, arrive + er_len, "URGENCES", "emergency", kind="er")
        admitted = r.random() < (0.45 if prof == "urgences_double_lecture" else 0.5)
        n = r.choice([1, 1, 2, 2, 3])
        exams = []
        for i in range(n):
            t = arrive + timedelta(minutes=r.randrange(20, int(er_len.total_seconds() / 60) - 10))
            e = self.add_exam(p, self.c.wchoice(ER_MIX), t, stay=er_stay, er=True, unit="URGENCES")
            e["visit"] = visit
            exams.append(e)
        # repeated exam the same day (motion / contrast problem)
        if prof == "urgences_double_lecture" and exams and r.random() < 0.12:
            e0 = exams[0]
            if CAT[e0["key"]][0] in ("CT", "MR", "CR", "DX"):
                t = e0["true_dt"] + timedelta(minutes=r.randrange(8, 50))
                e1 = self.add_exam(p, e0["key"], t, stay=er_stay, er=True, unit="URGENCES")
                e1["visit"] = visit
                if r.random() < 0.5:
                    e0["habit"] = "repeat_cancelled"; e0["noreport"] = True
                else:
                    e0["habit"] = "repeat_kept"; e0["noreport"] = True
                e0["repeat_reason"] = r.choice(["mouvement", "injection"])
                e1["habit"] = "repeat_final"; e1["repeat_of"] = e0
                if e0["habit"] == "repeat_cancelled":  # order cancelled and redone: same accession on both studies
                    e0["acc"] = e1["acc"]
                exams.append(e1)
        if admitted:
            t0 = arrive + er_len
            if prof == "urgences_double_lecture" and r.random() < 0.6:
                uh = self.add_stay(p, t0, t0 + timedelta(hours=r.uniform(10, 36)), "UHCD", "hospitalisation")
                if r.random() < 0.3:
                    e = self.add_exam(p, self.c.wchoice(ER_MIX), uh["start"] + (uh["end"] - uh["start"]) / 2, stay=uh,
                                      unit="UHCD")
                    e["visit"] = visit
                t0 = uh["end"]
                if r.random() < 0.35:
                    return
            elif prof != "urgences_double_lecture" and er_stay is None:
                t0 = arrive + er_len + timedelta(minutes=r.randrange(0, 60))
            unit = r.choice(UNITS_WARD)
            s = self.add_stay(p, t0, t0 + timedelta(hours=r.uniform(30, 12 * 24)), unit, "hospitalisation")
            if r.random() < 0.6:
                self.ward_exams(p, s, nmax=2)
            if prof == "urgences_double_lecture" and r.random() < 0.25:
                u2 = r.choice([u for u in UNITS_WARD if u != unit])
                s2 = self.add_stay(p, s["end"], s["end"] + timedelta(hours=r.uniform(24, 8 * 24)), u2, "hospitalisation")
                if r.random() < 0.5:
                    self.ward_exams(p, s2, nmax=1)

    # ---- truth for exam->stay
    def truth_stay(self, e, by_pid):
        t = e["true_dt"]
        cands = [s for s in by_pid.get(e["pid"], []) if s["start"] <= t <= s["end"]]
        if cands:
            return min(cands, key=lambda s: (s["end"] - s["start"], s["stay_id"]))
        pre = [s for s in by_pid.get(e["pid"], []) if s["stype"] == "hospitalisation"
               and timedelta(0) < s["start"] - t <= timedelta(hours=8)]
        if pre:
            return min(pre, key=lambda s: s["start"])
        return None

    # ---- finalize exams: header attachment, faults
    def finalize_exams(self):
        r = self.r
        prof = self.profile
        by_pid = {}
        for s in self.stays:
            by_pid.setdefault(s["pid"], []).append(s)
        self.by_pid = by_pid
        by_surname = {}
        for p in self.patients:
            by_surname.setdefault(p["family"], []).append(p)
        rates = {  # missing, mistyped, other, temporary (non-ER baseline)
            "identitovigilance_ins": (0.03, 0.03, 0.02, 0.01),
            "imagerie_externe_ocr": (0.04, 0.03, 0.01, 0.005),
            "urgences_double_lecture": (0.03, 0.03, 0.025, 0.01),
        }[prof]
        self.exams.sort(key=lambda e: (e["true_dt"], e["exam_id"]))
        for e in self.exams:
            p = self.patients[e["pid"]]
            e["truth_stay"] = self.truth_stay(e, by_pid)
            when = e["true_dt"]
            fault = "none"
            ipp = p["ipp"]
            name = None
            v = e.get("visit")
            if e["partner"]:
                fault = "partner_id"
                ipp = self.partner_pid(p, e["partner"])
            elif v and v["unidentified"]:
                fault = "temporary_ipp"
                if v["tmp"] is None:
                    v["tmp"] = self.temp_ipp(when)
                ipp = v["tmp"]
                name, bd, sex, noise = self.provisional_identity(p, when) if r.random() < 0.75 else \
                    self.header_identity(p, when, er=True, bad=True)
            elif p["dup_ipp"] and when < p["merge_date"] and r.random() < 0.7:
                fault = "merged_ipp"; ipp = p["dup_ipp"]
            else:
                k = r.random()
                m, t, o, tmp = rates
                if e["er"]:
                    m, t, o, tmp = m * 1.5, t, o * 1.5, tmp * 4
                if k < m:
                    fault = "missing_ipp"; ipp = None
                elif k < m + t:
                    fault = "mistyped_ipp"; ipp = self.mistype(p["ipp"])
                elif k < m + t + o:
                    fault = "other_patient_ipp"
                    same = [q for q in by_surname.get(p["family"], []) if q["pid"] != p["pid"]]
                    q = r.choice(same) if same and r.random() < 0.35 else r.choice(self.patients)
                    while q["pid"] == p["pid"]:
                        q = r.choice(self.patients)
                    ipp = q["ipp"]
                elif k < m + t + o + tmp:
                    fault = "temporary_ipp"; ipp = self.temp_ipp(when)
            if name is None:
                name, bd, sex, noise = self.header_identity(p, when, partner=e["partner"], er=e["er"],
                                                           bad=fault not in ("none", "partner_id"))
            e.update(fault=fault, h_ipp=ipp, h_name=name, h_bd=bd, h_sex=sex, noise=noise)
            # header datetime habits
            hdt = when
            if e["partner"]:
                hab = e["partner"][5]
                if hab == "midnight":
                    hdt = datetime(when.year, when.month, when.day); e["time_habit"] = "date_only"
                elif hab == "utc":
                    off = 2 if 4 <= when.month <= 10 else 1
                    hdt = when - timedelta(hours=off); e["time_habit"] = "utc"
                else:
                    hdt = when.replace(second=0); e["time_habit"] = "local"
            e["h_dt"] = hdt
            # stay id and unit in the header
            ts = e["truth_stay"]
            p_sid = {"identitovigilance_ins": 0.10, "imagerie_externe_ocr": 0.05, "urgences_double_lecture": 0.5}[prof]
            e["h_stay"] = ts["stay_id"] if (ts and not e["partner"] and r.random() < p_sid) else None
            if e["partner"]:
                e["h_unit"] = None if r.random() < 0.6 else "RADIOLOGIE"
                e["h_inst"] = e["partner"][0]
            else:
                e["h_inst"] = {"identitovigilance_ins": "CHU SAINT-ANDRE VAL DE LYS",
                               "imagerie_externe_ocr": "CH DE BEAUVALLON",
                               "urgences_double_lecture": "CHI DES TROIS RIVIERES"}[prof]
                if ts and e["unit"] and r.random() < 0.3:
                    e["h_unit"] = e["unit"]
                elif CAT[e["key"]][0] == "PT\\CT" or CAT[e["key"]][0] == "NM":
                    e["h_unit"] = "MEDECINE NUCLEAIRE"
                elif e["er"] and prof == "urgences_double_lecture":
                    e["h_unit"] = r.choice(["RADIOLOGIE URGENCES", "IMAGERIE URG"])
                else:
                    e["h_unit"] = "RADIOLOGIE" if r.random() < 0.8 else "IMAGERIE MEDICALE"

    def partner_pid(self, p, partner):
        key = (p["pid"], partner[0])
        if not hasattr(self, "_ppid"):
            self._ppid = {}
        if key not in self._ppid:
            r = self.r
            fmt = partner[1]
            self._ppid[key] = self.c.uniq(lambda: fmt.format(r.randrange(1, 999999)))
        return self._ppid[key]

    # ---- reports
    def report_text(self, e, style, when_written, author, prelim=False, final_of=None, ocr=False):
        r = self.r
        key = e["key"]
        mod, desc, bp, _, title = CAT[key]
        abn = e.setdefault("abn", r.random() < 0.45)
        if final_of is not None and e.get("final_change"):
            abn = not abn  # the senior's reading differs from the resident's
        res, concl = (ABN if abn else NORMAL)[key]
        ind = e.setdefault("ind", r.choice(IND[key]))
        tech = (TECH[mod][0] if key in ("mr_brain", "us_abd") else TECH[mod][1]) if mod in ("MR", "US") else r.choice(TECH[mod])
        tech = tech.format(dose=r.randrange(180, 420), gly=str(round(r.uniform(0.8, 1.4), 2)).replace(".", ","))
        d = e["true_dt"]
        lines = []
        date_mode = r.random() * {"identitovigilance_ins": 1.0, "imagerie_externe_ocr": 0.75,
                                   "urgences_double_lecture": 1.4}[self.profile]
        dtxt = None
        if date_mode < 0.45:
            dtxt = fmt_date_fr(r, d)
            lines.append(r.choice([f"Examen du {dtxt}", f"{title.capitalize()} réalisé le {dtxt}",
                                   f"Date de l'examen : {dtxt}", f"{desc} DU {dtxt}"]))
        elif date_mode < 0.55:
            lines.append(f"Examen réalisé le {d:%d/%m/%Y} à {d:%Hh%M}")
            dtxt = "dt"
        if style == "terse":
            lines.append(f"Indication : {ind}")
            if final_of is not None and e.get("final_change"):
                lines.append("Relecture senior : " + e["final_change"])
            lines.append(res)
            lines.append(f"CONCLUSION : {concl}")
        else:
            lines.append(f"Indication :\n{ind}")
            lines.append(f"Technique :\n{tech}")
            if e.get("repeat_of") is not None:
                lines.append(f"Examen réalisé en deux temps (premier passage non interprétable : "
                             f"{'artefacts de mouvement' if e['repeat_of']['repeat_reason'] == 'mouvement' else 'défaut d’injection'}).")
            lines.append(f"Résultats :\n{res}")
            if final_of is not None and e.get("final_change"):
                lines.append(e["final_change"])
            lines.append(f"Conclusion :\n{concl}")
        if prelim:
            lines.insert(0, "COMPTE RENDU PRÉLIMINAIRE - sous réserve de relecture")
        if final_of is not None:
            lines.insert(0, "COMPTE RENDU DÉFINITIF (relecture du " + f"{when_written:%d/%m/%Y})")
        lines.append(r.choice([f"{author}", f"Compte rendu validé électroniquement par {author}",
                               f"Dicté par {author}, frappé le {when_written:%d/%m/%Y}"]))
        text = "\n\n".join(lines) if style != "terse" else "\n".join(lines)
        if self.profile == "identitovigilance_ins" and r.random() < 0.05:
            text = text.replace("\n\n", "<br><br>").replace("\n", "<br>").replace("'", "&#39;")
            e["html"] = True
        return title, text, dtxt is not None

    def ocr_letter(self, e, text, partner):
        """turn a clean text into an OCR'd scanned letter."""
        r = self.r
        head = (f"{partner[0]}\n{partner[6]}\nTél. 0{r.randrange(1, 6)} {r.randrange(10, 99)} "
                f"{r.randrange(10, 99)} {r.randrange(10, 99)} {r.randrange(10, 99)}\n")
        p = self.patients[e["pid"]]
        who = f"Patient(e) : {'Mme' if p['sex'] == 'F' else 'M.'} {strip_accents(p['family']).upper()} {p['givens'][0]}"
        who += f"  né(e) le {p['bd']:%d/%m/%Y}"
        if e.get("acc") and r.random() < 0.5:
            who += f"\nN° d'examen : {e['acc']}"
        body = who + "\n" + text
        # odd line breaks: wrap at ~60 chars ignoring word boundaries sometimes
        out = []
        for para in body.split("\n"):
            while len(para) > 64:
                cut = 64 if r.random() < 0.4 else (para.rfind(" ", 0, 64) if para.rfind(" ", 0, 64) > 20 else 64)
                out.append(para[:cut]); para = para[cut:].lstrip(" ")
            out.append(para)
        # page break in the middle
        if len(out) > 8 and r.random() < 0.6:
            mid = len(out) // 2
            out = out[:mid] + ["", "Page 1/2", "\f" if r.random() < 0.3 else "", head.strip()] + out[mid:] + ["", "Page 2/2"]
        else:
            out += ["", "Page 1/1"]
        txt = head + "\n".join(out)
        # OCR character errors
        subs = [("O", "0"), ("0", "O"), ("l", "1"), ("1", "l"), ("rn", "m"), ("m", "rn"), ("é", "e"), ("è", "e"),
                ("I", "l"), ("5", "S"), ("8", "B"), ("e", "c"), ("à", "a"), ("ç", "c"), ("/", "l")]
        chars = list(txt)
        nerr = 0
        rate = r.choice([0.004, 0.01, 0.02])
        res = []
        i = 0
        while i < len(txt):
            done = False
            if r.random() < rate:
                for a, b in subs:
                    if txt.startswith(a, i):
                        res.append(b); i += len(a); nerr += 1; done = True
                        break
            if not done:
                res.append(txt[i]); i += 1
        return "".join(res), nerr

    def make_reports(self):
        r = self.r
        prof = self.profile
        for e in self.exams:
            if e.get("noreport"):
                continue
            p = self.patients[e["pid"]]
            delay = CAT[e["key"]][3]
            ts = e["truth_stay"]
            if e["partner"]:
                # scanned letter, indexed days later; some partner exams come without report
                if r.random() < 0.12:
                    continue
                wt = e["true_dt"] + timedelta(hours=r.uniform(24, 240))
                title, text, has_date = self.report_text(e, "full", wt, r.choice(["Dr G. PAOLI", "Dr V. LEMERCIER",
                                                                                  "Dr K. BENHAMOU"]))
                text, nerr = self.ocr_letter(e, text, e["partner"])
                acc = None
                if r.random() < 0.3:
                    acc = e["acc"]
                    if r.random() < 0.3:
                        acc, _ = self.ocr_letter_str(acc)
                self.add_report(e, p, wt, "Courrier externe - " + r.choice([title, "Compte rendu radiologique",
                                                                           "CR IMAGERIE"]), text, acc,
                                habit="ocr_letter", has_date=has_date, pid_rate=0.92, stay_rate=0.1)
                continue
            if prof == "urgences_double_lecture" and e["er"]:
                d = e["true_dt"]
                oncall = d.hour >= 18 or d.hour < 8 or d.weekday() >= 5
                if oncall and r.random() < 0.85:
                    t1 = d + timedelta(minutes=r.uniform(10, 60))
                    title, text, hd = self.report_text(e, "terse", t1, r.choice(INTERNS), prelim=True)
                    self.add_report(e, p, t1, "CR PRELIMINAIRE " + title, text, e["acc"] if r.random() < 0.8 else None,
                                    habit="preliminary", has_date=hd, pid_rate=0.985, stay_rate=0.8)
                    nxt = (d + timedelta(days=1 if d.hour >= 8 else 0))
                    t2 = datetime(nxt.year, nxt.month, nxt.day, 8) + timedelta(minutes=r.randrange(0, 180))
                    if t2 <= t1:
                        t2 = t1 + timedelta(hours=8)
                    changed = r.random() < 0.25
                    if changed:
                        e["final_change"] = r.choice([
                            "Modification par rapport au compte rendu préliminaire après relecture senior.",
                            "Relecture : conclusion différente de la lecture initiale de garde, clinicien prévenu.",
                            "NB : discordance avec le CR préliminaire."])
                    title, text, hd = self.report_text(e, "full" if r.random() < 0.6 else "terse", t2, r.choice(DOCTORS),
                                                       final_of=True)
                    self.add_report(e, p, t2, "CR DEFINITIF " + title, text, e["acc"] if r.random() < 0.8 else None,
                                    habit="final_changed" if changed else "final", has_date=hd, pid_rate=0.99,
                                    stay_rate=0.8, venue_at=t2)
                    continue
                wt = d + timedelta(minutes=r.uniform(20, 150))
                title, text, hd = self.report_text(e, "terse" if r.random() < 0.5 else "full", wt, r.choice(DOCTORS))
                self.add_report(e, p, wt, title, text, e["acc"] if r.random() < 0.8 else None,
                                habit="single", has_date=hd, pid_rate=0.99, stay_rate=0.8, venue_at=wt)
                continue
            if r.random() < 0.03:
                continue  # report never exported
            wt = e["true_dt"] + timedelta(hours=r.uniform(*delay))
            title, text, hd = self.report_text(e, "full", wt, r.choice(DOCTORS))
            acc_rate = {"identitovigilance_ins": 0.55, "imagerie_externe_ocr": 0.7, "urgences_double_lecture": 0.8}[prof]
            stay_rate = {"identitovigilance_ins": 0.4, "imagerie_externe_ocr": 0.25, "urgences_double_lecture": 0.7}[prof]
            self.add_report(e, p, wt, title, text, e["acc"] if r.random() < acc_rate else None, habit="single",
                            has_date=hd, pid_rate=0.97, stay_rate=stay_rate)
        # reports of outside exams never imported (second opinions, letters)
        n_out = {"identitovigilance_ins": 0.03, "imagerie_externe_ocr": 0.08, "urgences_double_lecture": 0.02}[prof]
        for _ in range(int(n_out * len(self.exams))):
            p = r.choice(self.patients)
            key = self.c.wchoice(OUT_MIX)
            d = rdt(r, P0 + timedelta(days=3), P1 - timedelta(days=20))
            fake = dict(pid=p["pid"], key=key, true_dt=d, partner=None)
            wt = (d + timedelta(hours=r.uniform(24, 400))).replace(microsecond=0)
            stays = [s for s in self.by_pid.get(p["pid"], []) if s["start"] <= wt <= s["end"]]
            ts = min(stays, key=lambda s: s["end"] - s["start"]) if stays else None
            if prof == "imagerie_externe_ocr":
                partner = r.choice(PARTNERS)
                title, text, hd = self.report_text(fake, "full", wt, "Dr G. PAOLI")
                text, _ = self.ocr_letter(fake, text, partner)
                title = "Courrier externe - " + title
                hab = "ocr_letter_no_exam"
            else:
                title, text, hd = self.report_text(fake, "full", wt, r.choice(DOCTORS))
                title = "AVIS SUR EXAMEN EXTERIEUR - " + title
                text = "Relecture d'un examen réalisé à l'extérieur, images non importées dans le PACS.\n\n" + text
                hab = "outside_no_exam"
            self.reports.append(dict(report_id=self.new_report_id(), pid=p["pid"], h_ipp=p["ipp"] if r.random() < 0.95 else None,
                                     h_stay=ts["stay_id"] if ts and r.random() < 0.5 else None, dt=wt, title=title,
                                     text=text, acc=None, exam=None, truth_stay=ts, habit=hab, has_date=hd))

    def ocr_letter_str(self, s):
        r = self.r
        m = {"0": "O", "1": "l", "5": "S", "8": "B", "-": " "}
        idx = [i for i, c in enumerate(s) if c in m]
        if not idx:
            return s, 0
        i = r.choice(idx)
        return s[:i] + m[s[i]] + s[i + 1:], 1

    def add_report(self, e, p, wt, title, text, acc, habit, has_date, pid_rate, stay_rate, venue_at=None):
        r = self.r
        # patient id known at writing time
        if e["fault"] == "temporary_ipp" and e.get("visit") and wt < e["true_dt"] + timedelta(hours=r.uniform(2, 120)):
            ipp = e["h_ipp"]
        elif e["fault"] == "merged_ipp" and wt < p["merge_date"]:
            ipp = e["h_ipp"]
        else:
            ipp = p["ipp"] if r.random() < pid_rate else None
        ts = e["truth_stay"]
        sid = None
        if r.random() < stay_rate:
            if venue_at is not None:   # RIS takes the current venue when the report is validated
                cur = [s for s in self.by_pid.get(p["pid"], []) if s["start"] <= venue_at <= s["end"]]
                sid = min(cur, key=lambda s: s["end"] - s["start"])["stay_id"] if cur else (ts["stay_id"] if ts else None)
            else:
                sid = ts["stay_id"] if ts else None
        wt = wt.replace(microsecond=0)
        self.reports.append(dict(report_id=self.new_report_id(), pid=p["pid"], h_ipp=ipp, h_stay=sid, dt=wt, title=title,
                                 text=text, acc=acc, exam=e, truth_stay=ts, habit=habit, has_date=has_date))
        e["reports"] += 1

    # ---- output
    def build(self):
        self.make_people()
        self.episodes()
        self.finalize_exams()
        self.make_reports()

    def write(self, out):
        os.makedirs(os.path.join(out, "truth"), exist_ok=True)
        os.makedirs(os.path.join(out, "habits"), exist_ok=True)
        S, D, T = pa.string(), pa.date32(), pa.timestamp("us")

        def w(name, cols, rows):
            arrays = {c: pa.array([row[i] for row in rows], type=t) for i, (c, t) in enumerate(cols)}
            tab = pa.table(arrays, schema=pa.schema([pa.field(c, t) for c, t in cols]))
            pq.write_table(tab, os.path.join(out, name), compression="snappy", use_dictionary=True,
                           write_statistics=True)

        pats = sorted((self.registry_row(p) for p in self.patients), key=lambda x: x[0])
        w("patients.parquet", [("patient_id", S), ("family_name", S), ("given_name", S), ("birth_date", D),
                               ("sex", S), ("usage_name", S)], pats)
        st = sorted(self.stays, key=lambda s: (s["start"], s["stay_id"]))
        w("stays.parquet", [("stay_id", S), ("patient_id", S), ("start_datetime", T), ("end_datetime", T), ("unit", S),
                            ("stay_type", S), ("diagnoses", S)],
          [(s["stay_id"], s["ipp"], s["start"], s["end"], s["unit"], s["stype"], s["diag"]) for s in st])
        ex = sorted(self.exams, key=lambda e: (e["h_dt"], e["exam_id"]))
        w("exams.parquet", [("exam_id", S), ("accession_number", S), ("patient_id", S), ("patient_name", S),
                            ("birth_date", D), ("sex", S), ("study_datetime", T), ("modality", S),
                            ("study_description", S), ("body_part", S), ("institution", S), ("unit", S), ("stay_id", S)],
          [(e["exam_id"], e["acc"], e["h_ipp"], e["h_name"], e["h_bd"], e["h_sex"], e["h_dt"], CAT[e["key"]][0],
            self.desc(e), CAT[e["key"]][2], e["h_inst"], e["h_unit"], e["h_stay"]) for e in ex])
        rp = sorted(self.reports, key=lambda x: (x["dt"], x["report_id"]))
        w("reports.parquet", [("report_id", S), ("patient_id", S), ("stay_id", S), ("report_datetime", T), ("title", S),
                              ("text", S), ("accession_number", S)],
          [(x["report_id"], x["h_ipp"], x["h_stay"], x["dt"], x["title"], x["text"], x["acc"]) for x in rp])
        links = []
        for e in ex:
            links.append(("exam", e["exam_id"], "patient", self.patients[e["pid"]]["ipp"]))
            links.append(("exam", e["exam_id"], "stay", e["truth_stay"]["stay_id"] if e["truth_stay"] else None))
        for x in rp:
            links.append(("report", x["report_id"], "exam", x["exam"]["exam_id"] if x["exam"] else None))
            links.append(("report", x["report_id"], "stay", x["truth_stay"]["stay_id"] if x["truth_stay"] else None))
        w("truth/links.parquet", [("source_type", S), ("source_id", S), ("target_type", S), ("target_id", S)], links)
        w("truth/exam_faults.parquet", [("exam_id", S), ("fault", S), ("identity_noise", S)],
          [(e["exam_id"], e["fault"], ";".join(e["noise"])) for e in ex])
        w("habits/exam_habits.parquet", [("exam_id", S), ("habit", S), ("time_habit", S), ("partner", S),
                                         ("true_study_datetime", T), ("emergency", S)],
          [(e["exam_id"], e["habit"], e.get("time_habit", ""), e["partner"][0] if e["partner"] else "",
            e["true_dt"], "1" if e["er"] else "0") for e in ex])
        w("habits/report_habits.parquet", [("report_id", S), ("habit", S), ("date_in_text", S)],
          [(x["report_id"], x["habit"], "1" if x["has_date"] else "0") for x in rp])

    def desc(self, e):
        d = CAT[e["key"]][1]
        if e["partner"]:
            d = e["partner"][7].get(e["key"], d.title())
        return d


# name, patient id format, accession format, UID root, PN style, time habit, address, description style
PARTNERS = [
    ("CIM DES TILLEULS", "CIM{:06d}", "cip", "1.2.392.200036.9116.2.", "caret", "utc", "4 avenue des Tilleuls 60100 BEAUVALLON",
     {"mr_knee": "IRM GENOU", "mr_lspine": "IRM LOMBAIRE", "ct_chest": "SCANNER THORAX"}),
    ("IMAGERIE DU PARC", "P{:07d}", "rx", "1.2.840.113619.2.55.3.", "space", "midnight", "Centre commercial du Parc 60110 VILLERS",
     {"mg_bilat": "MAMMO BILAT", "us_abd": "ECHO ABDO", "ct_tap": "TDM TAP"}),
    ("CABINET DE RADIOLOGIE DE LA GARE", "{:06d}", "num", "1.3.12.2.1107.5.1.4.", "caret", "local", "2 place de la Gare 60200 SAINT-OUEN-SUR-OISE",
     {"dx_wrist": "Poignet F+P", "cr_chest": "Thorax F"}),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", required=True, choices=PROFILES)
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    g = Gen(a.profile, a.patients, a.seed)
    g.build()
    g.write(a.out)
    print(f"{a.profile}: {len(g.patients)} patients, {len(g.stays)} stays, {len(g.exams)} exams, "
          f"{len(g.reports)} reports -> {a.out}")


if __name__ == "__main__":
    main()
