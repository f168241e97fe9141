"""an augmented assignment"""
revision = 'aug00001'
down_revision = None
depends_on = ('x1',)
depends_on += ('x2',)
branch_labels = 'a' if True else 'b'
