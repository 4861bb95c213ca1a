"""Plot one patient's timeline: one lane per kind of event, a legend, hover text.

The figure is drawn with matplotlib (extra ``plot``, imported lazily). The upper panel has
one lane per kind: stays as spans, exams as circles coloured by modality, reports as
squares (pale when not linked), a line from each report to its exam. The lower panel is
the SUVmax series of the reports. Marks that fall on the same day are stacked inside
their lane instead of drawn over each other, and no mark carries a text label, so labels
never overlap: the legend names colours and shapes, and the details of each event are
in its hover text (HTML and SVG) and in the table under the figure (HTML).

HTML output embeds the figure as inline SVG, each mark with a ``<title>`` (hover text),
plus a table of the events: no script, no CDN, it opens offline. PNG output is the same
figure rasterised. Dates are those of the timeline: shifted when it was pseudonymised.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pandas as pd

from radlink.errors import MissingDependencyError, RadlinkError

__all__ = ["plot_patient", "write_patient_plot", "event_hover_texts"]

_MODALITY_COLOURS = {
    "PT": "#d62728", "NM": "#9467bd", "CT": "#1f77b4", "MR": "#2ca02c", "MG": "#e377c2",
    "US": "#17becf", "CR": "#8c564b", "DX": "#7f7f7f",
}
_OTHER_COLOUR = "#333333"
_STAY_COLOUR, _STAY_EDGE = "#ffbb78", "#ff7f0e"
_LANES = {"stay": 2.0, "exam": 1.0, "report": 0.0}
_LANE_NAMES = {"stay": "Séjours", "exam": "Examens", "report": "Comptes rendus"}
# marks closer than this fraction of the time axis share a slot and are stacked
_STACK_FRACTION = 0.012
_STACK_STEP = 0.16
_STACK_LEVELS = 5  # 0, +1, -1, +2, -2 steps around the lane


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the installation
        raise MissingDependencyError("matplotlib", "plot", "radlink plot") from None
    return plt


def _stack_offsets(times: pd.Series, span: pd.Timedelta) -> pd.Series:
    """Vertical offsets that keep marks of one lane apart when they fall close in time.

    Greedy: each mark (in time order) takes the first level whose previous mark is far
    enough to its left; levels alternate above and below the lane.
    """
    gap = span * _STACK_FRACTION
    last: list[pd.Timestamp | None] = [None] * _STACK_LEVELS
    offsets = {}
    for idx, t in times.sort_values(kind="stable").items():
        level = next((k for k, prev in enumerate(last) if prev is None or t - prev >= gap), None)
        if level is None:  # every level busy: reuse the one freed longest ago
            level = min(range(_STACK_LEVELS), key=lambda k: last[k])
        last[level] = t
        rank = (level + 1) // 2
        offsets[idx] = _STACK_STEP * rank * (1 if level % 2 else -1)
    return pd.Series(offsets, dtype=float).reindex(times.index)


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def event_hover_texts(events: pd.DataFrame) -> pd.Series:
    """The hover text of each event: kind, date(s), label, modality, SUVmax, link.

    Parameters
    ----------
    events : pandas.DataFrame
        Rows of ``timeline.parquet``.

    Returns
    -------
    pandas.Series
        One plain-text line per event, on the events' index.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"event_type": ["exam"], "event_id": ["E1"],
    ...     "start": pd.to_datetime(["2020-04-02 10:30"]), "end": [pd.NaT],
    ...     "label": ["TEP-TDM FDG"], "modality": ["PT"], "max_suvmax": [7.7],
    ...     "link_status": ["linked"]})
    >>> event_hover_texts(ev).iloc[0]
    'exam E1, 2020-04-02 10:30: TEP-TDM FDG (PT), SUVmax 7.7, linked'
    """
    out = {}
    for idx, e in events.iterrows():
        when = e["start"].strftime("%Y-%m-%d %H:%M")
        if pd.notna(e.get("end")) and e["event_type"] == "stay":
            when += " → " + e["end"].strftime("%Y-%m-%d %H:%M")
        text = f"{e['event_type']} {_text(e.get('event_id'))}, {when}: {_text(e.get('label'))}"
        if _text(e.get("modality")):
            text += f" ({e['modality']})"
        if pd.notna(e.get("max_suvmax")):
            text += f", SUVmax {e['max_suvmax']:.1f}"
        if _text(e.get("link_status")):
            text += f", {e['link_status']}"
        out[idx] = text
    return pd.Series(out, dtype=object).reindex(events.index)


def plot_patient(events: pd.DataFrame, patient_id: str):
    """Draw one patient's events and return the matplotlib figure.

    Parameters
    ----------
    events : pandas.DataFrame
        A timeline (``timeline.parquet``).
    patient_id : str
        The patient (a pseudonym when the timeline is pseudonymised).

    Returns
    -------
    matplotlib.figure.Figure
        Two panels (lanes, SUVmax series); every mark has a ``gid`` ``"ev<k>"`` where
        ``k`` is the event's position among the patient's events.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"patient_id": ["P1", "P1"], "event_type": ["stay", "exam"],
    ...     "event_id": ["S1", "E1"], "start": pd.to_datetime(["2020-04-01", "2020-04-02"]),
    ...     "end": pd.to_datetime(["2020-04-05", None]), "stay_id": ["S1", "S1"], "exam_id": [None, "E1"],
    ...     "report_id": [None, None], "label": ["Hospitalisation", "TEP-TDM FDG"], "modality": [None, "PT"],
    ...     "max_suvmax": [None, 7.7], "link_status": ["linked", "linked"]})
    >>> fig = plot_patient(ev, "P1")
    >>> len(fig.axes), fig.axes[0].get_legend() is not None
    (2, True)
    """
    plt = _pyplot()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ev = events[events["patient_id"] == patient_id].reset_index(drop=True)
    if ev.empty:
        raise RadlinkError("this patient has no event in the timeline (check the id, or the pseudonym)")
    first, last = ev["start"].min(), ev["end"].fillna(ev["start"]).max()
    last = max(last, ev["start"].max())
    span = max(last - first, pd.Timedelta(days=1))

    fig, (ax, ax_suv) = plt.subplots(
        2, 1, sharex=True, figsize=(12, 5.2), dpi=100, gridspec_kw={"height_ratios": [3, 1.2]}
    )
    stays = ev[ev["event_type"] == "stay"]
    for k, s in stays.iterrows():
        end = s["end"] if pd.notna(s["end"]) else s["start"] + pd.Timedelta(hours=12)
        # a stay shorter than the eye can see is drawn at the width of one mark
        width = max(end - s["start"], span * 0.004)
        bar = ax.barh(_LANES["stay"], width, left=s["start"], height=0.45,
                      color=_STAY_COLOUR, edgecolor=_STAY_EDGE)
        bar.patches[0].set_gid(f"ev{k}")

    marks = ev[ev["event_type"].isin(["exam", "report"])]
    y = pd.Series(0.0, index=marks.index)
    for kind in ("exam", "report"):
        lane = marks[marks["event_type"] == kind]
        if not lane.empty:
            y[lane.index] = _LANES[kind] + _stack_offsets(lane["start"], span)
    exam_pos = {
        e["event_id"]: (e["start"], y[k]) for k, e in marks[marks["event_type"] == "exam"].iterrows()
    }
    for k, m in marks.iterrows():
        # links first, under the marks: report -> its exam, exam -> its stay
        if m["event_type"] == "report" and _text(m.get("exam_id")) in exam_pos:
            ex_t, ex_y = exam_pos[m["exam_id"]]
            ax.plot([m["start"], ex_t], [y[k], ex_y], "-", color="#777777", lw=0.7, zorder=1)
        if m["event_type"] == "exam" and _text(m.get("stay_id")):
            ax.plot([m["start"], m["start"]], [y[k], _LANES["stay"] - 0.23], ":",
                    color="#777777", lw=0.7, zorder=1)
    for k, m in marks.iterrows():
        colour = _MODALITY_COLOURS.get(_text(m["modality"]), _OTHER_COLOUR)
        linked = m["link_status"] == "linked"
        (line,) = ax.plot(
            m["start"], y[k], "o" if m["event_type"] == "exam" else "s", color=colour,
            markersize=8, markeredgecolor="black" if linked else colour,
            markeredgewidth=0.6, alpha=1.0 if linked else 0.35, zorder=3,
        )
        line.set_gid(f"ev{k}")
    ax.set_yticks([_LANES[k] for k in _LANES], [_LANE_NAMES[k] for k in _LANES])
    ax.set_ylim(-0.6, 2.6)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(
        f"Patient {patient_id}: {len(stays)} stays, {int((marks['event_type'] == 'exam').sum())} exams, "
        f"{int((marks['event_type'] == 'report').sum())} reports", fontsize=10,
    )

    present = [m for m in _MODALITY_COLOURS if m in set(marks["modality"].dropna())]
    has_other = marks["modality"].isna().any() or bool(set(marks["modality"].dropna()) - set(_MODALITY_COLOURS))
    handles = [Patch(facecolor=_STAY_COLOUR, edgecolor=_STAY_EDGE, label="stay")]
    handles += [Line2D([], [], marker="o", ls="", color="#bbbbbb", markeredgecolor="black", label="exam"),
                Line2D([], [], marker="s", ls="", color="#bbbbbb", markeredgecolor="black", label="report"),
                Line2D([], [], marker="s", ls="", color="#bbbbbb", alpha=0.35, label="not linked")]
    handles += [Line2D([], [], marker="o", ls="", color=_MODALITY_COLOURS[m], label=m) for m in present]
    if has_other:
        handles.append(Line2D([], [], marker="o", ls="", color=_OTHER_COLOUR, label="other"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)

    reports = ev[(ev["event_type"] == "report") & ev["max_suvmax"].notna()].sort_values("start")
    if not reports.empty:
        ax_suv.plot(reports["start"], reports["max_suvmax"], "-", color="#d62728", lw=0.8)
        for k, r in reports.iterrows():
            (pt,) = ax_suv.plot(r["start"], r["max_suvmax"], "s", color="#d62728", markersize=5)
            pt.set_gid(f"ev{k}")
        top = float(reports["max_suvmax"].max())
        ax_suv.set_ylim(0, top * 1.25 + 0.5)
    else:
        ax_suv.text(0.5, 0.5, "no SUVmax in the reports", transform=ax_suv.transAxes,
                    ha="center", va="center", fontsize=8, color="#777777")
        ax_suv.set_yticks([])
    ax_suv.set_ylabel("max SUVmax", fontsize=8)
    ax_suv.grid(axis="x", alpha=0.3)
    ax.set_xlim(first - span * 0.03, last + span * 0.03)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def _svg_with_hover(svg: str, hover: pd.Series) -> str:
    """Give every mark group ``<g id="ev<k>">`` of a matplotlib SVG its ``<title>``."""
    def add_title(match: re.Match) -> str:
        k = int(match.group(1))
        return f'{match.group(0)}<title>{html.escape(hover.iloc[k])}</title>'

    return re.sub(r'<g id="ev(\d+)">', add_title, svg)


def write_patient_plot(events: pd.DataFrame, patient_id: str, path: str | Path) -> Path:
    """Write a patient's timeline to ``.html`` (SVG with hover text + event table), ``.svg`` or ``.png``.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> ev = pd.DataFrame({"patient_id": ["P1"], "event_type": ["exam"], "event_id": ["E1"],
    ...     "start": pd.to_datetime(["2020-04-02"]), "end": [pd.NaT], "stay_id": [None],
    ...     "exam_id": ["E1"], "report_id": [None], "label": ["TEP-TDM FDG"], "modality": ["PT"],
    ...     "max_suvmax": [None], "link_status": ["linked"], "link_score": [None]})
    >>> out = write_patient_plot(ev, "P1", pathlib.Path(tempfile.mkdtemp()) / "p1.html")
    >>> "<title>exam E1" in out.read_text()
    True
    """
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
        ev = events[events["patient_id"] == patient_id].reset_index(drop=True)
        svg = _svg_with_hover(buf.getvalue(), event_hover_texts(ev))
        svg = svg[svg.index("<svg"):]
        if path.suffix == ".svg":
            path.write_text(svg, encoding="utf-8")
        else:
            cols = [c for c in ("event_type", "start", "end", "label", "modality", "max_suvmax",
                                "stay_id", "exam_id", "report_id", "link_status", "link_score")
                    if c in ev.columns]
            rows = "\n".join(
                "<tr>" + "".join(f"<td>{html.escape(_text(v))}</td>" for v in r) + "</tr>"
                for r in ev[cols].itertuples(index=False)
            )
            page = (
                "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
                f"<title>radlink timeline {html.escape(patient_id)}</title>"
                "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;font-size:12px}"
                "td,th{border:1px solid #ccc;padding:2px 6px}svg{max-width:100%;height:auto}</style>"
                "</head><body>"
                f"<h1>Timeline of patient {html.escape(patient_id)}</h1>"
                "<p>Hover a mark for its details; every event is also in the table below.</p>"
                f"{svg}"
                "<table><tr>" + "".join(f"<th>{c}</th>" for c in cols) + f"</tr>{rows}</table>"
                "</body></html>\n"
            )
            path.write_text(page, encoding="utf-8")
    plt.close(fig)
    return path
