"""four

Revision ID: 4444dddd
Revises: 3333cccc
Create Date: 2026-11-24 05:43:02.520897

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4444dddd'
down_revision = '3333cccc'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("four", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("four")
