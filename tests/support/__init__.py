"""What tests in every folder share: the command line run in this process or as the
installed console script (``cli``), a free port on 127.0.0.1 (``ports``), the HTTP servers
on 127.0.0.1 (``mockserver``) and the publisher's site crawl tests read (``publisher_site``)."""
