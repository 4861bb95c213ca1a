"""The head noun of a lesion's location phrase decides its site.

An anatomical noun outside the site vocabulary (a paranasal sinus, a deep space of the
neck, a nerve, a fascia) governs the adjectives after it: they say where that structure
lies, not a site. An organ named first keeps a place adjective after it as one of its
parts; a side of a joint ("versant") names the bone. A lesion noun still takes its
adjective's site. Sentences are of our own invention (not copied from any gold set).
"""

from __future__ import annotations

import pandas as pd
import pytest


def _sites(extractor, text, title="TDM"):
    out = extractor.extract(pd.DataFrame({"report_id": ["R"], "title": [title], "text": [text]}))
    f = out.findings[out.findings.kind == "lesion"]
    return sorted((row.site, None if pd.isna(row.laterality) else row.laterality)
                  for row in f.itertuples(index=False))


@pytest.mark.parametrize(
    "text",
    [
        "Résultats :\nOpacification partielle du sinus frontal droit, sans niveau liquide.",
        "Résultats :\nAbcès de 25 mm de l'espace masticateur et sous-mandibulaire gauche.",
        "Résultats :\nSchwannome de 14 mm du nerf tibial postérieur droit.",
        "Résultats :\nCollection de 30 mm le long du fascia iliaque gauche.",
    ],
)
def test_a_structure_outside_the_vocabulary_gives_its_adjectives_no_site(extractor, text):
    assert _sites(extractor, text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # a lesion noun takes its adjective's site
        ("Résultats :\nMasse médiastinale antérieure de 52 mm.", [("ln_mediastinal", None)]),
        ("Résultats :\nAdénopathie iliaque externe gauche de 17 mm.", [("ln_iliac", "left")]),
        # the dural sinuses are vessels, named before the structure nouns
        ("Résultats :\nThrombose du sinus transverse gauche.", [("vessel", "left")]),
        # an organ then a place adjective: a part of that organ
        ("Résultats :\nÉpaississement pleural pariétal gauche de 9 mm.", [("pleura", "left")]),
        ("Résultats :\nNodule de la plèvre costale droite de 11 mm.", [("pleura", "right")]),
        # the side of a joint is the bone's, no iliac node
        ("Résultats :\nPetit foyer d'œdème du versant iliaque droit de 6 mm.", [("pelvis_bone", "right")]),
    ],
)
def test_the_head_noun_decides(extractor, text, expected):
    assert _sites(extractor, text) == expected


def test_organs_listed_without_commas_stay_separate(extractor):
    # nouns one after the other are an enumeration, not an organ and its part
    sites = _sites(extractor, "Résultats :\nFoie vésicule rate pancréas : rien à signaler.")
    assert {site for site, _ in sites} >= {"gallbladder", "pancreas"}


def test_organs_joined_by_et_after_an_organ_outside_the_vocabulary(extractor):
    # "et" joins a noun of its own after an organ outside the vocabulary
    sites = _sites(extractor, "Résultats :\nPeau, vésicules séminales et prostate sans anomalie.",
                   title="IRM pelvienne")
    assert ("prostate", None) in sites
