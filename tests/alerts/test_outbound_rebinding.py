"""DNS rebinding: a subscription's host name that resolves to a public address when it is
checked and to 127.0.0.1 when the connection is made reaches nothing. The address is
checked again at connect time, on the lookup the connection itself makes.

The name server is the only stand-in (a rebinding resolver answering for one name); the
sender (Apprise over requests), the sockets and the receiver on 127.0.0.1 are real."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from alerts.deliver.channels import Channel
from alerts.deliver.messages import AlertMessage
from alerts.deliver.notifier import AppriseNotifier, DeliveryFailed
from alerts.deliver.outbound import OutboundPolicy
from tests.support.mockserver import MockServer, QuietHandler, serving

NAME = "reports.rebind.example"
PUBLIC = "93.184.216.34"
MESSAGE = AlertMessage(
    subject="ប្រកាសថ្មី New prakas", text="ប្រាក់សោធន 600,000 KHR", html="<p>ប្រាក់សោធន</p>"
)


def _rebinding(answers: list[str]) -> Callable[..., Any]:
    """A resolver that gives NAME the next of ``answers`` at each lookup (the last one
    from then on), and asks the system for every other name."""
    system = socket.getaddrinfo
    lookups = iter(answers)
    last = answers[-1]

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal last
        if host != NAME:
            return system(host, port, *args, **kwargs)
        last = next(lookups, last)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (last, port or 0))]

    return getaddrinfo


def test_a_name_that_rebinds_to_loopback_reaches_nothing(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    monkeypatch.setattr(
        "alerts.deliver.outbound._system_getaddrinfo", _rebinding([PUBLIC, "127.0.0.1"])
    )
    channel = Channel(
        "subscription-7", f"json://{NAME}:{httpserver.port}/hook", policy=OutboundPolicy()
    )
    with pytest.raises(DeliveryFailed, match=r"non-public address 127\.0\.0\.1"):
        AppriseNotifier()(channel, MESSAGE)
    assert httpserver.log == [], "nothing reached the service on 127.0.0.1"


def test_an_allowed_address_is_still_reached_by_name(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    monkeypatch.setattr("alerts.deliver.outbound._system_getaddrinfo", _rebinding(["127.0.0.1"]))
    policy = OutboundPolicy(allow_private=("127.0.0.1",))
    AppriseNotifier()(
        Channel("hook", f"json://{NAME}:{httpserver.port}/hook", policy=policy), MESSAGE
    )
    assert len(httpserver.log) == 1
    body = httpserver.log[0][0].get_json()
    assert "ប្រាក់សោធន" in body["message"]


def test_outside_a_send_lookups_are_the_systems() -> None:
    """The guard is only in force while a send runs in this thread."""
    with OutboundPolicy().guard():
        pass
    assert socket.getaddrinfo("127.0.0.1", 80)[0][4][0] == "127.0.0.1"


class _Redirector(QuietHandler):
    target = ""

    def do_POST(self) -> None:
        self.send_body(307, headers={"Location": self.target})  # keeps the method and the body


def test_a_redirect_to_a_private_address_is_not_followed(httpserver: HTTPServer) -> None:
    """An allowed service answering with a redirect to 127.0.0.1 does not get the server
    to send there: the redirect's connection is checked like the first."""
    httpserver.expect_request("/internal").respond_with_data("ok")
    _Redirector.target = f"http://127.0.0.1:{httpserver.port}/internal"
    with serving(MockServer(_Redirector, host="127.0.0.2")) as redirector:
        policy = OutboundPolicy(allow_private=("127.0.0.2",))
        hook = f"json://127.0.0.2:{redirector.port}/hook"
        channel = Channel("subscription-8", hook, policy=policy)
        with pytest.raises(DeliveryFailed):
            AppriseNotifier()(channel, MESSAGE)
        assert httpserver.log == [], "the redirect reached nothing"
