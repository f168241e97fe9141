"""doc"""
revision = ''
down_revision = None
