from __future__ import annotations

import pytest

from parsers.read.layout import remove_furniture
from parsers.read.metadata import instrument_metadata
from parsers.read.structure import split_sections

KHMER = """ព្រះរាជាណាចក្រកម្ពុជា
ជាតិ សាសនា ព្រះមហាក្សត្រ
លេខ ៣២ អនក្រ.បក
អនុក្រឹត្យ
ស្តីពីរបបសន្តិសុខសង្គមផ្នែកសោធននិវត្តន៍
- បានឃើញរដ្ឋធម្មនុញ្ញនៃព្រះរាជាណាចក្រកម្ពុជា
- បានឃើញច្បាប់ស្តីពីរបបសន្តិសុខសង្គម
សម្រេច
ជំពូកទី ១
បទប្បញ្ញត្តិទូទៅ
មាត្រា ១.-
អនុក្រឹត្យនេះអនុវត្តចំពោះកម្មករនិយោជិត។
មាត្រា៥ អត្រាភាគទាន
អត្រាភាគទានត្រូវបានកំណត់ត្រឹម ៤%។
មាត្រា ៥ ថ្មី.-
ភាគទានត្រូវបង់រៀងរាល់ខែ។
មាត្រា ៦.-
ដូចមានចែងក្នុង
មាត្រា ៥ នៃអនុក្រឹត្យនេះ។
ធ្វើនៅរាជធានីភ្នំពេញ ថ្ងៃទី០៤ ខែមីនា ឆ្នាំ២០២១
ឧបសម្ព័ន្ធ ១
តារាងអត្រាភាគទាន
មាត្រា ១ ក្នុងឧបសម្ព័ន្ធ
"""

ENGLISH = """KINGDOM OF CAMBODIA
Royal Kram NS/RKM/1119/018
LAW
on Social Security Schemes
Having seen the Constitution;
CHAPTER II
SCOPE
Section 1 - Definitions
Art. 4: Terms
Terms used in this law.
Article 4 bis.- Self-employed persons
This law covers self-employed persons.
Section 2 - Coverage
ARTICLE 5
This Law applies to persons defined by the provisions of the Labour Law, and
Article 7 of the Labour Law applies to them.
CHAPTER III
Section 1 - Pensions
Article 6.- Pension
Text.
Done at Phnom Penh, 2 November 2019
ANNEX
List of schemes
"""


def test_khmer_refs_as_printed() -> None:
    sections = split_sections(KHMER)
    refs = [s.ref for s in sections]
    assert refs == [
        "Title",
        "Preamble",
        "ជំពូក ១",
        "មាត្រា ១",
        "មាត្រា ៥",
        "មាត្រា ៥ ថ្មី",
        "មាត្រា ៦",
        "Closing",
        "ឧបសម្ព័ន្ធ ១",
    ]
    by_ref = {s.ref: s for s in sections}
    assert by_ref["មាត្រា ៥"].heading == "អត្រាភាគទាន"
    assert by_ref["មាត្រា ៥"].number == "5"
    assert by_ref["មាត្រា ៥ ថ្មី"].number == "5new"
    assert by_ref["ជំពូក ១"].heading == "បទប្បញ្ញត្តិទូទៅ"
    assert by_ref["ជំពូក ១"].kind == "chapter"
    # A cross-reference wrapped to the start of a line is not a new article.
    assert "មាត្រា ៥ នៃអនុក្រឹត្យនេះ" in by_ref["មាត្រា ៦"].text
    assert "សម្រេច" in by_ref["Preamble"].text
    # The annex keeps its own article-like lines.
    assert "មាត្រា ១ ក្នុងឧបសម្ព័ន្ធ" in by_ref["ឧបសម្ព័ន្ធ ១"].text
    assert by_ref["Title"].kind == "title"


def test_english_refs_bis_roman_chapters_and_sections() -> None:
    sections = split_sections(ENGLISH)
    refs = [s.ref for s in sections]
    assert refs == [
        "Title",
        "Preamble",
        "Chapter II",
        "Chapter II, Section 1",
        "Article 4",
        "Article 4 bis",
        "Chapter II, Section 2",
        "Article 5",
        "Chapter III",
        "Chapter III, Section 1",
        "Article 6",
        "Closing",
        "Annex",
    ]
    by_ref = {s.ref: s for s in sections}
    assert by_ref["Chapter II"].number == "2"
    assert by_ref["Article 4"].heading == "Terms"
    assert by_ref["Article 4 bis"].number == "4bis"
    assert by_ref["Article 4 bis"].heading == "Self-employed persons"
    assert "Article 7 of the Labour Law" in by_ref["Article 5"].text
    assert by_ref["Article 5"].heading == ""
    assert by_ref["Article 6"].text == "Article 6.- Pension\nText."


def test_text_without_structure_becomes_paragraphs() -> None:
    letter = "Dear colleagues,\n\nThe NSSF will raise contributions.\nMore soon.\n\nRegards"
    sections = split_sections(letter)
    assert [s.ref for s in sections] == ["¶1", "¶2", "¶3"]
    assert sections[1].text == "The NSSF will raise contributions.\nMore soon."
    assert all(s.kind == "paragraph" for s in sections)
    assert [s.ref for s in split_sections("មួយ\nពីរ")] == ["¶1", "¶2"]
    assert split_sections("") == ()


def test_duplicate_refs_stay_unique() -> None:
    refs = [s.ref for s in split_sections("Article 1.- A\nx\nArticle 1.- B\ny")]
    assert refs == ["Article 1", "Article 1 (2)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            KHMER,
            {
                "type": "sub-decree",
                "number": "៣២ អនក្រ.បក",
                "date": "2021-03-04",
                "title": "អនុក្រឹត្យ ស្តីពីរបបសន្តិសុខសង្គមផ្នែកសោធននិវត្តន៍",
            },
        ),
        (
            ENGLISH,
            {
                "type": "law",
                "number": "NS/RKM/1119/018",
                "date": "2019-11-02",
                "title": "LAW on Social Security Schemes",
            },
        ),
        ("ប្រកាស\nលេខ ០៩៥/២៥ ក.ប/ប្រ.ក\nប្រការ ១.-\nអត្ថបទ", {"type": "prakas"}),
    ],
)
def test_instrument_metadata(text: str, expected: dict[str, str]) -> None:
    meta = instrument_metadata(text)
    for key, value in expected.items():
        assert meta.get(key) == value


PRAKAS_KM = """ព្រះរាជាណាចក្រកម្ពុជា
ជាតិ សាសនា ព្រះមហាក្សត្រ
ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ
លេខ៖ ០៩៥/២៥ ក.ប/ប្រ.ក
ប្រកាស
ស្តីពីការផ្តល់ប្រាក់ឧបត្ថម្ភមាតុភាព
រដ្ឋមន្ត្រីក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ
- បានឃើញរដ្ឋធម្មនុញ្ញនៃព្រះរាជាណាចក្រកម្ពុជា
- បានឃើញច្បាប់ស្តីពីការងារ
សម្រេច
ប្រការ ១.-
ប្រាក់ឧបត្ថម្ភមាតុភាពត្រូវបានផ្តល់ដូចខាងក្រោម៖
ក. ៧០% នៃប្រាក់ឈ្នួលក្នុងរយៈពេល ៩០ ថ្ងៃ
ខ. ប្រាក់ឧបត្ថម្ភពេលសម្រាលកូន ៨០០.០០០ រៀល
ប្រការ ២ ស្ទួន.-
ប្រការនេះត្រូវអនុវត្តតាមឧបសម្ព័ន្ធ ១។
ប្រការ ៣.-
ប្រកាសនេះមានប្រសិទ្ធភាពចាប់ពីថ្ងៃចុះហត្ថលេខាតទៅ។
ថ្ងៃសុក្រ ៥កើត ខែផល្គុន ឆ្នាំឆ្លូវ ត្រីស័ក ព.ស. ២៥៦៤
រាជធានីភ្នំពេញ ថ្ងៃទី០៤ ខែមីនា ឆ្នាំ២០២១
រដ្ឋមន្ត្រី
ឧបសម្ព័ន្ធ ១
តារាងអត្រា
មាត្រា ១ អត្រា
ប្រការ ៤.-
ប្រការនេះបន្ថែមក្រោយឧបសម្ព័ន្ធ។
"""

PRAKAS_EN = """KINGDOM OF CAMBODIA
NATION RELIGION KING
Ministry of Labour and Vocational Training
No. 165/22 MLVT/Br.K.NSSF
PRAKAS
on Maternity Allowance
The Minister of Labour and Vocational Training
- Having seen the Constitution of the Kingdom of Cambodia;
HEREBY DECIDES
Article 1.- Benefits
The allowance is paid as follows:
(a) 70% of the wage for 90 days;
(b) a birth allowance of KHR 800,000.
1. The employer pays the wage.
2. The NSSF pays the allowance.
Article 2 bis.- Scope
This Prakas applies to all workers.
Article 3
Article 2 applies to them.
Phnom Penh, 4 March 2021
Minister
Annex 1
Rates
Article 1 Rates
Article 4.- Entry into force
This Prakas enters into force on signature.
"""


@pytest.mark.parametrize(
    ("text", "issuer", "title_end"),
    [
        (PRAKAS_KM, "រដ្ឋមន្ត្រីក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ", "ស្តីពីការផ្តល់ប្រាក់ឧបត្ថម្ភមាតុភាព"),
        (PRAKAS_EN, "The Minister of Labour and Vocational Training", "on Maternity Allowance"),
        (
            "SUB-DECREE\non Pensions\nThe Royal Government\n- Having seen the Constitution;\n"
            "Article 1.- Scope\nText.",
            "The Royal Government",
            "on Pensions",
        ),
        (
            "រាជរដ្ឋាភិបាល\nអនុក្រឹត្យ\nស្តីពីសោធននិវត្តន៍\nរាជរដ្ឋាភិបាល\n- បានឃើញរដ្ឋធម្មនុញ្ញ\nមាត្រា ១.-\nអត្ថបទ។",
            "រាជរដ្ឋាភិបាល",
            "ស្តីពីសោធននិវត្តន៍",
        ),
    ],
)
def test_title_stops_before_the_issuer_who_opens_the_preamble(
    text: str, issuer: str, title_end: str
) -> None:
    by_ref = {s.ref: s for s in split_sections(text)}
    assert by_ref["Title"].text.split("\n")[-1] == title_end
    assert by_ref["Preamble"].text.split("\n")[0] == issuer
    meta = instrument_metadata(text)
    assert meta["title"].endswith(title_end)
    assert issuer not in meta["title"].replace(title_end, "")


def test_khmer_points_closing_and_annex_followed_by_an_article() -> None:
    sections = split_sections(PRAKAS_KM)
    assert [s.ref for s in sections] == [
        "Title",
        "Preamble",
        "ប្រការ ១",
        "ប្រការ ២ ស្ទួន",
        "ប្រការ ៣",
        "Closing",
        "ឧបសម្ព័ន្ធ ១",
        "ប្រការ ៤",
    ]
    by_ref = {s.ref: s for s in sections}
    assert by_ref["ប្រការ ១"].text.endswith(
        "ក. ៧០% នៃប្រាក់ឈ្នួលក្នុងរយៈពេល ៩០ ថ្ងៃ\nខ. ប្រាក់ឧបត្ថម្ភពេលសម្រាលកូន ៨០០.០០០ រៀល"
    )
    assert by_ref["ប្រការ ២ ស្ទួន"].number == "2bis"
    # The lunar date line opens the closing; place, date and signatory stay in it.
    assert by_ref["Closing"].text.split("\n") == [
        "ថ្ងៃសុក្រ ៥កើត ខែផល្គុន ឆ្នាំឆ្លូវ ត្រីស័ក ព.ស. ២៥៦៤",
        "រាជធានីភ្នំពេញ ថ្ងៃទី០៤ ខែមីនា ឆ្នាំ២០២១",
        "រដ្ឋមន្ត្រី",
    ]
    # The annex keeps its own "មាត្រា ១" but not the body's next article.
    assert "មាត្រា ១ អត្រា" in by_ref["ឧបសម្ព័ន្ធ ១"].text
    assert "ប្រការ ៤" not in by_ref["ឧបសម្ព័ន្ធ ១"].text


def test_english_points_cross_reference_closing_and_annex() -> None:
    sections = split_sections(PRAKAS_EN)
    assert [s.ref for s in sections] == [
        "Title",
        "Preamble",
        "Article 1",
        "Article 2 bis",
        "Article 3",
        "Closing",
        "Annex 1",
        "Article 4",
    ]
    by_ref = {s.ref: s for s in sections}
    body = by_ref["Article 1"].text.split("\n")
    assert body[2:] == [
        "(a) 70% of the wage for 90 days;",
        "(b) a birth allowance of KHR 800,000.",
        "1. The employer pays the wage.",
        "2. The NSSF pays the allowance.",
    ]
    # "Article 2 applies to them." is a wrapped cross-reference, not a new article.
    assert by_ref["Article 3"].text == "Article 3\nArticle 2 applies to them."
    assert by_ref["Closing"].text == "Phnom Penh, 4 March 2021\nMinister"
    assert by_ref["Annex 1"].text == "Annex 1\nRates\nArticle 1 Rates"
    assert by_ref["Article 4"].heading == "Entry into force"


def test_refs_are_stable_across_layouts() -> None:
    wrapped = PRAKAS_EN.replace(
        "This Prakas applies to all workers.", "This Prakas applies\nto all workers."
    )
    assert [s.ref for s in split_sections(wrapped)] == [s.ref for s in split_sections(PRAKAS_EN)]
    khmer_digits = PRAKAS_KM.replace("ប្រការ ៣.-", "ប្រការទី ៣ ៖")
    assert [s.ref for s in split_sections(khmer_digits)][4] == "ប្រការ ៣"


def test_phnom_penh_in_running_text_is_not_a_closing() -> None:
    text = "Article 1.- Scope\nPhnom Penh, Kandal and Takeo are covered first.\nArticle 2.- X\nY."
    assert [s.ref for s in split_sections(text)] == ["Article 1", "Article 2"]


@pytest.mark.parametrize(
    ("head", "number"),
    [
        ("អនុក្រឹត្យ\nលេខ ៣២ អនក្រ.បក", "៣២ អនក្រ.បក"),
        ("អនុក្រឹត្យលេខ ៣២ អនក្រ.បក\nស្តីពីសោធននិវត្តន៍", "៣២ អនក្រ.បក"),
        ("SUB-DECREE No. 32 ANK.BK\non Pensions", "32 ANK.BK"),
        ("No: 32 ANKr.BK\nSUB-DECREE", "32 ANKr.BK"),
        ("ROYAL KRAM\nNS/RKM/1119/018\nLAW\non Social Security Schemes", "NS/RKM/1119/018"),
        ("ព្រះរាជក្រម\nនស/រកម/១១១៩/០១៨\nច្បាប់\nស្តីពីរបបសន្តិសុខសង្គម", "នស/រកម/១១១៩/០១៨"),
        ("MLVT\nNo. 165/22 MLVT/Br.K.NSSF\nPRAKAS\non Maternity", "165/22 MLVT/Br.K.NSSF"),
        ("ក្រសួងការងារ\nលេខ៖ ០៩៥/២៥ ក.ប/ប្រ.ក\nប្រកាស\nស្តីពីមាតុភាព", "០៩៥/២៥ ក.ប/ប្រ.ក"),
    ],
)
def test_instrument_numbers_as_printed(head: str, number: str) -> None:
    assert instrument_metadata(head + "\nArticle 1.- Scope\nText.")["number"] == number


@pytest.mark.parametrize(
    ("head", "kind", "title"),
    [
        ("អនុក្រឹត្យលេខ ៣២ អនក្រ.បក\nស្តីពីសោធននិវត្តន៍", "sub-decree", "អនុក្រឹត្យ ស្តីពីសោធននិវត្តន៍"),
        ("SUB-DECREE No. 32 ANK.BK\non Pensions", "sub-decree", "SUB-DECREE on Pensions"),
        ("Royal Kram NS/RKM/1119/018\nLAW\non Social Security", "law", "LAW on Social Security"),
        ("ប្រកាសអន្តរក្រសួង\nស្តីពីប្រាក់ឈ្នួល", "inter-ministerial prakas", "ប្រកាសអន្តរក្រសួង ស្តីពីប្រាក់ឈ្នួល"),
    ],
)
def test_instrument_type_and_title(head: str, kind: str, title: str) -> None:
    meta = instrument_metadata(head + "\nArticle 1.- Scope\nText.")
    assert (meta["type"], meta["title"]) == (kind, title)


@pytest.mark.parametrize(
    ("closing", "date"),
    [
        ("ធ្វើនៅភ្នំពេញ ថ្ងៃទី០៤ ខែមីនា ឆ្នាំ២០២១", "2021-03-04"),
        ("ធ្វើនៅរាជធានីភ្នំពេញ ថ្ងៃទី ១៥ ខែ កុម្ភៈ ឆ្នាំ ២០២២", "2022-02-15"),
        ("រាជធានីភ្នំពេញ ថ្ងៃទី៣១ ខែធ្នូ ឆ្នាំ២០២៣", "2023-12-31"),
        ("Phnom Penh, 4 March 2021", "2021-03-04"),
        ("Done at Phnom Penh, 04th of March 2021", "2021-03-04"),
        ("Phnom Penh, March 4, 2021", "2021-03-04"),
        ("Done at Phnom Penh on 2 Nov. 2019", "2019-11-02"),
        ("Done at Phnom Penh,\n4 March 2021", "2021-03-04"),
    ],
)
def test_instrument_date_from_the_closing(closing: str, date: str) -> None:
    text = f"SUB-DECREE\nArticle 1.- Scope\nText dated 1 January 2000.\n{closing}\nPrime Minister"
    assert instrument_metadata(text)["date"] == date


_BODY = [
    "The employer shall pay the contribution for each worker every month.",
    "The worker shall receive the benefit under the conditions of this sub-decree.",
    "ប្រាក់ឧបត្ថម្ភមាតុភាពត្រូវបានផ្តល់ជូនកម្មករនិយោជិតដែលមានផ្ទៃពោះ។",
    "អត្រាភាគទានត្រូវបានកំណត់ដោយប្រកាសរបស់រដ្ឋមន្ត្រី។",
    "Benefits are indexed to the consumer price index once a year.",
    "A survivor receives a pension after sixty months of contributions.",
    "ការធ្វើសន្ទស្សន៍ប្រាក់សោធនត្រូវធ្វើឡើងជារៀងរាល់ឆ្នាំ។",
    "The Fund publishes an annual report and an actuarial valuation.",
]


def _pages(header: list[str], bodies: int = 4) -> list[str]:
    """Pages of a running header over six body lines that differ from page to page."""
    return [
        "\n".join([header[i % len(header)], *(_BODY[(i + j) % len(_BODY)] for j in range(6))])
        for i in range(bodies)
    ]


@pytest.mark.parametrize(
    "header",
    [
        [
            "Sub-Decree No. 38 on the Social Security Scheme",
            "Sub-Decree No. 38 an the Social Securlty Scheme",
            "Sub-Decree No. 38 on tbe Social Security Scheme",
        ],
        [
            "អនុក្រឹត្យលេខ ៣៨ ស្តីពីរបបសន្តិសុខសង្គម",
            "អនុក្រឹត្យលេខ ៣៨ ស្តីពីរបបសន្តិសុខសង្គ",
            "អនុក្រឹត្យលេខ ៣៨ ស្តីពីរបបសន្តិសុខសងម",
        ],
    ],
)
def test_running_header_misread_by_ocr_is_still_removed(header: list[str]) -> None:
    cleaned = remove_furniture(_pages(header, bodies=6))
    assert all(not any(page.startswith(h) for h in header) for page in cleaned)
    assert all(len(page.splitlines()) == 6 for page in cleaned), "body lines all kept"


def test_different_first_lines_are_not_taken_for_furniture() -> None:
    headings = [
        "Chapter 1: Scope and definitions",
        "Chapter 2: Contributions of employers",
        "Chapter 3: Old-age pension benefits",
        "ជំពូកទី ៤ ប្រាក់ឧបត្ថម្ភមាតុភាព",
        "ជំពូកទី ៥ ការធ្វើសន្ទស្សន៍",
        "Chapter 6: Final provisions",
    ]
    cleaned = remove_furniture(_pages(headings, bodies=6))
    assert [p.splitlines()[0] for p in cleaned] == headings


def test_pages_that_all_print_the_same_text_keep_it() -> None:
    page = "Calibration sheet\nColour space CalGray\nGamma 2.2\n- 1 -"
    cleaned = remove_furniture([page.replace("1", str(i)) for i in range(1, 5)])
    assert all(
        p.splitlines() == ["Calibration sheet", "Colour space CalGray", "Gamma 2.2"]
        for p in cleaned
    )


def test_issuer_line_split_by_the_extractor_still_opens_the_preamble() -> None:
    text = "អនុក្រឹត្យ\nស្តីពីរបបសន្តិសុខសង្គម\nរាជរដ្ឋា ភិបាល\n- បានឃើញរដ្ឋធម្មនុញ្ញ\nមាត្រា ១\nអត្ថបទ"
    sections = split_sections(text)
    title = next(s for s in sections if s.kind == "title")
    preamble = next(s for s in sections if s.kind == "preamble")
    assert "ភិបាល" not in title.text
    assert preamble.text.startswith("រាជរដ្ឋា ភិបាល")
