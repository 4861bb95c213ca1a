"""Reports without a usable patient number find their patient from the identity in their head."""

from __future__ import annotations

import pandas as pd

from radlink.linkage import LinkageSettings, link
from radlink.linkage.report_identity import header_identity

PATIENTS = pd.DataFrame({"patient_id": ["00012345", "00067890", "00055555"],
                         "family_name": ["Godard", "Brion", "Godard"], "given_name": ["Véronique", "Gabriel", "Paul"],
                         "birth_date": ["1958-01-22", "1977-10-02", "1990-05-05"], "sex": ["F", "M", "M"]})


def _exams():
    # the imaging group's RIS stores the IPP as a number (zeros stripped) or leaves it empty
    return pd.DataFrame({"exam_id": ["E1", "E2", "E3"], "patient_id": ["12345", None, "55555"],
                         "patient_name": ["GODARD^VERONIQUE", "BRION^GABRIEL", "GODARD^PAUL"],
                         "birth_date": ["19580122", "19771002", "19900505"], "sex": ["F", "M", "M"],
                         "study_datetime": ["2022-03-01 09:00", "2022-03-01 09:30", "2022-03-01 10:00"],
                         "modality": ["CT", "DX", "CT"], "accession_number": ["A1", "A2", "A3"],
                         "study_description": ["TDM CEREBRALE", "RADIOGRAPHIE GENOU DROIT", "TDM CEREBRALE"]})


def test_a_report_without_patient_is_linked_through_the_identity_its_head_names():
    reports = pd.DataFrame({
        "report_id": ["R1", "R2", "R3"], "patient_id": [None, "9999", None],
        "report_datetime": ["2022-03-02 16:00", "2022-03-01 10:00", "2022-03-02 17:00"],
        "title": ["SCANNER CEREBRAL", "RADIOGRAPHIE DU GENOU DROIT", "SCANNER CEREBRAL"],
        "text": ["Mme GODARD Veronique, née le 22/01/1958\nAdressé par le Dr LAPORTE\nSCANNER du 01/03/2022",
                 "Nom : BRION  Prénom : Gabriel  DDN : 02/10/1977\nGENOU D F+P du 01/03/2022",
                 "[NOM] [PRENOM]\nSCANNER du 01/03/2022"],
        "accession_number": [None, None, None]})
    links = link(PATIENTS, _exams(), reports=reports, settings=LinkageSettings(refit_em=False))
    re_ = links[links["target_type"] == "exam"].set_index("source_id")
    assert re_.loc["R1", "target_id"] == "E1" and re_.loc["R1", "status"] == "linked"
    # a number no exam and no registry patient holds (the RIS's own) is no patient either
    assert re_.loc["R2", "target_id"] == "E2" and re_.loc["R2", "status"] == "linked"
    # a pseudonymised head names nobody: the report stays without patient; it is placed only as the one
    # head CT of the date it states that no report took (date_modality), never through an identity
    assert (re_.loc["R3", "target_id"], re_.loc["R3", "method"]) == ("E3", "date_modality")
    stays = links[(links["target_type"] == "stay") & (links["source_id"] == "R3")]
    assert stays["status"].tolist() == ["unlinked"]


def test_header_identity_reads_civility_and_field_heads():
    got = header_identity(pd.Series(["TÉLÉRADIOLOGIE\n\nM. MEUNIER Maxime, né le 11/09/2000\n",
                                     "Madame Anne-Marie LE GOFF (née le 01.02.1961)",
                                     "Nom : DELAUNAY  Prénom : Monique  DDN : 12/03/1953  Sexe : F",
                                     "Comparaison avec le scanner du 12/03/2021."]))
    assert got["family_name"].tolist()[:3] == ["MEUNIER", "LE GOFF", "DELAUNAY"]
    assert got["given_name"].tolist()[:3] == ["Maxime", "Anne-Marie", "Monique"]
    assert got["sex"].tolist()[:3] == ["M", "F", "F"]
    assert [str(d.date()) for d in got["birth_date"][:3]] == ["2000-09-11", "1961-02-01", "1953-03-12"]
    assert got.iloc[3].isna().all()


def _ris_warehouse(title_of, n=70):
    """``n`` patients with a chest CT and a head CT on two days, each reported with its accession
    and a title ``title_of(label)``; then patient 0's two same-day wrist radiographs, 40 minutes apart
    (two requests: one request's studies are filed with the first, radlink.linkage.sibling_studies)."""
    patients, exams, reports = [], [], []
    for i in range(n):
        pid = f"{100000 + i}"
        patients.append({"patient_id": pid, "family_name": f"NOM{i}", "given_name": "JEAN",
                         "birth_date": "1960-01-01", "sex": "M"})
        for k, (label, day) in enumerate((("SCANNER THORAX", "2022-03-01"), ("SCANNER CRANE", "2022-03-04"))):
            exams.append({"exam_id": f"E{i}-{k}", "patient_id": pid, "patient_name": f"NOM{i}^JEAN",
                          "birth_date": "19600101", "sex": "M", "study_datetime": f"{day} 10:00",
                          "modality": "CT", "study_description": label, "accession_number": f"A{i}-{k}"})
            reports.append({"report_id": f"R{i}-{k}", "patient_id": pid, "report_datetime": f"{day} 15:00",
                            "title": title_of(label, k), "text": "Compte rendu.", "accession_number": f"A{i}-{k}"})
    for k, side in enumerate("GD"):
        exams.append({"exam_id": f"W{side}", "patient_id": "100000", "patient_name": "NOM0^JEAN",
                      "birth_date": "19600101", "sex": "M", "study_datetime": f"2022-05-02 10:{40 * k:02d}",
                      "modality": "DX", "study_description": f"POIGNET {side}", "accession_number": f"B{k}"})
    reports.append({"report_id": "RW", "patient_id": "100000", "report_datetime": "2022-05-02 11:00",
                    "title": title_of("POIGNET G", 0), "text": "Radiographie du poignet.", "accession_number": None})
    return pd.DataFrame(patients), pd.DataFrame(exams), pd.DataFrame(reports)


def test_a_ris_label_in_the_report_breaks_a_same_day_tie_when_this_warehouse_writes_labels():
    fitted: dict = {}
    patients, exams, reports = _ris_warehouse(lambda label, k: label)
    links = link(patients, exams, reports=reports, settings=LinkageSettings(refit_em=False), fitted=fitted)
    row = links[(links["target_type"] == "exam") & (links["source_id"] == "RW")].iloc[0]
    assert fitted["delay_model"]["label_weight"] > 3.0
    assert row["status"] == "linked" and row["target_id"] == "WG"
    # titles in free wording that name a rival's label as often as their own: the tie stays a tie
    fitted = {}
    patients, exams, reports = _ris_warehouse(lambda label, k: "SCANNER THORAX" if k else label.split()[0])
    reports.loc[reports["report_id"] == "RW", "title"] = "POIGNET G"
    links = link(patients, exams, reports=reports, settings=LinkageSettings(refit_em=False), fitted=fitted)
    row = links[(links["target_type"] == "exam") & (links["source_id"] == "RW")].iloc[0]
    assert fitted["delay_model"]["label_weight"] == 0.0
    assert row["status"] == "ambiguous"


def test_a_head_naming_another_patient_than_the_ipp_is_re_attached_as_an_exam_would_be():
    # the RIS typed Paul Godard's IPP on Véronique's report; her head says who she is
    reports = pd.DataFrame({
        "report_id": ["R1"], "patient_id": ["00055555"], "report_datetime": ["2022-03-01 11:00"],
        "title": ["SCANNER CEREBRAL"], "text": ["Mme GODARD Veronique, née le 22/01/1958\nSCANNER du 01/03/2022"],
        "accession_number": [None]})
    exams = _exams()
    exams.loc[exams["exam_id"] == "E3", "study_datetime"] = "2022-02-01 10:00"
    links = link(PATIENTS, exams, reports=reports, settings=LinkageSettings(refit_em=False))
    row = links[links["target_type"] == "exam"].iloc[0]
    assert row["status"] == "linked" and row["target_id"] == "E1"
