#!/usr/bin/env python3
"""Check a warehouse5 set against the column contract and measure its habits.

Usage: python validate.py sets/<profile> [more sets...]   (prints a markdown block per set)
"""
from __future__ import annotations

import collections
import os
import sys

import pyarrow.parquet as pq
from generate import SCHEMAS

CONTRACT = {"patients": "patients.parquet", "stays": "stays.parquet", "exams": "exams.parquet",
            "reports": "reports.parquet", "links": "truth/links.parquet", "exam_faults": "truth/exam_faults.parquet"}
KEYS = {"patients": "patient_id", "stays": "stay_id", "exams": "exam_id", "reports": "report_id"}


def pct(a, b):
    return f"{100.0 * a / b:.1f} %" if b else "n/a"


def check(d):
    errors = []
    T = {}
    for name, rel in CONTRACT.items():
        t = pq.read_table(os.path.join(d, rel))
        if t.schema != SCHEMAS[name]:
            errors.append(f"{rel}: schema differs")
        T[name] = t.to_pylist()
    for name, key in KEYS.items():
        ids = [r[key] for r in T[name]]
        if any(i is None or i == "" for i in ids) or len(set(ids)) != len(ids):
            errors.append(f"{name}: null or duplicated {key}")
    for s in T["stays"]:
        if s["end_datetime"] < s["start_datetime"]:
            errors.append(f"stay ends before start: {s['stay_id']}")
    pts = {p["patient_id"]: p for p in T["patients"]}
    stays = {s["stay_id"]: s for s in T["stays"]}
    exams = {e["exam_id"]: e for e in T["exams"]}
    reports = {r["report_id"]: r for r in T["reports"]}
    link = collections.defaultdict(dict)
    counts = collections.Counter()
    for l in T["links"]:
        counts[(l["source_type"], l["source_id"], l["target_type"])] += 1
        link[(l["source_type"], l["target_type"])][l["source_id"]] = l["target_id"]
    if any(v != 1 for v in counts.values()):
        errors.append("links: a source has several rows for one target type")
    for tt in ("patient", "stay"):
        if set(link[("exam", tt)]) != set(exams):
            errors.append(f"links: exam->{tt} does not cover every exam")
    for tt in ("exam", "stay"):
        if set(link[("report", tt)]) != set(reports):
            errors.append(f"links: report->{tt} does not cover every report")
    for eid, pid in link[("exam", "patient")].items():
        if pid is not None and pid not in pts:
            errors.append("links: exam->patient target not in registry")
    for eid, sid in link[("exam", "stay")].items():
        if sid is None:
            continue
        s, e = stays[sid], exams[eid]
        if s["patient_id"] != link[("exam", "patient")][eid]:
            errors.append("links: exam->stay of another patient")
    for rid, eid in link[("report", "exam")].items():
        if eid is not None and eid not in exams:
            errors.append("links: report->exam target unknown")
    faults = {f["exam_id"]: f for f in T["exam_faults"]}
    if set(faults) != set(exams):
        errors.append("exam_faults does not cover every exam")

    # ------------------------------------------------------------ measures
    m = []
    ne, nr = len(exams), len(reports)
    m.append(f"rows: patients {len(pts)}, stays {len(stays)}, exams {ne}, reports {nr}")
    fc = collections.Counter(f["fault"] for f in faults.values())
    m.append("exam faults: " + ", ".join(f"{k} {pct(v, ne)}" for k, v in sorted(fc.items())))
    nk = collections.Counter(k for f in faults.values() for k in f["identity_noise"].split(";") if k)
    m.append(f"identity noise (any kind): {pct(sum(1 for f in faults.values() if f['identity_noise']), ne)}; kinds: "
             + ", ".join(f"{k} {pct(v, ne)}" for k, v in nk.most_common()))
    hp = os.path.join(d, "extra", "exam_habits.parquet")
    if os.path.exists(hp):
        hk = collections.Counter(k for h in pq.read_table(hp).to_pylist() for k in h["habits"].split(";") if k)
        m.append("exam habits (extra/exam_habits.parquet): " + ", ".join(f"{k} {pct(v, ne)}" for k, v in hk.most_common()))
    mods = collections.Counter(e["modality"] for e in exams.values())
    m.append("modalities: " + ", ".join(f"{k} {pct(v, ne)}" for k, v in mods.most_common()))
    with_stay = sum(1 for v in link[("exam", "stay")].values() if v)
    m.append(f"exams truly in a stay: {pct(with_stay, ne)}; exams carrying a stay_id: "
             f"{pct(sum(1 for e in exams.values() if e['stay_id']), ne)}; carried stay_id wrong: "
             f"{pct(sum(1 for e in exams.values() if e['stay_id'] and e['stay_id'] != link[('exam','stay')][e['exam_id']]), ne)}")
    outside = 0
    for eid, sid in link[("exam", "stay")].items():
        if sid:
            s, t = stays[sid], exams[eid]["study_datetime"]
            if not (s["start_datetime"] <= t <= s["end_datetime"]):
                outside += 1
    m.append(f"exams whose header time lies outside their true stay: {outside}")
    m.append(f"exam accession missing: {pct(sum(1 for e in exams.values() if not e['accession_number']), ne)}; "
             f"header IPP null: {pct(sum(1 for e in exams.values() if not e['patient_id']), ne)}; "
             f"header IPP not in registry: {pct(sum(1 for e in exams.values() if e['patient_id'] and e['patient_id'] not in pts), ne)}")
    # reports
    rex = link[("report", "exam")]
    m.append(f"reports with no exam (outside exam): {sum(1 for v in rex.values() if v is None)}; "
             f"exams with no report: {pct(ne - len(set(v for v in rex.values() if v)), ne)}; "
             f"exams with 2+ reports: {sum(1 for c in collections.Counter(v for v in rex.values() if v).values() if c > 1)}")
    m.append(f"report patient_id: true {pct(sum(1 for r in reports.values() if r['patient_id'] and rex[r['report_id']] and r['patient_id'] == link[('exam','patient')][rex[r['report_id']]]), nr)}, "
             f"null {pct(sum(1 for r in reports.values() if not r['patient_id']), nr)}; stay_id {pct(sum(1 for r in reports.values() if r['stay_id']), nr)}; "
             f"accession {pct(sum(1 for r in reports.values() if r['accession_number']), nr)}; title null {pct(sum(1 for r in reports.values() if not r['title']), nr)}; "
             f"HTML {pct(sum(1 for r in reports.values() if '<br>' in r['text']), nr)}")
    delays = collections.defaultdict(list)
    before = 0
    for rid, eid in rex.items():
        if eid is None:
            continue
        e = exams[eid]
        h = (reports[rid]["report_datetime"] - e["study_datetime"]).total_seconds() / 3600
        delays[e["modality"]].append(h)
        if h < 0:
            before += 1
    parts = []
    for mod, v in sorted(delays.items()):
        v.sort()
        parts.append(f"{mod} median {v[len(v)//2]:.1f} h (p90 {v[int(len(v)*0.9)]:.0f} h)")
    m.append("report delay after header study time: " + "; ".join(parts))
    m.append(f"reports dated before their exam's header time: {before}")
    wk = sum(1 for r in reports.values() if r["report_datetime"].weekday() >= 5)
    m.append(f"reports validated on a weekend: {pct(wk, nr)}")
    nt = sum(1 for e in exams.values() if e["study_datetime"].hour >= 20 or e["study_datetime"].hour < 8)
    m.append(f"exams at night (20h-8h, header time): {pct(nt, ne)}")
    same = collections.Counter((e["patient_id"], e["study_description"], e["study_datetime"].date()) for e in exams.values())
    m.append(f"same patient-id/description/day groups with 2+ exams: {sum(1 for c in same.values() if c > 1)}")
    pu = sum(1 for p in pts.values() if p["usage_name"])
    m.append(f"patients with usage_name: {pct(pu, len(pts))}")
    nm = collections.Counter((p["family_name"], p["given_name"]) for p in pts.values())
    m.append(f"registry homonyms (same family+given name): {sum(c for c in nm.values() if c > 1)} patients")
    st = collections.Counter(s["stay_type"] for s in stays.values())
    m.append("stay types: " + ", ".join(f"{k} {v}" for k, v in st.most_common()))
    return errors, m


def main():
    bad = 0
    for d in sys.argv[1:]:
        errors, m = check(d)
        print(f"### {os.path.basename(os.path.normpath(d))}\n")
        for line in m:
            print(f"- {line}")
        print(f"- contract errors: {len(errors)}" + ("" if not errors else " -> " + "; ".join(sorted(set(errors))[:10])))
        print()
        bad += bool(errors)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
