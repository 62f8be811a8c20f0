"""One parameter in several languages: each parameter of a work's translations tied to the
same parameter of its official text (``Parameter.counterpart_id``), by provision, unit and
value history."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from parsers.compare.parameter_roles import role_signs
from tracker import languages
from tracker.counterparts import aligned_refs, readable_version
from tracker.history import document_of
from tracker.models import Parameter, ParameterValue


def link_languages(session: Session, instrument_id: int) -> int:
    """Tie each parameter of the translations of ``instrument_id``'s work to the same
    parameter of its official text; the number of links.

    Provisions are aligned across the languages as the cross-language check aligns them
    (structure and numbers). Within a provision pair, parameters of one unit are matched by
    their value histories (:func:`_likeness`: a translation that lags still shares the
    official text's older values), best match first; what no value tells apart is paired in
    reading order only when both sides have as many left, so a quantity one language states
    and the other does not (``of which 30 days after childbirth``) stays unlinked rather
    than shifting the others. A parameter whose provision found no counterpart is then
    matched across the whole text by an identical history of its unit, when that is
    unambiguous on both sides.
    """
    official = languages.official_of(session, instrument_id)
    if official is None:
        return 0
    official_version = readable_version(session, official.instrument_id)
    official_doc = document_of(official_version)
    if official_doc is None:
        return 0
    targets = _by_ref_unit(session, official.instrument_id)
    links = 0
    for expression in languages.siblings(session, official.instrument_id):
        document = document_of(readable_version(session, expression.instrument_id))
        if document is None:
            continue
        refs = aligned_refs(document, official_doc)
        groups = _by_ref_unit(session, expression.instrument_id)
        own_all = [p for group in groups.values() for p in group]
        theirs_all = [p for group in targets.values() for p in group]
        histories = _histories(session, [*own_all, *theirs_all])
        for parameter in own_all:  # links are made anew from the texts as they are now
            parameter.counterpart_id = None
            session.add(parameter)
        taken: set[int] = set()
        for (ref, unit), own in groups.items():
            theirs = targets.get((refs.get(ref, ""), unit), [])
            for parameter, target in _matched(own, theirs, histories):
                parameter.counterpart_id = target.id
                assert target.id is not None
                taken.add(target.id)
                session.add(parameter)
                links += 1
        left = [p for p in own_all if p.counterpart_id is None]
        free = [p for p in theirs_all if p.id not in taken]
        for parameter, target in _same_history(left, free, histories):
            parameter.counterpart_id = target.id
            session.add(parameter)
            links += 1
    session.flush()
    return links


def _by_ref_unit(session: Session, instrument_id: int) -> dict[tuple[str, str], list[Parameter]]:
    groups: dict[tuple[str, str], list[Parameter]] = {}
    statement = select(Parameter).where(Parameter.instrument_id == instrument_id)
    for p in session.exec(statement.order_by(col(Parameter.id))):
        groups.setdefault((p.ref, p.unit), []).append(p)
    return groups


def _histories(session: Session, found: Sequence[Parameter]) -> dict[int, tuple[float, ...]]:
    """Each parameter's values, oldest first."""
    ids = [p.id for p in found if p.id is not None]
    out: dict[int, list[float]] = {i: [] for i in ids}
    if ids:
        statement = select(ParameterValue).where(col(ParameterValue.parameter_id).in_(ids))
        ordered = statement.order_by(col(ParameterValue.seen_at), col(ParameterValue.id))
        for v in session.exec(ordered):
            out[v.parameter_id].append(v.value)
    return {i: tuple(values) for i, values in out.items()}


def _likeness(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """How alike two value histories are: the values they share in the same order (a
    translation that lags shares a prefix), a half more when they stand at the same value
    now; 0 when they share none."""
    if not a or not b:
        return 0.0
    common = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            common[i + 1][j + 1] = (
                common[i][j] + 1 if x == y else max(common[i][j + 1], common[i + 1][j])
            )
    shared = common[len(a)][len(b)]
    return shared + (0.5 if shared and a[-1] == b[-1] else 0.0)


def _matched(
    own: list[Parameter], theirs: list[Parameter], histories: dict[int, tuple[float, ...]]
) -> list[tuple[Parameter, Parameter]]:
    """Parameters of one unit in two aligned provisions paired: by history likeness, best
    first (ties to the nearer place in reading order); the rest in order when as many are
    left on each side."""

    def place(k: int, n: int) -> float:
        return k / max(n - 1, 1)

    def score(a: Parameter, b: Parameter) -> float:
        """History likeness, a half more when both labels name the same roles (the employer's
        share, a minimum), none when they name others."""
        alike = _likeness(histories.get(a.id or 0, ()), histories.get(b.id or 0, ()))
        signs_a, signs_b = role_signs(a.label), role_signs(b.label)
        if signs_a and signs_b and signs_a != signs_b:
            return 0.0
        return alike + (0.5 if alike and signs_a and signs_a == signs_b else 0.0)

    scored = sorted(
        (-score(a, b), abs(place(i, len(own)) - place(j, len(theirs))), i, j)
        for i, a in enumerate(own)
        for j, b in enumerate(theirs)
    )
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for negative, _, i, j in scored:
        if negative < 0 and i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    rest_own = [i for i in range(len(own)) if i not in pairs]
    rest_theirs = [j for j in range(len(theirs)) if j not in used]
    if len(rest_own) == len(rest_theirs):
        pairs.update(zip(rest_own, rest_theirs, strict=True))
    # the same quantity stated twice by one text (in its prose and again in a table) is one
    # parameter of the other text when its history and roles leave no doubt
    for i in (i for i in range(len(own)) if i not in pairs):
        sure = [j for j in range(len(theirs)) if _sure(own[i], theirs[j], histories)]
        if len(sure) == 1:
            pairs[i] = sure[0]
    return [(own[i], theirs[j]) for i, j in sorted(pairs.items())]


def _sure(a: Parameter, b: Parameter, histories: dict[int, tuple[float, ...]]) -> bool:
    """``a``'s history is where ``b``'s started (or all of it) and both labels name the
    same roles."""
    mine, theirs = histories.get(a.id or 0, ()), histories.get(b.id or 0, ())
    signs = role_signs(a.label)
    return bool(mine and signs) and theirs[: len(mine)] == mine and signs == role_signs(b.label)


def _same_history(
    own: list[Parameter], theirs: list[Parameter], histories: dict[int, tuple[float, ...]]
) -> list[tuple[Parameter, Parameter]]:
    """Pairs of one unit with the very same history, where no other parameter on either
    side has that unit and history."""

    def key(p: Parameter) -> tuple[str, tuple[float, ...]]:
        return p.unit, histories.get(p.id or 0, ())

    mine: dict[tuple[str, tuple[float, ...]], list[Parameter]] = {}
    for p in own:
        mine.setdefault(key(p), []).append(p)
    other: dict[tuple[str, tuple[float, ...]], list[Parameter]] = {}
    for p in theirs:
        other.setdefault(key(p), []).append(p)
    return [
        (found[0], other[k][0])
        for k, found in mine.items()
        if k[1] and len(found) == 1 and len(other.get(k, [])) == 1
    ]
