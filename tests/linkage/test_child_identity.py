"""A child's exam under a parent's identity is never given to the parent (radlink.linkage.child_identity)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from radlink.linkage import link
from radlink.linkage.child_identity import description_keys, paediatric_kinds, resolve_child_exams
from radlink.tables import validate_table

HIP = "ECHO HANCHES NOURRISSON"


def _registry(n_children: int = 20) -> pd.DataFrame:
    """A mother (ROUX, born 1990), her baby (born 2024-03-01), and other babies of other families."""
    ids = ["M1", "C1"] + [f"K{i}" for i in range(n_children)]
    family = ["Roux", "Roux"] + [f"Fam{chr(65 + i)}" for i in range(n_children)]
    given = ["Claire", "Léo"] + ["Emma"] * n_children
    birth = ["1990-02-03", "2024-03-01"] + [f"2024-0{1 + i % 6}-1{i % 9}" for i in range(n_children)]
    return validate_table(pd.DataFrame({"patient_id": ids, "family_name": family, "given_name": given,
                                        "birth_date": birth, "sex": ["F", "M"] + ["F"] * n_children}), "patients")


def _exams(header_ipp: str = "M1", header_name: str = "ROUX^CLAIRE", header_birth: str = "1990-02-03",
           n_children: int = 20) -> pd.DataFrame:
    """The babies' hip ultrasounds under their own identity, and one under the mother's header."""
    reg = _registry(n_children)
    kids = reg.iloc[2:]
    rows = {
        "exam_id": [f"EK{i}" for i in range(n_children)] + ["E1"],
        "patient_id": kids["patient_id"].tolist() + [header_ipp],
        "patient_name": [f"{f.upper()}^EMMA" for f in kids["family_name"]] + [header_name],
        "birth_date": [d.strftime("%Y-%m-%d") for d in kids["birth_date"]] + [header_birth],
        "sex": ["F"] * n_children + ["F"],
        "study_datetime": ["2024-07-01 10:00"] * n_children + ["2024-03-20 10:00"],
        "modality": ["US"] * (n_children + 1),
        "study_description": [HIP] * (n_children + 1),
    }
    return validate_table(pd.DataFrame(rows), "exams")


def _stays(patient: str = "C1") -> pd.DataFrame:
    return validate_table(pd.DataFrame({"stay_id": ["S1"], "patient_id": [patient],
                                        "start_datetime": ["2024-03-20 08:00"], "end_datetime": ["2024-03-20 18:00"],
                                        "unit": ["PEDIATRIE"], "stay_type": ["day_care"]}), "stays")


def _exam_patient(links: pd.DataFrame) -> pd.DataFrame:
    return links[(links["source_type"] == "exam") & (links["target_type"] == "patient")].set_index("source_id")


def test_description_keys_ignore_case_accents_and_punctuation():
    assert description_keys(["Écho hanches (nourrisson)", "ECHO  HANCHES NOURRISSON", ""]).tolist() == [
        HIP, HIP, None]


def test_a_description_done_on_all_ages_is_not_paediatric():
    keys = np.array([HIP] * 6 + ["THORAX"] * 12, dtype=object)
    age = np.array([0.1] * 6 + [0.5] * 6 + [45.0] * 6)
    assert paediatric_kinds(keys, age, np.arange(18).astype(str).astype(object)) == {HIP}


def test_a_rare_description_is_not_learned():
    keys = np.array([HIP] * 3, dtype=object)
    assert paediatric_kinds(keys, np.array([0.1, 0.2, 0.3]), np.array(["a", "b", "c"], dtype=object)) == set()


def test_paediatric_exam_under_the_mothers_identity_goes_to_the_child_her_stay_holds():
    links = _exam_patient(link(patients=_registry(), exams=_exams(), stays=_stays()))
    assert links.loc["E1", "target_id"] == "C1"
    assert links.loc["E1", "method"] == "child_identity"
    ev = json.loads(links.loc["E1", "evidence"])
    assert ev["decision"] == "child_of_family" and ev["evidence"] == "paediatric_kind"
    # the babies' own exams keep their patients
    assert (links.loc[[f"EK{i}" for i in range(20)], "method"] != "child_identity").all()


def test_without_support_the_exam_is_left_unlinked_with_the_reason_never_given_to_the_mother():
    links = _exam_patient(link(patients=_registry(), exams=_exams(), stays=_stays(patient="M1")))
    assert links.loc["E1", "status"] == "unlinked"
    ev = json.loads(links.loc["E1", "evidence"])
    assert ev["decision"] == "child_exam_under_adult_identity"
    assert ev["candidates"] == ["C1"]


def test_newborn_provisional_identity_with_the_mothers_ipp_goes_to_the_baby_born_that_day():
    exams = _exams(header_name="ROUX^BB", header_birth="2024-03-01", n_children=0)
    exams["study_description"] = "THORAX"
    links = _exam_patient(link(patients=_registry(0), exams=exams))
    assert links.loc["E1", "target_id"] == "C1" and links.loc["E1", "method"] == "child_identity"
    assert json.loads(links.loc["E1", "evidence"])["evidence"] == "newborn_birth_date"


def test_adults_with_a_typo_in_their_birth_year_are_left_alone():
    reg = _registry(0)
    ep = pd.DataFrame({"source_type": ["exam"], "source_id": ["E1"], "target_type": ["patient"],
                       "target_id": ["M1"], "status": ["linked"], "score": [0.99], "method": ["fellegi_sunter"],
                       "evidence": ["{}"]})
    exams = _exams(header_birth="2024-02-03", n_children=0)  # 1990-02-03 typed 2024-02-03
    exams["study_description"] = "THORAX"
    out = resolve_child_exams(exams, ep, reg)
    assert out.loc[0, "target_id"] == "M1" and out.loc[0, "status"] == "linked"


def test_nothing_changes_in_an_adult_warehouse():
    reg = _registry(0)
    ep = pd.DataFrame({"source_type": ["exam"], "source_id": ["E1"], "target_type": ["patient"],
                       "target_id": ["M1"], "status": ["linked"], "score": [0.99], "method": ["ipp_identity_agrees"],
                       "evidence": ["{}"]})
    out = resolve_child_exams(_exams(n_children=0), ep, reg)
    assert out is ep


def test_a_provisional_name_is_read_through_its_placeholder_words_and_particles():
    from radlink.linkage.child_identity import header_family_keys

    keys = header_family_keys(["BEBE DE^ROUX", "BB^ROUX", "ROUX^BEBE", "BEBE ROUX", "BEBE D'ROUX", "ROUX^CLAIRE"])
    assert set(keys[keys["key"] == "ROUX"]["position"]) == {0, 1, 2, 3, 4, 5}
    # a name without placeholder words gives its first component only
    assert keys[keys["position"] == 5]["key"].tolist() == ["ROUX"]


def _registry_and(patient_id: str, family: str, given: str, birth: str, sex: str) -> pd.DataFrame:
    """The family registry without children, and one more patient."""
    one = validate_table(pd.DataFrame({"patient_id": [patient_id], "family_name": [family], "given_name": [given],
                                       "birth_date": [birth], "sex": [sex]}), "patients")
    return pd.concat([_registry(0), one], ignore_index=True)


def _newborn_exam(header_name: str) -> pd.DataFrame:
    """A chest exam under a newborn's provisional number, born on 2024-03-01."""
    exams = _exams(header_ipp="NN1234567", header_name=header_name, header_birth="2024-03-01", n_children=0)
    exams["study_description"] = "THORAX"
    return exams


def _unlinked(exam_id: str) -> pd.DataFrame:
    return pd.DataFrame({"source_type": ["exam"], "source_id": [exam_id], "target_type": ["patient"],
                         "target_id": [None], "status": ["unlinked"], "score": [0.0], "method": ["fellegi_sunter"],
                         "evidence": ["{}"]})


def test_an_unlinked_newborn_under_bebe_de_mother_goes_to_the_family_child_born_that_day():
    reg = _registry(0)
    exams = _newborn_exam("BEBE DE^ROUX")
    out = resolve_child_exams(exams, _unlinked("E1"), reg)
    assert (out.loc[0, "target_id"], out.loc[0, "method"]) == ("C1", "child_identity")


def test_a_newborn_under_its_mothers_maiden_name_goes_to_the_one_registry_child_born_that_day():
    reg = _registry_and("C9", "Petit", "Zoé", "2024-03-05", "F")
    exams = _newborn_exam("LEBLANC^BEBE")
    out = resolve_child_exams(exams, _unlinked("E1"), reg)
    assert out.loc[0, "target_id"] == "C1"


def test_the_child_born_on_the_headers_date_wins_over_a_sibling_whose_stay_holds_the_exam():
    reg = _registry_and("C2", "Roux", "Tom", "2021-06-01", "M")
    exams = _newborn_exam("BEBE ROUX")
    out = resolve_child_exams(exams, _unlinked("E1"), reg, _stays(patient="C2"))
    assert out.loc[0, "target_id"] == "C1"


def test_twins_born_on_the_headers_date_stay_unlinked():
    reg = _registry_and("C2", "Roux", "Tom", "2024-03-01", "M")
    exams = _newborn_exam("BEBE ROUX")
    out = resolve_child_exams(exams, _unlinked("E1"), reg)
    assert out.loc[0, "status"] == "unlinked"


def test_a_paediatric_unit_is_learned_like_a_description():
    from radlink.linkage.child_identity import (
        kind_counts,
        kind_totals,
        kinds_from_totals,
        registry_births,
    )

    reg = _registry()
    exams = _exams()
    exams["study_description"] = [f"THORAX {i}" for i in range(len(exams))]  # no description is learned
    exams["unit"] = "IMAGERIE PEDIATRIQUE"
    status = np.array(["linked"] * len(exams), dtype=object)
    target = np.array(reg["patient_id"].iloc[2:].tolist() + ["M1"], dtype=object)
    kinds = kinds_from_totals(kind_totals(kind_counts(exams, status, target, registry_births(reg))))
    assert kinds == {"unit:IMAGERIE PEDIATRIQUE"}
    links = _exam_patient(link(patients=reg, exams=exams, stays=_stays()))
    assert links.loc["E1", "target_id"] == "C1"
