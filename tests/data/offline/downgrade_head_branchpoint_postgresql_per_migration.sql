BEGIN;

-- Running downgrade 9abc688b6311 -> 2f2467916363

ALTER TABLE locations DROP COLUMN contact_email;

UPDATE alembic_version SET version_num='2f2467916363' WHERE alembic_version.version_num = '9abc688b6311';

COMMIT;

BEGIN;

-- Running downgrade 2f2467916363 -> 32863478822d

DROP TABLE maintenance_windows;

UPDATE alembic_version SET version_num='32863478822d' WHERE alembic_version.version_num = '2f2467916363';

COMMIT;

BEGIN;

-- Running downgrade 32863478822d -> bcddf3f8350c, 696e23fe439e

DROP VIEW device_overview;

INSERT INTO alembic_version (version_num) VALUES ('bcddf3f8350c') RETURNING alembic_version.version_num;

UPDATE alembic_version SET version_num='696e23fe439e' WHERE alembic_version.version_num = '32863478822d';

COMMIT;

BEGIN;

-- Running downgrade bcddf3f8350c -> 575ce023861c

DROP TABLE alerts;

ALTER TABLE sensors DROP COLUMN max_value;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'bcddf3f8350c';

COMMIT;

BEGIN;

-- Running downgrade 696e23fe439e -> 6aa67ef48cab

ALTER TABLE devices DROP COLUMN primary_sensor_id;

INSERT INTO alembic_version (version_num) VALUES ('6aa67ef48cab') RETURNING alembic_version.version_num;

UPDATE alembic_version SET version_num='575ce023861c' WHERE alembic_version.version_num = '696e23fe439e';

COMMIT;

BEGIN;

-- Running downgrade 6aa67ef48cab -> 0169b51572d2

DROP TABLE device_firmware;

DELETE FROM alembic_version WHERE alembic_version.version_num = '6aa67ef48cab';

COMMIT;

BEGIN;

-- Running downgrade 575ce023861c -> 0169b51572d2

DROP TABLE readings;

DROP TABLE sensors;

UPDATE alembic_version SET version_num='0169b51572d2' WHERE alembic_version.version_num = '575ce023861c';

COMMIT;

