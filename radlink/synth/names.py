"""French name data and the identity-noise functions that distort names and dates.

Data only, plus small pure functions. Family names follow a heavy-tailed frequency: a
list of common French surnames (ordered by their rank in INSEE birth records
1891-1990, as popularised by geneanet/INSEE rankings) carries about a third of the
population, so that ``MARTIN`` or ``BERNARD`` recur often; the rest is drawn from a long
tail of French-sounding surnames built from syllables, so that rare names are rare, as in
a real registry. Particles (``Le Gall``, ``de la Fontaine``, ``d'Arcy``) and hyphenated
names (``Martin-Dupont``) are included because they are what record linkage trips on.

Every noise function is deterministic given its ``random.Random`` stream and returns the
input unchanged only when it cannot apply (callers check applicability first).
"""

from __future__ import annotations

import random

import numpy as np

__all__ = [
    "COMMON_FAMILY_NAMES",
    "MALE_GIVEN_NAMES",
    "FEMALE_GIVEN_NAMES",
    "family_name_pool",
    "given_name_pool",
    "strip_accents",
    "typo",
    "compound_variant",
    "has_compound",
]

# Most frequent French surnames, in rank order (INSEE-based national rankings).
COMMON_FAMILY_NAMES: tuple[str, ...] = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois",
    "Moreau", "Laurent", "Simon", "Michel", "Lefèbvre", "Leroy", "Roux", "David",
    "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine",
    "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc",
    "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
    "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
    "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire",
    "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly",
    "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard",
    "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
    "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix",
    "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet",
    "Rolland", "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot",
    "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin", "Louis", "Deschamps",
    "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet",
    "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles",
    "Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé",
    "Schneider", "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost",
    "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain", "Breton", "Besson",
    "Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré",
    "Lebrun", "Marchal", "Weber", "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier",
    "Michaud", "Rodriguez", "Guichard", "Gillet", "Étienne", "Grondin", "Poulain", "Tessier",
    "Chevallier", "Collin", "Chauvin", "Da Silva", "Bouchet", "Gay", "Lemaître", "Bénard",
    "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret", "Barthélémy", "Cordier",
    "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte",
    "Nguyen", "Le Floch", "Le Bihan", "Le Corre", "Ferreira", "Dos Santos", "Gomez", "Diallo",
)  # fmt: skip

# Surnames with particles, kept apart so that their share is controlled.
PARTICLE_FAMILY_NAMES: tuple[str, ...] = (
    "de la Fontaine", "d'Arcy", "de Saint-Exupéry", "du Pont", "de Villiers", "d'Aubigné",
    "de la Tour", "Le Bris", "Le Guen", "Le Moal", "de Lattre", "d'Estaing", "des Roches",
    "de Montaigne", "La Rocca", "Le Dantec", "de Bonneval", "du Bellay", "d'Harcourt",
    "Saint-Martin", "Sainte-Croix",
)  # fmt: skip

_ONSETS = (
    "Bou", "Char", "Mar", "Lef", "Gir", "Del", "Fav", "Ver", "Cor", "Bel", "Dur", "Lam",
    "Pel", "Tess", "Vial", "Ro", "Cha", "Gre", "Mon", "Ba", "Be", "Bru", "Ca", "Cour",
    "Des", "Fer", "Fou", "Gal", "Gau", "Gui", "Jou", "La", "Le", "Lou", "Ma", "Mé",
    "Mi", "Pa", "Pi", "Pou", "Ri", "Sa", "Tho", "Tou", "Va", "Vi", "Bo", "Co", "Da",
    "Do", "Fa", "Go", "Hé", "Jo", "Mo", "No", "Po", "Ré", "Sé", "Té",
)  # fmt: skip
_MIDDLES = ("", "", "", "ch", "r", "ll", "nn", "v", "ss", "l", "t", "rt", "nd", "m")
_ENDINGS = (
    "ier", "and", "aud", "ard", "ot", "et", "in", "on", "eau", "elle", "ès", "ère",
    "ault", "y", "ac", "ieux", "ois", "ouin", "el", "as", "ieu", "ette", "illon", "ol",
    "eix", "ais", "our", "ent", "ant", "ic",
)  # fmt: skip

MALE_GIVEN_NAMES: tuple[str, ...] = (
    "Jean", "Michel", "Philippe", "Alain", "Patrick", "Pierre", "Christian", "Daniel",
    "Bernard", "Gérard", "Jacques", "Éric", "Thierry", "Jean-Pierre", "Dominique", "Claude",
    "François", "Frédéric", "Pascal", "Stéphane", "Nicolas", "Laurent", "Olivier", "Christophe",
    "Jean-Claude", "Jean-François", "Jean-Luc", "Didier", "Serge", "Joël", "Gilles", "André",
    "René", "Jérôme", "Sébastien", "Hervé", "Denis", "Marc", "Yves", "Bruno",
    "Jean-Marc", "Georges", "Roger", "Maurice", "Henri", "Raymond", "Lucien", "Régis",
    "Noël", "Benoît", "Cédric", "Guillaume", "Hugo", "Léo", "Mathéo", "Loïc",
    "Gaël", "Anthony", "Julien", "Yannick", "Jean-Louis", "Marc-Antoine", "Joseph", "Mohamed",
)  # fmt: skip

FEMALE_GIVEN_NAMES: tuple[str, ...] = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Christine", "Monique",
    "Martine", "Nicole", "Valérie", "Sandrine", "Véronique", "Brigitte", "Jacqueline", "Anne",
    "Chantal", "Hélène", "Danielle", "Stéphanie", "Céline", "Patricia", "Sophie", "Christiane",
    "Nadine", "Jeanne", "Marie-Christine", "Dominique", "Josiane", "Corinne", "Michèle", "Annie",
    "Marie-Thérèse", "Anne-Marie", "Gaëlle", "Élodie", "Aurélie", "Émilie", "Mélanie", "Anaïs",
    "Chloé", "Léa", "Zoé", "Inès", "Noémie", "Agnès", "Thérèse", "Geneviève",
    "Odile", "Hélèna", "Anne-Sophie", "Marie-José", "Joëlle", "Maïté", "Solène", "Bénédicte",
    "Cécile", "Laëtitia", "Séverine", "Fatima", "Madeleine", "Suzanne", "Lucienne", "Renée",
)  # fmt: skip


def _tail_names() -> list[str]:
    """The generated long tail of surnames, in a fixed order (no randomness)."""
    names = []
    for i, onset in enumerate(_ONSETS):
        for j, ending in enumerate(_ENDINGS):
            middle = _MIDDLES[(i * 7 + j * 3) % len(_MIDDLES)]
            if middle and onset[-1] in "aeiouyé" and ending[0] in "aeiouyéè":
                names.append(onset + middle + ending)
            else:
                names.append(onset + ending)
            # a second form with another middle for a longer tail
            middle2 = _MIDDLES[(i * 5 + j * 11 + 1) % len(_MIDDLES)]
            if middle2:
                names.append(onset + middle2 + ending)
    seen: set[str] = set(COMMON_FAMILY_NAMES)
    out = []
    for name in names:
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def family_name_pool() -> tuple[np.ndarray, np.ndarray]:
    """All surnames and their sampling probabilities.

    Common names take about 35 % of the mass with a Zipf-like decay (rank ``r`` weighs
    ``1 / (r + 10)``), particle names about 3 %, the generated tail the rest.

    Returns
    -------
    names : numpy.ndarray of str (object)
    probabilities : numpy.ndarray of float

    Examples
    --------
    >>> names, p = family_name_pool()
    >>> names[0], bool(p[0] > p[100]), round(float(p.sum()), 6)
    ('Martin', True, 1.0)
    """
    common = np.asarray(COMMON_FAMILY_NAMES, dtype=object)
    w_common = 1.0 / (np.arange(len(common)) + 10.0)
    w_common = 0.35 * w_common / w_common.sum()
    particle = np.asarray(PARTICLE_FAMILY_NAMES, dtype=object)
    w_particle = np.full(len(particle), 0.03 / len(particle))
    tail = np.asarray(_tail_names(), dtype=object)
    w_tail = 1.0 / (np.arange(len(tail)) + 200.0) ** 0.5
    w_tail = 0.62 * w_tail / w_tail.sum()
    names = np.concatenate([common, particle, tail])
    p = np.concatenate([w_common, w_particle, w_tail])
    return names, p / p.sum()


def given_name_pool(sex: str) -> tuple[np.ndarray, np.ndarray]:
    """Given names for ``sex`` ("M" or "F") and their Zipf-like probabilities.

    Examples
    --------
    >>> names, p = given_name_pool("F")
    >>> names[0], len(names) == len(p)
    ('Marie', True)
    """
    names = np.asarray(MALE_GIVEN_NAMES if sex == "M" else FEMALE_GIVEN_NAMES, dtype=object)
    w = 1.0 / (np.arange(len(names)) + 5.0)
    return names, w / w.sum()


_ACCENTS = str.maketrans({
    "à": "a", "â": "a", "ä": "a", "á": "a", "ç": "c", "é": "e", "è": "e", "ê": "e",
    "ë": "e", "î": "i", "ï": "i", "í": "i", "ô": "o", "ö": "o", "ó": "o", "ù": "u",
    "û": "u", "ü": "u", "ú": "u", "ÿ": "y", "ñ": "n",
    "À": "A", "Â": "A", "Ä": "A", "Á": "A", "Ç": "C", "É": "E", "È": "E", "Ê": "E",
    "Ë": "E", "Î": "I", "Ï": "I", "Í": "I", "Ô": "O", "Ö": "O", "Ó": "O", "Ù": "U",
    "Û": "U", "Ü": "U", "Ú": "U", "Ÿ": "Y", "Ñ": "N",
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE",
})  # fmt: skip


def strip_accents(text: str) -> str:
    """Drop French diacritics (``é`` -> ``e``, ``œ`` -> ``oe``).

    Examples
    --------
    >>> strip_accents("Hélène Lefèvre-Noël")
    'Helene Lefevre-Noel'
    """
    return text.translate(_ACCENTS)


_KEYBOARD_NEIGHBOURS = {
    # AZERTY neighbours: the substitutions a tired keyboard hand makes.
    "a": "zq", "z": "aes", "e": "zrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij",
    "i": "uok", "o": "ipl", "p": "om", "q": "asw", "s": "qdz", "d": "sfe", "f": "dgr",
    "g": "fht", "h": "gjy", "j": "hku", "k": "jli", "l": "kmo", "m": "lp", "w": "qx",
    "x": "wc", "c": "xv", "v": "cb", "b": "vn", "n": "bm",
}  # fmt: skip


def typo(name: str, rnd: random.Random) -> str:
    """One edit in ``name``: a substitution, deletion, insertion or transposition.

    The edit touches a letter (never a hyphen, space or apostrophe) and keeps the case of
    the letter it replaces. Names shorter than 3 letters are returned unchanged.

    Examples
    --------
    >>> import random
    >>> out = typo("DUBOIS", random.Random(1))
    >>> out != "DUBOIS" and abs(len(out) - 6) <= 1
    True
    """
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 3:
        return name
    for _ in range(4):
        pos = letters[rnd.randrange(1, len(letters))]  # first letter is kept: usual in practice
        c = name[pos]
        kind = rnd.random()
        if kind < 0.45:
            pool = _KEYBOARD_NEIGHBOURS.get(strip_accents(c).lower(), "e")
            new = pool[rnd.randrange(len(pool))]
            new = new.upper() if c.isupper() else new
            out = name[:pos] + new + name[pos + 1 :]
        elif kind < 0.70:
            out = name[:pos] + name[pos + 1 :]
        elif kind < 0.85:
            out = name[:pos] + c + name[pos:]
        else:
            prev = pos - 1
            out = name[:prev] + name[pos] + name[prev] + name[pos + 1 :] if name[prev].isalpha() else name
        if out != name:
            return out
    return name[:-1] if name[-1].isalpha() else name


def has_compound(name: str) -> bool:
    """Whether ``name`` has parts that can be written differently (hyphen, space, apostrophe).

    Examples
    --------
    >>> has_compound("Jean-François"), has_compound("Le Gall"), has_compound("Dubois")
    (True, True, False)
    """
    return "-" in name or " " in name or "'" in name


def compound_variant(name: str, rnd: random.Random) -> str:
    """Write a compound name differently: hyphen <-> space, glued, or one part dropped.

    Examples
    --------
    >>> import random
    >>> sorted({compound_variant("Jean-François", random.Random(i)) for i in range(40)})
    ['François', 'Jean', 'Jean François', 'JeanFrançois']
    >>> compound_variant("d'Arcy", random.Random(0)) in {"d Arcy", "dArcy", "Arcy", "d-Arcy"}
    True
    """
    if not has_compound(name):
        return name
    sep = "-" if "-" in name else (" " if " " in name else "'")
    parts = [p for p in name.split(sep) if p]
    r = rnd.random()
    if r < 0.4:
        other = " " if sep != " " else "-"
        out = other.join(parts)
    elif r < 0.6:
        out = "".join(parts)
    elif sep == "-" and len(parts) > 1 and r < 0.8 and not parts[0][0].islower():
        out = parts[0]  # "Jean-François" -> "Jean", "Martin-Dupont" -> "Martin"
    else:
        out = parts[-1]  # "de la Fontaine" -> "Fontaine", "Le Gall" -> "Gall"
    return out if out != name else "".join(parts)
