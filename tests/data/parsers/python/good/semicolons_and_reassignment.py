"""statements on one line; the last module-level assignment wins"""
revision = 'first'; down_revision = None
revision = 'second'  ; depends_on = 'x1'
down_revision: str
if True: down_revision = 'ignored_one_liner'
