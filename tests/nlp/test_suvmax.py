"""radlink.nlp.suvmax: every surface form of the issue, with its role.

Examples are written with inline markup (edsnlp's ``parse_example``): each
``<ent role=... previous=...>`` is a value the pipe must find.
"""

from __future__ import annotations

import edsnlp
import pytest
from edsnlp.utils.examples import parse_example

from radlink.nlp.suvmax import find_suv_values

EXAMPLES = [
    "Masse (SUVmax <ent role=lesion>7,7</ent>).",
    "ganglion modérément fixant (SUVmax<ent role=lesion>7,7</ent>) mesuré à environ 11 mm.",
    "Foyer hypermétabolique (SUV max = <ent role=lesion>12.3</ent>).",
    "Ganglion faiblement fixant (SUVmax à <ent role=lesion>4</ent>).",
    "hypermétabolisme focal (SUVmax mesuré à <ent role=lesion>5,2</ent>).",
    "Ganglion (SUVmax : <ent role=lesion previous=3.1>5,2</ent> vs <ent role=previous>3,1</ent> précédemment).",
    "Masse avec un SUVmax passant de <ent role=previous>8,4</ent> à <ent role=lesion previous=8.4>3,2</ent>.",
    "son SUVmax passe de <ent role=previous>13,5</ent> à <ent role=lesion previous=13.5>2,9</ent>.",
    "Adénopathies de SUVmax respectivement <ent role=lesion>4,1</ent> et <ent role=lesion>6,3</ent>.",
    "SUVmax hépatique de référence <ent role=reference region=liver_reference>2,3</ent>.",
    "Bruit de fond médiastinal (SUVmax <ent role=reference region=mediastinal_blood_pool>1,8</ent>).",
    "Foie : SUVmax de référence <ent role=reference region=liver_reference>2,5</ent>.",
    "Lésion osseuse, SUVmax <ent role=lesion previous=8.0>3,3</ent> (contre <ent role=previous>8,0</ent>).",
    "Lésion : SUVmax <ent role=lesion previous=19.5>6,4</ent> (précédemment <ent role=previous>19,5</ent>).",
    "(SUVmax <ent role=lesion>4,2</ent> ; foie <ent role=reference region=liver_reference>2,3</ent>)",
    "Valeurs de référence : référence médiastinale à <ent role=reference region=mediastinal_blood_pool>2,1</ent>.",
    "SUVmax du pool sanguin médiastinal : <ent role=reference region=mediastinal_blood_pool>1,7</ent>.",
    "Lésion hépatique (SUVmax <ent role=lesion>6</ent>) de 14 mm.",
    "SUVpeak 5,1 et SUVmean 3,0 ne sont pas des SUVmax.",
    # the liver "pour un foie à X" is the reference the lesion is read against
    "Nodule (SUVmax <ent role=lesion>4,7</ent> pour un foie à <ent role=reference region=liver_reference>2,2</ent>).",
    "Ganglion, SUVmax <ent role=lesion>2,8</ent> (pour un foie à <ent role=reference region=liver_reference>1,9</ent>).",
    # a lesion compared to the reference region, with its previous value: its own values
    "Masse dont la fixation est supérieure au pool sanguin médiastinal (SUVmax "
    "<ent role=lesion previous=9.4>3,1</ent> contre <ent role=previous>9,4</ent> précédemment).",
    # issue 12: reference lists, lesions compared to a reference, previous values
    "Valeurs de référence SUVmax : hépatique <ent role=reference region=liver_reference>2,1</ent> ; "
    "pool sanguin <ent role=reference region=mediastinal_blood_pool>1,6</ent>.",
    "Nodule au-dessus du bruit de fond hépatique (SUVmax <ent role=lesion>2,2</ent>).",
    "Foyer en dessous du pool sanguin médiastinal (SUVmax <ent role=lesion>1,5</ent>).",
    "Adénopathie, SUVmax à <ent role=lesion previous=10.4>6,1</ent> contre <ent role=previous>10,4</ent> auparavant.",
    "Adénopathie de SUVmax <ent role=lesion previous=7.0>4,4</ent> vs <ent role=previous>7,0</ent>.",
    "Masse surrénalienne, SUVmax <ent role=lesion previous=15.2>3,0</ent> ; elle fixait davantage lors du "
    "bilan initial (SUVmax <ent role=previous>15,2</ent>).",
    "Nodule (SUVmax <ent role=lesion>3,0</ent>).",
    # a pipe table: the SUVmax column, and the previous one named by its header
    "Lésion | Site | Taille | SUVmax | SUVmax antérieur\n"
    "N2 | Nodule pulmonaire lobaire supérieur droit | 11 mm | <ent role=lesion previous=6.0>3,8</ent> | "
    "<ent role=previous>6,0</ent>\n"
    "N3 | Adénopathie hilaire gauche | 9 mm | <ent role=lesion>2,5</ent> | -",
    # issue 12, seventh round: a bare bracketed value beside a lesion value is the previous one
    "Ganglion de 9 mm, SUVmax <ent role=lesion previous=4.6>3,2</ent> (<ent role=previous>4,6</ent>), stable.",
    # "au bilan initial" after a value makes it the previous one
    "Reliquat (SUVmax <ent role=lesion previous=9.1>2,0</ent> ; <ent role=previous>9,1</ent> au bilan initial).",
    # a value announced by "précédemment" with a size before it
    "Nodule de 5 mm, non fixant, précédemment 9 mm et SUVmax <ent role=previous>4,8</ent>.",
    # "SUVmax initial": the previous exam's value
    "Masse résiduelle, SUVmax <ent role=lesion>2,9</ent> ; SUVmax initial <ent role=previous>12,4</ent>.",
    # the organ a lesion is compared to, with the lesion's own value before: its reference value
    "Adénopathie de 12 mm, SUVmax <ent role=lesion>4,2</ent>, supérieure au foie (SUVmax "
    "<ent role=reference region=liver_reference>2,5</ent>).",
    "Nodule, SUVmax <ent role=lesion previous=8.8>3,0</ent> (SUVmax <ent role=previous>8,8</ent> initialement), "
    "inférieur au médiastin (SUVmax <ent role=reference region=mediastinal_blood_pool>1,9</ent>).",
]


@pytest.fixture(scope="module")
def suvmax():
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("radlink.suvmax")
    return nlp


@pytest.mark.parametrize("example", EXAMPLES)
def test_suvmax_forms_and_roles(suvmax, example):
    text, entities = parse_example(example)
    doc = suvmax(text)
    found = [(s.start_char, s.end_char, s._.suv_role) for s in doc.spans["suvmax"]]
    expected = [(e.start_char, e.end_char, e.modifiers_dict["role"]) for e in entities]
    assert found == expected
    for span, e in zip(doc.spans["suvmax"], entities, strict=False):
        mods = e.modifiers_dict
        assert span._.suvmax == pytest.approx(float(text[e.start_char:e.end_char].replace(",", ".")))
        assert span._.previous_suvmax == mods.get("previous")
        if "region" in mods:
            assert span._.reference_region == mods["region"]


def test_values_followed_by_a_unit_are_not_suvmax(suvmax):
    doc = suvmax("ganglions de SUVmax respectivement 5,1 et 4,4, mesurés à 12 et 10 mm.")
    assert [s._.suvmax for s in doc.spans["suvmax"]] == [5.1, 4.4]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the previous exam named before the previous value
        ("Nodule (SUVmax 6,4 ; examen précédent : 11,0).", [(6.4, "lesion", 11.0), (11.0, "previous", None)]),
        ("Adénopathie, SUVmax 3,9 (TEP initiale 9,5).", [(3.9, "lesion", 9.5), (9.5, "previous", None)]),
        # the mention in parentheses before its value
        ("Foyer avec une fixation maximale (SUVmax) de 8,2.", [(8.2, "lesion", None)]),
        ("Foyer (SUVmax) de 12 mm.", []),
    ],
)
def test_suvmax_previous_exam_and_parenthesised_mention(text, expected):
    assert [(v.value, v.role, v.previous) for v in find_suv_values(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a list of reference regions after "Références :" or "Réf. :"
        ("Références : hépatique 2,5 ; pool sanguin 1,8.",
         [(2.5, "liver_reference"), (1.8, "mediastinal_blood_pool")]),
        ("Réf. : foie 2,1.", [(2.1, "liver_reference")]),
        # the pool's own value, whatever region was named before it
        ("Références : foie 2,4 ; médiastin (pool sanguin) 1,7.",
         [(2.4, "liver_reference"), (1.7, "mediastinal_blood_pool")]),
    ],
)
def test_reference_lists(text, expected):
    assert [(v.value, v.region) for v in find_suv_values(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a clause about a reference region, up to its mention
        ("Aorte thoracique descendante : SUVmax 1,9.", [(1.9, "reference", "mediastinal_blood_pool")]),
        ("Contenu vasculaire médiastinal : SUVmax 1,6.", [(1.6, "reference", "mediastinal_blood_pool")]),
        # but a lesion named in it, before or after the value, keeps the value a lesion's
        ("Médiastin : adénopathie sous-carinaire, SUVmax 6,3.", [(6.3, "lesion", None)]),
        ("Aorte : SUVmax 4,4 sur un foyer pariétal.", [(4.4, "lesion", None)]),
        # the region between the mention and its value
        ("Score de Deauville 4 (SUVmax foie 2,2 ; SUVmax médiastin 1,4).",
         [(2.2, "reference", "liver_reference"), (1.4, "reference", "mediastinal_blood_pool")]),
        ("SUVmax lésion 7,2 / foie 2,5 / médiastin 1,7",
         [(7.2, "lesion", None), (2.5, "reference", "liver_reference"), (1.7, "reference", "mediastinal_blood_pool")]),
        # a ratio is no value of the region
        ("Rapport tumeur/foie 3,1.", []),
        # SUVmean said before SUVmax in a reference sentence: SUVmax only, a reference
        ("Parenchyme hépatique de référence : SUVmean 1,7 ; SUVmax 2,6.", [(2.6, "reference", "liver_reference")]),
        # a run of references, the second without a mention
        ("Pool vasculaire : SUVmax 1,7. Foie : 2,3.",
         [(1.7, "reference", "mediastinal_blood_pool"), (2.3, "reference", "liver_reference")]),
        ("Lésion (SUVmax 5,0 ; foie normal : 2,1 ; pool 1,6).",
         [(5.0, "lesion", None), (2.1, "reference", "liver_reference"), (1.6, "reference", "mediastinal_blood_pool")]),
        # another measure of the region is no SUVmax
        ("SUVmax hépatique (référence PERCIST) : 2,7 ; SULpeak hépatique : 2,0.", [(2.7, "reference", "liver_reference")]),
        # a value before its mention, a region adjective listed after the first value
        ("Activité hépatique de référence mesurée à 2,4 (SUVmax).", [(2.4, "reference", "liver_reference")]),
        ("Fixation de référence hépatique : SUVmax à 2,2, médiastinale à 1,5.",
         [(2.2, "reference", "liver_reference"), (1.5, "reference", "mediastinal_blood_pool")]),
        ("Zones de référence : foie (SUVmax 2,4), aorte thoracique (SUVmax 1,7).",
         [(2.4, "reference", "liver_reference"), (1.7, "reference", "mediastinal_blood_pool")]),
        # a pipe table under a heading of references, its value column named otherwise
        ("Valeurs de référence (SUVmax) :\n| Région | Valeur |\n|---|---|\n| Foie | 2,3 |\n| Pool sanguin | 1,6 |\n",
         [(2.3, "reference", "liver_reference"), (1.6, "reference", "mediastinal_blood_pool")]),
        # two lists, this exam's then the previous one's, in the same order
        ("Foyers de L2 et L4, SUVmax respectivement 3,1 et 4,2 (contre 7,5 et 11,0).",
         [(3.1, "lesion", None), (4.2, "lesion", None), (7.5, "previous", None), (11.0, "previous", None)]),
        ("Adénopathie, SUV maxi de 9,4.", [(9.4, "lesion", None)]),
        # a list under a heading of its own
        ("Valeurs de référence :\n- Foie : 2,2\n- Pool sanguin (aorte) : 1,5\nRésultats : pas de foyer.",
         [(2.2, "reference", "liver_reference"), (1.5, "reference", "mediastinal_blood_pool")]),
        # a compared-to region before values with a previous one: the lesion's comparison
        ("Masse de 30 mm dont la fixation se situe entre le médiastin et le foie (SUVmax 2,0 contre 9,1).",
         [(2.0, "lesion", None), (9.1, "previous", None)]),
    ],
)
def test_reference_values_in_sentences(text, expected):
    assert [(v.value, v.role, v.region) for v in find_suv_values(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # columns mapped by the header, a SUVmean column read by no one
        ("Lésion | Taille | SUVmean | SUVmax | SUVmax antérieur\n"
         "Adénopathie 7 | 14 mm | 3,0 | 5,6 | 9,9\n",
         [(5.6, "lesion", 9.9, None), (9.9, "previous", None, None)]),
        # reference rows of a lesion table: no lesion word, no size
        ("| Site | Taille | SUVmax |\n|---|---|---|\n| Nodule LSD | 11 mm | 4,1 |\n"
         "| Foie (référence) | - | 2,3 |\n| Pool sanguin médiastinal | | 1,6 |\n",
         [(4.1, "lesion", None, None), (2.3, "reference", None, "liver_reference"),
          (1.6, "reference", None, "mediastinal_blood_pool")]),
        # a table of references alone, two columns
        ("Organe de référence | SUVmax\nFoie | 2,7\nAorte | 1,9\n",
         [(2.7, "reference", None, "liver_reference"), (1.9, "reference", None, "mediastinal_blood_pool")]),
        # a liver lesion row stays a lesion
        ("Localisation | Taille | SUVmax\nFoie, segment VI | 18 mm | 8,4\n", [(8.4, "lesion", None, None)]),
        # regions as columns, SUVmax as a row
        ("| | Foie | Pool sanguin |\n|---|---|---|\n| SUVmax | 2,6 | 1,8 |\n",
         [(2.6, "reference", None, "liver_reference"), (1.8, "reference", None, "mediastinal_blood_pool")]),
        # two dated SUVmax columns: the last is this exam's
        ("Cible | SUVmax [DATE] | SUVmax [DATE]\nT1 | 12,0 | 4,5\n", [(4.5, "lesion", 12.0, None), (12.0, "previous", None, None)]),
    ],
)
def test_table_columns_by_meaning(text, expected):
    found = sorted(find_suv_values(text), key=lambda v: (v.role != "lesion", v.start))
    got = [(v.value, v.role, v.previous, v.region) for v in find_suv_values(text)]
    assert sorted(got, key=str) == sorted(expected, key=str)
    assert found  # every table above holds a value


def test_two_lists_pair_in_order():
    values = find_suv_values("Foyers de L2 et L4, SUVmax respectivement 3,1 et 4,2 (contre 7,5 et 11,0).")
    assert [(v.value, v.previous) for v in values if v.role == "lesion"] == [(3.1, 7.5), (4.2, 11.0)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # an uptake noun before the region names the region's own uptake
        ("Captation hépatique : SUVmax 3,1.", [(3.1, "reference", "liver_reference")]),
        ("VOI aortique : SUVmax 1,4.", [(1.4, "reference", "mediastinal_blood_pool")]),
        ("Sang circulant SUVmax 1,3.", [(1.3, "reference", "mediastinal_blood_pool")]),
        # ... unless the clause reads it as a focal or diseased uptake
        ("Captation hépatique focale du dôme, SUVmax 5,7.", [(5.7, "lesion", None)]),
        ("Fixation aortique circonférentielle, SUVmax 3,3, en faveur d'une aortite.", [(3.3, "lesion", None)]),
        # a region heading its clause, its value ending it, no mention
        ("Mesures : SUVmax 6,6 sur la masse. Foie : 2,9. Médiastin : 1,2.",
         [(6.6, "lesion", None), (2.9, "reference", "liver_reference"), (1.2, "reference", "mediastinal_blood_pool")]),
        ("Foie : 3 kystes.", []),
        # a line of references read pair by pair, whatever sits between region and value
        ("Zones de référence : foie (SUVmax) 3,3 ; aorte (SUVmax) 1,1.",
         [(3.3, "reference", "liver_reference"), (1.1, "reference", "mediastinal_blood_pool")]),
        ("Deauville 2 : fixation < médiastin (1,9) et < foie (2,8).",
         [(1.9, "reference", "mediastinal_blood_pool"), (2.8, "reference", "liver_reference")]),
        ("Référence : pool = 1,5 | foie = 2,2",
         [(1.5, "reference", "mediastinal_blood_pool"), (2.2, "reference", "liver_reference")]),
        # two regions then their two values
        ("SUVmax aorte/foie : 1,6/2,7.",
         [(1.6, "reference", "mediastinal_blood_pool"), (2.7, "reference", "liver_reference")]),
        # a lesion named on a line of references keeps its value
        ("Bruit de fond 1,7 ; nodule du foie 4,8.", [(1.7, "reference", "mediastinal_blood_pool")]),
    ],
)
def test_reference_regions_read_as_one_list(text, expected):
    assert [(v.value, v.role, v.region) for v in find_suv_values(text)] == expected
