"""one

Revision ID: 1111aaaa
Revises: 
Create Date: 2026-11-24 05:42:59.926208

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1111aaaa'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("one", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("one")
