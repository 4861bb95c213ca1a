#!/usr/bin/env python3
"""Check a warehouse9 set against the table contract and measure its habits.

usage: validate.py DIR [DIR ...]     (prints a report; exit 1 on any contract error)
"""
import collections
import datetime as dt
import sys

import pyarrow.parquet as pq

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from generate import SCHEMAS  # noqa: E402

MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]


def load(d, name):
    path = f"{d}/{name}.parquet" if name in ("patients", "stays", "exams", "reports") else f"{d}/truth/{name}.parquet"
    t = pq.read_table(path)
    want = [(c, str(ty)) for c, ty in SCHEMAS[name]]
    got = [(f.name, str(f.type)) for f in t.schema]
    return t.to_pylist(), want == got, got


def pct(a, b):
    return f"{100.0 * a / b:5.1f} %" if b else "  n/a"


def check(d):
    errs = []
    out = []
    T = {}
    for name in SCHEMAS:
        rows, ok, got = load(d, name)
        T[name] = rows
        if not ok:
            errs.append(f"{name}: schema differs: {got}")
    P, ST, E, R, L, F = (T[k] for k in ("patients", "stays", "exams", "reports", "links", "exam_faults"))
    for name, key in (("patients", "patient_id"), ("stays", "stay_id"), ("exams", "exam_id"), ("reports", "report_id")):
        ids = [x[key] for x in T[name]]
        if None in ids or len(set(ids)) != len(ids):
            errs.append(f"{name}: key {key} null or not unique")
    if any(x["text"] is None for x in R):
        errs.append("reports: null text")
    pids = {x["patient_id"] for x in P}
    stays = {x["stay_id"]: x for x in ST}
    exams = {x["exam_id"]: x for x in E}
    cnt = collections.Counter((x["source_type"], x["source_id"], x["target_type"]) for x in L)
    for e in exams:
        for tt in ("patient", "stay"):
            if cnt[("exam", e, tt)] != 1:
                errs.append(f"links: exam {e} -> {tt} count {cnt[('exam', e, tt)]}")
    for rr in R:
        for tt in ("exam", "stay"):
            if cnt[("report", rr["report_id"], tt)] != 1:
                errs.append(f"links: report -> {tt} count wrong")
    if len(L) != 2 * (len(E) + len(R)):
        errs.append("links: extra rows")
    tp = {}  # exam -> true patient
    tstay = {}
    rexam, rstay = {}, {}
    for x in L:
        if x["source_type"] == "exam" and x["target_type"] == "patient":
            tp[x["source_id"]] = x["target_id"]
            if x["target_id"] not in pids:
                errs.append("links: exam->patient target not in patients")
        elif x["source_type"] == "exam":
            tstay[x["source_id"]] = x["target_id"]
        elif x["target_type"] == "exam":
            rexam[x["source_id"]] = x["target_id"]
        else:
            rstay[x["source_id"]] = x["target_id"]
    # exam -> stay rule: inside stay (shortest) or <= 8 h before a hospitalisation
    stays_of = collections.defaultdict(list)
    for s in ST:
        stays_of[s["patient_id"]].append(s)
    bad = 0
    for e, ex in exams.items():
        t = ex["study_datetime"]
        s = tstay[e]
        inside = [z for z in stays_of[tp[e]] if z["start_datetime"] <= t <= z["end_datetime"]]
        if s is None:
            bad += bool(inside)
            continue
        z = stays[s]
        if z["patient_id"] != tp[e]:
            bad += 1
        elif inside:
            bad += z is not min(inside, key=lambda q: q["end_datetime"] - q["start_datetime"]) and \
                (z["end_datetime"] - z["start_datetime"]) != min(q["end_datetime"] - q["start_datetime"] for q in inside)
        elif not (z["stay_type"] == "hospitalisation" and dt.timedelta(0) < z["start_datetime"] - t <= dt.timedelta(hours=8)):
            bad += 1
    if bad:
        errs.append(f"truth: {bad} exam->stay links break the stay rule")
    bad = 0
    for rr in R:
        e = rexam[rr["report_id"]]
        if e is not None and (e not in exams or rr["report_datetime"] < exams[e]["study_datetime"]):
            bad += 1
        s = rstay[rr["report_id"]]
        if s is not None and s not in stays:
            bad += 1
    if bad:
        errs.append(f"truth: {bad} report links inconsistent")
    if {x["exam_id"] for x in F} != set(exams) or len(F) != len(E):
        errs.append("exam_faults: not one row per exam")

    # ------------------------------------------------ habits
    out.append(f"rows: patients={len(P)} stays={len(ST)} exams={len(E)} reports={len(R)} links={len(L)}")
    out.append("stay types: " + ", ".join(f"{k} {pct(v, len(ST))}" for k, v in collections.Counter(s["stay_type"] for s in ST).most_common()))
    out.append("exam modalities: " + ", ".join(f"{k} {pct(v, len(E))}" for k, v in collections.Counter(x["modality"] for x in E).most_common()))
    fc = collections.Counter(x["fault"] for x in F)
    out.append("exam faults: " + ", ".join(f"{k} {pct(v, len(F))}" for k, v in fc.most_common()))
    nz = collections.Counter(k for x in F for k in x["identity_noise"].split(";") if k)
    out.append(f"exams with identity noise: {pct(sum(1 for x in F if x['identity_noise']), len(F))}; kinds: " +
               ", ".join(f"{k} {pct(v, len(F))}" for k, v in nz.most_common()))
    out.append(f"exam header patient_id: null {pct(sum(x['patient_id'] is None for x in E), len(E))}, "
               f"not in registry {pct(sum(x['patient_id'] is not None and x['patient_id'] not in pids for x in E), len(E))}, "
               f"= true IPP {pct(sum(x['patient_id'] == tp[x['exam_id']] for x in E), len(E))}")
    out.append(f"exam true stay: {pct(sum(v is not None for v in tstay.values()), len(E))} of exams (rest outpatient); "
               f"header stay_id filled {pct(sum(x['stay_id'] is not None for x in E), len(E))}")
    with_stay = [x for x in E if tstay[x["exam_id"]]]
    out.append(f"exams in a stay carrying the stay's unit: {pct(sum(x['unit'] == stays[tstay[x['exam_id']]]['unit'] for x in with_stay), len(with_stay))}; "
               f"before admission (not inside the stay): {pct(sum(x['study_datetime'] < stays[tstay[x['exam_id']]]['start_datetime'] for x in with_stay), len(with_stay))}")
    night = sum(1 for x in E if x["study_datetime"].hour >= 20 or x["study_datetime"].hour < 8)
    out.append(f"exams at night (20h-8h): {pct(night, len(E))}; institutions: " +
               ", ".join(f"{k} {pct(v, len(E))}" for k, v in collections.Counter(x["institution"] for x in E).most_common(6)))
    ns = sum(1 for x in with_stay if x["institution"] and stays[tstay[x["exam_id"]]]["stay_id"][:1] not in "")
    rpe = collections.Counter(v for v in rexam.values() if v)
    out.append(f"exams with 0 reports {pct(sum(1 for e in exams if rpe[e] == 0), len(E))}, with 2+ reports {pct(sum(1 for e in exams if rpe[e] >= 2), len(E))}; "
               f"reports with no exam (outside exams) {pct(sum(v is None for v in rexam.values()), len(R))}")
    lin = [rr for rr in R if rexam[rr["report_id"]]]
    delays = sorted((rr["report_datetime"] - exams[rexam[rr["report_id"]]]["study_datetime"]).total_seconds() / 3600 for rr in lin)
    if delays:
        med = delays[len(delays) // 2]
        out.append(f"report delay: median {med:.1f} h, >24 h {pct(sum(d > 24 for d in delays), len(delays))}, >7 d {pct(sum(d > 168 for d in delays), len(delays))}; "
                   f"signed on a Friday {pct(sum(rr['report_datetime'].weekday() == 4 for rr in lin), len(lin))}")
    out.append(f"report patient_id: null {pct(sum(rr['patient_id'] is None for rr in R), len(R))}, "
               f"not in registry {pct(sum(rr['patient_id'] is not None and rr['patient_id'] not in pids for rr in R), len(R))}; "
               f"stay_id filled {pct(sum(rr['stay_id'] is not None for rr in R), len(R))}; true stay non-null {pct(sum(v is not None for v in rstay.values()), len(R))}")
    acc_e = {x["accession_number"] for x in E}
    a_new = sum(1 for rr in lin if rr["accession_number"] == exams[rexam[rr["report_id"]]]["accession_number"])
    a_other = sum(1 for rr in lin if rr["accession_number"] and rr["accession_number"] != exams[rexam[rr["report_id"]]]["accession_number"])
    out.append(f"report accession: none {pct(sum(rr['accession_number'] is None for rr in R), len(R))}, = exam's {pct(a_new, len(R))}, "
               f"other value (old RIS number) {pct(a_other, len(R))} (of which found in exams {sum(1 for rr in lin if rr['accession_number'] and rr['accession_number'] != exams[rexam[rr['report_id']]]['accession_number'] and rr['accession_number'] in acc_e)})")
    dated = 0
    for rr in lin:
        t = exams[rexam[rr["report_id"]]]["study_datetime"]
        forms = [f"{t:%d/%m/%Y}", f"{t:%d/%m/%y}", f"{t:%d.%m.%Y}", f"{t.day} {MOIS[t.month - 1]} {t.year}"]
        dated += any(f in rr["text"] for f in forms)
    out.append(f"exam date written in report text: {pct(dated, len(lin))}; HTML residue {pct(sum('<br>' in rr['text'] for rr in R), len(R))}; "
               f"re-issued (rectifié) {pct(sum('annule et remplace' in rr['text'] for rr in R), len(R))}; "
               f"resident dictation {pct(sum('(interne)' in rr['text'] or '(DJ)' in rr['text'] for rr in R), len(R))}; "
               f"teleradiology {pct(sum('Téléradiologie' in rr['text'] for rr in R), len(R))}")
    outp = set(pids) - {s["patient_id"] for s in ST}
    out.append(f"patients without any stay: {pct(len(outp), len(P))}; women with usage_name {pct(sum(1 for x in P if x['usage_name']), sum(1 for x in P if x['sex'] == 'F'))}")
    return errs, out


def main():
    rc = 0
    for d in sys.argv[1:]:
        errs, out = check(d)
        print(f"== {d}")
        print("contract: " + ("OK" if not errs else "ERRORS"))
        for e in errs[:20]:
            print("  ERROR " + e)
        for line in out:
            print("  " + line)
        rc |= bool(errs)
    sys.exit(rc)


if __name__ == "__main__":
    main()
