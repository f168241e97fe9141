"""b1

Revision ID: b1b1
Revises: 
Create Date: 2026-11-24 05:42:58.292316

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1b1'
down_revision = None
branch_labels = None
depends_on = 'a1a1'


def upgrade() -> None:
    op.create_table("b1", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("b1")
