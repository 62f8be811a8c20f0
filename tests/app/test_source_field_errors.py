"""The source form's errors are English words as the CLI says them, each also saying its
kind and parameters, so the web can word it in the reader's language (web/sourceadmin.py)."""

from __future__ import annotations

from gettext import NullTranslations

from markupsafe import Markup

from app.sources import FieldError, from_form, to_form
from web.sourceadmin import FIELD_ERROR_WORDS, field_error_words

VALID = to_form({}) | {
    "id": "moi-laws",
    "start_urls": "https://www.interior.gov.kh/laws/",
    "documents": "ul a",
}


def errors_of(admin: bool = False, **fields: str) -> dict[str, str]:
    definition, errors = from_form(VALID | fields, admin=admin)
    assert definition is None
    return errors


def test_each_error_is_its_english_words_with_its_kind_and_parameters() -> None:
    errors = errors_of(
        id="MoI Laws",
        name="x" * 2001,
        json_fields="pdfUrl",
        allow_private_network="on",
        start_urls="\n".join(f"https://example.org/{i}" for i in range(51)),
        max_pages="many",
    )
    assert {name: (str(e), e.kind, e.params) for name, e in errors.items()} == {  # type: ignore[attr-defined]
        "name": ("at most 2000 characters, got 2001", "too_long",
                 {"limit": "2000", "count": "2001"}),
        "json_fields": ("expected one `name = path` a line, got 'pdfUrl'", "pair_line",
                        {"line": "'pdfUrl'"}),
        "allow_private_network": ("only an admin may change this", "admin_only", {}),
        "start_urls": ("at most 50 lines, got 51", "too_many_lines",
                       {"limit": "50", "count": "51"}),
        "id": ("expected lowercase letters, digits, - or _, got 'MoI Laws'", "id_shape",
               {"value": "'MoI Laws'"}),
        "max_pages": ("Input should be a valid integer, unable to parse string as an integer",
                      "int_parsing", {}),
    }  # fmt: skip
    assert all(isinstance(e, FieldError) for e in errors.values())
    rule = errors_of(documents="")["documents"]
    assert (rule, rule.kind) == (  # type: ignore[attr-defined]
        "the generic listing spider needs `documents` (a CSS selector) or `json_items`",
        "needs_selector",
    )


def test_an_english_reader_gets_the_english_and_the_catalogue_words_match_it() -> None:
    english = NullTranslations().gettext
    errors = errors_of(id="MoI Laws", json_fields="pdfUrl", schedule="soon", max_documents="0")
    for error in errors.values():
        assert field_error_words(error, english, "en") is error
    for error in errors.values():  # ours: the msgid with its parameters is the English
        kind = error.kind  # type: ignore[attr-defined]
        if kind in ("id_shape", "pair_line", "cron"):
            assert FIELD_ERROR_WORDS[kind] % error.params == error  # type: ignore[attr-defined]
    unknown = FieldError("Input should be a valid dictionary", "dict_type")
    shown = field_error_words(unknown, english, "km")  # no words of ours: English, marked
    assert shown == Markup('<span lang="en">Input should be a valid dictionary</span>')
    odd = FieldError("Input should be greater than or equal to 1", "greater_than_equal", {})
    assert 'lang="en"' in field_error_words(odd, english, "km")  # context not as expected
    assert field_error_words("already worded", english, "km") == "already worded"
