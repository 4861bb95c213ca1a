"""Vocabulary of warehouse8: invented names, exam catalogue, report wording (all synthetic)."""

# Surnames: heavy-tailed (weights), with particles and compound names. Invented or very common.
SURNAMES = [
    ("MARTIN", 60), ("BERNARD", 40), ("PETIT", 32), ("DUBOIS", 30), ("THOMAS", 28), ("ROBERT", 26),
    ("RICHARD", 24), ("DURAND", 22), ("MOREAU", 20), ("LAURENT", 19), ("SIMON", 18), ("MICHEL", 17),
    ("LEFEBVRE", 16), ("LEROY", 15), ("ROUX", 14), ("DAVID", 13), ("BERTRAND", 12), ("MOREL", 12),
    ("FOURNIER", 11), ("GIRARD", 11), ("BONNET", 10), ("DUPONT", 10), ("LAMBERT", 9), ("FONTAINE", 9),
    ("ROUSSEAU", 9), ("VINCENT", 8), ("MULLER", 8), ("LEFÈVRE", 8), ("FAURE", 8), ("ANDRÉ", 8),
    ("MERCIER", 7), ("BLANC", 7), ("GUÉRIN", 7), ("BOYER", 7), ("GARNIER", 6), ("CHEVALIER", 6),
    ("FRANÇOIS", 6), ("LEGRAND", 6), ("GAUTHIER", 6), ("GARCIA", 6), ("PERRIN", 5), ("ROBIN", 5),
    ("CLÉMENT", 5), ("MORIN", 5), ("NICOLAS", 5), ("HENRY", 5), ("ROUSSEL", 5), ("MATHIEU", 5),
    ("DE LA FONTAINE", 3), ("LE GOFF", 4), ("LE BIHAN", 3), ("D'ARGENSON", 2), ("DU PLESSIS", 2),
    ("SAINT-GERMAIN", 2), ("LE MOAL", 3), ("KERGUELEN", 2), ("N'DIAYE", 4), ("DIALLO", 4),
    ("BEN AHMED", 3), ("EL KHOURY", 2), ("NGUYEN", 5), ("TRAN", 3), ("DA SILVA", 4), ("FERREIRA", 3),
    ("DOS SANTOS", 3), ("KOWALSKI", 2), ("HADDAD", 3), ("BOUZID", 3), ("YILMAZ", 2), ("MAILLARD-LÉCUYER", 1),
    ("BARRAULT", 2), ("CHAMPEAUX", 1), ("VERNIÈRES", 1), ("QUÉRÉ", 2), ("TALLEC", 1), ("JOUANNO", 1),
    ("PRADIER-MOUSSU", 1), ("ESCANDE", 1), ("LABROUSSE", 2), ("CASTAGNÉ", 1), ("OLLIVIER", 2),
    ("BRÉHAT", 1), ("VILLEDIEU", 1), ("ABGRALL", 1), ("CORNIC", 1), ("THÉVENOT", 2), ("AUBRY", 2),
    ("POIRIER-DANEL", 1), ("MASSON", 4), ("MARCHAND", 4), ("DUMAS", 4), ("LEMAIRE", 4), ("BRUN", 4),
    ("BLANCHARD", 3), ("GUILLOT", 3), ("COLIN", 3), ("RENAUD", 3), ("ARNAUD", 3), ("GILLET", 2),
]
MALE_GIVEN = ["JEAN", "PIERRE", "MICHEL", "PHILIPPE", "ALAIN", "PATRICK", "NICOLAS", "CHRISTOPHE",
              "FRANÇOIS", "DANIEL", "BERNARD", "ÉRIC", "FRÉDÉRIC", "JÉRÔME", "THIERRY", "LUC",
              "JEAN-PIERRE", "JEAN-LUC", "JEAN-MARIE", "MARC", "STÉPHANE", "SÉBASTIEN", "JULIEN",
              "KEVIN", "THOMAS", "LUCAS", "HUGO", "MAMADOU", "MOHAMED", "KARIM", "YANNICK", "GAËL",
              "RENÉ", "ANDRÉ", "GÉRARD", "ROGER", "MAXIME", "ANTOINE", "LOÏC", "HERVÉ", "NOËL", "DENIS"]
FEMALE_GIVEN = ["MARIE", "NATHALIE", "ISABELLE", "SYLVIE", "CATHERINE", "FRANÇOISE", "MONIQUE",
                "CHRISTINE", "VALÉRIE", "SANDRINE", "STÉPHANIE", "CÉLINE", "AURÉLIE", "JULIE", "LÉA",
                "CHLOÉ", "EMMA", "MANON", "HÉLÈNE", "JOSIANE", "GENEVIÈVE", "MARIE-CLAUDE", "ANNE-SOPHIE",
                "MARIE-THÉRÈSE", "FATOU", "AÏCHA", "NADIA", "LINH", "SOLÈNE", "MAËLLE", "AGNÈS",
                "BRIGITTE", "JOCELYNE", "DANIELLE", "ODILE", "GAËLLE", "ANNICK", "NOÉMIE", "ÉLODIE"]
FOREIGN_SURNAMES = {"N'DIAYE", "DIALLO", "BEN AHMED", "EL KHOURY", "NGUYEN", "TRAN", "KOWALSKI",
                    "HADDAD", "BOUZID", "YILMAZ", "DA SILVA", "FERREIRA", "DOS SANTOS"}

# Exam catalogue: key -> (modality, study_description, body_part, region words, report delay class)
EXAMS = {
    "CT_THORAX": ("CT", "TDM THORAX SANS INJECTION", "CHEST", "thoracique", "fast"),
    "CT_THORAX_INJ": ("CT", "SCANNER THORAX INJECTE", "CHEST", "thoracique", "fast"),
    "CT_AP": ("CT", "TDM ABDOMINO-PELVIENNE INJ", "ABDOMEN", "abdomino-pelvien", "fast"),
    "CT_TAP": ("CT", "TDM THORAX-ABDO-PELVIS", "CHEST", "thoraco-abdomino-pelvien", "fast"),
    "CT_HEAD": ("CT", "TDM CEREBRALE SANS INJ", "HEAD", "cérébral", "fast"),
    "CT_ANGIO_PE": ("CT", "ANGIOSCANNER THORACIQUE", "CHEST", "thoracique", "fast"),
    "CT_SPINE": ("CT", "TDM RACHIS LOMBAIRE", "LSPINE", "rachidien lombaire", "fast"),
    "MR_BRAIN": ("MR", "IRM ENCEPHALE", "BRAIN", "encéphalique", "slow"),
    "MR_LSPINE": ("MR", "IRM RACHIS LOMBAIRE", "LSPINE", "rachidien lombaire", "slow"),
    "MR_KNEE": ("MR", "IRM GENOU", "KNEE", "du genou", "slow"),
    "MR_PELVIS": ("MR", "IRM PELVIENNE", "PELVIS", "pelvien", "slow"),
    "MR_LIVER": ("MR", "IRM HEPATIQUE", "ABDOMEN", "hépatique", "slow"),
    "MR_BREAST": ("MR", "IRM MAMMAIRE", "BREAST", "mammaire", "slow"),
    "US_ABD": ("US", "ECHOGRAPHIE ABDOMINALE", "ABDOMEN", "abdominal", "fast"),
    "US_DOPPLER_LL": ("US", "ECHO-DOPPLER VEINEUX MI", "LEG", "veineux des membres inférieurs", "fast"),
    "US_THYROID": ("US", "ECHOGRAPHIE THYROIDIENNE", "NECK", "thyroïdien", "fast"),
    "US_BREAST": ("US", "ECHOGRAPHIE MAMMAIRE BILAT", "BREAST", "mammaire", "fast"),
    "CR_CHEST": ("CR", "RADIO THORAX FACE", "CHEST", "thoracique", "fast"),
    "DX_CHEST_BED": ("DX", "THORAX AU LIT", "CHEST", "thoracique", "fast"),
    "DX_KNEE": ("DX", "RX GENOU F+P", "KNEE", "du genou", "fast"),
    "DX_HIP": ("DX", "RADIO BASSIN + HANCHE", "PELVIS", "du bassin", "fast"),
    "DX_WRIST": ("DX", "RX POIGNET", "HAND", "du poignet", "fast"),
    "MG_SCREEN": ("MG", "MAMMOGRAPHIE DEPISTAGE", "BREAST", "mammaire", "fast"),
    "MG_DIAG": ("MG", "MAMMOGRAPHIE BILATERALE", "BREAST", "mammaire", "fast"),
    "PT_FDG": ("PT\\CT", "TEP-TDM FDG CORPS ENTIER", "WHOLEBODY", "corps entier", "nuc"),
    "PT_PSMA": ("PT\\CT", "TEP PSMA", "WHOLEBODY", "corps entier", "nuc"),
    "NM_BONE": ("NM", "SCINTIGRAPHIE OSSEUSE", "WHOLEBODY", "squelette entier", "nuc"),
    "NM_LUNG": ("NM", "SCINTI PULMONAIRE V/P", "CHEST", "pulmonaire", "nuc"),
}
MOD_WORD = {"CT": "Scanner", "MR": "IRM", "US": "Échographie", "CR": "Radiographie", "DX": "Radiographie",
            "MG": "Mammographie", "PT\\CT": "TEP-TDM", "NM": "Scintigraphie"}

# Report titles: descriptive (from catalogue) or generic
GENERIC_TITLES = ["COMPTE RENDU", "CR RADIOLOGIE", "Compte-rendu d'imagerie", "RESULTAT EXAMEN", "CR"]

# Section header styles: (indication, technique, results, conclusion)
HEADER_STYLES = [
    ("INDICATION :", "TECHNIQUE :", "RÉSULTATS :", "CONCLUSION :"),
    ("Indication", "Technique", "Résultat", "Conclusion"),
    ("RENSEIGNEMENTS CLINIQUES", "PROTOCOLE", "COMPTE RENDU", "AU TOTAL"),
    ("Motif de l'examen :", "Protocole :", "Description :", "En conclusion :"),
    ("Contexte clinique :", "Réalisation :", "Analyse :", "Synthèse :"),
]

INDICATIONS = {
    "CT": ["Dyspnée aiguë, recherche d'embolie pulmonaire.", "Bilan d'extension d'un adénocarcinome pulmonaire.",
           "Douleur abdominale fébrile.", "Suivi de nodule pulmonaire.", "Céphalées brutales.",
           "Traumatisme crânien sous anticoagulant.", "Réévaluation après 3 cures de chimiothérapie.",
           "Lombosciatalgie droite rebelle."],
    "MR": ["Bilan de sclérose en plaques.", "Lombosciatalgie L5 gauche.", "Gonalgie après entorse.",
           "Caractérisation d'un nodule hépatique.", "Bilan locorégional d'un cancer du col.",
           "Bilan préthérapeutique d'un cancer du sein."],
    "US": ["Douleur de l'hypochondre droit.", "Suspicion de thrombose veineuse profonde.",
           "Nodule thyroïdien palpé.", "Masse mammaire palpée.", "Bilan d'hépatopathie."],
    "CR": ["Toux fébrile.", "Contrôle après pose de PAC.", "Dyspnée.", "Bilan préopératoire."],
    "DX": ["Contrôle position sonde d'intubation.", "Traumatisme du genou.", "Chute, douleur de hanche.",
           "Chute sur le poignet."],
    "MG": ["Dépistage organisé.", "Masse du sein droit.", "Surveillance d'un cancer du sein traité."],
    "PT\\CT": ["Bilan initial d'un lymphome.", "Évaluation thérapeutique.", "Suspicion de récidive.",
               "Bilan d'extension d'un cancer bronchique.", "Remontée du PSA après prostatectomie."],
    "NM": ["Bilan d'extension osseuse.", "Suspicion d'embolie pulmonaire, grossesse.", "Douleurs osseuses diffuses."],
}
NORMAL = {
    "CT": ["Absence d'anomalie parenchymateuse. Pas d'épanchement pleural. Pas d'adénopathie médiastinale.",
           "Pas de lésion focale hépatique. Reins de taille normale. Pas d'épanchement intrapéritonéal.",
           "Pas d'hémorragie intracrânienne. Pas d'effet de masse. Ligne médiane en place."],
    "MR": ["Pas d'anomalie de signal de la substance blanche.", "Disques intervertébraux de signal normal, sans conflit.",
           "Ménisques et ligaments croisés sans anomalie."],
    "US": ["Foie de taille et d'échostructure normales. Vésicule alithiasique.", "Veines perméables et compressibles.",
           "Thyroïde homogène sans nodule."],
    "CR": ["Pas de foyer parenchymateux. Culs-de-sac libres.", "Silhouette cardiaque normale."],
    "DX": ["Pas de lésion osseuse traumatique visible.", "Sonde d'intubation en bonne position."],
    "MG": ["Seins de densité B. Pas d'opacité ni de microcalcification suspecte. ACR 1."],
    "PT\\CT": ["Pas d'hyperfixation pathologique. Fixation hépatique de référence SUVmax 2,3."],
    "NM": ["Pas de foyer d'hyperfixation suspect. Fixations dégénératives rachidiennes."],
}
ABNORMAL = {
    "CT": ["Nodule du lobe supérieur droit de {s} mm, spiculé.", "Embolie pulmonaire segmentaire lobaire inférieure gauche.",
           "Adénopathie médiastinale de {s} mm en 4R.", "Appendice de {s} mm infiltré, compatible avec une appendicite.",
           "Hématome sous-dural droit de {s} mm d'épaisseur.", "Hernie discale L4-L5 postéro-latérale droite."],
    "MR": ["Lésion hépatique du segment VI de {s} mm, en hypersignal T2.", "Hernie discale L5-S1 gauche au contact de la racine S1.",
           "Lésions de la substance blanche périventriculaires, dont une rehaussée.", "Fissure de la corne postérieure du ménisque médial."],
    "US": ["Lithiase vésiculaire de {s} mm sans signe de cholécystite.", "Thrombose veineuse fémorale droite.",
           "Nodule thyroïdien lobaire droit de {s} mm, EU-TIRADS 4.", "Image kystique mammaire de {s} mm."],
    "CR": ["Opacité alvéolaire basale droite.", "Épanchement pleural gauche de moyenne abondance."],
    "DX": ["Fracture de l'extrémité distale du radius, peu déplacée.", "Fracture du col fémoral gauche."],
    "MG": ["Foyer de microcalcifications du QSE droit, ACR 4.", "Opacité stellaire de {s} mm du sein gauche, ACR 5."],
    "PT\\CT": ["Hyperfixation ganglionnaire médiastinale, SUVmax {v}.", "Masse pulmonaire lobaire supérieure gauche de {s} mm, SUVmax {v}."],
    "NM": ["Foyers d'hyperfixation costaux et vertébraux évocateurs de localisations secondaires."],
}
COMPARISONS = ["Comparaison avec l'examen du {d}.", "Par rapport au précédent examen du {d} :",
               "Comparativement au scanner antérieur ({d}),", "Examen antérieur du {d} disponible pour comparaison.",
               "Pas d'examen antérieur disponible."]
CONCL_NORMAL = ["Examen normal.", "Absence d'anomalie significative.", "Pas d'anomalie décelable.",
                "Examen sans particularité."]
CONCL_STABLE = ["Stabilité lésionnelle.", "Aspect stable par rapport à l'examen antérieur.",
                "Réponse partielle.", "Progression lésionnelle."]
SIGNATURES = ["Dr {r}", "Docteur {r}, radiologue", "Compte rendu validé électroniquement par le Dr {r}",
              "Pr {r}", "Interprété par Dr {r}"]
RADIOLOGISTS = ["LOMBARD", "VASSEUR", "HAMON", "PELLETIER", "CARON", "BRETON", "DELMAS", "TESSIER",
                "LECLERC", "RIVIÈRE", "JACOB", "MAHÉ"]

# French public holidays 2023-2025
HOLIDAYS = {
    "2023-01-01", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-18", "2023-05-29", "2023-07-14",
    "2023-08-15", "2023-11-01", "2023-11-11", "2023-12-25",
    "2024-01-01", "2024-04-01", "2024-05-01", "2024-05-08", "2024-05-09", "2024-05-20", "2024-07-14",
    "2024-08-15", "2024-11-01", "2024-11-11", "2024-12-25",
    "2025-01-01", "2025-04-21", "2025-05-01", "2025-05-08", "2025-05-29", "2025-06-09", "2025-07-14",
    "2025-08-15", "2025-11-01", "2025-11-11", "2025-12-25",
}
DIAG = ["C34.1", "C50.4", "C18.7", "C61", "C83.3", "I26.9", "J18.9", "K35.8", "S72.0", "S52.5",
        "I63.9", "N20.0", "K80.2", "R07.4", "M51.1", "E11.9", "I10", "Z51.1", "Z08.0"]
OUTSIDE_CENTRES = ["CABINET IMAGERIE DU PARC", "CENTRE RADIOLOGIQUE ST-EXUPERY", "SCM IMAGERIE DES TILLEULS",
                   "CH DE LANGEAC", "CLINIQUE DES CEDRES"]

# Topic of each catalogue entry, so indication, findings and conclusion fit the exam
TOPIC = {"CT_THORAX": "chest", "CT_THORAX_INJ": "chest", "CT_ANGIO_PE": "pe", "CT_AP": "abdo", "CT_TAP": "onco",
         "CT_HEAD": "head", "CT_SPINE": "spine", "MR_BRAIN": "brain", "MR_LSPINE": "spine", "MR_KNEE": "knee",
         "MR_PELVIS": "pelvis", "MR_LIVER": "liver", "MR_BREAST": "breast", "US_ABD": "abdo", "US_DOPPLER_LL": "vein",
         "US_THYROID": "thyroid", "US_BREAST": "breast", "CR_CHEST": "cxr", "DX_CHEST_BED": "cxr", "DX_KNEE": "knee_x",
         "DX_HIP": "hip", "DX_WRIST": "wrist", "MG_SCREEN": "breast", "MG_DIAG": "breast", "PT_FDG": "pet",
         "PT_PSMA": "psma", "NM_BONE": "bone", "NM_LUNG": "pe"}
T_IND = {
    "chest": ["Toux persistante chez un fumeur.", "Suivi de nodule pulmonaire.", "Dyspnée d'aggravation progressive.", "Hémoptysie de faible abondance."],
    "pe": ["Dyspnée aiguë, D-dimères positifs.", "Suspicion d'embolie pulmonaire.", "Douleur thoracique et tachycardie."],
    "abdo": ["Douleur de la fosse iliaque droite fébrile.", "Douleur de l'hypochondre droit.", "Syndrome occlusif.", "Bilan d'hépatopathie."],
    "onco": ["Bilan d'extension d'un adénocarcinome colique.", "Réévaluation après 3 cures de chimiothérapie.",
             "Surveillance d'un cancer du rein opéré.", "Évaluation sous immunothérapie."],
    "head": ["Traumatisme crânien sous anticoagulant.", "Céphalées brutales inhabituelles.", "Confusion aiguë du sujet âgé."],
    "brain": ["Bilan de sclérose en plaques.", "Céphalées chroniques.", "Déficit moteur transitoire du membre supérieur droit.",
              "Recherche de localisations secondaires."],
    "spine": ["Lombosciatalgie L5 gauche.", "Lombalgie chronique.", "Radiculalgie S1 droite rebelle."],
    "knee": ["Gonalgie après entorse.", "Blocage du genou droit.", "Douleur méniscale interne."],
    "pelvis": ["Bilan locorégional d'un cancer du col.", "Suspicion d'endométriose.", "Bilan d'un cancer de la prostate."],
    "liver": ["Caractérisation d'un nodule hépatique.", "Surveillance de métastases hépatiques.", "Cirrhose, dépistage de CHC."],
    "breast": ["Dépistage organisé.", "Masse du sein droit.", "Surveillance d'un cancer du sein traité.", "Écoulement mamelonnaire."],
    "vein": ["Suspicion de thrombose veineuse profonde.", "Grosse jambe gauche douloureuse."],
    "thyroid": ["Nodule thyroïdien palpé.", "Bilan d'hyperthyroïdie."],
    "cxr": ["Toux fébrile.", "Contrôle après pose de PAC.", "Dyspnée.", "Bilan préopératoire.", "Contrôle de position de sonde."],
    "knee_x": ["Traumatisme du genou.", "Gonarthrose, bilan."],
    "hip": ["Chute, douleur de hanche, impotence.", "Coxalgie droite."],
    "wrist": ["Chute sur le poignet.", "Traumatisme du poignet gauche."],
    "pet": ["Bilan initial d'un lymphome.", "Évaluation thérapeutique intermédiaire.", "Suspicion de récidive.",
            "Bilan d'extension d'un cancer bronchique."],
    "psma": ["Remontée du PSA après prostatectomie.", "Bilan d'extension d'un adénocarcinome prostatique."],
    "bone": ["Bilan d'extension osseuse.", "Douleurs osseuses diffuses."],
}
T_NORMAL = {
    "chest": ["Absence de nodule ni de masse parenchymateuse. Pas d'épanchement pleural. Pas d'adénopathie médiastinale."],
    "pe": ["Absence de défect endoluminal des artères pulmonaires jusqu'en segmentaire. Pas d'épanchement pleural."],
    "abdo": ["Foie de taille normale, homogène. Vésicule alithiasique. Reins sans dilatation. Pas d'épanchement."],
    "onco": ["Pas de lésion secondaire identifiée à l'étage thoracique ni abdominal. Pas d'adénopathie."],
    "head": ["Pas d'hémorragie intracrânienne. Pas d'effet de masse. Ligne médiane en place."],
    "brain": ["Pas d'anomalie de signal de la substance blanche. Pas de prise de contraste pathologique."],
    "spine": ["Disques de hauteur et de signal normaux, sans conflit discoradiculaire."],
    "knee": ["Ménisques et ligaments croisés sans anomalie. Pas d'épanchement."],
    "pelvis": ["Utérus et ovaires sans anomalie. Pas d'adénopathie pelvienne."],
    "liver": ["Pas de lésion focale hépatique. Pas de dysmorphie."],
    "breast": ["Seins de densité B. Pas d'image suspecte. ACR 1."],
    "vein": ["Veines fémorales, poplitées et jambières perméables et compressibles."],
    "thyroid": ["Thyroïde de taille normale, homogène, sans nodule."],
    "cxr": ["Pas de foyer parenchymateux. Culs-de-sac libres. Silhouette cardiaque normale."],
    "knee_x": ["Pas de lésion osseuse traumatique visible. Interlignes conservés."],
    "hip": ["Pas de fracture visible du bassin ni de l'extrémité supérieure du fémur."],
    "wrist": ["Pas de fracture visible."],
    "pet": ["Pas d'hyperfixation pathologique. Foie de référence SUVmax 2,4."],
    "psma": ["Pas de fixation suspecte de la loge de prostatectomie ni ganglionnaire."],
    "bone": ["Pas de foyer d'hyperfixation suspect. Fixations dégénératives rachidiennes."],
}
T_ABN = {
    "chest": ["Nodule du lobe supérieur droit de {s} mm, spiculé.", "Adénopathie médiastinale de {s} mm en 4R.", "Condensation lobaire inférieure gauche."],
    "pe": ["Embolie pulmonaire segmentaire lobaire inférieure gauche.", "Embolie pulmonaire bilatérale proximale, rapport VD/VG à 1,1."],
    "abdo": ["Appendice de {s} mm infiltré, compatible avec une appendicite.", "Lithiase vésiculaire de {s} mm sans signe de cholécystite.",
             "Distension grêlique avec zone de transition en fosse iliaque droite."],
    "onco": ["Lésion hépatique du segment VII de {s} mm.", "Nodules pulmonaires bilatéraux, le plus volumineux de {s} mm.",
             "Adénopathie rétropéritonéale de {s} mm."],
    "head": ["Hématome sous-dural droit de {s} mm d'épaisseur.", "Hypodensité cortico-sous-corticale sylvienne gauche."],
    "brain": ["Lésions de la substance blanche périventriculaires, dont une rehaussée.", "Lésion frontale droite de {s} mm rehaussée en anneau."],
    "spine": ["Hernie discale L4-L5 postéro-latérale gauche au contact de la racine L5.", "Hernie discale L5-S1 droite."],
    "knee": ["Fissure de la corne postérieure du ménisque médial.", "Rupture du ligament croisé antérieur."],
    "pelvis": ["Masse cervicale de {s} mm, sans envahissement paramétrial.", "Endométriome ovarien gauche de {s} mm."],
    "liver": ["Lésion hépatique du segment VI de {s} mm, en hypersignal T2.", "Deux métastases hépatiques, la plus grande de {s} mm."],
    "breast": ["Foyer de microcalcifications du QSE droit, ACR 4.", "Opacité stellaire de {s} mm du sein gauche, ACR 5.",
               "Image kystique de {s} mm du sein droit, ACR 2."],
    "vein": ["Thrombose veineuse fémorale droite.", "Thrombose veineuse surale gauche."],
    "thyroid": ["Nodule thyroïdien lobaire droit de {s} mm, EU-TIRADS 4.", "Goitre multinodulaire."],
    "cxr": ["Opacité alvéolaire basale droite.", "Épanchement pleural gauche de moyenne abondance."],
    "knee_x": ["Fracture du plateau tibial latéral.", "Gonarthrose fémoro-tibiale médiale."],
    "hip": ["Fracture du col fémoral gauche.", "Fracture pertrochantérienne droite."],
    "wrist": ["Fracture de l'extrémité distale du radius, peu déplacée."],
    "pet": ["Hyperfixation ganglionnaire médiastinale, SUVmax {v}.", "Masse pulmonaire lobaire supérieure gauche de {s} mm, SUVmax {v}."],
    "psma": ["Fixation ganglionnaire iliaque externe droite de {s} mm, SUVmax {v}."],
    "bone": ["Foyers d'hyperfixation costaux et vertébraux évocateurs de localisations secondaires."],
}
