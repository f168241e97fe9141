-- Stored routines need DELIMITER in the mysql client; the splitter follows it.
CREATE TABLE `order_totals` (
    `order_id` INT NOT NULL PRIMARY KEY,
    total DECIMAL(10, 2) NOT NULL DEFAULT 0 -- money; never NULL
) ENGINE=InnoDB;

DELIMITER //
CREATE PROCEDURE recompute_totals(IN since DATE)
BEGIN
    DECLARE done INT DEFAULT FALSE;
    DECLARE oid INT;
    DECLARE cur CURSOR FOR SELECT id FROM orders WHERE created >= since;
    DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;
    OPEN cur;
    read_loop: LOOP
        FETCH cur INTO oid;
        IF done THEN
            LEAVE read_loop;
        END IF;
        REPLACE INTO order_totals SELECT oid, SUM(price) FROM order_lines WHERE order_id = oid;
    END LOOP;
    CLOSE cur;
    SELECT 'done; \'really\'' AS status; # a hash comment; with a semicolon
END //

CREATE TRIGGER trg_lines_ai AFTER INSERT ON order_lines FOR EACH ROW
BEGIN
    UPDATE order_totals SET total = total + NEW.price WHERE order_id = NEW.order_id;
END//
DELIMITER ;

-- Without DELIMITER the splitter still keeps a BEGIN ... END body whole.
CREATE FUNCTION line_count(oid INT) RETURNS INT READS SQL DATA
BEGIN
    DECLARE n INT;
    SET n = (SELECT COUNT(*) FROM order_lines WHERE order_id = oid);
    CASE
        WHEN n IS NULL THEN RETURN 0;
        ELSE RETURN n;
    END CASE;
END;

INSERT INTO order_totals VALUES (1, 0), (2, 0);
