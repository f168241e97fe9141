-- merge telemetry into trunk
--
-- Joins the telemetry branch back and adds the overview the dashboard
-- reads, which needs tables from both sides.
--
-- Revision ID: 32863478822d
-- Revises: bcddf3f8350c, 696e23fe439e
-- Branch labels:
-- Depends on:
-- Create Date: 2026-04-07 13:18:27.524790

-- migrate:upgrade
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

-- migrate:downgrade
DROP VIEW device_overview;
