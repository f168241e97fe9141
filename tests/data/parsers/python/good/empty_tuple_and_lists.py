"""a base written with an empty tuple

Labels and dependencies given as lists.
"""
revision = 'e0e0e0e0e0e1'
down_revision = ()
branch_labels = ['audit']
depends_on = ['aaaa00000001', 'bbbb00000002']
