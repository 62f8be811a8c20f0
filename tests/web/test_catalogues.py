"""The interface catalogues (web/locale) hold every message the code and the templates ask
for, each translated into Khmer, with the same placeholders; the converted templates have
no interface text left outside ``_()``. A new string that is not translated fails here."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from web.translations import (
    LANGUAGES,
    LOCALE_DIR,
    catalogue_path,
    check_catalogue,
    compile_catalogue,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "web" / "templates"
# Templates whose interface text is not in _() yet, and why; every other template must have
# all of its text in _(). A template converted since must leave this list (a test says so).
PENDING: dict[str, str] = {}
PAGES = sorted(p.name for p in TEMPLATES.glob("*.html"))
# Words a Khmer translation may keep in Latin letters: names of files, formats, settings.
LATIN_IN_KHMER = {
    "API", "JSON", "OpenAPI", "OCR", "URL", "UTC", "iCalendar", "Atom", "config", "toml",
    "robots", "txt", "docs", "adding", "a", "source", "md", "id", "headers", "selectors",
    "spider", "pension", "HTML", "WordPress", "CKAN", "sptrack", "serve", "check", "save",
    "Apprise", "CSS", "cron",
}  # fmt: skip
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")
# Code in a message (`listing`, `sptrack crawl`, `{page_size}`): config keys, commands and
# values, kept as they are in every language (and checked to be the same code).
CODE = re.compile(r"`[^`]*`")
KHMER = re.compile(r"[\u1780-\u17ff]")


def _extracted() -> dict[str, str | tuple[str, ...]]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, str | tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        key = message if isinstance(message, str) else message[0]
        found[key] = message
    return found


@pytest.fixture(scope="module")
def extracted() -> dict[str, str | tuple[str, ...]]:
    return _extracted()


def _catalogue(language: str) -> dict[str, tuple[object, object]]:
    with catalogue_path(language).open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): (m.id, m.string) for m in catalogue if m.id
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_in_the_catalogue_and_nothing_stale(
    extracted: dict[str, str | tuple[str, ...]], language: str
) -> None:
    catalogue = _catalogue(language)
    missing = sorted(set(extracted) - set(catalogue))
    stale = sorted(set(catalogue) - set(extracted))
    assert not missing, f"run `make messages` and translate: {missing[:10]}"
    assert not stale, f"run `make messages` (no longer used): {stale[:10]}"
    for key, message in extracted.items():  # plural messages stay plural, and back
        assert isinstance(catalogue[key][0], str) == isinstance(message, str), key


def test_every_message_has_a_khmer_translation_in_khmer(
    extracted: dict[str, str | tuple[str, ...]],
) -> None:
    untranslated, not_khmer, english_left, code_changed = [], [], [], []
    for key, (_ident, string) in _catalogue("km").items():
        strings = [string] if isinstance(string, str) else list(string)  # type: ignore[call-overload]
        if not all(strings):
            untranslated.append(key)
            continue
        words = re.findall(r"[A-Za-z]+", CODE.sub("", PLACEHOLDER.sub("", key)))
        english = any(w.islower() or w.istitle() for w in words if w not in LATIN_IN_KHMER)
        if english and not all(KHMER.search(s) for s in strings):
            not_khmer.append(key)
        for s in strings:
            if sorted(CODE.findall(s)) != sorted(CODE.findall(key)):
                code_changed.append(key)
            latin = set(re.findall(r"[A-Za-z]+", CODE.sub("", PLACEHOLDER.sub("", s))))
            if latin - LATIN_IN_KHMER:
                english_left.append((key, sorted(latin - LATIN_IN_KHMER)))
    assert not untranslated, f"no Khmer translation: {untranslated[:10]}"
    assert not not_khmer, f"Khmer translation without Khmer: {not_khmer[:10]}"
    assert not english_left, f"English words left in Khmer: {english_left[:10]}"
    assert not code_changed, f"code in `` changed in Khmer: {code_changed[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_fit_their_messages(language: str) -> None:
    assert check_catalogue(language) == []
    for key, (_ident, string) in _catalogue(language).items():
        for s in [string] if isinstance(string, str) else string:  # type: ignore[attr-defined]
            if s:
                assert set(PLACEHOLDER.findall(s)) == set(PLACEHOLDER.findall(key)), key


def test_the_catalogues_compile_and_answer() -> None:
    km = compile_catalogue("km")
    assert km.gettext("Dashboard") == "ផ្ទាំងគ្រប់គ្រង"
    assert km.ngettext("%(count)s alert", "%(count)s alerts", 5) == "ការជូនដំណឹង %(count)s"
    en = compile_catalogue("en")
    assert en.gettext("Dashboard") == "Dashboard"
    assert en.ngettext("%(count)s alert", "%(count)s alerts", 1) == "%(count)s alert"
    assert en.ngettext("%(count)s alert", "%(count)s alerts", 2) == "%(count)s alerts"


def test_a_broken_translation_is_refused_by_name(tmp_path: Path) -> None:
    from web.errors import CatalogueError

    for language in LANGUAGES:
        target = catalogue_path(language, tmp_path)
        target.parent.mkdir(parents=True)
        target.write_bytes(catalogue_path(language).read_bytes())
    km = catalogue_path("km", tmp_path)
    km.write_text(
        km.read_text(encoding="utf-8").replace(
            'msgstr "ការជូនដំណឹង #%(id)s"', 'msgstr "ការជូនដំណឹង #%(number)s"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=r"alert #%\(id\)s"):
        compile_catalogue("km", tmp_path)


def test_the_catalogues_are_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["web"]
    for language in LANGUAGES:
        relative = catalogue_path(language).relative_to(LOCALE_DIR.parent).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative


class _Text(HTMLParser):
    """The text and the readable attributes of a template with its Jinja code blanked."""

    READABLE = ("title", "placeholder", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("code", "script", "style"):
            self._skip += 1
        self.found.extend(v for k, v in attrs if k in self.READABLE and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.found.append(data)


JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
TAG_NAMED_BY_CODE = re.compile(r"<(/?)\{\{.*?\}\}")  # <{{ tag }} ...>: a tag all the same
PATH = re.compile(r"[a-z]+://\S+|(?<!\w)/[\w./-]+")  # addresses and paths, not words
# Not words to translate: the site's formats and names, as they are written everywhere.
NOT_WORDS = {"XLSX", "CSV", "JSON", "Atom", "sha256"}


def _text_outside_gettext(name: str) -> list[str]:
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    parser = _Text()
    parser.feed(JINJA.sub(" ", TAG_NAMED_BY_CODE.sub(r"<\1span", source)))
    return [
        word
        for text in parser.found
        for word in re.findall(r"[A-Za-z][A-Za-z0-9'-]*", PATH.sub(" ", text))
        if word not in NOT_WORDS
    ]


@pytest.mark.parametrize("name", PAGES)
def test_templates_have_no_text_outside_gettext(name: str) -> None:
    left = _text_outside_gettext(name)
    if name in PENDING:
        assert left, f"{name} is converted now: take it off PENDING"
    else:
        assert not left, (
            f"{name}: interface text outside _(): {left[:10]} (wrap it in _() and run "
            "`make messages`, then translate the Khmer entries)"
        )
