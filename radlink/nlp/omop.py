"""Export of findings to the OMOP CDM ``NOTE_NLP`` table.

One ``NOTE_NLP`` row per finding. OMOP CDM v5.4 columns: ``note_nlp_id``, ``note_id``,
``section_concept_id``, ``snippet``, ``offset``, ``lexical_variant``,
``note_nlp_concept_id``, ``note_nlp_source_concept_id``, ``nlp_system``, ``nlp_date``,
``nlp_datetime``, ``term_exists``, ``term_temporal``, ``term_modifiers``.

``term_exists`` follows the OMOP convention: ``"N"`` for a negated finding (and for
a hypothetical one unless ``hypothesis_exists=True``), else ``"Y"``. The finding's
attributes (kind, site, laterality, size, SUVmax, negation, hypothesis, section,
comparison with a previous exam, PET étage) are kept in ``term_modifiers`` as
comma-separated ``key=value`` pairs (``...,comparison=stable,etage=thoracic``; empty
value for null; a findings table without ``comparison``/``etage`` gives empty values). Concept ids are ``0`` (unmapped) unless mappings are given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

__all__ = ["NOTE_NLP_COLUMNS", "to_note_nlp"]

NOTE_NLP_COLUMNS: tuple[str, ...] = (
    "note_nlp_id",
    "note_id",
    "section_concept_id",
    "snippet",
    "offset",
    "lexical_variant",
    "note_nlp_concept_id",
    "note_nlp_source_concept_id",
    "nlp_system",
    "nlp_date",
    "nlp_datetime",
    "term_exists",
    "term_temporal",
    "term_modifiers",
)

_MODIFIERS = ("kind", "site", "laterality", "size_mm", "suvmax", "previous_suvmax",
              "negated", "hypothesis", "section", "comparison", "etage")


def _modifier(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def to_note_nlp(
    findings: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    *,
    note_ids: Mapping[str, int] | None = None,
    site_concept_ids: Mapping[str, int] | None = None,
    section_concept_ids: Mapping[str, int] | None = None,
    nlp_system: str | None = None,
    nlp_datetime: dt.datetime | None = None,
    hypothesis_exists: bool = False,
    first_id: int = 1,
) -> pd.DataFrame:
    """Turn a ``findings`` table into OMOP ``NOTE_NLP`` rows.

    Parameters
    ----------
    findings : pandas.DataFrame
        The ``findings`` table of :meth:`radlink.nlp.ReportExtractor.extract`.
    reports : pandas.DataFrame, optional
        The reports (``report_id``, ``text``) the findings come from: the
        ``lexical_variant`` is then the finding's text as written; without it, the
        snippet.
    note_ids : mapping, optional
        ``report_id`` -> OMOP ``note_id``. Without it, a numeric report_id is used as
        it is, another one is left as text.
    site_concept_ids, section_concept_ids : mapping, optional
        Site code -> ``note_nlp_concept_id``; section code -> ``section_concept_id``
        (``0`` when absent).
    nlp_system : str, optional
        Default ``"radlink <version>"``.
    nlp_datetime : datetime, optional
        Default: now (UTC).
    hypothesis_exists : bool
        Whether a hypothetical (hedged) finding counts as existing.
    first_id : int
        ``note_nlp_id`` of the first row.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`NOTE_NLP_COLUMNS`, one row per finding, in order.

    Examples
    --------
    >>> import pandas as pd
    >>> from radlink.nlp import ReportExtractor
    >>> from radlink.nlp.omop import to_note_nlp
    >>> reports = pd.DataFrame({"report_id": ["12"], "text": ["Résultats : pas d'adénopathie hilaire."]})
    >>> rows = to_note_nlp(ReportExtractor().extract(reports).findings, reports)
    >>> rows[["note_id", "lexical_variant", "term_exists", "offset"]].values.tolist()
    [[12, 'adénopathie hilaire', 'N', '18-37']]
    """
    import radlink

    nlp_system = nlp_system or f"radlink {radlink.__version__}"
    when = nlp_datetime or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    texts = {}
    if reports is not None:
        texts = dict(zip(reports["report_id"].astype(str), reports["text"], strict=False))
    site_ids = site_concept_ids or {}
    section_ids = section_concept_ids or {}

    def note_id(rid: str):
        if note_ids is not None:
            return note_ids.get(rid)
        return int(rid) if str(rid).isdigit() else rid

    rows = []
    for i, f in enumerate(findings.itertuples(index=False)):
        rid = str(f.report_id)
        text = texts.get(rid)
        start, end = int(f.start), int(f.end)
        lexical = text[start:end] if isinstance(text, str) else f.snippet
        negated = bool(f.negated)
        hypothesis = bool(f.hypothesis)
        exists = not negated and (hypothesis_exists or not hypothesis)
        modifiers = ",".join(f"{k}={_modifier(getattr(f, k, None))}" for k in _MODIFIERS)
        rows.append(
            {
                "note_nlp_id": first_id + i,
                "note_id": note_id(rid),
                "section_concept_id": int(section_ids.get(f.section, 0)),
                "snippet": f.snippet,
                "offset": f"{start}-{end}",
                "lexical_variant": lexical,
                "note_nlp_concept_id": int(site_ids.get(f.site, 0)),
                "note_nlp_source_concept_id": 0,
                "nlp_system": nlp_system,
                "nlp_date": when.date(),
                "nlp_datetime": when,
                "term_exists": "Y" if exists else "N",
                "term_temporal": "present",
                "term_modifiers": modifiers,
            }
        )
    return pd.DataFrame.from_records(rows, columns=list(NOTE_NLP_COLUMNS))
