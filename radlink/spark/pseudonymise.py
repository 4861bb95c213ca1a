"""Pseudonymisation on Spark: each output table rewritten on the executors, the pandas engine's cells.

The rules are :class:`radlink.privacy.output_tables.OutputPseudonymiser`'s, run per
partition. Each rule reads, beside its row, only what the row names; that context is
joined to the rows on the executors, never gathered on the driver:

* a text's patient identity (names from the patients table and the DICOM names of the
  patient's exams, ids: :func:`radlink.privacy.deidentify.identities_from_tables`'s),
  aggregated per patient and joined on the patient a row's text is read with;
* each report's patient (the one the timeline resolves, else its own), joined on the
  report id;
* for link evidence, which of its strings are ids (and of which kind) or patient names:
  the strings of each row are looked up in the tables' ids and names by a join, and only
  the hits travel back with the row.

The key travels with the rules in each task (in memory, as Spark ships a task's
function); it is never logged nor written, and a pickled
:class:`~radlink.privacy.Pseudonymiser` leaves its memo of raw ids behind. Counts of what
the de-identifier replaced are summed over the partitions: the driver gets counts only.
"""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd

from radlink.engines import object_strings
from radlink.privacy.deidentify import PATIENT_NAME_COLUMNS, PatientIdentity
from radlink.privacy.evidence import string_values
from radlink.privacy.output_tables import DIRECT_IDENTIFIERS, ID_KIND_SOURCES, OutputPseudonymiser
from radlink.privacy.pseudonymise import Pseudonymiser
from radlink.spark.frames import ROW, from_spark_batch

__all__ = ["pseudonymise_spark"]

_POS, _COUNTS = "_pos", "_counts"
_NAMES, _IDS, _RP, _HITS = "_names", "_ids", "_rp", "_hits"
_NAME_KIND = "name"  # a hit that is a patient's name, not an id
# columns whose values become pseudonyms (strings) in each table
_ID_COLUMNS = {"timeline": ("patient_id", "event_id", "stay_id", "exam_id", "report_id"),
               "links": ("source_id", "target_id"), "report_facts": ("report_id",),
               "findings": ("report_id", "finding_id"),
               "unattached_exams": ("patient_id", "exam_id", "accession_number", "stay_id"),
               "unattached_reports": ("report_id",), "unattached_stays": ("stay_id",)}


def _validated_rows(table, name: str, emit, schema: str):
    """``emit(frame)`` of each partition of an input table, read as the pandas engine reads it."""
    from pyspark.sql import functions as F

    if name == "reports":  # the texts are not read here
        table = table.withColumn("text", F.lit(""))

    def run(batches):
        for batch in batches:
            frame = from_spark_batch(batch, name)
            frame[ROW] = batch[ROW].to_numpy() if ROW in batch else 0
            yield emit(frame)

    return table.mapInPandas(run, schema)


def _identities(ds):
    """``(_key, _names, _ids)``: each patient's identity, as :func:`identities_from_tables` builds it."""
    from pyspark.sql import functions as F

    schema = "_key string, _src int, _col int, _r long, _name string, _id string"

    def values(frame, cols, src, id_col=None):
        keep = frame[frame["patient_id"].notna()]
        keys = keep["patient_id"].astype(str).str.strip().to_numpy(dtype=object)
        parts = [pd.DataFrame({"_key": keys, "_src": src, "_col": -1, "_r": keep[ROW].to_numpy(), "_name": None,
                               "_id": keep[id_col].astype(object).to_numpy() if id_col else None})]
        for i, col in enumerate(cols):
            if col in keep:
                parts.append(pd.DataFrame({"_key": keys, "_src": src, "_col": i, "_r": keep[ROW].to_numpy(),
                                           "_name": keep[col].astype(object).to_numpy(), "_id": None}))
        out = pd.concat(parts, ignore_index=True).astype({"_src": "int32", "_col": "int32", "_r": "int64"})
        return object_strings(out.astype({"_name": object, "_id": object}))

    rows = (_validated_rows(ds.patients, "patients", lambda f: values(f, PATIENT_NAME_COLUMNS, 0), schema)
            .unionByName(_validated_rows(ds.exams, "exams",
                                         lambda f: values(f, ("patient_name",), 1, "accession_number"), schema)))
    entry = F.struct("_src", "_col", "_r", "_name", "_id")
    return (rows.groupBy("_key").agg(F.sort_array(F.collect_list(entry)).alias("_e"))
            .select("_key", F.col("_e._name").alias(_NAMES), F.col("_e._id").alias(_IDS)))


def _identity_of(names, ids, key) -> PatientIdentity:
    """A patient's identity from the aggregated lists (names in table order, ids after the patient's own)."""
    names = [] if names is None else [v for v in names if v is not None]
    ids = [] if ids is None else [v for v in ids if v is not None]
    return PatientIdentity(names=names, ids=[key, *ids])


def _report_patients(ds, timeline):
    """``(_rid, _rp)``: each report's patient, the timeline's (its first event), else its own."""
    from pyspark.sql import functions as F

    own = _validated_rows(ds.reports, "reports", lambda f: pd.DataFrame({
        "_rid": f["report_id"].astype(object).to_numpy(), "_own": f["patient_id"].astype(object).to_numpy()}),
        "_rid string, _own string")
    resolved = (timeline.where(F.col("event_type") == "report")
                .groupBy(F.col("event_id").alias("_rid"))
                .agg(F.min_by(F.col("patient_id"), F.col(_POS)).alias("_resolved")))
    return (own.join(resolved, on="_rid", how="left")
            .select("_rid", F.coalesce(F.col("_resolved"), F.col("_own")).alias(_RP)))


def _evidence_lookup(ds):
    """``(_value, _kind)``: every id evidence may hold, with its kind, and the patients' casefolded names."""
    from pyspark.sql import functions as F

    ranked = None
    for rank, (kind, table, column) in enumerate(ID_KIND_SOURCES):
        def emit(frame, column=column, kind=kind, rank=rank):
            values = frame[column].dropna().astype(object)
            return pd.DataFrame({"_value": values.to_numpy(dtype=object), "_kind": kind, "_rank": rank}
                                ).astype({"_kind": object, "_rank": "int32"})

        rows = _validated_rows(getattr(ds, table), table, emit, "_value string, _kind string, _rank int")
        ranked = rows if ranked is None else ranked.unionByName(rows)
    ids = ranked.groupBy("_value").agg(F.max_by("_kind", "_rank").alias("_kind"))

    def folded(frame):
        values = pd.concat([frame[c].dropna() for c in PATIENT_NAME_COLUMNS if c in frame], ignore_index=True)
        return pd.DataFrame({"_folded": [str(v).casefold() for v in values]}, dtype=object)

    names = _validated_rows(ds.patients, "patients", folded, "_folded string").distinct()
    return ids, names


def _with_hits(table, ids, names):
    """``table`` with :data:`_HITS`: the strings of its evidence that are ids (their kind) or names."""
    from pyspark.sql import functions as F

    def strings(batches):
        for batch in batches:
            pos, values = [], []
            for p, text in zip(batch[_POS].tolist(), batch["evidence"].tolist(), strict=True):
                for value in dict.fromkeys(string_values(text)):
                    pos.append(p)
                    values.append(value)
            yield pd.DataFrame({_POS: pd.Series(pos, dtype="int64"), "_value": pd.Series(values, dtype=object),
                                "_folded": pd.Series([v.casefold() for v in values], dtype=object)})

    found = (table.select(_POS, "evidence").mapInPandas(strings, f"{_POS} long, _value string, _folded string")
             .join(ids, on="_value", how="left")
             .join(names.withColumn("_is_name", F.lit(True)), on="_folded", how="left")
             .where(F.col("_kind").isNotNull() | F.col("_is_name").isNotNull())
             .select(_POS, F.struct("_value", F.coalesce("_kind", F.lit(_NAME_KIND)).alias("_kind")).alias("_h"))
             .groupBy(_POS).agg(F.collect_list("_h").alias(_HITS)))
    return table.join(found, on=_POS, how="left")


def _rules(p: Pseudonymiser, batch: pd.DataFrame, patient_col: str | None) -> OutputPseudonymiser:
    """The rules with the context joined to this batch's rows."""
    identities, report_patient, id_kinds, names = {}, {}, {}, set()
    if patient_col is not None:
        for key, n, i in zip(batch[patient_col].tolist(), batch[_NAMES].tolist(), batch[_IDS].tolist(), strict=True):
            if key is not None and not (isinstance(key, float) and pd.isna(key)) and key not in identities:
                if n is not None or i is not None:
                    identities[key] = _identity_of(n, i, key)
    if _RP in batch:
        report_patient = dict(zip(batch["report_id"].tolist(), batch[_RP].tolist(), strict=True))
    if _HITS in batch:
        for hits in batch[_HITS].tolist():
            for hit in () if hits is None else hits:
                value, kind = (hit["_value"], hit["_kind"]) if isinstance(hit, dict) else tuple(hit)
                if kind == _NAME_KIND:
                    names.add(value.casefold())
                else:
                    id_kinds[value] = kind
    return OutputPseudonymiser(p, identities=identities, report_patient=report_patient, id_kinds=id_kinds,
                               names=names)


def _pandas_batch(batch: pd.DataFrame) -> pd.DataFrame:
    """A batch as the pandas engine's tables hold it: text as object with ``None``."""
    out = object_strings(batch)
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].where(out[col].notna(), None)
    return out


def _rewritten(table, name: str, p: Pseudonymiser, method: str, patient_col: str | None, schema):
    """``(table, counts)``: ``table`` rewritten by the rule ``method`` per partition, in its order."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    out_fields = list(schema.fields)
    out_schema = T.StructType([*out_fields, T.StructField(_POS, T.LongType(), True),
                               T.StructField(_COUNTS, T.StringType(), True)])
    columns = [f.name for f in out_fields]

    def run(batches):
        total: Counter[str] = Counter()
        for batch in batches:
            batch = _pandas_batch(batch)
            rules = _rules(p, batch, patient_col)
            frame = batch.drop(columns=[c for c in (_NAMES, _IDS, _RP, _HITS, _POS) if c in batch.columns])
            done = getattr(rules, method)(frame.reset_index(drop=True))
            total.update(rules.deidentifier.counts)
            done = _pandas_batch(done[columns])
            done[_POS] = batch[_POS].to_numpy()
            done[_COUNTS] = None
            yield done
        counts = pd.DataFrame({c: pd.Series([None], dtype=object) for c in columns})
        counts[_POS] = pd.Series([None], dtype="Int64")
        counts[_COUNTS] = json.dumps(dict(total))
        yield counts

    stored = table.mapInPandas(run, out_schema).localCheckpoint(eager=True)
    rows = (stored.where(F.col(_POS).isNotNull()).orderBy(_POS).select(*columns)
            .localCheckpoint(eager=True))
    counts: Counter[str] = Counter()
    for row in stored.where(F.col(_POS).isNull()).select(_COUNTS).collect():
        counts.update(json.loads(row[_COUNTS]))
    return rows, counts


def pseudonymise_spark(ds, out, p: Pseudonymiser) -> None:
    """:func:`radlink.timeline.pseudonymise.pseudonymise` on Spark tables, in place, on the executors.

    Parameters
    ----------
    ds : SparkDataset
        The input tables (:func:`radlink.spark.dataset.read_dataset_spark`): ids, names
        and accession numbers each text and evidence is read against.
    out : TimelineOutputs
        Its tables are Spark DataFrames in their order (``skipped_reports`` may be
        pandas); replaced by the pseudonymised tables, each stored (local checkpoint), in
        the same order. ``out.text_replacements`` gets the counts by kind.
    p : Pseudonymiser
        Holds the key.

    Examples
    --------
    >>> pseudonymise_spark(ds, out, Pseudonymiser(read_key("key.txt")))  # doctest: +SKIP
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    def numbered(table):
        return table.withColumn(_POS, F.monotonically_increasing_id())  # the table's order: partition order

    def out_schema(table, name):
        ids = _ID_COLUMNS[name]
        drop = DIRECT_IDENTIFIERS if name == "unattached_exams" else ()
        return T.StructType([T.StructField(f.name, T.StringType() if f.name in ids else f.dataType, True)
                             for f in table.schema.fields if f.name not in drop])

    identities = _identities(ds).localCheckpoint(eager=True)
    ids, names = _evidence_lookup(ds)
    ids, names = ids.localCheckpoint(eager=True), names.localCheckpoint(eager=True)
    timeline = numbered(out.timeline)
    report_patient = _report_patients(ds, timeline).localCheckpoint(eager=True)

    def with_identity(table, key):
        return table.join(identities.withColumnRenamed("_key", "_k"), F.col(key) == F.col("_k"), "left").drop("_k")

    def with_report_patient(table):
        return table.join(report_patient, F.col("report_id") == F.col("_rid"), "left").drop("_rid")

    total: Counter[str] = Counter()
    plans = (("timeline", "timeline", lambda t: with_identity(t, "patient_id"), "patient_id"),
             ("links", "links", lambda t: _with_hits(t, ids, names), None),
             ("report_facts", "facts", lambda t: with_identity(with_report_patient(t), _RP), _RP),
             ("findings", "facts", lambda t: with_identity(with_report_patient(t), _RP), _RP),
             ("unattached_exams", "unattached_exams",
              lambda t: _with_hits(with_identity(t, "patient_id"), ids, names), "patient_id"),
             ("unattached_reports", "unattached_reports", lambda t: with_identity(with_report_patient(t), _RP),
              _RP),
             ("unattached_stays", "unattached_stays", lambda t: t, None))
    for name, method, context, patient_col in plans:
        table = getattr(out, name)
        source = timeline if name == "timeline" else numbered(table)
        rows, counts = _rewritten(context(source), name, p, method, patient_col, out_schema(table, name))
        setattr(out, name, rows)
        total.update(counts)
    rules = OutputPseudonymiser(p)
    if isinstance(out.skipped_reports, pd.DataFrame):
        out.skipped_reports = rules.skipped_reports(out.skipped_reports)
    out.text_replacements = dict(sorted(total.items()))
