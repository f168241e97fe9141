# -*- coding: utf-8 -*-
r'''Raw docstring \n with "quotes"'''
revision = 'ab' 'cd' + "ef"; down_revision = ('x' u'y', b'z', f'{a}')
branch_labels = cli.EXPAND_BRANCH
depends_on += ("a",)
_seq = ["q"]
_seq.append("r")
def upgrade():
    revision = "not module level"
    x = [1, 2,
         3] \
        + [4]
    return x
if True: down_revision = None
