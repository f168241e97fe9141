"""values only Python can compute"""
from neutron.db.migration import cli

_deps = ['aaaa00000001']

revision = 'expand0001'
down_revision = 'contract0000'
branch_labels = (cli.EXPAND_BRANCH,)
depends_on = tuple(
    _deps
)
