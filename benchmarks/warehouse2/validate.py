"""Check a warehouse2 set: columns, types, keys, truth coverage and truth coherence.

    python validate.py sets/regional_group [sets/private_clinic ...]
    python validate.py --determinism            # regenerate twice (small), compare bytes

Exits 1 when a check fails. Prints each set's habits as measured numbers (the ones the
README quotes). Reads only the set's own files; pandas and pyarrow only.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import sys
import tempfile

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
S, D, TS = pa.string(), pa.date32(), pa.timestamp("us")
CANON = {
    "patients": [("patient_id", S), ("family_name", S), ("given_name", S), ("birth_date", D), ("sex", S), ("usage_name", S)],
    "stays": [("stay_id", S), ("patient_id", S), ("start_datetime", TS), ("end_datetime", TS), ("unit", S),
              ("stay_type", S), ("diagnoses", S)],
    "exams": [("exam_id", S), ("accession_number", S), ("patient_id", S), ("patient_name", S), ("birth_date", D),
              ("sex", S), ("study_datetime", TS), ("modality", S), ("study_description", S), ("body_part", S),
              ("institution", S), ("unit", S), ("stay_id", S)],
    "reports": [("report_id", S), ("patient_id", S), ("stay_id", S), ("report_datetime", TS), ("title", S), ("text", S),
                ("accession_number", S)],
    "truth/links": [("source_type", S), ("source_id", S), ("target_type", S), ("target_id", S)],
    "truth/exam_faults": [("exam_id", S), ("fault", S), ("identity_noise", S)],
}
FAULTS = {"none", "missing_ipp", "mistyped_ipp", "other_patient_ipp", "temporary_ipp"}
NOISE = {"accents", "case", "apostrophe", "compound", "truncated", "typo", "swapped", "usage_name", "maiden_and_usage",
         "given_extra", "no_separator", "birth_date_typo", "birth_day_month_swap", "birth_date_missing", "sex_missing",
         "placeholder_name", "ipp_format"}
TEMP = re.compile(r"^(TMP\d{6}|9999\d{6}|BELX\d{5}|P\d{8}|PROV\d{5}|99\d{8}|X\d{10}|INC\d{5})$")


def ipp_forms(ipp: str) -> set:
    """Every way a console of these profiles writes a registry IPP."""
    return {ipp, ipp.lstrip("0"), "BEL" + ipp, ipp + f"{97 - int(ipp) % 97:02d}"}


class Checker:
    def __init__(self, path):
        self.path, self.errors = path, []

    def fail(self, msg):
        self.errors.append(msg)

    def check(self, cond, msg):
        if not cond:
            self.fail(msg)
        return cond

    def run(self):
        t = {}
        for name, cols in CANON.items():
            f = os.path.join(self.path, name + ".parquet")
            if not self.check(os.path.exists(f), f"missing {name}.parquet"):
                return self.errors
            schema = pq.read_schema(f)
            got = [(fld.name, fld.type) for fld in schema]
            self.check(got == cols, f"{name}: columns/types {got} != {cols}")
            meta = pq.ParquetFile(f).metadata
            self.check(meta.row_group(0).column(0).compression == "ZSTD" if meta.num_row_groups else True,
                       f"{name}: not zstd")
            t[name] = pd.read_parquet(f)
        P, St, E, R = t["patients"], t["stays"], t["exams"], t["reports"]
        L, F = t["truth/links"], t["truth/exam_faults"]
        for name, key in (("patients", "patient_id"), ("stays", "stay_id"), ("exams", "exam_id"), ("reports", "report_id")):
            df = t[name]
            self.check(df[key].notna().all() and df[key].is_unique, f"{name}.{key}: null or duplicate")
        self.check(R["text"].notna().all(), "reports.text: null")
        self.check(St["patient_id"].isin(P["patient_id"]).all(), "stays.patient_id not in patients")
        self.check((St["end_datetime"] >= St["start_datetime"]).all(), "stays: end before start")
        self.check(P["sex"].isin(["M", "F"]).all(), "patients.sex not M/F")

        # ---- truth coverage: one row per source and link type ----
        pairs = {("exam", "patient"): E["exam_id"], ("exam", "stay"): E["exam_id"],
                 ("report", "exam"): R["report_id"], ("report", "stay"): R["report_id"]}
        kinds = set(zip(L["source_type"], L["target_type"], strict=False))
        self.check(kinds <= set(pairs), f"links: unexpected link types {kinds - set(pairs)}")
        for (st, tt), ids in pairs.items():
            sub = L[(L.source_type == st) & (L.target_type == tt)]
            self.check(sub["source_id"].is_unique and set(sub["source_id"]) == set(ids),
                       f"links {st}->{tt}: not exactly one row per {st}")
        self.check(L["source_id"].notna().all(), "links: null source_id")
        lk = {k: L[(L.source_type == k[0]) & (L.target_type == k[1])].set_index("source_id")["target_id"] for k in pairs}
        e_pat, e_stay, r_exam, r_stay = lk[("exam", "patient")], lk[("exam", "stay")], lk[("report", "exam")], lk[("report", "stay")]
        self.check(e_pat.notna().all() and e_pat.isin(P["patient_id"]).all(), "exam->patient: null or unknown patient")
        self.check(e_stay.dropna().isin(St["stay_id"]).all(), "exam->stay: unknown stay")
        self.check(r_exam.dropna().isin(E["exam_id"]).all(), "report->exam: unknown exam")
        self.check(r_stay.dropna().isin(St["stay_id"]).all(), "report->stay: unknown stay")

        # ---- truth coherence ----
        stays = St.set_index("stay_id")
        ex = E.set_index("exam_id").join(e_pat.rename("true_pid")).join(e_stay.rename("true_stay"))
        inst = ex.dropna(subset=["true_stay"])
        sp = stays.loc[inst["true_stay"]]
        self.check((sp["patient_id"].to_numpy() == inst["true_pid"].to_numpy()).all(), "exam->stay: stay of another patient")
        before = (inst["study_datetime"].to_numpy() < sp["start_datetime"].to_numpy())
        after = (inst["study_datetime"].to_numpy() > sp["end_datetime"].to_numpy())
        lead = (sp["start_datetime"].to_numpy() - inst["study_datetime"].to_numpy())[before]
        self.check((lead <= pd.Timedelta(hours=16).to_timedelta64()).all(), "exam->stay: exam more than 16 h before its stay")
        self.check(not after.any(), "exam->stay: exam after its stay")
        rep = R.set_index("report_id").join(r_exam.rename("true_exam")).join(r_stay.rename("true_stay"))
        with_exam = rep.dropna(subset=["true_exam"])
        tex = ex.loc[with_exam["true_exam"]]
        self.check((tex["true_stay"].fillna("-").to_numpy() == with_exam["true_stay"].fillna("-").to_numpy()).all(),
                   "report->stay differs from its exam's stay")
        dated = with_exam["report_datetime"].notna().to_numpy()
        # site C consoles write UTC: the exam's local time is at most 2 h after study_datetime
        late = with_exam["report_datetime"].to_numpy()[dated] < tex["study_datetime"].to_numpy()[dated]
        self.check(not late.any(), f"report->exam: {int(late.sum())} reports dated before their exam")
        known = with_exam["patient_id"].notna().to_numpy()
        same = [(rp in ipp_forms(tp)) or bool(TEMP.match(rp))
                for rp, tp in zip(with_exam["patient_id"].to_numpy()[known], tex["true_pid"].to_numpy()[known], strict=False)]
        self.check(all(same), "report->exam: report patient_id is another patient's")

        # ---- faults ----
        self.check(F["exam_id"].is_unique and set(F["exam_id"]) == set(E["exam_id"]), "exam_faults: not one row per exam")
        self.check(F["fault"].isin(FAULTS).all(), f"exam_faults: unknown fault {set(F['fault']) - FAULTS}")
        kinds = {k for v in F["identity_noise"] for k in v.split(";") if k}
        self.check(kinds <= NOISE, f"exam_faults: unknown noise kinds {kinds - NOISE}")
        fx = ex.join(F.set_index("exam_id"))
        registry = set(P["patient_id"])
        all_forms = set().union(*(ipp_forms(p) for p in registry))
        for fault, grp in fx.groupby("fault"):
            hdr, tp = grp["patient_id"], grp["true_pid"]
            if fault == "none":
                ok = [h in ipp_forms(p) for h, p in zip(hdr, tp, strict=False)]
            elif fault == "missing_ipp":
                ok = [pd.isna(h) or h in ("0", "INCONNU") for h in hdr]
            elif fault == "mistyped_ipp":
                ok = [not pd.isna(h) and h not in all_forms for h in hdr]
            elif fault == "other_patient_ipp":
                ok = [h in all_forms and h not in ipp_forms(p) for h, p in zip(hdr, tp, strict=False)]
            else:
                ok = [not pd.isna(h) and bool(TEMP.match(h)) for h in hdr]
            self.check(all(ok), f"exam_faults: {len(ok) - sum(ok)} '{fault}' exams whose header IPP disagrees")
        self.stats(P, St, E, R, fx, rep, e_stay, before)
        return self.errors

    def stats(self, P, St, E, R, fx, rep, e_stay, before):
        n = lambda x: f"{100 * x:.1f} %"  # noqa: E731
        print(f"  rows: patients {len(P)}, stays {len(St)}, exams {len(E)}, reports {len(R)}")
        print("  stay types:", St["stay_type"].value_counts().to_dict())
        print("  faults:", {k: n(v) for k, v in fx["fault"].value_counts(normalize=True).items()})
        noisy = (fx["identity_noise"].str.replace("ipp_format", "").str.strip(";") != "").mean()
        print("  exams with name/birth/sex noise:", n(noisy))
        nk = fx["identity_noise"].str.split(";").explode()
        print("  noise kinds:", nk[nk != ""].value_counts().to_dict())
        print("  exams in a stay (truth):", n(e_stay.notna().mean()), "; header stay_id:", n(E["stay_id"].notna().mean()),
              "; header stay_id equal to a stay_id:", n(E["stay_id"].isin(St["stay_id"]).mean()),
              "; exams before their stay starts:", int(before.sum()))
        per_exam = rep["true_exam"].value_counts()
        print("  reports with an exam:", n(rep["true_exam"].notna().mean()), "; exams without report:",
              n(1 - E["exam_id"].isin(rep["true_exam"]).mean()), "; exams with >1 report:", n((per_exam > 1).sum() / len(E)))
        print("  report accession:", n(R["accession_number"].notna().mean()), "; equal to a PACS accession:",
              n(R["accession_number"].isin(E["accession_number"]).mean()),
              "; report stay_id:", n(R["stay_id"].notna().mean()), "; report_datetime null:", n(R["report_datetime"].isna().mean()),
              "; report patient_id null:", n(R["patient_id"].isna().mean()))
        w = rep.dropna(subset=["true_exam", "report_datetime"])
        delay = (w["report_datetime"].to_numpy() - fx.loc[w["true_exam"], "study_datetime"].to_numpy()) / pd.Timedelta(hours=1)
        q = pd.Series(delay).quantile([0.1, 0.5, 0.9, 0.99]).round(1).to_dict()
        print("  report delay after study (h) quantiles:", q)
        print("  distinct report titles:", R["title"].nunique(), "; top surname share:",
              n(P["family_name"].value_counts(normalize=True).iloc[0]))
        sz = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(self.path) for f in fs)
        print(f"  size on disk: {sz / 1e6:.2f} MB")


def determinism() -> list:
    sys.path.insert(0, HERE)
    import generate
    errs = []
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        for d in (a, b):
            generate.main(["--all", "--patients", "200", "--seed", "5", "-o", d])
        for prof in generate.PROFILES:
            for sub in ("patients", "stays", "exams", "reports", "truth/links", "truth/exam_faults"):
                fa, fb = (os.path.join(x, prof, sub + ".parquet") for x in (a, b))
                if not filecmp.cmp(fa, fb, shallow=False):
                    errs.append(f"{prof}/{sub}: not byte-identical")
    return errs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*")
    ap.add_argument("--determinism", action="store_true")
    a = ap.parse_args(argv)
    bad = 0
    for path in a.sets:
        print(path)
        errs = Checker(path).run()
        for e in errs:
            print("  FAIL", e)
        print("  OK" if not errs else f"  {len(errs)} failure(s)")
        bad += bool(errs)
    if a.determinism:
        errs = determinism()
        print("determinism:", "OK" if not errs else errs)
        bad += bool(errs)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
