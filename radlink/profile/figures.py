"""The figures a data manager checks before trusting a warehouse, per year and per site.

Counts and rates only: no identifier, no text. Exams are grouped by the year of their
study date and their site (the DICOM institution or the unit; ``"unknown"`` when empty);
reports by the year of their signature and the site of the exam they were linked to
(``"no exam"`` when none); stays by year of admission and unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from radlink.linkage import reattached

__all__ = ["WarehouseProfile", "warehouse_profile"]

UNKNOWN_SITE = "unknown"
ALL = "all"
NO_EXAM = "no exam"


@dataclass
class WarehouseProfile:
    """The profile's tables (one row per year and site) and its overall counts.

    Every table has a row per (year, site), and ``"all"`` rows: per year over the
    sites, per site over the years, and overall.

    Attributes
    ----------
    exams : pandas.DataFrame
        year, site, exams, with_ipp, ipp_matches (a patient of the patients table carries
        that IPP), reattached (linkage chose another patient than the IPP carried),
        unattached (no patient found), stay_carried, stay_found, with_report, without_report.
    reports : pandas.DataFrame
        year, site, reports, with_accession, linked_to_exam, ambiguous, without_exam,
        stay_found, delay_median_h, delay_p90_h (signature minus exam, linked pairs).
    stays : pandas.DataFrame
        year, unit, stays, with_exam (an exam was linked to the stay).
    totals : dict
        The same counts over the whole warehouse.
    """

    exams: pd.DataFrame
    reports: pd.DataFrame
    stays: pd.DataFrame
    totals: dict[str, int]


def _status_of(links: pd.DataFrame, source_type: str, target_type: str) -> pd.DataFrame:
    sel = links[(links["source_type"] == source_type) & (links["target_type"] == target_type)]
    return sel.drop_duplicates("source_id").set_index("source_id")


def _year(values: pd.Series) -> np.ndarray:
    years = values.dt.year
    return np.where(years.isna(), "no date", years.astype("Int64").astype(str)).astype(object)


def _rollup(df: pd.DataFrame, keys: list[str], agg) -> pd.DataFrame:
    """``agg`` per (year, site), plus ``"all"`` rows: per year over sites, per site over years, overall.

    Rows are ordered by year then site, each year's ``"all"`` row first.
    """
    parts = []
    for by in (keys, keys[:1], keys[1:], []):
        if by:
            grouped = agg(df.groupby(by, dropna=False)).reset_index()
        else:
            grouped = agg(df.assign(_one=0).groupby("_one")).reset_index(drop=True)
        for k in keys:
            if k not in by:
                grouped[k] = ALL
        parts.append(grouped)
    out = pd.concat(parts, ignore_index=True)
    # "all" sorts first on each key; the overall row comes first of all
    sort_key = [tuple((v != ALL, str(v)) for v in row) for row in out[keys].itertuples(index=False)]
    out = out.iloc[sorted(range(len(out)), key=sort_key.__getitem__)]
    cols = keys + [c for c in out.columns if c not in keys]
    return out[cols].reset_index(drop=True)


def _site(exams: pd.DataFrame, by: str) -> pd.Series:
    if by not in exams:
        return pd.Series(UNKNOWN_SITE, index=exams.index, dtype=object)
    return exams[by].astype(object).where(exams[by].notna(), UNKNOWN_SITE)


def warehouse_profile(
    patients: pd.DataFrame,
    exams: pd.DataFrame,
    stays: pd.DataFrame,
    reports: pd.DataFrame,
    links: pd.DataFrame,
    *,
    by: str = "institution",
) -> WarehouseProfile:
    """Count, per year and site, what was attached, re-attached, reported and found.

    Parameters
    ----------
    patients, exams, stays, reports : pandas.DataFrame
        The canonical tables (see :func:`radlink.load_dataset`).
    links : pandas.DataFrame
        Their links (see :func:`radlink.link`).
    by : {"institution", "unit"}, default "institution"
        The exams' column that names a site.

    Returns
    -------
    WarehouseProfile

    Examples
    --------
    >>> import radlink
    >>> ds = radlink.load_dataset("data_samples")
    >>> links = radlink.link(ds.patients, ds.exams, ds.stays, ds.reports)
    >>> prof = warehouse_profile(ds.patients, ds.exams, ds.stays, ds.reports, links)
    >>> overall = prof.exams[(prof.exams["year"] == "all") & (prof.exams["site"] == "all")]
    >>> int(overall["exams"].iloc[0]) == len(ds.exams)
    True
    >>> prof.totals["reattached"] == int(radlink.linkage.reattached(links).sum())
    True
    """
    if by not in ("institution", "unit"):
        raise ValueError(f"by must be 'institution' or 'unit', not {by!r}")
    ex_patient = _status_of(links, "exam", "patient")
    ex_stay = _status_of(links, "exam", "stay")
    rep_exam = _status_of(links, "report", "exam")
    rep_stay = _status_of(links, "report", "stay")
    reattached_ids = set(links.loc[reattached(links), "source_id"])

    ex_ids = exams["exam_id"].astype(object)
    status = ex_patient["status"].reindex(ex_ids).to_numpy(dtype=object)
    reported = set(rep_exam.loc[rep_exam["status"] == "linked", "target_id"])
    e = pd.DataFrame({
        "year": _year(exams["study_datetime"]),
        "site": _site(exams, by).to_numpy(dtype=object),
        "exams": 1,
        "with_ipp": exams["patient_id"].notna().to_numpy(),
        "ipp_matches": exams["patient_id"].isin(set(patients["patient_id"])).to_numpy(),
        "reattached": ex_ids.isin(reattached_ids).to_numpy(),
        "unattached": status != "linked",
        "stay_carried": exams["stay_id"].notna().to_numpy(),
        "stay_found": ex_stay["status"].reindex(ex_ids).to_numpy(dtype=object) == "linked",
        "with_report": ex_ids.isin(reported).to_numpy(),
    })
    e["without_report"] = ~e["with_report"]
    exam_tab = _rollup(e, ["year", "site"], lambda g: g.sum(numeric_only=True))

    rep_ids = reports["report_id"].astype(object)
    r_status = rep_exam["status"].reindex(rep_ids).to_numpy(dtype=object)
    r_target = rep_exam["target_id"].reindex(rep_ids).to_numpy(dtype=object)
    r_target = np.where(r_status == "linked", r_target, None)
    exam_site = pd.Series(_site(exams, by).to_numpy(dtype=object), index=ex_ids.to_numpy())
    exam_site = exam_site[~exam_site.index.duplicated()]
    exam_time = pd.Series(exams["study_datetime"].to_numpy(), index=ex_ids.to_numpy())
    exam_time = exam_time[~exam_time.index.duplicated()]
    site = exam_site.reindex(r_target).to_numpy(dtype=object)
    delay_h = (reports["report_datetime"].to_numpy() - exam_time.reindex(r_target).to_numpy()) / np.timedelta64(1, "h")
    r = pd.DataFrame({
        "year": _year(reports["report_datetime"]),
        "site": np.where(pd.isna(site), NO_EXAM, site),
        "reports": 1,
        "with_accession": reports["accession_number"].notna().to_numpy(),
        "linked_to_exam": r_status == "linked",
        "ambiguous": r_status == "ambiguous",
        "stay_found": rep_stay["status"].reindex(rep_ids).to_numpy(dtype=object) == "linked",
        "delay_h": delay_h,
    })
    r["without_exam"] = ~r["linked_to_exam"]
    def report_agg(g):
        out = g.sum(numeric_only=True).drop(columns="delay_h")
        out["delay_median_h"] = g["delay_h"].median().round(1)
        out["delay_p90_h"] = g["delay_h"].quantile(0.9).round(1)
        return out

    report_tab = _rollup(r, ["year", "site"], report_agg)

    stay_ids = set(ex_stay.loc[ex_stay["status"] == "linked", "target_id"])
    s = pd.DataFrame({
        "year": _year(stays["start_datetime"]),
        "unit": stays["unit"].astype(object).fillna(UNKNOWN_SITE).to_numpy(dtype=object),
        "stays": 1,
        "with_exam": stays["stay_id"].isin(stay_ids).to_numpy(),
    })
    stay_tab = _rollup(s, ["year", "unit"], lambda g: g.sum(numeric_only=True))

    totals = {
        "patients": len(patients), "exams": len(exams), "reports": len(reports), "stays": len(stays),
        "exams_ipp_matches": int(e["ipp_matches"].sum()), "reattached": int(e["reattached"].sum()),
        "exams_unattached": int(e["unattached"].sum()), "exams_without_report": int(e["without_report"].sum()),
        "reports_without_exam": int(r["without_exam"].sum()), "exams_stay_found": int(e["stay_found"].sum()),
        "reports_stay_found": int(r["stay_found"].sum()),
    }
    return WarehouseProfile(exams=exam_tab, reports=report_tab, stays=stay_tab, totals=totals)
