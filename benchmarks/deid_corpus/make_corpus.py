#!/usr/bin/env python3
"""Generate a synthetic, annotated de-identification corpus of French imaging reports.

Written blind: from a list of identifier kinds and from how French hospital
reports (RIS / PACS / warehouse exports) usually carry identifiers, WITHOUT
reading any de-identification code or test of the project.

Every name, number, address, phone, e-mail and date below is invented.

Outputs (in ``corpus/`` next to this script):

- ``reports.parquet`` / ``.csv``      one row per report (metadata + text, title,
  study_description);
- ``identifiers.parquet`` / ``.csv``  one row per planted identifier, with exact
  character offsets (Python ``str`` indices) in the field it was planted in;
- ``keep_words.parquet`` / ``.csv``   one row per planted look-alike that must be
  KEPT (eponyms, drugs, tracers, institution names, clinical numbers...).

Run::

    /work/venv2/bin/python benchmarks/deid_corpus/make_corpus.py
    /work/venv2/bin/python benchmarks/deid_corpus/make_corpus.py --n 300 --seed 20240611

The script checks itself (assertions): offsets exact, no overlaps, no unplanted
occurrence of the patient's / staff names or of id-, date- or phone-shaped
strings outside annotated spans, >= 20 % of reports with a clean body.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import unicodedata
from pathlib import Path

SEED = 20240611
N_REPORTS = 300
CLEAN_SHARE = 0.25

HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------
# Pools (all invented)
# --------------------------------------------------------------------------

FAMILY = """Dupont Lefèvre Moreau Bernard Petit Garnier Fournier Girard Bonnet Dubois
Lambert Fontaine Rousseau Vincent Muller Faure André Mercier Guérin Boyer Chevalier
François Legrand Gauthier Perrin Robin Clément Morin Henry Roussel Mathieu Masson
Marchand Duval Denis Dumont Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud
Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt
Leroux Colin Vidal Caron Picard Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier
Bourgeois Benoît Leclerc Payet Rolland Leclercq Lecomte Lopez Dupuy Guillot Hubert
Berger Carpentier Sanchez Dupuis Moulin Deschamps Huet Vasseur Perez Boucher Fleury
Royer Klein Jacquet Poirier Marty Aubry Guyot Carré Renault Charpentier Ménard
Maillard Baron Bertin Bailly Hervé Schneider Fernandez Collet Léger Bouvier Prévost
Millet Perrot Cousin Germain Breton Besson Langlois Rémy Pelletier Lévêque Perrier
Leblanc Barré Lebrun Marchal Weber Mallet Hamon Boulanger Monnier Michaud Guichard
Gillet Étienne Grondin Poulain Tessier Chauvin Bouchet Lemaître Bénard Maréchal
Humbert Reynaud Hoarau Perret Barthélemy Cordier Pichon Lejeune Lamy Delaunay
Pasquier Carlier Laporte Masse Nguyen Traoré Haddad Benali Diallo Kowalski""".split()
FAMILY_MULTI = ["Le Gall", "Le Goff", "Da Silva", "De La Fontaine", "Ben Ahmed", "N'Diaye",
                "Saint-Martin", "L'Hermitte", "D'Almeida", "Le Roux", "Paris", "Roux", "Martin"]
# names that are also ordinary French / medical words: used to plant homonym keep-words
HOMONYM_NAMES = ["Petit", "Masse", "Brun", "Roux", "Paris"]

GIVEN_F = """Marie Isabelle Catherine Sylvie Nathalie Françoise Monique Martine Christine
Hélène Élodie Céline Chloé Léa Camille Marie-Claude Anne-Sophie Marie-Thérèse Louise
Rose Inès Zoé Gaëlle Maëlle Fatima Yasmine Jeanne Odile Geneviève Brigitte Sandrine
Véronique Agnès Mireille Josiane Aurélie Laëtitia Noémie Solène""".split()
GIVEN_M = """Jean Pierre Michel Philippe Alain Nicolas Christophe Patrick Daniel
Jean-Pierre Jean-François François Jérôme Stéphane Frédéric Sébastien Gérard Pascal
Loïc Joël Mohamed Karim Thierry Bruno Didier Hervé Yves René André Raphaël Benoît
Grégoire Maxime Hugo Thibault Cédric Léon Étienne Jean-Luc""".split()

STAFF_FAMILY = """Martin Lefèvre Bernard Moreau Petit Roux Garnier Dubreuil Chabert Lagarde
Vernier Maurel Castel Sauvage Bastide Combes Delmas Rey Ferrand Villard Blondel Ollivier
Tissot Guilbert Lemoal Bouquet Cazenave Jourdan Pons Barthe Sabatier Hamel Raynal Brochard
Lenoir Courtois Hoang Mansour Ducros""".split() + ["Le Bihan", "Da Costa"]

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

STREET_TYPES = ["rue", "avenue", "boulevard", "allée", "place", "chemin", "impasse",
                "route", "quai", "square", "cours"]
STREET_NAMES = ["de la Paix", "Jean Jaurès", "Victor Hugo", "des Lilas", "du Général Leclerc",
                "de la République", "des Tilleuls", "Gambetta", "du Moulin", "de Verdun",
                "des Écoles", "Pasteur", "Émile Zola", "de la Gare", "du 8 Mai 1945",
                "Saint-Exupéry", "des Acacias", "de l'Hôpital", "Anatole France",
                "du Maréchal Foch", "des Peupliers", "Jules Ferry", "de Bretagne", "Carnot"]
CITIES = [("75002", "Paris"), ("75011", "Paris"), ("75018", "Paris"), ("69003", "Lyon"),
          ("69007", "Lyon"), ("13005", "Marseille"), ("67000", "Strasbourg"),
          ("59000", "Lille"), ("44000", "Nantes"), ("33000", "Bordeaux"),
          ("31400", "Toulouse"), ("35000", "Rennes"), ("94010", "Créteil"),
          ("92100", "Boulogne-Billancourt"), ("93200", "Saint-Denis"), ("80000", "Amiens"),
          ("62300", "Lens"), ("94800", "Villejuif"), ("54000", "Nancy"), ("06000", "Nice"),
          ("97400", "Saint-Denis"), ("2A000", "Ajaccio"), ("57000", "Metz"),
          ("76000", "Rouen"), ("21000", "Dijon")]

# institution name, postal line(s), city, phone, domain
INSTITUTIONS = [
    dict(name="Hôpital Paris Nord", street="12 rue des Tilleuls", cp="75018", city="Paris",
         domain="hopital-paris-nord.fr"),
    dict(name="CHU de Strasbourg", street="1 place de l'Hôpital", cp="67000", city="Strasbourg",
         domain="chu-strasbourg.fr", generic="CHU"),
    dict(name="Centre Hospitalier de Lens", street="99 route de La Bassée", cp="62300",
         city="Lens", domain="ch-lens.fr", generic="Centre hospitalier"),
    dict(name="Hôpital Saint-Louis", street="1 avenue des Lilas", cp="75010", city="Paris",
         domain="hopital-saint-louis.fr"),
    dict(name="Clinique du Parc", street="155 boulevard de Stalingrad", cp="69006",
         city="Lyon", domain="clinique-du-parc-lyon.fr", generic="Clinique"),
    dict(name="CHU de Nantes", street="5 allée de l'Île Gloriette", cp="44093",
         city="Nantes Cedex 1", domain="chu-nantes.fr", generic="CHU"),
    dict(name="Hôpital Européen Georges-Pompidou", street="20 rue Leblanc", cp="75015",
         city="Paris", domain="hegp.fr"),
    dict(name="Centre Léon Bérard", street="28 rue Laennec", cp="69008", city="Lyon",
         domain="centre-leon-berard.fr"),
    dict(name="Hôpital Pasteur", street="30 voie Romaine", cp="06000", city="Nice",
         domain="chu-nice.fr"),
    dict(name="Institut de Cancérologie de Lorraine", street="6 avenue de Bourgogne",
         cp="54519", city="Vandœuvre-lès-Nancy", domain="icl-lorraine.fr"),
    dict(name="Centre Hospitalier de Bretagne Sud", street="5 avenue de Choiseul",
         cp="56322", city="Lorient", domain="ch-bretagne-sud.fr", generic="Centre hospitalier"),
    dict(name="CHU Amiens-Picardie", street="1 rond-point du Professeur Christian Cabrol",
         cp="80054", city="Amiens", domain="chu-amiens.fr", generic="CHU"),
]

UNITS = {
    "PET": "Service de Médecine Nucléaire",
    "CT": "Service d'Imagerie Médicale",
    "MR": "Service de Radiologie",
    "US": "Service de Radiologie",
    "MG": "Centre d'Imagerie du Sein",
    "CR": "Service de Radiologie",
}

HTML_ENT = {"é": "&eacute;", "è": "&egrave;", "ê": "&ecirc;", "à": "&agrave;", "ç": "&ccedil;",
            "ô": "&ocirc;", "î": "&icirc;", "ù": "&ugrave;", "â": "&acirc;", "ë": "&euml;",
            "ï": "&iuml;", "É": "&Eacute;", "°": "&deg;", "œ": "&oelig;", "È": "&Egrave;"}
HTML_NUM = {"é": "&#233;", "è": "&#232;", "à": "&#224;", "ç": "&#231;", "'": "&#39;"}


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


# --------------------------------------------------------------------------
# Field builder: appends segments, records offsets
# --------------------------------------------------------------------------

MARK = re.compile(r"\[\[(\w+):(.+?)\]\]")


class Field:
    def __init__(self, rid: str, name: str, html: dict | None = None):
        self.rid, self.name, self.html = rid, name, html
        self.parts: list[str] = []
        self.n = 0
        self.ids: list[dict] = []
        self.keeps: list[dict] = []

    # -- encoding ---------------------------------------------------------
    def enc(self, s: str) -> str:
        h = self.html
        if not h:
            return s
        if h.get("ent"):
            table = HTML_NUM if h.get("numeric") else HTML_ENT
            s = "".join(table.get(c, HTML_ENT.get(c, c)) if c in table or c in HTML_ENT else c
                        for c in s)
        if h.get("nbsp"):
            s = s.replace(" :", "&nbsp;:")
        s = s.replace("\n", h["br"])
        return s

    def _emit(self, s: str) -> tuple[int, int]:
        start = self.n
        self.parts.append(s)
        self.n += len(s)
        return start, self.n

    # -- public -----------------------------------------------------------
    def t(self, s: str) -> Field:
        """Plain text; ``[[cat:surface]]`` marks a keep-word."""
        pos = 0
        for m in MARK.finditer(s):
            if m.start() > pos:
                self._emit(self.enc(s[pos:m.start()]))
            self.k(m.group(2), m.group(1))
            pos = m.end()
        if pos < len(s):
            self._emit(self.enc(s[pos:]))
        return self

    def k(self, surface: str, cat: str) -> Field:
        surf = self.enc(surface)
        a, b = self._emit(surf)
        self.keeps.append(dict(report_id=self.rid, field=self.name, start=a, end=b,
                               surface=surf, category=cat))
        return self

    def i(self, surface: str, kind: str, prefix: str = "", form: str = "",
          required: bool = True, subject: str = "", highlight: bool = False) -> Field:
        if highlight and self.html:
            self._emit('<span class="highlight">')
        pre = self.enc(prefix)
        if pre and self.html and self.html.get("nbsp") and pre.endswith(" ") and random.random() < .5:
            pre = pre[:-1] + "&nbsp;"
        if pre:
            self._emit(pre)
        surf = self.enc(surface) if (self.html and self.html.get("enc_ids")) else \
            surface.replace("\n", self.html["br"]) if self.html else surface
        a, b = self._emit(surf)
        if highlight and self.html:
            self._emit("</span>")
        self.ids.append(dict(report_id=self.rid, field=self.name, start=a, end=b, kind=kind,
                             surface=surf, prefix=pre, form=form, required=required,
                             subject=subject))
        return self

    @property
    def text(self) -> str:
        return "".join(self.parts)


# --------------------------------------------------------------------------
# Generators of identifier surfaces
# --------------------------------------------------------------------------

def title_case(name: str) -> str:
    out = []
    for tok in re.split(r"([ \-'])", name):
        out.append(tok[:1].upper() + tok[1:].lower() if tok and tok not in " -'" else tok)
    return "".join(out)


def up(name: str, accents: bool = True) -> str:
    return name.upper() if accents else strip_accents(name).upper()


def initials(given: str) -> str:
    parts = given.split("-")
    return "-".join(p[0].upper() + "." for p in parts)


def date_surface(d: dt.date, form: str, rng: random.Random) -> tuple[str, str]:
    """Return (surface, normalised form label)."""
    m = MONTHS[d.month - 1]
    if form == "dmy":
        return f"{d.day:02d}/{d.month:02d}/{d.year}", form
    if form == "dmy_short":
        return f"{d.day}/{d.month}/{d.year % 100:02d}", form
    if form == "dmy_2y":
        return f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}", form
    if form == "dot":
        return f"{d.day:02d}.{d.month:02d}.{d.year}", form
    if form == "dash":
        return f"{d.day:02d}-{d.month:02d}-{d.year}", form
    if form == "iso":
        return d.isoformat(), form
    if form == "compact":
        return d.strftime("%Y%m%d"), form
    if form == "long":
        if d.day == 1:
            return f"1er {m} {d.year}", "long_1er"
        return f"{d.day} {m} {d.year}", form
    if form == "long_pad":
        return f"{d.day:02d} {m} {d.year}", form
    if form == "upper_long":
        return f"{d.day:02d} {m.upper()} {d.year}", form
    if form == "weekday_long":
        day = "1er" if d.day == 1 else str(d.day)
        return f"{WEEKDAYS[d.weekday()]} {day} {m} {d.year}", form
    if form == "month_year":
        return f"{m} {d.year}", form
    if form == "day_month":
        return f"{d.day}/{d.month}", form
    if form == "day_month_pad":
        return f"{d.day:02d}/{d.month:02d}", form
    if form == "day_month_long":
        return ("1er" if d.day == 1 else str(d.day)) + f" {m}", form
    if form == "abbr":
        ab = {"janvier": "janv.", "février": "févr.", "septembre": "sept.", "octobre": "oct.",
              "novembre": "nov.", "décembre": "déc."}.get(m, m)
        return f"{d.day} {ab} {d.year}", form
    raise ValueError(form)


DATE_FORMS = (["dmy"] * 8 + ["dmy_short", "dmy_2y", "dot", "dash", "iso", "compact", "long",
              "long", "long", "long_pad", "upper_long", "weekday_long", "month_year",
              "day_month", "day_month_pad", "day_month_long", "abbr"])
FULL_DATE_FORMS = (["dmy"] * 8 + ["dmy_short", "dmy_2y", "dot", "dash", "iso", "compact",
                   "long", "long", "long_pad", "upper_long", "abbr"])


def nir(sex: int, birth: dt.date, rng: random.Random) -> str:
    dep = rng.choice(["75", "69", "13", "67", "59", "44", "33", "31", "62", "80", "99", "54"])
    commune = f"{rng.randint(1, 990):03d}"
    order = f"{rng.randint(1, 999):03d}"
    body = f"{sex}{birth.year % 100:02d}{birth.month:02d}{dep}{commune}{order}"
    key = 97 - int(body) % 97
    return body + f"{key:02d}"


def nir_surface(n: str, rng: random.Random) -> tuple[str, str]:
    f = rng.choice(["spaced", "spaced", "compact", "compact", "key_sep", "dots"])
    if f == "spaced":
        return f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:13]} {n[13:]}", f
    if f == "compact":
        return n, f
    if f == "key_sep":
        return f"{n[:13]} {n[13:]}", f
    return f"{n[0]}.{n[1:3]}.{n[3:5]}.{n[5:7]}.{n[7:10]}.{n[10:13]}.{n[13:]}", f


def phone_digits(rng: random.Random, mobile: bool | None = None) -> str:
    if mobile is None:
        mobile = rng.random() < .4
    first = rng.choice(["06", "07"]) if mobile else rng.choice(["01", "02", "03", "04", "05", "09"])
    return first + "".join(str(rng.randint(0, 9)) for _ in range(8))


def phone_surface(d: str, rng: random.Random) -> tuple[str, str]:
    pairs = [d[i:i + 2] for i in range(0, 10, 2)]
    f = rng.choice(["spaced", "spaced", "spaced", "dots", "compact", "intl", "intl0", "dashes"])
    if f == "spaced":
        return " ".join(pairs), f
    if f == "dots":
        return ".".join(pairs), f
    if f == "compact":
        return d, f
    if f == "dashes":
        return "-".join(pairs), f
    if f == "intl":
        return "+33 " + d[1] + " " + " ".join(pairs[1:]), f
    return "+33 (0)" + d[1] + " " + " ".join(pairs[1:]), f


# --------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------

class Person:
    def __init__(self, rng: random.Random, exclude: set[str]):
        while True:
            self.family = rng.choice(STAFF_FAMILY)
            if strip_accents(self.family).lower() not in exclude:
                break
        self.female = rng.random() < .5
        while True:
            self.given = rng.choice(GIVEN_F if self.female else GIVEN_M)
            if strip_accents(self.given).lower() not in exclude:
                break
        exclude.add(strip_accents(self.family).lower())
        exclude.add(strip_accents(self.given).lower())

    def doctor(self, rng: random.Random) -> tuple[str, str, str]:
        """(prefix, surface, form) for a physician."""
        f = rng.choice(["Dr_fam", "Dr_fam", "Docteur_fam", "Pr_fam", "Dr_init", "Dr_FAM_given",
                        "Dr_given_fam", "Dr_given_FAM", "Pr_given_fam", "Dr._fam"])
        if f == "Dr_fam":
            return "Dr ", self.family, f
        if f == "Dr._fam":
            return "Dr. ", self.family, f
        if f == "Docteur_fam":
            return rng.choice(["Docteur ", "docteur "]), self.family, f
        if f == "Pr_fam":
            return rng.choice(["Pr. ", "Pr ", "Professeur "]), self.family, f
        if f == "Dr_init":
            return "Dr ", f"{initials(self.given)} {self.family}", f
        if f == "Dr_FAM_given":
            return "Dr ", f"{up(self.family)} {self.given}", f
        if f == "Dr_given_FAM":
            return rng.choice(["Dr ", "Docteur "]), f"{self.given} {up(self.family)}", f
        if f == "Pr_given_fam":
            return "Pr ", f"{self.given} {self.family}", f
        return "Dr ", f"{self.given} {self.family}", "Dr_given_fam"

    def civil(self, rng: random.Random) -> tuple[str, str, str]:
        pre = rng.choice(["Madame ", "Mme "]) if self.female else rng.choice(["Monsieur ", "M. "])
        if rng.random() < .6:
            return pre, self.family, "civil_fam"
        return pre, f"{self.given} {self.family}", "civil_given_fam"

    def short(self, rng: random.Random) -> tuple[str, str]:
        if rng.random() < .5:
            return f"{self.given} {self.family}", "given_fam"
        return f"{self.given[0]}. {self.family}", "init_fam"


class Patient:
    def __init__(self, pid: str, rng: random.Random):
        self.pid = pid
        self.female = rng.random() < .5
        r = rng.random()
        if r < .12:
            self.family = rng.choice(FAMILY_MULTI)
        elif r < .18:
            self.family = rng.choice(HOMONYM_NAMES)
        else:
            self.family = rng.choice(FAMILY)
        self.given = rng.choice(GIVEN_F if self.female else GIVEN_M)
        self.usage = None
        if self.female and rng.random() < .3:
            u = rng.choice(FAMILY)
            if u != self.family:
                self.usage = u
        self.birth = dt.date(rng.randint(1932, 2001), rng.randint(1, 12), rng.randint(1, 28))
        self.nir = nir(2 if self.female else 1, self.birth, rng)
        self.phone = phone_digits(rng, mobile=rng.random() < .6)
        pc, city = rng.choice(CITIES)
        self.address = (f"{rng.randint(1, 140)}{rng.choice(['', '', '', ' bis', ' ter'])}",
                        rng.choice(STREET_TYPES), rng.choice(STREET_NAMES), pc, city)
        self.email = (strip_accents(self.given).lower().replace("-", "").replace(" ", "")[:1]
                      + "." + strip_accents(self.family).lower().replace(" ", "").replace("'", "")
                      + str(self.birth.year % 100) + "@"
                      + rng.choice(["orange.fr", "gmail.com", "free.fr", "laposte.net", "sfr.fr"]))

    def tokens(self) -> set[str]:
        toks = set()
        for n in (self.family, self.given, self.usage or ""):
            for t in re.split(r"[ \-']", n):
                if len(t) >= 3:
                    toks.add(strip_accents(t).lower())
        return toks

    def name(self, rng: random.Random, context: str = "any") -> tuple[str, str, str]:
        """(prefix, surface, form) for the patient's own name."""
        fam, giv = self.family, self.given
        civ = rng.choice(["Mme ", "Madame ", "Mme. "]) if self.female else \
            rng.choice(["M. ", "Monsieur ", "Mr "])
        forms = ["FAM_given", "FAM_given", "given_FAM", "civ_given_fam", "civ_FAM", "dicom",
                 "noaccent_FAM_GIVEN", "fam_given_title", "civ_fam", "FAM_init", "lower",
                 "given_only", "FAM_comma_given"]
        if self.usage:
            forms += ["usage_hyphen", "usage_hyphen", "civ_usage"]
        if context == "header":
            forms = [f for f in forms if f != "given_only"]
        f = rng.choice(forms)
        if f == "FAM_given":
            return "", f"{up(fam)} {giv}", f
        if f == "FAM_comma_given":
            return "", f"{up(fam)}, {giv}", f
        if f == "given_FAM":
            return "", f"{giv} {up(fam)}", f
        if f == "civ_given_fam":
            return civ, f"{giv} {fam}", f
        if f == "civ_FAM":
            return civ, up(fam), f
        if f == "civ_fam":
            return civ, fam, f
        if f == "dicom":
            s = f"{up(fam, False)}^{up(giv, False)}".replace(" ", " ")
            if rng.random() < .2:
                s += "^^^"
            return "", s, f
        if f == "noaccent_FAM_GIVEN":
            return "", f"{up(fam, False)} {up(giv, False)}", f
        if f == "fam_given_title":
            return "", f"{strip_accents(fam)} {strip_accents(giv)}" if rng.random() < .5 \
                else f"{fam} {giv}", f
        if f == "FAM_init":
            return "", f"{up(fam)} {giv[0]}.", f
        if f == "lower":
            return "", f"{fam.lower()} {giv.lower()}", f
        if f == "given_only":
            return "", giv, f
        if f == "usage_hyphen":
            sep = rng.choice(["-", "-", " "])
            s = f"{up(fam)}{sep}{up(self.usage)}" if rng.random() < .5 else \
                f"{self.usage}{sep}{fam}"
            return civ if rng.random() < .6 else "", s, f
        if f == "civ_usage":
            return civ, up(self.usage) if rng.random() < .5 else self.usage, f
        raise ValueError(f)


# --------------------------------------------------------------------------
# Clinical content (keep-words marked with [[category:surface]])
# --------------------------------------------------------------------------

def f1(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def clinical(mod: str, rng: random.Random, homonym: str | None) -> dict:
    """Return dict with title, study_description, indication, technique, results (list),
    conclusion (list). Strings may contain [[cat:x]] keep marks; no identifier."""
    R = rng
    suv = lambda: f1(R.uniform(2.1, 18.9))  # noqa: E731
    mm = lambda a=5, b=45: f"{R.randint(a, b)} mm"  # noqa: E731
    res, concl = [], []
    if mod == "PET":
        kind = R.choice(["lymphoma", "lymphoma", "lung", "psma", "dotatoc", "melanoma", "hodgkin"])
        if kind in ("lymphoma", "hodgkin", "lung", "melanoma"):
            tracer = "18F-FDG"
            title = R.choice(["TEP-TDM au [[tracer:18F-FDG]]", "Tomographie par émission de positons au [[tracer:18F-FDG]]",
                              "TEP-TDM [[tracer:FDG]] corps entier"])
            sd = R.choice(["TEP-TDM FDG CORPS ENTIER", "PET CT FDG WB", "TEP FDG CERVICO-TAP",
                           "TEP-TDM [[tracer:FDG]] CRANE-MI-CUISSES"])
        elif kind == "psma":
            tracer = R.choice(["68Ga-PSMA-11", "18F-PSMA-1007"])
            title = f"TEP-TDM au [[tracer:{tracer}]]"
            sd = "TEP PSMA CORPS ENTIER"
        else:
            tracer = "68Ga-DOTATOC"
            title = "TEP-TDM au [[tracer:68Ga-DOTATOC]]"
            sd = "TEP DOTATOC"
        act = f1(R.uniform(150, 380))
        if kind == "lymphoma":
            ind = R.choice([
                "Bilan d'extension initial d'un lymphome [[eponym:non-hodgkinien]] B diffus à grandes cellules.",
                "Évaluation intermédiaire après 4 cycles de [[drug:R-CHOP]] pour lymphome [[eponym:non hodgkinien]] folliculaire.",
                "Évaluation de fin de traitement d'un LBDGC, stade [[eponym:Ann Arbor]] [[code:IV]].",
            ])
            res += [f"Adénopathie sus-claviculaire gauche (ganglion de [[eponym:Troisier]]) de {R.choice(['[[num:' + mm(8, 30) + ']]'])}, SUVmax [[num:{suv()}]].",
                    f"Adénopathies médiastinales en station [[code:{R.choice(['4R', '4L', '7', '2R', '10R'])}]] et en loge de [[eponym:Barety]], SUVmax [[num:{suv()}]].",
                    f"Hyperfixation splénique diffuse (rate/foie [[num:{f1(R.uniform(1.1, 2.4))}]]).",
                    "Pas d'épanchement dans le cul-de-sac de [[eponym:Douglas]]."]
            d = R.choice(["1", "2", "3", "4", "5"])
            concl += [f"Score de [[eponym:Deauville]] [[num:{d}]] selon la classification de [[eponym:Lugano]]."]
            if R.random() < .5:
                concl += ["Réponse métabolique évaluée selon [[eponym:Lugano]] [[guideline_year:2014]]."]
        elif kind == "hodgkin":
            ind = R.choice(["Lymphome de [[eponym:Hodgkin]] classique, bilan initial avant [[drug:ABVD]].",
                            "Lymphome [[eponym:hodgkinien]] scléro-nodulaire, TEP intermédiaire après 2 [[drug:ABVD]]."])
            res += [f"[[homonym:Masse]] médiastinale antérieure de [[num:{R.randint(35, 95)} x {R.randint(20, 60)} mm]], SUVmax [[num:{suv()}]].",
                    f"Ganglion de [[eponym:Virchow]] hypermétabolique, SUVmax [[num:{suv()}]].",
                    "Pas de fixation médullaire focale."]
            concl += [f"Score de [[eponym:Deauville]] [[num:{R.choice('12345')}]]. Stade [[eponym:Ann Arbor]] [[code:{R.choice(['IIA', 'IIB', 'IIIA', 'IVB'])}]]."]
        elif kind == "lung":
            ind = R.choice([f"Nodule pulmonaire spiculé du LSD de [[num:{mm(9, 30)}]], bilan d'extension.",
                            "Adénocarcinome pulmonaire [[code:cT2a]] [[code:N1]], code CIM-10 [[code:C34.1]].",
                            "Carcinome épidermoïde bronchique classé [[code:T2N1M0]], sous [[drug:pembrolizumab]]."])
            res += [f"Lésion pulmonaire du lobe supérieur droit de [[num:{mm(12, 45)}]], SUVmax [[num:{suv()}]].",
                    f"Adénopathie hilaire et médiastinale en station [[code:{R.choice(['4R', '7', '11R', '10L'])}]], SUVmax [[num:{suv()}]].",
                    f"Lésion lytique hypermétabolique de [[code:{R.choice(['L3', 'T11', 'L1', 'D7', 'S1'])}]], SUVmax [[num:{suv()}]].",
                    f"Nodule surrénalien gauche de [[num:{mm(8, 22)}]], densité spontanée [[num:{R.randint(-10, 35)} UH]]."]
            concl += [f"Lésion pulmonaire hypermétabolique compatible avec le primitif connu, classée [[code:{R.choice(['cT2aN2M1b', 'T3N1M0', 'cT1cN0M0'])}]].",
                      "Réponse évaluée selon [[eponym:PERCIST]] [[num:1.0]]."]
        elif kind == "melanoma":
            ind = (f"Mélanome de l'épaule, indice de [[eponym:Breslow]] [[num:{f1(R.uniform(0.8, 6))} mm]], "
                   f"niveau de [[eponym:Clark]] [[code:{R.choice(['III', 'IV', 'V'])}]], sous [[drug:nivolumab]].")
            res += [f"Adénopathie axillaire droite de [[num:{mm()}]], SUVmax [[num:{suv()}]].",
                    f"Fixation du tissu adipeux {'[[homonym:brun]]' if homonym == 'Brun' else 'brun'} cervical et sus-claviculaire, physiologique.",
                    f"Lésion hépatique du segment [[code:{R.choice(['VI', 'VII', 'VIII', 'IVa'])}]] de [[eponym:Couinaud]], SUVmax [[num:{suv()}]]."]
            concl += ["Progression métabolique selon [[eponym:PERCIST]], à confronter aux critères [[eponym:iRECIST]]."]
        elif kind == "psma":
            ind = (f"Adénocarcinome prostatique score de [[eponym:Gleason]] [[num:{R.choice(['7 (3+4)', '7 (4+3)', '8 (4+4)', '9 (4+5)'])}]], "
                   f"récidive biologique, PSA [[num:{f1(R.uniform(0.2, 25))} ng/ml]].")
            res += [f"Fixation prostatique focale du lobe gauche, SUVmax [[num:{suv()}]].",
                    f"Adénopathie iliaque externe droite de [[num:{mm(5, 15)}]], SUVmax [[num:{suv()}]].",
                    f"Fixation osseuse de [[code:{R.choice(['L4', 'L2', 'T9', 'C6'])}]] et de la branche ilio-pubienne."]
            concl += ["Maladie oligométastatique, éligibilité au [[drug:Pluvicto]] ([[tracer:177Lu-PSMA-617]]) à discuter."]
        else:
            ind = "Tumeur neuroendocrine du pancréas G2, Ki67 [[num:8 %]], sous [[drug:lanréotide]]."
            res += [f"Lésion de la tête du pancréas de [[num:{mm(10, 35)}]], refoulant le canal de [[eponym:Wirsung]], SUVmax [[num:{suv()}]].",
                    "Lésions hépatiques multiples, la plus volumineuse au segment [[code:VIII]] de [[eponym:Couinaud]]."]
            concl += [f"Score de [[eponym:Krenning]] [[num:{R.choice('234')}]], éligible à un traitement par [[drug:Lutathera]]."]
        tech = (f"Injection IV de [[num:{act} MBq]] de [[tracer:{tracer}]] "
                f"([[num:{f1(R.uniform(2, 4))} MBq/kg]]), acquisition à [[num:{R.randint(55, 75)} min]]. "
                f"Glycémie capillaire : [[num:{f1(R.uniform(4.2, 9))} mmol/l]]. Poids : [[num:{R.randint(45, 110)} kg]].")
        if R.random() < .5:
            tech += f"\nTDM de repérage sans injection, PDL [[num:{R.randint(300, 1100)} mGy.cm]]."
    elif mod == "CT":
        kind = R.choice(["tap", "thorax", "abdo", "rein"])
        title = R.choice(["TDM thoraco-abdomino-pelvienne", "Scanner thoracique", "TDM abdomino-pelvienne",
                          "Scanner TAP injecté"])
        sd = R.choice(["TDM TAP INJ", "CT THORAX SANS INJ", "TDM ABDO-PELV", "SCANNER TAP"])
        ind = R.choice([
            "Suivi d'un adénocarcinome colique traité par [[drug:FOLFOX]] et [[drug:Avastin]], évaluation [[eponym:RECIST]] [[num:1.1]].",
            f"Nodule pulmonaire de [[num:{mm(4, 9)}]] de découverte fortuite, suivi selon les recommandations de [[eponym:Fleischner]].",
            f"Douleurs de l'hypochondre droit, syndrome inflammatoire, CRP [[num:{R.randint(20, 250)} mg/l]].",
            "[[homonym:Masse]] rénale découverte en échographie, caractérisation.",
            "Carcinome hépatocellulaire, surveillance après radiofréquence."])
        tech = (f"Acquisition hélicoïdale après injection de [[num:{R.randint(60, 110)} ml]] de [[drug:Iomeron]] 350"
                f" au temps portal. PDL [[num:{R.randint(250, 1400)} mGy.cm]], CTDIvol [[num:{f1(R.uniform(3, 18))} mGy]].")
        if kind == "rein":
            res += [f"Kyste rénal gauche cloisonné de [[num:{mm(15, 60)}]], classé [[eponym:Bosniak]] [[code:{R.choice(['II', 'IIF', 'III'])}]].",
                    f"Densité spontanée de [[num:{R.randint(5, 40)}]] unités [[eponym:Hounsfield]], rehaussement de [[num:{R.randint(5, 30)} UH]]."]
            concl += [f"Lésion kystique [[eponym:Bosniak]] [[code:{R.choice(['IIF', 'III'])}]], surveillance proposée."]
        elif kind == "thorax":
            res += [f"Nodule solide du lobe inférieur droit de [[num:{mm(4, 12)}]].",
                    f"Adénopathie de la loge de [[eponym:Barety]] de [[num:{mm(8, 16)}]] de [[homonym:petit]] axe.",
                    "Pas d'épanchement pleural. Emphysème centrolobulaire des apex."]
            concl += [f"Nodule pulmonaire à contrôler à [[num:{R.choice(['3', '6', '12'])} mois]] selon [[eponym:Fleischner]] [[guideline_year:2017]]."]
        elif kind == "abdo":
            res += [f"Lésion hypodense du segment [[code:{R.choice(['V', 'VI', 'VII', 'II'])}]] de [[eponym:Couinaud]] de [[num:{mm()}]].",
                    "Épanchement de faible abondance dans l'espace de [[eponym:Morison]] et le cul-de-sac de [[eponym:Douglas]].",
                    f"Dilatation du canal de [[eponym:Wirsung]] à [[num:{mm(3, 9)}]]."]
            concl += ["Ascite de faible abondance. Lésion hépatique à caractériser en IRM."]
        else:
            res += [f"Lésions hépatiques cibles : [[num:{mm()}]] et [[num:{mm()}]] (somme [[num:{R.randint(30, 120)} mm]]).",
                    f"Adénopathie coeliaque de [[num:{mm(8, 20)}]]. Pas de carcinose."]
            concl += [f"Maladie stable selon [[eponym:RECIST]] [[num:1.1]] (variation de [[num:-{R.randint(1, 25)} %]])."]
        if (homonym == "Roux" and R.random() < .7) or R.random() < .08:
            res.append("Antécédent de bypass gastrique en Y selon [[eponym:Roux]], montage sans particularité.")
    elif mod == "MR":
        kind = R.choice(["prostate", "foie", "bili", "rachis", "cerveau"])
        title = {"prostate": "IRM prostatique multiparamétrique", "foie": "IRM hépatique",
                 "bili": "Bili-IRM", "rachis": "IRM du rachis lombaire", "cerveau": "IRM cérébrale"}[kind]
        sd = {"prostate": "IRM PROSTATE MP", "foie": "IRM FOIE GADO", "bili": "BILI IRM",
              "rachis": "IRM RACHIS LOMBAIRE", "cerveau": "IRM ENCEPHALE"}[kind]
        tech = f"Séquences T2, diffusion et T1 après injection de [[num:{f1(R.uniform(5, 15))} ml]] de [[drug:Dotarem]]."
        if kind == "prostate":
            ind = f"PSA à [[num:{f1(R.uniform(3, 20))} ng/ml]], toucher rectal suspect."
            res += [f"Lésion de la zone périphérique postéro-latérale gauche de [[num:{mm(6, 22)}]], restriction de diffusion marquée.",
                    f"Volume prostatique [[num:{R.randint(25, 90)} cc]]."]
            concl += [f"Lésion [[eponym:PI-RADS]] [[num:{R.choice('345')}]], biopsies ciblées recommandées."]
        elif kind == "foie":
            ind = "Nodule hépatique sur cirrhose, caractérisation."
            res += [f"Nodule du segment [[code:{R.choice(['VI', 'VII', 'VIII'])}]] de [[eponym:Couinaud]] de [[num:{mm(10, 40)}]], wash-out au temps portal."]
            concl += ["Nodule LI-RADS 5."]
        elif kind == "bili":
            ind = "Cholestase, suspicion de lithiase de la voie biliaire principale."
            res += [f"Voie biliaire principale dilatée à [[num:{mm(7, 14)}]], calcul de [[num:{mm(3, 9)}]] au contact du sphincter d'[[eponym:Oddi]].",
                    "Canal de [[eponym:Wirsung]] fin, non dilaté."]
            concl += ["Lithiase cholédocienne distale."]
        elif kind == "rachis":
            ind = "Lombo-radiculalgie L5 droite résistante au traitement."
            res += ["Hernie discale [[code:L4-L5]] postéro-latérale droite au contact de la racine [[code:L5]].",
                    "Discopathie [[code:L5-S1]] Modic 1."]
            concl += ["Hernie discale [[code:L4-L5]] droite conflictuelle."]
        else:
            ind = "Céphalées récentes, bilan d'extension d'un carcinome pulmonaire."
            res += [f"Lésion cortico-sous-corticale frontale droite de [[num:{mm(5, 25)}]] rehaussée en anneau.",
                    "Hypersignaux de la substance blanche périventriculaire (Fazekas 1)."]
            concl += ["Lésion secondaire unique frontale droite, radiochirurgie à discuter."]
    elif mod == "US":
        kind = R.choice(["thyroide", "abdo", "pelvis"])
        title = {"thyroide": "Échographie thyroïdienne", "abdo": "Échographie abdominale",
                 "pelvis": "Échographie pelvienne"}[kind]
        sd = {"thyroide": "ECHO THYROIDE", "abdo": "US ABDOMEN", "pelvis": "ECHO PELVIENNE"}[kind]
        tech = "Examen réalisé avec une sonde linéaire haute fréquence et doppler couleur."
        if kind == "thyroide":
            ind = f"Nodule thyroïdien palpable, TSH [[num:{f1(R.uniform(0.3, 4))} mUI/l]]."
            res += [f"Nodule lobaire droit de [[num:{mm(8, 35)}]], hypoéchogène, à contours irréguliers.",
                    "Pas d'adénopathie cervicale suspecte (secteurs [[code:III]] et [[code:IV]])."]
            concl += [f"Nodule [[eponym:EU-TIRADS]] [[num:{R.choice('345')}]] ([[eponym:TI-RADS]]), cytoponction proposée."]
        elif kind == "abdo":
            ind = "Douleurs abdominales, bilan hépatique perturbé."
            res += [f"Foie de taille normale, stéatosique. Vésicule lithiasique, calcul de [[num:{mm(5, 20)}]].",
                    "Pas d'épanchement dans l'espace de [[eponym:Morison]]."]
            concl += ["Lithiase vésiculaire non compliquée."]
        else:
            ind = "Métrorragies post-ménopausiques."
            res += [f"Endomètre épaissi à [[num:{mm(6, 18)}]].",
                    "Lame d'épanchement dans le cul-de-sac de [[eponym:Douglas]]."]
            concl += ["Épaississement endométrial, hystéroscopie à discuter."]
    elif mod == "MG":
        title = R.choice(["Mammographie bilatérale et échographie", "Mammographie de dépistage",
                          "Mammographie diagnostique"])
        sd = R.choice(["MAMMO BILAT", "MAMMOGRAPHIE DEPISTAGE", "MG BILAT 2 INC"])
        ind = R.choice(["Dépistage organisé.", "[[homonym:Masse]] palpable du sein gauche.",
                        "Surveillance d'un cancer du sein traité par [[drug:Herceptin]] et radiothérapie."])
        tech = "Incidences face et oblique externe bilatérales, tomosynthèse."
        res += [f"Seins de densité [[code:ACR {R.choice('ABCD')}]].",
                f"Foyer de microcalcifications pléomorphes du QSE gauche étendu sur [[num:{mm(5, 30)}]].",
                "Pas d'adénopathie axillaire suspecte."]
        if homonym == "Masse":
            res.append(f"[[homonym:Masse]] spiculée de [[num:{mm(8, 25)}]] à l'union des quadrants supérieurs gauches.")
        concl += [f"Classification [[eponym:BI-RADS]] [[num:{R.choice(['2', '3', '4A', '4B', '4C', '5'])}]] à gauche, [[eponym:BI-RADS]] [[num:1]] à droite."]
    else:  # CR radiography
        kind = R.choice(["thorax", "genou", "bassin"])
        title = {"thorax": "Radiographie thoracique de face", "genou": "Radiographie du genou droit",
                 "bassin": "Radiographie du bassin"}[kind]
        sd = {"thorax": "RX THORAX F", "genou": "RX GENOU D F+P", "bassin": "RX BASSIN F"}[kind]
        tech = "Cliché de face debout" + (" et profil." if kind != "thorax" else ", en inspiration.")
        if kind == "thorax":
            ind = "Dyspnée fébrile, recherche de foyer."
            res += ["Opacité alvéolaire du lobe inférieur droit avec bronchogramme aérique.",
                    f"Index cardio-thoracique à [[num:0,{R.randint(42, 58)}]]."]
            concl += ["Pneumopathie lobaire inférieure droite."]
        elif kind == "genou":
            ind = "Traumatisme du genou, douleur à l'appui."
            res += ["Pincement fémoro-tibial interne. Pas de fracture.", "Épanchement intra-articulaire modéré."]
            concl += ["Gonarthrose fémoro-tibiale interne, pas de lésion osseuse traumatique."]
        else:
            ind = "Coxalgie gauche."
            res += ["Pincement supéro-externe de l'interligne coxo-fémoral gauche, ostéophytose.",
                    "Pas de lésion lytique ou condensante."]
            concl += ["Coxarthrose gauche."]
    if homonym == "Petit":
        res.append(f"[[homonym:Petit]] épanchement pleural droit de [[num:{mm(5, 15)}]] d'épaisseur.")
    if homonym == "Masse" and mod != "MG":
        res.append(f"[[homonym:Masse]] tissulaire de [[num:{mm(10, 40)}]] sans caractère agressif.")
    if homonym == "Brun" and "brun" not in " ".join(res):
        res.append("Fixation physiologique du tissu adipeux [[homonym:brun]] sus-claviculaire.")
    # non-identifier lookalikes
    if R.random() < .35:
        res.append(R.choice([f"Curage axillaire antérieur [[num:{R.randint(1, 3)}/{R.randint(8, 15)}]] N+.",
                             "Atteinte ganglionnaire [[num:3/3]] sur la biopsie, sous [[drug:Keytruda]].",
                             "Tension artérielle [[num:13/8]] à l'arrivée, hydratation avant injection.",
                             "Traitement en cours : [[drug:metformine]] [[num:1000 mg]] x 2, interrompu [[num:48 h]].",
                             "Chimiothérapie en cours (cycle [[code:C4]], [[drug:carboplatine]]-[[drug:pemetrexed]]), J+[[num:10]]."]))
    return dict(title=title, sd=sd, ind=ind, tech=tech, res=res, concl=concl)


# --------------------------------------------------------------------------
# Report assembly
# --------------------------------------------------------------------------

def make_report(rid: str, pat: Patient, exam_dt: dt.datetime, acc: str, inst: dict,
                mod: str, clean: bool, rng: random.Random) -> dict:
    R = rng
    html = None
    if R.random() < .3:
        html = dict(br=R.choice(["<br>", "<br>\n", "<br/>", "<br />\n", "<BR>"]),
                    ent=R.random() < .7, numeric=R.random() < .2, nbsp=R.random() < .5,
                    enc_ids=R.random() < .5)
    hom = pat.family if pat.family in HOMONYM_NAMES else None
    c = clinical(mod, R, hom)
    used_names = pat.tokens()
    staff = [Person(R, used_names) for _ in range(6)]
    ref, sign, intern, copy1, copy2, gp = staff
    exam_d = exam_dt.date()
    age = exam_d.year - pat.birth.year - ((exam_d.month, exam_d.day) < (pat.birth.month, pat.birth.day))
    subj = pat.pid

    B = Field(rid, "text", html)
    if html and R.random() < .5:
        B._emit(R.choice(["<div>", "<p>", '<div class="cr">']))
    # --- header ----------------------------------------------------------
    unit = UNITS[mod]
    B.t(f"{unit}").t(R.choice([" – ", ", ", "\n"])).k(inst["name"], "institution").t("\n")
    if not clean and R.random() < .35:
        B.t("Chef de service : ")
        p, s, f = sign.doctor(R)
        B.i(s, "PERSON", p, f, subject="chef_service").t("\n")

    def pdate(field: Field, d: dt.date, prefix: str, forms=None, required=True, **kw):
        form = R.choice(forms or DATE_FORMS)
        if (kw.get("subject") not in ("exam", "birth") and form in ("long", "weekday_long", "day_month_long")
                and R.random() < .25):
            d = d.replace(day=1)
        s, fl = date_surface(d, form, R)
        field.i(s, "DATE", prefix, fl, required=required, subject=kw.get("subject", ""),
                highlight=kw.get("highlight", False))

    def pname(field: Field, prefix_label: str = "", context: str = "any", **kw):
        p, s, f = pat.name(R, context)
        field.t(prefix_label)
        if f == "civ_usage":
            field.i(pat.usage, "PATIENT_NAME", p, "usage_name", subject=subj)
            field.i(up(pat.family) if R.random() < .5 else pat.family, "PATIENT_NAME",
                    R.choice([" née ", " née ", " nee "]), "birth_name", subject=subj)
            return
        field.i(s, "PATIENT_NAME", p, f, subject=subj, highlight=kw.get("highlight", False))

    if not clean:
        hdr = R.random()
        if hdr < .75:
            # header block
            lab = R.choice(["Patient : ", "Patient(e) : ", "Nom : ", "Identité : ", "PATIENT : ",
                            "Nom du patient : "])
            if lab == "Nom : " and R.random() < .6:
                B.t(lab).i(up(pat.family, R.random() < .7), "PATIENT_NAME", "", "family_only", subject=subj)
                B.t("\nPrénom : ").i(pat.given if R.random() < .6 else up(pat.given), "PATIENT_NAME",
                                      "", "given_only", subject=subj)
                if pat.usage and R.random() < .7:
                    B.t("\nNom d'usage : ").i(up(pat.usage), "PATIENT_NAME", "", "usage_name", subject=subj)
            else:
                pname(B, lab, "header", highlight=R.random() < .3)
            if R.random() < .8:
                B.t(R.choice(["\nDate de naissance : ", "\nNé(e) le : ", " – né(e) le ", "\nDDN : ",
                              " (DDN ", "\nNaissance : "]))
                pdate(B, pat.birth, "", FULL_DATE_FORMS, subject="birth")
                if R.random() < .4:
                    B.t(" (")
                    B.i(f"{age} ans", "AGE", "", "age_paren", required=False)
                    B.t(")")
            if R.random() < .75:
                lab = R.choice(["\nIPP : ", "\nIPP: ", "\nN° patient ", "\nN° IPP : ", "\nNIP : ",
                                " – IPP ", "\nIdentifiant patient : ", "\nID : ", "\nIPP:"])
                sp = R.random() < .12
                s = f"{pat.pid[:3]} {pat.pid[3:6]} {pat.pid[6:]}" if sp else pat.pid
                B.t(lab[:1] if lab.startswith("\n") else "")
                B.i(s, "IPP", lab.lstrip("\n"), "ipp_spaced" if sp else "ipp", subject=subj)
            if R.random() < .6:
                lab = R.choice(["\nN° examen : ", "\nN° d'examen : ", "\nAccession : ", " – N° demande ",
                                "\nRéf. examen : ", "\nNuméro de venue / examen : "])
                B.t(lab[:1] if lab.startswith("\n") else "")
                B.i(acc, "ACCESSION", lab.lstrip("\n"), "accession")
            if R.random() < .3:
                lab = R.choice(["\nN° SS : ", "\nNIR : ", "\nN° sécurité sociale : ", "\nSécu : "])
                s, f = nir_surface(pat.nir, R)
                B.t("\n").i(s, "NIR", lab.lstrip("\n"), f, subject=subj)
            if R.random() < .2:
                a = pat.address
                B.t("\nAdresse : ")
                sep = R.choice([" ", ", ", "\n"])
                B.i(f"{a[0]}{R.choice([' ', ', '])}{a[1]} {a[2]}{sep}{a[3]} {a[4].upper() if R.random() < .4 else a[4]}",
                    "ADDRESS", "", "patient_address", subject=subj)
            if R.random() < .2:
                s, f = phone_surface(pat.phone, R)
                B.t("\n").i(s, "PHONE", R.choice(["Tél. : ", "Tel : ", "Portable : ", "Tél "]), f, subject=subj)
            if R.random() < .06:
                B.t("\n").i(pat.email, "EMAIL", "Mail : ", "patient_email", subject=subj)
            B.t("\n")
            if R.random() < .8:
                B.t(R.choice(["Date de l'examen : ", "Examen du ", "Examen réalisé le ", "Date : "]))
                pdate(B, exam_d, "", FULL_DATE_FORMS + ["weekday_long"], subject="exam")
                if R.random() < .5:
                    B.t(f" à {exam_dt.hour:02d}h{exam_dt.minute:02d}")
                B.t("\n")
            if R.random() < .6:
                B.t(R.choice(["Prescripteur : ", "Médecin demandeur : ", "Adressé(e) par : ", "Demandeur : "]))
                p, s, f = ref.doctor(R)
                B.i(s, "PERSON", p, f, subject="prescripteur")
                r3 = R.random()
                if r3 < .15:
                    B.t(R.choice([" (oncologie)", " – hématologie", ", pneumologue"]))
                elif r3 < .3:
                    s2, f2 = phone_surface(phone_digits(R, False), R)
                    B.t(" (").i(s2, "PHONE", R.choice(["", "tél. "]), f2).t(")")
                B.t("\n")
        else:
            B.t(R.choice(["Compte rendu\n", "", "COMPTE RENDU D'EXAMEN\n"]))
    else:
        B.t(R.choice(["Compte rendu\n", "", "COMPTE RENDU D'EXAMEN\n", "Examen : "]))
    if not clean and R.random() < .3:
        B.t(R.choice(["Cher Confrère,\n", "Chère Consœur, cher Confrère,\n", "Cher ami,\n"]))
        B.t("J'ai vu ")
        pdate(B, exam_d, R.choice(["le ", "ce jour, le ", "en date du "]), ["dmy", "long", "day_month", "day_month_long", "weekday_long"], subject="exam")
        B.t(", " + ("votre patiente " if pat.female else "votre patient "))
        p, s, f = pat.name(R)
        if f == "civ_usage":
            f, p, s = "civ_fam", ("Mme " if pat.female else "M. "), pat.family
        B.i(s, "PATIENT_NAME", p, f, subject=subj)
        if R.random() < .6:
            B.t(", " + ("née" if pat.female else "né") + " le ")
            pdate(B, pat.birth, "", FULL_DATE_FORMS, subject="birth")
        if R.random() < .3:
            B.t(R.choice([" (IPP ", " (N° patient "]))
            B.i(pat.pid, "IPP", "", "ipp_paren", subject=subj)
            B.t(")")
        B.t(", pour la réalisation d'un examen.\n")
        if R.random() < .4:
            B.t(R.choice(["Je vous remercie de m'avoir adressé ", "Merci de m'avoir confié "]))
            p, s, f = pat.name(R)
            if f in ("civ_usage", "given_only", "lower"):
                f, p, s = "civ_FAM", ("Mme " if pat.female else "M. "), up(pat.family)
            B.i(s, "PATIENT_NAME", p, f, subject=subj)
            B.t(".\n")
    # --- title line --------------------------------------------------------
    B.t("\n" if R.random() < .5 and not B.text.endswith(": ") else "").t(c["title"].upper() if R.random() < .3 and "[[" not in c["title"] else c["title"]).t("\n\n")
    # --- indication -------------------------------------------------------
    B.t(R.choice(["Indication : ", "INDICATION\n", "Indication :\n", "Renseignements cliniques : ",
                  "<b>Indication</b> : " if html else "Motif : "]))
    if not clean and R.random() < .55:
        opt = R.random()
        if opt < .35:
            civ = "Mme " if pat.female else "M. "
            B.i(pat.family if R.random() < .6 else up(pat.family), "PATIENT_NAME", civ, "civ_fam", subject=subj)
            B.t(", ")
            B.i(f"{age} ans", "AGE", "", "age", required=False)
            B.t(R.choice([", adressée par le ", ", suivie par le ", ". Adressée par le "]) if pat.female
                else R.choice([", adressé par le ", ", suivi par le ", ". Adressé par le "]))
            p, s, f = ref.doctor(R)
            if p.lower().startswith("docteur"):
                p = "Dr "
            B.i(s, "PERSON", p, f, subject="prescripteur")
            B.t(". ")
        elif opt < .6:
            B.t(R.choice(["Patiente de ", "Patiente âgée de "]) if pat.female else
                R.choice(["Patient de ", "Patient âgé de ", "Homme de "]))
            B.i(f"{age} ans" if R.random() < .85 else f"{age}ans", "AGE", "", "age", required=False)
            B.t(", ")
            if R.random() < .5:
                B.t("antécédent d'hospitalisation ")
                d1 = exam_d - dt.timedelta(days=R.randint(40, 700))
                d2 = d1 + dt.timedelta(days=R.randint(2, 12))
                if d1.month == d2.month and R.random() < .6:
                    s = f"{d1.day} au {d2.day} {MONTHS[d2.month - 1]} {d2.year}"
                    B.i(s, "DATE", "du ", "range_long")
                else:
                    s1, f1_ = date_surface(d1, "dmy", R)
                    s2, _ = date_surface(d2, "dmy", R)
                    B.i(s1, "DATE", "du ", "range_start")
                    B.i(s2, "DATE", " au ", "range_end")
                B.t(" pour neutropénie fébrile. ")
            else:
                B.t("adressée par " if pat.female else "adressé par ")
                p, s, f = ref.doctor(R)
                B.i(s, "PERSON", p if not p.startswith("Doc") else "le Dr ", f, subject="prescripteur")
                B.t(". ")
        elif opt < .8:
            B.t("Traitement débuté ")
            pdate(B, exam_d - dt.timedelta(days=R.randint(30, 300)), "le ",
                  ["dmy", "long", "dmy_short", "dot", "day_month_long"])
            B.t(R.choice([". ", " ; ", ", "]))
            if R.random() < .5:
                B.t("Diagnostic posé en ")
                pdate(B, exam_d - dt.timedelta(days=R.randint(200, 900)), "", ["month_year"])
                B.t(". ")
        else:
            B.t("Antécédent de néoplasie traitée en ")
            B.i(str(exam_d.year - R.randint(3, 15)), "DATE", "", "year_only", required=False)
            B.t(". ")
    B.t(c["ind"]).t(R.choice(["\n\n", "\n"]))
    # --- technique --------------------------------------------------------
    B.t(R.choice(["Technique : ", "TECHNIQUE\n", "Protocole : "])).t(c["tech"])
    if not clean and R.random() < .25:
        B.t(" Examen n° ")
        B.i(acc, "ACCESSION", "", "accession_inline")
        if mod == "PET":
            B.t(R.choice([" – ", ", ", "/", " ; "])).t(f"activité résiduelle [[num:{f1(R.uniform(2, 15))} MBq]].")
        else:
            B.t(R.choice([".", " ; ", " – "])).t(f"PDL [[num:{R.randint(100, 900)} mGy.cm]]." if mod == "CT" else " Pas d'incident.")
    B.t(R.choice(["\n\n", "\n"]))
    # --- results ------------------------------------------------------------
    B.t(R.choice(["Résultats :\n", "RÉSULTATS\n", "Résultat :\n", "Description :\n"]))
    res = list(c["res"])
    R.shuffle(res)
    comparison_done = False
    for line in res:
        if not clean and not comparison_done and R.random() < .45:
            comparison_done = True
            prior = exam_d - dt.timedelta(days=R.randint(30, 500))
            B.t(R.choice(["Comparaison avec l'examen du ", "Par rapport à la TEP du ",
                          "Comparativement au scanner du ", "Examen de référence : ",
                          "Comparaison avec le précédent examen (", "En comparaison avec l'IRM réalisée le "]))
            pdate(B, prior, "", subject="prior")
            if B.parts[-2].endswith("("):
                B.t(")")
            B.t(R.choice([" :\n", ".\n", "\n", ".\n"]))
        B.t(line + "\n")
    # --- conclusion -----------------------------------------------------------
    B.t("\n" + R.choice(["Conclusion :\n", "CONCLUSION\n", "Conclusion : ", "<b>CONCLUSION</b><br>" if html else "CONCLUSION :\n"]))
    concl = list(c["concl"])
    for line in concl:
        B.t(line + "\n")
    if not clean and R.random() < .12:
        B.t(R.choice(["Examen bien toléré par ", "Bonne coopération de "]))
        B.i(pat.given, "PATIENT_NAME", "", "given_only", subject=subj)
        B.t(".\n")
    if not clean and R.random() < .45:
        opt = R.random()
        if opt < .4:
            B.t("Dossier à discuter en RCP du ")
            pdate(B, exam_d + dt.timedelta(days=R.randint(3, 20)), "", ["dmy", "long", "day_month", "dmy_2y"])
            if R.random() < .6:
                B.t(" (")
                p, s, f = copy1.doctor(R)
                B.i(s, "PERSON", p, f, subject="rcp")
                B.t(")")
            B.t(".\n")
        elif opt < .7:
            B.t(R.choice(["Évolution favorable pour ", "Résultats expliqués à "]))
            p, s, f = pat.name(R)
            if f == "civ_usage":
                f, p, s = "civ_fam", ("Mme " if pat.female else "M. "), pat.family
            B.i(s, "PATIENT_NAME", p, f, subject=subj)
            B.t(R.choice([" depuis ", " par rapport à ", " (comparaison avec "]))
            pdate(B, exam_d - dt.timedelta(days=R.randint(60, 400)), "", ["month_year", "dmy", "long", "iso"])
            B.t(R.choice([".\n", ").\n" if False else ".\n"]))
        else:
            B.t("Contrôle proposé en ")
            pdate(B, exam_d + dt.timedelta(days=R.randint(60, 200)), "", ["month_year"])
            B.t(", à revoir avec ")
            p, s, f = ref.doctor(R)
            B.i(s, "PERSON", p if "Doc" not in p else "le Dr ", f, subject="prescripteur")
            B.t(".\n")
    # --- signature --------------------------------------------------------------
    if not clean:
        B.t("\n")
        sig = R.random()
        if sig < .4:
            B.t(R.choice(["", "Signé : ", "Le médecin : "]))
            p, s, f = sign.doctor(R)
            B.i(s, "PERSON", p, f, subject="signataire", highlight=R.random() < .2)
            B.t("\n" + (R.choice(["Médecin nucléaire", "Praticien hospitalier", "PH – Médecine nucléaire"]) if mod == "PET"
                        else R.choice(["Radiologue", "Praticien hospitalier", "PH – Radiologie"])))
        elif sig < .75:
            B.t(R.choice(["Compte rendu validé électroniquement le ", "Validé le ", "Dicté le ", "CR signé le "]))
            pdate(B, exam_d + dt.timedelta(days=R.randint(0, 3)), "", ["dmy", "dmy", "iso", "dot", "long", "compact"])
            B.t(R.choice([" par le ", " par ", " – "]))
            p, s, f = sign.doctor(R)
            B.i(s, "PERSON", p, f, subject="signataire")
        else:
            p, s, f = sign.doctor(R)
            B.i(s, "PERSON", p, f, subject="signataire")
            B.t(R.choice([", le ", "\nle ", " – "]))
            pdate(B, exam_d, "", FULL_DATE_FORMS, subject="exam")
        if R.random() < .35:
            B.t(R.choice(["\nInterne : ", "\ninterne : ", "\nInterne ", "\nAvec l'interne "]))
            s, f = intern.short(R)
            B.i(s, "PERSON", "", f, subject="interne")
        if R.random() < .15:
            B.t("\nManipulateur : ")
            s, f = copy2.short(R)
            B.i(s, "PERSON", "", f, subject="manipulateur")
        B.t("\n")
        # copies / courrier
        if R.random() < .4:
            B.t("\n" + R.choice(["Copie à : ", "Copie à ", "Copies : ", "Cc : "]))
            p, s, f = copy1.doctor(R)
            B.i(s, "PERSON", p, f, subject="copie")
            if R.random() < .5:
                B.t(R.choice([" (oncologue), ", ", ", " ; ", " et "]))
                p, s, f = gp.doctor(R)
                B.i(s, "PERSON", p, f, subject="copie")
                if R.random() < .3:
                    B.t(", ")
                    a = R.choice(STREET_NAMES)
                    pc, city = R.choice(CITIES)
                    if R.random() < .5:
                        B.i(f"{R.randint(1, 99)}, {R.choice(STREET_TYPES)} {a} {pc} {city}", "ADDRESS", "", "full_address")
                    else:  # street line only, as often in "Copie à" lists
                        B.i(f"{R.randint(1, 99)}, {R.choice(STREET_TYPES)} {a}", "ADDRESS", "", "street_only")
            B.t("\n")
        if R.random() < .3:
            B.t(R.choice(["Courrier adressé au ", "Courrier adressé à ", "Double adressé au "]))
            pref, s, f = gp.doctor(R)
            if R.random() < .3:
                pref, s, f = "Docteur ", f"{gp.given} {up(gp.family)}", "Docteur_given_FAM"
            B.i(s, "PERSON", pref, f, subject="medecin_traitant")
            B.t(R.choice([", ", "\n"]))
            a = R.choice(STREET_NAMES)
            pc, city = R.choice(CITIES)
            if R.random() < .3:
                B.i(f"BP {R.randint(10, 9999)}", "ADDRESS", "", "bp")
                B.t(R.choice([" – ", ", ", "\n"]))
            B.i(f"{R.randint(1, 150)}{R.choice(['', ',', ' bis'])} {R.choice(STREET_TYPES)} {a}{R.choice([' ', ', ', chr(10)])}{pc} {city.upper() if R.random() < .5 else city}",
                "ADDRESS", "", "full_address")
            B.t("\n")
        if R.random() < .15:
            q = Person(R, used_names)
            B.t(R.choice(["Informations transmises à sa fille, ", "Résultats communiqués à sa fille, ",
                          "Personne de confiance : sa fille, "]) if q.female else
                R.choice(["Informations transmises à son fils, ", "Personne de confiance : son fils, ",
                          "Résultats communiqués à son époux, "]))
            p, s, f = q.civil(R)
            B.i(s, "PERSON", p, f, subject="famille")
            if R.random() < .5:
                B.t(" (")
                s2, f2 = phone_surface(phone_digits(R, True), R)
                B.i(s2, "PHONE", "", f2, subject="famille")
                B.t(")")
            B.t(".\n")
    # --- footer -------------------------------------------------------------------
    if not clean and R.random() < .45:
        B.t(R.choice(["\n", "\n--\n"]))
        items = []
        if R.random() < .8:
            items.append("phone")
        if R.random() < .4:
            items.append("email")
        if R.random() < .45:
            items.append("url")
        if not items:
            items.append("phone")
        if R.random() < .5:
            items.append("addr")
        R.shuffle(items)
        for it in items:
            if it == "phone":
                s, f = phone_surface(phone_digits(R, False), R)
                B.t(R.choice(["Secrétariat : ", "Secrétariat ", "Rendez-vous : ", "Tél. secrétariat "]))
                B.i(s, "PHONE", "", f, subject="service")
                if R.random() < .5:
                    B.t(R.choice([" (", " – ", ", "])).k(f"poste {R.randint(1000, 9999)}", "phone_extension")
                    if B.parts[-2].endswith("("):
                        B.t(")")
                if R.random() < .35:
                    s, f = phone_surface(phone_digits(R, False), R)
                    B.t(" – Fax : ").i(s, "PHONE", "", f, subject="service")
            elif it == "email":
                B.t(R.choice(["Mail : ", "Courriel : ", "E-mail : ", ""]))
                user = R.choice(["secretariat.imagerie", "medecine.nucleaire", "rdv-radiologie",
                                 "secr.mn", "imagerie"])
                B.i(f"{user}@{inst['domain']}", "EMAIL", "", "service_email")
            elif it == "url":
                B.t(R.choice(["Site : ", "Prise de rendez-vous : ", "Résultats en ligne : ", ""]))
                u = R.choice([f"https://www.{inst['domain']}", f"www.{inst['domain']}/imagerie",
                              f"https://portail-patient.{inst['domain']}/resultats",
                              f"http://{inst['domain']}/rdv"])
                B.i(u, "URL", "", "url")
            else:
                if "generic" in inst and R.random() < .5:
                    B.i(f"{inst['generic']}, {inst['street']}, {inst['cp']} {inst['city']}", "ADDRESS", "",
                        "generic_inst_address")
                else:
                    B.k(inst["name"], "institution").t(R.choice([", ", " – ", "\n"]))
                    B.i(f"{inst['street']}{R.choice([', ', ' ', chr(10)])}{inst['cp']} {inst['city']}",
                        "ADDRESS", "", "inst_address")
            B.t("\n")
    elif clean and R.random() < .3:
        B.t("\nSecrétariat joignable au standard, ").k(f"poste {R.randint(1000, 9999)}", "phone_extension").t(".\n")
    if html and B.parts and B.parts[0].startswith(("<div", "<p")):
        B._emit("</div>" if B.parts[0].startswith("<div") else "</p>")

    # --- title field & study description ------------------------------------------
    T = Field(rid, "title", None)
    T.t(R.choice(["CR ", "Compte rendu ", ""])).t(c["title"])
    if not clean and R.random() < .3:
        T.t(R.choice([" - ", " – ", " du "]))
        s, f = date_surface(exam_d, R.choice(["dmy", "iso", "compact", "long"]), R)
        T.i(s, "DATE", "", f, subject="exam")
    if not clean and R.random() < .15:
        T.t(" - ")
        p, s, f = pat.name(R, "header")
        T.i(s, "PATIENT_NAME", p, f, subject=subj)
    S = Field(rid, "study_description", None)
    S.t(c["sd"])
    if not clean and R.random() < .12:
        S.t(R.choice([" ", "^", " - "]))
        opt = R.random()
        if opt < .5:
            S.i(f"{up(pat.family, False)}^{up(pat.given, False)}" if R.random() < .5 else up(pat.family, False),
                "PATIENT_NAME", "", "dicom", subject=subj)
        elif opt < .8:
            S.i(pat.pid, "IPP", "", "ipp", subject=subj)
        else:
            S.i(exam_d.strftime("%Y%m%d"), "DATE", "", "compact", subject="exam")
    return dict(text=B, title=T, sd=S)


# --------------------------------------------------------------------------
# Self-checks
# --------------------------------------------------------------------------

SHAPES = [
    ("digits9+", re.compile(r"(?<![\w,.])\d{9,}(?![\w,])")),
    ("date_num", re.compile(r"(?<![\w/.,+-])\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?![\w/])")),
    ("iso", re.compile(r"\b(19|20)\d{2}-\d{2}-\d{2}\b")),
    ("date_month", re.compile(r"\b\d{1,2}(er)? (" + "|".join(MONTHS) + r")\b", re.I)),
    ("month_year", re.compile(r"\b(" + "|".join(MONTHS) + r") (19|20)\d{2}\b", re.I)),
    ("phone", re.compile(r"(?<!\d)0\d([ .-]?\d{2}){4}(?!\d)")),
    ("accession", re.compile(r"\bA\d{8}\b")),
    ("email", re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")),
    ("url", re.compile(r"(https?://|www\.)[^\s<]+")),
    ("year", re.compile(r"(?<![\w,.])(19|20)\d{2}(?![\w,])")),
]


def covered(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(s <= a and b <= e for s, e in spans)


def check_field(text: str, ids: list[dict], keeps: list[dict], name_tokens: set[str]) -> None:
    for r in ids + keeps:
        assert text[r["start"]:r["end"]] == r["surface"], r
        if r.get("prefix"):
            assert text[r["start"] - len(r["prefix"]):r["start"]] == r["prefix"], r
    spans = sorted([(r["start"], r["end"]) for r in ids + keeps])
    for (a1, b1), (a2, b2) in zip(spans, spans[1:], strict=False):
        assert b1 <= a2, ("overlap", text[a1:b2])
    # plain text must hold no name token of the patient / staff in this report
    allspans = [(r["start"], r["end"]) for r in ids + keeps]
    norm = strip_accents(text).lower()
    assert len(norm) == len(text)
    for tok in name_tokens:
        for m in re.finditer(r"(?<![a-z])" + re.escape(tok) + r"(?![a-z])", norm):
            assert covered(allspans, m.start(), m.end()), ("unmarked name", tok, text[max(0, m.start() - 40):m.end() + 40])
    for label, rx in SHAPES:
        for m in rx.finditer(text):
            # shapes may extend into markup; require coverage of the digits
            if label in ("digits9+", "date_num") and not covered(allspans, m.start(), m.end()):
                # ratios and numbers inside a keep span are fine; anything else is a bug
                raise AssertionError((label, text[max(0, m.start() - 40):m.end() + 40]))
            if label not in ("digits9+", "date_num") and not covered(allspans, m.start(), m.end()):
                raise AssertionError((label, m.group(0), text[max(0, m.start() - 40):m.end() + 40]))


# --------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=N_REPORTS)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", type=Path, default=HERE / "corpus")
    args = ap.parse_args()

    import pandas as pd

    rng = random.Random(args.seed)
    random.seed(args.seed)  # Field.i uses the module RNG for &nbsp; choices
    n = args.n
    n_pat = int(n * .7)
    pids = rng.sample(range(800000000, 899999999), n_pat)
    patients = [Patient(str(p), rng) for p in pids]
    accs = rng.sample(range(10000000, 99999999), n)
    mods = (["PET"] * 40 + ["CT"] * 22 + ["MR"] * 14 + ["US"] * 9 + ["MG"] * 8 + ["CR"] * 7)
    n_clean = int(round(n * CLEAN_SHARE))
    clean_flags = [True] * n_clean + [False] * (n - n_clean)
    rng.shuffle(clean_flags)

    reports, ids, keeps = [], [], []
    for k in range(n):
        rid = f"DEID{k + 1:04d}"
        pat = patients[k] if k < n_pat else rng.choice(patients)
        mod = rng.choice(mods)
        inst = rng.choice(INSTITUTIONS)
        exam_dt = dt.datetime(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 8),
                                                          minutes=rng.randint(7 * 60, 19 * 60))
        acc = f"A{accs[k]}"
        # staff names must not collide with patient names: re-draw the patient if a
        # homonymous staff name is unavoidable (handled inside Person via the exclude set)
        f = make_report(rid, pat, exam_dt, acc, inst, mod, clean_flags[k], rng)
        name_tokens = set(pat.tokens())
        for fld in f.values():
            for r in fld.ids:
                if r["kind"] in ("PERSON", "PATIENT_NAME"):
                    for t in re.split(r"[ \-'^.,]", strip_accents(r["surface"]).lower()):
                        if len(t) >= 3 and not t.startswith("&"):
                            name_tokens.add(t)
        name_tokens -= {"nee", "amp", "eacute", "egrave"}
        for fld in f.values():
            check_field(fld.text, fld.ids, fld.keeps, name_tokens)
        if clean_flags[k]:
            assert not f["text"].ids and not f["title"].ids and not f["sd"].ids
        reports.append(dict(
            report_id=rid, patient_id=pat.pid, family_name=pat.family.upper(),
            given_name=pat.given, usage_name=(pat.usage or "").upper() or None,
            sex="F" if pat.female else "M", birth_date=pat.birth.isoformat(),
            nir=pat.nir, accession_number=acc,
            exam_datetime=exam_dt.strftime("%Y-%m-%d %H:%M:%S"), modality=mod,
            text=f["text"].text, title=f["title"].text, study_description=f["sd"].text,
            institution=inst["name"], html=bool(f["text"].html),
            clean_body=not f["text"].ids))
        ids += f["text"].ids + f["title"].ids + f["sd"].ids
        keeps += f["text"].keeps + f["title"].keeps + f["sd"].keeps

    rep = pd.DataFrame(reports)
    idf = pd.DataFrame(ids)
    kdf = pd.DataFrame(keeps)
    idf.insert(1, "n", idf.groupby("report_id").cumcount())
    # final global assertion against the stored frames
    by_id = rep.set_index("report_id")
    col = {"text": "text", "title": "title", "study_description": "study_description"}
    for df in (idf, kdf):
        for r in df.itertuples():
            assert by_id.at[r.report_id, col[r.field]][r.start:r.end] == r.surface
    share_clean = rep["clean_body"].mean()
    assert share_clean >= .20, share_clean
    assert len(rep) >= 240 and len(idf) >= 1200 and len(kdf) >= 400, (len(rep), len(idf), len(kdf))

    args.out.mkdir(parents=True, exist_ok=True)
    for name, df in (("reports", rep), ("identifiers", idf), ("keep_words", kdf)):
        df.to_parquet(args.out / f"{name}.parquet", index=False)
        df.to_csv(args.out / f"{name}.csv", index=False)
    print(f"reports: {len(rep)} (clean body: {rep['clean_body'].sum()} = {share_clean:.0%}, html: {rep['html'].sum()})")
    print(f"identifiers: {len(idf)}")
    print(idf.groupby(["kind"]).size().to_string())
    print("by field:", idf.groupby("field").size().to_dict())
    print(f"keep_words: {len(kdf)}")
    print(kdf.groupby("category").size().to_string())
    lines = rep["text"].map(lambda t: sum(1 for ln in re.split(r"\n|<br ?/?>|<BR>", t) if ln.strip()))
    print(f"non-blank lines per report: min {lines.min()}, median {lines.median():.0f}, max {lines.max()}")


if __name__ == "__main__":
    main()
