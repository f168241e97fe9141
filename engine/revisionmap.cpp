#include "revisionmap.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// Special values next to revision indices, mirroring what Alembic passes around as Python objects.
constexpr int kNothing = -1;    // None: "before everything" (base as a target, the start of an upward walk)
constexpr int kBaseSymbol = -2; // the string "base" a downward walk yields when it steps below a base
constexpr int kOvershoot = -3;  // None returned by _walk when it ran out of revisions

const QString kMultipleHeadsPrefix = u"Multiple head revisions are present for given argument '"_s;

EngineError usageError(const QString &message)
{
    return EngineError(message, EngineError::Kind::Usage);
}

EngineError multipleHeadsError(const QString &argument)
{
    return usageError(kMultipleHeadsPrefix + argument +
                      u"'; please specify a specific target revision, '<branchname>@"_s + argument +
                      u"' to narrow to a specific head, or 'heads' for all heads"_s);
}

EngineError relativeError(const QString &relative, qint64 count)
{
    return usageError(u"Relative revision %1 didn't produce %2 migrations"_s.arg(relative).arg(count));
}

EngineError graphError(const Revision &revision, int line, const QString &message)
{
    EngineError error(message, EngineError::Kind::Project);
    error.setFile(revision.path, line);
    error.setRevision(revision.id);
    return error;
}

// Alembic's _relative_destination, matched at the start only: (?:(LABEL)@)?(SYMBOL)?([+-]DIGITS).
struct RelativeMatch
{
    bool matched = false;
    QString label;
    QString symbol;
    QString relativeText;
    qint64 relative = 0;
};

RelativeMatch matchRelative(const QString &text)
{
    static const QRegularExpression pattern(u"^(?:(.+?)@)?(\\w+)?([+-]\\d+)"_s,
                                            QRegularExpression::UseUnicodePropertiesOption);
    RelativeMatch result;
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return result;
    result.matched = true;
    result.label = match.captured(1);
    result.symbol = match.captured(2);
    result.relativeText = match.captured(3);
    bool ok = false;
    result.relative = result.relativeText.toLongLong(&ok);
    if (!ok) // absurdly many digits: walk "forever", which overshoots like Python's big ints would
        result.relative = result.relativeText.startsWith(QLatin1Char('-')) ? -std::numeric_limits<int>::max()
                                                                           : std::numeric_limits<int>::max();
    return result;
}

// Python's int(text) for the "-N" form of get_revisions.
bool parsePythonInt(const QString &text, qint64 *value)
{
    static const QRegularExpression pattern(u"^\\s*[+-]?[0-9]+\\s*$"_s);
    if (!pattern.match(text).hasMatch())
        return false;
    bool ok = false;
    *value = text.trimmed().toLongLong(&ok);
    return ok;
}

QString quotedList(const QStringList &items)
{
    QStringList quoted;
    for (const QString &item : items)
        quoted.append(u"'%1'"_s.arg(item));
    return quoted.join(u", "_s);
}

} // namespace

// ---------------------------------------------------------------------------------------------- building

Expected<RevisionMap> RevisionMap::build(QList<Revision> revisions)
{
    static const QString illegalCharacters = u"-+@:"_s;
    RevisionMap map;
    const qsizetype n = revisions.size();

    // Checks Alembic makes when it constructs each Revision.
    for (const Revision &revision : std::as_const(revisions)) {
        if (revision.id.isEmpty())
            return graphError(revision, revision.idLine, u"Revision identifier is empty"_s);
        if (revision.downRevisions.contains(revision.id))
            return graphError(revision, revision.downRevisionLine,
                              u"Self-loop is detected in revisions (%1)"_s.arg(revision.id));
        if (revision.dependsOn.contains(revision.id))
            return graphError(revision, revision.dependsOnLine,
                              u"Dependency self-loop is detected in revisions (%1)"_s.arg(revision.id));
        QStringList illegal;
        for (const QChar c : revision.id) {
            if (illegalCharacters.contains(c) && !illegal.contains(QString(c)))
                illegal.append(QString(c));
        }
        if (!illegal.isEmpty()) {
            illegal.sort();
            return graphError(revision, revision.idLine,
                              u"Character(s) '%1' not allowed in revision identifier '%2'"_s.arg(
                                  illegal.join(u", "_s), revision.id));
        }
    }

    for (qsizetype i = 0; i < n; ++i) {
        const Revision &revision = revisions.at(i);
        const auto it = map.m_indexById.constFind(revision.id);
        if (it != map.m_indexById.constEnd()) {
            // Alembic only warns and then works on a corrupt map; two files claiming one id is always a
            // mistake.
            return graphError(revision, revision.idLine,
                              u"Revision %1 is present more than once: %2 and %3"_s.arg(
                                  revision.id, revisions.at(*it).path, revision.path));
        }
        map.m_indexById.insert(revision.id, int(i));
    }

    // Labels share one namespace with the ids (Alembic keeps both as keys of one dict).
    for (qsizetype i = 0; i < n; ++i) {
        const Revision &revision = revisions.at(i);
        for (const QString &label : revision.branchLabels) {
            int owner = map.m_labelOwner.value(label, -1);
            if (owner < 0)
                owner = map.m_indexById.value(label, -1);
            if (owner >= 0) {
                return graphError(revision, revision.branchLabelsLine,
                                  u"Branch name '%1' in revision %2 already used by revision %3"_s.arg(
                                      label, revision.id, revisions.at(owner).id));
            }
            map.m_labelOwner.insert(label, int(i));
            map.m_labelsInOrder.append(label);
        }
    }

    map.m_nodes.resize(n);
    for (qsizetype i = 0; i < n; ++i) {
        const Revision &revision = revisions.at(i);
        Node &node = map.m_nodes[i];
        for (const QString &parent : revision.downRevisions) {
            const int index = map.m_indexById.value(parent, -1);
            if (index < 0) {
                return graphError(revision, revision.downRevisionLine,
                                  u"Revision %1 referenced from %2 (%3) is not present"_s.arg(
                                      parent, revision.id, revision.path));
            }
            if (!node.parents.contains(index))
                node.parents.append(index);
        }
        QStringList missing;
        for (const QString &dependency : revision.dependsOn) {
            int index = map.m_indexById.value(dependency, -1);
            if (index < 0)
                index = map.m_labelOwner.value(dependency, -1);
            if (index < 0) {
                missing.append(dependency);
                continue;
            }
            if (!node.dependencies.contains(index))
                node.dependencies.append(index);
        }
        if (!missing.isEmpty()) {
            const QString what = missing.size() == 1
                                     ? u"Dependency %1 referenced from %2 (%3) is not present"_s
                                     : u"Dependencies %1 referenced from %2 (%3) are not present"_s;
            return graphError(revision, revision.dependsOnLine,
                              what.arg(quotedList(missing), revision.id, revision.path) +
                                  u" (not a revision id or branch label of this project)"_s);
        }
    }

    // Children lists come out in load order because the children are visited in load order.
    for (qsizetype i = 0; i < n; ++i) {
        Node &node = map.m_nodes[i];
        for (const int parent : std::as_const(node.parents))
            map.m_nodes[parent].children.append(int(i));
        QList<int> allDown = node.parents;
        for (const int dependency : std::as_const(node.dependencies)) {
            if (!allDown.contains(dependency))
                allDown.append(dependency);
        }
        for (const int down : std::as_const(allDown))
            map.m_nodes[down].allChildren.append(int(i));
    }

    for (qsizetype i = 0; i < n; ++i) {
        const Node &node = map.m_nodes.at(i);
        if (node.children.isEmpty())
            map.m_heads.append(int(i));
        if (node.allChildren.isEmpty())
            map.m_realHeads.append(int(i));
        if (node.parents.isEmpty())
            map.m_bases.append(int(i));
        if (node.parents.isEmpty() && revisions.at(i).dependsOn.isEmpty())
            map.m_realBases.append(int(i));
    }

    // Cycle detection. First Alembic's own test (so that its message lists the same revisions), then a
    // topological count, because Alembic's test misses cycles that hang between a base and a head.
    const auto cycleError = [&](const QList<int> &members, bool dependency) {
        QStringList ids;
        int first = members.isEmpty() ? 0 : members.first();
        for (const int member : members) {
            ids.append(revisions.at(member).id);
            first = std::min(first, member);
        }
        const Revision &revision = revisions.at(first);
        const QString text = dependency ? u"Dependency cycle is detected in revisions (%1)"_s
                                        : u"Cycle is detected in revisions (%1)"_s;
        return graphError(revision, dependency ? revision.dependsOnLine : revision.downRevisionLine,
                          text.arg(ids.join(u", "_s)));
    };
    const auto sortedIds = [&](QList<int> members) {
        std::sort(members.begin(), members.end(),
                  [&](int a, int b) { return revisions.at(a).id < revisions.at(b).id; });
        return members;
    };
    const auto allIndices = [n] {
        QList<int> all;
        for (qsizetype i = 0; i < n; ++i)
            all.append(int(i));
        return all;
    };
    const auto unreachable = [&](bool dependency) {
        Mask down(n, 0);
        Mask up(n, 0);
        QList<int> stack = dependency ? map.m_realHeads : map.m_heads;
        for (const int s : std::as_const(stack))
            down[s] = 1;
        while (!stack.isEmpty()) {
            const int r = stack.takeLast();
            QList<int> next = map.m_nodes.at(r).parents;
            if (dependency)
                next += map.m_nodes.at(r).dependencies;
            for (const int p : std::as_const(next)) {
                if (!down[p]) {
                    down[p] = 1;
                    stack.append(p);
                }
            }
        }
        stack = dependency ? map.m_realBases : map.m_bases;
        for (const int s : std::as_const(stack))
            up[s] = 1;
        while (!stack.isEmpty()) {
            const int r = stack.takeLast();
            const QList<int> &next = dependency ? map.m_nodes.at(r).allChildren : map.m_nodes.at(r).children;
            for (const int c : next) {
                if (!up[c]) {
                    up[c] = 1;
                    stack.append(c);
                }
            }
        }
        QList<int> missing;
        for (qsizetype i = 0; i < n; ++i) {
            if (!down[i] || !up[i])
                missing.append(int(i));
        }
        return missing;
    };
    // Kahn's count from both ends: what neither end can peel off lies on a cycle. Also yields the topological
    // order (children first) of the versioned graph.
    QList<int> versionedOrder;
    const auto leftAfterKahn = [&](bool dependency, QList<int> *order) {
        const auto downOf = [&](int r) {
            QList<int> next = map.m_nodes.at(r).parents;
            if (dependency) {
                for (const int d : map.m_nodes.at(r).dependencies) {
                    if (!next.contains(d))
                        next.append(d);
                }
            }
            return next;
        };
        const auto upOf = [&](int r) -> const QList<int> & {
            return dependency ? map.m_nodes.at(r).allChildren : map.m_nodes.at(r).children;
        };
        std::vector<int> pendingUp(n, 0);
        std::vector<int> pendingDown(n, 0);
        QList<int> ready;
        for (qsizetype i = 0; i < n; ++i) {
            pendingUp[i] = int(upOf(int(i)).size());
            pendingDown[i] = int(downOf(int(i)).size());
        }
        QList<int> topDown;
        for (qsizetype i = 0; i < n; ++i) {
            if (pendingUp[i] == 0)
                ready.append(int(i));
        }
        while (!ready.isEmpty()) {
            const int r = ready.takeLast();
            topDown.append(r);
            for (const int p : downOf(r)) {
                if (--pendingUp[p] == 0)
                    ready.append(p);
            }
        }
        for (qsizetype i = 0; i < n; ++i) {
            if (pendingDown[i] == 0)
                ready.append(int(i));
        }
        while (!ready.isEmpty()) {
            const int r = ready.takeLast();
            for (const int c : upOf(r)) {
                if (--pendingDown[c] == 0)
                    ready.append(c);
            }
        }
        QList<int> left;
        for (qsizetype i = 0; i < n; ++i) {
            if (pendingUp[i] > 0 && pendingDown[i] > 0)
                left.append(int(i));
        }
        if (order)
            *order = topDown;
        return left;
    };
    if (n > 0) {
        if (map.m_heads.isEmpty() || map.m_bases.isEmpty())
            return cycleError(allIndices(), false);
        if (const QList<int> missing = unreachable(false); !missing.isEmpty())
            return cycleError(sortedIds(missing), false);
        if (const QList<int> left = leftAfterKahn(false, &versionedOrder); !left.isEmpty())
            return cycleError(sortedIds(left), false);
        if (map.m_realHeads.isEmpty() || map.m_realBases.isEmpty())
            return cycleError(allIndices(), true);
        if (const QList<int> missing = unreachable(true); !missing.isEmpty())
            return cycleError(sortedIds(missing), true);
        if (const QList<int> left = leftAfterKahn(true, nullptr); !left.isEmpty())
            return cycleError(sortedIds(left), true);
    }
    // versionedOrder is children before parents; walk it backwards for parents first.

    // Normalized dependencies: drop a dependency when a versioned ancestor declares the same one. Only
    // dependencies declared by two or more revisions can be dropped, and for each of them one upward sweep
    // from its declarers finds which declarers sit above another one.
    {
        QHash<int, QList<int>> declarers;
        for (qsizetype i = 0; i < n; ++i) {
            for (const int d : map.m_nodes.at(i).dependencies)
                declarers[d].append(int(i));
        }
        QHash<int, QList<int>> dropped; // revision -> dependencies to drop
        Mask above(n, 0);
        for (auto it = declarers.cbegin(); it != declarers.cend(); ++it) {
            if (it->size() < 2)
                continue;
            std::fill(above.begin(), above.end(), 0);
            QList<int> stack;
            for (const int declarer : *it) {
                for (const int c : map.m_nodes.at(declarer).children) {
                    if (!above[c]) {
                        above[c] = 1;
                        stack.append(c);
                    }
                }
            }
            while (!stack.isEmpty()) {
                const int r = stack.takeLast();
                for (const int c : map.m_nodes.at(r).children) {
                    if (!above[c]) {
                        above[c] = 1;
                        stack.append(c);
                    }
                }
            }
            for (const int declarer : *it) {
                if (above[declarer])
                    dropped[declarer].append(it.key());
            }
        }
        for (qsizetype i = 0; i < n; ++i) {
            Node &node = map.m_nodes[i];
            const QList<int> drop = dropped.value(int(i));
            for (const int d : std::as_const(node.dependencies)) {
                if (!drop.contains(d))
                    node.normalizedDependencies.append(d);
            }
            node.normalizedDown = node.parents;
            for (const int d : std::as_const(node.normalizedDependencies)) {
                if (!node.normalizedDown.contains(d))
                    node.normalizedDown.append(d);
            }
        }
        for (qsizetype i = 0; i < n; ++i) {
            for (const int d : std::as_const(map.m_nodes.at(i).normalizedDown))
                map.m_nodes[d].normalizedChildren.append(int(i));
        }
    }

    // Branch labels (§3.1). A label reaches every versioned descendant of its revision; and when the
    // revision's descendants form one plain line (no merge, no second child or dependant anywhere up to the
    // tip), Alembic's walk down from the tip also labels the revisions below it, down to the nearest branch
    // point or merge point (exclusive) or base (inclusive). Labels are kept as ranks into m_labelsInOrder,
    // which makes the display order the declaring revisions' load order.
    {
        QHash<QString, int> rankOf;
        for (qsizetype r = 0; r < map.m_labelsInOrder.size(); ++r)
            rankOf.insert(map.m_labelsInOrder.at(r), int(r));
        // Most revisions carry exactly their parent's set, so sets live in a pool and revisions share them;
        // this keeps a long trunk with many labels linear in practice, and the QStringLists implicitly
        // shared.
        std::vector<std::vector<int>> pool{{}};
        std::vector<int> setOf(n, 0);
        std::vector<std::vector<int>> own(n);
        for (qsizetype i = 0; i < n; ++i) {
            for (const QString &label : revisions.at(i).branchLabels)
                own[i].push_back(rankOf.value(label));
            std::sort(own[i].begin(), own[i].end());
        }
        // The union of set (a pool entry) and extra, reusing the entry when nothing is added.
        const auto unite = [&pool](int set, const std::vector<int> &extra) {
            const std::vector<int> &base = pool[size_t(set)];
            if (std::includes(base.begin(), base.end(), extra.begin(), extra.end()))
                return set;
            std::vector<int> merged;
            merged.reserve(base.size() + extra.size());
            std::set_union(base.begin(), base.end(), extra.begin(), extra.end(), std::back_inserter(merged));
            pool.push_back(std::move(merged));
            return int(pool.size() - 1);
        };
        for (auto it = versionedOrder.crbegin(); it != versionedOrder.crend(); ++it) {
            const int r = *it;
            const QList<int> &parents = map.m_nodes.at(r).parents;
            int set = parents.isEmpty() ? 0 : setOf[parents.first()];
            for (qsizetype k = 1; k < parents.size(); ++k) {
                const std::vector<int> other = pool[size_t(setOf[parents.at(k)])];
                set = unite(set, other);
            }
            setOf[r] = unite(set, own[r]);
        }
        const auto plainSpot = [&](int r) {
            const Node &node = map.m_nodes.at(r);
            return node.parents.size() <= 1 && node.allChildren.size() <= 1;
        };
        std::vector<char> plainLine(n, 0); // r and everything above it is one unbranched line
        for (const int r : std::as_const(versionedOrder)) {
            const Node &node = map.m_nodes.at(r);
            plainLine[r] = plainSpot(r) && (node.children.isEmpty() || plainLine[node.children.first()]);
        }
        for (qsizetype i = 0; i < n; ++i) {
            if (own[i].empty() || !plainLine[i])
                continue;
            int p = map.m_nodes.at(i).parents.isEmpty() ? -1 : map.m_nodes.at(i).parents.first();
            while (p >= 0 && plainSpot(p)) {
                setOf[p] = unite(setOf[p], own[i]);
                p = map.m_nodes.at(p).parents.isEmpty() ? -1 : map.m_nodes.at(p).parents.first();
            }
        }
        std::vector<QStringList> names(pool.size());
        std::vector<char> named(pool.size(), 0);
        for (qsizetype i = 0; i < n; ++i) {
            const size_t set = size_t(setOf[i]);
            if (!named[set]) {
                named[set] = 1;
                for (const int rank : pool[set])
                    names[set].append(map.m_labelsInOrder.at(rank));
            }
            map.m_nodes[i].labels = names[set];
        }
    }

    for (const Revision &revision : std::as_const(revisions)) {
        if (revision.id.size() > 3)
            map.m_sortedKeys.append(revision.id);
    }
    for (const QString &label : std::as_const(map.m_labelsInOrder)) {
        if (label.size() > 3)
            map.m_sortedKeys.append(label);
    }
    std::sort(map.m_sortedKeys.begin(), map.m_sortedKeys.end());

    map.m_revisions = std::move(revisions);
    return map;
}

// ---------------------------------------------------------------------------------------------- structure

const QList<int> &RevisionMap::parents(int index) const
{
    return m_nodes.at(index).parents;
}
const QList<int> &RevisionMap::children(int index) const
{
    return m_nodes.at(index).children;
}
const QList<int> &RevisionMap::allChildren(int index) const
{
    return m_nodes.at(index).allChildren;
}
const QList<int> &RevisionMap::dependencies(int index) const
{
    return m_nodes.at(index).dependencies;
}
const QList<int> &RevisionMap::normalizedDependencies(int index) const
{
    return m_nodes.at(index).normalizedDependencies;
}
QList<int> RevisionMap::normalizedDown(int index) const
{
    return m_nodes.at(index).normalizedDown;
}
const QStringList &RevisionMap::labels(int index) const
{
    return m_nodes.at(index).labels;
}

bool RevisionMap::isBase(int index) const
{
    return m_nodes.at(index).parents.isEmpty();
}
bool RevisionMap::isRealBase(int index) const
{
    return isBase(index) && m_revisions.at(index).dependsOn.isEmpty();
}
bool RevisionMap::isHead(int index) const
{
    return m_nodes.at(index).children.isEmpty();
}
bool RevisionMap::isRealHead(int index) const
{
    return m_nodes.at(index).allChildren.isEmpty();
}
bool RevisionMap::isEffectiveHead(int index) const
{
    return isHead(index) && !isRealHead(index);
}
bool RevisionMap::isBranchPoint(int index) const
{
    return m_nodes.at(index).children.size() > 1;
}
bool RevisionMap::isMergePoint(int index) const
{
    return m_nodes.at(index).parents.size() > 1;
}

QList<int> RevisionMap::heads() const
{
    return m_heads;
}
QList<int> RevisionMap::realHeads() const
{
    return m_realHeads;
}
QList<int> RevisionMap::bases() const
{
    return m_bases;
}
QList<int> RevisionMap::realBases() const
{
    return m_realBases;
}

QList<int> RevisionMap::maskToList(const Mask &mask) const
{
    QList<int> list;
    for (size_t i = 0; i < mask.size(); ++i) {
        if (mask[i])
            list.append(int(i));
    }
    return list;
}

// Alembic's _iterate_related_revisions: everything reachable from targets (targets included). With check,
// a target whose walk touches another target is reported the way Alembic does (sqlalchemy/alembic#1107).
Expected<RevisionMap::Mask> RevisionMap::reach(const QList<int> &targets, bool down, bool includeDependencies,
                                               bool check) const
{
    Mask seen(m_nodes.size(), 0);
    Mask isTarget;
    if (check) {
        isTarget.assign(m_nodes.size(), 0);
        for (const int t : targets)
            isTarget[t] = 1;
    }
    QList<int> stack;
    for (const int target : targets) {
        QList<int> overlaps;
        const auto touch = [&](int r) {
            if (check && r != target && isTarget[r] && !overlaps.contains(r))
                overlaps.append(r);
        };
        touch(target);
        stack.append(target);
        while (!stack.isEmpty()) {
            const int r = stack.takeLast();
            if (seen[r])
                continue;
            seen[r] = 1;
            const Node &node = m_nodes.at(r);
            const QList<int> &next = down ? (includeDependencies ? node.normalizedDown : node.parents)
                                          : (includeDependencies ? node.allChildren : node.children);
            for (const int x : next) {
                touch(x);
                stack.append(x);
            }
        }
        if (!overlaps.isEmpty()) {
            std::sort(overlaps.begin(), overlaps.end());
            QStringList ids;
            for (const int o : std::as_const(overlaps))
                ids.append(idOf(o));
            return usageError(u"Requested revision %1 overlaps with other requested revisions %2"_s.arg(
                idOf(target), ids.join(u", "_s)));
        }
    }
    return seen;
}

QList<int> RevisionMap::ancestors(const QList<int> &start, bool includeDependencies) const
{
    return maskToList(*reach(start, true, includeDependencies, false));
}

QList<int> RevisionMap::descendants(const QList<int> &start, bool includeDependencies) const
{
    return maskToList(*reach(start, false, includeDependencies, false));
}

// ---------------------------------------------------------------------------------------------- identifiers

int RevisionMap::exactKey(const QString &key) const
{
    const int index = m_indexById.value(key, -1);
    return index >= 0 ? index : m_labelOwner.value(key, -1);
}

// Keys longer than 3 characters starting with prefix; ids first in load order, then labels in declaration
// order (the order of Alembic's dict of keys, which is what its "Multiple revisions start with" lists).
QStringList RevisionMap::prefixCandidates(const QString &prefix) const
{
    QStringList ids;
    QStringList labels;
    for (auto it = std::lower_bound(m_sortedKeys.cbegin(), m_sortedKeys.cend(), prefix);
         it != m_sortedKeys.cend() && it->startsWith(prefix); ++it) {
        (m_indexById.contains(*it) ? ids : labels).append(*it);
    }
    std::sort(ids.begin(), ids.end(),
              [this](const QString &a, const QString &b) { return indexOf(a) < indexOf(b); });
    std::sort(labels.begin(), labels.end(), [this](const QString &a, const QString &b) {
        return m_labelsInOrder.indexOf(a) < m_labelsInOrder.indexOf(b);
    });
    return ids + labels;
}

// Versioned ancestors and descendants of revision (itself included): what "shares lineage" with it.
RevisionMap::Mask RevisionMap::lineageMask(int revision) const
{
    Mask mask = *reach({revision}, true, false, false);
    const Mask up = *reach({revision}, false, false, false);
    for (size_t i = 0; i < mask.size(); ++i)
        mask[i] = char(mask[i] | up[i]);
    return mask;
}

Expected<QList<int>> RevisionMap::filterForLineage(const QList<int> &targets,
                                                   const QString &checkAgainst) const
{
    // filter_for_lineage resolves its argument like any identifier.
    QList<int> anchors;
    if (checkAgainst == u"heads"_s) {
        anchors = m_realHeads;
    } else if (checkAgainst == u"head"_s) {
        Expected<QList<int>> head = currentHead({});
        if (!head)
            return head.error();
        anchors = *head;
    } else if (!checkAgainst.isEmpty() && checkAgainst != u"base"_s) {
        Expected<int> anchor = revisionForIdent(checkAgainst);
        if (!anchor)
            return anchor.error();
        anchors.append(*anchor);
    }
    if (anchors.isEmpty())
        return targets;
    Mask mask(m_nodes.size(), 0);
    for (const int anchor : std::as_const(anchors)) {
        const Mask lineage = lineageMask(anchor);
        for (size_t i = 0; i < mask.size(); ++i)
            mask[i] = char(mask[i] | lineage[i]);
    }
    QList<int> result;
    for (const int t : targets) {
        if (t >= 0 && mask[t])
            result.append(t);
    }
    return result;
}

Expected<QList<int>> RevisionMap::currentHead(const QString &label) const
{
    QList<int> heads = m_heads;
    if (!label.isEmpty()) {
        Expected<QList<int>> filtered = filterForLineage(heads, label);
        if (!filtered)
            return filtered.error();
        heads = *filtered;
    }
    if (heads.size() > 1)
        return multipleHeadsError(label.isEmpty() ? u"head"_s : label + u"@head"_s);
    return heads;
}

Expected<int> RevisionMap::resolveBranch(const QString &label) const
{
    const int key = exactKey(label);
    if (key >= 0)
        return key;
    Expected<int> revision = revisionForIdent(label);
    if (!revision)
        return usageError(u"No such branch: '%1'"_s.arg(label));
    return revision;
}

Expected<int> RevisionMap::revisionForIdent(const QString &token, const QString &checkBranch) const
{
    int branch = -1;
    if (!checkBranch.isEmpty()) {
        Expected<int> resolved = resolveBranch(checkBranch);
        if (!resolved)
            return resolved.error();
        branch = *resolved;
    }
    int revision = exactKey(token);
    if (revision < 0) {
        QStringList candidates = prefixCandidates(token);
        if (branch >= 0 && !candidates.isEmpty()) {
            const Mask lineage = lineageMask(branch);
            candidates.removeIf([&](const QString &key) { return !lineage[exactKey(key)]; });
        }
        if (candidates.isEmpty()) {
            return usageError(u"No such revision or branch '%1'%2"_s.arg(
                token, token.size() < 4 ? u"; please ensure at least four characters are present for partial "
                                          u"revision identifier matches"_s
                                        : QString()));
        }
        if (candidates.size() > 1) {
            return usageError(
                u"Multiple revisions start with '%1': %2..."_s.arg(token, quotedList(candidates.mid(0, 3))));
        }
        revision = exactKey(candidates.first());
    }
    if (branch >= 0 && !lineageMask(branch)[revision]) {
        return usageError(u"Revision %1 is not a member of branch '%2'"_s.arg(idOf(revision), checkBranch));
    }
    return revision;
}

Expected<QList<int>> RevisionMap::getRevisions(const QString &identifier) const
{
    QString label;
    QString token = identifier;
    if (const qsizetype at = identifier.indexOf(QLatin1Char('@')); at >= 0) {
        label = identifier.left(at);
        token = identifier.mid(at + 1);
    }
    if (token == u"heads"_s)
        return label.isEmpty() ? m_realHeads : filterForLineage(m_heads, label);
    if (token == u"head"_s)
        return currentHead(label);
    if (token == u"base"_s || token.isEmpty())
        return QList<int>();
    qint64 steps = 0;
    if (parsePythonInt(token, &steps) && steps < 0) {
        // "-N": N steps down from every real head (carrying the label, if given).
        QList<int> result;
        for (const int head : m_realHeads) {
            if (!label.isEmpty() && !m_nodes.at(head).labels.contains(label))
                continue;
            Expected<int> walked =
                walk(head, int(std::max<qint64>(steps, -std::numeric_limits<int>::max())), {}, true);
            if (!walked)
                return walked.error();
            result.append(*walked);
        }
        return result;
    }
    Expected<int> revision = revisionForIdent(token, label);
    if (!revision)
        return revision.error();
    return QList<int>{*revision};
}

Expected<QList<int>> RevisionMap::getRevisions(const QStringList &identifiers) const
{
    QList<int> result;
    for (const QString &identifier : identifiers) {
        Expected<QList<int>> part = getRevisions(identifier);
        if (!part)
            return part.error();
        result += *part;
    }
    return result;
}

Expected<int> RevisionMap::getRevision(const QString &identifier) const
{
    QString label;
    QString token = identifier;
    if (const qsizetype at = identifier.indexOf(QLatin1Char('@')); at >= 0) {
        label = identifier.left(at);
        token = identifier.mid(at + 1);
    }
    if (token == u"heads"_s) {
        Expected<QList<int>> heads =
            label.isEmpty() ? Expected<QList<int>>(m_realHeads) : filterForLineage(m_heads, label);
        if (!heads)
            return heads.error();
        if (heads->size() > 1)
            return multipleHeadsError(identifier);
        token = heads->isEmpty() ? QString() : idOf(heads->first());
    } else if (token == u"head"_s) {
        Expected<QList<int>> head = currentHead(label);
        if (!head)
            return head.error();
        token = head->isEmpty() ? QString() : idOf(head->first());
    } else if (token == u"base"_s) {
        token.clear();
    }
    if (token.isEmpty()) {
        if (!label.isEmpty()) {
            // Alembic still checks that the branch exists.
            Expected<int> branch = resolveBranch(label);
            if (!branch)
                return branch.error();
        }
        return kNothing;
    }
    return revisionForIdent(token, label);
}

Expected<QList<int>> RevisionMap::resolve(const QString &identifier) const
{
    Expected<QList<int>> revisions = getRevisions(identifier);
    if (!revisions)
        return revisions;
    QList<int> result;
    for (const int r : std::as_const(*revisions)) {
        if (r == kOvershoot) {
            const RelativeMatch relative =
                matchRelative(identifier.mid(identifier.indexOf(QLatin1Char('@')) + 1));
            return relativeError(relative.relativeText, std::abs(relative.relative));
        }
        if (r >= 0) // kBaseSymbol: walked exactly down to base, i.e. nothing
            result.append(r);
    }
    return result;
}

Expected<int> RevisionMap::resolveOne(const QString &identifier) const
{
    Expected<int> revision = getRevision(identifier);
    if (!revision)
        return revision;
    return *revision >= 0 ? *revision : -1;
}

// ---------------------------------------------------------------------------------------------- walking

Expected<int> RevisionMap::walk(int start, int steps, const QString &label, bool noOverwalk) const
{
    int current = start;
    for (int step = 0; step < std::abs(steps); ++step) {
        QList<int> next;
        if (steps > 0) {
            const QList<int> up = (current < 0) ? m_bases : m_nodes.at(current).children;
            if (label.isEmpty()) {
                next = up;
            } else {
                Expected<QList<int>> filtered = filterForLineage(up, label);
                if (!filtered)
                    return filtered.error();
                next = *filtered;
            }
        } else if (current != kBaseSymbol) {
            next = (current < 0) ? m_heads : m_nodes.at(current).parents;
            if (next.isEmpty())
                next.append(kBaseSymbol);
        }
        if (next.isEmpty())
            return noOverwalk ? kOvershoot : current;
        if (next.size() > 1)
            return usageError(u"Ambiguous walk"_s);
        current = next.first();
    }
    return current;
}

Expected<QList<int>> RevisionMap::parseUpgradeTarget(const QString &target, const QStringList &current,
                                                     bool assertRelativeLength) const
{
    const RelativeMatch match = matchRelative(target);
    if (!match.matched)
        return getRevisions(target);
    const int relative = int(std::clamp<qint64>(match.relative, -std::numeric_limits<int>::max(),
                                                std::numeric_limits<int>::max()));
    // Alembic 1.8.1 crashes with an AssertionError when SYM+N or SYM-N overshoots; say what happened instead.
    const auto walked = [&](const Expected<int> &result) -> Expected<QList<int>> {
        if (!result)
            return result.error();
        if (*result == kOvershoot)
            return relativeError(match.relativeText, std::abs(match.relative));
        if (*result < 0) // landed on base: nothing to upgrade to
            return QList<int>();
        return QList<int>{*result};
    };
    if (relative > 0) {
        if (!match.symbol.isEmpty()) {
            Expected<int> start = getRevision(match.symbol);
            if (!start)
                return start.error();
            return walked(walk(*start, relative, match.label, assertRelativeLength));
        }
        int start = kNothing;
        if (!current.isEmpty()) {
            QList<int> starts;
            bool resolvedStarts = false;
            if (!match.label.isEmpty()) {
                Expected<QList<int>> currentRevisions = getRevisions(current);
                if (!currentRevisions)
                    return currentRevisions.error();
                Expected<QList<int>> onBranch = filterForLineage(*currentRevisions, match.label);
                if (!onBranch)
                    return onBranch.error();
                starts = *onBranch;
                if (starts.isEmpty()) {
                    // The branch has no current head: start from the tip of what is applied on it.
                    Expected<QList<int>> active = filterForLineage(ancestors(*currentRevisions), match.label);
                    if (!active)
                        return active.error();
                    Mask isActive(m_nodes.size(), 0);
                    for (const int a : std::as_const(*active))
                        isActive[a] = 1;
                    Mask below(m_nodes.size(), 0);
                    for (const int a : std::as_const(*active)) {
                        for (const int d : m_nodes.at(a).normalizedDown)
                            below[d] = 1;
                    }
                    for (const int a : std::as_const(*active)) {
                        if (!below[a])
                            starts.append(a);
                    }
                    if (starts.isEmpty())
                        starts.append(kNothing);
                }
                resolvedStarts = true;
            }
            if (resolvedStarts ? starts.size() > 1 : current.size() > 1)
                return usageError(u"Ambiguous upgrade from multiple current revisions"_s);
            if (resolvedStarts) {
                start = starts.first();
            } else {
                Expected<int> first = getRevision(current.first());
                if (!first)
                    return first.error();
                start = *first;
            }
        }
        Expected<int> result = walk(start, relative, match.label, assertRelativeLength);
        if (!result)
            return result.error();
        if (*result == kOvershoot)
            return relativeError(match.relativeText, std::abs(match.relative));
        return *result >= 0 ? QList<int>{*result} : QList<int>();
    }
    if (match.symbol.isEmpty())
        return relativeError(QString::number(match.relative), std::abs(match.relative));
    Expected<int> start =
        getRevision(match.label.isEmpty() ? match.symbol : match.label + u'@' + match.symbol);
    if (!start)
        return start.error();
    return walked(walk(*start, relative, {}, assertRelativeLength));
}

QList<int> RevisionMap::allCurrent(const QList<int> &revisions) const
{
    // _get_all_current: the applied revisions' tips (branch heads of everything applied).
    const Mask applied = *reach(revisions, true, true, false);
    QList<int> result;
    for (const int r : maskToList(applied)) {
        const Mask above = *reach({r}, false, false, false);
        bool hasAppliedDescendant = false;
        for (size_t i = 0; i < above.size() && !hasAppliedDescendant; ++i)
            hasAppliedDescendant = above[i] && int(i) != r && applied[i];
        if (!hasAppliedDescendant)
            result.append(r);
    }
    return result;
}

Expected<RevisionMap::DowngradeTarget> RevisionMap::parseDowngradeTarget(const QStringList &current,
                                                                         const QString &target,
                                                                         bool assertRelativeLength,
                                                                         QStringList *warnings) const
{
    const RelativeMatch match = matchRelative(target);
    if (!match.matched) {
        // Absolute: "label@rev" splits at the last "@"; the label only narrows which branch is rolled back.
        const qsizetype at = target.lastIndexOf(QLatin1Char('@'));
        DowngradeTarget result;
        result.label = at >= 0 ? target.left(at) : QString();
        Expected<int> revision = getRevision(at >= 0 ? target.mid(at + 1) : target);
        if (!revision)
            return revision.error();
        result.revision = *revision;
        return result;
    }
    const int relative = int(std::clamp<qint64>(match.relative, -std::numeric_limits<int>::max(),
                                                std::numeric_limits<int>::max()));
    const bool negative = match.relativeText.startsWith(QLatin1Char('-')) && relative != 0;
    DowngradeTarget result;
    result.label = match.label;
    if (!negative) {
        if (match.symbol.isEmpty())
            return relativeError(match.relativeText, std::abs(match.relative));
        Expected<int> start = getRevision(match.symbol);
        if (!start)
            return start.error();
        Expected<int> walked = walk(*start, relative, match.label, assertRelativeLength);
        if (!walked)
            return walked.error();
        if (*walked == kOvershoot || *walked == kNothing)
            return usageError(u"Walked too far"_s);
        result.revision = *walked;
        return result;
    }
    const bool fromCurrent = match.symbol.isEmpty();
    QString symbol = match.symbol;
    if (fromCurrent) {
        if (!match.label.isEmpty()) {
            Expected<QList<int>> currentRevisions = getRevisions(current);
            if (!currentRevisions)
                return currentRevisions.error();
            Expected<QList<int>> onBranch = filterForLineage(*currentRevisions, match.label);
            if (!onBranch)
                return onBranch.error();
            QList<int> symbols = *onBranch;
            if (symbols.isEmpty()) {
                // Every head of the branch may be implied by a current head elsewhere (depends_on).
                Expected<QList<int>> implied = filterForLineage(allCurrent(*currentRevisions), match.label);
                if (!implied)
                    return implied.error();
                symbols = *implied;
            }
            // Alembic 1.8.1 asserts exactly one here.
            if (symbols.isEmpty())
                return relativeError(match.relativeText, std::abs(match.relative));
            if (symbols.size() > 1)
                return usageError(u"Ambiguous walk"_s);
            symbol = idOf(symbols.first());
        } else {
            if (current.isEmpty())
                return relativeError(match.relativeText, std::abs(match.relative));
            if (QSet<QString>(current.cbegin(), current.cend()).size() > 1 && warnings) {
                warnings->append(
                    u"downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in "
                    u"a future release."_s);
            }
            symbol = current.first();
            // Restricts the rollback to that head's branch.
            result.label = symbol;
        }
    }
    Expected<int> start = getRevision(result.label.isEmpty() ? symbol : result.label + u'@' + symbol);
    if (!start)
        return start.error();
    Expected<int> walked = walk(*start, relative, {}, assertRelativeLength);
    if (!walked)
        return walked.error();
    if (*walked == kOvershoot) {
        if (fromCurrent)
            return relativeError(match.relativeText, std::abs(match.relative));
        return usageError(u"Walked too far"_s);
    }
    result.revision = *walked < 0 ? kNothing : *walked;
    return result;
}

// ---------------------------------------------------------------------------------------------- plans

QString RevisionMap::Spec::display() const
{
    if (!isList)
        return text;
    // Python's tuple repr, which is what Alembic prints for "current".
    if (ids.size() == 1)
        return u"('%1',)"_s.arg(ids.first());
    return u"("_s + quotedList(ids) + u")"_s;
}

Expected<QList<int>> RevisionMap::collectUpgrade(const Spec &upper, const Spec &lower, bool inclusive,
                                                 bool implicitBase, bool assertRelativeLength) const
{
    Expected<QList<int>> parsed =
        upper.isList ? getRevisions(upper.ids)
                     : parseUpgradeTarget(upper.text, lower.isList ? lower.ids : QStringList{lower.text},
                                          assertRelativeLength);
    if (!parsed)
        return parsed.error();
    QList<int> targets;
    for (const int t : std::as_const(*parsed)) {
        if (t >= 0)
            targets.append(t);
    }

    if (!lower.isList && lower.text.contains(QLatin1Char('@'))) {
        // history "label@…:…": only the heads of that branch.
        QString branch = lower.text.left(lower.text.indexOf(QLatin1Char('@')));
        Expected<int> branchRevision = getRevision(branch);
        if (!branchRevision)
            return branchRevision.error();
        int lineageOf = -1;
        if (*branchRevision >= 0 && idOf(*branchRevision) == branch) {
            // A revision used as a label stands for its branch label; Alembic asserts it has exactly one.
            const QStringList &labels = m_nodes.at(*branchRevision).labels;
            if (labels.size() == 1)
                branch = labels.first();
            else
                lineageOf = *branchRevision;
        }
        const Mask lineage = lineageOf >= 0 ? lineageMask(lineageOf) : Mask();
        targets.removeIf(
            [&](int t) { return lineageOf >= 0 ? !lineage[t] : !m_nodes.at(t).labels.contains(branch); });
    }

    Expected<Mask> required = reach(targets, true, true, true);
    if (!required)
        return required.error();

    Expected<QList<int>> currentParsed = lower.isList ? getRevisions(lower.ids) : getRevisions(lower.text);
    if (!currentParsed)
        return currentParsed.error();
    QList<int> current = *currentParsed;
    const auto notAncestor = [&] {
        return usageError(u"Requested range %1:%2 does not refer to ancestor/descendant revisions along the "
                          u"same branch"_s.arg(lower.display(), upper.display()));
    };
    if (!implicitBase) {
        for (const int c : std::as_const(current)) {
            if (c == kBaseSymbol || (c >= 0 && !(*required)[c]))
                return notAncestor();
        }
    }
    if (!current.isEmpty() && current.first() == kOvershoot) {
        // Alembic re-parses this as a downgrade target and ends in a misleading lookup error.
        const RelativeMatch relative = matchRelative(lower.text);
        return relativeError(relative.relativeText, std::abs(relative.relative));
    }
    current.removeIf([](int c) { return c < 0; });

    Expected<Mask> have = reach(current, true, true, true);
    if (!have)
        return have.error();
    Mask needs = *required;
    for (size_t i = 0; i < needs.size(); ++i)
        needs[i] = char(needs[i] && !(*have)[i]);
    if (inclusive) {
        for (const int c : std::as_const(current))
            needs[c] = 1;
    }
    if (!current.isEmpty() && !implicitBase) {
        Expected<Mask> above = reach(current, false, false, true);
        if (!above)
            return above.error();
        for (size_t i = 0; i < needs.size(); ++i)
            needs[i] = char(needs[i] && (*above)[i]);
    }
    const qsizetype count = std::count(needs.cbegin(), needs.cend(), 1);
    return sortTopologically(std::move(needs), count, targets);
}

namespace {
// The MultipleHeads text names the argument the command was given (Alembic's _catch_revision_errors "end").
template<typename T> Expected<T> withHeadArgument(Expected<T> result, const QString &argument)
{
    if (!result && result.error().message().startsWith(kMultipleHeadsPrefix))
        return multipleHeadsError(argument);
    return result;
}
} // namespace

Expected<QList<int>> RevisionMap::upgradeSteps(const QString &target, const QStringList &currentHeads) const
{
    Spec upper{target, {}, false};
    Spec lower{{}, currentHeads, true};
    Expected<QList<int>> order = withHeadArgument(collectUpgrade(upper, lower, false, true, true), target);
    if (!order)
        return order;
    QList<int> steps = *order;
    std::reverse(steps.begin(), steps.end());
    return steps;
}

Expected<QList<int>> RevisionMap::downgradeSteps(const QString &target, const QStringList &currentHeads,
                                                 QStringList *warnings) const
{
    const auto run = [&]() -> Expected<QList<int>> {
        Expected<DowngradeTarget> parsed = parseDowngradeTarget(currentHeads, target, true, warnings);
        if (!parsed)
            return parsed.error();
        const int targetRevision = parsed->revision;
        QList<int> roots = targetRevision < 0 ? m_bases : m_nodes.at(targetRevision).children;
        if (!parsed->label.isEmpty() && roots.size() > 1) {
            Expected<int> branch = resolveBranch(parsed->label);
            if (!branch)
                return branch.error();
            const Mask below = *reach({*branch}, true, false, false);
            roots.removeIf([&](int r) { return !below[r]; });
            if (roots.isEmpty())
                return usageError(u"Not a valid downgrade target from current heads"_s);
        }
        Expected<QList<int>> heads = getRevisions(currentHeads);
        if (!heads)
            return heads.error();
        QList<int> currentRevisions = *heads;
        currentRevisions.removeIf([](int r) { return r < 0; });
        Mask drop = *reach(roots, false, true, false);
        const Mask active = *reach(currentRevisions, true, true, false);
        for (size_t i = 0; i < drop.size(); ++i)
            drop[i] = char(drop[i] && active[i]);
        const qsizetype count = std::count(drop.cbegin(), drop.cend(), 1);
        if (targetRevision >= 0 && count == 0 && !currentRevisions.contains(targetRevision)) {
            return usageError(
                u"Destination %1 is not a valid downgrade target from current head(s)"_s.arg(target));
        }
        return sortTopologically(std::move(drop), count, currentRevisions);
    };
    return withHeadArgument(run(), target);
}

Expected<QList<int>> RevisionMap::historyRange(const QString &lower, const QString &upper,
                                               const QStringList *currentHeads) const
{
    const auto side = [&](const QString &text, const QString &empty) -> Expected<Spec> {
        if (text == u"current"_s) {
            if (!currentHeads)
                return usageError(u"'current' needs the database's current revisions"_s);
            if (currentHeads->isEmpty())
                return Spec{empty, {}, false};
            return Spec{{}, *currentHeads, true};
        }
        return Spec{text.isEmpty() ? empty : text, {}, false};
    };
    Expected<Spec> lowerSpec = side(lower, u"base"_s);
    if (!lowerSpec)
        return lowerSpec.error();
    Expected<Spec> upperSpec = side(upper, u"heads"_s);
    if (!upperSpec)
        return upperSpec.error();
    return withHeadArgument(collectUpgrade(*upperSpec, *lowerSpec, true, false, false), upperSpec->display());
}

QList<int> RevisionMap::history() const
{
    Expected<QList<int>> all = historyRange({}, {});
    return all ? *all : QList<int>();
}

QList<int> RevisionMap::topologicalSort(const QList<int> &todo, const QList<int> &heads) const
{
    Mask mask(m_nodes.size(), 0);
    for (const int t : todo)
        mask[t] = 1;
    const qsizetype count = std::count(mask.cbegin(), mask.cend(), 1);
    return sortTopologically(std::move(mask), count, heads);
}

// Alembic's _topological_sort (§3.4) without its per-head ancestor sets. Alembic keeps A[j] = ancestors of
// head j and asks "is the candidate c in A[j] for another head j" (then jumps to the first such j). Here:
//  - coverage: a revision is covered when it is an ancestor of (or is) some pending head. The candidate is in
//    another head's set exactly when one of its normalized children is covered. cover[r] counts r's covered
//    normalized children plus one if r is a head, so the test is cover[c] > 1. Heads only ever move down to
//    revisions that were already covered, so coverage only shrinks: each revision is uncovered at most once.
//  - the first such j: the heads whose sets hold c are exactly the heads found by walking up from c through
//    covered revisions. A head list position never changes relative to the others (heads are replaced in
//    place or appended), so a slot number given at creation orders them like Alembic's list indices.
QList<int> RevisionMap::sortTopologically(Mask todo, qsizetype todoCount, const QList<int> &heads) const
{
    const qsizetype n = m_nodes.size();
    QList<int> out;
    out.reserve(todoCount);
    std::vector<int> cover(n, 0);
    std::vector<int> slotOf(n, -1);
    std::vector<int> visited(n, 0);
    int generation = 0;

    struct Lane
    {
        int node;
        int prev;
        int next;
    };
    std::vector<Lane> lanes;
    int first = -1;
    int last = -1;
    const auto append = [&](int node) {
        const int slot = int(lanes.size());
        lanes.push_back({node, last, -1});
        if (last >= 0)
            lanes[last].next = slot;
        else
            first = slot;
        last = slot;
        slotOf[node] = slot;
    };

    QList<int> start = heads;
    while (todoCount > 0) {
        start.removeIf([&](int h) { return h < 0 || !todo[h]; });
        std::sort(start.begin(), start.end());
        start.erase(std::unique(start.begin(), start.end()), start.end());
        if (start.isEmpty()) {
            // Alembic would fail "assert not todo" here; carry on from the tips of what is left.
            for (qsizetype r = 0; r < n; ++r) {
                if (!todo[r])
                    continue;
                const QList<int> &up = m_nodes.at(r).normalizedChildren;
                if (std::none_of(up.cbegin(), up.cend(), [&](int c) { return todo[c]; }))
                    start.append(int(r));
            }
            if (start.isEmpty())
                break; // unreachable for an acyclic map
        }

        // Coverage of the initial heads.
        std::fill(cover.begin(), cover.end(), 0);
        lanes.clear();
        first = last = -1;
        QList<int> stack;
        Mask covered(n, 0);
        for (const int h : std::as_const(start)) {
            append(h);
            covered[h] = 1;
            stack.append(h);
        }
        QList<int> coveredList;
        while (!stack.isEmpty()) {
            const int r = stack.takeLast();
            coveredList.append(r);
            for (const int p : m_nodes.at(r).normalizedDown) {
                if (!covered[p]) {
                    covered[p] = 1;
                    stack.append(p);
                }
            }
        }
        for (const int r : std::as_const(coveredList)) {
            for (const int p : m_nodes.at(r).normalizedDown)
                ++cover[p];
        }
        for (const int h : std::as_const(start))
            ++cover[h];

        int current = first;
        while (current >= 0) {
            const int candidate = lanes[current].node;
            if (cover[candidate] > 1) {
                // Another pending head needs the candidate first: jump to the earliest such head.
                ++generation;
                int best = std::numeric_limits<int>::max();
                stack = {candidate};
                visited[candidate] = generation;
                while (!stack.isEmpty()) {
                    const int r = stack.takeLast();
                    for (const int c : m_nodes.at(r).normalizedChildren) {
                        if (cover[c] == 0 || visited[c] == generation)
                            continue;
                        visited[c] = generation;
                        if (slotOf[c] >= 0)
                            best = std::min(best, slotOf[c]);
                        stack.append(c);
                    }
                }
                current = best;
                continue;
            }

            out.append(candidate);
            todo[candidate] = 0;
            --todoCount;

            QList<int> add;
            for (const int p : m_nodes.at(candidate).normalizedDown) {
                if (todo[p] && slotOf[p] < 0)
                    add.append(p);
            }
            for (const int p : std::as_const(add))
                ++cover[p];
            // The candidate stops being a head; whatever only it covered is uncovered.
            slotOf[candidate] = -1;
            stack = {candidate};
            --cover[candidate];
            while (!stack.isEmpty()) {
                const int r = stack.takeLast();
                for (const int p : m_nodes.at(r).normalizedDown) {
                    if (--cover[p] == 0)
                        stack.append(p);
                }
            }

            if (add.isEmpty()) {
                Lane &gone = lanes[current];
                if (gone.prev >= 0)
                    lanes[gone.prev].next = gone.next;
                else
                    first = gone.next;
                if (gone.next >= 0)
                    lanes[gone.next].prev = gone.prev;
                else
                    last = gone.prev;
                current = gone.prev >= 0 ? gone.prev : first;
            } else {
                lanes[current].node = add.first();
                slotOf[add.first()] = current;
                for (qsizetype k = 1; k < add.size(); ++k)
                    append(add.at(k));
            }
        }
        start.clear();
    }
    return out;
}

} // namespace qmigrate
