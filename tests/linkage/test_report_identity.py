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
    # a pseudonymised head names nobody: the report stays without patient, hence unlinked
    assert re_.loc["R3", "status"] == "unlinked"


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
