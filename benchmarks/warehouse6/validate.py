"""Check a warehouse6 set against the contract and measure its habits.

Usage: python validate.py sets/chu_ris [sets/ch_groupe ...]   (exit 1 on a contract error)
Standard library + pyarrow only.
"""
from __future__ import annotations

import collections
import datetime as dt
import re
import sys

import pyarrow as pa
import pyarrow.parquet as pq
from generate import CORRECT, SCHEMAS

FAULTS = {CORRECT, "missing_ipp", "mistyped_ipp", "other_patient_ipp", "temporary_ipp"}


def rows(path):
    return pq.read_table(path).to_pylist()


def pct(a, b):
    return f"{100.0 * a / b:.1f} %" if b else "n/a"


def quant(xs, qs=(0.1, 0.5, 0.9)):
    xs = sorted(xs)
    if not xs:
        return "n/a"
    return " / ".join(f"{xs[min(len(xs) - 1, int(q * len(xs)))]:.1f}" for q in qs)


def check(d):
    errs = []
    T = {}
    for name in ("patients", "stays", "exams", "reports"):
        sch = pq.read_schema(f"{d}/{name}.parquet")
        want = pa.schema(SCHEMAS[name])
        if not sch.equals(want, check_metadata=False):
            errs.append(f"{name}: schema differs")
        T[name] = rows(f"{d}/{name}.parquet")
    links = rows(f"{d}/truth/links.parquet")
    faults = rows(f"{d}/truth/exam_faults.parquet")
    key = {"patients": "patient_id", "stays": "stay_id", "exams": "exam_id", "reports": "report_id"}
    for n, k in key.items():
        ids = [x[k] for x in T[n]]
        if None in ids or len(set(ids)) != len(ids):
            errs.append(f"{n}: key {k} null or not unique")
    P = {x["patient_id"]: x for x in T["patients"]}
    S = {x["stay_id"]: x for x in T["stays"]}
    E = {x["exam_id"]: x for x in T["exams"]}
    R = {x["report_id"]: x for x in T["reports"]}
    L = collections.defaultdict(list)
    for l in links:
        L[(l["source_type"], l["source_id"], l["target_type"])].append(l["target_id"])
    for e in E:
        for tt in ("patient", "stay"):
            if len(L[("exam", e, tt)]) != 1:
                errs.append(f"exam {e}: {len(L[('exam', e, tt)])} {tt} truth rows")
    for rid in R:
        for tt in ("exam", "stay"):
            if len(L[("report", rid, tt)]) != 1:
                errs.append(f"report {rid}: {len(L[('report', rid, tt)])} {tt} truth rows")
    true_p = {e: L[("exam", e, "patient")][0] for e in E}
    if any(v not in P for v in true_p.values()):
        errs.append("exam→patient target not in patients")
    for e, ex in E.items():
        st = L[("exam", e, "stay")][0]
        if st is None:
            continue
        s = S.get(st)
        if s is None or s["patient_id"] != true_p[e]:
            errs.append(f"exam {e}: stay target missing or of another patient")
            continue
        t = ex["study_datetime"]
        if not (s["start_datetime"] <= t <= s["end_datetime"] or
                (s["stay_type"] == "hospitalisation" and s["start_datetime"] - dt.timedelta(hours=8) <= t)):
            errs.append(f"exam {e}: not inside its truth stay")
    for rid, rp in R.items():
        ex = L[("report", rid, "exam")][0]
        if ex is not None:
            if ex not in E:
                errs.append(f"report {rid}: exam target unknown")
            elif rp["report_datetime"] < E[ex]["study_datetime"]:
                errs.append(f"report {rid}: written before its exam")
        st = L[("report", rid, "stay")][0]
        if st is not None and st not in S:
            errs.append(f"report {rid}: stay target unknown")
    F = {f["exam_id"]: f for f in faults}
    if set(F) != set(E):
        errs.append("exam_faults does not cover exactly the exams")
    for e, f in F.items():
        if f["fault"] not in FAULTS:
            errs.append(f"exam {e}: unknown fault {f['fault']}")
        h, tp = E[e]["patient_id"], true_p[e]
        ok = {CORRECT: h == tp, "missing_ipp": h is None, "mistyped_ipp": h is not None and h not in P and h != tp,
              "other_patient_ipp": h in P and h != tp, "temporary_ipp": h is not None and h not in P}[f["fault"]]
        if not ok:
            errs.append(f"exam {e}: header IPP inconsistent with fault {f['fault']}")
    return T, links, L, F, true_p, errs


def measure(d):
    T, links, L, F, true_p, errs = check(d)
    P = {x["patient_id"]: x for x in T["patients"]}
    E = {x["exam_id"]: x for x in T["exams"]}
    R = {x["report_id"]: x for x in T["reports"]}
    out = [f"## {d}", f"rows: patients {len(P)}, stays {len(T['stays'])}, exams {len(E)}, reports {len(R)}",
           f"contract errors: {len(errs)}"] + [f"  ! {x}" for x in errs[:10]]
    ne = len(E)
    c = collections.Counter(f["fault"] for f in F.values())
    out.append("faults: " + ", ".join(f"{k} {pct(v, ne)}" for k, v in sorted(c.items())))
    nk = collections.Counter(k for f in F.values() for k in f["identity_noise"].split(";") if k)
    out.append(f"identity noise on {pct(sum(1 for f in F.values() if f['identity_noise']), ne)} of exams: " +
               ", ".join(f"{k} {pct(v, ne)}" for k, v in nk.most_common()))
    st = collections.Counter(s["stay_type"] for s in T["stays"])
    out.append("stays by type: " + ", ".join(f"{k} {v}" for k, v in st.most_common()))
    es = sum(1 for e in E if L[("exam", e, "stay")][0] is not None)
    out.append(f"exams with a true stay: {pct(es, ne)}; exams carrying stay_id: "
               f"{pct(sum(1 for x in E.values() if x['stay_id']), ne)}")
    out.append(f"exam accession null: {pct(sum(1 for x in E.values() if not x['accession_number']), ne)}; patterns: " +
               ", ".join(f"{k} {v}" for k, v in collections.Counter(
                   re.sub(r"\d", "9", x["accession_number"] or "-") for x in E.values()).most_common(4)))
    out.append("exam IPP patterns: " + ", ".join(f"{k} {v}" for k, v in collections.Counter(
        re.sub(r"\d", "9", x["patient_id"] or "-") for x in E.values()).most_common(5)))
    units = collections.Counter(x["unit"] for x in E.values())
    out.append("exam units (top 5): " + ", ".join(f"{k} {v}" for k, v in units.most_common(5)))
    # same patient, same description, same day
    same = collections.Counter((true_p[e], x["study_description"], x["study_datetime"].date()) for e, x in E.items())
    out.append(f"exams sharing patient+description+day with another: {sum(v for v in same.values() if v > 1)}")
    nr = len(R)
    rexam = {rid: L[("report", rid, "exam")][0] for rid in R}
    out.append(f"reports without exam (outside exams): {pct(sum(1 for v in rexam.values() if v is None), nr)}")
    per_exam = collections.Counter(v for v in rexam.values() if v)
    dist = collections.Counter(per_exam.get(e, 0) for e in E)
    out.append("reports per exam: " + ", ".join(f"{k}: {v}" for k, v in sorted(dist.items())))
    ipp_true = sum(1 for rid, x in R.items() if rexam[rid] and x["patient_id"] == true_p[rexam[rid]])
    ipp_null = sum(1 for x in R.values() if x["patient_id"] is None)
    ipp_unknown = sum(1 for x in R.values() if x["patient_id"] is not None and x["patient_id"] not in P)
    out.append(f"report IPP: true {pct(ipp_true, nr)}, null {pct(ipp_null, nr)}, not in registry (retired IPP or provisional) {pct(ipp_unknown, nr)}")
    rs = sum(1 for x in R.values() if x["stay_id"])
    rs_eq = sum(1 for rid, x in R.items() if x["stay_id"] and x["stay_id"] == L[("report", rid, "stay")][0])
    out.append(f"reports carrying stay_id: {pct(rs, nr)} (equal to the truth stay: {pct(rs_eq, rs)})")
    ra = [x for x in R.values() if x["accession_number"]]
    ra_eq = sum(1 for rid, x in R.items() if x["accession_number"] and rexam[rid] and
                x["accession_number"] == E[rexam[rid]]["accession_number"])
    out.append(f"reports carrying an accession number: {pct(len(ra), nr)}; equal to their exam's accession: {pct(ra_eq, len(ra))}; "
               "patterns: " + ", ".join(f"{k} {v}" for k, v in collections.Counter(
                   re.sub(r"\d", "9", x["accession_number"]) for x in ra).most_common(3)))
    delays = collections.defaultdict(list)
    wk = 0
    for rid, x in R.items():
        if rexam[rid]:
            ex = E[rexam[rid]]
            delays[ex["modality"]].append((x["report_datetime"] - ex["study_datetime"]).total_seconds() / 3600)
        wk += x["report_datetime"].weekday() >= 5
    out.append("report delay hours (p10 / p50 / p90) by modality: " +
               "; ".join(f"{m} {quant(v)}" for m, v in sorted(delays.items())))
    out.append(f"reports signed on a Saturday/Sunday: {pct(wk, nr)}")
    html = sum(1 for x in R.values() if "<br>" in x["text"] or "<p>" in x["text"])
    rtf = sum(1 for x in R.values() if "\\rtf1" in x["text"])
    out.append(f"HTML residue {pct(html, nr)}, RTF residue {pct(rtf, nr)}")
    dated = sum(1 for rid, x in R.items() if rexam[rid] and E[rexam[rid]]["study_datetime"].strftime("%d/%m/%Y") in x["text"])
    out.append(f"report text quoting the exam date (dd/mm/yyyy): {pct(dated, nr)}")
    tit = collections.Counter(x["title"] for x in R.values())
    out.append(f"distinct titles: {len(tit)}; top: " + ", ".join(f"{k!r} {v}" for k, v in tit.most_common(4)))
    return out, errs


if __name__ == "__main__":
    bad = False
    for d in sys.argv[1:]:
        out, errs = measure(d)
        print("\n".join(out) + "\n")
        bad |= bool(errs)
    sys.exit(1 if bad else 0)
