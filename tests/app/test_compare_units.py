"""`sptrack compare` text names the point of a change, English and Khmer."""

from __future__ import annotations

import pytest

from app.report import render_compare_text
from parsers.compare.diff import compare
from parsers.read.reader import read

EN = (
    "Law\nArticle 5 Rates\n(1) The employer pays.\n(2) The rate is:\n"
    "(a) 2% for the employer;\n(b) 2% for the worker."
)
KM = "ច្បាប់\nមាត្រា ៥ ៖ ភាគទាន\nនិយោជកត្រូវ៖\nក. ចុះបញ្ជីកម្មករ\nខ. បង់ភាគទាន ២%"


@pytest.mark.parametrize(
    ("text", "old", "new", "line"),
    [
        (EN, "2% for the worker", "3% for the worker", "Article 5(2)(b)"),
        (KM, "បង់ភាគទាន ២%", "បង់ភាគទាន ៣%", "មាត្រា ៥ ចំណុច ខ"),
    ],
)
def test_the_text_report_names_the_point(text: str, old: str, new: str, line: str) -> None:
    changes = compare(read(text.encode()), read(text.replace(old, new).encode()))
    report = {"changes": [{**c.to_json(), "ops": [], "flags": []} for c in changes]}
    assert f"MODIFIED   {line}" in render_compare_text(report)
