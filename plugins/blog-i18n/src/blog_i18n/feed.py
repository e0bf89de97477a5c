"""An RSS 2.0 feed of one language's posts."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    description: str
    published: datetime
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Feed:
    title: str
    link: str
    self_link: str
    description: str
    language: str
    items: tuple[FeedItem, ...]


def write_feed(feed: Feed, path: str) -> None:
    ET.register_namespace("atom", ATOM)
    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = feed.title
    ET.SubElement(channel, "link").text = feed.link
    ET.SubElement(channel, "description").text = feed.description
    ET.SubElement(channel, "language").text = feed.language
    ET.SubElement(
        channel, f"{{{ATOM}}}link", href=feed.self_link, rel="self", type="application/rss+xml"
    )
    for item in feed.items:
        entry = ET.SubElement(channel, "item")
        ET.SubElement(entry, "title").text = item.title
        ET.SubElement(entry, "link").text = item.link
        ET.SubElement(entry, "guid", isPermaLink="true").text = item.link
        ET.SubElement(entry, "description").text = item.description
        ET.SubElement(entry, "pubDate").text = format_datetime(_aware(item.published))
        for category in item.categories:
            ET.SubElement(entry, "category").text = category
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ET.ElementTree(rss).write(path, encoding="utf-8", xml_declaration=True)


def _aware(moment: datetime) -> datetime:
    # Post dates without a time zone are taken as UTC, as the blog does.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
