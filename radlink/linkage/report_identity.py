"""The patient a report names in its header, for reports that carry no usable patient number.

Reports written in a RIS other than the hospital's (a private imaging group, a
teleradiology company, a secretary typing from a dictation) often reach the warehouse
without the IPP, or with the RIS's own number, but their letter head names the patient:
"Mme GODARD Véronique, née le 22/01/1958", "Nom : DUPONT  Prénom : Jean  DDN : 12/03/1950".
:func:`header_identity` reads that head (name, given name, birth date, sex from the
civility or "né"/"née"); :func:`report_patients_from_headers` matches it against the
registry with the exam→patient matcher itself (a report head is one more header, with
its own typos and married names), so the report is linked to its exam on the same
evidence as any other.

Pseudonymised texts ("[NOM]") and texts without a head give nothing: those reports keep
their patient unknown.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from radlink.linkage.settings import LinkageSettings
from radlink.tables import first_stated

__all__ = ["HEAD_CHARS", "HEAD_PATTERN", "may_name_a_patient", "header_identity", "report_patients_from_headers"]

HEAD_CHARS = 400
"""Characters of a report read for its head (the Spark engine collects only these)."""
_UP = r"A-ZÀ-ÖØ-Þ"
_LOW = r"a-zß-öø-ÿ"
_CAPS_WORD = rf"[{_UP}][{_UP}'’]*(?:-[{_UP}][{_UP}'’]*)*"
_CAP_WORD = rf"[{_UP}][{_LOW}'’]+(?:-[{_UP}][{_LOW}'’]+)*"
_DATE = r"(?P<birth>\d{1,2}[/.-]\d{1,2}[/.-]\d{4})"
_BORN = r"(?P<born>n[ée]e?|n[ée]\(e\))\s+le"
_CIV = r"(?P<civ>Monsieur|Madame|Mademoiselle|Mme|Mlle|Mr|M)\.?"
# "Mme GODARD Véronique, née le 22/01/1958" / "M. Jean DUPONT (né le 3/4/1950)"
_CIVIL = re.compile(
    rf"\b{_CIV}\s+(?:(?P<fam1>{_CAPS_WORD}(?:\s+{_CAPS_WORD})*)\s+(?P<giv1>{_CAP_WORD}(?:[ ]{_CAP_WORD})*)"
    rf"|(?P<giv2>{_CAP_WORD}(?:[ ]{_CAP_WORD})*)\s+(?P<fam2>{_CAPS_WORD}(?:\s+{_CAPS_WORD})*)"
    rf"|(?P<all>{_CAPS_WORD}(?:\s+{_CAPS_WORD})+))"
    rf"\s*(?:[,(]?\s*{_BORN}\s*:?\s*|\(\s*){_DATE}")
# "Nom : DUPONT  Prénom : Jean  DDN : 12/03/1950" (any order of the birth keyword)
_FIELDS = re.compile(
    r"\bNom(?:\s+de\s+naissance)?\s*:\s*(?P<family>[^\n:]+?)\s+Pr[ée]nom\s*:\s*(?P<given>[^\n:]+?)\s+"
    r"(?:DDN|Date\s+de\s+naissance|N[ée]e?\s+le|Naissance)\s*:?\s*" + _DATE, re.IGNORECASE)
_SEX = re.compile(r"\bSexe\s*:\s*(?P<sex>[MF])\b", re.IGNORECASE)
_MALE = {"monsieur", "mr", "m"}


def header_identity(text: pd.Series, max_chars: int = HEAD_CHARS) -> pd.DataFrame:
    """Family name, given name, birth date and sex written at the head of each report.

    Returns a frame on ``text``'s index; all null where the head names nobody.

    Examples
    --------
    >>> import pandas as pd
    >>> got = header_identity(pd.Series(["Mme DE SAINT-AUBIN Sylvie, née le 22/01/1984\\nAdressé par le Dr X",
    ...     "Nom : N'GUYEN  Prénom : Grégoire  DDN : 25/07/1950", "[NOM] [PRENOM]", "M. Jean DUPONT, né le 3/4/1950",
    ...     "Mme DENIS Laëtitia (24/08/1963)"]))
    >>> got["family_name"].tolist(), got["given_name"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    (['DE SAINT-AUBIN', "N'GUYEN", nan, 'DUPONT', 'DENIS'], ['Sylvie', 'Grégoire', nan, 'Jean', 'Laëtitia'])
    >>> str(got["birth_date"].iloc[3].date()), got["birth_date"].isna().tolist(), got["sex"].tolist()
    ('1950-04-03', [False, False, True, False, False], ['F', nan, nan, 'M', 'F'])
    """
    head = text.astype(object).where(text.notna(), "").astype(str).str.slice(0, max_chars)
    civil = head.str.extract(_CIVIL)
    fields = head.str.extract(_FIELDS)
    family = first_stated(civil["fam1"], civil["fam2"])
    given = first_stated(civil["giv1"], civil["giv2"])
    whole = civil["all"].str.rsplit(n=1, expand=True) if civil["all"].notna().any() else None
    if whole is not None and whole.shape[1] == 2:
        family = first_stated(family, whole[0])
        given = first_stated(given, whole[1])
    civ = civil["civ"].str.lower()
    sex = pd.Series(np.where(civ.isin(_MALE), "M", np.where(civ.notna(), "F", None)), index=text.index, dtype=object)
    born = civil["born"].str.lower()
    sex = sex.where(~(civ.eq("m") & born.str.startswith("née", na=False)), "F")
    stated = head.str.extract(_SEX)["sex"].str.upper()
    use_fields = family.isna() & fields["family"].notna()
    family = family.where(~use_fields, fields["family"].str.strip())
    given = given.where(~use_fields, fields["given"].str.strip())
    sex = sex.where(~use_fields, stated)
    birth = civil["birth"].where(~use_fields, fields["birth"])
    birth_date = pd.to_datetime(birth.str.replace(r"[.-]", "/", regex=True), format="%d/%m/%Y", errors="coerce")
    ok = family.notna() & birth_date.notna()
    out = pd.DataFrame({"family_name": family.where(ok), "given_name": given.where(ok),
                        "birth_date": pd.to_datetime(birth_date.where(ok)), "sex": sex.where(ok)}, index=text.index)
    return out.astype({"family_name": object, "given_name": object, "sex": object})


HEAD_PATTERN = (r"[nN][éeÉE](?:[eE]|\([eE]\))?\s+[lL][eE]\b|[dD][dD][nN]|[nN][aA][iI][sS][sS][aA][nN][cC][eE]"
                r"|\(\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\s*\)")
"""What a head naming a patient contains (a cheap vectorised filter before :func:`header_identity`);
the same regular expression in RE2 (pyarrow) and Java (Spark)."""

def may_name_a_patient(text: pd.Series) -> np.ndarray:
    """Whether each text may name a patient (birth words anywhere: a cheap filter, the head is read after).

    Examples
    --------
    >>> import pandas as pd
    >>> may_name_a_patient(pd.Series(["M. X Jean, né le 01/02/1950", "Scanner du 01/02/2020", None,
    ...                               "Mme Y Anne, né(e) le 31/03/1947"])).tolist()
    [True, False, False, True]
    """
    arr = pa.array(text.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    return pc.fill_null(pc.match_substring_regex(arr, HEAD_PATTERN), False).to_numpy(zero_copy_only=False)


def report_patients_from_headers(reports: pd.DataFrame, patients: pd.DataFrame, need: np.ndarray,
                                 settings: LinkageSettings | None = None, scorer=None,
                                 carried: np.ndarray | None = None) -> np.ndarray:
    """The registry patient each report's head names, for the reports in ``need`` (None elsewhere).

    The head becomes an exam header (``FAMILY^GIVEN``, birth date, sex, and the IPP the
    report carries, ``carried``, when given) and goes through
    :func:`~radlink.linkage.exam_patient.link_exams_to_patients` with the shipped model
    (no refit): the matcher weighs the number against the identity as it does for an
    exam (a head naming another patient than its IPP's is re-attached); only a
    ``linked`` decision names the patient.
    """
    from radlink.linkage.exam_patient import link_exams_to_patients
    from radlink.tables import validate_table

    settings = settings or LinkageSettings()
    out = np.full(len(reports), None, dtype=object)
    rows = np.flatnonzero(np.asarray(need, dtype=bool))
    if not len(rows) or not len(patients):
        return out
    ident = header_identity(reports["text"].iloc[rows].reset_index(drop=True))
    named = np.flatnonzero(ident["family_name"].notna().to_numpy())
    if not len(named):
        return out
    ident = ident.iloc[named]
    given = ident["given_name"].fillna("").str.upper()
    pseudo = validate_table(pd.DataFrame({
        "exam_id": [f"report-head-{i}" for i in range(len(named))],
        "patient_id": (pd.Series([None] * len(named), dtype=object) if carried is None
                       else pd.Series(np.asarray(carried, dtype=object)[rows[named]], dtype=object)),
        "patient_name": (ident["family_name"].str.upper() + "^" + given).to_numpy(dtype=object),
        "birth_date": ident["birth_date"].to_numpy(),
        "sex": ident["sex"].to_numpy(dtype=object),
    }), "exams")
    links = link_exams_to_patients(pseudo, patients, settings=replace(settings, refit_em=False), scorer=scorer)
    linked = links["status"].to_numpy(dtype=object) == "linked"
    out[rows[named[linked]]] = links["target_id"].to_numpy(dtype=object)[linked]
    return out
