"""FETCH stage: a Scrapy project whose output is files.

``crawler.run.run_crawl(source, out_dir, validators, user_agent=...)`` crawls one source in a
subprocess into ``out_dir`` (``blobs/``, ``manifest.jsonl``, ``report.json``);
``crawler.manifest.read_manifest`` / ``read_report`` read the results back. The package
imports nothing else of the project.
"""
