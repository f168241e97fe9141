-- create devices table
--
-- Revision ID: 83ca92fed024
-- Revises: cf60bc0183a4
-- Branch labels:
-- Depends on:
-- Create Date: 2026-01-19 14:02:51.730164

-- migrate:upgrade
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

-- migrate:downgrade
DROP TABLE devices;
