from alembic import op
import sqlalchemy as sa

"""This string comes after the imports, so it is not the module docstring

Revision ID: abcdef012345
"""

revision = 'abcdef012345'
down_revision = '0123456789ab'
branch_labels = None
depends_on = None
