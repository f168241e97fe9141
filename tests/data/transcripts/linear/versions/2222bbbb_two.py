"""two

Revision ID: 2222bbbb
Revises: 1111aaaa
Create Date: 2026-11-24 05:43:00.836968

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2222bbbb'
down_revision = '1111aaaa'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("two", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("two")
