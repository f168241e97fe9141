// SPDX-License-Identifier: MIT
#include "graph/databasestate.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace qmigrate {

DatabaseState::DatabaseState(const RevisionMap &map, const QStringList &rows)
    : m_known(true)
    , m_rows(rows)
    , m_applied(size_t(map.size()), 0)
{
    QList<int> known;
    for (const QString &row : rows) {
        const int index = map.indexOf(row);
        if (index < 0)
            m_unknownRows.append(row);
        else if (!known.contains(index))
            known.append(index);
    }
    for (const int index : map.ancestors(known, true))
        m_applied[size_t(index)] = 1;
    for (const int index : map.history()) {
        if (!m_applied[size_t(index)])
            continue;
        bool hasAppliedChild = false;
        for (const int child : map.children(index))
            hasAppliedChild = hasAppliedChild || m_applied[size_t(child)];
        if (!hasAppliedChild)
            m_current.append(index);
    }
}

bool DatabaseState::isApplied(int revision) const
{
    return revision >= 0 && size_t(revision) < m_applied.size() && m_applied[size_t(revision)];
}

std::vector<DatabaseState::Node> DatabaseState::nodeStates(const RevisionMap &map, int target) const
{
    std::vector<Node> states(size_t(map.size()), Node::Unknown);
    if (!m_known || m_applied.size() != size_t(map.size()))
        return states;
    for (size_t i = 0; i < states.size(); ++i)
        states[i] = m_applied[i] ? Node::Applied : Node::Pending;
    for (const int index : m_current)
        states[size_t(index)] = Node::Current;
    if (target < 0 || target >= map.size() || !m_unknownRows.isEmpty())
        return states;
    // The same step lists the plans use, so the colours never promise something the run would not do.
    // A target the rules refuse (e.g. an ambiguous downgrade) leaves the plain applied/pending picture.
    const QString id = map.idOf(target);
    if (isApplied(target)) {
        if (const auto steps = map.downgradeSteps(id, m_rows)) {
            for (const int index : *steps)
                states[size_t(index)] = Node::WouldRevert;
        }
        return states;
    }
    const auto steps = map.upgradeSteps(id, m_rows);
    if (!steps)
        return states;
    for (size_t i = 0; i < states.size(); ++i) {
        if (!m_applied[i])
            states[i] = Node::OffPath;
    }
    for (const int index : *steps)
        states[size_t(index)] = Node::Pending;
    return states;
}

QString DatabaseState::nodeName(Node node)
{
    switch (node) {
    case Node::Unknown:
        return u"unknown"_s;
    case Node::Applied:
        return u"applied"_s;
    case Node::Current:
        return u"current"_s;
    case Node::Pending:
        return u"pending"_s;
    case Node::OffPath:
        return u"off-path"_s;
    case Node::WouldRevert:
        return u"would-revert"_s;
    }
    return {};
}

} // namespace qmigrate
