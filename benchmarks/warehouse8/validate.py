"""Check a warehouse8 set against the column contract and measure its habits.

python validate.py sets/gie_chu [sets/clinique_liberale ...]   (prints a report; exit 1 on contract errors)
"""
import collections
import os
import re
import statistics
import sys
from datetime import timedelta

import pyarrow.parquet as pq
from generate import SCHEMAS

TABLE_FILES = {"patients": "patients.parquet", "stays": "stays.parquet", "exams": "exams.parquet",
               "reports": "reports.parquet", "links": "truth/links.parquet", "exam_faults": "truth/exam_faults.parquet"}


def pct(a, b):
    return "%.1f %%" % (100.0 * a / b) if b else "n/a"


def check(d):
    errs, T = [], {}
    for name, f in TABLE_FILES.items():
        sch = pq.read_schema(os.path.join(d, f))
        want = [(n, str(t)) for n, t in SCHEMAS[name]]
        got = [(n, str(sch.field(n).type)) for n in sch.names]
        if got != want:
            errs.append("%s schema %s != %s" % (name, got, want))
        T[name] = pq.read_table(os.path.join(d, f)).to_pylist()
    keys = {"patients": "patient_id", "stays": "stay_id", "exams": "exam_id", "reports": "report_id"}
    ids = {}
    for t, k in keys.items():
        v = [r[k] for r in T[t]]
        if None in v or len(set(v)) != len(v):
            errs.append("%s: key %s null or duplicated" % (t, k))
        ids[t] = {r[k]: r for r in T[t]}
    if any(r["text"] is None for r in T["reports"]):
        errs.append("reports: null text")
    # truth: exactly one row per exam->patient, exam->stay, report->exam, report->stay
    cnt = collections.Counter((l["source_type"], l["source_id"], l["target_type"]) for l in T["links"])
    for e in ids["exams"]:
        for tt in ("patient", "stay"):
            if cnt[("exam", e, tt)] != 1:
                errs.append("links: exam %s -> %s rows %d" % (e, tt, cnt[("exam", e, tt)]))
    for r in ids["reports"]:
        for tt in ("exam", "stay"):
            if cnt[("report", r, tt)] != 1:
                errs.append("links: report %s -> %s rows %d" % (r, tt, cnt[("report", r, tt)]))
    if len(cnt) != len(T["links"]):
        errs.append("links: duplicated rows")
    L = {(l["source_type"], l["source_id"], l["target_type"]): l["target_id"] for l in T["links"]}
    tgt = {"patient": ids["patients"], "stay": ids["stays"], "exam": ids["exams"]}
    for (st, sid, tt), v in L.items():
        if v is not None and v not in tgt[tt]:
            errs.append("links: %s %s -> unknown %s %s" % (st, sid, tt, v))
    # truth rules: exam inside its stay or <= 8 h before it; stay belongs to the exam's patient;
    # report -> exam: same patient, report written after the exam (real local time)
    for e in T["exams"]:
        s = L[("exam", e["exam_id"], "stay")]
        if s:
            S = ids["stays"][s]
            if not (S["start_datetime"] - timedelta(hours=8) <= e["study_datetime"] <= S["end_datetime"]):
                errs.append("exam %s outside its stay" % e["exam_id"])
            if S["patient_id"] != L[("exam", e["exam_id"], "patient")]:
                errs.append("exam %s stay of another patient" % e["exam_id"])
    fa = {f["exam_id"]: f for f in T["exam_faults"]}
    if set(fa) != set(ids["exams"]):
        errs.append("exam_faults: not one row per exam")
    return T, ids, L, fa, errs


def measure(d, T, ids, L, fa):
    P, S, E, R = T["patients"], T["stays"], T["exams"], T["reports"]
    out = []
    w = out.append
    w("rows: patients %d, stays %d, exams %d, reports %d" % (len(P), len(S), len(E), len(R)))
    w("patients: usage_name %s of women; birth date 1 Jan %s; same family+given name (homonym groups) %d; "
      "same family name + birth date, different given (twins) %d" % (
          pct(sum(1 for p in P if p["usage_name"]), sum(1 for p in P if p["sex"] == "F")),
          pct(sum(1 for p in P if (p["birth_date"].month, p["birth_date"].day) == (1, 1)), len(P)),
          sum(1 for v in collections.Counter((p["family_name"], p["given_name"]) for p in P).values() if v > 1),
          sum(1 for v in collections.Counter((p["family_name"], p["birth_date"]) for p in P).values() if v > 1)))
    w("stays: types %s" % dict(collections.Counter(s["stay_type"] for s in S).most_common()))
    byp = collections.defaultdict(list)
    for s in S:
        byp[s["patient_id"]].append(s)
    ov = 0
    for v in byp.values():
        v.sort(key=lambda s: s["start_datetime"])
        ov += sum(1 for a, b in zip(v, v[1:]) if b["start_datetime"] < a["end_datetime"])
    w("stays: overlapping consecutive stays of one patient %d" % ov)
    n = len(E)
    w("exam faults: %s" % {k: pct(v, n) for k, v in collections.Counter(f["fault"] for f in fa.values()).most_common()})
    nk = collections.Counter(k for f in fa.values() for k in f["identity_noise"].split(";") if k)
    w("identity noise: any %s; kinds %s" % (pct(sum(1 for f in fa.values() if f["identity_noise"]), n), dict(nk.most_common())))
    ip = [e["patient_id"] for e in E if e["patient_id"]]
    w("exam IPP formats: null %s; with letters %s; prefixes %s" % (pct(n - len(ip), n), pct(sum(1 for x in ip if re.search("[A-Z]", x)), n),
      dict(collections.Counter(re.match("[A-Z]*", x).group(0) or "digits" for x in ip).most_common(8))))
    w("exam accession: null %s; example %s" % (pct(sum(1 for e in E if not e["accession_number"]), n), E[len(E) // 2]["accession_number"]))
    w("exam PN: caret %s; trailing ^^^ %s; lower-case letters %s" % (pct(sum(1 for e in E if "^" in (e["patient_name"] or "")), n),
      pct(sum(1 for e in E if (e["patient_name"] or "").endswith("^^^")), n), pct(sum(1 for e in E if re.search("[a-z]", e["patient_name"] or "")), n)))
    ins = [e for e in E if L[("exam", e["exam_id"], "stay")]]
    w("exams with a true stay %s (outpatients %s); stay_id carried on %s of those; unit = a clinical unit on %s" % (
        pct(len(ins), n), pct(n - len(ins), n), pct(sum(1 for e in ins if e["stay_id"]), len(ins)),
        pct(sum(1 for e in ins if e["unit"] not in ("IMAGERIE", "RADIOLOGIE", "MEDECINE NUCLEAIRE")), len(ins))))
    w("exams: no true patient (other sites' patients) %s; institutions %s" % (pct(sum(1 for e in E if not L[("exam", e["exam_id"], "patient")]), n),
      dict(collections.Counter(e["institution"] for e in E).most_common(6))))
    w("modalities %s" % dict(collections.Counter(e["modality"] for e in E).most_common()))
    sd = collections.Counter((L[("exam", e["exam_id"], "patient")], e["study_description"], e["study_datetime"].date()) for e in E)
    w("same patient, same description, same day: %d pairs" % sum(1 for k, v in sd.items() if v > 1 and k[0]))
    # reports
    m = len(R)
    per = collections.Counter(L[("report", r["report_id"], "exam")] for r in R)
    rep_ex = set(k for k in per if k)
    w("reports: patient_id %s, stay_id %s, accession %s; reports without exam (outside, not imported) %s" % (
        pct(sum(1 for r in R if r["patient_id"]), m), pct(sum(1 for r in R if r["stay_id"]), m),
        pct(sum(1 for r in R if r["accession_number"]), m), pct(per[None], m)))
    w("exams with no report of their own %s; exams with 2+ report rows (versions, prelim, 2nd reading, addenda) %s" % (
        pct(n - len(rep_ex), n), pct(sum(1 for k, v in per.items() if k and v > 1), len(rep_ex))))
    txt = [r["text"] for r in R]
    w("text: request number 'N° de demande' %s; 'N° examen' %s; exam date written %s; comparison %s; combined ('Étage') %s; "
      "preliminary %s; corrected %s; addendum %s; 2nd reading %s; HTML %s; RTF %s" % tuple(
          pct(sum(1 for t in txt if re.search(x, t)), m) for x in (
              "N° de demande", "N° examen", r"(réalisé le|du \d\d/|Date de l'examen)", "(omparai|apport au précédent|antérieur)",
              "Étage", "PRÉLIMINAIRE", "MODIFIÉ", "^ADDENDUM", "DEUXIÈME LECTURE", "<br>", r"\\par")))
    GEN = {"COMPTE RENDU", "CR RADIOLOGIE", "Compte-rendu d'imagerie", "RESULTAT EXAMEN", "CR"}
    w("titles generic %s; top %s" % (pct(sum(1 for r in R if r["title"] in GEN), m), [t for t, _ in collections.Counter(r["title"] for r in R).most_common(4)]))
    dl = collections.defaultdict(list)
    before = 0
    for r in R:
        ex = L[("report", r["report_id"], "exam")]
        if ex:
            e = ids["exams"][ex]
            h = (r["report_datetime"] - e["study_datetime"]).total_seconds() / 3600
            dl[e["modality"]].append(h)
            before += h < 0
    w("report delay after study (h, median [p10-p90]) per modality: %s" % {k: "%.1f [%.1f-%.1f]" % (
        statistics.median(v), sorted(v)[len(v) // 10], sorted(v)[9 * len(v) // 10]) for k, v in sorted(dl.items())})
    w("report_datetime before study_datetime %s; reports signed on weekend/holiday %s" % (pct(before, m),
      pct(sum(1 for r in R if r["report_datetime"].weekday() >= 5), m)))
    return out


def main():
    bad = 0
    for d in sys.argv[1:]:
        T, ids, L, fa, errs = check(d)
        print("==", d, "contract:", "OK" if not errs else "%d errors" % len(errs))
        for e in errs[:20]:
            print("  ERROR", e)
        bad += bool(errs)
        for line in measure(d, T, ids, L, fa):
            print("  " + line)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
