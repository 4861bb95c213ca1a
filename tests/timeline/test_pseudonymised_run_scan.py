"""Issue 13, done-when: a pseudonymised run on generated data, with identifiers planted in
report texts, titles and DICOM descriptions in every form of section 1, leaves none of
them in any output file (every parquet column, the manifest) or in the command's output.

The data come from ``radlink synth``; the identifiers are planted per patient: the
patient's own names (PACS ``FAMILY^GIVEN``, ``FAMILY Given``, ``Given Family``, without
accents, lower case, after ``Mme``, without ``^``), the usage name hyphenated with the
family name, another person after a title, the IPP (also in groups), the accession
number, a NIR, phone numbers, an e-mail, a URL, a postal address, and dates in every
form (numeric with / . -, ISO, DICOM, "17 novembre 2009", "novembre 2009", "le 17/11").
"""

from __future__ import annotations

import json
import re
import unicodedata

import pandas as pd
import pytest
from click.testing import CliRunner

from radlink.cli import main

DATES = ["17/11/2009", "17.11.2009", "17-11-2009", "2009-11-17", "20091117", "17 novembre 2009",
         "novembre 2009", "le 17/11"]
OTHERS = ["Kerhervé", "Glycines", "1 84 12 75 056 089 42", "02 98 76 54 32", "06.12.34.56.78",
          "irm.brest", "pacs-imagerie-rennes", *DATES]


def _plain(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _planted_sentence(family: str, given: str, usage: str | None, ipp: str, accession: str) -> str:
    grouped = " ".join(ipp[i:i + 3] for i in range(0, len(ipp), 3))
    hyphenated = f"{family}-{usage}" if usage else family
    return (f"Patient : {family.upper()} {given}, IPP {ipp} ({grouped}), dossier {family.upper()}^{given.upper()} "
            f"/ {_plain(family).upper()} {_plain(given).upper()} / {given} {family} / {family.lower()} {given.lower()}"
            f" / Mme {hyphenated}. Examen n° {accession}, NIR 1 84 12 75 056 089 42. "
            f"Adressé par le Dr Kerhervé (tél. 02 98 76 54 32, portable 06.12.34.56.78, irm.brest@chu-exemple.fr, "
            f"https://pacs-imagerie-rennes.fr/study/42), domicile 12 rue des Glycines, 29200 Brest. "
            f"Antériorités du 17/11/2009, 17.11.2009, 17-11-2009, 2009-11-17, 20091117, du 17 novembre 2009, "
            f"de novembre 2009, revu le 17/11. ")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("planted")
    data = base / "data"
    runner = CliRunner()
    assert runner.invoke(main, ["synth", "--patients", "40", "--seed", "5", "-o", str(data)]).exit_code == 0
    patients = pd.read_parquet(data / "patients.parquet").set_index("patient_id")
    exams = pd.read_parquet(data / "exams.parquet")
    reports = pd.read_parquet(data / "reports.parquet")
    before = " ".join(reports["text"].fillna("")) + " ".join(reports["title"].fillna("")) \
        + " ".join(exams["study_description"].fillna(""))
    accession = exams.dropna(subset=["patient_id"]).drop_duplicates("patient_id").set_index("patient_id")[
        "accession_number"]
    secrets = set(OTHERS)
    texts, titles = [], []
    for row in reports.itertuples():
        text, title = row.text or "", row.title
        if row.patient_id in patients.index:
            who = patients.loc[row.patient_id]
            usage = who["usage_name"] if isinstance(who["usage_name"], str) else None
            acc = accession.get(row.patient_id, "A00000000")
            sentence = _planted_sentence(who["family_name"], who["given_name"], usage, row.patient_id, acc)
            text = text.replace("Indication de l'examen :\n", f"Indication de l'examen :\n{sentence}", 1)
            text = f"{sentence}\n{text}\nConclusion : Mme {who['given_name']} {who['family_name'].upper()}, "\
                   f"le 17/11. Lésion stable."
            title = f"{title} - {who['family_name'].upper()} {who['given_name']} {row.patient_id} 20091117"
            secrets |= {who["family_name"], _plain(who["family_name"]), who["given_name"], row.patient_id, acc}
            if usage:
                secrets.add(usage)
        texts.append(text)
        titles.append(title)
    reports.assign(text=texts, title=titles).to_parquet(data / "reports.parquet")
    names = exams["patient_name"].fillna("")
    exams = exams.assign(
        study_description=exams["study_description"].fillna("") + " " + names + " 17/11/2009 Dr Kerhervé",
        institution=exams["institution"].fillna("") + " - " + names.str.replace("^", " ", regex=False)
        + " tél 02 98 76 54 32")
    exams.to_parquet(data / "exams.parquet")
    # a secret already written in the generated text (a name that is also a word) cannot be told apart
    secrets = {s for s in secrets if len(s) >= 4 and s.casefold() not in before.casefold()}
    (base / "key").write_text("a-test-key-for-the-planted-identifiers")
    out = base / "out"
    result = runner.invoke(main, ["timeline", str(data), "-o", str(out), "--pseudonymise",
                                  "--key-file", str(base / "key"), "--no-progress", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return out, result.output, sorted(secrets)


def _squash(s: str) -> str:
    return re.sub(r"[\s.\-]", "", s).casefold()


def _hits(where: str, value: str, secrets: list[str]) -> list[tuple[str, str]]:
    return [(where, s) for s in secrets
            if s.casefold() in value.casefold() or (any(c.isdigit() for c in s) and _squash(s) in _squash(value))]


def test_the_scan_can_fail():
    assert _hits("x", "vu le 02.98.76.54.32", ["02 98 76 54 32"]) == [("x", "02 98 76 54 32")]


def test_no_planted_identifier_in_any_file_column_or_log(run):
    out, log, secrets = run
    assert len(secrets) > 60
    found = _hits("log", log, secrets)
    files = sorted(p for p in out.iterdir())
    assert {p.name for p in files} >= {"timeline.parquet", "report_facts.parquet", "findings.parquet",
                                       "unattached_exams.parquet", "manifest.json", "skipped_reports.parquet"}
    for path in files:
        if path.suffix == ".parquet":
            df = pd.read_parquet(path)
            found += _hits(f"{path.name}:columns", " ".join(map(str, df.columns)), secrets)
            for col in df.columns:
                for value in df[col].dropna().astype(str).unique():
                    found += _hits(f"{path.name}:{col}", value, secrets)
        else:
            found += _hits(path.name, path.read_text(encoding="utf-8"), secrets)
    assert found == []


def test_clinical_content_and_counts_are_kept(run):
    out, _, _ = run
    facts = pd.read_parquet(out / "report_facts.parquet")
    assert facts["conclusion"].dropna().str.contains("Lésion stable", regex=False).any()
    assert facts["indication"].dropna().str.contains("[NOM]", regex=False).any()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["pseudonymised"] is True
    for kind in ("name", "id", "nir", "phone", "email", "url", "address", "date"):
        assert manifest["text_replacements"].get(kind, 0) > 0, kind
