"""Vocabulary of warehouse6: invented names, exam catalogue, report wording.

Everything here is synthetic and written by hand for this generator.
"""

# --- surnames: (name, weight). Heavy tailed: a few very common, many rare. ---------------
SURNAMES_COMMON = [
    ("MARTIN", 60), ("BERNARD", 38), ("DUBOIS", 30), ("THOMAS", 28), ("ROBERT", 25),
    ("RICHARD", 22), ("PETIT", 21), ("DURAND", 20), ("LEROY", 18), ("MOREAU", 18),
    ("SIMON", 17), ("LAURENT", 16), ("LEFEBVRE", 16), ("MICHEL", 15), ("GARCIA", 14),
    ("DAVID", 13), ("BERTRAND", 12), ("ROUX", 12), ("VINCENT", 11), ("FOURNIER", 11),
    ("MOREL", 10), ("GIRARD", 10), ("ANDRE", 10), ("LEFEVRE", 9), ("MERCIER", 9),
    ("DUPONT", 9), ("LAMBERT", 9), ("BONNET", 8), ("FRANCOIS", 8), ("MARTINEZ", 8),
]
SURNAMES_RARE = [
    "AUBRY", "BARRAUD", "BEAUGENDRE", "BELLANGER", "BESNARD", "BOISSONNADE", "BOUCHERIE",
    "BRETONNEAU", "CARBONNEL", "CHABERT", "CHAMPENOIS", "CHAUVIERE", "COLLIGNON", "CORNILLEAU",
    "COUDERC", "DAGUERRE", "DELAHAYE", "DESCAMPS", "DEVAUCHELLE", "DUCROCQ", "ESCOFFIER",
    "FAUCHEUX", "FERRAND", "FOUILLOUX", "GAILLARDET", "GERBAUD", "GODEFROY", "GRANDJEAN",
    "GUERINEAU", "HAMELIN", "HEURTAULT", "JOUANNEAU", "LABORDE", "LACOMBE", "LAGARDE",
    "LAMOTTE", "LANGLOIS", "LARCHER", "LEBRETON", "LECLERCQ", "LEMAITRE", "LEPRINCE",
    "LHUILLIER", "MAILLARD", "MARCHAIS", "MASSOT", "MAUGUIN", "MENARD", "MIGNOT", "MONNERIE",
    "NAUDIN", "OLLIVIER", "PAQUEREAU", "PELLERIN", "PERRAUDIN", "PICHON", "PIGEAT", "POIRAUD",
    "PRUVOST", "QUEMENEUR", "RABILLOUD", "RAGUENEAU", "RENAUDIN", "RIGAUDEAU", "ROUSSELOT",
    "SABOURIN", "SERRURIER", "TALLEC", "TARDIVEL", "TESSERAUD", "THIBAUDEAU", "TOURNEUX",
    "TREMBLAY", "VALLEE", "VASSEUR", "VERDIER", "VIGOUROUX", "VOISIN", "WAGNER", "ZIMMER",
    "KERGOAT", "LE GALL", "LE ROUX", "LE BIHAN", "LE GOFF", "DE LA ROCHE", "DU PLESSIS",
    "DE SAINT-JEAN", "D'ALMEIDA", "SAINT-MARTIN", "BOULANGER-DAVID", "MARTIN-DUVAL",
    "LEMOINE-CORNU", "PERROT-MASSIAS", "HEBERT", "GUERIN", "FAVRE", "BRUNEAU", "CLEMENT",
    "DENIS", "ETIENNE", "FLEURY", "GAUTIER", "HUET", "JOLY", "LECOMTE", "MARIE", "NOEL",
    "PERRIN", "RENARD", "SCHMITT", "TEXIER", "VIDAL", "BLANCHARD", "CARON", "COLIN",
]
# accented forms of some surnames as they are written in the registry
ACCENTED = {
    "ANDRE": "ANDRÉ", "LEFEVRE": "LEFÈVRE", "FRANCOIS": "FRANÇOIS", "MENARD": "MÉNARD",
    "HEBERT": "HÉBERT", "GUERIN": "GUÉRIN", "VALLEE": "VALLÉE", "CHAUVIERE": "CHAUVIÈRE",
    "GUERINEAU": "GUÉRINEAU", "ETIENNE": "ÉTIENNE", "NOEL": "NOËL", "CLEMENT": "CLÉMENT",
}

GIVEN_M = ["JEAN", "PIERRE", "MICHEL", "ANDRÉ", "PHILIPPE", "ALAIN", "BERNARD", "CHRISTIAN",
           "DANIEL", "GÉRARD", "JACQUES", "PATRICK", "FRANÇOIS", "NICOLAS", "LAURENT",
           "STÉPHANE", "THIERRY", "OLIVIER", "SÉBASTIEN", "JULIEN", "THOMAS", "MAXIME", "LUCAS",
           "HUGO", "LÉO", "GABRIEL", "RAPHAËL", "JEAN-PIERRE", "JEAN-LUC", "MARC", "DIDIER",
           "YVES", "RENÉ", "ROGER", "MARCEL", "CLAUDE", "HERVÉ", "LOÏC", "YANN", "ANTOINE"]
GIVEN_F = ["MARIE", "JEANNE", "MONIQUE", "FRANÇOISE", "CATHERINE", "NATHALIE", "ISABELLE",
           "SYLVIE", "CHRISTINE", "MARTINE", "NICOLE", "SANDRINE", "VALÉRIE", "CÉLINE",
           "AURÉLIE", "JULIE", "CAMILLE", "LÉA", "EMMA", "CHLOÉ", "MANON", "INÈS", "HÉLÈNE",
           "BRIGITTE", "DANIELLE", "JOSIANE", "GENEVIÈVE", "MARIE-CLAIRE", "ANNE-SOPHIE",
           "MARIE-THÉRÈSE", "ODILE", "ÉLISE", "MAËLLE", "CLÉMENCE", "SOLÈNE", "AGNÈS", "ROSE",
           "PAULETTE", "SIMONE", "YVETTE"]

# foreign patients: (family, given, sex); in the registry family first, at the console
# often inverted (the family name taken for the given name)
FOREIGN = [
    ("NGUYEN", "VAN THANH", "M"), ("TRAN", "THI HOA", "F"), ("PHAM", "MINH DUC", "M"),
    ("DIALLO", "MAMADOU", "M"), ("TRAORE", "AMINATA", "F"), ("KEITA", "MOUSSA", "M"),
    ("BENALI", "KARIM", "M"), ("HADDAD", "LEILA", "F"), ("BOUAZIZ", "NADIA", "F"),
    ("YILMAZ", "MEHMET", "M"), ("KAYA", "AYSE", "F"), ("DA SILVA", "JOAO", "M"),
    ("FERREIRA", "MARIA DA CONCEICAO", "F"), ("POPESCU", "ION", "M"), ("IONESCU", "ELENA", "F"),
    ("KOWALSKI", "PIOTR", "M"), ("MOHAMED", "AHMED", "M"), ("SYLLA", "FATOUMATA", "F"),
    ("ZHANG", "WEI", "M"), ("WANG", "LI", "F"), ("SAID", "OMAR", "M"), ("BALDE", "HAWA", "F"),
]

# --- exam catalogue ----------------------------------------------------------------------
# code: (modality, study_description, body_part, label in report, region words, family)
EXAMS = {
    "RXT": ("CR", "RX THORAX FACE", "CHEST", "Radiographie thoracique", "thorax", "rx"),
    "RXTL": ("DX", "RADIO THORAX F+P", "CHEST", "Radiographie du thorax face et profil", "thorax", "rx"),
    "RXBASSIN": ("DX", "RX BASSIN FACE", "PELVIS", "Radiographie du bassin", "bassin", "rx"),
    "RXGENOUD": ("DX", "RX GENOU DROIT", "KNEE", "Radiographie du genou droit", "genou droit", "rx"),
    "RXGENOUG": ("DX", "RX GENOU GAUCHE", "KNEE", "Radiographie du genou gauche", "genou gauche", "rx"),
    "RXPOIGNET": ("CR", "RX POIGNET", "HAND", "Radiographie du poignet", "poignet", "rx"),
    "RXASP": ("CR", "ABDOMEN SANS PREPARATION", "ABDOMEN", "Abdomen sans préparation", "abdomen", "rx"),
    "RXRACHIS": ("DX", "RX RACHIS LOMBAIRE", "LSPINE", "Radiographie du rachis lombaire", "rachis lombaire", "rx"),
    "TDMC": ("CT", "TDM CEREBRALE SANS INJECTION", "HEAD", "Scanner cérébral sans injection", "encéphale", "ct"),
    "TDMT": ("CT", "TDM THORAX", "CHEST", "Scanner thoracique", "thorax", "ct"),
    "TDMAP": ("CT", "TDM ABDOMEN PELVIS", "ABDOMEN", "Scanner abdomino-pelvien", "abdomen et pelvis", "ct"),
    "TDMTAP": ("CT", "TDM THORAX ABDOMEN PELVIS", "CHEST", "Scanner thoraco-abdomino-pelvien", "thorax, abdomen et pelvis", "ct"),
    "ANGIOTDM": ("CT", "ANGIOSCANNER THORACIQUE", "CHEST", "Angioscanner thoracique", "artères pulmonaires", "ct"),
    "TDMRACHIS": ("CT", "TDM RACHIS CERVICAL", "CSPINE", "Scanner du rachis cervical", "rachis cervical", "ct"),
    "BIOPSIE": ("CT", "PONCTION BIOPSIE SOUS TDM", "CHEST", "Biopsie percutanée sous guidage scanographique", "thorax", "ir"),
    "IRMC": ("MR", "IRM CEREBRALE", "HEAD", "IRM encéphalique", "encéphale", "mr"),
    "IRMRACHIS": ("MR", "IRM RACHIS LOMBAIRE", "LSPINE", "IRM du rachis lombaire", "rachis lombaire", "mr"),
    "IRMGENOU": ("MR", "IRM GENOU", "KNEE", "IRM du genou", "genou", "mr"),
    "IRMPELV": ("MR", "IRM PELVIENNE", "PELVIS", "IRM pelvienne", "pelvis", "mr"),
    "IRMFOIE": ("MR", "IRM HEPATIQUE", "ABDOMEN", "IRM hépatique", "foie", "mr"),
    "IRMSEIN": ("MR", "IRM MAMMAIRE", "BREAST", "IRM mammaire bilatérale", "seins", "mr"),
    "ECHOABD": ("US", "ECHOGRAPHIE ABDOMINALE", "ABDOMEN", "Échographie abdominale", "abdomen", "us"),
    "ECHOPELV": ("US", "ECHO PELVIENNE", "PELVIS", "Échographie pelvienne", "pelvis", "us"),
    "ECHOTF": ("US", "ECHOGRAPHIE TRANSFONTANELLAIRE", "HEAD", "Échographie transfontanellaire", "encéphale", "us"),
    "ECHOHANCHE": ("US", "ECHO HANCHES NOURRISSON", "HIP", "Échographie des hanches", "hanches", "us"),
    "DOPPLERMI": ("US", "ECHO-DOPPLER VEINEUX MEMBRES INF", "LEG", "Écho-doppler veineux des membres inférieurs", "membres inférieurs", "us"),
    "ECHOSEIN": ("US", "ECHOGRAPHIE MAMMAIRE", "BREAST", "Échographie mammaire bilatérale", "seins", "us"),
    "MAMMO": ("MG", "MAMMOGRAPHIE BILATERALE", "BREAST", "Mammographie bilatérale", "seins", "mg"),
    "TEPFDG": ("PT\\CT", "TEP-TDM FDG CORPS ENTIER", "WHOLEBODY", "TEP-TDM au 18F-FDG", "corps entier", "pet"),
    "TEPPSMA": ("PT\\CT", "TEP-TDM PSMA", "WHOLEBODY", "TEP-TDM au 68Ga-PSMA", "corps entier", "pet"),
    "SCINTIOS": ("NM", "SCINTIGRAPHIE OSSEUSE CORPS ENTIER", "WHOLEBODY", "Scintigraphie osseuse", "squelette", "nm"),
    "SCINTIPULM": ("NM", "SCINTIGRAPHIE PULMONAIRE V/P", "CHEST", "Scintigraphie pulmonaire de ventilation-perfusion", "poumons", "nm"),
}

# pairs split into several studies for one request (primary first)
SPLITS = {
    "TDMTAP": ("TDMT", "TDMAP"),
    "RXGENOUX": ("RXGENOUD", "RXGENOUG"),
    "SEINBILAN": ("MAMMO", "ECHOSEIN"),
}

# --- report wording ----------------------------------------------------------------------
HEADER_STYLES = [
    {"ind": "INDICATION :", "tech": "TECHNIQUE :", "res": "RÉSULTATS :", "conc": "CONCLUSION :"},
    {"ind": "Indication", "tech": "Technique", "res": "Résultat", "conc": "Conclusion"},
    {"ind": "Renseignements cliniques :", "tech": "Protocole :", "res": "Description :", "conc": "Au total :"},
    {"ind": "MOTIF DE L'EXAMEN", "tech": "PROTOCOLE", "res": "COMPTE-RENDU", "conc": "SYNTHÈSE"},
    {"ind": "Motif :", "tech": None, "res": None, "conc": "Conclusion :"},
]

INDICATIONS = {
    "rx": ["Dyspnée fébrile.", "Contrôle après pose de sonde.", "Chute de sa hauteur, douleur.",
           "Traumatisme, impotence fonctionnelle.", "Bilan préopératoire.", "Toux persistante.",
           "Douleur chronique, recherche d'arthrose."],
    "ct": ["Céphalées brutales.", "Douleur abdominale fébrile.", "Bilan d'extension d'une néoplasie.",
           "Suspicion d'embolie pulmonaire.", "Traumatisme crânien sous anticoagulant.",
           "Surveillance d'un nodule pulmonaire.", "Syndrome occlusif ?"],
    "ir": ["Masse pulmonaire, preuve histologique.", "Lésion suspecte, biopsie demandée en RCP."],
    "mr": ["Lombosciatique droite rebelle.", "Bilan de céphalées chroniques.", "Entorse du genou, suspicion de lésion méniscale.",
           "Caractérisation d'une lésion hépatique.", "Bilan d'extension locorégional.", "Vertiges, recherche de lésion."],
    "us": ["Douleur de l'hypochondre droit.", "Suspicion de thrombose veineuse profonde.",
           "Métrorragies.", "Bilan d'une cytolyse.", "Nodule palpable.", "Dépistage de luxation congénitale.",
           "Prématuré, dépistage d'hémorragie."],
    "mg": ["Dépistage organisé.", "Surveillance après tumorectomie.", "Nodule palpable du sein gauche."],
    "pet": ["Bilan d'extension initial d'un carcinome bronchique.", "Évaluation thérapeutique après 3 cures.",
            "Suspicion de récidive, marqueurs en hausse.", "Lymphome, bilan de fin de traitement.",
            "Remontée du PSA après prostatectomie."],
    "nm": ["Recherche de métastases osseuses.", "Suspicion d'embolie pulmonaire, insuffisance rénale.",
           "Douleurs osseuses diffuses."],
}

TECHNIQUES = {
    "rx": ["Cliché de face debout.", "Incidences de face et de profil.", "Cliché au lit."],
    "ct": ["Acquisition hélicoïdale sans puis avec injection de produit de contraste iodé.",
           "Acquisition sans injection.", "Acquisition au temps portal après injection de 90 mL d'Omnipaque 350."],
    "ir": ["Sous anesthésie locale, après repérage scanographique, ponction à l'aiguille coaxiale 18G. "
           "Trois carottes prélevées, adressées en anatomopathologie. Pas de complication immédiate."],
    "mr": ["Séquences T1, T2, FLAIR, diffusion et T1 après injection de gadolinium.",
           "Séquences sagittales T1 et T2, axiales T2.", "Protocole standard avec injection."],
    "us": ["Examen réalisé avec une sonde convexe et une sonde linéaire.", "Examen réalisé par voie sus-pubienne et endovaginale."],
    "mg": ["Incidences face et oblique bilatérales, complétées par une échographie si besoin."],
    "pet": ["Injection de 3 MBq/kg de 18F-FDG, acquisition à 60 minutes du vertex à mi-cuisses. Glycémie 1,02 g/L.",
            "Acquisition à 60 minutes après injection, couplée à un scanner low-dose."],
    "nm": ["Injection de 650 MBq de 99mTc-HMDP, balayage corps entier à 3 heures.", "Ventilation au Technegas puis perfusion aux MAA."],
}

NORMAL = {
    "rx": ["Pas d'épanchement pleural. Pas de foyer parenchymateux systématisé. Silhouette cardiaque normale.",
           "Pas de fracture visible. Interlignes articulaires conservés.", "Absence d'anomalie osseuse décelable."],
    "ct": ["Absence de saignement intra ou extra-axial. Pas d'effet de masse.",
           "Pas d'embolie pulmonaire jusqu'en sous-segmentaire.", "Foie, rate, pancréas et reins sans particularité. Pas d'épanchement."],
    "ir": ["Geste réalisé sans difficulté. Pas de pneumothorax sur le contrôle."],
    "mr": ["Pas d'anomalie de signal du parenchyme cérébral. Pas de prise de contraste anormale.",
           "Ménisques et ligaments croisés d'aspect normal.", "Disques intervertébraux de signal conservé, pas de conflit disco-radiculaire."],
    "us": ["Vésicule alithiasique, voies biliaires non dilatées. Foie homogène.", "Veines perméables et compressibles, pas de thrombose.",
           "Utérus et ovaires d'aspect normal.", "Pas d'hémorragie intra-ventriculaire."],
    "mg": ["Seins de densité de type B. Pas de masse, pas de foyer de microcalcifications suspectes. ACR 1 bilatéral."],
    "pet": ["Pas de foyer d'hypermétabolisme suspect. Fixations physiologiques."],
    "nm": ["Pas de foyer d'hyperfixation suspect.", "Pas de défaut de perfusion systématisé."],
}

ABNORMAL = {
    "rx": ["Opacité alvéolaire de la base droite.", "Fracture déplacée de l'extrémité distale du radius.",
           "Épanchement pleural gauche de moyenne abondance.", "Pincement fémoro-tibial interne."],
    "ct": ["Hématome sous-dural aigu droit de 8 mm d'épaisseur.", "Embolie pulmonaire segmentaire lobaire inférieure droite.",
           "Nodule pulmonaire du lobe supérieur droit de 14 mm, spiculé.", "Appendice augmenté de taille à 11 mm avec infiltration de la graisse.",
           "Multiples nodules hépatiques hypodenses évocateurs de métastases."],
    "ir": ["Prélèvements macroscopiquement satisfaisants. Minime pneumothorax apical ne nécessitant pas de drainage."],
    "mr": ["Hernie discale L4-L5 postéro-latérale droite au contact de la racine L5.", "Fissure horizontale de la corne postérieure du ménisque médial.",
           "Lésion hépatique de 22 mm en hypersignal T2, compatible avec un angiome.", "Hypersignaux FLAIR de la substance blanche, Fazekas 2."],
    "us": ["Vésicule lithiasique à paroi épaissie, signe de Murphy échographique positif.", "Thrombose veineuse fémorale superficielle gauche.",
           "Kyste ovarien droit de 35 mm, d'aspect fonctionnel.", "Nodule hypoéchogène de 9 mm du quadrant supéro-externe gauche, ACR 4."],
    "mg": ["Foyer de microcalcifications fines pléomorphes du sein gauche, classé ACR 4. Biopsie recommandée."],
    "pet": ["Hypermétabolisme d'une masse lobaire supérieure droite (SUVmax 12,4) et d'adénopathies médiastinales.",
            "Réponse métabolique partielle, SUVmax passant de 9,8 à 4,1.", "Foyers osseux hypermétaboliques multiples."],
    "nm": ["Foyers d'hyperfixation costaux et vertébraux évocateurs de localisations secondaires.", "Défauts de perfusion bilatéraux non concordants, haute probabilité."],
}

CONC_NORMAL = ["Examen sans anomalie décelable.", "Pas d'anomalie significative.", "Examen normal.",
               "Absence de lésion traumatique.", "Aspect rassurant."]
CONC_ABN_PREFIX = ["", "Au total : ", "En conclusion, ", ""]

COMPARISONS = ["Comparativement à l'examen du {prev} : ", "Par rapport au précédent examen du {prev}, ",
               "Comparaison : {prev_label} du {prev}, ", "Pas d'examen antérieur disponible pour comparaison. "]
STABLE = ["aspect stable.", "discrète majoration.", "nette régression.", "apparition d'une lésion nouvelle."]

GENERIC_TITLES = ["Compte rendu d'imagerie", "CR RADIOLOGIE", "Compte-rendu", "Imagerie médicale",
                  "Document radiologie"]

SIGNATURES = ["Dr A. FONTAINE", "Dr C. MERLE", "Pr J.-M. VARENNES", "Dr S. KHELIFI", "Dr L. POUGET",
              "Dr H. MARCHETTI", "Dr E. ROUSSEL", "Dr P. BLONDEL", "Dr N. OZANNE", "Dr T. VERGNE"]

ADDENDUM_TEXTS = ["ADDENDUM : après relecture des coupes fines, la lésion décrite mesure 16 mm et non 14 mm.",
                  "Complément : avis de second lecteur concordant.",
                  "ADDENDUM : comparaison à l'examen extérieur apporté secondairement par le patient, aspect stable.",
                  "Complément d'information : les résultats ont été transmis par téléphone au médecin demandeur."]

DIAG_BY_UNIT = {
    "URGENCES": ["S72.0", "R07.4", "S06.0", "R10.4", "J18.9", "I26.9"],
    "PNEUMOLOGIE": ["C34.1", "J44.1", "J18.9", "C34.9;J96.0"],
    "NEUROLOGIE": ["I63.9", "G40.9", "G35"],
    "CARDIOLOGIE": ["I50.0", "I21.4", "I48.9"],
    "CHIRURGIE DIGESTIVE": ["K35.8", "K80.1", "C18.7", "K56.6"],
    "ORTHOPEDIE": ["S72.0", "M17.1", "S82.1"],
    "ONCOLOGIE MEDICALE": ["C50.9;Z51.1", "C34.1;Z51.1", "C18.9;Z51.1", "Z51.1"],
    "HOPITAL DE JOUR ONCOLOGIE": ["Z51.1", "Z51.1;C50.9", "Z51.0"],
    "MATERNITE": ["O80", "O82", "Z38.0"],
    "NEONATOLOGIE": ["P07.3", "P22.1", "P59.9"],
    "PEDIATRIE": ["J21.9", "R50.9", "K59.0"],
    "MEDECINE INTERNE": ["R50.9", "D64.9", "M31.3"],
    "GERIATRIE": ["R29.6", "N39.0", "F03"],
    "REANIMATION": ["J96.0", "A41.9", "I46.9"],
    "HEMATOLOGIE": ["C83.3;Z51.1", "C81.9"],
    "MEDECINE NUCLEAIRE": [None],
    "IMAGERIE": [None],
    "RADIOTHERAPIE": ["Z51.0;C50.9", "Z51.0;C61"],
}

# --- per-exam content: indications, normal and abnormal findings (coherent with the exam) --
_CHEST_RX = (["Dyspnée fébrile.", "Contrôle après pose de sonde.", "Toux persistante.", "Bilan préopératoire.", "Douleur thoracique."],
             ["Pas d'épanchement pleural. Pas de foyer parenchymateux systématisé. Silhouette cardiaque normale.",
              "Parenchyme pulmonaire normalement transparent. Culs-de-sac libres."],
             ["Opacité alvéolaire de la base droite.", "Épanchement pleural gauche de moyenne abondance.",
              "Sonde d'intubation en place, extrémité à 3 cm de la carène. Syndrome alvéolaire bilatéral.", "Cardiomégalie, redistribution vasculaire vers les sommets."])
_BONE_RX = (["Chute de sa hauteur, douleur.", "Traumatisme, impotence fonctionnelle.", "Douleur chronique, recherche d'arthrose."],
            ["Pas de fracture visible. Interlignes articulaires conservés.", "Absence d'anomalie osseuse décelable."],
            ["Fracture non déplacée.", "Pincement articulaire avec ostéophytose marginale.", "Fracture déplacée, à confronter à un avis orthopédique."])
_HEAD = (["Céphalées brutales.", "Traumatisme crânien sous anticoagulant.", "Déficit moteur brutal de l'hémicorps droit.", "Vertiges, recherche de lésion."],
         ["Absence de saignement intra ou extra-axial. Pas d'effet de masse.", "Pas d'anomalie de densité du parenchyme cérébral. Structures médianes en place."],
         ["Hématome sous-dural aigu droit de 8 mm d'épaisseur.", "Hypodensité cortico-sous-corticale sylvienne gauche évocatrice d'un AVC ischémique récent.",
          "Leucopathie vasculaire périventriculaire."])
_CHEST_CT = (["Bilan d'extension d'une néoplasie.", "Surveillance d'un nodule pulmonaire.", "Dyspnée, recherche de pneumopathie."],
             ["Pas de nodule pulmonaire suspect. Pas d'adénopathie médiastinale. Pas d'épanchement pleural."],
             ["Nodule pulmonaire du lobe supérieur droit de 14 mm, spiculé.", "Masse hilaire gauche de 38 mm avec adénopathies médiastinales.",
              "Condensation lobaire inférieure droite."])
_ABDO_CT = (["Douleur abdominale fébrile.", "Syndrome occlusif ?", "Bilan d'extension d'une néoplasie."],
            ["Foie, rate, pancréas et reins sans particularité. Pas d'épanchement. Pas d'adénopathie."],
            ["Appendice augmenté de taille à 11 mm avec infiltration de la graisse.", "Multiples nodules hépatiques hypodenses évocateurs de métastases.",
             "Distension grêlique avec zone de transition en fosse iliaque droite."])
CONTENT = {
    "RXT": _CHEST_RX, "RXTL": _CHEST_RX, "RXBASSIN": _BONE_RX, "RXGENOUD": _BONE_RX, "RXGENOUG": _BONE_RX,
    "RXPOIGNET": (["Chute sur la main, douleur du poignet."], ["Pas de fracture visible."],
                  ["Fracture déplacée de l'extrémité distale du radius.", "Fracture du scaphoïde non déplacée."]),
    "RXASP": (["Douleur abdominale, arrêt des gaz."], ["Pas de niveau hydro-aérique. Pas de pneumopéritoine."],
              ["Niveaux hydro-aériques grêliques évocateurs d'occlusion."]),
    "RXRACHIS": (["Lombalgies chroniques."], ["Alignement vertébral conservé. Pas de tassement."],
                 ["Discopathie dégénérative L4-L5 et L5-S1.", "Tassement cunéiforme de L1."]),
    "TDMC": _HEAD, "IRMC": (_HEAD[0] + ["Bilan de céphalées chroniques."],
                            ["Pas d'anomalie de signal du parenchyme cérébral. Pas de prise de contraste anormale."],
                            ["Hypersignaux FLAIR de la substance blanche, Fazekas 2.", "Lésion expansive frontale droite de 25 mm prenant le contraste en anneau.",
                             "Hypersignal diffusion du territoire sylvien gauche, AVC ischémique aigu."]),
    "TDMT": _CHEST_CT, "TDMAP": _ABDO_CT,
    "TDMTAP": (["Bilan d'extension initial.", "Évaluation après 3 cures de chimiothérapie.", "Surveillance, rémission complète."],
               ["Pas de lésion secondaire décelable à l'étage thoracique ni abdomino-pelvien."],
               ["Progression des nodules pulmonaires, le plus grand passant de 12 à 18 mm.", "Diminution de taille de la masse pancréatique (32 mm contre 41 mm).",
                "Apparition de nodules hépatiques suspects."]),
    "ANGIOTDM": (["Suspicion d'embolie pulmonaire.", "Dyspnée, D-dimères positifs."], ["Pas d'embolie pulmonaire jusqu'en sous-segmentaire."],
                 ["Embolie pulmonaire segmentaire lobaire inférieure droite.", "Embolie pulmonaire bilatérale proximale, rapport VD/VG à 1,1."]),
    "TDMRACHIS": (["Traumatisme cervical à haute cinétique."], ["Pas de fracture du rachis cervical."], ["Fracture de l'apophyse épineuse de C6."]),
    "BIOPSIE": (["Masse pulmonaire, preuve histologique.", "Lésion suspecte, biopsie demandée en RCP."],
                ["Geste réalisé sans difficulté. Pas de pneumothorax sur le contrôle."],
                ["Minime pneumothorax apical ne nécessitant pas de drainage. Surveillance radiographique à H4."]),
    "IRMRACHIS": (["Lombosciatique droite rebelle."], ["Disques intervertébraux de signal conservé, pas de conflit disco-radiculaire."],
                  ["Hernie discale L4-L5 postéro-latérale droite au contact de la racine L5.", "Canal lombaire étroit L3-L4 d'origine dégénérative."]),
    "IRMGENOU": (["Entorse du genou, suspicion de lésion méniscale."], ["Ménisques et ligaments croisés d'aspect normal."],
                 ["Fissure horizontale de la corne postérieure du ménisque médial.", "Rupture complète du ligament croisé antérieur."]),
    "IRMPELV": (["Bilan d'extension locorégional.", "Douleurs pelviennes, suspicion d'endométriose."], ["Utérus et ovaires d'aspect normal. Pas d'adénopathie pelvienne."],
                ["Lésion de la zone périphérique prostatique gauche cotée PI-RADS 4.", "Nodule d'endométriose du torus."]),
    "IRMFOIE": (["Caractérisation d'une lésion hépatique."], ["Foie de signal homogène, pas de lésion focale."],
                ["Lésion hépatique de 22 mm en hypersignal T2, compatible avec un angiome.", "Deux lésions hépatiques en restriction de diffusion suspectes de métastases."]),
    "IRMSEIN": (["Bilan d'extension locorégional d'un carcinome du sein."], ["Pas de prise de contraste suspecte. BI-RADS 1."],
                ["Prise de contraste masse de 18 mm du sein gauche, BI-RADS 5. Pas de lésion controlatérale."]),
    "ECHOABD": (["Douleur de l'hypochondre droit.", "Bilan d'une cytolyse."], ["Vésicule alithiasique, voies biliaires non dilatées. Foie homogène."],
                ["Vésicule lithiasique à paroi épaissie, signe de Murphy échographique positif.", "Foie stéatosique, hépatomégalie."]),
    "ECHOPELV": (["Métrorragies.", "Douleur pelvienne."], ["Utérus et ovaires d'aspect normal."], ["Kyste ovarien droit de 35 mm, d'aspect fonctionnel.", "Utérus polymyomateux."]),
    "ECHOTF": (["Prématuré, dépistage d'hémorragie."], ["Pas d'hémorragie intra-ventriculaire."], ["Hémorragie sous-épendymaire gauche de grade I."]),
    "ECHOHANCHE": (["Dépistage de luxation congénitale, présentation en siège."], ["Hanches centrées, type I de Graf bilatéral."], ["Hanche gauche type IIa de Graf, contrôle à 6 semaines."]),
    "DOPPLERMI": (["Suspicion de thrombose veineuse profonde."], ["Veines perméables et compressibles, pas de thrombose."],
                  ["Thrombose veineuse fémorale superficielle gauche.", "Thrombose veineuse surale droite."]),
    "ECHOSEIN": (["Nodule palpable.", "Complément de mammographie."], ["Pas de masse, pas d'image kystique. ACR 1."],
                 ["Nodule hypoéchogène de 9 mm du quadrant supéro-externe gauche, ACR 4.", "Kystes simples bilatéraux, ACR 2."]),
    "MAMMO": (["Dépistage organisé.", "Surveillance après tumorectomie.", "Nodule palpable du sein gauche."],
              ["Seins de densité de type B. Pas de masse, pas de foyer de microcalcifications suspectes. ACR 1 bilatéral."],
              ["Foyer de microcalcifications fines pléomorphes du sein gauche, classé ACR 4. Biopsie recommandée.", "Opacité stellaire de 12 mm du QSE droit, ACR 5."]),
    "TEPFDG": (["Bilan d'extension initial d'un carcinome bronchique.", "Évaluation thérapeutique après 3 cures.", "Suspicion de récidive, marqueurs en hausse.",
                "Lymphome, bilan de fin de traitement."],
               ["Pas de foyer d'hypermétabolisme suspect. Fixations physiologiques."],
               ["Hypermétabolisme d'une masse lobaire supérieure droite (SUVmax 12,4) et d'adénopathies médiastinales.", "Réponse métabolique partielle, SUVmax passant de 9,8 à 4,1.",
                "Foyers osseux hypermétaboliques multiples."]),
    "TEPPSMA": (["Remontée du PSA après prostatectomie."], ["Pas de fixation pathologique."], ["Fixation d'une adénopathie iliaque externe gauche de 8 mm (SUVmax 6,2)."]),
    "SCINTIOS": (["Recherche de métastases osseuses.", "Douleurs osseuses diffuses."], ["Pas de foyer d'hyperfixation suspect."],
                 ["Foyers d'hyperfixation costaux et vertébraux évocateurs de localisations secondaires."]),
    "SCINTIPULM": (["Suspicion d'embolie pulmonaire, insuffisance rénale."], ["Pas de défaut de perfusion systématisé."],
                   ["Défauts de perfusion bilatéraux non concordants, haute probabilité."]),
}
STABLE_NORMAL = ["pas de modification.", "aspect superposable.", "résolution des anomalies antérieures."]
