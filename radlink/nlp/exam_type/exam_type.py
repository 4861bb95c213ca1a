"""Exam type: modality and tracer of a report, from its title and its text."""

from __future__ import annotations

import re

from edsnlp.core import PipelineProtocol
from edsnlp.pipes.base import BaseComponent
from spacy.tokens import Doc

from ..sections.sections import doc_sections
from ..text import doc_text
from . import patterns

__all__ = ["ExamTypeDetector", "detect_modality", "detect_tracer", "exam_type"]


def _alternation(table: dict[str, list[str]]) -> re.Pattern:
    groups = [f"(?P<{code}>{'|'.join(forms)})" for code, forms in table.items()]
    return re.compile(rf"(?<![\w])(?:{'|'.join(groups)})(?![\w])", re.IGNORECASE)


_TRACER_RE = _alternation(patterns.TRACERS)
_MODALITY_RE = _alternation(patterns.MODALITIES)
_MODALITY_ORDER = {code: i for i, code in enumerate(patterns.MODALITIES)}
_TRACER_ORDER = {code: i for i, code in enumerate(patterns.TRACERS)}


def detect_tracer(text: str) -> str | None:
    """The tracer code most often named in ``text`` (first named on a tie).

    Examples
    --------
    >>> detect_tracer("[LIBELLE INJECTION=Fluorodesoxyglucose]")
    'FDG'
    """
    counts: dict[str, list[int]] = {}
    for m in _TRACER_RE.finditer(text):
        c = counts.setdefault(m.lastgroup, [0, m.start()])
        c[0] += 1
    if not counts:
        return None
    return max(counts, key=lambda k: (counts[k][0], -counts[k][1]))


def detect_modality(text: str) -> str | None:
    """The modality code named in ``text``: PET first, then NM, MR, MG, CT, US, CR.

    Examples
    --------
    >>> detect_modality("Tomographie par émission de positons avec scanner")
    'PT'
    >>> detect_modality("Scanner thoraco-abdomino-pelvien")
    'CT'
    """
    found = {m.lastgroup for m in _MODALITY_RE.finditer(text)}
    if not found:
        return None
    return min(found, key=_MODALITY_ORDER.__getitem__)


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
    ):
        super().__init__(nlp, name)
        self.head_chars = head_chars

    def set_extensions(self) -> None:
        super().set_extensions()
        for attr in ("report_title", "modality", "tracer"):
            if not Doc.has_extension(attr):
                Doc.set_extension(attr, default=None)

    def __call__(self, doc: Doc) -> Doc:
        sections, _ = doc_sections(doc)
        doc._.modality, doc._.tracer = exam_type(
            doc_text(doc), doc._.report_title, sections, self.head_chars
        )
        return doc


def exam_type(
    text: str, title: str | None, sections: list[tuple], head_chars: int = 400
) -> tuple[str | None, str | None]:
    """Modality and tracer of a report (see :class:`ExamTypeDetector`).

    Examples
    --------
    >>> exam_type("[LIBELLE INJECTION=Fluorodesoxyglucose]", "Tomographie par émission de positons", [])
    ('PT', 'FDG')
    """
    title = title or ""
    head_end = min(sections[0][1] if sections else len(text), head_chars)
    if head_end < 40:
        head_end = min(head_chars, len(text))
    head = text[:head_end]
    technique = " ".join(text[s[1] : s[3]] for s in sections if s[0] == "technique")
    first_line = text.lstrip()[:200].split("\n", 1)[0]
    modality = None
    for part in (title, first_line, head):
        if part and (modality := detect_modality(part)):
            break
    # A tracer in the title or head names a study of no named modality (a "FDG"
    # title is a PET); a CT that compares with a previous PET stays a CT.
    tracer = detect_tracer(title) or detect_tracer(head)
    if tracer is not None and modality is None:
        modality = "PT" if tracer in patterns.PET_TRACERS else "NM"
    if modality is None:
        modality = detect_modality(technique) or detect_modality(text)
    if modality in ("PT", "NM") and tracer is None:
        tracer = detect_tracer(technique) or detect_tracer(text)
    if modality not in ("PT", "NM"):
        tracer = None
    return modality, tracer
