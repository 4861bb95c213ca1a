#!/usr/bin/env python3
"""Check a warehouse10 set against the table contract and measure its habits.

    python validate.py sets/entrepot_regional_multisite [more set dirs...]

Prints, per set, the contract checks (OK / FAIL lines) and the measured fractions.
Exit status 1 if any check fails. Standard library + pyarrow only.
"""
from __future__ import annotations

import collections
import datetime as dt
import os
import re
import sys

import pyarrow as pa
import pyarrow.parquet as pq

S, TS = pa.string(), pa.timestamp("us")
EXPECTED = {
    "patients.parquet": [("patient_id", S), ("family_name", S), ("given_name", S), ("birth_date", pa.date32()),
                         ("sex", S), ("usage_name", S)],
    "stays.parquet": [("stay_id", S), ("patient_id", S), ("start_datetime", TS), ("end_datetime", TS),
                      ("unit", S), ("stay_type", S), ("diagnoses", S)],
    "exams.parquet": [("exam_id", S), ("accession_number", S), ("patient_id", S), ("patient_name", S),
                      ("birth_date", pa.date32()), ("sex", S), ("study_datetime", TS), ("modality", S),
                      ("study_description", S), ("body_part", S), ("institution", S), ("unit", S), ("stay_id", S)],
    "reports.parquet": [("report_id", S), ("patient_id", S), ("stay_id", S), ("report_datetime", TS),
                        ("title", S), ("text", S), ("accession_number", S)],
    "truth/links.parquet": [("source_type", S), ("source_id", S), ("target_type", S), ("target_id", S)],
    "truth/exam_faults.parquet": [("exam_id", S), ("fault", S), ("identity_noise", S)],
}
FAULTS = {"none", "missing_ipp", "mistyped_ipp", "other_patient_ipp", "temporary_ipp",
          "legacy_site_ipp", "merged_duplicate_ipp", "centre_local_id"}
NOISE = {"accents_lost", "case", "typo", "swapped", "usage_name", "compound", "birth_day_month_swap",
         "birth_date_typo", "sex_missing", "given_name_missing", "placeholder_identity"}
MODALITIES = {"PT\\CT", "CT", "MR", "MG", "US", "CR", "DX", "NM"}
STAY_TYPES = {"hospitalisation", "day_care", "consultation", "emergency"}
IMAGING_UNITS = {"RADIOLOGIE", "IMAGERIE MEDICALE", "IMAGERIE URGENCES", "IMAGERIE"}
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def rows(path):
    t = pq.read_table(path)
    return t.to_pylist()


def date_forms(d: dt.date):
    return [d.strftime("%d/%m/%Y"), d.strftime("%d/%m/%y"), d.strftime("%d.%m.%Y"), d.isoformat(),
            d.strftime("%d-%m-%Y"), f"{d.day} {MONTHS[d.month - 1]} {d.year}",
            f"{d.day:02d} {MONTHS[d.month - 1][:4].upper()}. {d.year}"]


def pct(a, b):
    return f"{100.0 * a / b:5.1f} % ({a}/{b})" if b else "   n/a"


def check_set(d: str) -> bool:
    ok = True
    out = []

    def check(cond, what):
        nonlocal ok
        out.append(("OK   " if cond else "FAIL ") + what)
        ok = ok and bool(cond)

    name = os.path.basename(os.path.normpath(d))
    out.append(f"=== {name} ({d})")
    for f, cols in EXPECTED.items():
        sch = pq.read_schema(os.path.join(d, f))
        got = [(x.name, x.type) for x in sch]
        check(got == cols, f"schema {f}")
    P, ST, E, R = (rows(os.path.join(d, f"{t}.parquet")) for t in ("patients", "stays", "exams", "reports"))
    L, F = rows(os.path.join(d, "truth/links.parquet")), rows(os.path.join(d, "truth/exam_faults.parquet"))
    out.append(f"rows: patients {len(P)}, stays {len(ST)}, exams {len(E)}, reports {len(R)}, "
               f"links {len(L)}, exam_faults {len(F)}")
    pat = {p["patient_id"]: p for p in P}
    st = {s["stay_id"]: s for s in ST}
    ex = {e["exam_id"]: e for e in E}
    rp = {r["report_id"]: r for r in R}
    check(len(pat) == len(P) and None not in pat, "patients.patient_id unique, non-null")
    check(len(st) == len(ST) and None not in st, "stays.stay_id unique, non-null")
    check(len(ex) == len(E) and None not in ex, "exams.exam_id unique, non-null")
    check(len(rp) == len(R) and None not in rp, "reports.report_id unique, non-null")
    check(all(e["accession_number"] for e in E), "every exam has an accession number")
    check(all(r["text"] for r in R), "every report has a text")
    check(all(s["patient_id"] in pat for s in ST), "every stay belongs to a registry patient")
    check(all(s["start_datetime"] < s["end_datetime"] for s in ST), "stays start before they end")
    check(all(s["stay_type"] in STAY_TYPES for s in ST), "stay_type in the four kinds")
    check(all(e["modality"] in MODALITIES for e in E), "modality codes")
    check(all(p["sex"] in ("M", "F") for p in P), "registry sex M/F")
    check(all(e["sex"] in ("M", "F", None) for e in E), "header sex M/F/null")
    check(all(e["stay_id"] is None or e["stay_id"] in st for e in E), "header stay ids exist")
    check(all(r["stay_id"] is None or r["stay_id"] in st for r in R), "report stay ids exist")

    # --- truth links
    by = collections.defaultdict(list)
    for l in L:
        by[(l["source_type"], l["target_type"])].append(l)
    check(set(by) <= {("exam", "patient"), ("exam", "stay"), ("report", "exam"), ("report", "stay")},
          "link kinds")
    for (s, t), srcs in ((("exam", "patient"), ex), (("exam", "stay"), ex), (("report", "exam"), rp),
                         (("report", "stay"), rp)):
        ids = [l["source_id"] for l in by[(s, t)]]
        check(len(ids) == len(set(ids)) == len(srcs) and set(ids) == set(srcs),
              f"exactly one {s}->{t} row per {s}")
    e2p = {l["source_id"]: l["target_id"] for l in by[("exam", "patient")]}
    e2s = {l["source_id"]: l["target_id"] for l in by[("exam", "stay")]}
    r2e = {l["source_id"]: l["target_id"] for l in by[("report", "exam")]}
    r2s = {l["source_id"]: l["target_id"] for l in by[("report", "stay")]}
    check(all(v in pat for v in e2p.values()), "exam->patient: every exam has a registry patient")
    stays_of = collections.defaultdict(list)
    for s in ST:
        stays_of[s["patient_id"]].append(s)
    bad_rule = 0
    for eid, sid in e2s.items():
        e, p = ex[eid], e2p[eid]
        t = e["study_datetime"]
        inside = [s for s in stays_of[p] if s["start_datetime"] <= t <= s["end_datetime"]]
        if inside:
            best = min(s["end_datetime"] - s["start_datetime"] for s in inside)
            good = sid is not None and sid in st and st[sid] in inside and \
                st[sid]["end_datetime"] - st[sid]["start_datetime"] == best
        elif sid is not None:
            s = st.get(sid)
            good = s is not None and s["patient_id"] == p and s["stay_type"] == "hospitalisation" and \
                s["start_datetime"] - dt.timedelta(hours=8) <= t < s["start_datetime"]
        else:
            good = True
        bad_rule += not good
    check(bad_rule == 0, f"exam->stay truth follows the rule (inside, shortest; or <=8 h before a hospitalisation); {bad_rule} bad")
    bad = 0
    for rid, eid in r2e.items():
        if eid is None:
            continue
        if eid not in ex or rp[rid]["report_datetime"] < ex[eid]["study_datetime"]:
            bad += 1
    check(bad == 0, f"report->exam targets exist and precede their report; {bad} bad")
    bad = sum(1 for rid, eid in r2e.items() if eid is not None and r2s[rid] != e2s[eid])
    check(bad == 0, f"report->stay = the stay of the report's exam; {bad} bad")
    bad = sum(1 for rid, sid in r2s.items() if sid is not None and sid not in st)
    check(bad == 0, "report->stay targets exist")
    bad = sum(1 for rid, r in rp.items() if r["patient_id"] is not None and r2e[rid] is not None
              and r["patient_id"] in pat and r["patient_id"] != e2p[r2e[rid]])
    check(bad == 0, f"a report's registry IPP is its exam's true patient; {bad} bad")
    bad = sum(1 for rid, r in rp.items() if r["stay_id"] is not None and r["stay_id"] != r2s[rid])
    check(bad == 0, f"a report's stay_id, when written, is its true stay; {bad} bad")

    # --- faults
    fa = {f["exam_id"]: f for f in F}
    check(len(fa) == len(F) == len(E) and set(fa) == set(ex), "exactly one exam_faults row per exam")
    check(all(f["fault"] in FAULTS for f in F), "fault kinds known")
    check(all(f["identity_noise"] is not None and (f["identity_noise"] == "" or set(f["identity_noise"].split(";")) <= NOISE)
              for f in F), "identity_noise kinds known ('' = none)")
    bad = collections.Counter()
    for eid, f in fa.items():
        h, tp = ex[eid]["patient_id"], e2p[eid]
        k = f["fault"]
        good = {"none": h == tp, "missing_ipp": h is None,
                "mistyped_ipp": h is not None and h not in pat,
                "other_patient_ipp": h in pat and h != tp,
                "temporary_ipp": h is not None and h not in pat and (h.startswith("TMP") or h.startswith("9999")),
                "legacy_site_ipp": h is not None and h not in pat,
                "merged_duplicate_ipp": h is not None and h not in pat,
                "centre_local_id": h is not None and h not in pat}[k]
        bad[k] += not good
    check(sum(bad.values()) == 0, f"header patient_id agrees with its fault {dict(+bad)}")

    # --- habits
    n_e, n_r = len(E), len(R)
    out.append("-- exam -> patient (truth/exam_faults)")
    for k, c in collections.Counter(f["fault"] for f in F).most_common():
        out.append(f"   fault {k:22s} {pct(c, n_e)}")
    noisy = [f for f in F if f["identity_noise"]]
    out.append(f"   identity noise (any)         {pct(len(noisy), n_e)}")
    nz = collections.Counter(k for f in noisy for k in f["identity_noise"].split(";"))
    for k, c in nz.most_common():
        out.append(f"     {k:26s} {pct(c, n_e)}")
    wrong = [f for f in F if f["fault"] != "none"]
    out.append(f"   noise among badly attached   {pct(sum(1 for f in wrong if f['identity_noise']), len(wrong))}")
    out.append(f"   header patient_id = registry IPP of the true patient {pct(sum(1 for e in E if e['patient_id'] == e2p[e['exam_id']]), n_e)}")
    out.append(f"   header patient_id null       {pct(sum(1 for e in E if e['patient_id'] is None), n_e)}")
    ids = collections.Counter()
    for e in E:
        h = e["patient_id"]
        ids[("null" if h is None else re.sub(r"\d", "9", h)[:4] + f"(len {len(h)})")] += 1
    out.append("   header patient_id shapes: " + ", ".join(f"{k} {100 * c / n_e:.1f}%" for k, c in ids.most_common(8)))
    pc = collections.Counter(len([e for e in E if e2p[e["exam_id"]] == p]) for p in pat)
    out.append(f"   exams per patient: mean {n_e / len(P):.2f}, patients with no exam {pct(pc.get(0, 0), len(P))}")
    fam = collections.Counter(p["family_name"] for p in P)
    out.append(f"   patients sharing their surname with another {pct(sum(c for c in fam.values() if c > 1), len(P))}; "
               f"top surnames {', '.join(k for k, _ in fam.most_common(5))}")
    women25 = [p for p in P if p["sex"] == "F"]
    out.append(f"   women with a usage_name      {pct(sum(1 for p in women25 if p['usage_name']), len(women25))}")

    out.append("-- exams")
    out.append("   modalities: " + ", ".join(f"{k} {100 * c / n_e:.1f}%" for k, c in
                                            collections.Counter(e["modality"] for e in E).most_common()))
    acc = collections.Counter(e["accession_number"] for e in E)
    shared = sum(c for c in acc.values() if c > 1)
    out.append(f"   exams sharing their accession with another exam {pct(shared, n_e)}")
    key = collections.Counter((e2p[e["exam_id"]], e["study_datetime"], e["study_description"]) for e in E)
    out.append(f"   exact re-sends (same true patient, datetime, description) {pct(sum(c - 1 for c in key.values() if c > 1), n_e)}")
    out.append(f"   header stay_id present       {pct(sum(1 for e in E if e['stay_id']), n_e)}")
    out.append(f"   header stay_id = truth       {pct(sum(1 for e in E if e['stay_id'] and e['stay_id'] == e2s[e['exam_id']]), sum(1 for e in E if e['stay_id']))}")
    with_stay = [e for e in E if e2s[e["exam_id"]]]
    out.append(f"   exam->stay truth non-null    {pct(len(with_stay), n_e)}")
    pre = [e for e in with_stay if e["study_datetime"] < st[e2s[e["exam_id"]]]["start_datetime"]]
    out.append(f"     of which before the admission (<= 8 h) {pct(len(pre), len(with_stay))}")
    nested = 0
    for e in with_stay:
        t = e["study_datetime"]
        if sum(1 for s in stays_of[e2p[e["exam_id"]]] if s["start_datetime"] <= t <= s["end_datetime"]) > 1:
            nested += 1
    out.append(f"     of which inside nested stays (shortest chosen) {pct(nested, len(with_stay))}")
    req = [e for e in with_stay if e["unit"] and e["unit"] not in IMAGING_UNITS]
    out.append(f"     of which unit = requesting unit (not imaging) {pct(len(req), len(with_stay))}")
    out.append("   exam->stay types: " + ", ".join(f"{k} {100 * c / max(1, len(with_stay)):.1f}%" for k, c in
                                                 collections.Counter(st[e2s[e['exam_id']]]['stay_type'] for e in with_stay).most_common()))
    out.append("   institutions: " + ", ".join(f"{k} {100 * c / n_e:.1f}%" for k, c in
                                              collections.Counter(e["institution"] for e in E).most_common(6)))

    out.append("-- stays")
    out.append("   types: " + ", ".join(f"{k} {100 * c / len(ST):.1f}%" for k, c in
                                       collections.Counter(s["stay_type"] for s in ST).most_common()))
    out.append(f"   patients with at least one stay {pct(len({s['patient_id'] for s in ST}), len(P))}")
    chained = 0
    for p, ss in stays_of.items():
        ss = sorted(ss, key=lambda s: s["start_datetime"])
        chained += sum(1 for a, b in zip(ss, ss[1:]) if b["start_datetime"] == a["end_datetime"])
    out.append(f"   stays starting exactly when the previous one ends (transfers) {pct(chained, len(ST))}")
    out.append(f"   stays with diagnoses         {pct(sum(1 for s in ST if s['diagnoses']), len(ST))}")

    out.append("-- reports")
    per_exam = collections.Counter(v for v in r2e.values() if v is not None)
    dist = collections.Counter(per_exam.get(e, 0) for e in ex)
    out.append("   reports per exam: " + ", ".join(f"{k}: {pct(c, n_e)}" for k, c in sorted(dist.items())))
    out.append(f"   reports with no exam in the PACS (truth null) {pct(sum(1 for v in r2e.values() if v is None), n_r)}")
    out.append(f"   report->stay truth non-null  {pct(sum(1 for v in r2s.values() if v), n_r)}")
    rpid = collections.Counter()
    for rid, r in rp.items():
        e = r2e[rid]
        if r["patient_id"] is None:
            rpid["null"] += 1
        elif r["patient_id"] in pat:
            rpid["registry IPP"] += 1
        else:
            rpid["non-registry id (legacy or temporary IPP)"] += 1
    out.append("   report patient_id: " + ", ".join(f"{k} {pct(c, n_r)}" for k, c in rpid.most_common()))
    out.append(f"   report stay_id present       {pct(sum(1 for r in R if r['stay_id']), n_r)}")
    linked = [r for r in R if r2e[r["report_id"]]]
    out.append(f"   report accession present (reports of a PACS exam) {pct(sum(1 for r in linked if r['accession_number']), len(linked))}")
    out.append(f"   report accession = its exam's {pct(sum(1 for r in linked if r['accession_number'] == ex[r2e[r['report_id']]]['accession_number']), sum(1 for r in linked if r['accession_number']))}")
    out.append(f"   title null                   {pct(sum(1 for r in R if r['title'] is None), n_r)}")
    out.append(f"   HTML residue                 {pct(sum(1 for r in R if '<br>' in r['text'] or '&eacute;' in r['text']), n_r)}")
    dated = 0
    for r in linked:
        d0 = ex[r2e[r["report_id"]]]["study_datetime"].date()
        txt = r["text"].replace("&eacute;", "é").replace("&egrave;", "è").replace("&#39;", "'")
        dated += any(f in txt for f in date_forms(d0)) or (
            f"{d0.day} {MONTHS[d0.month - 1]} {d0.year}" in txt)
    out.append(f"   exam date written in the text {pct(dated, len(linked))}")
    delays = collections.defaultdict(list)
    for r in linked:
        e = ex[r2e[r["report_id"]]]
        grp = "PET/MR/NM" if e["modality"] in ("PT\\CT", "MR", "NM") else "CT/US/CR/DX/MG"
        delays[grp].append((r["report_datetime"] - e["study_datetime"]).total_seconds() / 3600)
    for g, v in sorted(delays.items()):
        v.sort()
        out.append(f"   report delay {g}: median {v[len(v) // 2]:.1f} h, p90 {v[int(len(v) * .9)]:.1f} h")
    two = [e for e, c in per_exam.items() if c > 1]
    out.append(f"   exams with 2 reports (preliminary + final) {pct(len(two), n_e)}")
    print("\n".join(out))
    print()
    return ok


def main():
    dirs = sys.argv[1:]
    if not dirs:
        print(__doc__)
        return 2
    allok = True
    for d in dirs:
        allok &= check_set(d)
    print("ALL CHECKS PASSED" if allok else "SOME CHECKS FAILED")
    return 0 if allok else 1


if __name__ == "__main__":
    sys.exit(main())
