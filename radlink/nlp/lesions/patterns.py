"""Patterns of the ``radlink.lesions`` pipe (data only).

Site codes are those of :data:`radlink.vocabulary.SITES`. Surface forms come from
French PET-CT, CT, MRI, ultrasound and radiography reports: organ nouns and their
adjectives, lung lobes (with their usual abbreviations LSD, LID, ...), thoracic
lymph-node stations after the IASLC map (Rusch et al., 2009) as French reports name
them, bones and vertebral levels.
"""

from radlink.vocabulary import SITE_PARENTS

# Anatomical nouns with no code in :data:`radlink.vocabulary.SITES` that head a
# location phrase: the adjectives after them name where the structure lies, not a site
# ("comblement du sinus frontal" is no brain finding, "collection de l'espace
# sous-mandibulaire" no cervical node, "névrome du nerf sciatique" no bone lesion); only
# a lesion noun ("masse médiastinale", "adénopathie iliaque") takes its adjective's site.
# The paranasal and piriform sinuses, the deep spaces of the neck and the retroperitoneum,
# nerves, sheaths and fasciae (the dural sinuses are vessels: matched before).
HEAD_NOUNS_OUTSIDE_SITES = (
    r"sinus(?! (?:r[ée]na\w*|de valsalva|costo\w*|tarsi|du tarse))|espaces?(?! (?:pleura\w*|intercosta\w*|inter[- ]?costa\w*|r[ée]cur\w*))|"
    r"nerfs?|gaines?(?! (?:vasculaires?|carotidiennes?))|fascias?|apon[ée]vroses?"
)

# Nouns that name a side or a rim of a structure: the adjective after them names the
# structure itself, never a lymph node ("œdème du versant iliaque" of a sacro-iliac
# joint is the iliac bone's; "la berge iliaque" of the joint too). Read right before a
# lymph-node station word.
PART_NOUN_BEFORE = r"(?<![\w])(?:versants?|berges?|rebords?)[ \t]+$"
# The bone a lymph-node station's adjective names after such a noun (the others: none).
NODE_NAMESAKE_BONES = {"ln_iliac": "pelvis_bone"}

# The endings of French adjectives of place ("pleural", "costale", "pariétaux",
# "médiastinaux", "hépatique", "sous-mandibulaire", "thyroïdien", "rétro-orbitaire"): a
# site word after another with none of them is a noun of its own ("Foie vésicule rate :
# RAS"), not a part of the organ named first ("épaississement pleural pariétal").
ADJECTIVE_ENDING = r"(?:a(?:le?s?|ux)|aires?|iques?|i[eé]ns?|iennes?|ée?s?|eu(?:x|ses?))$"

# Sites, tried in this order at each position (multi-word forms first). Each entry is
# (site code, regex). Lung lobes and a few abbreviations carry their laterality.
SITES: list[tuple[str, str]] = [
    # contexts that name no site of their own: matched first, then dropped
    ("_skip", r"au contact (?:du |de la |de l'|des )?[\w-]+(?: [\w-]+)?"),
    # "(SUVmax 4,2 ; foie 2,3)": a reference value, not a liver lesion
    # (not "Foie : 15 cm, homogène": a size)
    ("_skip", r"(?:foie|m[ée]diastin)[ \t]*(?::|=|à)?[ \t]*\d+(?:[.,]\d+)?(?![\d.,]*[ \t]*[cm]m\b)"),
    ("_skip", r"(?:inf[ée]rieure?s?|sup[ée]rieure?s?|[ée]gale?s?|comparables?|proches?|similaires?) (?:à celles? d[ue]s? |à celles? de la |au |à la |à l'|aux )(?:foie|bruit de fond|pool|m[ée]diastin|parenchyme h[ée]patique)\w*(?: (?:sanguin|vasculaire|circulant|m[ée]diastin\w*|h[ée]patique))*"),
    ("_skip", r"(?:au[- ]dessus|au[- ]dessous|en[- ]dessous|en de[çc][àa]) d[ue]s? (?:foie|bruit de fond|pool|m[ée]diastin|parenchyme h[ée]patique)\w*(?: (?:sanguin|vasculaire|circulant|m[ée]diastin\w*|h[ée]patique))*"),
    ("_skip", r"(?:sous|p[ée]ri)[- ]?pleural(?:e|es|aux)?"),
    # the healthy liver a lesion is read against names no lesion: "(foie sain : 2,4)",
    # "la fixation du parenchyme hépatique sain est à 2,5"
    ("_skip", r"(?:foie|parenchyme(?: h[ée]patique)?) (?:sain|non (?:tumoral|l[ée]sionnel))\b"),
    # "au sein de la condensation", "clip en son sein": within, not the breast
    ("_skip", r"au sein d(?:u|es|e la|e l'|e)\b|en (?:son|leur) sein\b"),
    ("_skip", r"s[ée]quences? pelviennes?|champ d'irradiation|m[ée]diane?|ligne m[ée]diane|sur les coupes \w+"),
    ("_skip", r"(?:m[ée]at|orifice|sonde|stent|endoproth[èe]se|jet)s? ur[ée]t[ée]ra\w*|ventricul\w+"),
    # words that name the nature of a lesion, not its site: a "kyste biliaire" is a
    # liver cyst, an insertion is a tendon's or a ligament's (a wall's "pariétal" and a
    # landmark: LANDMARK_BEFORE, WALL_BEFORE)
    ("_skip", r"(?<=kyste )biliaire|(?<=kystes )biliaires|(?:à son |à sa )?insertions? [\w-]+"),
    # MR sequences and nerve roots name no vertebra: "signal intermédiaire T2",
    # "refoulant la racine L5", "sans traduction T2"
    ("_skip", r"(?:signal|s[ée]quences?|pond[ée]ration|pond[ée]r[ée]e?s?|interm[ée]diaire|hyper[- ]?intense|"
              r"hypo[- ]?intense|iso[- ]?intense|(?:hyper|hypo|iso)[- ]?signa(?:l|ux)|traduction)(?: [\w-]+)? T[12](?![\w])|"
              r"racines? (?:nerveuses? )?(?:[CLST]\d|S\d)(?![\w])"),
    # fat stranding around an organ is a sign of its lesion, not one of its own; what a
    # hernia or a collection contains is not its site
    ("_skip", r"graisses? (?:p[ée]ri|para|pr[ée])[- ]?[\w-]+(?: (?:droite?|gauche|D|G)\b)?|contenant (?:une |un |des |l'|le |la |du )?[\w-]+(?: [\w-]+)?"),
    # the lung a pneumothorax pushes back is no lesion of its own
    ("_skip", r"(?:r[ée]traction|collapsus|d[ée]collement|affaissement) (?:complet |partiel )?du poumon"),
    # "juxta-vésical", "juxta-cortical": next to an organ, not in it
    ("_skip", r"juxta[- ]?\w+"),
    # the dilated collecting system above an obstacle is its consequence, not a lesion
    # of its own: "dilatation pyélocalicielle (bassinet 18 mm)", "urétéro-hydronéphrose"
    ("_skip", r"(?:cavit[ée]s? )?py[ée]lo[- ]?calic\w*|py[ée]liques?|bassinets?|(?:ur[ée]t[ée]ro[- ]?)?hydron[ée]phroses?"),
    # "extra-": outside the organ ("Pas de foyer extra-surrénalien", "progression
    # extra-hépatique"); not the brain's "extra-axial", "extradural"
    ("_skip", r"extra[- ]?(?:surr[ée]nal\w*|h[ée]patique\w*|pulmonaire\w*|ganglionnaire\w*|thoracique\w*|osseu\w*|abdominal\w*|pancr[ée]atique\w*|r[ée]na(?:le?s?|ux)|spl[ée]nique\w*|thyro[ïi]dien\w*|prostatique\w*|mammaire\w*|pelvien\w*|c[ée]r[ée]bra\w*)"),
    # organs outside the vocabulary: no finding of theirs, and the exam's organ is not
    # given to a lesion that names one ("Vésicules séminales sans anomalie")
    # the deep pelvic spaces of endometriosis are subperitoneal (the uterosacral ligament
    # is no sacrum, the torus no bone): "nodule du ligament utéro-sacré gauche", "nodule de
    # la cloison recto-vaginale", "nodule d'endométriose du torus"
    ("peritoneum", r"ligaments? ut[ée]ro[- ]?sacr[ée]s?|torus(?! ut[ée]rin)|(?:cloison|espace)s? recto[- ]?vagina(?:le?s?|ux)|cul[- ]de[- ]sac vaginal(?: post[ée]rieur)?"),
    # the deep grey nuclei's capsules are the brain's (not a joint's, a kidney's or a
    # prostate's capsule): "lacune du bras postérieur de la capsule interne gauche"
    ("brain", r"(?:bras (?:ant[ée]rieur|post[ée]rieur) de la |genou de la )?capsules? (?:interne|externe|extr[êe]me)s?"),
    ("_organ", r"(?:cartilages?|m[ée]nisques?|ligaments?|tendons?|bourses?|capsules?|labrums?)(?: (?:de la |du |des |et |ou )?[\w-]+){0,3}|v[ée]sicules? s[ée]minales?|cutan[ée]e?s?|peau|sous[- ]cutan[ée]e?s?|tissus? mous|muscl\w+|ur[èe]tre"),
    # an arterial phase or enhancement names no vessel: "hypersignal artériel",
    # "rehaussement au temps artériel", "wash-in artériel"
    ("_skip", r"(?:(?:hyper|hypo)?signal|rehauss\w+|prises? de contraste|hypervascularis\w+|wash[- ]?in|temps|phases?)(?: \w+)? art[ée]ri(?:el|elle|els|elles)\b"),
    # "VB" (vésicule biliaire), "VBP" (voie biliaire principale): before the lymph-node
    # levels ("V" then "b" is no level VB)
    ("gallbladder", r"(?<![\w/])(?-i:VB)(?![\w/])"),
    ("biliary_tract", r"(?<![\w/])(?-i:VBP)(?![\w/])"),
    # "Pas d'adénopathie pelvienne": pelvic nodes are iliac ones
    ("ln_iliac", r"(?<=ad[ée]nopathie )pelvienne|(?<=ad[ée]nopathies )pelviennes|(?<=ADP )pelviennes?|(?<=ganglions )pelviens|(?<=ganglion )pelvien"),
    # a lymph node's fatty hilum is not a hilar node: "ganglion ... à hile graisseux"
    ("_skip", r"(?:à |au |son |un |et )?hile (?:graisseux|centr\w*|conserv\w*|visible|normal|comprim\w*|effac\w*|refoul\w*|excentr\w*|aminci\w*)"),
    # "ganglions ovalaires avec hile", "rétraction du poumon sur le hile": no hilar node
    ("_skip", r"(?:avec |sans |à |et |son |un |sur le |vers le |perte d[eu] |absence d[eu] )hile(?![ \t]+(?:droit|gauche|pulmonaire|D|G)\b)"),
    # the iliac fossa is a region of the abdomen, not an iliac node nor the pelvic bone:
    # "ganglions mésentériques en fosse iliaque droite", "ascite ... en fosse iliaque gauche"
    ("_skip", r"fosses? iliaques?(?: (?:droite|gauche)s?)?"),
    # the chest wall after a mastectomy, a "récidive pariétale": no brain lobe
    ("_skip", r"paroi thoracique|r[ée]cidive pari[ée]tale"),
    # an aorta located against the renal arteries is no kidney: "aorte sous-rénale"
    ("_skip", r"(?:sous|sus|juxta|inter|infra|supra)[- ]?r[ée]na(?:le?s?|ux)"),
    # the spinal cord and degenerative spurs are no bone lesion: "compression médullaire",
    # "complexe disco-ostéophytique"
    ("_skip", r"(?:compression|souffrance|c[ôo]ne|canal|signal) m[ée]dullaire|(?:disco[- ]?)?ost[ée]ophyt\w*"),
    # "(rapport masse médiastinale/thorax 0,31)": a ratio names no lesion; a
    # "condensation para-médiastinale" is in the lung
    ("_skip", r"rapports? (?:[\w-]+ ){0,2}[\w-]+/[\w-]+|para[- ]?m[ée]diastin\w*"),
    # a heart valve is no aorta: "prothèse valvulaire aortique", "valve aortique"
    ("_skip", r"(?:proth[èe]se )?valv(?:e|ulaire)s? (?:aortique|mitrale|tricuspide|pulmonaire)s?"),
    # enhancement, flow and signal words name no vessel: "rehaussement artériel non
    # périphérique", "flux veineux modulé", "hyperréhaussement artériel" (the prefix and
    # the accent are common spellings)
    ("_skip", r"(?:(?:hyper|hypo)?r[ée]haussements?|prises? de contraste|lavages?|flux|vascularisations?|signal|spectre|doppler) (?:[\w-]+ )?(?:art[ée]riel\w*|veineu\w*)"),
    # injection phases and enhancement words name no vessel
    ("_skip", r"(?:aux? |en )?(?:temps|phases?) (?:art[ée]riel(?:le)?|portal(?:e)?|veineu(?:x|se)|tardi(?:f|ve)|h[ée]patobiliaire)s?|(?<=rehaussement )art[ée]riel(?:le)?s?|en (?:art[ée]rielle|portale|veineuse|tardive)(?![\w])|shunts? art[ée]rio[- ]?port\w*|(?<=prise de contraste )art[ée]rielle|(?:hyper|hypo)?vasculari\w*|d'allure vasculaire|origine vasculaire"),
    # a hernia is a wall (or hiatus) defect, not an inguinal node: before the nodes
    ("abdominal_wall", r"hernies? (?:inguinale|ombilicale|crurale|fémorale|pari[ée]tale|de la ligne blanche|de spiegel|incisionnelle|sur cicatrice)s?|[ée]ventrations?|paroi abdominale|pari[ée]to[- ]?abdominal\w*"),
    ("stomach", r"hernies? hiatales?|hiatales?"),
    # the pulmonary arteries of an embolism are the lung's ("embolie pulmonaire" is a lung
    # finding: see the annotation guide)
    ("lung", r"art[èe]res? (?:pulmonaires?|lobaires?|segmentaires?|sous[- ]segmentaires?)(?: (?:inf[ée]rieure?s?|sup[ée]rieure?s?|moyenne?s?|inf|sup))?"
             # the lobe an artery supplies is no lesion of its own: "artères segmentaires du LIG"
             r"(?: (?:du|de la|des) (?:(?-i:L[SI][DG]|LM)\b|lobes? (?:sup[ée]rieur|inf[ée]rieur|moyen)s?(?: (?:droit|gauche)s?)?))?"),
    # the dural venous sinuses are vessels ("sinus sigmoïde" is no colon)
    ("vessel", r"sinus (?:lat[ée]ral|sigmo[ïi]de|transverse|longitudinal|sagittal|droit|caverneux|veineux)\w*"),
    # named vessels before the bones and nodes that lend them their adjective
    ("vessel", r"(?:veines?|art[èe]res?|axes?|carrefour) (?:f[ée]mora|iliaque|poplit[ée]|sous[- ]?clavi|axillaire|jugulaire|carotid|vert[ée]bra|r[ée]na|m[ée]sent[ée]rique|spl[ée]nique|hum[ée]ra|radia|tibia|c[ée]r[ée]bra|cave|sylvien|basilaire)\w*(?: (?:commune|superficielle|profonde|interne|externe|primitive|sup[ée]rieure|inf[ée]rieure|moyenne)s?)?"),
    # vessels named by their usual abbreviations ("sténose de l'ACI", "occlusion de l'AFS",
    # "embolie de l'AMS", "segment M2"), an aneurysm or an arteriovenous malformation (its
    # nidus): a vessel, whatever brain or limb word follows ("anévrisme sylvien droit")
    ("vessel", r"(?<![\w/])(?-i:ACI|ACC|ACM|ACA|ACP|AcoA|AcoP|ACoA|ACoP|AFS|AFC|AMS|AMI|TABC|AIC|AIE|AII|VCI|VCS|VJI|MAV|FAV)(?![\w/])|"
               r"malformations? art[ée]rio[- ]?veineuses?|nidus|polygone de willis|bifurcations? carotidiennes?|(?<![\w/])(?:segments? |branches? )?(?-i:M[1-4])(?![\w/])|"
               r"tronc (?:basilaire|tibio[- ]?p[ée]ronier|tibio[- ]?fibulaire)|an[ée]vr[iy]smes?(?! (?:de l'|de l’|aortique)?aort)"),
    # the femoral arteries and veins named without their noun: "occlusion de la fémorale
    # superficielle"
    ("vessel", r"f[ée]morales? (?:superficielle|profonde|commune)s?"),
    # bones (before lymph nodes: "aile iliaque", "rachis cervical", "col fémoral")
    ("femur", r"(?:fracture )?cervicale? f[ée]morale?|col (?:du )?f[ée]mur|col f[ée]moral|t[êe]te f[ée]morale|f[ée]murs?|f[ée]morale?s?|trochant[ée]r\w*|diaphyse f[ée]morale"),
    ("humerus", r"t[êe]te hum[ée]rale|hum[ée]rus|hum[ée]rale?s?|trochiter|trochin|col chirurgical|(?:encoche (?:de )?)?hill[- ]?sachs"),
    ("spine", r"spondylodiscites?|(?<![\w/])(?:C[1-7]|[DT](?:[1-9]|1[0-2])|L[1-5])[- ](?:C[1-7]|[DT](?:[1-9]|1[0-2])|L[1-5]|S1)(?![\w/*])|rachis(?: cervical| dorsal| thoracique| lombaire| sacr[ée])?|rachidiens?|rachidiennes?|vert[èe]bres?|vert[ée]bral(?:e|es|aux)?|corps vert[ée]bra\w*|(?:arc|pédicule|apophyse|lame) (?:post[ée]rieur|vert[ée]bral|[ée]pineuse)\w*|(?<![\w/])(?<!signal )(?<!s[ée]quence )(?<!pond[ée]ration )(?<!en )(?<!et )(?:C[1-7]|[DT](?:[1-9]|1[0-2])|L[1-5])(?![\w/*])"),
    # "des 4e, 5e et 6e côtes droites": one rib per ordinal (the list before the last
    # one is read by ``_sites``)
    ("rib", r"\d+(?:e|[èe]me|i[èe]me) c[ôo]tes?|c[ôo]tes?|costale?s?|costaux|arcs? costa\w*"),
    ("sternum", r"sternum|sternale?s?|manubrium"),
    ("pelvis_bone", r"cadres? obturat\w+|trous? obtur[ée]s?|foramen obtur[ée]|aile iliaque|ailes iliaques|os iliaques?|cr[êe]tes? iliaques?|cotyles?|cotylo[ïi]d\w*|ac[ée]tabul\w*|ischions?|ischiatiques?|ischio[- ]?pubien\w*|ilio[- ]?pubien\w*|pubis|pubienne?s?|sacrum|sacr[ée]e?s?|sacro[- ]?iliaques?|bassin|os coxaux?|branche ilio\w*"),
    # lesion-type adjectives that imply a bone only when no other site is named
    ("_bone_weak", r"ost[ée]olyti\w*|ost[ée]ocondens\w*|lytiques?|condensante?s?|scl[ée]reuse?s?|scl[ée]rotiques?"),
    ("bone", r"os (?:temporal|frontal|pari[ée]tal|occipital|sph[ée]no[ïi]de|zygomatique|propres du nez)\b|osseux|osseuses?|os\b|squelett(?:e|ique)s?|cr[âa]nes?\b|ost[ée]o[- ]?m[ée]dullaire\w*|m[ée]dullaires?|scapula\w*|omoplates?|clavicul\w*|cr[âa]nien\w*|calotte|mandibul\w*|fractures? de fatigue|calvaria|vo[ûu]te cr[âa]nienne|"
     r"radius|radiale?s?(?= distal| proximal)|ulna\w*|cubitus|tibia\w*|fibula\w*|p[ée]ron[ée]\w*|scapho[ïi]d\w*|carpe|carpien\w*|m[ée]tacarp\w*|"
     r"m[ée]tatars\w*|tarse|phalang\w*|calcan[ée]\w*|astragal\w*|talus|mall[ée]ol\w*|rotule|patella\w*|ol[ée]cr[âa]ne|"
     r"plateau tibial|talien(?:ne)?s?|gl[èe]nes?|gl[ée]no[ïi]d\w*|odonto[ïi]de|atlas|axis|coccyx|os propres du nez|orbit\w*|zygomat\w*"),
    # lymph-node stations
    ("ln_supraclavicular", r"sus[- ]?claviculaires?|creux sus[- ]?claviculaires?|sus[- ]?clav\w*"),
    ("ln_paratracheal", r"(?:latéro|lat[ée]ro|para)[- ]?trach[ée]ale?s?(?: (?:inf[ée]rieure?|sup[ée]rieure?|basse|haute)s?)?|trach[ée]o[- ]?bronchique\w*|(?<![\w/])[24][RL](?![\w/])"),
    ("ln_subcarinal", r"inter[- ]?trach[ée]o[- ]?bronchique\w*|sous[- ]?car[ée]n(?:aire|iens?)s?|sous[- ]?carinaires?|inter[- ]?bronchique\w*|(?<=station )7|(?<=ad[ée]nopathie )7(?![\w,.])|(?<=ganglion )7(?![\w,.])|(?<=\()7(?=\)|,(?!\d))|(?<=[(,] )7(?=\)|,(?!\d))"),
    ("ln_prevascular", r"(?:de la )?loge de bar[ée]ty|bar[ée]ty|pr[ée][- ]?vasculaires?|(?<![\w/])3a(?![\w/])"),
    ("ln_aortopulmonary", r"(?:de la )?fen[êe]tre aorto[- ]?pulmonaire|(?<![\w/])FAP(?![\w/])|aorto[- ]?pulmonaires?|sous[- ]?aortique\w*"),
    ("ln_hilar", r"hilaires?|hiles?(?: pulmonaires?)?|(?<![\w/])1[01][RL](?![\w/])"),
    ("ln_mediastinal", r"(?:para|p[ée]ri)[- ]?(?:œ|oe)sophag\w*|(?:loge )?thym(?:us|iques?)|(?:cha[îi]ne )?mammaires? internes?|m[ée]diastina(?:le?s?|ux)|m[ée]diastin\b|m[ée]diastino\w*"),
    ("ln_cervical", r"jugulo[- ]?carotidien\w*|sous[- ]?mandibulaires?|sous[- ]?digastrique\w*|spinal\w*|r[ée]tro[- ]?pharyng\w*|cervica(?:le?s?|ux)|jugulaires?|parotidien\w*|(?:secteurs?|niveaux?|aires?|groupes?) (?:I{1,3}|IV|V|VI)[ab]?(?:[ \t]*(?:,|et|à|-)[ \t]*(?:I{1,3}|IV|V|VI)[ab]?)*(?![\w])|(?<![\w/])(?-i:(?:I|II|III|IV|V|VI)[ab])(?![\w/])"),
    ("ln_axillary", r"creux axillaires?|axillaires?|aisselles?"),
    ("ln_coeliac", r"(?<=ad[ée]nopathie de la )petite courbure(?: gastrique)?|(?<=ad[ée]nopathies de la )petite courbure(?: gastrique)?|p[ée]dicule h[ée]patique|c(?:œ|oe|e)liaques?|tronc c(?:œ|oe|e)liaque|c(?:œ|oe)lio[- ]?m[ée]sent[ée]rique\w*"),
    ("ln_retroperitoneal", r"r[ée]tro[- ]?p[ée]riton[ée]a(?:le?s?|ux)|lombo[- ]?aortiques?|lat[ée]ro[- ]?aortiques?|para[- ]?aortiques?|inter[- ]?aortico[- ]?caves?|lat[ée]ro[- ]?caves?|r[ée]tro[- ]?caves?|pr[ée][- ]?aortiques?"),
    ("ln_iliac", r"iliaques?(?: (?:primitive|commune|externe|interne)s?)?|obturat(?:eur|rice)s?"),
    ("ln_inguinal", r"inguina(?:le?s?|ux)|inguino[- ]?\w+|cruraux|crurale?s?|(?:pli de l')?aine"),
    # lungs and pleura
    ("pleura", r"pleura(?:le?s?|ux)|pl[èe]vres?|scissura(?:le?s?|ux)|scissures?|(?:hydro[- ]?)?pneumothorax|h[ée]mothorax|pyothorax|(?<![\w/])(?-i:PNO)(?![\w/])|culs?[- ]de[- ]sacs? pleura\w*|culs?[- ]de[- ]sacs? costo[- ]?(?:diaphragmatique|phr[ée]nique)s?|pleuro[- ]?\w+"),
    ("lung_upper_lobe", r"lob(?:e|aire)s? sup[ée]rieure?s?|(?<![\w/])LS[DG](?![\w/])|lingula\w*|culmen"),
    ("lung_middle_lobe", r"lob(?:e|aire)s? moyen(?:ne)?s?|(?<![\w/])LM(?![\w/])"),
    ("lung_lower_lobe", r"lob(?:e|aire)s? inf[ée]rieure?s?|(?<![\w/])LI[DG](?![\w/])|pyramide basale|segment de nelson|apical inf[ée]rieur|"
                        r"segment (?:apical )?de fowler"),
    # the margin of a lung resection: "nodule de la tranche de lobectomie droite",
    # "au contact de la ligne d'agrafes de la lobectomie" (a local recurrence)
    ("lung", r"tranches? de (?:lobectomie|bilobectomie|pneumonectomie|segmentectomie|r[ée]section pulmonaire)|"
             r"agrafes de (?:la )?(?:lobectomie|bilobectomie|pneumonectomie|segmentectomie)"),
    ("lung", r"pulmonaires? p[ée]ri[- ]?hilaires?|moignon bronchique|intra[- ]?pulmonaires?|bronches? souches?|pulmonaires?|poumons?|parenchyme pulmonaire|bronchopulmonaire\w*|pneumopathie\w*|endobronchique\w*|embolie pulmonaire|alv[ée]olaires?"),
    # "EP" (embolie pulmonaire) names the lung only when no lobe is named ("EP du lobe inférieur G")
    ("_lung_weak", r"(?<![\w/])(?-i:EP)(?![\w/])"),
    # "Lobe droit : nodule ...": a part of the organ the report is about (see PART_OWNERS)
    # "foyer de condensation basal droit", "opacité de la base gauche": a lung base in a
    # chest report, the prostate's in a prostate one
    ("_part", r"lobes?(?= (?:droite?|gauche)s?\b)|basa(?:l|le|ux|les)(?= (?:droite?|gauche)s?\b)|bases?(?= (?:droite|gauche)s?\b)|"
     # the parenchyma a bleeding is in, of the organ the report is about: "Pas d'hématome
     # intraparenchymateux" in a head CT, "hématome intra-parenchymateux" of a kidney
     r"(?<=h[ée]morragie )intra[- ]?parenchymateuses?|(?<=h[ée]matome )intra[- ]?parenchymateux|"
     r"(?<=saignement )intra[- ]?parenchymateux"),
    # organs
    ("liver", r"h[ée]pato(?=[- ](?:spl[ée]n|pancr))|h[ée]patiques?|intra[- ]?h[ée]patiques?|foie|segments? (?:I{1,3}|IV|V|VI{1,3}|VIII|IX|[1-8])[ab]?(?:[ \t]*(?:,|et)[ \t]*(?:I{1,3}|IV|V|VI{1,3}|VIII|IX|[1-8])[ab]?(?![\w]))*|h[ée]patocellulaire\w*"),
    ("adrenal", r"surr[ée]na(?:le?s?|ux|lien(?:ne)?s?)"),
    ("brain", r"c[ée]r[ée]bra(?:le?s?|ux)|cerveau|enc[ée]phal\w*|intra[- ]?cr[âa]nien\w*|c[ée]r[ée]belleu\w*|cervelet|h[ée]misph[èe]r\w*|frontale?s?|pari[ée]ta(?:le?s?|ux)|temporale?s?|occipita(?:le?s?|ux)|parenchymateuse c[ée]r[ée]brale|m[ée]ning[ée]\w*|leptom[ée]ning[ée]\w*|substances? (?:blanche|grise)s?|corps calleux|noyaux gris\w*|tronc c[ée]r[ée]bral|fosse post[ée]rieure|sylvien\w*|lenticul\w*|capsulo[- ]?lenticul\w*|thalam\w*|hypophys\w*|hydroc[ée]phalie\w*|sous[- ]?dura\w*|extra[- ]?dura\w*|(?<=h[ée]morragie )sous[- ]?arachno[ïi]d\w*|intra[- ]?ventriculaire\w*|"
     # sub-sites of the brain: the white matter around the ventricles,
     # the lobes named together, the brainstem
     r"p[ée]ri[- ]?ventriculaire\w*|"
     r"fronto[- ]?(?:pari[ée]ta|temporal|insula|basal|polaire)\w*|temporo[- ]?(?:pari[ée]ta|occipita|insula|polaire)\w*|"
     r"pari[ée]to[- ]?occipita\w*|insula\b|pontique|protub[ée]rantiel\w*|m[ée]senc[ée]phal\w*|"
     r"(?:sus|sous|infra)[- ]?tentoriel\w*|hippocamp\w*|"
     # the intracranial compartments outside the brain tissue: "saignement extra-axial"
     r"(?:intra|extra)[- ]?axia(?:le?s?|ux)"),
    ("spleen", r"spl[ée]niques?|intra[- ]?spl[ée]niques?|rate\b"),
    ("pancreas", r"pancr[ée]atites?|pancr[ée]as|pancr[ée]atiques?|c[ée]phalique pancr[ée]atique"),
    ("kidney", r"loges? de n[ée]phrectomie|py[ée]lon[ée]phrites?|(?<![\w/])(?-i:PNA)(?![\w/])|r[ée]na(?:le?s?|ux)|intra[- ]?r[ée]na(?:le?s?|ux)|reins?\b|calicie\w*"),
    ("thyroid", r"thyro[ïi]d(?:e|es|ien|iens|ienne|iennes)|isthme(?: thyro[ïi]dien)?"),
    ("breast", r"seins?\b|mammaires?(?! interne)|quadrants? (?:sup[ée]ro|inf[ée]ro)[- ]?(?:externe|interne)s?|(?<![\w/])Q[SI][EI](?![\w/])|r[ée]tro[- ]?ar[ée]olaire\w*|unions? des quadrants \w+|(?<![\w/])U(?:Q[SIEI]|QS|QI|QE)(?![\w/])|(?:plaque|sillon) a?r[ée]olaire\w*"),
    ("prostate", r"prostate|prostatiques?|loge de prostatectomie|zones? (?:p[ée]riph[ée]rique|de transition|transitionnelle|centrale)s?"),
    ("colon", r"colites?|c[ôo]lon|coliques?|sigmo[ïi]d\w*|c(?:æ|ae|e)c(?:um|al)\w*|rectum|rectale?s?|recto[- ]?sigmo\w*"),
    # the oesophagogastric junction and an oesophagectomy's anastomosis are the oesophagus's
    ("oesophagus", r"(?:œ|oe)sophag\w*|(?:œ|oe)so[- ]?gastriques?|cardio[- ]?tub[ée]rositaires?"),
    ("stomach", r"estomac|gastriques?|antre gastrique|cardia"),
    # free fluid between the bowel loops is in the peritoneal cavity ("épanchement
    # inter-anses"), as is an effusion said to be in the abdomen ("lame d'épanchement
    # intra-abdominale")
    ("peritoneum", r"p[ée]ri[- ]?h[ée]patique|sous[- ]h[ée]patique|p[ée]ri[- ]?spl[ée]nique|(?:para|p[ée]ri)[- ]?coliques?|gouttières? pari[ée]to[- ]?coliques?|p[ée]riton(?:[ée]a(?:le?s?|ux)|e)|p[ée]ritoine|intra[- ]?p[ée]riton[ée]a(?:le?s?|ux)|carcinose|ascites?|h[ée]mop[ée]ritoine|pneumop[ée]ritoine|(?<=[ée]panchement )(?:intra[- ]?abdominal(?:e|es|aux)?|libre)\b|inter[- ]?anses|[ée]piplo\w*|omenta\w*|m[ée]sent[èe]re|sous[- ]?phr[ée]nique\w*|cul[- ]de[- ]sac de douglas|douglas"),
    # organs of CT / MR / US reports beyond oncology (codes added for issue 12)
    ("appendix", r"appendic(?:e|ulaire)s?|appendicites?|appendiculo\w*|appendicolithes?"),
    ("gallbladder", r"v[ée]sicules? biliaires?|v[ée]siculaires?|chol[ée]cyst\w*|v[ée]sicule"),
    ("biliary_tract", r"angiocholites?|voies? biliaires?|biliaires?|chol[ée]doque|chol[ée]docien\w*|canal chol[ée]doque|cholangi\w*"),
    ("ureter", r"ur[ée]t[èe]res?|ur[ée]t[ée]ra(?:le?s?|ux)|jonctions? (?:py[ée]lo[- ]?ur[ée]t[ée]rale|ur[ée]t[ée]ro[- ]?v[ée]sicale)s?"),
    ("bladder", r"vessie|v[ée]sica(?:le?s?|ux)|intra[- ]?v[ée]sica(?:le?s?|ux)"),
    # lesions that name their organ: a myoma is the uterus's, an endometrioma an ovary's
    # (an adenomyosis is a diffuse change, no finding)
    ("uterus", r"(?:l[ée]io)?myomes?|ad[ée]nomyomes?|ut[ée]rus|ut[ée]rine?s?|endom[èée]tr(?:e|ial|iale)s?|myom[ée]tr\w*|col ut[ée]rin"),
    ("ovary", r"endom[ée]triomes?|ovaires?|ovarien(?:ne)?s?|annexes?|annexiel(?:le)?s?"),
    ("small_bowel", r"il[ée]ites?|intestin gr[êe]le|gr[êe]les?|il[ée]a(?:le?s?|ux)|il[ée]on|j[ée]junum|j[ée]junal\w*|duod[ée]n\w*|anses? (?:gr[êe]les?|intestinales?)"),
    ("pericardium", r"p[ée]ricardiques?|p[ée]ricarde|p[ée]ricardites?"),
    # "thrombus apical VG", "Pas de thrombus intra-cavitaire" in a cardiac MR
    ("heart", r"c(?:œ|oe)ur|cardiaques?|myocard\w*|(?<![\w/])(?-i:VG|VD)(?![\w/])|(?:sous[- ]?)?[ée]picard\w*|(?:sous[- ]?)?endocard\w*"),
    ("aorta", r"aortes?(?: abdominale| thoracique| ascendante| descendante)?|aortiques?|crosse aortique|an[ée]vrysmes? aortiques?"),
    # "thrombose porte", "envahissement portal", "thrombose porto-mésentérique",
    # "aéroportie" (gas in the portal veins); not "lavage portal" (a phase)
    ("portal_vein", r"veine porte|tronc porte|syst[èe]me porte|branches? portales?|(?<=thrombose )portale|(?<=cavernome )portal|"
                    r"(?<=thrombose )porte\b|(?<=envahissement )portal\b|porto[- ]?m[ée]sent[ée]rique\w*|a[ée]roportie"),
    ("vessel", r"art[èe]res?|art[ée]riel(?:le)?s?|veines?|veineu(?:x|se|ses)|carotides?|carotidien\w*|jugulaire interne|(?<![\w/])(?-i:TV[PS])(?![\w/])"),
    # anatomical nouns outside the site vocabulary, last so that every site named from
    # the same word wins ("sinus sigmoïde" is a vessel; "espace pleural" is left to the pleura): the
    # head noun of a location phrase, it gives no site to the adjectives it governs
    # (:data:`HEAD_NOUNS_OUTSIDE_SITES`)
    ("_organ", HEAD_NOUNS_OUTSIDE_SITES),
]

# The first element of a compound adjective, matched as a site of its own (a site regex
# above reads it): "médiastino-hilaire" is mediastinal and hilar, "hépato-splénique" the
# liver's and the spleen's.
COMBINING_FORMS = r"m[ée]diastino|h[ée]pato|spl[ée]no|axillo|pancr[ée]atico"

# Disease nouns that name their organ ("appendicite": the appendix). Negated, they name
# no site of their own ("Pas d'hydrocéphalie" is not a brain finding, as "pas d'autre
# foyer" is none: see the annotation guide), so they yield a finding only when affirmed.
IMPLIED_SITE_NOUNS = (
    r"hydroc[ée]phalies?|appendicites?|chol[ée]cystites?|hydron[ée]phroses?|sigmo[ïi]dites?|"
    r"diverticulites?|(?:l[ée]io)?myomes?|ad[ée]nomyomes?|endom[ée]triomes?|appendicolithes?|py[ée]lon[ée]phrites?|"
    r"pancr[ée]atites?|spondylodiscites?|angiocholites?|cholangites?|colites?|il[ée]ites?"
)
# Sites outside the vocabulary that an affirmed lesion is placed in for want of a code,
# but whose negation names no site of the vocabulary (the guide: no finding): the
# meninges ("Pas de prise de contraste leptoméningée"; "prise de contraste
# leptoméningée nodulaire" is a brain lesion). A bleed of the meninges is intracranial,
# negated too (the guide's rulings: "Pas d'hémorragie méningée." is a negated `brain` row).
NEAREST_SITE_ONLY = (
    r"(?<!h[ée]morragie )(?<!h[ée]morragies )(?<!saignement )(?<!h[ée]matome )"
    r"(?:lepto|pachy)?m[ée]ning[ée]\w*"
)

# (an effusion names its serosa, negated too, as "Pas d'ascite" and "Pas de pneumothorax"
# do in the guide: "Pas d'hémopéritoine", "Pas de pneumopéritoine" are peritoneal)

# Sites whose laterality is part of the word: abbreviation -> laterality.
BUILTIN_LATERALITY: dict[str, str] = {
    "lsd": "right", "lsg": "left", "lid": "right", "lig": "left", "lingula": "left",
    # IASLC stations with a side: "4R", "10L"
    **{f"{n}{s}": side for n in ("2", "4", "10", "11") for s, side in (("r", "right"), ("l", "left"))},
}

# Midline sites: a side written on the label above them ("ADP médiastino-hilaires
# bilatérales :" then "- sous-carinaire (7) de 25 mm") is not theirs.
MIDLINE_SITES = frozenset({
    "ln_mediastinal", "ln_subcarinal", "ln_prevascular", "ln_coeliac", "ln_retroperitoneal",
    "spine", "sternum", "bladder", "uterus", "oesophagus", "stomach", "heart",
    "pericardium", "aorta", "peritoneum", "pancreas",
})

# Codes written together in one noun phrase that name one finding: the site hierarchy
# ("masse pulmonaire lobaire supérieure" is one finding in the upper lobe, "ganglion
# médiastinal sous-carinaire" one subcarinal node), plus one reading of an ambiguous
# word: "fixation iliaque" next to a bone word is the pelvis, not an iliac node.
PARENT: dict[str, str] = {**SITE_PARENTS, "ln_iliac": "pelvis_bone"}

# The general words of the skeleton: a bone lesion said generally, then by its bone in the
# same clause, is one lesion at that bone ("contusion osseuse (oedème médullaire) du
# condyle fémoral", "encoche de la tête humérale de 16 mm avec oedème osseux"). Not "os":
# "des côtes ou des os longs" names bones.
GENERAL_BONE_WORDS = r"osseu(?:x|se|ses)|sous[- ]?chondra(?:l|le|ux|les)|squelett(?:e|ique)s?|(?:ost[ée]o[- ]?)?m[ée]dullaires?|spongieu(?:x|se|ses)"

# Words after which "iliaque" is a bone, not a lymph node.
BONE_CONTEXT = r"osseu|os\b|l[ée]sions? (?:lytique|condensante|scl[ée]rotique)|lyti|condens|scl[ée]ro|fracture|ost[ée]o|m[ée]tastases? osseuses?"

# Nouns (and adjectives) that describe a lesion. A clause needs one of them (or a
# lesion SUVmax value) to yield a finding.
LESION_TRIGGERS = (
    # ("Aires ganglionnaires cervicales : ...": an area, no lesion)
    r"ad[ée]nopathies?|ad[ée]nom[ée]galies?|ADP|ganglions?|(?<!aires )(?<!aire )(?<!cha[îi]nes )(?<!cha[îi]ne )(?<!secteurs )(?<!territoires )ganglionnaires?|n(?:œ|oe)uds? lymphatiques?|"
    r"nodules?|micronodules?|nodulaires?|(?<!effet de )masses?|l[ée]sions?|(?<!intra-)(?<!intra)l[ée]sionnel\w*|foyers?|"
    r"hyperm[ée]tabolismes?|hyperm[ée]taboliques?|hyperfixations?|hyperfixant\w*|fixations?|fixant\w*|captations?|"
    r"m[ée]tastases?|m[ée]tastatiques?|tumeurs?|tumora(?:le?s?|ux)|n[ée]oplasi\w*|n[ée]oplasiques?|"
    r"[ée]paississements?|infiltra\w*|condensations?|opacit[ée]s?|plages?|images?|formations?|processus(?! (?:uncin|transvers|[ée]pineu|xipho|stylo|odonto|corono|masto|articulai)\w*)|"
    r"localisations?|atteintes?|carcinoses?|implants?|[ée]panchements?|lyses?|ost[ée]olyses?|lytiques?|"
    # a thin effusion is an effusion: "Petite lame liquidienne sous-hépatique" (the
    # guide's effusions; "..., physiologique" is no finding)
    r"lames? liquidiennes?|"
    r"pneumothorax|h[ée]mothorax|pyothorax|ascites?|kystes?|fractures?|embolies?|h[ée]morragies?|saignements?|anomalies?|[ée]moussements?|"
    # a liver observation of LI-RADS ("Segment II : l'observation mesure 9 mm")
    r"observations?|"
    # emergency abbreviations: "Pas de PNO", "Pas d'EP", "Pas de TVP"
    r"(?<![\w/])(?-i:PNO|EP|TV[PS])(?![\w/])|"
    r"prises? de contraste|r[ée]haussements?|r[ée]cidives?|reliquats?|calcifications?|microcalcifications?|"
    r"pneumopathies?|comblements?|[ée]paississement|d[ée]fects? endoluminaux?|ulc[ée]rations?|thromboses?|dilatations?(?! (?:des cavit[ée]s |de l'|des |du )?(?:py[ée]l|ur[ée]t[èe]r|bassinet))|collections?|abc[èe]s|"
    # "Rate et pancréas sans particularité": organs negated one by one
    r"particularit[ée]s?|"
    # CT / MR / US / radiography findings beyond oncology
    r"hydroc[ée]phalies?|appendicites?|chol[ée]cystites?|diverticulites?|sigmo[ïi]dites?|"
    r"py[ée]lon[ée]phrites?|pancr[ée]atites?|spondylodiscites?|angiocholites?|cholangites?|colites?|il[ée]ites?|(?:micro)?lithiases?|lithiasiques?|(?:micro)?calculs?|stercolithes?|coprolithes?|appendicolithes?|"
    r"at[ée]lectasies?|consolidations?|verre d[ée]poli|syndromes? (?:alv[ée]olaire|interstitiel|de masse)|pneumonies?|"
    r"AVC|accidents? vasculaires? c[ée]r[ée]bra\w*|isch[ée]miques?|"
    r"st[ée]noses?|hernies?|[ée]ventrations?|an[ée]vrysmes?|an[ée]vrismes?|an[ée]vr[iy]sma(?:le?s?|ux)|dissections?|occlusions?|"
    r"h[ée]matomes?|infarctus|isch[ée]mies?|contusions?|luxations?|tassements?|fissures?|polypes?|"
    r"ad[ée]nomes?|ad[ée]nomyomes?|angiomes?|h[ée]mangiomes?|myomes?|fibromes?|endom[ée]triomes?|"
    # a lacunar infarct ("lacune ischémique capsulaire droite")
    r"lacunes?|"
    # a thyroid nodule named by its label before its place ("N1 lobe droit pôle inférieur,
    # ...", "N3 isthme, kystique pur, 4 mm"; not a TNM stage "cT2N1")
    r"(?<![\w/])(?-i:N[1-9])(?=[ \t]+(?:lobe|isthme|isthmique|p[ôo]le|tiers|droit|gauche)\b)|"
    # hématome sous-dural / extradural, hémorragie sous-arachnoïdienne
    r"(?<![\w/])(?-i:HSD|HED|HSA)(?![\w/])|"
    r"distorsions?|asym[ée]tries?|d[ée]sorganisations?|h[ée]mop[ée]ritoines?|pneumop[ée]ritoines?|a[ée]roporties?|"
    # tumours named by their kind: "méningiome de la convexité frontale gauche"
    r"m[ée]ningiomes?|gliomes?|glioblastomes?|schwannomes?|neurinomes?|lipomes?|fibroad[ée]nomes?|"
    r"carcinomes?|ad[ée]nocarcinomes?|lymphomes?|sarcomes?|papillomes?|cavernomes?|"
    # vascular, cardiac and bone findings: "thrombus apical VG", "nidus de la MAV",
    # "volvulus du sigmoïde", "géode de la tête humérale", "œdème myocardique",
    # "plaque calcifiée de l'ACI" (not "plaque aréolaire", "plaque vissée")
    r"thrombus|thrombi|emboles?|volvulus|nidus|(?<![\w/])(?-i:MAV|FAV)(?![\w/])|malformations? art[ée]rio[- ]?veineuses?|"
    # MR signal abnormalities of the brain and cord: "multiples hypersignaux FLAIR de la
    # substance blanche", "hypersignal T2 intramédullaire"
    r"hypersignaux(?! (?:T[12] )?homog[èe]ne)|hypersignal(?! (?:T[12] )?homog[èe]ne)|"
    # a focal density abnormality, a zone of abnormal signal, density or echogenicity:
    # "hypodensité cortico-sous-corticale insulaire", "zone en hyposignal T2 de la zone
    # périphérique gauche" (a signal word alone mostly describes a lesion already named)
    r"hypodensit[ée]s?|hyperdensit[ée]s?|zones? (?:en )?(?:hypo|hyper)[- ]?(?:signal|dens|[ée]chog)\w*|"
    r"myocardites?|p[ée]ricardites?|g[ée]odes?|encoches?|(?:œ|oe)d[èe]mes? myocardiques?|"
    r"plaques?(?= (?:ath[ée]|calcifi|fibreu|molle|mixte|ulc[ée]r|non st[ée]nos|st[ée]nos|pleura|d[ée]my|de d[ée]my|d'ath))|"
    # a disc protrusion (not a degenerative "protrusion disco-ostéophytique"), a bony
    # avulsion: "Protrusion discale L5-S1", "Arrachement de la styloïde ulnaire"
    r"protrusions?(?! disco[- ]?ost)|arrachements?|"
    # erosive and inflammatory bone findings of rheumatology and infection: "érosion de
    # la tête du 2e métacarpien", "ostéite du capitatum" (a bone-marrow oedema is not a
    # lesion word: as one, it added as many false rows as it found on the open sets)
    r"[ée]rosions?|ost[ée]ites?|"
    # (category 1 is a negative breast: "Sein droit : ACR 1, sans anomalie")
    r"(?<![\w-])(?:ACR|BI-?RADS)[ \t]*(?!1(?![\w]))[0-6][abc]?(?![\w])"
)

# A clause that only says a physiological uptake or a normal organ yields nothing.
PHYSIOLOGICAL = (
    # benign diffuse changes of an organ: "hypertrophie bénigne de la prostate",
    # "gynécomastie", calcifications said benign
    r"hypertrophies? b[ée]nignes?|(?<![\w-])HBP(?![\w-])|gyn[ée]comasties?|"
    r"(?:micro)?calcifications? (?:[\w-]+[ \t,]+){0,3}?(?:d'allure |d'aspect |de type )?b[ée]nignes?\b|"
    r"physiologiques?|normale?s? (?:de|en) taille|de taille normale|d'aspect (?:normal|banal)\w*|de (?:morphologie|taille|structure) normale|calcifications? (?:vasculaires?|art[ée]rielles?)|"
    # breast density is no lesion: "Seins de densité type C, pouvant masquer de petites lésions"
    r"densit[ée] (?:mammaire )?(?:de )?type [A-D1-4]|densit[ée] (?:mammaire )?(?:de )?[A-D](?![\w'’])|(?:fixation|activit[ée]) de r[ée]f[ée]rence|"
    # diffuse uptake is not a lesion: "Fixation médullaire diffuse et homogène",
    # "Hypermétabolisme diffus de la thyroïde" (a thyroiditis), see the annotation guide
    r"(?:hyper)?(?:fixations?|m[ée]tabolismes?|captations?|activit[ée]s?)[ \t]+(?:[\w'-]+,?[ \t]+){0,2}?(?:diffus(?:e|es)?|homog[èe]ne?s?)\b|"
    # an organ that takes up the tracer normally: "Parenchyme thyroïdien fixant normalement"
    r"(?:fixant|fixe|fixent) normalement|"
    # white-matter changes of small-vessel disease and a normal zone's signal are no
    # focal lesion: "hypersignaux FLAIR ... (Fazekas 1)", "zone périphérique en hypersignal
    # T2 homogène" (see the annotation guide: diffuse changes are not findings)
    r"fazekas|leucopathies?|leucoara[ïi]oses?|hypersignal (?:T2 )?homog[èe]ne|"
    # a diffuse thickening of the skin or a wall is no focal lesion
    r"[ée]paississements?[ \t]+(?:[\w'-]+[ \t]+){0,1}?diffus(?:e|es)?\b|"
    # thyroid uptake explained by a thyroiditis (a nodule "sur thyroïdite" stays a lesion)
    r"(?:hyper)?(?:fixations?|m[ée]tabolismes?|captations?)[ \t]+thyro[ïi]dien\w*[^.;\n]{0,60}?thyro[ïi]dites?"
)

# Laterality words, right after a site (possibly after one or two other words) or
# just before it in the same noun phrase.
LATERALITY: dict[str, str] = {
    # "homolatéral" / "controlatéral": to the primary tumour, resolved against the side
    # the indication gives it (see ``radlink.nlp.lesions.resolve_relative_sides``)
    "ipsilateral": r"homolat[ée]ra(?:le?s?|ux)|ipsilat[ée]ra(?:le?s?|ux)",
    "contralateral": r"controlat[ée]ra(?:le?s?|ux)",
    "bilateral": r"bilat[ée]ra(?:le?s?|ux)|des deux c[ôo]t[ée]s|de part et d'autre|deux (?:seins|poumons|c[ôo]t[ée]s|hiles|reins|surr[ée]nales)|dans les deux \w+",
    # "D" / "G" in capitals after a station: "adénopathie IIa D"
    # not the elision of a report typed in capitals without apostrophes: "PAS D EPANCHEMENT"
    "right": r"droite?s?|dte|(?-i:D)(?![\w'’])(?![ \t]+(?-i:[AEIOUYHÉÈÊÀÂ][A-ZÉÈÊÀÂÎÔÛ]{2,}))",
    "left": r"gauches?|gche|(?-i:G)(?![\w'’])",
}

# What every LATERALITY form holds: one of these (lower case) or a capital "D" or "G".
# A text with none of them names no side, and the side regexes are not tried there.
LATERALITY_STEMS = ("dro", "dte", "gauche", "gche", "lat", "deux", "part et")

# Words a laterality may sit behind: "lésion costale postérieure droite".
LATERALITY_FILLER = r"(?:(?!(?:de|du|des|la|le|les|et|ou|avec|sans|au|aux|à|dans|sur|en|par|pour|mais|ni)\b)[a-zàâäçéèêëîïôöùûü'-]{3,}|ant[ée]rieure?s?|post[ée]rieure?s?|lat[ée]ra(?:le?s?|ux)|externes?|internes?|sup[ée]rieure?s?|inf[ée]rieure?s?|moyen(?:ne)?s?|primitives?|communes?|basse|haute|profonde?s?|superficielle?s?|inf[ée]rieure?s?|basa(?:le?s?|ux)|apica(?:le?s?|ux)|r[ée]siduel(?:le)?s?|hyperm[ée]taboliques?|fixante?s?|isol[ée]e?s?|\d+e)"

# A part of the organ a laterality may also sit behind: "condensation alvéolaire de la
# base droite", "nodule pulmonaire du sommet gauche".
LATERALITY_PART = r"(?:de la|du|des|à la|au)[ \t]+(?:bases?|sommets?|apex|r[ée]gions?|parties?|pointes?)"

# Separators between two findings of a clause: "hilaire droite et sous-carinaire".
# An organ a lesion surrounds, pushes or touches is a landmark, not the lesion's site:
# "conglomérat ganglionnaire médiastinal englobant la veine cave supérieure" (a
# separator, then dropped as an extension: EXTENSION_TO).
LANDMARK_VERBS = r"englob\w*|engain\w*|enserr\w*|refoul\w*|comprim\w*|moulant|au contact d(?:u|e la|e l'|es)"
SEGMENT_SEPARATOR = (
    r",|\bet\b|\bou\b|\bni\b|\bainsi que\b|\bavec\b|\bassoci[ée]e?s? à\b|\+|\(|\)|"
    r"\bmais\b|en dehors d|\bhormis\b|\bsauf\b|en revanche|par contre|"
    rf"(?<![\w-])(?:{LANDMARK_VERBS})(?![\w])"
)

# A size: "14 mm", "2,3 cm", "12 x 8 mm", "18 x 12 x 10 mm"; also "12 et 10 mm".
# (a decimal part is taken whenever there is one, never left for a list separator: "1,1,1,1"
# is then read in one pass, not in every way of splitting it)
NUMBER = r"\d+(?!\d)(?:[.,]\d+(?!\d)|(?![.,]\d))"
SIZE = (
    rf"(?P<dims>{NUMBER}(?:[ \t]*(?:x|×|\*|sur)[ \t]*{NUMBER}){{0,2}})"
    rf"|(?P<list>{NUMBER}(?:[ \t]*(?:,|et)[ \t]*{NUMBER})+)"
)
# not a velocity or a rate: "VSM 110 cm/s"
SIZE_UNIT = r"[ \t]*(?P<unit>mm|cm)\b(?![ \t]*/)"
# A size said of a previous exam ("contre 45 mm", "15 mm précédemment") or a distance.
SIZE_PREVIOUS_BEFORE = r"(?:contre|vs\.?|versus|initialement|pr[ée]c[ée]demment|auparavant|au lieu de)[ \t(]*$"
# What precedes "référence" when it names the exam sizes are compared with, not a
# reference organ: one fixed-width lookbehind per form (chained, so a negative lookbehind)
REFERENCE_EXAM_BEFORE = ")(?<!".join(
    ("examen de ", "examens de ", "tdm de ", "scanner de ", "irm de ", "tep de ", "bilan de ",
     "imagerie de ", "à la ", "a la ", "sur la ", "rapport à la ", "ligne de ")
)
SIZE_PREVIOUS_AFTER = r"^[ \t)]*(?:pr[ée]c[ée]demment|auparavant|ant[ée]rieurement|initialement)"
# A part of a lesion measured: "à cortex épaissi (4 mm)", "paroi épaissie à 6 mm"; not
# the part a lesion lies in ("nodule de la cloison recto-vaginale de 14 mm", "adénomyome
# de la paroi postérieure de 22 mm": read with the text before the window), but still the
# length of a contact ("au contact de la capsule sur 12 mm").
SIZE_PART_BEFORE = r"(?<![\w-])(?:(?<!de la )(?<!de l')(?<!du )(?<!des )|(?<=contact de la )|(?<=contact du ))(?:cortex|parois?|mur|capsule|septas?|cloisons?)(?:[ \t]+[\w'-]+){0,2}?[ \t]*(?:\(|à|de|:|mesur[ée]e?s?(?: à)?)?[ \t]*$"
# The measurement of an enlarged organ or of a dilated cavity, not of a lesion in it:
# "splénomégalie à 15 cm avec deux foyers", "splénomégalie (14 cm)", "dans une rate de
# 14 cm", "dilatation pyélocalicielle (bassinet 15 mm)".
ORGAN_SIZE_BEFORE = (
    r"(?<![\w-])(?:(?:h[ée]pato[- ]?)?spl[ée]nom[ée]galie|h[ée]patom[ée]galie|(?:dans|avec) (?:une|la) rate|"
    r"(?:dans|avec) (?:un|le) foie|bassinets?)"
    r"[ \t]*(?:\(|à|de|:|mesur[ée]e?s?(?: à)?|mesurant)?[ \t]*(?:environ[ \t]+)?$"
)
# "à 2 cm de la plèvre", "situé à 3 cm du hile": a distance.
SIZE_DISTANCE_BEFORE = r"(?:[àa]|situ[ée]e?s? [àa]|distance de)[ \t]*$"
SIZE_DISTANCE_AFTER = r"^[ \t]*(?:de la|de l'|du|des)\b"

# "Nodules pulmonaires bilatéraux, le plus grand de 9 mm dans le lobe moyen": the site
# after these words locates the largest of the lesions just described, not a new one.
LARGEST_OF = r"(?:le|la|les) plus (?:grande?s?|volumineu(?:x|se|ses)|gros(?:se)?s?|intense?s?|fixante?s?|hyperm[ée]taboliques?|active?s?)|dont (?:le|la) plus"

# A group said on both sides, then its largest or its predominance on one: the group is
# bilateral ("Opacités bilatérales, la plus volumineuse dans le sein gauche", "foyers des
# deux lobes, prédominant à gauche", "hilaires D et G, la plus volumineuse à D",
# "opacités bibasales, plus marquées à gauche").
BILATERAL_GROUP = (
    r"(?<![\w-])(?:bilat[ée]ra(?:le?s?|ux)|bibasa(?:le?s?|ux)|des deux (?:lobes|bases|seins|poumons|hiles|reins|c[ôo]t[ée]s)|"
    r"(?:droite?s?|(?-i:D)) et (?:gauches?|(?-i:G)))(?![\w-])"
    rf"[^.;\n]{{0,80}}?(?:{LARGEST_OF}|pr[ée]domin\w*|plus marqu[ée]e?s?)"
)

# What follows a general site when its lesions are then listed site by site:
# "Deux lésions hépatiques, au segment VI (...) et au segment IVb (...)".
ENUMERATION_START = r"[ \t]*[,:][ \t]*(?:au|aux|à la|à l'|dans l[ea']|dans les|en|sur l[ea']|sur les)\b"

# Words whose complement names the nature of the lesion just described, not another
# lesion: "..., en faveur de lésions osseuses secondaires", "évocatrice d'une
# pneumopathie", "suspect d'une atteinte pleurale".
NATURE_COMPLEMENT = (
    r"[ée]vocat(?:eur|rice|eurs|rices) (?:d'|de |des |du )|compatibles? avec|en faveur (?:d'|de |des |du )|"
    r"suspecte?s? (?:d'|de |des |du )|pouvant correspondre|en rapport avec|correspondant à|"
    r"[àa] confronter|d'allure|[ée]voquant|faisant (?:discuter|[ée]voquer)|type (?:de |d')|"
    r"classée?s?|[àa] contr[ôo]ler|(?:probablement|possiblement) (?:d'|en rapport)"
)

# Site of a lesion that names none, by modality: mammography findings are in a breast.
DEFAULT_SITES: dict[str, str] = {"MG": "breast"}

# The organ of a single-organ exam, read in its title (or the head of its text): the site
# of a lesion that names none ("IRM cérébrale ... Pas de lésion ischémique récente").
# An exam naming two of these (or a body region: "thoraco-abdomino-pelvien") has none.
EXAM_ORGANS: list[tuple[str, str]] = [
    ("brain", r"c[ée]r[ée]bra\w*|enc[ée]phal\w*|cr[âa]n\w*|(?<![\w-])t[êe]te(?![\w-])"),
    ("thyroid", r"thyro[ïi]d\w*"),
    ("prostate", r"prostat\w*"),
    ("breast", r"mammaires?|mammographi\w*|(?<![\w-])seins?(?![\w-])"),
    ("liver", r"h[ée]pati\w*|(?<![\w-])foie(?![\w-])"),
    # the spine is named ("IRM du rachis cervical", "moelle cervicale") or its lumbar or
    # dorsal part; a bare "cervical" names the neck (below)
    ("spine", r"rachi\w*(?:[ \t]+(?:cervical|dorsal|lombaire|thoracique)e?)?|(?:moelle|m[ée]dullaire)[ \t]+cervicale"
              r"|(?<![\w-])(?:lombaire|dorsal)e?(?![\w-])"),
    ("bone", r"squelett\w*|osseu\w*|(?<![\w-])os(?![\w-])"),
    ("heart", r"cardiaques?|c(?:œ|oe)ur|myocard\w*"),
    ("vessel", r"veineu\w*|art[ée]ri\w*|vasculaires?|(?<![\w-])TSA(?![\w-])|troncs? supra[- ]?aortiques?"),
    ("aorta", r"aort\w*"),
    # the urinary tract's exams are the kidneys' ("Échographie rénale", "Uroscanner",
    # "Échographie de l'appareil urinaire"); the pleura's, the pancreas's, the adrenals'
    ("kidney", r"r[ée]na(?:le?s?|ux)|(?<![\w-])reins?(?![\w-])|(?:appareil|voies?|arbre) urinaires?|uro[- ]?(?:scanner|tdm|irm)"),
    ("pleura", r"pleura(?:le?s?|ux)|pl[èe]vres?"),
    ("pancreas", r"pancr[ée]a\w*"),
    ("adrenal", r"surr[ée]na\w*"),
    # the neck ("TDM cervicale", "Scanner cervical injecté", "IRM cervicale"): a region of
    # many organs (thyroid, nodes, larynx...), so no organ of its own, but an ultrasound's
    # (EXAM_ORGAN_BY_MODALITY). Every writer of our gold sets names the spine "rachis".
    ("_neck", r"(?<![\w-])cervica(?:le?s?|ux)(?![\w-])"),
    # a chest exam names no organ but its lungs: see CHEST_LESIONS
    ("_chest", r"thoraci\w*|thorax|pulmonaires?"),
    ("_region", r"abdom\w*|pelvi\w*|(?<![\w-])TAP(?![\w-])|corps entier|cervico\w*|thoraco\w*"),
]
# In a chest exam (and no other region), these lesion words name the lung when they name no
# site: "Pas de nouveau nodule", "Pas d'embolie proximale", "Pas de condensation
# parenchymateuse" (not "Pas d'adénopathie", "Pas d'épanchement"; nor "Pas d'autre nodule",
# which names no site of its own).
CHEST_LESIONS = (
    r"nodules?|micronodules?|condensations?|embolies?|(?<![\w/])(?-i:EP)(?![\w/])|d[ée]fects?|opacit[ée]s?|"
    r"verre d[ée]poli|masses?|consolidations?|at[ée]lectasies?|infiltrats?|pneumopathies?"
)

# An exam word the organ must follow in the title.
EXAM_WORD = r"(?:[ée]cho[- ]?)?doppler|arm|irm|scanner|tdm|tomodensitom\w*|[ée]chographi\w*|[ée]cho|angio[- ]?\w*|radiographi\w*|mammographi\w*|scintigraphi\w*|uro[- ]?scanner|(?-i:RX)|imagerie|examen"

# A breast lesion seen on mammography, then described again by the ultrasound of the same
# exam ("Mammographie : masse du QSE droit de 19 mm" then "Échographie : masse
# hypoéchogène de 21 mm à 10h droite", "... correspondant à l'opacité"): one lesion, with
# the ultrasound's size (:func:`radlink.nlp.lesions.merge_second_technique`).
MAMMOGRAPHY_WORD = r"mammograph\w*|tomosynth[èe]s\w*|(?<![\w-])mammo(?![\w-])"
# the ultrasound part opens a line or a sentence ("Échographie :", "En échographie, ..."),
# not "elle correspond en échographie à" inside one
ULTRASOUND_PART = (
    r"(?:^|(?<=\n)|(?<=[.:;] ))[ \t]*(?:[-–•*][ \t]*)?(?:(?:en|à l'|a l'|sur l'|compl[ée]ment d')[ \t]*)?"
    r"(?:[ée]chograph\w*|[ée]cho(?![\w-]))"
)
# a lesion said to be another one is not the mammography's seen again
ANOTHER_LESION = r"(?<![\w-])(?:seconde?s?|deuxi[èe]mes?|autres?|nouve(?:lle|au)s?|satellites?|suppl[ée]mentaires?)(?![\w-])"

# A label line that names an organ before a colon, alone on its line ("Foie :"): the
# items listed under it ("- segment VII : 17 mm", "- nodule de 8 mm") are its findings.
# A list item starts a line with one of these bullets.
LIST_ITEM = r"[ \t]*(?:[-–•*·>]|\d{1,2}[).]|[a-z][)]|[A-Z]{1,3}\d{1,2}[ \t]*[|:)-])"

# The absence of a lesion kind on the other side, its site left unsaid because the
# sentence before named it: "Épanchement pleural droit de faible abondance. Pas
# d'épanchement à gauche." (a negated pleura row, left; see ``elided_sites``).
ELIDED_SITE_NEGATION = (
    r"(?<![\w])(?:pas|absence|aucune?)[ \t]+d(?:'|e[ \t]+)(?P<noun>[^\W\d_]{4,})"
    r"(?:[ \t]+(?:significati(?:f|ve)|visible|d[ée]cel(?:able|[ée]e?)|notable))?"
    r"[ \t]+(?:[àa]|du c[ôo]t[ée])[ \t]+(?:(?P<right>droite?)|(?P<left>gauche))(?=[ \t]*(?:[.;,\n]|$))"
)

# Lymph nodes described as normal: with a fatty hilum, unmeasured ("ganglions ovalaires à
# hile graisseux") or said not suspect ("ganglion de 7 mm, à hile conservé, non suspect").
# A measured node stays a finding ("ganglion intramammaire de 6 mm, à hile graisseux"),
# and so does one only said not suspect ("ganglion axillaire de 8 mm non suspect").
NORMAL_NODE_UNMEASURED = (
    r"(?<!perte du )(?<!perte de son )(?<!disparition du )(?<!sans )hile (?:graisseux|conserv[ée]e?)"
    r"(?![ \t]+(?:effac|absent|disparu|amin|refoul))"
)
NORMAL_NODE = r"ganglions?\b[^.;\n]{0,80}?\bnon suspects?\b"

# Said of an organ with no lesion word, these negate it: "Rate : RAS", "Foie normal",
# "Pancréas sans particularité", "Reins d'aspect normal", "Aires axillaires libres",
# "Col fémoral intact", "Rate, pancréas sp"; a measure may come before or after the verdict
# ("Rein gauche : 108 mm, normal", "Rate : RAS (11 cm)"). Words that deny the one lesion
# kind of their organ are verdicts too (guide's rulings): "Vésicule alithiasique", "Voies
# biliaires alithiasiques", "Culs-de-sac libres" ("libre(s)" of nodal areas and recesses).
_MEASURE = r"\d+(?:[.,]\d+)?[ \t]*(?:mm|cm)"
ORGAN_VERDICT = (
    r"RAS|R\.A\.S\.?|sp|s\.p\.?|normaux|normale?s?|d'aspect normal\w*|aspect normal\w*|sans particularit[ée]s?|"
    r"sans anomalie\w*|sans l[ée]sion\w*|strictement normal\w*|libres?|intacte?s?|int[èe]gres?|"
    r"indemnes?|(?:ACR|BI-?RADS)[ \t]*1|alithiasiques?|"
    # "RAS" spelt out, as dictated: "Foie vésicule rate pancréas : rien à signaler"
    r"rien (?:[àa] signaler|de particulier|d'anormal)"
)
# Words that name a lymph-node area before its site, not a lesion: "Ganglions axillaires
# normaux", "Chaînes ganglionnaires iliaques : RAS" (a verdict then negates the area).
NODE_AREA = r"ganglions?|cha[îi]nes?[ \t]+ganglionnaires?|aires?[ \t]+ganglionnaires?|territoires?[ \t]+ganglionnaires?"

# After a label's colon, up to two short descriptions may come before the verdict ("Vessie :
# paroi fine, RAS", "Ovaire droit : 3,2 cm, folliculaire, RAS"); a lesion word among them
# and the colon are checked by the caller (groups ``descriptions`` and ``verdict``).
_DESCRIPTIONS = r"(?P<descriptions>(?:[^\W\d][^.;:,()\n|]{0,40}?,[ \t]*){1,2})"
# How much of the organ was seen, between it and its verdict: "Pancréas vu en totalité :
# RAS", "Pancréas partiellement vu, RAS" (dictated reports).
_SEEN = (
    r"(?:(?:partiellement|mal|bien|incompl[èe]tement)[ \t]+)?vue?s?"
    r"(?:[ \t]+(?:en totalit[ée]|partiellement|dans (?:sa|son|leur) totalit[ée]))?[ \t]*"
)
ORGAN_NORMAL = (
    # the side may be a capital "D" / "G" ("Ovaire D : RAS")
    r"[ \t]*(?:\(?(?:droite?s?|gauches?|bilat[ée]ra\w*|(?-i:[DG]))\)?[ \t]*)?"
    rf"(?:{_SEEN})?(?:[:,|][ \t]*)?"
    rf"(?:(?:de[ \t]+)?{_MEASURE}[ \t]*,[ \t]*)?{_DESCRIPTIONS}?(?:(?:est|sont|apparaît|apparaissent)[ \t]+)?"
    rf"(?P<verdict>{ORGAN_VERDICT})"
    r"(?:[ \t]+(?:notables?|d[ée]cel[ée]?e?s?|d[ée]celables?|visibles?|d[ée]tectables?|significatives?|focales?|suspectes?))?"
    # both sides at once: "Secteurs latéraux II, III et IV libres des deux côtés"
    r"(?:[ \t]+(?:des deux c[ôo]t[ée]s|de fa[çc]on bilat[ée]rale|bilat[ée]ralement))?"
    rf"(?![\w])(?:[ \t]*(?:\([^()\n]{{0,40}}\)|,[ \t]*{_MEASURE}))?[ \t.|]*$"
)

# A clause that restates a lesion already described, seen on another sequence or
# modality: "L'opacité correspond à une masse hypoéchogène...", "En échographie, elle
# correspond à un kyste de 8 mm". It adds no finding.
RESTATEMENT = (
    r"[ \t]*(?:(?:en|à l'|sur l'|sur les?|au) [\w'-]+(?: [\w'-]+)?[ \t]*,[ \t]*)?"
    # the exam that restates it as a label: "Échographie complémentaire : la petite opacité
    # gauche correspond à un ganglion intramammaire", "Échographie : les opacités correspondent"
    r"(?:(?:[ée]chographie|[ée]cho|IRM|tomosynth[èe]se|agrandissements?)(?: [\w'-]+)?[ \t]*:[ \t]*)?"
    r"(?:elles?|ils?|celle-ci|celui-ci|ces derni\w+|l[ea] l[ée]sion|l'(?:opacit[ée]|image|anomalie|asym[ée]trie|masse|l[ée]sion)|"
    r"les (?:opacit[ée]s|images|anomalies|masses|l[ée]sions)|cette (?:\w+)|"
    r"(?:la|les)[ \t]+(?:petites?|grosses?|m[êe]mes?)[ \t]+(?:opacit[ée]s?|images?|masses?|asym[ée]tries?)"
    r"(?:[ \t]+(?:droites?|gauches?|mammographiques?))?)"
    r"[ \t]+(?:correspond(?:ent)?|se tradui\w+|est retrouv\w+|sont retrouv\w+)\b"
    # "Aspect typique d'hémangiome.": the nature of the lesion just described
    r"|[ \t]*aspects?(?: (?:typiques?|[ée]vocateurs?|compatibles?|caract[ée]ristiques?|banals?))? (?:d'|de |du |des )"
)

# How far into a clause naming no lesion its hedge may start and still hedge the lesions
# of the clause before ("Aspect évocateur d'un carcinome.", "Cet aspect est évocateur
# d'une localisation secondaire.", "; à confronter à un scanner."): further in, the hedge
# is about something else ("Examen à compléter par une IRM, à confronter ...").
HEDGE_OPENING_CHARS = 24

# The organ a "_part" site ("Lobe droit :") belongs to: the first of these named in the
# report (its title included), tried in this order.
PART_OWNERS: list[tuple[str, str]] = [
    # a cervical ultrasound may name the thyroid only by its scores, cytology or isthmus
    ("thyroid", r"thyro[ïi]d|TI-?RADS|bethesda|isthme"), ("prostate", r"prostat"), ("liver", r"h[ée]pat|\bfoie\b"),
    ("lung", r"pulmon|poumon|thorac"), ("kidney", r"\br[ée]na|\breins?\b"),
    # last: a head CT's parenchyma ("SCANNER CÉRÉBRAL ... Pas d'hématome intraparenchymateux")
    ("brain", r"c[ée]r[ée]br|enc[ée]phal|\bcr[âa]n"),
]

# Words after which the sites named detail the lesion just named, not new ones: "Pas
# d'adénopathie cervicale suspecte, notamment dans les secteurs III, IV et VI".
DETAIL_OF = r"notamment|en particulier|y compris|dont (?:une?|deux|trois)? ?(?:dans|au|en)"

# Words before a site the lesion reaches from the organ it was named at: the same lesion,
# not a second one ("épaississement ... de l'oesophage, étendu au cardia", "masse ...
# s'étendant à la graisse", "avec extension au cardia").
EXTENSION_TO = (
    r"[ée]tendue?s? (?:à|au|aux|jusqu'(?:à|au|aux)|vers)|s'[ée]tendant (?:à|au|aux|jusqu'(?:à|au|aux)|vers)|"
    r"(?:avec )?(?:une )?extension (?:à|au|aux|vers)|d[ée]bordant (?:sur|vers)|"
    rf"{LANDMARK_VERBS}"
)

# Words of a clinical context, not of findings: the sentence after an untitled exam
# title that reads as the reason for the exam ("Chute, douleur du poignet.", "Recherche
# d'EP chez une patiente enceinte", "Patient de 72 ans, ATCD de ...").
CLINICAL_CONTEXT = (
    r"(?<![\w])(?:\d+[ \t]*ans|chutes?|douleurs?|dlr|traumatismes?|AVP|bilan|suivi|surveillance|"
    r"contr[ôo]le|recherche|suspicion|indication|ATCD|ant[ée]c[ée]dents?|patiente?|claudication|"
    r"fi[èe]vre|dyspn[ée]e|(?:suspect|douteu|possib|[ée]limin)\w*)(?![\w])|\?"
)

# Lesion words that do not place a lesion in the exam's organ when the clause names no
# site: properties ("Pas de prise de contraste") and lymph nodes ("Pas d'adénopathie").
NOT_IN_EXAM_ORGAN = (
    r"prises? de contraste|rehaussements?|(?:hyper)?fixations?|fixant\w*|captations?|"
    r"hyperm[ée]taboli\w*|ad[ée]nopathies?|ad[ée]nom[ée]galies?|ADP|ganglion\w*|anomalies?|"
    r"particularit[ée]s?|images?|[ée]panchements?|saignements?|h[ée]morragi\w*"
)

# Lesion words that, negated, describe a normal organ rather than negate a finding:
# "Pas de dilatation des voies biliaires", "Pas d'effet de masse".
NEGATED_DESCRIPTION = r"dilatations?|dilat[ée]e?s?"

# Lesions of a vessel that run along it: the segments named after the vessel are one
# lesion ("thrombose veineuse fémorale commune, fémorale et poplitée gauche"), and the
# bone or lymph-node adjectives among them name the vessel ("fémorale", "iliaque").
VASCULAR_LESIONS = r"thromboses?|thrombus|TVP|occlusions?|st[ée]noses?|dissections?|thrombos[ée]e?s?"
# Lesion words that a vessel exam (a venous Doppler, an aortic CT angiography) gives its
# vessel when they name none: "Pas de dissection", "thrombus partiel" (not "kyste poplité",
# "Pas de collection au site de la chambre").
VESSEL_EXAM_LESIONS = (
    rf"{VASCULAR_LESIONS}|thrombi|an[ée]vr[iy]smes?|plaques?|ectasies?|h[ée]matomes? de (?:la )?paroi|"
    r"ulc[èe]res? p[ée]n[ée]trants?|emboles?|embolies?"
)
VESSEL_NAMESAKES = ("vessel", "femur", "humerus", "bone", "ln_iliac", "ln_axillary", "ln_inguinal", "brain")

# Read before a site, these make it no site of a lesion (checked on the sites found, not
# scanned at every word): a landmark a lesion is measured from ("à 3 cm de la jonction
# pyélo-urétérale", "à 2 cm du mamelon"); before "pariétal", a wall's words (an
# "épaississement pariétal" is a wall's, not the parietal lobe's).
LANDMARK_BEFORE = r"(?<![\w])à \d+(?:,\d+)? ?(?:cm|mm) (?:de la |du |de l'|des |d')$"
# A vertebral level a lesion of another organ is placed against: "calcul de l'uretère
# lombaire gauche, en regard de L4", "à hauteur de L3" (a landmark after a first site).
LEVEL_LANDMARK_BEFORE = r"(?<![\w])(?:en regard (?:de |du |des |d')|à (?:la )?hauteur (?:de |du |des |d'))(?:la |l')?$"
WALL_BEFORE = (
    r"(?:[ée]paississements?|tissulaire|contraste|rehaussements?|nodules?|v[ée]g[ée]tations?|"
    r"calcifications?|pneumatoses?|collections?) $"
)

# An effusion that names no organ but a region of the abdomen or the pelvis is in the
# peritoneal cavity (the guide: ascites is ``peritoneum``): "lame liquidienne en FID",
# "épanchement liquidien de la fosse iliaque gauche", "petit épanchement pelvien",
# "épanchement du flanc droit". A bare "épanchement" names no site (the guide's rulings).
EFFUSION_WORDS = r"[ée]panchements?|lames? liquidiennes?"
PERITONEAL_REGIONS = (
    r"(?<![\w-])(?-i:FI[DG])(?![\w-])|fosses? iliaques?|flancs?|hypochondres?|"
    r"pelvi(?:en|enne|ens|ennes)(?![\w-])|pelvis(?![\w-])"
)

# Lesion words that name a bone lesion when no site is named: "Pas de fracture",
# "Fracture non déplacée", "Pas d'érosion" (an erosion or an osteitis is of a bone).
BONE_LESIONS = r"fractures?|luxations?|tassements?|fissures? osseuses?|trait de fracture|[ée]rosions?|ost[ée]ites?"

# A lesion named with a definite or demonstrative article at the head of a clause
# ("La lésion du segment VII est au contact de ...", "Ce nodule reste stable") is one
# already described when a finding at its site comes before it.
ANAPHORA = (
    r"[\s\-–•*·]*(?:la|le|les|l'|cette|ce|cet|ces)[ \t]*(?:m[êe]mes?[ \t]+)?"
    r"(?:l[ée]sions?|nodules?|masses?|ad[ée]nopathies?|ganglions?|kystes?|foyers?|opacit[ée]s?|m[ée]tastases?)\b"
)

# A classification alone restates the lesion just described: "Classé ACR 3.", "BI-RADS 4C".
CLASSIFICATION = r"(?:ACR|BI-?RADS|PI-?RADS|TI-?RADS|EU-?TIRADS|LI-?RADS|O-?RADS)[ \t]*[0-6]?[abc]?"

# "Tumeur cervicale" is the uterine cervix's in a report that names the cervix
# ("carcinome du col utérin", "FIGO IIB"), a neck mass otherwise: the tumour words, the
# cervix words and the lymph-node words that keep a cervical node.
CERVICAL_TUMOUR = (
    r"\b(?:tumeurs?|masses?|l[ée]sions?|n[ée]oplasies?|processus|carcinomes?|cancers?)"
    r"(?:[ \t]+[\w-]+)?[ \t]+cervica(?:le?s?|ux)\b"
)
UTERINE_CERVIX = r"\bcol[ \t]+(?:ut[ée]rin|de[ \t]+l'ut[ée]rus)|\bcervix\b|\bFIGO\b"
NODE_WORDS = r"\bgangli|\bad[ée]nopathie|\bADP\b|\bad[ée]nom[ée]galie"

# A lesion word named again, not a new lesion: after a demonstrative ("Cette lésion vient
# au contact de la capsule") or as the definite complement of a relation ("La paroi
# vésicale est séparée de la tumeur", "Le méat urétéral est proche de la lésion").
# Matched right before the lesion word (the end of the searched range).
LESION_NAMED_AGAIN = (
    r"(?:\b(?:de|à|avec|par|sur|contre|vers|dans)[ \t]+(?:la|le|les)[ \t]+|\b(?:de|à|avec|par|sur|contre|vers|dans)[ \t]+l'|"
    r"\b(?:cette|ces|cet|ce)[ \t]+(?:(?:même|derni[èe]re?|seconde?|deuxi[èe]me|premi[èe]re?)[ \t]+)?)$"
)

# Sites an exam cannot show, so that a word read as one of them there names something
# else: "thrombus résiduel pariétal" (a vessel's wall, not the parietal lobe) in a venous
# Doppler, "hyposignal T2 lenticulaire" (lens-shaped, not the lentiform nucleus) in a
# prostate MR, "échographie cervicale" (the neck, not the cervical spine). By modality
# (an adult's ultrasound sees neither the brain nor the spine behind bone) and by the
# organ of a single-organ exam (:data:`EXAM_ORGANS`). Such a finding takes the exam's
# organ when it names one the exam shows, else no site.
UNSEEN_BY_MODALITY: dict[str, frozenset[str]] = {"US": frozenset({"brain", "spine"})}
UNSEEN_BY_EXAM_ORGAN: dict[str, frozenset[str]] = {
    organ: frozenset({"brain"}) for organ in ("prostate", "thyroid", "breast", "liver", "heart", "aorta")
}
# The organ an exam named after a region shows, by modality: an "échographie cervicale"
# images the neck, whose organ is the thyroid (a CT or MR of the neck shows too many).
EXAM_ORGAN_BY_MODALITY: dict[tuple[str, str], str] = {("US", "_neck"): "thyroid"}
