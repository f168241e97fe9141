"""Add things via module constants

Revision ID: 5e6f7a8b
Revises: 1a2b3c4d
Create Date: 2024-01-01 00:00:00
"""
from alembic import op
from . import constants
from .constants import EXPAND as expand_label
import myproj.db.migration.cli as cli

_labels = ("feature",)
_deps = ["1a2b3c4d"] + ["9f8e7d6c"]
PARENT: str = "1a2b3c4d"

revision: str = "5e6f7a8b"
down_revision = PARENT
branch_labels = tuple(_labels)
depends_on = list(_deps)
