-- Audit trail for devices: a PL/pgSQL trigger function and its trigger.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.device_changes (
    id BIGSERIAL PRIMARY KEY,
    device_id INTEGER NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    note TEXT DEFAULT E'auto\'generated; do not edit'
);

/* The function body is dollar-quoted: its semicolons, 'quotes' and
   -- comments belong to the body. /* Nested comments are fine here. */ */
CREATE OR REPLACE FUNCTION audit.log_device_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    msg TEXT := 'changed; see $$';
BEGIN
    -- a comment inside the body; with a semicolon
    INSERT INTO audit.device_changes (device_id, note) VALUES (NEW.id, msg);
    RETURN NEW;
END;
$fn$;

CREATE TRIGGER trg_device_change AFTER UPDATE ON devices
    FOR EACH ROW EXECUTE FUNCTION audit.log_device_change();

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'auditor') THEN
        CREATE ROLE auditor;
    END IF;
END
$$;

PREPARE recent(int) AS SELECT * FROM audit.device_changes WHERE device_id = $1;
COMMENT ON TABLE audit.device_changes IS 'One row per change; written by a trigger'
