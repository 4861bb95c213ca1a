"""Quality of radlink.nlp against gold, and the evaluation's matching rules themselves.

The floors of issue 3 (SUVmax F1 >= 0.95, negated findings >= 0.90, indication >= 0.90)
plus floors chosen here for modality, tracer, dose and SUVmax site attachment are
asserted on the hand-written gold (data_samples/nlp_gold) and on the synthetic sample
(data_samples with its generator truth). They are skipped only while
``radlink.nlp.ReportExtractor`` cannot be imported.
"""

from __future__ import annotations

import csv
import html
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from radlink import vocabulary
from radlink.nlp.evaluation import (
    FACT_COLUMNS,
    FIELDS,
    FINDING_COLUMNS,
    evaluate_extraction,
    extraction_errors,
    load_gold,
    token_f1,
)

REPO = Path(__file__).resolve().parents[2]
HAND_GOLD = REPO / "data_samples" / "nlp_gold"
# written blind, after the rules were frozen: the honest figure (see its README)
HELDOUT_GOLD = REPO / "data_samples" / "nlp_gold_heldout"
HELDOUT2_GOLD = REPO / "data_samples" / "nlp_gold_heldout2"
# written blind by another session for issue 12, now a development set (PET exports,
# narrative MR, mammography, breast ultrasound)
BLIND_A_GOLD = REPO / "data_samples" / "nlp_gold_blind_a"
SYNTH_SAMPLE = REPO / "data_samples"

FLOORS: dict[str, float] = {
    # issue 3, "Quality"
    "suvmax": 0.95,  # every SUVmax value with its role (lesion / reference / previous)
    "negated_findings": 0.90,
    "indication_category": 0.90,
    "indication_text": 0.90,
    # chosen here: what a warehouse query on exam type and technique relies on
    "modality": 0.95,
    "tracer": 0.95,
    "dose": 0.95,
    "site_attachment": 0.90,
}


# ------------------------------------------------------------------ helpers for rules


def facts(**columns: list) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"report_id": [f"R{i + 1}" for i in range(n)], **columns})


def finding(report_id: str = "R1", kind: str = "lesion", site: str | None = "liver",
            suvmax: float | None = None, previous_suvmax: float | None = None,
            negated: bool = False, **other: object) -> dict:  # fmt: skip
    return {"report_id": report_id, "kind": kind, "site": site, "suvmax": suvmax,
            "previous_suvmax": previous_suvmax, "negated": negated, **other}  # fmt: skip


def score(pred: list[dict], gold: list[dict], gold_facts: pd.DataFrame | None = None,
          pred_facts: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
    if gold_facts is None:
        ids = sorted({f["report_id"] for f in gold + pred} or {"R1"})
        gold_facts = pd.DataFrame({"report_id": ids})
    if pred_facts is None:
        pred_facts = gold_facts[["report_id"]]
    cols = ["report_id", "kind", "site", "suvmax", "previous_suvmax", "negated"]
    table = evaluate_extraction(
        pred_facts, pd.DataFrame(pred, columns=None if pred else cols),
        gold_facts, pd.DataFrame(gold, columns=None if gold else cols),
    )  # fmt: skip
    return table.set_index("field")


def counts(table: pd.DataFrame, field: str) -> tuple[int, int, int]:
    row = table.loc[field]
    return int(row["tp"]), int(row["fp"]), int(row["fn"])


# --------------------------------------------------------------------- matching rules


class TestFindingMatching:
    def test_perfect_prediction_scores_one_everywhere(self):
        gold = [finding(site="ln_subcarinal", suvmax=5.3),
                finding(kind="reference", site="liver_reference", suvmax=2.3),
                finding(site="lung_lower_lobe", suvmax=4.1, previous_suvmax=12.4),
                finding(site="bone", negated=True)]  # fmt: skip
        table = score(gold, gold)
        for field in ("suvmax", "suvmax_lesion", "suvmax_reference", "suvmax_previous",
                      "site_attachment", "negated_findings", "lesion_findings"):  # fmt: skip
            assert table.loc[field, "f1"] == 1.0, field

    def test_missed_value_lowers_recall_only(self):
        gold = [finding(suvmax=5.3), finding(site="adrenal", suvmax=8.9)]
        table = score([finding(suvmax=5.3)], gold)
        assert counts(table, "suvmax_lesion") == (1, 0, 1)
        assert table.loc["suvmax_lesion", "precision"] == 1.0
        assert table.loc["suvmax_lesion", "recall"] == 0.5

    def test_extra_value_lowers_precision_only(self):
        table = score([finding(suvmax=5.3), finding(site="bone", suvmax=1.9)], [finding(suvmax=5.3)])
        assert counts(table, "suvmax_lesion") == (1, 1, 0)
        assert table.loc["suvmax_lesion", "recall"] == 1.0

    def test_wrong_role_is_a_false_positive_and_a_false_negative(self):
        gold = [finding(kind="reference", site="liver_reference", suvmax=2.3)]
        pred = [finding(kind="lesion", site="liver", suvmax=2.3)]
        table = score(pred, gold)
        assert counts(table, "suvmax_reference") == (0, 0, 1)
        assert counts(table, "suvmax_lesion") == (0, 1, 0)
        assert counts(table, "suvmax") == (0, 1, 1)
        assert counts(table, "suvmax_value") == (1, 0, 0)  # found, whatever the role

    def test_previous_value_taken_as_current_is_an_error(self):
        gold = [finding(site="lung", suvmax=4.1, previous_suvmax=12.4)]
        pred = [finding(site="lung", suvmax=12.4, previous_suvmax=4.1)]
        table = score(pred, gold)
        assert counts(table, "suvmax") == (0, 2, 2)

    def test_a_value_given_twice_is_one_true_and_one_false_positive(self):
        table = score([finding(suvmax=7.7), finding(suvmax=7.7)], [finding(suvmax=7.7)])
        assert counts(table, "suvmax_lesion") == (1, 1, 0)

    def test_multisets_count_repeated_values(self):
        gold = [finding(suvmax=4.4), finding(site="ln_hilar", suvmax=4.4)]
        table = score([finding(suvmax=4.4)], gold)
        assert counts(table, "suvmax_lesion") == (1, 0, 1)

    def test_values_are_compared_rounded_to_one_decimal(self):
        assert counts(score([finding(suvmax=7.74)], [finding(suvmax=7.7)]), "suvmax_lesion") == (1, 0, 0)
        assert counts(score([finding(suvmax=7.76)], [finding(suvmax=7.7)]), "suvmax_lesion") == (0, 1, 1)
        assert counts(score([finding(suvmax=4)], [finding(suvmax=4.0)]), "suvmax_lesion") == (1, 0, 0)

    def test_values_match_only_within_their_report(self):
        gold = [finding("R1", suvmax=5.0), finding("R2", suvmax=6.0)]
        pred = [finding("R1", suvmax=6.0), finding("R2", suvmax=5.0)]
        assert counts(score(pred, gold), "suvmax_lesion") == (0, 2, 2)

    def test_negated_rows_carry_no_lesion_value(self):
        gold = [finding(suvmax=3.0)]
        pred = [finding(suvmax=3.0, negated=True)]
        assert counts(score(pred, gold), "suvmax_lesion") == (0, 0, 1)


class TestScope:
    def test_restatement_in_the_conclusion_is_not_scored_twice(self):
        gold = [finding(site="adrenal", suvmax=6.7, section="results")]
        pred = [finding(site="adrenal", suvmax=6.7, section="results"),
                finding(site="adrenal", suvmax=6.7, section="conclusion")]  # fmt: skip
        assert counts(score(pred, gold), "suvmax_lesion") == (1, 0, 0)

    def test_gold_restatements_are_not_required(self):
        gold = [finding(site="bone", negated=True, section="results"),
                finding(site="bone", negated=True, section="conclusion")]  # fmt: skip
        pred = [finding(site="bone", negated=True, section="résultats")]
        assert counts(score(pred, gold), "negated_findings") == (1, 0, 0)

    def test_report_without_results_is_scored_on_its_conclusion(self):
        gold = [finding(site="pleura", negated=True, section="conclusion")]
        pred = [finding(site="pleura", negated=True, section="conclusion")]
        assert counts(score(pred, gold), "negated_findings") == (1, 0, 0)

    def test_findings_outside_the_conclusion_count_as_results(self):
        gold = [finding(site="liver", suvmax=5.5, section="results")]
        pred = [finding(site="liver", suvmax=5.5, section=None),
                finding(site="lung", suvmax=3.0, section="indication")]  # fmt: skip
        assert counts(score(pred, gold), "suvmax_lesion") == (1, 1, 0)

    def test_scope_all_scores_every_row(self):
        gold = [finding(site="adrenal", suvmax=6.7, section="results")]
        pred = gold + [finding(site="adrenal", suvmax=6.7, section="conclusion")]
        table = evaluate_extraction(pd.DataFrame({"report_id": ["R1"]}), pd.DataFrame(pred),
                                    pd.DataFrame({"report_id": ["R1"]}), pd.DataFrame(gold),
                                    scope="all").set_index("field")  # fmt: skip
        assert counts(table, "suvmax_lesion") == (1, 1, 0)


class TestSiteMatching:
    def test_mediastinal_station_counts_as_mediastinal_in_site_attachment(self):
        table = score([finding(site="ln_mediastinal", suvmax=5.3)],
                      [finding(site="ln_subcarinal", suvmax=5.3)])  # fmt: skip
        assert counts(table, "site_attachment") == (1, 0, 0)
        assert counts(table, "site_attachment_exact") == (0, 1, 1)

    def test_hilar_is_not_mediastinal(self):
        table = score([finding(site="ln_mediastinal", suvmax=7.7)],
                      [finding(site="ln_hilar", suvmax=7.7)])  # fmt: skip
        assert counts(table, "site_attachment") == (0, 1, 1)
        assert counts(table, "suvmax_lesion") == (1, 0, 0)

    def test_value_attached_to_the_wrong_lesion(self):
        gold = [finding(site="lung_upper_lobe", suvmax=14.6), finding(site="ln_hilar", suvmax=7.7)]
        pred = [finding(site="lung_upper_lobe", suvmax=7.7), finding(site="ln_hilar", suvmax=14.6)]
        table = score(pred, gold)
        assert counts(table, "suvmax_lesion") == (2, 0, 0)
        assert counts(table, "site_attachment") == (0, 2, 2)

    def test_lobes_and_bones_group(self):
        gold = [finding(site="lung_middle_lobe", negated=True), finding(site="pelvis_bone", negated=True)]
        pred = [finding(site="lung", negated=True), finding(site="bone", negated=True)]
        assert counts(score(pred, gold), "negated_findings") == (2, 0, 0)

    def test_negated_finding_predicted_as_present(self):
        gold = [finding(site="ln_mediastinal", negated=True)]
        pred = [finding(site="ln_mediastinal", negated=False)]
        table = score(pred, gold)
        assert counts(table, "negated_findings") == (0, 0, 1)
        assert counts(table, "lesion_findings") == (0, 1, 0)

    def test_finding_without_site_never_matches(self):
        table = score([finding(site=None, negated=True)], [finding(site="bone", negated=True)])
        assert counts(table, "negated_findings") == (0, 1, 1)

    def test_reference_site_is_checked(self):
        gold = [finding(kind="reference", site="mediastinal_blood_pool", suvmax=1.8)]
        pred = [finding(kind="reference", site="liver_reference", suvmax=1.8)]
        table = score(pred, gold)
        assert counts(table, "suvmax_reference") == (1, 0, 0)
        assert counts(table, "reference_site") == (0, 1, 1)


class TestReportFieldMatching:
    def test_equal_missing_wrong_and_extra_values(self):
        gold = facts(tracer=["FDG", "PSMA", None, "FDG", None])
        pred = facts(tracer=["fdg", "FDG", "FES", None, None])
        table = score([], [], gold, pred)
        # R1 tp; R2 wrong: fp + fn; R3 extra: fp; R4 missed: fn; R5 both empty: nothing
        assert counts(table, "tracer") == (1, 2, 2)

    def test_report_without_prediction_counts_as_missed(self):
        gold = facts(modality=["PT", "CT"])
        pred = pd.DataFrame({"report_id": ["R1"], "modality": ["PT"]})
        assert counts(score([], [], gold, pred), "modality") == (1, 0, 1)

    def test_predictions_for_other_reports_are_ignored(self):
        gold = facts(modality=["PT"])
        pred = pd.DataFrame({"report_id": ["R1", "X9"], "modality": ["PT", "CT"]})
        assert counts(score([], [], gold, pred), "modality") == (1, 0, 0)

    def test_modality_equivalences(self):
        gold = facts(modality=["PT", "CR", "MR"])
        pred = facts(modality=["PT\\CT", "DX", "CT"])
        assert counts(score([], [], gold, pred), "modality") == (2, 1, 1)

    def test_numbers_equal_to_one_decimal(self):
        gold = facts(dose_mbq=[187.2, 296.0, 187.24], glycemia=[1.04, 0.85, 0.85],
                     n_lesions=[2, 0, 1])  # fmt: skip
        pred = facts(dose_mbq=[187.23, 4.0, 187.26], glycemia=[1.044, 0.846, 0.80],
                     n_lesions=[2, 0, 2])  # fmt: skip
        table = score([], [], gold, pred)
        assert counts(table, "dose") == (2, 1, 1)  # 4 MBq/kg is not the dose
        assert counts(table, "glycemia") == (2, 1, 1)  # 0.846 (from 4,7 mmol/L) is 0.85
        assert counts(table, "n_lesions") == (2, 1, 1)

    def test_indication_text_tolerates_markup_and_punctuation_not_another_paragraph(self):
        gold = "Bilan d'extension d'un adénocarcinome pulmonaire lobaire supérieur droit."
        assert token_f1(gold, "Bilan d&#39;extension d'un <b>ad&eacute;nocarcinome</b> "
                              "pulmonaire lobaire supérieur droit") == 1.0  # fmt: skip
        whole = gold + " Technique : 187 MBq de FDG. Résultats : masse lobaire supérieure " \
                       "droite hypermétabolique, ganglion hilaire droit, pas de lésion osseuse."
        table = score([], [], facts(indication=[gold, gold]), facts(indication=[gold[:-1], whole]))
        assert counts(table, "indication_text") == (1, 1, 1)

    def test_scores_undefined_without_gold_or_prediction(self):
        table = score([], [], facts(tracer=[None]), facts(tracer=[None]))
        assert math.isnan(table.loc["tracer", "f1"])
        assert set(FIELDS) == set(table.index)

    def test_errors_list_what_is_missed_and_extra(self):
        gold = pd.DataFrame([finding(suvmax=5.3), finding(site="bone", suvmax=7.4)])
        pred = pd.DataFrame([finding(suvmax=5.3), finding(site="bone", suvmax=4.7)])
        ids = pd.DataFrame({"report_id": ["R1"]})
        errors = extraction_errors(ids, pred, ids, gold, "suvmax_lesion")
        assert errors[["value", "n_gold", "n_pred"]].values.tolist() == [[47, 0, 1], [74, 1, 0]]


# ------------------------------------------------------------------- the gold itself


def _clean(text: str) -> str:
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text)


class TestHandGold:
    def test_layout_and_columns(self):
        with open(HAND_GOLD / "report_facts.csv", encoding="utf-8") as fh:
            assert tuple(next(csv.reader(fh))) == FACT_COLUMNS
        with open(HAND_GOLD / "findings.csv", encoding="utf-8") as fh:
            assert tuple(next(csv.reader(fh))) == FINDING_COLUMNS
        gold = load_gold(HAND_GOLD)
        assert len(gold.reports) >= 35
        assert (gold.facts["modality"] == "PT").sum() >= 18
        assert gold.reports["text"].str.len().gt(0).all()

    def test_codes_come_from_the_vocabulary(self):
        gold = load_gold(HAND_GOLD)
        f, x = gold.facts, gold.findings
        assert f["modality"].isin(vocabulary.MODALITIES).all()
        assert f["tracer"].dropna().isin(vocabulary.TRACERS).all()
        assert f["indication_category"].isin(vocabulary.INDICATION_CATEGORIES).all()
        assert set(f["indication_category"]) == set(vocabulary.INDICATION_CATEGORIES)
        assert x["site"].isin(vocabulary.SITES).all()
        assert x["laterality"].dropna().isin(vocabulary.LATERALITIES).all()
        assert x["kind"].isin(vocabulary.FINDING_KINDS).all()
        assert x["section"].isin(["results", "conclusion"]).all()
        refs = x[x["kind"] == "reference"]
        assert refs["site"].isin(["liver_reference", "mediastinal_blood_pool"]).all()

    def test_report_facts_agree_with_findings(self):
        gold = load_gold(HAND_GOLD)
        lesions = gold.findings[(gold.findings["kind"] == "lesion") & ~gold.findings["negated"]]
        n = lesions.groupby("report_id").size().reindex(gold.facts["report_id"], fill_value=0)
        assert n.tolist() == gold.facts["n_lesions"].astype(int).tolist()
        top = lesions.groupby("report_id")["suvmax"].max().reindex(gold.facts["report_id"])
        assert top.fillna(-1).round(1).tolist() == gold.facts["max_suvmax"].fillna(-1).tolist()

    def test_every_value_and_text_is_in_its_report(self):
        gold = load_gold(HAND_GOLD)
        texts = {r: _clean(t) for r, t in zip(gold.reports["report_id"], gold.reports["text"],
                                              strict=True)}  # fmt: skip
        for row in gold.facts.itertuples():
            assert _clean(row.indication) in texts[row.report_id], row.report_id
            assert _clean(row.conclusion) in texts[row.report_id], row.report_id
        for row in gold.findings.itertuples():
            for value in (row.suvmax, row.previous_suvmax):
                if pd.notna(value):
                    forms = {f"{value:.1f}", f"{value:.1f}".replace(".", ",")}
                    if float(value).is_integer():
                        forms.add(str(int(value)))  # "SUVmax à 4", "SUVmax : 8"
                    found = any(re.search(rf"(?<![\d,.]){re.escape(form)}(?![,.]?\d)",
                                          texts[row.report_id]) for form in forms)  # fmt: skip
                    assert found, (row.finding_id, value)


def test_load_gold_reads_a_synthetic_dataset_layout(tmp_path: Path):
    (tmp_path / "truth").mkdir()
    pd.DataFrame({"report_id": ["S1", "S2"], "title": ["TEP", None],
                  "text": ["Conclusion : normal.", "x"]}).to_parquet(tmp_path / "reports.parquet")  # fmt: skip
    pd.DataFrame({"report_id": ["S1"], "modality": ["PT"], "n_lesions": [0]}).to_parquet(
        tmp_path / "truth" / "report_facts.parquet"
    )
    pd.DataFrame({"report_id": ["S1"], "kind": ["lesion"], "site": ["bone"], "negated": [True]}
                 ).to_parquet(tmp_path / "truth" / "findings.parquet")  # fmt: skip
    gold = load_gold(tmp_path)
    assert gold.reports["report_id"].tolist() == ["S1"]
    assert gold.findings["negated"].tolist() == [True]
    assert list(gold.facts.columns) == list(FACT_COLUMNS)


# ------------------------------------------------------------------------ the floors


@pytest.fixture(scope="module")
def extractor_cls():
    from radlink.nlp import ReportExtractor

    return ReportExtractor


_SCORES: dict[str, pd.DataFrame] = {}


_DIRS = {"hand_gold": HAND_GOLD, "heldout_gold": HELDOUT_GOLD, "heldout2_gold": HELDOUT2_GOLD,
         "blind_a_gold": BLIND_A_GOLD, "synth_sample": SYNTH_SAMPLE}

# Issue 12's fields, per development set: (field, measure) -> floor, set a little under
# what the rules reach on each set (raise them as the rules improve, never lower them).
SET_FLOORS: dict[str, dict[tuple[str, str], float]] = {
    "hand_gold": {("lesion_findings", "f1"): 0.99, ("negated_findings", "recall"): 0.99,
                  ("lesion_size", "f1"): 0.99, ("lesion_laterality", "f1"): 0.99},
    "heldout_gold": {("lesion_findings", "f1"): 0.98, ("negated_findings", "recall"): 0.98,
                     ("lesion_size", "f1"): 0.98, ("lesion_laterality", "f1"): 0.97},
    "heldout2_gold": {("lesion_findings", "f1"): 0.96, ("lesion_findings", "recall"): 0.97,
                      ("negated_findings", "recall"): 0.98, ("lesion_size", "f1"): 0.98,
                      ("lesion_laterality", "f1"): 0.94, ("site_attachment", "f1"): 0.96},
    "blind_a_gold": {("lesion_findings", "f1"): 0.91, ("lesion_findings", "recall"): 0.92,
                     ("lesion_findings", "precision"): 0.91, ("negated_findings", "recall"): 0.97,
                     ("suvmax", "f1"): 0.98, ("site_attachment", "f1"): 0.96,
                     ("indication_category", "f1"): 0.98, ("lesion_size", "f1"): 0.92,
                     ("lesion_laterality", "f1"): 0.90, ("hypothesis_findings", "f1"): 0.83,
                     ("n_lesions", "f1"): 0.78},
}


@pytest.fixture(scope="module", params=list(_DIRS))
def gold_scores(request, extractor_cls) -> tuple[str, pd.DataFrame]:
    name = request.param
    if name not in _SCORES:
        directory = _DIRS[name]
        if name == "synth_sample" and not (directory / "truth").is_dir():
            pytest.fail(f"synthetic sample truth missing under {directory}/truth "
                        "(run `radlink synth` to regenerate data_samples)")  # fmt: skip
        gold = load_gold(directory)
        result = extractor_cls().extract(gold.reports)
        _SCORES[name] = evaluate_extraction(result.facts, result.findings, gold.facts, gold.findings)
    return name, _SCORES[name].set_index("field")


@pytest.mark.parametrize("field", list(FLOORS))
def test_quality_floor(gold_scores, field: str):
    name, table = gold_scores
    row = table.loc[field]
    assert row["f1"] >= FLOORS[field], (
        f"{name}: {field} F1 {row['f1']:.3f} < {FLOORS[field]} "
        f"(tp={int(row['tp'])}, fp={int(row['fp'])}, fn={int(row['fn'])}); "
        f"see `radlink evaluate-nlp --errors {field}`"
    )


def test_issue_12_floors_per_set(gold_scores):
    name, table = gold_scores
    for (field, measure), floor in SET_FLOORS.get(name, {}).items():
        value = table.loc[field, measure]
        assert value >= floor, (
            f"{name}: {field} {measure} {value:.3f} < {floor}; "
            f"see `radlink evaluate-nlp --errors {field}`"
        )


# ------------------------------------------------------------------ held-out sets
# Sets first scored blind (see their READMEs), opened for development on 2026-12-06
# after that score. Their floors are the figures measured after the merge of the
# issue-12 lesion and negation rounds less 0.01: a regression guard, not the issue's bars.
HELD_OUT_FLOORS: dict[str, dict[tuple[str, str], float]] = {
    "nlp_gold_blind_b": {("lesion_findings", "f1"): 0.926, ("lesion_findings", "recall"): 0.919,
                         ("lesion_findings", "precision"): 0.934,
                         # (negated precision 0.904 before issue 12's seventh round: a vascular
                         # negation, "Pas de thrombus de la veine rénale", is a finding under the
                         # guide as gold G applies it, and B's annotators left vessels out)
                         ("negated_findings", "recall"): 0.954, ("negated_findings", "precision"): 0.888,
                         ("hypothesis_findings", "f1"): 0.99, ("indication_category", "f1"): 0.956,
                         ("suvmax", "f1"): 0.99, ("site_attachment", "f1"): 0.99,
                         ("lesion_laterality", "f1"): 0.945, ("lesion_size", "f1"): 0.935},
    "nlp_gold_blind_c": {("suvmax", "f1"): 0.978, ("lesion_findings", "recall"): 0.948,
                         ("lesion_findings", "precision"): 0.941, ("negated_findings", "recall"): 0.93,
                         ("negated_findings", "precision"): 0.939, ("hypothesis_findings", "f1"): 0.922,
                         ("site_attachment", "f1"): 0.96, ("indication_category", "f1"): 0.948,
                         ("lesion_laterality", "f1"): 0.907, ("lesion_size", "f1"): 0.934},
    # blind after issue 12's third round, a development set since its fourth (floors: fourth round less 0.01)
    # (lesion and negated recall: the seventh round's figures less 0.01)
    "nlp_gold_blind_d": {("suvmax", "f1"): 0.973, ("lesion_findings", "recall"): 0.923,
                         ("lesion_findings", "precision"): 0.911, ("negated_findings", "recall"): 0.949,
                         ("site_attachment", "f1"): 0.931, ("indication_category", "f1"): 0.951,
                         ("lesion_laterality", "f1"): 0.935, ("lesion_size", "f1"): 0.885},
    # blind: written 2026-12-06 (fourth round) while that round's rules changed, scored after they
    # froze; a development set since the fifth round (floors: its fifth-round figures less 0.01)
    # (lesion precision: the verifier's leave-one-set-out figure less 0.01, since the default
    # verifier is trained on every development set)
    "nlp_gold_blind_e": {("suvmax", "f1"): 0.98, ("suvmax_reference", "recall"): 0.958, ("lesion_findings", "recall"): 0.921,
                         ("lesion_findings", "precision"): 0.878, ("negated_findings", "recall"): 0.92,
                         ("negated_findings", "precision"): 0.901,
                         ("site_attachment", "f1"): 0.978, ("indication_category", "f1"): 0.948,
                         ("lesion_laterality", "f1"): 0.908, ("lesion_size", "f1"): 0.883},
    # blind in issue 12's fifth round, a development set since its sixth (floors: sixth-round
    # figures less 0.01; lesion precision: the verifier's leave-one-set-out figure less 0.01)
    "nlp_gold_blind_f": {("suvmax", "f1"): 0.984, ("suvmax_reference", "recall"): 0.99, ("lesion_findings", "recall"): 0.889,
                         ("lesion_findings", "precision"): 0.868, ("negated_findings", "recall"): 0.928,
                         ("negated_findings", "precision"): 0.914,
                         ("site_attachment", "f1"): 0.901, ("indication_category", "f1"): 0.948,
                         ("lesion_laterality", "f1"): 0.902, ("lesion_size", "f1"): 0.882},
    # blind in issue 12's sixth round, a development set since its seventh (floors: seventh-round
    # figures less 0.01; lesion precision: the verifier's leave-one-set-out figure less 0.01;
    # lesion recall, laterality, size and negated findings: issue 12's eighth round less 0.01)
    "nlp_gold_blind_g": {("suvmax", "f1"): 0.982, ("lesion_findings", "recall"): 0.933,
                         ("lesion_findings", "precision"): 0.835, ("negated_findings", "recall"): 0.934,
                         ("negated_findings", "precision"): 0.877,
                         ("site_attachment", "f1"): 0.955, ("indication_category", "f1"): 0.977,
                         ("conclusion_text", "f1"): 0.99, ("modality", "f1"): 0.99,
                         ("lesion_laterality", "f1"): 0.874, ("lesion_size", "f1"): 0.919},
    # blind in issue 12's seventh round, a development set since its eighth (floors: eighth-round
    # figures less 0.01; lesion precision: the verifier's leave-one-set-out figure less 0.01)
    "nlp_gold_blind_h": {("suvmax", "f1"): 0.959, ("suvmax_reference", "recall"): 0.99, ("lesion_findings", "recall"): 0.931,
                         ("lesion_findings", "precision"): 0.933, ("negated_findings", "recall"): 0.934,
                         # 0.907 until issue 12's twelfth round: the guide's rulings make
                         # "Voies biliaires alithiasiques" a negated row, which H's writer
                         # left out (HA028, HB022: two extra negated rows, 0.902)
                         ("negated_findings", "precision"): 0.895,
                         ("site_attachment", "f1"): 0.922, ("indication_category", "f1"): 0.957,
                         ("lesion_laterality", "f1"): 0.92, ("lesion_size", "f1"): 0.941},
    # blind in issue 12's eighth round, a development set since its ninth (floors: the ninth
    # round's merged figures less 0.01; lesions: capitals without apostrophes, sites an exam
    # cannot show, labelled nodules; negation and hedges: wrapped lines, absences under a label,
    # hedged lists, questions; SUVmax and report facts: report tables by column meaning,
    # reference forms, modality cues, heading variants)
    "nlp_gold_blind_i": {("suvmax", "f1"): 0.99, ("lesion_findings", "recall"): 0.911,
                         ("lesion_findings", "precision"): 0.902, ("negated_findings", "recall"): 0.891,
                         ("negated_findings", "precision"): 0.896,
                         ("hypothesis_findings", "recall"): 0.745, ("hypothesis_findings", "precision"): 0.85,
                         ("site_attachment", "f1"): 0.933, ("indication_category", "f1"): 0.956,
                         ("conclusion_text", "f1"): 0.99, ("modality", "f1"): 0.99,
                         ("lesion_laterality", "f1"): 0.89, ("lesion_size", "f1"): 0.903},
}
# SUVmax, reference recall, indication, conclusion and modality floors of C-I raised in issue
# 12's ninth round (nlp9s: report tables by column meaning, reference forms, page furniture,
# modality cues, heading variants): that round's figures less 0.01.
# The negated floors of C, E, F and G were raised in issue 12's eighth round (negation rules:
# per-side negations, dictated organ verdicts, metabolic responses, properties after "sans").
# Set D's indication floor went from 0.972 to 0.951 in the seventh round: a report with no
# indication title is now categorised from its head ("Cheville gauche F+P." then "Chute ..."
# is a diagnosis), as gold B, F and G annotate it; D's annotator left those categories empty.


@pytest.mark.slow
@pytest.mark.parametrize("name", list(HELD_OUT_FLOORS))
def test_held_out_sets_keep_their_frozen_figures(name, extractor_cls):
    gold = load_gold(REPO / "data_samples" / name)
    result = extractor_cls().extract(gold.reports)
    table = evaluate_extraction(result.facts, result.findings, gold.facts, gold.findings).set_index("field")
    low = {f"{field} {measure}": round(float(table.loc[field, measure]), 3)
           for (field, measure), floor in HELD_OUT_FLOORS[name].items() if table.loc[field, measure] < floor}
    assert low == {}, f"{name}: below the figures measured when the rules froze"
