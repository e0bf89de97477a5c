"""A sitemap of one language's pages, at that language's root.

Material's bundle fetches sitemap.xml beside every <link rel="alternate"> of
a page; the feed link of /en/ pages is /en/feed.xml, so /en/sitemap.xml must
exist. It lists the /en/ pages of the site's sitemap, with their hreflang
pairs: a sitemap may only list URLs under its own folder.
"""

from __future__ import annotations

import os
from xml.etree import ElementTree as ET

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def write_language_sitemap(site_dir: str, site_url: str, root: str) -> None:
    """Write <root>sitemap.xml with the entries of the site's sitemap under root."""
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    tree = ET.parse(os.path.join(site_dir, "sitemap.xml"))
    urlset = tree.getroot()
    prefix = site_url + root
    for url in list(urlset):
        location = url.findtext(f"{{{SITEMAP}}}loc") or ""
        if not location.startswith(prefix):
            urlset.remove(url)
    tree.write(os.path.join(site_dir, root, "sitemap.xml"), encoding="UTF-8", xml_declaration=True)
