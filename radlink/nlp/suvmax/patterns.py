"""Patterns of the ``radlink.suvmax`` pipe (data only).

Surface forms of SUVmax values in French PET-CT reports: "SUVmax 7,7", "SUVmax7,7",
"SUV max = 12.3", "SUVmax à 4", "SUVmax mesuré à 5,2", "(SUVmax : 5,2 vs 3,1
précédemment)", "passant de 8,4 à 3,2", "respectivement 4,1 et 6,3", "SUVmax hépatique
de référence 2,3", "bruit de fond médiastinal (SUVmax 1,8)". Roles are those of
:data:`radlink.vocabulary.SUV_ROLES`; reference regions follow the PERCIST and
Deauville conventions (liver, mediastinal blood pool).
"""

from ..report_tables.patterns import PREVIOUS_COLUMN

NUMBER = r"\d+(?:[.,]\d+)?"

# The SUVmax mention. "SUVpeak", "SUVmean" and "SUL" are other measures: not matched.
MENTION = (
    r"(?<![A-Za-z])SUV(?:[ \t]*-?[ \t]*(?:max(?:imal(?:e)?|imum|i|\.)?|m(?=[ \t]*[:=(]?[ \t]*\d)))?"
    r"(?![ \t]*-?[ \t]*(?:peak|pic|mean|moy|min))(?:[ \t]*\((?:bw|lbm|g/ml|pds)\))?"
    # "index de fixation maximal (SUVmax) de 6,3": the closing parenthesis of the mention
    r"(?:\)(?=[ \t]*(?:de|d'|à|=|:)[ \t]*\d))?"
)

# Words between the mention (or a value) and the next value, that carry no role.
CONNECTOR = (
    r"(?:[:=≈~]|>|≥|du pool (?:sanguin|vasculaire)(?: m[ée]diastinal)?|pool (?:sanguin|vasculaire)|de r[ée]f[ée]rence|de l'ordre de|d'environ|est|était|sont|reste|restant|à|a|de|d'|du|mesur[ée]e?s?|estim[ée]e?s?|"
    # a region named between the mention and its value: "SUVmax foie 2,3", "SUVmax médiastin 1,5"
    r"foie|m[ée]diastin|aorte|pool|"
    r"calcul[ée]e?s?|[ée]valu[ée]e?s?|chiffr[ée]e?s?|retrouv[ée]e?s?|relev[ée]e?s?|maximale?s?|max|"
    r"de l'ordre de|d'environ|environ|autour de|atteignant|atteint|jusqu'à|au maximum|"
    r"qui|dont le|actuellement|aujourd'hui|ce jour|cette fois|respectivement|respecti(?:fs|ves?)|[ée]gale?s?|"
    r"g/ml|l[ée]sion(?:nel(?:le)?)?|tumoral|ganglionnaire|du parenchyme h[ée]patique|parenchyme h[ée]patique|"
    r"h[ée]patique|du foie|m[ée]diastinal(?:e)?|du m[ée]diastin|aortique|du pool sanguin|"
    r"de r[ée]f[ée]rence|r[ée]f[ée]rence|de fond|du bruit de fond|sain|normal)"
)

# Words that make the following value a previous exam's value.
PREVIOUS_BEFORE = (
    r"(?:vs\.?|versus|contre|comparativement à|au lieu de|initialement(?: à| de)?|"
    r"(?:pr[ée]c[ée]demment|ant[ée]rieurement|auparavant)(?: à| de|[ \t]*:)?|"
    r"sur (?:l'examen|le TEP|la TEP|le scanner) (?:pr[ée]c[ée]dent|ant[ée]rieur)e?[ \t]*:?|"
    # "(examen précédent : 9,8)", "TEP initiale 12,1", "bilan pré-thérapeutique : 8,0"
    r"(?:(?:l'|le |la |au |à l'|à la )?(?:examen|TEP(?:-TDM| TDM)?|scanner|contr[ôo]le|bilan)s? "
    r"(?:pr[ée]c[ée]dente?|ant[ée]rieure?|initiale?|de r[ée]f[ée]rence|pr[ée][- ]?th[ée]rapeutique))[ \t]*:?|"
    # right after the mention: "SUVmax initial 17,9", "SUVmax antérieur : 9,8"
    r"(?:initial|ant[ée]rieur|pr[ée]c[ée]dent)e?(?: à| de)?[ \t]*:?)"
)

# Words after a value that make it a previous exam's value.
PREVIOUS_AFTER = (
    r"(?:pr[ée]c[ée]demment|ant[ée]rieurement|auparavant|initialement|"
    r"(?:sur|lors de|à) (?:l'examen|la TEP|le TEP|la TEP-TDM|le TEP-TDM|le scanner|l'[ée]tude|la pr[ée]c[ée]dente)"
    r"(?: (?:pr[ée]c[ée]dent|ant[ée]rieur|de r[ée]f[ée]rence|initial|du [^,;.)\n]{1,20}))?e?|"
    r"lors du (?:pr[ée]c[ée]dent|dernier) (?:examen|contr[ôo]le)|au (?:pr[ée]c[ée]dent|dernier) (?:examen|contr[ôo]le)|"
    # "(SUVmax 1,7 ; 12,6 au bilan initial)", "9,8 lors du bilan d'extension"
    r"(?:au|lors du|sur le) bilan(?: initial| pr[ée][- ]?th[ée]rapeutique| d'extension| de r[ée]f[ée]rence)?|"
    r"(?:le|du|en|au|sur l'examen du) (?:\[[A-Z]+\]|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}))"
)

# "de 8,4 à 3,2" and "passant de 8,4 à 3,2": the first value is the previous one.
FROM_TO = (
    rf"(?:(?:pass(?:ant|e|é)|diminu(?:ant|e|é)|augment(?:ant|e|é)|[ée]voluant|baiss(?:ant|e|é))[ \t]+)?"
    rf"de[ \t]+(?P<prev>{NUMBER})[ \t]*(?:à|->|→|vers)[ \t]*(?P<cur>{NUMBER})(?![.,]?\d)"
)

# A reference value written without "SUVmax": "référence médiastinale à 2,1",
# "Foie de référence : 2,6", "bruit de fond médiastinal 1,8".
# Also a list of regions after "Références :" ("Références : hépatique 2,3 ; pool
# sanguin 1,7", "Réf. : foie 2,0"): the region then follows the colon (``after``).
REFERENCE_VALUE = (
    r"(?:r[ée]f(?:[ée]rences?|[ée]rentiel|\.)|bruit de fond|activit[ée] de fond|pool(?: (?:sanguin|vasculaire|circulant))?)"
    r"(?:[ \t]+(?P<which>m[ée]diastinale?|h[ée]patique|du foie|du m[ée]diastin|aortique|sanguin))?"
    r"[ \t]*\)?[ \t]*(?:(?:mesur|estim|calcul|[ée]valu)[ée]e?s?[ \t]+)?(?:[:=]|à|de)?[ \t]*"
    r"(?:(?P<after>foie|h[ée]patique|m[ée]diastin(?:ale?)?|aorte|pool (?:sanguin|vasculaire))[ \t]*(?:[:=]|à)?[ \t]*)?"
    r"(?P<num>\d+(?:[.,]\d+)?)(?![.,]?\d)"
)

# Separators between listed values: "4,1 et 6,3", "5,2, 3,1".
SEPARATOR = r"(?:,|;|et|/|puis|ou|-)"

# The side a listed value is said of, before the next value: "SUVmax 10,3 à droite et
# 8,9 à gauche" lists two values (the lesions pipe gives each to its side).
VALUE_SIDE = r"[ \t]*(?:à|du c[ôo]t[ée])[ \t]+(?:droite?|gauche)(?![\w])(?=[ \t]*(?:,|;|et)[ \t]*\d)"

# A value followed by one of these is a size, a percentage, a date: not a SUV.
NOT_SUV_AFTER = r"[ \t]*(?:mm|cm|%|mbq|ans?\b|h\b|min|mois|jours?|ng|g/l|mmol|/\d)"

# Cues of a reference region, before the mention (same clause) or right after it.
REFERENCE_CUE = (
    r"r[ée]f(?:[ée]rence|[ée]rentiel|\.)|bruit de fond|activit[ée] de fond|pool (?:sanguin|vasculaire|circulant)|blood pool|"
    r"activit[ée] (?:h[ée]patique|m[ée]diastinale) (?:physiologique|de fond)|"
    r"foie sain|parenchyme h[ée]patique (?:sain|normal)|fixation (?:h[ée]patique|m[ée]diastinale) physiologique"
)
# A lesion compared to a reference region: "inférieure au bruit de fond médiastinal".
COMPARED_TO = (
    r"(?:(?:inf[ée]rieure?s?|sup[ée]rieure?s?|[ée]gale?s?|comparables?|proches?|similaires?)"
    r"[ \t]+(?:à celles? d[ue]s?|à celles? de la|au|à la|à l'|aux)|"
    r"au[- ]dessus d[ue]s?|au[- ]dessous d[ue]s?|en[- ]dessous d[ue]s?|en de[çc][àa] d[ue]s?|"
    r"d[ée]passant (?:le|la|l')|(?:sup[ée]rieure?s?|inf[ée]rieure?s?) à celles? d[ue]s?)"
)
LIVER_CUE = r"h[ée]patique|foie"
MEDIASTINUM_CUE = r"m[ée]diastin|aort|pool|sanguin|vasculaire|bruit de fond"
# Words that mark a lesion: with them, "hépatique" before the mention is a liver lesion.
LESION_CUE = (
    r"l[ée]sion|nodule|masse|foyer|m[ée]tasta|tumeur|ad[ée]nopathie|ganglion|hyperfixation|"
    r"hyperm[ée]tabolisme|cible|"
    # a focal uptake said of an organ: "fixation hépatique intense du segment IV"
    r"hyperm[ée]taboli|hyperfix|focale?s?\b|intense|suspect|segment|"
    # an uptake read as a disease: "fixation aortique diffuse, évocatrice d'aortite"
    r"[ée]vocat|en faveur d|compatible avec"
)

# Pipe tables ("Lésion | Site | Taille | SUVmax | SUVmax antérieur" then one row per
# lesion): a header cell naming SUVmax gives its column's values; with one of these
# words it is the previous exam's column (the column vocabulary's own words:
# :data:`radlink.nlp.report_tables.patterns.PREVIOUS_COLUMN`).
TABLE_PREVIOUS_HEADER = PREVIOUS_COLUMN

# Words before a mention that make its values a previous exam's: "elle fixait davantage
# lors du bilan initial (SUVmax 15,2)", "il mesurait ... sur l'examen de référence".
PREVIOUS_CONTEXT = (
    r"lors (?:du|de l'|de la) (?:bilan|examen|TEP|scanner|pr[ée]c[ée]dent|contr[ôo]le)\w*(?: (?:initial|pr[ée]c[ée]dent|ant[ée]rieur|pr[ée][- ]?th[ée]rapeutique|de r[ée]f[ée]rence|d'extension))?|"
    r"(?:sur|à) l'examen (?:initial|pr[ée]c[ée]dent|ant[ée]rieur)|au bilan initial|"
    r"\b(?:fixait|mesurait|[ée]tait|atteignait|pr[ée]sentait)\b"
)

# A value in brackets right after a lesion value, alone: the previous exam's ("SUVmax
# 3,0 (2,8), stable"; a report that compares writes the old value beside the new one).
BARE_PREVIOUS = r"[ \t]*\([ \t]*(?P<num>\d+(?:[.,]\d+)?)[ \t]*\)"

# Words before a mention, in its clause, that make its values a previous exam's when only
# a size stands between: "précédemment 13 mm et SUVmax 7,5", "initialement 28 mm, SUVmax 9,1".
PREVIOUS_LEAD = (
    r"(?:pr[ée]c[ée]demment|ant[ée]rieurement|auparavant|initialement)[ \t]*:?[ \t]*"
    r"(?:(?:à |de )?\d+(?:[.,]\d+)?[ \t]*(?:mm|cm)[ \t]*(?:,|et)?[ \t]*(?:(?:un|le|de|d'un) )?)?$"
)

# Just before a mention: its values go to the lesions listed before, in order
# ("foyers de la 5e côte droite, de L3 et de l'aile iliaque gauche, respectivement SUVmax
# 10,2, 15,6 et 8,9").
RESPECTIVELY_BEFORE = r"respectivement[ \t]*,?[ \t]*(?:(?:de|d'un|à|avec un|avec des)[ \t]+)?$"

# A reference organ a lesion is compared to, just before a bracketed mention that follows
# the lesion's own value in its sentence: "SUVmax 3,4, supérieur au foie (SUVmax 2,3)".
COMPARED_REGION = (
    r"(?:sup[ée]rieure?s?|inf[ée]rieure?s?|[ée]gale?s?|comparables?|proches?)[ \t]+"
    r"(?:à celles? d[ue] |au |à la |à l')?(?P<region>foie|parenchyme h[ée]patique|"
    r"m[ée]diastin|pool (?:sanguin|vasculaire)(?: m[ée]diastinal)?|bruit de fond(?: m[ée]diastinal| h[ée]patique)?)"
    r"[ \t]*\(?[ \t]*$"
)

# What a report measures a reference uptake on, named as a whole organ: "fixation
# hépatique", "activité du pool sanguin", "ROI aortique", "bruit de fond médiastinal".
# An uptake noun (PERCIST and Deauville write "activité", "fixation", the ROI or VOI
# drawn on it), optionally qualified, then the region as an adjective or a complement.
UPTAKE_NOUN = (
    r"(?:fixation|activit[ée]|captation|fond|ROI|VOI|valeur|mesure)s?[ \t]+"
    r"(?:(?:de fond|physiologique|de r[ée]f[ée]rence|normale?|homog[èe]ne)[ \t]+)?"
    r"(?:h[ée]patique|m[ée]diastinale?|aortique|vasculaire|sanguine|du foie|de l'aorte|"
    r"du m[ée]diastin|du pool|du sang|du parenchyme h[ée]patique)"
)
# The region named as a noun: "Foie", "Pool aortique", "Sang circulant", "Aorte thoracique".
REFERENCE_NOUN = (
    r"(?:foie|parenchyme h[ée]patique|pool|contenu vasculaire|sang circulant|"
    r"crosse (?:de l')?aort(?:e|ique)|aorte|m[ée]diastin|bruit de fond)"
)

# A clause about a reference region, up to its mention: "Aorte thoracique : SUVmax 1,8",
# "Contenu vasculaire médiastinal : SUVmax 1,7", "Crosse aortique (pool) : SUVmax 1,9",
# "- Foie : SUVmax 2,4", "Fixation hépatique : SUVmax 2,4", "ROI aortique : SUVmax 1,7"
# (a clause with a lesion word is a lesion's: see LESION_CUE). Matched from the clause's start.
REFERENCE_SUBJECT = (
    r"[ \t]*(?:[,;][ \t]*)?(?:[-*•][ \t]*)?(?:(?:le|la|du|au) |l')?"
    rf"(?:{UPTAKE_NOUN}|{REFERENCE_NOUN})"
    r"(?![\w])[^\n]{0,40}$"
)

# Before a region named with its value and no SUVmax mention, at the start of a clause:
# "Foie : 2,4. Médiastin : 1,7.", "Activité hépatique : 2,4" (the value must then end its
# clause: "Foie : 2 lésions" is not a value).
REGION_CLAUSE_START = (
    r"(?:\A|(?<=[\n.;]))[ \t]*(?:[-*•][ \t]*)?"
    r"(?:(?:fixation|activit[ée]|captation|fond|ROI|VOI)[ \t]+(?:(?:du|de l')[ \t]*)?)?$"
)
# What may follow such a value: its clause ends (an aside in brackets may come first).
REGION_CLAUSE_END = r"[ \t]*(?:\([^()\n]{0,30}\)[ \t]*)?(?:[.;,\n]|$)"

# A heading of reference values, alone on its line, before a list of regions:
# "Références :" then "- Foie : 2,4" and "- Médiastin : 1,6".
REFERENCE_HEADING = (
    r"(?:(?:valeurs?|mesures?|organes?|r[ée]gions?|zones?|activit[ée]s?|fixations?|SUV ?max) (?:de )?)?"
    r"r[ée]f[ée]rences?(?: (?:SUV ?max|h[ée]patiques? et m[ée]diastinales?))?[ \t]*(?:\((?:SUV ?max)\))?[ \t]*:?[ \t]*$"
)
# One listed region with its value, under a reference heading.
REFERENCE_ITEM = (
    r"[ \t]*(?:[-*•|][ \t]*)?(?P<which>foie|h[ée]patique|parenchyme h[ée]patique|pool (?:sanguin|vasculaire)|"
    r"m[ée]diastin\w*|aort\w*|contenu vasculaire|bruit de fond)[^\n\d]{0,40}?(?P<num>\d+(?:[.,]\d+)?)(?![.,]?\d)"
)


# The reference regions as a list item reads them: "foie", "hépatique", "médiastin(al)",
# "pool sanguin", "aorte", "bruit de fond", "parenchyme hépatique", "sang circulant".
REFERENCE_REGION = (
    r"(?:foie|parenchyme h[ée]patique|h[ée]patiques?|m[ée]diastin(?:ale?s?)?|pool|aort(?:e|ique)|"
    r"bruit de fond|sang circulant)"
)
# A line that lists reference regions with their values: it names a reference or a
# reference-based scale (PERCIST, Deauville) or a background or blood pool.
REFERENCE_RUN_CUE = r"r[ée]f[ée]ren|r[ée]f\.|deauville|percist|bruit de fond|pool"
# One region and its value in such a line, the value at most 25 characters on, with no
# digit between ("foie (SUVmax) 2,1", "Médiastin = 1,6", "médiastin (1,6)").
REFERENCE_PAIR = (
    rf"(?<![\w/]){REFERENCE_REGION}(?![\w/])(?P<filler>[^\d\n;|/]{{0,25}}?)"
    r"(?P<num>\d+(?:[.,]\d+)?)(?![.,]?\d)"
)
# Two regions, then their two values in the same order: "foie/médiastin : 2,1/1,6".
REFERENCE_PAIRED = (
    rf"(?P<first>{REFERENCE_REGION})(?:[ \t]+(?:sanguin|vasculaire))?[ \t]*/[ \t]*"
    rf"(?P<second>{REFERENCE_REGION})(?:[ \t]+(?:sanguin|vasculaire))?"
    r"[^\d\n]{0,12}?(?P<one>\d+(?:[.,]\d+)?)[ \t]*/[ \t]*(?P<two>\d+(?:[.,]\d+)?)(?![.,]?\d)"
)
