#!/bin/sh
# SPDX-License-Identifier: MIT
# Writes a man page made from a program's own --help output, so that the page cannot drift from the program.
#   manpage.sh cli PROGRAM VERSION OUTPUT   qmigrate-cli(1): the global help, then every command's --help
#   manpage.sh gui PROGRAM VERSION OUTPUT   qmigrate(1)
# The help text goes in verbatim (no-fill) blocks: it is already laid out for a terminal.
set -eu

mode=$1
program=$2
version=$3
output=$4

# HOME=~ makes paths under the user's home read as ~/... (the GUI's help names the example's copy).
run() {
    env -u XDG_DATA_HOME -u XDG_CONFIG_HOME HOME='~' QT_QPA_PLATFORM=offscreen "$program" "$@"
}

# roff: backslashes escaped first, then every "-" as \- (so options copy as typed), and a line starting with
# "." or "'" protected from being read as a request.
escape() {
    sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\([.']\)/\\\\\&\1/"
}

verbatim() {
    printf '.nf\n'
    escape
    printf '.fi\n'
}

tmp="$output.tmp"
{
    if [ "$mode" = cli ]; then
        help=$(run --help)
        printf '.TH QMIGRATE\\-CLI 1 "" "qmigrate %s" "User Commands"\n' "$version"
        printf '.SH NAME\nqmigrate\\-cli \\- manage database schema migrations (Alembic\\-compatible)\n'
        printf '.SH SYNOPSIS\n.B qmigrate\\-cli\n'
        printf '[\\fB\\-c\\fR \\fICONFIG\\fR] [\\fB\\-n\\fR \\fINAME\\fR] [\\fB\\-\\-url\\fR \\fIURL\\fR] '
        printf '\\fICOMMAND\\fR [\\fIoptions\\fR]\n'
        printf '.SH DESCRIPTION\n'
        printf '%s\n' "$help" | sed -n '/^Commands:/q;p' | sed 1,2d | verbatim
        printf '.SH COMMANDS\n'
        for command in $(printf '%s\n' "$help" | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'); do
            printf '.SS %s\n' "$command"
            # Usage line; the description, one long line, filled as a paragraph; the options as laid out.
            commandhelp=$(run "$command" --help)
            printf '%s\n' "$commandhelp" | sed -n 1p | verbatim
            printf '%s\n' "$commandhelp" | sed -n 2p | escape
            printf '%s\n' "$commandhelp" | sed 1,2d | verbatim
        done
        printf '.SH EXIT STATUS\n'
        printf '%s\n' "$help" | sed -n 's/^Exit status: //p'
        printf '.SH ENVIRONMENT\n'
        printf '.TP\n.B ALEMBIC_CONFIG\nThe configuration file when \\fB\\-c\\fR is not given.\n'
        printf '.TP\n.BR DB_HOST ", " DB_PORT ", " DB_USER ", " DB_PASSWORD ", " DB_NAME\n'
        printf 'A PostgreSQL database, when DB_HOST is set (see the example'"'"'s alembic.ini).\n'
        printf '.TP\n.B QMIGRATE_PYTHON\nThe Python interpreter that runs an Alembic project'"'"'s own Alembic.\n'
        printf '.TP\n.BR VISUAL ", " EDITOR\nThe editor of \\fBedit\\fR; without either, '
        printf '\\fBsensible\\-editor\\fR, then \\fBeditor\\fR.\n'
        printf '.SH FILES\n.TP\n.I /usr/share/qmigrate/examples\n'
        printf 'An example project (native SQL revisions, SQLite); copy it before using it.\n'
        printf '.SH SEE ALSO\n.BR qmigrate (1)\n'
    else
        help=$(run --help | sed "s|^Usage: [^ ]*|Usage: qmigrate|")
        printf '.TH QMIGRATE 1 "" "qmigrate %s" "User Commands"\n' "$version"
        printf '.SH NAME\nqmigrate \\- browse, edit and run database schema migrations\n'
        printf '.SH SYNOPSIS\n.B qmigrate\n[\\fIoptions\\fR] [\\fIproject\\fR]\n'
        printf '.SH DESCRIPTION\n'
        printf 'The graphical application: the revision graph of an Alembic or native SQL project, an editor '
        printf 'for revision scripts, and upgrade, downgrade and stamp with a preview of the plan.\n'
        printf '.PP\n'
        printf '%s\n' "$help" | verbatim
        printf '.SH FILES\n.TP\n.I /usr/share/qmigrate/examples\n'
        printf 'The example project. On first start it is copied to the user'"'"'s data folder '
        printf '(\\fI~/.local/share/qmigrate/qmigrate/example\\fR), where its SQLite database can be '
        printf 'written; that copy is what the window opens.\n'
        printf '.SH SEE ALSO\n.BR qmigrate\\-cli (1)\n'
    fi
} > "$tmp"
gzip -9n < "$tmp" > "$output"
rm -f "$tmp"
