"""The annotation guide's "Rulings where earlier writers differed", and the section titles
of writers we had not read (sentences written for these tests, not taken from a gold set).

Each test names the ruling of ``data_samples/nlp_gold/README.md`` it follows.
"""

from __future__ import annotations

import pytest

from .conftest import finding_rows

_COLUMNS = ["site", "laterality", "size_mm", "negated"]


def _rows(extractor, text, **kw):
    return finding_rows(extractor, text, _COLUMNS, **kw)


@pytest.mark.parametrize(
    "text, expected",
    [
        # "Repeated negations": one negated row per site and side per sentence; a bleed of the
        # meninges is intracranial, so its own sentence gives a second brain row
        ("Pas d'hématome extra-dural. Pas d'hémorragie méningée.",
         [("brain", None, None, True), ("brain", None, None, True)]),
        ("Absence d'hémorragie méningée ou intraparenchymateuse.", [("brain", None, None, True)]),
        # an enhancement of the meninges, denied, names no site of the vocabulary
        ("Absence de rehaussement pachyméningé.", []),
    ],
)
def test_a_denied_meningeal_bleed_is_a_brain_row(extractor, text, expected):
    assert _rows(extractor, text, heading="Résultats :\n", title="Scanner cérébral") == expected


def test_one_lesion_seen_by_two_techniques_keeps_the_larger_size(extractor):
    # "One lesion seen by two techniques": one row with the largest current size, whichever
    # technique measured it larger
    text = ("Mammographie : masse spiculée du sein gauche de 23 mm.\n"
            "Échographie : masse hypoéchogène de 17 mm du sein gauche à 2h.\n")
    assert _rows(extractor, text) == [("breast", "left", 23.0, False)]
    text = ("Mammographie : opacité du sein droit de 9 mm.\n"
            "Échographie : nodule hypoéchogène de 13 mm du sein droit à 10h.\n")
    assert _rows(extractor, text) == [("breast", "right", 13.0, False)]


@pytest.mark.parametrize("title", ["RELECTURE", "Relecture des images :", "Relecture du dossier :"])
def test_a_second_opinion_review_is_the_results(extractor, title):
    # a review of outside imaging reads its findings under "Relecture", after a history
    # that holds no findings
    text = ("Histoire clinique :\nDouleur de l'épaule droite, IRM faite ailleurs le [DATE].\n\n"
            "Documents relus : IRM de l'épaule droite.\n\n"
            f"{title}\nKyste de 12 mm de la glène droite.\nPas de fracture.\n\n"
            "Conclusion :\nKyste glénoïdien.\n")
    rows = finding_rows(extractor, text, ["size_mm", "negated", "section"], heading="")
    assert (12.0, False, "results") in rows
    assert (None, True, "results") in rows


@pytest.mark.parametrize(
    "indication, category",
    [
        # "Contrôle" and treatment: under an ongoing treatment, or after one session of it
        ("Cancer de l'ovaire sous chimiothérapie, contrôle.", "response_assessment"),
        ("Contrôle de la tumeur du rein sous sunitinib.", "response_assessment"),
        ("CHC, contrôle six semaines après la première chimioembolisation.", "response_assessment"),
        # ... a yearly check, one after the end of the treatment, or of no tumour: follow-up
        ("Lymphome traité, contrôle annuel.", "follow_up"),
        ("Contrôle à 3 mois de la fin de la radiothérapie d'un cancer du rectum.", "follow_up"),
        ("Thrombose veineuse sous rivaroxaban, contrôle.", "follow_up"),
        # a patient "non suivi" has no follow-up: the reason is the sign
        ("Patiente non suivie, douleur abdominale et fièvre.", "diagnosis"),
    ],
)
def test_a_check_and_its_treatment(indication, category):
    from radlink.nlp.indication.indication import categorize_indication

    assert categorize_indication(indication) == category


@pytest.mark.parametrize(
    "text, expected",
    [
        # the margin of a lung resection is the lung's: a local recurrence there is a lung row
        ("Nodule spiculé de 14 mm de la tranche de pneumonectomie gauche.", [("lung", "left", 14.0, False)]),
        ("Opacité de 11 mm le long de la ligne d'agrafes de la segmentectomie.", [("lung", None, 11.0, False)]),
        # Fowler's segment is the apical segment of a lower lobe
        ("Micronodule de 4 mm du segment apical de Fowler droit.", [("lung_lower_lobe", "right", 4.0, False)]),
    ],
)
def test_lung_sites_named_by_surgery_and_segments(extractor, text, expected):
    assert _rows(extractor, text) == expected


@pytest.mark.parametrize(
    "text, hypothesis",
    [
        # "Hedges": "d'aspect" + a nature hedges, + a shape does not; "indéterminé" and
        # "à surveiller" do not
        ("Épaississement pariétal du caecum d'aspect inflammatoire.", True),
        ("Lésion hépatique de 9 mm d'aspect kystique.", False),
        ("Micronodule pulmonaire de 4 mm, indéterminé, à surveiller.", False),
        ("Nodule surrénalien gauche de 15 mm, indéterminé, évocateur d'adénome.", True),
    ],
)
def test_hedges_of_the_rulings(extractor, text, hypothesis):
    rows = finding_rows(extractor, text, ["hypothesis"])
    assert rows == [(hypothesis,)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a lesion kind denied on the other side, its site left unsaid: the site of the
        # finding before it that names the same kind
        ("Épanchement pleural gauche de faible abondance. Pas d'épanchement à droite.",
         [("pleura", "left", None, False), ("pleura", "right", None, True)]),
        ("Adénopathie inguinale droite de 18 mm. Absence d'adénopathie du côté gauche.",
         [("ln_inguinal", "right", 18.0, False), ("ln_inguinal", "left", None, True)]),
        # with no finding of that kind before it, the sentence names no site
        ("Kyste du rein droit de 20 mm. Pas d'épanchement à gauche.", [("kidney", "right", 20.0, False)]),
    ],
)
def test_a_denial_on_the_other_side_takes_the_site_said_before(extractor, text, expected):
    assert _rows(extractor, text) == expected
