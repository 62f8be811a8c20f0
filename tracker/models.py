"""Every table of the tracker, imported from one place: ``from tracker.models import X``.

The tables are defined in ``tracker/tables/``, grouped by what they hold; importing this module
registers all of them with ``SQLModel.metadata`` (Alembic's env relies on it). ORM objects never
leave tracker/alerts/web: other stages get frozen dataclasses.
"""

from tracker.tables import utcnow
from tracker.tables.documents import (
    Alert,
    Change,
    CrawlRun,
    DocumentUrl,
    Flag,
    Instrument,
    Source,
    Version,
)
from tracker.tables.languages import ChangeCounterpart, LanguageVersion
from tracker.tables.outbox import Delivery, NoticeDelivery, SourceNotice, delivery_key
from tracker.tables.parameters import Parameter, ParameterValue
from tracker.tables.people import ApiToken, AuditEntry, Subscription, User, WebSession
from tracker.tables.secretariat import (
    AlertHandling,
    InstrumentLink,
    LifecycleStep,
    SourceDefinition,
    Verdict,
)

__all__ = [
    "Alert",
    "AlertHandling",
    "ApiToken",
    "AuditEntry",
    "Change",
    "ChangeCounterpart",
    "CrawlRun",
    "Delivery",
    "DocumentUrl",
    "Flag",
    "Instrument",
    "InstrumentLink",
    "LanguageVersion",
    "LifecycleStep",
    "NoticeDelivery",
    "Parameter",
    "ParameterValue",
    "Source",
    "SourceDefinition",
    "SourceNotice",
    "Subscription",
    "User",
    "Verdict",
    "Version",
    "WebSession",
    "delivery_key",
    "utcnow",
]
