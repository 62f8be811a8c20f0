"""The listing spider's callbacks, fed saved responses (no network)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.errors import SpecInvalid, fetch_failed
from crawler.items import DocumentItem
from crawler.spec import SourceSpec, Validators
from crawler.spiders.listing import (
    ListingSpider,
    describe_failure,
    extract_links,
    extract_next_page,
    split_selector,
)

BASE = "https://www.nssf.gov.kh/legal/"

LISTING = """<html><body>
<ul class="docs">
  <li><a href="/files/sub-decree-12.pdf">  Sub-decree
      No. 12 </a> <span class="date">27 June 2024</span></li>
  <li><span class="date">២៧ មិថុនា ២០២៤</span>
      <a href="ប្រកាស/ប្រកាស-៥.pdf"><b>ប្រកាស</b> ស្ដីពី​ការ​ចុះ​ឈ្មោះ</a></li>
  <li><a href="#">skip me</a><a href="javascript:void(0)">and me</a></li>
  <li><a href="mailto:info@nssf.gov.kh">mail</a></li>
  <li><a href="notice.html" title="Notice on contributions"><img src="x.png"></a></li>
</ul>
<a class="next" href="?page=2">ទំព័របន្ទាប់</a>
</body></html>"""

TABLE = """<html><body><table class="files">
<tr><td class="name">Prakas on the contribution rate</td><td>2024-01-05</td>
    <td><a href="/a.pdf">Download</a></td></tr>
<tr><td class="name">ប្រកាស ស្ដីពី អត្រាភាគទាន</td><td>២០២៤</td>
    <td><a href="/b.pdf">ទាញយក</a></td></tr>
</table></body></html>"""


def page(body: str, url: str = BASE, **kwargs: Any) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8", **kwargs)


def make_spider(**changes: Any) -> ListingSpider:
    validators = changes.pop("validators", {})
    values: dict[str, Any] = {
        "id": "nssf-legal",
        "start_urls": (BASE,),
        "documents": "ul.docs a::attr(href)",
        "next_page": "a.next::attr(href)",
        "date": "span.date",
    }
    values.update(changes)
    crawler = get_crawler(ListingSpider)
    spider = ListingSpider.from_crawler(crawler, spec=SourceSpec(**values), validators=validators)
    assert isinstance(spider, ListingSpider)
    return spider


def test_links_titles_and_dates_in_english_and_khmer() -> None:
    links = extract_links(page(LISTING), "ul.docs a::attr(href)", date="span.date")

    assert [link.url for link in links] == [
        "https://www.nssf.gov.kh/files/sub-decree-12.pdf",
        "https://www.nssf.gov.kh/legal/%E1%9E%94%E1%9F%92%E1%9E%9A%E1%9E%80%E1%9E%B6%E1%9E%9F/"
        "%E1%9E%94%E1%9F%92%E1%9E%9A%E1%9E%80%E1%9E%B6%E1%9E%9F-%E1%9F%A5.pdf",
        "https://www.nssf.gov.kh/legal/notice.html",
    ]
    assert [link.title for link in links] == [
        "Sub-decree No. 12",
        "ប្រកាស ស្ដីពី\u200bការ\u200bចុះ\u200bឈ្មោះ",  # zero-width spaces are kept
        "Notice on contributions",
    ]
    assert [link.date for link in links] == ["27 June 2024", "២៧ មិថុនា ២០២៤", None]


def test_title_and_date_selectors_relative_to_a_table_row() -> None:
    links = extract_links(
        page(TABLE), "table.files a", date="td:nth-child(2)::text", title="td.name"
    )
    assert [(link.title, link.date) for link in links] == [
        ("Prakas on the contribution rate", "2024-01-05"),
        ("ប្រកាស ស្ដីពី អត្រាភាគទាន", "២០២៤"),
    ]


def test_next_page_is_joined_to_the_listing_url() -> None:
    assert extract_next_page(page(LISTING), "a.next::attr(href)") == BASE + "?page=2"
    assert extract_next_page(page(TABLE), "a.next::attr(href)") is None


def test_selectors_are_split_or_refused() -> None:
    assert split_selector("ul.docs a::attr(href)") == ("ul.docs a", "href")
    assert split_selector("a.pdf") == ("a.pdf", "href")
    assert split_selector("a::attr(data-url)") == ("a", "data-url")
    with pytest.raises(SpecInvalid, match="::text"):
        split_selector("ul.docs a::text")


def test_parse_listing_sends_conditional_requests() -> None:
    known = "https://www.nssf.gov.kh/files/sub-decree-12.pdf"
    spider = make_spider(
        validators={known: Validators(etag='"abc"', last_modified="Thu, 27 Jun 2024 08:00:00 GMT")}
    )
    out = list(spider.parse_listing(page(LISTING), first=True))

    documents = [r for r in out if r.callback == spider.parse_document]
    listings = [r for r in out if r.callback == spider.parse_listing]
    assert len(documents) == 3
    assert documents[0].headers["If-None-Match"] == b'"abc"'
    assert documents[0].headers["If-Modified-Since"] == b"Thu, 27 Jun 2024 08:00:00 GMT"
    assert b"If-None-Match" not in documents[1].headers
    assert documents[0].meta["handle_httpstatus_list"] == [304]
    assert documents[1].cb_kwargs == {
        "listing_url": BASE,
        "title": "ប្រកាស ស្ដីពី\u200bការ\u200bចុះ\u200bឈ្មោះ",
        "listing_date": "២៧ មិថុនា ២០២៤",
    }
    assert [r.url for r in listings] == [BASE + "?page=2"]
    assert listings[0].cb_kwargs == {"first": False}
    assert not documents[0].dont_filter  # duplicates are left to Scrapy's dupefilter


def start_requests_of(spider: ListingSpider) -> list[Request]:
    async def collect() -> list[Request]:
        return [request async for request in spider.start()]

    return asyncio.run(collect())


def test_start_requests_are_first_listing_pages() -> None:
    spider = make_spider(start_urls=(BASE, BASE + "ប្រកាស/"))
    requests = start_requests_of(spider)
    assert [r.url for r in requests] == [
        BASE,
        BASE + "%E1%9E%94%E1%9F%92%E1%9E%9A%E1%9E%80%E1%9E%B6%E1%9E%9F/",
    ]
    assert all(r.cb_kwargs == {"first": True} for r in requests)
    assert spider.allowed_domains == ["www.nssf.gov.kh"]


def test_a_page_seen_before_is_not_followed_again() -> None:
    spider = make_spider()
    start_requests_of(spider)
    list(spider.parse_listing(page(LISTING), first=True))
    again = page(LISTING.replace("?page=2", BASE), url=BASE + "?page=2")
    out = list(spider.parse_listing(again, first=False))
    assert out == []  # same documents, and the next link points back to page 1


def test_an_empty_first_page_reports_the_selector() -> None:
    spider = make_spider()
    sent: list[dict[str, Any]] = []
    spider.crawler.signals.connect(lambda **kw: sent.append(kw), signal=fetch_failed, weak=False)

    out = list(spider.parse_listing(page("<html><body><p>Maintenance</p></body></html>")))

    assert out == []
    assert sent[0]["url"] == BASE
    assert sent[0]["error"] == (
        f"selector 'ul.docs a::attr(href)' matched nothing on {BASE}: layout changed?"
    )


def test_max_documents_caps_the_requests() -> None:
    spider = make_spider(max_documents=2)
    out = [r for r in spider.parse_listing(page(LISTING)) if r.callback == spider.parse_document]
    assert len(out) == 2
    assert spider.crawler.stats.get_value("listing/truncated") is True


def _document(spider: ListingSpider, status: int, body: bytes, **headers: str) -> DocumentItem:
    request = Request("https://www.nssf.gov.kh/files/a.pdf")
    response = Response(request.url, status=status, body=body, headers=headers, request=request)
    items = list(spider.parse_document(response, BASE, "ច្បាប់ ស្ដីពី របបសន្តិសុខសង្គម", None))
    assert len(items) == 1
    return items[0]


def test_a_200_document_carries_bytes_and_validators() -> None:
    item = _document(
        make_spider(),
        200,
        b"%PDF-1.7 bytes",
        **{"ETag": '"v2"', "Last-Modified": "Fri, 28 Jun 2024 08:00:00 GMT"},
        **{"Content-Type": "application/pdf"},
    )
    assert item["status"] == "fetched"
    assert item["body"] == b"%PDF-1.7 bytes"
    assert item["etag"] == '"v2"'
    assert item["content_type"] == "application/pdf"
    assert item["title"] == "ច្បាប់ ស្ដីពី របបសន្តិសុខសង្គម"


def test_a_304_document_keeps_the_known_validators() -> None:
    url = "https://www.nssf.gov.kh/files/a.pdf"
    spider = make_spider(validators={url: Validators(etag='"v1"', last_modified="yesterday")})
    item = _document(spider, 304, b"")
    assert item["status"] == "not_modified"
    assert item["body"] is None
    assert (item["etag"], item["last_modified"]) == ('"v1"', "yesterday")


def test_failures_are_described_in_one_line() -> None:
    request = Request("https://www.nssf.gov.kh/files/gone.pdf")
    response = Response(request.url, status=404, request=request)
    not_found = Failure(HttpError(response, "Ignoring"))  # type: ignore[no-untyped-call]
    timeout = Failure(TimeoutError("took too long"))  # type: ignore[no-untyped-call]
    assert describe_failure(not_found) == "HTTP 404"
    assert describe_failure(timeout) == "TimeoutError: took too long"


def test_a_bad_selector_in_the_spec_is_refused_when_the_spider_starts() -> None:
    with pytest.raises(SpecInvalid, match="selector"):
        make_spider(documents="ul.docs a::text")
    with pytest.raises(SpecInvalid, match="'date'"):
        make_spider(date="span..date")


def test_a_listing_that_is_not_html_is_reported() -> None:
    spider = make_spider()
    sent: list[dict[str, Any]] = []
    spider.crawler.signals.connect(lambda **kw: sent.append(kw), signal=fetch_failed, weak=False)
    pdf = Response(BASE, body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
    assert list(spider.parse_listing(pdf)) == []
    assert sent[0]["error"] == "expected an HTML listing page, got Content-Type application/pdf"


def test_a_last_modified_within_a_second_of_the_answer_is_not_kept() -> None:
    from scrapy.http import Response as PlainResponse

    from crawler.spiders.documents import strong_last_modified

    def answer(**headers: str) -> PlainResponse:
        return PlainResponse(BASE + "a.pdf", headers=headers)

    fresh = answer(
        **{
            "Last-Modified": "Thu, 27 Jun 2024 08:00:00 GMT",
            "Date": "Thu, 27 Jun 2024 08:00:00 GMT",
        }
    )
    assert strong_last_modified(fresh) is None, "a file changed again this second keeps its date"
    old = answer(
        **{
            "Last-Modified": "Thu, 27 Jun 2024 08:00:00 GMT",
            "Date": "Thu, 27 Jun 2024 08:00:05 GMT",
        }
    )
    assert strong_last_modified(old) == "Thu, 27 Jun 2024 08:00:00 GMT"
    tagged = answer(
        **{
            "Last-Modified": "Thu, 27 Jun 2024 08:00:00 GMT",
            "Date": "Thu, 27 Jun 2024 08:00:00 GMT",
            "ETag": '"x"',
        }
    )
    assert strong_last_modified(tagged) == "Thu, 27 Jun 2024 08:00:00 GMT", "an ETag decides"
    undated = answer(**{"Last-Modified": "Thu, 27 Jun 2024 08:00:00 GMT"})
    assert strong_last_modified(undated) == "Thu, 27 Jun 2024 08:00:00 GMT"
