"""Parameters over time: crawl a site in two states, follow each labelled rate, amount and
period with its history, English and Khmer; rebuild from a store gives the same registry."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from sqlmodel import col, delete, select
from starlette.exceptions import StarletteDeprecationWarning
from typer.testing import CliRunner

from app.cli import app
from app.config_file import load_settings
from app.demo import demo_config
from app.ingest import rebuild_parameters
from app.jobs import crawl
from app.runtime import Runtime
from app.service import web_settings
from tests.support.mockserver import SiteServer, WebhookServer, serving
from tracker.models import Alert, Change, Parameter, ParameterValue
from tracker.parameters import ParameterLink, links_for_changes, parameters
from web.app import create_app
from web.parameters import step_chart
from web.rendering import make_templates
from web.translations import load_translations

with warnings.catch_warnings():  # Starlette prefers httpx2; the pinned httpx works
    warnings.filterwarnings("ignore", category=StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

EN = {
    "title": "Prakas No. 095 on maternity benefits for workers",
    "articles": [
        "An insured woman is entitled to a maternity benefit equal to {rate}% of her average "
        "daily wage.",
        "The maternity leave lasts {days} days, of which at least 30 days after childbirth.",
        "The contributions shall be declared to the Fund within 15 days.",
    ],
    "heading": "Article {n}.-",
    "inserted": "This Prakas applies to every enterprise registered with the Fund.",
    "signed": "Phnom Penh, 1 September 2025",
}
KM = {
    "title": "ប្រកាសលេខ ០៩៥ ស្តីពីអត្ថប្រយោជន៍មាតុភាពសម្រាប់កម្មករ",
    "articles": [
        "ស្ត្រីដែលមានការធានារ៉ាប់រងមានសិទ្ធិទទួលប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង {rate}% នៃប្រាក់ឈ្នួលប្រចាំថ្ងៃជាមធ្យម។",
        "ការឈប់សម្រាកមាតុភាពមានរយៈពេល {days} ថ្ងៃ។",
    ],
    "heading": "ប្រការ {n}.-",
    "inserted": "ប្រកាសនេះអនុវត្តចំពោះសហគ្រាសទាំងអស់ដែលបានចុះបញ្ជីនៅបេឡាជាតិ។",
    "signed": "ធ្វើនៅរាជធានីភ្នំពេញ ថ្ងៃទី១ ខែកញ្ញា ឆ្នាំ២០២៥",
}
KM_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def _prakas(path: Path, text: dict, rate: int, days: int, inserted: bool) -> None:
    khmer = text is KM
    articles = [text["inserted"]] if inserted else []
    articles += [a.format(rate=rate, days=days) for a in text["articles"]]
    document = docx.Document()
    document.add_paragraph(text["title"])
    for n, body in enumerate(articles, start=1):
        number = str(n).translate(KM_DIGITS) if khmer else str(n)
        document.add_paragraph(text["heading"].format(n=number))
        document.add_paragraph(body.translate(KM_DIGITS) if khmer else body)
    document.add_paragraph(text["signed"])  # type, number and date agree: one work
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def _site(root: Path, rate: int, days: int, inserted: bool) -> Path:
    links = []
    for name, text in (("prakas-095-en.docx", EN), ("prakas-095-km.docx", KM)):
        _prakas(root / "files" / name, text, rate, days, inserted)
        date = '<span class="date">2025-09-01</span>'
        links.append(f'<li><a href="/files/{name}">{text["title"]}</a> {date}</li>')
    (root / "legal-documents").mkdir(parents=True, exist_ok=True)
    (root / "legal-documents" / "index.html").write_text(
        "<!DOCTYPE html><html><body><main><ul class='docs'>"
        + "".join(links)
        + "</ul></main></body></html>",
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def crawled(
    tmp_path_factory: pytest.TempPathFactory, new_database: Callable[[Path], str]
) -> Iterator[tuple[Runtime, Path]]:
    """A site whose prakas (English and Khmer) moves the maternity benefit from 70% to 100%
    and the leave from 90 to 98 days while an article inserted first renumbers the rest;
    crawled in both states (once for the module: the tests only read, except the rebuild
    test, which leaves the registry as it found it)."""
    tmp_path = tmp_path_factory.mktemp("parameters")
    database_url = new_database(tmp_path)
    state1 = _site(tmp_path / "state1", 70, 90, inserted=False)
    state2 = _site(tmp_path / "state2", 100, 98, inserted=True)
    site, webhook = SiteServer(state1), WebhookServer()
    config = tmp_path / "config.toml"
    with serving(site), serving(webhook):
        (tmp_path / "positions.toml").write_bytes(
            (Path(__file__).parents[2] / "positions.toml").read_bytes()
        )
        config.write_text(demo_config(site.url, webhook.port, database_url), encoding="utf-8")
        rt = Runtime(load_settings(config), environ={})
        try:
            crawl(rt)
            crawl(rt)  # the same state again: nothing added
            site.root = state2
            crawl(rt)
            yield rt, config
        finally:
            rt.close()


def _histories(rows: list[dict]) -> dict[tuple[str, str], list[float]]:
    """Each label and unit's first parameter's values (a second quantity of a clause that
    names nothing else, "of which 30 days after childbirth", takes the clause's label)."""
    out: dict[tuple[str, str], list[float]] = {}
    for r in rows:
        out.setdefault((r["label"], r["unit"]), [h["value"] for h in r["history"]])
    return out


def test_cli_lists_each_parameter_with_its_history_in_both_languages(
    crawled: tuple[Runtime, Path],
) -> None:
    _, config = crawled
    result = CliRunner().invoke(app, ["parameters", "--config", str(config), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    histories = _histories(rows)
    assert histories[("maternity benefit", "%")] == [70.0, 100.0]
    assert histories[("maternity leave", "day")] == [90.0, 98.0]
    assert histories[("ប្រាក់ឧបត្ថម្ភមាតុភាព", "%")] == [70.0, 100.0]
    assert histories[("ការឈប់សម្រាកមាតុភាព", "day")] == [90.0, 98.0]
    # the second crawl of the first state restated every value: nothing was added
    assert all(len(h) <= 2 for h in histories.values())
    benefit = next(r for r in rows if r["label"] == "maternity benefit")
    assert benefit["instrument"] == EN["title"]
    assert benefit["ref"] == "Article 2"  # renumbered from Article 1, still one parameter
    assert [h["ref"] for h in benefit["history"]] == ["Article 1", "Article 2"]
    assert "maternity" in benefit["positions"]
    first, second = benefit["history"]
    assert first["version_id"] != second["version_id"] and first["seen_at"] < second["seen_at"]
    assert {"value", "version_id", "seen_at", "sha256", "text"} <= set(first)
    khmer = next(r for r in rows if r["label"] == "ប្រាក់ឧបត្ថម្ភមាតុភាព")
    assert [h["text"] for h in khmer["history"]] == ["៧០%", "១០០%"]
    assert [h["ref"] for h in khmer["history"]] == ["ប្រការ ១", "ប្រការ ២"]  # renumbered too
    # one parameter in two languages: the English translation's is tied to the Khmer text's
    assert benefit["counterpart_id"] == khmer["id"] and khmer["translations"] == [benefit["id"]]
    leave = next(r for r in rows if r["label"] == "maternity leave")
    khmer_leave = next(r for r in rows if r["label"] == "ការឈប់សម្រាកមាតុភាព")
    assert leave["counterpart_id"] == khmer_leave["id"]


def test_position_filter_text_and_csv(crawled: tuple[Runtime, Path]) -> None:
    _, config = crawled
    runner = CliRunner()
    args = ["parameters", "--config", str(config)]
    maternity = json.loads(runner.invoke(app, [*args, "--position", "maternity"]).stdout)
    assert maternity and all("maternity" in r["positions"] for r in maternity)
    text = runner.invoke(app, [*args, "--format", "text"]).stdout
    assert "maternity benefit [%]" in text and "70% -> 100%" in text
    assert "១០០%" in text
    csv_out = runner.invoke(app, [*args, "--format", "csv"]).stdout
    assert csv_out.splitlines()[0].lstrip("\ufeff").startswith('"parameter","label"')
    unknown = runner.invoke(app, [*args, "--position", "maternty"])
    assert unknown.exit_code != 0 and "unknown position" in unknown.output


def test_rebuild_gives_the_registry_a_fresh_crawl_built(crawled: tuple[Runtime, Path]) -> None:
    rt, _ = crawled

    def snapshot() -> list[tuple]:
        """The registry without its own ids: a language link is told by the label and
        instrument it leads to."""
        with rt.session() as s:
            views = parameters(s)
            named = {v.id: (v.label, v.instrument) for v in views}
            return [
                (v.label, v.unit, v.ref, v.positions, v.instrument, v.in_latest,
                 [(h.value, h.text, h.version_id, h.ref, h.sha256) for h in v.history],
                 named.get(v.counterpart_id or 0), sorted(named[t] for t in v.translations))
                for v in views
            ]  # fmt: skip

    fresh = snapshot()
    assert fresh and sum(1 for row in fresh if row[7]) >= 2  # the translation is linked
    with rt.session() as s:  # a store filled before the registry existed
        s.exec(delete(ParameterValue))  # type: ignore[call-overload]
        s.exec(delete(Parameter))  # type: ignore[call-overload]
        s.commit()
    assert snapshot() == []
    rebuild_parameters(rt)
    assert snapshot() == fresh
    rebuild_parameters(rt)  # again: the same, nothing doubled
    assert snapshot() == fresh


def test_web_pages_chart_exports_and_feed(crawled: tuple[Runtime, Path]) -> None:
    rt, _ = crawled
    with TestClient(create_app(web_settings(rt))) as client:
        listing = client.get("/parameters", params={"position": "maternity"})
        assert listing.status_code == 200
        assert "maternity benefit" in listing.text and "ប្រាក់ឧបត្ថម្ភមាតុភាព" in listing.text
        [benefit] = [
            r for r in client.get("/api/parameters").json() if r["label"] == "maternity benefit"
        ]
        page = client.get(f"/parameters/{benefit['id']}")
        assert page.status_code == 200
        svg = page.text[page.text.index("<svg") : page.text.index("</svg>")]
        assert 'role="img"' in svg and "<title" in svg
        assert "70% from" in svg and "100% from" in svg  # the description says every step
        assert svg.count("<circle") == 2
        assert "moved 1 time" in page.text
        assert "<td>the first increase since " in page.text and "<td>first value, " in page.text
        assert "In the other language" in page.text and "ប្រាក់ឧបត្ថម្ភមាតុភាព" in page.text
        # the value's change is one click away, and tells the value's place in the history
        change = re.search(r'href="(/changes/\d+)"', page.text)
        assert change is not None
        change_page = client.get(change.group(1)).text
        assert f'href="/parameters/{benefit["id"]}"' in change_page
        assert "the first increase since" in change_page
        book = load_workbook(io.BytesIO(client.get("/parameters.xlsx").content))
        sheet = book["Parameters"]
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
        values = [
            r[6]
            for r in sheet.iter_rows(min_row=2, values_only=True)
            if r[1] == "maternity benefit"
        ]
        assert values == [70.0, 100.0]
        khmer = next(
            r
            for r in client.get("/api/parameters").json()
            if r["unit"] == "%" and r["label"].startswith("ប្រាក់")
        )
        khmer_page = client.get(f"/parameters/{khmer['id']}").text
        assert "១០០%" in khmer_page
        # Khmer text is marked as Khmer, in the page and in the chart (screen readers, fonts)
        assert f'<h1><span lang="km">{khmer["label"]}</span>' in khmer_page
        assert f'<title id="chart-title-{khmer["id"]}" lang="km">' in khmer_page
        assert '<text class="value" x=' in khmer_page and 'lang="km">១០០%</text>' in khmer_page
        csv_text = client.get("/parameters.csv").content.decode("utf-8-sig")
        assert csv_text.count('"maternity benefit","%"') == 2  # one row per value
        feed = client.get(f"/feeds/parameters/{benefit['id']}.atom")
        assert feed.headers["content-type"].startswith("application/atom+xml")
        assert feed.text.count("<entry>") == 2
        assert "maternity benefit: 100% (the first increase since " in feed.text
        instrument = client.get(f"/instruments/{benefit['instrument_id']}").text
        assert f"/parameters?instrument={benefit['instrument_id']}" in instrument
        of_instrument = client.get("/parameters", params={"instrument": benefit["instrument_id"]})
        assert "maternity benefit" in of_instrument.text
        assert "ប្រាក់ឧបត្ថម្ភមាតុភាព" not in of_instrument.text  # the Khmer text is another
        assert client.get("/parameters/999999").status_code == 404
        assert client.get("/api/parameters/999999").status_code == 404


def test_document_text_is_escaped_in_the_chart_pages_and_exports(
    crawled: tuple[Runtime, Path],
) -> None:
    rt, _ = crawled
    with rt.session() as s:
        [view] = [v for v in parameters(s) if v.label == "maternity benefit"]
    hostile = dataclasses.replace(view, label='<script>alert(1)</script> "x"', unit="<b>")
    svg = str(step_chart(hostile))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg
    # the pages and exports too, for a parameter whose words come from a hostile document
    script = "<script>alert(1)</script>"
    with rt.session() as s:
        parameter = Parameter(
            instrument_id=view.instrument_id, key="hostile|%", label=f"{script} rate",
            unit="%", ref="Article <i>9</i>", heading=script,
        )  # fmt: skip
        s.add(parameter)
        s.flush()
        first = view.history[0]
        s.add(ParameterValue(
            parameter_id=parameter.id, version_id=first.version_id, value=5.0,
            text=f'=cmd|"/c calc"!A1 {script}', ref="Article 9", clause=script,
            sha256=first.sha256, seen_at=first.seen_at,
        ))  # fmt: skip
        s.commit()
        hostile_id = parameter.id
    try:
        with TestClient(create_app(web_settings(rt))) as client:
            for path in ("/parameters", f"/parameters/{hostile_id}",
                         f"/feeds/parameters/{hostile_id}.atom"):  # fmt: skip
                body = client.get(path).text
                assert script not in body and "<i>9</i>" not in body, path
                assert "&lt;script&gt;" in body, path
            csv_text = client.get("/parameters.csv").content.decode("utf-8-sig")
            assert "'=cmd" in csv_text and '"=cmd' not in csv_text  # never read as a formula
    finally:
        with rt.session() as s:
            s.exec(delete(ParameterValue).where(col(ParameterValue.parameter_id) == hostile_id))  # type: ignore[call-overload]
            s.exec(delete(Parameter).where(col(Parameter.id) == hostile_id))  # type: ignore[call-overload]
            s.commit()


# The alert page's hook, as web/routes/alerts.py and alert.html call it (one line each).
ALERT_CELL = (
    "{% for c in changes %}<td>"
    '{% from "parameter_numbers.html" import number_pairs %}'
    "{{ number_pairs(c.numbers, (parameter_links|default({})).get(c.id, {})) }}"
    "</td>{% endfor %}"
)


def test_alert_numbers_link_to_their_parameters_with_the_story(
    crawled: tuple[Runtime, Path],
) -> None:
    rt, _ = crawled
    env = make_templates(load_translations())["en"].env
    with rt.session() as s:
        alerts = list(s.exec(select(Alert).order_by(col(Alert.id))))
        assert alerts
        views = {v.id: v for v in parameters(s)}
        linked: dict[int, str] = {}
        for alert in alerts:
            changes = list(s.exec(select(Change).where(Change.new_version_id == alert.version_id)))
            links = links_for_changes(s, changes)
            html = env.from_string(ALERT_CELL).render(changes=changes, parameter_links=links)
            for m in re.finditer(r'href="/parameters/(\d+)" title="([^"]*)">([^<]+)</a>', html):
                linked[int(m.group(1))] = m.group(3)
            # before the route passes the links, the cell shows the pairs alone
            bare = env.from_string(ALERT_CELL).render(changes=changes)
            assert "/parameters/" not in bare and ("→" in bare) == ("→" in html)
    by_label = {views[i].label: story for i, story in linked.items()}
    [benefit] = [v for v in views.values() if v.label == "maternity benefit"]
    year = benefit.history[0].seen_at.date().isoformat()[:4]  # no effective date stated
    assert by_label["maternity benefit"] == f"the first increase since {year}"
    assert by_label["ប្រាក់ឧបត្ថម្ភមាតុភាព"].startswith("the first increase since")
    assert "maternity leave" in by_label and "ការឈប់សម្រាកមាតុភាព" in by_label
    # and the alert page itself links its numbers so, in the numbers table
    with TestClient(create_app(web_settings(rt))) as client:
        pages = [client.get(f"/alerts/{a.id}") for a in alerts]
    assert all(page.status_code == 200 for page in pages)
    stories = {m for p in pages for m in re.findall(r'href="/parameters/\d+">([^<]+)</a>', p.text)}
    assert f"the first increase since {year}" in stories
    hostile = {0: {("%", 100.0): ParameterLink(1, '"><script>x</script>', "the <b>")}}
    change = {"id": 0, "numbers": [{"old": 70.0, "new": 100.0, "unit": "%"}]}
    html = env.from_string(ALERT_CELL).render(changes=[change], parameter_links=hostile)
    assert "<script>" not in html and "<b>" not in html and "&lt;script&gt;" in html
