"""Privacy: keyed pseudonyms and per-patient date shifts, opposition lists, identifiers in evidence.

- :mod:`~radlink.privacy.pseudonymise`: :class:`Pseudonymiser` (HMAC pseudonyms, date
  shift), :func:`read_key`, :func:`scrub_text`;
- :mod:`~radlink.privacy.opposition`: :func:`read_opposition` and :func:`opposed_mask`;
- :mod:`~radlink.privacy.evidence`: ids and names inside link evidence JSON.

This room imports only the core (:mod:`radlink.errors`, :mod:`radlink.tables`,
:mod:`radlink.vocabulary`): the timeline job, DICOM pseudonymisation and users' own
scripts all use it.
"""

from radlink.privacy.opposition import opposed_mask, read_opposition
from radlink.privacy.pseudonymise import KEY_ENV_VAR, Pseudonymiser, read_key, scrub_text

__all__ = ["Pseudonymiser", "read_key", "KEY_ENV_VAR", "scrub_text", "read_opposition", "opposed_mask"]
