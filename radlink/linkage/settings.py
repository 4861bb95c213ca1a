"""Linkage settings: windows, tolerances and thresholds, as a plain serialisable dataclass.

Like splink's ``SettingsCreator``, :class:`LinkageSettings` only *describes* a linkage:
it holds numbers, validates nothing expensive and does no work. It round-trips through
``to_dict`` / ``from_dict`` (and JSON), so a batch run can record the settings it used.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

__all__ = ["LinkageSettings"]


def _report_windows() -> dict[str, float]:
    # How long after an exam its report may be written, in hours, by DICOM modality
    # (0008,0060). CT, ultrasound, radiography and mammography are read within hours;
    # PET, MRI and nuclear medicine within days (dictation queues, weekends).
    # "default" covers the rest.
    return {
        "CT": 24.0, "CR": 24.0, "DX": 24.0, "US": 24.0, "MG": 24.0,
        "MR": 96.0, "PT": 96.0, "NM": 96.0, "default": 96.0,
    }  # fmt: skip


@dataclass
class LinkageSettings:
    """What a linkage run does, as numbers: thresholds, windows, tolerances.

    Parameters
    ----------
    exam_patient_threshold : float
        Match probability from which an exam→patient candidate is ``linked``.
    carried_ipp_confirm_probability : float
        Match probability of the IPP's own patient from which an exam is linked to it
        without searching the registry for a better candidate.
    ambiguity_margin : float
        Two best candidates whose match weights (log2 Bayes factors) differ by less
        than this are ``ambiguous`` (both above the threshold).
    report_windows_hours : dict
        Modality code -> how many hours after the exam its report may be dated.
    report_before_exam_hours : float
        A report may be dated slightly before its exam's study time (clock skew,
        a report opened before the images were sent).
    report_exam_threshold : float
        Score from which a report→exam pair is ``linked``.
    stay_tolerance_before_hours : float
        An exam may happen this long before a stay starts (emergency imaging
        shortly before admission) and still belong to it.
    stay_tolerance_after_hours : float
        ... or this long after it ends.
    refit_em : bool
        Re-estimate the Fellegi–Sunter m/u probabilities by EM on the data being
        linked (splink's way) instead of using the shipped ones.
    workers : int
        Threads for rapidfuzz's ``cdist``/``cpdist`` (``-1``: all cores).
    chunk_size : int
        Exams scored per block-local kernel call (bounds peak memory).

    Examples
    --------
    >>> s = LinkageSettings(exam_patient_threshold=0.9)
    >>> LinkageSettings.from_dict(s.to_dict()) == s
    True
    """

    exam_patient_threshold: float = 0.5
    carried_ipp_confirm_probability: float = 0.9999
    ambiguity_margin: float = 1.0
    report_windows_hours: dict[str, float] = field(default_factory=_report_windows)
    report_before_exam_hours: float = 2.0
    report_exam_threshold: float = 0.5
    stay_tolerance_before_hours: float = 8.0
    stay_tolerance_after_hours: float = 2.0
    refit_em: bool = False
    workers: int = -1
    chunk_size: int = 200_000

    def to_dict(self) -> dict:
        """The settings as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> LinkageSettings:
        """Settings from :meth:`to_dict` output; unknown keys raise ``TypeError``."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise TypeError(f"unknown linkage settings: {sorted(unknown)}")
        return cls(**data)

    def to_json(self) -> str:
        """The settings as JSON text."""
        return json.dumps(self.to_dict(), sort_keys=True)

    def report_window(self, modality: str | None) -> float:
        """Hours allowed between an exam of ``modality`` and its report (``"PT\\\\CT"``: the longest)."""
        if not modality:
            return self.report_windows_hours["default"]
        codes = [c.strip().upper() for c in str(modality).split("\\") if c.strip()]
        known = [self.report_windows_hours[c] for c in codes if c in self.report_windows_hours]
        return max(known) if known else self.report_windows_hours["default"]
