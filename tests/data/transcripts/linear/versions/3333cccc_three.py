"""three

Revision ID: 3333cccc
Revises: 2222bbbb
Create Date: 2026-11-24 05:43:01.632140

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3333cccc'
down_revision = '2222bbbb'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("three", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("three")
