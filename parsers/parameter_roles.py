"""Role words around a quantity that say what it measures when its own words do not: who
pays a share ("paid by the employer", "និយោជកបង់"), a bound ("not exceeding", "យ៉ាងតិច"), a
time limit ("within"), and the measure its unit gives ("duration", "រយៈពេល"). Pure."""

from __future__ import annotations

import re

# Who pays or receives a share (longest first: "កម្មករនិយោជិត" before "កម្មករ").
_PARTIES_EN = ("self-employed person", "insured person", "employers", "employer", "employees",
               "employee", "workers", "worker", "government", "state")  # fmt: skip
_PARTIES_KM = ("កម្មករនិយោជិត", "រាជរដ្ឋាភិបាល", "និយោជក", "និយោជិត", "កម្មករ")
_PARTY_VERBS = frozenset({"pay", "pays", "paid", "contribute", "contributes", "the", "shall",
                          "បង់", "ត្រូវ", "ត្រូវបង់", "ចំនួន"})  # fmt: skip
_AGENT_RE = re.compile(r"(?:\bby\s+(?:the\s+)?|ដោយ\s*)$", re.I)
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
_ROLE_EN = {"time": "duration", "money": "amount", "%": "rate"}
_ROLE_KM = {"time": "រយៈពេល", "money": "ចំនួនទឹកប្រាក់", "%": "អត្រា"}
_BOUND_KM = {"minimum": "អប្បបរមា", "maximum": "អតិបរមា"}


def dimension(unit: str) -> str:
    if unit in _TIME_UNITS:
        return "time"
    if unit in ("KHR", "USD"):
        return "money"
    return unit


def is_khmer(text: str) -> bool:
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


def party_of(before: str, after: str) -> str:
    """The party a quantity is the share of: one named after it as an agent ("2% is paid by
    the employer"), else one named before it since the last quantity ("the worker 2%"),
    unless that one is the agent of the quantity before."""
    agent = re.search(r"\bby\s+(?:the\s+)?([\w-]+(?:\s+person)?)|ដោយ(\S+)", after, re.I)
    if agent is not None:
        party = party_in(agent.group(0))
        if party:
            return party
    if before and not _AGENT_RE.search(before.rstrip()[: -len(party_in(before)) or None]):
        party = party_in(before)
        if (
            party
            and not re.search(rf"\bby\s+(?:the\s+)?{re.escape(party)}", before, re.I)
            and (f"ដោយ{party}" not in before)
        ):
            return party
    return ""


SHARES = frozenset({"%", "money"})
KM_VERBS = ("បង់", "ទទួល", "ផ្តល់", "បាន")


def verb_only(label: str) -> bool:
    """A label of verbs alone ("បង់", "pays")."""
    rest = label.casefold()
    for verb in sorted(_PARTY_VERBS, key=len, reverse=True):
        rest = rest.replace(verb, " ") if not verb.isascii() else rest
    return bool(label) and all(w in _PARTY_VERBS for w in rest.split())


def bound_of(before: str) -> str:
    """'minimum', 'maximum' or 'limit' (a time limit) when the words right before a
    quantity bound it."""
    window = _CURRENCY_RE.sub("", before[-40:].rstrip()).rstrip()
    if _LIMIT_RE.search(window):
        return "limit"
    if _MAX_RE.search(window):
        return "maximum"
    if _MIN_RE.search(window):
        return "minimum"
    return ""


def with_role(topic: str, unit: str, bound: str, khmer: bool) -> str:
    """``topic`` as the measure ``unit`` gives it: "daily allowance, duration",
    "រយៈពេលប្រាក់ឧបត្ថម្ភ"; with its bound: "sickness benefit, maximum duration"."""
    dim = dimension(unit)
    if bound == "limit":
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
    if not bound or _BOUNDED_RE.search(label):
        return label
    return label + _BOUND_KM[bound] if khmer else f"{label}, {bound}"


def with_party(topic: str, party: str, unit: str, khmer: bool) -> str:
    if khmer:
        return f"{topic}របស់{party}"
    return f"{topic}, {party} share" if unit == "%" else f"{topic}, {party}"
