"""The whole rapid response through the console script: a ministry site on 127.0.0.1 changes
its maternity prakas while the coalition's webhook refuses everything; a later
``sptrack alerts send`` delivers each alert once, a second sends nothing, a re-crawl alerts
nothing new, and ``sptrack note`` writes the old and new figures into the note."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import docx
import pytest

from alerts.deliver.channels import Channel
from tests.support.mockserver import SiteServer, serving

LISTING = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Legal documents</title></head>
<body><h1>Legal documents</h1><ul class="docs">
<li><a href="/docs/prakas-109-health-care-en.docx">Prakas No. 109 on Health Care Benefits</a></li>
<li><a href="/docs/prakas-109-health-care-km.docx">ប្រកាសលេខ ១០៩ ស្តីពីរបបថែទាំសុខភាព</a></li>
</ul></body></html>
"""


def prakas(path: Path, paragraphs: Sequence[str]) -> None:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def site_state(root: Path, rate: str, days: str, rate_km: str, days_km: str) -> Path:
    (root / "legal-documents").mkdir(parents=True)
    (root / "legal-documents" / "index.html").write_text(LISTING, encoding="utf-8")
    prakas(
        root / "docs" / "prakas-109-health-care-en.docx",
        [
            "Prakas No. 109 on Health Care Benefits for Persons Defined by the Labour Law",
            "Article 1",
            "This Prakas determines the health care benefits of the social security scheme.",
            "Article 5",
            f"A female worker on maternity leave shall receive a maternity allowance equal to "
            f"{rate} of her average wage for {days}.",
            "Article 6",
            "The National Social Security Fund shall pay the allowance within 15 days of a claim.",
        ],
    )
    prakas(
        root / "docs" / "prakas-109-health-care-km.docx",
        [
            "ប្រកាសលេខ ១០៩ ស្តីពីរបបថែទាំសុខភាព",
            "មាត្រា ១",
            "ប្រកាសនេះកំណត់អំពីអត្ថប្រយោជន៍ថែទាំសុខភាពនៃរបបសន្តិសុខសង្គម។",
            "មាត្រា ៥",
            f"កម្មការិនីដែលឈប់សម្រាកលំហែមាតុភាព ទទួលបានប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង {rate_km} "
            f"នៃប្រាក់ឈ្នួលមធ្យម រយៈពេល {days_km}។",
        ],
    )
    return root


@pytest.mark.slow
def test_refused_during_crawl_then_sent_once_and_the_note_holds_the_figures(
    world, webhook, cli, tmp_path: Path
) -> None:
    sptrack = cli.run
    state1 = site_state(tmp_path / "state1", "70%", "90 days", "៧០%", "៩០ ថ្ងៃ")
    state2 = site_state(tmp_path / "state2", "100%", "98 days", "១០០%", "៩៨ ថ្ងៃ")
    site = SiteServer(state1)
    with serving(site):
        config = cli.config([Channel("coalition", webhook.hook_url)])
        text = config.read_text(encoding="utf-8")
        config.write_text(
            text.replace(
                "[web]",
                f"""[crawler]
delay_s = 0

[[sources]]
id = "moh-legal"
name = "Ministry legal documents"
start_urls = ["{site.url}/legal-documents/"]
documents = "ul.docs a::attr(href)"
allow_private_network = true

[web]""",
            ),
            encoding="utf-8",
        )
        webhook.refuse = True
        baseline = sptrack("crawl", "--config", str(config))
        assert baseline.returncode == 0, baseline.stderr
        assert "(baseline)" in baseline.stdout
        site.root = state2
        changed = sptrack("crawl", "--config", str(config))
        assert changed.returncode == 0, changed.stderr
        assert "2 changed" in changed.stdout and "2 alerts" in changed.stdout
        refused = len(webhook.hooks)
        assert refused == 2 and {h.answer for h in webhook.hooks} == {503}
        assert webhook.accepted == {}

        webhook.refuse = False
        sent = sptrack("alerts", "send", "--config", str(config))
        assert sent.returncode == 0, sent.stderr
        assert sent.stdout.strip() == "2 sent, 0 failed, 0 pending"
        listed = json.loads(sptrack("alerts", "list", "--config", str(config)).stdout)
        assert webhook.refs() == sorted(f"alert:{a['id']}" for a in listed)
        assert webhook.repeats == 0
        assert all(a["status"] == "sent" for a in listed)

        again = sptrack("alerts", "send", "--config", str(config))
        assert again.stdout.strip() == "0 sent, 0 failed, 0 pending"
        recrawl = sptrack("crawl", "--config", str(config))
        assert "0 alerts" in recrawl.stdout
        assert len(webhook.hooks) == refused + 2
        assert len(json.loads(sptrack("alerts", "list", "--config", str(config)).stdout)) == 2

    english = next(a for a in listed if "maternity" in a["positions"] and "Prakas" in a["summary"])
    subjects = sorted(p["title"] for p in webhook.accepted.values())
    assert (
        "[HIGH] Maternity protection: Prakas No. 109 on Health Care Benefits, Article 5: "
        "maternity allowance 70% -> 100% (90 days -> 98 days)"
    ) in subjects
    assert any("មាត្រា ៥: ប្រាក់ឧបត្ថម្ភមាតុភាព ៧០% -> ១០០% (៩០ ថ្ងៃ -> ៩៨ ថ្ងៃ)" in s for s in subjects), (
        subjects
    )
    assert english["summary"] == (
        "Maternity: Prakas No. 109 on Health Care Benefits, Article 5: "
        "maternity allowance 70% -> 100% (90 days -> 98 days)"
    )

    note = tmp_path / "note.docx"
    made = sptrack("note", str(english["id"]), "--config", str(config), "--out", str(note))
    assert made.returncode == 0, made.stderr
    document = docx.Document(str(note))
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["Article 5", "maternity allowance", "70%", "100%"] in cells
    assert ["Article 5", "days", "90 days", "98 days"] in cells  # "for 90 days": no label
    # the article as a redline: old words struck through, new ones underlined
    [redline] = [
        p.runs
        for p in document.paragraphs
        if "maternity allowance" in p.text and any(r.font.strike for r in p.runs)
    ]
    old = "".join(r.text for r in redline if not r.font.underline)
    new = "".join(r.text for r in redline if not r.font.strike)
    assert "70% of her average wage for 90 days" in old
    assert "100% of her average wage for 98 days" in new
    assert [r.text for r in redline if r.font.strike] == ["70", "90"]
    assert [r.text for r in redline if r.font.underline] == ["100", "98"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Maternity protection" in body
    assert "benefits that replace income for the full leave period" in body  # the stance
