"""radlink.nlp.omop: findings as OMOP NOTE_NLP rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from radlink.nlp.omop import NOTE_NLP_COLUMNS, to_note_nlp


def test_to_note_nlp(extractor):
    text = "Résultats : pas d'adénopathie hilaire. Nodule surrénalien gauche (SUVmax 8,9), évocateur de métastase."
    reports = pd.DataFrame({"report_id": ["42"], "text": [text]})
    findings = extractor.extract(reports).findings
    when = dt.datetime(2024, 1, 2, 3, 4, 5)
    rows = to_note_nlp(findings, reports, nlp_datetime=when, site_concept_ids={"adrenal": 4213040})
    assert tuple(rows.columns) == NOTE_NLP_COLUMNS
    assert rows["note_nlp_id"].tolist() == [1, 2]
    assert rows["note_id"].tolist() == [42, 42]
    assert rows["lexical_variant"].tolist() == ["adénopathie hilaire", "Nodule surrénalien gauche (SUVmax 8,9"]
    assert rows["term_exists"].tolist() == ["N", "Y"]  # negated; hedged (CDM 5.4: exists)
    assert rows["note_nlp_concept_id"].tolist() == [0, 4213040]
    assert rows["offset"].iloc[0] == f"{text.index('adénopathie')}-{text.index('hilaire') + 7}"
    assert rows["nlp_date"].iloc[0] == dt.date(2024, 1, 2)
    assert "site=adrenal,laterality=left" in rows["term_modifiers"].iloc[1]
    assert to_note_nlp(findings, hypothesis_exists=False)["term_exists"].tolist() == ["N", "N"]


def test_note_ids_are_integers_and_text_fits_the_cdm(extractor):
    text = "Résultats : " + "très " * 80 + "volumineuse masse pulmonaire droite (SUVmax 12,1)."
    reports = pd.DataFrame({"report_id": ["CR-b", "CR-a"], "text": [text, "Pas d'adénopathie hilaire."]})
    rows = to_note_nlp(extractor.extract(reports).findings, reports)
    assert rows["note_id"].map(type).eq(int).all()
    assert sorted(rows["note_id"].unique()) == [1, 2]  # numbered in the ids' order: CR-a, CR-b
    assert rows["snippet"].str.len().max() <= 250 and rows["lexical_variant"].str.len().max() <= 250


def test_term_modifiers_carry_comparison_and_etage(extractor):
    text = "TEP-TDM au FDG.\nRésultats :\nÉtage thoracique :\n- Nodule du LSD stable (SUVmax 3,2)."
    reports = pd.DataFrame({"report_id": ["7"], "text": [text]})
    findings = extractor.extract(reports).findings
    rows = to_note_nlp(findings, reports)
    assert rows["term_modifiers"].iloc[0].endswith(",section=results,comparison=stable,etage=thoracic")
    # a findings table written before these columns existed still exports
    old = to_note_nlp(findings.drop(columns=["comparison", "etage"]))
    assert old["term_modifiers"].iloc[0].endswith(",comparison=,etage=")
