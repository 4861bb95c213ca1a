"""Findings as BRAT standoff files, for an annotator to correct, and read back as gold.

Layout of a BRAT folder (https://brat.nlplab.org/standoff.html):

- ``<report_id>.txt``: the report text exactly as radlink read it (UTF-8, line ends
  kept), so that every offset counts characters of this file;
- ``<report_id>.ann``: one text-bound annotation per finding, ``T<n>\\t<Type> <start>
  <end>\\t<the text between>``, type ``Lesion`` or ``Reference`` (a span crossing a line
  end is written as fragments, ``start end;start end``, as BRAT requires); its
  attributes ``A<n>\\tNegated T<n>``, ``Hypothesis``, ``Laterality T<n> left``, ``Site
  T<n> lung``, ``Section T<n> results``; its values in a note,
  ``#<n>\\tAnnotatorNotes T<n>\\tsuvmax=8.9 size_mm=18 previous_suvmax=12.1``
  (editable in BRAT's note field; a comma works as the decimal mark);
- ``annotation.conf``: the entity types and attribute values, so BRAT offers them.

:func:`read_brat` reads such a folder back, corrected or not, as gold findings
(``report_id``, ``finding_id``, ``kind``, ``site``, ``laterality``, ``size_mm``,
``suvmax``, ``previous_suvmax``, ``negated``, ``hypothesis``, ``section``, ``start``,
``end``), numbered in the order of their spans.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from radlink.errors import DatasetNotFoundError
from radlink.nlp.sections.patterns import SECTIONS
from radlink.vocabulary import FINDING_KINDS, LATERALITIES, SITES

__all__ = ["write_brat", "read_brat", "annotation_conf", "is_brat_folder", "ENTITY_TYPES", "VALUES"]

ENTITY_TYPES: dict[str, str] = {kind: kind.capitalize() for kind in FINDING_KINDS}
"""Finding kind -> BRAT entity type (``lesion`` -> ``Lesion``)."""

VALUES: tuple[str, ...] = ("suvmax", "size_mm", "previous_suvmax")
"""Finding values written in the annotator note, ``key=value`` each."""

_ATTRIBUTES = {"Laterality": "laterality", "Site": "site", "Section": "section"}
_FLAGS = {"Negated": "negated", "Hypothesis": "hypothesis"}
_NOTE = re.compile(r"(suvmax|size_mm|previous_suvmax)\s*[=:]\s*(-?\d+(?:[.,]\d+)?)", re.I)
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]+$")


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and value != value) and not pd.isna(value)


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at line ends (BRAT spans do not cross a newline)."""
    out, pos = [], start
    for piece in re.split(r"(\r\n|\n|\r)", text[start:end]):
        if piece and piece not in ("\n", "\r\n", "\r") and piece.strip():
            s = pos + len(piece) - len(piece.lstrip())
            out.append((s, s + len(piece.strip())))
        pos += len(piece)
    return out or [(start, end)]


def annotation_conf(sections: list[str] | None = None) -> str:
    """The ``annotation.conf`` declaring radlink's entity types and attribute values.

    Examples
    --------
    >>> print(annotation_conf().splitlines()[1])
    Lesion
    """
    section_values = sorted(set(SECTIONS) | set(sections or []))
    lines = ["[entities]", *ENTITY_TYPES.values(), "", "[relations]", "", "[events]", "",
             "[attributes]"]
    entities = "|".join(ENTITY_TYPES.values())
    lines += [f"{name}\tArg:{entities}" for name in _FLAGS]
    for name, values in (("Laterality", list(LATERALITIES)), ("Site", sorted(SITES)),
                         ("Section", section_values)):
        lines.append(f"{name}\tArg:{entities}, Value:{'|'.join(values)}")
    return "\n".join(lines) + "\n"


def _ann(text: str, findings: pd.DataFrame) -> str:
    lines: list[str] = []
    n_attr = n_note = 0
    for t, f in enumerate(findings.sort_values(["start", "end"], kind="stable").itertuples(index=False), start=1):
        start, end = int(f.start), int(f.end)
        frags = _fragments(text, start, end)
        spans = ";".join(f"{s} {e}" for s, e in frags)
        covered = " ".join(text[s:e] for s, e in frags)
        lines.append(f"T{t}\t{ENTITY_TYPES.get(f.kind, 'Lesion')} {spans}\t{covered}")
        for name, column in _FLAGS.items():
            if bool(getattr(f, column)):
                n_attr += 1
                lines.append(f"A{n_attr}\t{name} T{t}")
        for name, column in _ATTRIBUTES.items():
            value = getattr(f, column, None)
            if _present(value):
                n_attr += 1
                lines.append(f"A{n_attr}\t{name} T{t} {value}")
        values = [f"{k}={float(v):g}" for k in VALUES if _present(v := getattr(f, k, None))]
        if values:
            n_note += 1
            lines.append(f"#{n_note}\tAnnotatorNotes T{t}\t{' '.join(values)}")
    return "\n".join(lines) + ("\n" if lines else "")


def write_brat(reports: pd.DataFrame, findings: pd.DataFrame, directory: str | Path) -> list[Path]:
    r"""Write one ``.txt`` and one ``.ann`` per report, and ``annotation.conf``.

    Parameters
    ----------
    reports : pandas.DataFrame
        ``report_id`` and ``text``: every report gets its files, with findings or not.
    findings : pandas.DataFrame
        The ``findings`` of :meth:`radlink.nlp.ReportExtractor.extract` (offsets into
        the same texts).
    directory : path
        Written into (created when needed).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ValueError
        For a report id that cannot be a file name (it is named by its row, not its value).

    Examples
    --------
    >>> import tempfile
    >>> reports = pd.DataFrame({"report_id": ["R1"], "text": ["Pas d'adénopathie hilaire."]})
    >>> findings = pd.DataFrame({"report_id": ["R1"], "kind": ["lesion"], "site": ["ln_hilar"],
    ...     "laterality": [None], "size_mm": [None], "suvmax": [None], "previous_suvmax": [None],
    ...     "negated": [True], "hypothesis": [False], "section": [None], "start": [6], "end": [25]})
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_brat(reports, findings, d)
    >>> (d / "R1.ann").read_text().splitlines()
    ['T1\tLesion 6 25\tadénopathie hilaire', 'A1\tNegated T1', 'A2\tSite T1 ln_hilar']
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    by_report = {str(k): g for k, g in findings.groupby(findings["report_id"].astype(str), sort=False)}
    written = []
    for row, (rid, text) in enumerate(zip(reports["report_id"].astype(str), reports["text"], strict=True)):
        if not _SAFE_ID.match(rid):
            raise ValueError(f"reports row {row}: the report id cannot name a BRAT file "
                             "(letters, digits, '.', '_' and '-' only)")
        text = text if isinstance(text, str) else ""
        txt, ann = directory / f"{rid}.txt", directory / f"{rid}.ann"
        with open(txt, "w", encoding="utf-8", newline="") as fh:  # offsets count these characters
            fh.write(text)
        empty = findings.iloc[:0]
        ann.write_text(_ann(text, by_report.get(rid, empty)), encoding="utf-8")
        written += [txt, ann]
    conf = directory / "annotation.conf"
    sections = [s for s in findings.get("section", pd.Series(dtype=object)).dropna().unique()]
    conf.write_text(annotation_conf(sections), encoding="utf-8")
    return written + [conf]


def is_brat_folder(directory: str | Path) -> bool:
    """Whether ``directory`` holds BRAT ``.ann`` files."""
    directory = Path(directory)
    return directory.is_dir() and any(directory.glob("*.ann"))


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def read_brat(directory: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a BRAT folder as (reports, findings): the texts and the findings annotated in them.

    Every ``.ann`` with its ``.txt`` is a report (``report_id`` = the file stem); an
    entity's kind is its type (``Lesion``, ``Reference``); its site, laterality,
    section, negation and hypothesis come from its attributes, its values from its
    notes. An entity added by the annotator without attributes is a lesion without
    site (which matches nothing: give it a ``Site``).

    Raises
    ------
    DatasetNotFoundError
        When an ``.ann`` has no ``.txt`` beside it, or an entity's text is not the text
        at its offsets (the files were edited outside BRAT); named by file and entity.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "R1.txt").write_text("Nodule pulmonaire droit (SUVmax 8,9).", encoding="utf-8")
    >>> _ = (d / "R1.ann").write_text("T1\\tLesion 0 23\\tNodule pulmonaire droit\\nA1\\tSite T1 lung\\n"
    ...     "A2\\tLaterality T1 right\\n#1\\tAnnotatorNotes T1\\tsuvmax=8,9\\n", encoding="utf-8")
    >>> reports, findings = read_brat(d)
    >>> findings[["report_id", "finding_id", "site", "laterality", "suvmax"]].values.tolist()
    [['R1', 'R1-01', 'lung', 'right', 8.9]]
    """
    directory = Path(directory)
    reports, rows = [], []
    for ann in sorted(directory.glob("*.ann")):
        txt = ann.with_suffix(".txt")
        if not txt.exists():
            raise DatasetNotFoundError(f"BRAT folder {str(directory)!r}: {ann.name} has no {txt.name}")
        with open(txt, encoding="utf-8", newline="") as fh:
            text = fh.read()
        rid = ann.stem
        reports.append({"report_id": rid, "text": text})
        entities: dict[str, dict] = {}
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if not parts or not parts[0]:
                continue
            key = parts[0]
            if key.startswith("T") and len(parts) >= 2:
                kind_spans = parts[1].split(" ", 1)
                spans = [tuple(int(x) for x in frag.split()) for frag in kind_spans[1].split(";")]
                covered = " ".join(text[s:e] for s, e in spans)
                if len(parts) >= 3 and parts[2] != covered:
                    raise DatasetNotFoundError(
                        f"BRAT {ann.name}, entity {key}: its text is not the text at its offsets")
                kind = {v: k for k, v in ENTITY_TYPES.items()}.get(kind_spans[0], kind_spans[0].lower())
                entities[key] = {"report_id": rid, "kind": kind, "site": None, "laterality": None,
                                 "size_mm": None, "suvmax": None, "previous_suvmax": None,
                                 "negated": False, "hypothesis": False, "section": None,
                                 "start": spans[0][0], "end": spans[-1][1]}
            elif key.startswith(("A", "M")) and len(parts) >= 2:
                name, target, *value = parts[1].split()
                entity = entities.get(target)
                if entity is None:
                    continue
                if name in _FLAGS:
                    entity[_FLAGS[name]] = True if not value else value[0].lower() in ("true", "yes", "1")
                elif name in _ATTRIBUTES and value:
                    entity[_ATTRIBUTES[name]] = value[0]
            elif key.startswith("#") and len(parts) >= 3:
                target = parts[1].split()[-1]
                if target in entities:
                    for k, v in _NOTE.findall(parts[2]):
                        entities[target][k.lower()] = _number(v)
        ordered = sorted(entities.values(), key=lambda e: (e["start"], e["end"]))
        for n, entity in enumerate(ordered, start=1):
            rows.append({**entity, "finding_id": f"{rid}-{n:02d}"})
    if not reports:
        raise DatasetNotFoundError(f"{str(directory)!r} holds no BRAT .ann file")
    columns = ["report_id", "finding_id", "kind", "site", "laterality", "size_mm", "suvmax",
               "previous_suvmax", "negated", "hypothesis", "section", "start", "end"]
    return pd.DataFrame(reports), pd.DataFrame(rows, columns=columns)
