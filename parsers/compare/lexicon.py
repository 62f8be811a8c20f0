"""The number lexicon: the kinds of atom :func:`parsers.compare.numerals.lex` cuts a text
into, and the words of each kind per language (English, Khmer, German, French): number
words, scale words, units, currencies and the markers the quantity patterns look for. A
unit word only counts next to a number, so the Latin-script lexicons share one table."""

from __future__ import annotations

from parsers.khmer import normalize

# Atom kinds.
NUM, NW, UNIT, CUR, LP, RP = "num", "nw", "unit", "cur", "lp", "rp"
AGE, EVERY, YEARLY, ONCE, ORD = "age", "every", "yearly", "once", "ord"
REF = "ref"  # a word that names a provision: the number after it is a reference
DATE = "date"  # a date written with numbers: 12.12.2019, 2019-12-12, 12/12/2019
# Roles of a number in digits: ``ordinal`` (``1.`` before a word: German ``1. Januar``),
# ``dashed`` / ``dash`` (the first / a later part of ``375-2``, ``38-2903``, ``5-10``).
ORDINAL, DASHED, DASH = "ordinal", "dashed", "dash"
INNER = "inner"  # a number word that is a number only after another one (French "et un")
PER, CENT, PERCENTAGE, POINT, OF, OLD, AND, QUAL = (
    "per",
    "cent",
    "percentage",
    "point",
    "of",
    "old",
    "and",
    "qual",
)
TIME_UNITS = frozenset({"day", "week", "month", "year", "hour"})


def _number_words(pairs: str, role: str) -> dict[str, tuple[str, float, str, str]]:
    out = {}
    for item in pairs.split():
        word, value = item.split("=")
        out[word] = (NW, float(value), "", role)
    return out


_REF_WORDS = (
    "article articles art arts section sections sec subsection subsections chapter chapters "
    "paragraph paragraphs para subparagraph clause clauses item items annex annexes schedule "
    "title part parts no"
)
_ENGLISH: dict[str, tuple[str, float, str, str]] = {
    **_number_words(
        "zero=0 one=1 two=2 three=3 four=4 five=5 six=6 seven=7 eight=8 nine=9 ten=10 eleven=11 "
        "twelve=12 thirteen=13 fourteen=14 fifteen=15 sixteen=16 seventeen=17 eighteen=18 "
        "nineteen=19 twenty=20 thirty=30 forty=40 fifty=50 sixty=60 seventy=70 eighty=80 ninety=90",
        "digit",
    ),
    **_number_words(
        "first=1 second=2 third=3 fourth=4 fifth=5 sixth=6 seventh=7 eighth=8 ninth=9 tenth=10 "
        "eleventh=11 twelfth=12 thirteenth=13 fourteenth=14 fifteenth=15 sixteenth=16 "
        "seventeenth=17 eighteenth=18 nineteenth=19 twentieth=20 thirtieth=30 fortieth=40 "
        "fiftieth=50 sixtieth=60 seventieth=70 eightieth=80 ninetieth=90",
        ORDINAL,
    ),
    **_number_words("hundred=100 hundredth=100", "hundred"),
    **_number_words(
        "thousand=1e3 thousandth=1e3 million=1e6 millions=1e6 billion=1e9 billions=1e9 bn=1e9 "
        "trillion=1e12",
        "scale",
    ),
    "percent": (UNIT, 0.0, "%", ""),
    "pct": (UNIT, 0.0, "%", ""),
    "riel": (UNIT, 0.0, "KHR", ""),
    "riels": (UNIT, 0.0, "KHR", ""),
    "khr": (CUR, 0.0, "KHR", ""),
    "usd": (CUR, 0.0, "USD", ""),
    "dollar": (UNIT, 0.0, "USD", ""),
    "dollars": (UNIT, 0.0, "USD", ""),
    "per": (PER, 0.0, "", ""),
    "cent": (CENT, 0.0, "", ""),
    "percentage": (PERCENTAGE, 0.0, "", ""),
    "point": (POINT, 0.0, "", ""),
    "points": (POINT, 0.0, "", ""),
    "age": (AGE, 0.0, "", ""),
    "aged": (AGE, 0.0, "", ""),
    "every": (EVERY, 0.0, "", ""),
    "each": (EVERY, 0.0, "", ""),
    "annually": (YEARLY, 0.0, "", ""),
    "yearly": (YEARLY, 0.0, "", ""),
    "of": (OF, 0.0, "", ""),
    "old": (OLD, 0.0, "", ""),
    "and": (AND, 0.0, "", ""),
    **{
        w: (QUAL, 0.0, "", "")
        for w in ("calendar", "working", "consecutive", "full", "business", "more")
    },
    **{f"{u}{s}": (UNIT, 0.0, u, "") for u in TIME_UNITS for s in ("", "s")},
    **dict.fromkeys(_REF_WORDS.split(), (REF, 0.0, "", "")),
}


def _units(words: str, kind: str = UNIT) -> dict[str, tuple[str, float, str, str]]:
    """``"day=tag,tage month=monat"`` -> each word with its unit."""
    out = {}
    for item in words.split():
        unit, forms = item.split("=")
        for form in forms.split(","):
            out[form] = (kind, 0.0, unit.replace("_", " "), "")
    return out


def _markers(kind: str, words: str) -> dict[str, tuple[str, float, str, str]]:
    return dict.fromkeys(words.split(), (kind, 0.0, "", ""))


# German law text: ``5 Prozent``, ``5 vom Hundert``, ``279 Euro``, ``7,00 EUR``, ``72 Monate``,
# ``sechs Monaten``, ``im Alter von 65 Jahren``, ``§ 5 Absatz 2 Satz 1 Nummer 3``.
_DE: dict[str, tuple[str, float, str, str]] = {
    **_number_words(
        "zwei=2 drei=3 vier=4 fünf=5 sechs=6 sieben=7 acht=8 neun=9 zehn=10 elf=11 zwölf=12 "
        "zwanzig=20 dreißig=30 vierzig=40 fünfzig=50 sechzig=60 siebzig=70 achtzig=80 neunzig=90",
        "digit",
    ),
    **_number_words(
        "tausend=1e3 million=1e6 millionen=1e6 mio=1e6 milliarde=1e9 milliarden=1e9 mrd=1e9",
        "scale",
    ),
    **_units(
        "%=prozent percentage_point=prozentpunkt,prozentpunkte,prozentpunkten "
        "day=tag,tage,tagen,tages,kalendertag,kalendertage,kalendertagen,werktag,werktage,"
        "werktagen,arbeitstag,arbeitstage,arbeitstagen "
        "week=woche,wochen month=monat,monate,monaten,monats,kalendermonat,kalendermonate,"
        "kalendermonaten year=jahr,jahre,jahren,jahres,kalenderjahr,kalenderjahre,kalenderjahren "
        "hour=stunde,stunden"
    ),
    **_units("EUR=eur,euro", CUR),
    "vom": (PER, 0.0, "", ""),
    "hundert": (CENT, 0.0, "", ""),
    "von": (OF, 0.0, "", ""),
    **_markers(AGE, "alter lebensalter"),
    **_markers(AND, "und"),
    **_markers(
        REF,
        "artikel absatz absatzes absätze absätzen abs satz satzes sätze sätzen nummer nummern nr "
        "buchstabe buchstaben anlage anlagen kapitel abschnitt abschnitts abschnitte "
        "unterabschnitt teil teils titel buch buches",
    ),
}
# French law text: ``5 pour cent``, ``1 234,56 euros``, ``6 mois``, ``15 jours``, ``60 ans``.
_FR: dict[str, tuple[str, float, str, str]] = {
    **_number_words(
        "deux=2 trois=3 quatre=4 cinq=5 six=6 sept=7 huit=8 neuf=9 dix=10 onze=11 douze=12 "
        "treize=13 quatorze=14 quinze=15 seize=16 vingt=20 trente=30 quarante=40 cinquante=50 "
        "soixante=60",
        "digit",
    ),
    **_number_words("vingts=20", "digit"),
    # "un"/"une" is an article alone, one only inside a number: vingt et un, trente et une
    **_number_words("un=1 une=1", INNER),
    **_number_words("mille=1e3 millions=1e6 milliard=1e9 milliards=1e9", "scale"),
    **_units(
        "day=jour,jours week=semaine,semaines month=mois year=ans,année,années "
        "hour=heure,heures percentage_point=point,points"
    ),
    **_units("EUR=euros", CUR),
    "pour": (PER, 0.0, "", ""),
    "de": (OF, 0.0, "", ""),
    **_markers(AGE, "âge âgé âgée âgés âgées"),
    **_markers(AND, "et"),
    **_markers(REF, "alinéa alinéas chapitre chapitres titre livre annexe paragraphe numéro"),
}
# German nouns that are English words in lower case: "im Alter von 65 Jahren", not "may alter".
NOUNS_ONLY = frozenset({"alter"})
# English wins a word that is in several lexicons (``point``, ``six``).
LATIN_WORDS = {**_DE, **_FR, **_ENGLISH}

_KHMER: dict[str, tuple[str, float, str, str]] = {
    **_number_words(
        "សូន្យ=0 មួយ=1 ពីរ=2 បី=3 បួន=4 ប្រាំ=5 ដប់=10 ម្ភៃ=20 សាមសិប=30 សែសិប=40 ហាសិប=50 "
        "ហុកសិប=60 ចិតសិប=70 ប៉ែតសិប=80 កៅសិប=90",
        "digit",
    ),
    **_number_words("រយ=100", "hundred"),
    **_number_words("ពាន់=1e3 ម៉ឺន=1e4 សែន=1e5 លាន=1e6 កោដិ=1e7 ប៊ីលាន=1e9 ទ្រីលាន=1e12", "scale"),
    "ភាគរយ": (UNIT, 0.0, "%", ""),
    "រៀល": (UNIT, 0.0, "KHR", ""),
    "ដុល្លារអាមេរិក": (UNIT, 0.0, "USD", ""),
    "ដុល្លារ": (UNIT, 0.0, "USD", ""),
    "ថ្ងៃ": (UNIT, 0.0, "day", ""),
    "សប្តាហ៍": (UNIT, 0.0, "week", ""),
    "ខែ": (UNIT, 0.0, "month", ""),
    "ឆ្នាំ": (UNIT, 0.0, "year", ""),
    "ម៉ោង": (UNIT, 0.0, "hour", ""),
    "អាយុ": (AGE, 0.0, "", ""),
    "រៀងរាល់": (EVERY, 0.0, "", ""),
    "ម្តង": (ONCE, 0.0, "", ""),
    "ទី": (ORD, 0.0, "", ""),
    **dict.fromkeys(
        ("មាត្រា", "ជំពូក", "ផ្នែក", "កថាខណ្ឌ", "ចំណុច", "ប្រការ", "លេខ", "ឧបសម្ព័ន្ធ", "គន្ថី"),
        (REF, 0.0, "", ""),
    ),
}
# Both the canonical spelling and the common coeng-DA spelling of every Khmer entry.
KHMER_WORDS = {
    variant: entry
    for word, entry in _KHMER.items()
    for variant in {normalize(word), word, word.replace("\u17d2\u178f", "\u17d2\u178a")}
}
SYMBOLS = {
    "%": (UNIT, 0.0, "%", ""),
    "$": (CUR, 0.0, "USD", ""),
    "US$": (CUR, 0.0, "USD", ""),
    "៛": (CUR, 0.0, "KHR", ""),
    "§": (REF, 0.0, "", ""),
    "§§": (REF, 0.0, "", ""),
    "€": (CUR, 0.0, "EUR", ""),
    "(": (LP, 0.0, "", ""),
    "[": (LP, 0.0, "", ""),
    ")": (RP, 0.0, "", ""),
    "]": (RP, 0.0, "", ""),
}
