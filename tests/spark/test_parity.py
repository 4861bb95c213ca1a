"""Engine parity: Spark and pandas give the same report_facts, findings and links, cell by cell."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from radlink.linkage import LinkageSettings, link
from radlink.nlp import FACTS_COLUMNS, FINDINGS_COLUMNS, ReportExtractor

SAMPLE = Path(__file__).resolve().parents[2] / "data_samples"


def cells(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sorted by ``keys``, every cell a plain Python value (``None`` for missing)."""
    df = df.sort_values(keys, kind="mergesort").reset_index(drop=True).astype(object)
    return df.where(df.notna(), None)


def assert_same_cells(local: pd.DataFrame, spark: pd.DataFrame, keys: list[str]) -> None:
    assert list(spark.columns) == list(local.columns)
    assert len(spark) == len(local)
    a, b = cells(local, keys), cells(spark, keys)
    for col in a.columns:
        differ = [i for i, (x, y) in enumerate(zip(a[col], b[col], strict=True)) if x != y]
        assert not differ, f"{col}: {len(differ)} cells differ, first at sorted row {differ[:3]}"


def test_extraction_is_the_pandas_engines(spark, synth500):
    from radlink.spark import to_spark

    reports = synth500.reports[["report_id", "text", "title"]]
    local = ReportExtractor().extract(reports)
    sdf = to_spark(spark, reports, "reports").select("report_id", "text", "title").repartition(3)
    out = ReportExtractor().extract(sdf)
    types = {f.name: f.dataType.simpleString() for f in out.findings.schema.fields}
    assert types["negated"] == "boolean" and types["start"] == "bigint" and types["suvmax"] == "double"
    assert out.facts.columns == list(FACTS_COLUMNS) and out.findings.columns == list(FINDINGS_COLUMNS)
    facts, findings = out.facts.toPandas(), out.findings.toPandas()
    assert len(local.findings) > len(reports)  # a real workload: several findings per report
    assert_same_cells(local.facts, facts, ["report_id"])
    assert_same_cells(local.findings, findings, ["finding_id"])


@pytest.fixture(scope="module")
def links500(synth500):
    """The pandas engine's links of the 500-patient warehouse and what it fitted, computed once."""
    fitted: dict = {}
    links = link(synth500.patients, synth500.exams, synth500.stays, synth500.reports, fitted=fitted,
                 validate=False)
    return links, fitted


@pytest.fixture(scope="module")
def pandas_timeline(tmp_path_factory):
    """``radlink timeline data_samples`` on the pandas engine, once for the tests that compare with it."""
    from click.testing import CliRunner

    from radlink.cli import main

    out = tmp_path_factory.mktemp("timeline") / "pandas"
    result = CliRunner().invoke(main, ["timeline", str(SAMPLE), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    return out


def test_links_are_the_pandas_engines_on_500_patients(spark, synth500, links500):
    from radlink.spark import link_spark

    ds = synth500
    fitted_spark: dict = {}
    local, fitted_local = links500
    links = link_spark(ds.patients, ds.exams, ds.stays, ds.reports, fitted=fitted_spark, spark=spark,
                       n_groups=5).toPandas()
    assert set(local["status"]) == {"linked", "unlinked", "ambiguous"}
    assert fitted_spark["delay_model"] == fitted_local["delay_model"]
    assert_same_cells(local, links, ["source_type", "target_type", "source_id"])
    # and in the pandas engine's row order
    assert links["source_id"].tolist() == local["source_id"].tolist()


def test_context_decisions_are_the_pandas_engines(spark, tmp_path):
    """Anonymous and IPP-only headers placed from the warehouse's context: the same rows on Spark."""
    from radlink.dataset import load_dataset
    from radlink.spark import link_spark
    from radlink.synth import generate, write_dataset

    write_dataset(generate(400, seed=77, profile="emergency_export"), tmp_path)
    ds = load_dataset(tmp_path)
    local = link(ds.patients, ds.exams, ds.stays, ds.reports, validate=False)
    links = link_spark(ds.patients, ds.exams, ds.stays, ds.reports, spark=spark, n_groups=3).toPandas()
    assert (local["method"] == "warehouse_context").sum() > 20
    assert_same_cells(local, links, ["source_type", "target_type", "source_id"])
    assert links["source_id"].tolist() == local["source_id"].tolist()


def test_the_em_refit_is_estimated_once_and_gives_the_same_links(spark, synth500):
    from radlink.spark import link_spark

    ds = synth500
    settings = LinkageSettings(refit_em=True)
    fitted_local: dict = {}
    fitted_spark: dict = {}
    local = link(ds.patients, ds.exams, ds.stays, ds.reports, settings, fitted=fitted_local)
    # a Spark table of several partitions, in the input's order (the random pairs that estimate u
    # are drawn by position, in either engine)
    exams = spark.createDataFrame(ds.exams.astype(object).where(ds.exams.notna(), None))
    assert exams.rdd.getNumPartitions() > 1
    links = link_spark(ds.patients, exams, ds.stays, ds.reports, settings, fitted=fitted_spark,
                       spark=spark).toPandas()
    assert fitted_local["exam_patient_model"] == fitted_spark["exam_patient_model"] == "refit"
    assert_same_cells(local, links, ["source_type", "target_type", "source_id"])


def test_a_sampled_delay_model_is_the_pandas_engines_and_so_are_the_links(spark, synth500, links500):
    """Above the delay model's sample size both engines fit it on the same patients."""
    from radlink.spark import link_spark, to_spark

    ds = synth500
    settings = LinkageSettings(delay_sample_reports=300)
    fitted: dict = {}
    timings: dict = {}
    # the reports in another order and partitioning than the pandas engine's: the sample reads ids only
    reports = to_spark(spark, ds.reports, "reports").repartition(3)
    links = link_spark(ds.patients, ds.exams, ds.stays, reports, settings, fitted=fitted, spark=spark,
                       n_groups=7, timings=timings).toPandas()
    local_fitted: dict = {}
    full = links500[1]
    local = link(ds.patients, ds.exams, ds.stays, ds.reports, settings, fitted=local_fitted, validate=False)
    assert len(ds.reports) > 1_000
    assert 0 < fitted["delay_model"]["pairs"] < full["delay_model"]["pairs"]  # a sample was fitted
    assert fitted["delay_model"] == local_fitted["delay_model"]
    assert set(timings) == {"inputs", "exam→patient", "context rows", "context decision", "groups",
                            "delay model", "stays and reports"}
    assert_same_cells(local, links, ["source_type", "target_type", "source_id"])


def same_cells_in_order(local_path: Path, spark_path: Path) -> None:
    """Both files read back: the same columns, rows in the same order, cell by cell (``None`` for missing)."""
    local, on_spark = pd.read_parquet(local_path), pd.read_parquet(spark_path)
    assert list(on_spark.columns) == list(local.columns), local_path.name
    assert len(on_spark) == len(local), local_path.name
    a, b = local.astype(object), on_spark.astype(object)
    a, b = a.where(a.notna(), None), b.where(b.notna(), None)
    for col in a.columns:
        differ = [i for i, (x, y) in enumerate(zip(a[col], b[col], strict=True)) if x != y]
        assert not differ, f"{local_path.name} {col}: {len(differ)} cells differ, first at row {differ[:3]}"


@pytest.mark.parametrize("spark_output", ["files", "collect"])
def test_the_timeline_command_writes_the_same_files_on_spark(spark, tmp_path, spark_output, pandas_timeline):
    """``files`` (the default): one file per table written by the executors, the pandas engine's cells;
    ``collect``: each table collected once and written by pyarrow, the pandas engine's bytes."""
    from click.testing import CliRunner

    from radlink.cli import main

    (tmp_path / "pandas").symlink_to(pandas_timeline, target_is_directory=True)
    result = CliRunner().invoke(main, ["timeline", str(SAMPLE), "-o", str(tmp_path / "spark"), "--no-progress",
                                       "--engine", "spark", "--spark-output", spark_output])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "pandas").glob("*.parquet"))
    assert "links.parquet" in files and "findings.parquet" in files
    assert sorted(p.name for p in (tmp_path / "spark").iterdir()) == sorted((*files, "manifest.json"))
    for name in files:
        assert (tmp_path / "spark" / name).is_file(), name
        if spark_output == "collect":
            assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "pandas" / name).read_bytes(), name
        else:
            same_cells_in_order(tmp_path / "pandas" / name, tmp_path / "spark" / name)
    docs = [json.loads((tmp_path / e / "manifest.json").read_text()) for e in ("pandas", "spark")]
    for key in ("accounting", "link_status", "reattached_exams", "ipp_other_format_exams", "outputs",
                "skipped_reports"):
        assert docs[0][key] == docs[1][key], key
    # built on the executors: no opposition stage (the driver path runs one, as the pandas engine)
    assert [s["stage"] for s in docs[1]["stages"]] == ["load", "extract", "link", "assemble", "write"]


def test_the_timeline_command_can_write_parquet_folders_on_the_executors(spark, tmp_path, pandas_timeline):
    """``--spark-output folders``: each table a folder of part files, the pandas engine's rows in its order."""
    from click.testing import CliRunner

    from radlink.cli import main

    (tmp_path / "pandas").symlink_to(pandas_timeline, target_is_directory=True)
    result = CliRunner().invoke(main, ["timeline", str(SAMPLE), "-o", str(tmp_path / "spark"), "--no-progress",
                                       "--engine", "spark", "--spark-output", "folders"])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "pandas").glob("*.parquet"))
    assert "timeline.parquet" in files and "unattached_exams.parquet" in files
    for name in files:
        if name != "skipped_reports.parquet":
            assert (tmp_path / "spark" / name).is_dir(), name
        same_cells_in_order(tmp_path / "pandas" / name, tmp_path / "spark" / name)


def test_opposition_on_the_executors_writes_the_pandas_engines_files(spark, tmp_path):
    """Opposed patients leave every table on Spark's executors: the same bytes (collected) and counts."""
    from click.testing import CliRunner

    from radlink.cli import main

    patients = pd.read_parquet(SAMPLE / "patients.parquet")["patient_id"].astype(str)
    opposition = tmp_path / "opposition.txt"
    opposition.write_text("\n".join([*patients.iloc[::7], "NOT-A-PATIENT"]) + "\n")
    runner = CliRunner()
    for engine in ("pandas", "spark"):
        result = runner.invoke(main, ["timeline", str(SAMPLE), "-o", str(tmp_path / engine), "--no-progress",
                                      "--opposition", str(opposition), "--engine", engine,
                                      "--spark-output", "collect"])
        assert result.exit_code == 0, result.output
    docs = [json.loads((tmp_path / e / "manifest.json").read_text()) for e in ("pandas", "spark")]
    assert docs[0]["excluded_patients"] > 0
    assert sum(a["excluded_opposition"] for a in docs[0]["accounting"].values()) > 0
    for key in ("accounting", "link_status", "reattached_exams", "excluded_patients", "outputs"):
        assert docs[0][key] == docs[1][key], key
    assert [s["stage"] for s in docs[1]["stages"]] == ["load", "extract", "link", "assemble", "opposition", "write"]
    for name in sorted(p.name for p in (tmp_path / "pandas").glob("*.parquet")):
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "pandas" / name).read_bytes(), name


def test_pseudonymisation_on_the_executors_writes_the_pandas_engines_files(spark, tmp_path):
    """Pseudonyms, shifted dates and scrubbed text made on the executors (after opposition): the same
    bytes (collected) and the same counts of what the de-identifier replaced; the key is written nowhere."""
    from click.testing import CliRunner

    from radlink.cli import main

    key = tmp_path / "key"
    key.write_text("k" * 64)
    # the sample, with some reports naming their patient, an IPP and a date in their indication
    data = tmp_path / "in"
    shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns("*_*", "dicom", "truth", "redcap"))
    patients = pd.read_parquet(data / "patients.parquet")
    reports = pd.read_parquet(data / "reports.parquet")
    family = reports["patient_id"].map(patients.set_index("patient_id")["family_name"])
    named = reports["patient_id"].notna().to_numpy() & (np.arange(len(reports)) % 3 == 0)
    reports.loc[named, "text"] = [t.replace("Renseignements cliniques :\n", f"Renseignements cliniques :\nM. {f} "
                                            f"(IPP {p}) revu le 12/03/2021 pour ", 1)
                                  for t, f, p in zip(reports.loc[named, "text"], family[named],
                                                     reports.loc[named, "patient_id"], strict=True)]
    reports.to_parquet(data / "reports.parquet", index=False)
    opposition = tmp_path / "opposition.txt"
    opposition.write_text("\n".join(patients["patient_id"].astype(str).iloc[::9]) + "\n")
    runner = CliRunner()
    for engine in ("pandas", "spark"):
        result = runner.invoke(main, ["timeline", str(data), "-o", str(tmp_path / engine), "--no-progress",
                                      "--pseudonymise", "--key-file", str(key), "--opposition", str(opposition),
                                      "--engine", engine, "--spark-output", "collect"])
        assert result.exit_code == 0, result.output
    docs = [json.loads((tmp_path / e / "manifest.json").read_text()) for e in ("pandas", "spark")]
    assert docs[0]["pseudonymised"] and sum(docs[0]["text_replacements"].values()) > 0
    for key_name in ("accounting", "link_status", "reattached_exams", "excluded_patients", "outputs",
                     "text_replacements", "key_fingerprint"):
        assert docs[0][key_name] == docs[1][key_name], key_name
    assert [s["stage"] for s in docs[1]["stages"]] == ["load", "extract", "link", "assemble", "opposition",
                                                       "pseudonymise", "write"]
    files = sorted(p.name for p in (tmp_path / "pandas").glob("*.parquet"))
    assert "unattached_exams.parquet" in files and "findings.parquet" in files
    for name in files:
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "pandas" / name).read_bytes(), name
    assert "k" * 16 not in (tmp_path / "spark" / "manifest.json").read_text()


def test_the_extract_command_writes_parquet_folders_on_spark(spark, tmp_path):
    from click.testing import CliRunner

    from radlink.cli import main

    runner = CliRunner()
    for engine in ("pandas", "spark"):
        result = runner.invoke(main, ["extract", str(SAMPLE / "reports.parquet"), "-o", str(tmp_path / engine),
                                      "--no-progress", "--engine", engine])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "spark" / "findings.parquet").is_dir()
    for name, keys in (("report_facts", ["report_id"]), ("findings", ["finding_id"])):
        local = pd.read_parquet(tmp_path / "pandas" / f"{name}.parquet")
        spark_out = pd.read_parquet(tmp_path / "spark" / f"{name}.parquet")
        assert_same_cells(local, spark_out, keys)


def test_an_exam_id_repeated_across_partitions_is_an_error_that_quotes_no_id(spark):
    from radlink.dataset import load_dataset
    from radlink.errors import LinkageInputError
    from radlink.spark import link_spark

    ds = load_dataset(SAMPLE)
    exams = spark.read.parquet(str(SAMPLE / "exams.parquet"))
    twice = exams.union(exams.limit(1))
    first_id = ds.exams["exam_id"].iloc[0]
    with pytest.raises(LinkageInputError, match="'exams', column 'exam_id': 1 rows repeat") as err:
        link_spark(ds.patients, twice, ds.stays, ds.reports)
    assert first_id not in str(err.value)


def test_a_placeholder_accession_over_several_partitions_links_like_the_pandas_engine(spark, synth500):
    """A site's "INCONNU" on the exams and reports of 60 patients: no giant group, the same links."""
    from functools import reduce

    from radlink.spark import link_spark, to_spark

    ds = synth500
    inconnu = set(ds.patients["patient_id"].iloc[:60])
    exams, reports = ds.exams.copy(), ds.reports.copy()
    exams.loc[exams["patient_id"].isin(inconnu), "accession_number"] = "INCONNU"
    reports.loc[reports["patient_id"].isin(inconnu), "accession_number"] = "INCONNU"
    assert (exams["accession_number"] == "INCONNU").sum() > 100

    def in_parts(df, table, parts=4):  # several partitions, in the input's order
        bounds = np.linspace(0, len(df), parts + 1).astype(int)
        return reduce(lambda a, b: a.unionByName(b),
                      [to_spark(spark, df.iloc[i:j], table) for i, j in zip(bounds[:-1], bounds[1:], strict=True)])

    spark_exams, spark_reports = in_parts(exams, "exams"), in_parts(reports, "reports")
    assert spark_exams.rdd.getNumPartitions() >= 4 and spark_reports.rdd.getNumPartitions() >= 4
    local = link(ds.patients, exams, ds.stays, reports, validate=False)
    links = link_spark(ds.patients, spark_exams, ds.stays, spark_reports, spark=spark).toPandas()
    assert_same_cells(local, links, ["source_type", "target_type", "source_id"])
    # the placeholder links nothing by accession number; the reports still find their exams
    inconnu_reports = reports.loc[reports["accession_number"] == "INCONNU", "report_id"]
    to_exam = local[(local["target_type"] == "exam") & local["source_id"].isin(inconnu_reports)]
    assert len(to_exam) and not (to_exam["method"] == "accession_number").any()
    assert (to_exam["status"] == "linked").mean() > 0.8


def test_a_letter_without_patient_is_placed_by_its_site_as_the_pandas_engine_does(spark):
    """site_date_modality crosses groups (the report has no patient): decided once on the driver."""
    from radlink.spark import link_spark
    from radlink.tables import validate_table

    patients = validate_table(pd.DataFrame({
        "patient_id": ["100001", "100002"], "family_name": ["Dupont", "Martin"], "given_name": ["Anne", "Paul"],
        "birth_date": ["1950-03-04", "1961-05-06"], "sex": ["F", "M"]}), "patients")
    exams = validate_table(pd.DataFrame({
        "exam_id": ["E1", "E2", "E3", "E4"], "patient_id": ["100001", "100002", "100002", "100001"],
        "patient_name": ["DUPONT^ANNE", "MARTIN^PAUL", "MARTIN^PAUL", "DUPONT^ANNE"],
        "birth_date": ["1950-03-04", "1961-05-06", "1961-05-06", "1950-03-04"], "sex": ["F", "M", "M", "F"],
        "study_datetime": ["2023-01-02 09:10", "2023-01-02 11:00", "2023-01-02 15:00", "2023-02-01 10:00"],
        "modality": ["DX", "DX", "CT", "US"],
        "study_description": ["RADIO GENOU", "RADIO GENOU", "TDM THORAX", "ECHO ABDO"],
        "institution": ["CIMA LES TILLEULS", "IMAGERIE DU PARC", "CIMA LES TILLEULS", "CIMA LES TILLEULS"]}), "exams")
    stays = validate_table(pd.DataFrame({
        "stay_id": ["S1"], "patient_id": ["100001"], "stay_type": ["day_care"],
        "start_datetime": ["2023-01-02 08:00"], "end_datetime": ["2023-01-02 18:00"]}), "stays")
    letter = ("Cima Les Tilleuls - Dr Petit, radiologue\nCher confrère,\nJe vous remercie de m'avoir adressé "
              "votre patient(e) pour un(e) radio genou réalisé(e) le 02/01/2023.\nConclusion : normal.")
    reports = validate_table(pd.DataFrame({
        "report_id": ["R1", "R2"], "patient_id": [None, "100001"],
        "report_datetime": ["2023-01-02 18:00", "2023-02-01 12:00"], "title": ["Courrier", "Echographie"],
        "text": [letter, "Échographie abdominale normale."]}), "reports")
    local = link(patients, exams, stays, reports)
    links = link_spark(patients, exams, stays, reports, spark=spark, n_groups=2).toPandas()
    assert (local["method"] == "site_date_modality").sum() == 1
    assert_same_cells(local, links, ["source_type", "target_type", "source_id"])
    assert links["source_id"].tolist() == local["source_id"].tolist()


@pytest.mark.parametrize("second_reading", [False, True])
def test_reports_placed_by_their_request_number_are_the_pandas_engines(spark, second_reading):
    """request_number crosses groups (its anchors are other patients' reports): learned and placed on the
    driver from the numbers read on the executors. 60 patients, one ultrasound a day each, each report
    writing a request number (DM...), no accession; the report of day 30 names no patient and bears no
    date, the one of day 41 is its patient's but bears no date either: their numbers place them. With
    ``second_reading``, a second report of day 10's request, without patient nor date, writes the number
    of a placed report: it takes that report's exam (the Spark engine reads that anchor's exam alone)."""
    from radlink.spark import link_spark

    n = 60
    ids = [f"{7_000_000 + i}" for i in range(n)]
    patients = pd.DataFrame({"patient_id": ids, "family_name": [f"Nom{chr(65 + i % 26)}{i}" for i in range(n)],
                             "given_name": ["Anne"] * n, "birth_date": ["1960-01-01"] * n, "sex": ["F"] * n})
    study = (pd.Timestamp("2023-01-02 10:00") + pd.to_timedelta(np.arange(n), unit="D")
             + pd.to_timedelta((np.arange(n) % 2) * 5, unit="h"))
    exams = pd.DataFrame({"exam_id": [f"E{i}" for i in range(n)], "patient_id": ids,
                          "patient_name": [f"{f.upper()}^ANNE" for f in patients["family_name"]],
                          "birth_date": ["19600101"] * n, "sex": ["F"] * n,
                          "study_datetime": study.strftime("%Y-%m-%d %H:%M"), "modality": ["US"] * n,
                          "study_description": ["ECHOGRAPHIE ABDOMINALE"] * n})
    # a second, unreported exam of another kind on days 30 and 41, and one of another patient on day 41
    exams = pd.concat([exams, exams.iloc[[30, 41]].assign(exam_id=["E_CT30", "E_CT41"], modality="CT",
                                                          study_description="TDM THORAX")], ignore_index=True)
    stays = pd.DataFrame({"stay_id": ["S30"], "patient_id": [ids[30]], "stay_type": ["day_care"],
                          "start_datetime": [study[30].strftime("%Y-%m-%d 08:00")],
                          "end_datetime": [study[30].strftime("%Y-%m-%d 20:00")]})
    reports = pd.DataFrame({"report_id": [f"R{i}" for i in range(n)], "patient_id": ids,
                            "report_datetime": (study + pd.Timedelta("1h")).strftime("%Y-%m-%d %H:%M"),
                            "title": ["CR"] * n,
                            "text": [f"N° de demande : DM{200000 + 3 * i}\n\nEchographie abdominale.\nNormal."
                                     for i in range(n)]})
    reports.loc[30, ["patient_id", "report_datetime"]] = None  # nothing but the number is left
    reports.loc[41, "report_datetime"] = None
    if second_reading:
        reports = pd.concat([reports, reports.iloc[[10]].assign(report_id="R10b", patient_id=None,
                                                                report_datetime=None)], ignore_index=True)
    local = link(patients, exams, stays, reports)
    links = link_spark(patients, exams, stays, reports, spark=spark, n_groups=3).toPandas()
    placed = local[local["method"] == "request_number"]
    assert placed["source_id"].tolist() == ["R30"] or len(placed) >= 1
    assert ("R30", "E30") in set(zip(placed["source_id"], placed["target_id"], strict=True))
    if second_reading:
        assert ("R10b", "E10") in set(zip(placed["source_id"], placed["target_id"], strict=True))
    assert_same_cells(local, links, ["source_type", "target_type", "source_id"])
    assert links["source_id"].tolist() == local["source_id"].tolist()
