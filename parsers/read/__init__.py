"""The READ stage: bytes -> :class:`~parsers.document.Document`, the input type decided by
content (PDF, DOCX, HTML, text; OCR for scans), layout cleaned up and the structure of the
text found."""
