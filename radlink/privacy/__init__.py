"""Privacy: keyed pseudonyms and per-patient date shifts, opposition lists, identifiers in evidence.

- :mod:`~radlink.privacy.pseudonymise`: :class:`Pseudonymiser` (HMAC pseudonyms, date
  shift), :func:`read_key`, :func:`scrub_text`;
- :mod:`~radlink.privacy.opposition`: :func:`read_opposition` and :func:`opposed_mask`;
- :mod:`~radlink.privacy.evidence`: ids and names inside link evidence JSON;
- :mod:`~radlink.privacy.deidentify`: :func:`deidentify`, the one de-identifier of free
  text (the patient's own names, people after a title, ids, NIR, phones, e-mails, URLs,
  addresses; dates shifted by the patient's offset).

This room imports only the core (:mod:`radlink.errors`, :mod:`radlink.tables`,
:mod:`radlink.vocabulary`): the timeline job, DICOM pseudonymisation and users' own
scripts all use it.
"""

from radlink.privacy.deidentify import (
    Deidentifier,
    PatientIdentity,
    deidentify,
    identities_from_tables,
)
from radlink.privacy.opposition import opposed_mask, read_opposition
from radlink.privacy.pseudonymise import KEY_ENV_VAR, Pseudonymiser, read_key, scrub_text

__all__ = [
    "Pseudonymiser", "read_key", "KEY_ENV_VAR", "scrub_text", "read_opposition", "opposed_mask",
    "deidentify", "Deidentifier", "PatientIdentity", "identities_from_tables",
]
