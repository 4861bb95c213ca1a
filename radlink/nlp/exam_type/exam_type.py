"""Exam type: modality and tracer of a report, from its title and its text."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from edsnlp.core import PipelineProtocol
from edsnlp.pipes.base import BaseComponent
from spacy.tokens import Doc

from ..sections.sections import doc_sections
from ..text import doc_text, start_chars
from . import patterns

__all__ = [
    "ExamTypeDetector",
    "ExamTypeRegexes",
    "detect_modality",
    "detect_tracer",
    "exam_type",
    "modality_from_cues",
    "exam_type_regexes",
]


def _alternation(table: dict[str, list[str]]) -> re.Pattern:
    groups = "|".join(f"(?P<{code}>{'|'.join(forms)})" for code, forms in table.items())
    # led by a lookahead on the characters a form can start with: most positions of a
    # text are rejected by one class test (same matches)
    chars = start_chars(groups, re.IGNORECASE)
    gate = f"(?={chars})" if chars is not None else ""
    return re.compile(rf"{gate}(?<![\w])(?:{groups})(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class ExamTypeRegexes:
    """The compiled tracer and modality regexes, the modality priority, the PET tracers."""

    tracer: re.Pattern
    modality: re.Pattern
    modality_order: dict[str, int]
    pet_tracers: tuple[str, ...]


def exam_type_regexes(
    tracers: dict[str, list[str]] | None = None,
    modalities: dict[str, list[str]] | None = None,
    pet_tracers: list[str] | None = None,
) -> ExamTypeRegexes:
    """Compile the exam type tables (code -> surface-form regexes; ``None``: :mod:`.patterns`).

    The order of ``modalities`` is their priority when a text names several; codes
    must be valid regex group names.
    """
    tracers = patterns.TRACERS if tracers is None else tracers
    modalities = patterns.MODALITIES if modalities is None else modalities
    return ExamTypeRegexes(
        tracer=_alternation(tracers),
        modality=_alternation(modalities),
        modality_order={code: i for i, code in enumerate(modalities)},
        pet_tracers=tuple(patterns.PET_TRACERS if pet_tracers is None else pet_tracers),
    )


_REGEXES = exam_type_regexes()
_TRACER_RE = _REGEXES.tracer
_MODALITY_RE = _REGEXES.modality
_MODALITY_ORDER = _REGEXES.modality_order


def detect_tracer(text: str, regexes: ExamTypeRegexes | None = None) -> str | None:
    """The tracer code most often named in ``text`` (first named on a tie).

    ``regexes`` come from :func:`exam_type_regexes` (default: the patterns module's).

    Examples
    --------
    >>> detect_tracer("[LIBELLE INJECTION=Fluorodesoxyglucose]")
    'FDG'
    """
    counts: dict[str, list[int]] = {}
    for m in (_TRACER_RE if regexes is None else regexes.tracer).finditer(text):
        c = counts.setdefault(m.lastgroup, [0, m.start()])
        c[0] += 1
    if not counts:
        return None
    return max(counts, key=lambda k: (counts[k][0], -counts[k][1]))


def detect_modality(text: str, regexes: ExamTypeRegexes | None = None) -> str | None:
    """The modality code named in ``text``: PET first, then NM, MR, MG, CT, US, CR.

    ``regexes`` come from :func:`exam_type_regexes` (default: the patterns module's,
    whose order is the priority above).

    Examples
    --------
    >>> detect_modality("Tomographie par émission de positons avec scanner")
    'PT'
    >>> detect_modality("Scanner thoraco-abdomino-pelvien")
    'CT'
    """
    if regexes is None:
        regex, order = _MODALITY_RE, _MODALITY_ORDER
    else:
        regex, order = regexes.modality, regexes.modality_order
    found = {m.lastgroup for m in regex.finditer(text)}
    if not found:
        return None
    return min(found, key=order.__getitem__)


_CUES = {
    code: re.compile(rf"(?<![\w])(?:{'|'.join(forms)})(?![\w])", re.IGNORECASE)
    for code, forms in patterns.MODALITY_CUES.items()
}


def modality_from_cues(text: str, least: int = 2) -> str | None:
    """The modality whose technique and description words (:data:`.patterns.MODALITY_CUES`)
    ``text`` holds most often, ``least`` times at least (a tie: none).

    Examples
    --------
    >>> modality_from_cues("Bassin de face et hanche droite de profil. Pas de trait de fracture.")
    'CR'
    >>> modality_from_cues("Séquences T2 et diffusion : hypersignal frontal.")
    'MR'
    >>> modality_from_cues("Pas d'anomalie.") is None
    True
    """
    counts = sorted(((len(r.findall(text)), code) for code, r in _CUES.items()), reverse=True)
    (best, code), (second, _) = counts[0], counts[1]
    return code if best >= least and best > second else None


class ExamTypeDetector(BaseComponent):
    """The ``radlink.exam_type`` pipe: ``doc._.modality`` and ``doc._.tracer``.

    The title (``doc._.report_title``, set by the caller) is read first, then the
    head of the report (before its first section, or its first ``head_chars``), then
    the technique section and at last the whole text. A PET tracer makes the study a
    PET (``PT``) when no modality was named; "Fluorodesoxyglucose" is FDG.

    Parameters
    ----------
    nlp : PipelineProtocol
        The pipeline.
    name : str
        Name of the pipe.
    head_chars : int
        How much of the text, at most, is read as the report's head.
    tracers, modalities : dict of str to list of str, optional
        Tracer code -> surface forms and modality code -> surface forms (regexes,
        case-insensitive, word-bounded; the order of ``modalities`` is their priority);
        ``None`` uses :mod:`.patterns` (``TRACERS``, ``MODALITIES``).
    pet_tracers : list of str, optional
        Tracer codes that make a study of no named modality a PET (``PT``; the others
        make it ``NM``); ``None`` uses ``patterns.PET_TRACERS``.

    Examples
    --------
    >>> import edsnlp
    >>> nlp = edsnlp.blank("eds")
    >>> _ = nlp.add_pipe("radlink.exam_type")
    >>> doc = nlp("TEP-TDM au 18F-FDG\\nIndication : bilan")
    >>> doc._.modality, doc._.tracer
    ('PT', 'FDG')
    """

    def __init__(
        self,
        nlp: PipelineProtocol | None = None,
        name: str = "radlink.exam_type",
        *,
        head_chars: int = 400,
        tracers: dict[str, list[str]] | None = None,
        modalities: dict[str, list[str]] | None = None,
        pet_tracers: list[str] | None = None,
    ):
        super().__init__(nlp, name)
        self.head_chars = head_chars
        self.regexes = (
            _REGEXES if tracers is None and modalities is None and pet_tracers is None
            else exam_type_regexes(tracers, modalities, pet_tracers)
        )

    def set_extensions(self) -> None:
        super().set_extensions()
        for attr in ("report_title", "modality", "tracer"):
            if not Doc.has_extension(attr):
                Doc.set_extension(attr, default=None)

    def __call__(self, doc: Doc) -> Doc:
        sections, _ = doc_sections(doc)
        doc._.modality, doc._.tracer = exam_type(
            doc_text(doc), doc._.report_title, sections, self.head_chars, self.regexes
        )
        return doc


def _title_reading(title: str, regexes: ExamTypeRegexes | None) -> tuple[str | None, str | None]:
    """``(detect_modality(title), detect_tracer(title))``, remembered per title with the
    default regexes (:func:`_default_title_reading`).

    Examples
    --------
    >>> _title_reading("TEP-TDM au FDG", None)
    ('PT', 'FDG')
    """
    if not title:
        return None, None
    if regexes is not None:
        return detect_modality(title, regexes), detect_tracer(title, regexes)
    return _default_title_reading(title)


@functools.lru_cache(maxsize=20_000)
def _default_title_reading(title: str) -> tuple[str | None, str | None]:
    """The modality and tracer a title names with the default regexes: a warehouse's reports
    share a few hundred titles (bounded per process)."""
    return detect_modality(title), detect_tracer(title)


def exam_type(
    text: str,
    title: str | None,
    sections: list[tuple],
    head_chars: int = 400,
    regexes: ExamTypeRegexes | None = None,
) -> tuple[str | None, str | None]:
    """Modality and tracer of a report (see :class:`ExamTypeDetector`).

    ``regexes`` come from :func:`exam_type_regexes` (default: the patterns module's).

    Examples
    --------
    >>> exam_type("[LIBELLE INJECTION=Fluorodesoxyglucose]", "Tomographie par émission de positons", [])
    ('PT', 'FDG')
    """
    title = title or ""
    title_modality, title_tracer = _title_reading(title, regexes)
    head_end = min(sections[0][1] if sections else len(text), head_chars)
    if head_end < 40:
        head_end = min(head_chars, len(text))
    head = text[:head_end]
    first_line = text.lstrip()[:200].split("\n", 1)[0]
    pet_tracers = patterns.PET_TRACERS if regexes is None else regexes.pet_tracers
    modality = title_modality
    if modality is None:
        for part in (first_line, head):
            if part and (modality := detect_modality(part, regexes)):
                break
    # A tracer in the title or head names a study of no named modality (a "FDG"
    # title is a PET); a CT that compares with a previous PET stays a CT.
    # (a modality other than PT or NM has no tracer: none is looked for)
    tracer = None
    if modality in (None, "PT", "NM"):
        tracer = title_tracer or detect_tracer(head, regexes)
    if tracer is not None and modality is None:
        modality = "PT" if tracer in pet_tracers else "NM"
    if modality is None or modality in ("PT", "NM") and tracer is None:
        technique = " ".join(text[s[1] : s[3]] for s in sections if s[0] == "technique")
    if modality is None:
        modality = (
            detect_modality(technique, regexes) or modality_from_cues(text) or detect_modality(text, regexes)
        )
    if modality in ("PT", "NM") and tracer is None:
        tracer = detect_tracer(technique, regexes) or detect_tracer(text, regexes)
    if modality not in ("PT", "NM"):
        tracer = None
    return modality, tracer
