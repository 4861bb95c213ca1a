"""SUVmax values of PET reports, with their role: lesion, reference or previous."""

from __future__ import annotations

import re
from dataclasses import dataclass

from edsnlp.core import PipelineProtocol
from edsnlp.pipes.base import BaseNERComponent
from edsnlp.utils.span_getters import SpanSetterArg
from spacy.tokens import Doc

from ..report_tables import column_meanings, is_reference_row
from ..text import (
    _structural_chars,
    doc_text,
    folded,
    gated,
    literal_finditer,
    make_span,
    parse_number,
    set_record_extensions,
    split_alternatives,
)
from . import patterns

__all__ = ["SuvRegexes", "SuvValue", "SuvmaxMatcher", "find_suv_values", "suv_regexes"]

_I = re.IGNORECASE


def _compile(regex: str, flags: int = 0) -> re.Pattern:
    """``regex`` compiled behind a lookahead on its first characters (same matches,
    a faster search: see :func:`radlink.nlp.text.gated`)."""
    return re.compile(gated(regex, flags), flags)


def _group_body(regex: str) -> str:
    """``regex`` without the ``(?:...)`` around all of it, if there is one."""
    if regex.startswith("(?:") and regex.endswith(")"):
        closing = next(i for i, ch, depth in _structural_chars(regex) if ch == ")" and depth == 0)
        if closing == len(regex) - 1:
            return regex[3:-1]
    return regex


@dataclass(frozen=True)
class SuvRegexes:
    """The compiled regexes of :func:`find_suv_values`.

    ``mention_prefix`` is a lower-case string every mention starts with (found with
    ``str.find``; ``None``: the mention regex searches); ``reference_keys`` and
    ``region_keys`` are substrings one of which must be in a context for the
    reference or region cues to be tried (``("",)``: always tried); ``gate`` is what
    a text must hold for the pipe to read it (``None``: every text is read).
    ``bare_previous``, ``previous_lead``, ``respectively_before`` and ``compared_region``
    are those of :mod:`.patterns` (``BARE_PREVIOUS``, ...).
    """

    mention: re.Pattern
    mention_prefix: str | None
    number: re.Pattern
    connector: re.Pattern
    previous_before: re.Pattern
    previous_after: re.Pattern
    number_next: re.Pattern
    from_to: re.Pattern
    separator: re.Pattern
    not_suv: re.Pattern
    reference: re.Pattern
    reference_keys: tuple[str, ...]
    compared_to: re.Pattern
    liver: re.Pattern
    mediastinum: re.Pattern
    region_keys: tuple[str, ...]
    lesion: re.Pattern
    region_value: re.Pattern
    reference_value: re.Pattern
    previous_context: re.Pattern
    table_previous: re.Pattern
    table_number: re.Pattern
    gate: re.Pattern | None
    bare_previous: re.Pattern = re.compile(patterns.BARE_PREVIOUS)
    previous_lead: re.Pattern = re.compile(patterns.PREVIOUS_LEAD, _I)
    respectively_before: re.Pattern = re.compile(patterns.RESPECTIVELY_BEFORE, _I)
    compared_region: re.Pattern = re.compile(patterns.COMPARED_REGION, _I)


def suv_regexes(
    number: str | None = None,
    mention: str | None = None,
    connector: str | None = None,
    previous_before: str | None = None,
    previous_after: str | None = None,
    from_to: str | None = None,
    reference_value: str | None = None,
    separator: str | None = None,
    not_suv_after: str | None = None,
    reference_cue: str | None = None,
    compared_to: str | None = None,
    liver_cue: str | None = None,
    mediastinum_cue: str | None = None,
    lesion_cue: str | None = None,
    table_previous_header: str | None = None,
    previous_context: str | None = None,
) -> SuvRegexes:
    """Compile the SUVmax patterns (``None``: :mod:`.patterns`).

    ``from_to`` needs ``prev`` and ``cur`` groups, ``reference_value`` a ``num`` group
    (and an optional ``which`` group) and is matched on the lower-cased text; the
    others are case-insensitive. ``number`` is the value of a mention, a region value
    ("foie 2,3") and a table cell.
    """
    number = patterns.NUMBER if number is None else number
    connector = patterns.CONNECTOR if connector is None else connector
    not_suv_after = patterns.NOT_SUV_AFTER if not_suv_after is None else not_suv_after
    # longest connectors first: "du foie" before "du"
    connector_words = "|".join(
        sorted(split_alternatives(_group_body(connector)), key=len, reverse=True)
    )
    return SuvRegexes(
        mention=re.compile(patterns.MENTION if mention is None else mention, _I),
        mention_prefix="suv" if mention is None else None,
        number=re.compile(rf"[ \t]*\(?[ \t]*(?P<num>{number})(?![.,]?\d)(?![ \t]*x[ \t]*\d)", _I),
        connector=re.compile(
            # an aside in brackets too: "SUVmax hépatique (référence PERCIST) : 2,7"
            rf"[ \t]*\)?[ \t]*(?:\([^()\d\n]{{1,30}}\)|\(?[ \t]*(?:[:=≈~>≥]|(?:{connector_words})(?![\w])))[ \t]*\)?", _I
        ),
        previous_before=re.compile(
            rf"[ \t]*\(?[ \t]*{patterns.PREVIOUS_BEFORE if previous_before is None else previous_before}(?![\w])",
            _I,
        ),
        previous_after=re.compile(
            rf"[ \t]*\)?[ \t]*,?[ \t]*\(?[ \t]*"
            rf"{patterns.PREVIOUS_AFTER if previous_after is None else previous_after}(?![\w])[ \t]*\)?",
            _I,
        ),
        number_next=re.compile(rf"[ \t]*(?:à|de|:|=)?[ \t]*{number}", _I),
        from_to=re.compile(rf"[ \t]*{patterns.FROM_TO if from_to is None else from_to}", _I),
        separator=re.compile(
            rf"[ \t]*\)?[ \t]*{patterns.SEPARATOR if separator is None else separator}(?![\w])[ \t]*",
            _I,
        ),
        not_suv=re.compile(rf"(?:[ \t]*(?:et|,|x|×|à|-)[ \t]*{number})*{not_suv_after}", _I),
        reference=_compile(patterns.REFERENCE_CUE if reference_cue is None else reference_cue, _I),
        reference_keys=_REFERENCE_KEYS if reference_cue is None else ("",),
        compared_to=_compile(
            rf"(?:{patterns.COMPARED_TO if compared_to is None else compared_to})[ \t]*$", _I
        ),
        liver=_compile(patterns.LIVER_CUE if liver_cue is None else liver_cue, _I),
        mediastinum=_compile(
            patterns.MEDIASTINUM_CUE if mediastinum_cue is None else mediastinum_cue, _I
        ),
        region_keys=_REGION_KEYS if liver_cue is None and mediastinum_cue is None else ("",),
        lesion=_compile(patterns.LESION_CUE if lesion_cue is None else lesion_cue, _I),
        # "(SUVmax 4,2 ; foie 2,3)", "SUVmax 3,2 (pour un foie à 2,4)": the region word
        # first, then what precedes it is checked. Run on the lower-cased text without
        # IGNORECASE (a case-sensitive literal start lets ``re`` skip ahead: about 5x faster).
        region_value=re.compile(
            rf"(?P<which>foie|h[ée]patique|m[ée]diastin(?:ale?)?|aorte|pool(?: sanguin| vasculaire)?)(?: sain| normal| de r[ée]f[ée]rence)?(?:[ \t]*\([^()\n]{1,25}\))?[ \t]*(?::|=|à)?[ \t]*"
            rf"(?P<num>{number})(?![.,]?\d)"
        ),
        # on the lower-cased text
        reference_value=re.compile(
            patterns.REFERENCE_VALUE if reference_value is None else reference_value
        ),
        previous_context=_compile(
            patterns.PREVIOUS_CONTEXT if previous_context is None else previous_context, _I
        ),
        table_previous=re.compile(
            patterns.TABLE_PREVIOUS_HEADER if table_previous_header is None else table_previous_header,
            _I,
        ),
        table_number=re.compile(rf"^[ \t]*(?P<num>{number})[ \t]*$"),
        gate=ANY_SUV_CUE if mention is None and reference_value is None else None,
    )


_TRAILING_RESPECTIVELY = re.compile(r"[ \t]*(?:,[ \t]*)?respectivement\b", _I)
_REFERENCE_AFTER = re.compile(r"[ \t]*(?:\([ \t]*)?(?:de |en )?r[ée]f[ée]rence", _I)
_REGION_VALUE_BEFORE = _compile(r"(?:[;(,<>][ \t]*|[ \t]/[ \t]*|(?<![\w])pour (?:un|le) )$", _I)
_CLOSE = re.compile(r"[ \t]*\)")
_REGION_CLAUSE_START = re.compile(patterns.REGION_CLAUSE_START, _I)
_REGION_CLAUSE_END = re.compile(patterns.REGION_CLAUSE_END)
_DIGIT = re.compile(r"\d")
_VALUE_SIDE = re.compile(patterns.VALUE_SIDE, _I)
_REGION_NOUN = _compile(
    r"(?<!au )(?<!que le )(?<!du )(?:foie|m[ée]diastin|aorte|pool (?:sanguin|vasculaire))"
    r"[ \t]*[:(,]?[ \t]*$",
    _I,
)
_REFERENCE_SUBJECT = re.compile(patterns.REFERENCE_SUBJECT, _I)
_REFERENCE_HEADING = re.compile(rf"[ \t]*{patterns.REFERENCE_HEADING}", _I)
_REFERENCE_ITEM = re.compile(patterns.REFERENCE_ITEM, _I)
_SUV_CUE = r"suv|r[ée]f(?:[ée]rence|\.)|bruit de fond|pool"  # lower case: see may_hold_suv
ANY_SUV_CUE = _compile(_SUV_CUE, _I)
"""Whether a text may hold a SUVmax value (the pipe skips texts without one)."""
_SUV_CUE_FOLDED = re.compile(_SUV_CUE)


def may_hold_suv(text: str) -> bool:
    """``ANY_SUV_CUE.search(text) is not None``, found faster: the cue searched without
    ``re.IGNORECASE`` in :func:`radlink.nlp.text.folded` text (the same letters: ``re``
    then skips to the first characters of the cue instead of trying every position;
    most reports that are not PET hold none, and are read to their end).

    Examples
    --------
    >>> may_hold_suv("Foyer (SUVmax 4,2)"), may_hold_suv("Bruit de fond hépatique"), may_hold_suv("Scanner")
    (True, True, False)
    """
    return _SUV_CUE_FOLDED.search(folded(text)) is not None
# substrings that must be present for the reference regexes to have a chance
_REFERENCE_KEYS = ("férence", "ference", "rentiel", "réf.", "ref.", "bruit", "de fond", "pool", "sain", "normal", "physiolog")
_REGION_KEYS = ("hépat", "hepat", "foie", "médiast", "mediast", "aort", "pool", "sanguin",
                "vasculaire", "bruit")
_REGION_NOUN_ENDS = ("foie", "médiastin", "mediastin", "aorte", "sanguin", "vasculaire")
_RESPECTIVELY = re.compile(r"respectivement", _I)
# one of these is in every match of COMPARED_REGION ("supérieur", "inférieur", "égal", ...)
_COMPARED_KEYS = ("rieur", "gal", "compar", "proche")
# one of these is in every match of PREVIOUS_LEAD: a cheap test first
_PREVIOUS_LEAD_KEYS = ("demment", "rieurement", "auparavant", "initialement")
_CONTEXT_START = _compile(r"(?<!\d)[.;\n]|\d[ \t]*\)", _I)
# the last of those in a range, in one match (they cannot overlap: the last one found
# left to right is the one that starts last)
_LAST_CONTEXT_START = re.compile(r"(?s:.*)(?:(?<!\d)[.;\n]|\d[ \t]*\))")

_REGEXES = suv_regexes()


@dataclass
class SuvValue:
    """One SUVmax value found in a text.

    ``role`` is ``"lesion"``, ``"reference"`` or ``"previous"``; ``previous`` is the
    prior value of a lesion value (and ``current`` the index of the lesion value a
    previous value belongs to); ``region`` names a reference region
    (``liver_reference`` or ``mediastinal_blood_pool``); ``group`` numbers the
    mention the value follows, ``respectively`` tells a "respectivement" list.
    """

    start: int
    end: int
    value: float
    role: str = "lesion"
    previous: float | None = None
    current: int | None = None
    region: str | None = None
    group: int = 0
    mention_start: int = 0
    respectively: bool = False


def _scan_values(
    text: str, pos: int, limit: int, r: SuvRegexes | None = None
) -> tuple[list[tuple[int, int, float, bool]], bool]:
    """Values after a mention: ``(start, end, value, is_previous)``, and "respectivement"."""
    r = _REGEXES if r is None else r
    from_to, prev_before, number, not_suv = r.from_to, r.previous_before, r.number, r.not_suv
    prev_after, number_next, separator, connector = (
        r.previous_after, r.number_next, r.separator, r.connector
    )
    values: list[tuple[int, int, float, bool]] = []
    respectively = False
    prev_next = False
    prev_run = False  # "(contre 8,9 et 12,5)": every value of the bracket is a previous one
    steps = 0
    while pos < limit and steps < 16:
        steps += 1
        if m := from_to.match(text, pos, limit):
            values.append((m.start("prev"), m.end("prev"), parse_number(m.group("prev")), True))
            values.append((m.start("cur"), m.end("cur"), parse_number(m.group("cur")), False))
            pos = m.end()
            continue
        if m := prev_before.match(text, pos, limit):
            prev_next = True
            pos = m.end()
            continue
        if values and not values[-1][3] and (m := r.bare_previous.match(text, pos, limit)):
            # "SUVmax 3,0 (2,8)": the previous exam's value beside the new one
            values.append((m.start("num"), m.end("num"), parse_number(m.group("num")), True))
            pos = m.end()
            continue
        if m := number.match(text, pos, limit):
            if not_suv.match(text, m.end(), limit):
                break
            values.append((m.start("num"), m.end("num"), parse_number(m.group("num")), prev_next or prev_run))
            prev_run = prev_next or prev_run
            prev_next = False
            pos = m.end()
            if a := prev_after.match(text, pos, limit):
                if number_next.match(text, a.end(), limit):
                    # "6,4 (précédemment 19,5)": the word introduces the next value
                    prev_next = True
                else:
                    s, e, v, _ = values[-1]
                    values[-1] = (s, e, v, True)
                pos = a.end()
            continue
        if values and (m := separator.match(text, pos, limit)):
            pos = m.end()
            continue
        if not values and (m := connector.match(text, pos, limit)):
            if m.group().strip(" \t()").lower().startswith("respecti"):
                respectively = True
            pos = m.end()
            continue
        if values and (m := _CLOSE.match(text, pos, limit)):
            prev_run = False
            pos = m.end()
            continue
        if values and (m := _VALUE_SIDE.match(text, pos, limit)):
            pos = m.end()  # "10,3 à droite et 8,9 à gauche": the next value follows
            continue
        if values and (m := _TRAILING_RESPECTIVELY.match(text, pos, limit)):
            respectively = True
            pos = m.end()
            continue
        break
    return values, respectively


def find_suv_values(
    text: str, start: int = 0, end: int | None = None, regexes: SuvRegexes | None = None
) -> list[SuvValue]:
    """Every SUVmax value of ``text[start:end]``, with its role.

    ``regexes`` come from :func:`suv_regexes` (default: the patterns module's).

    Examples
    --------
    >>> [(v.value, v.role, v.previous) for v in find_suv_values("(SUVmax : 5,2 vs 3,1 précédemment)")]
    [(5.2, 'lesion', 3.1), (3.1, 'previous', None)]
    >>> [(v.value, v.role) for v in find_suv_values("un SUVmax passant de 8,4 à 3,2")]
    [(8.4, 'previous'), (3.2, 'lesion')]
    >>> [(v.value, v.role, v.region) for v in find_suv_values("SUVmax hépatique de référence 2,3")]
    [(2.3, 'reference', 'liver_reference')]
    """
    end = len(text) if end is None else end
    r = _REGEXES if regexes is None else regexes
    mention_re, prefix = r.mention, r.mention_prefix
    previous_context, reference_re, lesion_re, compared_to = (
        r.previous_context, r.reference, r.lesion, r.compared_to
    )
    liver_re, mediastinum_re, not_suv = r.liver, r.mediastinum, r.not_suv
    reference_keys, region_keys = r.reference_keys, r.region_keys
    out: list[SuvValue] = []
    lower = text.lower()
    if prefix is None:
        mentions = list(mention_re.finditer(text, start, end))
    else:
        # "SUV" is rare in a text: find it with str.find, then match the mention there
        mentions = []
        step = len(prefix)
        pos = lower.find(prefix, start, end)
        while pos != -1:
            m = mention_re.match(text, pos, end)
            if m is not None:
                mentions.append(m)
                pos = m.end()
            else:
                pos += step
            pos = lower.find(prefix, pos, end)
    for group, m in enumerate(mentions):
        limit = mentions[group + 1].start() if group + 1 < len(mentions) else end
        limit = min(limit, m.end() + 160)
        nl = text.find("\n", m.end(), limit)
        if nl != -1:
            limit = nl
        values, respectively = _scan_values(text, m.end(), limit, r)
        if not values:
            continue
        # context before the mention, back to the clause start or an opening parenthesis
        ctx_start = max(start, m.start() - 120)
        if (c := _LAST_CONTEXT_START.match(text, ctx_start, m.start())) is not None:
            ctx_start = c.end()
        before = text[ctx_start : m.start()]
        after = text[m.end() : values[0][0]]
        role, region = "lesion", None
        low_before = lower[ctx_start : m.start()]
        if not respectively and "respectivement" in low_before and r.respectively_before.search(before):
            respectively = True
        if (
            any(k in low_before for k in _PREVIOUS_LEAD_KEYS)
            and not any(v[3] for v in values) and r.previous_lead.search(before)
        ):
            # "précédemment 13 mm et SUVmax 7,5": the previous exam's values
            values = [(s_, e_, v_, True) for s_, e_, v_, _ in values]
        if (
            out and len(values) == 1
            and any(k in low_before for k in _COMPARED_KEYS)
            and (cmp := r.compared_region.search(before)) is not None
            and not _CONTEXT_START.search(text, out[-1].end, m.start())
        ):
            # "SUVmax 3,4, supérieur au foie (SUVmax 2,3)": the organ's value, after the
            # lesion's own
            out.append(SuvValue(
                values[0][0], values[0][1], values[0][2], "reference",
                region="liver_reference" if liver_re.search(cmp.group("region")) else "mediastinal_blood_pool",
                group=group, mention_start=m.start(),
            ))
            continue
        if (
            not any(v[3] for v in values)
            # the cheap tests first: most values follow no lesion value without a previous one
            and out and out[-1].role == "lesion" and out[-1].previous is None
            and (ctx := previous_context.search(text, max(start, m.start() - 80), m.start()))
            and not _CONTEXT_START.search(text, ctx.end(), m.start())
        ):
            # "SUVmax 3,0 ; elle fixait davantage lors du bilan initial (SUVmax 15,2)":
            # the previous value of the lesion value just before
            values = [(s_, e_, v_, True) for s_, e_, v_, _ in values[:1]]
            out[-1].previous = values[0][2]
            out.append(SuvValue(values[0][0], values[0][1], values[0][2], "previous",
                                current=len(out) - 1, group=group, mention_start=m.start()))
            continue
        # cheap substring gates first: most mentions are lesion values
        low_after = lower[m.end() : values[0][0]]
        # the subject of a clause cut by a semicolon before its mention ("Foie de
        # référence : SUVmean 1,9 ; SUVmax 2,7"): the sentence
        subject_start = ctx_start
        if not before.strip() and ctx_start > start and text[ctx_start - 1] in ";,":
            subject_start = max(text.rfind(".", max(start, ctx_start - 120), ctx_start),
                                text.rfind("\n", max(start, ctx_start - 120), ctx_start)) + 1
            if (
                any(k in lower[subject_start:ctx_start] for k in reference_keys)
                and reference_re.search(text, subject_start, ctx_start)
                and not lesion_re.search(text, subject_start, ctx_start)
            ):
                before = text[subject_start : m.start()]
                low_before = lower[subject_start : m.start()]
        last_end = values[-1][1]
        ref_at = lesion_at = -1
        if any(k in low_before for k in reference_keys):
            refs = list(reference_re.finditer(before))
            if refs:
                ref_at = refs[-1].end()
                if (any(v[3] for v in values) or lesion_re.search(before, 0, refs[-1].start())) and (
                    compared_to.search(before, 0, refs[-1].start())
                ):
                    # "fixation inférieure au bruit de fond médiastinal (SUVmax 1,4 contre
                    # 11,6 initialement)": the lesion's values, compared to the reference
                    ref_at = -1
        region_cue_after = any(k in low_after for k in region_keys)
        if ref_at >= 0 or region_cue_after:
            lesion_at = max((x.end() for x in lesion_re.finditer(before)), default=-1)
        if (
            (ref_at > lesion_at)
            or (text.find("f", last_end, last_end + 20) != -1
                and _REFERENCE_AFTER.match(text, last_end, min(end, last_end + 20)))
            or (low_before.rstrip(" \t:(,").endswith(_REGION_NOUN_ENDS)
                and _REGION_NOUN.search(before) and not any(v[3] for v in values)
                and not lesion_re.search(text, last_end, _clause_end(text, last_end, end)))
            or (any(k in low_after for k in reference_keys) and reference_re.search(after))
            or (region_cue_after and (liver_re.search(after) or mediastinum_re.search(after))
                and lesion_at < 0)
            # (anchored: most clauses fail at their first letters)
            or (_REFERENCE_SUBJECT.match(text, subject_start, m.start())
                and not lesion_re.search(text, subject_start, m.start())
                and not any(v[3] for v in values)
                and not lesion_re.search(text, last_end, _clause_end(text, last_end, end)))
        ):
            role = "reference"
            cue = text[min(subject_start, ctx_start) : m.start()] + " " + after
            liver = [x.start() for x in liver_re.finditer(cue)]
            medi = [x.start() for x in mediastinum_re.finditer(cue)]
            region = (
                "liver_reference"
                if liver and (not medi or max(liver) >= max(medi))
                else "mediastinal_blood_pool"
            )
        first = len(out)
        for s, e, value, is_prev in values:
            out.append(
                SuvValue(
                    s, e, value, "previous" if is_prev and role == "lesion" else role,
                    region=region, group=group, mention_start=m.start(),
                    respectively=respectively,
                )
            )
        # link each previous value to the lesion value it was said with
        group_values = out[first:]
        currents = [i for i, v in enumerate(group_values) if v.role == "lesion"]
        if not currents and first > 0 and out[first - 1].role == "lesion" and (
            out[first - 1].previous is None
            and not _CONTEXT_START.search(text, out[first - 1].end, m.start())
        ):
            # "SUVmax à 5,4 (SUVmax à 7,8 sur la TEP de référence)"
            prev_values = [v for v in group_values if v.role == "previous"]
            if prev_values:
                out[first - 1].previous = prev_values[0].value
                prev_values[0].current = first - 1
        prevs = [i for i, v in enumerate(group_values) if v.role == "previous"]
        if len(prevs) > 1 and len(prevs) == len(currents) and min(prevs) > max(currents):
            # "respectivement 3,2 et 4,0 (contre 8,9 et 12,5)": two lists, in the same order
            for c, p in zip(currents, prevs, strict=True):
                group_values[c].previous = group_values[p].value
                group_values[p].current = first + c
            currents = []
        for i, v in enumerate(group_values):
            if v.role != "previous" or not currents:
                continue
            # "de X à Y": the next lesion value; "Y vs X": the preceding one
            before_i = [c for c in currents if c < i]
            target = before_i[-1] if before_i else min(c for c in currents if c > i)
            group_values[target].previous = v.value
            v.current = first + target
    # reference values written without a SUVmax mention
    taken = {v.start for v in out}
    for m in literal_finditer(r.region_value, lower, start, end):
        if (
            m.start("num") in taken
            or not_suv.match(text, m.end("num"), end)
            # "SULpeak hépatique : 2,0", "SUVmean foie 1,8": another measure of the region
            or _OTHER_MEASURE_BEFORE.search(text, max(start, m.start() - 12), m.start())
            or not (
                _REGION_VALUE_BEFORE.search(text, max(start, m.start() - 12), m.start())
                # "Foie : 2,4. Médiastin : 1,7.": the region heads its clause, the value ends it
                or (_REGION_CLAUSE_START.search(text, max(start, m.start() - 16), m.start())
                    and _REGION_CLAUSE_END.match(text, m.end("num"), end))
                # "Pool sanguin médiastinal : SUVmax 2,0. Foie : 2,6.": a run of references
                or any(v.role == "reference" and 0 <= m.start() - v.end <= 30
                       and not _DIGIT.search(text, v.end, m.start()) for v in out)
            )
        ):
            continue
        taken.add(m.start("num"))
        out.append(
            SuvValue(
                m.start("num"), m.end("num"), parse_number(m.group("num")), "reference",
                region="liver_reference" if liver_re.match(m.group("which")) else "mediastinal_blood_pool",
                group=len(mentions) + len(out), mention_start=m.start(),
            )
        )
    for m in literal_finditer(r.reference_value, lower, start, end):
        if m.start("num") in taken or not_suv.match(text, m.end("num"), end):
            continue
        which = m.group("which") or m.groupdict().get("after") or ""
        if not which and m.group().startswith("pool"):
            which = "pool"  # "... foie 2,3 ; pool sanguin 1,9": the pool's own value
        cue = which + " " + text[max(start, m.start() - 25) : m.start()]
        liver = liver_re.search(which) or (not which and liver_re.search(cue))
        out.append(
            SuvValue(
                m.start("num"), m.end("num"), parse_number(m.group("num")), "reference",
                region="liver_reference" if liver else "mediastinal_blood_pool",
                group=len(mentions) + len(out), mention_start=m.start(),
            )
        )
    if "rence" in lower:
        taken = {v.start for v in out}
        out += [v for v in _reference_list(text, lower, start, end, len(mentions) + len(out), r) if v.start not in taken]
    out = _reference_runs(text, lower, start, end, out, len(mentions) + len(out), r)
    if "|" in text[start:end]:
        taken = {v.start for v in out}
        out += [v for v in _table_values(text, start, end, len(mentions) + len(out), r) if v.start not in taken]
    out.sort(key=lambda v: v.start)
    return out


_OTHER_MEASURE_BEFORE = re.compile(r"(?:\bsul|suv[ \t]*-?[ \t]*(?:mean|moy|peak|pic|min))\w*[ \t]*$", _I)
_CLAUSE_END = re.compile(r"[.;\n]")


def _clause_end(text: str, pos: int, end: int) -> int:
    """Where the clause holding ``pos`` ends (at most 60 characters on)."""
    m = _CLAUSE_END.search(text, pos, min(end, pos + 60))
    return m.start() if m else min(end, pos + 60)


def _reference_list(
    text: str, lower: str, start: int, end: int, group: int, r: SuvRegexes | None = None
) -> list[SuvValue]:
    """Reference values listed under a heading of their own, one region a line:
    "Références :" then "- Foie : 2,4" and "- Médiastin : 1,6" (a line that names a
    SUV measure is read by its mention instead). ``lower`` is ``text.lower()``.
    """
    r = _REGEXES if r is None else r
    out: list[SuvValue] = []
    at = lower.find("rence", start, end)
    while at != -1:
        # the heading is alone on its line: read the line of each "référence" only
        line_start = lower.rfind("\n", start, at) + 1
        line_end = lower.find("\n", at, end)
        line_end = end if line_end == -1 else line_end
        at = lower.find("rence", line_end, end)
        if _REFERENCE_HEADING.match(text, line_start, line_end) is None:
            continue
        pos = line_end + 1
        while pos < end:
            nl = text.find("\n", pos, end)
            line_end = end if nl < 0 else nl
            m = _REFERENCE_ITEM.match(text, pos, line_end)
            if m is None:
                if text.startswith("|", pos) and not _DIGIT.search(text, pos, line_end):
                    pos = line_end + 1  # a table's header or rule under the heading
                    continue
                break
            if "suv" not in text[pos:line_end].lower() and not r.not_suv.match(text, m.end("num"), line_end):
                out.append(SuvValue(
                    m.start("num"), m.end("num"), parse_number(m.group("num")), "reference",
                    region="liver_reference" if r.liver.match(m.group("which")) else "mediastinal_blood_pool",
                    group=group + len(out), mention_start=pos,
                ))
            pos = line_end + 1
    return out


_REFERENCE_RUN_CUE = re.compile(patterns.REFERENCE_RUN_CUE)  # on the lower-cased text
_REFERENCE_PAIR = re.compile(patterns.REFERENCE_PAIR)
_REFERENCE_PAIRED = re.compile(patterns.REFERENCE_PAIRED)
_DECIMAL = re.compile(r"\d[.,]\d")


def _reference_runs(
    text: str, lower: str, start: int, end: int, out: list[SuvValue], group: int,
    r: SuvRegexes | None = None,
) -> list[SuvValue]:
    """``out`` with the reference values of the lines that list regions with their values.

    One reader for the lists the mention-led readers leave: after a reference cue on the
    line (:data:`.patterns.REFERENCE_RUN_CUE`), each region followed by its value
    ("Références : foie (SUVmax) 2,1 ; médiastin (SUVmax) 1,6", "Deauville 3 : fixation
    > médiastin (1,6) et ≤ foie (2,1)", "Référence : Foie = 2,1 | Médiastin = 1,6"), a
    region after a lesion word or a digit of its clause excepted; and anywhere, two
    regions then their two values ("SUVmax foie/médiastin : 2,1/1,6", which also
    corrects the region a mention-led reader gave the first). ``lower`` is ``text.lower()``.
    """
    r = _REGEXES if r is None else r
    by_start = {v.start: v for v in out}

    def region_of(word: str) -> str:
        return "liver_reference" if r.liver.match(word) else "mediastinal_blood_pool"

    def add(at: int, stop: int, number: str, region: str, paired: bool = False) -> None:
        nonlocal group
        if (v := by_start.get(at)) is not None:
            if v.role == "reference":
                v.region = region
            return
        if not paired and r.not_suv.match(text, stop, end):
            return
        by_start[at] = SuvValue(at, stop, parse_number(number), "reference", region=region,
                                group=group, mention_start=at)
        group += 1

    if "/" in lower[start:end]:
        for m in _REFERENCE_PAIRED.finditer(lower, start, end):
            add(m.start("one"), m.end("one"), m.group("one"), region_of(m.group("first")), paired=True)
            add(m.start("two"), m.end("two"), m.group("two"), region_of(m.group("second")))
    for cue in literal_finditer(_REFERENCE_RUN_CUE, lower, start, end):
        line_end = lower.find("\n", cue.end(), end)
        line_end = end if line_end == -1 else line_end
        clause_start = cue.end()
        for m in _REFERENCE_PAIR.finditer(lower, cue.end(), line_end):
            if (
                r.lesion.search(text, clause_start, m.start())
                or r.lesion.search(m.group("filler"))
                # a measure between the cue and the region (a score's digit is none)
                or _DECIMAL.search(text, clause_start, m.start())
            ):
                clause_start = m.end()
                continue
            add(m.start("num"), m.end("num"), m.group("num"), region_of(m.group()))
            clause_start = m.end()
    return sorted(by_start.values(), key=lambda v: v.start)


def _table_values(
    text: str, start: int, end: int, group: int, r: SuvRegexes | None = None
) -> list[SuvValue]:
    """SUVmax values of pipe tables: the columns whose header names SUVmax.

    The header row's cells are read by :func:`radlink.nlp.report_tables.column_meanings`
    ("Lésion | Site | Taille | SUVmax | SUVmax antérieur" then "N2 | Nodule ... | 11 mm |
    3,8 | 6,0": 3.8 is the row's lesion value, 6.0 its previous value; a SUVmean column
    is read by no one). A row that names a reference region and no lesion, with no size
    ("Foie (référence) | - | 2,4", "Pool sanguin | 1,8"), gives a reference value.
    """
    r = _REGEXES if r is None else r
    table_number = r.table_number
    out: list[SuvValue] = []
    current_col = previous_col = None
    size_cols: list[int] = []
    value_cols: set[int] = set()
    region_header: list[str | None] = []
    n_cells = 0
    pos = start
    for line in text[start:end].split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        pipes = line.count("|")
        if pipes < 1 or (pipes < 2 and current_col is None and "suv" not in line.lower()):
            current_col = previous_col = None
            continue
        cells = line.split("|")
        if not _DIGIT.search(line) and not set(line.strip()) <= set("|-: \t"):
            # a header that names regions, for a row of SUVmax values under them
            # ("| | Foie | Médiastin |" then "| SUVmax | 2,4 | 1,7 |")
            region_header = [is_reference_row(c) if c.strip() else None for c in cells]
        elif region_header and len(cells) == len(region_header) and "suv" in line.lower():
            label = next((c for c in cells if c.strip()), "")
            if column_meanings([label]) == ["suvmax"]:
                offsets, cursor = [], line_start
                for c in cells:
                    offsets.append(cursor)
                    cursor += len(c) + 1
                for i, c in enumerate(cells):
                    if region_header[i] and (num := table_number.match(c)):
                        out.append(SuvValue(offsets[i] + num.start("num"), offsets[i] + num.end("num"),
                                            parse_number(num.group("num")), "reference",
                                            region=region_header[i], group=group, mention_start=line_start))
                        group += 1
                continue
        if "suv" in line.lower() and not any(table_number.match(c) for c in cells):
            meanings = column_meanings(cells, r.table_previous)
            current_col = previous_col = None
            if "suvmax" in meanings:
                current_col = meanings.index("suvmax")
                if "previous_suvmax" in meanings:
                    previous_col = meanings.index("previous_suvmax")
            size_cols = [i for i, m in enumerate(meanings) if m == "size"]
            value_cols = {i for i, m in enumerate(meanings) if m is not None and m != "site"}
            n_cells = len(cells)
            continue
        if current_col is None or len(cells) != n_cells or set(line.strip()) <= set("|-: \t"):
            continue
        offsets, cursor = [], line_start
        for c in cells:
            offsets.append(cursor)
            cursor += len(c) + 1
        now = table_number.match(cells[current_col])
        if now is None:
            continue
        before = table_number.match(cells[previous_col]) if previous_col is not None else None
        region = None
        if not any(_DIGIT.search(cells[i]) for i in size_cols):
            region = is_reference_row(" ".join(c for i, c in enumerate(cells) if i not in value_cols))
        value = SuvValue(offsets[current_col] + now.start("num"), offsets[current_col] + now.end("num"),
                         parse_number(now.group("num")), "lesion" if region is None else "reference",
                         region=region, group=group, mention_start=line_start)
        group += 1
        out.append(value)
        if before is not None and region is None:
            value.previous = parse_number(before.group("num"))
            out.append(SuvValue(offsets[previous_col] + before.start("num"),
                                offsets[previous_col] + before.end("num"), value.previous, "previous",
                                current=None, group=value.group, mention_start=line_start))
    return out


class SuvmaxMatcher(BaseNERComponent):
    """The ``radlink.suvmax`` pipe: every SUVmax value, with its role.

    Adds ``doc.spans["suvmax"]``, one span per value (the number), labelled with its
    role (``lesion``, ``reference`` or ``previous``), with ``span._.suvmax`` (the
    value), ``span._.suv_role``, ``span._.previous_suvmax`` (for a lesion value said
    with a prior one), ``span._.reference_region`` and ``span._.suv_group`` (values
    that follow the same mention share it).

    Parameters
    ----------
    nlp : PipelineProtocol
        The pipeline.
    name : str
        Name of the pipe.
    span_setter : SpanSetterArg
        Where the value spans go, as in edsnlp (a group name, a list of them, a dict of group
        name to ``True`` or labels, ``"ents"``, or a callable); default ``"suvmax"``.
    number, mention, connector, previous_before, previous_after, from_to, reference_value, separator, not_suv_after, reference_cue, compared_to, liver_cue, mediastinum_cue, lesion_cue, table_previous_header, previous_context : str, optional
        Regexes of :mod:`.patterns` (``NUMBER``, ``MENTION``, ``CONNECTOR``, ...,
        ``PREVIOUS_CONTEXT``: the option is the lower-cased name); ``None`` uses the
        patterns module's. See :func:`suv_regexes` for the groups they need. With a
        ``mention`` or ``reference_value`` of its own, the pipe reads every text (not
        only those that name a SUV, a reference, a background or a blood pool).

    Examples
    --------
    >>> import edsnlp
    >>> nlp = edsnlp.blank("eds")
    >>> _ = nlp.add_pipe("radlink.suvmax")
    >>> doc = nlp("Ganglion hilaire (SUVmax 5,2 vs 3,1 précédemment). Bruit de fond médiastinal (SUVmax 1,8).")
    >>> [(s.text, s.label_, s._.previous_suvmax) for s in doc.spans["suvmax"]]
    [('5,2', 'lesion', 3.1), ('3,1', 'previous', None), ('1,8', 'reference', None)]
    """

    def __init__(
        self,
        nlp: PipelineProtocol | None = None,
        name: str = "radlink.suvmax",
        *,
        span_setter: SpanSetterArg = {"suvmax": True},  # noqa: B006 (edsnlp's convention)
        number: str | None = None,
        mention: str | None = None,
        connector: str | None = None,
        previous_before: str | None = None,
        previous_after: str | None = None,
        from_to: str | None = None,
        reference_value: str | None = None,
        separator: str | None = None,
        not_suv_after: str | None = None,
        reference_cue: str | None = None,
        compared_to: str | None = None,
        liver_cue: str | None = None,
        mediastinum_cue: str | None = None,
        lesion_cue: str | None = None,
        table_previous_header: str | None = None,
        previous_context: str | None = None,
    ):
        super().__init__(nlp, name, span_setter=span_setter)
        overrides = (
            number, mention, connector, previous_before, previous_after, from_to,
            reference_value, separator, not_suv_after, reference_cue, compared_to, liver_cue,
            mediastinum_cue, lesion_cue, table_previous_header, previous_context,
        )
        self.regexes = (
            _REGEXES if all(o is None for o in overrides) else suv_regexes(*overrides)
        )

    def set_extensions(self) -> None:
        super().set_extensions()
        set_record_extensions(
            "suv_record",
            {
                "suvmax": "value",
                "suv_role": "role",
                "previous_suvmax": "previous",
                "reference_region": "region",
                "suv_group": "group",
                "suv_respectively": "respectively",
            },
        )

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        text = doc_text(doc)
        gate = self.regexes.gate
        if gate is None or (may_hold_suv(text) if gate is ANY_SUV_CUE else gate.search(text)):
            for v in find_suv_values(text, regexes=self.regexes):
                span = make_span(doc, v.start, v.end, v.role)
                if span is None:
                    continue
                span._.suv_record = v
                spans.append(span)
        self.set_spans(doc, spans)
        return doc
