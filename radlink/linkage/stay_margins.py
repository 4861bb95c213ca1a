"""How far outside a stay's interval an exam may lie and still belong to it, learned per stay type.

Containment is the rule; the margins around it answer two different habits:

* **admissions** (a hospitalisation) are often opened *after* the emergency work-up:
  the scanner done in the ER 1 to 8 hours before the ward admits the patient belongs to
  the admission. Such stays keep ``LinkageSettings.stay_tolerance_before_hours``.
* **visits** (consultation, day care, emergency passage, session) open when the patient
  is registered, before anything is ordered: an exam done before a visit starts is an
  outpatient exam of its own (the morning radiograph the afternoon consultation reads),
  not part of the visit. Only the clock skew between the PACS and the administrative
  system separates them: ``LinkageSettings.stay_skew_hours`` as a prior.

Exams that *carry* a stay id measure the margins of this warehouse: for each stay type
with at least ``LinkageSettings.stay_margin_min_exams`` such exams within the widest
margins, an exam before the start (or after the end) in at least 1 % of them sets the
margin to the largest lead (lag) seen, otherwise it is zero. A clock skew is bounded
(:data:`SKEW_LIMIT_HOURS`, a console on UTC in summer): when most of a side's outside
exams lie farther than that (within a day), they are not a skew but exams booked under
the stay after (or before) it, such as repeat films of a visit: the carried id does
not say the time lies in the stay, and that side's margin is zero. A visit type with too few
exams of its own takes the margin pooled over all visit types (a clock skew is the
site's, not a stay type's; a type's own evidence only widens the pooled margin). The
before-margin of an admission is never learned below its
setting: work-up exams are often done before the stay number exists, so they rarely
carry it. Stay types that are neither (null, unknown words) keep the settings.

The estimate is a small dict (recorded with the links' settings, reported by
``radlink link``), fitted once on the whole tables (``fit_stay_margins``) by both engines.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from radlink.linkage.settings import LinkageSettings

__all__ = ["stay_kind", "stay_margin_observations", "fit_stay_margins", "stay_margins_of",
           "describe_stay_margins"]

_DAY = re.compile(r"\b(?:jour|day|hdj|htp|ambulatoire|ambulatory|seances?|sessions?|partiel(?:le)?)\b")
_VISIT = re.compile(r"\b(?:consult\w*|cs|cons|urgences?|urg|emergency|sau|er|externes?|ext|outpatient|visite?|"
                    r"soins? non programm\w*|acte externe|office)\b")
_ADMISSION = re.compile(r"\b(?:hospitali[sz]\w*|hospit|inpatient|hc|hds|complete|conventionnelle|uhcd|sejour)\b")
_MIN_SHARE = 0.01
"""A margin is learned when at least this share of a type's carried exams lie outside the interval."""
SKEW_LIMIT_HOURS = 2.0
"""The largest clock difference between PACS and administrative system taken as a skew
(local time against UTC in summer)."""
_BOOKING_DAY_HOURS = 24.0
"""Outside offsets up to this far are weighed by :func:`_skew_like` (farther: another stay's id)."""


def stay_kind(types) -> np.ndarray:
    """``"visit"``, ``"admission"`` or ``"unknown"`` for each stay type label.

    Day-care words win over hospitalisation words ("hospitalisation de jour" is a visit),
    which win over visit words (an ER visit that ends in an admission is an admission).

    Examples
    --------
    >>> stay_kind(["hospitalisation", "Hôpital de jour", "Consultation", "URGENCES", None, "HC", "SSR"]).tolist()
    ['admission', 'visit', 'visit', 'visit', 'unknown', 'admission', 'unknown']
    >>> stay_kind(["Emergency Room and Inpatient Visit", "Outpatient Visit", "URG", "CS", "HDJ"]).tolist()
    ['admission', 'visit', 'visit', 'visit', 'visit']
    """
    values = pd.Series(np.asarray(types, dtype=object), dtype=object)
    codes, uniques = pd.factorize(values)
    kinds = []
    for label in uniques:
        text = (pd.Series([str(label)]).str.normalize("NFKD").str.encode("ascii", "ignore")
                .str.decode("ascii").str.lower().str.replace(r"[^a-z]+", " ", regex=True).iloc[0])
        text = text.replace("_", " ")
        if _DAY.search(text):
            kinds.append("visit")
        elif _ADMISSION.search(text):  # "Emergency Room and Inpatient Visit" admits the patient
            kinds.append("admission")
        elif _VISIT.search(text):
            kinds.append("visit")
        else:
            kinds.append("unknown")
    out = np.full(len(values), "unknown", dtype=object)
    known = codes >= 0
    out[known] = np.asarray(kinds, dtype=object)[codes[known]]
    return out


def stay_margin_observations(exams: pd.DataFrame, stays: pd.DataFrame) -> pd.DataFrame:
    """One row per exam carrying the id of a known stay: ``stay_type``, ``when``, ``start``, ``end``.

    Examples
    --------
    >>> import pandas as pd
    >>> stays = pd.DataFrame({"stay_id": ["S1"], "stay_type": ["consultation"],
    ...     "start_datetime": pd.to_datetime(["2021-03-01 10:00"]), "end_datetime": pd.to_datetime(["2021-03-01 10:30"])})
    >>> exams = pd.DataFrame({"stay_id": ["S1", None, "S9"], "study_datetime": pd.to_datetime(["2021-03-01 10:10"] * 3)})
    >>> stay_margin_observations(exams, stays)[["stay_type", "when"]].astype(str).values.tolist()
    [['consultation', '2021-03-01 10:10:00']]
    """
    known = stays.drop_duplicates("stay_id").set_index("stay_id")
    ids = exams["stay_id"].to_numpy(dtype=object)
    rows = np.flatnonzero(pd.notna(ids))
    at = pd.Index(known.index.to_numpy(dtype=object), dtype=object).get_indexer(pd.Index(ids[rows], dtype=object))
    rows, at = rows[at >= 0], at[at >= 0]
    kind = known["stay_type"] if "stay_type" in known else pd.Series(None, index=known.index, dtype=object)
    return pd.DataFrame({
        "stay_type": kind.to_numpy(dtype=object)[at],
        "when": pd.to_datetime(exams["study_datetime"]).to_numpy(dtype="datetime64[ns]")[rows],
        "start": pd.to_datetime(known["start_datetime"]).to_numpy(dtype="datetime64[ns]")[at],
        "end": pd.to_datetime(known["end_datetime"]).to_numpy(dtype="datetime64[ns]")[at],
    })


def _margin(offsets_h: np.ndarray, n: int) -> float:
    """Largest offset (hours, rounded up to the minute) when enough lie outside, else 0."""
    outside = offsets_h[offsets_h > 0]
    if len(outside) < max(1, _MIN_SHARE * n):
        return 0.0
    return float(np.ceil(np.round(outside.max() * 3600.0) / 60.0) / 60.0)


def _skew_like(offsets_h: np.ndarray) -> bool:
    """Whether the positive offsets (hours outside the interval) look like a clock skew:
    no more than half of those within :data:`_BOOKING_DAY_HOURS` lie beyond :data:`SKEW_LIMIT_HOURS`.

    Examples
    --------
    >>> import numpy as np
    >>> _skew_like(np.array([0.0, 0.5, 1.2, 1.9])), _skew_like(np.array([0.0, 1.5, 3.0, 6.5, 9.0]))
    (True, False)
    """
    outside = offsets_h[(offsets_h > 0) & (offsets_h <= _BOOKING_DAY_HOURS)]
    return bool(2 * int((outside > SKEW_LIMIT_HOURS).sum()) <= len(outside))


def fit_stay_margins(observations: pd.DataFrame, settings: LinkageSettings | None = None) -> dict:
    """The margins per stay type, from :func:`stay_margin_observations` (any row order).

    Returns ``{"source", "exams", "before_hours": {type: h}, "after_hours": {type: h},
    "visit_before_hours", "visit_after_hours"}``; types absent take the priors
    (:func:`stay_margins_of`).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.to_datetime(["2021-03-01 08:00"] * 30 + ["2021-03-01 13:00"] * 30)
    >>> obs = pd.DataFrame({"stay_type": ["consultation"] * 30 + ["hospitalisation"] * 30, "when": t,
    ...     "start": pd.Timestamp("2021-03-01 10:00"), "end": pd.Timestamp("2021-03-01 18:00")})
    >>> m = fit_stay_margins(obs)
    >>> m["before_hours"], m["after_hours"]
    ({'consultation': 2.0, 'hospitalisation': 8.0}, {'consultation': 0.0, 'hospitalisation': 0.0})
    """
    settings = settings or LinkageSettings()
    ceil_before, ceil_after = settings.stay_tolerance_before_hours, settings.stay_tolerance_after_hours
    when = observations["when"].to_numpy(dtype="datetime64[ns]")
    start = observations["start"].to_numpy(dtype="datetime64[ns]")
    end = observations["end"].to_numpy(dtype="datetime64[ns]")
    ok = ~np.isnat(when) & ~np.isnat(start) & ~np.isnat(end)
    lead = (start - when).astype("timedelta64[us]").astype(np.float64) / 3.6e9
    lag = (when - end).astype("timedelta64[us]").astype(np.float64) / 3.6e9
    dated = ok.copy()
    ok &= (lead <= ceil_before) & (lag <= ceil_after)  # farther: another stay's id, not a margin
    types = observations["stay_type"].to_numpy(dtype=object)
    kinds = stay_kind(types)
    codes, labels = pd.factorize(pd.Series(types, dtype=object))

    def margin(offsets_h: np.ndarray, group: np.ndarray, n: int) -> float:
        """The side's margin; zero when the group's outside exams are bookings, not a skew."""
        return _margin(offsets_h[ok & group], n) if _skew_like(offsets_h[dated & group]) else 0.0

    before: dict[str, float] = {}
    after: dict[str, float] = {}
    for code, label in enumerate(labels):
        group = codes == code
        n = int((ok & group).sum())
        if n < settings.stay_margin_min_exams:
            continue
        kind = stay_kind([label])[0]
        before[str(label)] = ceil_before if kind != "visit" else margin(lead, group, n)
        after[str(label)] = margin(lag, group, n)
    visit = kinds == "visit"
    n_visits = int((ok & visit).sum())
    pooled = n_visits >= settings.stay_margin_min_exams
    return {
        "source": "carried stay ids",
        "exams": int(ok.sum()),
        "before_hours": dict(sorted(before.items())),
        "after_hours": dict(sorted(after.items())),
        "visit_before_hours": margin(lead, visit, n_visits) if pooled else None,
        "visit_after_hours": margin(lag, visit, n_visits) if pooled else None,
    }


def stay_margins_of(types, margins: dict | None, settings: LinkageSettings | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Before- and after-margins (hours) of stays of these types, learned or prior.

    Examples
    --------
    >>> before, after = stay_margins_of(["hospitalisation", "consultation", None], None)
    >>> before.tolist(), after.tolist()
    ([8.0, 1.0, 8.0], [2.0, 2.0, 2.0])
    >>> m = {"before_hours": {}, "after_hours": {}, "visit_before_hours": 0.0, "visit_after_hours": 0.0}
    >>> [x.tolist() for x in stay_margins_of(["hospitalisation", "consultation"], m)]
    [[8.0, 0.0], [2.0, 0.0]]
    """
    settings = settings or LinkageSettings()
    values = pd.Series(np.asarray(types, dtype=object), dtype=object)
    codes, labels = pd.factorize(values)
    kinds = stay_kind(labels.to_numpy(dtype=object))
    margins = margins or {}
    learned_b, learned_a = margins.get("before_hours", {}), margins.get("after_hours", {})
    visit_b, visit_a = margins.get("visit_before_hours"), margins.get("visit_after_hours")
    b_lab = np.empty(len(labels) + 1)
    a_lab = np.empty(len(labels) + 1)
    for i, (label, kind) in enumerate(zip(labels, kinds, strict=True)):
        visit = kind == "visit"
        b = settings.stay_skew_hours if visit else settings.stay_tolerance_before_hours
        a = settings.stay_tolerance_after_hours
        if visit and visit_b is not None:  # the site's clock skew: a type's own evidence only widens it
            b, a = visit_b, visit_a
            b_lab[i] = max(learned_b.get(str(label), b), b)
            a_lab[i] = max(learned_a.get(str(label), a), a)
        else:
            b_lab[i] = learned_b.get(str(label), b)
            a_lab[i] = learned_a.get(str(label), a)
    b_lab[-1], a_lab[-1] = settings.stay_tolerance_before_hours, settings.stay_tolerance_after_hours
    return b_lab[codes], a_lab[codes]


def describe_stay_margins(margins: dict | None) -> str:
    """One line for ``radlink link``'s summary.

    Examples
    --------
    >>> describe_stay_margins({"source": "carried stay ids", "exams": 40, "before_hours": {"consultation": 0.0},
    ...     "after_hours": {"consultation": 0.0}, "visit_before_hours": 0.0, "visit_after_hours": 0.0})
    'stay margins (carried stay ids, 40 exams): consultation 0.0 h before, 0.0 h after; all visits 0.0 h before, 0.0 h after'
    """
    if not margins:
        return "stay margins: the settings' (no exam carries a stay id)"
    parts = [f"{t} {margins['before_hours'][t]:.1f} h before, {margins['after_hours'][t]:.1f} h after"
             for t in margins["before_hours"]]
    if margins.get("visit_before_hours") is not None:
        parts.append(f"all visits {margins['visit_before_hours']:.1f} h before, "
                     f"{margins['visit_after_hours']:.1f} h after")
    return (f"stay margins ({margins['source']}, {margins['exams']} exams): "
            + ("; ".join(parts) if parts else "the settings'"))
