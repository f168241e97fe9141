-- add sensor alerts
--
-- Each sensor gets an optional upper limit; the ingest service records an
-- alert for every reading above it.
--
-- Revision ID: bcddf3f8350c
-- Revises: 575ce023861c
-- Branch labels:
-- Depends on:
-- Create Date: 2026-03-10 08:31:56.907842

-- migrate:upgrade
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

-- migrate:downgrade
DROP TABLE alerts;

ALTER TABLE sensors DROP COLUMN max_value;
