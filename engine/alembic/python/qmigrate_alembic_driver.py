# SPDX-License-Identifier: MIT
"""qmigrate's driver for a project's own Alembic.

qmigrate starts this file with the project's Python interpreter. It runs Alembic through its public
entry points (alembic.config.Config, ScriptDirectory, EnvironmentContext, alembic.command) inside the
project's own env.py, and talks to qmigrate over two private channels:

- events: one JSON object per line on the process's original standard output. The project's own
  output (print(), logging) is moved to standard error before env.py runs, so it never mixes in.
- replies: one JSON object per line on standard input, for the run lock handshake.

Everything qmigrate decides (the plan, the lock statements, the audit row) comes from qmigrate; this
file only carries it out on the connection Alembic uses. The request comes in the environment:
QMIGRATE_ACTION, QMIGRATE_INI, QMIGRATE_SECTION, QMIGRATE_URL, QMIGRATE_TARGETS (a JSON list) and
QMIGRATE_OPTIONS (a JSON object). Nothing is read from argv.
"""

import datetime
import functools
import hashlib
import json
import os
import sys
import time
import traceback
import warnings

PROTOCOL = 1


class Refusal(Exception):
    """qmigrate refused to go on (its plan, the lock or the files say no); nothing more runs."""


class Channel:
    def __init__(self):
        # The events keep the real standard output; everything else printed from here on goes to stderr.
        self._events = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
        os.dup2(2, 1)
        sys.stdout = sys.stderr
        self._replies = sys.stdin

    def send(self, event, **fields):
        fields["e"] = event
        self._events.write(json.dumps(fields) + "\n")
        self._events.flush()

    def receive(self):
        line = self._replies.readline()
        if not line:
            raise Refusal("qmigrate closed the channel")
        return json.loads(line)


def environment_json(name, default):
    text = os.environ.get(name)
    return json.loads(text) if text else default


def strip_background(message):
    # SQLAlchemy appends "(Background on this error at: https://sqlalche.me/...)": not the user's error.
    lines = [line for line in message.splitlines() if not line.startswith("(Background on this error at:")]
    return "\n".join(lines).strip()


def is_command_error(exc):
    try:
        from alembic.util import CommandError
    except ImportError:
        return False
    return isinstance(exc, CommandError)


def describe_error(exc, revision_paths, running):
    """The error as qmigrate shows it: the message and the frame inside the revision file (or env.py)."""
    file_name, line = None, 0
    if is_command_error(exc):
        # Alembic's usage errors read as Alembic prints them ("FAILED: <message>"), with no frame to show.
        return {"message": str(exc), "type": "CommandError", "file": None, "line": 0, "traceback": ""}
    message = strip_background("%s: %s" % (type(exc).__name__, exc)) if str(exc) else type(exc).__name__
    frames = traceback.extract_tb(exc.__traceback__)
    running_path = os.path.realpath(running["path"]) if running and running.get("path") else None
    for frame in frames:
        path = os.path.realpath(frame.filename)
        if running_path and path == running_path:
            file_name, line = frame.filename, frame.lineno
        elif running_path is None and path in revision_paths:
            file_name, line = frame.filename, frame.lineno
    if file_name is None:
        for frame in frames:
            if os.path.basename(frame.filename) == "env.py":
                file_name, line = frame.filename, frame.lineno
    return {
        "message": message,
        "type": type(exc).__name__,
        "file": file_name,
        "line": line or 0,
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }


def action_probe(channel):
    result = {
        "protocol": PROTOCOL,
        "executable": sys.executable,
        "python": "%d.%d.%d" % sys.version_info[:3],
        "missing": [],
        # Where imports come from: qmigrate keeps this answer until one of these folders changes (a package
        # installed or removed changes its folder). The user site folder is listed even when it does not
        # exist yet, since `pip install --user` creates it.
        "paths": [os.path.abspath(path or os.curdir) for path in sys.path],
    }
    try:
        import site

        result["paths"].append(site.getusersitepackages())
    except Exception:
        pass
    for module in ("alembic", "sqlalchemy"):
        try:
            imported = __import__(module)
            result[module] = getattr(imported, "__version__", "")
        except ImportError:
            result["missing"].append(module)
    url = os.environ.get("QMIGRATE_URL")
    if url and "sqlalchemy" not in result["missing"]:
        try:
            from sqlalchemy.engine.url import make_url

            dialect = make_url(url).get_dialect()
            result["dbapi"] = dialect.driver
            dialect.dbapi()
        except ImportError as exc:
            result["missing"].append(getattr(exc, "name", None) or str(exc))
        except Exception as exc:  # an unknown dialect name, for one
            result["url_error"] = strip_background(str(exc))
    channel.send("probe", **result)
    return 0


def action_values(channel):
    """The revision fields as Alembic sees them (the module attributes of each revision), for the files in
    QMIGRATE_FILES (a JSON list of paths; empty: every revision), one "values" event each. Files are loaded
    one by one, so one that fails to import is reported with its error and the others still answer. The
    project's own modules imported on the way are reported as "support" files with their SHA-256: values
    computed from them are stale once they change."""
    import sysconfig

    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from alembic.script.base import Script

    def as_list(value, field):
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(item, str) for item in value):
            return list(value)
        raise TypeError("%s is %r, not a string or a sequence of strings" % (field, value))

    def described(script):
        module = script.module
        event = {"path": os.path.realpath(script.path), "revision": script.revision, "errors": {}}
        for field in ("down_revision", "branch_labels", "depends_on"):
            try:
                event[field] = as_list(getattr(module, field, None), field)
            except TypeError as exc:
                event["errors"][field] = str(exc)
        return event

    before = set(sys.modules)
    try:
        config = Config(os.environ["QMIGRATE_INI"], ini_section=os.environ.get("QMIGRATE_SECTION") or "alembic")
        script_dir = ScriptDirectory.from_config(config)
        files = environment_json("QMIGRATE_FILES", [])
        if files:
            for path in files:
                try:
                    script = Script._from_path(script_dir, path)
                    if script is not None:
                        channel.send("values", **described(script))
                except BaseException as exc:  # a revision's own code may raise anything
                    details = describe_error(exc, {os.path.realpath(path)}, None)
                    channel.send("values_error", path=os.path.realpath(path), **details)
        else:
            for script in script_dir._load_revisions():
                channel.send("values", **described(script))
    except BaseException as exc:
        channel.send("error", **describe_error(exc, set(), None))
        return 1

    library = {os.path.realpath(p) for p in sysconfig.get_paths().values()}
    support = []
    for name in sorted(set(sys.modules) - before):
        path = getattr(sys.modules[name], "__file__", None)
        if not path or not path.endswith(".py"):
            continue
        path = os.path.realpath(path)
        parts = path.split(os.sep)
        if "site-packages" in parts or "dist-packages" in parts or any(path.startswith(p + os.sep) for p in library):
            continue
        with open(path, "rb") as handle:
            support.append({"path": path, "sha256": hashlib.sha256(handle.read()).hexdigest()})
    channel.send("support", files=support)
    channel.send("done")
    return 0


class Run:
    """One upgrade, downgrade or stamp, online or offline (--sql), inside the project's env.py."""

    def __init__(self, channel, action, targets, options):
        from alembic.config import Config

        self.channel = channel
        self.action = action
        self.targets = targets
        self.options = options
        self.as_sql = bool(options.get("sql"))
        self.config = Config(
            os.environ["QMIGRATE_INI"],
            ini_section=os.environ.get("QMIGRATE_SECTION") or "alembic",
            output_buffer=_OutputEvents(channel) if self.as_sql else None,
        )
        url = os.environ.get("QMIGRATE_URL")
        if url:
            # configparser interpolation: a literal % is written %%.
            self.config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        self.configured = 0
        self.locked = False
        self.expected = None  # the steps qmigrate planned under the lock
        self.audit = None
        self.step_index = -1
        self.running = None
        self.step_started = None
        self.internal = False
        self.audit_statement = None  # the audit INSERT in the DBAPI's parameter style, once translated
        self.lock_handle = None
        self.revision_paths = set()

    # --- hooks -------------------------------------------------------------------------------------
    def install_hooks(self):
        from alembic.runtime.environment import EnvironmentContext
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        run = self
        original_configure = EnvironmentContext.configure

        def configure(context, *args, **kw):
            run.configured += 1
            connection = kw.get("connection")
            if not run.as_sql:
                if connection is None:
                    raise Refusal(
                        "env.py configured Alembic without a connection in online mode; qmigrate needs the "
                        "connection to take its run lock. Nothing was run."
                    )
                if run.configured > 1:
                    raise Refusal(
                        "env.py configures Alembic more than once (several databases); qmigrate runs "
                        "single-database env.py files only. Nothing was run."
                    )
                run.handshake(connection, kw)
                if connection.dialect.name == "sqlite" and "transactional_ddl" not in kw:
                    # SQLite's DDL is transactional; pysqlite once could not use it, which is why Alembic's
                    # SQLiteImpl says False. One transaction keeps the write lock (qmigrate's run lock) for
                    # the whole run and rolls a failed run back completely.
                    kw["transactional_ddl"] = True
                callbacks = list(kw.get("on_version_apply") or [])
                callbacks.append(run.version_applied)
                kw["on_version_apply"] = callbacks
            return original_configure(context, *args, **kw)

        EnvironmentContext.configure = configure

        def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
            if not run.internal:
                run.channel.send("sql", step=run.step_index, sql=statement)

        event.listen(Engine, "before_cursor_execute", before_cursor_execute)

        def show_warning(message, category, filename, lineno, file=None, line=None):
            run.channel.send(
                "warning", message="%s: %s" % (category.__name__, message), file=filename, line=lineno
            )

        warnings.showwarning = show_warning

    def raw(self, connection, sql):
        """Runs one of qmigrate's statements on the DBAPI connection under Alembic's, unseen by SQLAlchemy
        (no autobegin, so Alembic still owns the transaction), and returns the rows."""
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql)
            try:
                return cursor.fetchall()
            except Exception:
                return []
        finally:
            cursor.close()

    def handshake(self, connection, kw):
        url = connection.engine.url
        self.channel.send(
            "connected",
            dialect=connection.dialect.name,
            driver=connection.dialect.driver,
            url=url.render_as_string(hide_password=True),
            database=url.database or "",
            host=url.host or "",
            port=url.port or 0,
            version_table=kw.get("version_table") or "alembic_version",
            version_table_schema=kw.get("version_table_schema") or "",
            transaction_per_migration=bool(kw.get("transaction_per_migration")),
        )
        reply = self.channel.receive()
        if "abort" in reply:
            raise Refusal(reply["abort"])
        lock = reply["lock"]
        deadline = time.monotonic() + float(lock.get("timeout", 60))
        if lock.get("file"):
            self.lock_file(connection, lock, deadline)
        for sql in lock.get("before", []):
            self.raw(connection, sql)
        while True:
            try:
                rows = self.raw(connection, lock["try"])
            except Exception as exc:
                # SQLite: BEGIN IMMEDIATE waited busy_timeout and gave up.
                if lock.get("busy_is_timeout") and ("locked" in str(exc) or "busy" in str(exc)):
                    self.lock_timeout(connection, lock)
                raise
            if not lock.get("check_result") or (rows and rows[0][0] in (1, True)):
                break
            if time.monotonic() >= deadline:
                self.lock_timeout(connection, lock)
            time.sleep(0.1)
        self.locked = True
        rows = []
        if self.raw(connection, reply["version_table_exists"]):
            rows = [row[0] for row in self.raw(connection, reply["select_versions"])]
        self.channel.send("locked", rows=rows)
        plan = self.channel.receive()
        if "abort" in plan:
            raise Refusal(plan["abort"])
        self.expected = plan["steps"]
        self.audit = plan.get("audit")

    def lock_file(self, connection, lock, deadline):
        """SQLite: qmigrate's run lock file (flock), held until this process ends, so the run's commits never
        let another qmigrate run in. The same lock native runs take; the file names the holder."""
        import fcntl
        import socket

        handle = open(lock["file"], "a+")
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.close()
                    self.lock_timeout(connection, lock)
                time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "since": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "command": lock.get("command", ""),
                }
            )
            + "\n"
        )
        handle.flush()
        self.lock_handle = handle  # kept open: closing it would release the lock

    def lock_timeout(self, connection, lock):
        holder = []
        if lock.get("holder"):
            try:
                holder = [[str(value) for value in row] for row in self.raw(connection, lock["holder"])]
            except Exception:
                holder = []
        self.channel.send("lock_timeout", holder=holder)
        raise Refusal("timed out waiting for the migration lock")

    def version_applied(self, ctx, step, heads, run_args):
        """Alembic's on_version_apply: the step ran and its version rows are written, inside its
        transaction. The audit row goes into the same transaction."""
        index = self.step_index
        if self.audit and index >= 0:
            expected = self.expected[index]
            finished = datetime.datetime.now(datetime.timezone.utc)
            self.internal = True
            try:
                self.insert_audit_row(
                    ctx.connection,
                    {
                        "revision": expected["audit_revision"],
                        "direction": expected["direction"],
                        "checksum": expected.get("checksum") or None,
                        "script_text": expected.get("text") or None,
                        "started_at": self.timestamp(self.step_started),
                        "finished_at": self.timestamp(finished),
                        "duration_ms": int((finished - self.step_started).total_seconds() * 1000),
                        "os_user": self.audit.get("os_user") or None,
                        "host": self.audit.get("host") or None,
                        "outcome": "success",
                        "error_text": None,
                        "qmigrate_version": self.audit.get("version") or None,
                    },
                )
            finally:
                self.internal = False
        self.channel.send("step_done", index=index, heads=sorted(heads))

    def insert_audit_row(self, connection, values):
        """The audit INSERT (":name" placeholders) in the DBAPI's own parameter style, translated once and
        run through exec_driver_sql: a SQLAlchemy text() compiled again for each step cost a third of a
        millisecond per step, as much as the rest of qmigrate's work in the step."""
        if not hasattr(connection, "exec_driver_sql"):  # SQLAlchemy before 1.4
            from sqlalchemy import text

            connection.execute(text(self.audit["insert"]), values)
            return
        if self.audit_statement is None:
            import re

            style = connection.dialect.paramstyle
            names = re.findall(r":(\w+)", self.audit["insert"])
            placeholder = {
                "named": lambda name: ":" + name,
                "pyformat": lambda name: "%(" + name + ")s",
                "qmark": lambda name: "?",
                "format": lambda name: "%s",
                "numeric": lambda name: ":%d" % (names.index(name) + 1),
            }[style]
            sql = re.sub(r":(\w+)", lambda match: placeholder(match.group(1)), self.audit["insert"])
            if style in ("qmark", "format", "numeric"):
                self.audit_statement = (sql, names)
            else:
                self.audit_statement = (sql, None)
        sql, names = self.audit_statement
        connection.exec_driver_sql(sql, values if names is None else tuple(values[name] for name in names))

    def timestamp(self, moment):
        if self.audit.get("timestamp_format") == "mysql":
            return moment.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (moment.microsecond // 1000)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)

    # --- steps -------------------------------------------------------------------------------------
    def describe_step(self, step):
        from alembic.runtime.migration import StampStep

        if isinstance(step, StampStep):
            return {
                "direction": "stamp",
                "revision": None,
                "from": list(step.from_revisions_no_deps),
                "to": list(step.to_revisions_no_deps),
            }
        return {
            "direction": "upgrade" if step.is_upgrade else "downgrade",
            "revision": step.revision.revision,
            "from": list(step.from_revisions_no_deps),
            "to": list(step.to_revisions_no_deps),
            "path": step.revision.path,
        }

    def watch(self, steps):
        """Wraps each planned step so that it is checked against qmigrate's plan, announced and timed."""
        run = self
        steps = list(steps)
        if not self.as_sql:
            if not self.locked:
                raise Refusal("env.py ran the migrations without the connection qmigrate locked. Nothing was run.")
            planned = [self.describe_step(step) for step in steps]

            def key(description):
                return (description["direction"], description["revision"], tuple(sorted(description["from"])),
                        tuple(sorted(description["to"])))

            if sorted(map(key, planned)) != sorted(map(key, self.expected)):
                raise Refusal(
                    "Alembic planned %s where qmigrate planned %s. Nothing was run."
                    % (self.steps_text(planned), self.steps_text(self.expected))
                )
            # The same steps; where Alembic orders independent steps differently (two branches going down
            # to base, say), they run in the order the user was shown, which is as valid a topological order.
            by_key = {}
            for step, description in zip(steps, planned):
                by_key.setdefault(key(description), []).append(step)
            steps = [by_key[key(description)].pop(0) for description in self.expected]
        for index, step in enumerate(steps):
            original = step.migration_fn
            description = self.describe_step(step)
            if description.get("path"):
                self.revision_paths.add(os.path.realpath(description["path"]))

            # Alembic names the step after its function ("Running upgrade a -> b"): keep the name.
            @functools.wraps(original)
            def migration_fn(*args, _index=index, _original=original, _description=description, **kw):
                run.start_step(_index, _description)
                return _original(*args, **kw)

            step.migration_fn = migration_fn
        return steps

    def steps_text(self, steps):
        if not steps:
            return "no steps"
        return ", ".join(
            "%s %s -> %s" % (s["direction"], ",".join(s["from"]) or "base", ",".join(s["to"]) or "base")
            for s in steps
        )

    def start_step(self, index, description):
        self.step_index = index
        self.running = description
        self.step_started = datetime.datetime.now(datetime.timezone.utc)
        if not self.as_sql and self.expected is not None:
            sha = self.expected[index].get("file_sha256")
            if sha and description.get("path"):
                with open(description["path"], "rb") as handle:
                    if hashlib.sha256(handle.read()).hexdigest() != sha:
                        raise Refusal(
                            "%s changed on disk after qmigrate read it; run again to use the new text."
                            % description["path"]
                        )
        self.channel.send("step", index=index, **description)

    # --- the run -----------------------------------------------------------------------------------
    def execute(self):
        from alembic.runtime.environment import EnvironmentContext
        from alembic.script import ScriptDirectory
        from alembic import util

        script = ScriptDirectory.from_config(self.config)
        self.install_hooks()
        purge = bool(self.options.get("purge"))
        tag = self.options.get("tag") or None
        starting_rev = None
        if self.action == "stamp":
            destinations = []
            for target in self.targets:
                if self.as_sql and ":" in target:
                    start, target = target.split(":", 2)
                    if starting_rev not in (None, start):
                        raise util.CommandError(
                            "Stamp operation with --sql only supports a single starting revision at a time"
                        )
                    starting_rev = start
                destinations.append(target)
            destination = tuple(destinations)

            def fn(rev, context):
                return self.watch(script._stamp_revs(destination, rev))

            if self.options.get("starting_rows") is not None:
                starting_rev = tuple(self.options["starting_rows"]) or None

        elif self.options.get("plan") is not None:
            # The offline script of exactly the steps qmigrate planned and showed, whatever target made them.
            from alembic.runtime.migration import RevisionStep

            planned = [
                RevisionStep(script.revision_map, script.get_revision(step["revision"]), step["direction"] == "upgrade")
                for step in self.options["plan"]
            ]
            starting_rev = tuple(self.options.get("starting_rows") or ()) or None
            destination = planned[-1].revision.revision if planned else None

            def fn(rev, context):
                return self.watch(planned)

        else:
            destination = self.targets[0]
            if ":" in destination:
                if not self.as_sql:
                    raise util.CommandError("Range revision not allowed")
                starting_rev, destination = destination.split(":", 2)
            elif self.action == "downgrade" and self.as_sql:
                raise util.CommandError("downgrade with --sql requires <fromrev>:<torev>")
            if self.options.get("starting_rows") is not None:
                # A preview of a plan that starts at several heads, which a range cannot say.
                starting_rev = tuple(self.options["starting_rows"]) or None

            if self.action == "upgrade":

                def fn(rev, context):
                    return self.watch(script._upgrade_revs(destination, rev))

            else:

                def fn(rev, context):
                    return self.watch(script._downgrade_revs(destination, rev))

        with EnvironmentContext(
            self.config,
            script,
            fn=fn,
            as_sql=self.as_sql,
            starting_rev=starting_rev,
            destination_rev=destination,
            tag=tag,
            purge=purge if self.action == "stamp" else False,
        ):
            script.run_env()


class Author:
    """create/revision (with --autogenerate) and merge through alembic.command, so the project's
    script.py.mako, file_template and post-write hooks apply. Reports each file written and, for an
    autogenerated draft, what it drops (review notes)."""

    def __init__(self, channel, action, options):
        from alembic.config import Config

        self.channel = channel
        self.action = action
        self.options = options
        self.config = Config(os.environ["QMIGRATE_INI"], ini_section=os.environ.get("QMIGRATE_SECTION") or "alembic")
        url = os.environ.get("QMIGRATE_URL")
        if url:
            self.config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        self.review = []

    def install_hooks(self):
        from alembic.runtime.environment import EnvironmentContext

        author = self
        original_configure = EnvironmentContext.configure
        history_table = self.options.get("history_table") or "qmigrate_history"

        def configure(context, *args, **kw):
            user_include_name = kw.get("include_name")

            # qmigrate's audit table is not part of the project's schema: never propose dropping it, nor
            # SQLite's sqlite_sequence, which its AUTOINCREMENT key brings into being.
            def include_name(name, type_, parent_names):
                if type_ == "table" and name in (history_table, "sqlite_sequence"):
                    return False
                return user_include_name(name, type_, parent_names) if user_include_name else True

            kw["include_name"] = include_name
            user_directives = kw.get("process_revision_directives")

            def process_revision_directives(migration_context, revision, directives):
                if user_directives:
                    user_directives(migration_context, revision, directives)
                for directive in directives:
                    upgrade_ops = getattr(directive, "upgrade_ops", None)
                    if upgrade_ops is not None:
                        author.collect_review(upgrade_ops)

            kw["process_revision_directives"] = process_revision_directives
            return original_configure(context, *args, **kw)

        EnvironmentContext.configure = configure

    def collect_review(self, container):
        from alembic.operations import ops

        for op in getattr(container, "ops", []):
            if isinstance(op, ops.DropTableOp):
                self.review.append("upgrade drops table %s and its data" % op.table_name)
            elif isinstance(op, ops.ModifyTableOps):
                for sub in op.ops:
                    if isinstance(sub, ops.DropColumnOp):
                        self.review.append(
                            "upgrade drops column %s.%s and its data" % (op.table_name, sub.column_name)
                        )
            elif isinstance(op, ops.OpContainer):
                self.collect_review(op)

    def execute(self):
        from alembic import command

        options = self.options
        if self.action == "revision":
            if options.get("autogenerate"):
                self.install_hooks()
            result = command.revision(
                self.config,
                message=options.get("message") or None,
                autogenerate=bool(options.get("autogenerate")),
                head=options.get("head") or "head",
                splice=bool(options.get("splice")),
                branch_label=options.get("branch_label") or None,
                version_path=options.get("version_path") or None,
                rev_id=options.get("rev_id") or None,
                depends_on=options.get("depends_on") or None,
            )
        else:
            result = command.merge(
                self.config,
                options.get("revisions") or [],
                message=options.get("message") or None,
                branch_label=options.get("branch_label") or None,
                rev_id=options.get("rev_id") or None,
            )
        scripts = result if isinstance(result, list) else [result]
        for script in scripts:
            if script is not None:
                self.channel.send("written", path=script.path, revision=script.revision)
        for note in self.review:
            self.channel.send("review", message=note)


class _OutputEvents:
    """Alembic's output buffer in --sql mode: the script, sent as events in the order Alembic writes it."""

    def __init__(self, channel):
        self.channel = channel

    def write(self, text):
        if text:
            self.channel.send("output", text=text)

    def flush(self):
        pass


def main():
    channel = Channel()
    action = os.environ.get("QMIGRATE_ACTION", "")
    channel.send("hello", protocol=PROTOCOL, python="%d.%d.%d" % sys.version_info[:3])
    if action == "probe":
        return action_probe(channel)
    if action == "values":
        return action_values(channel)
    if action not in ("upgrade", "downgrade", "stamp", "revision", "merge"):
        channel.send("error", message="unknown action %r" % action, type="Usage", file=None, line=0)
        return 2
    run = None
    try:
        if action in ("revision", "merge"):
            Author(channel, action, environment_json("QMIGRATE_OPTIONS", {})).execute()
            channel.send("done")
            return 0
        run = Run(channel, action, environment_json("QMIGRATE_TARGETS", []), environment_json("QMIGRATE_OPTIONS", {}))
        run.execute()
    except KeyboardInterrupt as exc:
        details = describe_error(exc, run.revision_paths if run else set(), run.running if run else None)
        details["message"] = "cancelled by the user"
        channel.send("error", cancelled=True, step=run.step_index if run else -1, **details)
        return 130
    except Refusal as exc:
        channel.send("error", refused=True, step=run.step_index if run else -1, message=str(exc), type="Refusal",
                     file=None, line=0)
        return 1
    except BaseException as exc:  # the project's own code may raise anything, SystemExit included
        details = describe_error(exc, run.revision_paths if run else set(), run.running if run else None)
        channel.send("error", step=run.step_index if run else -1, **details)
        return 1
    channel.send("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
