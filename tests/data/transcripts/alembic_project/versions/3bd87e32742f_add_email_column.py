"""add email column

Revision ID: 3bd87e32742f
Revises: a35234d98c14
Create Date: 2026-11-24 05:38:04.173432

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3bd87e32742f'
down_revision = 'a35234d98c14'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("email", sa.String(100)))


def downgrade() -> None:
    op.drop_column("users", "email")
