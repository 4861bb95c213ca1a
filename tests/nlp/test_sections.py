"""radlink.nlp.sections: imaging section titles and PET étages."""

from __future__ import annotations

import edsnlp
import pytest

from radlink.nlp.sections import find_etages, find_report_sections, find_sections


def _bodies(text):
    return [(code, text[b:e].strip()) for code, _, b, e in find_sections(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Indication : bilan\nRésultats :\nnodule", [("indication", "bilan"), ("results", "nodule")]),
        ("INDICATION\nbilan\n\nRESULTATS\nnodule", [("indication", "bilan"), ("results", "nodule")]),
        ("Renseignements cliniques : suivi\nDescription :\nRAS",
         [("indication", "suivi"), ("results", "RAS")]),
        ("Motif : bilan\nProtocole : 3 MBq/kg\nAntériorités : TEP 2021\nConstatations : RAS\nSynthèse : RAS",
         [("indication", "bilan"), ("technique", "3 MBq/kg"), ("comparison", "TEP 2021"),
          ("results", "RAS"), ("conclusion", "RAS")]),
        ("Résultats :\nRAS.\nEn conclusion, examen normal.", [("results", "RAS."), ("conclusion", "examen normal.")]),
        ("Au total : RAS", [("conclusion", "RAS")]),
        ("Clinique : dyspnée\nRésultats :\nRAS", [("indication", "dyspnée"), ("results", "RAS")]),
        ("Contexte clinique : toux\nQuestion posée : pneumopathie ?\nRésultats :\nRAS",
         [("indication", "toux"), ("indication", "pneumopathie ?"), ("results", "RAS")]),
        ("Motif de l'examen : fièvre\nRésultats :\nRAS", [("indication", "fièvre"), ("results", "RAS")]),
        # titles inside one paragraph, after a sentence
        ("TEP-TDM FDG. Indication : suivi. Résultats : RAS. Conclusion : normal.",
         [("indication", "suivi."), ("results", "RAS."), ("conclusion", "normal.")]),
    ],
)
def test_find_sections(text, expected):
    assert _bodies(text) == expected


def test_signature_ends_the_conclusion():
    text = "Conclusion : nodule.\n\nCompte rendu validé par le Dr [NOM]."
    assert _bodies(text) == [("conclusion", "nodule.")]


def test_etages():
    text = "Étage cervical :\n- RAS\nEtage thoracique : nodule\n- Squelette : lyse\nAbdomino-pelvien :\nRAS"
    assert [(c, text[b:e].strip()) for c, _, b, e in find_etages(text)] == [
        ("cervical", "- RAS"),
        ("thoracic", "nodule"),
        ("bone", "lyse"),
        ("abdominopelvic", "RAS"),
    ]


def test_sections_pipe_alone():
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("radlink.sections")
    doc = nlp("Indication : bilan\nRésultats :\nÉtage thoracique : nodule\nConclusion : RAS")
    assert [s.label_ for s in doc.spans["sections"]] == ["indication", "results", "conclusion"]
    assert [s.label_ for s in doc.spans["etages"]] == ["thoracic"]
    assert doc.spans["etages"][0]._.section_body.text == "nodule"
    assert doc.spans["sections"][0]._.section_heading.text == "Indication :"


@pytest.mark.parametrize(
    "text, codes",
    [
        ("Resutlats : nodule.\nCONLUSION : nodule.", ["results", "conclusion"]),
        ("Résulats : nodule.\nConcluison : nodule.", ["results", "conclusion"]),
        ("Consultation : le 3 mai.", []),
    ],
)
def test_titles_typed_in_haste(text, codes):
    assert [s[0] for s in find_report_sections(text)[0]] == codes


def test_etage_titles_inside_a_one_line_export():
    text = ("Technique : 250 MBq. Etage cervical : RAS. ETAGE THORACIQUE : nodule. "
            "Squelette : lyse de L2. Conclusion : nodule.")
    _, etages = find_report_sections(text)
    assert [(c, text[b:e].strip()) for c, _, b, e in etages] == [
        ("cervical", "RAS."), ("thoracic", "nodule."), ("bone", "lyse de L2."),
    ]


def test_one_organ_word_after_a_sentence_is_no_etage():
    # a single title inside a line is a label, not a series of étages
    text = "Résultats : nodule de 5 mm. Os : RAS."
    assert find_report_sections(text)[1] == []


def test_title_regexes_read_their_line_only():
    """The title regexes are line-local, so their match of a line is remembered by its text."""
    from radlink.nlp.sections.sections import _REGEXES, _SIGNATURE_RE
    from radlink.nlp.text import line_local

    assert all(line_local(rx) for rx in (_REGEXES.section, _REGEXES.comma, _REGEXES.etage, _SIGNATURE_RE))


@pytest.mark.parametrize("cut", [None, 11, 40])
def test_remembered_line_matches_are_the_regex_matches(cut):
    """A line met before gives the match the regex gives there, wherever the line is."""
    from radlink.nlp.sections.sections import _REGEXES, _at_line_starts, _line_starts

    text = ("Résultats :\n- Étage thoracique : nodule\nConclusion\nRésultats :\n"
            "- Étage thoracique : nodule\nConclusion")
    end = len(text) if cut is None else cut
    starts = _line_starts(text, 0, end)
    regexes = (_REGEXES.section, _REGEXES.etage)
    direct = [[(m.start(), m.end(), m.lastgroup) for p in starts if (m := regex.match(text, p, end))]
              for regex in regexes]
    assert _at_line_starts(regexes, text, starts, end) == direct
    assert _at_line_starts(regexes, text, starts, end) == direct  # from the lines remembered


@pytest.mark.parametrize(
    "text, codes",
    [
        # a title qualified in brackets or after a slash, before its colon
        ("Résultats (mesures en systole) :\n- Oreillette gauche : 41 mm\nConclusion : RAS.", ["results", "conclusion"]),
        ("Clinical info / Renseignements cliniques : toux.\nRésultats :\nRAS.", ["indication", "results"]),
        ("CONCLUSION / SYNTHESE POUR LE STAFF :\nNodule.", ["conclusion"]),
        # brackets with no colon after them are a sentence, not a title
        ("Résultats (voir plus haut) et nodule.", []),
    ],
)
def test_qualified_titles(text, codes):
    assert [s[0] for s in find_report_sections(text)[0]] == codes
