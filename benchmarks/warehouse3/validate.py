#!/usr/bin/env python3
"""Check a warehouse3 set against the output contract and measure its habits.

    python validate.py sets/chu [sets/ch_gie ...]

Exit status 1 if a contract check fails. Standard library + pyarrow only.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
import statistics
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import vocab as V
from generate import HOLIDAYS, SCHEMAS

FAULTS = {"ok", "missing_ipp", "mistyped_ipp", "other_patient_ipp", "temporary_ipp"}
TEMP_RE = re.compile(r"^(8\d{8}|PROV\d{6}|TMP\d{5})$")


def rows(path):
    return pq.read_table(path).to_pylist()


def pct(a, b):
    return f"{100.0 * a / b:5.1f} %" if b else "   n/a"


def quant(xs, q):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def check(d):
    errors = []
    out = []

    def err(m):
        errors.append(m)

    tabs = {}
    for name in ("patients", "stays", "exams", "reports"):
        t = pq.read_table(f"{d}/{name}.parquet")
        want = pa.schema(SCHEMAS[name])
        if not t.schema.equals(want):
            err(f"{name}: schema differs from contract")
        tabs[name] = t.to_pylist()
    links = rows(f"{d}/truth/links.parquet")
    faults = rows(f"{d}/truth/exam_faults.parquet")
    for name, key in (("patients", "patient_id"), ("stays", "stay_id"), ("exams", "exam_id"), ("reports", "report_id")):
        ks = [r[key] for r in tabs[name]]
        if any(k is None for k in ks) or len(set(ks)) != len(ks):
            err(f"{name}: key {key} null or duplicated")
    P = {r["patient_id"]: r for r in tabs["patients"]}
    S = {r["stay_id"]: r for r in tabs["stays"]}
    E = {r["exam_id"]: r for r in tabs["exams"]}
    R = {r["report_id"]: r for r in tabs["reports"]}
    F = {r["exam_id"]: r for r in faults}
    if set(F) != set(E) or len(faults) != len(E):
        err("exam_faults: not exactly one row per exam")
    L = collections.defaultdict(list)
    for l in links:
        L[(l["source_type"], l["target_type"])].append(l)
    want_pairs = {("exam", "patient"): E, ("exam", "stay"): E, ("report", "exam"): R, ("report", "stay"): R}
    lk = {}
    for pair, src in want_pairs.items():
        ids = [l["source_id"] for l in L[pair]]
        if len(ids) != len(src) or set(ids) != set(src):
            err(f"links {pair}: not exactly one row per source")
        lk[pair] = {l["source_id"]: l["target_id"] for l in L[pair]}
    if set(L) - set(want_pairs):
        err(f"links: unexpected pairs {set(L) - set(want_pairs)}")
    for s in tabs["stays"]:
        if s["patient_id"] not in P:
            err("stays: unknown patient")
            break
        if s["end_datetime"] < s["start_datetime"]:
            err("stays: end before start")
            break
    # exam -> patient / stay truth
    by_pat = collections.defaultdict(list)
    for s in tabs["stays"]:
        by_pat[s["patient_id"]].append(s)
    bad = 0
    pre_adm = 0
    for eid, e in E.items():
        pid = lk[("exam", "patient")][eid]
        if pid not in P:
            err("links exam->patient: target not a patient")
            break
        sid = lk[("exam", "stay")][eid]
        t = e["study_datetime"]
        cands = []
        for s in by_pat[pid]:
            if s["start_datetime"] <= t <= s["end_datetime"]:
                cands.append((0, s["end_datetime"] - s["start_datetime"], s["stay_id"]))
            elif s["stay_type"] == "hospitalisation" and s["start_datetime"] - dt.timedelta(hours=8) <= t < s["start_datetime"]:
                cands.append((1, s["start_datetime"] - t, s["stay_id"]))
        exp = min(cands)[2] if cands else None
        if exp != sid:
            bad += 1
        if sid and not (S[sid]["start_datetime"] <= t <= S[sid]["end_datetime"]):
            pre_adm += 1
        f = F[eid]["fault"]
        h = e["patient_id"]
        ok = {"ok": h == pid, "missing_ipp": h is None,
              "mistyped_ipp": h is not None and h not in P and not TEMP_RE.match(h),
              "other_patient_ipp": h in P and h != pid,
              "temporary_ipp": h is not None and bool(TEMP_RE.match(h)) and h not in P}.get(f)
        if not ok:
            err(f"exam_faults: fault {f!r} inconsistent with header of an exam")
            break
    if bad:
        err(f"links exam->stay: {bad} exams disagree with the stay rule")
    # report truth
    rep_bad = 0
    for rid, r in R.items():
        eid = lk[("report", "exam")][rid]
        sid = lk[("report", "stay")][rid]
        if eid is not None:
            if eid not in E or r["report_datetime"] <= E[eid]["study_datetime"]:
                rep_bad += 1
            elif sid != lk[("exam", "stay")][eid] and not r["title"].startswith("Deuxième"):
                rep_bad += 1
        if sid is not None and sid not in S:
            rep_bad += 1
    if rep_bad:
        err(f"links report->*: {rep_bad} reports inconsistent")

    # -------------------------------------------------------------- measures
    n_e, n_r = len(E), len(R)
    out.append(f"patients {len(P)}  stays {len(S)}  exams {n_e}  reports {n_r}")
    st = collections.Counter(s["stay_type"] for s in tabs["stays"])
    out.append("stay types: " + ", ".join(f"{k} {v}" for k, v in sorted(st.items())))
    fc = collections.Counter(f["fault"] for f in faults)
    out.append("exam faults: " + ", ".join(f"{k} {pct(v, n_e).strip()}" for k, v in sorted(fc.items())))
    er = [eid for eid in E if lk[("exam", "stay")][eid] and S[lk[("exam", "stay")][eid]]["stay_type"] == "emergency"]
    out.append(f"temporary IPP on emergency-stay exams: {pct(sum(F[x]['fault'] == 'temporary_ipp' for x in er), len(er)).strip()} of {len(er)}")
    temp_groups = collections.Counter(E[x]["patient_id"] for x in E if F[x]["fault"] == "temporary_ipp")
    out.append(f"temporary IPPs: {len(temp_groups)} distinct, {sum(1 for v in temp_groups.values() if v > 1)} shared by several exams")
    zs = sum(1 for x in E if F[x]["fault"] == "mistyped_ipp" and E[x]["patient_id"] and
             E[x]["patient_id"] == lk[("exam", "patient")][x].lstrip("0") and E[x]["patient_id"] != lk[("exam", "patient")][x])
    out.append(f"mistyped IPPs that are the IPP without its leading zeros: {zs}")
    nk = collections.Counter(k for f in faults for k in f["identity_noise"].split(";") if k)
    noisy = sum(1 for f in faults if f["identity_noise"])
    out.append(f"identity noise on {pct(noisy, n_e).strip()} of exams: " + ", ".join(f"{k} {v}" for k, v in nk.most_common()))
    outpat = sum(1 for x in E if lk[("exam", "stay")][x] is None)
    out.append(f"outpatient exams (truth stay null): {pct(outpat, n_e).strip()}; exams before admission (8 h rule): {pre_adm}")
    carried = [x for x in E if E[x]["stay_id"]]
    out.append(f"exams carrying a stay_id: {pct(len(carried), n_e).strip()} "
               f"(agrees with truth {pct(sum(E[x]['stay_id'] == lk[('exam', 'stay')][x] for x in carried), len(carried)).strip()})")
    out.append(f"exams with accession number: {pct(sum(1 for e in E.values() if e['accession_number']), n_e).strip()}")
    mods = collections.Counter(e["modality"] for e in E.values())
    out.append("modalities: " + ", ".join(f"{k} {v}" for k, v in mods.most_common()))
    # same kind, same day, same patient
    sk = collections.Counter((lk[("exam", "patient")][x], E[x]["modality"], E[x]["body_part"], E[x]["study_datetime"].date()) for x in E)
    out.append(f"exams sharing patient+modality+body part+day with another: {sum(v for v in sk.values() if v > 1)}")
    # patients
    fam_giv = collections.Counter((p["family_name"], p["given_name"]) for p in P.values())
    twins = collections.Counter((p["family_name"], p["birth_date"]) for p in P.values())
    out.append(f"patients: homonyms (same family+given) {sum(v for v in fam_giv.values() if v > 1)}, "
               f"same family+birth date {sum(v for v in twins.values() if v > 1)}, "
               f"usage_name {pct(sum(1 for p in P.values() if p['usage_name']), len(P)).strip()}")
    # reports
    rex = lk[("report", "exam")]
    out.append(f"reports: patient_id {pct(sum(1 for r in R.values() if r['patient_id']), n_r).strip()}, "
               f"stay_id {pct(sum(1 for r in R.values() if r['stay_id']), n_r).strip()}, "
               f"accession {pct(sum(1 for r in R.values() if r['accession_number']), n_r).strip()}")
    with_acc = [r for r in R.values() if r["accession_number"] and rex[r["report_id"]]]
    out.append(f"report accession equal to the exam's: {pct(sum(r['accession_number'] == E[rex[r['report_id']]]['accession_number'] for r in with_acc), len(with_acc)).strip()}")
    rp = [r for r in R.values() if r["patient_id"] and rex[r["report_id"]]]
    out.append(f"report patient_id equal to the true IPP: {pct(sum(r['patient_id'] == lk[('exam', 'patient')][rex[r['report_id']]] for r in rp), len(rp)).strip()}")
    rs = [r for r in R.values() if r["stay_id"]]
    out.append(f"report stay_id equal to truth: {pct(sum(r['stay_id'] == lk[('report', 'stay')][r['report_id']] for r in rs), len(rs)).strip()}")
    per_exam = collections.Counter(v for v in rex.values() if v)
    out.append(f"reports without exam: {sum(1 for v in rex.values() if v is None)}; exams without report: "
               f"{pct(n_e - len(per_exam), n_e).strip()}; exams with >1 report: {sum(1 for v in per_exam.values() if v > 1)}")
    kinds = collections.Counter()
    for r in R.values():
        t = r["title"] or ""
        if t.startswith("Deuxième"):
            kinds["second reading"] += 1
        elif "ADDENDUM" in t.upper() or "Complément" in t:
            kinds["addendum"] += 1
        elif "rectifié" in t or "MODIFIÉ" in t or "corrigée" in t:
            kinds["corrected"] += 1
        elif "extérieur" in t:
            kinds["outside review"] += 1
    out.append("report kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    generic = {g for v in V.GENERIC_TITLES.values() for g in v}
    out.append(f"generic titles: {pct(sum(1 for r in R.values() if r['title'] in generic), n_r).strip()}")
    date_in = type_in = 0
    main = [r for r in R.values() if rex[r["report_id"]]]
    for r in main:
        e = E[rex[r["report_id"]]]
        d = e["study_datetime"]
        txt = "\n".join(l for l in r["text"].split("\n") if "validé" not in l and "Annule et remplace" not in l)
        if any(s in txt for s in (d.strftime("%d/%m/%Y"), d.strftime("%d/%m/%y"), f"{d.day} ")):
            if d.strftime("%d/%m/%Y") in txt or d.strftime("%d/%m/%y") in txt or re.search(rf"\b{d.day} \w+ {d.year}", txt):
                date_in += 1
        low = txt.lower()
        if any(w in low for w in ("scanner", "irm", "échographie", "echo", "radiographie", "mammographie", "tep", "scintigraphie",
                                  "angioscanner", "abdomen sans", "radio", "doppler", "mammo", "sc ")):
            type_in += 1
    out.append(f"report text states the exam date: {pct(date_in, len(main)).strip()}; names the exam type: {pct(type_in, len(main)).strip()}")
    out.append(f"HTML residue: {pct(sum(1 for r in R.values() if '<br>' in r['text'] or '<p>' in r['text']), n_r).strip()}; "
               f"[NOM] placeholder: {pct(sum(1 for r in R.values() if '[NOM]' in r['text']), n_r).strip()}; "
               f"[DATE] placeholder: {pct(sum(1 for r in R.values() if '[DATE]' in r['text']), n_r).strip()}")
    # delays of the first report of each exam, per modality
    first = {}
    for r in R.values():
        eid = rex[r["report_id"]]
        if eid and (eid not in first or r["report_datetime"] < first[eid]["report_datetime"]):
            first[eid] = r
    dl = collections.defaultdict(list)
    wk = 0
    for eid, r in first.items():
        h = (r["report_datetime"] - E[eid]["study_datetime"]).total_seconds() / 3600
        dl[E[eid]["modality"]].append(h)
        d = r["report_datetime"].date()
        if d.weekday() >= 5 or d in HOLIDAYS:
            wk += 1
    out.append("report delay in hours (median / p90) by modality: " + ", ".join(
        f"{m} {statistics.median(v):.1f}/{quant(v, 0.9):.0f}" for m, v in sorted(dl.items())))
    out.append(f"first reports validated on a weekend or public holiday: {pct(wk, len(first)).strip()}")
    return errors, out


def main():
    status = 0
    for d in sys.argv[1:]:
        errors, out = check(d)
        print(f"== {d}")
        for line in out:
            print("  " + line)
        for e in errors:
            print("  CONTRACT ERROR: " + e)
        print("  contract: " + ("OK" if not errors else f"{len(errors)} error(s)"))
        status |= bool(errors)
    sys.exit(status)


if __name__ == "__main__":
    main()
