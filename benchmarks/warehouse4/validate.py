"""Check a warehouse4 set against the column contract and measure its habits.

python validate.py sets/ght_fusion [sets/pediatrie ...]
"""
from __future__ import annotations

import collections
import datetime as dt
import re
import statistics
import sys

import pyarrow as pa
import pyarrow.parquet as pq
from generate import SCHEMA

DATE_RE = re.compile(r"\d\d/\d\d/\d{4}")
DIG = re.compile(r"\d")
KEYS = {"patients": "patient_id", "stays": "stay_id", "exams": "exam_id", "reports": "report_id"}


def rows(path):
    return pq.read_table(path).to_pylist()


def pct(a, b):
    return f"{100 * a / b:.1f} %" if b else "n/a"


def check(d):
    errs = []
    T = {}
    for name in ["patients", "stays", "exams", "reports"]:
        sch = pq.read_schema(f"{d}/{name}.parquet")
        exp = pa.schema([pa.field(c, t) for c, t in SCHEMA[name]])
        if not sch.equals(exp, check_metadata=False):
            errs.append(f"{name}: schema differs")
        T[name] = rows(f"{d}/{name}.parquet")
        ids = [r[KEYS[name]] for r in T[name]]
        if len(set(ids)) != len(ids) or any(i is None for i in ids):
            errs.append(f"{name}: key not unique / null")
    links = rows(f"{d}/truth/links.parquet")
    faults = rows(f"{d}/truth/exam_faults.parquet")
    pts = {p["patient_id"]: p for p in T["patients"]}
    stays = {s["stay_id"]: s for s in T["stays"]}
    exams = {e["exam_id"]: e for e in T["exams"]}
    reps = {r["report_id"]: r for r in T["reports"]}
    cnt = collections.Counter((l["source_type"], l["source_id"], l["target_type"]) for l in links)
    if any(v != 1 for v in cnt.values()):
        errs.append("truth: duplicate rows")
    for e in exams:
        for tt in ("patient", "stay"):
            if cnt[("exam", e, tt)] != 1:
                errs.append(f"truth: exam {e} lacks {tt}")
    for r in reps:
        for tt in ("exam", "stay"):
            if cnt[("report", r, tt)] != 1:
                errs.append(f"truth: report {r} lacks {tt}")
    L = {(l["source_type"], l["source_id"], l["target_type"]): l["target_id"] for l in links}
    if {f["exam_id"] for f in faults} != set(exams):
        errs.append("exam_faults: not one row per exam")
    # truth rules
    by_pat = collections.defaultdict(list)
    for s in stays.values():
        by_pat[s["patient_id"]].append(s)
    bad_stay = 0
    for e in exams.values():
        p = L[("exam", e["exam_id"], "patient")]
        if p not in pts:
            errs.append("truth: exam patient not in registry")
        t = e["study_datetime"]
        inside = [s for s in by_pat[p] if s["start_datetime"] <= t <= s["end_datetime"]]
        pre = [s for s in by_pat[p] if s["stay_type"] == "hospitalisation" and s["start_datetime"] - dt.timedelta(hours=8) <= t < s["start_datetime"]]
        exp = min(inside, key=lambda s: (s["end_datetime"] - s["start_datetime"], s["stay_id"]))["stay_id"] if inside else \
            (min(pre, key=lambda s: (s["start_datetime"] - t, s["stay_id"]))["stay_id"] if pre else None)
        bad_stay += exp != L[("exam", e["exam_id"], "stay")]
    if bad_stay:
        errs.append(f"truth: {bad_stay} exam->stay rows break the rule")
    bad_rep = 0
    for r in reps.values():
        x = L[("report", r["report_id"], "exam")]
        if x is not None:
            e = exams[x]
            if r["report_datetime"] < e["study_datetime"]:
                bad_rep += 1
            if r["patient_id"] is not None and r["patient_id"] != L[("exam", x, "patient")] and r["patient_id"] != e["patient_id"]:
                bad_rep += 1
    if bad_rep:
        errs.append(f"truth: {bad_rep} report->exam rows break the rule")
    return errs, T, L, faults


def measure(d, T, L, faults):
    out = []
    P = lambda *a: out.append(" ".join(str(x) for x in a))
    exams, reps, pts, stays = T["exams"], T["reports"], T["patients"], T["stays"]
    ne, nr = len(exams), len(reps)
    P(f"rows: patients {len(pts)}, stays {len(stays)}, exams {ne}, reports {nr}")
    P("stay types:", dict(collections.Counter(s["stay_type"] for s in stays)))
    ages = [((dt.date(2024, 1, 1) - p["birth_date"]).days // 365) for p in pts]
    P(f"patients: median age on 2024-01-01 {statistics.median(ages)}; usage_name {pct(sum(p['usage_name'] is not None for p in pts), len(pts))}; "
      f"born 2023-24 {pct(sum(p['birth_date'] >= dt.date(2023, 1, 1) for p in pts), len(pts))}")
    same = collections.Counter((p["family_name"], p["given_name"]) for p in pts)
    twins = collections.Counter((p["family_name"], p["birth_date"]) for p in pts)
    P(f"homonym name pairs {sum(1 for v in same.values() if v > 1)}; same surname+birth date groups (twins) {sum(1 for v in twins.values() if v > 1)}")
    fi = {f["exam_id"]: f for f in faults}
    inst = collections.defaultdict(list)
    for e in exams:
        inst[e["institution"]].append(e)
    for k in sorted(inst):
        es = inst[k]
        fc = collections.Counter(fi[e["exam_id"]]["fault"] for e in es)
        P(f"[{k}] {len(es)} exams; faults " + ", ".join(f"{f} {pct(c, len(es))}" for f, c in fc.most_common()))
        P(f"   accession present {pct(sum(e['accession_number'] is not None for e in es), len(es))}, e.g. "
          + ", ".join(sorted({DIG.sub('9', e['accession_number']) for e in es if e['accession_number']})[:3]))
        P(f"   exam stay_id carried {pct(sum(e['stay_id'] is not None for e in es), len(es))}; "
          f"unit = imaging dept {pct(sum(e['unit'] in ('IMAGERIE MEDICALE', 'RADIOLOGIE', 'IMAGERIE PEDIATRIQUE', 'CIMA', 'IMAGERIE', 'RADIOLOGIE LIBERALE') for e in es), len(es))}; "
          f"IPP shapes " + ", ".join(f"{s} {c}" for s, c in collections.Counter(DIG.sub('9', e['patient_id']) if e['patient_id'] else 'null' for e in es).most_common(4)))
    noise = collections.Counter(k for f in faults for k in f["identity_noise"].split(";") if k)
    P(f"identity noise on {pct(sum(bool(f['identity_noise']) for f in faults), ne)} of exams:", ", ".join(f"{k} {c}" for k, c in noise.most_common()))
    P(f"exam sex null {pct(sum(e['sex'] is None for e in exams), ne)}; birth_date null {pct(sum(e['birth_date'] is None for e in exams), ne)}")
    out_exam = sum(L[("exam", e["exam_id"], "stay")] is None for e in exams)
    P(f"exams outside any stay (outpatient) {pct(out_exam, ne)}")
    sd = collections.Counter((L[("exam", e["exam_id"], "patient")], e["study_datetime"].date(), e["study_description"]) for e in exams)
    P(f"exams sharing patient+day+description with another {pct(sum(v for v in sd.values() if v > 1), ne)}")
    # reports
    per_exam = collections.Counter(L[("report", r["report_id"], "exam")] for r in reps)
    no_exam = per_exam.pop(None, 0)
    P(f"reports without exam (outside exams) {pct(no_exam, nr)}; exams without report {pct(ne - len(per_exam), ne)}; exams with >1 report {pct(sum(v > 1 for v in per_exam.values()), ne)}")
    P(f"report patient_id null {pct(sum(r['patient_id'] is None for r in reps), nr)}; stay_id carried {pct(sum(r['stay_id'] is not None for r in reps), nr)}; "
      f"accession carried {pct(sum(r['accession_number'] is not None for r in reps), nr)}; HTML residue {pct(sum('<br>' in r['text'] for r in reps), nr)}")
    P(f"distinct titles {len({r['title'] for r in reps})}; null titles {pct(sum(r['title'] is None for r in reps), nr)}; "
      f"text gives a dd/mm/yyyy date {pct(sum(bool(DATE_RE.search(r['text'])) for r in reps), nr)}")
    ex = {e["exam_id"]: e for e in exams}
    dl = collections.defaultdict(list)
    for r in reps:
        x = L[("report", r["report_id"], "exam")]
        if x:
            e = ex[x]
            dl[e["modality"]].append((r["report_datetime"] - e["study_datetime"]).total_seconds() / 3600)
    P("report delay hours (median / p90 / max) per modality: " + "; ".join(
        f"{m} {statistics.median(v):.1f}/{sorted(v)[int(0.9 * len(v))]:.0f}/{max(v):.0f}" for m, v in sorted(dl.items())))
    wk = sum(r["report_datetime"].weekday() >= 5 for r in reps)
    P(f"reports validated on a weekend {pct(wk, nr)}")
    return out


if __name__ == "__main__":
    ok = True
    for d in sys.argv[1:]:
        errs, T, L, faults = check(d)
        print(f"== {d}: {'OK' if not errs else 'ERRORS'}")
        for e in errs[:20]:
            print("  !", e)
        ok &= not errs
        for line in measure(d, T, L, faults):
            print("  " + line)
    sys.exit(0 if ok else 1)
