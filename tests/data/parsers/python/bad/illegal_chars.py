"""doc"""
revision = 'rev@1:x'
down_revision = None
