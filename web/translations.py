"""The interface in Khmer and English: gettext catalogues and each reader's language.

The catalogues are ``web/locale/<lang>/LC_MESSAGES/messages.po``, written by hand from
``make messages`` (Babel extracts every ``_()`` of the templates and of ``web/``). They
are compiled when the app starts, in memory, with Babel's own compiler: no ``.mo`` file is
built or committed, so what is served can never drift from the ``.po`` under review.
English is the source language: its catalogue lists every message with an empty
translation (gettext then answers the message itself).

A reader's language is, in order: the one they chose (stored on their user), the
language cookie (set by the switch, for anyone, signed in or not), the browser's
``Accept-Language``, English.
"""

from __future__ import annotations

import gettext
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from fastapi import Request

from tracker.kinds import Language
from web.errors import CatalogueError

logger = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"
LANGUAGES: tuple[str, ...] = tuple(Language)
DEFAULT_LANGUAGE = "en"
COOKIE = "sptrack_lang"
LANGUAGE_NAMES = {"en": "English", "km": "ខ្មែរ"}
"""Each language in its own words, for the switch (never translated)."""


def N_(message: str) -> str:
    """Marks ``message`` for extraction (gettext's name); it is translated where shown."""
    return message


@dataclass(frozen=True)
class CatalogueProblem:
    language: str
    message: str
    problem: str


def catalogue_path(language: str, root: Path = LOCALE_DIR) -> Path:
    return root / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(language: str, root: Path) -> Catalog:
    path = catalogue_path(language, root)
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=language, domain=DOMAIN)
    except FileNotFoundError as exc:
        raise CatalogueError(str(path), "", "no such catalogue") from exc


def _problems(language: str, catalogue: Catalog) -> list[CatalogueProblem]:
    found: list[CatalogueProblem] = []
    for message, errors in catalogue.check():
        ident = message.id if isinstance(message.id, str) else message.id[0]
        found.extend(CatalogueProblem(language, ident, str(error)) for error in errors)
    return found


def check_catalogue(language: str, root: Path = LOCALE_DIR) -> list[CatalogueProblem]:
    """What Babel's checkers find wrong in a catalogue (placeholders, plural forms)."""
    return _problems(language, _read(language, root))


def compile_catalogue(language: str, root: Path = LOCALE_DIR) -> gettext.GNUTranslations:
    """The ``.po`` of ``language`` compiled with Babel and loaded as gettext translations.

    A catalogue whose translations do not fit their messages (a ``%(name)s`` missing or
    extra) is refused with the message named, rather than served with a hole.
    """
    catalogue = _read(language, root)
    problems = _problems(language, catalogue)
    if problems:
        first = problems[0]
        raise CatalogueError(str(catalogue_path(language, root)), first.message, first.problem)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def load_translations(root: Path = LOCALE_DIR) -> dict[str, gettext.GNUTranslations]:
    translations = {language: compile_catalogue(language, root) for language in LANGUAGES}
    logger.debug("interface catalogues loaded: %s", ", ".join(translations))
    return translations


def known_language(value: object) -> str | None:
    """``value`` if it names an interface language (``km``, ``km-KH``, ``EN``), else None."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-", 1)[0]
    return code if code in LANGUAGES else None


def accepted_language(header: str | None) -> str | None:
    """The interface language an ``Accept-Language`` header prefers most, or None."""
    best: tuple[float, int, str] | None = None
    for order, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        language = known_language(tag)
        if language is None:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight <= 0:
            continue
        candidate = (-weight, order, language)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else None


def request_language(request: Request) -> str:
    """The language this request's page is written in (see the module's doc)."""
    user = getattr(request.state, "user", None)
    chosen = known_language(getattr(user, "language", None))
    if chosen:
        return chosen
    return (
        known_language(request.cookies.get(COOKIE))
        or accepted_language(request.headers.get("accept-language"))
        or DEFAULT_LANGUAGE
    )


def translator(request: Request) -> gettext.GNUTranslations:
    """The translations of this request's language, for messages written in Python."""
    translations: dict[str, gettext.GNUTranslations] = request.app.state.translations
    return translations[request_language(request)]
