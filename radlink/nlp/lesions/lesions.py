"""Lesion findings of imaging reports: site, laterality, size, SUVmax and qualifiers.

One finding per described lesion and per explicitly negated finding, read clause by
clause in the results section (the untitled body, or at last the conclusion, when a
report has none). In a clause, each anatomical site (after merging a general site
with a more precise one: "masse pulmonaire lobaire supérieure" is one upper-lobe
finding) is a finding when the clause names a lesion ("nodule", "adénopathie",
"foyer", "hypermétabolisme", ...) or carries a lesion SUVmax. Sizes and SUVmax values
attach to the nearest site before them ("respectivement" lists attach in order).
Reference SUVmax values (liver, mediastinal blood pool) become ``reference`` findings.

Structure is read before words: a pipe-table row is one clause; a heading that names
lesions before a list or a table ("Lésions cibles :") makes its items lesions; an organ
label ("Foie :", "Sein gauche, UQS (12 h) :") gives its site and side to what follows.
One finding per lesion: numbered parts named in a list (liver segments, ribs, cervical
levels given "respectivement") are one each, a general organ before them none; a site
said again with no lesion word between, a vessel's segments along one thrombosis, and a
lesion named again with a definite article at a site already described are one. Not
findings: physiological, diffuse or homogeneous uptake, benign diffuse changes, normal
lymph nodes, an organ's own measurement, a part of a lesion measured (cortex, wall).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from edsnlp.core import PipelineProtocol
from edsnlp.pipes.base import BaseNERComponent
from edsnlp.utils.span_getters import SpanGetterArg, SpanSetterArg, get_spans, validate_span_getter
from spacy.tokens import Doc, Span

from radlink.vocabulary import site_group

from ..indication import patterns as indication_patterns
from ..indication.indication import find_indication
from ..qualifiers.qualifiers import CUE_SCANNERS, RegionCues, qualify
from ..report_tables import column_meanings
from ..sections.sections import doc_sections
from ..suvmax import patterns as suv_patterns
from ..text import (
    MultiScanner,
    WordScanner,
    clauses,
    doc_text,
    folded,
    gated,
    holds_any,
    make_span,
    parse_number,
    set_record_extensions,
)
from . import patterns

__all__ = [
    "Finding", "LesionMatcher", "exam_default_site", "exam_organ", "find_findings", "findings_regions",
    "elided_sites", "findings_scanner", "merge_second_technique", "references_outside", "report_findings", "resolve_cervix",
    "resolve_relative_sides", "resolve_unseen_sites",
]

_I = re.IGNORECASE


def _compile(regex: str, flags: int = 0) -> re.Pattern:
    """``regex`` compiled behind a lookahead on its first characters (same matches,
    a faster search: see :func:`radlink.nlp.text.gated`)."""
    return re.compile(gated(regex, flags), flags)

# Long word lists are matched at word starts only (see WordScanner): ~10x faster
# than one big alternation tried at every character.
_SITE = WordScanner(patterns.SITES)
_LATERALITY = "|".join(f"(?P<{code}>{regex})" for code, regex in patterns.LATERALITY.items())
_LAT_AFTER = re.compile(
    rf"(?:[ \t]+(?:{patterns.LATERALITY_PART}|{patterns.LATERALITY_FILLER})){{0,2}}[ \t]*(?:,[ \t]*)?(?:(?:[àa]|du c[ôo]t[ée])[ \t]+)?"
    rf"(?:{_LATERALITY})(?![\w])",
    _I,
)
# searched: no optional blanks before "et" (a search over a run of blanks would be quadratic)
_OTHER_SIDE_LATER = re.compile(
    r"\bet[ \t]+(?:à[ \t]+|du c[ôo]t[ée][ \t]+)?(?:(?P<right>droite?s?)|(?P<left>gauches?))\b", _I
)
# "hilaires droite et gauche", "à droite ni à gauche", "a droite ni a gauche" (unaccented)
_OTHER_SIDE = re.compile(
    r"[ \t]*(?:et|ou|ni|,)[ \t]*(?:[àa][ \t]+|du c[ôo]t[ée][ \t]+)?(?:(?P<right>droite?s?)|(?P<left>gauches?))(?![\w])", _I
)
# each side named apart: "Pas de nodule à droite ni à gauche", "Pas d'épanchement
# pleural ni à droite ni à gauche": one finding per side
_EACH_SIDE = re.compile(
    r"(?<![\w])[àa][ \t]+(?:droite|gauche)[ \t]+(?:ni|et|ou)[ \t]+(?:[àa][ \t]+)?(?:droite|gauche)(?![\w])", _I
)
_EACH_SIDE_AFTER = re.compile(
    rf"(?:[ \t]+{patterns.LATERALITY_FILLER}){{0,2}}[ \t]+(?:ni[ \t]+)?[àa][ \t]+(?P<first>droite|gauche)[ \t]+"
    r"(?:ni|et|ou)[ \t]+(?:[àa][ \t]+)?(?P<second>droite|gauche)(?![\w])", _I
)
_LAT_ANY = _compile(rf"(?<![\w])(?:{_LATERALITY})(?![\w])", _I)
# what the side pattern may read before its side: words, blanks, commas, apostrophes, hyphens
_SIDE_WINDOW_END = re.compile(r"[^\w \t,'-]")
# the words the side pattern may read after a site: two parts or fillers of up to three words each, "du
# côté", a side of up to four words ("dans les deux seins"), with blanks and a comma
# between: at most 12 runs of non-blanks; 16 are looked at
_SIDE_REACH = re.compile(r"(?:[ \t,]*[^ \t,]+){1,16}")


class _SideCues:
    """Where a laterality may be named in a text: every occurrence (overlapping ones
    too) of a stem of :data:`patterns.LATERALITY_STEMS` in its :func:`folded` form and of
    a capital "D" or "G", found once per text, so that the windows of its sites ask a
    bisection instead of searching their characters again.

    ``starts`` are the occurrences' starts, sorted; ``min_ends[i]`` is the smallest end
    of the occurrences from the ``i``-th on.
    """

    def __init__(self, text: str):
        low = folded(text)
        found = []
        for stem in (*patterns.LATERALITY_STEMS, "D", "G"):
            haystack = text if stem in ("D", "G") else low
            width = len(stem)
            at = haystack.find(stem)
            while at >= 0:
                found.append((at, at + width))
                at = haystack.find(stem, at + 1)
        found.sort()
        self.text = text
        self.starts = [s for s, _ in found]
        self.min_ends = [e for _, e in found]
        for i in range(len(found) - 2, -1, -1):
            if self.min_ends[i + 1] < self.min_ends[i]:
                self.min_ends[i] = self.min_ends[i + 1]

    def any_within(self, start: int, end: int) -> bool:
        """Whether an occurrence lies in ``text[start:end]``."""
        i = bisect_left(self.starts, start)
        return i < len(self.starts) and self.min_ends[i] <= end


_SIDE_CUES = _SideCues("")
"""The side cues of the text read last (the sites of one report share them)."""


def _may_name_side(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` may hold a laterality (:data:`patterns.LATERALITY`):
    a stem of one (:data:`patterns.LATERALITY_STEMS`) or a capital "D" or "G". A cheap
    test before the side regexes, most sites having no side written after them; the
    occurrences are found once per text (:class:`_SideCues`).

    Examples
    --------
    >>> _may_name_side("nodule pulmonaire lobaire Droit", 7, 31)
    True
    >>> _may_name_side("nodule pulmonaire (SUVmax 4)", 7, 28)
    False
    """
    global _SIDE_CUES
    cues = _SIDE_CUES
    if cues.text is not text:
        cues = _SIDE_CUES = _SideCues(text)
    return cues.any_within(start, end)


def _side_after(text: str, start: int, end: int) -> re.Match | None:
    """``_LAT_AFTER.match(text, start, end)``, tried only where a side may be named
    before the first character it cannot read, within the words it can read (each
    site looks at a bounded number of words, so that a text of many sites stays
    linear)."""
    if not _may_name_side(text, start, end):
        return None  # no side anywhere after the site: its window need not be found
    reach = _SIDE_REACH.match(text, start, end)
    window_end = start if reach is None else reach.end()
    stop = _SIDE_WINDOW_END.search(text, start, window_end)
    if not _may_name_side(text, start, window_end if stop is None else stop.start()):
        return None
    return _LAT_AFTER.match(text, start, end)
_BONE_CONTEXT = WordScanner([("bone", patterns.BONE_CONTEXT)], suffix="")
_TRIGGER = WordScanner([("trigger", patterns.LESION_TRIGGERS)])
_PHYSIOLOGICAL = WordScanner([("physiological", patterns.PHYSIOLOGICAL)], suffix="")
_SEGMENT_SEP = _compile(patterns.SEGMENT_SEPARATOR, _I)
# "(?=\d)" first: ``re`` then skips to the digits instead of trying the lookbehind everywhere
_SIZE = re.compile(rf"(?=\d)(?<![\w,.])(?:{patterns.SIZE}){patterns.SIZE_UNIT}", _I)
_SIZE_PREV_BEFORE = _compile(patterns.SIZE_PREVIOUS_BEFORE, _I)
_SIZE_PREV_AFTER = _compile(patterns.SIZE_PREVIOUS_AFTER, _I)
_SIZE_DIST_BEFORE = _compile(patterns.SIZE_DISTANCE_BEFORE, _I)
_SIZE_PART_BEFORE = _compile(patterns.SIZE_PART_BEFORE, _I)
_ORGAN_SIZE_BEFORE = _compile(patterns.ORGAN_SIZE_BEFORE, _I)
_SIZE_DIST_AFTER = _compile(patterns.SIZE_DISTANCE_AFTER, _I)
_NUM = re.compile(patterns.NUMBER)
# "référence" of a reference organ, not of the reference exam a size is compared with
# ("23 mm (31 mm sur l'examen de référence)", "50 mm (référence 71 mm)")
_REFERENCE_WORDS = WordScanner(
    [("reference", rf"(?<!{patterns.REFERENCE_EXAM_BEFORE})r[ée]f[ée]rence(?![ \t]*:?[ \t]*\d+(?:[.,]\d+)?[ \t]*(?:mm|cm))"
      r"|bruit de fond|pool (?:sanguin|vasculaire)")], suffix=""
)
_IMPLIED_SITE = re.compile(rf"(?:{patterns.IMPLIED_SITE_NOUNS})(?!\w)", _I)
_HEAD_NOUN = re.compile(rf"(?:{patterns.HEAD_NOUNS_OUTSIDE_SITES})(?!\w)", _I)
_ADJECTIVE_ENDING = re.compile(patterns.ADJECTIVE_ENDING, _I)
_PART_NOUN_BEFORE = re.compile(patterns.PART_NOUN_BEFORE, _I)
_NEAREST_SITE_ONLY = re.compile(rf"(?:{patterns.NEAREST_SITE_ONLY})(?!\w)", _I)
_LIST_ITEM = re.compile(patterns.LIST_ITEM)
# What may precede the organs a normal statement is about: a bullet, an article, a
# label naming no organ ("Reste : foie, VB, rate RAS"), an area word ("Aires axillaires libres")
_CLAUSE_HEAD = re.compile(
    r"[\s\-–•*·]*(?:[^\W\d][^:\n]{0,30}:[ \t]*)?(?:(?:le|la|les|l')[ \t]*)?"
    rf"(?:(?:{patterns.NODE_AREA}|aires?|creux|loges?|r[ée]gions?|territoires?|secteurs?)[ \t]+)?",
    _I,
)
_NODE_AREA = re.compile(patterns.NODE_AREA, _I)
# between a lesion word and an organ outside the vocabulary: the organ is a sign
# around the lesion ("masse de 22 mm avec rétraction cutanée en regard")
_ASSOCIATED_SIGN = re.compile(r",|\bavec\b", _I)
_ORGAN_NORMAL = re.compile(patterns.ORGAN_NORMAL, _I)
# the label starts with a visible character: a run of blanks is read once, not once per split
_HEADING = re.compile(r"[ \t]*(?:[-–•*·][ \t]*)?[^\d\n:|\s][^\d\n:|]{1,59}?[ \t]*:[ \t]*$")
# a heading of a list of lesions may hold numbers: "Lésions cibles (RECIST 1.1) :"
_SEGMENT_NEXT = re.compile(
    r"(?:[ \t]*\([^()\n]{0,40}\))?[ \t]*(?:,|et)[ \t]*(?:(?:le|du|au)[ \t]+)?(?:segment[ \t]+)?"
    r"((?:I{1,3}|IV|V|VI{1,3}|VIII|IX)[ab]?)(?![\w])"
)
# between an organ and its own measurement: "Rate : 14 cm", "Rein droit (125 mm)",
# "Rate augmentée de taille (14,5 cm", "Foie de 15 cm", "foie mesuré à 17 cm"
_ORGAN_SIZE_GAP = re.compile(
    r"(?:[ \t]+(?:droite?s?|gauches?|dte|gche))?"
    r"[ \t]*[:,(]?[ \t]*(?:(?:augment[ée]e?s?|diminu[ée]e?s?|normale?s?|homog[èe]nes?|hypertrophi[ée]e?s?|distendue?s?)[ \t,]+)?"
    r"(?:de[ \t]+(?:taille|volume)[ \t]*)?[:(,]?[ \t]*(?:de|mesur[ée]e?s?[ \t]+à|mesurant|à)?[ \t]*(?:environ[ \t]+)?",
    _I,
)
_NORMAL_NODE = _compile(patterns.NORMAL_NODE, _I)
_NORMAL_NODE_UNMEASURED = _compile(patterns.NORMAL_NODE_UNMEASURED, _I)
_VASCULAR = _compile(rf"(?<![\w])(?:{patterns.VASCULAR_LESIONS})(?![\w])", _I)
_RESPECTIVELY = re.compile(r"\brespectivement\b", _I)
_LEVEL_NUMERAL = re.compile(r"(?<![\w])(?:I{1,3}|IV|VI?)[ab]?(?![\w])")
_LEVEL_ADJECTIVE = re.compile(r"cervica(?:le?s?|ux)(?![\w])", _I)
# an ordinal listed before another: "4e, ", "6e et "
_ORDINAL_ITEM = re.compile(r"(?<![\w])\d{1,2}(?:e|[èe]me|i[èe]me)[ \t]*(?:,|et)[ \t]*", _I)


def _ordinals_before(text: str, pos: int) -> int:
    """Where the list of ordinals ending at ``pos`` starts ("des 4e, 5e et 6e côtes":
    at "4e"); ``pos`` itself when none ends there. Read item by item backwards, each in
    a short window (linear whatever the text)."""
    start = pos
    for _ in range(12):
        item = next((m for m in _ORDINAL_ITEM.finditer(text, max(0, start - 16), start)
                     if m.end() == start), None)
        if item is None:
            break
        start = item.start()
    return start
_ORDINAL = re.compile(r"(?<!\d)\d+(?:e|[èe]me|i[èe]me)(?![\w])", _I)  # "8E" in capitals too
# the end of the text before an item of an enumeration: ", de", " et du", " ou "
_ENUMERATED = re.compile(
    r"(?:,|\bet|\bou|\bni)[ \t]*(?:(?:de|du|des|d'|à|au|aux|en|dans|sur)[ \t]*(?:la[ \t]+|l')?)?[ \t]*\Z", _I
)
_ANAPHORA = re.compile(patterns.ANAPHORA, _I)
# what opens a locative ("Au niveau osseux, ...", "En cervical droit, ...")
_LOCATIVE = re.compile(
    r"(?:^|[\s,;:])(?:au niveau|dans|en|à l'[ée]tage|sur le plan|du c[ôo]t[ée])[ \t]*(?:du |de la |de l'|des |d'|le |la |les |l')?[ \t]*$",
    _I,
)
_LARGEST_NEXT = re.compile(rf"[^.;:\n]{{0,40}}?(?:{patterns.LARGEST_OF})", _I)
_LANDMARK_BEFORE = re.compile(patterns.LANDMARK_BEFORE, _I)
_LEVEL_LANDMARK_BEFORE = re.compile(patterns.LEVEL_LANDMARK_BEFORE, _I)
_WALL_BEFORE = re.compile(patterns.WALL_BEFORE, _I)
_CONTEXT_MAX = 250  # characters of an untitled clinical-context paragraph, at most
_UNTITLED_LINES = 2  # lines after an indication's first one, unseparated, that are an untitled body
_LIST_HEADING = re.compile(r"[ \t]*(?:[-–•*·][ \t]*)?[^\d\n:|\s][^\n:|]{1,159}?[ \t]*:[ \t]*$")  # "Trois lésions nodulaires ..., évocatrices de ... :"
_SEGMENT_NUMERAL = re.compile(r"(?<![\w])(?:I{1,3}|IV|V|VI{1,3}|VIII|IX|[1-8])[ab]?(?![\w])")
_LOBE_SIDE = _compile(r"\blobe (?:(?P<right>droit)|(?P<left>gauche))\b", _I)
_BOTH = _compile(r"(?<![\w])deux[ \t]+$", _I)
_BARE_LEVEL = re.compile(r"(?:I{1,3}|IV|V|VI)[ab]")
_PARAGRAPH_BEFORE = re.compile(r"\n[ \t]*\n[ \t]*$")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# The end of a sentence inside a line: a full stop, then a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]+(?=[A-ZÀÂÇÉÈÊËÎÏÔÙÛÜ])")
_CONTEXT_WORDS = re.compile(patterns.CLINICAL_CONTEXT, _I)
# Sections whose first line is their own and whose next lines, with no blank line and no
# results title, are the untitled body: "Comparaison : [DATE]." then the findings.
# (with at least this many lines: an indication may hold two of its own)
_UNTITLED_AFTER = {"indication": _UNTITLED_LINES, "comparison": 1}
_NEWLINE = re.compile(r"\n")
_INDICATION_LINE = re.compile(indication_patterns.INDICATION_LINE, _I | re.MULTILINE)
_NEXT_LINE = re.compile(r"\s*+")
_PHYSIOLOGICAL_UPTAKE = re.compile(
    r"(?:hyper)?(?:fixations?|captations?|hyperm[ée]tabolismes?|activit[ée]s?)[ \t]+"
    r"(?:[\w-]+[ \t]+)?physiologiques?(?![\w])", _I
)
# A negation heading the list under it: "Pas de :", "Absence d' :", "Aucun(e) :"
_NEGATION_HEAD = re.compile(
    r"[ \t]*(?:[-–•*·][ \t]*)?(?:pas (?:de|d'|d’)|absence(?: de| d'| d’)?|aucun(?:e|\(e\))?|ni)[ \t]*:?[ \t]*", _I
)
_ENUMERATION_START = re.compile(patterns.ENUMERATION_START, _I)
_RESTATEMENT = re.compile(patterns.RESTATEMENT, _I)
_SIDE_FIRST = re.compile(
    r"[\s\-–•*·]*(?:[àa]|du c[ôo]t[ée]|c[ôo]t[ée])[ \t]+(?:(?P<right>droite?)|(?P<left>gauche))[ \t]*[,:]", _I
)
_NEW_WORD = re.compile(r"[ \t]*(?:(?:nouve(?:au|aux|lle|lles|l)|autres?|petite?s?)[ \t]+)+", _I)
_NEVER_DEFAULT = re.compile(r"particularit[ée]s?(?![\w])", _I)
_STATION_AFTER = re.compile(r"[ \t]*\([ \t]*(?:stations?|niveaux?|aires?|secteurs?|groupes?)?[ \t]*", _I)
_LEVEL = re.compile(r"(?:niveaux?|secteurs?|aires?|groupes?)\b", _I)
_CLASSIFICATION = re.compile(rf"(?:{patterns.CLASSIFICATION})(?![\w])", _I)
_ETAGE_SITES = {"bone": "bone"}  # étages that are also a site of the vocabulary
_BONE_LESION = re.compile(rf"(?:{patterns.BONE_LESIONS})(?![\w])", _I)
_EFFUSION = re.compile(rf"(?:{patterns.EFFUSION_WORDS})(?![\w])", _I)
_PERITONEAL_REGION = _compile(rf"(?<![\w])(?:{patterns.PERITONEAL_REGIONS})", _I)
_PRIMARY_SIDE = re.compile(
    r"(?<![\w])(?:(?P<right>droite?)|(?P<left>gauche))(?![\w])", _I
)
_NEGATED_DESCRIPTION = re.compile(rf"(?:{patterns.NEGATED_DESCRIPTION})(?![\w])", _I)
_VESSEL_EXAM_LESION = re.compile(rf"(?:{patterns.VESSEL_EXAM_LESIONS})(?![\w])", _I)
_VESSEL_SITES = ("vessel", "aorta", "portal_vein")
_COMBINING_FORM = re.compile(rf"(?:{patterns.COMBINING_FORMS})", _I)
_OTHER_BEFORE = re.compile(r"autres?[ \t]+$", _I)
_CHEST_LESION = re.compile(rf"(?:{patterns.CHEST_LESIONS})(?![\w])", _I)
_NOT_IN_ORGAN = re.compile(rf"(?:{patterns.NOT_IN_EXAM_ORGAN})(?![\w])", _I)
_WORD_AT = re.compile(r"\w+")
_DETAIL = _compile(rf"(?<![\w])(?:{patterns.DETAIL_OF})(?![\w])", _I)
_EXTENSION = _compile(rf"(?<![\w])(?:{patterns.EXTENSION_TO})(?![\w])", _I)
_PART_OWNERS = [(code, re.compile(rx, _I)) for code, rx in patterns.PART_OWNERS]
_NATURE = WordScanner([("nature", patterns.NATURE_COMPLEMENT)], suffix="")
_LARGEST = WordScanner([("largest", patterns.LARGEST_OF)], suffix="")
_SCANNERS: dict[str, WordScanner] = {
    "site": _SITE,
    "trigger": _TRIGGER,
    "bone": _BONE_CONTEXT,
    "physiological": _PHYSIOLOGICAL,
    "reference": _REFERENCE_WORDS,
    "nature": _NATURE,
    "largest": _LARGEST,
    **CUE_SCANNERS,
}
_SCANNER = MultiScanner(_SCANNERS)


def findings_scanner(
    sites: list[tuple[str, str]] | None = None,
    lesion_triggers: str | None = None,
    physiological: str | None = None,
) -> MultiScanner:
    """The one-pass scanner of :func:`find_findings` (``None``: :mod:`.patterns`)."""
    if sites is None and lesion_triggers is None and physiological is None:
        return _SCANNER
    scanners = dict(_SCANNERS)
    if sites is not None:
        scanners["site"] = WordScanner([tuple(s) for s in sites])
    if lesion_triggers is not None:
        scanners["trigger"] = WordScanner([("trigger", lesion_triggers)])
    if physiological is not None:
        scanners["physiological"] = WordScanner([("physiological", physiological)], suffix="")
    return MultiScanner(scanners)


@dataclass
class Finding:
    """One finding, with character offsets into the text it was read from."""

    start: int
    end: int
    kind: str = "lesion"
    site: str | None = None
    laterality: str | None = None
    size_mm: float | None = None
    suvmax: float | None = None
    previous_suvmax: float | None = None
    negated: bool = False
    hypothesis: bool = False
    comparison: str | None = None
    section: str | None = None
    etage: str | None = None
    clause: tuple[int, int] = (0, 0)

    def clause_span(self, span: Span) -> Span | None:
        """The clause of the finding as a span of ``span``'s doc."""
        return make_span(span.doc, *self.clause)


@dataclass
class _Site:
    start: int
    end: int
    code: str
    laterality: str | None
    part: bool = False  # a part named without its organ ("lobe gauche", "base droite")
    sub: bool = False  # a part of its organ's code named by number ("segment VI")


# Words that open a new noun phrase (a determiner, a preposition) or join clauses: an
# adjective read after one of them is no longer governed by the noun before it.
_PHRASE_BREAKS = frozenset(
    "de du des d la le les l à au aux dans avec sans sur sous en par pour vers contre chez "
    "un une mais".split()
)


def _governed_by(text: str, noun_end: int, start: int, max_words: int = 3) -> bool:
    """Whether the word at ``start`` is an adjective of the noun ending at ``noun_end``.

    In French the adjectives follow their noun, joined by blanks, "et" or "ou"
    ("espace parapharyngé et sous-mandibulaire droits"); a determiner, a preposition,
    a punctuation mark, a number or more than ``max_words`` words in between start a
    new phrase.

    Examples
    --------
    >>> t = "espace parapharyngé et sous-mandibulaire droits"
    >>> _governed_by(t, 6, t.index("sous"))
    True
    >>> t = "sinus frontal, nodule du lobe frontal"
    >>> _governed_by(t, 5, t.rindex("frontal"))
    False
    """
    gap = text[noun_end:start]
    words = gap.split()
    if not words:
        return True
    if len(words) > max_words or _TRIGGER.search(gap) is not None:
        return False  # "peau épaissie et nodule hépatique": the lesion word heads the next
    return all(w.replace("-", "").isalpha() and w.lower() not in _PHRASE_BREAKS for w in words)


def _sites(text: str, end: int, matches: list, bone_context: bool) -> list[_Site]:
    found: list[_Site] = []
    consumed = -1  # the end of a list of liver segments already read
    organ_end = -1  # the end of the last organ outside the vocabulary
    governs = 0  # how many words after it that organ's adjectives may lie
    for k, (m_start, m_end, code) in enumerate(matches):
        if code == "_organ":
            organ_end = m_end
            # a head noun outside the vocabulary governs the adjectives after it, also
            # when joined by "et" ("espace parapharyngé et sous-mandibulaire"); the other
            # organs only the adjective right after them
            governs = 3 if _HEAD_NOUN.fullmatch(text, m_start, m_end) else 0
        if code in ("_skip", "_organ") or m_start < consumed:
            continue
        if organ_end >= 0 and _governed_by(text, organ_end, m_start, governs):
            continue  # "hématome sous-cutané pariétal": the parietal part of the skin
        if (organ := found[-1] if found else None) is not None and not organ.code.startswith("ln_") and (
            not text[organ.end:m_start].strip() and _related(organ.code, code) is None
            and _ADJECTIVE_ENDING.search(text, m_start, m_end)
        ):
            continue  # "épaississement pleural pariétal", "plèvre costale": a part of the organ named first
        if text.find("m ", max(0, m_start - 24), m_start) >= 0 and _LANDMARK_BEFORE.search(
            text, max(0, m_start - 24), m_start
        ):
            continue  # "à 3 cm de la jonction pyélo-urétérale": a landmark
        if found and code in ("spine", "rib") and found[-1].code not in ("spine", "rib", "bone", "ln_cervical") and (
            _LEVEL_LANDMARK_BEFORE.search(text, max(0, m_start - 24), m_start)
        ):
            continue  # "calcul de l'uretère gauche, en regard de L4": the level of the stone
        if code == "brain" and text[m_start : m_start + 4].lower() == "pari" and _WALL_BEFORE.search(
            text, max(0, m_start - 20), m_start
        ):
            continue  # "épaississement pariétal": a wall's
        if code.startswith("ln_") and _PART_NOUN_BEFORE.search(text, max(0, m_start - 12), m_start):
            if code not in patterns.NODE_NAMESAKE_BONES:
                continue  # "le versant cervical du défilé": no node
            code = patterns.NODE_NAMESAKE_BONES[code]  # "œdème du versant iliaque": the bone
        if code == "ln_iliac" and bone_context:
            code = "pelvis_bone"
        word = text[m_start:m_end].lower()
        lat = patterns.BUILTIN_LATERALITY.get(word)
        site_end = m_end
        if lat is None and (a := _side_after(text, m_end, end)):
            lat = a.lastgroup
            site_end = a.end()
        elif lat is None and _may_name_side(text, m_end, min(end, m_end + 60)) and (
            each := _EACH_SIDE_AFTER.match(text, m_end, end)
        ):
            for group in ("first", "second"):
                side = "right" if each.group(group)[0] in "dD" else "left"
                start = m_start if group == "first" else each.start(group)
                found.append(_Site(start, each.end(group), code, side))
            continue
        if code == "liver" and (word.startswith("segments") or "," in word or " et " in word):
            # "des segments IV, VI et VII": one lesion per segment named, also when each
            # has its size: "aux segments VI (24 mm), VII (17 mm) et II (6 mm)"
            for n in _SEGMENT_NUMERAL.finditer(text, m_start, m_end):
                found.append(_Site(n.start(), n.end(), code, None, sub=True))
            pos = m_end
            while (n := _SEGMENT_NEXT.match(text, pos, end)) is not None:
                found.append(_Site(n.start(1), n.end(1), code, None, sub=True))
                pos = consumed = n.end()
            continue
        if code == "ln_cervical" and ("," in word or " et " in word) and _RESPECTIVELY.search(text, m_end, end):
            # "de niveaux IIa et III, mesurant respectivement 22 et 14 mm": one node per
            # level, with the side of the nodes named before them
            if lat is None and found and not _SEGMENT_SEP.search(text, found[-1].end, m_start):
                lat = found[-1].laterality
            for n in _LEVEL_NUMERAL.finditer(text, m_start, m_end):
                found.append(_Site(n.start(), n.end(), code, lat))
            continue
        if code == "rib" and word[:1].isdigit() and (first := _ordinals_before(text, m_start)) < m_start:
            # "des 4e, 5e, 6e et 7e côtes D": one lesion per rib, the side for each
            for n in _ORDINAL.finditer(text, first, m_end):
                found.append(_Site(n.start(), n.end(), code, lat, sub=True))
            continue
        found.append(_Site(m_start, site_end, code, lat, sub=word.startswith("segment")))
        # "hilaires droite et gauche": one finding per side
        if lat in ("right", "left") and (o := _OTHER_SIDE.match(text, site_end, end)):
            other = o.lastgroup
            if other != lat:
                found.append(_Site(o.start(o.lastgroup), o.end(), code, other))
        # "ADP sus-claviculaire droite de 16 mm (SUVmax 9,4) et gauche de 21 mm": the
        # other side, later in the clause with no site in between
        elif lat in ("right", "left") and (o := _OTHER_SIDE_LATER.search(
            text, site_end, matches[k + 1][0] if k + 1 < len(matches) else end
        )) and o.lastgroup != lat:
            found.append(_Site(o.start(o.lastgroup), o.end(), code, o.lastgroup))
    return found


def _related(a: str, b: str) -> str | None:
    """The more specific of two codes when one is (or equals) the other's parent."""
    if a == b:
        return a
    if patterns.PARENT.get(b) == a or patterns.PARENT.get(patterns.PARENT.get(b, ""), "") == a:
        return b
    if patterns.PARENT.get(a) == b or patterns.PARENT.get(patterns.PARENT.get(a, ""), "") == b:
        return a
    return None


def _merge(text: str, sites: list[_Site], seg_start: int) -> list[_Site]:
    """Merge the sites of one noun phrase ("masse pulmonaire lobaire supérieure")."""
    out: list[_Site] = []
    for site in sites:
        between = text[out[-1].end : site.start] if out else ""
        if out and _STATION_AFTER.fullmatch(between) and _related(out[-1].code, site.code):
            # "sous-carinaire (station 7)": the station restates the site
            out[-1] = _Site(out[-1].start, site.end, site.code, out[-1].laterality or site.laterality)
            continue
        if out and out[-1].code.startswith("ln_") and site.code == "ln_cervical" and _LEVEL.match(
            text, site.start
        ) and not _SEGMENT_SEP.search(between):
            # "adénopathies axillaires droites de niveau I": a level of that station
            out[-1] = _Site(out[-1].start, site.end, out[-1].code, out[-1].laterality or site.laterality)
            continue
        if out and between in ("-", " ") and _COMBINING_FORM.fullmatch(text, out[-1].start, out[-1].end) and (
            _related(out[-1].code, site.code) is None
        ):
            # a compound adjective names two sites: "adénopathie médiastino-hilaire",
            # "lésion hépato-splénique"
            out.append(site)
            continue
        if out and (
            not _SEGMENT_SEP.search(between)
            or (
                between.rstrip().endswith("(")
                and not _SEGMENT_SEP.search(between.rstrip()[:-1])
                and _related(out[-1].code, site.code)
            )
        ):
            prev = out[-1]
            if site.code in ("_bone_weak", "_part"):
                code = prev.code
            elif prev.code in ("_bone_weak", "_part"):
                code = site.code
            elif prev.code == "vessel" and site.code in patterns.VESSEL_NAMESAKES:
                code = "vessel"  # "veineuse fémorale", "artère iliaque": the vessel
            elif site.code == "ln_cervical" and not prev.code.startswith(("ln_", "_")) and (
                _LEVEL_ADJECTIVE.match(text, site.start)
            ):
                code = prev.code  # "l'oesophage cervical": a part of the organ, not a node
            else:
                code = _related(prev.code, site.code) or site.code
            out[-1] = _Site(prev.start, site.end, code, site.laterality or prev.laterality,
                            sub=prev.sub or site.sub)
            continue
        out.append(site)
    # laterality written before the site in its segment: "lobe gauche de la prostate"
    for i, site in enumerate(out):
        if site.laterality is None:
            left = out[i - 1].end if i else seg_start
            right = out[i + 1].start if i + 1 < len(out) else site.end + 40
            if not _may_name_side(text, max(left, site.start - 60), site.start) and not _may_name_side(
                text, site.end, min(right, site.end + 40)
            ):
                continue  # no side in the windows read below (each needs a stem of one)
            # only a separator ending in the 30 characters before the site matters (the
            # windows below), and separators never overlap: those of the last 60 suffice
            seps = [m.end() for m in _SEGMENT_SEP.finditer(text, max(left, site.start - 60), site.start)]
            left = max([left] + seps)
            lo = max(left, site.start - 30)
            lats = list(_LAT_ANY.finditer(text, lo, site.start)) if _may_name_side(text, lo, site.start) else []
            if _BOTH.search(text, max(left, site.start - 12), site.start):
                site.laterality = "bilateral"
            elif lats:
                site.laterality = lats[-1].lastgroup
            else:
                # "Prostate : fixation du lobe droit"
                if lobe := _LOBE_SIDE.search(text, site.end, min(right, site.end + 40)):
                    site.laterality = lobe.lastgroup
    # a weak bone word ("lytique") names a bone only when nothing else is named; "EP"
    # the lung only when no part of it is named
    if any(s.code == "_lung_weak" for s in out):
        if any(s.code != "_lung_weak" and _related(s.code, "lung") for s in out):
            out = [s for s in out if s.code != "_lung_weak"]
        for s in out:
            if s.code == "_lung_weak":
                s.code = "lung"
    if len(out) > 1:
        out = [s for s in out if s.code != "_bone_weak"]
    for s in out:
        if s.code == "_bone_weak":
            s.code = "bone"
    return out


def _resolve_parts(text: str, sites: list[_Site]) -> list[_Site]:
    """Give a "_part" site ("Lobe droit :") the organ the report is about, or drop it."""
    for s in sites:
        if s.code == "_part":
            break
    else:
        return sites
    owner = next((code for code, rx in _PART_OWNERS if rx.search(text)), None)
    out = []
    for s in sites:
        if s.code == "_part":
            if owner is None and text[s.start : s.start + 3].lower() == "bas":
                owner = "lung"  # "foyer de condensation basal droit" with no organ named
            if owner is None:
                continue
            s.code, s.part = owner, True
        out.append(s)
    return out


def _drop_details(text: str, sites: list[_Site]) -> list[_Site]:
    """Drop the sites that detail the one before them ("adénopathie cervicale,
    notamment dans les secteurs III, IV et VI": one cervical finding)."""
    if len(sites) < 2:
        return sites
    keep = [sites[0]]
    for site in sites[1:]:
        head = keep[-1]
        detail = _DETAIL.search(text, head.end, site.start)
        if detail and _related(head.code, site.code) is not None:
            continue
        keep.append(site)
    return keep


def _drop_extensions(text: str, sites: list[_Site], triggers: list[int]) -> list[_Site]:
    """Drop the sites a lesion extends to from the site it was named at
    ("épaississement de l'oesophage, étendu au cardia": one oesophageal lesion)."""
    keep = [sites[0]]
    for site in sites[1:]:
        head = keep[-1]
        if _EXTENSION.search(text, head.end, site.start) and not _has(triggers, head.end, site.start):
            continue
        keep.append(site)
    return keep


def _drop_enumeration_heads(text: str, sites: list[_Site], triggers: list[int]) -> list[_Site]:
    """Drop a general site whose lesions are then enumerated site by site.

    "Deux lésions hépatiques, au segment VI (...) et au segment IVb (...)" describes
    two liver lesions, not three: the head "hépatiques" is followed, after a comma and
    a preposition, by two or more sites of its own code (or more specific ones) with no
    lesion word in between.
    """
    if len(sites) < 2:
        return sites
    keep = []
    for i, site in enumerate(sites):
        if not site.sub and (
            nxt := next((s for s in sites[i + 1 :] if s.code == site.code and s.sub), None)
        ) is not None and not any(site.end <= t < nxt.start for t in triggers) and all(
            s.code == site.code for s in sites[i + 1 : sites.index(nxt)]
        ):
            continue  # "métastases hépatiques ..., aux segments VI (24 mm) et II (6 mm)"
        if len(sites) < 3:
            keep.append(site)
            continue
        rest = sites[i + 1 :]
        if (
            len(rest) >= 2
            and _ENUMERATION_START.match(text, site.end, rest[0].start)
            and all(_related(site.code, s.code) == s.code for s in rest)
            and not any(site.end <= t < rest[-1].start for t in triggers)
        ):
            continue
        keep.append(site)
    return keep


def _site_words(text: str, site: _Site) -> str:
    """A site as written, lower case with single blanks, a numbered part by its number
    ("vii" for "segment VII" and for the "VII" of "segments VI et VII")."""
    words = text[site.start : site.end].lower().split()
    if site.sub and words and words[0].startswith("segment"):
        words = words[1:]
    return " ".join(words)


def _drop_repeated_sites(text: str, sites: list[_Site], triggers: list[int]) -> list[_Site]:
    """One finding for a site named twice in a clause with no lesion word between, when
    the second is not an item of an enumeration: the same lesion said again
    ("défects des artères lobaires : embolie pulmonaire", "contusion osseuse (oedème
    médullaire)"). "Foyers de T6, de T9" are two, and so are sites with a size between;
    numbered parts (segments, ribs) too."""
    if len(sites) < 2:
        return sites
    keep: list[_Site] = []
    for site in sites:
        same = next((
            k for k in keep
            if k.code == site.code and not k.sub
            # one side unsaid is the other's ("jugulo-carotidiennes et spinales gauches")
            and (k.laterality == site.laterality or k.laterality is None or site.laterality is None)
            # a lesion word between, unless the first site is a locative before every
            # lesion word ("En cervical droit, l'adénopathie jugulaire interne")
            and (not _has(triggers, k.end, site.start)
                 or (triggers and k.end <= triggers[0] and text.find(",", k.end, triggers[0]) >= 0
                     and _LOCATIVE.search(text, max(0, k.start - 30), k.start) is not None))
            # an item of an enumeration is a lesion of its own, unless the group's
            # largest is described next ("... et spinales gauches, la plus volumineuse")
            and (not _ENUMERATED.search(text, max(k.end, site.start - 40), site.start)
                 or _LARGEST_NEXT.match(text, site.end) is not None
                 # one lesion named in the singular over two parts of one site: "Nodule
                 # du torus et du ligament utéro-sacré gauche"
                 or (_SAME_PART_JOIN.fullmatch(text, k.end, site.start) is not None
                     and _singular_lesion_before(text, triggers, k.start)))
            and not _SIZE.search(text, k.end, site.start)  # "... mesure 9 mm, et la troisième"
        ), None) if not site.sub else None
        if same is not None:
            same.laterality = same.laterality or site.laterality
            continue
        if keep and triggers and (k := keep[-1]).end <= triggers[0] < site.start and (
            text.find(",", k.end, triggers[0]) >= 0 and _related(k.code, site.code) == site.code
            and _LOCATIVE.search(text, max(0, k.start - 30), k.start) is not None
        ):
            # "Au niveau osseux, la lésion de l'aile iliaque droite": the locative's
            # organ is the lesion's, said more precisely after
            keep[-1] = site
            continue
        keep.append(site)
    return keep


_WORD_END = re.compile(r"[\w-]*")


_SAME_PART_JOIN = re.compile(r"[ \t]+et[ \t]+(?:du|de la|de l'|des|d')[ \t]*", _I)


def _singular_lesion_before(text: str, triggers: list[int], pos: int) -> bool:
    """Whether the lesion words before ``pos`` are all in the singular ("Nodule
    d'endométriose", not "Foyers d'hyperfixation", "Adénopathies", "ADP")."""
    before = [t for t in triggers if t < pos]
    if not before:
        return False
    for t in before:
        word = _WORD_END.match(text, t).group()
        # (an abbreviation in capitals says no number: "ADP")
        if len(word) <= 3 or word[:2].isupper() or word[-1:].lower() in ("s", "x"):
            return False
    return True


_GENERAL_BONE = re.compile(rf"(?:{patterns.GENERAL_BONE_WORDS})", _I)
_LARGEST_OF = re.compile(patterns.LARGEST_OF, _I)
_BILATERAL_GROUP = _compile(patterns.BILATERAL_GROUP, _I)


def _drop_general_bone(text: str, sites: list[_Site], triggers: list[int]) -> list[_Site]:
    """One finding for a bone lesion named by a general bone word and by its bone.

    "Contusion osseuse (oedème médullaire) du condyle fémoral" and "encoche de la tête
    humérale de 16 mm avec oedème osseux" are one lesion each, at the bone named: a site
    written as a general word of the skeleton (:data:`patterns.GENERAL_BONE_WORDS`) is
    dropped when a bone of its own (femur, spine...) is named in the clause with no lesion
    word between them, on the same side or with a side unsaid. A bone mapped to the
    general code ("plateau tibial") is a bone named, not a general word; a group whose
    largest element is then named ("foyers osseux, le plus intense sur l'aile iliaque")
    is the group.
    """
    if len(sites) < 2 or not any(s.code == "bone" for s in sites):
        return sites
    keep = []
    for i, site in enumerate(sites):
        if site.code == "bone" and _GENERAL_BONE.fullmatch(text, site.start, site.end) and any(
            other.code != "bone" and patterns.PARENT.get(other.code) == "bone"
            and (site.laterality is None or other.laterality in (None, site.laterality))
            and not _has(triggers, min(site.end, other.end), max(site.start, other.start))
            # "foyers osseux, ..., le plus intense sur l'aile iliaque": a group and its largest
            and _LARGEST_OF.search(text, min(site.end, other.end), max(site.start, other.start)) is None
            for other in sites[:i] + sites[i + 1 :]
        ):
            continue
        keep.append(site)
    return keep


def _merge_vessel_segments(text: str, sites: list[_Site], cs: int, ce: int) -> list[_Site]:
    """One finding for a vascular lesion that runs along a vessel: "thrombose de la veine
    fémorale, de la veine poplitée et des veines tibiales" is one thrombosis."""
    if len(sites) < 2:
        return sites
    first = next((i for i, s in enumerate(sites) if s.code == "vessel"), None)
    if first is None or first + 1 >= len(sites) or not _VASCULAR.search(text, cs, ce):
        return sites
    head = sites[first]
    out = sites[: first + 1]
    for site in sites[first + 1 :]:
        if site.code in patterns.VESSEL_NAMESAKES and not (
            # "pas de thrombose veineuse à droite ni à gauche": one per side
            head.laterality and site.laterality and site.laterality != head.laterality
            and _EACH_SIDE.search(text, head.start, site.end)
        ):
            head.end = max(head.end, site.end)
            head.laterality = head.laterality or site.laterality
        else:
            out.append(site)
    head.laterality = head.laterality or _clause_side(text, head.start, ce)
    return out


def _drop_restated_organs(text: str, sites: list[_Site], triggers: list[int]) -> list[_Site]:
    """Drop the organ restated after a disease noun that names it.

    "Appendicite aiguë, appendice mesuré à 11 mm" is one finding: "appendicite" is both
    the lesion and its site, and the organ named next (same code, no other lesion word
    in between) describes it.
    """
    if len(sites) < 2:
        return sites
    keep = [sites[0]]
    for site in sites[1:]:
        prev = keep[-1]
        if (
            site.code == prev.code
            and prev.start in triggers
            and _TRIGGER.search(text, prev.start, prev.end) is not None
            and not any(prev.end <= t < site.start for t in triggers)
        ):
            continue
        keep.append(site)
    return keep


_TABLE_NUMBER = re.compile(r"[ \t]*(\d+(?:[.,]\d+)?)[ \t]*(mm|cm)?[ \t]*$", _I)


def _table_size(text: str, start: int, end: int) -> list[tuple[int, int, list[float]]]:
    """The size of a pipe-table row whose header names a size column ("Taille (mm)")
    and whose cell there is a bare number.

    Which column holds sizes is the report tables' column vocabulary's call
    (:func:`radlink.nlp.report_tables.column_meanings`), the same one the SUVmax pipe asks."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = _line_end(text, start, len(text))
    cells = text[line_start:line_end].split("|")
    header_end = line_start - 1
    while header_end > 0:  # the first line above that is not a separator or a row like it
        h_start = text.rfind("\n", 0, header_end) + 1
        header = text[h_start:header_end]
        if header.count("|") < 2:
            return []
        h_cells = header.split("|")
        if not set(header.strip()) <= set("|-: \t") and not any(
            _TABLE_NUMBER.match(c) for c in h_cells
        ):
            break
        header_end = h_start - 1
    else:
        return []
    if len(h_cells) != len(cells):
        return []
    out, cursor = [], line_start
    for h, meaning, c in zip(h_cells, column_meanings(h_cells), cells, strict=True):
        m = _TABLE_NUMBER.match(c)
        if m and meaning == "size":
            unit = (m.group(2) or ("cm" if re.search(r"\bcm\b", h, _I) else "mm")).lower()
            value = parse_number(m.group(1)) * (10.0 if unit == "cm" else 1.0)
            if start <= cursor + m.start(1) < end:
                out.append((cursor + m.start(1), cursor + m.end(), [round(value, 1)]))
            break
        cursor += len(c) + 1
    return out


_COLUMN_PREVIOUS = re.compile(r"r[ée]f[ée]rence|ant[ée]rieur|pr[ée]c[ée]dent|nadir|initial|baseline", _I)
_COLUMN_CURRENT = re.compile(r"actuel\w*|ce jour|aujourd'hui|ce contr[ôo]le|cet examen|ce bilan", _I)


def _previous_column_size(text: str, start: int) -> int | None:
    """Where the previous size of a table row is, when the row has two sizes and the
    header above names a previous column and a current one ("Référence   Actuel",
    "Nadir | Ce jour"), ``None`` otherwise."""
    line_start = text.rfind("\n", 0, start) + 1
    row = list(_SIZE.finditer(text, line_start, _line_end(text, start, len(text))))
    if len(row) != 2:
        return None
    pos = line_start - 1
    for _ in range(12):  # up the rows to the header: the first line with no digit
        if pos < 0:
            return None
        h_start = text.rfind("\n", 0, pos) + 1
        if not text[h_start:pos].strip():
            return None
        if _DIGIT.search(text, h_start, pos) is None:
            before = _COLUMN_PREVIOUS.search(text, h_start, pos)
            now = _COLUMN_CURRENT.search(text, h_start, pos)
            if before is None or now is None:
                return None
            return row[0 if before.start() < now.start() else 1].start()
        pos = h_start - 1
    return None


_SIZES_READ: tuple[str, dict] = ("", {})
"""The text read last and its clauses' sizes by ``(start, end)``: the steps of a
clause ask for its sizes up to three times."""


def _sizes(text: str, start: int, end: int) -> list[tuple[int, int, list[float]]]:
    """Sizes of a clause: ``(start, end, [size in mm per listed lesion])``.

    Read once per clause of the text read last (:data:`_SIZES_READ`): callers do not
    change the list returned."""
    global _SIZES_READ
    read = _SIZES_READ
    if read[0] is not text:
        read = _SIZES_READ = (text, {})
    found = read[1].get((start, end))
    if found is None:
        found = read[1][start, end] = _read_sizes(text, start, end)
    return found


def _read_sizes(text: str, start: int, end: int) -> list[tuple[int, int, list[float]]]:
    """:func:`_sizes`, read from the text."""
    if text.count("|", start, end) >= 2 and not _SIZE.search(text, start, end):
        return _table_size(text, start, end)
    out = []
    matches = list(_SIZE.finditer(text, start, end))
    previous = _previous_column_size(text, start) if len(matches) >= 2 else None
    for m in matches:
        if m.start() == previous:
            continue  # "Nodule LID    14 mm    17 mm" under "Référence    Actuel"
        before = text[max(start, m.start() - 30) : m.start()]
        after = text[m.end() : min(end, m.end() + 20)]
        if _SIZE_PREV_BEFORE.search(before) or _SIZE_PREV_AFTER.search(after):
            continue
        if _SIZE_DIST_BEFORE.search(before) and _SIZE_DIST_AFTER.search(after):
            continue
        if _SIZE_PART_BEFORE.search(text, max(start, m.start() - 30), m.start()):
            continue  # "ganglion à cortex épaissi (4 mm), de 14 mm": the lesion is 14 mm
        if _ORGAN_SIZE_BEFORE.search(before):
            continue  # "splénomégalie à 15 cm avec deux foyers": the spleen's size
        factor = 10.0 if m.group("unit").lower() == "cm" else 1.0
        if m.group("dims"):
            values = [max(parse_number(x) for x in _NUM.findall(m.group("dims"))) * factor]
        else:
            values = [parse_number(x) * factor for x in _NUM.findall(m.group("list"))]
        out.append((m.start(), m.end(), [round(v, 1) for v in values]))
    return out


def _nearest_before(items: list, pos: int) -> int | None:
    """Index of the last item starting at or before ``pos``, else of the first one."""
    best = None
    for i, it in enumerate(items):
        if it.start <= pos:
            best = i
    if best is None and items:
        best = 0
    return best


def _has(starts: list[int], lo: int, hi: int) -> bool:
    """Whether a sorted list of offsets holds one in ``[lo, hi)``."""
    i = bisect_left(starts, lo)
    return i < len(starts) and starts[i] < hi


def _within(starts: list[int], items: list, lo: int, hi: int) -> list:
    """The items whose (sorted) start offsets are in ``[lo, hi)``."""
    return items[bisect_left(starts, lo) : bisect_left(starts, hi)]


@dataclass
class _RegionScan:
    """Every cue of a region, found in one scan, to be sliced clause by clause."""

    sites: list
    site_starts: list[int]
    trigger_spans: list[tuple[int, int]]
    triggers: list[int]
    bone: list[int]
    physiological: list[int]
    reference_words: list[int]
    nature: list[tuple[int, int]]
    qualifier_cues: RegionCues
    negations: list[int]


def _scan_region(text: str, start: int, end: int, scanner: MultiScanner) -> _RegionScan:
    """Find the sites, lesion words and qualifier cues of ``text[start:end]`` once."""
    found = scanner.scan(text, start, end)
    trigger_spans = [(s, e) for s, e, _ in found["trigger"]]
    nature = [(s, e) for s, e, _ in found["nature"]]
    nature += [(s, e) for s, e, _ in found["largest"]]
    nature.sort()
    cues = RegionCues(text, start, end, found)
    return _RegionScan(
        sites=found["site"],
        site_starts=[m[0] for m in found["site"]],
        trigger_spans=trigger_spans,
        triggers=[s for s, _ in trigger_spans],
        bone=[s for s, _, _ in found["bone"]],
        physiological=[s for s, _, _ in found["physiological"]],
        reference_words=[s for s, _, _ in found["reference"]],
        nature=nature,
        qualifier_cues=cues,
        negations=sorted(c[0] for c in cues.neg_after + cues.neg_before),
    )


def _reference_findings(suvs: list, section, etage, clause: tuple[int, int]) -> list[Finding]:
    """A ``reference`` finding per reference SUVmax value of the clause."""
    return [
        Finding(v.start, v.end, kind="reference", site=v.region, suvmax=v.value,
                section=section, etage=etage, clause=clause)
        for v in suvs
        if v.role == "reference"
    ]


_BETWEEN_CLAUSES = re.compile(r"[\s.;,]*")


def _hedge_previous(
    text: str, region: _RegionScan, findings: list[Finding], last: Finding | None, cs: int, ce: int
) -> None:
    """Hedge, in place, the lesions of the clause just before a clause that only hedges.

    A clause naming no lesion of its own that opens with a hedge ("Aspect évocateur d'un
    carcinome.", "...de 7 mm ; à confronter à un scanner.", "Aspect compatible avec des
    localisations secondaires.") says how sure the lesions just described are: the
    positive findings of the previous clause, when nothing stands between the two, become
    hypotheses. A hedge further in the clause, or a clause that negates, hedges nothing.
    """
    if last is None or last.negated or not _BETWEEN_CLAUSES.fullmatch(text, last.clause[1], cs):
        return
    cues = region.qualifier_cues
    opening = cs + len(text[cs:ce]) - len(text[cs:ce].lstrip())
    i = bisect_left(cues.hypothesis, opening)
    if i == len(cues.hypothesis) or cues.hypothesis[i] >= min(ce, opening + patterns.HEDGE_OPENING_CHARS):
        return
    if cues.clause(cs, ce).neg_before:
        return
    for f in findings:
        if f.clause == last.clause and not f.negated:
            f.hypothesis = True


def _may_describe_lesion(region: _RegionScan, suvs: list, triggers: list[int], cs: int, ce: int) -> bool:
    """Whether a clause may describe a lesion: a lesion SUVmax, or a lesion word outside a
    reference or physiological statement."""
    if any(v.role == "lesion" for v in suvs):
        return True
    if not triggers:
        return False
    if any(v.role == "reference" for v in suvs) or _has(region.reference_words, cs, ce):
        return False
    return not (_has(region.physiological, cs, ce) and not _has(region.negations, cs, ce))


def _clause_sites(
    text: str, region: _RegionScan, suvs: list, triggers: list[int], cs: int, ce: int,
    default_site: str | None, modality_site: str | None = None,
) -> list[_Site]:
    """The sites of a clause that are findings, after merging and dropping non-findings.

    ``default_site`` is given to a lesion that names none; ``modality_site`` says it is
    the modality's (a mammography: every lesion) rather than the exam organ's."""
    site_matches = _within(region.site_starts, region.sites, cs, ce)
    refs = [v for v in suvs if v.role == "reference"]
    if refs:
        # "foie (SUVmax 2,1)": the organ of a reference value is not a lesion site
        site_matches = [
            m for m in site_matches
            if not any(0 <= v.start - m[1] <= 25 and not _SEGMENT_SEP.search(text, m[1], v.start)
                       for v in refs)
        ]
    bone_context = _has(region.bone, cs, ce)
    sites = _merge(text, _sites(text, ce, site_matches, bone_context), cs)
    if sites:
        sites = _resolve_parts(text, sites)
    if len(sites) > 1:
        sites = _drop_details(text, sites)
        sites = _drop_extensions(text, sites, triggers)
        # "foyer du lobe gauche, en regard de la base gauche": parts of one organ, one lesion
        sites = [s for i, s in enumerate(sites)
                 if not (s.part and i and sites[i - 1].code == s.code
                         and not _has(region.triggers, sites[i - 1].end, s.start))]
    sites = _drop_enumeration_heads(text, sites, triggers)
    sites = _merge_vessel_segments(text, sites, cs, ce)
    sites = _drop_repeated_sites(text, sites, triggers)
    sites = _drop_general_bone(text, sites, triggers)
    sites = _drop_restated_organs(text, sites, triggers)
    if not sites and triggers and (bone := next(
        (t for t in triggers if _BONE_LESION.match(text, t)), None)) is not None:
        sites = [_Site(bone, bone + 1, "bone", None)]  # "Pas de fracture"
    if not sites and triggers and (fluid := next(
        (t for t in triggers if _EFFUSION.match(text, t)), None)) is not None and (
            _PERITONEAL_REGION.search(text, fluid, ce) is not None):
        # "lame liquidienne en FID": free fluid in the peritoneal cavity
        sites = [_Site(fluid, fluid + 1, "peritoneum", _clause_side(text, cs, ce))]
    if callable(default_site) and not sites and triggers:
        default_site = default_site()  # the exam's organ, read only when needed
    if not sites and default_site and triggers and not any(m[2] == "_organ" for m in site_matches):
        # "Pas de lésion ischémique récente" in a brain MRI; not a lymph node or a
        # property ("Pas d'adénopathie", "Pas de prise de contraste") of an exam organ
        # (a mammography's lesions are all in a breast)
        lesion = [t for t in triggers if not _NEVER_DEFAULT.match(text, t) and (
            default_site == modality_site or not _NOT_IN_ORGAN.match(text, t)) and (
            default_site not in _VESSEL_SITES or _VESSEL_EXAM_LESION.match(text, t))]
        if default_site == "_chest":
            lesion = [t for t in lesion if _CHEST_LESION.match(text, t)
                      and not _OTHER_BEFORE.search(text, max(cs, t - 10), t)]
        if lesion:
            code = "lung" if default_site == "_chest" else default_site
            # the finding's span is its lesion word ("foyer"), whole words for annotators
            word = _WORD_AT.match(text, lesion[0], ce)
            end = word.end() if word else lesion[0] + 1
            if _EACH_SIDE.search(text, cs, ce) is not None:
                # "Pas de nodule individualisable à droite ni à gauche": one per side
                sites = [_Site(lesion[0], end, code, side) for side in ("right", "left")]
            else:
                sites = [_Site(lesion[0], end, code, _clause_side(text, cs, ce))]
    # sites in the complement of "évocateur de", "en faveur de"... name the
    # nature of a lesion already described, not a new one
    for n_start, n_end in region.nature:
        if cs <= n_start < ce and any(s.start < n_start for s in sites):
            sites = [s for s in sites if s.start < n_end]
            break
    if sites and len({site_group(s.code) for s in sites}) == 1 and _BILATERAL_GROUP.search(text, cs, ce):
        for s in sites:
            s.laterality = "bilateral"  # "kystes bilatéraux, le plus grand à droite"
    return sites


_PARTITIVE_GAP = re.compile(r"[ \t']*(?:(?:de|des|du|d')[ \t]*)?", _I)  # "ni d'", "ni de"
# what the negation may deny on the way to the lesion word: "pas d'image de calcul",
# "pas de signe de fracture", "pas d'argument pour une récidive"
_EVIDENCE_OF = re.compile(
    r"[ \t]*(?:images?|signes?|arguments?|traductions?)[ \t]+(?:\w+[ \t]+)?"
    r"(?:de|d'|du|des|pour(?:[ \t]+(?:une?|la|le|les|l'|des))?)[ \t]*", _I
)


def _all_negated(text: str, triggers: list[int], neg_before: list[tuple[int, int]]) -> bool:
    """Whether every lesion word of a clause follows a negation cue ("pas de [nouvelle]",
    "ni d'")."""
    for t in triggers:
        if not any(e <= t and (e == t or _PARTITIVE_GAP.fullmatch(text, e, t) or _NEW_WORD.fullmatch(text, e, t)
                               or _EVIDENCE_OF.fullmatch(text, e, t))
                   for _, e in neg_before):
            return False
    return True


def _all_negated_after(text: str, triggers: list[int], neg_after: list[tuple[int, int]]) -> bool:
    """Whether every lesion word of a clause is followed, in its noun phrase, by a
    negation cue ("lésion non retrouvée", "adénopathies ne sont plus visibles")."""
    for t in triggers:
        if not any(t < s <= t + 60 and not _SEGMENT_SEP.search(text, t, s) for s, _ in neg_after):
            return False
    return True


def _describes_lesion_before(text: str, site: _Site, cues, triggers: list[int], cs: int) -> bool:
    """Whether a site negated by "sans" only describes the lesion named before it.

    "Masse spiculée du lobe moyen, sans franchissement scissural", "Pneumothorax gauche,
    sans déviation médiastinale": no lesion word between "sans" and the site, a lesion
    word before "sans" in the clause; the site is a property of that lesion (the guide:
    a negation applies to the finding, not to a property), not a negated finding.
    "Nodule du LSD, sans adénopathie médiastinale" names a lesion after "sans": kept.
    """
    cue = max((c for c in cues.neg_before if c[1] <= site.start), default=None)
    if cue is None or text[cue[0] : cue[0] + 4].lower() != "sans":
        return False
    return any(cs <= t < cue[0] for t in triggers) and not any(cue[0] <= t < site.end for t in triggers)


def _site_findings(
    text: str, sites: list[_Site], cues, triggers: list[int], cs: int, ce: int, section, etage
) -> list[Finding]:
    """A qualified finding per site of the clause."""
    first_trigger = triggers[0] if triggers else ce
    descriptive = bool(triggers) and all(_NEGATED_DESCRIPTION.match(text, t) for t in triggers)
    # "Sein gauche : remaniements stables du QSE, pas de microcalcification nouvelle":
    # every lesion word of the clause negated, after the site: the site is negated
    all_negated = None  # computed when first needed
    out = []
    for site in sites:
        q = qualify(text, site.start, site.end, cues,
                    negation_after=first_trigger > site.start,
                    blockers=[t for t in triggers if t > site.end])
        if not q.negated and cues.neg_before and triggers and site.end <= first_trigger:
            if all_negated is None:
                all_negated = _all_negated(text, triggers, cues.neg_before)
            q.negated = all_negated
        if not q.negated and cues.neg_after and triggers and site.end <= first_trigger:
            # "segment III : lésion non retrouvée": the lesion itself is negated
            q.negated = _all_negated_after(text, triggers, cues.neg_after)
        if q.negated and _describes_lesion_before(text, site, cues, triggers, cs):
            continue  # "Masse du lobe moyen, sans franchissement scissural": a property
        if descriptive or (q.negated and (
            _IMPLIED_SITE.fullmatch(text, site.start, site.end)
            or _NEAREST_SITE_ONLY.fullmatch(text, site.start, site.end)
        )):
            # "Pas d'hydrocéphalie", "Pas de prise de contraste leptoméningée": no site
            # of the vocabulary named; "pas de dilatation": normal; a dilatation
            # ("Dilatation de la VBP") describes an organ, it is no lesion
            continue
        out.append(
            Finding(site.start, site.end, site=site.code, laterality=site.laterality,
                    negated=q.negated, hypothesis=q.hypothesis, comparison=q.comparison,
                    section=section, etage=etage, clause=(cs, ce))
        )
    return out


# a negation that states an absence, not a property of the lesion just named ("sans ...")
_STATED_ABSENCE = re.compile(r"pas\b|absence\b|aucune?\b", _I)


def _negation_under_label(
    text: str, region: _RegionScan, cues, heading: _Site, affirmed: list[Finding], ce: int, section, etage
) -> list[Finding]:
    """A negated finding at a label's organ when its clause ends by negating a lesion
    that names no site of its own: "REIN DROIT : KYSTE CORTICAL SIMPLE DE 2 CM, PAS DE
    CALCUL" (the label gives the site and side of what follows it: the guide)."""
    after = max(f.end for f in affirmed)
    cue = next((c for c in cues.neg_before if c[0] >= after), None)
    if cue is None or any(after <= b < cue[0] for b in cues.breakers):
        return []
    if not _STATED_ABSENCE.match(text, cue[0]):
        return []  # "nodule ..., sans microcalcification": a property of the lesion
    negated = [t for t in region.triggers if cue[1] - 1 <= t < ce]
    if not negated or all(_NEGATED_DESCRIPTION.match(text, t) for t in negated):
        return []  # "pas de dilatation": a normal organ, no negated finding
    if any(m[2] != "_skip" for m in _within(region.site_starts, region.sites, cue[0], ce)):
        return []  # the negation names its own site
    return [Finding(cue[0], cue[1], site=heading.code, laterality=heading.laterality, negated=True,
                    section=section, etage=etage, clause=(cue[0], ce))]


def _one_negation_per_site(text: str, found: list[Finding], cues) -> list[Finding]:
    """One negated finding per site and side of a clause: "Pas d'adénopathie iliaque
    interne ni obturatrice", "Pas d'ascite ni de nodule péritonéal" negate one site.

    A site negated by "sans" after an affirmed finding of the same site describes that
    finding ("épanchement pleural droit, sans fixation pleurale focale"), it is no
    negated finding of its own."""
    if len(found) < 2:
        return found  # most clauses: nothing to compare
    seen: set[tuple] = set()
    affirmed: set[str | None] = set()
    out = []
    for f in found:
        if f.negated:
            key = (f.site, f.laterality)
            if key in seen:
                continue
            if f.site in affirmed:
                cue = max((c for c in cues.neg_before if c[1] <= f.start + 1), default=None)
                if cue is not None and text[cue[0] : cue[0] + 4].lower() == "sans":
                    continue
            seen.add(key)
        else:
            affirmed.add(f.site)
        out.append(f)
    return out


def _lesion_spans(affirmed: list[Finding], trigger_spans: list[tuple[int, int]], cs: int) -> list[tuple[int, int]]:
    """Each finding's span from the lesion word before its site to its end."""
    out, left = [], cs
    for f in affirmed:
        before = [t for t in trigger_spans if left <= t[0] < f.start]
        out.append((before[-1][0] if before else f.start, max(f.end, f.start + 1)))
        left = f.end
    return out


def _organ_measures(text: str, region: _RegionScan, cs: int, ce: int, heading) -> set[int]:
    """Starts of the sizes of a clause that measure an organ, not a lesion: a size
    before the clause's first lesion word, right after an organ named (or its label):
    "Rate : 14 cm, nodules ...", "Rein droit : 125 mm, dilatation ...", "Rate augmentée
    de taille (14,5 cm), avec deux nodules de 12 et 9 mm"."""
    triggers = _within(region.triggers, region.triggers, cs, ce)
    if not triggers or _DIGIT.search(text, cs, triggers[0]) is None:
        return set()  # no size before the first lesion word
    out = set()
    # the organ the clause opens with ("Rate de 12 cm, siège de foyers"), not one that
    # locates something ("Cicatrice du lobe inférieur droit de 31 mm, ... hypermétabolisme")
    organs = [(e, code) for s, e, code in _within(region.site_starts, region.sites, cs, triggers[0])
              if (code == "_part" or not code.startswith("_")) and not code.startswith("ln_")
              and _CLAUSE_HEAD.fullmatch(text, cs, s)][:1]
    if heading is not None and heading.end <= cs and not heading.sub and not heading.code.startswith("ln_"):
        organs.insert(0, (cs, heading.code))
    if not organs:
        return out
    for m in _SIZE.finditer(text, cs, triggers[0]):
        before = [e for e, _ in organs if e <= m.start()]
        if before and _ORGAN_SIZE_GAP.fullmatch(text, before[-1], m.start()):
            out.add(m.start())
    return out


def _attach_sizes(
    text: str, affirmed: list[Finding], cs: int, ce: int,
    parser=None, trigger_spans: list[tuple[int, int]] = (), skip: set[int] | None = None,
) -> None:
    """Give the clause's sizes to its affirmed findings (in order for a list of sizes).

    A size goes to the nearest finding before it, or, with a :class:`.parse.SizeParser`
    and two findings or more, to the one its dependency head chain reaches. Sizes that
    start at an offset of ``skip`` (an organ measured) go to none."""
    if not affirmed:
        return
    sizes = [s for s in _sizes(text, cs, ce) if not skip or s[0] not in skip]
    owners: list[int | None] = [None] * len(sizes)
    if parser is not None and len(affirmed) > 1 and sizes and not any(
        len(v) > 1 and len(v) == len(affirmed) for _, _, v in sizes
    ):
        owners = parser.owners(
            text, cs, ce, _lesion_spans(affirmed, trigger_spans, cs), [s for s, _, _ in sizes]
        )
    for (s_start, s_end, values), owner in zip(sizes, owners, strict=True):
        if len(values) > 1 and len(values) == len(affirmed):
            for f, v in zip(affirmed, values, strict=False):
                if f.size_mm is None:
                    f.size_mm = v
                    f.end = max(f.end, s_end)
            continue
        i = _nearest_before(affirmed, s_start) if owner is None else owner
        if affirmed[i].size_mm is None:
            affirmed[i].size_mm = max(values)
            affirmed[i].end = max(affirmed[i].end, s_end)


_COUNT = re.compile(r"(?:(?P<n2>deux|2)|(?P<n3>trois|3)|(?P<n4>quatre|4))[ \t]+(?:autres[ \t]+|petite?s[ \t]+|nouve(?:aux|lles)[ \t]+)*$", _I)


def _split_counted(
    text: str, finding: Finding, clause_findings: list[Finding], trigger: int,
    lesion_suvs: list, cs: int, ce: int, skip: set[int] | None = None,
) -> bool:
    """ "Deux nodules hépatiques du segment IV, de 7 mm (SUVmax 11,2) et 9 mm (SUVmax
    13,8)", "deux kystes de 6 et 4 mm": as many findings as counted, when the clause
    gives that many SUVmax values (or, with none, that many sizes), each with its own
    value (and size) in order. Returns whether the clause was split."""
    m = _COUNT.search(text, max(cs, trigger - 30), trigger)
    if m is None or _LARGEST.search(text, cs, ce) is not None:
        return False  # "deux ganglions ..., le plus gros de 17 mm": one finding
    n = int(m.lastgroup[1])
    values = [v for v in lesion_suvs if v.group is not None]
    sizes = [v for start, _, values_ in _sizes(text, cs, ce) if not skip or start not in skip
             for v in values_]
    if values and len(values) != n or not values and (lesion_suvs or len(sizes) != n):
        return False  # each lesion its own measured value, else one finding
    if len(sizes) not in (0, 1, n):
        return False
    copies = [finding] + [_sibling(finding) for _ in range(n - 1)]
    for i, f in enumerate(copies):
        if len(sizes) == n:
            f.size_mm = sizes[i]
        elif len(sizes) == 1 and i == 0:
            f.size_mm = sizes[0]
        if len(values) == n:
            f.suvmax, f.previous_suvmax = values[i].value, values[i].previous
            f.end = max(f.end, values[i].end)  # each its own span, in order of its value
    clause_findings.extend(copies[1:])
    return True


_VALUE_SIDE = re.compile(r"[ \t]*(?:à|du c[ôo]t[ée])[ \t]+(?:(?P<right>droite?)|(?P<left>gauche))(?![\w])", _I)
_LARGEST_SIDE = re.compile(
    rf"(?:{patterns.LARGEST_OF})[ \t]+(?:à|du c[ôo]t[ée])[ \t]+(?:(?P<right>droite?)|(?P<left>gauche))(?![\w])", _I
)


def _sibling(finding: Finding) -> Finding:
    """Another lesion of ``finding``'s group: its place, site, side and qualifiers, none of its values."""
    return Finding(finding.start, finding.end, site=finding.site, laterality=finding.laterality,
                   hypothesis=finding.hypothesis, comparison=finding.comparison, section=finding.section,
                   etage=finding.etage, clause=finding.clause)


def _split_sides(text: str, clause_findings: list[Finding], lesion_suvs: list, cs: int, ce: int) -> None:
    """One finding per side when a group on both sides gives its value side by side.

    "Adénopathies sus-claviculaires bilatérales, SUVmax 10,3 à droite et 8,9 à gauche,
    la plus grosse à droite (25 mm)" is a right node (10.3, 25 mm) and a left one (8.9);
    "hilaires droite et gauche, SUVmax 6,1 à droite et 5,2 à gauche" gives each side its
    own value. The size goes to the side the clause says is the largest, else stays."""
    if len(lesion_suvs) != 2:
        return
    sides = [m.lastgroup if (m := _VALUE_SIDE.match(text, v.end, ce)) else None for v in lesion_suvs]
    if None in sides or sides[0] == sides[1]:
        return
    affirmed = [f for f in clause_findings if f.kind == "lesion" and not f.negated]
    by_side = dict(zip(sides, lesion_suvs, strict=True))
    if len(affirmed) == 1 and affirmed[0].laterality == "bilateral":
        first = affirmed[0]
        other = _sibling(first)
        first.laterality, other.laterality = sides
        largest = _LARGEST_SIDE.search(text, cs, ce)
        if first.size_mm is not None and largest is not None and largest.lastgroup == other.laterality:
            other.size_mm, first.size_mm = first.size_mm, None
        clause_findings.insert(clause_findings.index(first) + 1, other)
        pair = [first, other]
    elif len(affirmed) == 2 and affirmed[0].site == affirmed[1].site and (
        {f.laterality for f in affirmed} == set(sides)
    ):
        pair = affirmed
    else:
        return
    for f in pair:
        v = by_side[f.laterality]
        f.suvmax, f.previous_suvmax = v.value, v.previous


_SIDES_IN_TURN = re.compile(
    r"[ \t]*(?:,[ \t]*)?(?:respectivement[ \t]+)?(?:à|du c[ôo]t[ée])[ \t]+(?P<first>droite?|gauche)[ \t]+et[ \t]+"
    r"(?:à|du c[ôo]t[ée])[ \t]+(?P<second>droite?|gauche)(?![\w])", _I)


def _split_sized_sides(text: str, clause_findings: list[Finding], cs: int, ce: int) -> None:
    """One finding per side when a group on both sides gives its sizes side by side.

    "Endométriomes bilatéraux, de respectivement 32 et 27 mm à droite et à gauche" is a
    right lesion of 32 mm and a left one of 27 mm (two sizes each followed by its side
    are read the same way)."""
    affirmed = [f for f in clause_findings if f.kind == "lesion" and not f.negated]
    if len(affirmed) != 1 or affirmed[0].laterality != "bilateral":
        return
    sizes = _sizes(text, cs, ce)
    sided: list[tuple[str, float]] = []
    if len(sizes) == 1 and len(sizes[0][2]) == 2 and (m := _SIDES_IN_TURN.match(text, sizes[0][1], ce)):
        sided = list(zip((m.group("first"), m.group("second")), sizes[0][2], strict=True))
    elif len(sizes) == 2 and all(len(v) == 1 for _, _, v in sizes):
        sides = [m.lastgroup if (m := _VALUE_SIDE.match(text, e, ce)) else None for _, e, _ in sizes]
        if None in sides:
            return
        sided = [(side, v[0]) for side, (_, _, v) in zip(sides, sizes, strict=True)]
    if not sided:
        return
    codes = [_SIDE_CODES.get(side[:1].lower()) for side, _ in sided]
    if None in codes or codes[0] == codes[1]:
        return
    first = affirmed[0]
    other = _sibling(first)
    (first.laterality, first.size_mm), (other.laterality, other.size_mm) = zip(codes, (v for _, v in sided), strict=True)
    clause_findings.insert(clause_findings.index(first) + 1, other)


_SIDE_CODES = {"d": "right", "g": "left"}


def _suvmax_targets(
    text: str, lesion_suvs: list, affirmed: list[Finding], last: Finding | None,
    clause_findings: list[Finding], cues, cs: int, ce: int, section, etage,
) -> list[Finding]:
    """The findings lesion SUVmax values may attach to; with no site in the clause, the
    previous finding still without a value, else a new site-less finding."""
    if not lesion_suvs or affirmed:
        return affirmed
    if last is not None and last.kind == "lesion" and not last.negated and last.suvmax is None:
        return [last]
    first = lesion_suvs[0]
    q = qualify(text, first.start, first.end, cues)
    orphan = Finding(first.start, first.end, hypothesis=q.hypothesis, comparison=q.comparison,
                     section=section, etage=etage, clause=(cs, ce))
    clause_findings.append(orphan)
    return [orphan]


def _attach_suvmax(lesion_suvs: list, targets: list[Finding], cs: int, ce: int) -> None:
    """Give each lesion SUVmax value to the nearest finding before it ("respectivement"
    lists in order), keeping the highest value of a finding."""
    groups: dict[int, list] = {}
    for v in lesion_suvs:
        groups.setdefault(v.group, []).append(v)
    for values in groups.values():
        if len(values) > 1 and values[0].respectively and len(values) <= len(targets):
            chosen = targets[-len(values):] if len(values) < len(targets) else targets
            pairs = list(zip(chosen, values, strict=False))
        else:
            pairs = [(targets[_nearest_before(targets, v.start)], v) for v in values]
        for f, v in pairs:
            if f.suvmax is None or v.value > f.suvmax:
                f.suvmax = v.value
                f.previous_suvmax = v.previous
            if f.clause == (cs, ce):
                f.end = max(f.end, v.end)


def _orphan_previous(suvs: list, suv_values: list) -> list:
    """The previous values of a clause said with no value of their own lesion
    ("précédemment 13 mm et SUVmax 7,5", "; SUVmax initial 17,9")."""
    linked = {id(v) for v in suvs if v.role == "previous" and v.current is not None}
    told = [v.previous for v in suv_values if v.role == "lesion" and v.previous is not None]
    out = []
    for v in suvs:
        if v.role != "previous" or id(v) in linked:
            continue
        if v.value in told:
            told.remove(v.value)  # a table row's previous column, on its lesion value
            continue
        out.append(v)
    return out


def _attach_previous(
    text: str, orphans: list, affirmed: list[Finding], last: Finding | None, cs: int,
    gone: list[Finding] = (),
) -> None:
    """Give previous values said alone to the clause's lesion (the nearest before), or to
    the lesion just described in the same sentence ("SUVmax 3,4 ... ; SUVmax initial 17,9").

    A lesion said gone ("disparue (SUVmax 11,2 auparavant)") is no current lesion: it
    keeps no value as an affirmed lesion, but the clause's negated row of it (``gone``)
    keeps the earlier value ("Le nodule surrénalien gauche (SUVmax 6,8 initialement)
    n'est plus visible": guide's rulings on disappeared lesions)."""
    for v in orphans:
        before = [f for f in affirmed if f.start <= v.start and f.previous_suvmax is None
                  and f.comparison != "resolved"]
        if before:
            before[-1].previous_suvmax = v.value
        elif gone_before := [f for f in gone if f.negated and f.start <= v.start and f.previous_suvmax is None]:
            gone_before[-1].previous_suvmax = v.value
        elif not affirmed and last is not None and last.kind == "lesion" and not last.negated and (
            last.previous_suvmax is None and last.suvmax is not None
            and not _SENTENCE_BREAK.search(text, last.end, cs)
        ):
            last.previous_suvmax = v.value


_SENTENCE_BREAK = re.compile(r"(?<!\d)\.(?!\d)|\n")


def _start_at_lesion_words(
    text: str, clause_findings: list[Finding], trigger_spans: list[tuple[int, int]], cs: int
) -> None:
    """Start each lesion finding at its lesion word: "adénopathie hilaire"."""
    left = cs
    for f in clause_findings:
        if f.kind == "lesion" and f.site is not None:
            before = _last_span_within(trigger_spans, left, f.start)
            if before is not None and not _SEGMENT_SEP.search(text, before[1], f.start):
                f.start = before[0]
        left = max(left, f.end)


def _last_span_within(spans: list[tuple[int, int]], lo: int, hi: int) -> tuple[int, int] | None:
    """The last of ``spans`` (sorted and not overlapping, as a scanner finds them) that
    lies in ``[lo, hi]``: ``lo <= start`` and ``end <= hi``; ``None`` when none does.

    Examples
    --------
    >>> spans = [(0, 6), (10, 16), (20, 26)]
    >>> _last_span_within(spans, 0, 18), _last_span_within(spans, 0, 24), _last_span_within(spans, 12, 18)
    ((10, 16), (10, 16), None)
    """
    i = bisect_left(spans, (hi,))  # the spans before: start < hi
    if i and spans[i - 1][1] > hi:
        i -= 1  # the one across hi (the one before it ends before it starts)
    if i and spans[i - 1][0] >= lo:
        return spans[i - 1]
    return None


def _organ_run(text: str, sites: list, colon: int) -> bool:
    """Whether a label is two organs or more dictated without commas, with only blanks
    between them and before its colon: "Foie vésicule rate pancréas : RAS"."""
    codes = [code for _, _, code in sites]
    if len(sites) < 2 or any(_related(a, b) is not None for i, a in enumerate(codes) for b in codes[i + 1 :]):
        return False  # "Segment VII hépatique :": one organ
    gaps = [(sites[k][1], sites[k + 1][0]) for k in range(len(sites) - 1)]
    return all(s > e and not text[e:s].strip() for e, s in gaps) and not text[sites[-1][1] : colon].strip()


def _organ_normal_findings(
    text: str, region: _RegionScan, triggers: list[int], cs: int, ce: int, section, etage,
    heading: _Site | None,
) -> list[Finding]:
    """Negated findings of organs said normal: "Rate : RAS", "Foie et rate normaux".

    Only in a clause with no lesion word, whose sites (or, for "- RAS" under "Foie :",
    the label's) end with the normal statement.
    """
    colon = text.find(":", cs, ce)
    sites = [m for m in _within(region.site_starts, region.sites, cs, ce) if m[2] != "_skip"]
    anchor = sites[-1][1] if sites else cs
    if (normal := _ORGAN_NORMAL.match(text, anchor, ce)) is None:
        return []
    if normal.group("descriptions") is not None and (
        text.find(":", anchor, normal.start("descriptions")) < 0
        or any(anchor <= t < normal.start("verdict") for t in triggers)
    ):
        return []  # descriptions only after a label's colon, and no lesion word among them
    # lesion words of the verdict ("Os : sans particularité") or naming a node area
    # before its site ("Ganglions axillaires normaux") are not lesions
    triggers = [t for t in triggers if t < anchor and not (
        sites and t < sites[0][0] and _NODE_AREA.match(text, t)
        and sites[0][2].startswith("ln_") and _CLAUSE_HEAD.fullmatch(text, cs, sites[0][0]))]
    if triggers and not (colon >= 0 and triggers[-1] < colon):
        return []  # a lesion word, unless in a label: "Ganglions : aires inguinales libres"
    if sites and not _CLAUSE_HEAD.fullmatch(text, cs, sites[0][0]):
        return []  # "Silhouette cardiaque normale" describes, it negates no organ
    if colon > (sites[-1][1] if sites else cs) and _organ_run(text, sites, colon):
        # a label of organs dictated without commas: "Foie vésicule rate pancréas : RAS"
        found = _sites(text, colon, sites, False)
    elif sites:
        found = _resolve_parts(text, _merge(text, _sites(text, ce, sites, False), cs))
    elif heading is not None and (
        _LIST_ITEM.match(text, text.rfind("\n", 0, cs) + 1)
        or (heading.end <= cs and text.find("\n", heading.end, cs) < 0)
    ):
        # "Foie :" then "- RAS"; "Os : RAS." (the label on the clause's line)
        found = [_Site(cs, ce, heading.code, heading.laterality)]
    else:
        return []
    return [
        Finding(s.start, max(s.end, s.start + 1), site=s.code, laterality=s.laterality, negated=True,
                section=section, etage=etage, clause=(cs, ce))
        for s in found if s.code != "_bone_weak"
    ]


# the next line (after blank ones) is a list item or a table row
_NEXT_ITEM = re.compile(rf"(?:[ \t]*\n)+(?:{patterns.LIST_ITEM}|[^\n|]*\|[^\n|]*\|)")


class _Rows:
    """The pipe-table rows (lines with two pipes or more) of ``text[start:end]``, found
    in one pass: ``pos in rows`` says whether ``pos`` is on one."""

    def __init__(self, text: str, start: int, end: int):
        self.starts: list[int] = []
        self.ends: list[int] = []
        if text.find("|", start, end) < 0:
            return
        line_start, pipes = start, 0
        for m in _PIPE_OR_NEWLINE.finditer(text, start, end):
            if m.group() == "|":
                pipes += 1
                continue
            if pipes >= 2:
                self.starts.append(line_start)
                self.ends.append(m.start())
            line_start, pipes = m.end(), 0
        if pipes >= 2:
            self.starts.append(line_start)
            self.ends.append(end)

    def __contains__(self, pos: int) -> bool:
        i = bisect_left(self.starts, pos + 1) - 1
        return i >= 0 and pos <= self.ends[i]

    def header(self, text: str, pos: int) -> bool:
        """Whether ``pos`` is on the header row of a table: its first row, with no
        digit, and another row right under it (blank lines aside)."""
        i = bisect_left(self.starts, pos + 1) - 1
        if i < 0 or pos > self.ends[i] or i + 1 >= len(self.starts):
            return False
        first = i == 0 or bool(text[self.ends[i - 1] : self.starts[i]].strip())
        return (first and not text[self.ends[i] : self.starts[i + 1]].strip()
                and _DIGIT.search(text, self.starts[i], self.ends[i]) is None)


_PIPE_OR_NEWLINE = re.compile(r"[|\n]")
_DIGIT = re.compile(r"\d")
# a table header naming its rows' lesions: "Lésion | Localisation | Taille"
_LESION_COLUMNS = re.compile(r"(?<![\w])(?:localisations?|si[èe]ges?|sites?|cibles?)(?![\w])", _I)


def _table_rows(text: str, spans: list[tuple[int, int]], rows: _Rows) -> list[tuple[int, int]]:
    """Clauses with each pipe-table row made one: a row describes one lesion, whatever
    dashes or full stops its cells hold ("2 | Aile iliaque droite | - | 6,0 | 14,8")."""
    if not rows.starts:
        return spans
    out: list[tuple[int, int]] = []
    for cs, ce in spans:
        if out and cs in rows and "\n" not in text[out[-1][1] : cs]:
            out[-1] = (out[-1][0], ce)
        else:
            out.append((cs, ce))
    return out


# possessive lead: the label never starts inside the blanks and bullets (linear on long runs)
# (a clock position, a distance or a level may sit in it: "Sein gauche, UQS (12 h), à 3 cm
# du mamelon :", "L4-L5 :")
_INLINE_LABEL = re.compile(
    r"[\s\-–•*·]*+(?:[^\d\n:|.;()]|\([^\n:|.;()]{1,20}\)|\d+(?:,\d)?[ \t]*(?:h|cm|mm)\b"
    r"|(?<![\w])[A-Za-z]{1,2}\d{1,2}[A-Za-z]?(?![\w])){2,60}?[ \t]*:[ \t]*(?=\S)"
)


def _line_end(text: str, pos: int, end: int) -> int:
    """The end of the line holding ``pos`` (at most ``end``)."""
    nl = text.find("\n", pos, end)
    return end if nl < 0 else nl


_NEGATED_BODY = re.compile(r"(?:pas (?:de |d')|absence (?:de |d')|aucun(?:e)? )", _I)


def _area_label_end(text: str, region: _RegionScan, cs: int, ce: int) -> int:
    """Where the body of a clause starts after a label naming several areas and no
    lesion ("Médiastin et hiles : ganglion hilaire droit ..."), when the body names a
    site of its own; ``cs`` otherwise (the areas are then read as the clause's sites)."""
    m = _INLINE_LABEL.match(text, cs, ce)
    if m is None or _has(region.triggers, cs, m.end()):
        return cs
    named = [x for x in _within(region.site_starts, region.sites, cs, m.end()) if x[2] != "_skip"]
    after = [x for x in _within(region.site_starts, region.sites, m.end(), ce) if x[2] != "_skip"]
    return m.end() if len(named) > 1 and after else cs


_BARE_HEADING = re.compile(r"[^\W\d_][^\d\n:|.;,()=]{1,38}")
_BARE_HEADING_MAX = 39  # characters of a _BARE_HEADING match, at most


def _bare_heading(text: str, cs: int, ce: int, r_start: int, r_end: int) -> bool:
    """Whether ``text[cs:ce]`` is a title without a colon: a few words alone on their
    line, after a blank line (or the region's start) and before a non-blank line."""
    if ce - cs > _BARE_HEADING_MAX or text.count(" ", cs, ce) > 3 or not _BARE_HEADING.fullmatch(text, cs, ce):
        return False
    line_start = text.rfind("\n", r_start, cs) + 1
    line_end = text.find("\n", ce, r_end)
    if text[line_start:cs].strip() or line_end < 0 or text[ce:line_end].strip():
        return False
    if not text[line_end + 1 : text.find("\n", line_end + 1, r_end) if text.find("\n", line_end + 1, r_end) >= 0 else r_end].strip():
        return False
    before = text.rfind("\n", r_start, max(r_start, line_start - 1))
    return line_start <= r_start or not text[before + 1 : line_start].strip()


def _inline_label(text: str, region: _RegionScan, cs: int, ce: int) -> tuple[_Site, int] | None:
    """The organ a clause opens with before a colon ("Sein droit : ...", "Os : ..."),
    and where its body starts; ``None`` unless the label names one site and no lesion."""
    if text.find(":", cs, ce) < 0:
        return None
    m = _INLINE_LABEL.match(text, cs, ce)
    if m is None or _has(region.triggers, cs, m.end()) and _NEGATED_BODY.match(text, m.end(), ce) is None:
        # a label that names lesions is none, unless what follows denies them
        # ("Ganglions pelviens : absence de fixation")
        return None
    matches = [x for x in _within(region.site_starts, region.sites, cs, m.end()) if x[2] != "_skip"]
    if not matches:
        return None
    found = _resolve_parts(text, _merge(text, _sites(text, m.end(), matches, False), cs))
    if len(found) > 1 and all(_related(found[0].code, f.code) for f in found):
        # "Sein gauche, union des quadrants inférieurs : ...": one organ, said twice
        code = found[0].code
        for f in found[1:]:
            code = _related(code, f.code) or code
        side = next((f.laterality for f in found if f.laterality), None)
        found = [_Site(found[0].start, found[-1].end, code, side)]
    if len(found) != 1 or found[0].code == "_bone_weak":
        return None
    return found[0], m.end()


def _clause_side(text: str, start: int, end: int) -> str | None:
    """The one side a clause names ("lésion postéro-latérale gauche"), for a lesion whose
    site is a label or the exam's organ; ``None`` when it names none or both."""
    sides = {m.lastgroup for m in _LAT_ANY.finditer(text, start, end)}
    return sides.pop() if len(sides) == 1 and sides <= {"right", "left", "bilateral"} else None


def _inherit_side(sites: list[_Site], label: _Site, nodes: bool = True) -> None:
    """Give a label's side to the sites under it that name none, when they are parts of
    the labelled organ ("Sein droit : ... du QSI") or, with ``nodes``, lymph nodes.

    Under a lymph-node label, a level ("Creux axillaire gauche : ganglions de niveau I")
    is a level of that station, not a cervical one."""
    if label.code.startswith("ln_"):
        for site in sites:
            if site.code == "ln_cervical" and label.code != "ln_cervical" and site.laterality is None:
                site.code = label.code
    if label.laterality is None:
        return
    for site in sites:
        if site.laterality is None and (
            _related(label.code, site.code) is not None or (nodes and site.code.startswith("ln_"))
        ) and not (site.code in patterns.MIDLINE_SITES and site.code != label.code):
            site.laterality = label.laterality


def _carry_side(found: list[Finding], side: str | None) -> None:
    """Give a heading's ``side`` to the findings under it that name none, at a site that
    may have one; a side of the finding's own (its clause, its label) wins.

    Under "Membre inférieur gauche :", "- Veine poplitée : thrombose occlusive" is left;
    under "Main droite :", "- Érosion du scaphoïde gauche" stays left.

    Examples
    --------
    >>> found = [Finding(0, 8, site="vessel"), Finding(9, 12, site="bone", laterality="left"),
    ...          Finding(13, 20, site="aorta"), Finding(21, 25)]
    >>> _carry_side(found, "right")
    >>> [f.laterality for f in found]
    ['right', 'left', None, None]
    """
    if side is None:
        return
    for f in found:
        if f.laterality is None and f.site is not None and f.site not in patterns.MIDLINE_SITES:
            f.laterality = side


def find_findings(
    text: str,
    regions: list[tuple[int, int, str | None, str | None]],
    suv_values: list,
    default_site: str | None = None,
    scanner: MultiScanner | None = None,
    modality_site: str | None = None,
    size_parser=None,
) -> list[Finding]:
    """Findings of ``text`` in ``regions`` (``(start, end, section, etage)``).

    ``suv_values`` are the SUVmax values of the whole text (see
    :func:`radlink.nlp.suvmax.find_suv_values`); lesion values attach to findings,
    reference values become reference findings. ``default_site`` is the site of a
    lesion that names none (``breast`` in a mammography). ``scanner`` finds the
    sites, lesion words and cues (default: the one built from :mod:`.patterns`).
    """
    scanner = _SCANNER if scanner is None else scanner
    findings: list[Finding] = []
    suv_values = sorted(suv_values, key=lambda v: v.start)
    suv_starts = [v.start for v in suv_values]
    for r_start, r_end, section, etage in regions:
        region = _scan_region(text, r_start, r_end, scanner)
        last: Finding | None = None
        heading: _Site | None = None
        block: _Site | None = None  # "Foie :" alone on its line, for the items under it
        negated_list = False  # under "Pas de :" or "Absence :", every item is negated
        hedged_list = False  # under "Lésions évocatrices de métastases :", every item is hedged
        inline: _Site | None = None  # "Sein droit : ..." for the rest of its line
        inline_line_end = -1
        if etage in _ETAGE_SITES:
            # "Os : pas de lésion.": an étage title followed on its line by its text is
            # also the label of that text (alone on its line, it is a sub-section only)
            line_start = text.rfind("\n", 0, r_start) + 1
            if text[line_start:r_start].strip() and text[r_start:_line_end(text, r_start, r_end)].strip():
                inline = _Site(line_start, max(line_start + 1, r_start - 1), _ETAGE_SITES[etage], None)
                inline_line_end = _line_end(text, r_start, r_end)
        listed = False  # under "Lésions cibles :": the items listed are lesions
        named: list[_Site] = []  # the sites of the lesions described so far
        rows = _Rows(text, r_start, r_end)
        bare_until = -1  # the end of the paragraph under a title without a colon
        # "Membre inférieur droit :" alone on its line: the side of the findings under it
        # that name none, to the next heading or blank line (guide's rulings)
        heading_side: str | None = None
        heading_side_until = -1
        for cs, ce in _table_rows(text, clauses(text, r_start, r_end), rows):
            triggers = _within(region.triggers, region.triggers, cs, ce)
            if triggers and region.physiological and _has(region.physiological, cs, ce):
                # "fixation physiologique du processus unciné": an uptake said normal
                triggers = [t for t in triggers if not _PHYSIOLOGICAL_UPTAKE.match(text, t)]
            suvs = _within(suv_starts, suv_values, cs, ce)
            findings += _reference_findings(suvs, section, etage, (cs, ce))
            line_start = text.rfind("\n", r_start, cs) + 1
            item = line_start < cs and _LIST_ITEM.match(text, line_start) is not None or cs in rows
            if not item and cs < bare_until:
                listed, negated_list, hedged_list = False, False, False  # the title's site holds, not a list's
            elif not item:
                block, listed, negated_list, hedged_list = None, False, False, False
            if not triggers and not suvs and _NEGATION_HEAD.fullmatch(text, cs, ce) and (
                text.find(":", cs, ce) >= 0 or _NEXT_ITEM.match(text, ce)
            ):
                # "Pas de :" then "- adénopathie hilaire", "- nodule ..."; "Absence" alone
                # on its line before "- d'épanchement pleural"
                negated_list = True
                continue
            if inline is not None and cs >= inline_line_end:
                inline = None
            if rows.starts and rows.header(text, cs):
                # "Lésion | Localisation | Taille": the rows under it are its lesions
                listed = bool(triggers) or _LESION_COLUMNS.search(text, cs, ce) is not None
                continue
            bare = not suvs and _bare_heading(text, cs, ce, r_start, r_end)
            if bare:
                # "Foie" or "Lésions traitées" alone between a blank line and its
                # paragraph: a title without a colon, whose site holds to the blank line
                blank = _BLANK_LINE.search(text, ce, r_end)
                bare_until = blank.start() if blank is not None else r_end
            if bare or not suvs and (
                (not triggers and text.find(":", cs, ce) >= 0 and _HEADING.match(text, cs, ce))
                or (triggers and text.find(":", max(cs, ce - 3), ce) >= 0
                    and _LIST_HEADING.match(text, cs, ce) and _NEXT_ITEM.match(text, ce))
            ):
                # "Foie :" alone on its line: the site of the items listed under it;
                # "Lésions cibles :", "ADP médiastino-hilaires bilatérales :" before a
                # list or a table: its items are the lesions (the heading is none)
                label = _clause_sites(text, region, suvs, triggers, cs, ce, None)
                block = label[0] if len(label) == 1 else None
                heading_side = _clause_side(text, cs, ce)
                blank = _BLANK_LINE.search(text, ce, r_end)
                heading_side_until = bare_until if bare else blank.start() if blank is not None else r_end
                listed = bool(triggers) and not bare  # a title's paragraph is prose, no list
                if listed and not bare:
                    # "Pas de masse ni d'adénopathie :" then "- médiastinale", "- hilaire":
                    # the heading's negation holds for every item
                    heading_cues = region.qualifier_cues.clause(cs, ce)
                    negated_list = _all_negated(text, triggers, heading_cues.neg_before)
                    # "Trois lésions ..., évocatrices de localisations secondaires :" then
                    # "- frontale droite de 11 mm": the heading's hedge holds for every item
                    hedged_list = heading_cues.hypothesis and not negated_list
                continue
            label_end = cs
            if (label := _inline_label(text, region, cs, ce)) is not None:
                # "Sein droit : foyer ... du QSI", "Os : pas de lésion.": the organ (and
                # side) of what follows on its line; under "Sein droit :", "- QSE : ..."
                inline, label_end = label
                # "Ganglions pelviens : absence de fixation": the label's lesion word
                # is what the body denies
                triggers = [t for t in triggers if t >= label_end]
                if block is not None:
                    _inherit_side([inline], block)
                inline_line_end = _line_end(text, cs, r_end)
            elif text.find(":", cs, ce) >= 0:
                label_end = _area_label_end(text, region, cs, ce)
            heading = inline or block
            if _RESTATEMENT.match(text, cs, ce):
                _hedge_previous(text, region, findings, last, cs, ce)
                continue  # "L'opacité correspond à une masse ...": no new lesion
            if triggers and not suvs and all(_CLASSIFICATION.match(text, t) for t in triggers) and not (
                _within(region.site_starts, region.sites, label_end, ce)
            ):
                continue  # "Classé ACR 3.": the class of the lesion just described
            normal = _organ_normal_findings(text, region, triggers, cs, ce, section, etage, heading)
            if normal:
                if cs < heading_side_until:
                    _carry_side(normal, heading_side)
                findings += normal
                if inline is not None and label_end > cs:
                    inline = None  # "Reins : RAS. Pas d'épanchement.": the verdict closes the label
                continue
            in_list = (heading is not None and (
                bool(triggers) or (block is not None and cs >= bare_until and bool(_sizes(text, cs, ce)) and not (
                    # "- Lobe droit : 52 x 18 x 20 mm", "- Rein droit : 110 mm": the organ
                    # measured; a segment or a node measured is a lesion ("- segment VII : 17 mm")
                    label_end > cs and not inline.sub and not inline.code.startswith("ln_")
                ))
            )) or (listed and (bool(_sizes(text, cs, ce)) or _has(region.site_starts, cs, ce)))
            if not suvs and text.find("hile", cs, ce) >= 0 and _NORMAL_NODE_UNMEASURED.search(text, cs, ce) and (
                _NORMAL_NODE.search(text, cs, ce) or not _sizes(text, cs, ce)
            ) and not _has(region.negations, cs, ce):
                # "ganglions ovalaires à hile graisseux": normal lymph nodes ("Pas
                # d'adénopathie pelvienne : les ganglions ... à hile graisseux" negates)
                continue
            if not _may_describe_lesion(region, suvs, triggers, cs, ce) and not (
                # under a label, a list item may name no lesion ("- segment VII : 17 mm"),
                # but a physiological statement is no finding there either
                in_list and not (_has(region.physiological, cs, ce) and not _has(region.negations, cs, ce))
            ):
                if not triggers and not suvs:
                    _hedge_previous(text, region, findings, last, cs, ce)
                continue
            sites = _clause_sites(
                text, region, suvs, triggers, label_end, ce,
                None if heading is not None else default_site, modality_site,
            )
            if heading is not None and sites and (nature := next(
                (n for n, _ in region.nature if label_end <= n < ce), None
            )) is not None and all(site.start >= nature for site in sites):
                # "Ovaire droit : formation kystique ..., évoquant un endométriome": the
                # nature's site is the label's lesion, not one of its own
                sites = []
            if heading is not None:
                _inherit_side(sites, heading, nodes=heading is block or label_end > cs)
                if heading.code == "liver":
                    for site in sites:
                        if site.code == "ln_cervical" and _BARE_LEVEL.fullmatch(text, site.start, site.end):
                            site.code = "liver"  # "Foie :" then "IVa | 12 mm": a segment, not a neck level
            if (side := _SIDE_FIRST.match(text, label_end, ce)) is not None:
                # "À gauche, opacité irrégulière du QSE": the side of the clause's sites
                for site in sites:
                    site.laterality = site.laterality or side.lastgroup
            if heading is not None and not sites and not any(
                # an organ outside the vocabulary named with the lesion word ("-
                # Ligament : rupture", "épaississement cutané"), not a part of the
                # lesion described after a comma or "avec" ("nodule de 24 mm, avec une
                # capsule", "masse avec rétraction cutanée")
                m[2] == "_organ" and not (triggers and _ASSOCIATED_SIGN.search(text, triggers[0], m[0]))
                for m in _within(region.site_starts, region.sites, label_end, ce)
            ):
                # "Foie :" then "- segment II : 8 mm" or "- nodule de 8 mm"; "Os : pas de
                # lésion" (the label itself, so that the negation after it applies); later
                # on the label's line, the first lesion word ("Pas d'opacité nouvelle")
                if label_end > cs:
                    at = (heading.start, heading.end)
                elif triggers:
                    at = region.trigger_spans[bisect_left(region.triggers, cs)]
                else:
                    at = (cs, ce)
                sites = [_Site(*at, heading.code, heading.laterality or _clause_side(text, label_end, ce))]
            if sites and not suvs and _ANAPHORA.match(text, label_end, ce) and all(
                _site_words(text, site) in {_site_words(text, n) for n in named} for site in sites
            ):
                continue  # "La lésion du segment VII est au contact de la veine": said before
            if named and not suvs and triggers and not _has(region.negations, cs, ce) and all(
                _NAMED_AGAIN.search(text, max(cs, t - 16), t) for t in triggers
            ):
                continue  # "Cette lésion vient au contact de la capsule": said before
            cues = region.qualifier_cues.clause(cs, ce)
            clause_findings = _one_negation_per_site(
                text, _site_findings(text, sites, cues, triggers, cs, ce, section, etage), cues
            )
            if not clause_findings:
                # "Aspect compatible avec des localisations secondaires.": a nature with no
                # site of its own says how sure the lesions just described are
                _hedge_previous(text, region, findings, last, cs, ce)
            affirmed = [f for f in clause_findings if not f.negated]
            if heading is not None and affirmed and len(affirmed) == len(clause_findings):
                clause_findings += _negation_under_label(text, region, cues, heading, affirmed, ce, section, etage)
            lesion_suvs = [v for v in suvs if v.role == "lesion"]
            skip = None if listed or not affirmed else _organ_measures(text, region, cs, ce, heading)
            if len(affirmed) == 1 and triggers and _split_counted(
                text, affirmed[0], clause_findings, triggers[0], lesion_suvs, cs, ce, skip
            ):
                findings.extend(clause_findings)
                last = clause_findings[-1]
                continue
            _attach_sizes(text, affirmed, cs, ce, size_parser, region.trigger_spans, skip)
            targets = _suvmax_targets(text, lesion_suvs, affirmed, last, clause_findings,
                                      cues, cs, ce, section, etage)
            _attach_suvmax(lesion_suvs, targets, cs, ce)
            _split_sides(text, clause_findings, lesion_suvs, cs, ce)
            if not lesion_suvs:
                _split_sized_sides(text, clause_findings, cs, ce)
            if suvs and (orphans := _orphan_previous(suvs, suv_values)):
                _attach_previous(text, orphans, affirmed, last, cs, gone=clause_findings)
            _start_at_lesion_words(text, clause_findings, region.trigger_spans, cs)
            if cs < heading_side_until:
                _carry_side(clause_findings, heading_side)
            if negated_list:
                for f in clause_findings:
                    f.negated, f.hypothesis = True, False
            elif hedged_list:
                for f in clause_findings:
                    f.hypothesis = f.hypothesis or not f.negated
            findings.extend(clause_findings)
            named.extend(sites)
            if clause_findings:
                last = clause_findings[-1]
    findings.sort(key=lambda f: (f.start, f.end))
    return findings


class _Lazy:
    """A value computed on first call, then remembered."""

    def __init__(self, compute):
        self._compute, self._done, self._value = compute, False, None

    def __call__(self):
        if not self._done:
            self._value, self._done = self._compute(), True
        return self._value


def resolve_unseen_sites(found: list[Finding], modality: str | None, organ) -> None:
    """Re-site, in place, the findings placed at a site the exam cannot show.

    An adult's ultrasound sees neither the brain nor the spine, a prostate or a thyroid
    exam no brain (:data:`patterns.UNSEEN_BY_MODALITY`, :data:`patterns.UNSEEN_BY_EXAM_ORGAN`):
    a word read as such a site there names something else ("thrombus résiduel pariétal":
    a wall). The finding takes the exam's organ (``organ``, a value or a callable
    computing it, e.g. :func:`exam_organ`) when the exam shows it, else no site.

    Examples
    --------
    >>> f = [Finding(0, 8, site="brain", size_mm=4.0)]
    >>> resolve_unseen_sites(f, "US", "vessel")
    >>> f[0].site
    'vessel'
    >>> f = [Finding(0, 8, site="spine")]
    >>> resolve_unseen_sites(f, "US", "_neck")  # "Échographie cervicale": the neck's organ
    >>> f[0].site
    'thyroid'
    >>> f = [Finding(0, 8, site="brain")]
    >>> resolve_unseen_sites(f, "MR", "brain")
    >>> f[0].site
    'brain'
    """
    unseen_modality = patterns.UNSEEN_BY_MODALITY.get(modality or "", frozenset())
    for f in found:
        if f.kind != "lesion" or f.site is None:
            continue
        codes = {f.site, site_group(f.site)}  # "spine", and the bone it belongs to
        if not codes & (unseen_modality | _UNSEEN_ANYWHERE):
            continue
        exam = organ() if callable(organ) else organ
        exam = patterns.EXAM_ORGAN_BY_MODALITY.get((modality or "", exam or ""), exam)
        unseen = unseen_modality | patterns.UNSEEN_BY_EXAM_ORGAN.get(exam or "", frozenset())
        if not codes & unseen:
            continue
        shown = exam is not None and not exam.startswith("_") and not {exam, site_group(exam)} & unseen
        f.site = exam if shown else None


_UNSEEN_ANYWHERE = frozenset().union(*patterns.UNSEEN_BY_EXAM_ORGAN.values())


_EXAM_ORGANS = re.compile(
    "|".join(f"(?P<{code.lstrip('_')}>{rx})" for code, rx in patterns.EXAM_ORGANS), _I
)
_EXAM_WORD = re.compile(rf"(?<![\w])(?:{patterns.EXAM_WORD})(?![\w])", _I)


def exam_organ(title: str | None, text: str, sections: list[tuple] = ()) -> str | None:
    """The organ of a single-organ exam, from its title or the head of its text.

    The head is what precedes the first section title (at most its first line when the
    report has no section). An exam word must come first, and exactly one organ follow.

    Examples
    --------
    >>> exam_organ("IRM cérébrale", "")
    'brain'
    >>> exam_organ(None, "SCANNER THORACO-ABDOMINO-PELVIEN\\nRésultats : ...") is None
    True
    """
    heads = [title or ""]
    first = sections[0][1] if sections else text.find("\n")
    heads.append(text[: first if first >= 0 else min(len(text), 200)][:300])
    for head in heads:
        m = _EXAM_WORD.search(head)
        if m is None:
            continue
        named = {o.lastgroup for o in _EXAM_ORGANS.finditer(head, m.start())}
        if named == {"chest"}:
            return "_chest"  # the lung, for the words of CHEST_LESIONS only
        if named == {"neck"}:
            return "_neck"  # a region, an organ by modality only (exam_default_site)
        if len(named) == 1 and "region" not in named:
            return named.pop()
        if named:
            return None
    return None


def exam_default_site(organ: str | None, modality: str | None) -> str | None:
    """The site of a lesion that names none, from the exam's organ (:func:`exam_organ`)
    and its modality: the organ a region shows in that modality
    (:data:`patterns.EXAM_ORGAN_BY_MODALITY`), none for a region that shows several.

    Examples
    --------
    >>> exam_default_site("_neck", "US"), exam_default_site("_neck", "CT"), exam_default_site("brain", "MR")
    ('thyroid', None, 'brain')
    """
    organ = patterns.EXAM_ORGAN_BY_MODALITY.get((modality or "", organ or ""), organ)
    return None if organ == "_neck" else organ


_MAMMOGRAPHY_WORD = _compile(patterns.MAMMOGRAPHY_WORD, _I)
_ULTRASOUND_PART = re.compile(patterns.ULTRASOUND_PART, _I | re.MULTILINE)
_ANOTHER_LESION = re.compile(patterns.ANOTHER_LESION, _I)


def merge_second_technique(text: str, found: list[Finding]) -> list[Finding]:
    """One finding for a breast lesion seen on mammography and again on ultrasound.

    In a report that reads the mammography first, the affirmed breast lesions described
    after the ultrasound part that follows one of them (a line or a sentence opened by
    "Échographie", "En échographie") are paired, in order and side by side (a side unsaid
    goes with either), with the mammography's; a pair is one lesion with the larger of the
    two sizes (the guide's ruling on one lesion seen by two techniques). Lesions left unpaired, and those
    said to be another ("une seconde lésion", "nodule satellite"), stay.

    Examples
    --------
    >>> t = "Mammographie : opacité du sein droit. Échographie : masse de 12 mm du sein droit."
    >>> f = [Finding(15, 36, site="breast", laterality="right"),
    ...      Finding(51, 80, site="breast", laterality="right", size_mm=12.0)]
    >>> [(x.laterality, x.size_mm) for x in merge_second_technique(t, f)]
    [('right', 12.0)]
    """
    breast = [f for f in found if f.site == "breast" and f.kind == "lesion" and not f.negated
              and f.section != "conclusion"]
    if len(breast) < 2:
        return found
    echo = _ULTRASOUND_PART.search(text, breast[0].end)
    if echo is None or _MAMMOGRAPHY_WORD.search(text, 0, echo.start()) is None:
        return found
    first = [f for f in breast if f.start < echo.start()]
    second = [f for f in breast if f.start >= echo.start()]
    dropped = set()
    for e in second:
        if _ANOTHER_LESION.search(text, e.clause[0], max(e.clause[0], e.start) + 30):
            continue
        m = next((f for f in first if id(f) not in dropped and (
            f.laterality is None or e.laterality is None or f.laterality == e.laterality)), None)
        if m is None:
            continue
        dropped.add(id(m))  # paired: not paired again
        if e.size_mm is not None:
            # the guide's ruling: one row with the largest current size of the two
            m.size_mm = e.size_mm if m.size_mm is None else max(m.size_mm, e.size_mm)
        m.laterality = m.laterality or e.laterality
        e.site = None  # marked for removal
    return [f for f in found if not (f in second and f.site is None)]


def resolve_relative_sides(text: str, sections: list[tuple], found: list[Finding]) -> None:
    """Turn "homolatéral" / "controlatéral" into a side, against the side the indication
    gives the primary tumour ("cancer du sein droit": an "adénopathie axillaire
    homolatérale" is right); with no side there, the finding has none.

    Examples
    --------
    >>> t = "Indication : cancer du sein gauche.\\nRésultats : Adénopathie axillaire homolatérale."
    >>> f = [Finding(0, 1, site="ln_axillary", laterality="ipsilateral")]
    >>> resolve_relative_sides(t, [("indication", 0, 13, 35)], f)
    >>> f[0].laterality
    'left'
    """
    relative = [f for f in found if f.laterality in ("ipsilateral", "contralateral")]
    if not relative:
        return
    side = None
    for code, _, body, end in sections:
        if code == "indication" and (m := _PRIMARY_SIDE.search(text, body, end)):
            side = m.lastgroup
            break
    other = {"right": "left", "left": "right"}
    for f in relative:
        if side is None:
            f.laterality = None
        else:
            f.laterality = side if f.laterality == "ipsilateral" else other[side]


_NAMED_AGAIN = re.compile(patterns.LESION_NAMED_AGAIN, _I)
_CERVICAL_TUMOUR = re.compile(patterns.CERVICAL_TUMOUR, _I)
_UTERINE_CERVIX = re.compile(patterns.UTERINE_CERVIX, _I)
_UTERINE_CERVIX_WORDS = ("col", "cervix", "figo")  # one is in every match: a cheap test first
_NODE_WORDS = re.compile(patterns.NODE_WORDS, _I)


_ELIDED_SITE_NEGATION = re.compile(patterns.ELIDED_SITE_NEGATION, _I | re.MULTILINE)
_STEM_CHARS = 6  # "épanchement" / "épanchements", "adénopathie" / "adénopathies": one stem


def elided_sites(text: str, regions: list[tuple], found: list[Finding]) -> list[Finding]:
    """Negated findings of a lesion kind denied on one side with its site left unsaid.

    "Épanchement pleural droit. Pas d'épanchement à gauche.": the denied lesion word
    (:data:`patterns.ELIDED_SITE_NEGATION`) is the one of the affirmed finding before it in
    the same region, on the other side; its site is that finding's. A clause that already
    holds a finding, or whose lesion word no finding before it names, adds nothing.

    Examples
    --------
    >>> t = "Épanchement pleural droit. Pas d'épanchement à gauche."
    >>> f = [Finding(12, 19, site="pleura", laterality="right", clause=(0, 25))]
    >>> [(x.site, x.laterality, x.negated) for x in elided_sites(t, [(0, len(t), "results", None)], f)]
    [('pleura', 'left', True)]
    """
    out: list[Finding] = []
    affirmed = [f for f in found if f.kind == "lesion" and not f.negated and f.site is not None]
    if not affirmed:
        return out
    for r_start, r_end, *_ in regions:
        for m in _ELIDED_SITE_NEGATION.finditer(text, r_start, r_end):
            if any(m.start() <= f.start < m.end() for f in found):
                continue
            side = "right" if m.group("right") else "left"
            stem = m.group("noun")[:_STEM_CHARS].lower()
            before = [f for f in affirmed if r_start <= f.clause[0] and f.clause[1] <= m.start()
                      and f.laterality not in (side, "bilateral")
                      and stem in text[f.clause[0]:f.clause[1]].lower()]
            if before:
                f = before[-1]
                out.append(Finding(m.start("noun"), m.end("noun"), site=f.site, laterality=side, negated=True,
                                   section=f.section, etage=f.etage, clause=(m.start(), m.end())))
    return out


def resolve_cervix(text: str, found: list[Finding]) -> None:
    """Give the uterus to a "tumeur cervicale" read as a neck finding, in a report that
    names the uterine cervix ("carcinome du col utérin FIGO IIB").

    Examples
    --------
    >>> t = "Indication : cancer du col utérin.\\nRésultats : Tumeur cervicale de 40 mm."
    >>> start = t.index("Tumeur")
    >>> f = [Finding(start, start + 6, site="ln_cervical", clause=(start, len(t)))]
    >>> resolve_cervix(t, f)
    >>> f[0].site
    'uterus'
    """
    cervical = [f for f in found if f.kind == "lesion" and f.site == "ln_cervical"]
    if not cervical or not holds_any(text, _UTERINE_CERVIX_WORDS) or not _UTERINE_CERVIX.search(text):
        return
    for f in cervical:
        cs, ce = f.clause
        if _CERVICAL_TUMOUR.search(text, cs, ce) and not _NODE_WORDS.search(text, cs, ce):
            f.site, f.laterality = "uterus", None
            # "tumeur cervicale ... de la lèvre postérieure du col": one lesion
            same = [g for g in found if g is not f and g.kind == "lesion" and g.site == "uterus"
                    and g.clause == f.clause and g.negated == f.negated]
            for g in same:
                f.size_mm = f.size_mm if f.size_mm is not None else g.size_mm
                f.suvmax = f.suvmax if f.suvmax is not None else g.suvmax
                found.remove(g)


def findings_regions(
    text: str, sections: list[tuple], etages: list[tuple]
) -> list[tuple[int, int, str | None, str | None]]:
    """Where findings are read: results sections (split by étage), else the untitled
    body; ``(start, end, section, etage)``. Sections and étages are the
    ``(code, start, body_start, end)`` tuples of ``find_report_sections``."""
    regions: list[tuple[int, int, str | None, str | None]] = []
    results = [s for s in sections if s[0] == "results"]
    if results:
        for _, _, b0, s_end in results:
            cursor = b0
            for e_code, e_start, e_body, e_end in etages:
                if b0 <= e_start < s_end:
                    if e_start > cursor:
                        regions.append((cursor, e_start, "results", None))
                    regions.append((e_body, e_end, "results", e_code))
                    cursor = e_end
            if cursor < s_end:
                regions.append((cursor, s_end, "results", None))
        for before, (code, start, body, end) in zip(sections, sections[1:], strict=False):
            # "Résultats :" then "Examen de référence : [DATE]." then the lesions: a
            # comparison label inside the results names the exam on its line only; a
            # comparison paragraph after the results (a blank line before its title)
            # quotes the previous exam's lesions: not findings
            if code == "comparison" and before[0] == "results" and not _PARAGRAPH_BEFORE.search(
                text, max(before[2], start - 8), start
            ):
                line_end = text.find("\n", body, end)
                if line_end >= 0 and text[line_end:end].strip():
                    regions.append((line_end + 1, end, "results", None))
        return regions
    if not sections:
        return [(0, len(text), "results", None)]
    # étage titles under the technique or the comparison ("Technique : ..." then "ETAGE
    # CERVICAL : RAS." with no results title): the étages are the results
    titled = {}
    for code, s_start, _, s_end in sections:
        if code not in ("technique", "comparison"):
            continue
        inside = [e for e in etages if s_start <= e[1] < s_end]
        if inside:
            titled[s_start] = inside[0][1]
            regions += [(e_body, e_end, "results", e_code) for e_code, _, e_body, e_end in inside]
    # untitled body: what follows the first paragraph of a non-conclusion section, and
    # the text before the first title, past its first paragraph (the exam's title or
    # technique) and without the indication ("Chute à domicile." then "Fracture ...")
    head_end = sections[0][1]
    first = _BLANK_LINE.search(text, 0, head_end)
    by_line = first is None or not text[first.end() : head_end].strip()
    # with no blank line (or only one, before the first title), the first line is the
    # title and a short second line the clinical context ("Chute, douleur de hanche.")
    body = text.find("\n", 0, head_end) + 1 if by_line else first.end()
    if body == 0:
        # one block of text up to an inline title ("Radiographie du poignet. Chute.
        # Fracture du radius. Conclusion : ..."): sentences, not lines
        regions.extend(_one_line_head(text, head_end))
    elif text[body:head_end].strip():
        bounds = find_indication(text, sections)[0]
        if by_line:
            second = _NEWLINE.search(text, body, head_end)
        else:
            second = _BLANK_LINE.search(text, body, head_end)
        if bounds is None and second is not None and second.start() - body <= _CONTEXT_MAX and (
            text[second.end() : head_end].strip()
        ):
            # untitled, the paragraph after the exam's title is its clinical context
            # ("Chute de sa hauteur, douleur de hanche."), the findings come next
            bounds = (body, second.start())
        if bounds is None or bounds[1] <= body or bounds[0] >= head_end:
            regions.append((body, head_end, "results", None))
        else:
            if bounds[0] > body:
                regions.append((body, bounds[0], "results", None))
            if bounds[1] < head_end:
                regions.append((bounds[1], head_end, "results", None))
    for code, s_start, body, end in sections:
        if code == "conclusion":
            continue
        end = titled.get(s_start, end)
        m = _BLANK_LINE.search(text, body, end)
        if m:
            regions.append((m.end(), end, "results", None))
        elif code in _UNTITLED_AFTER and (line := _NEWLINE.search(text, body, end)) is not None and sum(
                1 for row in text[line.end():end].split("\n") if row.strip()) >= _UNTITLED_AFTER[code]:
            # "Clinique : AVP moto." then one line per organ, then "Conclusion :", with no
            # blank line and no results title: the indication is its first line
            regions.append((line.end(), end, "results", None))
        elif code in _UNTITLED_AFTER and line is None and (after := _SENTENCE_END.search(text, body, end)):
            # "Indication : entorse. Rupture du LCA. Conclusion : ..." on one line: the
            # label's own text is its first sentence
            regions.append((after.end(), end, "results", None))
    return regions


_NOT_THIS_EXAM = ("comparison", "conclusion")
"""Sections whose reference values are not this exam's measurements: a previous exam's
description, and the conclusion (which restates), except a paragraph of its own after the
conclusion's that names no lesion (a block of reference values closing the report)."""


_SUV_LESION = re.compile(suv_patterns.LESION_CUE, _I)


def references_outside(
    text: str,
    sections: list[tuple], regions: list[tuple[int, int, str | None, str | None]], suv_values: list
) -> list[Finding]:
    r"""The reference findings of the reference SUVmax values written outside the regions
    where findings are read.

    A reference uptake (liver, mediastinal blood pool) measures the exam, not a lesion:
    many reports write it with the acquisition ("Technique : ... Foie de référence :
    SUVmax 2,4"), before the results title, or in a block of its own after the
    conclusion. Each such value is a ``reference`` finding of the section it is written
    in (``None`` before the first title or after the conclusion), except in the
    comparison and the conclusion (:data:`_NOT_THIS_EXAM`).
    ``sections`` are the ``(code, start, body_start, end)`` tuples of
    ``find_report_sections``; ``regions`` those of :func:`findings_regions`.

    Examples
    --------
    >>> from radlink.nlp.sections import find_report_sections
    >>> from radlink.nlp.suvmax import find_suv_values
    >>> t = ("Technique : 250 MBq de FDG. Foie de référence : SUVmax 2,4.\n"
    ...      "Résultats : nodule pulmonaire droit, SUVmax 6,1.\nConclusion : nodule.")
    >>> sections, etages = find_report_sections(t)
    >>> regions = findings_regions(t, sections, etages)
    >>> [(f.kind, f.site, f.suvmax, f.section)
    ...  for f in references_outside(t, sections, regions, find_suv_values(t))]
    [('reference', 'liver_reference', 2.4, 'technique')]
    """
    out: list[Finding] = []
    for v in suv_values:
        if v.role != "reference" or any(r[0] <= v.start < r[1] for r in regions):
            continue
        section = next((s for s in sections if s[1] <= v.start < s[3]), None)
        code = section[0] if section else None
        if code == "conclusion" and (
            (para := max((b.end() for b in _BLANK_LINE.finditer(text, section[2], v.start)), default=-1)) >= 0
            and not _SUV_LESION.search(text, para, v.start)
        ):
            code = None  # "Conclusion : ..." then "Valeurs de référence : foie 2,1 ..."
        if code in _NOT_THIS_EXAM:
            continue
        out.append(Finding(v.start, v.end, kind="reference", site=v.region, suvmax=v.value,
                           section=code, clause=(v.mention_start, v.end)))
    return out


def _one_line_head(text: str, head_end: int) -> list[tuple[int, int, str | None, str | None]]:
    """The untitled body of a report written as one block up to its first (inline) title.

    Its first sentence is the exam's title; a short second sentence is the clinical
    context when it names no lesion or reads as one ("Chute en vélo, impotence
    fonctionnelle.", "Recherche d'EP chez une patiente enceinte."); the rest is the body.

    Examples
    --------
    >>> t = "Radio du poignet droit. Chute. Fracture du radius. Conclusion : fracture."
    >>> [t[a:b] for a, b, _, _ in _one_line_head(t, t.index("Conclusion"))]
    ['Fracture du radius. ']
    """
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, head_end)]
    if not ends:
        return []
    body = ends[0]
    if len(ends) > 1 and ends[1] - body <= _CONTEXT_MAX and text[ends[1]:head_end].strip() and (
        _TRIGGER.search(text, body, ends[1]) is None or _CONTEXT_WORDS.search(text, body, ends[1])
    ):
        body = ends[1]
    return [(body, head_end, "results", None)] if text[body:head_end].strip() else []


def report_findings(
    text: str,
    sections: list[tuple],
    etages: list[tuple],
    suv_values: list,
    modality: str | None = None,
    default_sites: dict[str, str] | None = None,
    scanner: MultiScanner | None = None,
    title: str | None = None,
    size_parser=None,
) -> list[Finding]:
    """Every finding of a report: results (or untitled body), else the conclusion.

    ``size_parser`` (a :class:`radlink.nlp.lesions.parse.SizeParser`, default none)
    attaches the sizes of clauses that name several lesions by a dependency parse.

    A lesion that names no site is in the organ of the modality (``default_sites``:
    a mammography's are in a breast) or of a single-organ exam (:func:`exam_organ`).

    ``scanner`` is a :func:`findings_scanner` (default: the patterns module's).

    Examples
    --------
    >>> from radlink.nlp.sections import find_report_sections
    >>> from radlink.nlp.suvmax import find_suv_values
    >>> t = "Résultats : Nodule lobaire supérieur droit de 2,3 cm (SUVmax 7,7)."
    >>> [(f.site, f.laterality, f.size_mm, f.suvmax) for f in report_findings(t, *find_report_sections(t), find_suv_values(t))]
    [('lung_upper_lobe', 'right', 23.0, 7.7)]
    """
    default_sites = patterns.DEFAULT_SITES if default_sites is None else default_sites
    modality_site = default_sites.get(modality or "")
    organ = _Lazy(lambda: exam_organ(title, text, sections))  # read once, if at all
    default_site = modality_site or _Lazy(lambda: exam_default_site(organ(), modality))
    regions = findings_regions(text, sections, etages)
    found = find_findings(text, regions, suv_values, default_site, scanner, modality_site,
                          size_parser)
    found += references_outside(text, sections, regions, suv_values)
    if not any(f.kind == "lesion" for f in found):
        conclusion = [s for s in sections if s[0] == "conclusion"]
        if conclusion:
            _, _, body, end = conclusion[0]
            more = find_findings(
                text, [(body, end, "conclusion", None)], suv_values, default_site, scanner,
                modality_site, size_parser,
            )
            found += [f for f in more if f.kind == "lesion"]
    found += elided_sites(text, regions, found)
    resolve_relative_sides(text, sections, found)
    resolve_cervix(text, found)
    resolve_unseen_sites(found, modality, organ)
    return merge_second_technique(text, found)


class LesionMatcher(BaseNERComponent):
    """The ``radlink.lesions`` pipe: one span per finding, in ``doc.spans["findings"]``.

    Each span (labelled ``lesion`` or ``reference``) carries ``span._.finding_kind``,
    ``span._.site`` (a :data:`radlink.vocabulary.SITES` code), ``span._.laterality``,
    ``span._.size_mm``, ``span._.suvmax``, ``span._.previous_suvmax``,
    ``span._.negation``, ``span._.hypothesis`` (edsnlp's qualifier names),
    ``span._.comparison``, ``span._.finding_section``, ``span._.etage`` and
    ``span._.clause`` (the clause span, a short snippet). Needs ``radlink.sections`` and
    ``radlink.suvmax`` before it.

    Parameters
    ----------
    nlp : PipelineProtocol
        The pipeline.
    name : str
        Name of the pipe.
    span_setter : SpanSetterArg
        Where the findings go (as in edsnlp: a group name, a list of them, a dict of
        group name to ``True`` or labels, ``"ents"``, or a callable).
    span_getter : SpanGetterArg
        Where the SUVmax spans of ``radlink.suvmax`` are read from.
    default_sites : dict, optional
        Modality code -> site of a lesion that names no site (default:
        :data:`patterns.DEFAULT_SITES`, a mammography's lesions are in the breast).
    sites : list of (str, str), optional
        ``(site code, regex)`` pairs tried in order (default: ``patterns.SITES``).
    lesion_triggers : str, optional
        Regex of the words that describe a lesion (default: ``patterns.LESION_TRIGGERS``).
    physiological : str, optional
        Regex of the physiological statements that yield no finding (default:
        ``patterns.PHYSIOLOGICAL``).

    Examples
    --------
    >>> import edsnlp
    >>> nlp = edsnlp.blank("eds")
    >>> for pipe in ("radlink.sections", "radlink.suvmax", "radlink.lesions"):
    ...     _ = nlp.add_pipe(pipe)
    >>> doc = nlp("Résultats :\\nNodule lobaire supérieur droit de 2,3 cm (SUVmax 7,7). Pas d'adénopathie médiastinale.")
    >>> [(f._.site, f._.laterality, f._.size_mm, f._.suvmax, f._.negation) for f in doc.spans["findings"]]
    [('lung_upper_lobe', 'right', 23.0, 7.7, False), ('ln_mediastinal', None, None, None, True)]
    """

    def __init__(
        self,
        nlp: PipelineProtocol | None = None,
        name: str = "radlink.lesions",
        *,
        span_setter: SpanSetterArg = {"findings": True},  # noqa: B006 (edsnlp's convention)
        span_getter: SpanGetterArg = "suvmax",
        default_sites: dict[str, str] | None = None,
        sites: list[tuple[str, str]] | None = None,
        lesion_triggers: str | None = None,
        physiological: str | None = None,
    ):
        super().__init__(nlp, name, span_setter=span_setter)
        self.span_getter = validate_span_getter(span_getter)
        self.default_sites = dict(patterns.DEFAULT_SITES if default_sites is None else default_sites)
        self.scanner = findings_scanner(sites, lesion_triggers, physiological)

    # public span attribute -> field of Finding (read through span._.finding)
    _SPAN_ATTRS = {
        "finding_kind": "kind",
        "site": "site",
        "laterality": "laterality",
        "size_mm": "size_mm",
        "suvmax": "suvmax",
        "previous_suvmax": "previous_suvmax",
        "finding_section": "section",
        "etage": "etage",
        "clause": "clause_span",
    }

    def set_extensions(self) -> None:
        super().set_extensions()
        set_record_extensions("finding", {name: field for name, field in self._SPAN_ATTRS.items()})
        for attr in ("negation", "hypothesis", "comparison"):
            if not Span.has_extension(attr):
                Span.set_extension(attr, default=None)

    def __call__(self, doc: Doc) -> Doc:
        suvs, seen = [], set()
        for s in get_spans(doc, self.span_getter, deduplicate=False):
            record = s._.suv_record
            # one value per record (equal spans of two values are two values)
            if record is not None and id(record) not in seen:
                seen.add(id(record))
                suvs.append(record)
        sections, etages = doc_sections(doc)
        found = report_findings(
            doc_text(doc), sections, etages, suvs, getattr(doc._, "modality", None),
            self.default_sites, self.scanner, getattr(doc._, "report_title", None),
        )
        spans = []
        for f in found:
            span = make_span(doc, f.start, f.end, f.kind)
            if span is None:
                continue
            ext = span._
            ext.finding = f
            ext.negation = f.negated
            ext.hypothesis = f.hypothesis
            ext.comparison = f.comparison
            spans.append(span)
        self.set_spans(doc, spans)
        return doc
