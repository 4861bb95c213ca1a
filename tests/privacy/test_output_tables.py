"""The output tables' pseudonymisation rules read, beside a row, only what the row names."""

from __future__ import annotations

import pandas as pd
import pytest

from radlink.dataset import load_dataset
from radlink.privacy.deidentify import identities_from_tables
from radlink.privacy.evidence import string_values
from radlink.privacy.output_tables import OutputPseudonymiser
from radlink.privacy.pseudonymise import Pseudonymiser
from radlink.timeline.job import build_timeline
from radlink.timeline.pseudonymise import (
    evidence_id_kinds,
    patient_names,
    pseudonymise,
    report_patients,
)


@pytest.fixture(scope="module")
def built():
    ds = load_dataset("data_samples")
    return ds, build_timeline(ds)


def in_parts(table: pd.DataFrame, rewrite, parts: int = 3) -> pd.DataFrame:
    """``rewrite(part)`` of each slice of the table, concatenated: as the Spark engine runs the rules."""
    bounds = [round(i * len(table) / parts) for i in range(parts + 1)]
    return pd.concat([rewrite(table.iloc[a:b].reset_index(drop=True)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)],
                     ignore_index=True)


def test_the_rules_on_slices_with_their_own_rows_context_give_the_whole_tables_cells(built):
    ds, out = built
    p = Pseudonymiser(b"0123456789abcdef-test")
    whole = pseudonymise(out, ds, p)
    identities = identities_from_tables(ds.patients, ds.exams)
    owners = report_patients(out.timeline, ds.reports)
    kinds, names = evidence_id_kinds(ds), patient_names(ds.patients)

    def timeline(part):
        own = {k: identities[k] for k in part["patient_id"].dropna() if k in identities}
        return OutputPseudonymiser(p, identities=own).timeline(part)

    def links(part):
        strings = {s for text in part["evidence"] for s in string_values(text)}
        return OutputPseudonymiser(p, id_kinds={s: kinds[s] for s in strings if s in kinds},
                                   names={s.casefold() for s in strings} & names).links(part)

    def facts(part):
        rp = {r: owners.get(r) for r in part["report_id"]}
        own = {k: identities[k] for k in rp.values() if k is not None and k in identities}
        return OutputPseudonymiser(p, identities=own, report_patient=rp).facts(part)

    for name, rewrite in (("timeline", timeline), ("links", links), ("report_facts", facts), ("findings", facts)):
        expected = getattr(whole, name).reset_index(drop=True)
        got = in_parts(getattr(out, name), rewrite)
        assert len(expected) > 10, name
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=name)
    # the rules did rewrite: no raw id is left in the pseudonymised columns
    assert not set(whole.timeline["patient_id"].dropna()) & set(ds.patients["patient_id"])
    assert whole.links["evidence"].str.contains(r"\"(?:pat|exam|rep|stay|acc)_[0-9a-f]{20}\"").any()
