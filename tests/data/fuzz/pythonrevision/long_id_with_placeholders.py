revision = "%1%1%1%1%1%1%1%1%1%1%1%1%1%1%1%1%1"
down_revision = None
