"""Findings out to BRAT and Label Studio, corrected by a person, and back in as gold."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from radlink.cli import main
from radlink.nlp.annotation import write_brat, write_labelstudio
from radlink.nlp.evaluation import FINDING_FIELDS, evaluate_extraction, load_gold

GOLD = Path(__file__).resolve().parents[2] / "data_samples" / "nlp_gold"


@pytest.fixture(scope="module")
def extraction(extractor):
    reports = load_gold(GOLD).reports
    result = extractor.extract(reports[["report_id", "text"]])
    return reports, result.facts, result.findings


def _scores(extraction, gold_path) -> pd.DataFrame:
    _, facts, findings = extraction
    gold = load_gold(gold_path)
    scores = evaluate_extraction(facts, findings, gold.facts, gold.findings)
    return scores[scores["field"].isin(gold.fields)].set_index("field")


def _brat(extraction, directory: Path) -> Path:
    reports, _, findings = extraction
    write_brat(reports, findings, directory)
    return directory


def _labelstudio(extraction, directory: Path) -> Path:
    reports, _, findings = extraction
    write_labelstudio(reports, findings, directory)
    return directory / "tasks.json"


# ----------------------------------------------------------------------------- BRAT


def test_brat_files_hold_the_text_and_offsets_exactly(extraction, tmp_path):
    reports, _, findings = extraction
    d = _brat(extraction, tmp_path)
    assert len(list(d.glob("*.txt"))) == len(reports)
    for rid, text in zip(reports["report_id"], reports["text"], strict=True):
        with open(d / f"{rid}.txt", encoding="utf-8", newline="") as fh:
            assert fh.read() == text
        entities = [line.split("\t") for line in (d / f"{rid}.ann").read_text(encoding="utf-8").splitlines()
                    if line.startswith("T")]
        for _, type_spans, covered in entities:
            spans = [tuple(map(int, frag.split())) for frag in type_spans.split(" ", 1)[1].split(";")]
            assert covered == " ".join(text[s:e] for s, e in spans)
            assert all("\n" not in text[s:e] for s, e in spans)
        assert len(entities) == (findings["report_id"] == rid).sum()


def test_brat_annotations_use_only_what_annotation_conf_declares(extraction, tmp_path):
    d = _brat(extraction, tmp_path)
    conf = (d / "annotation.conf").read_text(encoding="utf-8")
    entity_types = set(conf.split("[entities]\n")[1].split("\n\n")[0].split())
    declared = {}
    for line in conf.split("[attributes]\n")[1].splitlines():
        name, args = line.split("\t")
        values = re.search(r"Value:(\S+)", args)
        declared[name] = set(values.group(1).split("|")) if values else None
    for ann in d.glob("*.ann"):
        for line in ann.read_text(encoding="utf-8").splitlines():
            key, body, *_ = line.split("\t")
            if key.startswith("T"):
                assert body.split()[0] in entity_types
            elif key.startswith("A"):
                name, _, *value = body.split()
                assert name in declared and (declared[name] is None) == (not value)
                assert not value or value[0] in declared[name], line


def test_brat_round_trip_scores_one(extraction, tmp_path):
    scores = _scores(extraction, _brat(extraction, tmp_path))
    assert set(scores.index) == set(FINDING_FIELDS)
    scored = scores[scores["tp"] + scores["fn"] > 0]
    assert len(scored) >= 10 and (scored["f1"] == 1.0).all() and (scores["fp"] == 0).all()


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _first(d: Path, pattern: str) -> tuple[Path, re.Match]:
    for ann in sorted(d.glob("*.ann")):
        found = re.search(pattern, ann.read_text(encoding="utf-8"), flags=re.M)
        if found:
            return ann, found
    raise AssertionError(pattern)


def test_a_corrected_negation_moves_the_scores(extraction, tmp_path):
    d = _brat(extraction, tmp_path)
    base = _scores(extraction, d)
    ann, found = _first(d, r"^(A\d+)\tNegated (T\d+)$")
    entity = re.search(rf"^{found.group(2)}\t(\w+)", ann.read_text(encoding="utf-8"), flags=re.M).group(1)
    _edit(ann, found.group(0) + "\n", "")  # the annotator says: not negated
    after = _scores(extraction, d)
    assert after.loc["negated_findings", "fp"] == base.loc["negated_findings", "fp"] + 1
    assert after.loc["negated_findings", "tp"] == base.loc["negated_findings", "tp"] - 1
    if entity == "Lesion":
        assert after.loc["lesion_findings", "fn"] == base.loc["lesion_findings", "fn"] + 1
    unchanged = [f for f in FINDING_FIELDS if f not in ("negated_findings", "lesion_findings",
                                                         "hypothesis_findings", "lesion_laterality",
                                                         "lesion_size", "site_attachment",
                                                         "site_attachment_exact", "suvmax_lesion",
                                                         "suvmax", "suvmax_value", "suvmax_previous")]
    pd.testing.assert_frame_equal(after.loc[unchanged], base.loc[unchanged])


def _lesion_suvmax_note(d: Path) -> tuple[Path, str]:
    """A note ``suvmax=...`` of a lesion that is not negated (its SUVmax is a lesion SUVmax)."""
    for ann in sorted(d.glob("*.ann")):
        text = ann.read_text(encoding="utf-8")
        for note in re.finditer(r"^#\d+\tAnnotatorNotes (T\d+)\t(suvmax=[\d.]+)", text, flags=re.M):
            entity = note.group(1)
            if re.search(rf"^{entity}\tLesion ", text, flags=re.M) and not re.search(
                    rf"^A\d+\tNegated {entity}$", text, flags=re.M):
                return ann, note.group(2)
    raise AssertionError("no lesion SUVmax in the BRAT files")


def test_a_corrected_suvmax_and_site_move_the_scores(extraction, tmp_path):
    d = _brat(extraction, tmp_path)
    base = _scores(extraction, d)
    ann, note = _lesion_suvmax_note(d)
    value = float(note.split("=")[1])
    _edit(ann, note, f"suvmax={value + 10:g}".replace(".", ","))  # a comma works as decimal mark
    after = _scores(extraction, d)
    assert after.loc["suvmax_lesion", "fp"] == base.loc["suvmax_lesion", "fp"] + 1
    assert after.loc["suvmax_lesion", "fn"] == base.loc["suvmax_lesion", "fn"] + 1
    ann, site = _first(d, r"^(A\d+)\tSite (T\d+) (\w+)$")
    other = "brain" if site.group(3) != "brain" else "liver"
    _edit(ann, site.group(0), f"{site.group(1)}\tSite {site.group(2)} {other}")
    moved = _scores(extraction, d)
    changed = moved[(moved["fp"] != after["fp"]) | (moved["fn"] != after["fn"])]
    assert len(changed) >= 1 and (changed["f1"] < 1).all()


def test_an_entity_whose_text_was_edited_is_named(extraction, tmp_path):
    d = _brat(extraction, tmp_path)
    ann, entity = _first(d, r"^(T\d+)\t(\w+ \d+ \d+)\t(.+)$")
    _edit(ann, entity.group(0), f"{entity.group(1)}\t{entity.group(2)}\t{entity.group(3)}x")
    with pytest.raises(Exception, match=rf"{ann.name}, entity {entity.group(1)}"):
        load_gold(d)


# ----------------------------------------------------------------------------- Label Studio


def test_label_studio_tasks_fit_the_labelling_config(extraction, tmp_path):
    tasks_path = _labelstudio(extraction, tmp_path)
    root = ET.fromstring((tmp_path / "labeling_config.xml").read_text(encoding="utf-8"))
    controls = {e.get("name"): e for e in root.iter() if e.get("toName")}
    kinds = {"Labels": "labels", "Choices": "choices", "Number": "number"}
    text_tag = next(e for e in root.iter("Text"))
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    reports, _, findings = extraction
    assert len(tasks) == len(reports)
    n_regions = 0
    for task in tasks:
        text = task["data"][text_tag.get("value").lstrip("$")]
        for r in task["predictions"][0]["result"]:
            control = controls[r["from_name"]]
            assert r["to_name"] == control.get("toName") == text_tag.get("name")
            assert r["type"] == kinds[control.tag]
            assert r["value"]["text"] == text[r["value"]["start"]:r["value"]["end"]]
            allowed = {c.get("value") for c in control.iter("Choice")} | {c.get("value") for c in control.iter("Label")}
            for chosen in r["value"].get("choices", []) + r["value"].get("labels", []):
                assert chosen in allowed
            n_regions += r["type"] == "labels"
    assert n_regions == len(findings)


def test_label_studio_round_trip_scores_one_and_counts_unreviewed(extraction, tmp_path):
    tasks_path = _labelstudio(extraction, tmp_path)
    scores = _scores(extraction, tasks_path)
    scored = scores[scores["tp"] + scores["fn"] > 0]
    assert len(scored) >= 10 and (scored["f1"] == 1.0).all()
    assert load_gold(tmp_path).unreviewed == len(extraction[0])  # a folder holding tasks.json reads too


def test_an_annotation_replaces_the_prediction(extraction, tmp_path):
    tasks_path = _labelstudio(extraction, tmp_path)
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    base = _scores(extraction, tasks_path)
    task = next(t for t in tasks if any(r["value"].get("labels") == ["Lesion"] and not any(
        q["id"] == r["id"] and q["from_name"] == "qualifiers" for q in t["predictions"][0]["result"])
        for r in t["predictions"][0]["result"]))
    result = task["predictions"][0]["result"]
    dropped = next(r["id"] for r in result if r["value"].get("labels") == ["Lesion"]
                   and not any(q["id"] == r["id"] and q["from_name"] == "qualifiers" for q in result))
    task["annotations"] = [{"id": 1, "was_cancelled": False, "created_at": "2026-01-01T10:00:00Z",
                            "result": [r for r in result if r["id"] != dropped]}]  # "not a lesion"
    tasks_path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    gold = load_gold(tasks_path)
    after = _scores(extraction, tasks_path)
    assert gold.unreviewed == len(tasks) - 1
    assert after.loc["lesion_findings", "fp"] == base.loc["lesion_findings", "fp"] + 1
    assert after.loc["lesion_findings", "precision"] < 1.0


def test_evaluate_nlp_reads_an_export_as_gold(tmp_path):
    reports = tmp_path / "reports.csv"
    gold = load_gold(GOLD).reports.head(8)
    gold[["report_id", "text"]].to_csv(reports, index=False)
    result = CliRunner().invoke(main, ["export", "--format", "brat", str(reports), "-o", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    out = CliRunner().invoke(main, ["evaluate-nlp", str(tmp_path / "b")])
    assert out.exit_code == 0, out.output
    assert "lesion_findings" in out.output and "modality" not in out.output  # findings fields only
    f1 = [line.split()[-1] for line in out.output.splitlines()
          if line.split() and line.split()[0] in FINDING_FIELDS and line.split()[-1] != "-"]
    assert f1 and set(f1) == {"1.000"}


def test_an_independent_brat_reader_reads_the_same_findings(extraction, tmp_path):
    """edsnlp's standoff reader (another implementation of BRAT) sees our spans and attributes."""
    import edsnlp

    reports, _, findings = extraction
    d = _brat(extraction, tmp_path)
    docs = list(edsnlp.data.read_standoff(
        d, nlp=edsnlp.blank("eds"), span_setter={"findings": True},  # a group: spans may overlap
        span_attributes=["Negated", "Site", "Laterality"], keep_raw_attribute_values=True))
    seen = sorted((doc._.note_id, e.start_char, e.end_char, e.label_.lower(), e._.Site,
                   bool(e._.Negated), e._.Laterality) for doc in docs for e in doc.spans["findings"])
    expected = sorted((str(f.report_id), int(f.start), int(f.end), f.kind, f.site, bool(f.negated),
                       f.laterality if isinstance(f.laterality, str) else None)
                      for f in findings.itertuples())
    assert seen == expected
