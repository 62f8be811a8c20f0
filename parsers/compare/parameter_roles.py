"""Role words around a quantity that say what it measures when its own words do not: who
pays a share ("paid by the employer", "និយោជកបង់"), a bound ("not exceeding", "យ៉ាងតិច"), a
time limit ("within"), an interval ("every 2 years", "រៀងរាល់"), the measure its unit gives
("duration", "រយៈពេល"), and the repairs a clause's own noun phrase needs (a word cut off its
front, a verb read as the noun). Pure."""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Who pays or receives a share (longest first: "កម្មករនិយោជិត" before "កម្មករ").
_PARTIES_EN = ("self-employed person", "insured person", "employers", "employer", "employees",
               "employee", "workers", "worker", "government", "state")  # fmt: skip
_PARTIES_KM = ("កម្មករនិយោជិត", "រាជរដ្ឋាភិបាល", "និយោជក", "និយោជិត", "កម្មករ")
_PARTY_VERBS = frozenset({"pay", "pays", "paid", "contribute", "contributes", "the", "shall",
                          "បង់", "ត្រូវ", "ត្រូវបង់", "ចំនួន"})  # fmt: skip
# Bounds said before a quantity: "not exceeding", "at least", "មិនលើសពី", "យ៉ាងតិច".
_MAX_RE = re.compile(
    r"(?:\b(?:not|no)\s+(?:be\s+)?(?:exceed(?:ing)?|more\s+than|greater\s+than|higher\s+than|"
    r"above|over)|\bup\s+to|\bat\s+(?:the\s+)?most|\bmaximum(?:\s+of)?|\bwithin\s+a\s+limit\s+of"
    r"|មិនលើស(?:ពី)?|យ៉ាងច្រើន(?:បំផុត)?|អតិបរមា)\s*$",
    re.I,
)
_MIN_RE = re.compile(
    r"(?:\b(?:not|no)\s+(?:be\s+)?(?:less|fewer|lower)\s+than|\bat\s+(?:the\s+)?least"
    r"|\bminimum(?:\s+of)?|មិនតិច(?:ជាង|ពី)?|យ៉ាងតិច(?:បំផុត)?|អប្បបរមា)\s*$",
    re.I,
)
_LIMIT_RE = re.compile(r"\b(?:within|no\s+later\s+than|not\s+later\s+than)\s*$", re.I)
_EVERY_RE = re.compile(r"(?:\b(?:every|each|once\s+every)|រៀងរាល់|រាល់)\s*$", re.I)
_EVERY_START_RE = re.compile(r"(?:every|each|រៀងរាល់|រាល់)", re.I)
_CURRENCY_RE = re.compile(r"(?:\b(?:KHR|USD|US\$|riels?)|[$៛])\s*$", re.I)
_BOUNDED_RE = re.compile(r"\b(?:minimum|maximum|ceiling|floor)\b|អប្បបរមា|អតិបរមា|ពិដាន", re.I)
# A label whose head after its last "of"/"for" is generic ("daily wage for a period") names
# what an earlier number is a share of, not what this one measures.
GENERIC_TAIL_RE = re.compile(
    r"\s(?:of|for|over)\s+(?:(?:a|an|the|such|this|that|same)\s+)*"
    r"(?:(?:maximum|minimum|further|total|whole|given|certain)\s+)*"
    r"(?:period|duration|amount|sum|time|term|length)s?$",
    re.I,
)
_TIME_UNITS = frozenset({"hour", "day", "week", "month", "year"})
_ROLE_EN = {"time": "duration", "money": "amount", "%": "rate", "age": "age"}
_ROLE_KM = {"time": "រយៈពេល", "money": "ចំនួនទឹកប្រាក់", "%": "អត្រា", "age": "អាយុ"}
_BOUND_KM = {"minimum": "អប្បបរមា", "maximum": "អតិបរមា"}


def dimension(unit: str) -> str:
    """What a unit measures: "time" (day, month...), "money" (KHR, USD), else the unit."""
    if unit in _TIME_UNITS:
        return "time"
    if unit in ("KHR", "USD"):
        return "money"
    return unit


def is_khmer(text: str) -> bool:
    """True when ``text`` holds a Khmer letter or digit."""
    return any("\u1780" <= ch <= "\u17ff" for ch in text)


def party_in(text: str) -> str:
    """The party a stretch of text names (its last; a longer name over the shorter one in
    it: "កម្មករនិយោជិត", not "និយោជិត"), or ''."""
    folded = text.casefold()
    spans: list[tuple[int, int, str]] = []
    for party in (*_PARTIES_EN, *_PARTIES_KM):
        pattern = rf"\b{re.escape(party)}\b" if party.isascii() else re.escape(party)
        spans += [(m.start(), m.end(), party) for m in re.finditer(pattern, folded)]
    outer = [
        (start, end, party)
        for start, end, party in spans
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in spans)
    ]
    return max(outer)[2] if outer else ""


def party_phrase(label: str) -> bool:
    """A label that is only a party and a verb ("worker", "និយោជកបង់")."""
    party = party_in(label)
    rest = label.casefold().replace(party, " ").strip()
    return bool(party) and (not rest or verb_only(rest))


def party_of(before: str, after: str) -> tuple[str, bool]:
    """The party a quantity is the share of, and whether it is named as the agent after it
    ("2% is paid by the employer"); else one named before it since the last quantity ("the
    worker 2%"), unless that one is the agent of the quantity before ("by the employer and
    2% ...")."""
    agent = re.search(r"\bby\s+(?:the\s+)?([\w-]+(?:\s+person)?)|ដោយ(\S+)", after, re.I)
    if agent is not None and (party := party_in(agent.group(0))):
        return party, True
    party = party_in(before)
    if party and not re.search(rf"(?:\bby\s+(?:the\s+)?|ដោយ){re.escape(party)}", before, re.I):
        return party, False
    return "", False


SHARES = frozenset({"%", "money"})
KM_VERBS = ("បង់", "ទទួល", "ផ្តល់", "បាន")


def verb_only(label: str) -> bool:
    """A label of verbs alone ("បង់", "pays")."""
    rest = label.casefold()
    for verb in sorted(_PARTY_VERBS, key=len, reverse=True):
        rest = rest.replace(verb, " ") if not verb.isascii() else rest
    return bool(label) and all(w in _PARTY_VERBS for w in rest.split())


def bound_of(before: str, written: str = "") -> str:
    """'minimum', 'maximum', 'limit' (a time limit) or 'interval' (every so long) when the
    words right before a quantity, or its own (``written``: "រៀងរាល់ឆ្នាំ"), bound it."""
    window = _CURRENCY_RE.sub("", before[-40:].rstrip()).rstrip()
    if _EVERY_RE.search(window) or _EVERY_START_RE.match(written):
        return "interval"
    if _LIMIT_RE.search(window):
        return "limit"
    if _MAX_RE.search(window):
        return "maximum"
    if _MIN_RE.search(window):
        return "minimum"
    if _BELOW_RE.search(window):  # "fewer than 12 months": at most
        return "maximum"
    if _ABOVE_RE.search(window):
        return "minimum"
    return ""


def with_role(topic: str, unit: str, bound: str, khmer: bool) -> str:
    """``topic`` as the measure ``unit`` gives it: "daily allowance, duration",
    "រយៈពេលប្រាក់ឧបត្ថម្ភ"; with its bound: "sickness benefit, maximum duration"."""
    dim = dimension(unit)
    if bound in ("limit", "interval"):
        return with_bound(topic, bound, khmer)
    if khmer:
        role = _ROLE_KM.get(dim, "")
        if not role:
            return topic + _BOUND_KM.get(bound, "")
        return f"{role}{_BOUND_KM[bound]}នៃ{topic}" if bound else f"{role}{topic}"
    role = _ROLE_EN.get(dim, unit)
    return f"{topic}, {bound + ' ' if bound else ''}{role}"


def with_bound(label: str, bound: str, khmer: bool) -> str:
    if bound == "limit":  # "within 15 days": a time limit (Khmer "ក្នុង" also means "for")
        return label if khmer else f"{label}, time limit"
    if bound == "interval":  # "adjusted every 2 years", "ធ្វើនិយ័តកម្មរៀងរាល់ឆ្នាំ"
        return f"ចន្លោះពេល{label}" if khmer else f"{label}, interval"
    if not bound or _BOUNDED_RE.search(label):
        return label
    return label + _BOUND_KM[bound] if khmer else f"{label}, {bound}"


def with_party(topic: str, party: str, unit: str, khmer: bool) -> str:
    if khmer:
        return f"{topic}របស់{party}"
    return f"{topic}, {party} share" if unit == "%" else f"{topic}, {party}"


# --- a clause's own noun phrase, repaired -----------------------------------------------------
# Words that end an English noun phrase read leftwards (the phrase reader stops at five words:
# "[contribution] rate for the pension scheme").
_EN_STOPS = _words(
    "the a an this that these those such any each every all its their his her our of "
    "for to in on at by from with and or is are was were be been shall will must may "
    "can should who which whose where when if than as per not no has have had do does did"
)
_EN_EXTEND = 2  # words at most put back in front of a phrase
_READER_WORDS = 5  # the most words parsers.compare.labels.label_of gives an English label
_KM_CONNECTORS = ("សម្រាប់", "នៃ", "របស់")
_KM_PREPOSITIONS = ("ជាមួយនឹង", "ជាមួយ", "ដោយ", "ចំពោះ", "នូវ", "លើ")
_KM_LINKS = ("ត្រូវបាន", "ត្រូវ", "បាន", "គឺ", "មាន")
# a change verb read as the noun ("ត្រូវបានដំឡើងពី ៧០%": the benefit is what moves)
_KM_CHANGE = ("ដំឡើង", "បន្ថយ", "កែប្រែ", "កែសម្រួល", "ផ្លាស់ប្តូរ", "ប្តូរ", "បង្កើន")
_PERSONS = _words(
    "person persons people individual individuals woman women man men child children "
    "everyone citizen citizens resident residents"
)
# "entitled to maternity leave of 90 days": the phrase reader takes "to" for a verb's
_TO_PHRASE_RE = re.compile(
    r"\b(?:entitled|right|access|eligible|subject)\s+to\s+(?:(?:a|an|the)\s+)?"
    r"((?:[A-Za-z][\w-]*\s+){0,3}[A-Za-z][\w-]*)\s+(?:of|is|at|equal\s+to|amounting\s+to)\s*$",
    re.I,
)
# an old value beside its new one: "increased from 70% to 100%", "ដំឡើងពី ៧០% ទៅ ១០០%"
_FROM_RE = re.compile(r"(?:\bfrom|ពី)\s*$", re.I)
_TO_RE = re.compile(r"^\s*(?:to|into|ទៅ(?:ជា)?|មក(?:ជា)?|ដល់)\s*$", re.I)
_CHANGE_RE = re.compile(
    r"\b(?:increas|rais|reduc|lower|decreas|amend|chang|adjust|replac|revis|ris|cut)\w*"
    r"|ដំឡើង|បន្ថយ|កែ|ប្តូរ|កើន|ថយ",
    re.I,
)


# "of her average wage of the last 6 months": the period a wage is averaged over
_REFERENCE_RE = re.compile(
    r"((?:[A-Za-z][\w-]*\s+){0,3}[A-Za-z][\w-]*)\s+(?:of|over|during|in|for)\s+the\s+"
    r"(?:last|previous|preceding|past)\s*$",
    re.I,
)
# the subject of an English sentence: "The monthly assumed wage used to ... shall be"
_SUBJECT_RE = re.compile(
    r"^\s*(?:the|a|an)\s+((?:[A-Za-z][\w-]*\s+){0,3}?[A-Za-z][\w-]*)\s+"
    r"(?:used|which|that|shall|is|are|must|will|may|payable|paid|granted)\b",
    re.I,
)


_PARTICIPLE_RE = re.compile(
    r"^(?:calculated|computed|based|determined|assessed|levied|set|fixed|paid)\s+"
    r"(?:on|at|upon|as|in|by)\s+(?:(?:a|an|the)\s+)?",
    re.I,
)
_COMPARATIVE_RE = re.compile(
    r"(?:\s+(?:for|of|by))?\s+(?:fewer|less|lower|more|greater|higher|longer|shorter)$", re.I
)
# A comparative right before "than" bounds the quantity: "fewer than 12 months".
_BELOW_RE = re.compile(r"\b(?:fewer|less|lower|shorter|under|below)\s+than\s*$", re.I)
_ABOVE_RE = re.compile(r"\b(?:more|greater|higher|longer)\s+than\s*$", re.I)


_MEASURES = _words("rate amount level percentage sum")
_MEASURE_OF_RE = re.compile(
    r"((?:[A-Za-z][\w-]*\s+){1,4})(?:at|in|by|with)\s+(?:the|a|an)\s+(?:rate|amount|level|"
    r"percentage|sum)\s+of\s*$",
    re.I,
)
# "90 days of maternity leave", "៩០ ថ្ងៃនៃការឈប់សម្រាកមាតុភាព"
_PERIOD_OF_RE = re.compile(
    r"^\s*of\s+((?:(?!and\b|or\b|for\b|with\b)[A-Za-z][\w-]*\s*){1,4})(?=[,.;]|\s*$)"
    r"|^\s*នៃ(\S+?)(?:[។៕,]|\s|$)",
    re.I,
)


def _noun_before(words: str) -> str:
    """The noun phrase a run of words ends with ("entitled to maternity benefits")."""
    found: list[str] = []
    for word in reversed(words.split()):
        if word.casefold() in _EN_STOPS or word.casefold() in _PARTY_VERBS:
            break
        found.append(word)
    return " ".join(reversed(found))


def _trimmed(phrase: str) -> str:
    words = phrase.split()
    while words and words[0].casefold() in _EN_STOPS:
        words.pop(0)
    return " ".join(words)


def sentence_subject(clause: str) -> str:
    """The noun phrase an English sentence opens with, or ''."""
    m = _SUBJECT_RE.match(clause)
    return _trimmed(m.group(1)) if m else ""


def replaced_value(before: str, after: str, clause: str) -> bool:
    """A quantity that is the old value of a change its clause states ("from 70% to
    100%"): the next quantity is the value now."""
    return bool(_FROM_RE.search(before) and _TO_RE.match(after) and _CHANGE_RE.search(clause))


def own_label(
    raw: str, text: str, start: int, clause_start: int, heading: str, unit: str, after: str = ""
) -> str:
    """The clause's own label of the quantity at ``start`` (``raw``, from the phrase reader;
    ``after``: the words after it up to the next quantity), repaired: a word cut off its
    front put back, a leading preposition or a change verb read as the noun replaced by the
    noun, a bare measure word given its noun ("at the rate of"), a period named by what
    follows it ("90 days of maternity leave"), a bare person dropped for an age; '' when it
    names nothing."""
    prefix = text[clause_start:start]
    if dimension(unit) == "time" and (m := _REFERENCE_RE.search(prefix)):
        return _trimmed(m.group(1)) + ", reference period"  # "average wage of the last 6 months"
    if dimension(unit) == "time" and (m := _PERIOD_OF_RE.match(after)):
        phrase = m.group(1) or m.group(2)
        if not any(w.casefold() in _EN_STOPS for w in phrase.split()):  # not "of which"
            return " ".join(phrase.split())
    if raw.casefold() in _MEASURES and (m := _MEASURE_OF_RE.search(prefix)):
        return f"{_noun_before(m.group(1))}, {raw.casefold()}"  # "benefits at the rate of"
    if not raw:
        if unit != "age" and (m := _TO_PHRASE_RE.search(prefix)):
            return " ".join(m.group(1).split())
        return ""
    if is_khmer(raw):
        return _khmer_label(raw, prefix, heading, unit)
    raw = _PARTICIPLE_RE.sub("", raw)  # "calculated on an assumed wage"
    raw = _COMPARATIVE_RE.sub("", raw)  # "paid contributions for fewer [than]"
    at = prefix.rfind(raw)
    if at > 0 and len(raw.split()) >= _READER_WORDS:  # cut off by the phrase reader
        words = prefix[:at].split()
        taken = 0
        while words and taken < _EN_EXTEND and words[-1].isalpha():
            if words[-1].casefold() in _EN_STOPS:
                break
            raw = f"{words.pop()} {raw}"
            taken += 1
    if unit == "age" and raw.casefold() in _PERSONS:
        return ""
    return raw


def _khmer_label(raw: str, prefix: str, heading: str, unit: str) -> str:
    at = prefix.rfind(raw)
    chunk = prefix[:at].rsplit(None, 1)[-1] if at > 0 and prefix[:at].strip() else ""
    glued = chunk and not prefix[:at].endswith((" ", "\u200b"))
    # glued to the word before by "សម្រាប់", "នៃ", "របស់": one phrase
    if glued and chunk.endswith(_KM_CONNECTORS) and len(chunk) > max(map(len, _KM_CONNECTORS)):
        raw = chunk + raw
    if raw.startswith(_KM_CHANGE):
        noun = prefix[:at] if at >= 0 else ""
        for link in _KM_LINKS:
            noun = noun.removesuffix(link)
        noun = noun.split()[-1] if noun.split() else ""
        raw = noun
    for preposition in _KM_PREPOSITIONS:
        if raw.startswith(preposition) and len(raw) > len(preposition):
            raw = raw[len(preposition) :]
            break
    if raw.startswith(KM_VERBS) and raw in heading:  # "បង់ភាគទាន" of its heading
        return heading  # "រយៈពេលបង់ភាគទានអប្បបរមា"
    if raw.startswith("បង់") and dimension(unit) == "time":
        return "រយៈពេល" + raw  # "បង់ភាគទាន ១២ ខែ": the contribution period
    return raw


# --- the same role in two languages ---------------------------------------------------------
_SIGNS = {
    "employer": ("employer", "និយោជក"),
    "worker": ("worker", "employee", "កម្មករ", "និយោជិត"),
    "government": ("government", "state", "រាជរដ្ឋាភិបាល"),
    "minimum": ("minimum", "floor", "at least", "អប្បបរមា", "ទាបបំផុត", "យ៉ាងតិច"),
    "maximum": ("maximum", "ceiling", "at most", "អតិបរមា", "ខ្ពស់បំផុត", "ពិដាន"),
    "interval": ("interval", "ចន្លោះពេល"),
}


def role_signs(label: str) -> frozenset[str]:
    """The roles a label names, the same in English and Khmer ("employer share" and
    "របស់និយោជក" both {"employer"}): what tells apart two shares of one provision across
    languages when their values do not."""
    folded = label.casefold()
    found = set()
    for sign, words in _SIGNS.items():
        for word in words:
            if re.search(rf"\b{re.escape(word)}", folded) if word.isascii() else word in folded:
                found.add(sign)
                break
    return frozenset(found)


_MEASURE_SUFFIX_RE = re.compile(
    r", (?:(?:minimum|maximum) )?(?:duration|amount|rate|age|interval|time limit|"
    r"reference period)$|, \S+ share$",
    re.I,
)


def adds_measure(label: str, term: str) -> bool:
    """``label`` is ``term``'s thing measured another way ("maternity leave, minimum",
    "maternity benefit, duration", "រយៈពេលប្រាក់ឧបត្ថម្ភមាតុភាព"): a role composed onto it,
    which a name for ``term`` alone does not name."""
    if _MEASURE_SUFFIX_RE.search(label) and not _MEASURE_SUFFIX_RE.search(term):
        return True
    prefixes = (*_ROLE_KM.values(), "ចន្លោះពេល")
    return label.startswith(prefixes) and not term.startswith(prefixes)
