"""The README written beside an OMOP export: what each file holds and every concept id used."""

from __future__ import annotations

from radlink.export.omop import OmopExport
from radlink.export.schema import omop_schema

__all__ = ["omop_readme"]


def omop_readme(export: OmopExport, version: str) -> str:
    """A short Markdown README for an OMOP export folder.

    Examples
    --------
    >>> import pandas as pd
    >>> export = OmopExport(tables={"note_nlp": pd.DataFrame({"note_nlp_id": [1]})},
    ...                     ids=pd.DataFrame(), concepts_used=[("note.encoding_utf8", 32678, "UTF-8", "spec")])
    >>> text = omop_readme(export, "0.1.0")
    >>> "| `note.encoding_utf8` | 32678 | UTF-8 | spec |" in text
    True
    """
    source = omop_schema()["_source"]
    lines = [
        "# OMOP CDM 5.4 export (radlink)",
        "",
        f"Written by radlink {version}: OMOP CDM v5.4 tables and the imaging extension's",
        "(MI-CDM) `image_occurrence` and `image_feature`, one CSV per table (UTF-8, comma,",
        "header, empty = NULL, dates `YYYY-MM-DD`, datetimes `YYYY-MM-DD HH:MM:SS`), every",
        "column of each table in the specification's order. Specifications:",
        f"- {source['cdm']}",
        f"- {source['mi_cdm']}",
        "",
        "| file | rows |",
        "|---|---|",
        *[f"| `{name}.csv` | {len(df):,} |" for name, df in export.tables.items()],
        "| `radlink_ids.csv` | the radlink id behind each OMOP id (person: the IPP or its pseudonym) |",
        "",
        "Exams are written at study level (`image_series_uid` repeats the study UID). SUVmax",
        "values and lesion sizes read in the reports are `measurement` rows, tied to their",
        "exam by `image_feature` (`image_feature_event_id` = `measurement_id`;",
        "`image_finding_id` groups the features of one finding). Each finding is a `note_nlp`",
        "row (`term_exists` N when negated; its attributes in `term_modifiers`).",
        "",
        "## Concept ids written",
        "",
        "0 is the CDM's \"no matching concept\": radlink writes 0 where it could not check the",
        "standard concept against a published source. Map them with `--concepts FILE.toml`",
        "(same sections and keys as `radlink/export/omop_concepts.toml`).",
        "",
        "| key | concept_id | concept | source |",
        "|---|---|---|---|",
        *[f"| `{key}` | {cid} | {name} | {src} |" for key, cid, name, src in export.concepts_used],
    ]
    if export.notes:
        lines += ["", "## Left out", "", *[f"- {note}" for note in export.notes]]
    return "\n".join(lines) + "\n"
