"""merge orders and profiles

Revision ID: daa092a2017a
Revises: a5b70f5b9391, 6b35fdb672ea
Create Date: 2026-11-24 05:38:18.804902

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'daa092a2017a'
down_revision = ('a5b70f5b9391', '6b35fdb672ea')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
