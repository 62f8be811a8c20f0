"""Labels: the noun phrase a number belongs to, read back from it inside its clause
(``the employer contribution rate is 2%`` -> ``employer contribution rate``, ``the worker
pays 2%`` -> ``worker``, ``ប្រាក់ឧបត្ថម្ភមាតុភាព ៧០%`` -> ``ប្រាក់ឧបត្ថម្ភមាតុភាព``); none where
the attachment is unclear (across a preposition), rather than a wrong one."""

from __future__ import annotations

import bisect

from parsers.compare.change import Quantity
from parsers.compare.clauses import UNIT_WORDS, ClauseText, MaskedToken, word_set

__all__ = ["label", "label_of"]

_LABEL_WORDS = {"en": 5, "km": 8}
_LINK_REACH = 12  # tokens read back over link words to find a label


# Words between a noun phrase and its number: ``is``, ``shall be increased to``,
# ``of not more than``, ``គឺ``, ``មិនលើសពី``. Read back over them to reach the phrase.
_LINKS = word_set(
    "is are was were be been being shall will must may should not no of at to from by "
    "equal equals equivalent set fixed increased reduced raised lowered decreased changed "
    "amended extended adjusted exceed exceeds exceeding more less than least most up below "
    "above under over maximum minimum a an the as follows into hereby further "
    "last lasts lasting amount amounts "
    "គឺ មាន ស្មើ ស្មើនឹង នឹង ចំនួន កំណត់ ត្រឹម ពី ដល់ រហូតដល់ មិន លើស តិច ជាង យ៉ាង យ៉ាងតិច "
    "យ៉ាងច្រើន ច្រើន ត្រូវ បាន ជា រយៈពេល ប្រមាណ អស់ ត្រូវបាន តិចជាង លើសពី "
    # German, French
    "beträgt betragen ist sind wird werden von vom zu zur zum auf um bis mindestens höchstens "
    "wenigstens jedoch insgesamt monatlich jährlich jeweils je höhe "
    "est sont sera seront de du des à au aux fixé fixée fixés fixées porté portée égal égale "
    "moins plus maximum minimum"
)
# A verb of paying between a party and its number (``the employer pays 2%``, ``workers shall
# contribute 1%``, ``និយោជកបង់ ២%``): read back over it, the party is what the number is.
_PAYS = word_set("pay pays contribute contributes bear bears បង់ ចូលរួមបង់")
# ``maximum``, ``the``... are links only when no phrase word precedes them: else they belong
# to the phrase (``the maximum assumed wage is``).
_PHRASE_LINKS = word_set("maximum minimum a an the further")
# Prepositions that attach a number to the clause, not to a noun: no label across them.
# Khmer words are also prefixes (ICU keeps ``ក្នុងរយៈពេល`` as one word).
_ADVERBIAL = word_set(
    "for within during after before until till in on per each every since throughout "
    "beginning starting effective "
    "für seit innerhalb während nach vor binnen ab im am bei pro "
    "pendant durant dans depuis après avant pour par dès sous en"
)
_KM_ADVERBIAL = ("ក្នុង", "សម្រាប់", "ក្រោយ", "មុន", "បន្ទាប់", "ចាប់", "រៀងរាល់", "អំឡុង", "រាល់", "គិត")
# Words that end a noun phrase read backwards.
_STOPS = word_set(
    "the a an this that these those such any each every all its their his her our your "
    "which who whom whose where when what if unless whether and or but nor with without "
    "in on at by to from into onto upon under over between among against about as per "
    "than within during after before until since is are was were be been shall will must "
    "may can should would could has have had do does did not means mean includes include "
    "paid pays pay receive receives received entitled provide provides provided "
    "granted apply applies applied get gets it he she they we "
    "និង ឬ ដែល នេះ នោះ គឺ ត្រូវ បាន ជា នឹង ពី ដល់ ចំពោះ នៅ ទៅ ឲ្យ ឱ្យ អោយ ហើយ ប៉ុន្តែ តែ "
    "ប្រសិនបើ បើ ទទួល មាន ផ្តល់ លើ តាម ដោយ នូវ មានសិទ្ធិ សិទ្ធិ "
    "der die das den dem des ein eine einer eines einem einen und oder sowie nicht auch "
    "dieser diese dieses jede jeder jedes welche welcher welches wenn soweit sofern dass ob "
    "mit ohne gegen über unter zwischen als wie hat haben kann können muss soll darf sich "
    "le la les l un une et ou ni que qui dont où si avec sans contre entre sur selon ce "
    "cette ces sa ses leur leurs peut doit"
)
_KM_STOPS = ("សំដៅ", "ដែល", "មានសិទ្ធិ", "ត្រូវ", *_KM_ADVERBIAL)
# Inside a noun phrase: ``rate of contribution``, ``grant for projects``, ``ភាគទានរបស់និយោជក``.
_CONNECTORS = word_set("of for on របស់ នៃ der des für de du d pour")
_ARTICLES = word_set("the a an der die das den dem des le la les l")
_MODALS = word_set("shall will must may can should would could to has have had")
# Words that alone say nothing of what a number is.
_GENERIC = word_set(
    "previous last next following preceding consecutive additional further same other "
    "period amount sum number total maximum minimum first second whole រយៈពេល ចំនួន សរុប "
    "betrag höhe zeitraum dauer summe gesamtbetrag montant durée période somme"
)


_TIME_WORDS = word_set(
    "day days week weeks month months year years hour hours ថ្ងៃ សប្តាហ៍ ខែ ឆ្នាំ ម៉ោង "
    "tag tage tagen woche wochen monat monate monaten jahr jahre jahren "
    "jour jours semaine semaines mois ans année années"
)


_NUMBER_GLUE = frozenset({"and", "or", ",", "-", "–", "និង", "ឬ", "/", "und", "oder", "et", "ou"})


def label(t: ClauseText, q: Quantity) -> str:
    """What ``q`` measures, from its clause in ``t``; ``""`` when unclear."""
    clause = t.clauses[t.clause_of(q.start)]
    k = bisect.bisect_left(t.token_starts, q.start)
    return _label(t, k, clause.start)


def _label(t: ClauseText, k: int, floor: int) -> str:
    """The noun phrase before token ``k`` (the first of a quantity), read back to ``floor``."""
    tokens = t.tokens
    i = k - 1
    reach = 0
    link: MaskedToken | None = None  # the leftmost link word read over
    # 1. back over link words, and over earlier numbers of a range (from 4% to 6%)
    while i >= 0 and tokens[i].start >= floor and reach < _LINK_REACH:
        tok = tokens[i]
        left = tokens[i - 1] if i > 0 and tokens[i - 1].start >= floor else None
        if (
            tok.kind == "number"
            or tok.key in UNIT_WORDS
            or (tok.key in _TIME_WORDS and left is not None and left.kind == "number")
            or (tok.key in _NUMBER_GLUE and left is not None and left.kind == "number")
        ):
            pass
        elif _adverbial(tok):
            return ""
        elif (
            (
                tok.key in _LINKS
                and not (tok.key in _PHRASE_LINKS and left is not None and _content(left))
            )
            or (tok.kind == "punct" and tok.key in ":=–-")
            or tok.key in _PAYS
        ):
            link = tok
        else:
            break
        i -= 1
        reach += 1
    # Khmer puts a space between phrases: a link word after a space starts its own phrase
    # (``នៃប្រាក់ឈ្នួលមធ្យម រយៈពេល ៩០ ថ្ងៃ``: the period is not the wage's)
    if link is not None and i >= 0 and _spaced(t, tokens[i], link):
        return ""
    # 2. the phrase: content words, with connectors between them
    words: list[MaskedToken] = []
    limit = _LABEL_WORDS["km" if t.khmer else "en"]
    while i >= 0 and tokens[i].start >= floor and len(words) < limit:
        tok = tokens[i]
        if words and _spaced(t, tok, words[-1]):
            break
        if _content(tok):
            words.append(tok)
        elif tok.key in _CONNECTORS and words and i > 0 and _content(tokens[i - 1]):
            if tokens[i - 1].start < floor:
                break
            words.append(tok)
        elif (
            tok.key in _ARTICLES
            and words
            and i > 1
            and tokens[i - 1].key in _CONNECTORS
            and _content(tokens[i - 2])
            and tokens[i - 2].start >= floor
        ):
            words.append(tok)  # "Gebühr für die Anmeldung", "rate of the contribution"
        else:
            break
        i -= 1
    while words and words[-1].key in _CONNECTORS:
        words.pop()
    if not words or all(w.key in _GENERIC or w.key in _CONNECTORS for w in words):
        return ""
    # a verb after a modal (``shall contribute 2%``) is not the thing measured
    if i >= 0 and tokens[i].start >= floor and tokens[i].key in _MODALS and not t.khmer:
        return ""
    first, last = words[-1], words[0]
    return " ".join(t.text[first.start : last.end].split())


def _spaced(t: ClauseText, left: MaskedToken, right: MaskedToken) -> bool:
    """Two Khmer words with a space between them: a phrase break."""
    return (
        _is_khmer(left.key)
        and _is_khmer(right.key)
        and t.text[left.end : right.start].strip() == ""
        and left.end < right.start
    )


def _is_khmer(key: str) -> bool:
    return bool(key) and "\u1780" <= key[0] <= "\u17ff"


def _content(tok: MaskedToken) -> bool:
    return (
        tok.kind == "word"
        and tok.key not in _STOPS
        and tok.key not in UNIT_WORDS
        and not tok.key.startswith(_KM_STOPS)
    )


def _adverbial(tok: MaskedToken) -> bool:
    return tok.key in _ADVERBIAL or tok.key.startswith(_KM_ADVERBIAL)


def label_of(q: Quantity, text: str) -> str:
    """What ``q`` (found in ``text``) measures, from its clause; ``""`` when unclear."""
    return label(ClauseText(text), q)
