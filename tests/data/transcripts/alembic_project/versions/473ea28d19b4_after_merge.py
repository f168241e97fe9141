"""after merge

Revision ID: 473ea28d19b4
Revises: daa092a2017a
Create Date: 2026-11-24 05:38:19.565669

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '473ea28d19b4'
down_revision = 'daa092a2017a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT INTO users (id, name) VALUES (1, 'admin')")


def downgrade() -> None:
    op.execute("DELETE FROM users WHERE id = 1")
