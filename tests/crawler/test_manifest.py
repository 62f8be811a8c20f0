"""Crawl output files: blobs, manifest rows, report, spec (no network, no Scrapy engine)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest

from crawler.errors import OutputCorrupt, SpecInvalid
from crawler.items import DocumentItem
from crawler.manifest import (
    CrawlReport,
    FetchedDocument,
    FetchFailure,
    read_manifest,
    read_report,
    write_atomic,
)
from crawler.pipelines import BlobStore, BlobStorePipeline, ManifestPipeline
from crawler.spec import SourceSpec, Validators, read_spec, write_spec


def row(url: str, **changes: object) -> FetchedDocument:
    values: dict[str, object] = {
        "source_id": "nssf-legal",
        "url": url,
        "final_url": url,
        "status": "fetched",
        "sha256": "ab" * 32,
        "size": 3,
        "content_type": "application/pdf",
        "etag": '"e1"',
        "last_modified": "Thu, 27 Jun 2024 08:00:00 GMT",
        "fetched_at": "2024-06-27T08:00:00+00:00",
        "listing_url": "https://www.nssf.gov.kh/legal/",
        "title": "អនុក្រឹត្យ ស្ដីពី ប្រាក់សោធន",
        "listing_date": "២៧ មិថុនា ២០២៤",
        "blob_path": "blobs/" + "ab" * 32,
    }
    values.update(changes)
    return FetchedDocument(**values)  # type: ignore[arg-type]


def write_rows(out: Path, rows: list[FetchedDocument], tail: str = "") -> None:
    lines = [json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in rows]
    (out / "manifest.jsonl").write_text("".join(lines) + tail, encoding="utf-8")


def test_manifest_round_trip_joins_blob_paths(tmp_path: Path) -> None:
    rows = [
        row("https://a/1.pdf"),
        row("https://a/2.pdf", status="not_modified", sha256=None, size=0, blob_path=None),
    ]
    write_rows(tmp_path, rows)
    back = read_manifest(tmp_path)
    assert back[0].blob_path == str(tmp_path / "blobs" / ("ab" * 32))
    assert back[0].title == rows[0].title
    assert back[1] == rows[1]


def test_a_truncated_last_line_is_skipped(tmp_path: Path) -> None:
    whole = json.dumps(row("https://a/3.pdf").to_json(), ensure_ascii=False)
    write_rows(tmp_path, [row("https://a/1.pdf"), row("https://a/2.pdf")], tail=whole[:57])
    assert [d.url for d in read_manifest(tmp_path)] == ["https://a/1.pdf", "https://a/2.pdf"]


def test_a_bad_line_in_the_middle_is_an_error(tmp_path: Path) -> None:
    write_rows(tmp_path, [row("https://a/1.pdf")], tail='{"url": \n')
    with pytest.raises(OutputCorrupt, match=r"manifest\.jsonl:2"):
        read_manifest(tmp_path)


def test_no_manifest_reads_as_no_documents(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) == []
    assert read_report(tmp_path) is None


def test_report_round_trip(tmp_path: Path) -> None:
    report = CrawlReport(
        source_id="nssf-legal",
        requests=9,
        documents=2,
        errors=[FetchFailure("https://a/ឯកសារ.pdf", "HTTP 404")],
        failed=1,
        finished=True,
    )
    write_atomic(tmp_path / "report.json", json.dumps(report.to_json()).encode())
    assert read_report(tmp_path) == report
    (tmp_path / "report.json").write_text("{", encoding="utf-8")
    with pytest.raises(OutputCorrupt, match="expected a JSON report"):
        read_report(tmp_path)


def test_blobs_are_content_addressed_and_never_overwritten(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    digest, new = store.put(b"%PDF-1.4 one")
    assert digest == hashlib.sha256(b"%PDF-1.4 one").hexdigest() and new
    path = tmp_path / "blobs" / digest
    before = path.stat().st_mtime_ns
    os.chmod(path, 0o444)
    assert store.put(b"%PDF-1.4 one") == (digest, False)
    assert path.stat().st_mtime_ns == before
    assert sorted(p.name for p in (tmp_path / "blobs").iterdir()) == [digest]  # no temp files


def test_write_atomic_leaves_nothing_behind_on_failure(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing-dir" / "x", b"data")
    write_atomic(tmp_path / "x", b"data")
    write_atomic(tmp_path / "x", b"new data")
    assert (tmp_path / "x").read_bytes() == b"new data"
    assert [p.name for p in tmp_path.iterdir()] == ["x"]


def test_pipelines_store_bytes_then_flush_a_row_per_item(tmp_path: Path) -> None:
    blobs = BlobStorePipeline(tmp_path)
    manifest = ManifestPipeline(tmp_path, "nssf-legal")
    manifest.open_spider()
    for url in ("https://a/1.pdf", "https://a/copy-of-1.pdf"):
        item = DocumentItem(
            source_id="nssf-legal",
            url=url,
            status="fetched",
            body=b"%PDF same bytes",
            title="ប្រកាស ស្ដីពី ការចុះឈ្មោះ",
        )
        manifest.process_item(blobs.process_item(item))
        assert "body" not in item
    manifest.process_item(
        DocumentItem(source_id="nssf-legal", url="https://a/2.pdf", status="not_modified")
    )
    # Readable while the crawl is still running: rows are flushed one by one.
    rows = read_manifest(tmp_path)
    manifest.close_spider()

    assert [r.status for r in rows] == ["fetched", "fetched", "not_modified"]
    assert rows[0].blob_path == rows[1].blob_path
    assert Path(str(rows[0].blob_path)).read_bytes() == b"%PDF same bytes"
    assert rows[0].title == "ប្រកាស ស្ដីពី ការចុះឈ្មោះ"
    assert (manifest.report.documents, manifest.report.not_modified) == (2, 1)
    assert manifest.report.bytes == 2 * len(b"%PDF same bytes")


def test_spec_file_round_trip_with_validators(tmp_path: Path) -> None:
    spec = SourceSpec(
        id="nssf-legal",
        start_urls=("https://www.nssf.gov.kh/ច្បាប់/",),
        documents="ul.docs a::attr(href)",
        next_page="a.next::attr(href)",
    )
    validators = {"https://www.nssf.gov.kh/a.pdf": Validators(etag='"x"', last_modified=None)}
    write_spec(tmp_path / "spec.json", spec, validators)
    assert read_spec(tmp_path / "spec.json") == (spec, validators)
    assert spec.allowed_domains == ("www.nssf.gov.kh",)
    assert (spec.max_pages, spec.max_documents, spec.spider) == (50, 500, "listing")


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"start_urls": ()}, "start_urls"),
        ({"start_urls": ("ftp://x/",)}, "start_urls"),
        ({"documents": ""}, "documents"),
        ({"max_pages": 0}, "max_pages"),
        ({"allow_private_network": "yes"}, "allow_private_network"),
    ],
)
def test_bad_specs_are_refused_by_key(changes: dict[str, object], key: str) -> None:
    values: dict[str, object] = {"id": "s", "start_urls": ("https://x/",), "documents": "a"}
    values.update(changes)
    with pytest.raises(SpecInvalid, match=re.escape(repr(key))):
        SourceSpec(**values)  # type: ignore[arg-type]


def test_unknown_spec_keys_are_named() -> None:
    with pytest.raises(SpecInvalid, match="'documnets'"):
        SourceSpec.from_json({"id": "s", "start_urls": ["https://x/"], "documnets": "a"})
