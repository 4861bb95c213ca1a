"""radlink pipes mixed with eds pipes: spans through span_setter/span_getter, patterns
through the config, qualifiers under edsnlp's extension names."""

from __future__ import annotations

import edsnlp
import pytest
from edsnlp.utils.examples import parse_example

import radlink.nlp.factories  # noqa: F401  (registers the factories without the entry points)


def _radlink(nlp, lesions_config=None, suvmax_config=None):
    nlp.add_pipe("radlink.sections")
    nlp.add_pipe("radlink.suvmax", config=suvmax_config or {})
    nlp.add_pipe("radlink.lesions", config=lesions_config or {})
    return nlp


def test_lesions_write_where_span_setter_says():
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("eds.sentences")
    _radlink(nlp, lesions_config={"span_setter": {"ents": True, "lesions": ["lesion"]}})
    doc = nlp("Résultats :\nAdénopathie hilaire droite (SUVmax 5,3). Foie de référence (SUVmax 2,1).")
    assert "findings" not in doc.spans
    assert [(s.label_, s._.site) for s in doc.spans["lesions"]] == [("lesion", "ln_hilar")]
    # the reference finding goes to doc.ents only (the "lesions" group takes lesions)
    assert sorted(e.label_ for e in doc.ents) == ["lesion", "reference"]


def test_lesions_read_the_suvmax_spans_of_span_getter():
    text = "Résultats :\nNodule pulmonaire droit (SUVmax 4,2)."
    moved = edsnlp.blank("eds")
    _radlink(moved, suvmax_config={"span_setter": "suv"}, lesions_config={"span_getter": "suv"})
    doc = moved(text)
    assert [f._.suvmax for f in doc.spans["findings"]] == [4.2]
    # reading the default group, now empty, finds no value
    lost = edsnlp.blank("eds")
    _radlink(lost, suvmax_config={"span_setter": "suv"})
    doc = lost(text)
    assert [f._.suvmax for f in doc.spans["findings"]] == [None]


@pytest.mark.parametrize(
    "example",
    [
        "Pas d'<ent negation=true hypothesis=false>adénopathie</ent> suspecte.",
        "<ent negation=false hypothesis=true>Adénopathie</ent> hilaire, évocatrice d'une récidive.",
        "<ent negation=false hypothesis=false>Adénopathie</ent> hilaire hypermétabolique.",
    ],
)
def test_qualifiers_read_the_spans_of_an_eds_matcher(example):
    text, entities = parse_example(example)
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("eds.sentences")
    nlp.add_pipe("eds.matcher", config={"terms": {"adp": ["adénopathie"]}, "attr": "LOWER",
                                        "span_setter": "adp"})
    nlp.add_pipe("radlink.qualifiers", config={"span_getter": "adp"})
    doc = nlp(text)
    (span,) = doc.spans["adp"]
    expected = entities[0].modifiers_dict
    assert (span._.negation, span._.hypothesis) == (expected["negation"], expected["hypothesis"])


def test_qualifiers_leave_other_groups_alone():
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("eds.matcher", name="adp", config={"terms": {"adp": ["adénopathie"]},
                                                    "attr": "LOWER", "span_setter": "adp"})
    nlp.add_pipe("eds.matcher", name="nodules", config={"terms": {"nodule": ["nodule"]},
                                                        "attr": "LOWER", "span_setter": "other"})
    nlp.add_pipe("radlink.qualifiers", config={"span_getter": {"adp": True}})
    doc = nlp("Pas d'adénopathie ni de nodule.")
    assert doc.spans["adp"][0]._.negation is True
    assert doc.spans["other"][0]._.negation is None  # not read, so not qualified


def test_eds_negation_reads_radlink_findings():
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("eds.sentences")
    _radlink(nlp)
    nlp.add_pipe("eds.negation", config={"span_getter": "findings"})
    doc = nlp("Résultats :\nPas d'adénopathie médiastinale. Nodule pulmonaire droit de 12 mm.")
    assert [(f._.site, f._.negation) for f in doc.spans["findings"]] == [
        ("ln_mediastinal", True),
        ("lung", False),
    ]


def test_a_qualifier_pattern_through_the_config():
    text = "Nodule pulmonaire à surveiller."
    default = edsnlp.blank("eds")
    default.add_pipe("eds.matcher", config={"terms": {"n": ["nodule"]}, "attr": "LOWER",
                                            "span_setter": "findings"})
    default.add_pipe("radlink.qualifiers")
    doc = default(text)
    assert doc.spans["findings"][0]._.hypothesis is False
    custom = edsnlp.blank("eds")
    custom.add_pipe("eds.matcher", config={"terms": {"n": ["nodule"]}, "attr": "LOWER",
                                           "span_setter": "findings"})
    custom.add_pipe("radlink.qualifiers", config={"hypothesis": r"[àa] surveiller"})
    doc = custom(text)
    assert doc.spans["findings"][0]._.hypothesis is True


def test_lesion_patterns_through_the_config():
    text = "Résultats :\nNodule pulmonaire droit. Kyste rénal gauche."
    doc = _radlink(edsnlp.blank("eds"))(text)
    assert [f._.site for f in doc.spans["findings"]] == ["lung", "kidney"]
    custom = _radlink(edsnlp.blank("eds"), lesions_config={"lesion_triggers": r"nodules?"})
    doc = custom(text)
    assert [f._.site for f in doc.spans["findings"]] == ["lung"]


def test_section_titles_through_the_config():
    text = "Lecture :\nNodule pulmonaire.\nBilan final : nodule"
    doc = _radlink(edsnlp.blank("eds"))(text)
    assert list(doc.spans["sections"]) == []
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("radlink.sections", config={
        "sections": {"results": [r"lecture"], "conclusion": [r"bilan final"]},
    })
    doc = nlp(text)
    assert [(s.label_, s._.section_body.text) for s in doc.spans["sections"]] == [
        ("results", "Nodule pulmonaire."), ("conclusion", "nodule"),
    ]


def test_sections_span_setter():
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("radlink.sections", config={"span_setter": {"parts": True}})
    doc = nlp("Résultats :\nÉtage thoracique : nodule\nConclusion : nodule")
    assert "sections" not in doc.spans and "etages" not in doc.spans
    assert [s.label_ for s in doc.spans["parts"]] == ["results", "conclusion", "thoracic"]


def test_technique_patterns_through_the_config():
    text = "Technique :\nActivité injectée : 250 megabecquerels. Glycémie : 5,6."
    default = edsnlp.blank("eds")
    default.add_pipe("radlink.technique")
    doc = default(text)
    assert (doc._.dose_mbq, doc._.glycemia_unit) == (None, "mmol/L")
    custom = edsnlp.blank("eds")
    custom.add_pipe("radlink.technique", config={
        "dose": r"(?P<value>\d+)[ \t]*(?P<unit>m[ée]gabecquerels)",
        "glycemia_unitless": [[10.0, "g/L"], [float("inf"), "mg/dL"]],
    })
    doc = custom(text)
    assert (doc._.dose_mbq, doc._.glycemia_unit, doc._.glycemia_g_l) == (250.0, "g/L", 5.6)
    assert [s.label_ for s in doc.spans["technique"]] == ["dose_mbq", "glycemia"]


def test_indication_patterns_through_the_config():
    text = "Dépistage familial.\nRésultats : RAS"
    default = edsnlp.blank("eds")
    default.add_pipe("radlink.sections")
    default.add_pipe("radlink.indication")
    doc = default(text)
    # no indication line by default; the head still reads as a screening
    assert (doc._.indication, doc._.indication_category) == (None, "other")
    custom = edsnlp.blank("eds")
    custom.add_pipe("radlink.sections")
    custom.add_pipe("radlink.indication", config={
        "indication_line": r"^[ \t]*d[ée]pistage\b[^\n]*",
        "category_rules": [["diagnosis", [r"d[ée]pistage"]]],
    })
    doc = custom(text)
    # the configured line gives the category; untitled, no indication text (the guide's
    # ruling "No indication title")
    assert (doc._.indication, doc._.indication_category) == (None, "diagnosis")
    assert list(doc.spans["indication"]) == []


def test_exam_type_patterns_through_the_config():
    text = "Cystographie rétrograde\nTechnique : injection de 150 mL de contraste au 11C-méthionine."
    default = edsnlp.blank("eds")
    default.add_pipe("radlink.exam_type")
    doc = default(text)
    assert (doc._.modality, doc._.tracer) == (None, None)
    custom = edsnlp.blank("eds")
    custom.add_pipe("radlink.exam_type", config={
        "modalities": {"RF": [r"cystographie"]},
        "tracers": {"MET": [r"(?:11C-)?m[ée]thionine"]},
        "pet_tracers": ["MET"],
    })
    doc = custom(text)
    assert (doc._.modality, doc._.tracer) == ("RF", None)  # a tracer is only kept for PT/NM
    doc = custom("Examen au 11C-méthionine\nRésultats : RAS")
    assert (doc._.modality, doc._.tracer) == ("PT", "MET")


def test_cleaning_patterns_through_the_config():
    text = "Foyer {{NOM}} m&eacute;diastinal<tr>SUVmax 5"
    default = edsnlp.blank("eds")
    default.add_pipe("radlink.cleaning")
    assert default(text).text == "Foyer {{NOM}} médiastinal\nSUVmax 5"
    custom = edsnlp.blank("eds")
    custom.add_pipe("radlink.cleaning", config={
        "placeholder": r"\{\{[A-Z]+\}\}",
        "placeholder_replacement": "X",
        "block_tags": r"br|p",
    })
    doc = custom(text)
    assert doc.text == "Foyer X médiastinalSUVmax 5"
    s = doc.text.index("SUVmax")
    assert doc._.cleaning.to_original(s, s + 6) == (text.index("SUVmax"), text.index("SUVmax") + 6)


def test_suvmax_patterns_through_the_config():
    text = "Nodule (SUVmax 5,2, jadis 3,1). Ganglion (SULmax 2,4)."
    default = edsnlp.blank("eds")
    default.add_pipe("radlink.suvmax")
    doc = default(text)
    assert [(s.text, s.label_, s._.previous_suvmax) for s in doc.spans["suvmax"]] == [
        ("5,2", "lesion", None),
    ]
    custom = edsnlp.blank("eds")
    custom.add_pipe("radlink.suvmax", config={
        "previous_before": r"(?:vs\.?|jadis)",
        "mention": r"(?<![A-Za-z])SU[VL](?:max)?",
    })
    doc = custom(text)
    assert [(s.text, s.label_, s._.previous_suvmax) for s in doc.spans["suvmax"]] == [
        ("5,2", "lesion", 3.1), ("3,1", "previous", None), ("2,4", "lesion", None),
    ]
    # a mention of its own is searched in every text, not only in those that say "SUV"
    doc = custom("Ganglion (SULmax 2,4).")
    assert [s.text for s in doc.spans["suvmax"]] == ["2,4"]
