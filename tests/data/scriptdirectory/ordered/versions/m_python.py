"""r_m_python"""
revision = 'r_m_python'
down_revision = None
