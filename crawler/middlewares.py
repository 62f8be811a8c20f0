"""Downloader middlewares that keep a crawl on its source's sites and off private networks.

- ``PrivateNetworkMiddleware`` refuses requests whose host resolves to a loopback, private,
  link-local, reserved, multicast or otherwise non-global address, unless the spider's
  ``allow_private_network`` is true. Redirected requests pass through downloader
  middlewares again, so a redirect into a private network is refused too.
- ``BackoffRetryMiddleware`` is Scrapy's ``RetryMiddleware`` waiting before each retry:
  ``RETRY_BACKOFF_BASE`` seconds doubled per attempt, at most ``RETRY_BACKOFF_MAX``, or the
  server's ``Retry-After`` (seconds) when it says so, within the same cap. Only the retried
  request waits (an asyncio sleep), the rest of the crawl goes on.
- ``RecordingOffsiteMiddleware`` is Scrapy's ``OffsiteMiddleware`` (``allowed_domains``)
  that also sends ``fetch_failed``, so an off-site link or redirect shows in the report
  instead of vanishing (Scrapy drops off-site requests silently when they are scheduled).
- ``RedirectLoopMiddleware`` refuses a redirect back to a URL already in its own chain
  (``a -> b -> a``), which Scrapy's duplicate filter would otherwise drop without a word.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Self
from urllib.parse import urljoin

from scrapy import Request, Spider, signals
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from w3lib.url import safe_url_string

from crawler.errors import fetch_failed

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

Resolver = Callable[[str], list[str]]


def resolve_host(host: str) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), as strings."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def is_public_address(address: str) -> bool:
    """True when ``address`` is a global unicast address (not loopback, private, ...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def _redirect_note(request: Request) -> str:
    chain: list[str] = request.meta.get("redirect_urls") or []
    return f" (redirected from {chain[0]})" if chain else ""


class PrivateNetworkMiddleware:
    """Refuse requests to non-public addresses unless the spider allows private networks."""

    crawler: Crawler

    def __init__(self, resolve: Resolver = resolve_host, allow_private_network: bool = False):
        self.resolve = resolve
        self.allow_private_network = allow_private_network
        self._addresses: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls()
        middleware.crawler = crawler
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.allow_private_network = bool(getattr(spider, "allow_private_network", False))
        if self.allow_private_network:
            logger.info("private network addresses allowed for spider %s", spider.name)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if self.allow_private_network:
            return
        parts = urlparse_cached(request)
        if parts.scheme not in ("http", "https"):
            raise IgnoreRequest(
                f"refused: expected an http(s) URL, got scheme {parts.scheme!r}"
                + _redirect_note(request)
            )
        host = parts.hostname or ""
        refused = [a for a in self._lookup(host) if not is_public_address(a)]
        if refused:
            raise IgnoreRequest(
                f"refused: host {host!r} resolves to non-public address {refused[0]}"
                f" (allow_private_network is false){_redirect_note(request)}"
            )

    def _lookup(self, host: str) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host))]  # an address literal needs no lookup
        except ValueError:
            pass
        if host not in self._addresses:
            try:
                self._addresses[host] = self.resolve(host)
            except OSError as exc:
                # Unresolvable: the download itself fails and reports the DNS error.
                logger.debug("cannot resolve %s: %s", host, exc)
                return []
        return self._addresses[host]


class RecordingOffsiteMiddleware(OffsiteMiddleware):
    """``OffsiteMiddleware`` that reports each refused request through ``fetch_failed``."""

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        try:
            super().process_request(request)
        except IgnoreRequest:
            host = urlparse_cached(request).hostname
            domains = list(getattr(self.crawler.spider, "allowed_domains", None) or [])
            note = _redirect_note(request)
            error = f"refused: host {host!r} is outside allowed_domains {domains}{note}"
            logger.warning("%s: %s", request.url, error)
            self.crawler.signals.send_catch_log(signal=fetch_failed, url=request.url, error=error)
            raise


def backoff_delay(attempt: int, base: float, cap: float, retry_after: str | None = None) -> float:
    """Seconds to wait before retry number ``attempt`` (1, 2, ...)."""
    if retry_after is not None and retry_after.strip().isdigit():
        return min(float(retry_after.strip()), cap)
    return float(min(base * 2 ** max(attempt - 1, 0), cap))


class BackoffRetryMiddleware(RetryMiddleware):
    """``RetryMiddleware`` with exponential backoff (and ``Retry-After``) before a retry."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    async def _wait(self, retry: Request, retry_after: str | None = None) -> None:
        attempt = int(retry.meta.get("retry_times", 1))
        delay = backoff_delay(attempt, self.base, self.cap, retry_after)
        logger.debug("retry %d of %s in %.2f s", attempt, retry.url, delay)
        if delay > 0:
            await asyncio.sleep(delay)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            value = response.headers.get("Retry-After")
            await self._wait(result, value.decode("latin-1") if value else None)
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._wait(result)
        return result


REDIRECTS = (301, 302, 303, 307, 308)


class RedirectLoopMiddleware:
    """Refuse a redirect to a URL already in the request's redirect chain, by name.

    Sits nearer the downloader than Scrapy's ``RedirectMiddleware`` (priority 600), so it
    sees the redirect response first; the ``IgnoreRequest`` reaches the spider's errback
    and the report."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in REDIRECTS or not location:
            return response
        target = safe_url_string(urljoin(request.url, location.decode("latin-1")))
        chain = [*(request.meta.get("redirect_urls") or []), request.url]
        if target in chain:
            raise IgnoreRequest(f"redirect loop: {' -> '.join([*chain, target])}")
        return response
