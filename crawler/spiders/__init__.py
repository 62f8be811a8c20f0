"""The crawler's spiders: ``listing`` (generic listing pages) and any built-in ones."""
