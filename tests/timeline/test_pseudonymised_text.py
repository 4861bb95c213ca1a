"""A pseudonymised run carries no identifier written into free text.

Identifiers are planted into the sample's report texts and titles (the patient's own
names in PACS and prose forms, a doctor, the IPP, the accession number, a phone
number, an e-mail and dates in three forms); the pseudonymised outputs are then
scanned, every table and every column, for each planted string.
"""

import pandas as pd
import pytest

from radlink.dataset import load_dataset
from radlink.privacy import Pseudonymiser
from radlink.timeline.job import build_timeline

KEY = b"planted-identifiers-test-key"


@pytest.fixture(scope="module")
def planted():
    ds = load_dataset("data_samples")
    reports = ds.reports.copy()
    patients = ds.patients.set_index("patient_id")
    exams = ds.exams.dropna(subset=["patient_id"]).drop_duplicates("patient_id").set_index("patient_id")
    secrets: list[str] = []
    texts, titles = [], []
    for i, row in enumerate(reports.itertuples()):
        text, title = row.text, row.title
        if row.patient_id in patients.index and row.patient_id in exams.index:
            who = patients.loc[row.patient_id]
            family, given = who["family_name"], who["given_name"]
            accession = exams.loc[row.patient_id, "accession_number"]
            planted_text = (f"Patient : {family.upper()} {given}, IPP {row.patient_id}. "
                            f"Examen n° {accession} du 03/03/2021 (2021-03-04). "
                            f"Adressé par le Dr Lefèvre-Garnier, tél. 01 42 34 56 78, "
                            f"secretariat.imagerie@chu-exemple.fr. Nouveau contrôle le 3 mars 2022.")
            text = text.replace("Renseignements cliniques :\n",
                                f"Renseignements cliniques :\n{planted_text} ", 1)
            text = text.replace("CONCLUSION : ", f"CONCLUSION : Mme {given} {family}. ", 1)
            if i % 3 == 0:
                title = f"{title} - {family.upper()}^{given.upper()} {row.patient_id}"
            secrets += [family, family.upper(), str(row.patient_id), str(accession)]
        texts.append(text)
        titles.append(title)
    secrets += ["Lefèvre", "01 42 34 56 78", "secretariat.imagerie", "03/03/2021", "2021-03-04",
                "3 mars 2022"]
    ds.reports = reports.assign(text=texts, title=titles)
    out = build_timeline(ds, pseudonymiser=Pseudonymiser(KEY))
    return ds, out, sorted(set(s for s in secrets if len(s) >= 4))


def _cells(df: pd.DataFrame):
    for col in df.columns:
        for value in df[col].dropna().astype(str).unique():
            yield col, value


def test_no_planted_identifier_survives_anywhere(planted):
    _, out, secrets = planted
    found = []
    for name, df in out.tables().items():
        for col, value in _cells(df):
            found += [(name, col, s) for s in secrets if s.casefold() in value.casefold()]
    assert found == []


def test_clinical_content_is_kept(planted):
    _, out, _ = planted
    conclusions = " ".join(out.report_facts["conclusion"].dropna())
    assert "Lésion du fémur gauche" in conclusions and "[NOM]" in conclusions
    assert out.text_replacements["name"] > 0 and out.text_replacements["date"] > 0


def test_dates_in_text_move_with_the_patient(planted):
    _, out, _ = planted
    indications = out.report_facts["indication"].dropna()
    assert not indications.str.contains("03/03/2021", regex=False).any()
    # the planted pair "du 03/03/2021 (2021-03-04)" keeps its one-day interval
    pairs = indications.str.extract(r"du (\d\d)/(\d\d)/(\d{4}) \((\d{4})-(\d\d)-(\d\d)\)").dropna()
    assert len(pairs)
    first = pd.to_datetime(pairs[2] + "-" + pairs[1] + "-" + pairs[0])
    second = pd.to_datetime(pairs[3] + "-" + pairs[4] + "-" + pairs[5])
    assert ((second - first).dt.days == 1).all()
