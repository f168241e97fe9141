"""audit log base

Revision ID: 849f2264101d
Revises: 
Create Date: 2026-11-24 05:38:19.906558

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '849f2264101d'
down_revision = None
branch_labels = ('audit',)
depends_on = '3bd87e32742f'


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("msg", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("audit_log")
