"""doc"""
revision: str = 'abc'
