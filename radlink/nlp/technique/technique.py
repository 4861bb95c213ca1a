"""Technique of a nuclear-medicine report: activity, glycemia, delay and device."""

from __future__ import annotations

import re
from dataclasses import dataclass

from edsnlp.core import PipelineProtocol
from edsnlp.pipes.base import BaseNERComponent
from edsnlp.utils.span_getters import SpanSetterArg
from spacy.tokens import Doc, Span

from ..sections.sections import doc_sections
from ..text import doc_text, gated, make_span, may_match, parse_number
from . import patterns

__all__ = [
    "TechniqueExtractor",
    "TechniqueRegexes",
    "find_technique",
    "normalise_glycemia",
    "technique_regexes",
]

_SPACES = re.compile(r"[ \t]+")


def _compile(regex: str, flags: int = 0) -> re.Pattern:
    """``regex`` compiled behind a lookahead on its first characters (same matches,
    a faster search: see :func:`radlink.nlp.text.gated`)."""
    return re.compile(gated(regex, flags), flags)


@dataclass(frozen=True)
class TechniqueRegexes:
    """The compiled regexes and unit tables of :func:`find_technique`."""

    dose: re.Pattern
    dose_per_kg: re.Pattern
    glycemia: re.Pattern
    delay: tuple[re.Pattern, ...]
    device: re.Pattern
    glycemia_units: dict[str, tuple[str, float]]
    glycemia_unitless: tuple[tuple[float, str], ...]
    glycemia_factors: dict[str, float]


def technique_regexes(
    dose: str | None = None,
    dose_per_kg: str | None = None,
    glycemia: str | None = None,
    glycemia_units: dict[str, tuple[str, float]] | None = None,
    glycemia_unitless: list[tuple[float, str]] | None = None,
    delay: list[str] | None = None,
    device: str | None = None,
) -> TechniqueRegexes:
    """Compile the technique patterns (``None``: :mod:`.patterns`).

    ``dose`` and ``dose_per_kg`` need a ``value`` group (``dose`` a ``unit`` group too,
    ``MBq`` or ``mCi``), ``glycemia`` a ``value`` and an optional ``unit`` group, each
    ``delay`` regex ``minutes`` or ``hours`` (and ``hmin``) groups, optionally with a
    digit suffix (``minutes2``). All but ``device`` are case-insensitive.
    """
    units = patterns.GLYCEMIA_UNITS if glycemia_units is None else glycemia_units
    unitless = patterns.GLYCEMIA_UNITLESS if glycemia_unitless is None else glycemia_unitless
    factors = {"g/L": 1.0, "mmol/L": 0.18016, "mg/dL": 0.01}
    if glycemia_units is not None:
        factors = {**factors, **{label: factor for label, factor in units.values()}}
    return TechniqueRegexes(
        dose=_compile(patterns.DOSE if dose is None else dose, re.IGNORECASE),
        dose_per_kg=_compile(
            patterns.DOSE_PER_KG if dose_per_kg is None else dose_per_kg, re.IGNORECASE
        ),
        glycemia=_compile(patterns.GLYCEMIA if glycemia is None else glycemia, re.IGNORECASE),
        delay=tuple(
            _compile(p, re.IGNORECASE) for p in (patterns.DELAY if delay is None else delay)
        ),
        device=_compile(patterns.DEVICE if device is None else device),
        glycemia_units=dict(units),
        glycemia_unitless=tuple((float(bound), label) for bound, label in unitless),
        glycemia_factors=factors,
    )


_REGEXES = technique_regexes()

_ATTRS = (
    "dose_mbq",
    "dose_mbq_per_kg",
    "glycemia",
    "glycemia_unit",
    "glycemia_g_l",
    "injection_delay_min",
    "device",
)


def normalise_glycemia(
    value: float, unit: str | None, regexes: TechniqueRegexes | None = None
) -> tuple[float, str]:
    """Glycemia in g/L, and the unit it was written in (guessed when absent).

    The unit tables come from ``regexes`` (:func:`technique_regexes`; default: the
    patterns module's).

    Examples
    --------
    >>> normalise_glycemia(5.6, "mmol/l")
    (1.01, 'mmol/L')
    >>> normalise_glycemia(98, None)
    (0.98, 'mg/dL')
    """
    regexes = _REGEXES if regexes is None else regexes
    if unit:
        key = _SPACES.sub("", unit.lower())
        label, factor = regexes.glycemia_units.get(key, ("g/L", 1.0))
    else:
        label = next(
            (lab for bound, lab in regexes.glycemia_unitless if value < bound), "g/L"
        )
        factor = regexes.glycemia_factors.get(label, 1.0)
    return round(value * factor, 2), label


class TechniqueExtractor(BaseNERComponent):
    """The ``radlink.technique`` pipe: injected activity, glycemia, delay, device.

    Reads the technique section when there is one (and the report's head, where
    exports put fields like ``[DOSE = 187,2 MBq]``), else the whole text. Sets
    ``doc._.dose_mbq``, ``doc._.dose_mbq_per_kg``, ``doc._.glycemia`` (as written),
    ``doc._.glycemia_unit``, ``doc._.glycemia_g_l``, ``doc._.injection_delay_min``
    and ``doc._.device``; ``doc.spans["technique"]`` holds one span per value,
    labelled by attribute name, with ``span._.technique_value``.

    Parameters
    ----------
    nlp : PipelineProtocol
        The pipeline.
    name : str
        Name of the pipe.
    span_setter : SpanSetterArg
        Where the value spans go, as in edsnlp (a group name, a list of them, a dict of group
        name to ``True`` or labels, ``"ents"``, or a callable); default ``"technique"``.
    dose, dose_per_kg, glycemia, device : str, optional
        Regexes of the injected activity, the activity per kg, the glycemia and the
        device (the named groups :func:`technique_regexes` says); ``None`` uses
        :mod:`.patterns` (``DOSE``, ``DOSE_PER_KG``, ``GLYCEMIA``, ``DEVICE``).
    delay : list of str, optional
        Regexes of the delay after injection, tried in order; ``None`` uses
        ``patterns.DELAY``.
    glycemia_units : dict of str to (str, float), optional
        Glycemia unit as written (lower case, no spaces) -> (label, factor to g/L);
        ``None`` uses ``patterns.GLYCEMIA_UNITS``.
    glycemia_unitless : list of (float, str), optional
        (upper bound, unit label) tried in order for a value written without a unit;
        ``None`` uses ``patterns.GLYCEMIA_UNITLESS``.

    Examples
    --------
    >>> import edsnlp
    >>> nlp = edsnlp.blank("eds")
    >>> _ = nlp.add_pipe("radlink.technique")
    >>> doc = nlp("Injection de 250 MBq (3 MBq/kg). Glycémie : 5,6 mmol/l. Acquisition 60 min après injection.")
    >>> doc._.dose_mbq, doc._.dose_mbq_per_kg, doc._.glycemia_g_l, doc._.injection_delay_min
    (250.0, 3.0, 1.01, 60.0)
    """

    def __init__(
        self,
        nlp: PipelineProtocol | None = None,
        name: str = "radlink.technique",
        *,
        span_setter: SpanSetterArg = {"technique": True},  # noqa: B006 (edsnlp's convention)
        dose: str | None = None,
        dose_per_kg: str | None = None,
        glycemia: str | None = None,
        glycemia_units: dict[str, tuple[str, float]] | None = None,
        glycemia_unitless: list[tuple[float, str]] | None = None,
        delay: list[str] | None = None,
        device: str | None = None,
    ):
        super().__init__(nlp, name, span_setter=span_setter)
        overrides = (dose, dose_per_kg, glycemia, glycemia_units, glycemia_unitless, delay, device)
        self.regexes = (
            _REGEXES if all(o is None for o in overrides) else technique_regexes(*overrides)
        )

    def set_extensions(self) -> None:
        super().set_extensions()
        for attr in _ATTRS:
            if not Doc.has_extension(attr):
                Doc.set_extension(attr, default=None)
        if not Span.has_extension("technique_value"):
            Span.set_extension("technique_value", default=None)

    def __call__(self, doc: Doc) -> Doc:
        sections, _ = doc_sections(doc)
        found = find_technique(
            doc_text(doc), sections, getattr(doc._, "modality", None), self.regexes
        )
        spans = []
        for attr in _ATTRS:
            item = found.get(attr)
            setattr(doc._, attr, item[2] if item else None)
            if item and attr not in ("glycemia_unit", "glycemia_g_l"):
                span = make_span(doc, item[0], item[1], attr)
                if span is not None:
                    span._.technique_value = item[2]
                    spans.append(span)
        self.set_spans(doc, spans)
        return doc


def _search(regex: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    """``regex.search(text, start, end)``, not tried where none of the words every match
    holds is written (:func:`radlink.nlp.text.may_match`: most reports name no
    activity, glycemia or device)."""
    return regex.search(text, start, end) if may_match(regex, text, start, end) else None


def find_technique(
    text: str,
    sections: list[tuple],
    modality: str | None = None,
    regexes: TechniqueRegexes | None = None,
) -> dict[str, tuple[int, int, object]]:
    """Technique values of a report: attribute -> ``(start, end, value)``.

    ``regexes`` come from :func:`technique_regexes` (default: the patterns module's).

    Examples
    --------
    >>> find_technique("[DOSE INJECTEE (MBq) = 187,2 MBq] [GLYCEMIE (g/l) = 1,05]", [])["dose_mbq"]
    (23, 32, 187.2)
    """
    r = _REGEXES if regexes is None else regexes
    dose_re, dose_kg_re, glycemia_re, delay_res, device_re = (
        r.dose, r.dose_per_kg, r.glycemia, r.delay, r.device
    )
    found: dict[str, tuple[int, int, object]] = {}
    # a CT's "temps tardif à 15 minutes" is not a delay after a tracer injection: a
    # delay is only read in a nuclear medicine report (or one of unknown modality)
    read_delay = modality in (None, "PT", "NM")
    if sections:
        regions = [(0, sections[0][1])]
        regions += [(s[1], s[3]) for s in sections if s[0] in ("technique", "indication")]
    else:
        regions = [(0, len(text))]
    if not any(_search(dose_re, text, s, e) or _search(glycemia_re, text, s, e) for s, e in regions):
        regions = [(0, len(text))]
    for start, end in regions:
        if "dose_mbq" not in found and (m := _search(dose_re, text, start, end)):
            value = parse_number(m.group("value"))
            if (m.groupdict().get("unit") or "").lower() == "mci":
                value = round(value * 37.0, 1)
            found["dose_mbq"] = (m.start(), m.end(), value)
        if "dose_mbq_per_kg" not in found and (m := _search(dose_kg_re, text, start, end)):
            found["dose_mbq_per_kg"] = (m.start(), m.end(), parse_number(m.group("value")))
        if "glycemia" not in found and (m := _search(glycemia_re, text, start, end)):
            raw = parse_number(m.group("value"))
            g_l, unit = normalise_glycemia(raw, m.groupdict().get("unit"), r)
            found["glycemia"] = (m.start("value"), m.end(), raw)
            found["glycemia_unit"] = (m.start("value"), m.end(), unit)
            found["glycemia_g_l"] = (m.start("value"), m.end(), g_l)
        if read_delay and "injection_delay_min" not in found:
            for regex in delay_res:
                if m := _search(regex, text, start, end):
                    g = {k.rstrip("0123456789"): v for k, v in m.groupdict().items() if v}
                    hours, minutes, extra = g.get("hours"), g.get("minutes"), g.get("hmin")
                    value = float(minutes) if minutes else 60.0 * float(hours) + float(extra or 0)
                    found["injection_delay_min"] = (m.start(), m.end(), value)
                    break
        if "device" not in found and (m := _search(device_re, text, start, end)):
            found["device"] = (m.start(), m.end(), m.group().strip())
    return found
