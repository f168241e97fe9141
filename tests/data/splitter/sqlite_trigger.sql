-- SQLite: a trigger whose body has several statements and a CASE expression.
CREATE TABLE stock (
    item TEXT PRIMARY KEY,
    qty INTEGER NOT NULL CHECK (qty >= 0),
    "group" TEXT -- a reserved word as a column; a comment with a quote: it's fine
);

CREATE TABLE stock_log (item TEXT, delta INTEGER, kind TEXT);

CREATE TRIGGER trg_stock_update
AFTER UPDATE OF qty ON stock
FOR EACH ROW
WHEN NEW.qty <> OLD.qty
BEGIN
    INSERT INTO stock_log (item, delta, kind)
    VALUES (NEW.item, NEW.qty - OLD.qty,
            CASE WHEN NEW.qty > OLD.qty THEN 'in;' ELSE 'out' END);
    /* keep at most 1000 rows; oldest first */
    DELETE FROM stock_log WHERE rowid IN (
        SELECT rowid FROM stock_log ORDER BY rowid DESC LIMIT -1 OFFSET 1000);
END;

INSERT INTO stock (item, qty) VALUES ('bolt', 10), ('nut''s', 5);;
UPDATE stock SET qty = qty - 1 WHERE item = 'bolt'   -- no terminator at the end
