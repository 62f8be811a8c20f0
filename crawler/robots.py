"""robots.txt refusals that say which rule refused, so a source's health can name it.

``NamingRobotsTxtMiddleware`` is Scrapy's ``RobotsTxtMiddleware`` (Protego decides) whose
refusal names the robots.txt and the ``Disallow`` line behind it: "refused by robots.txt
(https://host/robots.txt: `Disallow: /api/` for User-agent: *)". The message reaches the
request's errback and the crawl report like any other failure; the jobs turn it into one
source-health notice per rule. A source with ``respect_robots = false`` (a publisher that
gave permission, recorded in config.toml) runs with ``ROBOTSTXT_OBEY`` off.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached

__all__ = ["ROBOTS_REFUSAL", "NamingRobotsTxtMiddleware", "refusing_rule"]

ROBOTS_REFUSAL = "refused by robots.txt"
_MAX_ROBOTS_CHARS = 500_000


def _groups(text: str) -> list[tuple[list[str], list[tuple[str, str]]]]:
    """``(user agents, [(field, value)])`` per group of a robots.txt, in file order."""
    groups: list[tuple[list[str], list[tuple[str, str]]]] = []
    agents: list[str] = []
    rules: list[tuple[str, str]] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        name, value = (part.strip() for part in line.split(":", 1))
        name = name.lower()
        if name == "user-agent":
            if rules:
                groups.append((agents, rules))
                agents, rules = [], []
            agents.append(value)
        elif name in ("allow", "disallow") and agents:
            rules.append((name, value))
    if agents:
        groups.append((agents, rules))
    return groups


def _pattern(value: str) -> re.Pattern[str]:
    anchored = value.endswith("$")
    body = re.escape(value.rstrip("$")).replace(r"\*", ".*")
    return re.compile(body + ("$" if anchored else ""))


def refusing_rule(robots_txt: str, url: str, user_agent: str) -> tuple[str, str] | None:
    """``("Disallow: /api/", "*")``: the longest ``Disallow`` line matching ``url`` in the
    group that applies to ``user_agent`` (its own group, else ``*``); None if none does."""
    token = user_agent.split("/", 1)[0].strip().lower()
    groups = _groups(robots_txt)
    own = [g for g in groups if any(a.lower() != "*" and a.lower() in token for a in g[0])]
    chosen = own or [g for g in groups if "*" in g[0]]
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    best: tuple[int, str, str] | None = None
    for agents, rules in chosen:
        for name, value in rules:
            matches = name == "disallow" and value and _pattern(value).match(target)
            if matches and (best is None or len(value) > best[0]):
                best = (len(value), f"Disallow: {value}", ", ".join(agents))
    return None if best is None else (best[1], best[2])


class NamingRobotsTxtMiddleware(RobotsTxtMiddleware):
    """``RobotsTxtMiddleware`` whose refusals name the robots.txt rule."""

    _texts: dict[str, str]

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if not hasattr(self, "_texts"):
            self._texts = {}
        body = response.body[:_MAX_ROBOTS_CHARS] if response.status == 200 else b""
        self._texts[netloc] = body.decode("utf-8", errors="replace")
        await super()._parse_robots(response, netloc, request)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            parts = urlparse_cached(request)
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            agent = request.headers.get(b"User-Agent") or self._default_useragent
            agent_text = agent.decode("latin-1") if isinstance(agent, bytes) else str(agent)
            text = getattr(self, "_texts", {}).get(parts.netloc, "")
            rule = refusing_rule(text, request.url, agent_text)
            named = f"`{rule[0]}` for User-agent: {rule[1]}" if rule else "a rule"
            self._stats.set_value("robotstxt/refused_rule", rule[0] if rule else "")
            raise IgnoreRequest(f"{ROBOTS_REFUSAL} ({robots_url}: {named})") from None
