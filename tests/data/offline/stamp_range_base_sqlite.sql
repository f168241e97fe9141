-- Running stamp_revision 32863478822d -> 

DELETE FROM alembic_version WHERE alembic_version.version_num = '32863478822d';

