"""merge three heads"""
revision = "f00dfeed0003"
down_revision = ("aaaa00000001", "bbbb00000002", "cccc00000003")
branch_labels = ("orders", "profiles")
depends_on = "dddd00000004"


def upgrade():
    pass


def downgrade():
    pass
