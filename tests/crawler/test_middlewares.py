"""Private-network and off-site refusals, including after a redirect (no network)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.errors import fetch_failed
from crawler.middlewares import (
    PrivateNetworkMiddleware,
    RecordingOffsiteMiddleware,
    is_public_address,
)
from crawler.spec import SourceSpec
from crawler.spiders.listing import ListingSpider

PUBLIC = "203.0.114.10"  # outside every special-purpose block
DNS = {
    "www.nssf.gov.kh": [PUBLIC],
    "intranet.example": ["10.0.0.5"],
    "split.example": [PUBLIC, "fd00::5"],
    "metadata.example": ["169.254.169.254"],
}


class FakeResolver:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.calls.append(host)
        if host not in DNS:
            raise OSError(f"cannot resolve {host}")
        return DNS[host]


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("203.0.113.5", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_public_hosts_pass_and_private_ones_are_refused() -> None:
    resolver = FakeResolver()
    middleware = PrivateNetworkMiddleware(resolve=resolver)

    middleware.process_request(Request("https://www.nssf.gov.kh/a.pdf"))  # passes
    middleware.process_request(Request("https://www.nssf.gov.kh/b.pdf"))  # passes
    with pytest.raises(IgnoreRequest, match=re.escape("non-public address 10.0.0.5")):
        middleware.process_request(Request("http://intranet.example/"))
    with pytest.raises(IgnoreRequest, match="fd00::5"):  # every address is checked
        middleware.process_request(Request("http://split.example/"))
    with pytest.raises(IgnoreRequest, match=re.escape("169.254.169.254")):
        middleware.process_request(Request("http://metadata.example/latest/"))
    with pytest.raises(IgnoreRequest, match=re.escape("127.0.0.1")):
        PrivateNetworkMiddleware().process_request(Request("http://127.0.0.1:8080/"))
    assert resolver.calls.count("www.nssf.gov.kh") == 1  # resolved once per host


def test_unresolvable_hosts_are_left_to_the_download() -> None:
    middleware = PrivateNetworkMiddleware(resolve=FakeResolver())
    middleware.process_request(Request("https://nowhere.invalid/"))  # passes


def test_other_schemes_are_refused() -> None:
    middleware = PrivateNetworkMiddleware(resolve=FakeResolver())
    with pytest.raises(IgnoreRequest, match="scheme 'file'"):
        middleware.process_request(Request("file:///etc/passwd"))


def test_allowed_when_the_spider_allows_private_networks() -> None:
    crawler = get_crawler(ListingSpider)
    spec = SourceSpec(
        id="lab", start_urls=("http://10.0.0.5/",), documents="a", allow_private_network=True
    )
    spider = ListingSpider.from_crawler(crawler, spec=spec)
    middleware = build_from_crawler(PrivateNetworkMiddleware, crawler)
    middleware.resolve = FakeResolver()
    middleware.spider_opened(spider)
    middleware.process_request(Request("http://intranet.example/"))  # passes


def _redirect(crawler: Any, url: str, location: str) -> Request:
    redirect = build_from_crawler(RedirectMiddleware, crawler)
    request = Request(url)
    response = Response(url, status=302, headers={"Location": location}, request=request)
    redirected = redirect.process_response(request, response)
    assert isinstance(redirected, Request)
    return redirected


def test_a_redirect_into_a_private_network_is_refused() -> None:
    crawler = get_crawler(ListingSpider)
    crawler.spider = ListingSpider.from_crawler(
        crawler, spec=SourceSpec(id="nssf", start_urls=("https://www.nssf.gov.kh/",), documents="a")
    )
    redirected = _redirect(crawler, "https://www.nssf.gov.kh/a.pdf", "http://10.0.0.5/admin")
    middleware = PrivateNetworkMiddleware(resolve=FakeResolver())

    with pytest.raises(IgnoreRequest) as caught:
        middleware.process_request(redirected)
    assert "10.0.0.5" in str(caught.value)
    assert "redirected from https://www.nssf.gov.kh/a.pdf" in str(caught.value)


def test_offsite_refusals_are_reported() -> None:
    crawler = get_crawler(ListingSpider)
    spider = ListingSpider.from_crawler(
        crawler, spec=SourceSpec(id="nssf", start_urls=("https://www.nssf.gov.kh/",), documents="a")
    )
    crawler.spider = spider
    middleware = build_from_crawler(RecordingOffsiteMiddleware, crawler)
    middleware.spider_opened(spider)
    sent: list[dict[str, Any]] = []
    crawler.signals.connect(lambda **kw: sent.append(kw), signal=fetch_failed, weak=False)

    middleware.process_request(Request("https://www.nssf.gov.kh/b.pdf"))  # passes
    redirected = _redirect(crawler, "https://www.nssf.gov.kh/a.pdf", "https://evil.example/a.pdf")
    with pytest.raises(IgnoreRequest):
        middleware.process_request(redirected)

    assert [s["url"] for s in sent] == ["https://evil.example/a.pdf"]
    assert sent[0]["error"] == (
        "refused: host 'evil.example' is outside allowed_domains ['www.nssf.gov.kh']"
        " (redirected from https://www.nssf.gov.kh/a.pdf)"
    )
