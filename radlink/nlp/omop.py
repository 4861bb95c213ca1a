"""Export of findings to the OMOP CDM ``NOTE_NLP`` table.

One ``NOTE_NLP`` row per finding. OMOP CDM v5.4 columns: ``note_nlp_id``, ``note_id``,
``section_concept_id``, ``snippet``, ``offset``, ``lexical_variant``,
``note_nlp_concept_id``, ``note_nlp_source_concept_id``, ``nlp_system``, ``nlp_date``,
``nlp_datetime``, ``term_exists``, ``term_temporal``, ``term_modifiers``.

Checked against the CDM 5.4 field table (OHDSI CommonDataModel,
``OMOP_CDMv5.4_Field_Level.csv``): the columns and their order are the table's;
``note_id`` is an integer (a report id that is not one is numbered, see ``note_ids``);
``snippet`` and ``lexical_variant`` are ``varchar(250)`` and are cut to 250 characters.

``term_exists`` follows the CDM 5.4 convention: ``"N"`` for a negated finding; a
hedged (hypothetical) finding exists (``"Y"``): the convention keeps a term whose
certainty is "high or moderate or even low" and drops only very low certainty, which
``hypothesis_exists=False`` selects for hedged findings. The finding's
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

_VARCHAR = 250  # snippet and lexical_variant are varchar(250) in CDM 5.4

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
    hypothesis_exists: bool = True,
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
        ``report_id`` -> OMOP ``note_id``. Without it, report ids that are all
        integers are used as they are; otherwise reports are numbered from 1 in the
        sorted order of their ids (pass ``note_ids`` to point at a ``note`` table).
    site_concept_ids, section_concept_ids : mapping, optional
        Site code -> ``note_nlp_concept_id``; section code -> ``section_concept_id``
        (``0`` when absent).
    nlp_system : str, optional
        Default ``"radlink <version>"``.
    nlp_datetime : datetime, optional
        Default: now (UTC).
    hypothesis_exists : bool, default True
        Whether a hypothetical (hedged) finding counts as existing (the CDM 5.4
        convention: yes).
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

    if note_ids is None:
        rids = sorted({str(r) for r in findings["report_id"]})
        numeric = all(r.isdigit() for r in rids)
        note_ids = {r: int(r) if numeric else i for i, r in enumerate(rids, start=1)}

    def note_id(rid: str):
        return note_ids.get(rid)

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
                "snippet": f.snippet[:_VARCHAR] if isinstance(f.snippet, str) else f.snippet,
                "offset": f"{start}-{end}",
                "lexical_variant": lexical[:_VARCHAR] if isinstance(lexical, str) else lexical,
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
