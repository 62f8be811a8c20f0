"""The decision on one change: which of the coalition's positions it touches, and how much.

Term finding is :mod:`alerts.match.matcher`'s; this module holds what follows from the hits.

- Score (0..1, noisy-or): a term in the changed words says most, then one in the heading of
  the provision, then terms in its surrounding text; a number that changed and an added or
  removed provision add a bonus. A phrase or an acronym says more than one common word; a
  term shared by several positions says less (:func:`alerts.match.weights.term_weight`).
- Severity: a changed number, or a provision added or removed that is clearly about the
  position, is high; a term in the changed words or the heading is medium; terms in the
  surrounding text alone are medium when nothing else in the change is direct, low when
  the changed words or numbers are about another position but the provision says enough
  about this one (two distinct terms), else no flag. A weak mention (one common word, once)
  flags nothing. A renumbered provision (same words, new number) is not a change of
  substance and flags nothing; a moved one is low.
- Numbers go to a position when their unit fits its number kinds
  (:func:`alerts.match.weights.unit_kinds`) and they sit near one of its terms or anchors
  (anchors only for a value that changed): same table row label, same sentence (what names
  the number before it first), the heading, or the closest term in the provision. A number
  named by a position that ``owns_numbers`` goes to no other one through an anchor alone.
- A position that is ``only_with_others`` (budget) is flagged only beside another
  position or one of its own anchors (a social-protection body).
- Direction (:mod:`alerts.match.direction`): favourable, adverse or mixed where the position
  says which way is better.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from alerts.match.direction import direction
from alerts.match.flags import Evidence, Flag, dedupe_evidence, evidence_of
from alerts.match.hits import Found, Hit
from alerts.match.spans import Side, changed_spans, citation_spans, locate, sentence
from alerts.match.weights import context_strength, unit_kinds
from alerts.positions import Position
from parsers.compare.change import Change, NumberChange
from tracker.kinds import Severity

# Score weights (noisy-or): changed words > heading > surrounding text; number and
# added/removed bonuses.
_W_CHANGED, _W_HEADING, _W_TEXT, _W_NUMBER, _W_ADDED = 0.55, 0.4, 0.3, 0.35, 0.2
# context strength from which a provision is about a position even when the change is about
# another one (two distinct specific terms, or a term and repeats)
_ABOUT = 1.5
_REWRITTEN = 0.5  # share of a sentence changed from which it is rewritten
_NEAR = 30  # characters: how much further than the closest term a number may sit


class Decider:
    """Decides which positions a change touches, from the terms ``find`` sees in its texts.

    ``weights`` holds :func:`alerts.match.weights.term_weight` per (position id, term);
    ``find`` takes a normalised text and returns every hit in it, subsumed ones included;
    ``normalize`` is :func:`parsers.khmer.normalize` (or a cached copy of it).
    """

    def __init__(
        self,
        positions: Mapping[str, Position],
        weights: Mapping[tuple[str, str], float],
        find: Callable[[str], list[Found]],
        normalize: Callable[[str], str],
    ) -> None:
        self.positions = positions
        self.weights = weights
        self.find = find
        self.normalize = normalize

    def flag(self, change: Change) -> tuple[Flag, ...]:
        """The positions ``change`` touches, strongest first.

        Only this change is read: its changed words (both sides), the heading of the provision
        it sits in, and the provision's whole text, old and new.
        """
        if change.kind == "renumbered":
            # the same words under a new number: nothing to tell the coalition, whatever the
            # provision is about, so its texts are not read at all
            return ()
        texts: dict[Side, str] = {
            "old": self.normalize(change.old_text),
            "new": self.normalize(change.new_text),
        }
        # A moved provision says on both sides what it said: read the new side.
        kept = change.kind == "moved"
        found: dict[Side, list[Found]] = {
            "old": [] if kept else _uncited(self.find(texts["old"]), texts["old"]),
            "new": _uncited(self.find(texts["new"]), texts["new"]),
        }
        heading_side: Side = "old" if change.kind == "removed" else "new"
        heading_found = self.find(self.normalize(change.heading))
        heading = [f for f in heading_found if not f.subsumed and not f.anchor]
        spans = changed_spans(change, texts["old"], texts["new"])
        whole = change.kind in ("added", "removed")

        clauses = {side: _changed_clauses(change, texts[side], spans[side]) for side in spans}
        changed: dict[str, list[tuple[Side, Hit]]] = {}
        clause: dict[str, list[tuple[Side, Hit]]] = {}
        context: dict[str, list[tuple[Side, Hit]]] = {}
        for side in ("old", "new"):
            for f in found[side]:
                if f.subsumed or f.anchor:
                    continue
                context.setdefault(f.hit.position, []).append((side, f.hit))
                if whole:
                    continue
                if any(s < f.hit.end and f.hit.start < e for s, e in spans[side]):
                    changed.setdefault(f.hit.position, []).append((side, f.hit))
                elif any(s < f.hit.end and f.hit.start < e for s, e in clauses[side]):
                    clause.setdefault(f.hit.position, []).append((side, f.hit))
        headings: dict[str, list[Hit]] = {}
        for f in heading:
            headings.setdefault(f.hit.position, []).append(f.hit)
        numbers = self._numbers(change, texts, found, headings, context)

        touched = set(context) | set(headings) | set(numbers)
        alone = {p for p in touched if self.positions[p].only_with_others}
        # an only-with-others position's own anchors also say the provision is about
        # social protection (budget: "allocated to the Ministry of Social Affairs")
        anchored = {f.hit.position for side in found.values() for f in side if f.anchor}
        anchored |= {f.hit.position for f in heading_found if f.anchor}
        flags = []
        for position in self.positions:
            if position not in touched:
                continue
            if position in alone and not touched - alone and position not in anchored:
                continue  # e.g. an allocation that is not for social protection
            flag = self._decide(
                change,
                position,
                changed.get(position, []),
                clause.get(position, []),
                headings.get(position, []),
                context.get(position, []),
                [e for e, _, _ in numbers.get(position, [])],
                heading_side,
                direct_elsewhere=bool((set(changed) | set(numbers)) - {position}),
            )
            if flag is not None:
                moved = [(e.term, n) for e, n, rated in numbers.get(position, []) if rated]
                way = direction(self.positions[position], change, flag.severity, moved)
                flags.append(replace(flag, direction=way) if way else flag)
        return tuple(sorted(flags, key=lambda f: -f.score))

    def _decide(
        self,
        change: Change,
        position: str,
        changed: list[tuple[Side, Hit]],
        clause: list[tuple[Side, Hit]],
        heading: list[Hit],
        context: list[tuple[Side, Hit]],
        numbers: list[Evidence],
        heading_side: Side,
        *,
        direct_elsewhere: bool,
    ) -> Flag | None:
        w_changed = max((self.weights[(position, h.term)] for _, h in changed), default=0.0)
        w_heading = max((self.weights[(position, h.term)] for h in heading), default=0.0)
        # the changed sentence is about the position: as telling as the heading
        w_heading = max(
            [w_heading, *(self.weights[(position, h.term)] for _, h in clause)], default=0.0
        )
        mass = max(
            context_strength(
                [(h.term, self.weights[(position, h.term)]) for h in _phrases(context, side)]
            )
            for side in ("old", "new")
        )
        strength = min(1.0, mass)
        weak = w_changed == 0 and w_heading == 0 and strength < 1.0
        whole = change.kind in ("added", "removed")
        score = 1.0 - (
            (1 - _W_CHANGED * w_changed)
            * (1 - _W_HEADING * w_heading)
            * (1 - _W_TEXT * strength)
            * (1 - (_W_NUMBER if numbers else 0.0))
            * (1 - (_W_ADDED if whole else 0.0))
        )
        if weak and not numbers and change.kind != "moved":
            return None  # a passing mention in the provision: not what the change is about
        severity: Severity
        if change.kind == "moved":
            severity, score = Severity.LOW, min(score, 0.3)
        elif numbers or (whole and not weak):
            severity = Severity.HIGH
        elif w_changed or w_heading:
            severity = Severity.MEDIUM
        elif direct_elsewhere and mass < _ABOUT:
            # only mentioned in a provision whose change is about other positions
            return None
        elif direct_elsewhere:
            severity = Severity.LOW
        else:
            severity = Severity.MEDIUM
        evidence = list(numbers)
        evidence += [evidence_of(h, side, "changed") for side, h in changed]
        evidence += [evidence_of(h, side, "clause") for side, h in clause]
        evidence += [evidence_of(h, heading_side, "heading") for h in heading]
        evidence += [evidence_of(h, side, "text") for side, h in context]
        return Flag(position, round(score, 3), severity, dedupe_evidence(evidence))

    def _period_owner(self, chosen: set[str], named: dict[str, int], termed: set[str]) -> set[str]:
        """A period in a sentence that names a benefit taking periods (maternity,
        unemployment) is that benefit's, its length or its qualifying period alike: a
        position that measures nothing but time and age (qualifying periods) keeps it only
        when the sentence names no such benefit."""
        timed = {"duration", "age"}
        time_only = {p for p in chosen if set(self.positions[p].number_kinds) <= timed}
        benefits = {
            p
            for p in named
            if p in termed
            and "duration" in self.positions[p].number_kinds
            and not set(self.positions[p].number_kinds) <= timed
        }
        if time_only and benefits:
            return (chosen - time_only) | benefits
        return chosen

    def _numbers(
        self,
        change: Change,
        texts: dict[Side, str],
        found: dict[Side, list[Found]],
        headings: dict[str, list[Hit]],
        context: dict[str, list[tuple[Side, Hit]]],
    ) -> dict[str, list[tuple[Evidence, NumberChange, bool]]]:
        """For each position, the number changes that matter to it, and whether the number
        may say which way the change goes for it.

        The unit must fit the position's number kinds, and the number must sit near one of
        its terms: in the same table row, or in the same sentence and about as close as the
        closest fitting term; else the position owns the heading; else its term is the
        closest one in the provision. A number named by a term of a position that
        ``owns_numbers`` (a contribution rate) goes to no other position through an anchor
        alone, and says nothing of the direction for the others.
        """
        result: dict[str, list[tuple[Evidence, NumberChange, bool]]] = {}
        for number in change.numbers:
            kinds = unit_kinds(number.unit, recurring=number.recurring)
            fitting = {p.id for p in self.positions.values() if kinds & set(p.number_kinds)}
            scale = _scale(number)
            fitting = {
                p for p in fitting if self.positions[p].amount_scale in ("", scale) or not scale
            }
            if not fitting:
                continue
            side, start, end = locate(number, texts)
            # anchors tie only a value that changed (old -> new) to their position
            moved = number.old != number.new
            label = number.label
            if side is not None and label:
                lo, _ = sentence(texts[side], start, end)
                if label in texts[side][lo:start]:
                    label = ""  # named in its own sentence, which is read whole below
            label_hits = self.find(self.normalize(label))
            labelled = {f.hit.position for f in label_hits if moved or not f.anchor}
            termed = {f.hit.position for f in label_hits if not f.anchor}
            mentioned = {f.hit.position for f in label_hits}
            chosen = fitting & labelled
            if not chosen and side is not None:
                lo, hi = sentence(texts[side], start, end)
                before: dict[str, int] = {}
                after: dict[str, int] = {}
                inside: dict[str, int] = {}  # subsumed hits: a fallback
                anywhere: dict[str, int] = {}
                for f in found[side]:
                    if f.hit.position not in fitting or (f.anchor and not moved):
                        continue
                    gap = max(f.hit.start - end, start - f.hit.end, 0)
                    if f.hit.start < hi and lo < f.hit.end:
                        mentioned.add(f.hit.position)
                        near = inside if f.subsumed else before if f.hit.start < start else after
                        near[f.hit.position] = min(near.get(f.hit.position, gap), gap)
                        if not f.anchor:
                            termed.add(f.hit.position)
                    if not f.subsumed and not f.anchor:
                        anywhere[f.hit.position] = min(anywhere.get(f.hit.position, gap), gap)
                # what a number measures is named before it ("the contribution rate is 4%
                # of the assumed wage"); words after it are a fallback
                in_sentence = before or after or inside
                # a period in a sentence under a heading about one of its positions is that
                # one's: a qualifying period inside a maternity clause is maternity's
                every = {**inside, **after, **before}
                if "duration" in kinds and set(every) & set(headings):
                    in_sentence = {
                        p: g for p, g in every.items() if p in headings or p not in termed
                    }
                if in_sentence:
                    best = min(in_sentence.values())
                    chosen = {p for p, gap in in_sentence.items() if gap <= 2 * best + _NEAR}
                if "duration" in kinds:
                    chosen = self._period_owner(chosen, {**after, **before}, termed)
                chosen = chosen or (fitting & set(headings))
                if not chosen and anywhere:
                    best = min(anywhere.values())
                    chosen = {p for p, gap in anywhere.items() if gap == best}
            elif not chosen:
                chosen = fitting & (set(context) | set(headings))
            if scale == "budget" and moved:
                # an allocation that moved, in a row or sentence about social protection
                # (any position, or the budget's own anchors), is a budget change
                scaled = {p for p in fitting if self.positions[p].amount_scale == "budget"}
                if mentioned | set(headings) - scaled or mentioned & scaled:
                    chosen |= scaled
            owners = {p for p in chosen & termed if self.positions[p].owns_numbers}
            if owners:
                chosen = {p for p in chosen if p in termed or p in set(headings)}
            text = f"{number.old_text or '-'} -> {number.new_text or '-'}"
            for position_id in sorted(chosen):
                fit = sorted(kinds & set(self.positions[position_id].number_kinds))
                evidence = Evidence("/".join(fit), text, side or "new", start, end, "number")
                rated = not owners or position_id in owners
                result.setdefault(position_id, []).append((evidence, number, rated))
        return result


def _phrases(context: list[tuple[Side, Hit]], side: Side) -> list[Hit]:
    """The hits of one side, a hit overlapping the one before it left out: ``paid
    contributions for`` and ``contributions for at least`` are one phrase, said once."""
    kept: list[Hit] = []
    for s, h in sorted(context, key=lambda x: (x[1].start, -x[1].end)):
        if s != side:
            continue
        if kept and h.start < kept[-1].end:
            continue
        kept.append(h)
    return kept


def _changed_clauses(
    change: Change, text: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The sentences (or table rows) holding the changed words of one side, when those words
    say something beyond numbers: numbers alone never make a position, and the words around
    a changed number tie it to a position through :meth:`Decider._numbers`."""
    written = {
        w.strip() for n in change.numbers for w in (n.old_text, n.new_text) if w and w.strip()
    }
    clauses: dict[tuple[int, int], int] = {}  # sentence -> changed characters in it
    for start, end in spans:
        words = text[start:end]
        for w in sorted(written, key=len, reverse=True):
            words = words.replace(w, " ")
        if any(c.isalpha() for c in words):
            lo, hi = sentence(text, start, end)
            clauses[(lo, hi)] = clauses.get((lo, hi), 0) + min(end, hi) - max(start, lo)
    # a sentence rewritten for the most part says something new about what it names ("a
    # study on X" -> "X is introduced ..."); words added to a sentence that stays (a group
    # added to a list) are about what they name, not about the rest of the sentence
    return [c for c, n in clauses.items() if n >= _REWRITTEN * (c[1] - c[0])]


def _scale(number: NumberChange) -> str:
    """``budget`` for an amount no single benefit reaches (KHR 1 billion, USD 250,000), else
    ``benefit`` for an amount, else "" (rates, durations, ages)."""
    unit = number.unit.strip().upper()
    if unit not in ("KHR", "USD", "EUR", "RIEL"):
        return ""
    value = max(abs(number.old or 0.0), abs(number.new or 0.0))
    budget = 250_000 if unit in ("USD", "EUR") else 1_000_000_000
    return "budget" if value >= budget else "benefit"


def _uncited(found: list[Found], text: str) -> list[Found]:
    """``found`` without the hits in lines citing other instruments (preamble visas)."""
    cited = citation_spans(text)
    if not cited:
        return found
    return [f for f in found if not any(s <= f.hit.start < e for s, e in cited)]
