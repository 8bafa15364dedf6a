"""The vocabularies entity matching reads, each defined once: personal mail providers, legal forms,
abbreviations, person titles, and the common words whose one-letter variants are other words.

Keys are lower-case, accent-free, as ``companies.company_tokens`` and ``people.person_key`` produce them.
"""

from __future__ import annotations

# Mail providers whose domain says nothing about the company: never make or identify a company from these.
# Exact registrable domains...
PERSONAL_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.es", "yahoo.it",
        "yahoo.ca", "yahoo.com.au", "yahoo.co.jp", "yahoo.co.in", "ymail.com", "rocketmail.com", "outlook.com",
        "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.it", "hotmail.es", "live.com",
        "live.co.uk", "live.fr", "msn.com", "passport.com", "icloud.com", "me.com", "mac.com", "aol.com", "aim.com",
        "protonmail.com", "protonmail.ch", "proton.me", "pm.me", "gmx.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch",
        "web.de", "t-online.de", "freenet.de", "mail.com", "email.com", "zoho.com", "zohomail.com", "yandex.com",
        "yandex.ru", "ya.ru", "mail.ru", "inbox.ru", "list.ru", "bk.ru", "rambler.ru", "fastmail.com", "fastmail.fm",
        "tutanota.com", "tuta.io", "hey.com", "qq.com", "163.com", "126.com", "sina.com", "sohu.com", "naver.com",
        "daum.net", "hanmail.net", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "libero.it",
        "virgilio.it", "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net",
        "charter.net", "earthlink.net", "btinternet.com", "sky.com", "virginmedia.com", "blueyonder.co.uk",
        "ntlworld.com", "talktalk.net", "shaw.ca", "rogers.com", "sympatico.ca", "bigpond.com", "optusnet.com.au",
        "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "onet.pl", "rediffmail.com", "uol.com.br", "bol.com.br",
        "terra.com.br", "hushmail.com", "lycos.com", "excite.com", "inbox.com", "mailinator.com",
    }
)  # fmt: skip
# ...and providers recognised by their name under any country's suffix (hotmail.com.br, yahoo.co.nz, gmx.fr)
PERSONAL_EMAIL_BRANDS = frozenset(
    {"gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "aol", "icloud", "gmx", "yandex", "protonmail",
     "fastmail", "tutanota", "hushmail", "rediffmail", "mailinator"}
)  # fmt: skip

# Legal forms and the words that only say what kind of entity a company is: dropped from the END of a name
# (after abbreviations are expanded and plurals folded, so "Co.", "Company", "Cos" all arrive as "company").
LEGAL_FORMS = frozenset(
    {
        "incorporated", "corporation", "company", "limited", "llc", "llp", "lllp", "lp", "plc", "gmbh", "mbh", "ag",
        "kg", "kgaa", "ug", "ohg", "ev", "sa", "sas", "sasu", "sarl", "eurl", "snc", "bv", "nv", "vof", "oy", "oyj",
        "ab", "as", "asa", "aps", "spa", "srl", "sl", "sau", "slu", "pty", "pte", "pvt", "kk", "se", "sp", "zoo",
        "sro", "kft", "zrt", "doo", "ltda", "cv", "sab", "de", "group", "holding", "pc", "pllc", "dba",
    }
)  # fmt: skip
# "de" and "cv" only ever as part of "S.A. de C.V."; dropped at the end only, so "Banco de Chile" keeps its "de"

# Abbreviations and spelling variants -> the one form keys use (applied to single tokens, after plural folding)
ABBREVIATIONS = {
    "intl": "international", "internat": "international", "intern": "international", "inc": "incorporated",
    "incorp": "incorporated", "corp": "corporation", "co": "company", "cos": "company", "cie": "company",
    "ltd": "limited", "ltda": "limited", "mfg": "manufacturing", "mfr": "manufacturer", "svc": "service",
    "svcs": "service",
    "serv": "service", "bro": "brother", "assoc": "associate", "assn": "association", "natl": "national",
    "grp": "group", "hldg": "holding", "mgmt": "management", "mgt": "management", "tech": "technology",
    "techn": "technology", "univ": "university", "dept": "department", "ctr": "center", "cntr": "center",
    "centre": "center", "lab": "laboratory", "sys": "system", "eng": "engineering", "engg": "engineering",
    "engr": "engineering", "dist": "distribution", "distrib": "distribution", "mktg": "marketing",
    "comm": "communication", "telecom": "telecommunication", "ins": "insurance", "fin": "financial",
    "finl": "financial", "pharm": "pharmaceutical", "pharma": "pharmaceutical", "chem": "chemical",
    "elec": "electric", "med": "medical", "amer": "america", "ind": "industry", "indus": "industry",
    "invest": "investment", "inv": "investment", "prod": "product", "soln": "solution", "bldg": "building",
    "const": "construction", "constr": "construction", "dev": "development", "devel": "development",
    "env": "environmental", "govt": "government", "hosp": "hospital", "info": "information", "mach": "machine",
    "mkt": "market", "mtg": "mortgage", "ntwk": "network", "organisation": "organization", "sci": "science",
    "transp": "transport", "util": "utility", "whse": "warehouse", "colour": "color", "theatre": "theater",
    "labour": "labor",
}  # fmt: skip

# Leading words a name may carry or not
ARTICLES = frozenset({"the", "la", "le", "les", "el", "los", "las", "il", "der", "die", "das"})

# Tokens that, ending a person's name, are not their last name; and titles before it
PERSON_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "esq", "cpa", "dds", "pe", "rn"})
PERSON_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev",
                           "herr", "frau", "mme", "mlle", "m", "sr", "sra", "srta", "dott"})  # fmt: skip

# Common words (folded: singular) that company names are built of. Two of these that differ by a letter are
# two words, not a typo ("Acme Foods" is not "Acme Goods"); a typo of a word makes a non-word.
COMMON_WORDS = frozenset(
    """
    accounting advisor advisory aerospace agency agricultural agriculture air airline alliance analytic
    apparel applied architect architecture art asset associate audio auto automation automotive aviation
    bakery bank banking bay beach bean bear beauty beer bell best beverage bio biotech black blue board boat
    bond book box brand bread brewing brick bridge bright brook brother build builder building business cable
    cafe camp capital car card care cargo carrier cash cast castle cell center ceramic chain channel chemical
    city clean clear clinic cloud club coal coast code coffee cold color commerce communication community
    computer concept connect construction consult consultant consulting consumer container content control
    core cotton country craft create creative credit crest crop cross crown crystal cure custom cycle dairy
    data deal deep delta dental design development device diagnostic digital direct distribution dock door
    drive drug dynamic earth east eastern eco edge education electric electronic element energy engine
    engineering enterprise entertainment environmental equity estate event exchange express fabric factory
    fair farm fashion field film final finance financial fine fire first fish fitness fleet flight flow
    food force forest forge form fort forward foundation frame freight fresh front fuel fund furniture
    future game garden gas gate gear general gene global gold good grain graphic green grid ground growth
    guard gulf hall harbor hardware health heart heat heritage high hill holding home horizon hospital host
    hotel house hub idea image impact industrial industry info information insight instrument insurance
    integrated interactive international invest investment iron island jet key kitchen lab land lane law
    leaf learning legal life light line link liquid loan local lock logic logistic machine mail main
    management manufacturing marine mark market marketing material media medical metal micro mill mind
    mine mining mobile mobility motor mount mountain nation national natural nature net network new north
    northern ocean office oil one open optic option orange organic outdoor pacific pack pain paint paper
    park part partner path peak people pet pharmaceutical photo pine pipe place plan plant plastic plus
    point polymer port post power precision premier press prime print pro process product production
    project property protein pure quality quest rail rain ranch real realty record red research resource
    retail ridge ring river road robot robotic rock roof root rose royal rubber safe safety sail salt sand
    school science sea security seed sense service shield ship shop sign silver site sky smart soft software
    solar solid solution sound source south southern space spark sport spring square star state steel stone
    storage store strategy stream street studio style summit sun supply support surgical system table talent
    tank team tech technical technology textile theater therapeutic thread tile time tool top tower town
    track trade trading trail train transport travel tree trend trust unit united urban utility valley
    value vector venture vision vista wall ware warehouse water wave way web well west western wheel white
    wind wine wing wire wood work world yard zone mold gold bold cold hold fold
    """.split()
)
