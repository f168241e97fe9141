"""Functions come first here"""
from alembic import op


def upgrade():
    revision = 'not_this_one'
    op.execute("""
revision = 'nor_this_one'
down_revision = 'in_a_string'
""")


class Helper:
    down_revision = 'class_attribute'


def downgrade():
    pass


if False:
    revision = 'inside_an_if'

revision = 'kilo'
down_revision = 'juliet'
