"""Retrieve studies from a PACS into a folder, resumably, pseudonymising on the way.

Layout of ``DIR``::

    DIR/files/<study>/<series>/<instance>.dcm   what leaves for the research team
    DIR/review/<study>/<series>/<instance>.dcm  pseudonymised, but pixels may show text:
                                                a person checks them (review.parquet says why)
    DIR/retrieval.parquet                       one row per study: status, counts, reason
    DIR/review.parquet                          instances held for review, with the reason

Folder and file names are the (pseudonymised, when asked) UIDs, never a patient attribute.
Each file is written under a temporary name and renamed, so a killed run leaves only
whole files. A rerun counts what is on disk: a study with all its instances is not
asked for again; a study with some is listed instance by instance and only the missing
ones are fetched; a study with none is fetched whole. Instance counts are checked
against the PACS's (``NumberOfStudyRelatedInstances``, else an instance listing).

Status: ``done`` (every instance expected is on disk), ``partial`` (some), ``failed``
(none; ``reason`` says why, never naming a patient).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from radlink.errors import PacsError
from radlink.outputs import whole_file, write_parquet
from radlink.pacs.deidentify_dicom import DicomPseudonymiser
from radlink.workers import Progress, progress_reporter

__all__ = ["RETRIEVAL_COLUMNS", "RetrievalResult", "retrieve_studies", "METHODS"]

RETRIEVAL_COLUMNS: tuple[str, ...] = ("study_instance_uid", "status", "n_expected", "n_received",
                                      "reason")
"""Columns of ``retrieval.parquet`` (public contract)."""
METHODS: tuple[str, ...] = ("c-get", "c-move", "wado")
REVIEW_COLUMNS: tuple[str, ...] = ("study_instance_uid", "path", "reason")


@dataclass
class RetrievalResult:
    """What a retrieval run did.

    Attributes
    ----------
    studies : pandas.DataFrame
        ``retrieval.parquet``: :data:`RETRIEVAL_COLUMNS`.
    review : pandas.DataFrame
        Instances held for a person's review (``review.parquet``).
    received : int
        Instances received and written by this run (a rerun counts only what it fetched).
    pseudonymised : int
        Instances pseudonymised by this run.
    seconds : float
        Time spent retrieving.
    """

    studies: pd.DataFrame
    review: pd.DataFrame
    received: int = 0
    pseudonymised: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    def status_counts(self) -> dict[str, int]:
        """Studies per status."""
        return {s: int((self.studies["status"] == s).sum()) for s in ("done", "partial", "failed")}


class _Writer:
    """Writes instances of one study where they belong, atomically, pseudonymised if asked."""

    def __init__(self, outdir: Path, deidentifier: DicomPseudonymiser | None):
        self.outdir = outdir
        self.deid = deidentifier
        self.received = 0

    def _held(self, study: str, path: str, reason: str) -> None:
        """Note an instance held for review, before its file exists (a kill loses no note)."""
        import json

        with open(self.outdir / ".review.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"study_instance_uid": study, "path": path, "reason": reason}) + "\n")

    def key(self, uid: str) -> str:
        return self.deid.p.uid(uid) if self.deid is not None else uid

    def relative(self, study: str, series: str, sop: str) -> Path:
        return Path(self.key(study)) / self.key(series) / f"{self.key(sop)}.dcm"

    def exists(self, study: str, series: str, sop: str) -> bool:
        rel = self.relative(study, series, sop)
        return (self.outdir / "files" / rel).exists() or (self.outdir / "review" / rel).exists()

    def count(self, study: str) -> int:
        key = self.key(study)
        return sum(len(list((self.outdir / where / key).rglob("*.dcm"))) for where in ("files", "review"))

    def __call__(self, ds) -> None:
        study, series, sop = (str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID), str(ds.SOPInstanceUID))
        if self.exists(study, series, sop):
            return
        rel = self.relative(study, series, sop)
        where = "files"
        if self.deid is not None:
            ds, reason = self.deid.pseudonymise(ds)
            if reason is not None:
                where = "review"
                self._held(study, str(Path("review") / rel), reason)
        path = self.outdir / where / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with whole_file(path) as tmp:  # a killed run leaves no truncated file (resume finds .*.tmp)
            ds.save_as(tmp, enforce_file_format=True)
        self.received += 1


def _fetcher(client, method: str) -> Callable:
    if method == "c-get":
        return client.get
    if method == "c-move":
        return client.move
    return client.retrieve


def retrieve_studies(studies: pd.DataFrame, client, outdir: str | Path, *, method: str = "c-get",
                     deidentifier: DicomPseudonymiser | None = None,
                     progress: Progress = False) -> RetrievalResult:
    """Retrieve every study of ``studies`` (``studies.parquet``) into ``outdir``.

    Parameters
    ----------
    studies : pandas.DataFrame
        At least ``study_instance_uid`` and ``n_instances``.
    client : DimseClient or DicomwebClient
        DIMSE for ``c-get``/``c-move``, DICOMweb for ``wado``.
    outdir : path
    method : {"c-get", "c-move", "wado"}
    deidentifier : DicomPseudonymiser, optional
        Pseudonymise each instance before it is written.
    progress : bool or callable
        Progress over instances.
    """
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {METHODS}")
    outdir = Path(outdir)
    (outdir / "files").mkdir(parents=True, exist_ok=True)
    for where in ("files", "review"):  # what a killed run was writing: never counted, now gone
        for tmp in (outdir / where).rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)
    writer = _Writer(outdir, deidentifier)
    fetch = _fetcher(client, method)
    rows = []
    expected = pd.to_numeric(studies["n_instances"], errors="coerce")
    total = int(expected.fillna(0).sum())
    t0 = time.perf_counter()
    with progress_reporter(progress, total, unit="instance", desc="retrieving") as advance:
        for uid, n in zip(studies["study_instance_uid"], expected, strict=True):
            n_expected = None if pd.isna(n) else int(n)
            before = writer.count(uid)
            reason = None
            try:
                if n_expected is None or 0 < before < n_expected:
                    listed = client.list_instances(uid)
                    n_expected = len(listed)
                    missing = [i for i in listed if not writer.exists(uid, *i)]
                    if missing:
                        fetch(uid, writer, missing if before else None)
                elif before < n_expected or n_expected == 0:
                    fetch(uid, writer, None)
            except PacsError as exc:
                reason = str(exc)
            n_received = writer.count(uid)
            if advance:
                advance(max(0, min(n_received, n_expected or n_received) - min(before, n_expected or before)))
            if n_expected is not None and n_received >= n_expected and n_received > 0:
                status = "done"
            elif n_received > 0:
                status = "partial"
                reason = reason or f"{n_received} of {n_expected} instances received"
            else:
                status = "failed"
                reason = reason or "the PACS sent no instance of this study"
            rows.append({"study_instance_uid": uid, "status": status, "n_expected": n_expected,
                         "n_received": n_received, "reason": reason if status != "done" else None})
    seconds = time.perf_counter() - t0
    table = pd.DataFrame(rows, columns=list(RETRIEVAL_COLUMNS))
    table["n_expected"] = table["n_expected"].astype("Int64")
    table["n_received"] = table["n_received"].astype("int64")
    review = _review_table(outdir)
    write_parquet(table, outdir / "retrieval.parquet")
    write_parquet(review, outdir / "review.parquet")
    return RetrievalResult(table, review, received=writer.received,
                           pseudonymised=writer.received if deidentifier is not None else 0,
                           seconds=seconds)


def _review_table(outdir: Path) -> pd.DataFrame:
    """Instances held for review by this run and the previous ones (whose file exists)."""
    path = outdir / ".review.jsonl"
    rows = pd.read_json(path, lines=True, dtype=False) if path.exists() and path.stat().st_size else None
    review = pd.DataFrame(rows, columns=list(REVIEW_COLUMNS)) if rows is not None else \
        pd.DataFrame(columns=list(REVIEW_COLUMNS))
    on_disk = np.array([(outdir / p).exists() for p in review["path"]], dtype=bool)
    review = review.loc[on_disk].drop_duplicates("path")
    return review.sort_values("path", kind="stable").reset_index(drop=True).astype(object)
