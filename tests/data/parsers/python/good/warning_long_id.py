"""an id longer than the version column"""
revision = 'this_revision_identifier_is_longer_than_32'
down_revision = None
