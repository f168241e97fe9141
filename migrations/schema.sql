-- Desired schema of the devices inventory (SQLite): the model that
-- `qmigrate-cli create --autogenerate` and `qmigrate-cli check` compare against
-- the schema the revisions in versions/ build.
--
-- Edit this file first, then let autogenerate draft the revision, review it
-- and write the downgrade. It must always equal the schema at head: `check`
-- fails when they differ. Reference data (the firmware channels) lives in the
-- revisions, not here.

CREATE TABLE locations (
    id INTEGER PRIMARY KEY,
    site_code VARCHAR(16) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL,
    timezone VARCHAR(64) NOT NULL DEFAULT 'UTC',
    contact_email VARCHAR(254)
);

CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    serial_number VARCHAR(64) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL,
    model VARCHAR(64),
    location_id INTEGER REFERENCES locations (id) ON DELETE SET NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'maintenance', 'retired')),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    primary_sensor_id INTEGER
);

CREATE INDEX ix_devices_location_id ON devices (location_id);

CREATE TABLE firmware_channels (
    name VARCHAR(16) PRIMARY KEY,
    description VARCHAR(200) NOT NULL
);

CREATE TABLE firmware_releases (
    id INTEGER PRIMARY KEY,
    channel VARCHAR(16) NOT NULL REFERENCES firmware_channels (name),
    version VARCHAR(32) NOT NULL,
    checksum_sha256 CHAR(64) NOT NULL,
    released_at TIMESTAMP NOT NULL,
    UNIQUE (channel, version)
);

CREATE TABLE device_firmware (
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    release_id INTEGER NOT NULL REFERENCES firmware_releases (id),
    installed_at TIMESTAMP NOT NULL,
    installed_by VARCHAR(64),
    PRIMARY KEY (device_id, installed_at)
);

CREATE INDEX ix_device_firmware_release_id ON device_firmware (release_id);

CREATE TABLE sensors (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    kind VARCHAR(32) NOT NULL,
    unit VARCHAR(16) NOT NULL,
    max_value REAL,
    UNIQUE (device_id, kind)
);

CREATE TABLE readings (
    id INTEGER PRIMARY KEY,
    sensor_id INTEGER NOT NULL REFERENCES sensors (id) ON DELETE CASCADE,
    taken_at TIMESTAMP NOT NULL,
    value REAL NOT NULL
);

CREATE INDEX ix_readings_sensor_id_taken_at ON readings (sensor_id, taken_at);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    sensor_id INTEGER NOT NULL REFERENCES sensors (id) ON DELETE CASCADE,
    reading_id INTEGER NOT NULL REFERENCES readings (id) ON DELETE CASCADE,
    raised_at TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    message VARCHAR(200) NOT NULL
);

CREATE INDEX ix_alerts_sensor_id ON alerts (sensor_id, acknowledged_at);

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
