"""doc"""
revision = 'abc'
down_revision = ('a1',
                 'b2']
