"""Keyed pseudonyms, date shifts, placeholder scrubbing and opposition lists."""

from __future__ import annotations

import pandas as pd
import pytest

from radlink.errors import OppositionListError, PseudonymisationKeyError
from radlink.privacy.opposition import opposed_mask, read_opposition
from radlink.privacy.pseudonymise import KEY_ENV_VAR, Pseudonymiser, read_key, scrub_text

KEY = b"test-key-0123456789abcdef"


class TestPseudonymiser:
    def test_stable_keyed_and_kind_separated(self):
        p, q = Pseudonymiser(KEY), Pseudonymiser(KEY + b"x")
        assert p.pseudonym("patient", "800123456") == Pseudonymiser(KEY).pseudonym("patient", "800123456")
        assert p.pseudonym("patient", "800123456") != q.pseudonym("patient", "800123456")
        assert p.pseudonym("exam", "1") != p.pseudonym("report", "1")
        assert "800123456" not in p.pseudonym("patient", "800123456")
        assert p.pseudonym("patient", None) is None

    def test_unknown_kind(self):
        with pytest.raises(ValueError, match="unknown id kind"):
            Pseudonymiser(KEY).pseudonym("name", "x")

    def test_series_keeps_nulls(self):
        s = Pseudonymiser(KEY).pseudonymise_ids(pd.Series(["a", None, "a"]), "stay")
        assert s[0] == s[2] and s[1] is None

    def test_date_shift_is_per_patient_and_keeps_intervals(self):
        p = Pseudonymiser(KEY, max_shift_days=60, min_shift_days=30)
        ids = pd.Series([f"P{i}" for i in range(200)] * 2)
        dates = pd.Series(pd.to_datetime(["2020-01-01"] * 200 + ["2020-03-01"] * 200))
        shifted = p.shift_dates(dates, ids)
        delta = (shifted - dates).dt.days
        assert delta.abs().between(30, 60).all()  # never 0, never a few days
        assert (delta > 0).any() and (delta < 0).any()
        assert delta.nunique() > 20  # patients get different shifts
        assert ((shifted[200:].to_numpy() - shifted[:200].to_numpy()) == (dates[200:].to_numpy() - dates[:200].to_numpy())).all()

    def test_fingerprint_does_not_reveal_key(self):
        fp = Pseudonymiser(KEY).fingerprint
        assert len(fp) == 12 and KEY.decode() not in fp


class TestReadKey:
    def test_from_file_and_env(self, tmp_path, monkeypatch):
        f = tmp_path / "key"
        f.write_bytes(KEY + b"\n")
        assert read_key(f) == KEY
        monkeypatch.setenv(KEY_ENV_VAR, KEY.decode())
        assert read_key() == KEY

    def test_missing_or_short(self, tmp_path, monkeypatch):
        monkeypatch.delenv(KEY_ENV_VAR, raising=False)
        with pytest.raises(PseudonymisationKeyError, match="RADLINK_PSEUDONYM_KEY"):
            read_key()
        monkeypatch.setenv(KEY_ENV_VAR, "short")
        with pytest.raises(PseudonymisationKeyError, match="too short") as exc:
            read_key()
        assert "short" not in str(exc.value).replace("too short", "")  # key value never echoed


def test_scrub_text_is_a_deprecated_alias_of_the_one_deidentifier():
    text = "Mme [NOM] née le [DATE], examen du 10/04/2020 et du 3 mars 2019 ; [NOM: Dupont] nodule 8 mm"
    with pytest.warns(DeprecationWarning, match="deidentify"):
        out = scrub_text(text)
    assert "Dupont" not in out and "2020" not in out and "2019" not in out
    assert "nodule 8 mm" in out


class TestOpposition:
    def test_formats(self, tmp_path):
        (tmp_path / "o.txt").write_text("# header\n800000001\n\n800000002  # late\n")
        assert read_opposition(tmp_path / "o.txt") == {"800000001", "800000002"}
        pd.DataFrame({"patient_id": ["1", None]}).to_csv(tmp_path / "o.csv", index=False)
        assert read_opposition(tmp_path / "o.csv") == {"1"}

    def test_errors(self, tmp_path):
        with pytest.raises(OppositionListError, match="not found"):
            read_opposition(tmp_path / "none.txt")
        pd.DataFrame({"ipp": ["1"]}).to_csv(tmp_path / "o.csv", index=False)
        with pytest.raises(OppositionListError, match="'patient_id' is missing"):
            read_opposition(tmp_path / "o.csv")

    def test_mask(self):
        m = opposed_mask(pd.Series(["A", "B"]), opposed=frozenset())
        assert not m.any()
