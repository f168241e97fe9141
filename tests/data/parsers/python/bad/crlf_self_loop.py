"""doc"""
revision = "abc"
down_revision = (
  "x1",
  "abc",
)
