#!/usr/bin/env python3
"""Check a warehouse13 set against the contract and measure its habits.
usage: validate.py DIR [DIR...]"""
import collections
import os
import re
import sys

import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datetime as dt

from generate import SCHEMAS, paris_offset


def frac(a, b):
    return f"{a}/{b} = {100.0 * a / b:.1f} %" if b else "0/0"

def check(d):
    out = [f"== {d}"]
    T = {}
    ok = True
    for name, cols in SCHEMAS.items():
        t = pq.read_table(os.path.join(d, name + ".parquet"))
        exp = [(n, str(ty)) for n, ty in cols]
        got = [(f.name, str(f.type)) for f in t.schema]
        if exp != got:
            ok = False; out.append(f"FAIL schema {name}: {got}")
        T[name] = t.to_pylist()
        out.append(f"{name}: {t.num_rows} rows")
    P, S, E, R, L, F = (T[k] for k in ["patients", "stays", "exams", "reports", "truth/links", "truth/exam_faults"])
    for name, key in [("patients", "patient_id"), ("stays", "stay_id"), ("exams", "exam_id"), ("reports", "report_id")]:
        ids = [x[key] for x in T[name]]
        if None in ids or len(set(ids)) != len(ids):
            ok = False; out.append(f"FAIL {name}.{key} null or duplicate")
    pid = {p["patient_id"] for p in P}; sid = {s["stay_id"]: s for s in S}; eid = {e["exam_id"]: e for e in E}
    cnt = collections.Counter((l["source_type"], l["source_id"], l["target_type"]) for l in L)
    for e in E:
        for tt in ("patient", "stay"):
            if cnt[("exam", e["exam_id"], tt)] != 1: ok = False; out.append(f"FAIL link count exam {tt}"); break
    for rr in R:
        for tt in ("exam", "stay"):
            if cnt[("report", rr["report_id"], tt)] != 1: ok = False; out.append(f"FAIL link count report {tt}"); break
    if len(L) != 2 * (len(E) + len(R)):
        ok = False; out.append("FAIL extra links")
    tgt = {}
    for l in L:
        tgt[(l["source_id"], l["target_type"])] = l["target_id"]
        t = l["target_id"]
        if t is not None and not ((l["target_type"] == "patient" and t in pid) or (l["target_type"] == "stay" and t in sid) or (l["target_type"] == "exam" and t in eid)):
            ok = False; out.append(f"FAIL dangling target {l}")
    if len(F) != len(E) or {f["exam_id"] for f in F} != set(eid):
        ok = False; out.append("FAIL exam_faults not one row per exam")
    for s in S:
        if s["end_datetime"] < s["start_datetime"]: ok = False; out.append("FAIL stay end<start"); break
    acc_re = re.compile(r"^A\d{8}$")
    if not all(acc_re.match(e["accession_number"] or "") for e in E): ok = False; out.append("FAIL accession format")
    # report written after its exam (local time)
    tz = "horloges" in d
    late = 0
    for rr in R:
        x = tgt[(rr["report_id"], "exam")]
        if x:
            st = eid[x]["study_datetime"]
            if tz: st = st + dt.timedelta(hours=1)  # at least UTC+1
            if rr["report_datetime"] < st - dt.timedelta(days=1 if rr["report_datetime"].time() == dt.time() else 0): late += 1
    if late: ok = False; out.append(f"FAIL {late} reports before their exam")
    out.append("contract: " + ("OK" if ok else "FAILED"))
    # habits
    fc = collections.Counter(f["fault"] for f in F)
    out.append("exam faults: " + ", ".join(f"{k} {frac(v, len(F))}" for k, v in sorted(fc.items())))
    nc = collections.Counter(k for f in F for k in f["identity_noise"].split(";") if k)
    out.append("exams with identity noise: " + frac(sum(1 for f in F if f["identity_noise"]), len(F)))
    out.append("noise kinds (exams): " + ", ".join(f"{k} {v}" for k, v in sorted(nc.items())))
    out.append("exam.stay_id filled: " + frac(sum(e["stay_id"] is not None for e in E), len(E)))
    es = sum(tgt[(e["exam_id"], "stay")] is not None for e in E)
    out.append("exams with a true stay: " + frac(es, len(E)))
    out.append("stay types: " + ", ".join(f"{k} {v}" for k, v in sorted(collections.Counter(s["stay_type"] for s in S).items())))
    out.append("stays per patient: %.1f, exams per patient: %.2f" % (len(S) / len(P), len(E) / len(P)))
    out.append("report.patient_id filled: " + frac(sum(r["patient_id"] is not None for r in R), len(R)))
    out.append("report.stay_id filled: " + frac(sum(r["stay_id"] is not None for r in R), len(R)))
    out.append("report.accession filled: " + frac(sum(r["accession_number"] is not None for r in R), len(R)))
    out.append("reports of outside exams (no exam): " + frac(sum(tgt[(r["report_id"], "exam")] is None for r in R), len(R)))
    out.append("reports with HTML residue: " + frac(sum("<br>" in r["text"] for r in R), len(R)))
    out.append("reports with exam date in text (dd/mm/yyyy or dd.mm.yy): " + frac(sum(bool(re.search(r"\d\d[/.]\d\d[/.]\d\d", r["text"])) for r in R), len(R)))
    out.append("reports with midnight time (date only): " + frac(sum(r["report_datetime"].time() == dt.time() for r in R), len(R)))
    out.append("reports mentioning an interpreter: " + frac(sum("interpr" in r["text"].lower() or "barrière de la langue" in r["text"].lower() for r in R), len(R)))
    # delays
    delays = []
    fri = 0
    for r in R:
        x = tgt[(r["report_id"], "exam")]
        if x:
            delays.append((r["report_datetime"] - eid[x]["study_datetime"]).total_seconds() / 86400)
            fri += r["report_datetime"].weekday() == 4 and r["report_datetime"].hour >= 17
    delays.sort()
    if delays:
        out.append("report delay days: median %.2f, p90 %.2f" % (delays[len(delays) // 2], delays[int(len(delays) * .9)]))
    out.append("reports signed Friday >= 17h: " + frac(fri, len(R)))
    acc = collections.Counter(e["accession_number"] for e in E)
    out.append("exams whose accession number is shared with another exam: " + frac(sum(v for v in acc.values() if v > 1), len(E)))
    # time zone: exams whose stored date differs from local date
    if tz:
        nd = 0
        for e in E:
            u = e["study_datetime"]
            loc = u + dt.timedelta(hours=1); loc = u + dt.timedelta(hours=paris_offset(loc))
            nd += loc.date() != u.date()
        out.append("exams whose UTC date != local date: " + frac(nd, len(E)))
        sid_t = {s["stay_id"]: s for s in S}
        outside = sum(1 for e in E if tgt[(e["exam_id"], "stay")] and not (sid_t[tgt[(e["exam_id"], "stay")]]["start_datetime"] <= e["study_datetime"] <= sid_t[tgt[(e["exam_id"], "stay")]]["end_datetime"]))
        out.append("exams outside their true stay's bounds as stored (UTC vs local): " + frac(outside, es))
    dd = collections.Counter()
    for p in P: dd[(p["birth_date"].month, p["birth_date"].day) == (1, 1)] += 1
    out.append("patients born 1 January: " + frac(dd[True], len(P)))
    truep = collections.Counter(tgt[(e["exam_id"], "patient")] for e in E)
    persons_with_several = sum(1 for p in P if p["patient_id"] not in truep)
    out.append("registry IPPs never a true exam patient (duplicate IPPs or no imaging): " + frac(persons_with_several, len(P)))
    out.append("women with usage_name: " + frac(sum(p["usage_name"] is not None for p in P), sum(p["sex"] == "F" for p in P)))
    return ok, "\n".join(out)

if __name__ == "__main__":
    allok = True
    for d in sys.argv[1:]:
        ok, txt = check(d); allok &= ok; print(txt); print()
    sys.exit(0 if allok else 1)
