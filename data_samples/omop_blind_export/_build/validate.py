#!/usr/bin/env python3
"""Validate the extract: columns/order per spec, required fields, types, FKs, dates, truth file."""
import os
import sys

import pandas as pd

D = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# (column, required, type) in spec order.
# CDM 5.4: OHDSI/CommonDataModel inst/csv/OMOP_CDMv5.4_Field_Level.csv
# MI-CDM:  dr-you-group/ImageWG inst/ddl/5.4/postgresql/MICDM_postgresql_5.4_ddl.sql
I, DT, DTM, S = "integer", "date", "datetime", "string"
SPEC = {
    "person": [("person_id", 1, I), ("gender_concept_id", 1, I), ("year_of_birth", 1, I), ("month_of_birth", 0, I),
               ("day_of_birth", 0, I), ("birth_datetime", 0, DTM), ("race_concept_id", 1, I),
               ("ethnicity_concept_id", 1, I), ("location_id", 0, I), ("provider_id", 0, I), ("care_site_id", 0, I),
               ("person_source_value", 0, S), ("gender_source_value", 0, S), ("gender_source_concept_id", 0, I),
               ("race_source_value", 0, S), ("race_source_concept_id", 0, I), ("ethnicity_source_value", 0, S),
               ("ethnicity_source_concept_id", 0, I)],
    "visit_occurrence": [("visit_occurrence_id", 1, I), ("person_id", 1, I), ("visit_concept_id", 1, I),
                         ("visit_start_date", 1, DT), ("visit_start_datetime", 0, DTM), ("visit_end_date", 1, DT),
                         ("visit_end_datetime", 0, DTM), ("visit_type_concept_id", 1, I), ("provider_id", 0, I),
                         ("care_site_id", 0, I), ("visit_source_value", 0, S), ("visit_source_concept_id", 0, I),
                         ("admitted_from_concept_id", 0, I), ("admitted_from_source_value", 0, S),
                         ("discharged_to_concept_id", 0, I), ("discharged_to_source_value", 0, S),
                         ("preceding_visit_occurrence_id", 0, I)],
    "care_site": [("care_site_id", 1, I), ("care_site_name", 0, S), ("place_of_service_concept_id", 0, I),
                  ("location_id", 0, I), ("care_site_source_value", 0, S), ("place_of_service_source_value", 0, S)],
    "procedure_occurrence": [("procedure_occurrence_id", 1, I), ("person_id", 1, I), ("procedure_concept_id", 1, I),
                             ("procedure_date", 1, DT), ("procedure_datetime", 0, DTM), ("procedure_end_date", 0, DT),
                             ("procedure_end_datetime", 0, DTM), ("procedure_type_concept_id", 1, I),
                             ("modifier_concept_id", 0, I), ("quantity", 0, I), ("provider_id", 0, I),
                             ("visit_occurrence_id", 0, I), ("visit_detail_id", 0, I),
                             ("procedure_source_value", 0, S), ("procedure_source_concept_id", 0, I),
                             ("modifier_source_value", 0, S)],
    "note": [("note_id", 1, I), ("person_id", 1, I), ("note_date", 1, DT), ("note_datetime", 0, DTM),
             ("note_type_concept_id", 1, I), ("note_class_concept_id", 1, I), ("note_title", 0, S),
             ("note_text", 1, S), ("encoding_concept_id", 1, I), ("language_concept_id", 1, I),
             ("provider_id", 0, I), ("visit_occurrence_id", 0, I), ("visit_detail_id", 0, I),
             ("note_source_value", 0, S), ("note_event_id", 0, I), ("note_event_field_concept_id", 0, I)],
    "image_occurrence": [("image_occurrence_id", 1, I), ("person_id", 1, I), ("procedure_occurrence_id", 1, I),
                         ("visit_occurrence_id", 0, I), ("anatomic_site_concept_id", 0, I), ("wadors_uri", 0, S),
                         ("local_path", 0, S), ("image_occurrence_date", 1, DT), ("image_study_uid", 1, S),
                         ("image_series_uid", 1, S), ("modality_concept_id", 1, I)],
}
VARCHAR = {("person", "person_source_value"): 50, ("person", "gender_source_value"): 50,
           ("visit_occurrence", "visit_source_value"): 50, ("procedure_occurrence", "procedure_source_value"): 50,
           ("note", "note_title"): 250, ("note", "note_source_value"): 50, ("care_site", "care_site_name"): 255,
           ("care_site", "care_site_source_value"): 50, ("care_site", "place_of_service_source_value"): 50}
PK = {"person": "person_id", "visit_occurrence": "visit_occurrence_id", "care_site": "care_site_id",
      "procedure_occurrence": "procedure_occurrence_id", "note": "note_id", "image_occurrence": "image_occurrence_id"}
FK = [("visit_occurrence", "person_id", "person"), ("visit_occurrence", "care_site_id", "care_site"),
      ("procedure_occurrence", "person_id", "person"), ("procedure_occurrence", "visit_occurrence_id", "visit_occurrence"),
      ("note", "person_id", "person"), ("note", "visit_occurrence_id", "visit_occurrence"),
      ("image_occurrence", "person_id", "person"), ("image_occurrence", "procedure_occurrence_id", "procedure_occurrence"),
      ("image_occurrence", "visit_occurrence_id", "visit_occurrence")]

errors = []


def err(msg):
    errors.append(msg)
    print("ERROR:", msg)


T = {}
for name, spec in SPEC.items():
    path = os.path.join(D, f"{name}.csv")
    raw = open(path, "rb").read()
    raw.decode("utf-8")  # must be valid UTF-8
    if raw.startswith(b"\xef\xbb\xbf"):
        err(f"{name}: BOM present")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    T[name] = df
    cols = [c for c, _, _ in spec]
    if list(df.columns) != cols:
        err(f"{name}: columns {list(df.columns)} != spec {cols}")
        continue
    for c, req, typ in spec:
        s = df[c]
        filled = s[s != ""]
        if req and len(filled) != len(s):
            err(f"{name}.{c}: {len(s) - len(filled)} empty values in a required field")
        if typ == I:
            bad = filled[~filled.str.fullmatch(r"-?\d+")]
            if len(bad):
                err(f"{name}.{c}: non-integer values {bad.head(3).tolist()}")
        elif typ == DT:
            bad = filled[~filled.str.fullmatch(r"\d{4}-\d{2}-\d{2}")]
            parsed = pd.to_datetime(filled, format="%Y-%m-%d", errors="coerce")
            if len(bad) or parsed.isna().any():
                err(f"{name}.{c}: bad dates {bad.head(3).tolist()}")
        elif typ == DTM:
            parsed = pd.to_datetime(filled, format="%Y-%m-%d %H:%M:%S", errors="coerce")
            if parsed.isna().any():
                err(f"{name}.{c}: bad datetimes {filled[parsed.isna()].head(3).tolist()}")
        lim = VARCHAR.get((name, c))
        if lim and (filled.str.len() > lim).any():
            err(f"{name}.{c}: values longer than varchar({lim})")
    if df[PK[name]].duplicated().any():
        err(f"{name}: duplicate primary key")
    print(f"{name}.csv: {len(df)} rows, {len(df.columns)} columns OK")

for t, c, ref in FK:
    vals = set(T[t][c][T[t][c] != ""])
    missing = vals - set(T[ref][PK[ref]])
    if missing:
        err(f"{t}.{c}: {len(missing)} ids not in {ref}: {sorted(missing)[:5]}")

# consistency checks
v = T["visit_occurrence"].set_index("visit_occurrence_id")
if (pd.to_datetime(v.visit_end_datetime) < pd.to_datetime(v.visit_start_datetime)).any():
    err("visit ends before it starts")
for c in ("visit_start_date", "visit_end_date"):
    if (v[c] != v[c.replace("date", "datetime")].str[:10]).any():
        err(f"visit {c} inconsistent with datetime")
for t, dcol in (("procedure_occurrence", "procedure_date"), ("image_occurrence", "image_occurrence_date")):
    df = T[t][T[t].visit_occurrence_id != ""]
    for _, r in df.iterrows():
        vv = v.loc[r.visit_occurrence_id]
        if vv.person_id != r.person_id:
            err(f"{t} {r.iloc[0]}: person differs from its visit's person")
        if not (vv.visit_start_date <= r[dcol] <= vv.visit_end_date):
            err(f"{t} {r.iloc[0]}: date outside its visit")
nt = T["note"][T["note"].visit_occurrence_id != ""]
for _, r in nt.iterrows():
    if v.loc[r.visit_occurrence_id].person_id != r.person_id:
        err(f"note {r.note_id}: person differs from its visit's person")
p = T["procedure_occurrence"].set_index("procedure_occurrence_id")
io = T["image_occurrence"]
for _, r in io.iterrows():
    pr = p.loc[r.procedure_occurrence_id]
    if pr.person_id != r.person_id or pr.procedure_date != r.image_occurrence_date or \
            pr.visit_occurrence_id != r.visit_occurrence_id:
        err(f"image_occurrence {r.image_occurrence_id}: differs from its procedure row")
if io.image_study_uid.duplicated().any():
    err("duplicate image_study_uid")
uid_re = r"[12](\.(0|[1-9]\d*))+"
for c in ("image_study_uid", "image_series_uid"):
    if (~io[c].str.fullmatch(uid_re)).any() or (io[c].str.len() > 64).any():
        err(f"{c}: not a valid DICOM UID")
if not io.image_study_uid.str.startswith("1.2.250.1.").all():
    err("study uid root")
ps = T["person"].person_source_value
if (~ps.str.fullmatch(r"\d{9}")).any() or ps.duplicated().any():
    err("person_source_value must be unique 9-digit IPP")
if (T["note"].note_date != T["note"].note_datetime.str[:10]).any():
    err("note_date inconsistent with note_datetime")

# truth file
tr = pd.read_csv(os.path.join(D, "truth.csv"), dtype=str, keep_default_na=False)
assert list(tr.columns) == ["record_type", "record_id", "image_study_uid", "true_person_id"], tr.columns
ex = tr[tr.record_type == "image_occurrence"]
nn = tr[tr.record_type == "note"]
iox = io.set_index("image_occurrence_id")
for _, r in ex.iterrows():
    row = iox.loc[r.record_id]
    if row.image_study_uid != r.image_study_uid or row.person_id == r.true_person_id:
        err(f"truth exam {r.record_id} inconsistent")
if set(nn.record_id) != set(T["note"].note_id):
    err("truth must list every note")
uid2date = dict(zip(io.image_study_uid, io.image_occurrence_date))
uid2true = dict(zip(io.image_study_uid, io.person_id))
uid2true.update(dict(zip(ex.image_study_uid, ex.true_person_id)))
notes = T["note"].set_index("note_id")
for _, r in nn.iterrows():
    nrow = notes.loc[r.record_id]
    if r.true_person_id != nrow.person_id:
        err(f"truth note {r.record_id}: person")
    if r.image_study_uid:
        if r.image_study_uid not in uid2date:
            err(f"truth note {r.record_id}: unknown study")
            continue
        lag = (pd.Timestamp(nrow.note_date) - pd.Timestamp(uid2date[r.image_study_uid])).days
        if not 0 <= lag <= 10:
            err(f"truth note {r.record_id}: note {lag} days after exam")
        if uid2true[r.image_study_uid] != nrow.person_id:
            err(f"truth note {r.record_id}: exam's true person differs from the note's person")
if nn.image_study_uid.duplicated(keep=False)[nn.image_study_uid != ""].any():
    err("two notes for one exam")

n_mis = len(ex)
print(f"mis-attached exams: {n_mis}/{len(io)} ({100 * n_mis / len(io):.0f} %)")
print(f"notes with exam: {(nn.image_study_uid != '').sum()}, without: {(nn.image_study_uid == '').sum()}, "
      f"exams without report: {len(set(io.image_study_uid) - set(nn.image_study_uid))}")
print(f"procedures with visit: {(T['procedure_occurrence'].visit_occurrence_id != '').sum()}/{len(p)}, "
      f"notes with visit: {(T['note'].visit_occurrence_id != '').sum()}/{len(notes)}")
lines = T["note"].note_text.str.count("\n") + 1
print(f"note_text lines: min {lines.min()}, max {lines.max()}")
print("VALID" if not errors else f"{len(errors)} ERRORS")
sys.exit(1 if errors else 0)
