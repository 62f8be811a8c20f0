"""Items the spiders yield: one ``DocumentItem`` per document its server answered."""

from __future__ import annotations

import scrapy


class DocumentItem(scrapy.Item):
    """A fetched (200) or not-modified (304) document with its listing metadata.

    ``body`` holds the raw bytes of a fetched document until ``BlobStorePipeline`` stores
    them and sets ``sha256``, ``size`` and ``blob_path``; ``ManifestPipeline`` then writes
    the item as a ``FetchedDocument`` row.
    """

    source_id = scrapy.Field()
    url = scrapy.Field()
    final_url = scrapy.Field()
    status = scrapy.Field()
    body = scrapy.Field()
    sha256 = scrapy.Field()
    size = scrapy.Field()
    content_type = scrapy.Field()
    etag = scrapy.Field()
    last_modified = scrapy.Field()
    fetched_at = scrapy.Field()
    listing_url = scrapy.Field()
    title = scrapy.Field()
    listing_date = scrapy.Field()
    blob_path = scrapy.Field()
    number = scrapy.Field()
    language = scrapy.Field()
    edition_key = scrapy.Field()
    discovery = scrapy.Field()
