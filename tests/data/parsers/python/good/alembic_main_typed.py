"""merge orders and profiles

Revision ID: daa092a2017a
Revises: a5b70f5b9391, 6b35fdb672ea
Create Date: 2026-11-24 00:42:45.128467

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "daa092a2017a"
down_revision: Union[str, None] = ("a5b70f5b9391", "6b35fdb672ea")
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass
