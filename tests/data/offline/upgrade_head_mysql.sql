CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> cf60bc0183a4

CREATE TABLE locations (
    id INTEGER PRIMARY KEY,
    site_code VARCHAR(16) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL,
    timezone VARCHAR(64) NOT NULL DEFAULT 'UTC'
);

INSERT INTO alembic_version (version_num) VALUES ('cf60bc0183a4');

-- Running upgrade cf60bc0183a4 -> 83ca92fed024

CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    serial_number VARCHAR(64) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL,
    model VARCHAR(64),
    location_id INTEGER REFERENCES locations (id) ON DELETE SET NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'maintenance', 'retired')),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_devices_location_id ON devices (location_id);

UPDATE alembic_version SET version_num='83ca92fed024' WHERE alembic_version.version_num = 'cf60bc0183a4';

-- Running upgrade 83ca92fed024 -> 0169b51572d2

CREATE TABLE firmware_channels (
    name VARCHAR(16) PRIMARY KEY,
    description VARCHAR(200) NOT NULL
);

INSERT INTO firmware_channels (name, description) VALUES
    ('stable', 'Released to every device'),
    ('beta', 'Early access for the test fleet'),
    ('nightly', 'Automated builds; lab devices only');

CREATE TABLE firmware_releases (
    id INTEGER PRIMARY KEY,
    channel VARCHAR(16) NOT NULL REFERENCES firmware_channels (name),
    -- Semantic version as printed by the build, e.g. '2.4.1' or '2.5.0-rc1'.
    version VARCHAR(32) NOT NULL,
    checksum_sha256 CHAR(64) NOT NULL,
    released_at TIMESTAMP NOT NULL,
    UNIQUE (channel, version)
);

UPDATE alembic_version SET version_num='0169b51572d2' WHERE alembic_version.version_num = '83ca92fed024';

-- Running upgrade 0169b51572d2 -> 575ce023861c

CREATE TABLE sensors (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    kind VARCHAR(32) NOT NULL,
    unit VARCHAR(16) NOT NULL,
    UNIQUE (device_id, kind)
);

CREATE TABLE readings (
    id INTEGER PRIMARY KEY,
    sensor_id INTEGER NOT NULL REFERENCES sensors (id) ON DELETE CASCADE,
    taken_at TIMESTAMP NOT NULL,
    value REAL NOT NULL
);

CREATE INDEX ix_readings_sensor_id_taken_at ON readings (sensor_id, taken_at);

UPDATE alembic_version SET version_num='575ce023861c' WHERE alembic_version.version_num = '0169b51572d2';

-- Running upgrade 0169b51572d2 -> 6aa67ef48cab

CREATE TABLE device_firmware (
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    release_id INTEGER NOT NULL REFERENCES firmware_releases (id),
    installed_at TIMESTAMP NOT NULL,
    installed_by VARCHAR(64),
    PRIMARY KEY (device_id, installed_at)
);

CREATE INDEX ix_device_firmware_release_id ON device_firmware (release_id);

INSERT INTO alembic_version (version_num) VALUES ('6aa67ef48cab');

-- Running upgrade 6aa67ef48cab -> 696e23fe439e

ALTER TABLE devices ADD COLUMN primary_sensor_id INTEGER;

UPDATE devices SET primary_sensor_id = (
    SELECT MIN(sensors.id) FROM sensors WHERE sensors.device_id = devices.id
);

DELETE FROM alembic_version WHERE alembic_version.version_num = '6aa67ef48cab';

UPDATE alembic_version SET version_num='696e23fe439e' WHERE alembic_version.version_num = '575ce023861c';

-- Running upgrade 575ce023861c -> bcddf3f8350c

ALTER TABLE sensors ADD COLUMN max_value REAL;

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    sensor_id INTEGER NOT NULL REFERENCES sensors (id) ON DELETE CASCADE,
    reading_id INTEGER NOT NULL REFERENCES readings (id) ON DELETE CASCADE,
    raised_at TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    message VARCHAR(200) NOT NULL
);

CREATE INDEX ix_alerts_sensor_id ON alerts (sensor_id, acknowledged_at);

INSERT INTO alembic_version (version_num) VALUES ('bcddf3f8350c');

-- Running upgrade bcddf3f8350c, 696e23fe439e -> 32863478822d

CREATE VIEW device_overview AS
SELECT
    d.id AS device_id,
    d.serial_number,
    d.name,
    d.status,
    l.name AS location,
    (SELECT fr.version
       FROM device_firmware AS df
       JOIN firmware_releases AS fr ON fr.id = df.release_id
      WHERE df.device_id = d.id
      ORDER BY df.installed_at DESC
      LIMIT 1) AS firmware_version,
    (SELECT COUNT(*)
       FROM alerts AS a
       JOIN sensors AS s ON s.id = a.sensor_id
      WHERE s.device_id = d.id AND a.acknowledged_at IS NULL) AS open_alerts
FROM devices AS d
LEFT JOIN locations AS l ON l.id = d.location_id;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'bcddf3f8350c';

UPDATE alembic_version SET version_num='32863478822d' WHERE alembic_version.version_num = '696e23fe439e';

-- Running upgrade 32863478822d -> 2f2467916363

CREATE TABLE maintenance_windows (
    id INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    reason VARCHAR(200),
    CHECK (ends_at > starts_at)
);

CREATE INDEX ix_maintenance_windows_location_id_starts_at
    ON maintenance_windows (location_id, starts_at);

UPDATE alembic_version SET version_num='2f2467916363' WHERE alembic_version.version_num = '32863478822d';

-- Running upgrade 2f2467916363 -> 9abc688b6311

ALTER TABLE locations ADD COLUMN contact_email VARCHAR(254);

UPDATE alembic_version SET version_num='9abc688b6311' WHERE alembic_version.version_num = '2f2467916363';

