"""Reading that does not depend on layout: headings at the top of a page, running lines."""

from __future__ import annotations

import pytest

from parsers.compare.diff import compare
from parsers.khmer import to_khmer_digits
from parsers.read.layout import remove_furniture
from parsers.read.reader import read
from parsers.read.structure import split_sections

_BODY_EN = [
    "The employer shall pay the contribution every month.",
    "A worker who is ill receives a daily allowance.",
    "The fund keeps a reserve for the old-age pension.",
    "Benefits are paid within thirty days of the claim.",
    "The inspector may visit any workplace by day.",
    "An appeal lies to the board within two months.",
]
_BODY_KM = [
    "និយោជកត្រូវបង់ភាគទានជារៀងរាល់ខែ។",
    "កម្មករដែលឈឺទទួលបានប្រាក់ឧបត្ថម្ភប្រចាំថ្ងៃ។",
    "មូលនិធិរក្សាទុនបម្រុងសម្រាប់សោធននិវត្តន៍។",
    "អត្ថប្រយោជន៍ត្រូវបើកក្នុងរយៈពេលសាមសិបថ្ងៃ។",
    "អធិការការងារអាចចុះពិនិត្យកន្លែងធ្វើការ។",
    "ការប្តឹងតវ៉ាត្រូវធ្វើក្នុងរយៈពេលពីរខែ។",
]


def _paginated(heading: str, body: list[str], header: str, pages: int = 10) -> list[str]:
    """Pages under a running header with a page number; two pages out of three open with
    the next heading of the sequence."""
    out = []
    for n in range(1, pages + 1):
        lines = [header]
        if n % 3:
            lines.append(heading.format(n=n, km=to_khmer_digits(str(n))))
        lines += [body[(n + j) % len(body)] for j in range(4)]
        lines.append(f"Page {n} of {pages}")
        out.append("\n".join(lines))
    return out


@pytest.mark.parametrize(
    ("heading", "body", "header"),
    [
        ("Article {n}", _BODY_EN, "Sub-Decree No. 38 on the Social Security Scheme"),
        ("Article {n} - Scope", _BODY_EN, "Official Gazette"),
        ("§ 38-29{n:02d}.", _BODY_EN, "Social Security Code"),
        ("មាត្រា {km}", _BODY_KM, "អនុក្រឹត្យលេខ ៣៨ ស្តីពីរបបសន្តិសុខសង្គម"),
        ("ជំពូកទី {km}", _BODY_KM, "ព្រះរាជាណាចក្រកម្ពុជា"),
    ],
)
def test_a_heading_that_opens_a_page_is_not_a_running_header(
    heading: str, body: list[str], header: str
) -> None:
    pages = _paginated(heading, body, header)
    cleaned = remove_furniture(pages)
    for page, original in zip(cleaned, pages, strict=True):
        lines = original.splitlines()
        assert page.splitlines() == lines[1:-1], "header and page number go, the heading stays"


def test_a_heading_printed_on_every_page_is_a_running_header() -> None:
    pages = _paginated("", _BODY_EN, "Chapter 2 Contributions")
    cleaned = remove_furniture(pages)
    assert all("Chapter 2" not in page for page in cleaned)


@pytest.mark.parametrize(
    ("text", "refs"),
    [
        (
            "ជំពូកទី ១\nបទប្បញ្ញត្តិទូទៅ\nមាត្រា ១\nអនុក្រឹត្យនេះមានគោលបំណង។\nមាត្រា ២\nពាក្យ។",
            ["ជំពូក ១", "មាត្រា ១", "មាត្រា ២"],
        ),
        (
            "ជំពូកទី ១ បទប្បញ្ញត្តិទូទៅ\nមាត្រា ១ ៖\nអនុក្រឹត្យនេះ\nមានគោលបំណង។\nមាត្រា ២ ៖\nពាក្យ។",
            ["ជំពូក ១", "មាត្រា ១", "មាត្រា ២"],
        ),
        (
            "CHAPTER I\nGENERAL PROVISIONS\nArticle 1.-\nThis sub-decree aims.\n"
            "Article 2.-\nTerms.",
            ["Chapter I", "Article 1", "Article 2"],
        ),
    ],
)
def test_a_chapter_heading_never_swallows_its_articles(text: str, refs: list[str]) -> None:
    got = [s.ref for s in split_sections(text) if s.kind != "title"]
    assert got == refs


def test_numbering_schemes_give_refs() -> None:
    text = (
        "LAW ON FUNDS\nCHAPTER 5\nGeneral\nArticle 1. Scope\nThis law applies.\n"
        "Chapter 5B Funds\nArticle 2.1 Rate\nThe rate is set.\nPART IV-A\n§ 38-2903. Reserve.\n"
        "Not funded.\nSection 77.91 Extra\nSection 3 of the Law applies.\n"
        "ជំពូកទី ៦\nមាត្រា ៧ ៖\nអត្ថបទ។"
    )
    refs = [s.ref for s in split_sections(text)]
    # A § number runs through the whole code: it is cited without its part.
    assert refs == [
        "Title", "Chapter 5", "Article 1", "Chapter 5B", "Article 2.1", "Part IV-A",
        "§ 38-2903", "Part IV-A, Section 77.91", "ជំពូក ៦", "មាត្រា ៧",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("heads_old", "heads_new", "body"),
    [
        (["§ 1-101.", "§ 1-102.", "§ 1-103.", "§ 1-104."], ["§ 1-101.", "§ 1-102.", "§ 1-103.",
          "§ 1-104.", "§ 1-105."], "Not funded."),
        (["Article 1", "Article 2", "Article 3", "Article 4"], ["Article 1", "Article 2",
          "Article 3", "Article 4", "Article 5"], "Repealed."),
        (["មាត្រា ១", "មាត្រា ២", "មាត្រា ៣", "មាត្រា ៤"], ["មាត្រា ១", "មាត្រា ២", "មាត្រា ៣",
          "មាត្រា ៤", "មាត្រា ៥"], "និរាករណ៍។"),
    ],
)  # fmt: skip
def test_identical_bodies_under_new_numbers_are_renumbered(
    heads_old: list[str], heads_new: list[str], body: str
) -> None:
    first = "The scope of this law covers every employer in the kingdom."
    inserted = "A new provision on the investment of reserves applies."
    last = "The contribution rate is two percent of wages."
    old = [first, body, body, last]
    new = [first, inserted, body, body, last]
    text_old = "LAW\n" + "\n".join(f"{h}\n{b}" for h, b in zip(heads_old, old, strict=True))
    text_new = "LAW\n" + "\n".join(f"{h}\n{b}" for h, b in zip(heads_new, new, strict=True))
    changes = compare(read(text_old.encode(), name="a.txt"), read(text_new.encode(), name="b.txt"))
    kinds = [(c.kind, c.old_ref, c.new_ref) for c in changes]
    assert kinds[0] == ("added", None, heads_new[1].rstrip("."))
    assert [k for k, _, _ in kinds[1:]] == ["renumbered"] * 3
    assert [o for _, o, _ in kinds[1:]] == [h.rstrip(".") for h in heads_old[1:]]


@pytest.mark.parametrize(
    ("heading", "body", "header"),
    [
        ("Article {n}", _BODY_EN, "Sub-Decree No. 38 on the Social Security Scheme"),
        ("មាត្រា {km}", _BODY_KM, "អនុក្រឹត្យលេខ ៣៨ ស្តីពីរបបសន្តិសុខសង្គម"),
    ],
)
def test_plain_text_with_form_feeds_loses_its_running_lines(
    heading: str, body: list[str], header: str
) -> None:
    pages = _paginated(heading, body, header)
    document = read("\f".join(pages).encode(), name="law.txt")
    assert header not in document.text and "Page " not in document.text
    assert len([s for s in document.sections if s.kind == "article"]) == 7
