"""doc"""
revision = 'abc' \ x
down_revision = None
