-- add primary sensor to devices
--
-- The device list shows one headline sensor per device. The backfill reads
-- the sensors table of the telemetry branch, hence the dependency on
-- 575ce023861c. No foreign key: MariaDB cannot drop a column that one uses,
-- and this project runs unchanged on SQLite, PostgreSQL and MariaDB.
--
-- Revision ID: 696e23fe439e
-- Revises: 6aa67ef48cab
-- Branch labels:
-- Depends on: 575ce023861c
-- Create Date: 2026-03-17 15:42:03.358619

-- migrate:upgrade
ALTER TABLE devices ADD COLUMN primary_sensor_id INTEGER;

-- Devices that already have sensors get their first one as the headline sensor.
UPDATE devices SET primary_sensor_id = (
    SELECT MIN(sensors.id) FROM sensors WHERE sensors.device_id = devices.id
);

-- migrate:downgrade
ALTER TABLE devices DROP COLUMN primary_sensor_id;
