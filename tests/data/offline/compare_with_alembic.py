#!/usr/bin/python3
"""Checks the expected offline scripts in this directory against real Alembic.

For every case of cases.txt this builds an Alembic copy of the bundled example project (migrations/):
one .py revision per .sql revision, same file name, same ids, parents, branch labels, dependencies and
message, whose upgrade()/downgrade() call op.execute() with each statement of the .sql section. It then runs
"alembic <command> <arguments> --sql" and compares stdout with <case>.sql and stderr with <case>.log, byte
for byte.

Allowed difference (Alembic 1.8.1 against main): Alembic < 1.19 writes "DROP TABLE alembic_version;" at the
end of a run that ends with no rows; qmigrate follows Alembic main and does not. That statement is removed
from Alembic's output before comparing. Any other difference is reported and makes the exit status 1.

Requirements: Debian's python3-alembic (1.8.1 was used) and python3-sqlalchemy (1.4). No database server:
offline mode only needs the dialect, so "postgresql://u@h/d" and "mysql://u@h/d" work without drivers.
Not run by ctest. Usage: /usr/bin/python3 tests/data/offline/compare_with_alembic.py [-v] [--keep]
"""

import difflib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
VERSIONS = os.path.join(SOURCE, "migrations", "versions")

URLS = {"sqlite": "sqlite:///offline.db", "postgresql": "postgresql://u@h/d", "mysql": "mysql://u@h/d"}

# The generic template's offline configuration, plus transaction_per_migration from -x.
ENV_PY = '''\
from logging.config import fileConfig

from alembic import context

config = context.config
fileConfig(config.config_file_name)
x = context.get_x_argument(as_dictionary=True)
context.configure(
    url=x["url"],
    literal_binds=True,
    dialect_opts={"paramstyle": "named"},
    transaction_per_migration=x.get("per_migration") == "1",
)
with context.begin_transaction():
    context.run_migrations()
'''

# Alembic 1.8.1 loads revision files in os.listdir order; main sorts them, and so does qmigrate. Sorting
# here makes the tie-breaks of the topological order the same on every file system.
RUNNER = '''\
import os, sys
_listdir = os.listdir
os.listdir = lambda path=".": sorted(_listdir(path))
from alembic.config import main
main(argv=sys.argv[1:], prog="alembic")
'''


def parse_sql_revision(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    header, _, rest = text.partition("-- migrate:upgrade\n")
    upgrade, _, downgrade = rest.partition("-- migrate:downgrade\n")
    fields = {}
    doc_lines = []
    in_doc = True
    for line in header.splitlines():
        body = line[3:] if line.startswith("-- ") else line[2:] if line.startswith("--") else None
        if body is None:
            continue
        match = re.match(r"(Revision ID|Revises|Branch labels|Depends on|Create Date):\s*(.*)$", body)
        if match:
            fields[match.group(1)] = match.group(2).strip()
            in_doc = False
        elif in_doc:
            doc_lines.append(body)
    # Alembic's doc: the first paragraph of the module docstring.
    doc = "\n".join(doc_lines).strip().split("\n\n")[0]

    def ids(value):
        return [v.strip() for v in (value or "").split(",") if v.strip()]

    return {
        "id": fields["Revision ID"],
        "down": ids(fields.get("Revises")),
        "labels": ids(fields.get("Branch labels")),
        "depends": ids(fields.get("Depends on")),
        "doc": doc,
        "upgrade": statements(upgrade),
        "downgrade": statements(downgrade),
    }


def statements(sql):
    """Statements without terminators, split by SQLite's own tokenizer (trigger bodies included)."""
    result = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        stripped = line.strip()
        if not buffer.strip() and (not stripped or stripped.startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            assert statement.endswith(";"), statement
            result.append(statement[:-1].rstrip())
            buffer = ""
    if buffer.strip():
        result.append(buffer.strip())
    return result


def python_literal(values):
    if not values:
        return "None"
    if len(values) == 1:
        return repr(values[0])
    return repr(tuple(values))


def write_python_revision(directory, name, revision):
    def body(statements_):
        if not statements_:
            return "    pass\n"
        return "".join("    op.execute(%r)\n" % s for s in statements_)

    text = (
        '"""%s\n\nRevision ID: %s\n"""\n' % (revision["doc"], revision["id"])
        + "from alembic import op\n\n"
        + "revision = %r\n" % revision["id"]
        + "down_revision = %s\n" % python_literal(revision["down"])
        + "branch_labels = %s\n" % python_literal(revision["labels"])
        + "depends_on = %s\n\n\n" % python_literal(revision["depends"])
        + "def upgrade():\n" + body(revision["upgrade"]) + "\n\n"
        + "def downgrade():\n" + body(revision["downgrade"])
    )
    with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
        f.write(text)


def make_project(root):
    subprocess.run([sys.executable, "-m", "alembic", "init", "alembic"], cwd=root, check=True,
                   stdout=subprocess.DEVNULL)
    script_dir = os.path.join(root, "alembic")
    with open(os.path.join(script_dir, "env.py"), "w", encoding="utf-8") as f:
        f.write(ENV_PY)
    versions = os.path.join(script_dir, "versions")
    for name in sorted(os.listdir(VERSIONS)):
        if name.endswith(".sql"):
            revision = parse_sql_revision(os.path.join(VERSIONS, name))
            write_python_revision(versions, name[:-4] + ".py", revision)
    with open(os.path.join(root, "run_alembic.py"), "w", encoding="utf-8") as f:
        f.write(RUNNER)


def read_cases():
    cases = []
    with open(os.path.join(HERE, "cases.txt"), encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            name, dialect, per_migration, command, *arguments = line.split()
            cases.append((name, dialect, per_migration, command, arguments))
    return cases


def without_drop(sql):
    """Alembic < 1.19's final DROP TABLE (inside the final COMMIT on PostgreSQL)."""
    drop = "DROP TABLE alembic_version;\n\n"
    for tail in ("", "COMMIT;\n\n"):
        if sql.endswith(drop + tail):
            return sql[: len(sql) - len(drop + tail)] + tail, True
    return sql, False


# Differences explained in NOTES.md, per dialect: (what qmigrate writes, what Alembic writes). They are
# replaced in the expected text before comparing, and reported.
KNOWN_DIFFERENCES = {
    "postgresql": [
        # NOTES.md "Statement splitting": the example's SQLite trigger body, split by PostgreSQL's rules.
        ("'reading ' || NEW.value || ' above limit');\n\nEND;\n\n",
         "'reading ' || NEW.value || ' above limit');\nEND;\n\n"),
    ],
}


def apply_known_differences(dialect, expected):
    applied = []
    for ours, theirs in KNOWN_DIFFERENCES.get(dialect, []):
        if ours in expected:
            expected = expected.replace(ours, theirs)
            applied.append(ours.split("\n")[0])
    return expected, applied


def diff(expected, actual, label):
    return "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                        "expected/" + label, "alembic/" + label))


def main():
    verbose = "-v" in sys.argv
    keep = "--keep" in sys.argv
    root = tempfile.mkdtemp(prefix="qmigrate-offline-")
    failures = 0
    try:
        make_project(root)
        for name, dialect, per_migration, command, arguments in read_cases():
            argv = ["-x", "url=" + URLS[dialect], "-x", "per_migration=" + per_migration, command,
                    *arguments, "--sql"]
            run = subprocess.run([sys.executable, "run_alembic.py", *argv], cwd=root, capture_output=True,
                                 text=True)
            if run.returncode != 0:
                print("%s: alembic failed (%d):\n%s%s" % (name, run.returncode, run.stdout, run.stderr))
                failures += 1
                continue
            stdout, dropped = without_drop(run.stdout)
            with open(os.path.join(HERE, name + ".sql"), encoding="utf-8") as f:
                expected_sql = f.read()
            with open(os.path.join(HERE, name + ".log"), encoding="utf-8") as f:
                expected_log = f.read()
            expected_sql, known = apply_known_differences(dialect, expected_sql)
            problems = diff(expected_sql, stdout, name + ".sql") + diff(expected_log, run.stderr, name + ".log")
            notes = ["Alembic 1.8.1's final DROP TABLE ignored"] if dropped else []
            notes += ["known difference (NOTES.md) at: " + k for k in known]
            note = " (" + "; ".join(notes) + ")" if notes else ""
            if problems:
                failures += 1
                print("%s: DIFFERS%s\n%s" % (name, note, problems))
            else:
                print("%s: identical%s" % (name, note))
            if verbose:
                print("  alembic " + " ".join(argv))
    finally:
        if keep:
            print("Alembic project kept in " + root)
        else:
            shutil.rmtree(root)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
