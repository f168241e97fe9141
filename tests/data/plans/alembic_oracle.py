#!/usr/bin/python3
"""Cross-check of tests/data/plans with Alembic itself (Debian python3-alembic 1.8.1).

Usage: alembic_oracle.py CASE_DIR   (prints "query => answer" for every query of CASE_DIR/expected.txt)

Builds Alembic's ScriptDirectory over fake modules from graph.txt, plans with _upgrade_revs /
_downgrade_revs / _stamp_revs and replays the steps through HeadMaintainer.update_to_step, recording the
writes, in tst_migrationplan's rendering. Differences to expect: which parent row a merge/unmerge UPDATEs
(Python set order; run with several PYTHONHASHSEED values), 1.8.1's unmerge bug (#1373), error texts that
qmigrate words differently, and overlapping stamp destinations (refused by qmigrate).
"""
import sys, os, types, tempfile
from alembic.script import base, revision
from alembic.runtime import migration
from alembic import util


def parse_graph(text):
    scripts = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        msg = None
        if " -- " in line:
            line, msg = line.split(" -- ", 1)
        toks = line.split()
        rid, parents, deps, labels = toks[0], [], [], []
        for t in toks[1:]:
            if t.startswith("dep:"):
                deps.append(t[4:])
            elif t.startswith("label:"):
                labels.append(t[6:])
            else:
                parents.append(t)
        mod = types.SimpleNamespace(
            down_revision=tuple(parents) if len(parents) > 1 else (parents[0] if parents else None),
            branch_labels=tuple(labels) or None, depends_on=tuple(deps) or None,
            upgrade=lambda: None, downgrade=lambda: None, __doc__=msg or rid)
        mod.upgrade.__name__ = "upgrade"
        mod.downgrade.__name__ = "downgrade"
        scripts.append(base.Script(mod, rid, "/x/%s.py" % rid))
    return scripts


class Dir(base.ScriptDirectory):
    def __init__(self, scripts):
        self.scripts = scripts
        self.revision_map = revision.RevisionMap(lambda: iter(self.scripts))


class Recorder(migration.HeadMaintainer):
    def __init__(self, heads):
        self.heads = set(heads)
        self.rows = list(heads)
        self.changes = []

    def _insert_version(self, v):
        assert v not in self.heads
        self.heads.add(v); self.rows.append(v); self.changes.append("INSERT " + v)

    def _delete_version(self, v):
        self.heads.remove(v); self.rows.remove(v); self.changes.append("DELETE " + v)

    def _update_version(self, f, t):
        assert t not in self.heads
        self.heads.remove(f); self.heads.add(t)
        self.rows[self.rows.index(f)] = t
        self.changes.append("UPDATE %s -> %s" % (f, t))


def answer(d, query):
    toks = query.split()
    mode = None
    if toks[0] in ("log", "trace"):
        mode = toks.pop(0)
    cmd = toks[0]
    i = toks.index("from")
    targets, rows = toks[1:i], toks[i + 1:]
    purge = cmd == "stamp--purge"
    if purge:
        rows = []
    try:
        if cmd == "upgrade":
            steps = d._upgrade_revs(targets[0], tuple(rows))
        elif cmd == "downgrade":
            steps = d._downgrade_revs(targets[0], tuple(rows))
        else:
            steps = d._stamp_revs(tuple(targets), tuple(rows))
    except Exception as e:
        return "error: %s" % e
    rec = Recorder(rows)
    parts, logs, trace = [], [], []
    for s in steps:
        rec.changes = []
        try:
            rec.update_to_step(s)
        except Exception as e:
            return "error during %s: %r" % (s, e)
        if isinstance(s, migration.StampStep):
            head = "=%s>%s" % (",".join(s.from_revisions_no_deps), ",".join(s.to_revisions_no_deps))
        elif s.is_upgrade:
            head = "+" + s.revision.revision
        else:
            head = "-" + s.revision.revision
        parts.append(head + "{" + "; ".join(rec.changes) + "}")
        logs.append("[Running " + str(s) + "]")
        trace.append(" ".join(rec.rows) or "(empty)")
    if mode == "log":
        return " | ".join(logs)
    if mode == "trace":
        return " | ".join(trace)
    return ("purge " if purge else "") + (" ".join(parts) or "(no steps)") + " => " + (" ".join(rec.rows) or "(empty)")


def main():
    case = sys.argv[1]
    d = Dir(parse_graph(open(os.path.join(case, "graph.txt")).read()))
    for line in open(os.path.join(case, "expected.txt")):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        q = line.split(" => ", 1)[0].strip()
        print("%s => %s" % (q, answer(d, q)))


if __name__ == "__main__":
    main()
