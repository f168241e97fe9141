"""f-strings with fields and bytes are not plain strings"""
PREFIX = 'p'
revision = 'fstr0001'
down_revision = f'{PREFIX}0000'
branch_labels = b'bytes'
depends_on = None
