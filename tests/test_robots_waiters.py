"""Every request waiting for a site's robots.txt gets its rules, not only the first one (the others used to get
None, which Scrapy's middleware reads as "allow all": a distributed worker fetched a disallowed page)."""

from __future__ import annotations

import asyncio

from scrapy import Request
from twisted.internet.defer import Deferred

from newscrawl.discovery.robots import RobotsTxtPolicy


def test_all_requests_waiting_for_robots_txt_get_its_rules():
    async def main() -> list[object]:
        policy = RobotsTxtPolicy.__new__(RobotsTxtPolicy)  # no crawler: robots.txt is "in flight" already
        policy._parsers = {"news.example": Deferred()}
        waiting = [asyncio.ensure_future(policy.robot_parser(Request(f"http://news.example/{i}/"))) for i in range(3)]
        await asyncio.sleep(0)
        parser = object()
        policy._settle("news.example", parser)
        return [parser, *await asyncio.gather(*waiting)]

    parser, *got = asyncio.run(main())
    assert got == [parser, parser, parser]
