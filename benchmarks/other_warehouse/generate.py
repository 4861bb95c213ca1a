#!/usr/bin/env python
"""Independent synthetic French hospital-imaging warehouse generator.

Written blind: its author never read radlink's linkage or synth code, its tests or its
benchmarks, only the column contract of the four canonical tables. The habits of each
profile below are the author's own idea of how French hospital warehouses behave (IPP
registry, NDA stays, PACS headers, RIS reports). Use it to test a record-linkage tool on
data that was not shaped by that tool's rules.

    python generate.py --patients 1500 --seed 90210 --profile pet_queue -o out/

Writes out/{patients,stays,exams,reports}.parquet and out/truth/{links,exam_faults}.parquet.
Only the standard library, numpy, pandas and pyarrow are used. Same arguments -> same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import unicodedata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

# ==========================================================================================
# Profiles: every habit that differs between warehouses is a constant here.
# ==========================================================================================
# modality_mix     : share of exam *kinds* by family (keys of KINDS_BY_FAMILY)
# exams_per_patient: (min, max, mean) of a patient's exam count (truncated Poisson)
# stays_per_patient: (min, max)
# stay_mix         : share of stay types (internal keys), with the profile's label for each
# exam_in_stay     : probability that an exam is done during a stay (else outpatient)
# exam_carries_stay: probability that an exam done in a stay carries its stay_id
# exam_unit_requesting: probability that an exam in a stay carries the requesting unit
# fault rates      : per exam, probability of each badly-attached kind
# identity_noise   : per exam, probability of one or more identity-noise kinds
# report_*         : report delay model (hours), title style, accession share...
PROFILES: dict[str, dict] = {
    "fast_ct": dict(
        description="CH de Saint-Aubin-sur-Loire: general hospital with a busy emergency "
        "department; CT / radiography / ultrasound; reports signed within hours.",
        years=(2020, 2023),
        age=(0, 98, 58, 22),  # min, max, mean, sd
        female_share=0.51,
        modality_mix={"CT": 0.36, "XR": 0.27, "US": 0.22, "MR": 0.09, "MG": 0.06},
        exams_per_patient=(1, 12, 3.0),
        stays_per_patient=(0, 4),
        stay_mix={"ER": 0.40, "HC": 0.30, "HDJ": 0.10, "EXT": 0.20},
        stay_labels={"ER": "urgences", "HC": "hospitalisation complète",
                     "HDJ": "hospitalisation de jour", "EXT": "consultation externe"},
        er_then_admission=0.35,  # ER visit followed by a separate admission stay
        er_merged_into_admission=False,
        exam_in_stay=0.72,
        exam_carries_stay=0.45,
        exam_unit_requesting=0.30,
        fault_missing_ipp=0.02,
        fault_mistyped_ipp=0.025,
        fault_other_patient_ipp=0.01,
        fault_temporary_ipp=0.045,  # mostly on emergency exams
        anonymous_temp_share=0.25,  # temporary-IPP exams registered as "INCONNU"
        identity_noise=0.12,
        name_space_form=0.0,  # "DUPONT MARIE" instead of DUPONT^MARIE
        same_day_duplicate_patients=0.02,
        exam_without_report=0.04,
        report_delay_hours={"XR": (2.0, 0.9), "US": (1.0, 0.8), "CT": (4.0, 0.9),
                            "MR": (18.0, 0.6), "MG": (6.0, 0.8)},  # lognormal median h, sigma
        report_delay_cap_hours=48.0,
        report_late_tail=0.0,
        report_working_hours=False,  # emergency radiologists sign at night too
        report_date_only_share=0.0,
        title_style="descriptive",
        accession_on_report=0.80,
        report_patient_id_missing=0.01,
        report_patient_id_missing_with_stay=0.0,
        report_carries_stay=0.70,
        report_wrong_stay=0.0,
        addendum_rate=0.01,
        corrected_rate=0.005,
        addendum_delay_days=(1, 10),
        exam_date_in_text=0.10,
        outside_exam_reports=0.01,
        html_residue=0.0,
        patient_header_in_text=0.0,
        accession_missing_on_exam=0.0,
        body_part_missing=0.08,
    ),
    "pet_queue": dict(
        description="Institut régional du cancer Val-de-Seine: cancer centre; PET-CT, MR, "
        "scintigraphy; reports validated days to weeks later, often with a second reader.",
        years=(2018, 2023),
        age=(18, 92, 63, 12),
        female_share=0.56,
        modality_mix={"PT": 0.48, "MR": 0.17, "NM": 0.15, "CT": 0.14, "US": 0.03, "MG": 0.03},
        exams_per_patient=(1, 14, 4.0),
        stays_per_patient=(0, 6),
        stay_mix={"HDJ": 0.55, "HC": 0.20, "EXT": 0.25},
        stay_labels={"HDJ": "HDJ chimiothérapie", "HC": "hospitalisation complète",
                     "EXT": "consultation", "ER": "soins non programmés"},
        er_then_admission=0.0,
        er_merged_into_admission=False,
        exam_in_stay=0.30,
        exam_carries_stay=0.20,
        exam_unit_requesting=0.10,
        fault_missing_ipp=0.01,
        fault_mistyped_ipp=0.02,
        fault_other_patient_ipp=0.01,
        fault_temporary_ipp=0.01,
        anonymous_temp_share=0.0,
        identity_noise=0.08,
        name_space_form=0.0,
        same_day_duplicate_patients=0.0,
        exam_without_report=0.02,
        report_delay_hours={"PT": (96.0, 0.75), "MR": (72.0, 0.8), "NM": (60.0, 0.8),
                            "CT": (48.0, 0.8), "US": (30.0, 0.7), "MG": (40.0, 0.7)},
        report_delay_min_hours=24.0,  # 1 day minimum: the queue
        report_delay_cap_hours=21 * 24.0,
        report_late_tail=0.04,  # holidays, second reader: 21-40 days
        report_working_hours=True,
        report_date_only_share=0.0,
        title_style="generic",
        accession_on_report=0.10,
        report_patient_id_missing=0.005,
        report_patient_id_missing_with_stay=0.0,
        report_carries_stay=0.40,
        report_wrong_stay=0.0,
        addendum_rate=0.08,
        corrected_rate=0.03,
        addendum_delay_days=(7, 60),
        exam_date_in_text=0.50,
        # outpatient exams follow a treatment course: visits every 6-16 weeks from a
        # diagnosis date; at a visit, a second exam (e.g. CT + PET) the same or next days
        follow_up_weeks=(6, 16),
        second_exam_same_visit=0.30,
        outside_exam_reports=0.04,  # second-opinion reading of an outside PET, no local exam
        html_residue=0.03,
        patient_header_in_text=0.0,
        accession_missing_on_exam=0.0,
        body_part_missing=0.05,
    ),
    "mixed_legacy": dict(
        description="GHT Rives de l'Oise: two merged hospitals (Hôpital Pasteur, site A, and "
        "Hôpital Sainte-Claire, site B) sharing one warehouse after a registry merge; two "
        "RIS, two PACS, no accession number on reports.",
        years=(2016, 2023),
        age=(16, 99, 66, 19),
        female_share=0.52,
        modality_mix={"XR": 0.34, "CT": 0.28, "US": 0.18, "MR": 0.12, "MG": 0.05, "NM": 0.03},
        exams_per_patient=(1, 12, 3.5),
        stays_per_patient=(0, 5),
        stay_mix={"ER": 0.35, "HC": 0.35, "HDJ": 0.10, "EXT": 0.20},
        stay_labels={"ER": "URG", "HC": "HC", "HDJ": "HP", "EXT": "CS"},  # PMSI-like codes
        er_then_admission=0.40,
        er_merged_into_admission=True,  # the ER visit and the admission share one NDA
        exam_in_stay=0.70,
        exam_carries_stay=0.04,
        exam_unit_requesting=0.40,
        fault_missing_ipp=0.06,
        fault_mistyped_ipp=0.07,  # includes leading zeros lost by site B's PACS
        fault_other_patient_ipp=0.04,
        fault_temporary_ipp=0.06,
        anonymous_temp_share=0.30,
        identity_noise=0.30,
        name_space_form=0.25,
        same_day_duplicate_patients=0.10,
        exam_without_report=0.07,
        report_delay_hours={"XR": (10.0, 1.0), "US": (4.0, 1.0), "CT": (12.0, 1.0),
                            "MR": (40.0, 0.8), "MG": (30.0, 0.8), "NM": (48.0, 0.7)},
        report_delay_cap_hours=10 * 24.0,
        report_late_tail=0.02,
        report_working_hours=False,
        report_date_only_share=0.35,  # site B's RIS exports the validation *date* only
        title_style="mixed",
        accession_on_report=0.0,
        report_patient_id_missing=0.02,
        report_patient_id_missing_with_stay=0.06,  # null IPP but the stay (NDA) is kept
        report_carries_stay=0.55,
        report_wrong_stay=0.03,  # the RIS attached the venue open at validation time
        addendum_rate=0.02,
        corrected_rate=0.01,
        addendum_delay_days=(1, 20),
        exam_date_in_text=0.25,
        outside_exam_reports=0.02,
        html_residue=0.05,
        patient_header_in_text=0.30,  # site B pastes the patient banner into the text
        accession_missing_on_exam=0.03,  # images imported from CDs
        body_part_missing=0.20,
    ),
}

# ==========================================================================================
# Vocabularies (fictional people; real-looking French frequencies)
# ==========================================================================================
SURNAMES = (
    "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL "
    "LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE "
    "ROUSSEAU VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER "
    "FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU "
    "GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN "
    "BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD ROCHE "
    "RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD "
    "DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY LECLERC PAYET ROLLAND LECLERCQ "
    "GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS MOULIN "
    "LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER "
    "MARTY AUBRY GUYOT CARRE CHARLES RENAULT CHARPENTIER MENARD MAILLARD BARON BERTIN BAILLY "
    "HERVE SCHNEIDER FERNANDEZ LE_GALL COLLET LEGER BOUVIER JULIEN PREVOST MILLET PERROT "
    "DANIEL LE_ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS REMY LE_GOFF PELLETIER LEVEQUE "
    "PERRIER LEBLANC BARRE LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD "
    "RODRIGUEZ GUICHARD GILLET ETIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN "
    "DA_SILVA BOUCHET GAY LEMAITRE BENARD MARECHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET "
    "BARTHELEMY CORDIER PICHON LEJEUNE GILBERT LAMY DELAUNAY PASQUIER CARLIER LAPORTE "
    "BENSAID HADDAD NGUYEN TRAN OUALI BOUZID DIALLO TRAORE KONE MENDES FERREIRA SANTOS "
    "DE_LA_FONTAINE DE_SOUSA DOS_SANTOS D_ALMEIDA LE_BIHAN N_DIAYE SAINT-MARTIN"
).split()
SURNAMES = [s.replace("_", " ").replace("D ALMEIDA", "D'ALMEIDA").replace("N DIAYE", "N'DIAYE")
            for s in SURNAMES]

GIVEN_F = (
    "Marie Jeanne Françoise Monique Catherine Nathalie Isabelle Sylvie Martine Christine "
    "Nicole Anne Sophie Sandrine Valérie Véronique Hélène Christiane Chantal Brigitte Élodie "
    "Julie Camille Léa Manon Chloé Emma Inès Sarah Laura Céline Aurélie Émilie Stéphanie "
    "Josiane Odette Geneviève Yvette Simone Denise Paulette Thérèse Mélanie Noémie Zoé "
    "Marie-Claire Anne-Sophie Marie-Thérèse Fatima Aïcha Nadia Leïla Mireille Agnès Béatrice"
).split()
GIVEN_M = (
    "Jean Pierre Michel André Philippe René Louis Alain Jacques Bernard Marcel Daniel Roger "
    "Robert Paul Claude Christian Henri Georges Nicolas François Patrick Gérard Christophe "
    "Joseph Julien Thomas Lucas Hugo Théo Mathis Nathan Maxime Antoine Sébastien Stéphane "
    "Frédéric Olivier Laurent Thierry Éric Pascal Dominique Gilles Yves Raymond Lucien "
    "Jean-Pierre Jean-Claude Jean-Marc Pierre-Yves Jean-Luc Mohamed Karim Mamadou Rachid "
    "Jérôme Benoît Grégoire Noël Loïc"
).split()

DOCTORS = ["Dr A. VASSEUR", "Dr C. NGUYEN-LEBON", "Pr M. HALIMI", "Dr S. OLLIVIER",
           "Dr F. KERGOAT", "Dr J.-B. ROUSSET", "Dr L. BENHAMOU", "Dr É. MASSART"]

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]

# ------------------------------------------------------------------------------------------
# Exam kinds: modality family -> list of kinds. Each kind knows its DICOM header wording,
# its descriptive title and the words its report uses.
#   (key, modality, study_description, body_part, descriptive title, noun phrase in text,
#    indications, normal findings, abnormal findings, normal conclusion, abnormal conclusion)
# ------------------------------------------------------------------------------------------
K = dict
KINDS_BY_FAMILY: dict[str, list[dict]] = {
    "CT": [
        K(key="ct_chest", mod="CT", desc="TDM THORAX AVEC INJECTION", body="CHEST",
          title="Scanner thoracique injecté", noun="scanner du thorax avec injection de produit de contraste",
          ind=["Dyspnée fébrile, recherche de foyer", "Suspicion d'embolie pulmonaire",
               "Toux persistante chez un fumeur", "Altération de l'état général"],
          normal="Parenchyme pulmonaire sans condensation ni nodule suspect. Pas d'épanchement pleural. Médiastin de taille normale.",
          abn=["Condensation alvéolaire du lobe inférieur droit avec bronchogramme aérique.",
               "Nodule spiculé de 18 mm du lobe supérieur gauche.",
               "Défect endoluminal des artères lobaires inférieures bilatérales."],
          cn="Scanner thoracique sans anomalie notable.",
          ca=["Pneumopathie lobaire inférieure droite.", "Nodule pulmonaire suspect, avis RCP.",
              "Embolie pulmonaire bilatérale proximale."]),
        K(key="ct_head", mod="CT", desc="TDM CEREBRALE SANS INJECTION", body="HEAD",
          title="Scanner cérébral sans injection", noun="scanner cérébral sans injection",
          ind=["Traumatisme crânien sous anticoagulant", "Déficit moteur brutal du membre supérieur droit",
               "Céphalées inhabituelles", "Confusion chez une personne âgée"],
          normal="Pas d'hémorragie intra ni extra-axiale. Pas d'effet de masse. Ligne médiane en place.",
          abn=["Hématome sous-dural aigu fronto-pariétal gauche de 8 mm d'épaisseur.",
               "Hypodensité cortico-sous-corticale du territoire sylvien gauche.",
               "Leucopathie vasculaire périventriculaire marquée."],
          cn="Absence de lésion intracrânienne traumatique ou hémorragique.",
          ca=["Hématome sous-dural aigu gauche sans engagement.", "AVC ischémique sylvien gauche constitué.",
              "Leucopathie vasculaire, pas de lésion aiguë."]),
        K(key="ct_abdo", mod="CT", desc="TDM ABDOMINO-PELVIENNE INJECTEE", body="ABDOMEN",
          title="Scanner abdomino-pelvien injecté", noun="scanner abdomino-pelvien avec injection",
          ind=["Douleur de la fosse iliaque droite fébrile", "Syndrome occlusif", "Bilan d'une anémie",
               "Douleur abdominale diffuse"],
          normal="Foie, rate, pancréas et reins sans particularité. Pas d'épanchement intrapéritonéal.",
          abn=["Appendice augmenté de calibre à 11 mm avec infiltration de la graisse.",
               "Distension grêlique avec zone transitionnelle en fosse iliaque droite.",
               "Épaississement pariétal sigmoïdien avec infiltration de la graisse péricolique."],
          cn="Examen abdomino-pelvien sans anomalie.",
          ca=["Appendicite aiguë non compliquée.", "Occlusion du grêle sur bride probable.",
              "Sigmoïdite diverticulaire non compliquée."]),
        K(key="ct_tap", mod="CT", desc="TDM TAP", body="CHESTABDPELVIS",
          title="Scanner thoraco-abdomino-pelvien", noun="scanner thoraco-abdomino-pelvien injecté",
          ind=["Bilan d'extension d'une néoplasie", "Évaluation sous chimiothérapie", "Surveillance post-thérapeutique"],
          normal="Pas d'adénomégalie. Pas de lésion focale hépatique. Pas de nodule pulmonaire suspect.",
          abn=["Adénomégalies médiastinales dont la plus grande mesure 22 mm.",
               "Lésions hépatiques hypodenses multiples, la plus grande de 30 mm au segment VII.",
               "Diminution de taille de la masse tumorale connue."],
          cn="Pas de lésion secondaire décelable.",
          ca=["Progression ganglionnaire médiastinale.", "Métastases hépatiques multiples.",
              "Réponse partielle morphologique."]),
    ],
    "XR": [
        K(key="xr_chest", mod="CR", desc="RADIOGRAPHIE THORAX FACE", body="CHEST",
          title="Radiographie pulmonaire", noun="radiographie thoracique de face",
          ind=["Dyspnée", "Contrôle de position de sonde", "Fièvre, toux", "Contrôle après pose de drain"],
          normal="Pas de foyer de condensation. Culs-de-sac pleuraux libres. Index cardio-thoracique normal.",
          abn=["Opacité alvéolaire basale droite.", "Épanchement pleural gauche de moyenne abondance.",
               "Sonde nasogastrique en position gastrique, drain pleural en place."],
          cn="Radiographie thoracique normale.",
          ca=["Foyer basal droit.", "Épanchement pleural gauche.", "Matériel en place, pas de pneumothorax."]),
        K(key="xr_pelvis", mod="DX", desc="RX BASSIN + HANCHE", body="PELVIS",
          title="Radiographie du bassin et de la hanche", noun="radiographie du bassin de face et de la hanche",
          ind=["Chute de sa hauteur, douleur de hanche droite", "Coxalgie mécanique"],
          normal="Pas de fracture visible. Interlignes coxo-fémoraux conservés.",
          abn=["Fracture cervicale vraie du fémur droit déplacée.", "Pincement supéro-externe de l'interligne coxo-fémoral gauche."],
          cn="Pas de lésion osseuse traumatique.",
          ca=["Fracture du col fémoral droit Garden IV.", "Coxarthrose gauche."]),
        K(key="xr_knee", mod="DX", desc="RX GENOU F+P", body="KNEE",
          title="Radiographie du genou", noun="radiographie du genou face et profil",
          ind=["Traumatisme du genou", "Gonalgie chronique"],
          normal="Pas de fracture. Interlignes fémoro-tibiaux conservés.",
          abn=["Pincement de l'interligne fémoro-tibial interne avec ostéophytose.", "Épanchement articulaire, pas de fracture."],
          cn="Radiographie du genou normale.",
          ca=["Gonarthrose fémoro-tibiale interne.", "Hydarthrose sans lésion osseuse."]),
        K(key="xr_abdo", mod="CR", desc="ASP DEBOUT", body="ABDOMEN",
          title="Abdomen sans préparation", noun="cliché d'abdomen sans préparation",
          ind=["Recherche de pneumopéritoine", "Constipation, ingestion de corps étranger"],
          normal="Aération digestive normale. Pas de niveau hydro-aérique. Pas de pneumopéritoine.",
          abn=["Niveaux hydro-aériques grêliques multiples.", "Corps étranger radio-opaque se projetant en regard du côlon."],
          cn="ASP sans anomalie.", ca=["Aspect d'occlusion du grêle.", "Corps étranger colique."]),
    ],
    "US": [
        K(key="us_abdo", mod="US", desc="ECHOGRAPHIE ABDOMINALE", body="ABDOMEN",
          title="Échographie abdominale", noun="échographie abdominale",
          ind=["Douleur de l'hypochondre droit", "Perturbation du bilan hépatique", "Colique néphrétique"],
          normal="Foie de taille et d'échostructure normales. Vésicule alithiasique. Pas de dilatation des voies biliaires ni des cavités rénales.",
          abn=["Vésicule lithiasique à paroi épaissie à 5 mm, Murphy échographique positif.",
               "Dilatation pyélocalicielle droite modérée.", "Foie stéatosique."],
          cn="Échographie abdominale normale.",
          ca=["Cholécystite aiguë lithiasique.", "Dilatation des cavités rénales droites.", "Stéatose hépatique."]),
        K(key="us_dvt", mod="US", desc="ECHO-DOPPLER VEINEUX MI", body="LEG",
          title="Écho-doppler veineux des membres inférieurs", noun="écho-doppler veineux des membres inférieurs",
          ind=["Grosse jambe gauche douloureuse", "Suspicion de thrombose veineuse profonde"],
          normal="Veines profondes compressibles et perméables de façon bilatérale.",
          abn=["Thrombus non occlusif de la veine fémorale commune gauche."],
          cn="Pas de thrombose veineuse profonde.", ca=["Thrombose veineuse fémorale gauche."]),
        K(key="us_thyroid", mod="US", desc="ECHOGRAPHIE THYROIDIENNE", body="NECK",
          title="Échographie thyroïdienne", noun="échographie cervicale et thyroïdienne",
          ind=["Nodule thyroïdien palpé", "Bilan de dysthyroïdie"],
          normal="Thyroïde de taille normale, homogène, sans nodule.",
          abn=["Nodule isoéchogène du lobe droit de 14 mm, EU-TIRADS 3."],
          cn="Échographie thyroïdienne normale.", ca=["Nodule thyroïdien droit EU-TIRADS 3."]),
    ],
    "MR": [
        K(key="mr_brain", mod="MR", desc="IRM CEREBRALE", body="BRAIN",
          title="IRM cérébrale", noun="IRM encéphalique",
          ind=["Bilan de céphalées", "Recherche de métastases cérébrales", "Vertiges récidivants"],
          normal="Pas d'anomalie de signal du parenchyme. Pas de prise de contraste anormale.",
          abn=["Deux lésions nodulaires prenant le contraste en périphérie, frontale droite (12 mm) et cérébelleuse gauche (7 mm).",
               "Hypersignaux FLAIR de la substance blanche périventriculaire."],
          cn="IRM cérébrale normale.", ca=["Lésions secondaires cérébrales.", "Leucopathie vasculaire."]),
        K(key="mr_spine", mod="MR", desc="IRM RACHIS LOMBAIRE", body="LSPINE",
          title="IRM du rachis lombaire", noun="IRM du rachis lombaire",
          ind=["Lombosciatique droite hyperalgique", "Lombalgie chronique"],
          normal="Pas de conflit disco-radiculaire. Canal lombaire de calibre normal.",
          abn=["Hernie discale L4-L5 postéro-latérale droite au contact de la racine L5."],
          cn="Pas d'anomalie expliquant la symptomatologie.", ca=["Hernie discale L4-L5 droite conflictuelle."]),
        K(key="mr_liver", mod="MR", desc="IRM HEPATIQUE", body="ABDOMEN",
          title="IRM hépatique", noun="IRM hépatique avec injection de gadolinium",
          ind=["Caractérisation d'une lésion hépatique", "Surveillance de cirrhose"],
          normal="Pas de lésion focale hépatique. Voies biliaires fines.",
          abn=["Lésion du segment IV de 25 mm, hypersignal T2, prise de contraste en mottes périphériques."],
          cn="IRM hépatique normale.", ca=["Aspect typique d'angiome hépatique."]),
        K(key="mr_breast", mod="MR", desc="IRM MAMMAIRE BILATERALE", body="BREAST",
          title="IRM mammaire", noun="IRM mammaire bilatérale",
          ind=["Bilan d'extension locale d'un carcinome mammaire", "Surveillance après tumorectomie"],
          normal="Pas de prise de contraste suspecte. Rehaussement glandulaire de fond minime.",
          abn=["Prise de contraste masse du QSE gauche de 21 mm, courbe de type 3."],
          cn="Pas de lésion suspecte, ACR 1.", ca=["Lésion connue du sein gauche, pas de multifocalité, ACR 6."]),
    ],
    "MG": [
        K(key="mg_bilat", mod="MG", desc="MAMMOGRAPHIE BILATERALE", body="BREAST",
          title="Mammographie bilatérale", noun="mammographie bilatérale deux incidences",
          ind=["Dépistage organisé", "Masse palpable du sein gauche", "Surveillance après cancer du sein"],
          normal="Seins de densité B. Pas de masse, pas de microcalcification suspecte.",
          abn=["Masse spiculée du quadrant supéro-externe gauche de 15 mm.", "Foyer de microcalcifications fines du sein droit."],
          cn="Mammographie normale, ACR 1.", ca=["Masse suspecte du sein gauche, ACR 5.", "Microcalcifications ACR 4, biopsie proposée."]),
    ],
    "NM": [
        K(key="nm_bone", mod="NM", desc="SCINTIGRAPHIE OSSEUSE CORPS ENTIER", body="WHOLEBODY",
          title="Scintigraphie osseuse", noun="scintigraphie osseuse corps entier aux diphosphonates",
          ind=["Bilan d'extension d'un cancer de prostate", "Douleurs osseuses diffuses", "Cancer du sein, bilan initial"],
          normal="Fixation homogène du squelette, sans foyer d'hyperfixation suspect.",
          abn=["Foyers d'hyperfixation multiples du rachis dorsal et du bassin.", "Hyperfixation isolée de l'arc postérieur de la 7e côte droite."],
          cn="Pas d'argument scintigraphique pour des lésions osseuses secondaires.",
          ca=["Lésions osseuses secondaires multiples.", "Foyer costal isolé d'allure post-traumatique."]),
        K(key="nm_heart", mod="NM", desc="TOMOSCINTIGRAPHIE MYOCARDIQUE", body="HEART",
          title="Scintigraphie myocardique", noun="tomoscintigraphie myocardique de perfusion",
          ind=["Douleur thoracique atypique", "Bilan d'une cardiopathie ischémique"],
          normal="Perfusion myocardique homogène à l'effort et au repos.",
          abn=["Défect de perfusion inférieur réversible au repos."],
          cn="Pas d'ischémie myocardique.", ca=["Ischémie inférieure modérée."]),
    ],
    "PT": [
        K(key="pet_fdg", mod="PT\\CT", desc="TEP-TDM FDG CORPS ENTIER", body="WHOLEBODY",
          title="TEP-TDM au 18F-FDG", noun="TEP-TDM au 18F-FDG",
          ind=["Bilan initial d'un adénocarcinome pulmonaire", "Évaluation après 4 cures de chimiothérapie",
               "Suspicion de récidive d'un lymphome", "Bilan d'un nodule pulmonaire"],
          normal="Pas de foyer hypermétabolique suspect. Fixations physiologiques.",
          abn=["Hypermétabolisme de la masse pulmonaire lobaire supérieure droite (SUVmax 12,4).",
               "Adénopathies hypermétaboliques médiastinales (SUVmax 7,8).",
               "Régression des foyers ganglionnaires sus et sous-diaphragmatiques (SUVmax 2,1 contre 9,6)."],
          cn="Absence de foyer hypermétabolique suspect.",
          ca=["Tumeur pulmonaire hypermétabolique avec atteinte ganglionnaire médiastinale.",
              "Progression métabolique ganglionnaire.", "Réponse métabolique complète (Deauville 2)."]),
        K(key="pet_psma", mod="PT\\CT", desc="TEP-TDM PSMA", body="WHOLEBODY",
          title="TEP-TDM au PSMA", noun="TEP-TDM au 68Ga-PSMA-11",
          ind=["Récidive biochimique d'un adénocarcinome prostatique", "Bilan initial d'un cancer de prostate à haut risque"],
          normal="Pas de fixation suspecte en dehors des fixations physiologiques.",
          abn=["Fixation focale d'un ganglion iliaque externe gauche de 6 mm (SUVmax 8,2)."],
          cn="Pas de lésion fixant le PSMA.", ca=["Récidive ganglionnaire iliaque externe gauche."]),
        K(key="pet_brain", mod="PT", desc="TEP CEREBRALE FDG", body="HEAD",
          title="TEP cérébrale au FDG", noun="TEP cérébrale au 18F-FDG",
          ind=["Troubles cognitifs, bilan étiologique"],
          normal="Métabolisme cortical homogène.",
          abn=["Hypométabolisme pariéto-temporal bilatéral."],
          cn="TEP cérébrale normale.", ca=["Profil évocateur d'une maladie d'Alzheimer."]),
    ],
}
KIND_BY_KEY = {k["key"]: k for ks in KINDS_BY_FAMILY.values() for k in ks}
FAMILY_OF = {k["key"]: fam for fam, ks in KINDS_BY_FAMILY.items() for k in ks}
for _fam, _ks in KINDS_BY_FAMILY.items():
    for _k in _ks:
        _k["family"] = _fam

UNITS = {
    "fast_ct": dict(imaging="IMAGERIE MEDICALE", imaging_er="IMAGERIE URGENCES",
                    ER=["URGENCES ADULTES", "URGENCES PEDIATRIQUES"],
                    HC=["PNEUMOLOGIE", "CARDIOLOGIE", "CHIRURGIE VISCERALE", "ORTHOPEDIE",
                        "MEDECINE POLYVALENTE", "GERIATRIE", "NEUROLOGIE"],
                    HDJ=["HDJ MEDECINE", "HDJ GERIATRIE"], EXT=["CONSULTATIONS EXTERNES"]),
    "pet_queue": dict(imaging="MEDECINE NUCLEAIRE", imaging_er="RADIOLOGIE",
                      ER=["SOINS NON PROGRAMMES"],
                      HC=["ONCOLOGIE MEDICALE", "HEMATOLOGIE", "CHIRURGIE ONCOLOGIQUE"],
                      HDJ=["HDJ ONCOLOGIE", "HDJ HEMATOLOGIE"], EXT=["CONSULTATION ONCOLOGIE"]),
    "mixed_legacy": dict(imaging="RAD", imaging_er="RAD URG",
                         ER=["SAU", "UHCD"],
                         HC=["MED INT", "PNEUMO", "CARDIO", "CHIR DIG", "ORTHO", "GERIA", "SSR"],
                         HDJ=["HDJ MED"], EXT=["CONSULT"]),
}
INSTITUTIONS = {
    "fast_ct": ["CH SAINT-AUBIN-SUR-LOIRE", "CH St Aubin", "CHSAL"],
    "pet_queue": ["INSTITUT REGIONAL DU CANCER VAL-DE-SEINE", "IRC VAL DE SEINE"],
    "mixed_legacy": {"A": ["HOPITAL PASTEUR", "GHT RIVES DE L'OISE - PASTEUR", ""],
                     "B": ["CH STE CLAIRE", "Hopital Sainte-Claire", "STE-CLAIRE"]},
}
DIAGNOSES = {
    "fast_ct": ["J18.9", "J44.1", "I50.0", "I26.9", "S72.0", "S06.5", "I63.3", "K35.8",
                "K56.6", "N20.0", "K80.0", "R07.4", "E11.9", "I10", "A41.9"],
    "pet_queue": ["C34.1", "C34.3", "C50.4", "C50.9", "C83.3", "C81.1", "C61", "C18.7",
                  "C25.0", "Z51.1", "Z08.7", "C78.7", "C79.5", "D70"],
    "mixed_legacy": ["J18.9", "J96.0", "I50.9", "S72.00", "S06.50", "I63.5", "K57.3",
                     "N39.0", "C34.9", "I48.9", "E86", "R55", "Z75.1", "F03"],
}


# ==========================================================================================
# Helpers
# ==========================================================================================
def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def upper_dicom(s: str) -> str:
    return strip_accents(s).upper()


def truncated_poisson(r: random.Random, lo: int, hi: int, mean: float) -> int:
    # Knuth's method; fine for small means
    while True:
        L, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= r.random()
            if p <= L:
                break
            k += 1
        if lo <= k <= hi:
            return k


def weighted(r: random.Random, d: dict):
    keys = list(d)
    return r.choices(keys, weights=[d[k] for k in keys])[0]


def fr_date_long(d: dt.datetime) -> str:
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {MONTHS_FR[d.month - 1]} {d.year}"


class IdMaker:
    """Per-profile identifier formats (IPP, NDA, StudyInstanceUID, accession, report)."""

    def __init__(self, profile: str, r: random.Random):
        self.p, self.r = profile, r
        self.used: set[str] = set()
        self.seq = {"stay": 0, "exam": 0, "acc": {}, "report": 0, "tmp": 0}

    def _unique(self, f):
        while True:
            v = f()
            if v not in self.used:
                self.used.add(v)
                return v

    def ipp(self, site: str = "A") -> str:
        r = self.r
        if self.p == "fast_ct":
            return self._unique(lambda: str(r.randint(10_000_000, 29_999_999)))  # 8 digits
        if self.p == "pet_queue":
            return self._unique(lambda: "80" + f"{r.randint(0, 99_999_999):08d}")  # 10 digits
        # mixed_legacy: unified 9-digit registry; site B's legacy IPPs kept with "00" padding
        if site == "B":
            return self._unique(lambda: "00" + f"{r.randint(1_000_000, 9_999_999)}")
        return self._unique(lambda: "4" + f"{r.randint(0, 99_999_999):08d}")

    def temp_ipp(self) -> str:
        self.seq["tmp"] += 1
        n = self.seq["tmp"]
        if self.p == "fast_ct":
            return self._unique(lambda: f"TMP{self.r.randint(100000, 999999)}")
        if self.p == "pet_queue":
            return self._unique(lambda: f"PROV{n:05d}")
        return self._unique(lambda: f"9999{self.r.randint(10000, 99999)}")

    def stay(self, start: dt.datetime, site: str = "A") -> str:
        self.seq["stay"] += 1
        r = self.r
        if self.p == "fast_ct":
            return self._unique(lambda: f"{start:%y}{r.randint(0, 9_999_999):07d}")  # NDA 9 digits
        if self.p == "pet_queue":
            return self._unique(lambda: f"5{start:%y}{r.randint(0, 9_999_999):07d}")  # 10 digits
        return self._unique(lambda: f"{site}{start:%y}{r.randint(0, 999_999):06d}")

    def study_uid(self, when: dt.datetime, site: str = "A") -> str:
        self.seq["exam"] += 1
        n = self.seq["exam"]
        if self.p == "fast_ct":
            return f"1.2.250.1.38.2.1.{when:%Y%m%d%H%M%S}.{n}"
        if self.p == "pet_queue":
            return f"1.3.46.670589.33.1.{self.r.randint(10**9, 10**10 - 1)}{n:06d}.{when:%Y%m%d}"
        if site == "A":
            return f"1.2.840.113619.2.55.3.{self.r.randint(10**8, 10**9 - 1)}.{n}.{when:%Y%m%d}"
        return f"1.2.392.200036.9116.2.6.1.48.{self.r.randint(10**6, 10**7 - 1)}.{when:%y%m%d}.{n}"

    def accession(self, when: dt.datetime, fam: str, site: str = "A") -> str:
        key = (site, when.year, fam if self.p == "pet_queue" else "")
        self.seq["acc"][key] = self.seq["acc"].get(key, 0) + 1
        n = self.seq["acc"][key]
        if self.p == "fast_ct":  # Xplore-like: year + counter, 10 digits
            return f"{when:%Y}{n:06d}"
        if self.p == "pet_queue":  # one counter per service
            pref = {"PT": "TEP", "NM": "SCI", "MR": "IRM", "CT": "TDM"}.get(fam, "RAD")
            return f"{pref}{when:%y}-{n:05d}"
        if site == "A":
            return f"A{when:%y}{n:07d}"
        return f"{when:%y}{n:06d}"  # site B: plain 8 digits

    def report(self, site: str = "A") -> str:
        self.seq["report"] += 1
        n = self.seq["report"]
        if self.p == "fast_ct":
            return f"CR{n + 4_100_000:08d}"
        if self.p == "pet_queue":
            return self._unique(lambda: f"DOC-{self.r.getrandbits(48):012x}")
        return f"{site}R{n:07d}"


# ==========================================================================================
# Generation
# ==========================================================================================
def rand_dt(r: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    span = (end - start).total_seconds()
    return start + dt.timedelta(seconds=int(r.random() * span))


def minute(t: dt.datetime) -> dt.datetime:
    return t.replace(second=0, microsecond=0)


def make_patients(cfg: dict, profile: str, n: int, r: random.Random, ids: IdMaker) -> list[dict]:
    weights = [1.0 / (i + 1) ** 0.85 for i in range(len(SURNAMES))]
    y0, y1 = cfg["years"]
    ref = dt.date(y0, 1, 1)
    amin, amax, amean, asd = cfg["age"]
    pats = []
    for _ in range(n):
        sex = "F" if r.random() < cfg["female_share"] else "M"
        fam = r.choices(SURNAMES, weights=weights)[0]
        if r.random() < 0.04:  # compound birth name
            other = r.choices(SURNAMES, weights=weights)[0]
            if other != fam:
                fam = f"{fam}-{other}" if r.random() < 0.7 else f"{fam} {other}"
        given = r.choice(GIVEN_F if sex == "F" else GIVEN_M)
        age = min(amax, max(amin, r.gauss(amean, asd)))
        birth = ref - dt.timedelta(days=int(age * 365.25) + r.randint(0, 364))
        usage = None
        if sex == "F" and age > 25 and r.random() < 0.38:
            usage = r.choices(SURNAMES, weights=weights)[0]
            if usage == fam:
                usage = None
            elif r.random() < 0.15:
                usage = f"{usage}-{fam}"  # nom d'usage double
        site = "A"
        if profile == "mixed_legacy":
            site = "A" if r.random() < 0.55 else "B"
        pats.append(dict(patient_id=ids.ipp(site), family_name=fam,
                         given_name=given if r.random() > 0.03 else given.upper(),
                         birth_date=dt.datetime(birth.year, birth.month, birth.day), sex=sex,
                         usage_name=usage, _site=site, _age=age))
    return pats


def make_stays(cfg: dict, profile: str, pat: dict, r: random.Random, ids: IdMaker) -> list[dict]:
    y0, y1 = cfg["years"]
    lo, hi = cfg["stays_per_patient"]
    k = r.randint(lo, hi)
    units = UNITS[profile]
    out: list[dict] = []
    t0, t1 = dt.datetime(y0, 1, 1), dt.datetime(y1, 12, 20)
    tries = 0
    while len(out) < k and tries < 50:
        tries += 1
        typ = weighted(r, cfg["stay_mix"])
        start = rand_dt(r, t0, t1)
        if typ == "ER":
            start = minute(start)
            end = start + dt.timedelta(hours=r.uniform(2, 14))
        elif typ == "HC":
            start = start.replace(hour=r.randint(8, 17), minute=r.choice([0, 15, 30, 45]))
            end = start + dt.timedelta(days=r.choice([1, 2, 3, 4, 5, 6, 8, 10, 14, 21]),
                                       hours=r.uniform(-3, 3))
        elif typ == "HDJ":
            start = start.replace(hour=r.randint(7, 10), minute=r.choice([0, 30]))
            end = start.replace(hour=r.randint(15, 19))
        else:  # EXT consultation venue
            start = start.replace(hour=r.randint(8, 16), minute=r.choice([0, 15, 30, 45]))
            end = start + dt.timedelta(hours=r.uniform(0.5, 4))
        start, end = minute(start), minute(end)
        segs = [(typ, start, end)]
        if typ == "ER" and r.random() < cfg["er_then_admission"]:
            adm_end = end + dt.timedelta(days=r.choice([2, 3, 4, 6, 9, 12]), hours=r.uniform(0, 6))
            if cfg["er_merged_into_admission"]:
                segs = [("HC", start, minute(adm_end))]  # one NDA from ER arrival
                segs[0] = ("HC", start, minute(adm_end), "ER_MERGED")
            else:
                segs.append(("HC", end, minute(adm_end)))
        # avoid overlaps with existing stays of this patient
        if any(not (s[2] < o["start_datetime"] or s[1] > o["end_datetime"]) for s in segs for o in out):
            continue
        for seg in segs:
            typ2, s, e = seg[0], seg[1], seg[2]
            merged = len(seg) > 3
            if typ2 == "ER" or (merged and r.random() < 0.5):
                unit = r.choice(units["ER"])  # a merged ER+admission NDA may keep the ER unit
            else:
                unit = r.choice(units[typ2])
            dx = None
            if typ2 in ("HC", "HDJ", "ER") and r.random() < 0.85:
                codes = r.sample(DIAGNOSES[profile], r.randint(1, 3))
                if profile == "mixed_legacy" and r.random() < 0.5:
                    codes = [c.replace(".", "") for c in codes]  # PMSI export without dots
                dx = ";".join(codes)
            out.append(dict(stay_id=ids.stay(s, pat["_site"]), patient_id=pat["patient_id"],
                            start_datetime=s, end_datetime=e, unit=unit,
                            stay_type=cfg["stay_labels"][typ2], diagnoses=dx,
                            _type=typ2, _merged_er=merged))
    out.sort(key=lambda s: s["start_datetime"])
    return out


def pick_kind(cfg: dict, r: random.Random, pat: dict, stay: dict | None) -> dict:
    fam = weighted(r, cfg["modality_mix"])
    kinds = KINDS_BY_FAMILY[fam]
    if stay is not None and stay["_type"] == "ER":  # emergencies: CT head/chest/abdo, X-ray, US
        fam = r.choices(["CT", "XR", "US"], weights=[0.45, 0.4, 0.15])[0]
        kinds = [k for k in KINDS_BY_FAMILY[fam] if k["key"] not in ("ct_tap", "us_thyroid")]
    if pat["sex"] == "M":
        kinds = [k for k in kinds if k["key"] not in ("mg_bilat", "mr_breast")] or KINDS_BY_FAMILY["CT"]
    else:
        kinds = [k for k in kinds if k["key"] != "pet_psma"] or kinds
    if fam == "PT":
        w = [0.85 if k["key"] == "pet_fdg" else 0.12 if k["key"] == "pet_psma" else 0.03 for k in kinds]
        return r.choices(kinds, weights=w)[0]
    return r.choice(kinds)


def exam_time_in(r: random.Random, stay: dict) -> dt.datetime:
    s, e = stay["start_datetime"], stay["end_datetime"]
    if stay["_type"] == "ER" or stay["_merged_er"]:
        # ER work-up: early in the visit
        lim = min(e, s + dt.timedelta(hours=6))
        return minute(rand_dt(r, s + dt.timedelta(minutes=20), max(lim, s + dt.timedelta(minutes=30))))
    t = rand_dt(r, s + dt.timedelta(minutes=10), e - dt.timedelta(minutes=5))
    if stay["_type"] == "HC" and not (8 <= t.hour < 19) and r.random() < 0.7:
        t = t.replace(hour=r.randint(8, 18))
        if t > e or t < s:
            t = rand_dt(r, s + dt.timedelta(minutes=10), e - dt.timedelta(minutes=5))
    return minute(t)


def follow_up_visits(cfg: dict, r: random.Random, stays: list[dict], n: int) -> list[dt.datetime]:
    """Outpatient exam times along a treatment course (profiles with follow_up_weeks)."""
    if not cfg.get("follow_up_weeks") or n == 0:
        return []
    y0, y1 = cfg["years"]
    margin = dt.timedelta(hours=12)
    lo, hi = cfg["follow_up_weeks"]
    d = rand_dt(r, dt.datetime(y0, 1, 1), dt.datetime(y1, 6, 1))
    out: list[dt.datetime] = []
    while len(out) < n and d < dt.datetime(y1, 12, 20):
        cands = [d]
        if r.random() < cfg["second_exam_same_visit"]:
            cands.append(d + dt.timedelta(days=r.choice([0, 0, 0, 1, 2, 5])))
        for c in cands:
            while c.weekday() >= 5:
                c += dt.timedelta(days=1)
            c = c.replace(hour=r.randint(7, 17), minute=r.choice(range(0, 60, 5)), second=r.randint(0, 59),
                          microsecond=0)
            if all(not (s["start_datetime"] - margin <= c <= s["end_datetime"] + margin) for s in stays) \
                    and all(abs((c - o).total_seconds()) > 3600 for o in out):
                out.append(c)
        d += dt.timedelta(weeks=r.uniform(lo, hi))
    return out[:n]


def outpatient_time(r: random.Random, cfg: dict, stays: list[dict]) -> dt.datetime:
    y0, y1 = cfg["years"]
    # outpatient exams stay at least 12 hours away from the patient's stays, so that
    # "no stay" is the unambiguous truth for them
    margin = dt.timedelta(hours=12)
    for i in range(500):
        d = rand_dt(r, dt.datetime(y0, 1, 1), dt.datetime(y1, 12, 20))
        if d.weekday() >= 5 and r.random() < 0.9 and i < 400:
            continue
        t = d.replace(hour=r.randint(7, 18), minute=r.choice(range(0, 60, 5)))
        if all(not (s["start_datetime"] - margin <= t <= s["end_datetime"] + margin) for s in stays):
            return t
    raise RuntimeError("no free outpatient slot")


# ---------------------------------------------------------------- identity noise on headers
def typo(r: random.Random, s: str) -> str:
    letters = [i for i, c in enumerate(s) if c.isalpha()]
    if len(letters) < 3:
        return s
    i = r.choice(letters[1:])
    op = r.random()
    if op < 0.4:
        return s[:i] + r.choice("AEIOURSTLN") + s[i + 1:]
    if op < 0.7:
        return s[:i] + s[i + 1:]
    if op < 0.85 and i + 1 < len(s) and s[i + 1].isalpha():
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + s[i] + s[i:]  # doubled letter


def header_identity(cfg: dict, r: random.Random, pat: dict, boost: float, anonymous: bool):
    """Return (patient_name, birth_date, sex, noise kinds) as the modality wrote them."""
    kinds: list[str] = []
    fam = pat["family_name"]
    given = pat["given_name"]
    birth = pat["birth_date"]
    sex = pat["sex"]
    if anonymous:
        name = r.choice(["INCONNU^" + ("HOMME" if sex == "M" else "FEMME"), "X^X", "ANONYME^URGENCE"])
        return name, (None if r.random() < 0.5 else dt.datetime(1900, 1, 1)), sex, ["anonymous_identity"]
    if r.random() < cfg["identity_noise"] * boost:
        pool = ["usage_name", "typo", "swapped", "given_short", "birth_date_off", "birth_date_missing",
                "sex_missing", "compound_part", "accents_kept"]
        w = [3, 3, 1.2, 1.5, 1.5, 1, 1, 1, 0.6]
        n = 1 if r.random() < 0.8 else 2
        kinds = list(dict.fromkeys(r.choices(pool, weights=w, k=n)))
    if "usage_name" in kinds:
        if pat["usage_name"]:
            fam = pat["usage_name"]
        else:
            kinds.remove("usage_name")
    if "compound_part" in kinds:
        parts = fam.replace("-", " ").split()
        if len(parts) > 1 and not fam.startswith(("DE ", "LE ", "DA ", "DOS ", "D'", "N'")):
            fam = parts[0]
        elif "-" in given:
            given = given.split("-")[0]
        elif " " in fam:
            fam = fam.replace(" ", "")
        else:
            kinds.remove("compound_part")
    if "given_short" in kinds:
        given = given[0] if r.random() < 0.5 else given[:4]
    fam_u, given_u = upper_dicom(fam), upper_dicom(given)
    if "accents_kept" in kinds:
        fam_u, given_u = fam.upper(), given.upper()
    if "typo" in kinds:
        if r.random() < 0.6:
            fam_u = typo(r, fam_u)
        else:
            given_u = typo(r, given_u)
    if "swapped" in kinds:
        fam_u, given_u = given_u, fam_u
    if "birth_date_off" in kinds:
        b = birth
        c = r.random()
        if c < 0.4 and b.day <= 12 and b.day != b.month:
            birth = b.replace(day=b.month, month=b.day)  # day/month swapped
        elif c < 0.7:
            birth = b + dt.timedelta(days=r.choice([-1, 1]))
        else:
            try:
                birth = b.replace(year=b.year + r.choice([-10, -1, 1, 10]))
            except ValueError:
                birth = b + dt.timedelta(days=1)
    if "birth_date_missing" in kinds:
        birth = None
    if "sex_missing" in kinds:
        sex = None
    # form of the name
    if r.random() < cfg["name_space_form"]:
        name = f"{fam_u} {given_u}" if r.random() < 0.75 else f"{fam_u}, {given_u.title()}"
        kinds.append("name_without_caret")
    else:
        name = f"{fam_u}^{given_u}"
        if r.random() < 0.05:
            name += "^^^"  # empty trailing components, as some modalities write them
    return name, birth, sex, kinds


def mistype(r: random.Random, ipp: str, existing: set[str], profile: str) -> str:
    for _ in range(50):
        c = r.random()
        d = list(ipp)
        if profile == "mixed_legacy" and ipp.startswith("00") and c < 0.45:
            v = ipp.lstrip("0")  # site B PACS stores IPP as a number
        elif c < 0.5:
            i = r.randrange(len(d))
            d[i] = r.choice([x for x in "0123456789" if x != d[i]])
            v = "".join(d)
        elif c < 0.8:
            i = r.randrange(len(d) - 1)
            if d[i] == d[i + 1]:
                continue
            d[i], d[i + 1] = d[i + 1], d[i]
            v = "".join(d)
        elif c < 0.9:
            v = ipp[:-1]  # last digit lost
        else:
            v = ipp + r.choice("0123456789")  # extra keystroke
        if v != ipp and v not in existing:
            return v
    return ipp[::-1]


# ---------------------------------------------------------------- report text
def exam_date_phrase(r: random.Random, t: dt.datetime, kind: dict) -> str:
    c = r.random()
    if kind["family"] == "PT" and c < 0.4:
        return f"TEP réalisée le {fr_date_long(t)}."
    if c < 0.6:
        return f"Examen du {t:%d/%m/%Y}."
    if c < 0.8:
        return f"Examen réalisé le {t:%d/%m/%y} à {t:%Hh%M}."
    return f"Date de l'examen : {fr_date_long(t)}."


def report_text(cfg: dict, profile: str, r: random.Random, kind: dict, pat: dict, t: dt.datetime,
                site: str, with_date: bool, addendum_of: str | None = None) -> str:
    ind = r.choice(kind["ind"])
    abnormal = r.random() < 0.55
    res = r.choice(kind["abn"]) if abnormal else kind["normal"]
    concl = kind["ca"][kind["abn"].index(res)] if abnormal and len(kind["ca"]) == len(kind["abn"]) \
        else (r.choice(kind["ca"]) if abnormal else kind["cn"])
    fam = kind["family"]
    if fam == "PT":
        tracer = "68Ga-PSMA-11" if kind["key"] == "pet_psma" else "18F-FDG"
        dose = r.randint(120, 380) if tracer == "18F-FDG" else r.randint(90, 180)
        tech = (f"Injection intraveineuse de {dose} MBq de {tracer}. "
                + (f"Glycémie capillaire à {r.uniform(0.8, 1.5):.2f} g/L. ".replace(".", ",", 1)
                   if tracer == "18F-FDG" else "")
                + f"Acquisition {r.choice([60, 65, 70, 75])} minutes après injection, "
                  "couplée à un scanner non injecté de repérage.")
    elif fam == "NM" and kind["key"] == "nm_heart":
        tech = (f"Épreuve d'effort sur bicyclette puis injection de {r.randint(250, 400)} MBq de "
                "99mTc-tétrofosmine; acquisitions tomographiques d'effort et de repos synchronisées à l'ECG.")
    elif fam == "NM":
        tech = f"Injection de {r.randint(500, 800)} MBq de 99mTc-HMDP, acquisition corps entier à 3 heures."
    elif fam == "CT":
        tech = "Acquisition hélicoïdale " + ("après injection de produit de contraste iodé."
                                             if "sans" not in kind["noun"] else "sans injection.")
    elif fam == "MR":
        tech = ("Séquences T1, T2, FLAIR et diffusion" if kind["body"] == "BRAIN" else
                "Séquences T1, T2 avec et sans saturation de graisse, diffusion") + (", puis T1 après injection de gadolinium." if r.random() < 0.7 else ".")
    elif fam == "US":
        tech = {"LEG": "Étude en mode B et doppler couleur.", "NECK": "Sonde linéaire haute fréquence."}.get(
            kind["body"], "Examen réalisé par voie abdominale et sus-pubienne, à jeun.")
    elif fam == "MG":
        tech = "Incidences face et oblique bilatérales, complétées par une échographie."
    else:
        tech = "Cliché de face" + (" et de profil." if r.random() < 0.5 else ".")
    date_line = exam_date_phrase(r, t, kind) if with_date else ""
    doctor = r.choice(DOCTORS)
    if addendum_of is not None:
        kind_word = addendum_of
        body = (f"{kind_word} au compte rendu de l'examen : {kind['noun']}"
                + (f" du {t:%d/%m/%Y}" if with_date else "") + ".\n"
                + r.choice(["Après relecture en binôme, ", "Après confrontation au scanner antérieur, ",
                            "Après réception des examens extérieurs, "])
                + r.choice(["les conclusions sont inchangées.", f"{concl[0].lower() + concl[1:]}",
                            "la lésion décrite est stable par rapport à l'examen précédent."])
                + f"\n{doctor}")
        return body
    if profile == "mixed_legacy" and site == "B":
        head = ""
        if r.random() < cfg["patient_header_in_text"]:
            head = (f"PATIENT : {upper_dicom(pat['usage_name'] or pat['family_name'])} "
                    f"{upper_dicom(pat['given_name'])} - NE(E) LE {pat['birth_date']:%d/%m/%Y}\n")
        txt = (f"{head}{upper_dicom(kind['desc'])}\n"
               + (f"{upper_dicom(date_line)}\n" if date_line else "")
               + f"RENSEIGNEMENTS CLINIQUES : {upper_dicom(ind)}\n"
               f"TECHNIQUE : {upper_dicom(tech)}\n"
               f"RESULTAT : {upper_dicom(res)}\n"
               f"CONCLUSION : {upper_dicom(concl)}\n{upper_dicom(doctor)}")
        return txt
    if profile == "pet_queue":
        txt = (f"{kind['title']}\n" + (f"{date_line}\n" if date_line else "")
               + f"\nIndication :\n{ind}.\n\nProtocole :\n{tech}\n\nRésultats :\n{res}\n"
               + (f"Foie de référence SUVmax {r.uniform(1.8, 3.2):.1f}.\n".replace(".", ",", 1) if fam == "PT" else "")
               + f"\nConclusion :\n{concl}\n\n{doctor}, médecin nucléaire"
               + (", après relecture par un second médecin." if r.random() < 0.3 else "."))
    else:
        sec = ("Motif" if profile == "mixed_legacy" else "INDICATION")
        txt = (f"{kind['noun'][0].upper() + kind['noun'][1:]}\n" + (f"{date_line}\n" if date_line else "")
               + f"{sec} : {ind}.\nTECHNIQUE : {tech}\nRÉSULTATS : {res}\nCONCLUSION : {concl}\n{doctor}")
    if r.random() < cfg["html_residue"]:
        txt = txt.replace("\n", "<br>").replace("'", "&#39;").replace("é", "&eacute;")
        txt = f"<p>{txt}</p>"
    return txt


def report_title(cfg: dict, profile: str, r: random.Random, kind: dict, site: str, addendum: str | None):
    style = cfg["title_style"]
    if style == "descriptive":
        t = kind["title"] if r.random() < 0.8 else f"Compte rendu - {kind['title']}"
        return f"{t} ({addendum.lower()})" if addendum else t
    if style == "generic":
        if addendum:
            return r.choice(["Addendum", "CR d'imagerie médicale (modifié)", "Compte rendu complémentaire"])
        return r.choices(["CR d'imagerie médicale", "Compte rendu", "Compte-rendu médecine nucléaire",
                          "CR imagerie"], weights=[0.45, 0.3, 0.2, 0.05])[0]
    # mixed: site A generic, site B = the RIS act label; some titles missing
    if r.random() < 0.05:
        return None
    if site == "A":
        return "CR RADIOLOGIE" if not addendum else "CR RADIOLOGIE - ADDENDUM"
    return kind["desc"] if not addendum else f"COMPLEMENT {kind['desc']}"


def report_delay(cfg: dict, r: random.Random, fam: str, t: dt.datetime) -> dt.datetime:
    med, sig = cfg["report_delay_hours"].get(fam, (24.0, 0.8))
    h = math.exp(math.log(med) + r.gauss(0, sig))
    h = max(cfg.get("report_delay_min_hours", 0.25), min(h, cfg["report_delay_cap_hours"]))
    if r.random() < cfg["report_late_tail"]:
        h = r.uniform(cfg["report_delay_cap_hours"], cfg["report_delay_cap_hours"] * 1.9)
    rt = t + dt.timedelta(hours=h)
    if cfg["report_working_hours"]:
        if not (8 <= rt.hour < 19):
            rt = (rt + dt.timedelta(days=1 if rt.hour >= 19 else 0)).replace(hour=r.randint(8, 18))
        while rt.weekday() >= 5:
            rt += dt.timedelta(days=1)
    return rt.replace(second=r.randint(0, 59), microsecond=0)


# ==========================================================================================
def generate(n_patients: int, seed: int, profile: str) -> dict[str, pd.DataFrame]:
    cfg = PROFILES[profile]
    r = random.Random(f"{profile}:{seed}")
    ids = IdMaker(profile, r)
    pats = make_patients(cfg, profile, n_patients, r, ids)
    all_ipps = {p["patient_id"] for p in pats}
    by_surname: dict[str, list[dict]] = {}
    for p in pats:
        by_surname.setdefault(p["family_name"], []).append(p)

    stays, exams, reports, links, faults = [], [], [], [], []
    units = UNITS[profile]
    temp_by_visit: dict[str, str] = {}

    for pat in pats:
        pstays = make_stays(cfg, profile, pat, r, ids)
        stays.extend(pstays)
        n_ex = truncated_poisson(r, *cfg["exams_per_patient"])
        plan: list[tuple[dict | None, dt.datetime, dict]] = []
        visits = follow_up_visits(cfg, r, pstays, n_ex)
        for _ in range(n_ex):
            stay = None
            if pstays and r.random() < cfg["exam_in_stay"]:
                stay = r.choice(pstays)
            if stay is not None:
                t = exam_time_in(r, stay)
            elif visits:
                t = visits.pop(0)
            else:
                t = outpatient_time(r, cfg, pstays)
            kind = pick_kind(cfg, r, pat, stay)
            for _ in range(10):  # no accidental same-day repeat of one exam kind
                if all(not (k2 is kind and t2.date() == t.date()) for _, t2, k2 in plan):
                    break
                kind = pick_kind(cfg, r, pat, stay)
            plan.append((stay, t, kind))
        # same-day same-type pairs (e.g. chest X-ray, then control after a drain)
        if plan and r.random() < cfg["same_day_duplicate_patients"]:
            stay, t, kind = r.choice(plan)
            if kind["family"] in ("XR", "CT", "US"):
                later = t + dt.timedelta(hours=r.uniform(1.5, 8))
                if later.date() == t.date() and (stay is None or later <= stay["end_datetime"]):
                    plan.append((stay, minute(later), kind))
        plan.sort(key=lambda x: x[1])

        for stay, t, kind in plan:
            site = pat["_site"]
            if profile == "mixed_legacy" and r.random() < 0.15:
                site = "B" if site == "A" else "A"  # patient imaged at the other site
            fam = kind["family"]
            exam_id = ids.study_uid(t, site)
            acc = ids.accession(t, fam, site)
            if r.random() < cfg["accession_missing_on_exam"]:
                acc = None
            # ---- fault
            in_er = stay is not None and (stay["_type"] == "ER" or stay["_merged_er"])
            rates = {"missing_ipp": cfg["fault_missing_ipp"], "mistyped_ipp": cfg["fault_mistyped_ipp"],
                     "other_patient_ipp": cfg["fault_other_patient_ipp"],
                     "temporary_ipp": cfg["fault_temporary_ipp"] * (3.0 if in_er else 0.4)}
            u = r.random()
            fault = "none"
            acc_ = 0.0
            for f, p in rates.items():
                acc_ += p
                if u < acc_:
                    fault = f
                    break
            anonymous = False
            if fault == "none":
                hdr_ipp = pat["patient_id"]
            elif fault == "missing_ipp":
                hdr_ipp = None if r.random() < 0.8 else r.choice(["", "0", "INCONNU"])
                if hdr_ipp == "":
                    hdr_ipp = None
            elif fault == "mistyped_ipp":
                hdr_ipp = mistype(r, pat["patient_id"], all_ipps, profile)
            elif fault == "other_patient_ipp":
                same = [q for q in by_surname.get(pat["family_name"], []) if q is not pat]
                other = r.choice(same) if same and r.random() < 0.4 else r.choice(pats)
                while other is pat:
                    other = r.choice(pats)
                hdr_ipp = other["patient_id"]
            else:
                vkey = stay["stay_id"] if stay is not None else f"{pat['patient_id']}:{t.date()}"
                if vkey not in temp_by_visit:
                    temp_by_visit[vkey] = ids.temp_ipp()
                hdr_ipp = temp_by_visit[vkey]
                anonymous = r.random() < cfg["anonymous_temp_share"]
            boost = 1.0 if fault == "none" else 1.8
            name, birth, sex, noise = header_identity(cfg, r, pat, boost, anonymous)
            # ---- header unit / institution / stay
            if stay is not None and r.random() < cfg["exam_unit_requesting"]:
                unit = stay["unit"]
            else:
                unit = units["imaging_er"] if in_er else units["imaging"]
                if profile == "pet_queue" and fam not in ("PT", "NM"):
                    unit = "RADIOLOGIE"
                if profile == "mixed_legacy":
                    unit = f"{unit} {site}" if r.random() < 0.7 else unit
            inst_pool = INSTITUTIONS[profile]
            inst = r.choice(inst_pool[site] if isinstance(inst_pool, dict) else inst_pool)
            inst = inst or None
            body = kind["body"]
            if r.random() < cfg["body_part_missing"]:
                body = None
            elif profile == "mixed_legacy" and site == "B" and r.random() < 0.5:
                body = {"CHEST": "THORAX", "HEAD": "CRANE", "BRAIN": "CRANE", "ABDOMEN": "ABDO",
                        "PELVIS": "BASSIN", "KNEE": "GENOU"}.get(body, body)
            desc = kind["desc"]
            if profile == "fast_ct" and r.random() < 0.2:
                desc = desc.title()
            modality = kind["mod"]
            if modality == "CR" and profile == "mixed_legacy" and site == "A":
                modality = "DX"
            carried = stay["stay_id"] if stay is not None and r.random() < cfg["exam_carries_stay"] else None
            exams.append(dict(exam_id=exam_id, accession_number=acc, patient_id=hdr_ipp,
                              patient_name=name, birth_date=birth, sex=sex, study_datetime=t,
                              modality=modality, study_description=desc, body_part=body,
                              institution=inst, unit=unit, stay_id=carried))
            links.append(("exam", exam_id, "patient", pat["patient_id"]))
            links.append(("exam", exam_id, "stay", stay["stay_id"] if stay is not None else None))
            faults.append(dict(exam_id=exam_id, fault=fault, identity_noise=";".join(noise)))

            # ---- reports
            if r.random() < cfg["exam_without_report"]:
                continue
            rt = report_delay(cfg, r, fam, t)
            date_only = profile == "mixed_legacy" and site == "B" and r.random() < cfg["report_date_only_share"]
            chain = [(None, rt)]
            if r.random() < cfg["addendum_rate"]:
                lo, hi = cfg["addendum_delay_days"]
                chain.append(("Addendum", rt + dt.timedelta(days=r.uniform(lo, hi))))
            if r.random() < cfg["corrected_rate"]:
                lo, hi = cfg["addendum_delay_days"]
                chain.append(("Compte rendu rectifié", rt + dt.timedelta(days=r.uniform(lo, hi))))
            with_date = r.random() < cfg["exam_date_in_text"]
            for add, when in chain:
                rid = ids.report(site)
                if add == "Compte rendu rectifié":
                    text = "COMPTE RENDU RECTIFIÉ (annule et remplace).\n" + report_text(
                        cfg, profile, r, kind, pat, t, site, r.random() < cfg["exam_date_in_text"])
                else:
                    text = report_text(cfg, profile, r, kind, pat, t, site,
                                       with_date if add is None else r.random() < 0.6, addendum_of=add)
                title = report_title(cfg, profile, r, kind, site, add)
                when2 = dt.datetime(when.year, when.month, when.day) if date_only else when
                rep_pid = pat["patient_id"]
                true_stay = stay["stay_id"] if stay is not None else None
                shown_stay = true_stay if true_stay and r.random() < cfg["report_carries_stay"] else None
                if true_stay and r.random() < cfg["report_wrong_stay"]:
                    others = [s for s in pstays if s["stay_id"] != true_stay]
                    if others:
                        shown_stay = min(others, key=lambda s: abs((s["start_datetime"] - when).total_seconds()))["stay_id"]
                if true_stay and r.random() < cfg["report_patient_id_missing_with_stay"]:
                    rep_pid, shown_stay = None, true_stay
                elif r.random() < cfg["report_patient_id_missing"]:
                    rep_pid = None
                rep_acc = acc if acc and r.random() < cfg["accession_on_report"] else None
                if rep_acc and profile == "pet_queue" and r.random() < 0.3:
                    rep_acc = rep_acc.replace("-", "")  # the RIS strips the dash
                reports.append(dict(report_id=rid, patient_id=rep_pid, stay_id=shown_stay,
                                    report_datetime=when2, title=title, text=text,
                                    accession_number=rep_acc))
                links.append(("report", rid, "exam", exam_id))
                links.append(("report", rid, "stay", true_stay))

        # reports of exams that are not in this PACS (outside exams read here)
        n_out = sum(r.random() < cfg["outside_exam_reports"] for _ in range(max(1, n_ex)))
        for _ in range(n_out):
            kind = pick_kind(cfg, r, pat, None)
            t = outpatient_time(r, cfg, pstays)
            rt = t + dt.timedelta(days=r.uniform(3, 30))
            site = pat["_site"]
            rid = ids.report(site)
            text = ("Relecture d'un examen réalisé à l'extérieur (CD apporté par le patient).\n"
                    + report_text(cfg, profile, r, kind, pat, t, site, r.random() < 0.7))
            title = ("Avis sur imagerie extérieure" if cfg["title_style"] == "descriptive"
                     else report_title(cfg, profile, r, kind, site, None))
            inside = [s for s in pstays if s["start_datetime"] <= rt <= s["end_datetime"]]
            true_stay = inside[0]["stay_id"] if inside else None
            shown = true_stay if true_stay and r.random() < cfg["report_carries_stay"] else None
            reports.append(dict(report_id=rid, patient_id=pat["patient_id"], stay_id=shown,
                                report_datetime=rt.replace(microsecond=0), title=title, text=text,
                                accession_number=None))
            links.append(("report", rid, "exam", None))
            links.append(("report", rid, "stay", true_stay))

    # ---- frames
    pat_df = pd.DataFrame([{k: v for k, v in p.items() if not k.startswith("_")} for p in pats])
    stay_df = pd.DataFrame([{k: v for k, v in s.items() if not k.startswith("_")} for s in stays])
    exam_df = pd.DataFrame(exams)
    rep_df = pd.DataFrame(reports)
    # the warehouse export order is not chronological per patient
    exam_df = exam_df.sample(frac=1.0, random_state=seed % (2**32)).reset_index(drop=True)
    rep_df = rep_df.sample(frac=1.0, random_state=(seed + 1) % (2**32)).reset_index(drop=True)
    link_df = pd.DataFrame(links, columns=["source_type", "source_id", "target_type", "target_id"])
    fault_df = pd.DataFrame(faults, columns=["exam_id", "fault", "identity_noise"])
    return dict(patients=pat_df, stays=stay_df, exams=exam_df, reports=rep_df,
                links=link_df, exam_faults=fault_df)


COLUMNS = {
    "patients": {"patient_id": "id", "family_name": "s", "given_name": "s", "birth_date": "ts",
                 "sex": "s", "usage_name": "s"},
    "stays": {"stay_id": "id", "patient_id": "id", "start_datetime": "ts", "end_datetime": "ts",
              "unit": "s", "stay_type": "s", "diagnoses": "s"},
    "exams": {"exam_id": "id", "accession_number": "id", "patient_id": "id", "patient_name": "s",
              "birth_date": "ts", "sex": "s", "study_datetime": "ts", "modality": "s",
              "study_description": "s", "body_part": "s", "institution": "s", "unit": "s",
              "stay_id": "id"},
    "reports": {"report_id": "id", "patient_id": "id", "stay_id": "id", "report_datetime": "ts",
                "title": "s", "text": "s", "accession_number": "id"},
    "links": {"source_type": "s", "source_id": "id", "target_type": "s", "target_id": "id"},
    "exam_faults": {"exam_id": "id", "fault": "s", "identity_noise": "s"},
}


def to_table(df: pd.DataFrame, cols: dict[str, str]) -> pa.Table:
    arrays, fields = [], []
    for c, kind in cols.items():
        vals = df[c].tolist() if c in df else [None] * len(df)
        if kind == "ts":
            vals = [None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT
                    else pd.Timestamp(v).to_pydatetime() for v in vals]
            arrays.append(pa.array(vals, type=pa.timestamp("us")))
            fields.append(pa.field(c, pa.timestamp("us")))
        else:
            vals = [None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in vals]
            arrays.append(pa.array(vals, type=pa.string()))
            fields.append(pa.field(c, pa.string()))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def write(tables: dict[str, pd.DataFrame], out: Path) -> None:
    (out / "truth").mkdir(parents=True, exist_ok=True)
    for name in ("patients", "stays", "exams", "reports"):
        pq.write_table(to_table(tables[name], COLUMNS[name]), out / f"{name}.parquet",
                       compression="zstd")
    for name in ("links", "exam_faults"):
        pq.write_table(to_table(tables[name], COLUMNS[name]), out / "truth" / f"{name}.parquet",
                       compression="zstd")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=90210)
    ap.add_argument("--profile", choices=sorted(PROFILES), default="fast_ct")
    ap.add_argument("-o", "--out", required=True, type=Path)
    a = ap.parse_args(argv)
    tables = generate(a.patients, a.seed, a.profile)
    write(tables, a.out)
    print(f"{a.profile}: {len(tables['patients'])} patients, {len(tables['stays'])} stays, "
          f"{len(tables['exams'])} exams, {len(tables['reports'])} reports -> {a.out}")


if __name__ == "__main__":
    main()
