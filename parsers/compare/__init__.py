"""The COMPARE stage: two :class:`~parsers.document.Document` -> changes
(:class:`~parsers.compare.change.Change`: provisions aligned, words redlined, numbers
paired), and the values read from them."""
