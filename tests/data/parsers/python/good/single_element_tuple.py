"""one parent written as a tuple"""
revision = '3bd87e32742f'
down_revision = ('a35234d98c14',)
branch_labels = ('orders',)
depends_on = '1503909ba7f6'
