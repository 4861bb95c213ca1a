"""Plot one patient's timeline: stays as bars, exams and reports as marks, links as lines.

The figure is drawn with matplotlib (extra ``plot``, imported lazily). HTML output
embeds the figure as inline SVG plus a table of the events: no script, no CDN, it opens
offline. PNG output is the same figure rasterised.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import pandas as pd

from radlink.errors import MissingDependencyError, RadlinkError

__all__ = ["plot_patient", "write_patient_plot"]

_MODALITY_COLOURS = {
    "PT": "#d62728", "NM": "#9467bd", "CT": "#1f77b4", "MR": "#2ca02c", "MG": "#e377c2",
    "US": "#17becf", "CR": "#7f7f7f", "DX": "#7f7f7f",
}
_LANES = {"stay": 2, "exam": 1, "report": 0}


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the installation
        raise MissingDependencyError("matplotlib", "plot", "radlink plot") from None
    return plt


def plot_patient(events: pd.DataFrame, patient_id: str):
    """Draw one patient's events and return the matplotlib figure.

    Parameters
    ----------
    events : pandas.DataFrame
        A timeline (``timeline.parquet``).
    patient_id : str
        The patient (a pseudonym when the timeline is pseudonymised).

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"patient_id": ["P1", "P1"], "event_type": ["stay", "exam"],
    ...     "event_id": ["S1", "E1"], "start": pd.to_datetime(["2020-04-01", "2020-04-02"]),
    ...     "end": pd.to_datetime(["2020-04-05", None]), "stay_id": ["S1", "S1"], "exam_id": [None, "E1"],
    ...     "report_id": [None, None], "label": ["Hospitalisation", "TEP-TDM FDG"], "modality": [None, "PT"],
    ...     "max_suvmax": [None, 7.7], "link_status": ["linked", "linked"]})
    >>> fig = plot_patient(ev, "P1")
    >>> len(fig.axes)
    1
    """
    plt = _pyplot()
    ev = events[events["patient_id"] == patient_id]
    if ev.empty:
        raise RadlinkError("this patient has no event in the timeline (check the id, or the pseudonym)")
    fig, ax = plt.subplots(figsize=(11, 3.6), dpi=100)
    stays = ev[ev["event_type"] == "stay"]
    for i, (_, s) in enumerate(stays.iterrows()):
        end = s["end"] if pd.notna(s["end"]) else s["start"] + pd.Timedelta(hours=12)
        ax.barh(_LANES["stay"], end - s["start"], left=s["start"], height=0.5,
                color="#ffbb78", edgecolor="#ff7f0e")
        # labels alternate above the bar so that neighbouring stays stay readable
        ax.annotate(str(s["label"])[:30], (s["start"], _LANES["stay"] + 0.3 + 0.22 * (i % 2)), fontsize=7)
    marks = ev[ev["event_type"] != "stay"]
    exam_time = marks[marks["event_type"] == "exam"].set_index("event_id")["start"]
    for i, (_, m) in enumerate(marks.sort_values("start").iterrows()):
        lane = _LANES[m["event_type"]]
        colour = _MODALITY_COLOURS.get(m["modality"], "#333333")
        style = "o" if m["event_type"] == "exam" else "s"
        faded = m["link_status"] != "linked"
        ax.plot(m["start"], lane, style, color=colour, markersize=8, alpha=0.45 if faded else 1)
        text = str(m["modality"] or "")
        if pd.notna(m.get("max_suvmax")):
            text += f" SUV {m['max_suvmax']:.1f}"
        ax.annotate(text, (m["start"], lane - 0.3 - 0.18 * (i % 3)), fontsize=7, ha="center")
        # links: report -> its exam, exam -> its stay
        if m["event_type"] == "report" and m["exam_id"] in exam_time.index:
            ax.plot([m["start"], exam_time[m["exam_id"]]], [lane, _LANES["exam"]], "-", color="#555555", lw=0.8)
        if m["event_type"] == "exam" and isinstance(m["stay_id"], str):
            ax.plot([m["start"], m["start"]], [lane, _LANES["stay"] - 0.25], ":", color="#555555", lw=0.8)
    ax.set_yticks([2, 1, 0], ["Séjours", "Examens", "Comptes rendus"])
    ax.set_ylim(-1.0, 2.9)
    ax.margins(x=0.04)
    ax.set_title(f"Patient {patient_id}: {len(stays)} stays, "
                 f"{int((marks['event_type'] == 'exam').sum())} exams, "
                 f"{int((marks['event_type'] == 'report').sum())} reports", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def write_patient_plot(events: pd.DataFrame, patient_id: str, path: str | Path) -> Path:
    """Write a patient's timeline to ``.html`` (inline SVG + event table) or ``.png``."""
    path = Path(path)
    if path.suffix not in (".html", ".png", ".svg"):
        raise RadlinkError(f"plot output {path.name!r}: use a .html, .png or .svg file")
    plt = _pyplot()
    fig = plot_patient(events, patient_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Same events, same bytes: no creation date, clip-path ids from a fixed salt.
    if path.suffix == ".png":
        fig.savefig(path, format="png", metadata={"Software": None})
    else:
        buf = io.StringIO()
        with plt.rc_context({"svg.hashsalt": "radlink"}):
            fig.savefig(buf, format="svg", metadata={"Date": None})
        svg = buf.getvalue()
        svg = svg[svg.index("<svg"):]
        if path.suffix == ".svg":
            path.write_text(svg, encoding="utf-8")
        else:
            ev = events[events["patient_id"] == patient_id]
            cols = ["event_type", "start", "end", "label", "modality", "max_suvmax",
                    "stay_id", "exam_id", "report_id", "link_status", "link_score"]
            rows = "\n".join(
                "<tr>" + "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>"
                                 for v in r) + "</tr>"
                for r in ev[cols].itertuples(index=False)
            )
            page = (
                "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
                f"<title>radlink timeline {html.escape(patient_id)}</title>"
                "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;font-size:12px}"
                "td,th{border:1px solid #ccc;padding:2px 6px}</style></head><body>"
                f"<h1>Timeline of patient {html.escape(patient_id)}</h1>{svg}"
                "<table><tr>" + "".join(f"<th>{c}</th>" for c in cols) + f"</tr>{rows}</table>"
                "</body></html>\n"
            )
            path.write_text(page, encoding="utf-8")
    plt.close(fig)
    return path
