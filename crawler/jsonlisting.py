"""JSON listings: a site whose listing is a JSON API rather than HTML links.

JavaScript-rendered sites (a Next.js App Router front end, say) load their lists from an
API such as ``/api/public/laws?lang=km&page=1&pageSize=9`` answering
``{"total": 31, "items": [{"id", "title", "date", "language", "pdfUrl"}, ...]}``. A source
describes such an API declaratively:

- its start URLs are the API URLs, with ``{page}`` (1, 2, ...), ``{offset}`` (0, page
  size, ...) and ``{page_size}`` placeholders where the paging goes;
- ``json_items`` is the path to the list of items (``items``, ``result.results``; ``.``
  for an answer that is the list itself);
- ``json_fields`` maps ``url`` (required), ``title``, ``date``, ``number``, ``language``
  and ``edition`` (a value shared by the language editions of one instrument) to paths
  inside an item (``pdfUrl``, ``file.url``);
- ``json_total`` is the path to the number of items in the whole listing, when the API
  says it; pages are asked for until that many items were seen, else until a page holds
  fewer than ``page_size`` items.

Paths are dot-separated keys and list indices (``data.0.items``). A value that is a
mapping of languages (``{"en": ..., "km": ...}``) gives the item's language's text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from crawler.errors import SpecInvalid

FIELDS = ("url", "title", "date", "number", "language", "edition")
PLACEHOLDERS = ("page", "offset", "page_size")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class NotFound(Exception):
    """A JSON path that leads nowhere in a document."""

    def __init__(self, path: str, step: str) -> None:
        self.path = path
        self.step = step
        super().__init__(f"{path!r}: no {step!r} in the answer")


def check_fields(fields: Mapping[str, str]) -> None:
    """Refuse a ``json_fields`` table naming unknown fields or lacking ``url``."""
    if not isinstance(fields, Mapping):
        raise SpecInvalid("json_fields", "a table of field = path", fields)
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise SpecInvalid("json_fields", f"keys among {', '.join(FIELDS)}", unknown)
    if not fields.get("url"):
        raise SpecInvalid("json_fields", "a `url` path (the document link in an item)", fields)
    for name, path in fields.items():
        if not isinstance(path, str) or not path.strip():
            raise SpecInvalid(f"json_fields.{name}", "a path such as `file.url`", path)


def check_template(url: str) -> None:
    for name in _PLACEHOLDER.findall(url):
        if name not in PLACEHOLDERS:
            expected = "placeholders among " + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            raise SpecInvalid("start_urls", expected, url)


def is_paged(url: str) -> bool:
    """True when the URL template says where the page goes."""
    return any(name in ("page", "offset") for name in _PLACEHOLDER.findall(url))


def fill(url: str, page: int, page_size: int) -> str:
    """The template with page ``page`` (1-based) filled in."""
    values = {"page": page, "offset": (page - 1) * page_size, "page_size": page_size}
    return _PLACEHOLDER.sub(lambda m: str(values.get(m[1], m[0])), url)


def has_more(template: str, items: int, seen: int, total: int | None, page_size: int) -> bool:
    """Whether to ask for the next page, after a page of ``items`` (``seen`` so far): while
    the count ``total`` is not reached, else while pages are full; never for an empty page
    or a template that names no page."""
    if not items or not is_paged(template):
        return False
    return seen < total if total is not None else items >= page_size


def resolve(data: object, path: str) -> object:
    """The value at ``path`` (``a.b.0.c``; ``.`` or empty is the document itself)."""
    node = data
    if path.strip() in ("", "."):
        return node
    for step in path.strip().split("."):
        if isinstance(node, Mapping) and step in node:
            node = node[step]
        elif isinstance(node, list) and _index(step, len(node)) is not None:
            node = node[int(step)]
        else:
            raise NotFound(path, step)
    return node


def _index(step: str, length: int) -> int | None:
    try:
        index = int(step)
    except ValueError:
        return None
    return index if -length <= index < length else None


def text_of(value: object, language: str | None = None) -> str:
    """A scalar as text; a language mapping as the wanted language's text (else the first)."""
    if isinstance(value, Mapping):
        chosen = value.get(language) if language else None
        if not chosen and language == "km":
            chosen = value.get("kh")
        if not chosen:
            chosen = next((v for v in value.values() if isinstance(v, str | int) and v), "")
        value = chosen
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str | int | float):
        return " ".join(str(value).split())
    return ""


@dataclass(frozen=True)
class JsonItem:
    """What an item of a JSON listing says about one document."""

    url: str
    title: str | None
    date: str | None
    number: str | None
    language: str | None
    edition: str | None


def items_of(data: object, items_path: str) -> list[object]:
    """The list at ``items_path``; ``NotFound`` or ``ValueError`` when it is not a list."""
    found = resolve(data, items_path)
    if not isinstance(found, list):
        raise ValueError(f"{items_path!r} is a {type(found).__name__}, not a list of items")
    return found


def read_item(item: object, fields: Mapping[str, str]) -> JsonItem | None:
    """An item's document link and facts; None when the item has no document URL."""
    if not isinstance(item, Mapping):
        return None

    def get(name: str, language: str | None = None) -> str:
        path = fields.get(name)
        if not path:
            return ""
        try:
            return text_of(resolve(item, path), language)
        except NotFound:
            return ""

    language = _language(get("language"))
    url = get("url", language)
    if not url:
        return None
    date = get("date")
    return JsonItem(
        url=url,
        title=get("title", language) or None,
        date=date[:10] if re.match(r"\d{4}-\d\d-\d\d[T ]", date) else (date or None),
        number=get("number", language) or None,
        language=language,
        edition=get("edition") or None,
    )


def total_of(data: object, total_path: str | None) -> int | None:
    if not total_path:
        return None
    try:
        value = resolve(data, total_path)
    except NotFound:
        return None
    if isinstance(value, bool):
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


def _language(value: str) -> str | None:
    code = value.strip().lower()
    if not code:
        return None
    return {"kh": "km", "khm": "km", "khmer": "km", "eng": "en", "english": "en"}.get(code, code)
