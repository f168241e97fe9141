"""bom crlf python

more"""
revision = "le_py"
down_revision = (
  "le_bom_crlf",
)
depends_on = helpers.deps()
