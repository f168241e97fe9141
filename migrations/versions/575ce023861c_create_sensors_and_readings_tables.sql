-- create sensors and readings tables
--
-- Starts the telemetry branch: sensors mounted on devices and the
-- time series of their readings.
--
-- Revision ID: 575ce023861c
-- Revises: 0169b51572d2
-- Branch labels: telemetry
-- Depends on:
-- Create Date: 2026-02-24 16:20:44.069127

-- migrate:upgrade
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

-- migrate:downgrade
DROP TABLE readings;

DROP TABLE sensors;
