"""The words of alert messages in English and Khmer: severities, kinds of change,
digests, directions, languages, units."""

from __future__ import annotations

from collections.abc import Mapping

SEVERITY_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {"high": "HIGH", "medium": "MEDIUM", "low": "LOW"},
    "km": {"high": "ខ្ពស់", "medium": "មធ្យម", "low": "ទាប"},
}
KIND_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "added": "added",
        "removed": "removed",
        "modified": "amended",
        "moved": "moved",
        "renumbered": "renumbered",
    },
    "km": {
        "added": "បានបន្ថែម",
        "removed": "បានលុប",
        "modified": "បានកែប្រែ",
        "moved": "បានផ្លាស់ទីតាំង",
        "renumbered": "បានប្តូរលេខ",
    },
}
DIGEST_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {"daily": "Daily digest", "weekly": "Weekly digest", "instant": "Digest"},
    "km": {
        "daily": "សេចក្តីសង្ខេបប្រចាំថ្ងៃ",
        "weekly": "សេចក្តីសង្ខេបប្រចាំសប្តាហ៍",
        "instant": "សេចក្តីសង្ខេប",
    },
}


DIRECTION_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "up": "up",
        "down": "down",
        "less_often": "less often",
        "more_often": "more often",
        "added": "new",
        "removed": "removed",
        "same": "same",
    },
    "km": {
        "up": "កើនឡើង",
        "down": "ថយចុះ",
        "less_often": "តិចដងជាងមុន",
        "more_often": "ញឹកញាប់ជាងមុន",
        "added": "ថ្មី",
        "removed": "បានលុប",
        "same": "ដដែល",
    },
}
NOTICE_WORDS: Mapping[str, str] = {"en": "Source health", "km": "សុខភាពប្រភព"}
LANGUAGE_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {"km": "Khmer", "en": "English", "fr": "French"},
    "km": {"km": "ខ្មែរ", "en": "អង់គ្លេស", "fr": "បារាំង"},
}
UNIT_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {"day": "days", "week": "weeks", "month": "months", "year": "years"},
    "km": {
        "day": "ថ្ងៃ",
        "week": "សប្តាហ៍",
        "month": "ខែ",
        "year": "ឆ្នាំ",
        "KHR": "រៀល",
        "USD": "ដុល្លារ",
    },
}
NONE_WORDS: Mapping[str, str] = {"en": "none", "km": "គ្មាន"}
#: A number the text did not have (the old value of a new number): ``(none) -> 6%``.
ABSENT_WORDS: Mapping[str, str] = {"en": "(none)", "km": "(គ្មាន)"}
#: How a version was read, as the Khmer message says it (the English says the method's id).
METHOD_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {"text": "text", "ocr": "ocr", "mixed": "mixed"},
    "km": {"text": "ស្រទាប់អត្ថបទ", "ocr": "OCR", "mixed": "ស្រទាប់អត្ថបទ និង OCR", "": "?"},
}
