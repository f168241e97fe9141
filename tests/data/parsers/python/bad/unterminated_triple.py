"""doc"""
revision = 'abc'
down_revision = None


def upgrade():
    """never closed
    pass
