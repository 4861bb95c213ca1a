"""Data of the free-text de-identifier: word lists and regex pieces, no logic.

Each list says where it comes from. Everything here is a plain string, a tuple or a
frozenset; :mod:`radlink.privacy.deidentify` compiles the regexes once, at import.

Every regex piece is written to run in linear time on any input: quantifiers are
bounded (``{1,30}``), alternatives of one group never overlap with what follows, and
each pattern that starts inside a run of letters or digits is anchored with a
look-behind, so that a run of 100,000 digits or letters is tried once, not once per
character.
"""

from __future__ import annotations

# --- Letters -----------------------------------------------------------------------------
# French letters, upper and lower case (Latin-1 + œ/æ/ÿ): names carry accents.
# (and the other Latin letters of names written in France: Breton ñ, Spanish and
# Portuguese á í ó ú ã õ, Nordic ø å)
UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒÁÍÓÚÑÃÕØÅ"
LOWER = "a-zàâäçéèêëîïôöùûüÿæœßáíóúñãõøå"
LETTER = UPPER + LOWER

# --- Months and weekdays -------------------------------------------------------------------
# French calendar words; abbreviations as written in reports and by hospital software.
MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1,
    "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "fev": 2,
    "mars": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juil": 7,
    "août": 8, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
}  # fmt: skip
MONTH_NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
               "septembre", "octobre", "novembre", "décembre")
MONTH_NAMES_PLAIN = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                     "septembre", "octobre", "novembre", "decembre")
MONTH_ABBREVIATIONS = ("janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept",
                       "oct", "nov", "déc")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# Words before a day/month written without its year ("le 3/3", "du 12/05"): without one
# of them "3/4" is a fraction or a ratio and stays.
DAY_MONTH_CONTEXT = ("le", "du", "au", "depuis le", "à partir du", "a partir du", "en date du",
                     "dès le", "des le", "jusqu'au", "jusqu’au", "et le", "ce", "fait le",
                     "réalisé le", "realise le", "vu le", "vue le")

# --- Titles and contexts that announce a person's name ------------------------------------
# French honorifics and professional titles (Académie française usage, AP-HP report
# headers); "M." only with its dot. Longest first inside the alternation.
TITLES = (
    "Monsieur", "Madame", "Mademoiselle", "Mme", "Mmes", "Mlle", "Mr", "Mrs", "M.", "MM.",
    "Docteur", "Docteurs", "Dr", "Dr.", "Drs", "Dre", "Professeur", "Pr", "Pr.", "Prof.", "Pre",
    "Interne", "interne", "Externe", "externe", "Infirmier", "Infirmière", "IDE",
    "Manipulateur", "Manipulatrice", "MERM", "Chef de clinique", "CCA", "Assistant",
    "Assistante", "Radiologue", "radiologue", "Médecin", "médecin", "Sage-femme",
    # birth and usage names: "née LE GALL", "épouse Floc'h"
    "née", "épouse", "ép.", "veuve", "Vve", "dite",
)
# Words that, after a title, mean no name follows ("Monsieur le Docteur X": skip them).
TITLE_LINKS = ("le", "la", "les", "Le", "La", "Les", "et", "ou", "&")
# Context phrases after which a person's name (not introduced by a title) is written.
NAME_CONTEXTS = (
    "Copie à", "Copie a", "Copies à", "Cc", "CC", "Destinataire", "Destinataires",
    "Signé par", "Signe par", "Signé", "Signature", "Validé par", "Valide par",
    "Validé électroniquement par", "Dicté par", "Dictée par", "Interprété par",
    "Interprétation par", "Rédigé par", "Redige par", "Relu par", "Tapé par", "Frappé par",
    "Réalisé par", "Adressé par", "Adressée par", "Demandé par", "Prescrit par",
    "Prescripteur", "Médecin prescripteur", "Médecin demandeur", "Médecin traitant",
    "Médecin référent", "Correspondant", "Opérateur", "Manipulateur", "Radiologue",
    "Nom", "NOM", "Prénom", "PRENOM", "PRÉNOM", "Nom de naissance", "Nom d'usage",
    "Nom de jeune fille", "Nom marital", "Patient", "Patiente", "PATIENT", "PATIENTE",
    "Identité", "Mr/Mme", "Né", "Née",
    "Lu par", "Examen lu par", "Lu et validé par", "Avis du", "Avis de", "Vu avec", "Vu par",
    "Interprété par", "Contrôlé par", "Personne de confiance", "Personne à prévenir",
)
# Relatives and companions: a name often follows ("sa fille, Mme Pons", "son époux Paul
# Pons", "en présence de Anne Roux"). Weak contexts: the name must look like one.
RELATIVE_CONTEXTS = (
    "sa mère", "son père", "sa fille", "son fils", "son époux", "son épouse", "son mari",
    "sa femme", "sa sœur", "sa soeur", "son frère", "son conjoint", "sa conjointe",
    "son compagnon", "sa compagne", "sa tante", "son oncle", "sa nièce", "son neveu",
    "sa petite-fille", "son petit-fils", "sa belle-fille", "son beau-fils", "son tuteur",
    "sa tutrice", "sa curatrice", "son curateur", "en présence de", "en présence du",
    "accompagné de", "accompagnée de", "accompagné par", "accompagnée par",
)

# --- Ids --------------------------------------------------------------------------------
# Labels of patient, stay and exam numbers in French hospital software (IPP: identifiant
# permanent du patient; NDA: numéro de dossier administratif; NIP; N° d'accession RIS).
ID_LABELS = (
    "IPP", "NIP", "NDA", "NDS", "N° patient", "N° de patient", "Numéro de patient",
    "N° dossier", "N° de dossier", "Numéro de dossier", "Dossier", "N° d'examen",
    "N° examen", "Numéro d'examen", "N° accession", "N° d'accession", "Accession",
    "Accession number", "N° de séjour", "N° séjour", "Séjour", "N° demande", "N° de demande",
    "ID patient", "Patient ID", "PatientID", "ID", "Id", "Réf", "Ref", "Référence",
    "N° venue", "Venue", "N°", "No", "Nº", "n°", "Numéro", "numéro", "INS",
    "Identifiant", "Identifiant patient", "Identifiant du patient", "N° IPP", "Numéro IPP",
    "Num IPP", "Num. IPP", "IPP du patient", "IPP patient", "N° d'identification",
    "Code patient", "Matricule", "MRN", "IEP", "N° de venue", "Réf. patient", "Ref. patient",
    "No patient", "No. patient", "N° du patient", "N° de dossier patient", "N° dossier patient",
    "Dossier patient", "N° d'hospitalisation", "N° hospitalisation", "NUM", "Num",
)
# A number followed by one of these is a measure, not an id ("150000 /mm3").
UNITS = (
    "mm", "cm", "m", "ml", "mL", "l", "L", "g", "mg", "kg", "µg", "ug", "ng", "Bq", "kBq",
    "MBq", "GBq", "mCi", "Gy", "cGy", "mGy", "Sv", "mSv", "UI", "U", "HU", "UH", "/mm3",
    "/mm³", "/L", "/l", "cp", "pg", "kV", "mA", "mAs", "s", "min", "h", "%", "€",
)

# --- Addresses ----------------------------------------------------------------------------
# French street types (La Poste, norme AFNOR NF Z 10-011, "type de voie" list) as
# written, with common abbreviations.
STREET_TYPES = (
    "rue", "avenue", "av", "av.", "ave", "boulevard", "bd", "bld", "bvd", "place", "pl", "chemin",
    "ch", "allée", "allee", "allées", "impasse", "imp", "route", "rte", "quai", "cours",
    "square", "résidence", "residence", "rés", "lotissement", "lot", "lieu-dit", "lieudit",
    "hameau", "cité", "cite", "voie", "passage", "faubourg", "fg", "sentier", "rond-point",
    "esplanade", "parvis", "promenade", "villa", "domaine", "clos", "montée", "traverse",
    "ruelle", "venelle", "mail", "cour", "parc", "zone", "za", "zi", "zac",
)
# Street types that are safe without a house number before them (others, such as
# "place", "cours", "voie", are common words in reports).
STREET_TYPES_ALONE = ("rue", "avenue", "boulevard", "impasse", "allée", "allee", "bd",
                      "chemin", "quai", "lotissement", "lieu-dit", "faubourg")
# What may come before the street line of an address, each with a name or a letter:
# "Résidence Les Pins, bât. B, appt 12, 3 rue ..." (La Poste, norme AFNOR NF Z 10-011,
# lines 2 and 3: "complément d'identification" and "complément de localisation").
ADDRESS_COMPLEMENTS = (
    "Résidence", "résidence", "Résid.", "Rés.", "Bâtiment", "bâtiment", "Bât.", "bât.", "Bat.", "bat.",
    "Bât", "bât", "Appartement", "appartement", "Appt", "appt", "Apt", "Escalier", "escalier", "Esc.",
    "esc.", "Étage", "étage", "Porte", "porte", "Entrée", "entrée", "Immeuble", "immeuble", "Imm.",
    "Tour", "Lieu-dit", "lieu-dit", "Lieudit", "Chez", "chez", "Hameau", "hameau", "Domaine",
    "Lotissement", "lotissement", "Cité", "cité", "Villa", "ZA", "ZI", "ZAC",
)
# Postal box forms (La Poste: boîte postale, course spéciale, tri service arrivée).
POSTAL_BOXES = ("BP", "B.P.", "CS", "TSA", "Boîte postale", "Boite postale")

# --- Medical words that look like names and stay -----------------------------------------
# Eponyms, classifications and scores read in imaging reports. Sources: Lugano 2014
# and Deauville criteria (lymphoma PET), RECIST 1.1 / PERCIST, ACR *-RADS lexicons,
# UICC TNM 8th edition, Fleischner Society guidelines, the French radiology teaching
# glossary of eponyms (anatomy: Couinaud, Douglas, Morison, Wirsung...), and scores in
# common oncology use. Compared without accents and case.
MEDICAL_EPONYMS = frozenset("""
hodgkin hodgkinien hodgkinienne hodgkiniens hodgkiniennes deauville gleason hounsfield
bosniak couinaud breslow barety virchow troisier douglas morison wirsung fleischner lugano
ann arbor recist percist irecist birads bi-rads pirads pi-rads tirads ti-rads lirads li-rads
orads o-rads lung-rads lungrads krenning clark fuhrman isup masaoka waldeyer rouviere
glisson spiegel treitz oddi vater santorini bertin gerota morgagni bochdalek schmorl modic
paget pancoast brodie ewing kaposi burkitt waldenstrom castleman crohn cushing conn addison
basedow graves hashimoto sjogren wegener horton takayasu whipple nissen hartmann miles
warthin wilms hurthle krukenberg zenker barrett bouveret mirizzi caroli budd chiari arnold
dandy walker monro sylvius willis galien rolando broca wernicke meckel hirschsprung sudeck
kienbock osgood schlatter baker hoffa bankart hill sachs segond lisfranc chopart pott colles
monteggia galeazzi salter harris garden neer schatzker weber frykman bennett morton
dupuytren tietze mondor poland lewy alzheimer parkinson huntington creutzfeldt jakob
guillain barre charcot ecog karnofsky child pugh meld glasgow lansky ipi flipi sokal binet
rai durie salmon elston ellis nottingham sbr scarff bloom richardson lauren siewert
borrmann bismuth strasberg balthazar atlanta fazekas spetzler fisher hunt hess tanner
risser cobb ficat arlet kellgren lawrence outerbridge ahlback meyerding pfirrmann denis
magerl genant agatston nuss haller wells geneve geneva miami rotterdam brock herder mayo
milan barcelona bclc okuda clip tnm suv suvmax suvmean suvpeak mtv tlg uicc ajcc who oms
cim cim-10 icd ccam loinc dicom pacs ris hprim hl7 rcp ccm vidal
""".split())
# Drug, contrast agent and tracer names (French trade names from the ANSM/Vidal lists
# of contrast agents and radiopharmaceuticals, and common oncology drugs).
MEDICAL_PRODUCTS = frozenset("""
fdg psma dotatoc dotatate dotanoc lutathera pluvicto xofigo gallium fluciclovine axumin
choline fluorocholine fluorodopa dopa fes naf mibg hmdp mdp sestamibi tetrofosmine
technetium technétium iode iomeron iopamiron omnipaque ultravist visipaque xenetix dotarem
gadovist prohance multihance primovist clariscan sonovue lipiodol gastrografine telebrix
optiray elucirem vueway keytruda opdivo tecentriq imfinzi herceptin avastin xeloda taxol
taxotere navelbine gemzar alimta tarceva iressa tagrisso zometa xgeva prolia lovenox
innohep kardegic plavix xarelto eliquis previscan coumadine metformine glucophage lasilix
solupred cortancyl medrol levothyrox tamoxifene arimidex femara aromasine zoladex
decapeptyl eligard casodex zytiga xtandi erleada nubeqa rituximab mabthera adcetris
revlimid velcade darzalex imbruvica venclyxto glivec sutent nexavar votrient inlyta
cabometyx lenvima stivarga lonsurf erbitux vectibix zaltrap yervoy libtayo bavencio kisqali
ibrance verzenios enhertu trodelvy lynparza zejula rubraca pembrolizumab nivolumab
atezolizumab durvalumab ipilimumab trastuzumab bevacizumab cetuximab octreoscan
""".split())
# Acronyms and section words written in capitals in reports: never a person's name.
REPORT_WORDS = frozenset("""
tep tdm irm ct pet pt mr us cr dx nm tep-tdm tep-ct pet-ct scanner echographie
mammographie scintigraphie radiographie angioscanner arm ecg eeg biopsie cbnpc cbpc adk
rcp ras bilan suivi indication indications technique resultats resultat conclusion
conclusions interpretation synthese protocole motif comparaison examen examens compte
rendu cr antecedents histoire clinique renseignements cliniques service hopital chu chr
ch clinique centre institut unite pole departement medecine nucleaire radiologie imagerie
oncologie hematologie pneumologie cardiologie urologie gynecologie chirurgie neurologie
gastro-enterologie dermatologie orl rhumatologie pediatrie urgences reanimation
consultation hospitalisation hdj hc signe signé valide validé electroniquement
electronique dicte dictee le la les de du des un une et ou en au aux pour par sur sous
avec sans dans a à the mme mr dr pr docteur professeur madame monsieur mademoiselle
interne externe copie cc destinataire patient patiente nom prenom identite ne nee date
age sexe poids taille glycemie injection activite dose duree tel fax mail email adresse
droite droit gauche bilaterale bilateral anterieur posterieur superieur inferieur
median mediane lateral laterale
""".split())

# --- Words that are also names -----------------------------------------------------------
# Given and family names that are common French words or words of reports (anatomy,
# findings). A patient's name part found here is removed only next to another part of
# the same patient's name or after a title, never alone. Hand-made from the INSEE
# first-name file's frequent names and the frequent surnames that are dictionary words.
COMMON_WORD_NAMES = frozenset("""
rose pierre claire marine france blanche olive ange aime aimee desire desiree constance
prudence patience victoire aurore grace fleur melodie oceane jade lune marguerite ambre
capucine hermine violette iris max franck clement noel juste modeste honore felicite
loyal sage leger reine perle etoile colombe sylvestre prosper innocent fidele
petit petite grand grande blanc noir roux brun brune moulin fort forte masse droit
gauche bon bonne marchand boucher berger chevalier roy roi fontaine riviere bois bonnet
boulanger carre long longue large court courte renard lion loup poirier pommier chene
vallee cote rocher temps simple calme clair franc moyen bras main pied coeur tete dos col
cou corps foie rein rate os nez sein seins doigt genou hanche poumon poumons cerveau
lac mer mont port pont val vigne champ champs pre bouche levre ventre tache mur porte
garde marche vert verte rouge gris grise bleu bleue jaune neuf vieux jeune beau belle
page mignon soleil souris
de du des la le les d l van von der den di da dos del della el al ben bin ibn saint sainte
st ste mac mc o
""".split())
# Name particles: kept out of the "two common words" rule.
NAME_PARTICLES = frozenset("de du des la le les d l van von der den di da dos del della el al ben bin ibn".split())

# --- Frequent French given names ----------------------------------------------------------
# A given name from this list followed by a capitalised word (or the other way round,
# "MARTIN Jean") is a person's name even without a title. Source: INSEE, fichier des
# prénoms (most frequent names given in France 1930-2000), accents removed.
GIVEN_NAMES = frozenset("""
jean pierre michel andre philippe alain bernard jacques daniel christian patrick claude
rene louis gerard marcel francois nicolas christophe stephane david frederic laurent
eric olivier thierry pascal dominique sebastien julien didier guy paul henri robert
roger georges joseph maurice raymond lucien marc yves serge jean-pierre jean-claude
jean-louis jean-paul jean-marc jean-luc jean-francois jean-michel jean-jacques
jean-marie gilles denis herve vincent bruno francis jerome alexandre guillaume thomas
antoine maxime romain mathieu matthieu cedric fabrice franck ludovic emmanuel arnaud
benoit damien gregory jeremy anthony kevin florian yann xavier hugo lucas leo louis
gabriel arthur raphael jules adam ethan nathan enzo mohamed ahmed ali karim rachid
marie jeanne francoise monique catherine nathalie isabelle jacqueline anne sylvie
martine nicole suzanne christine helene christiane valerie sandrine veronique sophie
celine chantal stephanie brigitte madeleine simone denise josiane annie genevieve
yvette paulette odette colette ginette micheline danielle sandra aurelie emilie julie
laetitia caroline virginie audrey elodie melanie laura sarah camille manon emma lea
chloe ines louise alice lina jade zoe anna lucie juliette margaux pauline mathilde
charlotte clara elise agnes beatrice corinne evelyne florence fabienne laurence
mireille muriel nadine pascale patricia karine severine delphine myriam fatima khadija
aicha yasmina samia nadia leila annick josette huguette lucienne germaine yvonne
therese odile bernadette marguerite renee marcelle andree raymonde georgette
""".split())
# More given names, of every generation and of the names frequent in France's
# immigrant communities (INSEE, fichier des prénoms 1940-2020, frequent entries),
# accents removed. Together with GIVEN_NAMES.
GIVEN_NAMES_MORE = frozenset("""
jean-baptiste jean-christophe jean-philippe jean-yves jean-noel jean-charles jean-guy
jean-daniel jean-eric jean-sebastien jean-remi marc-antoine pierre-yves pierre-alexandre
paul-henri louis-marie anne-marie anne-sophie marie-christine marie-claude marie-france
marie-helene marie-pierre marie-therese marie-laure marie-noelle marie-paule marie-jose
marie-odile marie-line marie-anne marie-agnes marie-claire marie-josee marie-madeleine
adrien aurelien baptiste bastien benjamin cyril cyrille dimitri edouard etienne fabien
gael gaetan gauthier geoffrey gilbert gregoire hadrien hubert jacky jeremie joel jonathan
jordan josselin killian kylian lionel loic lucien martial mathis maxence mickael morgan
nicolas noel norbert octave pascal quentin remi remy rene robin rodolphe sacha samuel
simon stephan sylvain tanguy teddy theo thibault thibaut tristan valentin victor william
yannick yoann yohann youssef yves zacharie albert alfred auguste armand charles edmond
emile ernest eugene fernand firmin gaston germain gustave jules leon leonce lucien
marius maurice max paulin prosper raoul theophile achille aime alphonse antonin camille
clovis felix gabin hector honore isidore jeannot leandre leopold lucas mael marceau nino
noa noah oscar raphael sacha timothee tom ulysse valentin victor yanis ilyes rayan amine
bilal hamza ibrahim ismael mehdi nabil omar samir sofiane walid yassine younes zakaria
abdel abdelkader abdallah ahmed hassan hicham hocine kader lahcen malik mustapha nordine
said slimane djamel farid kamel karim lakhdar mourad nacer rachid redouane tarik
adele adeline agathe albane alexandra alexia aline amandine amelie anais angele angelique
annabelle annie apolline ariane armelle arnaude astrid aude audrey aurore axelle barbara
berangere bernadette blandine capucine carine carole cassandre cecile chantal charlene
christelle claudine clemence clotilde coline coralie cyrielle daphne deborah diane
dorothee edith eleonore elisabeth elise eloise elsa emeline emma emmanuelle estelle eva
eve fanny faustine flavie francine gaelle geraldine ghislaine gisele gwenaelle helena
hortense ingrid irene isaure jeannine jessica johanna joelle josephine judith julia
justine katia laetitia lila lilou lise lorene lou louane lucile ludivine lydie maelle
maeva magali maite marianne marina marion marjorie marlene maryse maud mauricette maya
melissa mélodie michele mylene nadege naomie noemie oceane ophelie paola pascaline
perrine priscilla rachel raphaelle regine romane roselyne sabine salome samantha
segolene serena sidonie solene solange stella suzy sylviane tatiana thea valentine
vanessa victoria viviane yasmine yolande zoe amina assia fatiha farida hafida houria
jamila karima khadidja latifa malika meriem nabila naima nora rachida rahma sabrina
safia salima samira sonia souad yamina zohra zineb aicha fatoumata aminata mariam
""".split())

# --- Frequent French family names -----------------------------------------------------------
# The most frequent surnames of people born in France (INSEE état civil, 1891-1990, the
# first few hundred by number of births), accents removed. A word from this list next to
# a given name or in capitals after a context is a person's name; the ones that are also
# common words (Petit, Blanc, Roux...) are set aside by COMMON_WORD_NAMES.
FAMILY_NAMES = frozenset("""
martin bernard thomas petit robert richard durand dubois moreau laurent simon michel
lefebvre leroy roux david bertrand morel fournier girard bonnet dupont lambert fontaine
rousseau vincent muller lefevre faure andre mercier blanc guerin boyer garnier chevalier
francois legrand gauthier garcia perrin robin clement morin nicolas henry roussel
mathieu gautier masson marchand duval denis dumont marie lemaire noel meyer dufour
meunier brun blanchard giraud joly riviere lucas brunet gaillard barbier arnaud martinez
gerard roche renard schmitt roy leroux colin vidal caron picard roger fabre aubert
lemoine renaud dumas lacroix olivier philippe bourgeois pierre benoit rey leclerc payet
rolland leclercq guillaume lecomte lopez jean dupuy guillot hubert berger carpentier
sanchez dupuis moulin louis deschamps huet vasseur perez boucher fleury royer klein
jacquet adam paris poirier marty aubry guyot carre charles renault charpentier menard
maillard baron bertin bailly herve schneider fernandez le-gall collet leger bouvier
julien prevost millet perrot daniel le-roux cousin germain breton besson langlois remy
le-goff pelletier leveque perrier leblanc barre lebrun marchal weber mallet hamon
boulanger jacob monnier michaud rodriguez guichard gillet etienne grondin poulain
tessier chevallier collin chauvin da-silva bouchet gay lemaitre benard marechal humbert
reynaud antoine hoarau perret barthelemy cordier pichon lejeune gilbert lamy delaunay
pasquier carlier laporte gautier hamel gros lebon navarro riou hebert rossi delmas
ferrand baudry tanguy mary barret besnard delattre lacombe pineau bousquet brunel
lemonnier mathis martel marie-sainte gomez gonzalez dias ferreira pereira fernandes
rodrigues lopes martins alves goncalves nguyen tran le pham kerbrat le-bihan le-floch
le-corre le-guen le-meur morvan guillou riviere cohen levy benali haddad bouzid diallo
traore diop ndiaye kone toure camara cisse sylla sow ba fofana keita coulibaly benoit
leblond lemaitre marin raymond bourdon maury masse joubert texier gosselin verdier
lesage poulet bertin bonnin chartier descamps devaux blondel laine bigot bouchard
marion brunier charrier guillon lacoste leconte lejeune leduc neveu page paul pons
prevot provost rault renaudin rigaud rocher rolland sauvage thibault tournier valette
vallee vasseur vial vaillant villard voisin aubin barthe bazin bellanger berthelot
besse billard blin bodin boissier bonneau bouche bouvet bouyer bruneau carre cazenave
chauvet clerc colas courtois dubreuil ducos duhamel dumoulin dupre duret fabre faivre
favre fleury foucher fouquet gaudin genin gervais gibert girault godard grenier guerin
guillemin hardy hoarau imbert jacques jourdan labbe lafon lagarde lamotte landry lebreton
leclere lefort legendre lemaire lenoir leprince lucas maillot mangin marchal martineau
mathieu merle meyer millet moreau navarro ollivier pages paris parent payen perrier
picard pierre pinto poulain rey riou rolland roussel rousset roy sabatier sanchez
schmitt simon teixeira thierry tessier turpin vallet vidal weiss
""".split())
