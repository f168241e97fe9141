"""add profiles table

Revision ID: 923418dbf1e6
Revises: 3bd87e32742f
Create Date: 2026-11-24 05:38:06.063571

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '923418dbf1e6'
down_revision = '3bd87e32742f'
branch_labels = ('profiles',)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("bio", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("profiles")
