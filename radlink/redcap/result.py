"""What pre-filling returns: REDCap records and the provenance of each value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from radlink.redcap.dictionary import DataDictionary
from radlink.redcap.mapping import PrefillMapping

__all__ = ["PrefillResult"]


@dataclass
class PrefillResult:
    """Records ready for import, and where each value came from.

    Attributes
    ----------
    records : pandas.DataFrame
        REDCap flat import rows, every cell a string (``""`` when empty): the record id
        field first, then ``redcap_event_name`` (longitudinal), the repeat columns (when
        the mapping declares a repeating instrument), the fields (checkboxes as
        ``field___code``) and ``<form>_complete``.
    provenance : pandas.DataFrame
        One row per filled value (:data:`~radlink.redcap.export.PROVENANCE_COLUMNS`).
    dictionary : DataDictionary
    mapping : PrefillMapping
    summary : dict
        ``patients`` on the timeline, ``records``, ``rows``, ``instances`` per repeating
        instrument and ``filled`` values per field.
    pseudonymised : bool
        Record ids are pseudonyms (they may then be named in messages).
    """

    records: pd.DataFrame
    provenance: pd.DataFrame
    dictionary: DataDictionary
    mapping: PrefillMapping
    summary: dict[str, Any] = field(default_factory=dict)
    pseudonymised: bool = False
