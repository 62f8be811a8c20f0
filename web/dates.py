"""The web's dates: the tracker's one format, :mod:`alerts.deliver.dates` (shared with the
messages, notes and exports, which the web sits above); its names, as the pages import them."""

from __future__ import annotations

from alerts.deliver.dates import *  # noqa: F403
from alerts.deliver.dates import __all__ as __all__
