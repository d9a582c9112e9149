"""Sessions that can be ended server-side, and a login throttle per username and client.

`user_account.session_version` is in every login cookie; bumping it (password change or reset,
lockout, deactivation, logout) ends every session of that user at once. `login_throttle` counts
failed logins per (typed username, client address), for unknown usernames exactly as for known
ones, so a lock can neither reveal an account nor shut its owner out from their own address.

Revision ID: 0004
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "login_throttle",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("username", "client", name=op.f("pk_login_throttle")),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("session_version")
