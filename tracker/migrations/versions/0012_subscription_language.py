"""The language of a subscription's messages (``en`` or ``km``). Existing subscriptions
take their user's interface language where the user chose Khmer, else English (what they
were sent until now).

Revision ID: 0012_subscription_language
Revises: 0011_verdict_one_table
Create Date: 2026-12-04
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012_subscription_language"
down_revision = "0011_verdict_one_table"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscription") as batch_op:
        batch_op.add_column(
            sa.Column(
                "language",
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default="en",
            )
        )
    subscription = sa.table("subscription", sa.column("user_id"), sa.column("language"))
    user = sa.table("user", sa.column("id"), sa.column("language"))
    khmer_users = sa.select(user.c.id).where(user.c.language == "km")
    op.execute(
        subscription.update().where(subscription.c.user_id.in_(khmer_users)).values(language="km")
    )


def downgrade() -> None:
    with op.batch_alter_table("subscription") as batch_op:
        batch_op.drop_column("language")
