"""REDCap pre-filling: from a timeline output to a validated REDCap import.

``prefill(outdir, dictionary, mapping)`` reads a ``radlink timeline`` OUTDIR, applies a
mapping (TOML/YAML: which exam, finding or stay fills which REDCap field) and returns
records in REDCap's flat import format plus one provenance row per filled value,
validated against the project's data dictionary. ``write_import`` writes the import
CSV and its provenance file; ``upload`` sends the import through the REDCap API
(PyCap, extra ``redcap``), and only checks the project unless ``dry_run=False``.

Modules: :mod:`.dictionary` (data dictionary), :mod:`.mapping` (rules),
:mod:`.sources` (rows read from OUTDIR), :mod:`.prefill` (records),
:mod:`.validate` (checks), :mod:`.export` (files), :mod:`.upload` (API), :mod:`.cli`.

Examples
--------
>>> from radlink.redcap import prefill, write_import
>>> res = prefill("out/timeline", "data_samples/redcap/lung_pet_dictionary.csv",
...               "data_samples/redcap/lung_pet_map.toml")  # doctest: +SKIP
>>> write_import(res, "import.csv")  # doctest: +SKIP
"""

from radlink.redcap.dictionary import DataDictionary, RedcapField, read_dictionary
from radlink.redcap.export import PROVENANCE_COLUMNS, write_import
from radlink.redcap.mapping import PrefillMapping, read_mapping
from radlink.redcap.prefill import PrefillResult, prefill
from radlink.redcap.sources import sources_from_tables
from radlink.redcap.upload import TOKEN_ENV, UploadReport, upload
from radlink.redcap.validate import find_problems, validate_import

__all__ = [
    "prefill",
    "write_import",
    "upload",
    "PrefillResult",
    "UploadReport",
    "TOKEN_ENV",
    "DataDictionary",
    "RedcapField",
    "read_dictionary",
    "PrefillMapping",
    "read_mapping",
    "sources_from_tables",
    "find_problems",
    "validate_import",
    "PROVENANCE_COLUMNS",
]
