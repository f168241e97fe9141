// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>

namespace qmigrate {

class RevisionMap;

// Alembic's text forms of a revision (docs/alembic-compatibility.md, "Text output") and qmigrate's JSON form,
// for the CLI and the log panel. Reads the map only; cheap to construct.
class RevisionFormatter
{
public:
    struct LineOptions
    {
        bool includeBranches = false;
        bool includeDoc = false;
        bool includeParents = false;
        bool treeIndicators = true;
        bool headIndicators = true;
    };

    explicit RevisionFormatter(const RevisionMap &map);

    // Revisions to mark "(current)" (history -i, current).
    void setCurrent(const QSet<int> &current) { m_current = current; }

    // Script._head_only: "<parents> [(<deps>)] -> <rev> (<labels>) (head) (branchpoint), <doc>".
    QString oneLine(int index, const LineOptions &options) const;
    // oneLine() at the end of `out`: a listing of many revisions is built in one string.
    void appendOneLine(QString &out, int index, const LineOptions &options) const;
    // Script.log_entry: the verbose "Rev: …" block, ending with a newline.
    QString logEntry(int index) const;
    // cmd_format: verbose ? logEntry : oneLine.
    QString format(int index, bool verbose, const LineOptions &options) const;

    QJsonObject toJson(int index) const;

private:
    // "<base>", or the parents joined by ", ".
    void appendDownRevision(QString &out, int index) const;
    QString formatDownRevision(int index) const;
    QString labelsText(int index) const;

    const RevisionMap &m_map;
    QSet<int> m_current;
};

} // namespace qmigrate
