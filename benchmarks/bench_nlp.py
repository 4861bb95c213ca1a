"""Benchmark: radlink's report extraction against a naive edsnlp pipeline.

Both run on the same synthetic ~2.3 kB PET-CT reports, in the same run:

- **naive**: ``edsnlp.blank("eds")`` with eds.normalizer, eds.sentences, eds.sections,
  eds.dates, eds.negation, eds.hypothesis and eds.quantities(quantities="all"), the
  pipeline one would assemble first (it extracts less than radlink does);
- **radlink**: ``ReportExtractor().extract(reports)`` (every pipe, both output tables),
  with ``jobs=1`` and ``jobs=2`` (a process pool; worker start-up included), on its
  default ``engine="text"`` (the pipes' functions on the text, no Doc) with its default
  lesion verifier (one sparse matrix per chunk), with ``verify_lesions=False`` (the rules
  alone: what the verifier costs), and with ``engine="spacy"`` (the spaCy pipeline itself,
  same tables) for comparison.

Prints documents per second and the ratios, and the CPU time per report of the naive
pipeline and of radlink (``jobs=1``) with their ratio: the throughput per core, which
other processes on a shared machine disturb less than the wall-clock rates. Run from the
repository root::

    .venv/bin/python benchmarks/bench_nlp.py            # 300 naive docs, 3000 radlink docs
    .venv/bin/python benchmarks/bench_nlp.py --quick    # a smoke run
    .venv/bin/python benchmarks/bench_nlp.py --gold     # the gold sets' non-PET reports

``--gold`` reads, instead of the synthetic PET-CT reports, the reports of the open
development gold sets (``data_samples/nlp_gold_blind_a`` to ``_h``; the set being written
blind is never read) whose annotated modality is not PET: the other house styles, shorter.
Their words are new to the scanners' per-word caches (warmed on synthetic reports): the
first timed run (jobs=1) pays their filling, the rules-alone run after it does not, so
there the verifier's cost reads too high; compare runs of the same order.

No timing is asserted anywhere: the machine is shared, read the ratios.
"""

from __future__ import annotations

import argparse
import random
import time

import pandas as pd

# A PET-CT report in the style of a warehouse export (HTML residue, placeholders,
# bracketed technique fields, étages), ~2.3 kB once filled.
TEMPLATE = (
    "{date} : CR - {acc} - CR d'imagerie m&eacute;dicale - Tomographie par &eacute;mission de "
    "positons avec scanner<br>\n<b>TEP-TDM au 18F-FDG</b><br>\n"
    "Indication : Bilan d'extension d'un ad&eacute;nocarcinome pulmonaire lobaire {lobe} {side} "
    "chez <span style=\"background-color:yellow\">[NOM]</span>, {age} ans, ancien fumeur.<br>\n<br>\n"
    "Technique :<br>\n[DOSE INJECTEE (MBq) = {dose} MBq] [LIBELLE INJECTION (RADIOPHARMACEUTIQUE)="
    "Fluorodesoxyglucose] [GLYCEMIE (g/l) = {gly}] [DELAI INJECTION-ACQUISITION (min) = {delay}]<br>\n"
    "Acquisition du vertex &agrave; mi-cuisses, sur Biograph Vision, TDM low-dose sans injection.<br>\n"
    "Comparaison : TEP du <span style=\"background-color:yellow\">[DATE]</span>.<br>\n<br>\n"
    "R&eacute;sultats :<br>\nSUVmax h&eacute;patique de r&eacute;f&eacute;rence {ref}. "
    "Bruit de fond m&eacute;diastinal (SUVmax {mbp}).<br>\n"
    "&Eacute;tage cervical :<br>\n- pas d'ad&eacute;nopathie cervicale hyperm&eacute;tabolique.<br>\n"
    "- fixation physiologique des amygdales et des glandes salivaires.<br>\n"
    "&Eacute;tage thoracique :<br>\n"
    "- masse pulmonaire lobaire {lobe}e {side}e intens&eacute;ment hyperm&eacute;tabolique "
    "(SUVmax {suv1}) mesur&eacute;e &agrave; {s1} x {s2} mm, au contact de la pl&egrave;vre.<br>\n"
    "- ganglion m&eacute;diastinal sous-carinaire mod&eacute;r&eacute;ment fixant (SUVmax{suv2}) "
    "mesur&eacute; &agrave; environ {s3} mm.<br>\n"
    "- ganglion hilaire {side} hyperm&eacute;tabolique (SUVmax : {suv3} vs {prev} pr&eacute;c&eacute;demment) "
    "de {s4} mm, en augmentation.<br>\n"
    "- ad&eacute;nopathies de la loge de Barety et de la fen&ecirc;tre aorto-pulmonaire, de SUVmax "
    "respectivement {suv4} et {suv5}.<br>\n"
    "- pas d'ad&eacute;nopathie sus-claviculaire ni d'&eacute;panchement pleural.<br>\n"
    "&Eacute;tage abdomino-pelvien :<br>\n- absence de l&eacute;sion h&eacute;patique hyperm&eacute;tabolique.<br>\n"
    "- nodule surr&eacute;nalien gauche de {s5} mm (SUVmax {suv6}), &eacute;vocateur d'une localisation "
    "secondaire, &agrave; confronter &agrave; une IRM.<br>\n"
    "- fixation digestive physiologique.<br>\nSquelette :<br>\n"
    "- foyer hyperm&eacute;tabolique de la vert&egrave;bre L{vert} (SUVmax {suv7}), suspect.<br>\n"
    "- pas d'autre l&eacute;sion osseuse hyperm&eacute;tabolique.<br>\n<br>\n"
    "Conclusion :<br>\nL&eacute;sion pulmonaire lobaire {lobe}e {side}e intens&eacute;ment "
    "hyperm&eacute;tabolique, en rapport avec la n&eacute;oplasie connue.<br>\n"
    "Ad&eacute;nopathies hilaire {side} et m&eacute;diastinales hyperm&eacute;taboliques "
    "&eacute;vocatrices d'une atteinte ganglionnaire N2.<br>\n"
    "Nodule surr&eacute;nalien gauche et foyer vert&eacute;bral suspects de localisations secondaires.<br>\n"
    "Compte rendu valid&eacute; par le Dr [NOM].<br>\n"
)


def make_reports(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` synthetic PET-CT reports (report_id, title, text)."""
    rng = random.Random(seed)

    def suv() -> str:
        return f"{rng.uniform(2, 20):.1f}".replace(".", rng.choice([",", "."]))

    rows = []
    for i in range(n):
        text = TEMPLATE.format(
            date=f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(15, 24)}",
            acc=rng.randint(100000, 999999),
            lobe=rng.choice(["supérieur", "inférieur"]),
            side=rng.choice(["droit", "gauch"]) if False else rng.choice(["droit", "gauche"]),
            age=rng.randint(40, 90),
            dose=f"{rng.uniform(150, 400):.1f}".replace(".", ","),
            gly=f"{rng.uniform(0.8, 1.4):.2f}".replace(".", ","),
            delay=rng.randint(50, 80),
            ref=suv(), mbp=suv(), suv1=suv(), suv2=suv(), suv3=suv(), prev=suv(),
            suv4=suv(), suv5=suv(), suv6=suv(), suv7=suv(),
            s1=rng.randint(20, 60), s2=rng.randint(10, 20), s3=rng.randint(8, 20),
            s4=rng.randint(8, 25), s5=rng.randint(8, 30), vert=rng.randint(1, 5),
        ).replace("gauchee", "gauche").replace("droite ", "droite ")
        rows.append(
            {
                "report_id": f"B{i:06d}",
                "title": "CR d'imagerie médicale - Tomographie par émission de positons avec scanner",
                "text": text,
            }
        )
    return pd.DataFrame(rows)


OPEN_GOLD_SETS = tuple(f"nlp_gold_blind_{s}" for s in "abcdefghi")
"""The development gold sets ``--gold`` reads (A to I, a fixed workload across rounds; ``nlp_gold_blind_n`` is the validation set and ``nlp_gold_blind_o`` blind: never read)."""


def gold_reports() -> pd.DataFrame:
    """The reports (report_id, title, text) of :data:`OPEN_GOLD_SETS` annotated as not PET."""
    from pathlib import Path

    from radlink.nlp.evaluation import load_gold

    root = Path(__file__).resolve().parents[1] / "data_samples"
    frames = []
    for name in OPEN_GOLD_SETS:
        gold = load_gold(root / name)
        pet = set(gold.facts.loc[gold.facts["modality"] == "PT", "report_id"])
        reports = gold.reports[~gold.reports["report_id"].isin(pet)]
        frames.append(reports.assign(report_id=name[-1] + "_" + reports["report_id"].astype(str)))
    return pd.concat(frames, ignore_index=True)


def naive_pipeline():
    """The naive edsnlp pipeline the issue names as the baseline."""
    import edsnlp

    nlp = edsnlp.blank("eds")
    for name in ("eds.normalizer", "eds.sentences", "eds.sections", "eds.dates", "eds.negation",
                 "eds.hypothesis"):
        nlp.add_pipe(name)
    nlp.add_pipe("eds.quantities", config={"quantities": "all"})
    return nlp


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive-docs", type=int, default=300)
    parser.add_argument("--docs", type=int, default=3000, help="reports for ReportExtractor")
    parser.add_argument("--quick", action="store_true", help="60 naive docs, 600 radlink docs")
    parser.add_argument("--gold", action="store_true",
                        help="the non-PET reports of the open development gold sets instead")
    args = parser.parse_args(argv)
    if args.quick:
        args.naive_docs, args.docs = 60, 600

    import logging

    logging.disable(logging.WARNING)
    try:  # edsnlp logs through loguru: silence its "Beta" warnings
        from loguru import logger

        logger.remove()
    except ImportError:  # pragma: no cover
        pass

    from radlink.nlp import ReportExtractor
    from radlink.nlp.cleaning import clean_text

    if args.gold:
        reports = gold_reports()
        kind = "non-PET reports of the development gold sets"
    else:
        reports = make_reports(max(args.docs, args.naive_docs))
        kind = "synthetic PET-CT reports"
    mean_chars = reports["text"].str.len().mean()
    print(f"reports: {len(reports):,} {kind}, {mean_chars:,.0f} characters on average")
    warm = make_reports(20)  # other reports: no text of the measured ones read before

    # naive edsnlp pipeline, on the cleaned text (it cannot read HTML either)
    nlp = naive_pipeline()
    texts = [clean_text(t).text for t in reports["text"].head(args.naive_docs)]
    for t in texts[:3]:
        nlp(t)
    t0, c0 = time.perf_counter(), _cpu()
    for t in texts:
        nlp(t)
    naive = _rate(len(texts), time.perf_counter() - t0)
    naive_cpu = (_cpu() - c0) / len(texts) * 1000

    # bare tokenizer, for scale
    t0 = time.perf_counter()
    for t in texts:
        nlp.make_doc(t)
    tokenizer = _rate(len(texts), time.perf_counter() - t0)

    extractor = ReportExtractor()
    extractor.extract(warm)  # build the pipeline
    docs = reports.head(args.docs)
    t0, c0 = time.perf_counter(), _cpu()
    out = extractor.extract(docs, jobs=1)
    jobs1 = _rate(len(docs), time.perf_counter() - t0)
    cpu1 = (_cpu() - c0) / len(docs) * 1000
    t0, c0 = time.perf_counter(), _cpu()
    extractor.extract(docs, jobs=2)
    jobs2 = _rate(len(docs), time.perf_counter() - t0)
    cpu2 = (_cpu() - c0) / len(docs) * 1000
    rules = ReportExtractor(verify_lesions=False)
    rules.extract(warm)
    t0, c0 = time.perf_counter(), _cpu()
    out_r = rules.extract(docs, jobs=1)
    jobs1_r = _rate(len(docs), time.perf_counter() - t0)
    cpu1_r = (_cpu() - c0) / len(docs) * 1000
    spacy_extractor = ReportExtractor(engine="spacy")
    spacy_extractor.extract(warm)
    spacy_docs = docs.head(max(1, len(docs) // 3))
    t0 = time.perf_counter()
    spacy_extractor.extract(spacy_docs, jobs=1)
    spacy1 = _rate(len(spacy_docs), time.perf_counter() - t0)

    print(f"naive edsnlp pipeline ({len(texts):,} docs): {naive:8.1f} docs/s")
    print(f"bare eds tokenizer    ({len(texts):,} docs): {tokenizer:8.1f} docs/s")
    print(f"radlink jobs=1        ({len(docs):,} docs): {jobs1:8.1f} docs/s   "
          f"x{jobs1 / naive:.1f} the naive pipeline")
    print(f"radlink jobs=2        ({len(docs):,} docs): {jobs2:8.1f} docs/s   "
          f"x{jobs2 / naive:.1f} the naive pipeline, x{jobs2 / jobs1:.2f} jobs=1")
    print(f"CPU time per report: jobs=1 {cpu1:.2f} ms, jobs=2 {cpu2:.2f} ms (all processes): "
          f"the pool adds {100 * (cpu2 / cpu1 - 1):+.0f}% work, so jobs=2 scales by "
          f"~{2 * cpu1 / cpu2:.2f}x when two cores are free")
    print(f"per core (CPU time): naive {naive_cpu:.2f} ms/report, radlink jobs=1 {cpu1:.2f} ms/report: "
          f"x{naive_cpu / cpu1:.1f} the naive pipeline (on a shared machine, steadier than wall time)")
    print(f"radlink jobs=1, rules alone (--no-verify-lesions, {len(docs):,} docs): {jobs1_r:8.1f} docs/s, "
          f"{cpu1_r:.2f} ms/report CPU: the default lesion verifier costs "
          f"{100 * (cpu1 / cpu1_r - 1):+.1f}% CPU "
          f"({len(out_r.findings) - len(out.findings)} of {len(out_r.findings):,} findings dropped)")
    print(f"radlink spacy engine  ({len(spacy_docs):,} docs): {spacy1:8.1f} docs/s   "
          f"x{spacy1 / naive:.1f} the naive pipeline (jobs=1)")
    print(f"radlink output: {len(out.facts):,} facts rows, {len(out.findings):,} findings")


if __name__ == "__main__":
    main()
