"""Record the stdout of Alembic 1.8.1 for the commands listed in <project>/expected/commands.txt.

Usage (Debian's python3-alembic 1.8.1):
    /usr/bin/python3 record.py PROJECT_DIR OUT_DIR [--errors CMD ...]

Alembic runs with PYTHONHASHSEED=0 and with os.listdir patched to return sorted names, which is the
file load order of Alembic >= 1.10 and of qmigrate. The absolute project path is replaced by <proj>.
Outputs go to OUT_DIR, never over the checked-in expected files: those carry the hand edits listed
in expected/NOTES.md (label and child order), so compare with `diff -r` instead of overwriting.
With --errors, each CMD (one quoted string) is run and appended as a block to OUT_DIR/errors.txt.
"""
import os
import subprocess
import sys

WRAPPER = (
    "import os, sys\n"
    "_listdir = os.listdir\n"
    "os.listdir = lambda path='.': sorted(_listdir(path))\n"
    "from alembic.config import main\n"
    "main(argv=sys.argv[1:], prog='alembic')\n"
)


def run(project, args):
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    for var in ("DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD"):
        env.pop(var, None)
    proc = subprocess.run(
        ["/usr/bin/python3", "-c", WRAPPER, "-c", os.path.join(project, "alembic.ini")] + args,
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
    )
    clean = lambda s: s.replace(project, "<proj>")
    return proc.returncode, clean(proc.stdout), clean(proc.stderr)


def main():
    project = os.path.realpath(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rest = sys.argv[3:]
    if rest and rest[0] == "--errors":
        with open(os.path.join(out, "errors.txt"), "w") as f:
            for cmd in rest[1:]:
                code, stdout, stderr = run(project, cmd.split(" "))
                f.write("$ %s\nexit: %d\n--- stdout\n%s--- stderr\n%s--- end\n\n" % (cmd, code, stdout, stderr))
        return
    with open(os.path.join(project, "expected", "commands.txt")) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            name, args = line.split("\t")
            code, stdout, stderr = run(project, args.split(" "))
            if code != 0 or stderr:
                sys.exit("%s: exit %d\n%s" % (args, code, stderr))
            with open(os.path.join(out, name), "w") as o:
                o.write(stdout)


main()
