"""Values over several lines, with comments that hold quotes

Revision ID: c0c0c0c0c0c0
Revises: stale_in_docstring
"""

revision = 'c0c0c0c0c0c0'
down_revision = (
    'aaaa00000001',  # don't forget "this" one
    "bbbb00000002",  # it's the "other" branch (see ')' above)
)  # closing comment with a ( bracket
branch_labels = None
depends_on = [
    # a leading comment line with 'quotes'
    'dddd00000004',
    'eeee00000005'  # no trailing comma
]
