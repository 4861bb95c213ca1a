"""Patterns of the ``radlink.technique`` pipe (data only).

Wording of the technique paragraph of PET-CT and scintigraphy reports (SFMN report
template; export fields such as ``[DOSE INJECTEE = 187,2 MBq]``). Units: activity in
MBq (1 mCi = 37 MBq), glycemia in g/L, mmol/L or mg/dL (1 mmol/L = 0.18016 g/L,
glucose molar mass 180.16 g/mol), delay in minutes.
"""

# A number starts where a run of digits starts: "(?<!\d)" keeps a search linear-time
# (without it, each position inside a long run of digits starts a new attempt).
NUMBER = r"(?<!\d)\d+(?:[.,]\d+)?"

# Injected activity: "187,2 MBq", "5 mCi"; not followed by "/kg".
DOSE = rf"(?P<value>{NUMBER})[ \t]*(?P<unit>MBq|mCi)(?![ \t]*/[ \t]*kg)"
DOSE_PER_KG = rf"(?P<value>{NUMBER})[ \t]*MBq[ \t]*/[ \t]*kg"

# Glycemia: "glycémie à jeun : 1,02 g/L", "glycémie capillaire 5,6 mmol/l".
GLYCEMIA = (
    rf"glyc[ée]mie[^\n\d]{{0,40}}?(?P<value>{NUMBER})"
    r"[ \t]*(?P<unit>g[ \t]*/[ \t]*l|g\.l-1|g/dl|mmol[ \t]*/[ \t]*l|mmol\.l-1|mg[ \t]*/[ \t]*dl|mg/100[ \t]*ml|mg/l)?"
)
# unit as written -> (normalised label, factor to g/L)
GLYCEMIA_UNITS: dict[str, tuple[str, float]] = {
    "g/l": ("g/L", 1.0),
    "g.l-1": ("g/L", 1.0),
    "g/dl": ("g/dL", 10.0),
    "mmol/l": ("mmol/L", 0.18016),
    "mmol.l-1": ("mmol/L", 0.18016),
    "mg/dl": ("mg/dL", 0.01),
    "mg/100ml": ("mg/dL", 0.01),
    "mg/l": ("mg/L", 0.001),
}
# Without a unit, the magnitude tells: < 4 g/L, < 35 mmol/L, else mg/dL.
GLYCEMIA_UNITLESS = [(4.0, "g/L"), (35.0, "mmol/L"), (float("inf"), "mg/dL")]

# Delay between injection and acquisition.
DELAY = [
    # "60 minutes après l'injection", "62 min post-injection", "1h10 après injection"
    r"(?<!\d)(?:(?P<hours>\d+)[ \t]*h(?:eures?)?[ \t]*(?P<hmin>\d{1,2})?|(?P<minutes>\d+)[ \t]*(?:min(?:utes?)?|mn)\b)"
    r"[ \t]*(?:environ[ \t]*)?(?:(?:apr[èe]s|post[- ]?)[ \t]*(?:l'|une? |la )?(?:injection|administration)|p\.[ \t]?i\.|pi\b)",
    # "délai post-injection : 65 min", "Délai : 63 min", "[DELAI INJECTION-ACQUISITION (min) = 62]"
    r"d[ée]lai[^\n\d]{0,40}?(?:(?P<hours2>\d+)[ \t]*h(?:eures?)?(?![a-z])[ \t]*(?P<hmin2>\d{1,2})?|"
    r"(?P<minutes2>\d+)(?:[ \t]*(?:min(?:utes?)?|mn)\b|(?=[ \t]*\])))",
    # "acquisition à 65 min", "corps entier à 60 minutes", "balayage ... à 3 heures"
    r"(?:acquisitions?|balayage|images?|imagerie|enregistrement|tomographie)\b[^.;\n\d]{0,60}?\b[àa][ \t]*"
    r"(?:(?P<hours3>\d+)[ \t]*h(?:eures?)?(?![a-z])[ \t]*(?P<hmin3>\d{1,2})?|(?P<minutes3>\d+)[ \t]*(?:min(?:utes?)?|mn)\b)",
    # "acquisition 60 min", "Acquisition : 62 minutes" (the number right after the word;
    # read in the technique paragraph of a PET or scintigraphy report only)
    r"acquisitions?[ \t]*:?[ \t]*(?P<minutes4>\d+)[ \t]*(?:min(?:utes?)?|mn)\b(?![ \t]*(?:par|/))",
]

# PET/CT/MR devices by maker and model line.
DEVICE = (
    r"(?:(?:Siemens|GE|General Electric|Philips|Canon|Toshiba|United Imaging)[ \t]+)?"
    r"(?:Biograph|Discovery|Vereos|Gemini|Ingenuity|Omni Legend|Omni|uMI|Symbia|Intevo|Optima|"
    r"Signa|Somatom|Aquilion|Revolution|Celesteion|NM/CT|Infinia|Brightview)"
    r"(?:[ \t]+(?:[A-Z0-9][\w.-]*|Vision|Horizon|mCT|MI|TF|Quadra|Edge|Pro))?(?:[ \t]+\d{2,4})?"
)
