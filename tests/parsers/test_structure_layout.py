"""Reading that does not depend on layout: headings at the top of a page, running lines."""

from __future__ import annotations

import pytest

from parsers.khmer import to_khmer_digits
from parsers.structure import remove_furniture, split_sections

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
