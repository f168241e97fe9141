"""Concatenated " \
"""   """literals"""
revision = 'abc' 'def' \
    "012"
down_revision = 'f00d' + 'cafe' + \
    '0001'
branch_labels = ('lab' 'el',) + ('second',)
depends_on = \
    (
        'dep' + "end"
    )
