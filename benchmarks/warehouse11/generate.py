#!/usr/bin/env python3
"""warehouse11 -- blind synthetic French imaging warehouse generator.

Written from the table contract only (radlink.tables docstring + TableSpec, the
data_samples README and the parquet schemas). Standard library + pyarrow.

    python generate.py --profile centre_lutte_cancer --patients 1500 --seed 11 -o DIR

Profiles: centre_lutte_cancer, ght_teleradiologie, migration_ris.
Same arguments -> byte-identical parquet files.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import unicodedata

import pyarrow as pa
import pyarrow.parquet as pq

D = dt.datetime
TD = dt.timedelta

# --------------------------------------------------------------------------- schemas
SCHEMAS = {
    "patients": pa.schema([("patient_id", pa.string()), ("family_name", pa.string()),
                           ("given_name", pa.string()), ("birth_date", pa.date32()),
                           ("sex", pa.string()), ("usage_name", pa.string())]),
    "stays": pa.schema([("stay_id", pa.string()), ("patient_id", pa.string()),
                        ("start_datetime", pa.timestamp("us")), ("end_datetime", pa.timestamp("us")),
                        ("unit", pa.string()), ("stay_type", pa.string()), ("diagnoses", pa.string())]),
    "exams": pa.schema([("exam_id", pa.string()), ("accession_number", pa.string()),
                        ("patient_id", pa.string()), ("patient_name", pa.string()),
                        ("birth_date", pa.date32()), ("sex", pa.string()),
                        ("study_datetime", pa.timestamp("us")), ("modality", pa.string()),
                        ("study_description", pa.string()), ("body_part", pa.string()),
                        ("institution", pa.string()), ("unit", pa.string()), ("stay_id", pa.string())]),
    "reports": pa.schema([("report_id", pa.string()), ("patient_id", pa.string()),
                          ("stay_id", pa.string()), ("report_datetime", pa.timestamp("us")),
                          ("title", pa.string()), ("text", pa.string()),
                          ("accession_number", pa.string())]),
    "links": pa.schema([("source_type", pa.string()), ("source_id", pa.string()),
                        ("target_type", pa.string()), ("target_id", pa.string())]),
    "exam_faults": pa.schema([("exam_id", pa.string()), ("fault", pa.string()),
                              ("identity_noise", pa.string())]),
}

# --------------------------------------------------------------------------- names
SURNAMES = """MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL
LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU
VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER FRANCOIS LEGRAND
GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND
DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIERE
LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD ROCHE RENARD SCHMITT ROY LEROUX COLIN VIDAL
CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE
BENOIT REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER
CARPENTIER SANCHEZ DUPUIS MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN
JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT CARRE CHARLES RENAULT CHARPENTIER MENARD MAILLARD
BARON BERTIN BAILLY HERVE SCHNEIDER FERNANDEZ LE_GALL COLLET LEGER BOUVIER JULIEN PREVOST MILLET
PERROT DANIEL LE_ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS REMY LE_GOFF PELLETIER LEVEQUE PERRIER
LEBLANC BARRE LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD
GILLET ETIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN DA_SILVA BOUCHET GAY LEMAITRE
BENARD MARECHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET BARTHELEMY CORDIER PICHON LEJEUNE GILBERT
LAMY DELAUNAY PASQUIER CARLIER LAPORTE HADDAD BENALI NGUYEN TRAN KONE DIALLO""".split()
SPECIAL_SURNAMES = ["LÉVÊQUE", "DE LA FONTAINE", "D'ALMEIDA", "LE BIHAN", "DE SAINT-EXUPÉRY",
                    "FRANÇOIS-MARTIN", "BÉNARD", "HÉBERT", "LEFÈVRE", "MÉNARD", "CÔTÉ",
                    "DUPONT-MOREAU", "BEN AHMED", "N'DIAYE", "GRÉGOIRE", "VAN DEN BERGHE",
                    "DES ROCHES", "EL KHOURY", "SAINT-ANDRÉ", "DA COSTA", "MOREL-LÉGER"]
MALE = ("JEAN PIERRE MICHEL ANDRÉ PHILIPPE ALAIN BERNARD CHRISTIAN DANIEL PATRICK GÉRARD JACQUES "
        "FRANÇOIS NICOLAS LAURENT ÉRIC STÉPHANE DAVID THIERRY OLIVIER SÉBASTIEN JULIEN THOMAS "
        "MAXIME LUCAS HUGO JÉRÔME FRÉDÉRIC YANNICK MOHAMED KARIM JEAN-PIERRE JEAN-LUC "
        "JEAN-MARC MARC-ANTOINE PAUL ROGER RENÉ MARCEL LOUIS GABRIEL ARTHUR").split()
FEMALE = ("MARIE NATHALIE ISABELLE SYLVIE CATHERINE FRANÇOISE MONIQUE CHRISTINE MARTINE NICOLE "
          "VALÉRIE SANDRINE STÉPHANIE CÉLINE JULIE AURÉLIE CAROLINE ÉMILIE CAMILLE LÉA CHLOÉ "
          "MANON SOPHIE HÉLÈNE BRIGITTE JOSIANE FATIMA NADIA MARIE-CLAIRE ANNE-SOPHIE "
          "MARIE-THÉRÈSE JEANNE GENEVIÈVE ODETTE SIMONE YVETTE AGNÈS CLAIRE ÉLODIE").split()

# --------------------------------------------------------------------------- catalogue
# key: (modality, description, body_part, short title, family)
CATALOGUE = {
    "tep_fdg": ("PT\\CT", "TEP-TDM FDG CORPS ENTIER", "WHOLEBODY", "TEP-TDM au 18F-FDG", "pet"),
    "tep_psma": ("PT\\CT", "TEP-TDM PSMA 68GA", "WHOLEBODY", "TEP-TDM au PSMA", "pet"),
    "tep_choline": ("PT\\CT", "TEP FLUOROCHOLINE", "WHOLEBODY", "TEP-TDM à la fluorocholine", "pet"),
    "scinti_os": ("NM", "SCINTIGRAPHIE OSSEUSE CORPS ENTIER", "WHOLEBODY", "Scintigraphie osseuse", "nm"),
    "scinti_thyr": ("NM", "SCINTIGRAPHIE THYROIDIENNE", "NECK", "Scintigraphie thyroïdienne", "nm"),
    "scinti_pulm": ("NM", "SCINTIGRAPHIE PULMONAIRE V/P", "CHEST", "Scintigraphie pulmonaire de ventilation-perfusion", "nm"),
    "tdm_tap": ("CT", "TDM THORAX-ABDOMEN-PELVIS INJ", "CHEST", "Scanner thoraco-abdomino-pelvien", "ct"),
    "tdm_thorax": ("CT", "TDM THORAX", "CHEST", "Scanner thoracique", "ct"),
    "tdm_cerebral": ("CT", "TDM CEREBRALE SANS INJECTION", "HEAD", "Scanner cérébral", "ct"),
    "angio_tdm": ("CT", "ANGIOSCANNER THORACIQUE (EP)", "CHEST", "Angioscanner thoracique", "ct"),
    "tdm_abdo": ("CT", "TDM ABDOMINO-PELVIENNE", "ABDOMEN", "Scanner abdomino-pelvien", "ct"),
    "tdm_rachis": ("CT", "TDM RACHIS CERVICAL", "CSPINE", "Scanner du rachis cervical", "ct"),
    "irm_cerebrale": ("MR", "IRM CEREBRALE INJ", "HEAD", "IRM cérébrale", "mr"),
    "irm_pelvis": ("MR", "IRM PELVIENNE", "PELVIS", "IRM pelvienne", "mr"),
    "irm_foie": ("MR", "IRM HEPATIQUE", "ABDOMEN", "IRM hépatique", "mr"),
    "irm_genou": ("MR", "IRM GENOU DROIT", "KNEE", "IRM du genou", "mr"),
    "irm_rachis": ("MR", "IRM RACHIS LOMBAIRE", "LSPINE", "IRM du rachis lombaire", "mr"),
    "mammo": ("MG", "MAMMOGRAPHIE BILATERALE", "BREAST", "Mammographie bilatérale", "mg"),
    "echo_sein": ("US", "ECHOGRAPHIE MAMMAIRE", "BREAST", "Échographie mammaire", "us"),
    "echo_abdo": ("US", "ECHOGRAPHIE ABDOMINALE", "ABDOMEN", "Échographie abdominale", "us"),
    "echo_doppler": ("US", "ECHO-DOPPLER VEINEUX MI", "LEG", "Écho-doppler veineux des membres inférieurs", "us"),
    "rx_thorax": ("CR", "RADIOGRAPHIE THORAX FACE", "CHEST", "Radiographie thoracique", "rx"),
    "rx_thorax_lit": ("DX", "RX THORAX AU LIT", "CHEST", "Radiographie thoracique au lit", "rx"),
    "rx_poignet": ("DX", "RX POIGNET F+P", "HAND", "Radiographie du poignet", "rx"),
    "rx_bassin": ("CR", "RX BASSIN FACE", "PELVIS", "Radiographie du bassin", "rx"),
    "rx_cheville": ("DX", "RX CHEVILLE", "ANKLE", "Radiographie de cheville", "rx"),
    "asp": ("CR", "ABDOMEN SANS PREPARATION", "ABDOMEN", "ASP", "rx"),
}

GROUP = {"tep_fdg": "pet", "tep_psma": "pet_psma", "tep_choline": "pet_psma", "scinti_os": "nm_os",
         "scinti_thyr": "nm_thyr", "scinti_pulm": "nm_pulm", "tdm_tap": "ct_tap", "tdm_thorax": "ct_chest",
         "angio_tdm": "ct_ep", "tdm_cerebral": "ct_head", "tdm_abdo": "ct_abdo", "tdm_rachis": "ct_spine",
         "irm_cerebrale": "mr_head", "irm_pelvis": "mr_pelvis", "irm_foie": "mr_liver", "irm_genou": "mr_knee",
         "irm_rachis": "mr_spine", "mammo": "mg", "echo_sein": "us_breast", "echo_abdo": "us_abdo",
         "echo_doppler": "us_doppler", "rx_thorax": "rx_chest", "rx_thorax_lit": "rx_chest", "rx_poignet": "rx_bone",
         "rx_bassin": "rx_bone", "rx_cheville": "rx_bone", "asp": "asp"}

# group -> (indications, [(findings lines, conclusion), ...]); the first scenario is the normal one
TEXTS = {
    "pet": (["Bilan d'extension initial d'un adénocarcinome pulmonaire.", "Évaluation de la réponse après 4 cures de chimiothérapie.",
             "Suspicion de récidive, élévation de l'ACE.", "Lymphome de Hodgkin, TEP de fin de traitement.",
             "Cancer du sein localement avancé, bilan initial."],
            [(["Fixation physiologique du tube digestif et des voies urinaires.", "Foie de référence SUVmax {ref}.",
               "Absence de foyer hypermétabolique suspect, notamment ganglionnaire ou osseux."],
              "Absence de lésion hypermétabolique suspecte."),
             (["Hypermétabolisme ganglionnaire médiastinal 4R, SUVmax {s1}.",
               "Fixation de la masse lobaire supérieure droite de {mm} mm, SUVmax {s2}.", "Foie de référence SUVmax {ref}."],
              "Lésion pulmonaire hypermétabolique avec atteinte ganglionnaire médiastinale homolatérale."),
             (["Diminution de la fixation de la lésion connue, passant de {s2} à {s1}.",
               "Pas de nouveau foyer hypermétabolique."], "Réponse métabolique partielle."),
             (["Apparition de foyers osseux hypermétaboliques du bassin et du rachis dorsal, SUVmax {s2}."],
              "Progression métabolique osseuse.")]),
    "pet_psma": (["Remontée du PSA après prostatectomie.", "Bilan initial d'un adénocarcinome prostatique à haut risque."],
                 [(["Pas de fixation pathologique de la loge de prostatectomie.", "Pas de foyer ganglionnaire ni osseux."],
                   "Absence de foyer suspect de récidive."),
                  (["Fixation ganglionnaire iliaque externe gauche de {mm} mm, SUVmax {s1}."],
                   "Récidive ganglionnaire pelvienne gauche probable.")]),
    "nm_os": (["Recherche de métastases osseuses.", "Douleurs osseuses, cancer du sein connu.", "Bilan d'extension d'un cancer de la prostate."],
              [(["Répartition homogène du traceur sur l'ensemble du squelette.", "Hyperfixations articulaires d'allure dégénérative."],
                "Pas d'argument scintigraphique pour des localisations secondaires osseuses."),
               (["Foyer d'hyperfixation de l'arc postérieur de la 7e côte gauche."],
                "Foyer costal gauche aspécifique, à confronter au scanner."),
               (["Multiples foyers d'hyperfixation du rachis, du bassin et des côtes."],
                "Aspect évocateur de localisations secondaires osseuses multiples.")]),
    "nm_thyr": (["Hyperthyroïdie biologique.", "Nodule thyroïdien, TSH basse."],
                [(["Fixation homogène des deux lobes, sans nodule chaud ni froid."], "Scintigraphie thyroïdienne normale."),
                 (["Nodule hyperfixant du lobe droit, éteignant le reste du parenchyme."], "Nodule toxique du lobe droit.")]),
    "nm_pulm": (["Suspicion d'embolie pulmonaire, insuffisance rénale.", "Dyspnée, D-dimères positifs, grossesse."],
                [(["Perfusion homogène, concordante avec la ventilation."], "Pas d'argument pour une embolie pulmonaire."),
                 (["Défects perfusionnels segmentaires du lobe inférieur droit, ventilation conservée."],
                  "Aspect de haute probabilité d'embolie pulmonaire.")]),
    "ct_tap": (["Bilan d'extension.", "Suivi oncologique, évaluation après 3 cures.", "Altération de l'état général, amaigrissement."],
               [(["Pas d'adénopathie médiastinale ni hilaire.", "Foie de taille normale, sans lésion focale.",
                  "Pas d'épanchement pleural ni péritonéal."], "Pas d'anomalie significative."),
                (["Nodule pulmonaire lobaire inférieur gauche de {mm} mm, stable.", "Pas de lésion hépatique."],
                 "Stabilité des lésions connues."),
                (["Apparition de deux lésions hépatiques hypodenses du segment VII, la plus grande de {mm} mm."],
                 "Lésions hépatiques nouvelles suspectes de métastases.")]),
    "ct_chest": (["Toux persistante chez un fumeur.", "Contrôle d'un nodule pulmonaire.", "Fièvre et désaturation."],
                 [(["Parenchyme pulmonaire sans anomalie.", "Pas d'épanchement pleural ni péricardique."], "Scanner thoracique normal."),
                  (["Nodule pulmonaire lobaire supérieur droit de {mm} mm, solide."], "Nodule pulmonaire à contrôler."),
                  (["Condensation alvéolaire du lobe inférieur droit avec bronchogramme aérien."], "Pneumopathie lobaire inférieure droite.")]),
    "ct_ep": (["Dyspnée aiguë, D-dimères positifs.", "Douleur thoracique et tachycardie."],
              [(["Bonne opacification des artères pulmonaires.", "Pas de défect endoluminal jusqu'en sous-segmentaire."],
                "Pas d'embolie pulmonaire."),
               (["Défects endoluminaux des artères lobaires inférieures bilatérales.", "Rapport VD/VG à 1,1."],
                "Embolie pulmonaire bilatérale proximale.")]),
    "ct_head": (["Traumatisme crânien sous anticoagulant.", "Céphalées brutales.", "Confusion chez un patient âgé."],
                [(["Pas d'hémorragie intracrânienne, pas d'effet de masse.", "Pas de fracture de la voûte."], "Pas de lésion traumatique."),
                 (["Hématome sous-dural aigu frontopariétal droit de {mm} mm d'épaisseur."], "Hématome sous-dural aigu droit."),
                 (["Leucopathie vasculaire périventriculaire.", "Pas de saignement."], "Pas d'anomalie aiguë.")]),
    "ct_abdo": (["Douleur abdominale fébrile.", "Douleur de la fosse iliaque gauche.", "Syndrome occlusif."],
                [(["Pas d'épanchement ni de pneumopéritoine.", "Appendice fin."], "Scanner abdomino-pelvien sans anomalie."),
                 (["Infiltration de la graisse péricolique sigmoïdienne sans collection."], "Aspect de sigmoïdite non compliquée."),
                 (["Distension grêlique avec zone de transition en fosse iliaque droite."], "Occlusion du grêle sur bride probable.")]),
    "ct_spine": (["Traumatisme cervical, accident de la voie publique."],
                 [(["Pas de fracture ni de déplacement.", "Alignement conservé."], "Pas de lésion traumatique du rachis cervical."),
                  (["Fracture non déplacée de l'apophyse épineuse de C6."], "Fracture isolée de l'épineuse de C6.")]),
    "mr_head": (["Céphalées inhabituelles.", "Bilan d'extension cérébral.", "Déficit brachial gauche transitoire."],
                [(["Pas d'anomalie de signal du parenchyme.", "Pas de prise de contraste anormale."], "IRM cérébrale normale."),
                 (["Lésion temporale droite de {mm} mm rehaussée en anneau après gadolinium."], "Lésion évocatrice d'une métastase."),
                 (["Hypersignal diffusion cortical pariétal droit."], "AVC ischémique récent pariétal droit.")]),
    "mr_pelvis": (["Bilan locorégional.", "Suivi après radiochimiothérapie."],
                  [(["Pas de masse pelvienne.", "Pas d'adénopathie iliaque."], "Pas de récidive locale décelable."),
                   (["Lésion cervicale de {mm} mm en hypersignal T2 intermédiaire, sans envahissement paramétrial."],
                    "Lésion cervicale limitée, sans extension paramétriale.")]),
    "mr_liver": (["Caractérisation d'une lésion hépatique.", "Suivi de métastases hépatiques."],
                 [(["Pas de lésion focale hépatique."], "IRM hépatique normale."),
                  (["Lésion du segment VI de {mm} mm en hypersignal T2 franc, rehaussement nodulaire périphérique."],
                   "Angiome hépatique typique.")]),
    "mr_knee": (["Gonalgie post-traumatique.", "Blocage du genou."],
                [(["Ménisques et ligaments croisés normaux."], "IRM du genou sans anomalie."),
                 (["Fissure horizontale de la corne postérieure du ménisque interne, grade 3."], "Lésion méniscale interne.")]),
    "mr_spine": (["Lombosciatique gauche.", "Lombalgie chronique."],
                 [(["Disques de hauteur conservée.", "Pas de conflit disco-radiculaire."], "IRM lombaire sans anomalie notable."),
                  (["Hernie discale L4-L5 postéro-latérale gauche au contact de la racine L5."],
                   "Conflit disco-radiculaire L5 gauche.")]),
    "mg": (["Dépistage organisé.", "Surveillance après tumorectomie.", "Masse palpable du sein gauche."],
           [(["Seins de densité de type B.", "Pas de foyer de microcalcifications suspect."], "ACR 1 bilatéral."),
            (["Opacité stellaire du QSE gauche de {mm} mm."], "ACR 4 à gauche : biopsie recommandée."),
            (["Microcalcifications rondes éparses bilatérales."], "ACR 2.")]),
    "us_breast": (["Complément de mammographie.", "Masse palpable du sein droit."],
                  [(["Pas de lésion focale."], "Échographie mammaire normale, ACR 1."),
                   (["Formation anéchogène de {mm} mm à 10h du sein droit."], "Kyste simple, ACR 2.")]),
    "us_abdo": (["Douleur de l'hypochondre droit.", "Bilan hépatique perturbé.", "Colique néphrétique."],
                [(["Foie de taille normale, d'échostructure homogène.", "Vésicule alithiasique.",
                   "Pas de dilatation des voies biliaires."], "Échographie abdominale normale."),
                 (["Vésicule à paroi fine contenant plusieurs calculs dont le plus gros mesure {mm} mm."],
                  "Lithiase vésiculaire non compliquée."),
                 (["Dilatation pyélocalicielle droite modérée."], "Dilatation des cavités rénales droites.")]),
    "us_doppler": (["Grosse jambe douloureuse.", "Suspicion de thrombose veineuse profonde."],
                   [(["Veines compressibles, flux phasique."], "Pas de thrombose veineuse profonde."),
                    (["Thrombus non compressible de la veine fémorale commune droite."],
                     "Thrombose veineuse profonde fémorale droite.")]),
    "rx_chest": (["Toux fébrile.", "Dyspnée.", "Contrôle de position de sonde.", "Bilan préopératoire."],
                 [(["Pas de foyer de condensation parenchymateuse.", "Pas d'épanchement pleural."],
                   "Pas d'anomalie pleuro-parenchymateuse."),
                  (["Opacité alvéolaire de la base droite."], "Foyer de pneumopathie basal droit."),
                  (["Sonde d'intubation à 3 cm de la carène.", "Cardiomégalie modérée."], "Sonde en bonne position.")]),
    "rx_bone": (["Chute.", "Traumatisme, douleur à l'appui.", "Douleur après chute de sa hauteur."],
                [(["Pas de trait de fracture visible.", "Interlignes articulaires conservés."], "Pas de fracture."),
                 (["Fracture extra-articulaire peu déplacée."], "Fracture peu déplacée."),
                 (["Arthrose modérée.", "Pas de fracture."], "Pas de lésion osseuse traumatique.")]),
    "asp": (["Douleur abdominale, vomissements."],
            [(["Pas de niveau hydro-aérique.", "Pas de pneumopéritoine."], "ASP sans anomalie."),
             (["Niveaux hydro-aériques grêliques."], "Aspect d'occlusion du grêle.")]),
}

PROFILES = ("centre_lutte_cancer", "ght_teleradiologie", "migration_ris")

# per-profile habits. All fractions are probabilities used by the generator; validate.py
# measures the resulting fractions.
CFG = {
    "centre_lutte_cancer": dict(
        start=D(2018, 1, 1), end=D(2024, 12, 31),
        ipp_prefix="78", root="1.2.250.1.59.4.1",
        institutions=["INSTITUT DE CANCEROLOGIE DU LITTORAL"],
        faults={"missing_ipp": 0.02, "mistyped_ipp": 0.03, "other_patient_ipp": 0.015,
                "temporary_ipp": 0.005},
        noise_rate=0.15, exam_stay_id=0.12, requesting_unit=0.35,
        report_pid_null=0.02, report_stay=0.65, no_report=0.04,
        html=0.03, date_in_text=0.55, placeholders=0.3,
    ),
    "ght_teleradiologie": dict(
        start=D(2020, 1, 1), end=D(2024, 6, 30),
        ipp_prefix="41", root="1.2.250.1.59.7",
        institutions=["CH DE VALLON-SUR-LOIRE", "CH DE SAINT-AUBIN", "HOPITAL LOCAL DE MONTREUIL-BELLAY"],
        faults={"missing_ipp": 0.05, "mistyped_ipp": 0.05, "other_patient_ipp": 0.03,
                "temporary_ipp": 0.05},
        noise_rate=0.28, exam_stay_id=0.06, requesting_unit=0.25,
        report_pid_null=0.04, report_stay=0.3, no_report=0.05,
        html=0.08, date_in_text=0.35, placeholders=0.2,
    ),
    "migration_ris": dict(
        start=D(2019, 1, 1), end=D(2024, 12, 31), migration=D(2021, 10, 18, 6, 0),
        ipp_prefix="60", root="1.2.250.1.59.2.33",
        institutions=["CENTRE HOSPITALIER DE BEAUVAL"],
        faults={"missing_ipp": 0.04, "mistyped_ipp": 0.05, "other_patient_ipp": 0.03,
                "temporary_ipp": 0.04},
        noise_rate=0.25, exam_stay_id=0.10, requesting_unit=0.30,
        report_pid_null=0.03, report_stay=0.45, no_report=0.04,
        html=0.06, date_in_text=0.45, placeholders=0.25,
    ),
}

MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre"]


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def fr_date(d: D, rng: random.Random) -> str:
    k = rng.random()
    if k < 0.5:
        return d.strftime("%d/%m/%Y")
    if k < 0.8:
        return f"{d.day} {MOIS[d.month - 1]} {d.year}"
    if k < 0.9:
        return d.strftime("%d/%m/%y")
    return d.strftime("%d.%m.%Y")


# --------------------------------------------------------------------------- generator
class Gen:
    def __init__(self, profile: str, n: int, seed: int):
        self.profile = profile
        self.cfg = CFG[profile]
        self.n = n
        h = int(hashlib.sha256(f"{profile}|{seed}".encode()).hexdigest()[:12], 16)
        self.rng = random.Random(h)
        self.patients = []      # dicts
        self.stays = []
        self.exams = []
        self.reports = []
        self.faults = {}
        self.used_ipp = set()
        self.dup_ipp = {}       # true ipp -> duplicate ipp (migration)
        self.exam_seq = 0
        self.report_seq = 0
        self.stay_seq = 0
        self.acc_seq = 0
        self.tmp_seq = 0

    # ---------------------------------------------------------------- helpers
    def new_ipp(self) -> str:
        r = self.rng
        while True:
            ipp = self.cfg["ipp_prefix"] + "".join(r.choice("0123456789") for _ in range(7))
            if ipp not in self.used_ipp:
                self.used_ipp.add(ipp)
                return ipp

    def rand_dt(self, a: D, b: D) -> D:
        s = (b - a).total_seconds()
        return a + TD(seconds=int(self.rng.random() * s))

    def working_time(self, day: D, h0=8, h1=18) -> D:
        r = self.rng
        return day.replace(hour=r.randint(h0, h1 - 1), minute=r.randrange(0, 60, 5) if r.random() < .7 else r.randint(0, 59),
                           second=r.randint(0, 59), microsecond=0)

    def surname(self) -> str:
        r = self.rng
        if r.random() < 0.07:
            return r.choice(SPECIAL_SURNAMES)
        if r.random() < 0.45:
            # long tail of rare surnames (built from regional syllables)
            a = r.choice(["KER", "LE ", "BOU", "CHA", "GUI", "MAR", "PEL", "VIL", "ROC", "LAB", "DEL", "FOU",
                          "TRE", "BRI", "COR", "MON", "SAL", "GAR", "BER", "QUE", "JOU", "LOR", "HAS", "POU"])
            b = r.choice(["VAREC", "GAL", "RDIN", "NDEAU", "CHET", "LLET", "QUIN", "ZIAT", "TARD", "MAUD", "BAUD",
                          "RRIER", "NNEC", "DOUX", "SSAC", "RTIN", "VIER", "GNON", "ILLE", "FFRE", "RLAT", "MBERT",
                          "LHOL", "CASTE", "TTIER", "RAIN", "VEL", "NAIS"])
            c = r.choice(["", "", "", "E", "IN", "OT", "AUD", "ET"])
            return a + b + c

        # heavy tail: Zipf-like index
        i = int(len(SURNAMES) * (r.random() ** 2.6))
        s = SURNAMES[min(i, len(SURNAMES) - 1)].replace("_", " ")
        if r.random() < 0.03:
            s = s + "-" + SURNAMES[r.randrange(len(SURNAMES))].replace("_", " ")
        return s

    # ---------------------------------------------------------------- patients
    def make_patients(self):
        r = self.rng
        c = self.cfg
        fam_pool = []
        i = 0
        while len(self.patients) < self.n:
            sex = "F" if r.random() < (0.58 if self.profile == "centre_lutte_cancer" else 0.52) else "M"
            if fam_pool and r.random() < 0.08:
                fam = r.choice(fam_pool)
            else:
                fam = self.surname()
                fam_pool.append(fam)
            if self.profile == "centre_lutte_cancer":
                age = max(18, min(95, int(r.gauss(62, 12))))
            elif self.profile == "ght_teleradiologie":
                age = max(0, min(101, int(r.gauss(55, 24))))
            else:
                age = max(0, min(99, int(r.gauss(58, 21))))
            bd = (c["start"] - TD(days=365.25 * age + r.randint(0, 364))).date()
            given = r.choice(FEMALE if sex == "F" else MALE)
            usage = None
            if sex == "F" and age > 25 and r.random() < 0.40:
                usage = self.surname()
                if usage == fam:
                    usage = None
            p = dict(patient_id=self.new_ipp(), family_name=fam, given_name=given, birth_date=bd,
                     sex=sex, usage_name=usage, age=age, tags=[])
            self.patients.append(p)
            i += 1
            # twins and homonyms (stronger in migration_ris, present elsewhere)
            tw = {"migration_ris": 0.02, "ght_teleradiologie": 0.006, "centre_lutte_cancer": 0.003}[self.profile]
            if len(self.patients) < self.n and r.random() < tw:
                sex2 = r.choice("MF")
                g2 = r.choice(FEMALE if sex2 == "F" else MALE)
                while g2 == given:
                    g2 = r.choice(FEMALE if sex2 == "F" else MALE)
                t = dict(patient_id=self.new_ipp(), family_name=fam, given_name=g2, birth_date=bd,
                         sex=sex2, usage_name=None, age=age, tags=["twin"])
                p["tags"].append("twin")
                self.patients.append(t)
            hm = {"migration_ris": 0.02, "ght_teleradiologie": 0.008, "centre_lutte_cancer": 0.005}[self.profile]
            if len(self.patients) < self.n and r.random() < hm:
                age2 = max(0, min(99, age + r.randint(-15, 15)))
                bd2 = (c["start"] - TD(days=365.25 * age2 + r.randint(0, 364))).date()
                h = dict(patient_id=self.new_ipp(), family_name=fam, given_name=given, birth_date=bd2,
                         sex=sex, usage_name=None, age=age2, tags=["homonym"])
                p["tags"].append("homonym")
                self.patients.append(h)
        # migration: some women change their usage name mid-period (marriage)
        if self.profile == "migration_ris":
            for p in self.patients:
                if p["sex"] == "F" and 20 < p["age"] < 45 and p["usage_name"] is None and r.random() < 0.15:
                    p["usage_name"] = self.surname()
                    p["married_on"] = self.rand_dt(c["start"], c["end"])
            # duplicate records created around the migration, merged later: the merged
            # (absorbed) IPP is gone from the registry but stays in headers and reports.
            for p in self.patients:
                if r.random() < 0.08:
                    self.dup_ipp[p["patient_id"]] = self.new_ipp()

    # ---------------------------------------------------------------- stays
    def stay_id(self, hosp: int = 0) -> str:
        self.stay_seq += 1
        r = self.rng
        if self.profile == "ght_teleradiologie":
            # three hospitals, three numbering habits
            if hosp == 0:
                return f"{510000000 + self.stay_seq * 7 + r.randint(0, 6)}"
            if hosp == 1:
                return f"SA{20 + r.randint(0, 4)}{self.stay_seq:07d}"
            return f"{self.stay_seq:06d}/ML"
        base = {"centre_lutte_cancer": 300000000, "migration_ris": 110000000}[self.profile]
        return f"{base + self.stay_seq * 13 + r.randint(0, 12)}"

    def add_stay(self, p, start, end, unit, stype, diag, hosp=0):
        start, end = start.replace(microsecond=0), end.replace(microsecond=0)
        s = dict(stay_id=self.stay_id(hosp), patient_id=p["patient_id"], start_datetime=start,
                 end_datetime=end, unit=unit, stay_type=stype, diagnoses=diag, hosp=hosp)
        self.stays.append(s)
        p.setdefault("stays", []).append(s)
        return s

    # ---------------------------------------------------------------- exams
    def accession(self, when: D, hosp=0) -> str:
        self.acc_seq += 1
        r = self.rng
        if self.profile == "migration_ris":
            if when < self.cfg["migration"]:
                return f"A{10000000 + self.acc_seq * 3 + r.randint(0, 2):08d}"
            return f"{when:%Y}{self.acc_seq * 7 + r.randint(0, 6):07d}"  # new RIS: year + 7 digits
        if self.profile == "ght_teleradiologie":
            return f"A{20000000 + hosp * 10000000 // 4 + self.acc_seq * 3 + r.randint(0, 2):08d}"
        return f"A{30000000 + self.acc_seq * 3 + r.randint(0, 2):08d}"

    def exam_uid(self, when: D, hosp=0) -> str:
        self.exam_seq += 1
        root = self.cfg["root"]
        if self.profile == "migration_ris" and when >= self.cfg["migration"]:
            root = "1.2.250.1.59.2.71.9"
        if self.profile == "ght_teleradiologie":
            root = f"{root}.{hosp + 1}"
        return f"{root}.{when:%Y%m%d%H%M%S}.{self.exam_seq}.{self.rng.randint(100, 999)}"

    def add_exam(self, p, key, when, hosp=0, context=None, req_unit=None, intended_stay=None):
        mod, desc, bp, title, fam = CATALOGUE[key]
        when = when.replace(microsecond=0)
        e = dict(exam_id=self.exam_uid(when, hosp), accession_number=self.accession(when, hosp),
                 true_pid=p["patient_id"], p=p, study_datetime=when, modality=mod,
                 study_description=desc, body_part=bp, key=key, family=fam, hosp=hosp,
                 institution=self.cfg["institutions"][hosp], context=context or "externe",
                 req_unit=req_unit, intended_stay=intended_stay)
        if self.profile == "centre_lutte_cancer" and mod == "PT\\CT" and self.rng.random() < 0.15:
            e["study_description"] = desc.replace("TEP-TDM", "TEP/TDM")
        self.exams.append(e)
        return e

    # ---------------------------------------------------------------- patient histories
    def history_clcc(self, p):
        r = self.rng
        c = self.cfg
        cancers = [("C50", "SENOLOGIE", ["tep_fdg", "tdm_tap", "mammo", "echo_sein", "scinti_os", "irm_foie"]),
                   ("C34", "ONCOLOGIE THORACIQUE", ["tep_fdg", "tdm_tap", "tdm_thorax", "irm_cerebrale", "scinti_os"]),
                   ("C61", "UROLOGIE ONCOLOGIQUE", ["tep_psma", "tep_choline", "scinti_os", "irm_pelvis", "tdm_tap"]),
                   ("C18", "ONCOLOGIE DIGESTIVE", ["tdm_tap", "tep_fdg", "irm_foie", "tdm_abdo"]),
                   ("C83", "HEMATOLOGIE", ["tep_fdg", "tdm_tap", "tdm_thorax"]),
                   ("C53", "ONCOLOGIE GYNECOLOGIQUE", ["irm_pelvis", "tep_fdg", "tdm_tap"])]
        if p["sex"] == "M":
            cancers = [x for x in cancers if x[0] not in ("C50", "C53")]
        else:
            cancers = [x for x in cancers if x[0] != "C61"]
        code, unit, keys = r.choice(cancers)
        p["cancer"] = code
        first = self.rand_dt(c["start"], c["end"] - TD(days=60))
        span_days = min((c["end"] - first).days, int(r.expovariate(1 / 700)) + 60)
        last = first + TD(days=span_days)
        # treatment: day-hospital sessions every 21 days for a while
        t0 = first + TD(days=r.randint(14, 40))
        ncycles = r.randint(0, 12)
        hdj = []
        for k in range(ncycles):
            d0 = (t0 + TD(days=21 * k + r.randint(-2, 3))).replace(hour=0, minute=0, second=0, microsecond=0)
            if d0 > c["end"]:
                break
            s = self.working_time(d0, 8, 10)
            e = s + TD(hours=r.uniform(4, 8))
            hdj.append(self.add_stay(p, s, e, "HDJ ONCOLOGIE MEDICALE", "day_care", f"Z511;{code}"))
        # conventional stays (surgery, complications)
        for _ in range(r.choice([0, 0, 1, 1, 2, 3])):
            s = self.rand_dt(first, max(first + TD(days=1), last))
            e = s + TD(days=r.randint(2, 12), hours=r.randint(0, 8))
            u = r.choice(["CHIRURGIE ONCOLOGIQUE", "MEDECINE ONCOLOGIQUE", "SOINS DE SUPPORT"])
            st = self.add_stay(p, s, e, u, "hospitalisation", f"{code};" + r.choice(["R509", "D709", "J189", "Z515", "I269", "C787"]))
            # inpatient imaging (CT/X-ray), sometimes consultation nested inside the stay
            for _ in range(r.randint(0, 3)):
                w = self.rand_dt(s + TD(hours=2), e - TD(hours=1))
                self.add_exam(p, r.choice(["tdm_thorax", "rx_thorax_lit", "angio_tdm", "tdm_abdo", "echo_doppler"]),
                              w, context="hospit", req_unit=u, intended_stay=st)
            if r.random() < 0.15:
                cs = self.rand_dt(s + TD(hours=3), e - TD(hours=2))
                self.add_stay(p, cs, cs + TD(minutes=30), "CONSULTATION ANESTHESIE", "consultation", None)
        # follow-up consultations
        for _ in range(r.randint(1, 6)):
            cs = self.working_time(self.rand_dt(first, last))
            self.add_stay(p, cs, cs + TD(minutes=r.choice([20, 30, 45])), "CONSULTATION " + unit, "consultation", code)
        # imaging series, every 4-12 weeks; same-day pair TDM TAP + TEP sometimes
        t = first
        while t <= last:
            day = t.replace(hour=0, minute=0, second=0, microsecond=0)
            key = r.choice(keys)
            # exams before an HDJ session that day -> inside the day-care stay
            on_hdj = [s for s in hdj if s["start_datetime"].date() == day.date()]
            if on_hdj and r.random() < 0.7:
                st = on_hdj[0]
                w = st["start_datetime"] + TD(minutes=r.randint(10, 120))
                ex = self.add_exam(p, key, w, context="hdj", req_unit=st["unit"], intended_stay=st)
            else:
                w = self.working_time(day, 7, 19)
                ex = self.add_exam(p, key, w)
            if key in ("tep_fdg",) and r.random() < 0.3:
                w2 = w + TD(minutes=r.randint(50, 150))
                ex2 = self.add_exam(p, "tdm_tap", w2, context=ex["context"], req_unit=ex["req_unit"],
                                    intended_stay=ex["intended_stay"])
                ex["pair"] = ex2
                ex2["paired_with"] = ex
            t = t + TD(days=r.randint(28, 90))
            if on_hdj:
                pass
            # sometimes an exam aligned with a future HDJ session
            nxt = [s for s in hdj if s["start_datetime"] > t]
            if nxt and r.random() < 0.4:
                t = nxt[0]["start_datetime"]

    def history_ght(self, p):
        r = self.rng
        c = self.cfg
        home = r.choices([0, 1, 2], [0.55, 0.3, 0.15])[0]
        nvis = 1 + int(r.expovariate(1 / 2.2))
        for _ in range(nvis):
            hosp = home if r.random() < 0.85 else r.randrange(3)
            t = self.rand_dt(c["start"], c["end"] - TD(days=15))
            kind = r.random()
            if kind < 0.45:
                # emergency visit
                night = r.random() < 0.45
                if night:
                    t = t.replace(hour=r.choice([19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6]), minute=r.randint(0, 59))
                else:
                    t = t.replace(hour=r.randint(8, 18), minute=r.randint(0, 59))
                ex_keys = r.sample(["rx_thorax", "rx_poignet", "rx_cheville", "tdm_cerebral", "angio_tdm",
                                    "echo_abdo", "tdm_abdo", "rx_bassin", "tdm_rachis", "asp"], r.choice([1, 1, 1, 2, 2, 3]))
                admitted = r.random() < 0.35
                dur = TD(hours=r.uniform(2, 9))
                exams_t = sorted(t + TD(minutes=r.randint(20, int(dur.total_seconds() // 60) - 10)) for _ in ex_keys)
                if admitted:
                    # PMSI: the ED passage belongs to the admission; no separate ED record.
                    adm = t + dur
                    end = adm + TD(days=r.randint(1, 14), hours=r.randint(0, 20))
                    u = r.choice(["MEDECINE POLYVALENTE", "CARDIOLOGIE", "PNEUMOLOGIE", "CHIRURGIE VISCERALE",
                                  "GERIATRIE", "ORTHOPEDIE", "UHCD"])
                    st = self.add_stay(p, adm, end, u, "hospitalisation",
                                       r.choice(["I500", "J189", "S720", "K359", "I269", "R55", "N390;E86"]), hosp)
                    for k, w in zip(ex_keys, exams_t):
                        if adm - w > TD(hours=8):
                            w = adm - TD(hours=r.uniform(0.5, 7.5))
                        self.add_exam(p, k, w, hosp, context="urgence_avant_admission", req_unit="URGENCES",
                                      intended_stay=st)
                    for _ in range(r.randint(0, 3)):
                        w = self.rand_dt(adm + TD(hours=3), end - TD(hours=1))
                        self.add_exam(p, r.choice(["rx_thorax_lit", "tdm_thorax", "echo_doppler", "echo_abdo", "irm_cerebrale"]),
                                      w, hosp, context="hospit", req_unit=u, intended_stay=st)
                else:
                    st = self.add_stay(p, t, t + dur, "URGENCES", "emergency",
                                       r.choice([None, "S6250", "R074", "S934", "R51", "T149"]), hosp)
                    for k, w in zip(ex_keys, exams_t):
                        self.add_exam(p, k, w, hosp, context="urgence", req_unit="URGENCES", intended_stay=st)
            elif kind < 0.75:
                # outpatient: each external imaging act opens an "externe" venue at the imaging dept
                w = self.working_time(t, 8, 19)
                k = r.choice(["irm_genou", "irm_rachis", "echo_abdo", "mammo", "tdm_thorax", "rx_bassin",
                              "irm_cerebrale", "echo_doppler", "rx_thorax", "tdm_abdo"])
                st = None
                if r.random() < 0.6:
                    st = self.add_stay(p, w - TD(minutes=r.randint(5, 30)), w + TD(minutes=r.randint(30, 80)),
                                       "IMAGERIE MEDICALE", "consultation", None, hosp)
                self.add_exam(p, k, w, hosp, context="externe", intended_stay=st)
            else:
                # scheduled hospitalisation
                adm = t.replace(hour=r.randint(8, 16), minute=r.randint(0, 59))
                end = adm + TD(days=r.randint(1, 10), hours=r.randint(0, 6))
                u = r.choice(["MEDECINE POLYVALENTE", "CHIRURGIE ORTHOPEDIQUE", "GASTRO-ENTEROLOGIE", "SSR", "CARDIOLOGIE"])
                st = self.add_stay(p, adm, end, u, "hospitalisation", r.choice(["K802", "M170", "I48", "K570", "Z488"]), hosp)
                for _ in range(r.randint(0, 3)):
                    w = self.rand_dt(adm + TD(hours=1), end - TD(hours=1))
                    if r.random() < 0.2:
                        w = w.replace(hour=r.choice([21, 22, 23, 2, 3]))
                        if not (adm <= w <= end):
                            w = self.rand_dt(adm + TD(hours=1), end - TD(hours=1))
                    self.add_exam(p, r.choice(["rx_thorax_lit", "tdm_abdo", "echo_abdo", "tdm_thorax", "rx_bassin"]),
                                  w, hosp, context="hospit", req_unit=u, intended_stay=st)

    def history_migration(self, p):
        r = self.rng
        c = self.cfg
        nvis = 1 + int(r.expovariate(1 / 2.5))
        chronic = r.random() < 0.2
        for _ in range(nvis):
            t = self.rand_dt(c["start"], c["end"] - TD(days=15))
            kind = r.random()
            if kind < 0.3:
                tt = t.replace(hour=r.randint(0, 23), minute=r.randint(0, 59))
                dur = TD(hours=r.uniform(2, 8))
                admitted = r.random() < 0.3
                keys = r.sample(["rx_thorax", "tdm_cerebral", "rx_poignet", "echo_abdo", "angio_tdm", "tdm_abdo", "asp"],
                                r.choice([1, 1, 2]))
                if admitted:
                    adm = tt + dur
                    end = adm + TD(days=r.randint(1, 12))
                    u = r.choice(["MEDECINE INTERNE", "PNEUMOLOGIE", "CARDIOLOGIE", "CHIRURGIE DIGESTIVE", "NEUROLOGIE"])
                    st = self.add_stay(p, adm, end, u, "hospitalisation", r.choice(["J189", "I639", "K566", "I214", "J441"]))
                    for k in keys:
                        w = adm - TD(hours=r.uniform(0.5, min(7.5, dur.total_seconds() / 3600)))
                        self.add_exam(p, k, w, context="urgence_avant_admission", req_unit="URGENCES", intended_stay=st)
                    for _ in range(r.randint(0, 2)):
                        self.add_exam(p, r.choice(["rx_thorax_lit", "tdm_thorax", "irm_cerebrale", "echo_doppler"]),
                                      self.rand_dt(adm + TD(hours=2), end - TD(hours=1)), context="hospit",
                                      req_unit=u, intended_stay=st)
                else:
                    st = self.add_stay(p, tt, tt + dur, "URGENCES", "emergency", r.choice([None, "R074", "S525", "R104"]))
                    for k in keys:
                        self.add_exam(p, k, tt + TD(minutes=r.randint(15, int(dur.total_seconds() // 60) - 5)),
                                      context="urgence", req_unit="URGENCES", intended_stay=st)
            elif kind < 0.55:
                adm = t.replace(hour=r.randint(8, 15), minute=r.randint(0, 59))
                end = adm + TD(days=r.randint(1, 9))
                u = r.choice(["MEDECINE INTERNE", "RHUMATOLOGIE", "CHIRURGIE ORTHOPEDIQUE", "GASTRO-ENTEROLOGIE",
                              "ONCOLOGIE"])
                st = self.add_stay(p, adm, end, u, "hospitalisation", r.choice(["M171", "K509", "C189", "M8008", "E119"]))
                for _ in range(r.randint(0, 3)):
                    self.add_exam(p, r.choice(["tdm_tap", "irm_foie", "rx_bassin", "echo_abdo", "scinti_os", "rx_thorax_lit"]),
                                  self.rand_dt(adm + TD(hours=1), end - TD(hours=1)), context="hospit",
                                  req_unit=u, intended_stay=st)
                if r.random() < 0.2:
                    cs = self.rand_dt(adm + TD(hours=2), end - TD(hours=1))
                    self.add_stay(p, cs, cs + TD(minutes=30), "CONSULTATION CARDIOLOGIE", "consultation", None)
            elif kind < 0.65:
                d0 = self.working_time(t, 8, 10)
                st = self.add_stay(p, d0, d0 + TD(hours=r.uniform(3, 7)), r.choice(["HDJ MEDECINE", "HDJ ONCOLOGIE"]),
                                   "day_care", r.choice(["Z511", "D509", "M069"]))
                if r.random() < 0.6:
                    self.add_exam(p, r.choice(["tdm_tap", "echo_abdo", "irm_pelvis", "scinti_thyr"]),
                                  d0 + TD(minutes=r.randint(20, 150)), context="hdj", req_unit=st["unit"], intended_stay=st)
            else:
                w = self.working_time(t, 8, 19)
                k = r.choice(["irm_genou", "irm_rachis", "mammo", "echo_sein", "tdm_thorax", "rx_bassin", "echo_doppler",
                              "irm_cerebrale", "scinti_os", "scinti_pulm", "rx_thorax"])
                self.add_exam(p, k, w, context="externe")
                if chronic:
                    for _ in range(r.randint(1, 3)):
                        w = w + TD(days=r.randint(60, 200))
                        if w < c["end"]:
                            self.add_exam(p, k, self.working_time(w, 8, 19), context="externe")

    # ---------------------------------------------------------------- identity faults
    def apply_faults(self):
        r = self.rng
        c = self.cfg
        pats = self.patients
        by_fam = {}
        for p in pats:
            by_fam.setdefault(p["family_name"], []).append(p)
        tmp_by_visit = {}
        for e in self.exams:
            p = e["p"]
            fault = "none"
            pid = p["patient_id"]
            fr = dict(c["faults"])
            if e["context"] in ("urgence", "urgence_avant_admission"):
                fr["temporary_ipp"] *= 3.5
            else:
                fr["temporary_ipp"] *= 0.3
            # migration: exams of a duplicated patient around the migration carry the duplicate
            if self.profile == "migration_ris" and p["patient_id"] in self.dup_ipp and \
                    -120 < (e["study_datetime"] - c["migration"]).days < 300 and r.random() < 0.75:
                fault = "merged_duplicate_ipp"
                pid = self.dup_ipp[p["patient_id"]]
            else:
                x = r.random()
                acc = 0.0
                for k in ("missing_ipp", "mistyped_ipp", "other_patient_ipp", "temporary_ipp"):
                    acc += fr[k]
                    if x < acc:
                        fault = k
                        break
            if fault == "missing_ipp":
                pid = None
            elif fault == "mistyped_ipp":
                pid = self.mistype(pid)
            elif fault == "other_patient_ipp":
                same = [q for q in by_fam.get(p["family_name"], []) if q is not p]
                if same and r.random() < 0.35:
                    pid = r.choice(same)["patient_id"]
                else:
                    q = p
                    while q is p:
                        q = r.choice(pats)
                    pid = q["patient_id"]
            elif fault == "temporary_ipp":
                vkey = (p["patient_id"], e["intended_stay"]["stay_id"] if e["intended_stay"] else e["study_datetime"].date())
                if vkey not in tmp_by_visit:
                    self.tmp_seq += 1
                    if r.random() < 0.5:
                        tmp_by_visit[vkey] = f"TMP{self.tmp_seq:06d}"
                    else:
                        tmp_by_visit[vkey] = f"9999{self.tmp_seq:05d}"
                pid = tmp_by_visit[vkey]
            e["patient_id"] = pid
            e["fault"] = fault
            # identity noise
            rate = c["noise_rate"] * (1.8 if fault != "none" else 1.0)
            if self.profile == "ght_teleradiologie" and e["context"] in ("urgence", "urgence_avant_admission"):
                rate *= 1.3
            noise = []
            fam, giv, bd, sex = p["family_name"], p["given_name"], p["birth_date"], p["sex"]
            married_on = p.get("married_on")
            if p["usage_name"] and (married_on is None or e["study_datetime"] >= married_on):
                if r.random() < (0.35 if self.profile == "migration_ris" else 0.2):
                    fam = p["usage_name"]
                    noise.append("usage_name")
            if r.random() < rate:
                kinds = r.choices(["accents_lost", "case", "typo", "swapped", "compound",
                                   "birth_day_month_swap", "birth_date_typo", "sex_missing"],
                                  [5, 2, 4, 2, 2, 1.5, 1.5, 1.5], k=r.choice([1, 1, 1, 2]))
                for k in kinds:
                    if k in noise:
                        continue
                    if k == "accents_lost":
                        if strip_accents(fam + giv) == fam + giv:
                            continue
                        fam, giv = strip_accents(fam), strip_accents(giv)
                    elif k == "case":
                        fam, giv = fam.title(), giv.title()
                    elif k == "typo":
                        fam = self.typo(fam)
                    elif k == "compound":
                        if " " in fam or "-" in fam:
                            fam = r.choice([fam.replace("-", " "), fam.replace(" ", "-"), fam.replace(" ", "").replace("-", ""),
                                            fam.replace("-", " ").split()[-1], fam.replace("-", " ").split()[0]])
                        elif "-" in giv:
                            giv = r.choice([giv.replace("-", " "), giv.split("-")[0]])
                        else:
                            continue
                    elif k == "birth_day_month_swap":
                        if bd.day > 12 or bd.day == bd.month:
                            continue
                        bd = bd.replace(day=bd.month, month=bd.day)
                    elif k == "birth_date_typo":
                        bd = self.date_typo(bd)
                    elif k == "sex_missing":
                        sex = None
                    noise.append(k)
                if "swapped" in kinds and "swapped" not in noise:
                    noise.append("swapped")
            if "swapped" in noise:
                pn = f"{giv}^{fam}"
            else:
                pn = f"{fam}^{giv}"
            if self.profile == "migration_ris" and e["study_datetime"] < c["migration"] and r.random() < 0.5:
                pn = pn + "^^"  # old PACS padded PN components
            e["patient_name"] = pn
            e["birth_date"] = bd
            e["sex"] = sex
            e["noise"] = ";".join(noise)

    def mistype(self, ipp: str) -> str:
        r = self.rng
        for _ in range(50):
            k = r.random()
            s = list(ipp)
            if k < 0.45:
                i = r.randrange(len(s))
                s[i] = r.choice([d for d in "0123456789" if d != s[i]])
                out = "".join(s)
            elif k < 0.85:
                i = r.randrange(len(s) - 1)
                if s[i] == s[i + 1]:
                    continue
                s[i], s[i + 1] = s[i + 1], s[i]
                out = "".join(s)
            else:
                out = ipp[r.randint(1, 2):]
            if out not in self.used_ipp:
                return out
        return ipp[1:]

    def typo(self, s: str) -> str:
        r = self.rng
        letters = [i for i, ch in enumerate(s) if ch.isalpha()]
        if len(letters) < 3:
            return s
        i = r.choice(letters[1:])
        k = r.random()
        if k < 0.4:
            return s[:i] + r.choice("AEIOURSTNLM") + s[i + 1:]
        if k < 0.7:
            return s[:i] + s[i + 1:]
        if k < 0.85:
            return s[:i] + s[i] + s[i:]
        if i + 1 < len(s):
            return s[:i] + s[i + 1] + s[i] + s[i + 2:]
        return s[:i] + s[i:] + "E"

    def date_typo(self, d):
        r = self.rng
        for _ in range(30):
            s = list(d.strftime("%Y%m%d"))
            i = r.choice([2, 3, 5, 7])
            s[i] = r.choice([x for x in "0123456789" if x != s[i]])
            try:
                return dt.date(int("".join(s[:4])), int("".join(s[4:6])), int("".join(s[6:])))
            except ValueError:
                continue
        return d

    # ---------------------------------------------------------------- stay truth & columns
    def exam_stay_truth(self, e):
        t = e["study_datetime"]
        inside = [s for s in e["p"].get("stays", []) if s["start_datetime"] <= t <= s["end_datetime"]]
        if inside:
            inside.sort(key=lambda s: (s["end_datetime"] - s["start_datetime"], s["stay_id"]))
            return inside[0]
        pre = [s for s in e["p"].get("stays", []) if s["stay_type"] == "hospitalisation"
               and s["start_datetime"] - TD(hours=8) <= t < s["start_datetime"]]
        if pre:
            pre.sort(key=lambda s: (s["start_datetime"], s["stay_id"]))
            return pre[0]
        return None

    def exam_columns(self):
        r = self.rng
        c = self.cfg
        for e in self.exams:
            st = self.exam_stay_truth(e)
            e["true_stay"] = st
            e["stay_id"] = st["stay_id"] if st and r.random() < min(0.9, c["exam_stay_id"] * 2.5) else None
            if st is None:
                e["stay_id"] = None
            # stale admission number in the modality worklist: the header carries the
            # patient's previous stay (GHT: 8 % of headers with a stay id; others 2 %)
            stale_p = 0.08 if self.profile == "ght_teleradiologie" else 0.02
            if e["stay_id"] and r.random() < stale_p:
                prev = [s for s in e["p"].get("stays", []) if s["end_datetime"] < st["start_datetime"]]
                if prev:
                    e["stay_id"] = max(prev, key=lambda s: (s["end_datetime"], s["stay_id"]))["stay_id"]
            unit = "IMAGERIE MEDICALE"
            if e["family"] in ("pet", "nm"):
                unit = "MEDECINE NUCLEAIRE"
            elif self.profile == "centre_lutte_cancer":
                unit = "RADIOLOGIE"
            elif self.profile == "migration_ris":
                unit = "SERVICE D'IMAGERIE" if e["study_datetime"] < c["migration"] else "IMAGERIE MEDICALE"
            if st is not None and e["req_unit"] and r.random() < c["requesting_unit"]:
                unit = e["req_unit"]
            e["unit"] = unit

    # ---------------------------------------------------------------- reports
    def make_reports(self):
        r = self.rng
        c = self.cfg
        exams = sorted(self.exams, key=lambda e: (e["study_datetime"], e["exam_id"]))
        for e in exams:
            if "paired_with" in e:
                continue  # covered by the PET report ("TDM TAP et TEP")
            if r.random() < c["no_report"]:
                continue
            rep_time = self.report_time(e)
            tele = False
            if self.profile == "ght_teleradiologie":
                t = e["study_datetime"]
                night = t.hour >= 19 or t.hour < 8 or t.weekday() >= 5
                if night and e["family"] in ("ct", "rx", "us", "mr"):
                    tele = True
                    rep_time = t + TD(minutes=r.randint(15, 120))
            rep = self.new_report(e, rep_time, tele=tele)
            # CLCC / others: addenda and corrected reports weeks later
            add_p = {"centre_lutte_cancer": 0.07, "ght_teleradiologie": 0.015, "migration_ris": 0.03}[self.profile]
            if r.random() < add_p:
                later = rep["true_time"] + TD(days=r.randint(7, 50), hours=r.randint(0, 8))
                if later < c["end"] + TD(days=60):
                    self.new_report(e, later, kind=r.choice(["addendum", "rectifie"]))
        # reports of outside exams (second opinion / relecture of imaging done elsewhere)
        out_p = {"centre_lutte_cancer": 0.06, "ght_teleradiologie": 0.01, "migration_ris": 0.02}[self.profile]
        n_out = int(len(self.patients) * out_p * 2)
        for _ in range(n_out):
            p = r.choice(self.patients)
            t = self.working_time(self.rand_dt(c["start"], c["end"]), 9, 18)
            self.new_outside_report(p, t)

    def report_time(self, e):
        r = self.rng
        t = e["study_datetime"]
        fam = e["family"]
        if fam in ("pet", "nm"):
            if self.profile == "centre_lutte_cancer":
                # long validation queues in nuclear medicine
                days = min(30, int(r.expovariate(1 / 5.0)) + 1)
            else:
                days = r.randint(1, 3)
            rt = t + TD(days=days)
            return self.working_time(rt, 8, 19)
        if fam == "mr":
            rt = t + TD(days=r.randint(0, 3))
            rt = self.working_time(rt, 9, 19)
            return rt if rt > t else t + TD(hours=r.uniform(1, 6))
        if r.random() < 0.85:
            return t + TD(minutes=r.randint(10, 360))
        return self.working_time(t + TD(days=1), 8, 18)

    def next_report_id(self, when):
        self.report_seq += 1
        if self.profile == "centre_lutte_cancer":
            return f"CR{self.report_seq:07d}"
        if self.profile == "ght_teleradiologie":
            return f"DOC-{self.report_seq * 11 + self.rng.randint(0, 10):08d}"
        return f"{700000 + self.report_seq}"

    def new_report(self, e, when, kind="normal", tele=False):
        r = self.rng
        c = self.cfg
        p = e["p"]
        when = when.replace(microsecond=0)
        pair = e.get("pair")
        rid = self.next_report_id(when)
        title, text = self.write_text(e, when, kind, tele)
        acc = e["accession_number"]
        recorded = when
        rep_stay_truth = e["true_stay"]
        habit = []
        # patient id on the report: the DPI (true IPP) mostly
        pid = p["patient_id"]
        if tele and r.random() < 0.7:
            pid = e["patient_id"]  # teleradiology system copies the worklist IPP
            habit.append("tele_header_ipp")
        if self.profile == "migration_ris" and e["fault"] == "merged_duplicate_ipp" and r.random() < 0.8:
            pid = self.dup_ipp[p["patient_id"]]
        if r.random() < c["report_pid_null"]:
            pid = None
        # stay id on the report
        sid = None
        if rep_stay_truth is not None and r.random() < c["report_stay"]:
            sid = rep_stay_truth["stay_id"]
        elif rep_stay_truth is None and self.profile == "centre_lutte_cancer" and r.random() < 0.5:
            # signing-time stay: the report system stamps the venue open at signature
            cur = [s for s in p.get("stays", []) if s["start_datetime"] <= when <= s["end_datetime"]]
            if cur:
                sid = cur[0]["stay_id"]
                habit.append("stay_at_signature")
        # accession habits
        if self.profile == "centre_lutte_cancer":
            if r.random() < 0.25:
                acc = None
        elif self.profile == "ght_teleradiologie":
            if tele:
                x = r.random()
                if x < 0.45:
                    acc = None
                elif x < 0.8:
                    acc = r.choice([acc.lstrip("A"), "TLR" + acc[1:], acc[1:].lstrip("0") + "-" + str(e["hosp"] + 1)])
                    habit.append("acc_reformatted")
                # clocks: the company's system stamps UTC (sometimes off by one more hour)
                if r.random() < 0.75:
                    off = utc_offset(when)
                    if r.random() < 0.15:
                        off += r.choice([-1, 1])
                    recorded = when - TD(hours=off)
                    habit.append("utc_clock")
            elif r.random() < 0.4:
                acc = None
        elif self.profile == "migration_ris":
            mig = c["migration"]
            if e["study_datetime"] < mig:
                if r.random() < 0.85:
                    acc = None
                    habit.append("migrated")
                if r.random() < 0.4:
                    recorded = mig + TD(hours=r.randint(0, 40), minutes=r.randint(0, 59), seconds=r.randint(0, 59))
                    habit.append("migration_date")
                sid = sid if r.random() < 0.3 else None
            elif r.random() < 0.3:
                acc = None
        if kind != "normal" and r.random() < 0.5:
            acc = None
        target = e
        if pair is not None and kind == "normal" and r.random() < 0.35:
            # the combined "TDM TAP et TEP" report was validated on the CT order: it belongs
            # to the CT exam (and carries the CT accession when it carries one)
            target = pair
            e["report_on_pair"] = True
            if acc is not None:
                acc = pair["accession_number"]
        elif pair is not None and e.get("report_on_pair"):
            target = pair  # addendum of a combined report validated on the CT order
            if acc is not None:
                acc = pair["accession_number"]
        rep = dict(report_id=rid, patient_id=pid, stay_id=sid, report_datetime=recorded, title=title, text=text,
                   accession_number=acc, true_exam=target, true_stay=target["true_stay"], true_time=when, kind=kind,
                   habit=habit, pair=pair is not None)
        self.reports.append(rep)
        return rep

    def new_outside_report(self, p, when):
        r = self.rng
        c = self.cfg
        rid = self.next_report_id(when)
        outside_date = when - TD(days=r.randint(3, 60))
        key = r.choice(["tdm_tap", "irm_cerebrale", "tep_fdg", "irm_pelvis", "tdm_thorax"])
        mod, desc, bp, t, fam = CATALOGUE[key]
        title = r.choice(["Relecture d'examen extérieur", "Avis radiologique sur imagerie extérieure",
                          f"Second avis : {t}"])
        text = (f"{title}\n\nExamen réalisé le {fr_date(outside_date, r)} à l'extérieur "
                f"({r.choice(['Clinique du Parc', 'cabinet de radiologie de ville', 'CHU régional', 'centre privé'])}), "
                f"CD-ROM importé.\n\nINDICATION :\nAvis demandé en RCP.\n\n"
                f"RELECTURE :\n{self.findings_text(key, r)}\n\nCONCLUSION :\n"
                f"{r.choice(['Nous confirmons les conclusions du compte rendu initial.', 'Discordance mineure avec le compte rendu initial, voir ci-dessus.', 'Examen de qualité suffisante, pas d’élément nouveau.'])}\n")
        cur = [s for s in p.get("stays", []) if s["start_datetime"] <= when <= s["end_datetime"]]
        cur.sort(key=lambda s: (s["end_datetime"] - s["start_datetime"], s["stay_id"]))
        st = cur[0] if cur else None
        sid = st["stay_id"] if st and r.random() < c["report_stay"] else None
        pid = p["patient_id"] if r.random() > c["report_pid_null"] else None
        self.reports.append(dict(report_id=rid, patient_id=pid, stay_id=sid, report_datetime=when, title=title,
                                 text=text, accession_number=None, true_exam=None, true_stay=st, true_time=when,
                                 kind="outside", habit=[], pair=False))

    # ---------------------------------------------------------------- text
    def fill(self, lines, r):
        return [ln.format(s1=f"{r.uniform(2, 18):.1f}".replace(".", ","), s2=f"{r.uniform(6, 20):.1f}".replace(".", ","),
                          ref=f"{r.uniform(1.8, 3.2):.1f}".replace(".", ","), mm=r.randint(4, 45)) for ln in lines]

    def scenario(self, key, r):
        ind, scen = TEXTS[GROUP.get(key, key)]
        sc = scen[0] if r.random() < 0.45 else r.choice(scen)
        return r.choice(ind), self.fill(sc[0], r), sc[1]

    def findings_text(self, key, r):
        return "\n".join(self.scenario(key, r)[1])

    def write_text(self, e, when, kind, tele):
        r = self.rng
        c = self.cfg
        mod, desc, bp, short, fam = CATALOGUE[e["key"]]
        pair = e.get("pair")
        d = e["study_datetime"]
        if tele:
            title = r.choice(["COMPTE RENDU D'IMAGERIE", "CR TELERADIOLOGIE", "Compte-rendu radiologique", "IMAGERIE"])
        elif pair is not None:
            title = r.choice(["TDM TAP et TEP-TDM FDG", "TEP-TDM FDG + TDM TAP injecté", "TEP FDG et scanner TAP"])
        else:
            title = r.choice([short, desc, short.upper()])
        if self.profile == "migration_ris" and d < c["migration"] and r.random() < 0.5:
            title = "CR " + desc  # old RIS exported titles as "CR <libellé d'acte>"
        if kind == "addendum":
            title = "ADDENDUM - " + title
        elif kind == "rectifie":
            title = "COMPTE RENDU RECTIFIÉ - " + title
        parts = []
        if r.random() < c["date_in_text"]:
            ds = fr_date(d, r)
            parts.append(r.choice([f"Examen du {ds}", f"{short} réalisé le {ds}", f"Date de l'examen : {ds}",
                                   f"Le {ds} à {d:%Hh%M}"]))
        elif r.random() < c["placeholders"]:
            parts.append("Examen du [DATE]")
        if r.random() < c["placeholders"]:
            parts.append(r.choice(["Patient : [NOM]", "Mme/M. [NOM], né(e) le [DATE]"]))
        if kind == "addendum":
            parts.append("ADDENDUM\nAprès relecture en RCP et comparaison avec l'examen antérieur :\n" +
                         self.findings_text(e["key"], r) + "\nLe reste du compte rendu est inchangé.")
        elif kind == "rectifie":
            parts.append("Compte rendu rectifié annulant et remplaçant le précédent (erreur de latéralité).")
        ind_txt, find_lines, concl_txt = self.scenario(e["key"], r)
        techn = {
            "pet": (f"Injection de {r.randint(180, 380)} MBq de 18F-FDG. Glycémie " + f"{r.uniform(0.8, 1.4):.2f}".replace(".", ",") +
                    f" g/L. Acquisition à {r.randint(55, 75)} minutes.") if e["key"] == "tep_fdg" else
                   f"Injection de {r.randint(100, 250)} MBq de {'68Ga-PSMA-11' if e['key'] == 'tep_psma' else '18F-fluorocholine'}. Acquisition corps entier.",
            "nm": {"scinti_os": f"Injection de {r.randint(500, 750)} MBq de 99mTc-HMDP. Balayage corps entier à 3 heures.",
                   "scinti_thyr": f"Injection de {r.randint(70, 110)} MBq de 99mTc-pertechnétate.",
                   "scinti_pulm": f"Ventilation au Technegas, perfusion après injection de {r.randint(120, 200)} MBq de MAA."}.get(e["key"], ""),
            "ct": "Acquisition hélicoïdale" + r.choice([" avec injection de produit de contraste iodé.", " sans injection.", " au temps portal."]),
            "mr": "Séquences T1, T2, FLAIR, diffusion" + r.choice([" et T1 après gadolinium.", "."]),
            "mg": "Clichés de face et obliques externes.",
            "us": "Sonde convexe et linéaire.",
            "rx": "Cliché de face" + r.choice(["", " et de profil"]) + ".",
        }[fam]
        body = []
        if kind != "rectifie" or True:
            body.append("INDICATION :\n" + ind_txt)
            body.append("TECHNIQUE :\n" + techn)
            if pair is not None:
                body.append("TDM TAP injecté réalisé le même jour dans la continuité de la TEP.")
            body.append(r.choice(["RÉSULTATS :\n", "Résultat :\n", "DESCRIPTION :\n"]) + "\n".join(find_lines))
            if pair is not None:
                body.append("Scanner TAP : " + self.findings_text("tdm_tap", r))
            body.append("CONCLUSION :\n" + concl_txt)
        if kind != "addendum":
            parts.extend(body)
        sign = r.choice(["Dr [NOM]", "Compte rendu validé électroniquement.", "Pr [NOM], médecin nucléaire" if fam in ("pet", "nm") else "Dr [NOM], radiologue"])
        if tele:
            sign = r.choice(["Interprétation à distance - téléradiologie. Dr [NOM]", "Télé-interprétation réalisée par le centre de téléradiologie partenaire."])
        parts.append(sign)
        sep = "\n\n"
        text = sep.join(parts)
        if r.random() < c["html"]:
            text = "<p>" + text.replace("\n\n", "</p><p>").replace("\n", "<br>").replace("'", "&#39;").replace("é", "&eacute;") + "</p>"
        elif self.profile == "migration_ris" and d < c["migration"] and r.random() < 0.1:
            text = "{\\rtf1\\ansi " + text.replace("\n", "\\par ") + "}"  # RTF residue of the old report server
        return title, text

    # ---------------------------------------------------------------- run
    def run(self):
        self.make_patients()
        hist = {"centre_lutte_cancer": self.history_clcc, "ght_teleradiologie": self.history_ght,
                "migration_ris": self.history_migration}[self.profile]
        for p in self.patients:
            hist(p)
        self.apply_faults()
        self.exam_columns()
        self.make_reports()


def utc_offset(t: D) -> int:
    """Hours of Europe/Paris ahead of UTC (last Sunday of March / October rule)."""
    def last_sunday(y, m):
        d = D(y, m + 1, 1) - TD(days=1) if m < 12 else D(y, 12, 31)
        return d - TD(days=(d.weekday() + 1) % 7)
    a = last_sunday(t.year, 3).replace(hour=2)
    b = last_sunday(t.year, 10).replace(hour=3)
    return 2 if a <= t < b else 1


def write(table_rows, schema, path):
    def clean(v):
        # DICOM / RIS / PMSI stamps have a one-second resolution
        return v.replace(microsecond=0) if isinstance(v, D) else v
    cols = {f.name: [clean(row.get(f.name)) for row in table_rows] for f in schema}
    t = pa.table(cols, schema=schema)
    pq.write_table(t, path, compression="snappy", use_dictionary=True, write_statistics=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profile", required=True, choices=PROFILES)
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    g = Gen(a.profile, a.patients, a.seed)
    g.run()
    os.makedirs(os.path.join(a.out, "truth"), exist_ok=True)
    pats = sorted(g.patients, key=lambda p: p["patient_id"])
    stays = sorted(g.stays, key=lambda s: (s["start_datetime"], s["stay_id"]))
    exams = sorted(g.exams, key=lambda e: (e["study_datetime"], e["exam_id"]))
    reps = sorted(g.reports, key=lambda x: (x["report_id"]))
    write(pats, SCHEMAS["patients"], os.path.join(a.out, "patients.parquet"))
    write(stays, SCHEMAS["stays"], os.path.join(a.out, "stays.parquet"))
    write(exams, SCHEMAS["exams"], os.path.join(a.out, "exams.parquet"))
    write(reps, SCHEMAS["reports"], os.path.join(a.out, "reports.parquet"))
    links = []
    for e in exams:
        links.append(dict(source_type="exam", source_id=e["exam_id"], target_type="patient", target_id=e["true_pid"]))
        links.append(dict(source_type="exam", source_id=e["exam_id"], target_type="stay",
                          target_id=e["true_stay"]["stay_id"] if e["true_stay"] else None))
    for x in reps:
        links.append(dict(source_type="report", source_id=x["report_id"], target_type="exam",
                          target_id=x["true_exam"]["exam_id"] if x["true_exam"] else None))
        links.append(dict(source_type="report", source_id=x["report_id"], target_type="stay",
                          target_id=x["true_stay"]["stay_id"] if x["true_stay"] else None))
    write(links, SCHEMAS["links"], os.path.join(a.out, "truth", "links.parquet"))
    faults = [dict(exam_id=e["exam_id"], fault=e["fault"], identity_noise=e["noise"]) for e in exams]
    write(faults, SCHEMAS["exam_faults"], os.path.join(a.out, "truth", "exam_faults.parquet"))
    print(f"{a.profile}: patients={len(pats)} stays={len(stays)} exams={len(exams)} reports={len(reps)} links={len(links)}")


if __name__ == "__main__":
    main()
