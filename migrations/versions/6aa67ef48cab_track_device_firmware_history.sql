-- track device firmware history
--
-- One row per firmware installation, so support can see what a device
-- ran at any point in time.
--
-- Revision ID: 6aa67ef48cab
-- Revises: 0169b51572d2
-- Branch labels:
-- Depends on:
-- Create Date: 2026-03-02 11:05:18.640271

-- migrate:upgrade
CREATE TABLE device_firmware (
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    release_id INTEGER NOT NULL REFERENCES firmware_releases (id),
    installed_at TIMESTAMP NOT NULL,
    installed_by VARCHAR(64),
    PRIMARY KEY (device_id, installed_at)
);

CREATE INDEX ix_device_firmware_release_id ON device_firmware (release_id);

-- migrate:downgrade
DROP TABLE device_firmware;
