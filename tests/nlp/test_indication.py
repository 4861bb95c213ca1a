"""radlink.nlp.indication: the indication paragraph and its category."""

from __future__ import annotations

import pytest

from radlink.nlp.indication import categorize_indication


@pytest.mark.parametrize(
    "text, category",
    [
        ("Bilan d'extension d'un adénocarcinome pulmonaire.", "initial_staging"),
        ("Bilan initial d'un lymphome.", "initial_staging"),
        ("Évaluation de la réponse après trois cures de carboplatine.", "response_assessment"),
        ("Lymphome de Hodgkin, évaluation intermédiaire après 2 cycles d'ABVD.", "response_assessment"),
        ("Réévaluation après radio-chimiothérapie concomitante.", "response_assessment"),
        # a check under an ongoing treatment, the treatment named first
        ("Cancer du rein métastatique, sous cabozantinib. Réévaluation à 3 mois.", "response_assessment"),
        ("Contrôle des lésions hépatiques d'un cancer colique sous FOLFIRI.", "response_assessment"),
        ("Sclérose en plaques sous natalizumab. Contrôle annuel.", "follow_up"),
        # a biology or a clinical sign asks for a diagnosis
        ("PSA à 6,7 ng/mL, toucher rectal normal.", "diagnosis"),
        ("Entorse de la cheville gauche, instabilité.", "diagnosis"),
        ("Microcalcifications du sein droit vues sur une mammographie extérieure.", "diagnosis"),
        # a screening exam is "other"; a finding seen at screening is a diagnosis
        ("Bilan de dépistage, patiente de 50 ans.", "other"),
        ("Nodule hépatique vu à l'échographie de dépistage.", "diagnosis"),
        # a treated cancer under surveillance with a new symptom or a rising marker
        ("Cancer du côlon opéré en 2020, surveillance, douleurs lombaires.", "suspected_recurrence"),
        ("Cancer de l'ovaire traité en 2019. Augmentation progressive du CA 125.", "suspected_recurrence"),
        ("Cancer du pancréas opéré, CA 19-9 en hausse.", "suspected_recurrence"),
        ("Coliques néphrétiques gauches.", "diagnosis"),
        ("Surveillance à 1 an d'une lobectomie.", "follow_up"),
        ("Récidive biologique (PSA 0,8 ng/mL).", "suspected_recurrence"),
        ("Ascension du PSA à 2,1 ng/mL après radiothérapie.", "suspected_recurrence"),
        ("Nodule pulmonaire solitaire. Caractérisation.", "diagnosis"),
        ("douleurs rachidiennes chez un patient suivi pour carcinome ; recherche de métastases.", "diagnosis"),
        ("TEP de centrage pour radiothérapie stéréotaxique.", "other"),
        ("contrôle de position d'une chambre implantable.", "other"),
        # a new or growing sign beats "surveillance"
        ("Apparition d'un nodule hépatique sur le scanner de suivi d'un cancer colique.",
         "suspected_recurrence"),
        ("Lymphome traité en 2021. Majoration d'une adénopathie axillaire en surveillance.",
         "suspected_recurrence"),
        ("Bilan d'extension d'une masse pancréatique.", "initial_staging"),
        # a new symptom in a known cancer: the search for its cause
        ("Douleurs lombaires chez un patient suivi pour un cancer de la prostate.", "diagnosis"),
        ("Patiente suivie en oncologie pour un cancer du sein : surveillance.", "follow_up"),
        # issue 12, seventh round: "bilan initial" of a disease that is no tumour
        ("Névrite optique. Bilan initial de dissémination spatiale.", "diagnosis"),
        ("Découverte d'un CBNPC, bilan initial.", "initial_staging"),
        ("Méningiome de la convexité. Bilan pré-opératoire.", "initial_staging"),
        # a symptom beside a device is a diagnostic request
        ("Gonflement du bras gauche, porteur d'une chambre implantable.", "diagnosis"),
        ("Contrôle de position de la chambre implantable.", "other"),
        ("Infarctus inférieur, dysfonction VG.", "diagnosis"),
        ("Myélome traité, en rémission. Réapparition de douleurs et d'une masse palpable.", "suspected_recurrence"),
        ("", None),
    ],
)
def test_categorize_indication(text, category):
    assert categorize_indication(text) == category


def test_indication_paragraph_stops_at_a_blank_line(nlp):
    doc = nlp("Histoire clinique : fièvre et toux.\n\nOpacité du lobe inférieur gauche.")
    assert doc._.indication == "fièvre et toux."
    assert doc._.indication_category == "diagnosis"


def test_clinique_title_is_the_indication(nlp):
    doc = nlp("Clinique : douleur thoracique gauche.\n\nRésultats :\nRAS.")
    assert (doc._.indication, doc._.indication_category) == ("douleur thoracique gauche.", "diagnosis")


def test_indication_keeps_placeholders(nlp):
    doc = nlp("Indication : Bilan d'extension chez <span>[NOM]</span>, 67 ans.<br>Technique : 3 MBq/kg")
    assert doc._.indication == "Bilan d'extension chez [NOM], 67 ans."


@pytest.mark.parametrize(
    "text, category",
    [
        # no indication title: the exam's title and the line under it
        ("Poignet droit F+P\n\nChute sur la main, douleur de la tabatière.\n\nPas de fracture.", "diagnosis"),
        ("IRM GENOU GAUCHE - contrôle à 6 mois d'une ligamentoplastie.\nTransplant continu.", "follow_up"),
        # a head that says nothing of the request gives no category
        ("Radiographie thoracique de face.\nPas de foyer. RAS.", None),
        ("CONCLUSION :\nPneumothorax droit.", None),
    ],
)
def test_category_of_a_report_without_an_indication(nlp, text, category):
    doc = nlp(text)
    assert (doc._.indication, doc._.indication_category) == (None, category)


def test_inline_title_after_a_placeholder(nlp):
    doc = nlp("CR de TEP-TDM - Dr [NOM] Indication : lymphome, évaluation après 4 cures. Technique : FDG.")
    assert (doc._.indication, doc._.indication_category) == (
        "lymphome, évaluation après 4 cures.", "response_assessment")


@pytest.mark.parametrize(
    "text, indication",
    [
        # a report without blank lines writes a paragraph a line: the lines under the
        # indication's are its untitled technique or results
        ("Indication : contrôle de la sonde gastrique.\nSonde en place.\nPas de pneumopéritoine.\n"
         "Conclusion : sonde en place.", "contrôle de la sonde gastrique."),
        ("Indication : myélome, évaluation après induction.\n[ACTIVITE = 250 MBq] Délai 60 min.\n"
         "Résultats :\nPas de foyer.", "myélome, évaluation après induction."),
        # a line broken mid-sentence runs on
        ("Indication : douleur de la fosse\niliaque droite.\nConclusion : RAS.",
         "douleur de la fosse iliaque droite."),
        # a writer who ends the paragraph with a blank line keeps its lines
        ("Motif : toux depuis un mois.\nTabac sevré.\n\nRésultats :\nRAS.", "toux depuis un mois. Tabac sevré."),
    ],
)
def test_compact_indication_stops_at_its_line(nlp, text, indication):
    assert nlp(text)._.indication == indication


def test_cut_indication_read_by_no_rule_takes_its_paragraph_category(nlp):
    doc = nlp("Clinique : patient de 80 ans sous AVK.\nHématome sous-dural gauche de 6 mm.\nConclusion : HSD.")
    assert doc._.indication == "patient de 80 ans sous AVK."
    assert doc._.indication_category == "diagnosis"


@pytest.mark.parametrize(
    "text, indication",
    [
        # an indication title typed in haste is still the title
        ("IRM du genou gauche\nIndicaiton : douleur du genou après une chute.\n\nRésultats : épanchement.",
         "douleur du genou après une chute."),
        ("SCANNER THORACIQUE\nRENSIGNEMENTS CLINIQUES : toux persistante.\n\nRÉSULTATS : RAS.",
         "toux persistante."),
        # the title's head word followed by words the section patterns do not list
        ("Échographie abdominale\nMotif de la consultation : ictère.\n\nRésultats : voies biliaires fines.",
         "ictère."),
    ],
)
def test_indication_title_typed_in_haste(nlp, text, indication):
    assert nlp(text)._.indication == indication


def test_requester_is_not_an_indication_title(nlp):
    doc = nlp("Radiographie du bassin\nDemandeur : Dr [NOM]\n\nRésultats : pas de fracture.")
    assert doc._.indication is None


def test_untitled_head_line_gives_a_category_but_no_indication(nlp):
    # the guide's ruling "No indication title": the reason gives the category only
    doc = nlp("Patiente de 45 ans, céphalées brutales.\nScanner cérébral : pas d'hémorragie.\n\nConclusion : normal.")
    assert (doc._.indication, doc._.indication_category) == (None, "diagnosis")
    assert not list(doc.spans["indication"])


@pytest.mark.parametrize(
    "text, category",
    [
        # a workup before a procedure of a benign disease, however worded
        ("Insuffisance mitrale sévère, bilan pré-MitraClip.", "other"),
        ("Arthrose de hanche évoluée. Bilan avant pose de prothèse.", "other"),
        ("Kyste hépatique volumineux, bilan de faisabilité d'une sclérose percutanée.", "other"),
        # ... but a staging, a diagnostic workup or a pain is not a procedure's workup
        ("Masse rénale gauche, bilan d'extension avant néphrectomie.", "initial_staging"),
        ("Lombosciatique droite rebelle aux antalgiques, bilan avant infiltration.", "diagnosis"),
        ("PSA à 7 ng/mL. Bilan avant décision de biopsie.", "diagnosis"),
    ],
)
def test_workup_before_a_procedure(text, category):
    assert categorize_indication(text) == category


def test_indication_title_words_are_titles_of_the_sections_patterns():
    import re

    from radlink.nlp.indication import patterns
    from radlink.nlp.sections import patterns as section_patterns

    title = re.compile("(?:" + "|".join(section_patterns.SECTIONS["indication"]) + r")\Z", re.IGNORECASE)
    for word in patterns.INDICATION_TITLE_WORDS:
        assert title.match(word), word


@pytest.mark.parametrize("word", ["Indicaiton", "RENSIGNEMENTS", "Renseignemnts", "Contxete", "Histoir"])
def test_misspelt_indication_title_words(word):
    from radlink.nlp.indication import is_indication_title_word

    assert is_indication_title_word(word)


@pytest.mark.parametrize("word", ["Demandeur", "Conclusion", "Technique", "Résultats", "Comparaison", "Patiente"])
def test_other_words_are_not_indication_titles(word):
    from radlink.nlp.indication import is_indication_title_word

    assert not is_indication_title_word(word)
