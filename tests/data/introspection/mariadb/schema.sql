-- Every kind of fact a SchemaSnapshot holds, in plain MariaDB DDL. The single-change rows of
-- tst_schemaintrospector replace exact lines of this file: keep them in step with the other backends'.
-- MariaDB has no expression or partial indexes: ix_device_tags_lower_tag is a plain descending index.
CREATE TABLE locations (
    id INTEGER PRIMARY KEY,
    site_code VARCHAR(16) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL,
    timezone VARCHAR(64) NOT NULL DEFAULT 'UTC',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    rating INTEGER DEFAULT 3,
    notes TEXT
);

CREATE TABLE devices (
    id INTEGER PRIMARY KEY AUTO_INCREMENT,
    serial_number VARCHAR(64) NOT NULL,
    location_id INTEGER REFERENCES locations (id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    weight REAL DEFAULT 1.5,
    model VARCHAR(64),
    replaced_by INTEGER,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    CONSTRAINT uq_devices_serial_number UNIQUE (serial_number)
);

CREATE INDEX ix_devices_location_id ON devices (location_id);
CREATE UNIQUE INDEX ix_devices_model_status ON devices (model, status);

CREATE TABLE device_tags (
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    tag VARCHAR(32) NOT NULL,
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (device_id, tag),
    CONSTRAINT ck_device_tags_tag CHECK (length(tag) > 0)
);

CREATE INDEX ix_device_tags_lower_tag ON device_tags (tag DESC);

CREATE VIEW active_devices AS
SELECT d.id, d.serial_number, l.name AS location
FROM devices AS d
JOIN locations AS l ON l.id = d.location_id
WHERE d.status = 'active';
