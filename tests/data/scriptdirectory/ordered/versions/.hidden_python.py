"""r_hidden"""
revision = 'r_hidden'
down_revision = None
