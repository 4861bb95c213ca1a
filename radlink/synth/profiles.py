"""Site profiles: the reporting habits of a warehouse (delays, titles, accession numbers, addenda).

Real warehouses differ in how their reports are written and signed: one reads CT
within hours and stamps the accession number on every report, another has long PET
validation queues (days to weeks, heavy-tailed), generic titles ("CR d'imagerie
médicale") and addenda weeks later. A :class:`SiteProfile` describes those habits
as numbers; :data:`PROFILES` holds the named ones (``radlink synth --profile NAME``).

``default`` is the generator as it has always been (its output is byte-identical to
before profiles existed: its code path draws exactly the same random numbers).

Tuning hygiene: the linkage was tuned on ``fast_ct`` and ``pet_queue`` (seed 1) and
on ``default``; ``emergency_export`` on seed 5; ``generic_titles`` and other seeds are held out of tuning
(see ``tests/linkage/test_profiles.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SiteProfile", "PROFILES", "get_profile", "GENERIC_TITLES", "ADDENDUM_WORDS", "EXAM_WORDS",
           "ANONYMOUS_NAMES", "IMPORT_STAMP_QUANTILE"]


@dataclass(frozen=True)
class SiteProfile:
    """Reporting habits of one warehouse.

    Parameters
    ----------
    name : str
    description : str
    fast_delay_hours : tuple of float or None
        ``(median, sigma, minimum, maximum)`` of the log-normal delay (hours) between a
        CT / ultrasound / radiography / mammography exam and its report; ``None``: the
        legacy uniform draw (30 min to 8 h).
    slow_delay_hours : tuple of float or None
        The same for PET, MRI and scintigraphy (legacy: 1 to 3 days).
    accession_share : float
        Share of reports that carry their exam's accession number.
    generic_title_share : float
        Share of reports whose title says nothing of the exam (:data:`GENERIC_TITLES`).
    exam_date_in_text_share : float
        Share of reports whose text opens with the exam's date ("Examen du 03/03/2021").
    addendum_share : float
        Share of exam reports followed, days to weeks later, by an addendum or a
        corrected report about the same exam.
    addendum_marked_share : float
        Share of addenda whose title or text says so ("Addendum", "Complément",
        "Rectificatif"); the others are simply a second report.
    anonymous_temporary_share : float
        Share of temporary-IPP exams registered under a placeholder identity
        (:data:`ANONYMOUS_NAMES`; birth date null or 1900-01-01), as at an emergency
        desk before the patient is known.
    nameless_exam_share : float
        Share of exams whose header keeps the IPP only (no name, no birth date), as in
        an OMOP-style export.
    import_stamp_share : float
        Share of the reports signed before a RIS migration (the day at
        :data:`IMPORT_STAMP_QUANTILE` of the reports' dates) that the migration stamped with
        its own day and hour instead of their signing time.

    Examples
    --------
    >>> get_profile("pet_queue").accession_share
    0.15
    >>> get_profile("default").is_default
    True
    """

    name: str
    description: str
    fast_delay_hours: tuple[float, float, float, float] | None = None
    slow_delay_hours: tuple[float, float, float, float] | None = None
    accession_share: float = 0.40
    generic_title_share: float = 0.0
    exam_date_in_text_share: float = 0.0
    addendum_share: float = 0.0
    addendum_marked_share: float = 0.7
    anonymous_temporary_share: float = 0.0
    nameless_exam_share: float = 0.0
    import_stamp_share: float = 0.0

    @property
    def is_default(self) -> bool:
        """Whether this is the legacy generator (no extra random draw anywhere)."""
        return self.name == "default"


PROFILES: dict[str, SiteProfile] = {p.name: p for p in (
    SiteProfile("default", "our own warehouse as generated since the beginning (hours for CT, 1-3 days for PET)"),
    SiteProfile(
        "fast_ct", "fast CT reading, accession on 90 % of reports, descriptive titles, few addenda",
        fast_delay_hours=(3.0, 0.8, 0.3, 72.0), slow_delay_hours=(30.0, 0.6, 4.0, 240.0),
        accession_share=0.90, generic_title_share=0.10, exam_date_in_text_share=0.20,
        addendum_share=0.03),
    SiteProfile(
        "pet_queue", "long PET validation queues (heavy-tailed, up to weeks), generic titles, "
        "accession on 15 %, addenda weeks later, exam dates in the text",
        fast_delay_hours=(20.0, 0.9, 0.5, 400.0), slow_delay_hours=(120.0, 0.8, 12.0, 1000.0),
        accession_share=0.15, generic_title_share=0.50, exam_date_in_text_share=0.60,
        addendum_share=0.10),
    SiteProfile(
        "generic_titles", "no accession numbers, generic titles almost everywhere, reports 1-21 days "
        "after the exam, some exam dates in the text (held out of tuning)",
        fast_delay_hours=(40.0, 1.0, 1.0, 500.0), slow_delay_hours=(170.0, 0.6, 24.0, 1400.0),
        accession_share=0.0, generic_title_share=0.90, exam_date_in_text_share=0.40,
        addendum_share=0.06, addendum_marked_share=0.5),
    SiteProfile(
        "emergency_export", "a busy emergency department exported OMOP-style: 40 % of temporary-IPP "
        "exams registered anonymous (birth date null or 1900-01-01), 30 % of exam headers with the IPP "
        "only, accession on 60 % of reports",
        fast_delay_hours=(6.0, 0.9, 0.3, 120.0), slow_delay_hours=(48.0, 0.7, 4.0, 400.0),
        accession_share=0.60, generic_title_share=0.30, exam_date_in_text_share=0.20,
        addendum_share=0.03, anonymous_temporary_share=0.40, nameless_exam_share=0.30),
    SiteProfile(
        "ris_migration", "a RIS migrated mid-way: 60 % of the reports signed before it carry the "
        "migration's day as their date, accession on 30 % of reports, exam dates in 40 % of texts",
        fast_delay_hours=(8.0, 0.9, 0.5, 240.0), slow_delay_hours=(60.0, 0.7, 6.0, 600.0),
        accession_share=0.30, generic_title_share=0.40, exam_date_in_text_share=0.40,
        addendum_share=0.03, import_stamp_share=0.60),
)}
"""The named profiles; ``default`` is the legacy generator."""

IMPORT_STAMP_QUANTILE = 0.6
"""Where a profile's RIS migration falls among its reports' dates (:attr:`SiteProfile.import_stamp_share`)."""

# Titles that say nothing of the exam (RIS default headings).
GENERIC_TITLES: tuple[str, ...] = (
    "CR d'imagerie médicale", "Compte rendu d'imagerie", "Compte rendu", "CR radiologie",
    "Document d'imagerie",
)  # fmt: skip

# Placeholder identities of an emergency registration (family^given), by sex ("" for either).
ANONYMOUS_NAMES: dict[str, tuple[str, ...]] = {
    "M": ("INCONNU^HOMME", "PATIENT^URGENCE"), "F": ("INCONNUE^FEMME", "PATIENTE^URGENCE"),
    "": ("X^X", "ANONYME^URGENCE", "SAMU^BRAVO"),
}  # fmt: skip

# How an addendum announces itself in its title.
ADDENDUM_WORDS: tuple[str, ...] = ("Addendum", "Complément", "Rectificatif", "Compte rendu complémentaire")

# How a report names its exam type when it writes the exam date, per report kind prefix.
EXAM_WORDS: dict[str, tuple[str, ...]] = {
    "pet": ("TEP", "TEP-TDM", "TEP-scanner"), "ct": ("TDM", "Scanner"), "mr": ("IRM",),
    "mg": ("Mammographie",), "us": ("Échographie",), "xr": ("Radiographie",), "nm": ("Scintigraphie",),
}  # fmt: skip


def get_profile(name: str | SiteProfile | None) -> SiteProfile:
    """The profile named ``name`` (``None``: ``default``); raises ``KeyError`` naming the known ones."""
    if isinstance(name, SiteProfile):
        return name
    if name is None:
        return PROFILES["default"]
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown site profile {name!r}; known: {sorted(PROFILES)}") from None
