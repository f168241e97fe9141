"""café in latin-1"""
revision = "abc"
down_revision = None
