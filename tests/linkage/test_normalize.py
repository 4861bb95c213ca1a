"""Name, DICOM PN and IPP normalisation."""

from __future__ import annotations

import pandas as pd

from radlink.linkage.normalize import (
    drop_particles,
    ipp_deletion_keys,
    normalize_ipp,
    normalize_name,
    parse_person_name,
    phonetic_key,
)


class TestNormalizeName:
    def test_accents_case_hyphens_apostrophes(self):
        got = normalize_name(pd.Series(["Lefèvre", "LE GALL", "d'Arcy-Lévêque", "Œuvray", None]))
        assert got.tolist() == ["LEFEVRE", "LEGALL", "DARCYLEVEQUE", "OEUVRAY", None]

    def test_particles(self):
        assert drop_particles(pd.Series(["de la Fontaine", "Du Pont", "Le"])).tolist() == ["FONTAINE", "PONT", "LE"]


class TestParsePersonName:
    def test_dicom_pn_and_plain_forms(self):
        got = parse_person_name(pd.Series([
            "DUPONT^Jean^Pierre^Dr", "martin^anne", "LEROY, Paul", "BERNARD Marie Claire", None,
            "DURAND EP MARTIN^SYLVIE", "DUPONT=デュポン^",
        ]))
        assert got["family"].tolist() == ["DUPONT", "MARTIN", "LEROY", "BERNARD", None, "DURAND", "DUPONT"]
        assert got["given"].tolist() == ["JEAN", "ANNE", "PAUL", "MARIECLAIRE", None, "SYLVIE", None]
        assert got["family_alt"].tolist()[5] == "MARTIN"


class TestPhoneticKey:
    def test_sound_alikes_share_a_key(self):
        k = phonetic_key(pd.Series(["Philippe", "Filipe", "Gauthier", "Gautier", "Lefebvre", "Lefèvre"]))
        assert k[0] == k[1] and k[2] == k[3] and k[4] == k[5]

    def test_different_names_differ(self):
        k = phonetic_key(pd.Series(["Martin", "Bernard"]))
        assert k[0] != k[1]


class TestIpp:
    def test_normalize(self):
        assert normalize_ipp(pd.Series(["0800123", " 800-123 ", "tmp1", None])).tolist() == ["800123", "800123", "TMP1", None]

    def test_variants_meet(self):
        ids = pd.Series(["full", "typo", "swap", "lost", "other"])
        ipps = pd.Series(["800123456", "800123457", "801223456", "0123456", "555555555"])
        keys = ipp_deletion_keys(ids, ipps)
        full = set(keys[keys.id == "full"].key)
        for other in ("typo", "swap", "lost"):
            assert full & set(keys[keys.id == other].key), other
        assert not full & set(keys[keys.id == "other"].key)


def test_an_ipp_in_another_site_format_is_the_same_patient_and_a_typo_or_another_ipp_is_not():
    from radlink.linkage.normalize import ipp_in_other_format
    carried = pd.Series(["BEL0034521386", "003452138612", "0034521387", "0012345678", "34521386", None])
    patient = pd.Series(["0034521386"] * 5 + ["0034521386"])
    assert ipp_in_other_format(carried, patient).tolist() == [True, True, False, False, True, False]


def test_a_report_id_in_another_site_format_finds_its_one_registry_patient():
    from radlink.linkage.normalize import registry_ipp_of
    registry = pd.Series(["0033524480", "0034521386", "0012345678", "0001234567"])
    got = registry_ipp_of(pd.Series(["003352448078", "BEL0034521386", "0034521386", "PROV12", None,
                                     "12345678"]), registry)
    # "12345678" begins with 1234567 and is 12345678: two registry patients, so none
    assert got.tolist() == ["0033524480", "0034521386", None, None, None, None]
