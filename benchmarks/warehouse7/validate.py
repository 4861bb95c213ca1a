"""Check a warehouse7 set against the contract and measure its habits.

python validate.py sets/<profile>     (exit code 1 if a contract/truth check fails)
Standard library + pyarrow only.
"""
from __future__ import annotations

import collections
import datetime as dt
import re
import statistics
import sys

import pyarrow as pa
import pyarrow.parquet as pq

S, TS, DA = pa.string(), pa.timestamp("us"), pa.date32()
SCHEMAS = {
    "patients": [("patient_id", S), ("family_name", S), ("given_name", S), ("birth_date", DA), ("sex", S),
                 ("usage_name", S)],
    "stays": [("stay_id", S), ("patient_id", S), ("start_datetime", TS), ("end_datetime", TS), ("unit", S),
              ("stay_type", S), ("diagnoses", S)],
    "exams": [("exam_id", S), ("accession_number", S), ("patient_id", S), ("patient_name", S), ("birth_date", DA),
              ("sex", S), ("study_datetime", TS), ("modality", S), ("study_description", S), ("body_part", S),
              ("institution", S), ("unit", S), ("stay_id", S)],
    "reports": [("report_id", S), ("patient_id", S), ("stay_id", S), ("report_datetime", TS), ("title", S),
                ("text", S), ("accession_number", S)],
}
FAULTS = {"none", "missing_ipp", "mistyped_ipp", "other_patient_ipp", "temporary_ipp"}
TD = dt.timedelta


def rows(path):
    return pq.read_table(path).to_pylist()


def pct(a, b):
    return f"{100 * a / b:.1f} %" if b else "n/a"


def cest(t):
    def last_sunday(y, m):
        d = dt.date(y, m, 31)
        return d - TD((d.weekday() + 1) % 7)
    return last_sunday(t.year, 3) <= t.date() < last_sunday(t.year, 10)


def main(d, utc_modalities=None):
    errors = []
    T = {}
    for name, cols in SCHEMAS.items():
        t = pq.read_table(f"{d}/{name}.parquet")
        if [(f.name, f.type) for f in t.schema] != cols:
            errors.append(f"{name}: schema {t.schema}")
        T[name] = t.to_pylist()
        key = cols[0][0]
        ids = [r[key] for r in T[name]]
        if None in ids or len(set(ids)) != len(ids):
            errors.append(f"{name}: {key} null or duplicated")
    links = rows(f"{d}/truth/links.parquet")
    faults = {r["exam_id"]: r for r in rows(f"{d}/truth/exam_faults.parquet")}
    P = {p["patient_id"]: p for p in T["patients"]}
    ST = {s["stay_id"]: s for s in T["stays"]}
    EX = {e["exam_id"]: e for e in T["exams"]}
    RP = {r["report_id"]: r for r in T["reports"]}
    L = collections.defaultdict(dict)
    for l in links:
        k = (l["source_type"], l["target_type"])
        if l["source_id"] in L[k]:
            errors.append(f"duplicate truth row {k} {l['source_id']}")
        L[k][l["source_id"]] = l["target_id"]
    for k, src in ((("exam", "patient"), EX), (("exam", "stay"), EX), (("report", "exam"), RP),
                   (("report", "stay"), RP)):
        if set(L[k]) != set(src):
            errors.append(f"truth {k}: not one row per source")
    if set(faults) != set(EX):
        errors.append("exam_faults: not one row per exam")
    stays_of = collections.defaultdict(list)
    for s in T["stays"]:
        stays_of[s["patient_id"]].append(s)
    # local time of each exam (a console that writes UTC is declared by the caller)
    utc = set(utc_modalities or [])

    def local(e):
        t = e["study_datetime"]
        if e["modality"] in utc:
            return t + TD(hours=2 if cest(t + TD(hours=2)) else 1)
        return t
    bad_stay = 0
    for eid, e in EX.items():
        pid = L[("exam", "patient")][eid]
        if pid not in P:
            errors.append(f"exam {eid}: truth patient unknown")
            continue
        t = local(e)
        cands = [s for s in stays_of[pid] if s["start_datetime"] <= t <= s["end_datetime"]
                 or (s["stay_type"] == "hospitalisation" and s["start_datetime"] - TD(hours=8) <= t < s["start_datetime"])]
        inside = [s for s in cands if s["start_datetime"] <= t <= s["end_datetime"]]
        pool = inside or cands
        best = min(pool, key=lambda s: s["end_datetime"] - s["start_datetime"])["stay_id"] if pool else None
        if best != L[("exam", "stay")][eid]:
            bad_stay += 1
            if bad_stay <= 3:
                errors.append(f"  e.g. {e['modality']} {t} truth {L[('exam', 'stay')][eid]} rule {best} "
                              + str([(s['stay_id'], s['stay_type'], str(s['start_datetime']), str(s['end_datetime']))
                                     for s in stays_of[pid] if abs((s['start_datetime'] - t).days) < 3]))
        f = faults[eid]
        if f["fault"] not in FAULTS:
            errors.append(f"fault {f['fault']}")
        h = e["patient_id"]
        ok = {"none": h == pid, "missing_ipp": h is None, "mistyped_ipp": h is not None and h not in P,
              "other_patient_ipp": h in P and h != pid, "temporary_ipp": h is not None and h not in P}[f["fault"]]
        if not ok:
            errors.append(f"exam {eid}: header IPP inconsistent with fault {f['fault']}")
    if bad_stay:
        errors.append(f"exam->stay truth disagrees with the containment rule on {bad_stay} exams")
    for rid, r in RP.items():
        ex = L[("report", "exam")][rid]
        st = L[("report", "stay")][rid]
        if ex is not None:
            e = EX[ex]
            if L[("exam", "patient")][ex] not in P or r["report_datetime"] < local(e):
                errors.append(f"report {rid}: before its exam")
            if st != L[("exam", "stay")][ex]:
                errors.append(f"report {rid}: stay truth is not its exam's stay")
        if st is not None and st not in ST:
            errors.append(f"report {rid}: unknown stay")

    # ------------------------------------------------------------------ habits
    out = []
    n_e, n_r = len(EX), len(RP)
    out.append(f"sizes: patients {len(P)}, stays {len(ST)}, exams {n_e}, reports {n_r}")
    out.append("stay types: " + ", ".join(f"{k} {v}" for k, v in collections.Counter(
        s["stay_type"] for s in T["stays"]).most_common()))
    out.append("modalities: " + ", ".join(f"{k} {v}" for k, v in collections.Counter(
        e["modality"] for e in EX.values()).most_common()))
    fc = collections.Counter(f["fault"] for f in faults.values())
    out.append("faults: " + ", ".join(f"{k} {pct(v, n_e)}" for k, v in fc.most_common()))
    nc = collections.Counter(k for f in faults.values() for k in f["identity_noise"].split(";") if k)
    out.append(f"identity noise on {pct(sum(1 for f in faults.values() if f['identity_noise']), n_e)}: "
               + ", ".join(f"{k} {pct(v, n_e)}" for k, v in nc.most_common()))
    out.append(f"exams without stay (outpatient truth): {pct(sum(1 for v in L[('exam', 'stay')].values() if v is None), n_e)}")
    withcol = [e for e in EX.values() if e["stay_id"]]
    out.append(f"exams carrying a stay_id: {pct(len(withcol), n_e)}; equal to the truth: "
               f"{pct(sum(1 for e in withcol if e['stay_id'] == L[('exam', 'stay')][e['exam_id']]), len(withcol))}")
    pats = collections.Counter()
    for e in EX.values():
        a = e["accession_number"]
        pats[re.sub(r"\d", "9", a) if a else "<null>"] += 1
    out.append("exam accession shapes: " + ", ".join(f"{k} {v}" for k, v in pats.most_common(6)))
    exam_acc = {e["accession_number"] for e in EX.values() if e["accession_number"]}
    racc = [r for r in RP.values() if r["accession_number"]]
    out.append(f"reports with accession: {pct(len(racc), n_r)}; found among exam accessions: "
               f"{pct(sum(1 for r in racc if r['accession_number'] in exam_acc), len(racc))}")
    out.append(f"reports with patient_id: {pct(sum(1 for r in RP.values() if r['patient_id']), n_r)}; "
               f"equal to the true IPP: {pct(sum(1 for r in RP.values() if r['patient_id'] and L[('report', 'exam')][r['report_id']] and r['patient_id'] == L[('exam', 'patient')][L[('report', 'exam')][r['report_id']]]), n_r)}")
    rs = [r for r in RP.values() if r["stay_id"]]
    out.append(f"reports with stay_id: {pct(len(rs), n_r)}; equal to the truth stay: "
               f"{pct(sum(1 for r in rs if r['stay_id'] == L[('report', 'stay')][r['report_id']]), len(rs))}")
    no_exam = sum(1 for v in L[("report", "exam")].values() if v is None)
    out.append(f"reports without exam (outside exams): {pct(no_exam, n_r)}")
    per_exam = collections.Counter(v for v in L[("report", "exam")].values() if v)
    out.append(f"exams without report: {pct(n_e - len(per_exam), n_e)}; exams with 2+ reports: "
               f"{pct(sum(1 for v in per_exam.values() if v > 1), n_e)}")
    delays = collections.defaultdict(list)
    wk = []
    for rid, ex in L[("report", "exam")].items():
        if ex:
            e = EX[ex]
            h = (RP[rid]["report_datetime"] - local(e)).total_seconds() / 3600
            delays[e["modality"]].append(h)
    out.append("report delay hours, median [p10-p90] per modality: " + "; ".join(
        f"{m} {statistics.median(v):.1f} [{sorted(v)[len(v) // 10]:.1f}-{sorted(v)[9 * len(v) // 10]:.1f}]"
        for m, v in sorted(delays.items())))
    try:
        import generate as G  # the French public holidays used by the generator
        hol = G.HOLIDAYS
        post, other = [], []
        for rid, ex in L[("report", "exam")].items():
            if ex and EX[ex]["modality"] in ("CT", "US", "CR", "DX"):
                t = local(EX[ex])
                h = (RP[rid]["report_datetime"] - t).total_seconds() / 3600
                (post if any((t.date() - TD(k)) in hol for k in range(0, 4)) else other).append(h)
        if post and other:
            out.append(f"CT/US/radiography delay median: {statistics.median(post):.1f} h for exams within 3 days after a "
                       f"public holiday (n={len(post)}) vs {statistics.median(other):.1f} h otherwise")
    except ImportError:
        pass
    mg = [r for rid, r in RP.items() if L[("report", "exam")][rid] and EX[L[("report", "exam")][rid]]["modality"] == "MG"]
    if mg:
        out.append(f"mammography reports signed 18:40-18:41 (end-of-day batch): "
                   f"{pct(sum(1 for r in mg if r['report_datetime'].hour == 18 and r['report_datetime'].minute in (40, 41)), len(mg))}")
    rt = collections.Counter(r["report_datetime"].weekday() >= 5 for r in RP.values())
    out.append(f"reports signed on weekends: {pct(rt[True], n_r)}")
    same_minute = collections.Counter(r["report_datetime"].replace(second=0) for r in RP.values())
    out.append(f"reports signed in batches (5+ in the same minute): {pct(sum(v for v in same_minute.values() if v >= 5), n_r)}")
    out.append("top titles: " + "; ".join(f"{k} {v}" for k, v in collections.Counter(
        r["title"] for r in RP.values()).most_common(6)))
    txt = [r["text"] for r in RP.values()]
    feats = {
        "html residue": lambda x: "<br>" in x or "&eacute;" in x,
        "PDF page header": lambda x: "Service d'Imagerie" in x or "GCS IRM mobile" in x,
        "2+ pages": lambda x: "- 2/2" in x,
        "[NOM] placeholder": lambda x: "[NOM]" in x,
        "states the exam date": lambda x: bool(re.search(r"(Examen réalisé le|du \d\d/\d\d/\d{4}|Date de l'examen|Date : \d)", x)),
        "comparison": lambda x: "omparaison" in x or "Évolution" in x,
        "quotes 2+ earlier dates": lambda x: len(re.findall(r"l'examen du \d\d/\d\d/\d{4}", x)) >= 2,
        "teleradiology": lambda x: "interprétation à distance" in x,
        "addendum/corrected": lambda x: "omplément au compte rendu" in x or "annule et remplace" in x,
    }
    out.append("report text: " + ", ".join(f"{k} {pct(sum(1 for x in txt if f(x)), n_r)}" for k, f in feats.items()))
    fam = collections.Counter((p["family_name"], p["birth_date"]) for p in P.values())
    hom = collections.Counter((p["family_name"], p["given_name"]) for p in P.values())
    out.append(f"patients: usage_name {pct(sum(1 for p in P.values() if p['usage_name']), len(P))}, "
               f"same birth name+date pairs (twins) {sum(1 for v in fam.values() if v > 1)}, "
               f"homonym groups {sum(1 for v in hom.values() if v > 1)}, "
               f"compound birth names {pct(sum(1 for p in P.values() if '-' in p['family_name'] or ' ' in p['family_name']), len(P))}")
    day_kind = collections.Counter((L[("exam", "patient")][e["exam_id"]], e["study_datetime"].date(), e["study_description"][:6])
                                   for e in EX.values())
    out.append(f"exams sharing patient+day+kind with another: {pct(sum(v for v in day_kind.values() if v > 1), n_e)}")
    night = sum(1 for e in EX.values() if local(e).hour >= 20 or local(e).hour < 8)
    out.append(f"exams at night (20h-8h local): {pct(night, n_e)}")
    if utc:
        out.append(f"header time differs from local time (UTC console): {pct(sum(1 for e in EX.values() if e['modality'] in utc), n_e)}")
    return errors, out


if __name__ == "__main__":
    d = sys.argv[1]
    utc = ["PT\\CT"] if "clcc" in d else []
    errs, out = main(d, utc)
    print("\n".join(out))
    print("CHECKS:", "OK" if not errs else f"{len(errs)} problems")
    for e in errs[:20]:
        print("  -", e)
    sys.exit(1 if errs else 0)


def debug(d, utc):
    """Print the exams whose stay truth disagrees with the containment rule."""
    import collections as C
    T = {n: pq.read_table(f"{d}/{n}.parquet").to_pylist() for n in ("stays", "exams")}
    L = {(l["source_type"], l["target_type"], l["source_id"]): l["target_id"] for l in rows(f"{d}/truth/links.parquet")}
    so = C.defaultdict(list)
    for s in T["stays"]:
        so[s["patient_id"]].append(s)
    n = 0
    for e in T["exams"]:
        t = e["study_datetime"]
        if e["modality"] in utc:
            t = t + TD(hours=2 if cest(t + TD(hours=2)) else 1)
        pid = L[("exam", "patient", e["exam_id"])]
        near = [(s["stay_id"], s["stay_type"], str(s["start_datetime"]), str(s["end_datetime"])) for s in so[pid]
                if s["start_datetime"] - TD(days=1) <= t <= s["end_datetime"] + TD(days=1)]
        truth = L[("exam", "stay", e["exam_id"])]
        c = [s for s in so[pid] if s["start_datetime"] <= t <= s["end_datetime"]]
        if (truth is None) != (not c) or (c and truth not in [x["stay_id"] for x in c]):
            n += 1
            if n <= 8:
                print(e["modality"], e["study_description"], t, "truth", truth, near)
