-- add primary sensor to devices
--
-- The device list shows one headline sensor per device. Needs the sensors
-- table of the telemetry branch, hence the dependency on 575ce023861c.
--
-- Revision ID: 696e23fe439e
-- Revises: 6aa67ef48cab
-- Branch labels:
-- Depends on: 575ce023861c
-- Create Date: 2026-03-17 15:42:03.358619

-- migrate:upgrade
ALTER TABLE devices ADD COLUMN primary_sensor_id INTEGER REFERENCES sensors (id);

-- migrate:downgrade
ALTER TABLE devices DROP COLUMN primary_sensor_id;
