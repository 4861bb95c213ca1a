"""Write one synthetic French imaging report and record the facts it states.

Each builder draws a clinical picture (lesions with site, laterality, size, SUVmax,
previous SUVmax; explicit negations; reference SUVmax), then writes it with randomly
chosen interchangeable phrasings from :mod:`radlink.synth.phrases`. Facts are
recorded from the very values that are written, so the truth matches the text exactly:
every SUVmax, size, dose, glycemia and delay written is in the truth, and nothing else.

Numbers are written the French way (``7,7``) or with a dot (``7.7``); sizes in mm
(``14 mm``, ``12 x 8 mm``, ``size_mm`` = the largest dimension) or cm (``2,3 cm`` ->
23.0). ``n_lesions`` counts the non-negated lesions of the results section (the
conclusion restates some of them); ``max_suvmax`` is the largest non-negated lesion
SUVmax of the whole report.

Speed: one ``random.Random`` stream, plain string assembly, no regex (~30-60 µs a report).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from radlink.synth.phrases import (
    HEDGES,
    HISTOLOGIES,
    INDICATIONS,
    KIND_INDICATIONS,
    LAT_WORDS,
    LOBE_ABBREVIATIONS,
    NEGATIONS,
    NI_FORMS,
    PET_NEGATIONS,
    SECTION_TITLES,
    SITE_FORMS,
    TITLES,
    TRACER_LABELS,
    TRACER_WORDS,
)
from radlink.tables import ANNOTATED_FACT_COLUMNS, ANNOTATED_FINDING_COLUMNS

__all__ = ["ReportContext", "Finding", "write_report", "FINDING_COLUMNS", "FACT_COLUMNS"]

FINDING_COLUMNS = ANNOTATED_FINDING_COLUMNS[2:]
"""What a :class:`Finding` row holds: the truth's finding columns after the two ids."""
FACT_COLUMNS = ANNOTATED_FACT_COLUMNS[1:]
"""The report facts :func:`write_report` returns: the truth's columns after ``report_id``."""

_REPORT_MODALITY = {
    "pet": "PT", "ct_chest": "CT", "ct_tap": "CT", "ct_head": "CT", "ct_abdo": "CT",
    "mr_brain": "MR", "mr_liver": "MR", "mr_spine": "MR", "mg": "MG", "us_abdo": "US",
    "us_neck": "US", "us_pleura": "US", "xr_chest": "CR", "xr_bone": "CR", "nm_bone": "NM",
}  # fmt: skip

_LOBE_LABEL = {"lung_upper_lobe": "lobe supérieur", "lung_lower_lobe": "lobe inférieur",
               "lung_middle_lobe": "lobe moyen"}  # fmt: skip


@dataclass
class ReportContext:
    """What the report writer needs to know about the exam and the patient.

    Attributes
    ----------
    kind : str
        Report kind (``"pet"``, ``"ct_chest"``, ... see :data:`_REPORT_MODALITY`).
    modality : str
        Canonical modality code of the report facts (``"PT"``, ``"CT"``, ``"CR"``...).
    tracer : str or None
        Tracer code for PET and scintigraphy.
    category : str
        Indication category code.
    report_id : str
    date_text : str
        Report date as ``DD/MM/YYYY``.
    cancer : bool
        The patient belongs to the lung-cancer cohort.
    lobe : str
        Site code of the primary tumour's lobe.
    side : str
        ``"left"`` or ``"right"``.
    histology : int
        Index in :data:`~radlink.synth.phrases.HISTOLOGIES`.
    previous_date : str
        Date of an earlier exam as ``DD/MM/YYYY`` (or ``"[DATE]"``), for comparisons.
    """

    kind: str
    modality: str
    tracer: str | None
    category: str
    report_id: str
    date_text: str
    cancer: bool
    lobe: str
    side: str
    histology: int
    previous_date: str = "[DATE]"


@dataclass
class Finding:
    """One finding as written (the truth row of ``findings.parquet``)."""

    kind: str
    site: str
    laterality: str | None
    size_mm: float | None
    suvmax: float | None
    previous_suvmax: float | None
    negated: bool
    hypothesis: bool
    section: str

    def row(self) -> tuple:
        return (self.kind, self.site, self.laterality, self.size_mm, self.suvmax,
                self.previous_suvmax, self.negated, self.hypothesis, self.section)


def _num(v: float, rnd: random.Random, decimals: int = 1) -> str:
    """A number as a French report writes it: ``7,7`` mostly, ``7.7`` sometimes."""
    if decimals == 1 and v == int(v) and rnd.random() < 0.5:
        return str(int(v))  # "SUVmax à 4"
    text = f"{v:.{decimals}f}"
    return text.replace(".", ",") if rnd.random() < 0.85 else text


def _suv(rnd: random.Random, lo: float, hi: float) -> float:
    return round(rnd.uniform(lo, hi), 1)


def _size_text(size: float, rnd: random.Random) -> tuple[str, float]:
    """Write a size; returns the text and the largest dimension in mm as written."""
    r = rnd.random()
    if r < 0.5 or size < 10:
        return f"{int(size)} mm", float(int(size))
    if r < 0.75:
        small = max(3, int(size * rnd.uniform(0.5, 0.9)))
        sep = rnd.choice((" x ", "x", " X ", " × "))
        return f"{int(size)}{sep}{small} mm", float(int(size))
    cm = round(size / 10.0, 1)
    return f"{_num(cm, rnd)} cm", round(cm * 10.0, 1)


# how a lesion looks, by imaging family ({e} = feminine agreement)
_LOOKS: dict[str, tuple[str, ...]] = {
    "ct": (" hypodense", " tissulaire", " rehaussé{e} après injection", " à contours spiculés", " hétérogène",
           " nécrotique", " lytique"),
    "mr": (" en hypersignal T2", " prenant le contraste", " en hyposignal T1", " avec restriction de la diffusion"),
    "us": (" hypoéchogène", " hétérogène", " hyperéchogène", " vascularisé{e} au doppler"),
    "mg": (" à contours flous", " spiculé{e}", " à contours nets"),
    "xr": (" à contours flous", " dense"),
    "nm": (" hyperfixant{e}", " avec hyperfixation intense"),
}  # fmt: skip


class _Writer:
    """Accumulates the findings of one report while its sentences are written."""

    def __init__(self, ctx: ReportContext, rnd: random.Random):
        self.ctx = ctx
        self.rnd = rnd
        self.findings: list[Finding] = []
        self.last_noun: tuple[str, str] = ("lésion", "f")

    # -- noun phrases -------------------------------------------------------------------
    def site_phrase(self, site: str, lat: str | None, primary: bool = False) -> tuple[str, str]:
        rnd = self.rnd
        if primary and (site, lat) in LOBE_ABBREVIATIONS and rnd.random() < 0.25:
            return f"{rnd.choice(('masse', 'lésion', 'tumeur'))} du {LOBE_ABBREVIATIONS[(site, lat)]}", "f"
        forms = SITE_FORMS[site]
        if lat is None:
            without = [f for f in forms if not f[2]]
            forms = tuple(without) or forms
        text, gender, takes_lat = forms[rnd.randrange(len(forms))]
        if takes_lat:
            words = LAT_WORDS[lat or "right"]
            text = text.replace("{latm}", words[0]).replace("{latf}", words[1]).replace(
                "{lat}", words[0] if gender == "m" else words[1]
            )
        return text, gender

    # -- lesion sentences ---------------------------------------------------------------
    def lesion(self, site: str, lat: str | None, *, size: float | None, suv: float | None,
               prev: float | None = None, hypothesis: bool = False, section: str = "results",
               primary: bool = False, pet: bool = True, noun: tuple[str, str] | None = None,
               new: bool = False) -> str:
        """Write one lesion and record it; its noun phrase is kept in ``last_noun``."""
        rnd = self.rnd
        noun_text, gender = noun or self.site_phrase(site, lat, primary)
        self.last_noun = (noun_text, gender)
        e = "e" if gender == "f" else ""
        size_mm = None
        size_part = ""
        if size is not None:
            stext, size_mm = _size_text(size, rnd)
            size_part = rnd.choice((f" de {stext}", f", mesuré{e} à environ {stext}", f" mesurant {stext}",
                                    f" ({stext})", f" d'environ {stext}"))
        suv_part = ""
        if suv is not None:
            v = _num(suv, rnd)
            if prev is not None:
                p = _num(prev, rnd)
                if abs(suv - prev) <= 0.5:
                    trend = rnd.choice(("stable", "sans modification significative"))
                else:
                    trend = rnd.choice(("en diminution", "en régression")) if suv < prev else rnd.choice(
                        ("en augmentation", "en majoration"))
                suv_part = rnd.choice((
                    f" {trend} (SUVmax : {v} vs {p} précédemment)",
                    f", {trend}, SUVmax passant de {p} à {v}",
                    f" {trend} : SUVmax {v} contre {p} sur l'examen précédent",
                    f" (SUVmax {v}, versus {p} antérieurement)",
                ))
            else:
                adj = rnd.choice(("hypermétabolique", "intensément hypermétabolique", f"modérément fixant{e}",
                                  f"fixant{e}", "discrètement hypermétabolique",
                                  "avide de FDG" if self.ctx.tracer in (None, "FDG") else "avide du traceur"))
                suv_part = rnd.choice((
                    f" {adj} (SUVmax {v})", f" {adj}, SUVmax{v}", f" {adj} (SUV max = {v})", f" {adj} (SUVmax{v})",
                    f" {adj} avec un SUVmax à {v}", f" {adj}, SUVmax mesuré à {v}", f" {adj} (SUVmax : {v})",
                ))
        elif pet:
            suv_part = rnd.choice((" sans hypermétabolisme significatif", " non hypermétabolique",
                                   f" non fixant{e}"))
        else:
            looks = _LOOKS.get(self.ctx.kind.split("_")[0], ())
            if looks and rnd.random() < 0.6:
                suv_part = looks[rnd.randrange(len(looks))].replace("{e}", e)
        if rnd.random() < 0.5:
            body = noun_text + size_part + suv_part
        else:
            body = noun_text + suv_part + size_part
        if new:
            body += rnd.choice((", d'apparition récente", f", {'nouvelle' if e else 'nouveau'} par rapport à l'examen précédent",
                                " (nouvelle lésion)", ", non visible sur l'examen antérieur"))
        if hypothesis:
            body += self.hedge(gender)
        elif primary and rnd.random() < 0.4:
            body += rnd.choice((" correspondant à la tumeur primitive connue", " (lésion primitive connue)"))
        self.findings.append(Finding("lesion", site, lat, size_mm, suv, prev, False, hypothesis, section))
        return body[0].upper() + body[1:]

    def hedge(self, gender: str) -> str:
        """An interpretation that makes the finding hypothetical, agreeing with the noun."""
        pair = HEDGES[self.rnd.randrange(len(HEDGES))]
        return pair[1] if gender == "f" else pair[0]

    def restate(self, site: str, lat: str | None, hypothesis: bool, noun: tuple[str, str],
                adjective: str = "") -> str:
        """Name an already described lesion again in the conclusion (no value) and record it."""
        text, gender = noun
        sentence = text[0].upper() + text[1:] + adjective
        if hypothesis:
            sentence += self.hedge(gender)
        self.findings.append(Finding("lesion", site, lat, None, None, None, False, hypothesis, "conclusion"))
        return sentence

    def pair(self, site: str, s1: float, s2: float) -> str:
        """Two lymph nodes of one station, right and left: "respectivement"."""
        rnd = self.rnd
        v1, v2 = _num(s1, rnd), _num(s2, rnd)
        noun = {"ln_hilar": "Adénopathies hilaires", "ln_axillary": "Adénopathies axillaires",
                "ln_supraclavicular": "Adénopathies sus-claviculaires"}[site]
        text = rnd.choice((
            f"{noun} droite et gauche hypermétaboliques, SUVmax respectivement {v1} et {v2}",
            f"{noun} droite et gauche (SUVmax respectivement {v1} et {v2})",
        ))
        self.findings.append(Finding("lesion", site, "right", None, s1, None, False, False, "results"))
        self.findings.append(Finding("lesion", site, "left", None, s2, None, False, False, "results"))
        return text

    def micronodules(self, pet: bool) -> str:
        """Bilateral lung micronodules, too small to measure: one bilateral lung finding."""
        rnd = self.rnd
        hyp = rnd.random() < 0.5
        text = rnd.choice(("Micronodules pulmonaires bilatéraux infracentimétriques",
                           "Quelques micronodules pulmonaires bilatéraux"))
        if pet:
            text += rnd.choice((", non hypermétaboliques", ", trop petits pour être caractérisés en TEP"))
        if hyp:
            text += rnd.choice((", probablement séquellaires", ", compatibles avec des séquelles infectieuses",
                                ", évocateurs de séquelles"))
        self.findings.append(Finding("lesion", "lung", "bilateral", None, None, None, False, hyp, "results"))
        return text + "."

    def negation(self, sites: list[str], section: str = "results", pet: bool = False) -> str:
        """One sentence negating one or two sites (PET wording too when ``pet``)."""
        rnd = self.rnd
        forms = NEGATIONS[sites[0]] + (PET_NEGATIONS.get(sites[0], ()) if pet else ())
        first = forms[rnd.randrange(len(forms))]
        text = first[0].upper() + first[1:]
        self.findings.append(Finding("lesion", sites[0], None, None, None, None, True, False, section))
        if len(sites) > 1:
            ni = NI_FORMS[sites[1]]
            text += " " + ni[self.rnd.randrange(len(ni))]
            self.findings.append(Finding("lesion", sites[1], None, None, None, None, True, False, section))
        return text + "."

    def reference(self, site: str, value: float) -> str:
        rnd = self.rnd
        v = _num(value, rnd)
        self.findings.append(Finding("reference", site, None, None, value, None, False, False, "results"))
        if site == "liver_reference":
            return rnd.choice((f"SUVmax hépatique de référence {v}", f"Foie de référence : SUVmax {v}",
                               f"SUVmax hépatique (référence) = {v}"))
        return rnd.choice((f"bruit de fond médiastinal (SUVmax {v})", f"SUVmax du pool sanguin médiastinal : {v}",
                           f"référence médiastinale à {v}"))


# -- indication ------------------------------------------------------------------------
def _indication(ctx: ReportContext, rnd: random.Random) -> str:
    templates = KIND_INDICATIONS.get(ctx.kind, {}).get(ctx.category) or INDICATIONS[ctx.category]
    text = templates[rnd.randrange(len(templates))]
    histo = HISTOLOGIES[ctx.histology]
    lobe = f"{_LOBE_LABEL[ctx.lobe]} {LAT_WORDS[ctx.side][0]}" if ctx.lobe != "lung_middle_lobe" else "lobe moyen"
    side = LAT_WORDS[ctx.side][1]
    text = text.replace("{histo}", histo).replace("{Histo}", histo[0].upper() + histo[1:])
    text = text.replace("{lobe}", lobe).replace("{side_m}", LAT_WORDS[ctx.side][0]).replace("{side}", side)
    if rnd.random() < 0.15:
        text = rnd.choice(("Patient(e) adressé(e) par le Dr [NOM]. ", "Demande du Dr [NOM]. ")) + text
    return text


def _section(name: str, body: str, rnd: random.Random, inline_ok: bool = True) -> str:
    title = rnd.choice(SECTION_TITLES[name])
    r = rnd.random()
    if inline_ok and r < 0.45:
        return f"{title} : {body}"
    if r < 0.8:
        return f"{title} :\n{body}"
    return f"{title}\n{body}"


# -- PET ---------------------------------------------------------------------------------
_NODE_STATIONS = ("ln_subcarinal", "ln_paratracheal", "ln_hilar", "ln_mediastinal", "ln_prevascular",
                  "ln_aortopulmonary", "ln_supraclavicular")  # fmt: skip
_METASTASES = ("liver", "adrenal", "bone", "spine", "rib", "pelvis_bone", "lung", "pleura", "brain",
               "sternum", "femur")  # fmt: skip
_MEDIASTINAL = {"ln_subcarinal", "ln_paratracheal", "ln_mediastinal", "ln_prevascular", "ln_aortopulmonary"}
_BONE = {"bone", "spine", "rib", "pelvis_bone", "sternum", "femur", "humerus"}
_STAGE = {  # site -> étage
    "ln_cervical": 0, "ln_supraclavicular": 0, "thyroid": 0, "brain": 0,
    "liver": 2, "adrenal": 2, "spleen": 2, "pancreas": 2, "kidney": 2, "colon": 2, "stomach": 2,
    "peritoneum": 2, "ln_retroperitoneal": 2, "ln_coeliac": 2, "ln_iliac": 2, "ln_inguinal": 2, "prostate": 2,
}  # fmt: skip
_STAGE_TITLES = (
    ("Étage cervico-encéphalique", "Etage cervical", "Cervico-encéphalique", "Tête et cou"),
    ("Étage thoracique", "Thorax", "Etage thoracique", "Au niveau thoracique"),
    ("Étage abdomino-pelvien", "Abdomen-pelvis", "Etage abdomino-pelvien", "Au niveau abdomino-pelvien"),
    ("Squelette", "Étage osseux", "Os", "Au niveau squelettique"),
)  # fmt: skip
_LATERALISED = {site for site, forms in SITE_FORMS.items() if all(f[2] for f in forms)}


def _stage_of(site: str) -> int:
    if site in _BONE:
        return 3
    return _STAGE.get(site, 1)


def _lat_for(site: str, rnd: random.Random, side: str) -> str | None:
    if site in _LATERALISED:
        return side if rnd.random() < 0.6 else rnd.choice(("left", "right"))
    if any(f[2] for f in SITE_FORMS[site]) and rnd.random() < 0.5:
        return rnd.choice(("left", "right"))
    return None


_ACQUISITIONS = (
    "Acquisition TEP-TDM du vertex à mi-cuisses, TDM low-dose sans injection.",
    "Acquisition corps entier couplée à un scanner de repérage.",
    "Examen réalisé sur une caméra TEP-TDM numérique, reconstruction itérative.",
    "Acquisition des orbites à la racine des cuisses, bras levés.",
    "Acquisition TEP couplée à un scanner sans injection de produit de contraste.",
)  # fmt: skip


# physiological uptake a PET report may mention: (stage, sentence)
_PHYSIOLOGICAL = (
    (0, "Fixation physiologique du cortex cérébral."), (1, "Fixation myocardique physiologique."),
    (2, "Activité digestive et urinaire physiologique."), (1, "Fixation thymique physiologique."),
    (3, "Squelette d'aspect normal."), (2, "Fixations physiologiques par ailleurs."),
)  # fmt: skip


@dataclass
class _Lesion:
    """One lesion of the clinical picture, before it is written (``noun`` once written)."""

    site: str
    lat: str | None
    size: float | None
    suv: float | None
    prev: float | None
    hyp: bool
    primary: bool
    new: bool = False
    noun: tuple[str, str] = ("lésion", "f")


class _Stages:
    """Results sentences by body stage (0-3), each kept with the findings it states."""

    def __init__(self, w: _Writer):
        self.w = w
        self.sentences: list[list[tuple[str, list[Finding]]]] = [[], [], [], []]
        self.mark = len(w.findings)

    def said(self, stage: int, text: str) -> None:
        """File a sentence under its stage with the findings recorded since the last one."""
        self.sentences[stage].append((text, self.w.findings[self.mark:]))
        self.mark = len(self.w.findings)

    def unsaid(self) -> list[Finding]:
        """The findings recorded since the last filed sentence."""
        return self.w.findings[self.mark:]


# -- PET technique ---------------------------------------------------------------------
def _glycemia(rnd: random.Random) -> tuple[float, str, str]:
    """Draw a glycemia; returns its value in g/L as written, its unit and its text."""
    g = round(rnd.uniform(0.75, 1.6), 2)
    r = rnd.random()
    if r < 0.6:
        return g, "g/L", f"{_num(g, rnd, 2)} g/L"
    if r < 0.85:
        mmol = round(g / 0.18, 1)
        return round(mmol * 0.18, 4), "mmol/L", f"{_num(mmol, rnd)} mmol/L"
    mg = int(round(g * 100))
    return mg / 100.0, "mg/dL", f"{mg} mg/dL"


def _technique_tags(dose_text: str, label: str, glyc_text: str, delay: int | None,
                    rnd: random.Random) -> str:
    """Technique as bracketed ``[KEY = value]`` tags exported by the injector, then the acquisition."""
    parts = [f"[DOSE {rnd.choice(('INJECTEE', 'ADMINISTREE', 'REELLE INJECTEE'))} = {dose_text} MBq]",
             f"[LIBELLE INJECTION {rnd.choice(('PRODUIT', 'RADIOPHARMACEUTIQUE', ''))}".rstrip()
             + f"={label}]"]
    if glyc_text:
        parts.append(f"[GLYCEMIE = {glyc_text}]")
    if delay is not None:
        parts.append(f"[DELAI INJECTION-ACQUISITION = {delay} min]")
    return " ".join(parts) + "\n" + rnd.choice(_ACQUISITIONS)


def _technique_sentence(dose_text: str, word: str, glyc_text: str, delay: int | None,
                        rnd: random.Random) -> str:
    """Technique as one prose sentence ("Injection de ... MBq de ..."), then the acquisition."""
    bits = [f"Injection de {dose_text} MBq de {word}"]
    if glyc_text:
        bits.append(rnd.choice((f"glycémie {glyc_text}", f"glycémie capillaire à {glyc_text}",
                                f"glycémie pré-injection : {glyc_text}")))
    if delay is not None:
        bits.append(rnd.choice((f"acquisition {delay} minutes après injection",
                                f"acquisition à {delay} min post-injection")))
    return ", ".join(bits) + ". " + rnd.choice(_ACQUISITIONS)


def _technique_list(dose_text: str, word: str, glyc_text: str, delay: int | None,
                    rnd: random.Random) -> str:
    """Technique as a dashed ``- Key : value`` list (no acquisition sentence)."""
    lines = [f"Radiopharmaceutique : {word}", f"Activité injectée : {dose_text} MBq"]
    if glyc_text:
        lines.append(f"Glycémie : {glyc_text}")
    if delay is not None:
        h, m = divmod(delay, 60)
        hours = f"{h}h{m:02d}" if h and rnd.random() < 0.5 else f"{delay} min"  # "1h02" = 62 min
        lines.append(f"Délai injection-acquisition : {hours}")
    return "\n".join(f"- {x}" for x in lines)


def _pet_technique(ctx: ReportContext, rnd: random.Random) -> tuple[str, dict]:
    """Technique paragraph (dose, glycemia, delay, in one of three layouts) and its facts."""
    tracer = ctx.tracer or "FDG"
    dose = round(rnd.uniform(150.0, 350.0), 1) if rnd.random() < 0.7 else float(rnd.randrange(150, 351))
    glyc, glyc_unit, glyc_text = None, None, ""
    if tracer == "FDG" and rnd.random() < 0.9:
        glyc, glyc_unit, glyc_text = _glycemia(rnd)
    delay = rnd.randrange(50, 81) if rnd.random() < 0.85 else None
    dose_text = _num(dose, rnd) if dose != int(dose) else str(int(dose))
    label = TRACER_LABELS[tracer]
    word = rnd.choice(TRACER_WORDS[tracer])
    style = rnd.random()
    if style < 0.4:
        tech = _technique_tags(dose_text, label, glyc_text, delay, rnd)
    elif style < 0.8:
        tech = _technique_sentence(dose_text, word, glyc_text, delay, rnd)
    else:
        tech = _technique_list(dose_text, word, glyc_text, delay, rnd)
    if rnd.random() < 0.3:
        weight = rnd.randrange(42, 115)
        tech = rnd.choice((f"Poids : {weight} kg. ", f"Patient(e) de {weight} kg. ")) + tech
    facts = {"dose_mbq": dose, "glycemia": glyc, "glycemia_unit": glyc_unit, "injection_delay_min": delay}
    return tech, facts


# -- PET clinical picture --------------------------------------------------------------
def _primary_lesion(ctx: ReportContext, rnd: random.Random, with_prev: bool) -> _Lesion:
    """The primary lung tumour, with a previous SUVmax (sometimes stable) on follow-up exams."""
    suv = _suv(rnd, 2.5, 22.0)
    prev = _suv(rnd, 3.0, 22.0) if with_prev and rnd.random() < 0.7 else None
    if prev is not None and rnd.random() < 0.25:
        prev = round(max(suv + rnd.uniform(-0.5, 0.5), 1.0), 1)  # stable
    return _Lesion(site=ctx.lobe, lat=None if ctx.lobe == "lung_middle_lobe" else ctx.side,
                   size=float(rnd.randrange(8, 70)), suv=suv, prev=prev, hyp=False, primary=True)


def _node_lesions(ctx: ReportContext, rnd: random.Random, with_prev: bool,
                  used: set[tuple[str, str | None]]) -> list[_Lesion]:
    """Hypermetabolic lymph nodes, one per (station, side) not yet in ``used``."""
    nodes = []
    n_nodes = rnd.choice((0, 0, 1, 1, 2, 3)) if ctx.cancer else rnd.choice((0, 0, 0, 1))
    for _ in range(n_nodes):
        site = rnd.choice(_NODE_STATIONS)
        lat = _lat_for(site, rnd, ctx.side)
        if (site, lat) in used:
            continue
        used.add((site, lat))
        prev = _suv(rnd, 2.0, 15.0) if with_prev and rnd.random() < 0.4 else None
        nodes.append(_Lesion(site=site, lat=lat, size=float(rnd.randrange(6, 35)) if rnd.random() < 0.6 else None,
                             suv=_suv(rnd, 2.0, 15.0), prev=prev, hyp=rnd.random() < 0.35, primary=False,
                             new=with_prev and prev is None and rnd.random() < 0.4))
    return nodes


def _metastases(ctx: ReportContext, rnd: random.Random, with_prev: bool,
                used: set[tuple[str, str | None]]) -> list[_Lesion]:
    """Distant lesions (some without SUVmax), one per (site, side) not yet in ``used``."""
    mets = []
    n_mets = rnd.choice((0, 0, 0, 1, 1, 2)) if ctx.cancer else rnd.choice((0, 0, 0, 0, 1))
    for _ in range(n_mets):
        site = rnd.choice(_METASTASES)
        lat = _lat_for(site, rnd, ctx.side)
        if (site, lat) in used:
            continue
        used.add((site, lat))
        has_suv = rnd.random() < 0.85
        mets.append(_Lesion(site=site, lat=lat,
                            size=float(rnd.randrange(5, 45)) if rnd.random() < 0.5 or not has_suv else None,
                            suv=_suv(rnd, 2.0, 18.0) if has_suv else None, prev=None,
                            hyp=rnd.random() < 0.6, primary=False, new=with_prev and rnd.random() < 0.4))
    return mets


def _pet_picture(ctx: ReportContext, rnd: random.Random) -> tuple[list[_Lesion], str | None]:
    """Draw the lesions of a PET exam, and the station of a right-and-left node pair if any."""
    cat = ctx.category
    fdg = (ctx.tracer or "FDG") == "FDG"
    with_prev = cat in ("response_assessment", "follow_up", "suspected_recurrence")
    lesions: list[_Lesion] = []
    if ctx.cancer and fdg and cat != "follow_up" or (cat == "follow_up" and rnd.random() < 0.4):
        lesions.append(_primary_lesion(ctx, rnd, with_prev))
    used: set[tuple[str, str | None]] = set()
    lesions += _node_lesions(ctx, rnd, with_prev, used)
    lesions += _metastases(ctx, rnd, with_prev, used)
    pair_site = None
    if ctx.cancer and rnd.random() < 0.08 and ("ln_hilar", "left") not in used and ("ln_hilar", "right") not in used:
        pair_site = "ln_hilar"
    return lesions, pair_site


# -- PET results -----------------------------------------------------------------------
def _pet_lesion_sentences(w: _Writer, stages: _Stages, lesions: list[_Lesion], pair_site: str | None,
                          rnd: random.Random) -> set[str]:
    """One sentence per lesion (and node pair, micronodules) filed by stage; returns the sites involved."""
    for les in lesions:
        sentence = w.lesion(les.site, les.lat, size=les.size, suv=les.suv, prev=les.prev,
                            hypothesis=les.hyp, primary=les.primary, new=les.new)
        les.noun = w.last_noun
        stages.said(_stage_of(les.site), sentence + ".")
    if pair_site:
        stages.said(1, w.pair(pair_site, _suv(rnd, 2.5, 9.0), _suv(rnd, 2.5, 9.0)) + ".")
    involved = {les.site for les in lesions} | ({pair_site} if pair_site else set())
    if "lung" not in involved and rnd.random() < 0.08:
        stages.said(1, w.micronodules(pet=True))
        involved.add("lung")
    return involved


def _negation_candidates(involved: set[str], rnd: random.Random) -> list[tuple[str, int]]:
    """The (site, stage) pairs a PET report may explicitly declare normal: those not involved."""
    candidates = []
    if not involved & _MEDIASTINAL:
        candidates.append(("ln_mediastinal", 1))
    if "pleura" not in involved:
        candidates.append(("pleura", 1))
    if "ln_hilar" not in involved:
        candidates.append(("ln_hilar", 1))
    if not involved & {"ln_supraclavicular", "ln_cervical"}:
        candidates.append((rnd.choice(("ln_cervical", "ln_supraclavicular")), 0))
    if "liver" not in involved:
        candidates.append(("liver", 2))
    if "adrenal" not in involved:
        candidates.append(("adrenal", 2))
    if not involved & _BONE:
        candidates.append(("bone", 3))
    return candidates


def _pet_negations(w: _Writer, stages: _Stages, involved: set[str], rnd: random.Random) -> None:
    """Negate some uninvolved sites, two of one stage sometimes in one sentence ("ni ...")."""
    candidates = _negation_candidates(involved, rnd)
    rnd.shuffle(candidates)
    n_neg = rnd.randrange(0, len(candidates) + 1)
    chosen = candidates[:n_neg]
    i = 0
    while i < len(chosen):
        site, stage = chosen[i]
        if i + 1 < len(chosen) and chosen[i + 1][1] == stage and chosen[i + 1][0] in NI_FORMS and rnd.random() < 0.4:
            stages.said(stage, w.negation([site, chosen[i + 1][0]], pet=True))
            i += 2
            continue
        stages.said(stage, w.negation([site], pet=True))
        i += 1


def _pet_references(w: _Writer, rnd: random.Random, fdg: bool) -> list[str]:
    """Reference SUVmax phrases (liver, mediastinal blood pool), FDG only."""
    refs = []
    if fdg and rnd.random() < 0.55:
        refs.append(w.reference("liver_reference", _suv(rnd, 1.6, 3.2)))
    if fdg and rnd.random() < 0.35:
        refs.append(w.reference("mediastinal_blood_pool", _suv(rnd, 1.2, 2.4)))
    return refs


def _comparison_line(ctx: ReportContext, rnd: random.Random) -> str | None:
    """The comparison with an earlier exam that opens the results, sometimes."""
    if rnd.random() < 0.3:
        return rnd.choice(("Comparaison avec l'examen du [DATE].", "Examen comparé au précédent.",
                           f"Comparaison avec la TEP du {ctx.previous_date}.",
                           "Pas d'examen antérieur disponible pour comparaison."))
    return None


def _reference_line(refs: list[str], rnd: random.Random) -> str:
    """The reference SUVmax phrases joined into one capitalised sentence."""
    prefix = "" if any(" : " in r for r in refs) else rnd.choice(("Références : ", "Valeurs de référence : ", ""))
    line = prefix + " ; ".join(refs) + "."
    return line[0].upper() + line[1:]


def _stage_lines(stages: _Stages, rnd: random.Random) -> tuple[list[str], list[Finding]]:
    """Lay out the sentences stage by stage: titled bullet lists or one paragraph per stage."""
    lines: list[str] = []
    ordered: list[Finding] = []
    style = rnd.random()
    for k in range(4):
        if not stages.sentences[k]:
            continue
        sentences = [text for text, _ in stages.sentences[k]]
        if style < 0.55:
            title = rnd.choice(_STAGE_TITLES[k])
            bullet = rnd.choice(("- ", "* ", "• ", ""))
            lines.append(f"{title} :")
            lines.extend(bullet + text for text in sentences)
        else:
            lines.append(" ".join(sentences))
        for _, found in stages.sentences[k]:
            ordered.extend(found)
    return lines, ordered


def _pet_results(ctx: ReportContext, w: _Writer, lesions: list[_Lesion], pair_site: str | None,
                 rnd: random.Random) -> tuple[list[str], set[str]]:
    """Results lines; puts ``w.findings`` in text order and returns the sites involved."""
    fdg = (ctx.tracer or "FDG") == "FDG"
    stages = _Stages(w)
    involved = _pet_lesion_sentences(w, stages, lesions, pair_site, rnd)
    _pet_negations(w, stages, involved, rnd)
    if rnd.random() < 0.5:
        stages.said(*_PHYSIOLOGICAL[rnd.randrange(len(_PHYSIOLOGICAL))])
    refs = _pet_references(w, rnd, fdg)
    ref_findings = stages.unsaid()

    results_lines: list[str] = []
    ordered: list[Finding] = []
    comparison = _comparison_line(ctx, rnd)
    if comparison:
        results_lines.append(comparison)
    refs_first = rnd.random() < 0.7
    ref_line = _reference_line(refs, rnd) if refs else ""
    if refs and refs_first:
        results_lines.append(ref_line)
        ordered.extend(ref_findings)
    lines, found = _stage_lines(stages, rnd)
    results_lines += lines
    ordered += found
    if refs and not refs_first:
        results_lines.append(ref_line)
        ordered.extend(ref_findings)
    if len(results_lines) == 0:
        results_lines.append("Fixations physiologiques.")
    w.findings = ordered
    return results_lines, involved


# -- PET conclusion --------------------------------------------------------------------
def _restatements(w: _Writer, lesions: list[_Lesion], rnd: random.Random) -> list[str]:
    """Name again up to three lesions (the primary, some others), with or without their SUVmax."""
    restated = [les for les in lesions if les.suv is not None and (les.primary or rnd.random() < 0.5)]
    if lesions and not restated:
        restated = lesions[:1]
    sentences = []
    for les in restated[:3]:
        if les.suv is not None and rnd.random() < 0.5:
            sentence = w.lesion(les.site, les.lat, size=None, suv=les.suv, prev=None,
                                hypothesis=les.hyp, section="conclusion", primary=les.primary,
                                noun=les.noun)
        else:
            e = "e" if les.noun[1] == "f" else ""
            adjective = " hypermétabolique" if les.suv is not None else rnd.choice(("", f" non fixant{e}"))
            sentence = w.restate(les.site, les.lat, les.hyp, les.noun, adjective)
        sentences.append(sentence + ".")
    return sentences


def _bilateral_hilar(w: _Writer, rnd: random.Random) -> str:
    """Conclude on a hilar node pair as one bilateral finding, often called inflammatory."""
    hyp = rnd.random() < 0.6
    plural = rnd.random() < 0.5
    sentence = ("Adénopathies hilaires bilatérales hypermétaboliques" if plural
                else "Hypermétabolisme ganglionnaire hilaire bilatéral")
    if hyp:
        sentence += rnd.choice((", probablement inflammatoire", ", d'allure inflammatoire")) + (
            "s" if plural else "")
    w.findings.append(Finding("lesion", "ln_hilar", "bilateral", None, None, None, False, hyp, "conclusion"))
    return sentence + "."


def _response(lesions: list[_Lesion], rnd: random.Random) -> str:
    """The metabolic response, from the first lesion with a previous SUVmax."""
    compared = [les for les in lesions if les.prev is not None]
    if not compared:
        return rnd.choice(("Maladie métabolique stable.", "Réponse métabolique partielle selon PERCIST."))
    if compared[0].suv < compared[0].prev - 0.5:
        return rnd.choice(("Réponse métabolique partielle selon PERCIST.", "Bonne réponse métabolique."))
    if compared[0].suv > compared[0].prev + 0.5:
        return rnd.choice(("Progression métabolique.", "Maladie métabolique en progression."))
    return rnd.choice(("Maladie métabolique stable.", "Stabilité métabolique."))


def _pet_conclusion(ctx: ReportContext, w: _Writer, lesions: list[_Lesion], pair_site: str | None,
                    involved: set[str], rnd: random.Random) -> list[str]:
    """Conclusion sentences: restated lesions, node pair, response, bone negation, tumour board."""
    concl = _restatements(w, lesions, rnd)
    if pair_site and (not concl or rnd.random() < 0.5):
        concl.append(_bilateral_hilar(w, rnd))
    if not concl:
        concl.append(rnd.choice(("Rémission métabolique complète.", "Examen TEP dans les limites de la normale.",
                                 "Examen rassurant.")))
    elif ctx.category == "response_assessment":
        concl.append(_response(lesions, rnd))
    if not involved & _BONE and rnd.random() < 0.3:
        concl.append(w.negation(["bone"], section="conclusion", pet=True))
    if rnd.random() < 0.2:
        concl.append(rnd.choice(("À discuter en RCP.", "Avis en RCP.")))
    return concl


def _pet(ctx: ReportContext, rnd: random.Random) -> tuple[list, dict, _Writer]:
    """Write the technique, results and conclusion of a PET report (see :func:`write_report`)."""
    w = _Writer(ctx, rnd)
    tech, facts = _pet_technique(ctx, rnd)
    lesions, pair_site = _pet_picture(ctx, rnd)
    results_lines, involved = _pet_results(ctx, w, lesions, pair_site, rnd)
    n_results = sum(1 for f in w.findings if f.kind == "lesion" and not f.negated)
    concl = _pet_conclusion(ctx, w, lesions, pair_site, involved, rnd)
    return [_section("technique", tech, rnd)] + [results_lines], {**facts, "_n_results": n_results,
                                                                   "_concl": concl}, w


# -- other modalities ----------------------------------------------------------------------
_CT_SITES = {
    "ct_chest": (("lung", "lung_upper_lobe", "lung_lower_lobe", "ln_subcarinal", "ln_paratracheal", "ln_hilar",
                  "pleura", "ln_mediastinal"), ("ln_mediastinal", "pleura", "lung", "ln_hilar")),
    "ct_tap": (("lung_upper_lobe", "lung_lower_lobe", "ln_subcarinal", "liver", "adrenal", "ln_retroperitoneal",
                "bone", "pleura"), ("ln_mediastinal", "pleura", "liver", "adrenal", "bone", "ln_retroperitoneal")),
    "ct_abdo": (("liver", "adrenal", "kidney", "ln_retroperitoneal", "peritoneum"),
                ("liver", "adrenal", "ln_retroperitoneal", "spleen", "kidney")),
    "ct_head": (("brain",), ("brain",)),
    "mr_brain": (("brain",), ("brain",)),
    "mr_liver": (("liver",), ("liver", "spleen")),
    "mr_spine": (("spine",), ("bone",)),
    "mg": (("breast",), ("breast",)),
    "us_abdo": (("liver", "kidney", "spleen"), ("liver", "spleen", "kidney")),
    "us_neck": (("thyroid", "ln_cervical"), ("thyroid", "ln_cervical")),
    "us_pleura": (("pleura",), ("pleura",)),
    "xr_chest": (("lung", "lung_upper_lobe", "lung_lower_lobe"), ("pleura",)),
    "xr_bone": (("pelvis_bone", "spine", "femur"), ("bone",)),
    "nm_bone": (("spine", "rib", "pelvis_bone", "sternum", "femur", "humerus"), ("bone",)),
}  # fmt: skip

_TECHNIQUES = {
    "ct": ("Acquisition hélicoïdale {region} après injection de produit de contraste iodé.",
           "Acquisition {region} sans injection.", "TDM {region} avec injection au temps portal."),
    "mr": ("Séquences T1, T2 FLAIR, diffusion et T1 après injection de gadolinium.",
           "Protocole standard avec injection de gadolinium."),
    "mg": ("Incidences face et oblique bilatérales.", "Mammographie bilatérale 2 incidences, complétée par une échographie."),
    "us": ("Examen réalisé par voie sus-pubienne et intercostale.", "Sonde convexe et linéaire."),
    "xr": ("Cliché de face debout.", "Clichés face et profil.", "Cliché au lit, de face."),
}  # fmt: skip
_NORMAL = {
    "ct_chest": ("Parenchyme pulmonaire par ailleurs normal.", "Trachée et bronches souches libres."),
    "ct_tap": ("Rate, pancréas et reins de morphologie normale.", "Parenchyme pulmonaire par ailleurs normal."),
    "ct_abdo": ("Pancréas de morphologie normale.", "Vésicule biliaire alithiasique."),
    "ct_head": ("Structures médianes en place.", "Ventricules de taille normale."),
    "mr_brain": ("Ventricules de taille normale.", "Structures médianes en place."),
    "mr_liver": ("Voies biliaires fines.",),
    "mr_spine": ("Canal rachidien de calibre normal.",),
    "mg": ("Seins de densité de type B.", "Seins de densité de type C. Classification ACR 2."),
    "us_abdo": ("Vésicule alithiasique.", "Voies biliaires fines."),
    "us_neck": ("Glandes salivaires normales.",),
    "us_pleura": ("Coupoles diaphragmatiques mobiles.",),
    "xr_chest": ("Silhouette cardiaque de taille normale.", "Coupoles régulières."),
    "xr_bone": ("Interlignes articulaires conservés.",),
    "nm_bone": ("Fixation physiologique des reins et de la vessie.", "Remaniements dégénératifs des genoux."),
}  # fmt: skip
_REGION = {"ct_chest": "thoracique", "ct_tap": "thoraco-abdomino-pelvienne", "ct_abdo": "abdomino-pelvienne",
           "ct_head": "cérébrale"}  # fmt: skip


def _other(ctx: ReportContext, rnd: random.Random) -> tuple[list, dict, _Writer]:
    w = _Writer(ctx, rnd)
    kind = ctx.kind
    family = kind.split("_")[0]
    facts: dict = {"dose_mbq": None, "glycemia": None, "glycemia_unit": None, "injection_delay_min": None}
    if kind == "nm_bone":
        dose = float(rnd.randrange(500, 800, 10))
        delay = rnd.choice((150, 180, 180, 180, 210, 240))
        h, m = divmod(delay, 60)
        when = rnd.choice((f"à {h} heures" if not m else f"à {h}h{m:02d}", f"{delay} min après l'injection"))
        facts.update(dose_mbq=dose, injection_delay_min=delay)
        tech = (f"Injection de {int(dose)} MBq de {rnd.choice(TRACER_WORDS['HMDP'])}. "
                f"Balayage corps entier {when}.")
    else:
        tech = rnd.choice(_TECHNIQUES[family]).replace("{region}", _REGION.get(kind, ""))
        tech = tech.replace("  ", " ")
    lesion_sites, neg_sites = _CT_SITES[kind]
    n_les = rnd.choice((0, 0, 1, 1, 2)) if ctx.cancer or rnd.random() < 0.3 else 0
    lines: list[str] = []
    lesions = []
    used: set[tuple[str, str | None]] = set()
    for _ in range(n_les):
        site = rnd.choice(lesion_sites)
        primary = site in ("lung_upper_lobe", "lung_lower_lobe") and ctx.cancer
        if primary:
            site, lat = ctx.lobe, (None if ctx.lobe == "lung_middle_lobe" else ctx.side)
        else:
            lat = _lat_for(site, rnd, ctx.side)
        if (site, lat) in used:
            continue
        used.add((site, lat))
        size = float(rnd.randrange(4, 60)) if (kind != "nm_bone" and rnd.random() < 0.9) else None
        hyp = not primary and rnd.random() < 0.4
        lines.append(w.lesion(site, lat, size=size, suv=None, hypothesis=hyp, pet=False, primary=primary) + ".")
        lesions.append((site, lat, hyp, w.last_noun))
    involved = {les[0] for les in lesions}
    if kind in ("ct_chest", "ct_tap") and "lung" not in involved and rnd.random() < 0.1:
        lines.append(w.micronodules(pet=False))
        involved.add("lung")
    negs = [s for s in neg_sites if s not in involved and not (s == "bone" and involved & _BONE)
            and not (s == "ln_mediastinal" and involved & _MEDIASTINAL)]
    rnd.shuffle(negs)
    for site in negs[: rnd.randrange(0, len(negs) + 1)]:
        lines.append(w.negation([site]))
    if rnd.random() < 0.7:
        lines.append(rnd.choice(_NORMAL[kind]))
    if not lines:
        lines.append("Examen sans anomalie décelable.")
    n_results = sum(1 for f in w.findings if f.kind == "lesion" and not f.negated)
    concl: list[str] = []
    for site, lat, hyp, noun in lesions[:2]:
        concl.append(w.restate(site, lat, hyp, noun) + ".")
    if not lesions:
        concl.append(rnd.choice(("Examen normal.", "Absence d'anomalie significative.",
                                 "Examen dans les limites de la normale.")) if kind != "mg"
                     else "Classification ACR 1 bilatérale.")
    return [_section("technique", tech, rnd)] + [lines], {**facts, "_n_results": n_results, "_concl": concl}, w


# -- assembly -------------------------------------------------------------------------------
def _html(text: str, conclusion: str, rnd: random.Random) -> str:
    """HTML residue as exported by some report editors.

    Removing the tags (``<br>`` = line break) and decoding the entities gives the clean
    text back, except that ``&nbsp;`` (only ever put before the colon of a section
    title) decodes to a non-breaking space.
    """
    if rnd.random() < 0.5:  # non-breaking space before the colon of section titles
        for titles in SECTION_TITLES.values():
            for title in titles:
                text = text.replace(f"\n{title} :", f"\n{title}&nbsp;:")
    if conclusion and rnd.random() < 0.4 and conclusion in text:
        mark = f'<span style="background-color:yellow"><b>{conclusion}</b></span>'
        head, _, tail = text.rpartition(conclusion)
        text = head + mark + tail
    if rnd.random() < 0.5:
        text = text.replace("\n", "<br>")  # one line, <br> for line breaks
    if rnd.random() < 0.5:
        text = text.replace("é", "&eacute;").replace("è", "&egrave;").replace("à", "&agrave;")
    if rnd.random() < 0.3:
        text = f'<div class="cr">{text}</div>'
    return text


def write_report(ctx: ReportContext, rnd: random.Random, html: bool = False) -> tuple[str, dict, list[Finding]]:
    """Write one report.

    Parameters
    ----------
    ctx : ReportContext
        The exam and patient the report describes.
    rnd : random.Random
        The report stream (deterministic given the generator's seed).
    html : bool
        Add HTML residue (tags, ``<br>``, entities) as some EHR exports do.

    Returns
    -------
    text : str
    facts : dict
        The :data:`FACT_COLUMNS` of ``report_facts``.
    findings : list of Finding

    Examples
    --------
    >>> import random
    >>> ctx = ReportContext("pet", "PT", "FDG", "initial_staging", "115287", "10/04/2020", True,
    ...                     "lung_upper_lobe", "right", 0)
    >>> text, facts, findings = write_report(ctx, random.Random(3))
    >>> facts["modality"], facts["tracer"], facts["indication_category"]
    ('PT', 'FDG', 'initial_staging')
    >>> all(f"{f.suvmax:.1f}".replace(".", ",") in text or f"{f.suvmax:.1f}" in text
    ...     for f in findings if f.suvmax is not None)
    True
    """
    indication = _indication(ctx, rnd)
    if ctx.kind == "pet":
        blocks, facts, w = _pet(ctx, rnd)
    else:
        blocks, facts, w = _other(ctx, rnd)
    technique, results_lines = blocks
    n_results = facts.pop("_n_results")
    concl_lines = facts.pop("_concl")
    conclusion = ("\n" if rnd.random() < 0.3 else " ").join(concl_lines)
    results = "\n".join(results_lines)
    parts = []
    r = rnd.random()
    title = TITLES[ctx.kind][0]
    if r < 0.35:
        parts.append(f"{ctx.date_text} : CR - {ctx.report_id} - {title}")
    elif r < 0.55:
        parts.append(title.upper())
    elif r < 0.65:
        parts.append("Examen du [DATE]. Patient : [NOM]")
    parts.append(_section("indication", indication, rnd))
    parts.append(technique)
    parts.append(_section("results", results, rnd, inline_ok=False))
    parts.append(_section("conclusion", conclusion, rnd))
    if rnd.random() < 0.5:
        parts.append(rnd.choice(("Dr [NOM]", "Compte rendu validé par le Dr [NOM].", "Signé électroniquement.")))
    text = "\n\n".join(parts) if rnd.random() < 0.6 else "\n".join(parts)
    if html:
        text = _html(text, conclusion, rnd)
    lesion_suv = [f.suvmax for f in w.findings if f.kind == "lesion" and not f.negated and f.suvmax is not None]
    facts.update(
        modality=ctx.modality,
        tracer=ctx.tracer,
        indication=indication,
        indication_category=ctx.category,
        max_suvmax=max(lesion_suv) if lesion_suv else None,
        n_lesions=n_results,
        conclusion=conclusion,
    )
    return text, facts, w.findings
