"""no revision variable, and the name is not hex"""
down_revision = None
