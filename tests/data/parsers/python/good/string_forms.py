r'''Raw docstring with a \n that stays two characters

Second paragraph.'''
revision = u'str\x69ng\u0073'
down_revision = r'raw\d'
branch_labels = ('''triple''', """double triple""", 'esc\'aped', "tab\there", 'o\143t')
depends_on = F'no_fields'
