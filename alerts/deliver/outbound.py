"""Where the server may send: one policy for every request it makes on someone's behalf.

A channel URL is refused when its scheme is not one the admin lists, or when a host it
names resolves (DNS, at the moment of checking) to a loopback, private, link-local,
shared, reserved or cloud-metadata address, unless that address lies in a network the
admin allows (``[alerts] allow_private``: the demo allows 127.0.0.1 for its receiver).
URLs a user typed (their own subscriptions) may not add request headers or payload
fields or change the HTTP method (Apprise's ``+Header``, ``-field``, ``:field`` and
``method=`` query parameters).

A host name that does not resolve is let through: nothing can be reached by it, and
several services keep a token where the host would be (``tgram://TOKEN/...``).

The check is made again when the connection is made (:meth:`OutboundPolicy.guard`): while
a send runs, every name lookup the sending library makes is checked, and
the addresses it connects to are the ones checked. A name that resolved to a public
address when the subscription was made and to 127.0.0.1 when it is used (DNS rebinding)
reaches nothing.

Errors and stored ``last_error`` texts go through :func:`redact`: userinfo, query values
and header values never appear in them.
"""

from __future__ import annotations

import contextvars
import ipaddress
import re
import socket
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from alerts.errors import AlertError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], list[str]]

DEFAULT_SCHEMES: tuple[str, ...] = (
    "mailto",
    "mailtos",
    "tgram",
    "slack",
    "discord",
    "msteams",
    "workflow",
    "workflows",
    "matrix",
    "matrixs",
    "mmost",
    "mmosts",
    "rocket",
    "rockets",
    "ntfy",
    "ntfys",
    "gotify",
    "gotifys",
    "signal",
    "signals",
    "json",
    "jsons",
    "xml",
    "xmls",
    "form",
    "forms",
)
"""Schemes allowed when the admin lists none: e-mail, chat services and webhooks."""

METADATA = (
    ipaddress.ip_network("169.254.169.254/32"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_network("100.100.100.200/32"),  # Alibaba
    ipaddress.ip_network("fd00:ec2::254/128"),  # AWS over IPv6
)
SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT, not public
_USER_QUERY_RE = re.compile(r"^[+\-:]")


class OutboundRefused(AlertError):
    """A URL the server will not send to: says which part and why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


#: The system's resolver, before :func:`_install_guard` wraps ``socket.getaddrinfo``.
_system_getaddrinfo = socket.getaddrinfo
#: The policy of the send running in this context (Apprise runs a send on a worker thread
#: with a copy of the caller's context, so the policy goes with it).
_guarded: contextvars.ContextVar[OutboundPolicy | None] = contextvars.ContextVar(
    "outbound_policy", default=None
)
_install_lock = threading.Lock()


class RefusedAddress(socket.gaierror):
    """A name lookup made during a guarded send gave a forbidden address: to the sending
    library it is a failed lookup, so it fails the send as any unreachable host does."""


def _guarded_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    infos = _system_getaddrinfo(host, port, *args, **kwargs)
    policy = _guarded.get()
    if policy is not None:
        for info in infos:
            refused = policy.refusal(str(host), str(info[4][0]))
            if refused:
                raise RefusedAddress(socket.EAI_FAIL, f"{refused} (when connecting)")
    return infos


def _install_guard() -> None:
    """Wrap ``socket.getaddrinfo`` (once, for the process); outside a guarded send the
    wrapper only calls the system's resolver."""
    with _install_lock:
        if socket.getaddrinfo is not _guarded_getaddrinfo:
            socket.getaddrinfo = _guarded_getaddrinfo


def _resolve(host: str) -> list[str]:
    try:
        infos = _system_getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def forbidden_address(address: IPAddress) -> bool:
    """Whether ``address`` is not a public internet address (or is a metadata service)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return forbidden_address(address.ipv4_mapped)
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address in SHARED
        or any(address in network for network in METADATA)
    )


def _networks(allowed: Iterable[str]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for entry in allowed:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise OutboundRefused(
                f"allow_private: expected an address or network such as 127.0.0.1 or "
                f"10.0.0.0/8, got {entry!r}"
            ) from None
    return tuple(networks)


@dataclass(frozen=True)
class OutboundPolicy:
    """What the server may send to.

    ``schemes``: URL schemes allowed (``*`` for any Apprise knows). ``allow_private``:
    addresses or networks allowed though not public. ``check_hosts``: resolve and check
    the hosts a URL names (False for the admin's own ``[[channels]]``, whose URLs are the
    admin's explicit choice). ``user_supplied``: refuse query parameters that add headers
    or payload fields or change the method.
    """

    schemes: tuple[str, ...] = DEFAULT_SCHEMES
    allow_private: tuple[str, ...] = ()
    check_hosts: bool = True
    user_supplied: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "schemes", tuple(s.lower() for s in self.schemes))
        object.__setattr__(self, "allow_private", tuple(self.allow_private))
        _networks(self.allow_private)  # a bad entry is refused when the policy is made

    def check_url(self, url: str) -> None:
        """Refuse a URL by its text: scheme and, for a user's URL, its query parameters."""
        scheme = url.split("://", 1)[0].lower() if "://" in url else ""
        if "*" not in self.schemes and scheme not in self.schemes:
            shown = scheme[:20] or "none"
            raise OutboundRefused(
                f"scheme {shown!r} is not allowed: expected one of {', '.join(self.schemes)}"
            )
        if self.user_supplied:
            query = urlsplit(url).query
            # Apprise reads a literal ``+`` (not a space) at the start of a key: no plus
            # decoding here, else ``+X-Header`` would read as `` X-Header``.
            keys = [unquote(part.split("=", 1)[0]).strip() for part in query.split("&")]
            for key in keys:
                if _USER_QUERY_RE.match(key) or key.lower() == "method":
                    raise OutboundRefused(
                        f"query parameter {key[:40]!r} is not allowed in a subscription: "
                        "it would add a request header or payload field or change the method"
                    )

    def check_address(self, host: str, resolve: Resolver = _resolve) -> None:
        """Refuse ``host`` if it is, or resolves to, an address that is not public."""
        if not self.check_hosts or not host:
            return
        bare = host.strip("[]")
        try:
            addresses = [str(ipaddress.ip_address(bare))]
        except ValueError:
            addresses = resolve(bare)
        for text in addresses:
            refused = self.refusal(bare, text)
            if refused:
                raise OutboundRefused(refused)

    def refusal(self, host: str, text: str) -> str:
        """Why ``host`` may not be reached at the address ``text``; empty when it may."""
        try:
            address = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError:
            return ""  # not an IP address (a Unix socket's path): nothing this policy knows
        allowed = _networks(self.allow_private)
        if forbidden_address(address) and not any(address in net for net in allowed):
            return (
                f"host {host[:80]!r} is the non-public address {address}: refused "
                "(the admin may allow it in [alerts] allow_private)"
            )
        return ""

    @contextmanager
    def guard(self) -> Iterator[None]:
        """While the block runs (in this context, and in the worker threads it hands a copy
        of its context to), every name lookup (the one each connection makes) is checked
        against this policy."""
        if not self.check_hosts:
            yield
            return
        _install_guard()
        token = _guarded.set(self)
        try:
            yield
        finally:
            _guarded.reset(token)

    def check_service(self, service: Any, url: str, resolve: Resolver = _resolve) -> None:
        """Refuse an Apprise service (``url`` parsed) that would reach a forbidden place."""
        self.check_url(url)
        for host in _hosts(service):
            self.check_address(host, resolve)

    def check(self, url: str, resolve: Resolver = _resolve) -> None:
        """Refuse ``url`` as Apprise would send it (parsed by Apprise; unparsable passes to
        the caller's own check)."""
        import apprise

        self.check_url(url)
        notifier = apprise.Apprise()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "'imghdr' is deprecated", DeprecationWarning)
            if not notifier.add(url):
                return
        self.check_service(notifier[0], url, resolve)


def _hosts(service: Any) -> list[str]:
    """The hosts an Apprise service connects to that its URL chose: the URL's host for
    self-hosted services (webhooks, ntfy, gotify, ...; not a cloud service's token in the
    host's place) and an e-mail service's SMTP server."""
    found = []
    tokens = getattr(service, "template_tokens", {}) or {}
    host = getattr(service, "host", None)
    if "host" in tokens and isinstance(host, str) and host:
        found.append(host)
    smtp = getattr(service, "smtp_host", None)
    if isinstance(smtp, str) and smtp:
        found.append(smtp)
    return found


_USERINFO_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/\s@?#]*@")
_QUERY_VALUE_RE = re.compile(r"(?P<key>[?&][^=&\s#]+=)[^&\s#'\"]*")
_HEADER_RE = re.compile(
    r"(?P<name>\b(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|"
    r"api-key|x-auth-token|x-[a-z0-9-]*(?:token|key|secret))\b['\"]?\s*[:=]\s*['\"]?)"
    r"[^'\",}\r\n|]*",
    re.IGNORECASE,
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without credentials: userinfo of URLs, query values, the values of
    authorization-like headers, and any of ``secrets`` (a channel's header values)."""
    for secret in sorted({s for s in secrets if len(s) >= 3}, key=len, reverse=True):
        text = text.replace(secret, "***")
    text = _USERINFO_RE.sub(r"\g<scheme>***@", text)
    text = _QUERY_VALUE_RE.sub(r"\g<key>***", text)
    return _HEADER_RE.sub(r"\g<name>***", text)


def url_secrets(url: str) -> list[str]:
    """The parts of a channel URL that may be secret: password, user, query values."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    found = [parts.password or "", parts.username or ""]
    found += [value for _key, value in parse_qsl(parts.query, keep_blank_values=False)]
    return [item for item in found if item]
