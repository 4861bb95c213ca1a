"""A development corpus of French report texts with planted, annotated identifiers.

Written for developing :mod:`radlink.privacy.deidentify` (not for quoting figures:
the figures that count come from the blind ``benchmarks/deid_corpus``). It writes
the same three tables as the blind corpus' schema (see its README), so
``python benchmarks/bench_deid.py --corpus benchmarks/deid_dev/corpus`` scores it:

* ``reports``: ``report_id, patient_id, family_name, given_name, usage_name,
  accession_number, text, title, study_description``;
* ``identifiers``: ``report_id, field, start, end, kind, surface, form, required``;
* ``keep_words``: ``report_id, field, start, end, surface, category``.

Its phrasings are our own guesses of how identifiers reach reports: header lines
from several RIS, letters to the referring doctor, people with and without titles
(staff, relatives), addresses in many shapes (one or two lines, ``<br>``, bis/ter,
abbreviated street types, CEDEX, postal boxes), ids after many labels, phones,
e-mails, URLs and dates in every form, and HTML residue with entity-encoded letters.

Usage::

    python benchmarks/deid_dev/make_dev.py [--n 400] [--seed 7] [--out benchmarks/deid_dev/corpus]
"""

from __future__ import annotations

import argparse
import html
import random
from pathlib import Path

import pandas as pd

FAMILY = """Martin Bernard Thomas Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy
David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure
Mercier Guérin Boyer Garnier Chevalier Legrand Gauthier Garcia Perrin Robin Morin Henry Roussel Mathieu
Masson Duval Dumont Lemaire Meyer Dufour Meunier Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier
Arnaud Martinez Roche Renard Schmitt Leroux Colin Vidal Caron Picard Fabre Aubert Lemoine Renaud Dumas
Lacroix Bourgeois Benoît Rey Leclerc Payet Rolland Guillaume Lecomte Lopez Dupuy Guillot Hubert Berger
Carpentier Sanchez Dupuis Deschamps Huet Vasseur Perez Fleury Royer Klein Jacquet Poirier Marty Aubry Guyot
Renault Charpentier Ménard Maillard Baron Bertin Bailly Hervé Schneider Fernandez Collet Léger Bouvier
Prévost Millet Perrot Cousin Germain Breton Besson Langlois Pelletier Lévêque Perrier Leblanc Lebrun Weber
Mallet Hamon Jacob Monnier Michaud Rodriguez Guichard Gillet Étienne Grondin Poulain Tessier Chauvin Bouchet
Lemaître Humbert Reynaud Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay Pasquier Carlier
Laporte Le Gall Le Goff Kerbrat Nguyen Benali Haddad Diallo Ferreira Da Silva Tran Cohen Lévy Bouzid""".split("\n")
FAMILY = [w for line in FAMILY for w in (line.replace("Le Gall", "Le_Gall").replace("Le Goff", "Le_Goff")
                                            .replace("Da Silva", "Da_Silva").split())]
FAMILY = [w.replace("_", " ") for w in FAMILY]
GIVEN_F = """Marie Nathalie Isabelle Sylvie Catherine Françoise Martine Christine Monique Valérie Sandrine Sophie
Céline Chantal Stéphanie Véronique Nicole Anne Julie Aurélie Émilie Camille Léa Manon Chloé Inès Louise Alice
Juliette Pauline Mathilde Margaux Charlotte Agnès Béatrice Corinne Florence Laurence Mireille Odile Hélène
Jacqueline Suzanne Denise Yvette Josiane Danielle Brigitte Karine Delphine Élodie Audrey Mélanie Laura Sarah
Clémence Solène Maëlle Océane Anaïs Lucie Zoé Jade Amandine Gaëlle Nadia Fatima Leïla Samia Yasmine""".split()
GIVEN_M = """Jean Pierre Michel André Philippe Alain Bernard Jacques Daniel Christian Patrick Claude René Louis
Gérard Marcel François Nicolas Christophe Stéphane David Frédéric Laurent Éric Olivier Thierry Pascal Dominique
Sébastien Julien Didier Guy Paul Henri Robert Roger Georges Joseph Maurice Yves Serge Jean-Pierre Jean-Claude
Jean-Luc Jean-François Hervé Vincent Bruno Jérôme Alexandre Guillaume Thomas Antoine Maxime Romain Mathieu
Cédric Fabrice Ludovic Emmanuel Arnaud Benoît Damien Grégory Jérémy Kévin Florian Yann Xavier Hugo Lucas
Gabriel Arthur Raphaël Jules Adam Nathan Enzo Mohamed Karim Rachid Mehdi Youssef Théo Loïc Gaëtan Hadrien""".split()
STREET_TYPES = ["rue", "rue", "rue", "avenue", "av.", "Avenue", "boulevard", "bd", "Bd", "allée", "impasse",
                "chemin", "place", "quai", "route", "cours", "square", "rond-point", "faubourg", "lotissement",
                "passage", "sentier", "résidence", "RUE", "AVENUE", "BOULEVARD"]
STREET_NAMES = ["des Lilas", "Victor Hugo", "du Général Leclerc", "de la République", "Jean Jaurès", "Pasteur",
                "de l'Église", "des Frères Lumière", "Saint-Exupéry", "du Maréchal Foch", "de Verdun", "Gambetta",
                "de la Gare", "des Écoles", "du Moulin", "Émile Zola", "de Paris", "du Château", "des Acacias",
                "Nationale", "de Strasbourg", "des Tilleuls", "du Professeur Calmette", "Anatole France",
                "Pierre et Marie Curie", "du Onze Novembre", "Paul Vaillant-Couturier", "Montaigne", "d'Alsace",
                "de la Libération", "Louis Pasteur", "du Stade", "des Peupliers", "Sainte-Anne", "Mozart"]
CITIES = [("75012", "Paris"), ("69003", "Lyon"), ("13005", "Marseille"), ("42100", "Saint-Étienne"),
          ("72000", "Le Mans"), ("13100", "Aix-en-Provence"), ("92100", "Boulogne-Billancourt"),
          ("59650", "Villeneuve-d'Ascq"), ("85000", "La Roche-sur-Yon"), ("54500", "Vandœuvre-lès-Nancy"),
          ("29200", "Brest"), ("35000", "Rennes"), ("75013", "PARIS"), ("69437", "LYON CEDEX 03"),
          ("31059", "Toulouse Cedex 9"), ("06000", "Nice"), ("33000", "Bordeaux"), ("67000", "Strasbourg"),
          ("44000", "Nantes"), ("97400", "Saint-Denis"), ("2A000", None), ("20000", "Ajaccio"),
          ("76600", "Le Havre"), ("94000", "Créteil"), ("38000", "Grenoble"), ("51100", "Reims")]
CITIES = [c for c in CITIES if c[1]]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
INSTITUTIONS = ["Centre Léon Bérard", "Hôpital Européen Georges-Pompidou", "Institut Gustave Roussy",
                "Hôpital Henri Mondor", "CHU de Nantes", "Hôpital Saint-Louis", "Centre Oscar Lambret",
                "Institut Paoli-Calmettes", "Hôpital Édouard Herriot", "Centre Jean Perrin", "Hôpital Bichat",
                "Centre François Baclesse", "Institut Bergonié", "Hôpital Jean Verdier", "Clinique Pasteur",
                "Hôpital Raymond Poincaré", "Hôpital Louis Mourier", "Groupe Hospitalier Paris Saint-Joseph"]
EPONYMS = ["Hodgkin", "Deauville", "Gleason", "Douglas", "Morison", "Bosniak", "Couinaud", "Breslow",
           "Hounsfield", "Wirsung", "Virchow", "Barrett", "Krukenberg", "Pancoast", "Modic", "Schmorl"]


class Doc:
    """A text under construction, with the offsets of what was planted in it."""

    def __init__(self, html_mode: bool):
        self.parts: list[str] = []
        self.len = 0
        self.ids: list[tuple] = []
        self.keep: list[tuple] = []
        self.html = html_mode

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.len += len(text)

    def ident(self, kind: str, surface: str, form: str, required: bool = True) -> None:
        if self.html and random.random() < 0.5:
            surface = html.escape(surface, quote=False).encode("ascii", "xmlcharrefreplace").decode()
            surface = surface.replace("&#233;", "&eacute;").replace("&#232;", "&egrave;")
        self.ids.append((self.len, self.len + len(surface), kind, surface, form, required))
        self.add(surface)

    def keepw(self, surface: str, category: str) -> None:
        self.keep.append((self.len, self.len + len(surface), surface, category))
        self.add(surface)

    def newline(self) -> None:
        self.add("<br>\n" if self.html else "\n")

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _upper(s: str) -> str:
    return s.upper()


def _plain(s: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _date_forms(r: random.Random) -> tuple[str, str]:
    y, m, d = r.randint(1935, 2024), r.randint(1, 12), r.randint(1, 28)
    forms = {
        "dd/mm/yyyy": f"{d:02d}/{m:02d}/{y}", "d/m/yy": f"{d}/{m}/{y % 100:02d}", "iso": f"{y}-{m:02d}-{d:02d}",
        "dicom": f"{y}{m:02d}{d:02d}", "dotted": f"{d:02d}.{m:02d}.{y}", "long": f"{d} {MONTHS[m - 1]} {y}",
        "long_upper": f"{d:02d} {MONTHS[m - 1].upper()} {y}", "month_year": f"{MONTHS[m - 1]} {y}",
        "1er": f"1er {MONTHS[m - 1]} {y}", "dashed": f"{d:02d}-{m:02d}-{y}",
        "abbr": f"{d} {MONTHS[m - 1][:4].rstrip('é')}. {y}" if m not in (3, 5, 6) else f"{d} {MONTHS[m - 1]} {y}",
        "weekday": f"mardi {d} {MONTHS[m - 1]} {y}",
    }
    form = r.choice(list(forms))
    return form, forms[form]


def _person(r: random.Random) -> tuple[str, str]:
    fam, giv = r.choice(FAMILY), r.choice(GIVEN_F + GIVEN_M)
    if r.random() < 0.15:
        fam = f"{fam}-{r.choice(FAMILY)}"
    forms = {
        "Given Family": f"{giv} {fam}", "Given FAMILY": f"{giv} {fam.upper()}", "FAMILY Given": f"{fam.upper()} {giv}",
        "Family": fam, "FAMILY": fam.upper(), "G. Family": f"{giv[0]}. {fam}",
        "J.-P. Family": f"{giv[0]}.-{r.choice('PLMC')}. {fam}", "Family G.": f"{fam} {giv[0]}.",
        "FAMILY G.": f"{fam.upper()} {giv[0]}.",
    }
    form = r.choice(list(forms))
    return form, forms[form]


def _ipp(r: random.Random) -> tuple[str, str]:
    digits = str(r.choice([r.randint(10**8, 10**9 - 1), r.randint(10**7, 10**8 - 1), r.randint(10**9, 10**10 - 1)]))
    form = r.choice(["compact", "compact", "spaced", "zero"])
    if form == "spaced":
        return form, " ".join(digits[i:i + 3] for i in range(0, len(digits), 3))
    if form == "zero":
        return form, "00" + digits[:8]
    return form, digits


def _address(d: Doc, r: random.Random) -> None:
    num = str(r.randint(1, 240)) + r.choice(["", "", "", " bis", "ter", "B"])
    street = f"{num}{r.choice([' ', ', '])}{r.choice(STREET_TYPES)} {r.choice(STREET_NAMES)}"
    cp, city = r.choice(CITIES)
    shape = r.choice(["one_line", "two_lines", "no_city", "resid", "bp", "city_only"])
    if shape == "one_line":
        d.ident("ADDRESS", f"{street}, {cp} {city}", shape)
    elif shape == "two_lines":
        surface = street + ("<br>\n" if d.html else "\n") + f"{cp} {city}"
        d.ids.append((d.len, d.len + len(surface), "ADDRESS", surface, shape, True))
        d.add(surface)
    elif shape == "no_city":
        d.ident("ADDRESS", street, shape)
    elif shape == "resid":
        d.ident("ADDRESS", f"Résidence {r.choice(['Les Pins', 'du Parc', 'Les Jardins de Flore'])}, "
                           f"bât. {r.choice('ABC')}, {street}, {cp} {city}", shape)
    elif shape == "bp":
        d.ident("ADDRESS", f"BP {r.randint(10, 9999)}", shape)
        d.add(", ")
        d.ident("ADDRESS", f"{cp} {city}", "cp_city")
    else:
        d.ident("ADDRESS", f"{cp} {city}", "cp_city")


def make_report(i: int, r: random.Random) -> tuple[dict, list, list]:
    fam, giv = r.choice(FAMILY), r.choice(GIVEN_F + GIVEN_M)
    usage = r.choice(FAMILY) if r.random() < 0.2 else None
    _, ipp = _ipp(r)
    ipp_compact = ipp.replace(" ", "")
    acc = f"{r.choice(['A', 'RX', 'E'])}{r.randint(10**6, 10**8)}"
    d = Doc(html_mode=r.random() < 0.25)
    acc_in_text = r.random() < 0.5

    # header
    header = r.choice(["pipe", "lines", "sentence"])
    pn_form = r.choice(["FAMILY Given", "Given FAMILY", "FAMILY^GIVEN", "Mme/M. Family", "Nom/Prénom", "family given"])
    def patient_name() -> None:
        if pn_form == "FAMILY Given":
            d.ident("PATIENT_NAME", f"{fam.upper()} {giv}", pn_form)
        elif pn_form == "Given FAMILY":
            d.ident("PATIENT_NAME", f"{giv} {fam.upper()}", pn_form)
        elif pn_form == "FAMILY^GIVEN":
            d.ident("PATIENT_NAME", f"{_plain(fam).upper()}^{_plain(giv).upper()}", pn_form)
        elif pn_form == "Mme/M. Family":
            d.add(r.choice(["Mme ", "M. ", "Madame ", "Monsieur "]))
            d.ident("PATIENT_NAME", fam, pn_form)
        elif pn_form == "Nom/Prénom":
            d.add("Nom : ")
            d.ident("PATIENT_NAME", fam.upper(), pn_form)
            d.add(" Prénom : ")
            d.ident("PATIENT_NAME", giv, pn_form)
        else:
            d.ident("PATIENT_NAME", f"{fam.lower()} {giv.lower()}", pn_form)

    label = r.choice(["IPP : ", "IPP ", "N° patient : ", "NIP: ", "Identifiant patient ", "IPP du patient : ",
                      "Dossier n° ", "N° IPP : ", "(IPP ", "Réf. patient ", "n° patient ", "Num. IPP ",
                      "Identifiant : ", "IPP n°", "No patient : ", "ID : "])
    if header == "pipe":
        d.add("Patient : ")
        patient_name()
        d.add(" | ")
        d.add(label)
        d.ident("IPP", ipp, "labelled")
        d.add(")" if label.startswith("(") else "")
        d.add(" | Né(e) le ")
        d.ident("DATE", _date_forms(r)[1], "birth")
        d.newline()
    elif header == "lines":
        patient_name()
        d.newline()
        d.add(label)
        d.ident("IPP", ipp, "labelled")
        d.add(")" if label.startswith("(") else "")
        d.newline()
        d.add("Date de naissance : ")
        d.ident("DATE", _date_forms(r)[1], "birth")
        d.newline()
    else:
        d.add("Compte rendu concernant ")
        patient_name()
        d.add(f", {r.randint(20, 89)} ans, ")
        d.add(label)
        d.ident("IPP", ipp, "labelled")
        d.add(")" if label.startswith("(") else "")
        d.add(".")
        d.newline()
    if r.random() < 0.4:
        d.add(r.choice(["Adresse : ", "Domicile : ", "demeurant ", "Adresse patient : "]))
        _address(d, r)
        d.newline()
    if r.random() < 0.3:
        d.add(r.choice(["Tél : ", "Tel. ", "Portable : ", "téléphone "]))
        num = "0" + str(r.choice([1, 2, 3, 4, 5, 6, 7, 9])) + "".join(str(r.randint(0, 9)) for _ in range(8))
        shape = r.choice(["spaced", "dotted", "compact", "intl"])
        if shape == "spaced":
            num = " ".join(num[i:i + 2] for i in range(0, 10, 2))
        elif shape == "dotted":
            num = ".".join(num[i:i + 2] for i in range(0, 10, 2))
        elif shape == "intl":
            num = "+33 " + num[1] + " " + " ".join(num[i:i + 2] for i in range(2, 10, 2))
        d.ident("PHONE", num, shape)
        d.newline()
    if acc_in_text:
        d.add(r.choice(["N° d'examen : ", "Accession : ", "N° examen ", "Examen n° "]))
        d.ident("ACCESSION", acc, "labelled")
        d.newline()

    # requester and staff
    for _ in range(r.randint(1, 3)):
        form, person = _person(r)
        intro = r.choice(["Demandé par le Dr ", "Médecin demandeur : Dr ", "Prescripteur : ", "Radiologue : Dr ",
                          "Interne : ", "Manipulateur : ", "Copie à : Pr ", "Médecin traitant : Docteur ",
                          "Validé par ", "Compte rendu dicté par le Pr ", "Cc : Dr ", "Signé : ",
                          "Adressé par le docteur ", "Examen lu par ", "Correspondant : ", "Dr. ", "Pr. ",
                          "Avis du Dr ", "en présence de ", "Relu par : "])
        if intro in ("en présence de ", "Examen lu par ", "Validé par ") and form in ("Family", "FAMILY"):
            form, person = "Given Family", f"{r.choice(GIVEN_F)} {r.choice(FAMILY)}"
        d.add(intro)
        d.ident("PERSON", person, form)
        if r.random() < 0.3:
            d.add(f" ({r.choice(['radiologue', 'oncologue', 'pneumologue', 'médecin nucléaire'])})")
        if r.random() < 0.3:
            d.add(", ")
            d.keepw(r.choice(INSTITUTIONS), "institution")
            if r.random() < 0.4:
                d.add(", ")
                _address(d, r)
            if r.random() < 0.5:
                d.add(" (poste ")
                d.keepw(str(r.randint(1000, 9999)), "phone_extension")
                d.add(")")
        d.newline()
    if r.random() < 0.3:
        rel = r.choice(["sa fille, Mme ", "son époux, M. ", "son fils ", "sa sœur Madame ", "accompagnée de sa mère, "])
        d.add(f"Patient(e) accompagné(e) par {rel}")
        form, person = _person(r)
        if rel.endswith(", ") and not rel.endswith("M. ") and form in ("Family", "FAMILY", "Family G.", "FAMILY G."):
            person = f"{r.choice(GIVEN_F)} {r.choice(FAMILY)}"
        d.ident("PERSON", person, "relative")
        d.add(".")
        d.newline()

    # clinical body with look-alikes
    d.add("Indication : bilan d'un lymphome ")
    d.keepw(r.choice(["Hodgkin", "non hodgkinien"]) if r.random() < 0.5 else "Hodgkin", "eponym")
    d.add(", examen ")
    d.add(r.choice(["du ", "en date du ", "réalisé le "]))
    d.ident("DATE", _date_forms(r)[1], "exam")
    d.add(".")
    d.newline()
    d.add("Technique : activité injectée ")
    d.keepw(f"{r.randint(150, 400)},{r.randint(0, 9)} MBq", "num")
    d.add(", glycémie ")
    d.keepw(f"{r.randint(4, 9)},{r.randint(0, 9)} mmol/l", "num")
    d.add(".")
    d.newline()
    d.add("Résultats : ")
    d.keepw(r.choice(["Masse", "Petit"]), "homonym")
    d.add(" nodule lobaire supérieur droit de ")
    d.keepw(f"{r.randint(5, 40)} mm", "num")
    d.add(" (SUVmax ")
    d.keepw(f"{r.randint(2, 20)},{r.randint(0, 9)}", "num")
    d.add("), cul-de-sac de ")
    d.keepw("Douglas", "eponym")
    d.add(" libre, score de ")
    d.keepw(r.choice(["Deauville", "Gleason", "Bosniak", "Breslow"]), "eponym")
    d.add(" 4, lésion vertébrale ")
    d.keepw(r.choice(["L3", "T12", "L4-L5"]), "code")
    d.add(", stade ")
    d.keepw(r.choice(["T2N1M0", "cT2a", "IIIA"]), "code")
    d.add(".")
    d.newline()
    if r.random() < 0.6:
        d.add(r.choice(["Comparaison avec l'examen du ", "Par rapport au ", "Antériorité : TEP du "]))
        d.ident("DATE", _date_forms(r)[1], "prior")
        d.add(r.choice([" (", ", "]))
        d.keepw(r.choice(INSTITUTIONS), "institution")
        d.add(").")
        d.newline()
    if r.random() < 0.3:
        d.add(r.choice(["Contact : ", "Résultats à ", "Secrétariat : "]))
        user = _plain(r.choice(FAMILY)).lower().replace(" ", "")
        d.ident("EMAIL", f"{user}.{_plain(giv).lower()}@chu-{r.choice(['lyon', 'nantes', 'rennes'])}.fr", "email")
        d.newline()
    if r.random() < 0.2:
        d.add("Images disponibles sur ")
        d.ident("URL", f"https://pacs.hopital-{r.randint(1, 99)}.fr/viewer?study={r.randint(1000, 99999)}", "url")
        d.newline()
    if r.random() < 0.2:
        d.add("Recommandations ")
        d.keepw(r.choice(["Fleischner 2017", "Lugano 2014"]), "guideline_year")
        d.add(".")
        d.newline()
    d.add("Conclusion : ")
    d.keepw(r.choice(["Masse", "Petit"]), "homonym")
    d.add(" lésion hypermétabolique, à discuter en RCP le ")
    d.ident("DATE", r.choice([f"{r.randint(1, 28)}/{r.randint(1, 12)}", f"{r.randint(1, 28)} {r.choice(MONTHS)}"]),
            "day_month")
    d.add(".")
    d.newline()
    if r.random() < 0.5:
        d.add(r.choice(["Bien confraternellement, ", "Cordialement,\n", "Signature électronique : ", "Le "]))
        form, person = _person(r)
        d.add(r.choice(["Dr ", "Docteur ", "Pr "]))
        d.ident("PERSON", person, form)

    title_d = Doc(False)
    title_d.add(r.choice(["TEP-TDM FDG ", "IRM pelvienne ", "Scanner TAP "]))
    if r.random() < 0.5:
        title_d.add("- ")
        title_d.ident("PATIENT_NAME", f"{_plain(fam).upper()} {_plain(giv).upper()}", "title")
        title_d.add(" - ")
        title_d.ident("DATE", _date_forms(r)[1], "title")
    desc_d = Doc(False)
    desc_d.add("PET-CT WB ")
    if r.random() < 0.3:
        desc_d.ident("PATIENT_NAME", f"{_plain(fam).upper()}^{_plain(giv).upper()}", "desc")

    rid = f"D{i:04d}"
    row = {"report_id": rid, "patient_id": ipp_compact, "family_name": fam.upper(), "given_name": giv,
           "usage_name": usage, "accession_number": acc, "text": d.text, "title": title_d.text,
           "study_description": desc_d.text}
    ids = [(rid, f, *x) for f, doc in (("text", d), ("title", title_d), ("study_description", desc_d))
           for x in doc.ids]
    keeps = [(rid, "text", *x) for x in d.keep]
    return row, ids, keeps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "corpus")
    args = parser.parse_args()
    r = random.Random(args.seed)
    random.seed(args.seed)
    rows, ids, keeps = [], [], []
    for i in range(args.n):
        row, i_, k_ = make_report(i, r)
        rows.append(row)
        ids += i_
        keeps += k_
    reports = pd.DataFrame(rows)
    identifiers = pd.DataFrame(ids, columns=["report_id", "field", "start", "end", "kind", "surface", "form",
                                             "required"])
    keep = pd.DataFrame(keeps, columns=["report_id", "field", "start", "end", "surface", "category"])
    texts = {(r_.report_id, f): getattr(r_, f) for r_ in reports.itertuples() for f in ("text", "title", "study_description")}
    for t in (identifiers, keep):
        for x in t.itertuples():
            assert texts[(x.report_id, x.field)][x.start:x.end] == x.surface, x
    args.out.mkdir(parents=True, exist_ok=True)
    reports.to_parquet(args.out / "reports.parquet", index=False)
    identifiers.to_parquet(args.out / "identifiers.parquet", index=False)
    keep.to_parquet(args.out / "keep_words.parquet", index=False)
    print(f"{len(reports)} reports, {len(identifiers)} identifiers, {len(keep)} keep-words -> {args.out}")


if __name__ == "__main__":
    main()
