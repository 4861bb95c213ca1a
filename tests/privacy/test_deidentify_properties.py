"""Properties of the de-identifier: planted people, addresses and ids never survive, in
any of their written forms (HTML-encoded included); clinical vocabulary is kept."""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radlink.privacy.deidentify import Deidentifier, PatientIdentity, deidentify

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# names not in radlink's lexicons on purpose (Breton, Basque, Corsican, Occitan, Alsatian)
FAMILY = ["Kerjean", "Etcheverry", "Santoni", "Castagnède", "Oberlé", "Goasdoué", "Iribarne",
          "Pieri", "Larrouy", "Schaeffer", "Le Berre", "Quiniou", "Bordenave"]
GIVEN = ["Gwenola", "Peio", "Ghjulia", "Maïder", "Fañch", "Iñaki", "Aurélien", "Bénédicte", "Ludivine"]
TITLES = ["Dr ", "Dr. ", "Docteur ", "le docteur ", "Pr ", "Pr. ", "Professeur ", "Mme ", "Madame ", "M. ",
          "Monsieur ", "Mlle "]
CONTEXTS = ["Validé par ", "Signé : ", "Copie à : ", "Interne : ", "Médecin traitant : ", "Prescripteur : ",
            "sa fille, ", "son époux ", "en présence de "]
CLINICAL = [
    "Lymphome de Hodgkin, Deauville 4, Lugano 2014.", "Cul-de-sac de Douglas libre, espace de Morison libre.",
    "Score de Gleason 7 (3+4), PI-RADS 4.", "Kyste Bosniak IIF, segment VII de Couinaud.",
    "Nodule de 6 mm, suivi selon Fleischner 2017.", "Injection de 243,1 MBq de 18F-FDG, SUVmax 7,7.",
    "Tassement de L3, ganglions 4R et 7, stade cT2aN1M0.", "Masse tissulaire de 32 mm ; petit épanchement.",
    "Patient adressé par le Centre Léon Bérard.", "Contrôle à l'Hôpital Européen Georges-Pompidou.",
    "Joindre le secrétariat, poste 4521.", "Densité de 45 UH (Hounsfield), Breslow 2 mm.",
]
STREET_TYPES = ["rue", "avenue", "av.", "boulevard", "bd", "allée", "impasse", "chemin", "place", "quai",
                "route", "square", "faubourg", "lotissement"]
STREETS = ["des Glycines", "Jean Moulin", "du Docteur Roux", "de la Paix", "Pierre et Marie Curie",
           "de l'Abbaye", "Clemenceau", "du 19 Mars 1962", "Saint-Éloi", "des Trois Frères Bernard"]
CITIES = ["29200 Brest", "64100 Bayonne", "20000 Ajaccio", "67000 STRASBOURG", "72000 Le Mans",
          "06000 Nice", "59650 Villeneuve-d'Ascq", "69437 Lyon Cedex 03", "85000 La Roche-sur-Yon"]


def _person(data) -> str:
    family, given_ = data.draw(st.sampled_from(FAMILY)), data.draw(st.sampled_from(GIVEN))
    return data.draw(st.sampled_from([
        family, family.upper(), f"{given_} {family}", f"{given_} {family.upper()}", f"{family.upper()} {given_}",
        f"{given_[0]}. {family}", f"{family.upper()} {given_[0]}.", f"{given_[0]}.-{given_[-1].upper()}. {family}",
    ]))


def _letters(value: str) -> list[str]:
    return [p for p in re.split(r"[\s\-^'’.,]+", value) if len(p) >= 3]


def _maybe_html(data, text: str) -> str:
    if data.draw(st.booleans()):
        return text
    return html.escape(text, quote=False).replace("é", "&eacute;").replace("è", "&egrave;") \
        .replace("ï", "&iuml;").replace("ñ", "&ntilde;").replace("\n", "<br>\n")


@SETTINGS
@given(data=st.data(), before=st.sampled_from(CLINICAL), after=st.sampled_from(CLINICAL))
def test_other_people_after_a_title_or_context_never_survive(data, before, after):
    person = _person(data)
    cue = data.draw(st.sampled_from(TITLES + CONTEXTS))
    if cue in CONTEXTS and " " not in person and "." not in person:
        person = f"{data.draw(st.sampled_from(GIVEN))} {person.upper()}"  # a bare word after "Validé par" is not a name
    planted = _maybe_html(data, person)
    out = deidentify(f"{before}\n{cue}{planted}\n{after}")
    left = [p for p in _letters(person) if p.lower() in html.unescape(out).lower()]
    assert left == [], out
    assert out.startswith(before) and out.endswith(after)


@SETTINGS
@given(data=st.data(), before=st.sampled_from(CLINICAL), after=st.sampled_from(CLINICAL),
       number=st.integers(1, 300), suffix=st.sampled_from(["", " bis", "ter", "B"]),
       street_type=st.sampled_from(STREET_TYPES), street=st.sampled_from(STREETS), city=st.sampled_from(CITIES),
       shape=st.sampled_from(["one line", "two lines", "complement", "box"]))
def test_planted_addresses_never_survive(data, before, after, number, suffix, street_type, street, city, shape):
    line = f"{number}{suffix}, {street_type} {street}"
    address = {"one line": f"{line}, {city}", "two lines": f"{line}\n{city}",
               "complement": f"Résidence Les Mimosas, bât. C, {line}, {city}", "box": f"BP 412, {city}"}[shape]
    out = deidentify(f"{before}\nDomicile : {_maybe_html(data, address)}\n{after}")
    shown = html.unescape(out)
    left = [p for p in _letters(address) if p.lower() in shown.lower() and p.lower() not in before.lower() + after.lower()]
    assert left == [], out
    assert out.startswith(before) and out.endswith(after)


@SETTINGS
@given(data=st.data(), digits=st.integers(10**6, 10**10 - 1), before=st.sampled_from(CLINICAL),
       label=st.sampled_from(["IPP", "IPP :", "N° patient :", "NIP", "n° patient", "Identifiant patient",
                              "IPP du patient :", "N° IPP :", "(IPP", "Réf. patient", "Dossier n°"]))
def test_labelled_ids_never_survive_whatever_their_grouping(data, digits, before, label):
    value = str(digits)
    written = data.draw(st.sampled_from([value, " ".join(value[i:i + 3] for i in range(0, len(value), 3)),
                                         ".".join(value[i:i + 3] for i in range(0, len(value), 3))]))
    out = deidentify(f"{before} {label} {written}{')' if label.startswith('(') else ''}. Suite.", shift_days=30)
    assert value not in re.sub(r"[\s.]", "", out)
    assert out.startswith(before)


@SETTINGS
@given(sentences=st.lists(st.sampled_from(CLINICAL), min_size=1, max_size=6), shift=st.integers(30, 365))
def test_clinical_vocabulary_is_kept(sentences, shift):
    text = " ".join(sentences)
    me = PatientIdentity(names=["Kerjean", "Gwenola"], ids=["800123456"])
    assert Deidentifier().deidentify(text, patient=me, shift_days=shift) == text
