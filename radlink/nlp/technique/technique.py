"""Technique of a nuclear-medicine report: activity, glycemia, delay and device."""

from __future__ import annotations

import re

from edsnlp.core import PipelineProtocol
from edsnlp.pipes.base import BaseNERComponent
from edsnlp.utils.span_getters import SpanSetterArg
from spacy.tokens import Doc, Span

from ..sections.sections import doc_sections
from ..text import doc_text, make_span, parse_number
from . import patterns

__all__ = ["TechniqueExtractor", "find_technique", "normalise_glycemia"]

_DOSE = re.compile(patterns.DOSE, re.IGNORECASE)
_DOSE_KG = re.compile(patterns.DOSE_PER_KG, re.IGNORECASE)
_GLYCEMIA = re.compile(patterns.GLYCEMIA, re.IGNORECASE)
_DELAY = [re.compile(p, re.IGNORECASE) for p in patterns.DELAY]
_DEVICE = re.compile(patterns.DEVICE)
_SPACES = re.compile(r"[ \t]+")

_ATTRS = (
    "dose_mbq",
    "dose_mbq_per_kg",
    "glycemia",
    "glycemia_unit",
    "glycemia_g_l",
    "injection_delay_min",
    "device",
)


def normalise_glycemia(value: float, unit: str | None) -> tuple[float, str]:
    """Glycemia in g/L, and the unit it was written in (guessed when absent).

    Examples
    --------
    >>> normalise_glycemia(5.6, "mmol/l")
    (1.01, 'mmol/L')
    >>> normalise_glycemia(98, None)
    (0.98, 'mg/dL')
    """
    if unit:
        key = _SPACES.sub("", unit.lower())
        label, factor = patterns.GLYCEMIA_UNITS.get(key, ("g/L", 1.0))
    else:
        label = next(lab for bound, lab in patterns.GLYCEMIA_UNITLESS if value < bound)
        factor = {"g/L": 1.0, "mmol/L": 0.18016, "mg/dL": 0.01}[label]
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
    ):
        super().__init__(nlp, name, span_setter=span_setter)

    def set_extensions(self) -> None:
        super().set_extensions()
        for attr in _ATTRS:
            if not Doc.has_extension(attr):
                Doc.set_extension(attr, default=None)
        if not Span.has_extension("technique_value"):
            Span.set_extension("technique_value", default=None)

    def __call__(self, doc: Doc) -> Doc:
        sections, _ = doc_sections(doc)
        found = find_technique(doc_text(doc), sections, getattr(doc._, "modality", None))
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


def find_technique(
    text: str, sections: list[tuple], modality: str | None = None
) -> dict[str, tuple[int, int, object]]:
    """Technique values of a report: attribute -> ``(start, end, value)``.

    Examples
    --------
    >>> find_technique("[DOSE INJECTEE (MBq) = 187,2 MBq] [GLYCEMIE (g/l) = 1,05]", [])["dose_mbq"]
    (23, 32, 187.2)
    """
    found: dict[str, tuple[int, int, object]] = {}
    if sections:
        regions = [(0, sections[0][1])]
        regions += [(s[1], s[3]) for s in sections if s[0] in ("technique", "indication")]
    else:
        regions = [(0, len(text))]
    if not any(_DOSE.search(text, s, e) or _GLYCEMIA.search(text, s, e) for s, e in regions):
        regions = [(0, len(text))]
    for start, end in regions:
        if "dose_mbq" not in found and (m := _DOSE.search(text, start, end)):
            value = parse_number(m.group("value"))
            if m.group("unit").lower() == "mci":
                value = round(value * 37.0, 1)
            found["dose_mbq"] = (m.start(), m.end(), value)
        if "dose_mbq_per_kg" not in found and (m := _DOSE_KG.search(text, start, end)):
            found["dose_mbq_per_kg"] = (m.start(), m.end(), parse_number(m.group("value")))
        if "glycemia" not in found and (m := _GLYCEMIA.search(text, start, end)):
            raw = parse_number(m.group("value"))
            g_l, unit = normalise_glycemia(raw, m.group("unit"))
            found["glycemia"] = (m.start("value"), m.end(), raw)
            found["glycemia_unit"] = (m.start("value"), m.end(), unit)
            found["glycemia_g_l"] = (m.start("value"), m.end(), g_l)
        if "injection_delay_min" not in found:
            for regex in _DELAY:
                if m := regex.search(text, start, end):
                    g = {k.rstrip("0123456789"): v for k, v in m.groupdict().items() if v}
                    hours, minutes, extra = g.get("hours"), g.get("minutes"), g.get("hmin")
                    value = float(minutes) if minutes else 60.0 * float(hours) + float(extra or 0)
                    found["injection_delay_min"] = (m.start(), m.end(), value)
                    break
        if "device" not in found and (m := _DEVICE.search(text, start, end)):
            found["device"] = (m.start(), m.end(), m.group().strip())
    if modality not in (None, "PT", "NM"):
        # a CT's "temps tardif à 15 minutes" is not a delay after a tracer injection
        found.pop("injection_delay_min", None)
    return found
