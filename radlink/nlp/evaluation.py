"""Score extracted report facts and findings against gold, field by field.

Gold sets
---------
:func:`load_gold` reads two layouts into a :class:`GoldSet`:

- the hand-written layout of ``data_samples/nlp_gold``: ``reports/<report_id>.txt``,
  ``reports.csv`` (report_id, title), ``report_facts.csv`` and ``findings.csv``;
- a synthetic dataset directory: ``reports.parquet`` (or ``reports.csv``) and the
  generator's truth in ``truth/report_facts.parquet`` and ``truth/findings.parquet``.

Both use the public columns of ``radlink.nlp`` (``report_facts``: report_id, modality,
tracer, indication, indication_category, dose_mbq, glycemia, glycemia_unit,
injection_delay_min, max_suvmax, n_lesions, conclusion; ``findings``: report_id,
finding_id, kind, site, laterality, size_mm, suvmax, previous_suvmax, negated,
hypothesis, section). The annotation guide is ``data_samples/nlp_gold/README.md``.

Matching rules
--------------
Only reports present in the gold facts are scored; predictions for other reports are
ignored, and a gold report without predictions counts every gold item as missed.

*Which findings are scored.* With ``scope="results"`` (the default), each report is
scored on one part of the text: its **results** part (every section but the conclusion:
results, étages, untitled text) when the gold has findings there, otherwise its
**conclusion** (a report with no results section). Gold and predicted findings of the
other part are left out, so a lesion restated in the conclusion counts once whether or
not it was annotated there (the hand gold does not annotate restatements, the synthetic
truth does), and an extractor must tell the two parts apart. ``scope="all"`` scores
every row.

*Finding fields* compare, **per report, multisets of keys**: for each key,
``tp = min(n_gold, n_pred)``; ``fp = n_pred - tp``; ``fn = n_gold - tp``; counts are summed
over reports. So a missed value lowers recall, an extra value lowers precision, a value
given twice is one tp and one fp, and a value given with the wrong role or site is one
fp and one fn.

- In findings, SUVmax values are compared **rounded to 0.1** (reports write one decimal)
  and sizes rounded to 1 mm.
- Sites are compared by vocabulary code after mapping to their **site group**
  (:data:`SITE_GROUPS`): the mediastinal stations ``ln_paratracheal``, ``ln_subcarinal``,
  ``ln_prevascular``, ``ln_aortopulmonary`` count as ``ln_mediastinal``; the lung lobes as
  ``lung``; ``spine``, ``rib``, ``pelvis_bone``, ``sternum``, ``femur``, ``humerus`` as
  ``bone``. Hilar nodes stay ``ln_hilar`` (N1, not N2). ``site_attachment_exact``
  compares the codes themselves. A finding without a site keys on ``"<none>"`` and so
  never matches a gold finding.
- A *lesion* value is the ``suvmax`` of a non-negated ``kind="lesion"`` row; a
  *reference* value the ``suvmax`` of a ``kind="reference"`` row; a *previous* value any
  non-null ``previous_suvmax`` of a non-negated row.

========================  =====================================================================
field                     key of the multiset (per report)
========================  =====================================================================
suvmax_lesion             lesion SUVmax value
suvmax_reference          reference SUVmax value
suvmax_previous           previous SUVmax value
suvmax                    (role, value) over the three roles: role-aware micro-average
suvmax_value              value, whatever its role (detection only)
site_attachment           (lesion SUVmax value, site group)
site_attachment_exact     (lesion SUVmax value, site code)
reference_site            (reference SUVmax value, reference site code)
lesion_findings           site group of each non-negated lesion finding
negated_findings          site group of each negated finding
hypothesis_findings       site group of each non-negated lesion flagged hypothesis
lesion_laterality         (site group, laterality) of non-negated lesions with a laterality
lesion_size               (site group, size in mm) of non-negated lesions with a size
========================  =====================================================================

*Report fields* compare one value per report. Where gold and prediction are both
given, equal is a tp and different is one fp and one fn; a gold value not predicted is a
fn; a prediction where gold has none is a fp; both empty counts nothing.

- ``modality``: DICOM code, upper case; ``DX`` counts as ``CR`` and any code containing
  ``PT`` (``PT\\CT``) as ``PT``. ``tracer``: code, upper case. ``indication_category``,
  ``glycemia_unit`` (case-insensitive).
- ``dose`` (dose_mbq), ``injection_delay`` (minutes), ``max_suvmax``: equal when they
  differ by at most 0.05, i.e. the same to 0.1 (a difference, not a rounding, so that
  187.24 and 187.26 MBq match across a rounding boundary); ``glycemia`` (g/L):
  at most 0.01 apart (a value converted from mmol/L or mg/dL and rounded to 0.01);
  ``n_lesions``: exact.
- ``indication_text`` and ``conclusion_text``: both texts are normalised (HTML tags
  removed, entities decoded, lower case, accents removed) and split into word tokens
  (``\\w+``); a prediction is a tp when the token-multiset F1 with gold is at least
  :data:`TEXT_MATCH_F1` (0.8), so that a trailing full stop or a missed last line does
  not count, but taking the whole report or the wrong paragraph does.

Precision, recall and F1 are ``nan`` when undefined (no prediction, no gold).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from radlink.errors import DatasetNotFoundError
from radlink.tables import ANNOTATED_FACT_COLUMNS, ANNOTATED_FINDING_COLUMNS
from radlink.vocabulary import SITE_PARENTS, site_group

__all__ = [
    "GoldSet",
    "load_gold",
    "evaluate_extraction",
    "evaluate_by_modality",
    "extraction_errors",
    "matched_findings",
    "FACT_COLUMNS",
    "FINDING_COLUMNS",
    "SITE_GROUPS",
    "FIELDS",
    "FINDING_FIELDS",
    "TEXT_MATCH_F1",
    "normalise_facts",
    "normalise_findings",
    "text_tokens",
    "token_f1",
]

FACT_COLUMNS = ANNOTATED_FACT_COLUMNS
"""Columns of a gold ``report_facts`` table (:data:`radlink.tables.ANNOTATED_FACT_COLUMNS`)."""

FINDING_COLUMNS = ANNOTATED_FINDING_COLUMNS
"""Columns of a gold ``findings`` table (:data:`radlink.tables.ANNOTATED_FINDING_COLUMNS`)."""

SITE_GROUPS: dict[str, str] = {code: site_group(code) for code in SITE_PARENTS}
"""Specific site code -> the site group it is compared as (other codes are their own group)."""

TEXT_MATCH_F1 = 0.8
"""Token F1 from which an indication or conclusion text counts as found."""

_NONE = "<none>"
_NUMERIC_FACTS = ("dose_mbq", "glycemia", "injection_delay_min", "max_suvmax", "n_lesions")
_NUMERIC_FINDINGS = ("size_mm", "suvmax", "previous_suvmax")
_TEXT_FACTS = ("modality", "tracer", "indication", "indication_category", "glycemia_unit",
               "conclusion")
_TEXT_FINDINGS = ("finding_id", "kind", "site", "laterality", "section")
_TRUE = {"true", "1", "yes", "vrai", "t", "y"}


@dataclass
class GoldSet:
    """One gold set: the reports to read and the facts and findings expected from them.

    Attributes
    ----------
    name : str
        A short name for printing (the directory name).
    reports : pandas.DataFrame
        report_id, title, text: the input of ``ReportExtractor().extract``.
    facts : pandas.DataFrame
        Expected ``report_facts`` (:data:`FACT_COLUMNS`), one row per report.
    findings : pandas.DataFrame
        Expected ``findings`` (:data:`FINDING_COLUMNS`).
    fields : tuple of str, optional
        The fields the gold annotates, when not all of :data:`FIELDS` (a BRAT or Label
        Studio file annotates findings, not report facts): only these are scored.
    unreviewed : int
        Reports whose pre-annotation stands because no one annotated them (Label Studio
        tasks without an annotation).
    """

    name: str
    reports: pd.DataFrame
    facts: pd.DataFrame
    findings: pd.DataFrame
    fields: tuple[str, ...] | None = None
    unreviewed: int = 0


# --------------------------------------------------------------------------- loading


def _read_table(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _first_existing(*paths: Path) -> Path | None:
    return next((p for p in paths if p.exists()), None)


def load_gold(directory: str | Path) -> GoldSet:
    """Read a gold set: the hand-written layout or a synthetic dataset with its truth.

    Parameters
    ----------
    directory : str or Path
        Either a BRAT folder (``.ann`` and ``.txt`` files) or a Label Studio JSON file
        (or a folder holding ``tasks.json``), as ``radlink export --format brat|labelstudio``
        writes them and annotators correct them (findings only: ``fields`` says so), or
        a directory holding ``report_facts.csv``, ``findings.csv``,
        ``reports.csv`` and ``reports/<report_id>.txt`` (``data_samples/nlp_gold``), or
        a dataset directory holding ``reports.parquet``/``reports.csv`` and
        ``truth/report_facts.parquet``, ``truth/findings.parquet`` (``data_samples``).

    Returns
    -------
    GoldSet
        Reports restricted to those in the gold facts, in the order of the facts;
        facts and findings with normalised types (numbers as floats, flags as bools,
        empty strings as ``None``).

    Raises
    ------
    DatasetNotFoundError
        When neither layout is found, or a report's text is missing.

    Examples
    --------
    >>> import radlink
    >>> gold = load_gold(Path(radlink.__file__).parents[1] / "data_samples" / "nlp_gold")
    >>> len(gold.reports) >= 35, sorted(gold.findings["kind"].unique())
    (True, ['lesion', 'reference'])
    """
    from radlink.nlp.annotation import annotation_source, load_annotations

    root = Path(directory)
    if annotation_source(root) is not None:
        reports, findings = load_annotations(root)
        return GoldSet(
            name=root.name or str(root), reports=reports.assign(title=None)[["report_id", "title", "text"]],
            facts=normalise_facts(reports[["report_id"]]), findings=normalise_findings(findings),
            fields=FINDING_FIELDS, unreviewed=int(findings.attrs.get("unreviewed", 0)))
    facts_path = _first_existing(root / "report_facts.parquet", root / "report_facts.csv")
    if facts_path is not None:
        findings_path = _first_existing(root / "findings.parquet", root / "findings.csv")
        titles_path = _first_existing(root / "reports.parquet", root / "reports.csv")
        reports = _read_table(titles_path) if titles_path else pd.DataFrame({"report_id": []})
        if "text" not in reports.columns:
            texts = []
            for rid in reports["report_id"].astype(str):
                txt = root / "reports" / f"{rid}.txt"
                if not txt.exists():
                    raise DatasetNotFoundError(
                        f"gold {str(root)!r}: report_id={rid!r} has no text file {str(txt)!r}"
                    )
                texts.append(txt.read_text(encoding="utf-8"))
            reports = reports.assign(text=texts)
    else:
        truth = root / "truth"
        facts_path = _first_existing(truth / "report_facts.parquet", truth / "report_facts.csv")
        findings_path = _first_existing(truth / "findings.parquet", truth / "findings.csv")
        reports_path = _first_existing(root / "reports.parquet", root / "reports.csv")
        if facts_path is None or reports_path is None:
            raise DatasetNotFoundError(
                f"{str(root)!r} is not a gold set: expected report_facts.csv and findings.csv "
                "(hand-written gold) or reports.parquet with truth/report_facts.parquet "
                "(synthetic dataset)"
            )
        reports = _read_table(reports_path)
    facts = normalise_facts(_read_table(facts_path))
    findings = normalise_findings(
        _read_table(findings_path) if findings_path else pd.DataFrame(columns=FINDING_COLUMNS)
    )
    reports = reports.assign(report_id=reports["report_id"].astype(str))
    if "title" not in reports.columns:
        reports = reports.assign(title=None)
    by_id = reports.drop_duplicates("report_id").set_index("report_id")
    missing = facts.loc[~facts["report_id"].isin(by_id.index), "report_id"]
    if len(missing):
        raise DatasetNotFoundError(
            f"gold {str(root)!r}: {len(missing)} report(s) of the facts have no text "
            f"(first: report_id={missing.iloc[0]!r})"
        )
    reports = by_id.loc[facts["report_id"], ["title", "text"]].reset_index()
    return GoldSet(name=root.name or str(root), reports=reports, facts=facts, findings=findings)


# ------------------------------------------------------------------ normalising tables


def _as_text(values: pd.Series) -> pd.Series:
    text = values.astype(object).where(values.notna(), None).map(
        lambda v: None if v is None or str(v).strip() == "" else str(v).strip())
    return text.astype(object).where(text.notna(), None)


def _as_float(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    text = _as_text(values).str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype(float)


def _as_bool(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        return values.astype(bool)
    return values.map(lambda v: str(v).strip().lower() in _TRUE if pd.notna(v) else False).astype(
        bool
    )


def normalise_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """``report_facts`` with every gold column, typed: text or ``None``, floats.

    Examples
    --------
    >>> f = normalise_facts(pd.DataFrame({"report_id": [1], "dose_mbq": ["187,2"]}))
    >>> float(f.loc[0, "dose_mbq"])
    187.2
    """
    out = pd.DataFrame(index=facts.index)
    for col in FACT_COLUMNS:
        values = facts[col] if col in facts.columns else pd.Series(None, index=facts.index)
        if col == "report_id":
            out[col] = values.astype(str)
        elif col in _NUMERIC_FACTS:
            out[col] = _as_float(values)
        else:
            out[col] = _as_text(values)
    return out.reset_index(drop=True)


def normalise_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """``findings`` with every gold column, typed: text or ``None``, floats, bools.

    Examples
    --------
    >>> f = normalise_findings(pd.DataFrame({"report_id": ["G1"], "suvmax": ["7,7"], "negated": ["true"]}))
    >>> float(f.loc[0, "suvmax"]), bool(f.loc[0, "negated"]), f.loc[0, "kind"]
    (7.7, True, 'lesion')
    """
    out = pd.DataFrame(index=findings.index)
    for col in FINDING_COLUMNS:
        values = findings[col] if col in findings.columns else pd.Series(None, index=findings.index)
        if col == "report_id":
            out[col] = values.astype(str)
        elif col in _NUMERIC_FINDINGS:
            out[col] = _as_float(values)
        elif col in ("negated", "hypothesis"):
            out[col] = _as_bool(values)
        else:
            out[col] = _as_text(values)
    out["kind"] = out["kind"].fillna("lesion").str.lower()
    return out.reset_index(drop=True)


# -------------------------------------------------------------------- key extraction


def _tenths(values: pd.Series) -> pd.Series:
    """Numbers as integer tenths (rounded half up), so that keys compare exactly."""
    return np.floor(values.astype(float) * 10 + 0.5 + 1e-9).astype("Int64")


def _site_group(sites: pd.Series) -> pd.Series:
    return sites.fillna(_NONE).map(lambda s: SITE_GROUPS.get(s, s))


def _lesions(f: pd.DataFrame) -> pd.DataFrame:
    return f[(f["kind"] == "lesion") & ~f["negated"]]


def _keys_suv_lesion(f: pd.DataFrame) -> pd.DataFrame:
    rows = _lesions(f)
    rows = rows[rows["suvmax"].notna()]
    return pd.DataFrame({"report_id": rows["report_id"], "value": _tenths(rows["suvmax"])})


def _keys_suv_reference(f: pd.DataFrame) -> pd.DataFrame:
    rows = f[(f["kind"] == "reference") & f["suvmax"].notna()]
    return pd.DataFrame({"report_id": rows["report_id"], "value": _tenths(rows["suvmax"])})


def _keys_suv_previous(f: pd.DataFrame) -> pd.DataFrame:
    rows = f[~f["negated"] & f["previous_suvmax"].notna()]
    return pd.DataFrame({"report_id": rows["report_id"], "value": _tenths(rows["previous_suvmax"])})


def _keys_suv_roles(f: pd.DataFrame) -> pd.DataFrame:
    parts = [
        _keys_suv_lesion(f).assign(role="lesion"),
        _keys_suv_reference(f).assign(role="reference"),
        _keys_suv_previous(f).assign(role="previous"),
    ]
    return pd.concat(parts, ignore_index=True)[["report_id", "role", "value"]]


def _keys_suv_value(f: pd.DataFrame) -> pd.DataFrame:
    return _keys_suv_roles(f)[["report_id", "value"]]


def _keys_site_attachment(f: pd.DataFrame) -> pd.DataFrame:
    rows = _lesions(f)
    rows = rows[rows["suvmax"].notna()]
    return pd.DataFrame({
        "report_id": rows["report_id"], "value": _tenths(rows["suvmax"]),
        "site": _site_group(rows["site"]),
    })  # fmt: skip


def _keys_site_attachment_exact(f: pd.DataFrame) -> pd.DataFrame:
    rows = _lesions(f)
    rows = rows[rows["suvmax"].notna()]
    return pd.DataFrame({
        "report_id": rows["report_id"], "value": _tenths(rows["suvmax"]),
        "site": rows["site"].fillna(_NONE),
    })  # fmt: skip


def _keys_reference_site(f: pd.DataFrame) -> pd.DataFrame:
    rows = f[(f["kind"] == "reference") & f["suvmax"].notna()]
    return pd.DataFrame({
        "report_id": rows["report_id"], "value": _tenths(rows["suvmax"]),
        "site": rows["site"].fillna(_NONE),
    })  # fmt: skip


def _keys_lesion_findings(f: pd.DataFrame) -> pd.DataFrame:
    rows = _lesions(f)
    return pd.DataFrame({"report_id": rows["report_id"], "site": _site_group(rows["site"])})


def _keys_negated(f: pd.DataFrame) -> pd.DataFrame:
    rows = f[(f["kind"] == "lesion") & f["negated"]]
    return pd.DataFrame({"report_id": rows["report_id"], "site": _site_group(rows["site"])})


def _keys_hypothesis(f: pd.DataFrame) -> pd.DataFrame:
    rows = _lesions(f)
    rows = rows[rows["hypothesis"]]
    return pd.DataFrame({"report_id": rows["report_id"], "site": _site_group(rows["site"])})


def _keys_laterality(f: pd.DataFrame) -> pd.DataFrame:
    rows = _lesions(f)
    rows = rows[rows["laterality"].notna()]
    return pd.DataFrame({
        "report_id": rows["report_id"], "site": _site_group(rows["site"]),
        "laterality": rows["laterality"].str.lower(),
    })  # fmt: skip


def _keys_size(f: pd.DataFrame) -> pd.DataFrame:
    rows = _lesions(f)
    rows = rows[rows["size_mm"].notna()]
    return pd.DataFrame({
        "report_id": rows["report_id"], "site": _site_group(rows["site"]),
        "size_mm": np.floor(rows["size_mm"].astype(float) + 0.5).astype("Int64"),
    })  # fmt: skip


_FINDING_FIELDS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "suvmax_lesion": _keys_suv_lesion,
    "suvmax_reference": _keys_suv_reference,
    "suvmax_previous": _keys_suv_previous,
    "suvmax": _keys_suv_roles,
    "suvmax_value": _keys_suv_value,
    "site_attachment": _keys_site_attachment,
    "site_attachment_exact": _keys_site_attachment_exact,
    "reference_site": _keys_reference_site,
    "lesion_findings": _keys_lesion_findings,
    "negated_findings": _keys_negated,
    "hypothesis_findings": _keys_hypothesis,
    "lesion_laterality": _keys_laterality,
    "lesion_size": _keys_size,
}


# ---------------------------------------------------------------------- report fields


def _norm_modality(v: str | None) -> str | None:
    if v is None:
        return None
    code = v.strip().upper()
    if "PT" in re.split(r"[\\/,+ ]+", code):
        return "PT"
    code = re.split(r"[\\/,+ ]+", code)[0]
    return "CR" if code == "DX" else code


def _norm_code(v: str | None) -> str | None:
    return None if v is None else v.strip().upper()


def text_tokens(text: str | None) -> Counter[str]:
    """Word tokens of a text for comparison: no HTML, no accents, lower case.

    Examples
    --------
    >>> sorted(text_tokens("Bilan d'extension <b>initial</b> &eacute;tendu").elements())
    ['bilan', 'd', 'etendu', 'extension', 'initial']
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return Counter()
    text = re.sub(r"<[^>]+>", " ", str(text))
    text = html.unescape(text)
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return Counter(re.findall(r"\w+", text))


def token_f1(gold: str | None, pred: str | None) -> float:
    """Token-multiset F1 between two texts (0 when either is empty).

    Examples
    --------
    >>> token_f1("Bilan d'extension.", "bilan d'extension")
    1.0
    >>> round(token_f1("Bilan d'extension initial", "Bilan"), 2)
    0.4
    """
    g, p = text_tokens(gold), text_tokens(pred)
    common = sum((g & p).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


_REPORT_FIELDS: dict[str, tuple[str, str]] = {
    # field: (column, comparison)
    "modality": ("modality", "modality"),
    "tracer": ("tracer", "code"),
    "indication_category": ("indication_category", "code"),
    "indication_text": ("indication", "text"),
    "dose": ("dose_mbq", "number"),
    "glycemia": ("glycemia", "number_glycemia"),
    "glycemia_unit": ("glycemia_unit", "code"),
    "injection_delay": ("injection_delay_min", "number"),
    "max_suvmax": ("max_suvmax", "number"),
    "n_lesions": ("n_lesions", "number_count"),
    "conclusion_text": ("conclusion", "text"),
}

_TOLERANCES = {"number": 0.05, "number_glycemia": 0.01, "number_count": 0.0}

FIELDS: tuple[str, ...] = tuple(_FINDING_FIELDS) + tuple(_REPORT_FIELDS)

FINDING_FIELDS: tuple[str, ...] = tuple(_FINDING_FIELDS)
"""The fields scored on findings (what a BRAT or Label Studio gold annotates)."""
"""Every field :func:`evaluate_extraction` scores, in output order."""


def _report_outcomes(
    gold: pd.DataFrame, pred: pd.DataFrame, column: str, how: str
) -> pd.DataFrame:
    """Per gold report: gold value, predicted value, and tp/fp/fn for one report field."""
    pred = pred.drop_duplicates("report_id").set_index("report_id")[column]
    g = gold.set_index("report_id")[column]
    p = pred.reindex(g.index)
    g = g.where(g.notna(), None)
    p = p.astype(object).where(p.notna(), None)
    if how == "modality":
        gn, pn = g.map(_norm_modality), p.map(_norm_modality)
        same = pd.Series([a == b for a, b in zip(gn, pn, strict=True)], index=g.index)
    elif how == "code":
        gn, pn = g.map(_norm_code), p.map(_norm_code)
        same = pd.Series([a == b for a, b in zip(gn, pn, strict=True)], index=g.index)
    elif how.startswith("number"):
        tolerance = _TOLERANCES[how]
        gn, pn = pd.to_numeric(g, errors="coerce"), pd.to_numeric(p, errors="coerce")
        same = ((gn - pn).abs() <= tolerance + 1e-9).fillna(False).astype(bool)
    else:  # text
        gn, pn = g, p
        same = pd.Series(
            [a is not None and b is not None and token_f1(a, b) >= TEXT_MATCH_F1
             for a, b in zip(g, p, strict=True)],
            index=g.index,
        )  # fmt: skip
    has_g, has_p = gn.notna(), pn.notna()
    out = pd.DataFrame({"gold": g, "pred": p})
    out["tp"] = (has_g & has_p & same).astype(int)
    out["fp"] = (has_p & ~(has_g & same)).astype(int)
    out["fn"] = (has_g & ~(has_p & same)).astype(int)
    return out


# --------------------------------------------------------------------------- scoring


def _filled(keys: pd.DataFrame) -> pd.DataFrame:
    keys = keys.astype(object)
    return keys.where(keys.notna(), _NONE)


def _multiset_outcomes(gold_keys: pd.DataFrame, pred_keys: pd.DataFrame) -> pd.DataFrame:
    """Per distinct key: gold count, predicted count, tp, fp, fn."""
    cols = list(gold_keys.columns)
    g = _filled(gold_keys).value_counts(dropna=False).rename("n_gold")
    p = _filled(pred_keys[cols]).value_counts(dropna=False).rename("n_pred")
    if len(g) == 0 and len(p) == 0:
        return pd.DataFrame(columns=[*cols, "n_gold", "n_pred", "tp", "fp", "fn"])
    joined = pd.concat([g, p], axis=1).fillna(0).astype(int)
    joined["tp"] = joined[["n_gold", "n_pred"]].min(axis=1)
    joined["fp"] = joined["n_pred"] - joined["tp"]
    joined["fn"] = joined["n_gold"] - joined["tp"]
    joined.index = joined.index.set_names(cols)
    return joined.reset_index()


_SCOPES = ("results", "all")


def _in_conclusion(findings: pd.DataFrame) -> pd.Series:
    return findings["section"].fillna("").str.strip().str.lower().eq("conclusion")


def _scored_part(
    pred_findings: pd.DataFrame, gold_findings: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep, per report, the findings of the scored part (see the module docstring)."""
    gold_concl = _in_conclusion(gold_findings)
    with_body = set(gold_findings.loc[~gold_concl, "report_id"])
    conclusion_only = set(gold_findings.loc[gold_concl, "report_id"]) - with_body

    def keep(findings: pd.DataFrame) -> pd.DataFrame:
        concl = _in_conclusion(findings)
        scored_concl = findings["report_id"].isin(conclusion_only)
        return findings[concl == scored_concl]

    return keep(pred_findings), keep(gold_findings)


def _prepare(
    pred_facts: pd.DataFrame,
    pred_findings: pd.DataFrame,
    gold_facts: pd.DataFrame,
    gold_findings: pd.DataFrame,
    scope: str = "results",
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    if scope not in _SCOPES:
        raise ValueError(f"unknown scope {scope!r}; expected one of {_SCOPES}")
    gold_facts = normalise_facts(gold_facts)
    ids = set(gold_facts["report_id"])
    gold_findings = normalise_findings(gold_findings)
    gold_findings = gold_findings[gold_findings["report_id"].isin(ids)]
    pred_facts = normalise_facts(pred_facts)
    pred_facts = pred_facts[pred_facts["report_id"].isin(ids)]
    pred_findings = normalise_findings(pred_findings)
    pred_findings = pred_findings[pred_findings["report_id"].isin(ids)]
    if scope == "results":
        pred_findings, gold_findings = _scored_part(pred_findings, gold_findings)
    return pred_facts, pred_findings, gold_facts, gold_findings


def extraction_errors(
    pred_facts: pd.DataFrame,
    pred_findings: pd.DataFrame,
    gold_facts: pd.DataFrame,
    gold_findings: pd.DataFrame,
    field: str,
    scope: str = "results",
) -> pd.DataFrame:
    """The items of one field that are not true positives: what was missed or extra.

    Parameters
    ----------
    pred_facts, pred_findings : pandas.DataFrame
        What the extractor returned.
    gold_facts, gold_findings : pandas.DataFrame
        The gold tables.
    field : str
        One of :data:`FIELDS`.
    scope : {"results", "all"}, default "results"
        Which findings are scored (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        For a finding field: report_id, the key columns, n_gold, n_pred, fp, fn, for keys
        with fp or fn. For a report field: report_id, gold, pred, fp, fn.

    Examples
    --------
    >>> gold_facts = pd.DataFrame({"report_id": ["R1"], "tracer": ["FDG"]})
    >>> pred_facts = pd.DataFrame({"report_id": ["R1"], "tracer": ["PSMA"]})
    >>> empty = pd.DataFrame(columns=["report_id"])
    >>> extraction_errors(pred_facts, empty, gold_facts, empty, "tracer")
      report_id gold  pred  fp  fn
    0        R1  FDG  PSMA   1   1
    """
    pf, pfi, gf, gfi = _prepare(pred_facts, pred_findings, gold_facts, gold_findings, scope)
    if field in _FINDING_FIELDS:
        keys = _FINDING_FIELDS[field]
        out = _multiset_outcomes(keys(gfi), keys(pfi))
        out = out[(out["fp"] > 0) | (out["fn"] > 0)].drop(columns="tp")
        return out.sort_values(list(out.columns[:2])).reset_index(drop=True)
    if field in _REPORT_FIELDS:
        column, how = _REPORT_FIELDS[field]
        out = _report_outcomes(gf, pf, column, how)
        out = out[(out["fp"] > 0) | (out["fn"] > 0)].drop(columns="tp")
        return out.reset_index()
    raise ValueError(f"unknown field {field!r}; fields are {', '.join(FIELDS)}")


def matched_findings(
    pred_findings: pd.DataFrame,
    gold_facts: pd.DataFrame,
    gold_findings: pd.DataFrame,
    field: str = "lesion_findings",
    scope: str = "results",
) -> pd.Series:
    """Per predicted finding, whether it is a true positive of ``field``.

    The same matching as :func:`evaluate_extraction` (the same scope, keys and
    multisets per report): of the ``n_pred`` findings with one key, the first
    ``min(n_gold, n_pred)`` in table order are true positives, the others false
    positives. Findings the field does not score (another kind, a negated one for
    ``lesion_findings``, a report outside the gold, the unscored part) are ``<NA>``.
    The labels of :mod:`radlink.nlp.verifier_training`.

    Returns
    -------
    pandas.Series
        Nullable booleans, on the index of ``pred_findings``.

    Examples
    --------
    >>> gold_facts = pd.DataFrame({"report_id": ["R1"]})
    >>> gold = pd.DataFrame({"report_id": ["R1"], "kind": ["lesion"], "site": ["liver"],
    ...                      "negated": [False]})
    >>> pred = pd.DataFrame({"report_id": ["R1"] * 3, "kind": ["lesion"] * 3,
    ...                      "site": ["liver", "liver", "lung"], "negated": [False, False, True]})
    >>> matched_findings(pred, gold_facts, gold).tolist()
    [True, False, <NA>]
    """
    if field not in _FINDING_FIELDS:
        raise ValueError(f"unknown finding field {field!r}; fields are {', '.join(_FINDING_FIELDS)}")
    keys = _FINDING_FIELDS[field]
    rows = pred_findings.reset_index(drop=True).assign(_row=np.arange(len(pred_findings)))
    _, pfi, _, gfi = _prepare(pd.DataFrame({"report_id": []}), rows, gold_facts, gold_findings, scope)
    pfi = pfi.assign(_row=rows.loc[pfi.index, "_row"].to_numpy()) if len(pfi) else pfi.assign(_row=[])
    pred_keys, gold_keys = _filled(keys(pfi)), _filled(keys(gfi))
    cols = list(pred_keys.columns)
    n_gold = gold_keys.value_counts(dropna=False).rename("n_gold")
    rank = pred_keys.groupby(cols, sort=False, dropna=False).cumcount()
    allowed = pred_keys.join(n_gold, on=cols)["n_gold"].fillna(0).to_numpy()
    out = pd.Series(pd.NA, index=pred_findings.index, dtype="boolean")
    positions = pfi.loc[pred_keys.index, "_row"].to_numpy(dtype=int)
    out.iloc[positions] = rank.to_numpy() < allowed
    return out


def _scores(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    if tp == 0:
        f1 = 0.0 if fp + fn else float("nan")
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def evaluate_extraction(
    pred_facts: pd.DataFrame,
    pred_findings: pd.DataFrame,
    gold_facts: pd.DataFrame,
    gold_findings: pd.DataFrame,
    scope: str = "results",
) -> pd.DataFrame:
    """Per-field precision, recall and F1 of extracted facts and findings against gold.

    The matching rules are those of the module docstring: multisets of keys per report
    for findings, one value per report for facts; numbers the same to 0.1; sites compared
    by site group.

    Parameters
    ----------
    pred_facts : pandas.DataFrame
        Extracted ``report_facts`` (report_id and any of :data:`FACT_COLUMNS`).
    pred_findings : pandas.DataFrame
        Extracted ``findings`` (report_id and any of :data:`FINDING_COLUMNS`).
    gold_facts, gold_findings : pandas.DataFrame
        The gold tables (see :func:`load_gold`); the reports scored are those of
        ``gold_facts``.
    scope : {"results", "all"}, default "results"
        Score the findings of each report's results part (or of its conclusion when it
        has no results section), or every finding.

    Returns
    -------
    pandas.DataFrame
        One row per field of :data:`FIELDS`, columns field, tp, fp, fn, precision,
        recall, f1.

    Examples
    --------
    A lesion SUVmax found, one given the reference role by mistake, one missed:

    >>> gold_facts = pd.DataFrame({"report_id": ["R1"], "modality": ["PT"], "tracer": ["FDG"]})
    >>> gold = pd.DataFrame({
    ...     "report_id": ["R1"] * 3, "kind": ["lesion", "lesion", "reference"],
    ...     "site": ["ln_subcarinal", "liver", "liver_reference"],
    ...     "suvmax": [5.3, 4.0, 2.3], "negated": [False] * 3})
    >>> pred = pd.DataFrame({
    ...     "report_id": ["R1"] * 2, "kind": ["lesion", "reference"],
    ...     "site": ["ln_mediastinal", "liver_reference"], "suvmax": [5.3, 4.0],
    ...     "negated": [False] * 2})
    >>> pred_facts = pd.DataFrame({"report_id": ["R1"], "modality": ["PT\\\\CT"], "tracer": ["FDG"]})
    >>> scores = evaluate_extraction(pred_facts, pred, gold_facts, gold)
    >>> shown = ["suvmax_lesion", "suvmax_reference", "site_attachment", "modality"]
    >>> print(scores[scores["field"].isin(shown)][["field", "tp", "fp", "fn"]].to_string(index=False))
               field  tp  fp  fn
       suvmax_lesion   1   0   1
    suvmax_reference   0   1   1
     site_attachment   1   0   1
            modality   1   0   0
    """
    pf, pfi, gf, gfi = _prepare(pred_facts, pred_findings, gold_facts, gold_findings, scope)
    rows = []
    for field, keys in _FINDING_FIELDS.items():
        out = _multiset_outcomes(keys(gfi), keys(pfi))
        rows.append((field, int(out["tp"].sum()), int(out["fp"].sum()), int(out["fn"].sum())))
    for field, (column, how) in _REPORT_FIELDS.items():
        out = _report_outcomes(gf, pf, column, how)
        rows.append((field, int(out["tp"].sum()), int(out["fp"].sum()), int(out["fn"].sum())))
    table = pd.DataFrame(rows, columns=["field", "tp", "fp", "fn"])
    scores = [_scores(tp, fp, fn) for tp, fp, fn in zip(table["tp"], table["fp"], table["fn"],
                                                        strict=True)]
    table[["precision", "recall", "f1"]] = pd.DataFrame(scores, index=table.index)
    return table


MODALITY_FIELDS: tuple[str, ...] = (
    "lesion_findings", "negated_findings", "site_attachment", "suvmax", "lesion_size",
    "lesion_laterality", "indication_category", "n_lesions",
)
"""Fields shown per modality by :func:`evaluate_by_modality`."""


def evaluate_by_modality(
    pred_facts: pd.DataFrame,
    pred_findings: pd.DataFrame,
    gold_facts: pd.DataFrame,
    gold_findings: pd.DataFrame,
    fields: tuple[str, ...] = MODALITY_FIELDS,
    scope: str = "results",
) -> pd.DataFrame:
    """Scores of :func:`evaluate_extraction`, report subsets by gold modality.

    Reports are grouped by their gold ``modality`` (normalised as for scoring: ``PT``
    for any PET, ``CR`` for ``DX``). Lesion findings show precision and recall, as the
    issue's bar is written on both; every other field its F1.

    Returns
    -------
    pandas.DataFrame
        One row per modality (most reports first), then ``all``: modality, reports,
        ``lesion_P``, ``lesion_R`` and one column per field of ``fields`` (F1).

    Examples
    --------
    >>> facts = pd.DataFrame({"report_id": ["R1", "R2"], "modality": ["CT", "US"]})
    >>> gold = pd.DataFrame({"report_id": ["R1", "R2"], "kind": ["lesion"] * 2,
    ...                      "site": ["liver", "thyroid"], "negated": [False, False]})
    >>> pred = gold.iloc[:1]
    >>> table = evaluate_by_modality(facts, pred, facts, gold, fields=("lesion_findings",))
    >>> table[["modality", "reports", "lesion_R", "lesion_findings"]].values.tolist()
    [['CT', 1, 1.0, 1.0], ['US', 1, 0.0, 0.0], ['all', 2, 0.5, 0.6666666666666666]]
    """
    modality = gold_facts["modality"].where(gold_facts["modality"].notna(), None)
    groups = modality.map(_norm_modality).fillna(_NONE)
    rows = []
    order = list(groups.value_counts(sort=True).index)
    for name in [*order, "all"]:
        ids = set(gold_facts["report_id"] if name == "all" else gold_facts.loc[groups == name, "report_id"])

        def part(t: pd.DataFrame, ids: set = ids) -> pd.DataFrame:
            return t[t["report_id"].isin(ids)]

        scores = evaluate_extraction(
            part(pred_facts), part(pred_findings), part(gold_facts), part(gold_findings), scope
        ).set_index("field")
        row: dict = {"modality": name, "reports": len(ids),
                     "lesion_P": scores.loc["lesion_findings", "precision"],
                     "lesion_R": scores.loc["lesion_findings", "recall"]}
        row.update({f: scores.loc[f, "f1"] for f in fields})
        rows.append(row)
    return pd.DataFrame(rows)
