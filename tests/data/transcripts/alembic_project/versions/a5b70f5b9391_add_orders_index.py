"""add orders index

Revision ID: a5b70f5b9391
Revises: 1503909ba7f6
Create Date: 2026-11-24 05:38:05.310084

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a5b70f5b9391'
down_revision = '1503909ba7f6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_orders_user_id", "orders", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_orders_user_id", table_name="orders")
