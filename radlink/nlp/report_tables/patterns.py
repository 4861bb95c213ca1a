"""Patterns of report tables (data only): the one column vocabulary.

Tables in PET and imaging reports name their columns in a header row ("Lésion | Site |
Taille | SUVmax | SUVmax antérieur", "Région   SUVmax   SUVmean", "Référence | SUVmax")
written as pipes, tabs or spaces aligned by hand (PDF exports). Each header cell is
given one meaning; the pipes that read values (SUVmax, sizes) ask for columns by
meaning, never by position. Words gathered from SFMN/EANM report templates (PERCIST
and Deauville reference regions, SUVmean/SULpeak beside SUVmax) and hospital exports.
"""

# meaning -> regex on a header cell (any case); the first meaning that matches wins,
# so the other SUV measures come before "suvmax" ("SUVmax/SUVmean" is no SUVmax column
# only when it names no SUVmax: see OTHER_MEASURE).
COLUMNS: dict[str, str] = {
    # "SUVmax", "SUV max", "SUVmax (g/mL)", "SUV", "SUVbw max"
    "suvmax": r"(?<![a-z])suv[ \t]*(?:\((?:bw|lbm)\)|bw|lbm)?[ \t-]*(?:max\w*)?(?![ \t-]*(?:mean|moy|peak|pic|min))",
    # other measures: read by no pipe
    "other_measure": r"suv[ \t-]*(?:mean|moy|peak|pic|min)|sul|\bmtv\b|\btlg\b|volume m[ée]tabolique|deauville|\bscore\b",
    # "Taille", "Grand axe (mm)", "Diamètre", "mm": a unit alone names a size column
    "size": r"taille|grand axe|petit axe|diam[èe]tre|dimensions?|mesures?|\b(?:mm|cm)\b",
    "site": r"l[ée]sions?|localisations?|si[èe]ges?|sites?|organes?|r[ée]gions?|structures?|cibles?|territoires?|"
            r"ganglions?|stations?|segments?|r[ée]f[ée]rences?|n[°o]|num[ée]ro|\bid\b",
}

# Words of a value column's header that make it the previous exam's ("SUVmax antérieur",
# "SUVmax J0", "SUVmax [DATE]" beside "SUVmax actuel").
PREVIOUS_COLUMN = (
    r"ant[ée]rieur|pr[ée]c[ée]dent|initial|avant|ancien|baseline|\bJ0\b|bilan|"
    r"pr[ée][- ]?th[ée]rapeutique|\bprec\b|\bant\b|\bt0\b|\[DATE\]|\d{1,2}/\d{1,2}/\d{2,4}"
)
# Words of a value column's header that make it this exam's ("SUVmax actuel", "ce jour").
CURRENT_COLUMN = r"actuel|ce jour|aujourd'hui|r[ée]cent|nouveau|\bJ\d+\b(?<!J0)|contr[ôo]le|ce (?:examen|bilan)"

# A row that names a reference region ("Foie (référence)", "Pool sanguin médiastinal",
# "Aorte", "Bruit de fond hépatique"): its SUVmax is a reference value when the row names
# no lesion and gives no size.
REFERENCE_ROW = (
    r"r[ée]f[ée]rences?|\br[ée]f\b|foie|h[ée]patique|pool|sanguin|vasculaire|m[ée]diastin|aort|bruit de fond"
)
LIVER_ROW = r"foie|h[ée]patique"
# Words of a lesion in a row: then the row is a lesion's, whatever organ it names.
LESION_ROW = (
    r"l[ée]sion|nodule|masse|foyer|m[ée]tasta|tumeu?r|ad[ée]nopathie|ganglion|hyperfixation|"
    r"hyperm[ée]tabolisme|cible|\bN\d|\bT\d|\bM\d|segment|surr[ée]nale|\bL\d|\bD\d|c[ôo]te|\b[0-9]{1,2}[RL]\b"
)

# Aligned columns: two spaces or more between cells.
ALIGNED_GAP = r"(?<=\S) {2,}(?=\S)"
