"""Patterns (data only): what a report title or a DICOM study description says about the exam.

Each entry is (regex on upper-case ASCII text, code). The modality classes group DICOM
Modality (0008,0060) codes the way a report names them: a PET-CT study is
``PT\\CT`` in DICOM and "Tomographie par émission de positons avec scanner" or
"TEP-TDM" in its report title, so the class ``PET`` wins over ``CT`` when both match.
Sources: French radiology and nuclear-medicine report headings (CCAM wording, SFR/SFMN
usage) as written by RIS/PACS; DICOM PS3.3 C.7.3.1.1.1 for the codes.
"""

from __future__ import annotations

__all__ = ["MODALITY_CLASS_PATTERNS", "MODALITY_CLASS_OF_CODE", "REGION_PATTERNS", "REGION_OF_BODY_PART",
           "TEXT_MODALITY_PATTERNS", "FIRST_LINE_PATTERN", "COMPARISON_LINE_PATTERN", "ADDENDUM_PATTERN", "OUTSIDE_REVIEW_PATTERN",
           "EXAM_DATE_PATTERN", "COMPARED_DATE_PATTERN", "COMPARED_DATE_WORDS", "HEAD_ASCII_PATTERN", "LABEL_DATE_PATTERN", "LABEL_DATE_EXCLUDED", "LETTER_DATE_PATTERN", "MONTHS",
           "DESCRIPTION_SIDE_PATTERNS", "TEXT_SIDE_PATTERNS"]

# Checked in order; the first class that matches is the text's class.
MODALITY_CLASS_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\bTEP\b|TEP[ -]?(?:TDM|SCAN)|TEPSCAN|\bPET\b|POSITON|\bTEMP\b.*\bTEP\b|FDG|PSMA|DOTATOC|FLUOROCHOLINE|18F", "PET"),
    (r"SCINTIGRAPH|\bTEMP\b|SPECT|MIBG", "NM"),
    (r"\bIRM\b|RESONANCE MAGNETIQUE|\bMR\b", "MR"),
    (r"MAMMOGRAPH|TOMOSYNTHESE|\bMAMMOS?\b", "MG"),
    (r"ECHOGRAPH|\bECHO\b|DOPPLER", "US"),
    (r"SCANNER|SCANOGRAPH|\bTDM\b|TOMODENSITO|\bCT\b|UROSCANNER|COROSCANNER", "CT"),
    (r"RADIOGRAPH|\bRADIO\b *[A-Z0-9]|\bRX\b|CLICHE|THORAX FACE|\bASP\b", "XR"),  # "CR RADIO" alone: any exam
)

# DICOM modality code -> class; a multi-valued "PT\CT" takes the first class that any of
# its codes has, in the order of MODALITY_CLASS_PATTERNS.
MODALITY_CLASS_OF_CODE: dict[str, str] = {
    "PT": "PET", "NM": "NM", "MR": "MR", "MG": "MG", "US": "US", "CT": "CT",
    "CR": "XR", "DX": "XR", "RF": "XR", "XA": "XR",
}  # fmt: skip

# Anatomical region named by a title or description. TAP (thorax-abdomen-pelvis) and
# whole body are their own regions; a chest CT report and a TAP CT exam disagree.
REGION_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"CORPS ENTIER|WHOLE ?BODY|VERTEX|\bWB\b", "WHOLEBODY"),
    (r"THORACO[ -]?ABDOMINO[ -]?PELVIEN|\bTAP\b|TAPINJ|THORA[A-Z]* (?:ET )?ABDOM[A-Z]* (?:ET )?PELV", "TAP"),
    (r"CEREBR|ENCEPHAL|CRANE|\bHEAD\b|\bBRAIN\b|\bSKULL\b|\bSINUS", "HEAD"),
    (r"RACHIS|LOMBAIRE|DORSO|SPINE", "SPINE"),
    (r"CERVICAL|THYROID|\bNECK\b", "NECK"),
    (r"PLEURA", "CHEST"),
    (r"MAMMO|\bSEIN|BREAST", "BREAST"),
    (r"ABDOM[A-Z]* (?:ET )?PELV", "ABDOMEN"),  # "abdomen pelvis" is the abdomen-pelvis, not the bony pelvis
    (r"BASSIN|PELVIS\b|OSSEU|\bBONE\b", "BONE"),
    (r"HEPATI|ABDOMIN|\bABDO|ABDOMEN|PELVIEN|\bASP\b|\bRENAL|\bREINS?\b|\bKIDNEY", "ABDOMEN"),
    (r"THORA|POUMON|PULMON|\bCHEST\b", "CHEST"),
    # limbs and joints (radiography, ultrasound, MRI): the joint first, then the limb
    (r"GENOU|\bKNEE", "KNEE"),
    (r"HANCHE|\bHIP\b", "HIP"),
    (r"CHEVILLE|\bANKLE", "ANKLE"),
    (r"\bPIEDS?\b|\bFOOT\b|\bFEET\b|ORTEIL", "FOOT"),
    (r"EPAULE|SHOULDER", "SHOULDER"),
    (r"COUDE|ELBOW", "ELBOW"),
    (r"POIGNET|\bWRIST", "WRIST"),
    (r"\bMAINS?\b|\bHAND\b|DOIGT|SCAPHOIDE", "HAND"),
    (r"MEMBRES? INF|\bM ?I\b|JAMBE|\bLEG\b|FEMUR|TIBIA|MOLLET", "LOWER_LIMB"),
    (r"MEMBRES? SUP|\bARM\b|HUMERUS|AVANT BRAS", "UPPER_LIMB"),
)

REGION_OF_BODY_PART: dict[str, str] = {
    "WHOLEBODY": "WHOLEBODY", "WB": "WHOLEBODY", "CHESTABDPELVIS": "TAP", "CHEST": "CHEST",
    "HEAD": "HEAD", "BRAIN": "HEAD", "ABDOMEN": "ABDOMEN", "SPINE": "SPINE", "LSPINE": "SPINE",
    "TSPINE": "SPINE", "CSPINE": "SPINE", "NECK": "NECK", "BREAST": "BREAST", "PELVIS": "BONE",
    "SKULL": "HEAD", "SSPINE": "SPINE", "ABDOMENPELVIS": "ABDOMEN", "HEART": "CHEST", "KIDNEY": "ABDOMEN",
    "LIVER": "ABDOMEN", "KNEE": "KNEE", "HIP": "HIP", "ANKLE": "ANKLE", "FOOT": "FOOT", "SHOULDER": "SHOULDER",
    "ELBOW": "ELBOW", "WRIST": "WRIST", "HAND": "HAND", "LEG": "LOWER_LIMB", "ARM": "UPPER_LIMB",
}  # fmt: skip
"""DICOM Body Part Examined (0018,0015) defined terms -> region; other values (a site's own
words, ``THORAX``, ``GENOU``) are read with :data:`REGION_PATTERNS`."""

# Regions that a title and an exam may name differently for the same study.
COMPATIBLE_REGIONS: frozenset[frozenset[str]] = frozenset({
    frozenset({"BONE", "SPINE"}), frozenset({"WHOLEBODY", "BONE"}), frozenset({"ABDOMEN", "TAP"}),
    frozenset({"CHEST", "TAP"}),
    *(frozenset({joint, "LOWER_LIMB"}) for joint in ("KNEE", "ANKLE", "FOOT", "HIP")),
    *(frozenset({joint, "UPPER_LIMB"}) for joint in ("SHOULDER", "ELBOW", "WRIST", "HAND")),
    frozenset({"HIP", "BONE"}),
    # adjacent anatomy named either way: the scaphoid is "main" and "poignet", a "cervical" trauma
    # is the cervical spine, the pelvis ("bassin", "pelvien") is bone and abdomen
    frozenset({"HAND", "WRIST"}), frozenset({"NECK", "SPINE"}), frozenset({"ABDOMEN", "BONE"}),
})

# Radiotracers named by a PET / scintigraphy report or a study description.
TRACER_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"PSMA", "PSMA"),
    (r"DOTATOC|DOTATATE|DOTANOC", "DOTATOC"),
    (r"F ?DOPA|18F ?DOPA|\bDOPA\b", "FDOPA"),
    (r"CHOLINE", "CHOLINE"),
    (r"ESTRADIOL|\bFES\b", "FES"),
    (r"FLUORURE|\bNAF\b", "NAF"),
    (r"MIBG", "MIBG"),
    (r"HMDP|MDP", "HMDP"),
    (r"\bFDG\b|FLUORO.?D.SOXY.?GLUCOSE|18F.?FDG", "FDG"),
)

# -- what a report's text says when its title says nothing -----------------------------
# Technique and heading words of each modality class, checked in order on the opening of
# the text (upper-case ASCII). PET reports mention their low-dose "scanner", mammography
# reports a complementary "echographie": the more specific class comes first.
# Technique words (the "Technique :" / "Protocole" line) count as much as the exam's name:
# a PET's fasting glycaemia, MR sequences and weightings, US echogenicity and venous
# compression, CT acquisition phases, reconstructions and iodinated agents, radiograph
# views ("face et profil", "incidences").
TEXT_MODALITY_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\bTEP\b|TEP[ -]?(?:TDM|SCAN)|POSITON|FDG|FLUORODESOXYGLUCOSE|RADIOPHARMACEUTIQUE|PSMA|DOTATOC"
     r"|GLYCEMIE CAPILLAIRE", "PET"),
    (r"SCINTIGRAPH|HMDP|TECHNETIUM|BALAYAGE CORPS ENTIER", "NM"),
    (r"\bIRM\b|GADOLINIUM|SEQUENCES?\b|FLAIR|FAT ?SAT|\bPONDERATIONS?\b|HYPERSIGNAL|HYPOSIGNAL"
     r"|GADOTERATE|DOTAREM|GADOVIST", "MR"),
    (r"MAMMOGRAPH|OBLIQUE BILATERAL|OBLIQUES? EXTERNES?|DENSITE DE TYPE|CLASSIFICATION ACR|SEINS? DE DENSITE"
     r"|\bACR [0-6]\b|BI-?RADS", "MG"),
    # an ultrasound probe ("sonde convexe"), not a nasogastric or an intubation tube ("sonde d'intubation")
    (r"ECHOGRAPH|\bSONDES? (?:LINEAIRE|CONVEXE|ENDO|SECTORIELLE|HAUTE|DE HAUTE|BARRETTE|MICRO)|VOIE SUS PUBIENNE|DOPPLER|ECHOSTRUCTURE|\w*ECHOGENE|RESEAU VEINEUX"
     r"|COMPRESSIBLES?\b", "US"),
    (r"SCANNER|SCANOGRAPH|\bTDM\b|TOMODENSITO|HELICOIDAL|CONTRASTE IODE|ACQUISITION THORACIQUE"
     r"|ACQUISITION (?:VOLUMIQUE|AU TEMPS|SANS|APRES|THORACO|ABDOMINO|CEREBRALE)|TEMPS (?:ARTERIEL|PORTAL)"
     r"|RECONSTRUCTIONS? (?:MULTIPLANAIRES?|CORONALES?|SAGITTALES?|MPR)|OMNIPAQUE|IOMERON|VISIPAQUE"
     r"|XENETIX|IOPAMIRON|ULTRAVIST|HYPODEN|HYPERDEN", "CT"),
    (r"RADIOGRAPH|\bRADIO\b|CLICHE|FACE ET (?:DE )?PROFIL|\bINCIDENCES?\b|FACE PROFIL|TROIS QUARTS", "XR"),
)

# The technique line ("Technique : cliché de face", "Protocole : acquisition hélicoïdale"): it says
# how the exam was made, where findings words may belong to another modality's template (an
# ultrasound's "échostructure" in a scanner's liver line). Read first for the text's class.
TECHNIQUE_LINE_PATTERN = r"(?m)^[ \t]*(?P<line>(?:TECHNIQUES?|PROTOCOLES?)\b[^\n]*)"

# The text's first line that holds a letter or digit (the exam's name, when the text opens with it):
# read before the rest of the opening for the text's class. Linear: one bounded-class run each.
FIRST_LINE_PATTERN = r"^[ \t\n]*(?P<line>[^ \t\n][^\n]*)"

# Classes whose technique line names another modality's part (a PET's low-dose scanner, a
# scintigraphy's SPECT-CT): the whole opening's class stands for them.
HYBRID_TEXT_CLASSES: tuple[str, ...] = ("PET", "NM")

# Lines that name another exam (comparisons, the previous exam): not read for the text's class.
COMPARISON_LINE_PATTERN = (r"(?m)^[ \t]*(?:COMPARA|EXAMENS? DE REFERENCE|ANTERIORITE|EXAMENS? ANTERIEURS?"
                           r"|PAR RAPPORT)[^\n]*")

# A report title that says it reviews images made elsewhere ("Avis sur examen extérieur",
# "Relecture imagerie externe", a tumour board's opinion): most have no exam of the warehouse.
OUTSIDE_REVIEW_PATTERN = r"EXTERIEU?RE?S?\b|EXTERNES?\b|\bAVIS\b|\bRCP\b"

# A report that says it adds to or corrects an earlier one (title, or opening of the text).
ADDENDUM_PATTERN = (r"ADDENDUM|COMPLEMENT\b|COMPLEMENTAIRE|RECTIFICATI|ERRATUM|CORRECTIF|CR CORRIGE"
                    r"|\bCR MODIFIE|COMPTE RENDU MODIFIE")

# The exam's own date written at the start of a line: "Examen du 03/03/2021",
# "TEP réalisée le 3 mars 2021", "TDM du 12.03.2021", "Examen réalisé le 03/03/21 à 09h40",
# "Date de l'examen : 3 mars 2021"; a time of day that follows the date is kept ("à 9h40",
# "à 09:40"). Comparisons ("Comparaison avec la TEP du ...") do not start a line and are
# not taken. Linear: no nested quantifiers.
_EXAM_WORD = (r"(?:EXAMEN|TEP(?:[ -](?:TDM|SCANNER))?|TDM|SCANNER|IRM|ECHOGRAPHIE|RADIOGRAPHIE"
              r"|MAMMOGRAPHIE|SCINTIGRAPHIE|CLICHES?)")
_MONTH = (r"(?P<month_name>JANVIER|FEVRIER|MARS|AVRIL|MAI|JUIN|JUILLET|AOUT|SEPTEMBRE|OCTOBRE"
          r"|NOVEMBRE|DECEMBRE)")
# A written date, one owner for every stated-date search: "03/03/2021", "03.03.21", "03-03-2021",
# ISO "2021-03-03" (a RIS or PDF export), "3 mars 2021", "1er mars 2021", "dimanche 3 mars 2021",
# "3 MARS. 2021" (a month followed by a period). Groups: day/month/year, day2/month_name/year2,
# day3/month3/year3 (ISO), read by radlink.linkage.report_text._found_dates. Linear: no nested
# quantifiers; the weekday's blank run is followed by a digit.
_WEEKDAY = r"(?:(?:LUNDI|MARDI|MERCREDI|JEUDI|VENDREDI|SAMEDI|DIMANCHE)[ \t]+)?"
_DATE = (r"(?:(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4}|\d{2})(?!\d)"
         r"|(?P<year3>(?:19|20)\d{2})-(?P<month3>\d{2})-(?P<day3>\d{2})(?!\d)"
         r"|" + _WEEKDAY + r"(?P<day2>\d{1,2})(?:ER)?[ \t]+" + _MONTH + r"\.?[ \t]+(?P<year2>\d{4}))")
EXAM_DATE_PATTERN = (
    r"(?m)^[ \t]*(?:" + _EXAM_WORD + r"[ \t]+(?:REALISEE?S?|REALISE\(E\)|PRATIQUEE?|FAITE?)?[ \t]*"
    r"(?:LE|DU|EN DATE DU)|DATE D(?:E L)?'[ \t]?EXAMEN[ \t]*:?)[ \t]+"
    + _DATE +
    r"(?:[ \t]*,?[ \t]+(?:A|VERS)[ \t]+(?P<hour>\d{1,2})[ \t]?[H:][ \t]?(?P<minute>\d{2})?)?"
)

# A line naming the exam by its RIS label and its date, alone on the line: "SCANNER TAP du
# 12/03/2024", "ANGIOSCANNER THORACIQUE du 08/01/2023", "GENOU D F+P du 14/01/2022" (up to
# six words, then "du"/"le" and the date ending the line). A line that compares, refers to
# an earlier exam or dates another document ("Examen comparé au précédent du ...",
# "Annule et remplace le compte rendu du ...") does not count.
LABEL_DATE_PATTERN = (
    r"(?m)^[ \t]*(?:[A-Z0-9][A-Z0-9+'/().-]*[ \t]+){1,6}(?:DU|LE)[ \t]+"
    + _DATE + r"[ \t.]*$"
)

LABEL_DATE_EXCLUDED = (r"COMPAR|ANTERI|REFERENCE|RAPPORT|PRECEDENT|DERNIER|ANCIEN|COMPTE RENDU|REMPLACE"
                       r"|\bCR\b|COURRIER|LETTRE|CONSULTATION|SUIVI")
"""Words that make a label-and-date line (:data:`LABEL_DATE_PATTERN`) another exam's or document's."""

# An exam said to be performed on a date inside a sentence, as outside radiologists' letters
# write it: "... pour un(e) radio genou réalisé(e) le 02/01/2023.", "l'IRM réalisée le 3 mars
# 2021 montre". Read only for texts that state no date at a line start; a line that compares
# or refers to an earlier exam (PERFORMED_DATE_EXCLUDED) does not count.
_PERFORMED_DATE = (
    r"\b(?:REALISEE?S?|REALISE\(E\)S?|PRATIQUEE?S?|PRATIQUE\(E\)|EFFECTUEE?S?"
    r"|EFFECTUE\(E\)|BENEFICIE)[ \t]+LE[ \t]+"
    + _DATE
)
PERFORMED_DATE_PATTERN = r"(?m)^[^\n]{0,240}?" + _PERFORMED_DATE
PERFORMED_DATE_WORDS = _PERFORMED_DATE
"""The words and date of :data:`PERFORMED_DATE_PATTERN` without its line start: it matches
wherever that pattern does, and is far cheaper in a union of patterns (RE2's one pass)."""

PERFORMED_DATE_EXCLUDED = r"COMPAR|ANTERI|REFERENCE|RAPPORT|PRECEDENT|DERNIER|ANCIEN|REMPLACE|ANNULE"
"""Words that make a performed-on line (:data:`PERFORMED_DATE_PATTERN`) another exam's."""

# A head that may name the patient ("Mme X Anne, née le 2/3/1950", "DDN : ...", "X Anne
# (02/03/1950)"), on an upper-case ASCII opening; the raw-text form is
# radlink.linkage.report_identity.HEAD_PATTERN.
HEAD_ASCII_PATTERN = r"NE(?:E|\(E\))?\s+LE\b|DDN|NAISSANCE|\(\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\s*\)"

# The letter's own date, alone on its line: "Le 7 janvier 2023", "Paris, le 07/01/2023",
# "Fait le 07.01.2023", "Date : 07/01/2023". It dates the report (not its exam) when the
# export lost the signature time. A whole line only: "scanner du 08/01/2023" is not one.
# The leading blanks are taken once (possessive ``*+``): linear on a long run of blanks.
LETTER_DATE_PATTERN = (
    r"(?m)^[ \t]*+(?:[A-Z][A-Z' -]{1,40},[ \t]*)?(?:(?:FAIT[ \t]+)?LE|DATE(?:[ \t]+DU[ \t]+COMPTE[ \t]+RENDU)?"
    r"[ \t]*:)?[ \t]*(?:(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
    r"|(?P<day2>\d{1,2})(?:ER)?[ \t]+" + _MONTH + r"[ \t]+(?P<year2>\d{4}))[ \t.]*$"
)

# A line that compares with an earlier exam and dates it: "Comparaison : examen du 15/07/2024",
# "Examen de référence : étude du 12/02/2023", "En comparaison avec le précédent examen du
# 10/10/2025", "Comparatif : scanner du 25/01/2024". The exam so dated is the one this report
# compares with, not its own. Linear: bounded gaps, no nested quantifiers.
COMPARED_DATE_WORDS = r"COMPARA|REFERENCE|ANTERIORITE|PRECEDENT|PAR RAPPORT"
"""The words one of which every match of :data:`COMPARED_DATE_PATTERN` holds: a text without any
is ruled out by one cheap pass (a literal alternation) before that pattern's bounded gaps are run."""

COMPARED_DATE_PATTERN = (
    r"(?m)^[^\n]{0,80}?(?:" + COMPARED_DATE_WORDS + r")[^\n]{0,80}?"
    + _DATE
)

MONTHS: dict[str, int] = {m: i for i, m in enumerate(
    ("JANVIER", "FEVRIER", "MARS", "AVRIL", "MAI", "JUIN", "JUILLET", "AOUT", "SEPTEMBRE",
     "OCTOBRE", "NOVEMBRE", "DECEMBRE"), start=1)}
"""French month names (upper-case ASCII) -> month number."""

# The side a study description names (upper-case ASCII words, punctuation as blanks): "RX GENOU
# DROIT", "HANCHE G", "GENOU D F+P", "EPAULE GCHE". Two studies of one request on the two sides
# are two parts of it (sibling studies), not a repeat. Linear: literal alternations.
DESCRIPTION_SIDE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\b(?:GAUCHE|GCHE|GAU|G)\b", "left"),
    (r"\b(?:DROITE?|DRT|DTE|D)\b", "right"),
)

# The side a report's text names, in full words only (a text's "d'" and initials are no side).
TEXT_SIDE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\bGAUCHE\b", "left"),
    (r"\bDROITE?\b", "right"),
)
