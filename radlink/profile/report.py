"""A warehouse profile as one HTML page that opens offline (no script, no CDN)."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from radlink.outputs import whole_file
from radlink.profile.figures import WarehouseProfile

__all__ = ["profile_html", "write_profile_html"]

# rate column -> (numerator, denominator, share above which the cell is flagged)
_EXAM_RATES = {
    "IPP matches": ("ipp_matches", "exams", None),
    "re-attached": ("reattached", "exams", 0.10),
    "unattached": ("unattached", "exams", 0.05),
    "stay found": ("stay_found", "exams", None),
    "without report": ("without_report", "exams", 0.20),
}
_REPORT_RATES = {
    "with accession": ("with_accession", "reports", None),
    "without exam": ("without_exam", "reports", 0.10),
    "ambiguous": ("ambiguous", "reports", 0.05),
    "stay found": ("stay_found", "reports", None),
}
_STAY_RATES = {"with an exam": ("with_exam", "stays", None)}

_STYLE = """
body{font-family:sans-serif;margin:1.2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;font-size:12px;margin-top:.4em}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}
td.key,th.key{text-align:left}
th{background:#f2f2f2}
tr.all td{font-weight:bold;background:#f7f7f7}
td.flag{background:#fde0dc !important}
.bar{display:inline-block;height:8px;background:#4c78a8;margin-left:4px;vertical-align:middle}
.totals td{font-size:13px}
p.note{color:#555;font-size:12px;max-width:60em}
"""


def _cell(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, (int,)) or hasattr(value, "item"):
        return f"{int(value):,}" if float(value).is_integer() else f"{float(value):,.1f}"
    return html.escape(str(value))


def _table(df: pd.DataFrame, keys: list[str], counts: list[str],
           rates: dict[str, tuple[str, str, float | None]], extra: list[str] = ()) -> str:
    head = "".join(f'<th class="key">{html.escape(k)}</th>' for k in keys)
    head += "".join(f"<th>{html.escape(c)}</th>" for c in [*counts, *rates, *extra])
    rows = []
    for _, r in df.iterrows():
        cells = "".join(f'<td class="key">{html.escape(str(r[k]))}</td>' for k in keys)
        cells += "".join(f"<td>{_cell(r[c])}</td>" for c in counts)
        for num, den, flag_at in rates.values():
            share = r[num] / r[den] if r[den] else 0.0
            flag = ' class="flag"' if flag_at is not None and share > flag_at else ""
            cells += (f'<td{flag}>{share:.0%}<span class="bar" style="width:{round(40 * share)}px">'
                      "</span></td>")
        cells += "".join(f"<td>{_cell(r[c])}</td>" for c in extra)
        total = ' class="all"' if any(r[k] == "all" for k in keys) else ""
        rows.append(f"<tr{total}>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def profile_html(profile: WarehouseProfile, title: str = "Warehouse profile") -> str:
    """Render a :class:`~radlink.profile.figures.WarehouseProfile` as a page.

    Cells whose rate passes a warning level are shaded (re-attached over 10 %, exams
    without a report over 20 %, reports without an exam over 10 %, ...).

    Examples
    --------
    >>> import pandas as pd
    >>> from radlink.profile.figures import WarehouseProfile
    >>> ex = pd.DataFrame({"year": ["2020"], "site": ["CHU"], "exams": [10], "with_ipp": [9],
    ...     "ipp_matches": [8], "reattached": [2], "unattached": [0], "stay_carried": [1],
    ...     "stay_found": [6], "with_report": [9], "without_report": [1]})
    >>> page = profile_html(WarehouseProfile(ex, ex.iloc[:0], ex.iloc[:0], {"exams": 10}))
    >>> '<td class="flag">20%' in page
    True
    """
    t = profile.totals
    # the tables already hold the overall row; the totals box repeats it in words
    totals = "".join(f'<tr><td class="key">{html.escape(k.replace("_", " "))}</td><td>{v:,}</td></tr>'
                     for k, v in t.items())
    exams = _table(profile.exams, ["year", "site"], ["exams", "with_ipp"], _EXAM_RATES) if len(profile.exams) else ""
    reports = (_table(profile.reports, ["year", "site"], ["reports"], _REPORT_RATES,
                      ["delay_median_h", "delay_p90_h"]) if len(profile.reports) else "")
    stays = _table(profile.stays, ["year", "unit"], ["stays"], _STAY_RATES) if len(profile.stays) else ""
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        '<p class="note">Counts only: no identifier and no text. An exam\'s <em>IPP matches</em> when a '
        "patient of the patients table carries the IPP it was stored with; it is <em>re-attached</em> "
        "when linkage chose another patient; <em>unattached</em> when none was found. Report delays are "
        "signature minus exam time, in hours, over the reports linked to an exam. Shaded cells pass a "
        "warning level (re-attached &gt; 10 %, unattached &gt; 5 %, without report &gt; 20 %, reports "
        "without exam &gt; 10 %, ambiguous &gt; 5 %).</p>"
        f'<h2>Totals</h2><table class="totals">{totals}</table>'
        f"<h2>Exams per year and site</h2>{exams}"
        f"<h2>Reports per year and site of their exam</h2>{reports}"
        f"<h2>Stays per year and unit</h2>{stays}"
        "</body></html>\n"
    )


def write_profile_html(profile: WarehouseProfile, path: str | Path, title: str = "Warehouse profile") -> Path:
    """Write :func:`profile_html` to ``path`` (whole or absent)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with whole_file(path) as tmp:
        tmp.write_text(profile_html(profile, title), encoding="utf-8")
    return path
