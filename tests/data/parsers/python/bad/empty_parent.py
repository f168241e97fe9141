"""doc"""
revision = 'abc'
down_revision = ('a1', '')
