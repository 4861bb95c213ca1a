"""radlink.nlp.ReportExtractor: the public contract of both output tables."""

from __future__ import annotations

import pandas as pd
import pytest

from radlink.errors import TableValidationError
from radlink.nlp import FACTS_COLUMNS, FINDINGS_COLUMNS, ReportExtractor

PET = (
    "10/04/2020 : CR - 115287 - CR d'imagerie médicale - Tomographie par émission de positons avec scanner<br>\n"
    "Indication : Bilan d'extension d'un adénocarcinome chez <span style=\"background-color:yellow\">[NOM]</span>.<br>\n"
    "Technique :<br>\n[DOSE INJECTEE (MBq) = 187,2 MBq] [LIBELLE INJECTION (RADIOPHARMACEUTIQUE)=Fluorodesoxyglucose] "
    "[GLYCEMIE (mmol/l) = 5,8] [DELAI INJECTION-ACQUISITION (min) = 62]<br>\n"
    "R&eacute;sultats :<br>\nSUVmax h&eacute;patique de r&eacute;f&eacute;rence 2,3.<br>\n"
    "- masse pulmonaire lobaire sup&eacute;rieure droite (SUVmax 14,6) mesur&eacute;e &agrave; 42 x 35 mm.<br>\n"
    "- ganglion hilaire droit (SUVmax 7,7) de 14 mm.<br>\n"
    "- pas d'ad&eacute;nopathie sus-claviculaire.<br>\n"
    "Conclusion :<br>\nMasse pulmonaire hyperm&eacute;tabolique.<br>\n"
)


@pytest.fixture(scope="module")
def reports():
    return pd.DataFrame(
        {
            "report_id": ["R1", "R2", "R3"],
            "title": ["TEP-TDM", None, "Scanner thoracique"],
            "text": [PET, "", None],
        }
    )


def test_contract_columns_and_one_facts_row_per_report(extractor, reports):
    out = extractor.extract(reports)
    assert tuple(out.facts.columns) == FACTS_COLUMNS
    assert tuple(out.findings.columns) == FINDINGS_COLUMNS
    assert out.facts["report_id"].tolist() == ["R1", "R2", "R3"]
    assert out.facts["n_lesions"].tolist() == [2, 0, 0]


def test_facts_of_a_pet_report(extractor, reports):
    facts = extractor.extract(reports).facts.set_index("report_id").loc["R1"]
    assert (facts.modality, facts.tracer, facts.indication_category) == ("PT", "FDG", "initial_staging")
    assert facts.indication == "Bilan d'extension d'un adénocarcinome chez [NOM]."
    assert (facts.dose_mbq, facts.injection_delay_min, facts.max_suvmax) == (187.2, 62.0, 14.6)
    assert facts.glycemia == pytest.approx(1.04, abs=0.01)  # g/L, from 5,8 mmol/L
    assert facts.glycemia_unit == "mmol/L"
    assert facts.conclusion == "Masse pulmonaire hypermétabolique."


def test_findings_offsets_point_into_the_text_passed_in(extractor, reports):
    findings = extractor.extract(reports).findings
    assert findings["kind"].tolist() == ["reference", "lesion", "lesion", "lesion"]
    hilar = findings[findings["site"] == "ln_hilar"].iloc[0]
    assert PET[hilar.start : hilar.end].startswith("ganglion hilaire droit")
    assert (hilar.laterality, hilar.size_mm, hilar.suvmax) == ("right", 14.0, 7.7)
    negated = findings[findings["negated"]].iloc[0]
    assert PET[negated.start : negated.end] == "ad&eacute;nopathie sus-claviculaire"
    assert findings["finding_id"].tolist() == ["R1-01", "R1-02", "R1-03", "R1-04"]


def test_jobs_give_the_same_tables(extractor, reports):
    many = pd.concat([reports] * 4, ignore_index=True)
    many["report_id"] = [f"R{i}" for i in range(len(many))]
    one = ReportExtractor(chunk_size=3).extract(many, jobs=1)
    two = ReportExtractor(chunk_size=3).extract(many, jobs=2)
    pd.testing.assert_frame_equal(one.facts, two.facts)
    pd.testing.assert_frame_equal(one.findings, two.findings)


def test_empty_table(extractor):
    out = extractor.extract(pd.DataFrame({"report_id": [], "text": []}))
    assert len(out.facts) == 0 and tuple(out.findings.columns) == FINDINGS_COLUMNS


@pytest.mark.parametrize(
    "table, message",
    [
        (pd.DataFrame({"report_id": ["R1"]}), "column 'text', all rows: required column is missing"),
        (pd.DataFrame({"report_id": ["R1", "R1"], "text": ["a", "b"]}), "report_id='R1': duplicated id"),
        (pd.DataFrame({"report_id": [None], "text": ["a"]}), "row 0: id is null or empty"),
    ],
)
def test_bad_input_names_table_column_and_row(extractor, table, message):
    with pytest.raises(TableValidationError) as err:
        extractor.extract(table)
    assert message in str(err.value) and "table 'reports'" in str(err.value)


def test_reports_are_validated_as_the_dataset_loader_validates_them(extractor):
    # one owner of the reports table's rules: radlink.tables.validate_table
    facts = extractor.extract(pd.DataFrame({"report_id": [12.0, 13.0], "text": [3.5, None]})).facts
    assert facts["report_id"].tolist() == ["12", "13"]


def test_error_messages_never_quote_report_text(extractor):
    secret = "Patient Jean Dupont"
    with pytest.raises(TableValidationError) as err:
        extractor.extract(pd.DataFrame({"report_id": ["R1", "R1"], "text": [secret, secret]}))
    assert "Dupont" not in str(err.value)


def test_text_and_spacy_engines_give_the_same_tables():
    import glob
    from pathlib import Path

    paths = sorted(glob.glob("data_samples/nlp_gold/reports/*.txt"))
    if not paths:
        pytest.skip("no gold reports")
    reports = pd.DataFrame(
        {"report_id": [Path(p).stem for p in paths], "text": [Path(p).read_text() for p in paths]}
    )
    text = ReportExtractor(engine="text").extract(reports)
    spacy = ReportExtractor(engine="spacy").extract(reports)
    pd.testing.assert_frame_equal(text.facts, spacy.facts)
    pd.testing.assert_frame_equal(text.findings, spacy.findings)


def _findings(extractor, text: str, **kw) -> pd.DataFrame:
    return extractor.extract(pd.DataFrame({"report_id": ["R"], "text": [text]}), **kw).findings


@pytest.mark.parametrize(
    "sentence, comparison",
    [
        ("Nodule du LSD stable (SUVmax 3,2).", "stable"),
        ("Apparition d'une adénopathie hilaire droite.", "new"),
        ("Nouvelle lésion hépatique du segment VI (SUVmax 5,4).", "new"),
        ("Adénopathie médiastinale en majoration (SUVmax 6,1 vs 4,0).", "increased"),
        ("Ganglion en nette diminution (SUVmax 2,1).", "decreased"),
        ("Ganglion hilaire droit en nette diminution.", "decreased"),
        ("Disparition de l'adénopathie sus-claviculaire gauche.", "resolved"),
        ("Nodule pulmonaire lobaire inférieur droit de 8 mm.", None),
    ],
)
def test_comparison_with_the_previous_exam(extractor, sentence, comparison):
    findings = _findings(extractor, f"TEP-TDM au FDG.\nRésultats :\n{sentence}")
    lesions = findings[findings["kind"] == "lesion"]
    assert len(lesions) >= 1
    assert lesions["comparison"].tolist() == [comparison] * len(lesions)


def test_comparison_codes_are_vocabulary_codes():
    from radlink.nlp.qualifiers.patterns import COMPARISON
    from radlink.vocabulary import COMPARISONS

    assert set(COMPARISON) == set(COMPARISONS)  # cues are keyed by the vocabulary's codes


def test_etage_of_a_pet_finding_and_none_in_a_ct_report(extractor):
    pet = _findings(
        extractor,
        "TEP-TDM au FDG.\nRésultats :\nÉtage thoracique :\n"
        "- nodule pulmonaire lobaire inférieur gauche (SUVmax 4,5).\n"
        "Squelette :\n- foyer hypermétabolique de la vertèbre L3 (SUVmax 6,0).",
    )
    assert pet[["site", "etage"]].values.tolist() == [["lung_lower_lobe", "thoracic"], ["spine", "bone"]]
    ct = _findings(extractor, "Scanner thoracique.\nRésultats :\nNodule pulmonaire lobaire supérieur droit de 12 mm.")
    assert ct["site"].tolist() == ["lung_upper_lobe"]
    assert ct["etage"].tolist() == [None]


def test_comparison_and_etage_follow_the_contract_columns(extractor, reports):
    findings = extractor.extract(reports).findings
    assert FINDINGS_COLUMNS[-2:] == ("comparison", "etage")
    assert FINDINGS_COLUMNS[:14] == (
        "report_id", "finding_id", "kind", "site", "laterality", "size_mm", "suvmax",
        "previous_suvmax", "negated", "hypothesis", "section", "start", "end", "snippet",
    )  # fmt: skip
    from radlink.nlp import FINDINGS_SCHEMA

    assert FINDINGS_SCHEMA.names == list(FINDINGS_COLUMNS)
    assert str(FINDINGS_SCHEMA.field("comparison").type) == "string"
    assert findings["etage"].tolist() == [None] * len(findings)


def test_engines_agree_on_comparison_and_etage():
    text = (
        "TEP-TDM au FDG.\nRésultats :\nÉtage thoracique :\n- Nodule du LSD stable (SUVmax 3,2).\n"
        "- Apparition d'une adénopathie hilaire droite.\nÉtage abdomino-pelvien :\n"
        "- nodule surrénalien gauche en diminution (SUVmax 4,0)."
    )
    reports = pd.DataFrame({"report_id": ["R"], "text": [text]})
    by_text = ReportExtractor(engine="text").extract(reports).findings
    by_spacy = ReportExtractor(engine="spacy").extract(reports).findings
    pd.testing.assert_frame_equal(by_text, by_spacy)
    assert by_text[["comparison", "etage"]].values.tolist() == [
        ["stable", "thoracic"], ["new", "thoracic"], ["decreased", "abdominopelvic"],
    ]


_PET_WITH_REFERENCES = (
    "TEP-TDM au FDG\nIndication : suivi d'un lymphome.\n"
    "{before}\nRésultats :\nAdénopathie axillaire gauche de 16 mm, SUVmax 5,3.\n"
    "Conclusion : adénopathie axillaire gauche hypermétabolique.{after}\n"
)


@pytest.mark.parametrize(
    "before, after, expected",
    [
        # written with the acquisition, before the results title
        ("Acquisition : 62 min après 210 MBq. Foie de référence : SUVmax 2,8 ; pool sanguin 1,3.", "",
         [("liver_reference", 2.8, "technique"), ("mediastinal_blood_pool", 1.3, "technique")]),
        ("Technique : TEP couplée au scanner.\nBruit de fond médiastinal : SUVmax 1,5.", "",
         [("mediastinal_blood_pool", 1.5, "technique")]),
        # a block of its own closing the report, after the conclusion
        ("", "\n\nValeurs de référence :\n- foie : 3,0\n- médiastin : 1,9",
         [("liver_reference", 3.0, None), ("mediastinal_blood_pool", 1.9, None)]),
        # a previous exam's reference value, in the comparison: not this exam's
        ("Comparaison : TEP du [DATE] (foie de référence SUVmax 2,2).", "", []),
    ],
)
def test_reference_values_outside_the_results(extractor, before, after, expected):
    found = _findings(extractor, _PET_WITH_REFERENCES.format(before=before, after=after))
    refs = found[found["kind"] == "reference"]
    assert list(zip(refs["site"], refs["suvmax"], refs["section"], strict=True)) == expected
    assert (found["kind"] == "lesion").sum() == 1
