BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running stamp_revision  -> 6aa67ef48cab

INSERT INTO alembic_version (version_num) VALUES ('6aa67ef48cab') RETURNING alembic_version.version_num;

-- Running stamp_revision  -> 575ce023861c

INSERT INTO alembic_version (version_num) VALUES ('575ce023861c') RETURNING alembic_version.version_num;

COMMIT;

