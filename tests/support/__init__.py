"""What tests in every folder share: the command line run in this process or as the
installed console script (``cli``), and a free port on 127.0.0.1 (``ports``)."""
