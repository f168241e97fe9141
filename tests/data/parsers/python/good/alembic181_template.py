"""create users table

Revision ID: a35234d98c14
Revises: 
Create Date: 2026-11-24 00:42:40.785656

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a35234d98c14'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
