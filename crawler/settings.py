# Scrapy settings for the SP Tracker crawler.
#
# Polite by default: robots.txt obeyed, AutoThrottle on, two requests at a time per site,
# no cookies, no HTTP cache (conditional requests must reach the server every run).
# The composition root overrides USER_AGENT from config.toml; tests switch AutoThrottle off.
#
#     https://docs.scrapy.org/en/latest/topics/settings.html

from __future__ import annotations

BOT_NAME = "crawler"

SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

ADDONS: dict[str, int] = {}

# Identify the crawler; replaced by the operator's contact from config.toml.
USER_AGENT = "SPTracker/0.1 (+contact)"

# Obey robots.txt rules.
ROBOTSTXT_OBEY = True

# Concurrency and throttling.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2
AUTOTHROTTLE_MAX_DELAY = 60
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Limits of one download: government PDFs of scanned gazettes run to tens of MB.
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 50 * 1024 * 1024
DOWNLOAD_WARNSIZE = 20 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 2
# Wait before a retry: 2 s, 4 s, ... at most 60 s (or the server's Retry-After).
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0

COOKIES_ENABLED = False
# No consoles: the telnet console and the remote-control HTTP server (a code-running
# endpoint on localhost that also writes job files to the user's profile) stay off.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
HTTPCACHE_ENABLED = False

# The spider sets this from its `out` argument; the pipelines write there.
CRAWL_OUTPUT_DIR = None

# Refuse loopback/private/link-local/reserved addresses (unless the source allows them)
# before robots.txt is fetched; the built-in OffsiteMiddleware is replaced by one that
# also records what it refuses in the crawl report; robots.txt refusals name their rule.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.RecordingOffsiteMiddleware": 50,
    "crawler.middlewares.PrivateNetworkMiddleware": 60,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.NamingRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.RedirectLoopMiddleware": 650,
}

ITEM_PIPELINES = {
    "crawler.pipelines.BlobStorePipeline": 100,
    "crawler.pipelines.ManifestPipeline": 200,
}

LOG_LEVEL = "INFO"

# Scrapy 2.19 has a single request fingerprinter: REQUEST_FINGERPRINTER_IMPLEMENTATION is
# gone, nothing to set. The reactor is Scrapy's default (asyncio).

# Set settings whose default value is deprecated to a future-proof value.
FEED_EXPORT_ENCODING = "utf-8"
