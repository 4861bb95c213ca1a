"""radlink.nlp.technique: activity, glycemia (with its unit), delay, device."""

from __future__ import annotations

import edsnlp
import pytest

from radlink.nlp.technique import normalise_glycemia


@pytest.fixture(scope="module")
def technique():
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("radlink.technique")
    return nlp


@pytest.mark.parametrize(
    "text, dose, per_kg, glycemia, unit, delay",
    [
        ("[DOSE INJECTEE (MBq) = 187,2 MBq] [GLYCEMIE (g/l) = 1,05] [DELAI INJECTION-ACQUISITION (min) = 62]",
         187.2, None, 1.05, "g/L", 62.0),
        ("Injection de 4 MBq/kg de 18F-FDG, soit 296 MBq. Glycémie capillaire à 5,8 mmol/L. "
         "Acquisition 60 minutes après l'injection.", 296.0, 4.0, 1.045, "mmol/L", 60.0),
        ("Activité injectée : 268 MBq. Glycémie : 108 mg/dL. Délai injection-acquisition : 70 minutes.",
         268.0, None, 1.08, "mg/dL", 70.0),
        ("Glycémie à jeun : 0,94 g/l. Acquisition à 65 min.", None, None, 0.94, "g/L", 65.0),
        ("Délai injection-acquisition : 1h12", None, None, None, None, 72.0),
        ("Balayage corps entier à 3 heures.", None, None, None, None, 180.0),
        ("Technique : 245 MBq de 18F-FDG ; acquisition 70 min.", 245.0, None, None, None, 70.0),
        ("Acquisition : 55 minutes, du vertex à mi-cuisses.", None, None, None, None, 55.0),
        ("Acquisition 2 min par pas.", None, None, None, None, None),
    ],
)
def test_technique_values(technique, text, dose, per_kg, glycemia, unit, delay):
    doc = technique(text)
    assert doc._.dose_mbq == dose
    assert doc._.dose_mbq_per_kg == per_kg
    assert doc._.glycemia_g_l == (pytest.approx(glycemia, abs=0.01) if glycemia else None)
    assert doc._.glycemia_unit == unit
    assert doc._.injection_delay_min == delay


def test_acquisition_minutes_are_a_delay_of_pet_reports_only(nlp):
    pet = nlp("TEP-TDM au 18F-FDG\nTechnique : 260 MBq, acquisition 65 min.\nRésultats :\nRAS.")
    ct = nlp("Scanner thoracique\nTechnique : acquisition 5 min après opacification.\nRésultats :\nRAS.")
    assert (pet._.injection_delay_min, ct._.injection_delay_min) == (65.0, None)


def test_device(technique):
    assert technique("Acquisition sur Biograph Vision 600.")._.device == "Biograph Vision 600"


def test_normalise_glycemia_guesses_a_missing_unit():
    assert normalise_glycemia(1.02, None) == (1.02, "g/L")
    assert normalise_glycemia(6.1, None) == (1.1, "mmol/L")
    assert normalise_glycemia(98, None) == (0.98, "mg/dL")
