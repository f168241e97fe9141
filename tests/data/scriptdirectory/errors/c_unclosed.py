"""bad"""
revision = "e_c"
down_revision = ("x",
