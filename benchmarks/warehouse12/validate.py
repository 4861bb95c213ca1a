#!/usr/bin/env python3
"""warehouse12 validator: checks the table/truth contract and measures the habits of each set.

    python validate.py sets/identitovigilance_ins sets/imagerie_externe_ocr sets/urgences_double_lecture

Exit code 1 if any contract check fails.  Prints fractions per set (used in README.md).
"""
import sys
from collections import Counter
from datetime import timedelta

import pyarrow as pa
import pyarrow.parquet as pq

S, D, T = pa.string(), pa.date32(), pa.timestamp("us")
SCHEMAS = {
    "patients": [("patient_id", S), ("family_name", S), ("given_name", S), ("birth_date", D), ("sex", S),
                 ("usage_name", S)],
    "stays": [("stay_id", S), ("patient_id", S), ("start_datetime", T), ("end_datetime", T), ("unit", S),
              ("stay_type", S), ("diagnoses", S)],
    "exams": [("exam_id", S), ("accession_number", S), ("patient_id", S), ("patient_name", S), ("birth_date", D),
              ("sex", S), ("study_datetime", T), ("modality", S), ("study_description", S), ("body_part", S),
              ("institution", S), ("unit", S), ("stay_id", S)],
    "reports": [("report_id", S), ("patient_id", S), ("stay_id", S), ("report_datetime", T), ("title", S),
                ("text", S), ("accession_number", S)],
    "truth/links": [("source_type", S), ("source_id", S), ("target_type", S), ("target_id", S)],
    "truth/exam_faults": [("exam_id", S), ("fault", S), ("identity_noise", S)],
}
FAULTS = {"none", "missing_ipp", "mistyped_ipp", "other_patient_ipp", "temporary_ipp", "merged_ipp", "partner_id"}
NOISE = {"accents_lost", "case", "typo", "swapped", "usage_name", "compound", "birth_day_month_swap",
         "birth_date_typo", "sex_missing", "all_given_names", "accents_kept", "birth_date_before_ins",
         "provisional_identity", "pn_single_component", "birth_date_missing"}
STAY_TYPES = {"hospitalisation", "day_care", "consultation", "emergency"}


def frac(a, b):
    return f"{a}/{b} = {100.0 * a / b:.1f} %" if b else f"{a}/0"


def check_set(d, out):
    errors = []
    tabs = {}
    for name, cols in SCHEMAS.items():
        t = pq.read_table(f"{d}/{name}.parquet")
        got = [(f.name, f.type) for f in t.schema]
        if got != cols:
            errors.append(f"{name}: schema {got} != {cols}")
        tabs[name] = t.to_pylist()
    P = {r["patient_id"]: r for r in tabs["patients"]}
    ST = {r["stay_id"]: r for r in tabs["stays"]}
    EX = {r["exam_id"]: r for r in tabs["exams"]}
    RP = {r["report_id"]: r for r in tabs["reports"]}
    for name, key, rows in (("patients", "patient_id", tabs["patients"]), ("stays", "stay_id", tabs["stays"]),
                            ("exams", "exam_id", tabs["exams"]), ("reports", "report_id", tabs["reports"])):
        ks = [r[key] for r in rows]
        if None in ks or len(set(ks)) != len(ks):
            errors.append(f"{name}: key {key} null or duplicated")
    for r in tabs["reports"]:
        if r["text"] is None:
            errors.append("report without text")
    for s in tabs["stays"]:
        if s["patient_id"] not in P:
            errors.append(f"stay {s['stay_id']} patient not in registry")
        if not (s["start_datetime"] < s["end_datetime"]):
            errors.append(f"stay {s['stay_id']} ends before start")
        if s["stay_type"] not in STAY_TYPES:
            errors.append(f"stay type {s['stay_type']}")
    EH = {r["exam_id"]: r for r in pq.read_table(f"{d}/habits/exam_habits.parquet").to_pylist()}
    RH = {r["report_id"]: r for r in pq.read_table(f"{d}/habits/report_habits.parquet").to_pylist()}
    # links: exactly one row per (source, target_type)
    L = {}
    cnt = Counter()
    for l in tabs["truth/links"]:
        k = (l["source_type"], l["source_id"], l["target_type"])
        cnt[k] += 1
        L[k] = l["target_id"]
    if any(v != 1 for v in cnt.values()):
        errors.append("links: duplicated (source, target_type)")
    for e in EX:
        for tt in ("patient", "stay"):
            if ("exam", e, tt) not in L:
                errors.append(f"links: exam {e} lacks {tt}")
    for r in RP:
        for tt in ("exam", "stay"):
            if ("report", r, tt) not in L:
                errors.append(f"links: report {r} lacks {tt}")
    if len(cnt) != 2 * len(EX) + 2 * len(RP):
        errors.append("links: rows for unknown sources")
    true_pat = {}
    for e, ex in EX.items():
        tp = L.get(("exam", e, "patient"))
        if tp not in P:
            errors.append(f"exam {e}: true patient missing from registry")
        true_pat[e] = tp
        ts = L.get(("exam", e, "stay"))
        if ts is not None:
            s = ST.get(ts)
            t = EH[e]["true_study_datetime"]
            if s is None or s["patient_id"] != tp:
                errors.append(f"exam {e}: truth stay of another patient / unknown")
            elif not (s["start_datetime"] <= t <= s["end_datetime"] or
                      (s["stay_type"] == "hospitalisation" and timedelta(0) < s["start_datetime"] - t <= timedelta(hours=8))):
                errors.append(f"exam {e}: truth stay does not contain the exam")
    for r, rp in RP.items():
        te = L.get(("report", r, "exam"))
        if te is not None:
            if te not in EX:
                errors.append(f"report {r}: unknown exam")
            elif EH[te]["true_study_datetime"] > rp["report_datetime"]:
                errors.append(f"report {r}: written before its exam")
            if L.get(("report", r, "stay")) != L.get(("exam", te, "stay")):
                errors.append(f"report {r}: stay differs from its exam's stay")
        ts = L.get(("report", r, "stay"))
        if ts is not None and ts not in ST:
            errors.append(f"report {r}: unknown stay")
    F = {r["exam_id"]: r for r in tabs["truth/exam_faults"]}
    if set(F) != set(EX) or len(tabs["truth/exam_faults"]) != len(EX):
        errors.append("exam_faults: not one row per exam")
    for e, f in F.items():
        ex = EX[e]
        if f["fault"] not in FAULTS:
            errors.append(f"unknown fault {f['fault']}")
        for k in filter(None, f["identity_noise"].split(";")):
            if k not in NOISE:
                errors.append(f"unknown noise {k}")
        h, tp = ex["patient_id"], true_pat[e]
        ok = {"none": h == tp, "missing_ipp": h is None, "mistyped_ipp": h is not None and h not in P,
              "other_patient_ipp": h in P and h != tp, "temporary_ipp": h is not None and h not in P,
              "merged_ipp": h is not None and h not in P, "partner_id": h is not None and h not in P}[f["fault"]]
        if not ok:
            errors.append(f"exam {e}: header patient_id inconsistent with fault {f['fault']}")
    for e in errors[:20]:
        out(f"  ERROR {e}")
    out(f"  contract: {'OK' if not errors else f'{len(errors)} errors'}")

    # ------------------------------------------------------------------ measures
    ne, nr = len(EX), len(RP)
    out(f"  rows: patients {len(P)}, stays {len(ST)}, exams {ne}, reports {nr}, links {len(tabs['truth/links'])}")
    out("  stays by type: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(s["stay_type"] for s in ST.values()).items())))
    bypat = {}
    for s in ST.values():
        bypat.setdefault(s["patient_id"], []).append(s)
    chained = 0
    for ss in bypat.values():
        starts = {s["start_datetime"] for s in ss}
        chained += sum(1 for s in ss if s["end_datetime"] in starts)
    out(f"  stays followed without gap by another stay (UHCD->ward, transfers): {frac(chained, len(ST))}")
    uhcd = sum(1 for s in ST.values() if s["unit"] == "UHCD")
    out(f"  UHCD stays: {frac(uhcd, len(ST))}")
    fc = Counter(f["fault"] for f in F.values())
    out("  exam faults: " + "; ".join(f"{k} {frac(v, ne)}" for k, v in sorted(fc.items())))
    noisy = sum(1 for f in F.values() if f["identity_noise"])
    out(f"  exams with identity noise: {frac(noisy, ne)}")
    nc = Counter(k for f in F.values() for k in filter(None, f["identity_noise"].split(";")))
    out("  noise kinds: " + "; ".join(f"{k} {100.0 * v / ne:.1f} %" for k, v in sorted(nc.items())))
    from datetime import datetime
    ins = datetime(2022, 7, 1)
    for lab, sel in (("before 2022-07-01", lambda t: t < ins), ("from 2022-07-01", lambda t: t >= ins)):
        es = [e for e in EX if sel(EH[e]["true_study_datetime"])]
        kinds = ("all_given_names", "accents_kept", "usage_name", "birth_date_before_ins")
        out(f"  identity forms of exams {lab} (n={len(es)}): " + ", ".join(
            f"{k} {frac(sum(1 for e in es if k in F[e]['identity_noise'].split(';')), len(es))}" for k in kinds))
    out(f"  exam header stay_id filled: {frac(sum(1 for x in EX.values() if x['stay_id']), ne)}")
    out(f"  exams truly in a stay: {frac(sum(1 for e in EX if L[('exam', e, 'stay')]), ne)}")
    pre = sum(1 for e in EX if L[('exam', e, 'stay')] and EH[e]["true_study_datetime"] < ST[L[('exam', e, 'stay')]]["start_datetime"])
    out(f"  exams before the admission they belong to (<= 8 h): {frac(pre, ne)}")
    inst = sum(1 for e, x in EX.items() if L[('exam', e, 'stay')] and x["unit"] == ST[L[('exam', e, 'stay')]]["unit"])
    out(f"  exams in a stay carrying the stay's unit: {frac(inst, sum(1 for e in EX if L[('exam', e, 'stay')]))}")
    # header datetime vs true datetime
    th = Counter(h["time_habit"] for h in EH.values() if h["time_habit"])
    out("  partner study-time habits: " + ", ".join(f"{k} {frac(v, ne)}" for k, v in sorted(th.items())))
    shifted_stay = 0
    for e, x in EX.items():
        t = x["study_datetime"]
        tp = true_pat[e]
        c = [s for s in bypat.get(tp, []) if s["start_datetime"] <= t <= s["end_datetime"]]
        got = min(c, key=lambda s: s["end_datetime"] - s["start_datetime"])["stay_id"] if c else None
        if got != L[('exam', e, 'stay')] and t != EH[e]["true_study_datetime"]:
            shifted_stay += 1
    out(f"  exams whose header time (not the true time) falls in a different stay than the truth: {frac(shifted_stay, ne)}")
    eh = Counter(h["habit"] for h in EH.values() if h["habit"])
    out("  exam habits: " + ", ".join(f"{k} {frac(v, ne)}" for k, v in sorted(eh.items())))
    acc = Counter(x["accession_number"] for x in EX.values())
    out(f"  exams sharing an accession number: {frac(sum(v for v in acc.values() if v > 1), ne)}")
    # reports
    rpe = Counter(L[('report', r, 'exam')] for r in RP)
    out(f"  reports without exam (truth null): {frac(rpe.get(None, 0), nr)}")
    out(f"  exams with 0 / 1 / 2+ reports: {frac(sum(1 for e in EX if rpe.get(e, 0) == 0), ne)} / "
        f"{frac(sum(1 for e in EX if rpe.get(e, 0) == 1), ne)} / {frac(sum(1 for e in EX if rpe.get(e, 0) >= 2), ne)}")
    rtrue = Counter()
    for r, x in RP.items():
        te = L[('report', r, 'exam')]
        tp = true_pat.get(te) if te else None
        if x["patient_id"] is None:
            rtrue["null"] += 1
        elif x["patient_id"] in P and (tp is None or x["patient_id"] == tp):
            rtrue["true_ipp"] += 1
        elif x["patient_id"] in P:
            rtrue["other_ipp"] += 1
        else:
            rtrue["not_in_registry (temporary/merged)"] += 1
    out("  report patient_id: " + ", ".join(f"{k} {frac(v, nr)}" for k, v in sorted(rtrue.items())))
    rs = sum(1 for x in RP.values() if x["stay_id"])
    rs_ok = sum(1 for r, x in RP.items() if x["stay_id"] and x["stay_id"] == L[('report', r, 'stay')])
    out(f"  report stay_id filled: {frac(rs, nr)}; equal to the truth when filled: {frac(rs_ok, rs)}")
    out(f"  reports truly in a stay: {frac(sum(1 for r in RP if L[('report', r, 'stay')]), nr)}")
    ra = sum(1 for x in RP.values() if x["accession_number"])
    ra_ok = sum(1 for r, x in RP.items() if x["accession_number"] and L[('report', r, 'exam')]
                and x["accession_number"] == EX[L[('report', r, 'exam')]]["accession_number"])
    out(f"  report accession_number filled: {frac(ra, nr)}; equal to its exam's when filled: {frac(ra_ok, ra)}")
    out(f"  reports with the exam date written in the text: {frac(sum(1 for h in RH.values() if h['date_in_text'] == '1'), nr)}")
    out(f"  reports with HTML residue: {frac(sum(1 for x in RP.values() if '<br>' in x['text']), nr)}")
    rh = Counter(h["habit"] for h in RH.values())
    out("  report habits: " + ", ".join(f"{k} {frac(v, nr)}" for k, v in sorted(rh.items())))
    delays = {}
    for r, x in RP.items():
        te = L[('report', r, 'exam')]
        if te:
            delays.setdefault(EX[te]["modality"], []).append(
                (x["report_datetime"] - EH[te]["true_study_datetime"]).total_seconds() / 3600)
    out("  median report delay (h) by modality: " + ", ".join(
        f"{m} {sorted(v)[len(v) // 2]:.1f}" for m, v in sorted(delays.items())))
    fam = Counter(p["family_name"] for p in P.values())
    out("  top surnames: " + ", ".join(f"{k} {v}" for k, v in fam.most_common(6)))
    out(f"  patients with usage_name: {frac(sum(1 for p in P.values() if p['usage_name']), len(P))}")
    return not errors


def main():
    ok = True
    lines = []

    def out(s):
        print(s)
        lines.append(s)
    for d in sys.argv[1:]:
        out(f"== {d}")
        ok &= check_set(d, out)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
