"""add orders table

Revision ID: 1503909ba7f6
Revises: 3bd87e32742f
Create Date: 2026-11-24 05:38:04.940447

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1503909ba7f6'
down_revision = '3bd87e32742f'
branch_labels = ('orders',)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("total_cents", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("orders")
