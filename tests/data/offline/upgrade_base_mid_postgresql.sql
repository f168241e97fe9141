BEGIN;

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

INSERT INTO alembic_version (version_num) VALUES ('cf60bc0183a4') RETURNING alembic_version.version_num;

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

-- Running upgrade 0169b51572d2 -> 6aa67ef48cab

CREATE TABLE device_firmware (
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    release_id INTEGER NOT NULL REFERENCES firmware_releases (id),
    installed_at TIMESTAMP NOT NULL,
    installed_by VARCHAR(64),
    PRIMARY KEY (device_id, installed_at)
);

CREATE INDEX ix_device_firmware_release_id ON device_firmware (release_id);

UPDATE alembic_version SET version_num='6aa67ef48cab' WHERE alembic_version.version_num = '0169b51572d2';

COMMIT;

