"""Findings as Label Studio tasks with predictions, for an annotator to correct, and read back as gold.

:func:`write_labelstudio` writes ``tasks.json`` (one task per report: ``data.text``,
``data.report_id`` and one prediction holding its findings) and ``labeling_config.xml``
(the labelling interface to paste into the project's settings). Each finding is a
region of the text (``labels``: ``Lesion`` or ``Reference``, ``start``/``end`` offsets
into ``data.text``) with per-region controls sharing the region's ``id``: ``site``,
``laterality`` and ``section`` (single choices), ``qualifiers`` (``negated``,
``hypothesis``) and the numbers ``suvmax``, ``size_mm``, ``previous_suvmax``.

:func:`read_labelstudio` reads Label Studio's JSON export (the same tasks, with the
annotators' ``annotations``) back as gold findings: a task's latest annotation that
was not cancelled is its gold; a task no one annotated keeps its prediction (the
pre-annotation stands), counted in ``attrs["unreviewed"]``.

Offsets are Python string indices (code points); Label Studio counts UTF-16 units, the
same for French text (characters outside the Basic Multilingual Plane, such as emoji,
would shift later offsets).
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pandas as pd

from radlink.errors import DatasetNotFoundError
from radlink.nlp.sections.patterns import SECTIONS
from radlink.vocabulary import FINDING_KINDS, LATERALITIES, SITES

__all__ = ["write_labelstudio", "read_labelstudio", "labeling_config", "is_labelstudio_file"]

_LABELS = {kind: kind.capitalize() for kind in FINDING_KINDS}
_CHOICES = ("site", "laterality", "section")
_NUMBERS = ("suvmax", "size_mm", "previous_suvmax")
_FLAGS = ("negated", "hypothesis")


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and value != value) and not pd.isna(value)


def labeling_config(sections: list[str] | None = None) -> str:
    """The Label Studio labelling configuration (XML) for radlink's findings.

    Examples
    --------
    >>> import xml.etree.ElementTree as ET
    >>> root = ET.fromstring(labeling_config())
    >>> [e.get("name") for e in root.iter() if e.get("perRegion") == "true"]
    ['site', 'laterality', 'section', 'qualifiers', 'suvmax', 'size_mm', 'previous_suvmax']
    """
    def choices(name: str, values) -> str:
        inner = "".join(f"<Choice value={quoteattr(v)}/>" for v in values)
        return (f'    <Choices name="{name}" toName="text" perRegion="true" choice="single" '
                f'showInline="true">{inner}</Choices>\n')

    section_values = sorted(set(SECTIONS) | set(sections or []))
    labels = "".join(f'<Label value="{v}"/>' for v in _LABELS.values())
    return (
        "<View>\n"
        f'  <Labels name="label" toName="text">{labels}</Labels>\n'
        '  <Text name="text" value="$text"/>\n'
        '  <View visibleWhen="region-selected">\n'
        + choices("site", sorted(SITES))
        + choices("laterality", list(LATERALITIES))
        + choices("section", section_values)
        + '    <Choices name="qualifiers" toName="text" perRegion="true" choice="multiple" '
          'showInline="true"><Choice value="negated"/><Choice value="hypothesis"/></Choices>\n'
        + "".join(f'    <Number name="{n}" toName="text" perRegion="true"/>\n' for n in _NUMBERS)
        + "  </View>\n</View>\n"
    )


def _regions(text: str, findings: pd.DataFrame) -> list[dict]:
    results = []
    for n, f in enumerate(findings.sort_values(["start", "end"], kind="stable").itertuples(index=False), start=1):
        start, end = int(f.start), int(f.end)
        span = {"start": start, "end": end, "text": text[start:end]}
        rid = f"f{n}"

        def result(name: str, kind: str, value: dict, rid=rid, span=span) -> dict:
            return {"id": rid, "from_name": name, "to_name": "text", "type": kind,
                    "value": {**span, **value}}

        results.append(result("label", "labels", {"labels": [_LABELS.get(f.kind, "Lesion")]}))
        for name in _CHOICES:
            value = getattr(f, name, None)
            if _present(value):
                results.append(result(name, "choices", {"choices": [str(value)]}))
        flags = [name for name in _FLAGS if bool(getattr(f, name))]
        if flags:
            results.append(result("qualifiers", "choices", {"choices": flags}))
        for name in _NUMBERS:
            value = getattr(f, name, None)
            if _present(value):
                results.append(result(name, "number", {"number": float(value)}))
    return results


def write_labelstudio(reports: pd.DataFrame, findings: pd.DataFrame, directory: str | Path,
                      *, model_version: str | None = None) -> list[Path]:
    """Write ``tasks.json`` (one task per report, findings as predictions) and ``labeling_config.xml``.

    Examples
    --------
    >>> import tempfile
    >>> reports = pd.DataFrame({"report_id": ["R1"], "text": ["Nodule pulmonaire droit (SUVmax 8,9)."]})
    >>> findings = pd.DataFrame({"report_id": ["R1"], "kind": ["lesion"], "site": ["lung"],
    ...     "laterality": ["right"], "size_mm": [None], "suvmax": [8.9], "previous_suvmax": [None],
    ...     "negated": [False], "hypothesis": [False], "section": [None], "start": [0], "end": [23]})
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_labelstudio(reports, findings, d, model_version="radlink")
    >>> task = json.loads((d / "tasks.json").read_text())[0]
    >>> [(r["from_name"], r["value"]["text"]) for r in task["predictions"][0]["result"]][:2]
    [('label', 'Nodule pulmonaire droit'), ('site', 'Nodule pulmonaire droit')]
    """
    import radlink

    version = model_version or f"radlink {radlink.__version__}"
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    by_report = {str(k): g for k, g in findings.groupby(findings["report_id"].astype(str), sort=False)}
    tasks = []
    for rid, text in zip(reports["report_id"].astype(str), reports["text"], strict=True):
        text = text if isinstance(text, str) else ""
        mine = by_report.get(rid, findings.iloc[:0])
        tasks.append({"data": {"text": text, "report_id": rid},
                      "predictions": [{"model_version": version, "result": _regions(text, mine)}]})
    tasks_path, config_path = directory / "tasks.json", directory / "labeling_config.xml"
    tasks_path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sections = [s for s in findings.get("section", pd.Series(dtype=object)).dropna().unique()]
    config_path.write_text(labeling_config(sections), encoding="utf-8")
    return [tasks_path, config_path]


def is_labelstudio_file(path: str | Path) -> bool:
    """Whether ``path`` is a JSON list of Label Studio tasks (``data.text`` in each)."""
    path = Path(path)
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(tasks, list) and all(isinstance(t, dict) and "text" in t.get("data", {}) for t in tasks)


def _chosen_result(task: dict) -> tuple[list[dict], bool]:
    """The task's gold results: its latest kept annotation, else its first prediction."""
    annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
    if annotations:
        latest = max(annotations, key=lambda a: (a.get("updated_at") or a.get("created_at") or "",
                                                 a.get("id") or 0))
        return latest.get("result", []), True
    predictions = task.get("predictions", [])
    return (predictions[0].get("result", []) if predictions else []), False


def read_labelstudio(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read Label Studio tasks (an export, or :func:`write_labelstudio`'s file) as (reports, findings).

    ``report_id`` is ``data.report_id`` (else the task's ``id``). Findings are numbered
    in the order of their spans; ``findings.attrs["unreviewed"]`` counts the tasks whose
    pre-annotation stands because no one annotated them.

    Raises
    ------
    DatasetNotFoundError
        When the file is not a list of tasks with ``data.text``, or a region's text is not
        the text at its offsets (named by task and region).
    """
    path = Path(path)
    if not is_labelstudio_file(path):
        raise DatasetNotFoundError(f"{str(path)!r} is not a Label Studio JSON list of tasks with data.text")
    tasks = json.loads(path.read_text(encoding="utf-8"))
    reports, rows, unreviewed = [], [], 0
    kinds = {v: k for k, v in _LABELS.items()}
    for number, task in enumerate(tasks):
        text = task["data"]["text"]
        rid = str(task["data"].get("report_id", task.get("id", number)))
        reports.append({"report_id": rid, "text": text})
        results, reviewed = _chosen_result(task)
        unreviewed += not reviewed
        regions: dict[str, dict] = {}
        for r in results:
            value = r.get("value", {})
            if "start" not in value:
                continue
            region = regions.setdefault(r.get("id"), {
                "report_id": rid, "kind": "lesion", "site": None, "laterality": None, "size_mm": None,
                "suvmax": None, "previous_suvmax": None, "negated": False, "hypothesis": False,
                "section": None, "start": int(value["start"]), "end": int(value["end"])})
            if "text" in value and value["text"] != text[int(value["start"]):int(value["end"])]:
                raise DatasetNotFoundError(
                    f"Label Studio task {number}, region {r.get('id')}: its text is not the text at its offsets")
            name = r.get("from_name")
            if r.get("type") == "labels" and value.get("labels"):
                region["kind"] = kinds.get(value["labels"][0], value["labels"][0].lower())
            elif name in _CHOICES and value.get("choices"):
                region[name] = value["choices"][0]
            elif name == "qualifiers":
                for flag in _FLAGS:
                    region[flag] = flag in value.get("choices", [])
            elif name in _NUMBERS and value.get("number") is not None:
                region[name] = float(value["number"])
        ordered = sorted(regions.values(), key=lambda e: (e["start"], e["end"]))
        for n, region in enumerate(ordered, start=1):
            rows.append({**region, "finding_id": f"{rid}-{n:02d}"})
    columns = ["report_id", "finding_id", "kind", "site", "laterality", "size_mm", "suvmax",
               "previous_suvmax", "negated", "hypothesis", "section", "start", "end"]
    findings = pd.DataFrame(rows, columns=columns)
    findings.attrs["unreviewed"] = unreviewed
    return pd.DataFrame(reports, columns=["report_id", "text"]), findings
