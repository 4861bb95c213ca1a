"""radlink.nlp.report_tables and the page furniture of PDF exports: report tables read
by the meaning of their columns, whatever they are written with."""

from __future__ import annotations

import pandas as pd
import pytest

from radlink.nlp.cleaning import clean_text
from radlink.nlp.cleaning.cleaning import page_furniture
from radlink.nlp.report_tables import aligned_tables, column_meanings, is_reference_row


@pytest.mark.parametrize(
    "header, meanings",
    [
        (["N°", "Localisation", "Taille (mm)", "SUVmax", "SUVmax antérieur"],
         ["site", "site", "size", "suvmax", "previous_suvmax"]),
        (["Région", "SULpeak", "SUVmean", "SUV max"], ["site", "other_measure", "other_measure", "suvmax"]),
        (["Lésion", "SUVmax bilan initial", "SUVmax actuel"], ["site", "previous_suvmax", "suvmax"]),
        (["Commentaire"], [None]),
    ],
)
def test_column_meanings(header, meanings):
    assert column_meanings(header) == meanings


@pytest.mark.parametrize(
    "label, region",
    [
        ("Foie de référence", "liver_reference"),
        ("Parenchyme hépatique", "liver_reference"),
        ("Aorte thoracique (pool sanguin)", "mediastinal_blood_pool"),
        ("Bruit de fond médiastinal", "mediastinal_blood_pool"),
        ("Métastase hépatique du segment IV", None),
        ("Ganglion médiastinal 4R", None),
        ("Nodule pulmonaire", None),
    ],
)
def test_reference_rows(label, region):
    assert is_reference_row(label) == region


def test_aligned_tables_keep_offsets_and_leave_prose():
    text = (
        "Mesures :\n"
        "Lésion                 Taille    SUVmax    SUVmax antérieur\n"
        "Adénopathie 4R         12 mm     5,2       8,1\n"
        "Foie (référence)       -         2,4       2,3\n"
        "Pas d'autre foyer.  Le reste est normal.\n"
    )
    out = aligned_tables(text)
    assert len(out) == len(text)
    lines = out.split("\n")
    assert [line.count("|") for line in lines] == [0, 3, 3, 3, 0, 0]
    # prose with two spaces, or a header that names no value column, is no table
    prose = "Foie  normal.  Rate  normale.\nSein  droit  et gauche\n"
    assert aligned_tables(prose) == prose


PDF_REPORT = (
    "CENTRE HOSPITALIER DE NULLEPART - MÉDECINE NUCLÉAIRE\n"
    "Patient : [NOM] - né le [DATE]\n"
    "TEP-TDM au 18F-FDG\n"
    "Résultats :\n"
    "Lésion                 Taille    SUVmax    SUVmax antérieur\n"
    "Adénopathie 4R         12 mm     5,2       8,1\n"
    "\n"
    "CENTRE HOSPITALIER DE NULLEPART - MÉDECINE NUCLÉAIRE - Page 1/2\n"
    "\n"
    "CENTRE HOSPITALIER DE NULLEPART - MÉDECINE NUCLÉAIRE\n"
    "Patient : [NOM] - né le [DATE]\n"
    "Nodule LSD             9 mm      3,1       4,0\n"
    "Foie (référence)       -         2,4       -\n"
    "Pool sanguin           -         1,7       -\n"
    "\n"
    "Conclusion : adénopathie 4R et nodule LSD en réponse partielle.\n"
    "Page 2/2\n"
)


def test_page_furniture_joins_a_table_cut_by_a_page_break():
    spans = page_furniture(PDF_REPORT)
    removed = "".join(PDF_REPORT[s:e] for s, e in spans)
    assert "Page 1/2" in removed and "Page 2/2" in removed
    assert "Adénopathie" not in removed and "Nodule LSD" not in removed
    cleaned = clean_text(PDF_REPORT)
    assert "Page" not in cleaned.text
    assert "8,1\nNodule LSD" in cleaned.text  # the table's rows follow each other again
    assert cleaned.text.count("|") == 5 * 3  # header and four rows, read as one pipe table
    # offsets map back to the original text
    i = cleaned.text.index("Nodule LSD")
    s, e = cleaned.to_original(i, i + len("Nodule LSD"))
    assert PDF_REPORT[s:e] == "Nodule LSD"
    # a report without a page number is left as written
    assert page_furniture("Résultats : RAS.\nPage blanche de garde.\n") == []


def test_pdf_report_table_values_and_references(extractor):
    out = extractor.extract(pd.DataFrame({"report_id": ["P1"], "text": [PDF_REPORT]}))
    f = out.findings
    refs = sorted(zip(f.loc[f.kind == "reference", "site"], f.loc[f.kind == "reference", "suvmax"], strict=True))
    assert refs == [("liver_reference", 2.4), ("mediastinal_blood_pool", 1.7)]
    lesions = f[(f.kind == "lesion") & f.suvmax.notna()]
    assert sorted(zip(lesions.suvmax, lesions.previous_suvmax, strict=True)) == [(3.1, 4.0), (5.2, 8.1)]
    assert out.facts.loc[0, "max_suvmax"] == 5.2
