"""profiles avatar

Revision ID: 6b35fdb672ea
Revises: 923418dbf1e6
Create Date: 2026-11-24 05:38:07.439962

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6b35fdb672ea'
down_revision = '923418dbf1e6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("profiles", sa.Column("avatar", sa.String(200)))


def downgrade() -> None:
    op.drop_column("profiles", "avatar")
