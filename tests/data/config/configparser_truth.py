import configparser
cases = [
 ("equals", "[a]\nkey = value\n", "a", "key"),
 ("colon", "[a]\nkey: value\n", "a", "key"),
 ("upper_key", "[a]\nMyKey = v\n", "a", "MYKEY"),
 ("strip", "[a]\n  key   =   spaced value   \n", "a", "key"),
 ("first_delim", "[a]\nsqlalchemy.url = postgresql://u:p@h/db\n", "a", "sqlalchemy.url"),
 ("colon_first", "[a]\nk: a = b\n", "a", "k"),
 ("key_spaces", "[a]\nmy key = v\n", "a", "my key"),
 ("empty_value", "[a]\nk =\n", "a", "k"),
 ("continuation", "[a]\nk = one\n  two\n\tthree\n", "a", "k"),
 ("blank_in_value", "[a]\nk = one\n\n  two\n", "a", "k"),
 ("trailing_blanks", "[a]\nk = one\n\n\nnext = 2\n", "a", "k"),
 ("comment_in_value", "[a]\nk = one\n# c\n  ; c2\n  two\n", "a", "k"),
 ("inline_hash_kept", "[a]\nk = v # not a comment\n", "a", "k"),
 ("default_fallback", "[DEFAULT]\nk = d\n[a]\nx = 1\n", "a", "k"),
 ("section_beats_default", "[DEFAULT]\nk = d\n[a]\nk = s\n", "a", "k"),
 ("here", "[a]\nk = %(here)s/migrations\n", "a", "k"),
 ("here_upper", "[a]\nk = %(HERE)s\n", "a", "k"),
 ("percent_escape", "[a]\nk = 100%% sure %%(here)s\n", "a", "k"),
 ("nested", "[a]\nbase = %(here)s/x\nk = %(base)s/y\n", "a", "k"),
 ("default_uses_section", "[DEFAULT]\nk = %(name)s!\n[a]\nname = A\n", "a", "k"),
 ("file_default_beats_here", "[DEFAULT]\nhere = /file\n[a]\nk = %(here)s\n", "a", "k"),
 ("header_junk", "[a] trailing\nk = v\n", "a", "k"),
 ("header_bracket", "[a]b]\nk = v\n", "a]b", "k"),
 ("header_spaces", "[ a ]\nk = v\n", " a ", "k"),
 ("indented_header_is_value", "[a]\nk = v\n  [b]\n", "a", "k"),
 ("indented_key_after_header", "[a]\n  k = v\n  j = w\n", "a", "j"),
 ("crlf", "[a]\r\nk = one\r\n  two\r\n", "a", "k"),
 ("cr", "[a]\rk = v\r", "a", "k"),
 ("no_final_newline", "[a]\nk = v", "a", "k"),
 ("multi_value_interp", "[a]\nk = %(here)s/a\n  %(here)s/b\n", "a", "k"),
 ("repeated_default_section", "[DEFAULT]\nx = 1\n[a]\n[DEFAULT]\ny = 2\n", "a", "y"),
]
for name, text, sect, key in cases:
    c = configparser.ConfigParser({'here': '/H'})
    open('t.ini','w',newline='').write(text); c.read(['t.ini'])
    print(name, repr(c.get(sect, key)))
errs = [
 ("dup_section", "[a]\nx=1\n[b]\n[a]\n", None),
 ("dup_key", "[a]\nx = 1\nX = 2\n", None),
 ("dup_default_key", "[DEFAULT]\nx = 1\n[DEFAULT]\nx = 2\n", None),
 ("no_header", "# c\nx = 1\n", None),
 ("no_header_last", "x = 1", None),
 ("bad_line", "[a]\nx = 1\ngarbage\n", None),
 ("two_bad", "[a]\ngarbage\n= x\nok = 1\n", None),
 ("empty_brackets", "[a]\n[]\n", None),
 ("quote_line", "[a]\nit's\n", None),
 ("bad_percent", "[a]\nx = 1\nk = 50%\n", "k"),
 ("missing_key", "[alembic]\nx = %(y)s\n", "x"),
 ("bad_ref", "[a]\nk = %(x\n", "k"),
 ("recursion", "[a]\nk = %(j)s\nj = %(k)s\n", "k"),
]
for name, text, key in errs:
    c = configparser.ConfigParser({'here': '/H'})
    try:
        open('t.ini','w',newline='').write(text); c.read(['t.ini'])
        print(name, 'GET', repr(c.get(c.sections()[0], key)))
    except Exception as e:
        print(name, type(e).__name__, repr(str(e)))
