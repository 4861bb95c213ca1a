#!/usr/bin/env python3
"""warehouse10 -- an independent synthetic French imaging warehouse generator.

Written blind (from the canonical table contract only) to test a linkage tool
(exam->patient, report->exam, exam->stay, report->stay).

    python generate.py --profile entrepot_regional_multisite --patients 1500 --seed 10 -o DIR

Writes DIR/{patients,stays,exams,reports}.parquet and DIR/truth/{links,exam_faults}.parquet.
Standard library + pyarrow only; same arguments -> byte-identical files.
Everything is synthetic: names, ids, dates and texts are drawn from small invented pools.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import unicodedata
import zlib

import pyarrow as pa
import pyarrow.parquet as pq

D = dt.datetime
TD = dt.timedelta

# --------------------------------------------------------------------------------------
# schemas (the canonical pyarrow types of the contract)
# --------------------------------------------------------------------------------------
S = pa.string()
TS = pa.timestamp("us")
SCHEMAS = {
    "patients": pa.schema([("patient_id", S), ("family_name", S), ("given_name", S),
                           ("birth_date", pa.date32()), ("sex", S), ("usage_name", S)]),
    "stays": pa.schema([("stay_id", S), ("patient_id", S), ("start_datetime", TS),
                        ("end_datetime", TS), ("unit", S), ("stay_type", S), ("diagnoses", S)]),
    "exams": pa.schema([("exam_id", S), ("accession_number", S), ("patient_id", S),
                        ("patient_name", S), ("birth_date", pa.date32()), ("sex", S),
                        ("study_datetime", TS), ("modality", S), ("study_description", S),
                        ("body_part", S), ("institution", S), ("unit", S), ("stay_id", S)]),
    "reports": pa.schema([("report_id", S), ("patient_id", S), ("stay_id", S),
                          ("report_datetime", TS), ("title", S), ("text", S),
                          ("accession_number", S)]),
    "links": pa.schema([("source_type", S), ("source_id", S), ("target_type", S), ("target_id", S)]),
    "exam_faults": pa.schema([("exam_id", S), ("fault", S), ("identity_noise", S)]),
}

# --------------------------------------------------------------------------------------
# name pools (invented frequencies, heavy tailed)
# --------------------------------------------------------------------------------------
SURNAMES = """MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL
LEFÈVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU
VINCENT MÜLLER LEFEBVRE FAURE ANDRÉ MERCIER BLANC GUÉRIN BOYER GARNIER CHEVALIER FRANÇOIS LEGRAND
GAUTHIER GARCIA PERRIN ROBIN CLÉMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND
DUVAL DENIS DUMONT MARIE LEMAIRE NOËL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIÈRE
LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GÉRARD ROCHE RENARD SCHMITT ROY LEROUX COLIN VIDAL
CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE
BENOÎT REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LÓPEZ JEAN DUPUY GUILLOT HUBERT BERGER
CARPENTIER SANCHEZ DUPUIS MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN
JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT CARRÉ CHARLES RENAULT CHARPENTIER MÉNARD MAILLARD
BARON BERTIN BAILLY HERVÉ SCHNEIDER FERNANDEZ LE GALL COLLET LÉGER BOUVIER JULIEN PRÉVOST MILLET
PERROT DANIEL LE ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS RÉMY LE GOFF PELLETIER LÉVÊQUE PERRIER
LEBLANC BARRÉ LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD
GILLET ÉTIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN DA SILVA BOUCHET GAY LEMAÎTRE
BÉNARD MARÉCHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET BARTHÉLEMY CORDIER PICHON LEJEUNE GILBERT
LAMY DELAUNAY PASQUIER CARLIER LAPORTE N'DIAYE TRAORÉ DIALLO BEN SAÏD NGUYEN KOUASSI OUEDRAOGO
""".split()
PARTICLE_NAMES = ["DE LA FONTAINE", "LE BIHAN", "DE SAINT-EXUPÉRY", "D'ALMEIDA", "DU PONT",
                  "LE CORRE", "DE OLIVEIRA", "DES ROCHES", "LE HÉNAFF", "DE BEAUVOIR",
                  "VAN DER BERGHE", "EL KHOURY", "DA COSTA", "DOS SANTOS", "LE MEUR"]
M_GIVEN = ["Jean", "Pierre", "Michel", "André", "Philippe", "Alain", "Bernard", "Jacques",
           "François", "Christian", "Daniel", "Patrick", "Nicolas", "Frédéric", "Éric", "Stéphane",
           "Laurent", "Thierry", "David", "Julien", "Sébastien", "Christophe", "Olivier", "Gérard",
           "Thomas", "Maxime", "Hugo", "Lucas", "Théo", "Mohamed", "Yannick", "Loïc", "Jérôme",
           "Jean-Pierre", "Jean-Claude", "Jean-Luc", "Marc-Antoine", "Hervé", "Raphaël", "Noël"]
F_GIVEN = ["Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Monique",
           "Christine", "Valérie", "Sandrine", "Céline", "Stéphanie", "Hélène", "Véronique",
           "Chantal", "Nicole", "Anne", "Julie", "Camille", "Émilie", "Léa", "Chloé", "Manon",
           "Sophie", "Aurélie", "Brigitte", "Martine", "Josiane", "Geneviève", "Agnès", "Béatrice",
           "Marie-Claude", "Anne-Sophie", "Marie-Thérèse", "Zoé", "Fatima", "Inès", "Maëlle", "Gaëlle"]

# invented rarer surnames: syllable + ending (most French surnames are rare)
SYL1 = ["BOU", "CHA", "FER", "GAR", "LAB", "MAR", "PEL", "ROU", "TAR", "VIL", "BER", "COR", "DAN", "GOU",
        "JAR", "LEF", "MOR", "QUE", "SAL", "KER", "LAV", "BRE", "FOU", "GRI", "POI", "TOU", "VAU", "CLE",
        "MEL", "RIB", "CAS", "DEL", "HOU", "PRA", "TRE", "BAS", "CHE", "GUI", "LOU", "MAU"]
SYL2 = ["ARD", "ELLE", "ON", "IER", "AUD", "ET", "OT", "IN", "EAU", "AUX", "ANT", "OUX", "ILLE", "ERT",
        "ASSE", "OUIN", "EL", "ERON", "ICHE", "ÈRE", "ÉE", "ONNET", "ASTIER", "AIS", "ENEC", "ADEC"]

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

# --------------------------------------------------------------------------------------
# exam catalogue: key -> (modality, description, body_part, report family)
# --------------------------------------------------------------------------------------
CAT = {
    "tdm_thorax": ("CT", "TDM THORACIQUE", "CHEST", "thorax"),
    "tdm_tap": ("CT", "TDM THORAX-ABDOMEN-PELVIS AVEC INJECTION", "CHEST", "tap"),
    "tdm_crane": ("CT", "TDM CEREBRALE SANS INJECTION", "HEAD", "crane"),
    "angio_tdm": ("CT", "ANGIOSCANNER THORACIQUE", "CHEST", "embolie"),
    "tdm_abdo": ("CT", "TDM ABDOMINO-PELVIENNE", "ABDOMEN", "abdo"),
    "tdm_rachis_c": ("CT", "TDM RACHIS CERVICAL", "CSPINE", "rachis"),
    "tdm_bassin": ("CT", "TDM BASSIN", "PELVIS", "os_bassin"),
    "irm_cerebrale": ("MR", "IRM CEREBRALE", "HEAD", "crane"),
    "irm_genou": ("MR", "IRM GENOU {COTE}", "KNEE", "genou"),
    "irm_lombaire": ("MR", "IRM RACHIS LOMBAIRE", "LSPINE", "rachis"),
    "irm_pelvis": ("MR", "IRM PELVIENNE", "PELVIS", "abdo"),
    "irm_foie": ("MR", "IRM HEPATIQUE", "ABDOMEN", "abdo"),
    "irm_epaule": ("MR", "IRM EPAULE {COTE}", "SHOULDER", "epaule"),
    "echo_abdo": ("US", "ECHOGRAPHIE ABDOMINALE", "ABDOMEN", "abdo"),
    "echo_doppler": ("US", "ECHO-DOPPLER VEINEUX MEMBRES INFERIEURS", "LEG", "doppler"),
    "echo_thyroide": ("US", "ECHOGRAPHIE THYROIDIENNE", "NECK", "thyroide"),
    "echo_pelvis": ("US", "ECHOGRAPHIE PELVIENNE", "PELVIS", "abdo"),
    "echo_sein": ("US", "ECHOGRAPHIE MAMMAIRE BILATERALE", "BREAST", "sein"),
    "echo_fast": ("US", "ECHOGRAPHIE FAST", "ABDOMEN", "abdo"),
    "rx_thorax": ("CR", "RADIOGRAPHIE THORAX FACE", "CHEST", "rx_thorax"),
    "rx_bassin": ("DX", "RADIOGRAPHIE BASSIN FACE", "PELVIS", "os_bassin"),
    "rx_poignet": ("DX", "RADIOGRAPHIE POIGNET {COTE}", "HAND", "os_poignet"),
    "rx_cheville": ("DX", "RADIOGRAPHIE CHEVILLE {COTE}", "ANKLE", "os_cheville"),
    "rx_genou": ("CR", "RADIOGRAPHIE GENOU {COTE}", "KNEE", "os_genou"),
    "rx_lombaire": ("DX", "RADIOGRAPHIE RACHIS LOMBAIRE", "LSPINE", "os_rachis"),
    "mammo_dep": ("MG", "MAMMOGRAPHIE BILATERALE DE DEPISTAGE", "BREAST", "sein"),
    "mammo_diag": ("MG", "MAMMOGRAPHIE BILATERALE", "BREAST", "sein"),
    "tep_fdg": ("PT\\CT", "TEP-TDM FDG CORPS ENTIER", "WHOLEBODY", "tep"),
    "scinti_os": ("NM", "SCINTIGRAPHIE OSSEUSE CORPS ENTIER", "WHOLEBODY", "scinti_os"),
    "scinti_vq": ("NM", "SCINTIGRAPHIE PULMONAIRE VENTILATION/PERFUSION", "CHEST", "embolie"),
    # trauma whole-body CT, split into several studies (same order / accession)
    "bodyscan_crane": ("CT", "BODY SCANNER - CRANE", "HEAD", "polytrauma"),
    "bodyscan_rachis": ("CT", "BODY SCANNER - RACHIS CERVICAL", "CSPINE", "polytrauma"),
    "bodyscan_tap": ("CT", "BODY SCANNER - THORAX ABDOMEN PELVIS", "CHEST", "polytrauma"),
}
SLOW = {"PT\\CT", "MR", "NM"}  # reported 1-3 days later

PHRASES = {  # family -> list of (indication, results, conclusion[, sex restriction])
    "thorax": [
        ("Bilan d'une dyspnée.", "Pas de nodule ni de masse pulmonaire. Pas d'épanchement pleural. Médiastin de morphologie normale.", "Pas d'anomalie significative."),
        ("Suivi de nodule du lobe supérieur droit.", "Nodule du lobe supérieur droit de {n} mm, stable. Pas d'adénopathie médiastinale.", "Nodule de {n} mm stable, contrôle à 12 mois."),
        ("Toux persistante chez un fumeur.", "Emphysème centrolobulaire des sommets. Micronodules non spécifiques.", "Emphysème centrolobulaire."),
        ("Nodule pulmonaire à caractériser.", "Nodule spiculé du lobe inférieur {cote_l} de {n} mm. Adénopathie hilaire homolatérale.", "Nodule spiculé suspect : avis en RCP."),
    ],
    "tap": [
        ("Bilan d'extension d'une néoplasie.", "Pas d'adénopathie thoracique ni abdominale. Foie de taille normale sans lésion focale.", "Pas de lésion secondaire décelable."),
        ("Altération de l'état général.", "Lésion hépatique hypodense du segment {s} de {n} mm. Épanchement pleural droit de faible abondance.", "Lésion hépatique du segment {s} à caractériser par IRM."),
        ("Suivi sous chimiothérapie.", "Diminution des adénopathies rétropéritonéales, la plus volumineuse mesurant {n} mm.", "Réponse partielle."),
    ],
    "polytrauma": [
        ("Accident de la voie publique, moto contre voiture.", "Fractures des arcs costaux latéraux droits. Pas de pneumothorax. Pas d'épanchement intra-péritonéal. Pas de lésion d'organe plein.", "Fractures costales droites sans complication."),
        ("Chute d'un lieu élevé (5 mètres).", "Fracture-tassement de L1 sans recul du mur postérieur. Fracture du cotyle {cote_l}. Encéphale sans particularité.", "Fracture de L1 stable. Fracture du cotyle {cote_l}."),
        ("Traumatisme à haute cinétique, patient intubé.", "Contusion pulmonaire bilatérale. Lacération splénique de grade III avec hémopéritoine de moyenne abondance.", "Lésion splénique grade III avec hémopéritoine : avis chirurgical urgent."),
        ("Piéton renversé.", "Pas de lésion traumatique intracrânienne. Rachis cervical sans fracture. Fracture diaphysaire du fémur {cote_l}.", "Fracture isolée du fémur {cote_l}."),
        ("Défenestration.", "Hématome extradural temporal {cote_l} de {n} mm. Fracture de la branche ilio-pubienne.", "Hématome extradural : avis neurochirurgical immédiat."),
    ],
    "crane": [
        ("Céphalées inhabituelles.", "Pas d'hémorragie intra ni extra-axiale. Pas d'effet de masse. Structures médianes en place.", "Pas d'anomalie aiguë."),
        ("Déficit moteur brutal.", "Hypodensité séquellaire du lobe pariétal {cote_l}. Leucopathie vasculaire.", "Pas de lésion récente visible ; séquelle du lobe pariétal {cote_l}."),
        ("Chute chez un patient sous anticoagulants.", "Hématome sous-dural {cote_l} de {n} mm d'épaisseur, sans engagement.", "Hématome sous-dural {cote_l} : avis neurochirurgical."),
        ("Traumatisme crânien avec perte de connaissance.", "Pas de lésion hémorragique. Pas de fracture de la voûte.", "Pas de lésion traumatique intracrânienne."),
    ],
    "embolie": [
        ("Suspicion d'embolie pulmonaire.", "Pas de défect endoluminal des artères pulmonaires.", "Absence d'embolie pulmonaire."),
        ("Dyspnée et D-dimères positifs.", "Défects endoluminaux des artères lobaires inférieures bilatérales.", "Embolie pulmonaire bilatérale."),
        ("Douleur thoracique.", "Perfusion homogène des deux champs pulmonaires.", "Faible probabilité d'embolie pulmonaire."),
    ],
    "abdo": [
        ("Douleurs abdominales.", "Foie de taille normale, d'échostructure homogène. Vésicule alithiasique. Pas de dilatation des voies biliaires.", "Examen normal."),
        ("Fièvre et douleur de la fosse iliaque droite.", "Appendice augmenté de calibre à {n} mm avec infiltration de la graisse.", "Aspect d'appendicite aiguë non compliquée."),
        ("Bilan hépatique perturbé.", "Kyste biliaire simple du segment {s}. Reins de taille normale.", "Kyste biliaire simple, sans conséquence."),
        ("Métrorragies.", "Utérus de taille normale, endomètre fin. Ovaires sans particularité. Pas d'épanchement.", "Examen pelvien normal.", "F"),
        ("Colique néphrétique du côté {cote_l}.", "Dilatation modérée des cavités pyélocalicielles du rein {cote_l} en amont d'un calcul urétéral de {n} mm.", "Colique néphrétique du côté {cote_l} compliquée d'une dilatation modérée."),
    ],
    "rachis": [
        ("Lombalgies chroniques.", "Discopathie L4-L5 avec protrusion discale postéro-latérale du côté {cote_l}.", "Discopathie L4-L5 sans conflit radiculaire franc."),
        ("Cervicalgies post-traumatiques.", "Pas de fracture. Alignement des murs vertébraux conservé.", "Pas de lésion traumatique du rachis."),
        ("Sciatalgie du côté {cote_l}.", "Hernie discale L5-S1 postéro-latérale du côté {cote_l}, au contact de la racine S1.", "Hernie discale L5-S1 conflictuelle du côté {cote_l}."),
    ],
    "genou": [
        ("Traumatisme en torsion.", "Fissure horizontale de la corne postérieure du ménisque médial.", "Lésion méniscale médiale."),
        ("Instabilité après chute au ski.", "Rupture du ligament croisé antérieur. Épanchement articulaire.", "Rupture du LCA."),
        ("Douleurs mécaniques.", "Ligaments croisés continus. Chondropathie fémoro-patellaire grade II.", "Chondropathie fémoro-patellaire, pas de lésion ligamentaire."),
    ],
    "epaule": [
        ("Douleur de l'épaule à l'élévation.", "Tendinopathie du sus-épineux sans rupture transfixiante. Bursite sous-acromiale.", "Tendinopathie sans rupture."),
        ("Impotence après chute.", "Rupture transfixiante du tendon sus-épineux rétractée de {n} mm.", "Rupture transfixiante du sus-épineux."),
    ],
    "doppler": [
        ("Œdème du membre inférieur {cote_l}.", "Veines compressibles, flux phasiques. Pas de thrombose.", "Pas de thrombose veineuse profonde."),
        ("Suspicion de thrombose veineuse profonde.", "Thrombose poplitée non occlusive du membre inférieur {cote_l}.", "Thrombose veineuse poplitée du membre inférieur {cote_l}."),
    ],
    "thyroide": [
        ("Nodule thyroïdien palpé.", "Nodule du lobe {cote_l} de {n} mm, EU-TIRADS 3.", "Nodule EU-TIRADS 3, contrôle à un an."),
        ("Suivi de goitre multinodulaire.", "Thyroïde multinodulaire, nodules stables, le plus volumineux de {n} mm.", "Goitre multinodulaire stable."),
    ],
    "sein": [
        ("Dépistage organisé.", "Seins de densité B. Pas de masse ni de foyer de microcalcifications suspect.", "ACR 1 bilatéral.", "F"),
        ("Masse palpable du sein {cote_l}.", "Masse irrégulière du quadrant supéro-externe du sein {cote_l}, de {n} mm.", "ACR 5 du sein {cote_l} : biopsie recommandée.", "F"),
        ("Antécédent familial de cancer du sein.", "Kystes simples bilatéraux. Pas d'image suspecte.", "ACR 2 : kystes simples.", "F"),
    ],
    "rx_thorax": [
        ("Contrôle de sonde.", "Sonde d'intubation en place, extrémité à {n} mm de la carène.", "Matériel en place."),
        ("Fièvre et toux.", "Opacité alvéolaire du lobe inférieur {cote_l}.", "Foyer basal {cote_l}."),
        ("Dyspnée.", "Pas de foyer parenchymateux. Culs-de-sac libres. Index cardio-thoracique normal.", "Radiographie normale."),
        ("Bilan préopératoire.", "Parenchyme pulmonaire normal. Pas d'épanchement.", "Pas d'anomalie."),
    ],
    "os_bassin": [
        ("Chute de sa hauteur, douleur de hanche.", "Fracture cervicale vraie du col fémoral {cote_l} déplacée.", "Fracture du col fémoral {cote_l}."),
        ("Douleur de hanche d'horaire mécanique.", "Pincement de l'interligne coxo-fémoral {cote_l}, ostéophytose.", "Coxarthrose modérée du côté {cote_l}."),
        ("Traumatisme du bassin.", "Pas de fracture ni de disjonction.", "Pas de lésion osseuse traumatique."),
    ],
    "os_poignet": [
        ("Chute sur la main, poignet douloureux.", "Fracture extra-articulaire de l'extrémité distale du radius avec bascule postérieure.", "Fracture du radius distal."),
        ("Traumatisme du poignet.", "Pas de fracture. Scaphoïde d'aspect normal sur les incidences réalisées.", "Pas de fracture visible ; contrôle si douleur persistante."),
    ],
    "os_cheville": [
        ("Entorse de cheville.", "Fracture de la malléole latérale non déplacée.", "Fracture malléolaire latérale."),
        ("Traumatisme en inversion.", "Pas de fracture ni de luxation. Tuméfaction des parties molles latérales.", "Pas de lésion osseuse traumatique."),
    ],
    "os_genou": [
        ("Gonalgie chronique.", "Pincement fémoro-tibial médial, ostéophytes marginaux.", "Gonarthrose fémoro-tibiale médiale."),
        ("Chute sur le genou.", "Pas de fracture. Épanchement articulaire.", "Pas de lésion osseuse traumatique."),
    ],
    "os_rachis": [
        ("Lombalgies.", "Discarthrose étagée, pincement L4-L5 et L5-S1.", "Remaniements dégénératifs lombaires."),
        ("Chute, douleur lombaire.", "Tassement cunéiforme de L2 d'allure récente.", "Tassement vertébral de L2."),
    ],
    "tep": [
        ("Bilan initial d'un adénocarcinome pulmonaire.", "Activité injectée : {dose} MBq de 18F-FDG. Glycémie : {gly} g/L.\nHyperfixation du lobe supérieur droit, SUVmax {suv}. Pas d'hypermétabolisme ganglionnaire médiastinal.", "Lésion pulmonaire hypermétabolique sans extension à distance."),
        ("Évaluation après 3 cures de chimiothérapie.", "Activité injectée : {dose} MBq de 18F-FDG. Disparition des foyers hypermétaboliques décrits précédemment.", "Réponse métabolique complète."),
        ("Suspicion de récidive d'un lymphome.", "Activité injectée : {dose} MBq. Hypermétabolisme ganglionnaire sus-claviculaire {cote_l}, SUVmax {suv}.", "Aspect en faveur d'une récidive ganglionnaire."),
    ],
    "scinti_os": [
        ("Bilan d'extension d'un cancer de la prostate.", "Injection de {dose} MBq de HMDP. Balayage corps entier à 3 heures. Pas de foyer d'hyperfixation suspect.", "Pas d'argument pour des lésions osseuses secondaires.", "M"),
        ("Douleurs osseuses diffuses.", "Injection de {dose} MBq de HMDP. Foyers hyperfixants costaux et vertébraux multiples.", "Aspect de métastases osseuses multiples."),
    ],
}

FAULT_OK = "none"
CENTRE_ROOT = {"RDP": ".11", "IMS": ".12", "CIV": ".13", "GIE": ".14"}
VILLE_HOSPITAL = "CH DE LA COTE D'OPALE"


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def fmt_date(d: dt.date, style: int) -> str:
    if style == 0:
        return d.strftime("%d/%m/%Y")
    if style == 1:
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == 2:
        return d.strftime("%d/%m/%y")
    if style == 3:
        return d.strftime("%d.%m.%Y")
    if style == 4:
        return d.isoformat()
    if style == 5:
        return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == 6:
        return d.strftime("%d-%m-%Y")
    return f"{d.day:02d} {MONTHS[d.month - 1][:4].rstrip('.').upper()}. {d.year}"


# --------------------------------------------------------------------------------------
# profiles
# --------------------------------------------------------------------------------------
PROFILES = {
    "entrepot_regional_multisite": dict(
        start=D(2013, 1, 1), end=D(2025, 6, 30), merge_date=D(2017, 1, 1),
        episodes=(1, 6), heavy_users=0.15,
        episode_w={"outpatient": 42, "hospit": 25, "hospit_via_urg": 10, "day_care": 13, "emergency": 10},
        faults={"missing_ipp": 0.03, "mistyped_ipp": 0.035, "other_patient_ipp": 0.02, "temporary_ipp": 0.015},
        noise_rate=0.26, exam_stay_id=0.12, requesting_unit=0.3, report_rate=0.93,
        report_pid=0.95, report_stay=0.55, outside_reports=0.04, html=0.03,
    ),
    "trauma_center_urgences": dict(
        start=D(2019, 1, 1), end=D(2025, 6, 30),
        episodes=(1, 3), heavy_users=0.04,
        episode_w={"trauma": 45, "emergency": 25, "hospit": 15, "outpatient": 15},
        faults={"missing_ipp": 0.02, "mistyped_ipp": 0.03, "other_patient_ipp": 0.035, "temporary_ipp": 0.0},
        noise_rate=0.2, exam_stay_id=0.35, requesting_unit=0.45, report_rate=0.94,
        report_pid=0.96, report_stay=0.7, outside_reports=0.05, html=0.02,
    ),
    "reseau_imagerie_ville": dict(
        start=D(2016, 1, 1), end=D(2025, 6, 30),
        episodes=(1, 5), heavy_users=0.12,
        episode_w={"ville": 80, "hospit": 8, "emergency": 6, "outpatient": 6},
        faults={"missing_ipp": 0.06, "mistyped_ipp": 0.02, "other_patient_ipp": 0.015, "temporary_ipp": 0.0},
        noise_rate=0.3, exam_stay_id=0.05, requesting_unit=0.2, report_rate=0.9,
        report_pid=0.72, report_stay=0.3, outside_reports=0.12, html=0.12,
    ),
}

REG_SITES = [  # code, institution, legacy IPP format, report vendor
    ("AVB", "CH AVRANCHES-BOCAGE", "leg7", "A"),
    ("VOR", "CH VALLEE DE L'ORNE", "legB", "B"),
    ("CHR", "CHU REGIONAL NORMANDIE-SUD", "leg8", "C"),
    ("FLE", "CH DU PAYS DE FLERS", "leg7", "B"),
]
VILLE_CENTRES = [  # code, institution, local id format, letterhead
    ("RDP", "CABINET DE RADIOLOGIE DU PARC", "RDP", "CABINET DE RADIOLOGIE DU PARC\n12 avenue des Tilleuls\nTél. 02 00 00 00 00"),
    ("IMS", "IMAGERIE MEDICALE DES SOURCES", "IMS", "IMAGERIE MÉDICALE DES SOURCES - SELARL\nScanner - IRM - Échographie - Mammographie"),
    ("CIV", "CENTRE D'IMAGERIE DE LA VALLEE", "CIV", "Centre d'Imagerie de la Vallée\nDr A. [NOM] - Dr B. [NOM] - Dr C. [NOM]\nRadiologues associés"),
    ("GIE", "GIE IRM SCANNER DU LITTORAL", "GIE", "G.I.E. IRM-SCANNER DU LITTORAL\nPlateau d'imagerie en coopération"),
]
HOSP_UNITS = ["PNEUMOLOGIE", "CARDIOLOGIE", "GASTRO-ENTEROLOGIE", "NEUROLOGIE", "MEDECINE INTERNE",
              "CHIRURGIE DIGESTIVE", "CHIRURGIE ORTHOPEDIQUE", "ONCOLOGIE", "GERIATRIE", "NEPHROLOGIE"]
UNIT_DX = {"PNEUMOLOGIE": ["J18.9", "J44.1", "C34.1", "I26.9"], "CARDIOLOGIE": ["I50.9", "I21.4", "I48.9"],
           "GASTRO-ENTEROLOGIE": ["K80.2", "K85.9", "C18.7"], "NEUROLOGIE": ["I63.9", "G40.9", "G35"],
           "MEDECINE INTERNE": ["R50.9", "D64.9", "M31.5"], "CHIRURGIE DIGESTIVE": ["K35.8", "K56.6", "C20"],
           "CHIRURGIE ORTHOPEDIQUE": ["S72.0", "S82.6", "M16.1"], "ONCOLOGIE": ["C34.1", "C50.9", "C61", "C83.3"],
           "GERIATRIE": ["R26.8", "W19", "F03"], "NEPHROLOGIE": ["N18.5", "N17.9"],
           "REANIMATION": ["S06.5", "J96.0", "S27.3"], "URGENCES": ["R10.4", "S52.5", "R07.4", "S93.4"],
           "SAUV": ["T07", "S06.0"], "TRAUMATOLOGIE": ["S72.0", "S42.2", "S32.5"],
           "NEUROCHIRURGIE": ["S06.5", "S12.1"], "RADIOLOGIE": None, "IMAGERIE": None}
UNIT_EXAMS = {
    "PNEUMOLOGIE": ["tdm_thorax", "rx_thorax", "angio_tdm", "tep_fdg"],
    "CARDIOLOGIE": ["rx_thorax", "angio_tdm", "echo_doppler"],
    "GASTRO-ENTEROLOGIE": ["echo_abdo", "tdm_abdo", "irm_foie"],
    "NEUROLOGIE": ["irm_cerebrale", "tdm_crane", "irm_lombaire"],
    "MEDECINE INTERNE": ["tdm_tap", "rx_thorax", "echo_abdo", "echo_doppler"],
    "CHIRURGIE DIGESTIVE": ["tdm_abdo", "echo_abdo", "tdm_tap"],
    "CHIRURGIE ORTHOPEDIQUE": ["rx_bassin", "rx_genou", "tdm_bassin", "rx_cheville"],
    "ONCOLOGIE": ["tdm_tap", "tep_fdg", "scinti_os", "irm_foie"],
    "GERIATRIE": ["rx_thorax", "tdm_crane", "rx_bassin"],
    "NEPHROLOGIE": ["echo_abdo", "rx_thorax"],
    "URGENCES": ["rx_thorax", "tdm_crane", "rx_poignet", "rx_cheville", "echo_abdo", "angio_tdm", "tdm_abdo"],
    "REANIMATION": ["rx_thorax", "rx_thorax", "tdm_crane", "tdm_thorax"],
    "TRAUMATOLOGIE": ["rx_bassin", "rx_poignet", "rx_cheville", "tdm_bassin", "rx_genou"],
    "NEUROCHIRURGIE": ["tdm_crane", "irm_cerebrale", "tdm_rachis_c"],
}
OUTPATIENT_EXAMS = ["echo_abdo", "echo_thyroide", "mammo_diag", "irm_genou", "irm_lombaire", "tdm_thorax",
                    "rx_thorax", "rx_genou", "echo_doppler", "irm_cerebrale", "tep_fdg", "scinti_os",
                    "irm_pelvis", "echo_pelvis", "irm_epaule", "tdm_tap"]
VILLE_EXAMS = ["mammo_dep", "mammo_dep", "echo_sein", "echo_abdo", "echo_thyroide", "echo_pelvis",
               "irm_genou", "irm_lombaire", "irm_epaule", "irm_cerebrale", "tdm_thorax", "tdm_abdo",
               "rx_genou", "rx_lombaire", "rx_cheville", "rx_thorax", "echo_doppler", "mammo_diag"]


class Gen:
    def __init__(self, profile: str, n: int, seed: int):
        self.name = profile
        self.p = PROFILES[profile]
        self.n = n
        self.r = random.Random(seed * 1_000_003 + zlib.crc32(profile.encode()))
        self.patients: list[dict] = []
        self.stays: list[dict] = []
        self.exams: list[dict] = []
        self.reports: list[dict] = []
        self.used_ids: set[str] = set()
        self.known_ipps: set[str] = set()  # every IPP-like id ever issued (current or legacy)
        self.counter = 0
        w = [1.0 / (i + 1) ** 0.6 for i in range(len(SURNAMES))]
        self.sn_w = w

    # ---------------- ids
    def uniq(self, make) -> str:
        while True:
            v = make()
            if v not in self.used_ids:
                self.used_ids.add(v)
                return v

    def digits(self, k: int) -> str:
        return "".join(self.r.choice("0123456789") for _ in range(k))

    def new_ipp(self, fmt: str) -> str:
        r = self.r
        makers = {
            "reg": lambda: "35" + self.digits(8),            # regional id, 10 digits
            "leg7": lambda: "00" + self.digits(5),           # legacy 7 digits with leading zeros
            "legB": lambda: "B" + self.digits(6),            # legacy letter + 6 digits
            "leg8": lambda: "20" + self.digits(6),           # legacy 8 digits
            "trauma": lambda: str(r.randint(1, 4)) + self.digits(8),
            "ville_hosp": lambda: "6" + self.digits(8),
        }
        v = self.uniq(makers[fmt])
        self.known_ipps.add(v)
        return v

    def uid(self, root: str) -> str:
        self.counter += 1
        return self.uniq(lambda: f"{root}.{self.r.randint(10**5, 10**6 - 1)}.{self.counter}{self.digits(4)}")

    # ---------------- people
    def surname(self) -> str:
        r = self.r
        x = r.random()
        if x < 0.05:
            return r.choice(PARTICLE_NAMES)
        if x < 0.10:
            a, b = r.choices(SURNAMES, weights=self.sn_w, k=2)
            if a != b:
                return f"{a}-{b}"
        if x < 0.55:
            return r.choice(SYL1) + r.choice(["", "", "", "N", "R", "T"]) + r.choice(SYL2)
        return r.choices(SURNAMES, weights=self.sn_w, k=1)[0]

    def make_patients(self):
        r, p = self.r, self.p
        fmt = {"entrepot_regional_multisite": "reg", "trauma_center_urgences": "trauma",
               "reseau_imagerie_ville": "ville_hosp"}[self.name]
        families: list[str] = []
        for i in range(self.n):
            sex = r.choice("MF")
            if families and r.random() < 0.12:
                fam = r.choice(families)
            else:
                fam = self.surname()
                families.append(fam)
            if self.name == "trauma_center_urgences":
                age = int(min(95, max(16, r.gauss(42, 20))))
            elif self.name == "reseau_imagerie_ville":
                age = int(min(95, max(18, r.gauss(55, 15))))
            else:
                age = int(min(98, max(1, r.gauss(60, 18))))
            ref = p["end"] - TD(days=365 * 3)
            bd = (ref - TD(days=365.25 * age + r.randint(0, 364))).date()
            given = r.choice(M_GIVEN if sex == "M" else F_GIVEN)
            usage = None
            if sex == "F" and age > 25 and r.random() < 0.4:
                usage = self.surname()
                if usage == fam:
                    usage = None
            pid = self.new_ipp(fmt)
            if self.name != "entrepot_regional_multisite" or r.random() < 0.6:
                fam_reg = fam
            else:
                fam_reg = fam  # registry keeps accents; header conventions differ per site
            pat = dict(patient_id=pid, family_name=fam_reg, given_name=given, birth_date=bd, sex=sex,
                       usage_name=usage, legacy={}, dup_id=None)
            if self.name == "entrepot_regional_multisite":
                # each former hospital gave its own IPP before the regional merge
                for code, _, lf, _ in REG_SITES:
                    if r.random() < 0.45:
                        pat["legacy"][code] = self.new_ipp(lf)
                if r.random() < 0.06:  # duplicate regional identity created then merged
                    pat["dup_id"] = self.new_ipp("reg")
                    pat["dup_until"] = p["start"] + TD(days=r.randint(400, 4000))
            self.patients.append(pat)
        self.by_family: dict[str, list[dict]] = {}
        for pat in self.patients:
            self.by_family.setdefault(pat["family_name"], []).append(pat)

    # ---------------- stays
    def add_stay(self, pat, start, end, unit, stay_type):
        r = self.r
        codes = UNIT_DX.get(unit)
        diag = None
        if codes and stay_type != "consultation" and r.random() < 0.85:
            diag = ";".join(sorted(set(r.sample(codes, k=min(len(codes), r.randint(1, 3))))))
        sid = self.uniq(lambda: ("1" if stay_type != "emergency" else "7") + self.digits(8))
        s = dict(stay_id=sid, patient_id=pat["patient_id"], start_datetime=start, end_datetime=end,
                 unit=unit, stay_type=stay_type, diagnoses=diag)
        self.stays.append(s)
        return s

    # ---------------- exams
    def exam_time_in(self, a: D, b: D) -> D:
        span = (b - a).total_seconds()
        lo, hi = 0.05 * span, 0.95 * span
        t = a + TD(seconds=self.r.uniform(lo, hi))
        return t.replace(microsecond=0)

    def add_exam(self, pat, key, t, site, req_unit=None, stay=None, visit=None, pre_admission=None,
                 accession=None):
        r, p = self.r, self.p
        mod, desc, bp, fam = CAT[key]
        if "{COTE}" in desc:
            desc = desc.replace("{COTE}", r.choice(["DROIT", "GAUCHE"]))
            if "CHEVILLE" in desc or "IRM EPAULE" in desc:
                desc = desc.replace("DROIT", "DROITE").replace("GAUCHEE", "GAUCHE")
        e = dict(exam_id=None, accession_number=accession, true_pid=pat["patient_id"], pat=pat, key=key,
                 modality=mod, study_description=desc, body_part=bp, fam=fam, study_datetime=t, site=site,
                 req_unit=req_unit, gen_stay=stay, visit=visit, pre_admission=pre_admission)
        self.exams.append(e)
        return e

    # ---------------- episodes per profile
    def build_timelines(self):
        r, p = self.r, self.p
        for pat in self.patients:
            k = r.randint(*p["episodes"])
            if r.random() < p["heavy_users"]:
                k += r.randint(2, 6)  # heavy users (chronic disease, cancer follow-up)
            total_days = (p["end"] - p["start"]).days
            days = sorted(r.sample(range(0, total_days - 30, 3), k))
            last_end = p["start"] - TD(days=10)
            kinds = list(p["episode_w"])
            weights = [p["episode_w"][x] for x in kinds]
            site = r.choice(REG_SITES) if self.name == "entrepot_regional_multisite" else None
            centre = r.choice(VILLE_CENTRES) if self.name == "reseau_imagerie_ville" else None
            for d in days:
                t0 = p["start"] + TD(days=d, hours=r.randint(7, 18), minutes=r.randint(0, 59))
                if t0 < last_end + TD(days=2):
                    continue
                kind = r.choices(kinds, weights)[0]
                if site and r.random() < 0.15:
                    site = r.choice(REG_SITES)  # patient seen at another site of the region
                last_end = getattr(self, "ep_" + kind)(pat, t0, site, centre)

    def _imaging_unit(self, site):
        if self.name == "entrepot_regional_multisite":
            return "RADIOLOGIE" if site[0] != "CHR" else "IMAGERIE MEDICALE"
        if self.name == "trauma_center_urgences":
            return "IMAGERIE URGENCES"
        return "RADIOLOGIE"

    def ep_outpatient(self, pat, t0, site, centre):
        r = self.r
        key = r.choice(OUTPATIENT_EXAMS)
        if key.startswith("mammo") and pat["sex"] == "M":
            key = "echo_abdo"
        stay = None
        # many hospitals open a "venue" (consultation) for every external imaging act
        if self.name == "entrepot_regional_multisite" and r.random() < 0.5:
            stay = self.add_stay(pat, t0 - TD(minutes=20), t0 + TD(minutes=r.randint(60, 180)),
                                 self._imaging_unit(site), "consultation")
        t = self.exam_time_in(stay["start_datetime"], stay["end_datetime"]) if stay else t0
        self.add_exam(pat, key, t, site, stay=stay)
        if key == "tep_fdg" and r.random() < 0.3:
            self.add_exam(pat, "tdm_thorax", t + TD(days=r.randint(20, 90)), site)
        return t + TD(hours=3)

    def ep_hospit(self, pat, t0, site, centre, via_urg=False):
        r = self.r
        unit = r.choice(HOSP_UNITS)
        if self.name == "trauma_center_urgences":
            unit = r.choice(["TRAUMATOLOGIE", "NEUROCHIRURGIE", "CHIRURGIE ORTHOPEDIQUE", "MEDECINE INTERNE"])
        los = TD(days=r.randint(1, 14), hours=r.randint(0, 20))
        pre = None
        if via_urg:
            u0 = t0 - TD(hours=r.randint(3, 10))
            urg = self.add_stay(pat, u0, t0, "URGENCES", "emergency")
            for _ in range(r.randint(1, 2)):
                self.add_exam(pat, r.choice(UNIT_EXAMS["URGENCES"]), self.exam_time_in(u0, t0), site,
                              req_unit="URGENCES", stay=urg)
        st = self.add_stay(pat, t0, t0 + los, unit, "hospitalisation")
        if via_urg and r.random() < 0.3:
            # imaging ordered in the emergency room, performed just after admission to the ward
            self.add_exam(pat, r.choice(UNIT_EXAMS["URGENCES"]), t0 + TD(minutes=r.randint(20, 150)), site,
                          req_unit=unit, stay=st)
        if not via_urg and r.random() < 0.12:
            # imaging done just before the admission (emergency work-up, no emergency stay recorded)
            tp = t0 - TD(minutes=r.randint(40, 7 * 60))
            self.add_exam(pat, r.choice(UNIT_EXAMS["URGENCES"]), tp.replace(microsecond=0), site,
                          req_unit="URGENCES", stay=st, pre_admission=st)
        for _ in range(r.choice([1, 1, 2, 2, 3])):
            self.add_exam(pat, r.choice(UNIT_EXAMS.get(unit, OUTPATIENT_EXAMS)),
                          self.exam_time_in(t0, t0 + los), site, req_unit=unit, stay=st)
        if los > TD(days=3) and r.random() < 0.1:
            # consultation nested in the hospitalisation (anaesthesia / specialist), with an exam
            c0 = self.exam_time_in(t0 + TD(days=1), t0 + los - TD(hours=4))
            c = self.add_stay(pat, c0, c0 + TD(hours=2), "CONSULTATION ANESTHESIE" if r.random() < .5 else "CARDIOLOGIE",
                              "consultation")
            self.add_exam(pat, "rx_thorax", self.exam_time_in(c0, c0 + TD(hours=2)), site,
                          req_unit=c["unit"], stay=c)
        return t0 + los

    def ep_hospit_via_urg(self, pat, t0, site, centre):
        return self.ep_hospit(pat, t0, site, centre, via_urg=True)

    def ep_day_care(self, pat, t0, site, centre):
        r = self.r
        unit = r.choice(["ONCOLOGIE", "HOPITAL DE JOUR MEDECINE", "ONCOLOGIE"])
        st = self.add_stay(pat, t0, t0 + TD(hours=r.randint(4, 9)), unit, "day_care")
        self.add_exam(pat, r.choice(["tdm_tap", "tep_fdg", "rx_thorax", "echo_abdo"]),
                      self.exam_time_in(st["start_datetime"], st["end_datetime"]), site, req_unit=unit, stay=st)
        return st["end_datetime"]

    def ep_emergency(self, pat, t0, site, centre):
        r = self.r
        if r.random() < 0.45:
            t0 = t0.replace(hour=r.choice([20, 21, 22, 23, 0, 1, 2, 3, 4, 5]))
        st = self.add_stay(pat, t0, t0 + TD(hours=r.randint(2, 14), minutes=r.randint(0, 59)), "URGENCES", "emergency")
        for _ in range(r.choice([1, 1, 1, 2, 3])):
            self.add_exam(pat, r.choice(UNIT_EXAMS["URGENCES"]),
                          self.exam_time_in(st["start_datetime"], st["end_datetime"]), site,
                          req_unit="URGENCES", stay=st)
        return st["end_datetime"]

    def ep_trauma(self, pat, t0, site, centre):
        """Level-1 trauma: SAUV -> (REA) -> surgical unit, body scanner split into studies,
        sometimes an unidentified patient with a temporary identity merged days later."""
        r = self.r
        if r.random() < 0.5:
            t0 = t0.replace(hour=r.choice([19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6]))
        visit = None
        if r.random() < 0.22:
            visit = dict(tmp_ipp=self.uniq(lambda: r.choice(["TMP", "TMP", "9999"]) + self.digits(6)),
                         tmp_name=r.choice(["INCONNU^HOMME" if pat["sex"] == "M" else "INCONNU^FEMME",
                                            "X^X", "INCONNU^INCONNU", "ANONYME^TRAUMA",
                                            f"X^{r.choice(['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA', 'ECHO'])}"]),
                         tmp_birth=r.choice([dt.date(1900, 1, 1), dt.date(1970, 1, 1), dt.date(2000, 1, 1),
                                             dt.date(pat["birth_date"].year, 1, 1)]),
                         tmp_sex=r.choice([pat["sex"], pat["sex"], None]))
        chain = []
        a = t0
        sauv = self.add_stay(pat, a, a + TD(hours=r.randint(2, 8), minutes=r.randint(0, 59)),
                             r.choice(["URGENCES", "SAUV"]), "emergency")
        chain.append(sauv)
        a = sauv["end_datetime"]
        if r.random() < 0.45:
            rea = self.add_stay(pat, a, a + TD(days=r.randint(1, 9), hours=r.randint(0, 23)), "REANIMATION", "hospitalisation")
            chain.append(rea)
            a = rea["end_datetime"]
        if r.random() < 0.8:
            ward = self.add_stay(pat, a, a + TD(days=r.randint(2, 15), hours=r.randint(0, 23)),
                                 r.choice(["TRAUMATOLOGIE", "CHIRURGIE ORTHOPEDIQUE", "NEUROCHIRURGIE"]),
                                 "hospitalisation")
            chain.append(ward)
            a = ward["end_datetime"]
        # whole-body CT split into 2-3 studies sharing the order's accession number
        tb = self.exam_time_in(sauv["start_datetime"], sauv["start_datetime"] + TD(minutes=90)
                               if sauv["end_datetime"] - sauv["start_datetime"] > TD(minutes=100) else sauv["end_datetime"])
        acc = self.accession(site, centre, tb)
        parts = ["bodyscan_tap", "bodyscan_crane"] + (["bodyscan_rachis"] if r.random() < 0.6 else [])
        if r.random() < 0.25:
            parts = ["bodyscan_tap"]  # not split
        group = []
        for i, key in enumerate(parts):
            e = self.add_exam(pat, key, tb + TD(seconds=37 * i), site, req_unit=sauv["unit"], stay=sauv,
                              visit=visit, accession=acc)
            group.append(e)
        for e in group:
            e["split_group"] = group
        if r.random() < 0.5:
            self.add_exam(pat, "echo_fast", max(tb - TD(minutes=r.randint(5, 25)), sauv["start_datetime"] + TD(minutes=2)), site, req_unit=sauv["unit"],
                          stay=sauv, visit=visit)
        if r.random() < 0.6:
            self.add_exam(pat, r.choice(["rx_bassin", "rx_thorax"]), max(tb - TD(minutes=r.randint(2, 30)), sauv["start_datetime"] + TD(minutes=1)), site,
                          req_unit=sauv["unit"], stay=sauv, visit=visit)
        merge_at = tb + TD(hours=r.randint(6, 96)) if visit else None
        if visit:
            visit["merge_at"] = merge_at
        if len(chain) > 1 and r.random() < 0.4:
            # control imaging right after the transfer (ordered from the emergency room)
            s = chain[1]
            t = s["start_datetime"] + TD(minutes=r.randint(20, 150))
            self.add_exam(pat, r.choice(["rx_thorax", "tdm_crane", "rx_bassin"]), t, site, req_unit=s["unit"], stay=s,
                          visit=visit if (visit and t < merge_at) else None)
        for s in chain[1:]:
            for _ in range(r.choice([0, 1, 1, 2])):
                t = self.exam_time_in(s["start_datetime"], s["end_datetime"])
                self.add_exam(pat, r.choice(UNIT_EXAMS.get(s["unit"], ["rx_thorax"])), t, site, req_unit=s["unit"],
                              stay=s, visit=visit if (visit and t < merge_at) else None)
        return a

    def ep_ville(self, pat, t0, site, centre):
        r = self.r
        key = r.choice(VILLE_EXAMS)
        if key.startswith("mammo") or key == "echo_sein":
            if pat["sex"] == "M":
                key = "echo_abdo"
        e = self.add_exam(pat, key, t0, None, stay=None)
        e["centre"] = centre if r.random() < 0.85 else r.choice(VILLE_CENTRES)
        if key.startswith("mammo") and r.random() < 0.35:
            e2 = self.add_exam(pat, "echo_sein", t0 + TD(minutes=r.randint(10, 30)), None)
            e2["centre"] = e["centre"]
            e2["same_report_as"] = e  # one letter for mammography + ultrasound
        return t0 + TD(hours=2)

    # ---------------- accession numbers
    def accession(self, site, centre, t):
        r = self.r
        if self.name == "entrepot_regional_multisite":
            return self.uniq(lambda: f"{site[0]}{t:%y}{self.digits(6)}")
        if self.name == "trauma_center_urgences":
            return self.uniq(lambda: "A" + self.digits(8))
        if centre is None:
            return self.uniq(lambda: "H" + self.digits(9))  # the hospital's own RIS
        c = centre[0]
        if c == "RDP":
            return self.uniq(lambda: f"RDP{t:%y}{self.digits(5)}")
        if c == "IMS":
            return self.uniq(lambda: self.digits(10))
        if c == "CIV":
            return self.uniq(lambda: f"{t:%Y%m%d}{self.digits(3)}")
        return self.uniq(lambda: f"GIE-{self.digits(7)}")

    # ---------------- identity in the header: faults + noise
    def header_identity(self, e):
        r, p = self.r, self.p
        pat = e["pat"]
        fam, given, bd, sex = pat["family_name"], pat["given_name"], pat["birth_date"], pat["sex"]
        noise: list[str] = []
        t = e["study_datetime"]
        fault = FAULT_OK
        pid = pat["patient_id"]
        visit = e.get("visit")
        if visit:
            fault = "temporary_ipp"
            pid = visit["tmp_ipp"]
            e["patient_name"] = visit["tmp_name"]
            e["birth_date"] = visit["tmp_birth"]
            e["sex"] = visit["tmp_sex"]
            e["patient_id"] = pid
            e["fault"] = fault
            e["noise"] = "placeholder_identity"
            return
        if self.name == "entrepot_regional_multisite":
            code = e["site"][0]
            if t < p["merge_date"] and code in pat["legacy"]:
                fault, pid = "legacy_site_ipp", pat["legacy"][code]
            elif t < p["merge_date"]:
                # first visit at that site before the merger: a legacy IPP was issued then
                lf = [s for s in REG_SITES if s[0] == code][0][2]
                pat["legacy"][code] = self.new_ipp(lf)
                fault, pid = "legacy_site_ipp", pat["legacy"][code]
            elif pat["dup_id"] and t < pat["dup_until"]:
                fault, pid = "merged_duplicate_ipp", pat["dup_id"]
        if self.name == "reseau_imagerie_ville" and e.get("centre"):
            # the centre writes its own patient number; ~25 % were reconciled with the IPP at import
            if r.random() < 0.72:
                cc = e["centre"][0]
                loc = pat.setdefault("local", {})
                if cc not in loc:
                    loc[cc] = self.uniq(lambda: {"RDP": "P" + self.digits(6), "IMS": "IMS" + self.digits(5),
                                                 "CIV": self.digits(6), "GIE": "G" + self.digits(7)}[cc])
                fault, pid = "centre_local_id", loc[cc]
        if fault == FAULT_OK:
            x = r.random()
            acc = 0.0
            for k, v in p["faults"].items():
                acc += v
                if x < acc:
                    fault = k
                    break
            if e.get("req_unit") in ("URGENCES", "SAUV") and fault == FAULT_OK and self.name == "entrepot_regional_multisite" \
                    and r.random() < 0.05:
                fault = "temporary_ipp"
            if fault == "missing_ipp":
                pid = None
            elif fault == "mistyped_ipp":
                pid = self.mistype(pid)
            elif fault == "other_patient_ipp":
                same = [q for q in self.by_family.get(fam, []) if q is not pat]
                if same and r.random() < 0.34:
                    pid = r.choice(same)["patient_id"]
                else:
                    q = pat
                    while q is pat:
                        q = r.choice(self.patients)
                    pid = q["patient_id"]
            elif fault == "temporary_ipp":
                # one temporary IPP shared by the temporary exams of the same emergency stay
                st = e.get("gen_stay")
                keyv = st["stay_id"] if st else id(e)
                tmp = self.tmp_by_visit.get(keyv)
                if tmp is None:
                    tmp = self.uniq(lambda: r.choice(["TMP", "9999"]) + self.digits(6))
                    self.tmp_by_visit[keyv] = tmp
                pid = tmp
        rate = p["noise_rate"] * (1.8 if fault in ("mistyped_ipp", "other_patient_ipp", "missing_ipp", "centre_local_id") else 1.0)
        if r.random() < rate:
            n_kinds = r.choice([1, 1, 1, 2, 2, 3])
            options = ["accents_lost", "case", "typo", "swapped", "usage_name", "compound",
                       "birth_day_month_swap", "birth_date_typo", "sex_missing", "given_name_missing"]
            weights = [3, 2, 3, 2, 3, 2, 1.5, 1.5, 1.5, 1]
            chosen = []
            for _ in range(n_kinds):
                k = r.choices(options, weights)[0]
                if k not in chosen:
                    chosen.append(k)
            for k in chosen:
                if k == "accents_lost" and strip_accents(fam + given) != fam + given:
                    fam, given = strip_accents(fam), strip_accents(given)
                elif k == "usage_name" and pat["usage_name"] and fam == pat["family_name"]:
                    fam = pat["usage_name"]
                elif k == "compound" and ("-" in fam or " " in fam or "-" in given):
                    if "-" in fam or " " in fam:
                        sep = "-" if "-" in fam else " "
                        parts = fam.split(sep)
                        c = r.randint(0, 2)
                        fam = (" " if sep == "-" else "-").join(parts) if c == 0 else ("".join(parts) if c == 1 else parts[0])
                    else:
                        given = given.split("-")[0] if r.random() < .5 else given.replace("-", " ")
                elif k == "typo" and len(fam) > 3:
                    i = r.randint(1, len(fam) - 2)
                    op = r.randint(0, 2)
                    if op == 0 and fam[i].isalpha():
                        c = r.choice("AEIOUNMRST")
                        if c == fam[i]:
                            continue
                        fam = fam[:i] + c + fam[i + 1:]
                    elif op == 1:
                        fam = fam[:i] + fam[i + 1:]
                    else:
                        fam = fam[:i] + fam[i] + fam[i:]
                elif k == "birth_day_month_swap" and bd and bd.day <= 12 and bd.day != bd.month:
                    bd = dt.date(bd.year, bd.day, bd.month)
                elif k == "birth_date_typo" and bd:
                    s = bd.strftime("%Y%m%d")
                    for _ in range(20):
                        i = r.choice([2, 3, 5, 6, 7])
                        s2 = s[:i] + r.choice("0123456789") + s[i + 1:]
                        try:
                            nb = dt.datetime.strptime(s2, "%Y%m%d").date()
                        except ValueError:
                            continue
                        if nb != bd:
                            bd = nb
                            break
                    else:
                        continue
                elif k == "sex_missing":
                    sex = None
                elif k in ("swapped", "case", "given_name_missing"):
                    pass  # applied when formatting below
                else:
                    continue
                noise.append(k)
        # DICOM person name, per-source conventions
        F, G = fam.upper(), given.upper()
        if self.name == "reseau_imagerie_ville":
            G = given  # the centres' RIS keep the given name in mixed case
        if self.name == "entrepot_regional_multisite" and e["site"][0] in ("VOR", "FLE") and "accents_lost" not in noise:
            F, G = strip_accents(F), strip_accents(G)  # ISO_IR 6 modalities at two former hospitals
        if "case" in noise:
            F, G = (F.title(), G.title()) if r.random() < 0.6 else (F.lower(), G.lower())
        pn = f"{G}^{F}" if "swapped" in noise else f"{F}^{G}"
        if "given_name_missing" in noise:
            pn = F
        e["patient_id"], e["patient_name"], e["birth_date"], e["sex"] = pid, pn, bd, sex
        e["fault"], e["noise"] = fault, ";".join(noise)

    def mistype(self, pid: str) -> str:
        r = self.r
        for _ in range(100):
            s = pid
            op = r.randint(0, 2)
            if op == 0:
                i = r.randrange(len(s))
                if not s[i].isdigit():
                    continue
                s = s[:i] + r.choice("0123456789".replace(s[i], "")) + s[i + 1:]
            elif op == 1:
                i = r.randrange(len(s) - 1)
                if s[i] == s[i + 1]:
                    continue
                s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
            else:
                s = s[r.randint(1, 2):]
            if s not in self.known_ipps and s not in self.used_ids:
                return s
        return pid[:-1]

    # ---------------- finalise exams
    def finalise_exams(self):
        r, p = self.r, self.p
        self.tmp_by_visit = {}
        self.exams.sort(key=lambda e: (e["study_datetime"], e["true_pid"], e["key"]))
        # ville: some exams are sent twice by the centre's router (new UID, same accession)
        if self.name == "reseau_imagerie_ville":
            extra = []
            for e in self.exams:
                if r.random() < 0.05:
                    d = dict(e)
                    d["duplicate_of"] = e
                    extra.append(d)
            self.exams += extra
            self.exams.sort(key=lambda e: (e["study_datetime"], e["true_pid"], e["key"], "duplicate_of" in e))
        roots = {"entrepot_regional_multisite": "1.2.250.1.213.4", "trauma_center_urgences": "1.2.250.1.38.2",
                 "reseau_imagerie_ville": "1.2.826.0.1.3680043.9.7"}
        for e in self.exams:
            src = e.get("duplicate_of")
            if src is not None:
                for k in ("accession_number", "patient_id", "patient_name", "birth_date", "sex", "fault", "noise",
                          "institution", "unit", "stay_id"):
                    e[k] = src[k]
                e["exam_id"] = self.uid(roots[self.name] + ".99")
                continue
            site, centre = e["site"], e.get("centre")
            e["exam_id"] = self.uid(roots[self.name] + (CENTRE_ROOT[centre[0]] if centre else ""))
            if e["accession_number"] is None:
                e["accession_number"] = self.accession(site, centre, e["study_datetime"])
            self.header_identity(e)
            if centre:
                e["institution"] = centre[1]
                e["unit"] = r.choice(["IMAGERIE", "RADIOLOGIE", None])
            else:
                e["institution"] = site[1] if site else VILLE_HOSPITAL
                if self.name == "trauma_center_urgences":
                    e["institution"] = r.choice(["CHU CENTRE DE TRAUMATOLOGIE", "CHU - SITE NORD", "CHU CENTRE DE TRAUMATOLOGIE"])
                e["unit"] = e["req_unit"] if (e["req_unit"] and r.random() < p["requesting_unit"]) else self._imaging_unit(site)
            e["stay_id"] = None
        # exam -> stay truth by the contract rule; header stay id on a fraction
        self.stays_by_pid: dict[str, list[dict]] = {}
        for s in self.stays:
            self.stays_by_pid.setdefault(s["patient_id"], []).append(s)
        for e in self.exams:
            e["true_stay"] = self.stay_at(e["true_pid"], e["study_datetime"], e.get("pre_admission"))
            if e.get("duplicate_of") is not None:
                continue
            ts = e["true_stay"]
            if ts and r.random() < p["exam_stay_id"] * (1.6 if ts["stay_type"] == "emergency" else 1.0):
                e["stay_id"] = ts["stay_id"]
                # ordered in the emergency department, performed just after the transfer: the header
                # keeps the order's (previous) stay number and requesting unit
                prev = [s for s in self.stays_by_pid[e["true_pid"]] if s["end_datetime"] == ts["start_datetime"]]
                if prev and e["study_datetime"] - ts["start_datetime"] < TD(hours=3) and r.random() < 0.5:
                    e["stay_id"] = prev[0]["stay_id"]
                    e["unit"] = prev[0]["unit"]
        for e in self.exams:
            if e.get("duplicate_of") is not None:
                e["stay_id"] = e["duplicate_of"]["stay_id"]

    def stay_at(self, pid, t, pre=None):
        inside = [s for s in self.stays_by_pid.get(pid, []) if s["start_datetime"] <= t <= s["end_datetime"]]
        if inside:
            return min(inside, key=lambda s: (s["end_datetime"] - s["start_datetime"], s["stay_id"]))
        if pre is not None and pre["start_datetime"] - TD(hours=8) <= t < pre["start_datetime"]:
            return pre
        return None

    # ---------------- reports
    def text_for(self, e, kind, rd, author=None, prelim=False):
        """Build (title, text) for a report of exam e (or an outside exam described by e)."""
        r, p = self.r, self.p
        fam = e["fam"]
        sx = e["pat"]["sex"]
        pool = [t for t in PHRASES[fam] if len(t) == 3 or t[3] == sx] or PHRASES[fam][:1]
        trip = r.choice(pool)
        vals = dict(n=r.randint(4, 35), s=r.choice(["IV", "V", "VI", "VII", "VIII"]),
                    cote_l=r.choice(["droit", "gauche"]), dose=r.randint(180, 420),
                    gly=f"{r.uniform(0.8, 1.4):.2f}".replace(".", ","), suv=f"{r.uniform(2.5, 18):.1f}".replace(".", ","))
        if fam == "sein":
            vals["cote_l"] = r.choice(["droit", "gauche"])
        indication, results, conclusion = (x.format(**vals) for x in trip[:3])
        d = e["study_datetime"].date()
        desc = e["study_description"]
        sd = d
        lines = []
        date_written = False
        style = self.name
        if self.name == "reseau_imagerie_ville" and not e.get("centre"):
            style = "entrepot_regional_multisite"  # the hospital's own reports
        if style == "entrepot_regional_multisite":
            vendor = e["site"][3] if e.get("site") else "A"
            if vendor == "A":
                title = f"CR {desc}"
                lines.append(f"{desc}")
                if r.random() < 0.75:
                    lines.append(f"Examen réalisé le {fmt_date(sd, 0)}")
                    date_written = True
                lines += ["", "Indication :", indication, "", "Technique :", self.technique(e), "",
                          "Résultats :", results, "", "Conclusion :", conclusion, "", "Dr [NOM], radiologue"]
            elif vendor == "B":
                title = r.choice(["Compte rendu d'imagerie", "COMPTE-RENDU RADIOLOGIQUE", "Compte rendu d'imagerie"])
                head = f"{desc.capitalize()}"
                if r.random() < 0.5:
                    head += f" du {fmt_date(sd, 1)}"
                    date_written = True
                lines += [head, "", f"Renseignements cliniques : {indication}", "", results, "",
                          f"CONCLUSION : {conclusion}", "", "Compte rendu validé électroniquement par le Dr [NOM]"]
            else:
                title = None if r.random() < 0.4 else desc.lower()
                lines.append(f"Service d'Imagerie Médicale - {e.get('institution') or ''}".strip())
                lines.append("Patient : [NOM]    Né(e) le : [DATE]")
                if r.random() < 0.6:
                    lines.append(f"Date d'examen : {fmt_date(sd, 4 if r.random() < .5 else 0)}")
                    date_written = True
                lines += ["", f"EXAMEN : {desc}", "", f"INDICATION : {indication}", "", "TECHNIQUE : " + self.technique(e),
                          "", "RESULTATS :", results, "", "CONCLUSION :", conclusion]
        elif style == "trauma_center_urgences":
            if prelim:
                title = f"CR PROVISOIRE - {desc}"
                lines += [f"{desc} - lecture préliminaire (interne de garde)"]
                if r.random() < 0.3:
                    lines.append(f"Examen du {fmt_date(sd, 2)} à {e['study_datetime']:%Hh%M}")
                    date_written = True
                lines += [f"Contexte : {indication}", results, f"=> {conclusion}",
                          "Avis provisoire, sera validé par le senior."]
            else:
                title = r.choice([f"COMPTE RENDU {desc}", f"CR DEFINITIF - {desc}", desc])
                if e.get("split_group") and len(e["split_group"]) > 1:
                    title = "COMPTE RENDU BODY SCANNER" if r.random() < .6 else title
                    desc = "BODY SCANNER (CRANE, RACHIS CERVICAL, THORAX-ABDOMEN-PELVIS)"
                lines.append(desc)
                if r.random() < 0.55:
                    lines.append(f"Date : {fmt_date(sd, 0)} {e['study_datetime']:%H:%M}")
                    date_written = True
                lines += ["", f"Indication : {indication}", "", f"Technique : {self.technique(e)}", "",
                          "Résultats :", results, "", "Conclusion :", conclusion, "",
                          r.choice(["Dr [NOM], praticien hospitalier", "Pr [NOM]", "Dr [NOM] (senior)"])]
                if e.get("had_prelim"):
                    lines.insert(-2, "Relecture de l'examen interprété en garde : " +
                                 r.choice(["concordance avec la lecture préliminaire.",
                                           "discordance mineure, complément ci-dessus."]))
        else:
            centre = e.get("centre") or r.choice(VILLE_CENTRES)
            title = r.choice([f"Courrier externe - {centre[1]}", "COMPTE RENDU RADIOLOGIQUE",
                              f"CR_{desc.replace(' ', '_')}_{d:%Y%m%d}.pdf", "Document reçu (imagerie de ville)",
                              None])
            if title and title.endswith(".pdf"):
                pass
            lines += centre[3].split("\n")
            lines.append("")
            style = r.randrange(8)
            place = r.random()
            if place < 0.35:
                lines.append(f"Le {fmt_date(sd, style)},")
                date_written = True
            lines += ["Patient(e) : [NOM]", "Né(e) le [DATE]", "", r.choice(["Cher confrère,", "Chère consœur, cher confrère,", "Mon cher confrère,", ""])]
            if 0.35 <= place < 0.75:
                lines.append(r.choice([f"Votre patient(e) a bénéficié le {fmt_date(sd, style)} d'un examen : {desc.lower()}.",
                                       f"{desc} réalisée le {fmt_date(sd, style)}.",
                                       f"Examen du {fmt_date(sd, style)} : {desc}"]))
                date_written = True
            else:
                lines.append(f"{desc}")
            lines += ["", f"Indication : {indication}", "", f"Technique : {self.technique(e)}", "", results, "",
                      f"Conclusion : {conclusion}", "", r.choice(["Bien confraternellement,", "Confraternellement,",
                                                                  "Avec mes salutations confraternelles,"]),
                      "Dr [NOM]"]
            if e.get("combo_desc"):
                lines.insert(len(centre[3].split("\n")) + 1, e["combo_desc"])
        text = "\n".join(lines)
        html = False
        if r.random() < p["html"]:
            html = True
            text = ("<html><body><p>" + text.replace("\n", "<br>").replace("é", "&eacute;").replace("è", "&egrave;")
                    .replace("'", "&#39;") + "</p></body></html>")
        return title, text, date_written, html

    def technique(self, e):
        m = e["modality"]
        r = self.r
        return {"CT": r.choice(["Acquisition hélicoïdale sans puis avec injection de produit de contraste iodé.",
                                "Acquisition hélicoïdale sans injection.", "Acquisition au temps portal."]),
                "MR": r.choice(["Séquences pondérées T1, T2, FLAIR et diffusion.", "Séquences DP FS dans les trois plans."]),
                "US": "Échographie par voie transcutanée.",
                "CR": "Cliché de face.", "DX": "Clichés de face et de profil.",
                "MG": "Incidences face et oblique bilatérales.",
                "PT\\CT": "Acquisition TEP couplée à un scanner low-dose du vertex à mi-cuisses.",
                "NM": "Acquisition sur gamma-caméra."}[m]

    def report_delay(self, e):
        r = self.r
        if e["modality"] in SLOW:
            return TD(days=r.randint(1, 3), hours=r.randint(0, 8), minutes=r.randint(0, 59))
        if self.name == "reseau_imagerie_ville":
            return TD(hours=r.randint(1, 8), minutes=r.randint(0, 59))
        return TD(minutes=r.randint(20, 60 * 10))

    def add_report(self, e, rd, true_exam, prelim=False, outside=False):
        r, p = self.r, self.p
        title, text, date_written, html = self.text_for(e, "final", rd, prelim=prelim)
        pat = e["pat"]
        rid = self.uniq(lambda: {"entrepot_regional_multisite": "CR" + self.digits(9),
                                 "trauma_center_urgences": "RAD-" + self.digits(8),
                                 "reseau_imagerie_ville": "DOC" + self.digits(10)}[self.name])
        pid = pat["patient_id"] if r.random() < p["report_pid"] else None
        if pid and self.name == "entrepot_regional_multisite" and rd < p["merge_date"] and e.get("site") \
                and e["site"][0] in pat["legacy"] and r.random() < 0.5:
            pid = pat["legacy"][e["site"][0]]  # old report still filed under the site IPP
        vis = true_exam.get("visit") if true_exam else None
        if pid and vis and rd < vis["merge_at"] and r.random() < 0.6:
            pid = vis["tmp_ipp"]  # written before the identity merge: filed under the temporary IPP
        true_stay = true_exam["true_stay"] if true_exam else self.stay_at(pat["patient_id"], rd)
        if outside:
            true_stay = self.stay_at(pat["patient_id"], rd)
        sid = None
        if true_stay and r.random() < p["report_stay"]:
            sid = true_stay["stay_id"]
        acc = None
        if true_exam is not None:
            if self.name == "entrepot_regional_multisite":
                pa_ = {"A": 0.9, "B": 0.35, "C": 0.0}[e["site"][3]]
            elif self.name == "trauma_center_urgences":
                pa_ = 0.3 if prelim else 0.8
            else:
                pa_ = 0.12 if e.get("centre") else 0.8
            if r.random() < pa_:
                acc = true_exam["accession_number"]
        self.reports.append(dict(report_id=rid, patient_id=pid, stay_id=sid, report_datetime=rd.replace(microsecond=0),
                                 title=title, text=text, accession_number=acc, true_exam=true_exam,
                                 true_stay=true_stay, date_written=date_written, html=html, prelim=prelim,
                                 outside=outside))

    def make_reports(self):
        r, p = self.r, self.p
        for e in self.exams:
            if e.get("duplicate_of") is not None or e.get("same_report_as") is not None:
                continue
            if e.get("split_group") and e is not e["split_group"][0]:
                continue  # one report for the whole split body scanner, tied to its first study
            if r.random() > p["report_rate"]:
                continue
            rd = e["study_datetime"] + self.report_delay(e)
            night = e["study_datetime"].hour >= 19 or e["study_datetime"].hour < 7
            if self.name == "trauma_center_urgences" and night and e["modality"] in ("CT", "US") and r.random() < 0.75:
                pr = e["study_datetime"] + TD(minutes=r.randint(15, 75))
                self.add_report(e, pr, e, prelim=True)
                e["had_prelim"] = True
                nxt = (e["study_datetime"] + TD(hours=10)).replace(hour=r.randint(8, 12), minute=r.randint(0, 59))
                if nxt <= pr:
                    nxt = pr + TD(hours=3)
                rd = nxt
            if self.name == "reseau_imagerie_ville" and e.get("centre"):
                # letters: the warehouse date is often the import date, days after the exam
                if r.random() < 0.45:
                    rd = e["study_datetime"] + TD(days=r.randint(1, 20), hours=r.randint(0, 10))
                partner = next((x for x in self.exams if x.get("same_report_as") is e), None) if e["key"].startswith("mammo") else None
                if partner is not None:
                    e["combo_desc"] = "Mammographie et échographie mammaire bilatérales."
            self.add_report(e, rd, e)
        # reports of exams with no images in this PACS (outside exams, second opinions)
        n_out = int(len(self.reports) * p["outside_reports"])
        for _ in range(n_out):
            pat = r.choice(self.patients)
            key = r.choice(VILLE_EXAMS if self.name == "reseau_imagerie_ville" else OUTPATIENT_EXAMS)
            if key.startswith("mammo") and pat["sex"] == "M":
                key = "tdm_thorax"
            t = p["start"] + TD(days=r.randint(30, (p["end"] - p["start"]).days - 30), hours=r.randint(8, 18))
            mod, desc, bp, fam = CAT[key]
            fake = dict(pat=pat, key=key, modality=mod, study_description=desc.replace("{COTE}", "DROIT"),
                        body_part=bp, fam=fam, study_datetime=t, site=r.choice(REG_SITES) if self.name == "entrepot_regional_multisite" else None,
                        centre=r.choice(VILLE_CENTRES) if self.name == "reseau_imagerie_ville" else None,
                        institution="", true_stay=None)
            if self.name != "reseau_imagerie_ville":
                fake["study_description"] = "AVIS SUR IMAGERIE EXTERIEURE - " + fake["study_description"]
            rd = t + TD(days=r.randint(0, 10), hours=r.randint(0, 6))
            self.add_report(fake, rd, None, outside=True)
        self.reports.sort(key=lambda x: (x["report_datetime"], x["report_id"]))

    # ---------------- output
    def run(self):
        self.make_patients()
        self.build_timelines()
        self.finalise_exams()
        self.make_reports()

    def write(self, out: str):
        os.makedirs(os.path.join(out, "truth"), exist_ok=True)

        def w(name, rows, fname):
            sch = SCHEMAS[name]
            cols = {f.name: [row.get(f.name) for row in rows] for f in sch}
            t = pa.table(cols, schema=sch)
            pq.write_table(t, os.path.join(out, fname), compression="snappy", write_statistics=True)

        pats = sorted(self.patients, key=lambda x: x["patient_id"])
        w("patients", pats, "patients.parquet")
        w("stays", sorted(self.stays, key=lambda s: (s["patient_id"], s["start_datetime"], s["stay_id"])), "stays.parquet")
        w("exams", self.exams, "exams.parquet")
        w("reports", self.reports, "reports.parquet")
        links = []
        for e in self.exams:
            links.append(dict(source_type="exam", source_id=e["exam_id"], target_type="patient", target_id=e["true_pid"]))
            ts = e["true_stay"]
            links.append(dict(source_type="exam", source_id=e["exam_id"], target_type="stay",
                              target_id=ts["stay_id"] if ts else None))
        for rep in self.reports:
            te, ts = rep["true_exam"], rep["true_stay"]
            links.append(dict(source_type="report", source_id=rep["report_id"], target_type="exam",
                              target_id=te["exam_id"] if te else None))
            links.append(dict(source_type="report", source_id=rep["report_id"], target_type="stay",
                              target_id=ts["stay_id"] if ts else None))
        w("links", links, "truth/links.parquet")
        w("exam_faults", [dict(exam_id=e["exam_id"], fault=e["fault"], identity_noise=e["noise"]) for e in self.exams],
          "truth/exam_faults.parquet")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", required=True, choices=sorted(PROFILES))
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    g = Gen(a.profile, a.patients, a.seed)
    g.run()
    g.write(a.out)
    print(f"{a.profile}: {len(g.patients)} patients, {len(g.stays)} stays, {len(g.exams)} exams, "
          f"{len(g.reports)} reports -> {a.out}")


if __name__ == "__main__":
    main()
