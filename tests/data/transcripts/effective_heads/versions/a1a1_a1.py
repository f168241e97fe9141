"""a1

Revision ID: a1a1
Revises: 
Create Date: 2026-11-24 05:42:57.773681

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1a1'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("a1", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("a1")
