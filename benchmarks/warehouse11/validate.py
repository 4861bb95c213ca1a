#!/usr/bin/env python3
"""warehouse11 validate: check the table contract and measure the habits of a set.

    python validate.py sets/centre_lutte_cancer [sets/...]

Exit status 1 if any contract check fails. Prints one block per set.
"""
from __future__ import annotations

import collections
import datetime as dt
import os
import re
import statistics
import sys

import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import SCHEMAS  # noqa: E402

TD = dt.timedelta
FAULTS = {"none", "missing_ipp", "mistyped_ipp", "other_patient_ipp", "temporary_ipp", "merged_duplicate_ipp"}
NOISE = {"accents_lost", "case", "typo", "swapped", "usage_name", "compound", "birth_day_month_swap",
         "birth_date_typo", "sex_missing"}
DATE_RE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|"
                     r"septembre|octobre|novembre|décembre) \d{4}\b")


def rows(path):
    return pq.read_table(path).to_pylist()


def pct(a, b):
    return f"{a}/{b} = {100.0 * a / b:.1f} %" if b else f"{a}/0"


def check(d):
    out = []
    errors = []

    def err(msg):
        errors.append(msg)

    name = os.path.basename(os.path.normpath(d))
    out.append(f"=== {name}  ({d})")
    # ------------------------------------------------------------ schemas
    files = {"patients": "patients.parquet", "stays": "stays.parquet", "exams": "exams.parquet",
             "reports": "reports.parquet", "links": "truth/links.parquet", "exam_faults": "truth/exam_faults.parquet"}
    for k, f in files.items():
        s = pq.read_schema(os.path.join(d, f))
        if not s.equals(SCHEMAS[k], check_metadata=False):
            err(f"schema of {f} differs: {s}")
        ref = os.path.join("/work/main/data_samples", f)
        if os.path.exists(ref) and not pq.read_schema(ref).equals(s, check_metadata=False):
            err(f"schema of {f} differs from data_samples")
    P = rows(os.path.join(d, files["patients"]))
    S = rows(os.path.join(d, files["stays"]))
    E = rows(os.path.join(d, files["exams"]))
    R = rows(os.path.join(d, files["reports"]))
    L = rows(os.path.join(d, files["links"]))
    F = rows(os.path.join(d, files["exam_faults"]))
    out.append(f"rows: patients={len(P)} stays={len(S)} exams={len(E)} reports={len(R)} links={len(L)} exam_faults={len(F)}")
    for tname, T, key in (("patients", P, "patient_id"), ("stays", S, "stay_id"), ("exams", E, "exam_id"),
                          ("reports", R, "report_id")):
        ids = [x[key] for x in T]
        if any(i is None for i in ids):
            err(f"{tname}: null key")
        if len(set(ids)) != len(ids):
            err(f"{tname}: duplicate key")
    if any(x["text"] is None for x in R):
        err("reports: null text")
    pid = {p["patient_id"]: p for p in P}
    sid = {s["stay_id"]: s for s in S}
    eid = {e["exam_id"]: e for e in E}
    rid = {r["report_id"]: r for r in R}
    for s in S:
        if s["patient_id"] not in pid:
            err(f"stay {s['stay_id']} has unknown patient")
        if s["end_datetime"] < s["start_datetime"]:
            err(f"stay {s['stay_id']} ends before it starts")
    # ------------------------------------------------------------ links
    cnt = collections.Counter((x["source_type"], x["source_id"], x["target_type"]) for x in L)
    if any(v != 1 for v in cnt.values()):
        err("links: a (source, target_type) pair appears more than once")
    expect = {("exam", e, t) for e in eid for t in ("patient", "stay")} | \
             {("report", r, t) for r in rid for t in ("exam", "stay")}
    if set(cnt) != expect:
        err(f"links: rows differ from the expected one-per-pair ({len(set(cnt) ^ expect)} differences)")
    ep, es, re_, rs = {}, {}, {}, {}
    for x in L:
        m = {("exam", "patient"): ep, ("exam", "stay"): es, ("report", "exam"): re_, ("report", "stay"): rs}[
            (x["source_type"], x["target_type"])]
        m[x["source_id"]] = x["target_id"]
        tgt = {"patient": pid, "stay": sid, "exam": eid}[x["target_type"]]
        if x["target_id"] is not None and x["target_id"] not in tgt:
            err(f"links: unknown target {x['target_type']} {x['target_id']}")
    if any(v is None for v in ep.values()):
        err("links: exam->patient null")
    # exam->stay truth follows the README rule
    stays_by_p = collections.defaultdict(list)
    for s in S:
        stays_by_p[s["patient_id"]].append(s)
    bad_rule = 0
    for e in E:
        t = e["study_datetime"]
        cand = stays_by_p[ep[e["exam_id"]]]
        inside = sorted((s for s in cand if s["start_datetime"] <= t <= s["end_datetime"]),
                        key=lambda s: (s["end_datetime"] - s["start_datetime"], s["stay_id"]))
        if inside:
            exp = inside[0]["stay_id"]
        else:
            pre = sorted((s for s in cand if s["stay_type"] == "hospitalisation"
                          and s["start_datetime"] - TD(hours=8) <= t < s["start_datetime"]),
                         key=lambda s: (s["start_datetime"], s["stay_id"]))
            exp = pre[0]["stay_id"] if pre else None
        if exp != es[e["exam_id"]]:
            bad_rule += 1
    if bad_rule:
        err(f"exam->stay truth breaks the containment rule on {bad_rule} exams")
    # report->exam: same true patient (nothing checkable on time: recorded clocks may be shifted)
    # ------------------------------------------------------------ faults
    fmap = {f["exam_id"]: f for f in F}
    if set(fmap) != set(eid) or len(F) != len(E):
        err("exam_faults: not one row per exam")
    fc = collections.Counter()
    nc = collections.Counter()
    noisy = 0
    for e in E:
        f = fmap.get(e["exam_id"])
        if f is None:
            continue
        fault, true = f["fault"], ep[e["exam_id"]]
        fc[fault] += 1
        if fault not in FAULTS:
            err(f"unknown fault {fault}")
        h = e["patient_id"]
        ok = {"none": h == true,
              "missing_ipp": h is None,
              "mistyped_ipp": h is not None and h != true and h not in pid,
              "other_patient_ipp": h in pid and h != true,
              "temporary_ipp": h is not None and (h.startswith("TMP") or h.startswith("9999")),
              "merged_duplicate_ipp": h is not None and h not in pid and h != true}.get(fault, False)
        if not ok:
            err(f"exam {e['exam_id']}: header IPP inconsistent with fault {fault}")
        kinds = [k for k in (f["identity_noise"] or "").split(";") if k]
        if f["identity_noise"] is None:
            err("identity_noise null (should be '')")
        for k in kinds:
            if k not in NOISE:
                err(f"unknown noise {k}")
            nc[k] += 1
        noisy += bool(kinds)
    n = len(E)
    out.append("exam faults: " + ", ".join(f"{k} {pct(v, n)}" for k, v in sorted(fc.items())))
    out.append(f"badly attached (fault != none): {pct(n - fc['none'], n)}")
    out.append(f"identity noise on {pct(noisy, n)}; kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(nc.items())))
    # ------------------------------------------------------------ habits: patients
    usage = sum(1 for p in P if p["usage_name"])
    fam_bd = collections.Counter((p["family_name"], p["birth_date"]) for p in P)
    twins = sum(v for v in fam_bd.values() if v > 1)
    homo = collections.Counter((p["family_name"], p["given_name"]) for p in P)
    out.append(f"patients: usage_name {pct(usage, len(P))}; same surname+birth date (twins) {twins}; "
               f"same surname+given name (homonyms) {sum(v for v in homo.values() if v > 1)}; "
               f"distinct surnames {len({p['family_name'] for p in P})}")
    # ------------------------------------------------------------ stays
    st = collections.Counter(s["stay_type"] for s in S)
    out.append("stays by type: " + ", ".join(f"{k} {pct(v, len(S))}" for k, v in sorted(st.items())))
    fmt = collections.Counter(re.sub(r"\d", "9", s["stay_id"]) for s in S)
    out.append("stay_id formats: " + ", ".join(f"{k} {v}" for k, v in fmt.most_common(5)))
    # ------------------------------------------------------------ exams
    mod = collections.Counter(e["modality"] for e in E)
    out.append("modalities: " + ", ".join(f"{k} {pct(v, n)}" for k, v in mod.most_common()))
    in_stay = [e for e in E if es[e["exam_id"]] is not None]
    out.append(f"exams with a true stay: {pct(len(in_stay), n)}")
    out.append(f"exams carrying a stay_id: {pct(sum(1 for e in E if e['stay_id']), n)}; "
               f"of which correct: {pct(sum(1 for e in E if e['stay_id'] and e['stay_id'] == es[e['exam_id']]), sum(1 for e in E if e['stay_id']))}")
    pre = 0
    for e in in_stay:
        s = sid[es[e["exam_id"]]]
        if e["study_datetime"] < s["start_datetime"]:
            pre += 1
    out.append(f"in-stay exams done before the admission (ED work-up): {pct(pre, len(in_stay))}")
    imaging_units = {"IMAGERIE MEDICALE", "RADIOLOGIE", "MEDECINE NUCLEAIRE", "SERVICE D'IMAGERIE"}
    req = sum(1 for e in in_stay if e["unit"] not in imaging_units)
    out.append(f"in-stay exams carrying the requesting unit: {pct(req, len(in_stay))}")
    accfmt = collections.Counter(re.sub(r"\d", "9", e["accession_number"] or "NULL") for e in E)
    out.append("exam accession formats: " + ", ".join(f"{k} {v}" for k, v in accfmt.most_common(4)))
    # ------------------------------------------------------------ reports
    m = len(R)
    exam_of = {r: re_[r] for r in rid}
    outside = sum(1 for r in rid if exam_of[r] is None)
    out.append(f"reports with no exam (outside exam review): {pct(outside, m)}")
    per_exam = collections.Counter(v for v in exam_of.values() if v)
    out.append(f"exams with no report: {pct(sum(1 for e in eid if e not in per_exam), n)}; "
               f"exams with 2+ reports (addendum/rectified): {pct(sum(1 for v in per_exam.values() if v > 1), n)}")
    add = sum(1 for r in R if (r["title"] or "").startswith(("ADDENDUM", "COMPTE RENDU RECTIFI")))
    out.append(f"addendum / corrected reports: {pct(add, m)}")
    twox = sum(1 for r in R if r["title"] and (" et " in r["title"] or "+" in r["title"]) and "TEP" in r["title"].upper())
    out.append(f"reports covering two exams (TEP + TDM TAP titles): {pct(twox, m)}")
    rp_null = sum(1 for r in R if r["patient_id"] is None)
    out.append(f"report patient_id null: {pct(rp_null, m)}")
    rp_wrong = 0
    for r in R:
        if r["patient_id"] is None:
            continue
        e = exam_of[r["report_id"]]
        true = ep[e] if e else None
        if e and r["patient_id"] != true:
            rp_wrong += 1
    out.append(f"report patient_id present but not the true IPP: {pct(rp_wrong, m - rp_null)}")
    rs_n = sum(1 for r in R if r["stay_id"])
    rs_ok = sum(1 for r in R if r["stay_id"] and r["stay_id"] == rs[r["report_id"]])
    out.append(f"report stay_id present: {pct(rs_n, m)}; equal to the true stay: {pct(rs_ok, rs_n)}; "
               f"reports with a true stay: {pct(sum(1 for r in R if rs[r['report_id']]), m)}")
    acc_e = {e["exam_id"]: e["accession_number"] for e in E}
    ra = [r for r in R if r["accession_number"]]
    exact = sum(1 for r in ra if exam_of[r["report_id"]] and r["accession_number"] == acc_e[exam_of[r["report_id"]]])
    out.append(f"report accession present: {pct(len(ra), m)}; identical to its exam's accession: {pct(exact, len(ra))}")
    # timing
    neg = 0
    delays = collections.defaultdict(list)
    for r in R:
        e = exam_of[r["report_id"]]
        if not e:
            continue
        x = eid[e]
        dh = (r["report_datetime"] - x["study_datetime"]).total_seconds() / 3600
        if dh < 0:
            neg += 1
        fam = {"PT\\CT": "PET", "NM": "NM", "MR": "MR"}.get(x["modality"], "CT/US/RX/MG")
        delays[fam].append(dh)
    out.append(f"report_datetime before its exam's study_datetime (clock habits): {pct(neg, m - outside)}")
    out.append("report delay (hours) median / p90: " + ", ".join(
        f"{k} {statistics.median(v):.1f} / {sorted(v)[int(0.9 * (len(v) - 1))]:.1f}" for k, v in sorted(delays.items())))
    top = collections.Counter(r["report_datetime"].date() for r in R).most_common(1)
    out.append(f"most frequent report date: {top[0][0]} ({pct(top[0][1], m)})")
    html = sum(1 for r in R if "<br>" in r["text"] or "<p>" in r["text"] or "&#39;" in r["text"])
    rtf = sum(1 for r in R if r["text"].startswith("{\\rtf"))
    out.append(f"HTML residue: {pct(html, m)}; RTF residue: {pct(rtf, m)}")
    dated = sum(1 for r in R if DATE_RE.search(r["text"]))
    out.append(f"a date written in the text: {pct(dated, m)}; [DATE]/[NOM] placeholders: "
               f"{pct(sum(1 for r in R if '[DATE]' in r['text'] or '[NOM]' in r['text']), m)}")
    titles = collections.Counter(r["title"] for r in R)
    out.append("most frequent titles: " + "; ".join(f"{k} ({v})" for k, v in titles.most_common(4)))
    out.append("CONTRACT: " + ("OK" if not errors else f"{len(errors)} ERRORS"))
    for x in errors[:20]:
        out.append("  ERROR " + x)
    return out, not errors


def main():
    ok_all = True
    for d in sys.argv[1:]:
        lines, ok = check(d)
        ok_all &= ok
        print("\n".join(lines))
        print()
    sys.exit(0 if ok_all else 1)


if __name__ == "__main__":
    main()
