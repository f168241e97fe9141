-- Running stamp_revision 83ca92fed024 -> 32863478822d

UPDATE alembic_version SET version_num='32863478822d' WHERE alembic_version.version_num = '83ca92fed024';

