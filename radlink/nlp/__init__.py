"""spaCy/edsnlp pipes for French imaging reports, and their batch extractor.

Pipes (spaCy factories, also declared as ``spacy_factories`` entry points, so that
``edsnlp.blank("eds").add_pipe("radlink.suvmax")`` works in any process):

====================  ===============================================================
radlink.cleaning      HTML tags/entities removed; offsets map back (``doc._.cleaning``)
radlink.sections      imaging sections and PET étages (``doc.spans["sections"]``,
                      ``doc.spans["etages"]``)
radlink.exam_type     ``doc._.modality`` (DICOM code) and ``doc._.tracer``
radlink.indication    ``doc._.indication`` and ``doc._.indication_category``
radlink.technique     ``doc._.dose_mbq``, ``glycemia`` (+ unit, g/L), delay, device
radlink.suvmax        ``doc.spans["suvmax"]``: values with role lesion/reference/previous
radlink.lesions       ``doc.spans["findings"]``: site, laterality, size, SUVmax,
                      negation, hypothesis, comparison, section, étage
radlink.qualifiers    imaging negation/hypothesis/comparison for any span group
====================  ===============================================================

:func:`pipeline` assembles them. :class:`ReportExtractor` turns a reports table into
the ``report_facts`` and ``findings`` tables (columns :data:`FACTS_COLUMNS`,
:data:`FINDINGS_COLUMNS`); by default it calls the pipes' functions directly on the
text (``engine="text"``, no spaCy Doc: about 1.5x faster, same tables as
``engine="spacy"``). ``radlink extract`` is its command line and
:func:`radlink.nlp.omop.to_note_nlp` exports findings to OMOP ``NOTE_NLP``.

Examples
--------
>>> import pandas as pd
>>> from radlink.nlp import ReportExtractor
>>> reports = pd.DataFrame({"report_id": ["R1"], "text": [
...     "Résultats : ganglion hilaire droit (SUVmax 7,7) de 14 mm. Pas d'adénopathie médiastinale."]})
>>> ReportExtractor().extract(reports).findings[["site", "suvmax", "size_mm", "negated"]].values.tolist()
[['ln_hilar', 7.7, 14.0, False], ['ln_mediastinal', nan, nan, True]]
"""

from .extractor import (
    FACTS_COLUMNS,
    FACTS_SCHEMA,
    FINDINGS_COLUMNS,
    FINDINGS_SCHEMA,
    Extraction,
    ReportExtractor,
)
from .pipeline import PIPES, pipeline

__all__ = [
    "FACTS_COLUMNS",
    "FACTS_SCHEMA",
    "FINDINGS_COLUMNS",
    "FINDINGS_SCHEMA",
    "Extraction",
    "PIPES",
    "ReportExtractor",
    "pipeline",
]
