"""Vocabulary of the warehouse5 generator: names, exam catalogue, units, report wording.

Everything is invented for this generator (written blind, from memory of French hospital
warehouses). No real person, number or report.
"""

# ---------------------------------------------------------------- names
# Surnames with a rough weight (heavy tail: a few very frequent, many rare).
SURNAMES = [
    ("MARTIN", 60), ("BERNARD", 35), ("THOMAS", 30), ("PETIT", 28), ("ROBERT", 27), ("RICHARD", 26),
    ("DURAND", 25), ("DUBOIS", 25), ("MOREAU", 24), ("LAURENT", 23), ("SIMON", 22), ("MICHEL", 22),
    ("LEFEBVRE", 20), ("LEROY", 20), ("ROUX", 18), ("DAVID", 18), ("BERTRAND", 17), ("MOREL", 17),
    ("FOURNIER", 16), ("GIRARD", 16), ("BONNET", 15), ("DUPONT", 15), ("LAMBERT", 14), ("FONTAINE", 14),
    ("ROUSSEAU", 13), ("VINCENT", 13), ("MULLER", 12), ("LEFEVRE", 12), ("FAURE", 12), ("ANDRE", 12),
    ("MERCIER", 11), ("BLANC", 11), ("GUERIN", 11), ("BOYER", 10), ("GARNIER", 10), ("CHEVALIER", 10),
    ("FRANCOIS", 10), ("LEGRAND", 9), ("GAUTHIER", 9), ("GARCIA", 9), ("PERRIN", 9), ("ROBIN", 9),
    ("CLEMENT", 8), ("MORIN", 8), ("NICOLAS", 8), ("HENRY", 8), ("ROUSSEL", 8), ("MATHIEU", 8),
    ("GAUTIER", 7), ("MASSON", 7), ("MARCHAND", 7), ("DUVAL", 7), ("DENIS", 7), ("DUMONT", 7),
    ("MARIE", 7), ("LEMAIRE", 7), ("NOEL", 6), ("MEYER", 6), ("DUFOUR", 6), ("MEUNIER", 6),
    ("BRUN", 6), ("BLANCHARD", 6), ("GIRAUD", 6), ("JOLY", 6), ("RIVIERE", 6), ("LUCAS", 6),
    ("BRUNET", 5), ("GAILLARD", 5), ("BARBIER", 5), ("ARNAUD", 5), ("MARTINEZ", 5), ("GERARD", 5),
    ("ROCHE", 5), ("RENARD", 5), ("SCHMITT", 5), ("ROY", 5), ("LEROUX", 5), ("COLIN", 5),
    ("VIDAL", 5), ("CARON", 5), ("PICARD", 5), ("ROGER", 5), ("FABRE", 5), ("AUBERT", 5),
    ("LEMOINE", 4), ("RENAUD", 4), ("DUMAS", 4), ("LACROIX", 4), ("OLIVIER", 4), ("PHILIPPE", 4),
    ("BOURGEOIS", 4), ("PIERRE", 4), ("BENOIT", 4), ("REY", 4), ("LECLERC", 4), ("PAYET", 4),
    ("ROLLAND", 4), ("LECLERCQ", 4), ("GUILLAUME", 4), ("LECOMTE", 4), ("LOPEZ", 4), ("JEAN", 4),
    ("DUPUY", 3), ("GUILLOT", 3), ("HUBERT", 3), ("BERGER", 3), ("CARPENTIER", 3), ("SANCHEZ", 3),
    ("DUPUIS", 3), ("MOULIN", 3), ("LOUIS", 3), ("DESCHAMPS", 3), ("HUET", 3), ("VASSEUR", 3),
    ("PEREZ", 3), ("BOUCHER", 3), ("FLEURY", 3), ("ROYER", 3), ("KLEIN", 3), ("JACQUET", 3),
    ("ADAM", 3), ("PARIS", 3), ("POIRIER", 3), ("MARTY", 3), ("AUBRY", 3), ("GUYOT", 3),
    ("CARRE", 3), ("CHARLES", 3), ("RENAULT", 3), ("CHARPENTIER", 3), ("MENARD", 3), ("MAILLARD", 3),
    ("BARON", 3), ("BERTIN", 3), ("BAILLY", 3), ("HERVE", 3), ("SCHNEIDER", 3), ("FERNANDEZ", 3),
    ("LE GALL", 3), ("COLLET", 2), ("LEGER", 2), ("BOUVIER", 2), ("JULIEN", 2), ("PREVOST", 2),
    ("MILLET", 2), ("PERROT", 2), ("DANIEL", 2), ("LE ROUX", 2), ("COUSIN", 2), ("GERMAIN", 2),
    ("BRETON", 2), ("BESSON", 2), ("LANGLOIS", 2), ("REMY", 2), ("LE GOFF", 2), ("PELLETIER", 2),
    ("LEVEQUE", 2), ("PERRIER", 2), ("LEBLANC", 2), ("BARRE", 2), ("LEBRUN", 2), ("MARCHAL", 2),
    ("WEBER", 2), ("MALLET", 2), ("HAMON", 2), ("BOULANGER", 2), ("JACOB", 2), ("MONNIER", 2),
    ("MICHAUD", 2), ("RODRIGUEZ", 2), ("GUICHARD", 2), ("GILLET", 2), ("ETIENNE", 2), ("GRONDIN", 2),
    ("POULAIN", 2), ("TESSIER", 2), ("CHEVALLIER", 2), ("COLLIN", 2), ("CHAUVIN", 2), ("DA SILVA", 2),
    ("BOUCHET", 2), ("GAY", 2), ("LEMAITRE", 2), ("BENARD", 2), ("MARECHAL", 2), ("HUMBERT", 2),
    ("REYNAUD", 2), ("ANTOINE", 2), ("HOARAU", 2), ("PERRET", 2), ("BARTHELEMY", 2), ("CORDIER", 2),
    ("PICHON", 2), ("LEJEUNE", 2), ("GILBERT", 2), ("LAMY", 2), ("DELAUNAY", 2), ("PASQUIER", 2),
    ("CARLIER", 2), ("LAPORTE", 2), ("BENSAID", 2), ("HADDAD", 2), ("NGUYEN", 2), ("TRAN", 2),
    ("DIALLO", 2), ("TRAORE", 2), ("BENALI", 2), ("MOKRANI", 2), ("OUALI", 1), ("YILMAZ", 1),
    ("KOWALSKI", 1), ("DOS SANTOS", 1), ("FERREIRA", 1), ("PEREIRA", 1), ("RIBEIRO", 1), ("COSTA", 1),
    ("DE LA FONTAINE", 1), ("DE SAINT-JEAN", 1), ("D'ALMEIDA", 1), ("LE BIHAN", 1), ("LE BRIS", 1),
    ("KERGOAT", 1), ("QUEMENER", 1), ("ETCHEVERRY", 1), ("ARRIETA", 1), ("CASANOVA", 1), ("SANTONI", 1),
    ("VAN DEN BERGHE", 1), ("DEVOS", 1), ("VANDAMME", 1), ("WAGNER", 1), ("STOECKEL", 1), ("HUSSER", 1),
    ("EL AMRANI", 1), ("BEN SAID", 1), ("BOUAZIZ", 1), ("CHERIF", 1), ("MAHAMADOU", 1), ("KONATE", 1),
    ("LEFRANCOIS", 1), ("DESMARETS", 1), ("VERDIER", 1), ("CHAPUIS", 1), ("BOISSON", 1), ("TROUILLET", 1),
    ("GOURDON", 1), ("PONCET", 1), ("VIGUIER", 1), ("ESTEVE", 1), ("CAZENAVE", 1), ("LABORDE", 1),
    ("PUJOL", 1), ("SALLES", 1), ("BRUNEAU", 1), ("GUILBERT", 1), ("THIBAULT", 1), ("HERAULT", 1),
    ("BELLANGER", 1), ("JOUBERT", 1), ("PIGNON", 1), ("TISSERAND", 1), ("VALLEE", 1), ("LOISEAU", 1),
    ("ROUSSELOT", 1), ("BOUDET", 1), ("COUDERC", 1), ("FAVRE", 1), ("GRANGE", 1), ("JOURDAN", 1),
]

# names with accents as the registry writes them (the registry keeps diacritics; consoles often not)
ACCENTED = {
    "GUERIN": "GUÉRIN", "FRANCOIS": "FRANÇOIS", "GERARD": "GÉRARD", "CLEMENT": "CLÉMENT",
    "NOEL": "NOËL", "RIVIERE": "RIVIÈRE", "LEVEQUE": "LÉVÊQUE", "MENARD": "MÉNARD", "HERVE": "HERVÉ",
    "LEGER": "LÉGER", "REMY": "RÉMY", "BENARD": "BÉNARD", "MARECHAL": "MARÉCHAL", "BARTHELEMY": "BARTHÉLÉMY",
    "ESTEVE": "ESTÈVE", "LEFRANCOIS": "LEFRANÇOIS", "VALLEE": "VALLÉE", "HERAULT": "HÉRAULT",
    "LEFEVRE": "LEFÈVRE", "ANDRE": "ANDRÉ", "PREVOST": "PRÉVOST", "QUEMENER": "QUÉMÉNER",
}

GIVEN_M = [
    # (name, weight, peak birth decade)
    ("Jean", 30, 1940), ("Pierre", 18, 1945), ("Michel", 25, 1950), ("André", 14, 1935),
    ("Philippe", 18, 1960), ("Alain", 16, 1950), ("Jacques", 18, 1945), ("Bernard", 15, 1945),
    ("Daniel", 14, 1950), ("Gérard", 12, 1945), ("Patrick", 16, 1955), ("Christian", 13, 1950),
    ("René", 8, 1930), ("Claude", 10, 1940), ("Jean-Pierre", 12, 1950), ("Jean-Claude", 10, 1945),
    ("Jean-Marie", 6, 1950), ("Jean-Luc", 6, 1960), ("Pascal", 10, 1965), ("Thierry", 10, 1965),
    ("Éric", 10, 1965), ("Frédéric", 9, 1970), ("Laurent", 9, 1968), ("Stéphane", 9, 1970),
    ("Olivier", 9, 1970), ("David", 8, 1975), ("Nicolas", 9, 1980), ("Sébastien", 8, 1978),
    ("Julien", 8, 1985), ("Guillaume", 6, 1985), ("Thomas", 8, 1990), ("Maxime", 6, 1993),
    ("Kevin", 5, 1992), ("Lucas", 5, 2005), ("Hugo", 4, 2005), ("Louis", 4, 2012), ("Gabriel", 3, 2015),
    ("Mohamed", 6, 1985), ("Karim", 3, 1980), ("Mamadou", 2, 1985), ("Joseph", 6, 1935),
    ("Marcel", 5, 1930), ("Roger", 5, 1930), ("Yves", 7, 1945), ("François", 8, 1955),
    ("Dominique", 5, 1958), ("Serge", 6, 1950), ("Didier", 7, 1960), ("Bruno", 7, 1962),
    ("Yann", 3, 1975), ("Loïc", 3, 1975), ("Gaël", 2, 1980), ("Noah", 2, 2015), ("Jules", 3, 2010),
]
GIVEN_F = [
    ("Marie", 25, 1940), ("Jeanne", 12, 1930), ("Monique", 14, 1945), ("Françoise", 14, 1950),
    ("Catherine", 14, 1958), ("Nathalie", 14, 1968), ("Isabelle", 14, 1965), ("Sylvie", 13, 1962),
    ("Martine", 12, 1952), ("Christine", 12, 1958), ("Jacqueline", 11, 1940), ("Nicole", 11, 1945),
    ("Danielle", 8, 1948), ("Simone", 7, 1930), ("Yvette", 6, 1932), ("Odette", 5, 1928),
    ("Marie-Thérèse", 5, 1940), ("Marie-Claire", 4, 1950), ("Anne-Marie", 6, 1948),
    ("Brigitte", 9, 1955), ("Chantal", 9, 1953), ("Valérie", 10, 1968), ("Sandrine", 10, 1972),
    ("Véronique", 9, 1963), ("Céline", 8, 1980), ("Stéphanie", 8, 1977), ("Aurélie", 7, 1983),
    ("Julie", 8, 1985), ("Émilie", 6, 1985), ("Laura", 6, 1992), ("Camille", 6, 1995),
    ("Manon", 5, 1997), ("Léa", 5, 2000), ("Chloé", 4, 2003), ("Emma", 4, 2010), ("Jade", 3, 2015),
    ("Fatima", 5, 1975), ("Aïcha", 3, 1980), ("Fatoumata", 2, 1990), ("Hélène", 7, 1960),
    ("Annie", 6, 1952), ("Josiane", 5, 1948), ("Ginette", 4, 1935), ("Colette", 5, 1935),
    ("Geneviève", 5, 1940), ("Élisabeth", 6, 1955), ("Sophie", 8, 1975), ("Claire", 6, 1978),
    ("Anne", 8, 1965), ("Dominique", 4, 1958), ("Gwenaëlle", 2, 1978), ("Maëlle", 2, 2005),
]

# ---------------------------------------------------------------- exam catalogue
# code -> (modality, study_description, body_part, typical duration minutes)
CATALOGUE = {
    "TDM_CER": ("CT", "TDM CEREBRALE SANS INJECTION", "HEAD", 10),
    "TDM_CER_INJ": ("CT", "TDM CEREBRALE AVEC INJECTION", "HEAD", 15),
    "ANGIO_TSA": ("CT", "ANGIOSCANNER TSA ET WILLIS", "NECK", 15),
    "TDM_THO": ("CT", "TDM THORAX", "CHEST", 10),
    "ANGIO_EP": ("CT", "ANGIOSCANNER THORACIQUE (EP)", "CHEST", 10),
    "TDM_AP": ("CT", "TDM ABDOMINO-PELVIENNE", "ABDOMEN", 15),
    "TDM_TAP": ("CT", "TDM THORACO-ABDOMINO-PELVIENNE", "CHESTABDOMEN", 15),
    "TDM_RACHIS": ("CT", "TDM RACHIS CERVICAL", "CSPINE", 10),
    "BODYSCAN": ("CT", "BODY SCANNER TRAUMA", "WHOLEBODY", 20),
    "IRM_CER": ("MR", "IRM CEREBRALE", "HEAD", 30),
    "IRM_GENOU": ("MR", "IRM GENOU", "KNEE", 25),
    "IRM_RACHIS_L": ("MR", "IRM RACHIS LOMBAIRE", "LSPINE", 25),
    "IRM_PELV": ("MR", "IRM PELVIENNE", "PELVIS", 35),
    "IRM_PROST": ("MR", "IRM PROSTATIQUE MULTIPARAMETRIQUE", "PROSTATE", 35),
    "IRM_SEIN": ("MR", "IRM MAMMAIRE BILATERALE", "BREAST", 30),
    "IRM_FOIE": ("MR", "IRM HEPATIQUE", "LIVER", 35),
    "RX_THO": ("CR", "RADIOGRAPHIE THORAX FACE", "CHEST", 5),
    "RX_THO_LIT": ("DX", "THORAX AU LIT", "CHEST", 5),
    "RX_BASSIN": ("CR", "RADIOGRAPHIE BASSIN", "PELVIS", 5),
    "RX_CHEVILLE": ("DX", "RADIOGRAPHIE CHEVILLE", "ANKLE", 5),
    "RX_POIGNET": ("DX", "RADIOGRAPHIE POIGNET", "HAND", 5),
    "RX_ASP": ("CR", "ABDOMEN SANS PREPARATION", "ABDOMEN", 5),
    "ECHO_ABDO": ("US", "ECHOGRAPHIE ABDOMINALE", "ABDOMEN", 20),
    "ECHO_PELV": ("US", "ECHOGRAPHIE PELVIENNE", "PELVIS", 20),
    "ECHO_DOPPLER_MI": ("US", "ECHO-DOPPLER VEINEUX MEMBRES INFERIEURS", "LEG", 20),
    "ECHO_SEIN": ("US", "ECHOGRAPHIE MAMMAIRE", "BREAST", 15),
    "ECHO_THYR": ("US", "ECHOGRAPHIE THYROIDIENNE", "NECK", 15),
    "MAMMO": ("MG", "MAMMOGRAPHIE BILATERALE", "BREAST", 15),
    "MAMMO_DEP": ("MG", "MAMMOGRAPHIE DE DEPISTAGE", "BREAST", 10),
    "TEP_FDG": ("PT\\CT", "TEP-TDM FDG CORPS ENTIER", "WHOLEBODY", 30),
    "TEP_PSMA": ("PT\\CT", "TEP-TDM PSMA", "WHOLEBODY", 30),
    "TEP_CHOL": ("PT\\CT", "TEP-TDM FLUOROCHOLINE", "WHOLEBODY", 30),
    "SCINTI_OS": ("NM", "SCINTIGRAPHIE OSSEUSE CORPS ENTIER", "WHOLEBODY", 30),
    "SCINTI_THYR": ("NM", "SCINTIGRAPHIE THYROIDIENNE", "NECK", 20),
}

# what a sloppy console / other PACS wrote for the same exam (aliases)
DESC_ALIASES = {
    "TDM_THO": ["SCANNER THORAX", "CT THORAX", "TDM THORACIQUE"],
    "TDM_AP": ["SCANNER ABDO-PELVIEN", "CT ABDOMEN PELVIS", "TDM ABDO PELV C+"],
    "TDM_TAP": ["SCANNER TAP", "CT TAP INJ", "TAP C+"],
    "TDM_CER": ["SCANNER CEREBRAL", "CT HEAD", "TDM ENCEPHALE S/INJ"],
    "IRM_CER": ["IRM ENCEPHALE", "MR BRAIN", "IRM CERVEAU"],
    "TEP_FDG": ["PET FDG", "TEP FDG", "PET-CT WB FDG", "Whole Body FDG"],
    "MAMMO": ["MAMMO BILAT", "MAMMOGRAPHIE 2 INC"],
    "RX_THO": ["THORAX F", "RP", "CHEST PA"],
}

REGION_WORDS = {
    "HEAD": "de l'encéphale", "NECK": "du cou", "CHEST": "du thorax", "ABDOMEN": "de l'abdomen et du pelvis",
    "CHESTABDOMEN": "du thorax, de l'abdomen et du pelvis", "CSPINE": "du rachis cervical", "WHOLEBODY": "corps entier",
    "KNEE": "du genou", "LSPINE": "du rachis lombaire", "PELVIS": "du pelvis", "PROSTATE": "de la prostate",
    "BREAST": "des seins", "LIVER": "du foie", "ANKLE": "de la cheville", "HAND": "du poignet",
    "LEG": "des membres inférieurs",
}
MODALITY_WORDS = {
    "CT": ["Scanner", "TDM", "Tomodensitométrie"], "MR": ["IRM"], "CR": ["Radiographie"],
    "DX": ["Radiographie"], "US": ["Échographie"], "MG": ["Mammographie"],
    "PT\\CT": ["TEP-TDM", "TEP-scanner", "Tomographie par émission de positons"],
    "NM": ["Scintigraphie"],
}

# ---------------------------------------------------------------- units
UNITS_CHU = {
    "hospitalisation": ["PNEUMOLOGIE", "CARDIOLOGIE", "NEUROLOGIE", "GASTRO-ENTEROLOGIE", "CHIRURGIE DIGESTIVE",
                        "ORTHOPEDIE TRAUMATOLOGIE", "MEDECINE INTERNE", "REANIMATION MEDICALE", "NEUROCHIRURGIE",
                        "GERIATRIE AIGUE", "UHCD"],
    "day_care": ["HDJ ONCOLOGIE", "HDJ MEDECINE", "HDJ RHUMATOLOGIE"],
    "consultation": ["CS NEUROLOGIE", "CS ORTHOPEDIE", "CS PNEUMOLOGIE", "CS GYNECOLOGIE", "CS UROLOGIE"],
    "emergency": ["URGENCES ADULTES", "URGENCES"],
}
UNITS_CLCC = {
    "hospitalisation": ["ONCOLOGIE MEDICALE", "CHIRURGIE SENOLOGIQUE", "CHIRURGIE ONCOLOGIQUE", "SOINS PALLIATIFS",
                        "HEMATOLOGIE"],
    "day_care": ["HDJ CHIMIOTHERAPIE", "HDJ CHIMIOTHERAPIE", "HDJ RADIOTHERAPIE", "HDJ SOINS DE SUPPORT"],
    "consultation": ["CS SENOLOGIE", "CS ONCOLOGIE DIGESTIVE", "CS UROLOGIE ONCO", "CS RADIOTHERAPIE",
                     "CS ORL ONCOLOGIE", "CS HEMATOLOGIE"],
    "emergency": ["UNITE DE SOINS NON PROGRAMMES"],
}
UNITS_CH = {
    "hospitalisation": ["MEDECINE POLYVALENTE", "CARDIOLOGIE", "PNEUMOLOGIE", "CHIRURGIE VISCERALE",
                        "CHIRURGIE ORTHOPEDIQUE", "GERIATRIE", "MATERNITE", "PEDIATRIE", "SSR"],
    "day_care": ["HDJ MEDECINE", "AMBULATOIRE CHIRURGIE"],
    "consultation": ["CONSULTATIONS EXTERNES", "CS ORTHOPEDIE", "CS GYNECO-OBSTETRIQUE"],
    "emergency": ["URGENCES", "URGENCES PEDIATRIQUES"],
}

DIAGNOSES = {
    "PNEUMOLOGIE": ["J18.9", "J44.1", "C34.1", "J96.0", "I26.9"], "CARDIOLOGIE": ["I50.0", "I21.4", "I48.9"],
    "NEUROLOGIE": ["I63.9", "G40.9", "G35"], "GASTRO-ENTEROLOGIE": ["K85.9", "K92.2", "K70.3"],
    "CHIRURGIE DIGESTIVE": ["K35.8", "K56.6", "C18.7"], "ORTHOPEDIE TRAUMATOLOGIE": ["S72.0", "S82.8", "M17.1"],
    "MEDECINE INTERNE": ["R50.9", "M31.5", "D86.0"], "REANIMATION MEDICALE": ["A41.9", "J80", "R57.0"],
    "NEUROCHIRURGIE": ["S06.5", "I60.9", "C71.9"], "GERIATRIE AIGUE": ["R26.8", "E86", "N39.0"],
    "ONCOLOGIE MEDICALE": ["C50.9", "C34.9", "C18.9", "C61", "C25.9"], "CHIRURGIE SENOLOGIQUE": ["C50.4", "D05.1"],
    "CHIRURGIE ONCOLOGIQUE": ["C56", "C20", "C16.9"], "SOINS PALLIATIFS": ["C34.9", "C25.9", "Z51.5"],
    "HEMATOLOGIE": ["C83.3", "C81.9", "C90.0"], "MEDECINE POLYVALENTE": ["J18.9", "N39.0", "R53"],
    "CHIRURGIE VISCERALE": ["K80.2", "K35.8", "K40.9"], "CHIRURGIE ORTHOPEDIQUE": ["S72.0", "M16.1"],
    "GERIATRIE": ["R29.6", "E86", "F03"], "MATERNITE": ["O80", "O14.1"], "PEDIATRIE": ["J21.9", "R56.0"],
    "SSR": ["Z50.1"], "UHCD": ["R10.4", "T42.4", "S06.0"],
}

# ---------------------------------------------------------------- report wording
TITLES_DESCRIPTIVE = "{mod} {region}"
TITLES_GENERIC = ["Compte rendu radiologique", "COMPTE-RENDU D'IMAGERIE", "CR IMAGERIE", "Compte rendu",
                  "Document radiologie"]
HEADER_STYLES = [
    ("INDICATION", "TECHNIQUE", "RÉSULTATS", "CONCLUSION"),
    ("Indication :", "Technique :", "Résultat :", "Conclusion :"),
    ("Motif de l'examen", "Protocole", "Compte rendu", "En conclusion"),
    ("RENSEIGNEMENTS CLINIQUES :", "TECHNIQUE :", "DESCRIPTION :", "CONCLUSION :"),
    ("Contexte", "Technique d'acquisition", "Interprétation", "Synthèse"),
    ("Indication", None, "Résultats", "Conclusion"),
]

INDICATIONS = {
    "HEAD": ["Céphalées brutales.", "Chute chez patient sous anticoagulant.", "Déficit moteur brachio-facial droit.",
             "Confusion fébrile.", "Bilan d'extension.", "Crise comitiale inaugurale."],
    "NECK": ["Nodule thyroïdien palpé.", "Déficit neurologique transitoire.", "Adénopathie cervicale."],
    "CHEST": ["Dyspnée aiguë.", "Douleur thoracique, D-dimères positifs.", "Toux fébrile.", "Suivi de nodule pulmonaire.",
              "Contrôle après drainage.", "Position de la sonde d'intubation.", "Bilan préopératoire."],
    "ABDOMEN": ["Douleur de la fosse iliaque droite.", "Syndrome occlusif.", "Cholestase biologique.",
                "Bilan d'une altération de l'état général.", "Fièvre post-opératoire."],
    "CHESTABDOMEN": ["Bilan d'extension d'un adénocarcinome colique.", "Évaluation après 3 cures.",
                     "Suivi de cancer du sein traité.", "Recherche de récidive, ACE en hausse."],
    "CSPINE": ["Traumatisme cervical, accident de la voie publique."],
    "WHOLEBODY": ["Bilan initial d'un cancer bronchique.", "Évaluation thérapeutique d'un lymphome.",
                  "Suspicion de récidive.", "Bilan d'extension d'un cancer du sein.", "Polytraumatisme.",
                  "Réévaluation après radiothérapie.", "PSA en ascension après prostatectomie."],
    "KNEE": ["Gonalgie après torsion, suspicion de lésion méniscale."],
    "LSPINE": ["Lombosciatique droite rebelle.", "Lombalgies inflammatoires."],
    "PELVIS": ["Métrorragies post-ménopausiques.", "Bilan locorégional d'un cancer du rectum.", "Douleur pelvienne.",
               "Chute de sa hauteur, douleur de hanche."],
    "PROSTATE": ["PSA à 7,2 ng/mL.", "Surveillance active."],
    "BREAST": ["Dépistage organisé.", "Masse palpable du sein gauche.", "Surveillance après tumorectomie.",
               "Bilan d'extension locorégional."],
    "LIVER": ["Caractérisation d'une lésion hépatique.", "Suivi de cirrhose."],
    "ANKLE": ["Entorse, critères d'Ottawa positifs."],
    "HAND": ["Chute sur la main, douleur de la tabatière anatomique."],
    "LEG": ["Grosse jambe gauche douloureuse.", "Suspicion de TVP."],
}

TECHNIQUES = {
    "CT": ["Acquisition hélicoïdale sans injection.", "Acquisition après injection de produit de contraste iodé au temps portal.",
           "Acquisition hélicoïdale avant et après injection d'Omnipaque 350, 80 mL.", "Coupes fines, reconstructions multiplanaires."],
    "MR": ["Séquences T1, T2, FLAIR, diffusion et T1 après injection de gadolinium.", "Séquences pondérées T2, diffusion, T1 Dixon.",
           "Protocole standard sur IRM 1,5 T."],
    "CR": ["Incidence de face.", "Cliché de face debout."], "DX": ["Face et profil.", "Cliché au lit, de face."],
    "US": ["Examen réalisé avec sonde convexe et linéaire.", "Examen en mode B et Doppler couleur."],
    "MG": ["Incidences face et oblique externe bilatérales.", "Clichés bilatéraux, complétés d'un agrandissement."],
    "PT\\CT": ["Injection de {dose} MBq de 18F-FDG, glycémie à {gly} g/L, acquisition à {delay} minutes.",
               "Activité injectée : {dose} MBq. Glycémie capillaire {gly} g/L. Acquisition vertex-mi-cuisses à {delay} min."],
    "NM": ["Injection de {dose} MBq de 99mTc-HMDP, balayage corps entier à 3 heures.",
           "Injection de {dose} MBq de pertechnétate, images à 20 minutes."],
}

NORMAL_FINDINGS = {
    "HEAD": ["Pas d'hémorragie intra ou extra-axiale.", "Pas d'effet de masse.", "Système ventriculaire de taille normale.",
             "Pas de lésion ischémique constituée visible."],
    "NECK": ["Thyroïde de taille normale, homogène.", "Pas d'adénopathie cervicale."],
    "CHEST": ["Pas de foyer de condensation.", "Pas d'épanchement pleural.", "Pas d'embolie pulmonaire jusqu'en sous-segmentaire.",
              "Silhouette cardiaque normale.", "Pas d'adénopathie médiastinale."],
    "ABDOMEN": ["Foie de taille normale, sans lésion focale.", "Pas de dilatation des voies biliaires.", "Pas d'épanchement péritonéal.",
                "Appendice fin.", "Reins sans dilatation."],
    "CHESTABDOMEN": ["Pas de nodule pulmonaire suspect.", "Pas d'adénopathie médiastinale ni abdominale.", "Foie sans lésion focale.",
                     "Pas de lésion osseuse suspecte."],
    "CSPINE": ["Pas de fracture.", "Alignement conservé."],
    "WHOLEBODY": ["Pas d'hyperfixation suspecte.", "Fixations physiologiques.", "Pas d'hyperfixation ganglionnaire.",
                  "Pas de lésion osseuse."],
    "KNEE": ["Ménisques sans fissure.", "Ligaments croisés continus."],
    "LSPINE": ["Pas de conflit disco-radiculaire.", "Canal lombaire de calibre normal."],
    "PELVIS": ["Utérus et ovaires sans particularité.", "Pas de fracture.", "Pas d'adénopathie pelvienne."],
    "PROSTATE": ["Pas de lésion PI-RADS 4 ou 5.", "Capsule respectée."],
    "BREAST": ["Pas de masse ni de foyer de microcalcifications suspect.", "Seins de densité B.", "ACR 1 bilatéral."],
    "LIVER": ["Foie dysmorphique sans lésion focale suspecte."],
    "ANKLE": ["Pas de fracture.", "Interligne respecté."], "HAND": ["Pas de fracture visible.", "Scaphoïde intact."],
    "LEG": ["Veines compressibles, pas de thrombose.", "Flux phasique."],
}
ABNORMAL_FINDINGS = {
    "HEAD": ["Hématome sous-dural aigu gauche de {n} mm d'épaisseur.", "Hypodensité du territoire sylvien droit.",
             "Lésion prenant le contraste en couronne de {n} mm, frontale gauche."],
    "NECK": ["Nodule thyroïdien lobaire droit de {n} mm, EU-TIRADS 4.", "Sténose carotidienne interne gauche à 70 %."],
    "CHEST": ["Condensation alvéolaire lobaire inférieure droite.", "Embolie pulmonaire segmentaire bilatérale.",
              "Nodule du lobe supérieur droit de {n} mm.", "Épanchement pleural gauche de moyenne abondance."],
    "ABDOMEN": ["Appendice de {n} mm avec infiltration de la graisse.", "Lithiase vésiculaire.",
                "Lésion hépatique hypodense du segment VI de {n} mm.", "Distension grêlique avec zone transitionnelle."],
    "CHESTABDOMEN": ["Nodule pulmonaire du lobe inférieur gauche de {n} mm.", "Adénopathie coelio-mésentérique de {n} mm.",
                     "Lésions hépatiques secondaires, la plus grande de {n} mm.", "Lyse osseuse de L3."],
    "CSPINE": ["Fracture du processus odontoïde."],
    "WHOLEBODY": ["Hyperfixation pulmonaire lobaire supérieure droite, SUVmax {suv}.",
                  "Adénopathie médiastinale 4R hypermétabolique, SUVmax {suv}.",
                  "Hyperfixations osseuses multiples, la plus intense en L2 (SUVmax {suv}).",
                  "Hyperfixation mammaire gauche de {n} mm, SUVmax {suv}."],
    "KNEE": ["Fissure horizontale de la corne postérieure du ménisque médial."],
    "LSPINE": ["Hernie discale L4-L5 postéro-latérale droite."], "PELVIS": ["Épaississement endométrial de {n} mm.",
             "Fracture du col fémoral gauche.", "Tumeur du bas rectum à 5 cm de la marge anale."],
    "PROSTATE": ["Lésion de la zone périphérique gauche de {n} mm, PI-RADS 4."],
    "BREAST": ["Masse irrégulière du QSE gauche de {n} mm, ACR 5.", "Foyer de microcalcifications du sein droit, ACR 4."],
    "LIVER": ["Nodule du segment VIII de {n} mm avec wash-out, LI-RADS 5."],
    "ANKLE": ["Fracture de la malléole latérale."], "HAND": ["Fracture extra-articulaire du radius distal."],
    "LEG": ["Thrombose veineuse fémoro-poplitée gauche."],
}
NORMAL_CONCLUSIONS = ["Examen normal.", "Pas d'anomalie significative.", "Examen sans particularité.",
                      "Absence d'anomalie décelable.", "Pas de lésion évolutive."]
COMPARISONS = ["Comparativement à l'examen du {prev}, stabilité.", "Par rapport au scanner du {prev} : aspect superposable.",
               "Pas d'examen antérieur disponible pour comparaison.", "Comparaison avec l'examen de {prev_src} du {prev} (CD).",
               "En comparaison avec le précédent examen du {prev}, diminution de taille."]
SIGNATURES = ["Dr [NOM]", "Docteur [NOM], radiologue", "Compte rendu validé électroniquement par Dr [NOM]",
              "Pr [NOM]", "Signé : Dr [NOM] - Praticien hospitalier"]
TELERAD_HEADER = ["Interprétation à distance (téléradiologie de garde) - Dr [NOM]",
                  "TÉLÉRADIOLOGIE - Centre d'interprétation de nuit", "Lecture en téléradiologie, images reçues à {hh}h{mm}."]
OUTSIDE_CENTRES = ["CH de Valbonne-sur-Loire", "Clinique Saint-Roch", "CHU de Rivemont", "Imagerie du Parc (cabinet libéral)",
                   "Polyclinique des Tilleuls", "Centre d'imagerie Pasteur"]
ADDENDUM_TEXTS = ["ADDENDUM : après relecture avec le clinicien, la lésion décrite mesure {n} mm et non {m} mm.",
                  "Complément : comparaison avec l'examen antérieur obtenu secondairement, lésion stable.",
                  "Compte rendu rectifié : erreur de latéralité, lire « gauche » au lieu de « droit ».",
                  "Avis de second lecteur : conclusion confirmée."]

# rare surnames of the long tail, made from a root and an ending (BOURGEON, CHAMPION, VILLARD...)
RARE_ROOTS = ["BOUR", "CHAM", "DEL", "FOUR", "GRAND", "MAR", "PAL", "ROCH", "VIL", "BEL", "COR", "LAV", "MOR",
              "TEIL", "SAU", "BRU", "CHAU", "GOD", "JOU", "LEV", "TREM", "PONS", "GAL", "QUER", "ESCO", "BLAN",
              "DUCH", "MONT", "BAR", "CAST", "FER", "LAB", "PEL", "RIV", "TOUR", "VAL"]
RARE_SUFFIXES = ["GEON", "PION", "AUX", "NIER", "ET", "ARD", "OT", "IN", "ELLE", "ERON", "IER", "AUD", "ASSE",
                 "ENT", "ILLON", "AC", "OUX", "EAU", "AIN", "ESSE"]

# exam-specific wording (overrides the region lists)
INDICATIONS_BY_CODE = {
    "BODYSCAN": ["Polytraumatisme, accident de la voie publique à haute cinétique.", "Chute d'un échafaudage de 4 mètres."],
    "TEP_FDG": ["Bilan initial d'un cancer bronchique.", "Évaluation thérapeutique d'un lymphome après 2 cycles.",
                "Suspicion de récidive.", "Bilan d'extension d'un cancer du sein.", "Réévaluation après radiothérapie.",
                "Nodule pulmonaire de 14 mm, caractérisation."],
    "TEP_PSMA": ["PSA en ascension après prostatectomie.", "Bilan initial d'un adénocarcinome prostatique à haut risque."],
    "TEP_CHOL": ["Récidive biologique d'un cancer de la prostate.", "Bilan d'un hyperparathyroïdisme primaire."],
    "SCINTI_OS": ["Bilan d'extension osseuse.", "Douleurs osseuses chez une patiente traitée pour un cancer du sein."],
    "SCINTI_THYR": ["Hyperthyroïdie, bilan étiologique."],
}
TECHNIQUES_BY_CODE = {
    "TEP_PSMA": ["Injection de {dose} MBq de 68Ga-PSMA-11, acquisition à {delay} minutes.",
                 "Activité injectée : {dose} MBq de 18F-PSMA-1007. Acquisition à {delay} min."],
    "TEP_CHOL": ["Injection de {dose} MBq de 18F-fluorocholine, acquisition précoce puis à {delay} minutes."],
    "BODYSCAN": ["Acquisition du vertex aux pieds après injection, temps artériel et portal."],
    "SCINTI_THYR": ["Injection de {dose} MBq de pertechnétate, images à 20 minutes."],
    "SCINTI_OS": ["Injection de {dose} MBq de 99mTc-HMDP, balayage corps entier à 3 heures.",
                  "Balayage corps entier 3 heures après injection de {dose} MBq d'HMDP, complété de TEMP-TDM du rachis."],
}
NORMAL_BY_CODE = {
    "BODYSCAN": ["Pas de lésion traumatique encéphalique.", "Pas de pneumothorax.", "Pas d'épanchement intra-abdominal.",
                 "Pas de fracture du rachis."],
    "SCINTI_OS": ["Pas de foyer d'hyperfixation suspect.", "Fixations dégénératives des genoux."],
    "SCINTI_THYR": ["Fixation homogène des deux lobes."],
}
ABNORMAL_BY_CODE = {
    "BODYSCAN": ["Fracture de l'arc postérieur de la 6e côte gauche.", "Contusion pulmonaire basale droite.",
                 "Fracture du plateau supérieur de L1 sans recul du mur postérieur.", "Lacération splénique de {n} mm."],
    "SCINTI_OS": ["Foyers d'hyperfixation costaux et vertébraux multiples.", "Hyperfixation intense de l'aile iliaque droite."],
    "SCINTI_THYR": ["Nodule hyperfixant lobaire gauche de {n} mm, extinctif."],
    "TEP_PSMA": ["Fixation de la loge de prostatectomie, SUVmax {suv}.", "Adénopathie iliaque externe gauche de {n} mm, SUVmax {suv}."],
    "TEP_CHOL": ["Adénopathie iliaque commune droite hyperfixante, SUVmax {suv}.", "Foyer osseux de l'ischion gauche, SUVmax {suv}."],
}
