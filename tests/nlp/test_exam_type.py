"""radlink.nlp.exam_type: modality (DICOM code) and tracer."""

from __future__ import annotations

import edsnlp
import pytest

from radlink.nlp.exam_type import detect_modality, detect_tracer


@pytest.mark.parametrize(
    "text, modality",
    [
        ("Tomographie par émission de positons avec scanner", "PT"),
        ("TEP-TDM au 18F-FDG", "PT"),
        ("Scanner thoraco-abdomino-pelvien", "CT"),
        ("CR d'imagerie médicale - Scanographie TAP", "CT"),
        ("IRM prostatique", "MR"),
        ("Mammographie bilatérale", "MG"),
        ("Échographie abdominale", "US"),
        ("Radiographie thoracique", "CR"),
        ("Scintigraphie osseuse", "NM"),
        ("Compte rendu", None),
    ],
)
def test_detect_modality(text, modality):
    assert detect_modality(text) == modality


@pytest.mark.parametrize(
    "text, tracer",
    [
        ("[LIBELLE INJECTION=Fluorodesoxyglucose]", "FDG"),
        ("18-FDG", "FDG"),
        ("68Ga-PSMA-11", "PSMA"),
        ("18F-PSMA-1007", "PSMA"),
        ("68Ga-DOTATOC", "DOTATOC"),
        ("18F-DOPA", "FDOPA"),
        ("18F-fluorocholine", "CHOLINE"),
        ("18F-fluoroestradiol", "FES"),
        ("99mTc-HMDP", "HMDP"),
    ],
)
def test_detect_tracer(text, tracer):
    assert detect_tracer(text) == tracer


def test_exam_type_reads_the_title_first():
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("radlink.exam_type")
    doc = nlp.make_doc("Comparaison au scanner du [DATE]. Injection de Fluorodesoxyglucose.")
    doc._.report_title = "Tomographie par émission de positons"
    doc = nlp(doc)
    assert (doc._.modality, doc._.tracer) == ("PT", "FDG")


def test_no_tracer_outside_nuclear_medicine():
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("radlink.exam_type")
    doc = nlp("Scanner thoracique.\nComparaison avec la TEP au FDG de 2021.")
    assert (doc._.modality, doc._.tracer) == ("CT", None)
