// SPDX-License-Identifier: MIT
#include "graph/revisionmap.h"

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

QList<int> toList(std::span<const int> indices)
{
    return QList<int>(indices.begin(), indices.end());
}

// The first four UTF-16 units, big end first and zero-padded, so that "starts with a prefix of at most four
// units" is one masked comparison.
quint64 packedHead(QStringView text)
{
    quint64 head = 0;
    for (qsizetype k = 0; k < 4; ++k)
        head = (head << 16) | (k < text.size() ? text[k].unicode() : 0u);
    return head;
}

quint64 headMask(qsizetype length)
{
    return length >= 4 ? ~quint64(0) : ~(~quint64(0) >> (16 * length));
}

// The low half of the hash picks the slot (scaled to the table size), the high half is the tag.
size_t firstSlot(size_t hash, size_t tableSize)
{
    return size_t((quint64(quint32(hash)) * tableSize) >> 32);
}

quint32 hashTag(size_t hash)
{
    return quint32(quint64(hash) >> 32);
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

void RevisionMap::Adjacency::reserve(qsizetype nodes, qsizetype edges)
{
    offsets.reserve(size_t(nodes) + 1);
    targets.reserve(size_t(edges));
}

void RevisionMap::Adjacency::appendUnique(int target)
{
    if (std::find(targets.cbegin() + offsets.back(), targets.cend(), target) == targets.cend())
        targets.push_back(target);
}

template<typename ForEachTarget>
RevisionMap::Adjacency RevisionMap::Adjacency::reverse(qsizetype nodes, const ForEachTarget &forEachTarget)
{
    Adjacency result;
    std::vector<int> &offsets = result.offsets;
    offsets.assign(size_t(nodes) + 1, 0);
    for (qsizetype source = 0; source < nodes; ++source)
        forEachTarget(int(source), [&offsets](int target) { ++offsets[size_t(target) + 1]; });
    for (size_t i = 0; i < size_t(nodes); ++i)
        offsets[i + 1] += offsets[i];
    // offsets[t] serves as t's fill position, ending at the start of t + 1; shifted back afterwards. Filling
    // the sources in ascending order keeps every reversed list in load order.
    result.targets.resize(size_t(offsets.back()));
    for (qsizetype source = 0; source < nodes; ++source) {
        forEachTarget(int(source),
                      [&](int target) { result.targets[size_t(offsets[size_t(target)]++)] = int(source); });
    }
    for (size_t i = size_t(nodes); i > 0; --i)
        offsets[i] = offsets[i - 1];
    offsets[0] = 0;
    return result;
}

Expected<RevisionMap> RevisionMap::build(QList<Revision> loaded)
{
    RevisionMap map;
    map.m_revisions = std::move(loaded);
    const QList<Revision> &revisions = map.m_revisions;
    const qsizetype n = revisions.size();

    // At most ~60 % full: short probe runs without a power-of-two table's up to 4x memory.
    map.m_idSlots.assign(size_t(n) + size_t(n) * 2 / 3 + 1, IdSlot{0, -1});
    map.m_idHeads.resize(size_t(n));

    // One pass over the revisions for everything that reads their strings (on a large project they are no
    // longer in any cache, so every extra pass costs a memory round trip per string). Parents are resolved
    // here when they are already indexed (files named in creation order); the rest once every id is known.
    Adjacency &parents = map.m_parents; // -1 for the unresolved ones until every id is indexed
    parents.reserve(n, n);
    std::vector<int> labelled;         // revisions that declare branch labels
    std::vector<int> withDependencies; // revisions that declare depends_on
    qsizetype dependencyEdges = 0;
    int duplicate = -1;
    int duplicateOf = -1;
    // The strings sit wherever the parser allocated them: asking for those of a few revisions ahead lets the
    // memory round trips overlap instead of queueing.
    const auto prefetch = [](const void *address) {
#if defined(__GNUC__)
        __builtin_prefetch(address);
#else
        Q_UNUSED(address);
#endif
    };
    constexpr qsizetype kAhead = 16;
    for (qsizetype i = 0; i < n; ++i) {
        if (i + kAhead < n) {
            const Revision &later = revisions.at(i + kAhead);
            prefetch(later.id.constData());
            prefetch(later.downRevisions.constData());
        }
        if (i + kAhead / 2 < n) {
            for (const QString &parent : revisions.at(i + kAhead / 2).downRevisions)
                prefetch(parent.constData());
        }
        // Checks Alembic makes when it constructs each Revision.
        const Revision &revision = revisions.at(i);
        if (revision.id.isEmpty())
            return graphError(revision, revision.idLine, u"Revision identifier is empty"_s);
        for (const QString &parent : revision.downRevisions) {
            if (parent == revision.id) {
                return graphError(revision, revision.downRevisionLine,
                                  u"Self-loop is detected in revisions (%1)"_s.arg(revision.id));
            }
            parents.targets.push_back(map.findId(parent));
        }
        parents.closeNode();
        if (!revision.branchLabels.isEmpty())
            labelled.push_back(int(i));
        if (!revision.dependsOn.isEmpty()) {
            withDependencies.push_back(int(i));
            dependencyEdges += revision.dependsOn.size();
        }
        if (revision.dependsOn.contains(revision.id))
            return graphError(revision, revision.dependsOnLine,
                              u"Dependency self-loop is detected in revisions (%1)"_s.arg(revision.id));
        const auto isIllegal = [](QChar c) {
            return c == QLatin1Char('-') || c == QLatin1Char('+') || c == QLatin1Char('@') ||
                   c == QLatin1Char(':');
        };
        if (std::any_of(revision.id.cbegin(), revision.id.cend(), isIllegal)) {
            QStringList illegal;
            for (const QChar c : revision.id) {
                if (isIllegal(c) && !illegal.contains(QString(c)))
                    illegal.append(QString(c));
            }
            illegal.sort();
            return graphError(revision, revision.idLine,
                              u"Character(s) '%1' not allowed in revision identifier '%2'"_s.arg(
                                  illegal.join(u", "_s), revision.id));
        }
        // Duplicates are reported after the checks above have passed for every revision.
        const int existing = map.insertId(int(i), qHash(QStringView(revision.id)));
        if (existing >= 0 && duplicate < 0) {
            duplicate = int(i);
            duplicateOf = existing;
        }
        map.m_idHeads[size_t(i)] = packedHead(revision.id);
    }
    if (duplicate >= 0) {
        // Alembic only warns and then works on a corrupt map; two files claiming one id is always a mistake.
        const Revision &revision = revisions.at(duplicate);
        return graphError(revision, revision.idLine,
                          u"Revision %1 is present more than once: %2 and %3"_s.arg(
                              revision.id, revisions.at(duplicateOf).path, revision.path));
    }

    // Labels share one namespace with the ids (Alembic keeps both as keys of one dict).
    for (const int i : labelled) {
        const Revision &revision = revisions.at(i);
        for (const QString &label : revision.branchLabels) {
            int owner = map.m_labelOwner.value(label, -1);
            if (owner < 0)
                owner = map.findId(label);
            if (owner >= 0) {
                return graphError(revision, revision.branchLabelsLine,
                                  u"Branch name '%1' in revision %2 already used by revision %3"_s.arg(
                                      label, revision.id, revisions.at(owner).id));
            }
            map.m_labelOwner.insert(label, int(i));
            map.m_labelsInOrder.append(label);
        }
    }

    Adjacency &dependencies = map.m_dependencies;
    dependencies.reserve(n, dependencyEdges);
    // Resolves the rest of the parents and drops repeated ones, compacting the lists in place. Revisions are
    // only read where something is left to resolve.
    int written = 0;
    auto nextWithDependencies = withDependencies.cbegin();
    for (qsizetype i = 0; i < n; ++i) {
        const Revision &revision = revisions.at(i);
        const int readBegin = parents.offsets[size_t(i)];
        const int readEnd = parents.offsets[size_t(i) + 1];
        parents.offsets[size_t(i)] = written;
        for (int e = readBegin; e < readEnd; ++e) {
            int index = parents.targets[size_t(e)];
            if (index < 0) {
                const QString &parent = revision.downRevisions.at(e - readBegin);
                index = map.findId(parent);
                if (index < 0) {
                    return graphError(revision, revision.downRevisionLine,
                                      u"Revision %1 referenced from %2 (%3) is not present"_s.arg(
                                          parent, revision.id, revision.path));
                }
            }
            bool repeated = false;
            for (int k = parents.offsets[size_t(i)]; k < written && !repeated; ++k)
                repeated = parents.targets[size_t(k)] == index;
            if (!repeated)
                parents.targets[size_t(written++)] = index;
        }
        parents.offsets[size_t(i) + 1] = written;
        if (nextWithDependencies == withDependencies.cend() || *nextWithDependencies != i) {
            dependencies.closeNode();
            continue;
        }
        ++nextWithDependencies;
        QStringList missing;
        for (const QString &dependency : revision.dependsOn) {
            int index = map.findId(dependency);
            if (index < 0)
                index = map.m_labelOwner.value(dependency, -1);
            if (index < 0) {
                missing.append(dependency);
                continue;
            }
            dependencies.appendUnique(index);
        }
        dependencies.closeNode();
        if (!missing.isEmpty()) {
            const QString what = missing.size() == 1
                                     ? u"Dependency %1 referenced from %2 (%3) is not present"_s
                                     : u"Dependencies %1 referenced from %2 (%3) are not present"_s;
            return graphError(revision, revision.dependsOnLine,
                              what.arg(quotedList(missing), revision.id, revision.path) +
                                  u" (not a revision id or branch label of this project)"_s);
        }
    }
    parents.targets.resize(size_t(written));
    // Parents, then the dependencies that are not parents: what all_nextrev reverses.
    const auto forEachAllDown = [&](int r, const auto &visit) {
        const Indices up = parents.of(r);
        for (const int p : up)
            visit(p);
        for (const int d : dependencies.of(r)) {
            if (std::find(up.begin(), up.end(), d) == up.end())
                visit(d);
        }
    };
    const auto allDownDegree = [&](int r) {
        qsizetype degree = 0;
        forEachAllDown(r, [&degree](int) { ++degree; });
        return degree;
    };
    map.m_children = Adjacency::reverse(n, [&](int r, const auto &visit) {
        for (const int p : parents.of(r))
            visit(p);
    });
    map.m_allChildren = Adjacency::reverse(n, forEachAllDown);
    const Adjacency &children = map.m_children;
    const Adjacency &allChildren = map.m_allChildren;

    for (qsizetype i = 0; i < n; ++i) {
        if (children.degree(int(i)) == 0)
            map.m_heads.append(int(i));
        if (allChildren.degree(int(i)) == 0)
            map.m_realHeads.append(int(i));
        if (parents.degree(int(i)) == 0) {
            map.m_bases.append(int(i));
            if (revisions.at(i).dependsOn.isEmpty())
                map.m_realBases.append(int(i));
        }
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
    std::vector<int> stack;
    stack.reserve(size_t(n));
    // The edges below r: parents, and with dependency the dependencies too.
    const auto forEachDown = [&](bool dependency, int r, const auto &visit) {
        if (dependency) {
            forEachAllDown(r, visit);
        } else {
            for (const int p : parents.of(r))
                visit(p);
        }
    };
    const auto unreachable = [&](bool dependency) {
        const Adjacency &upEdges = dependency ? allChildren : children;
        Mask down(size_t(n), 0);
        Mask up(size_t(n), 0);
        const auto sweep = [&](const QList<int> &from, Mask &seen, const auto &forEachNext) {
            stack.assign(from.cbegin(), from.cend());
            for (const int s : from)
                seen[size_t(s)] = 1;
            while (!stack.empty()) {
                const int r = stack.back();
                stack.pop_back();
                forEachNext(r, [&](int next) {
                    if (!seen[size_t(next)]) {
                        seen[size_t(next)] = 1;
                        stack.push_back(next);
                    }
                });
            }
        };
        sweep(dependency ? map.m_realHeads : map.m_heads, down,
              [&](int r, const auto &visit) { forEachDown(dependency, r, visit); });
        sweep(dependency ? map.m_realBases : map.m_bases, up, [&](int r, const auto &visit) {
            for (const int c : upEdges.of(r))
                visit(c);
        });
        QList<int> missing;
        for (qsizetype i = 0; i < n; ++i) {
            if (!down[size_t(i)] || !up[size_t(i)])
                missing.append(int(i));
        }
        return missing;
    };
    // Kahn's count from both ends: what neither end can peel off lies on a cycle. Also yields the topological
    // order (children first) of the versioned graph.
    std::vector<int> versionedOrder;
    const auto leftAfterKahn = [&](bool dependency, std::vector<int> *order) {
        const Adjacency &upEdges = dependency ? allChildren : children;
        std::vector<int> pendingUp(size_t(n), 0);
        std::vector<int> pendingDown(size_t(n), 0);
        std::vector<int> topDown;
        topDown.reserve(size_t(n));
        stack.clear();
        for (qsizetype i = 0; i < n; ++i) {
            pendingUp[size_t(i)] = int(upEdges.degree(int(i)));
            pendingDown[size_t(i)] = int(dependency ? allDownDegree(int(i)) : parents.degree(int(i)));
            if (pendingUp[size_t(i)] == 0)
                stack.push_back(int(i));
        }
        while (!stack.empty()) {
            const int r = stack.back();
            stack.pop_back();
            topDown.push_back(r);
            forEachDown(dependency, r, [&](int p) {
                if (--pendingUp[size_t(p)] == 0)
                    stack.push_back(p);
            });
        }
        for (qsizetype i = 0; i < n; ++i) {
            if (pendingDown[size_t(i)] == 0)
                stack.push_back(int(i));
        }
        while (!stack.empty()) {
            const int r = stack.back();
            stack.pop_back();
            for (const int c : upEdges.of(r)) {
                if (--pendingDown[size_t(c)] == 0)
                    stack.push_back(c);
            }
        }
        QList<int> left;
        for (qsizetype i = 0; i < n; ++i) {
            if (pendingUp[size_t(i)] > 0 && pendingDown[size_t(i)] > 0)
                left.append(int(i));
        }
        if (order)
            *order = std::move(topDown);
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
        const Adjacency declarers = Adjacency::reverse(n, [&](int r, const auto &visit) {
            for (const int d : dependencies.of(r))
                visit(d);
        });
        std::vector<char> dropped(dependencies.targets.size(), 0); // parallel to dependencies.targets
        std::vector<int> aboveMark(size_t(n), 0); // == sweep number: above a declarer in this sweep
        int sweep = 0;
        for (qsizetype d = 0; d < n; ++d) {
            const Indices declaredBy = declarers.of(int(d));
            if (declaredBy.size() < 2)
                continue;
            ++sweep;
            stack.assign(declaredBy.begin(), declaredBy.end());
            while (!stack.empty()) {
                const int r = stack.back();
                stack.pop_back();
                for (const int c : children.of(r)) {
                    if (aboveMark[size_t(c)] != sweep) {
                        aboveMark[size_t(c)] = sweep;
                        stack.push_back(c);
                    }
                }
            }
            for (const int declarer : declaredBy) {
                if (aboveMark[size_t(declarer)] != sweep)
                    continue;
                const Indices own = dependencies.of(declarer);
                const auto at = std::find(own.begin(), own.end(), int(d)) - own.begin();
                dropped[size_t(dependencies.offsets[size_t(declarer)] + at)] = 1;
            }
        }
        Adjacency &normalized = map.m_normalizedDependencies;
        Adjacency &normalizedDown = map.m_normalizedDown;
        normalized.reserve(n, qsizetype(dependencies.targets.size()));
        normalizedDown.reserve(n, qsizetype(parents.targets.size() + normalized.targets.capacity()));
        for (qsizetype i = 0; i < n; ++i) {
            for (int k = dependencies.offsets[size_t(i)]; k < dependencies.offsets[size_t(i) + 1]; ++k) {
                if (!dropped[size_t(k)])
                    normalized.targets.push_back(dependencies.targets[size_t(k)]);
            }
            normalized.closeNode();
            for (const int p : parents.of(int(i)))
                normalizedDown.targets.push_back(p);
            for (const int d : normalized.of(int(i)))
                normalizedDown.appendUnique(d);
            normalizedDown.closeNode();
        }
        map.m_normalizedChildren = Adjacency::reverse(n, [&](int r, const auto &visit) {
            for (const int d : normalizedDown.of(r))
                visit(d);
        });
    }

    // Branch labels (docs/alembic-compatibility.md, "The revision map"). A label reaches every versioned
    // descendant of its revision; and when the revision's descendants form one plain line (no merge, no
    // second child or dependant anywhere up to the tip), Alembic's walk down from the tip also labels the
    // revisions below it, down to the nearest branch point or merge point (exclusive) or base (inclusive).
    // Labels are kept as ranks into m_labelsInOrder, which makes the display order the declaring revisions'
    // load order.
    {
        QHash<QString, int> rankOf;
        for (qsizetype r = 0; r < map.m_labelsInOrder.size(); ++r)
            rankOf.insert(map.m_labelsInOrder.at(r), int(r));
        // Most revisions carry exactly their parent's set, so sets live in a pool and revisions share them;
        // this keeps a long trunk with many labels linear in practice, and the QStringLists implicitly
        // shared.
        std::vector<std::vector<int>> pool{{}};
        std::vector<int> setOf(size_t(n), 0);
        std::vector<int> ownSet(size_t(n), 0); // the revision's own labels, as a pool entry
        for (qsizetype i = 0; i < n; ++i) {
            const QStringList &declared = revisions.at(i).branchLabels;
            if (declared.isEmpty())
                continue;
            std::vector<int> own;
            for (const QString &label : declared)
                own.push_back(rankOf.value(label));
            std::sort(own.begin(), own.end());
            ownSet[size_t(i)] = int(pool.size());
            pool.push_back(std::move(own));
        }
        // The union of two pool entries, reusing the first when nothing is added.
        const auto unite = [&pool](int set, int extra) {
            if (set == extra || pool[size_t(extra)].empty())
                return set;
            const std::vector<int> &base = pool[size_t(set)];
            const std::vector<int> &more = pool[size_t(extra)];
            if (std::includes(base.begin(), base.end(), more.begin(), more.end()))
                return set;
            std::vector<int> merged;
            merged.reserve(base.size() + more.size());
            std::set_union(base.begin(), base.end(), more.begin(), more.end(), std::back_inserter(merged));
            pool.push_back(std::move(merged));
            return int(pool.size() - 1);
        };
        for (auto it = versionedOrder.crbegin(); it != versionedOrder.crend(); ++it) {
            const int r = *it;
            const Indices down = parents.of(r);
            int set = down.empty() ? 0 : setOf[size_t(down.front())];
            for (size_t k = 1; k < down.size(); ++k)
                set = unite(set, setOf[size_t(down[k])]);
            setOf[size_t(r)] = unite(set, ownSet[size_t(r)]);
        }
        const auto plainSpot = [&](int r) { return parents.degree(r) <= 1 && allChildren.degree(r) <= 1; };
        std::vector<char> plainLine(size_t(n), 0); // r and everything above it is one unbranched line
        for (const int r : versionedOrder) {
            const Indices up = children.of(r);
            plainLine[size_t(r)] = plainSpot(r) && (up.empty() || plainLine[size_t(up.front())]);
        }
        for (qsizetype i = 0; i < n; ++i) {
            if (ownSet[size_t(i)] == 0 || !plainLine[size_t(i)])
                continue;
            const auto below = [&](int r) { return parents.degree(r) == 0 ? -1 : parents.of(r).front(); };
            for (int p = below(int(i)); p >= 0 && plainSpot(p); p = below(p))
                setOf[size_t(p)] = unite(setOf[size_t(p)], ownSet[size_t(i)]);
        }
        std::vector<int> shared(pool.size(), -1); // pool entry -> index into m_labelSets
        map.m_labelSetOf.resize(size_t(n));
        for (qsizetype i = 0; i < n; ++i) {
            const size_t set = size_t(setOf[size_t(i)]);
            if (shared[set] < 0) {
                shared[set] = int(map.m_labelSets.size());
                QStringList names;
                names.reserve(qsizetype(pool[set].size()));
                for (const int rank : pool[set])
                    names.append(map.m_labelsInOrder.at(rank));
                map.m_labelSets.push_back(std::move(names));
            }
            map.m_labelSetOf[size_t(i)] = shared[set];
        }
    }

    return map;
}

// ---------------------------------------------------------------------------------------------- structure

QStringList RevisionMap::idsOf(Indices indices) const
{
    QStringList ids;
    ids.reserve(qsizetype(indices.size()));
    for (const int index : indices)
        ids.append(idOf(index));
    return ids;
}

bool RevisionMap::isBase(int index) const
{
    return m_parents.degree(index) == 0;
}
bool RevisionMap::isRealBase(int index) const
{
    return isBase(index) && m_revisions.at(index).dependsOn.isEmpty();
}
bool RevisionMap::isHead(int index) const
{
    return m_children.degree(index) == 0;
}
bool RevisionMap::isRealHead(int index) const
{
    return m_allChildren.degree(index) == 0;
}
bool RevisionMap::isEffectiveHead(int index) const
{
    return isHead(index) && !isRealHead(index);
}
bool RevisionMap::isBranchPoint(int index) const
{
    return m_children.degree(index) > 1;
}
bool RevisionMap::isMergePoint(int index) const
{
    return m_parents.degree(index) > 1;
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
    Mask seen(m_revisions.size(), 0);
    Mask isTarget;
    if (check) {
        isTarget.assign(m_revisions.size(), 0);
        for (const int t : targets)
            isTarget[t] = 1;
    }
    const Adjacency &edges = down ? (includeDependencies ? m_normalizedDown : m_parents)
                                  : (includeDependencies ? m_allChildren : m_children);
    std::vector<int> stack;
    for (const int target : targets) {
        QList<int> overlaps;
        const auto touch = [&](int r) {
            if (check && r != target && isTarget[r] && !overlaps.contains(r))
                overlaps.append(r);
        };
        touch(target);
        if (seen[target])
            continue;
        seen[target] = 1;
        stack.push_back(target);
        while (!stack.empty()) {
            const int r = stack.back();
            stack.pop_back();
            for (const int x : edges.of(r)) {
                touch(x);
                if (!seen[x]) {
                    seen[x] = 1;
                    stack.push_back(x);
                }
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

int RevisionMap::findId(QStringView id, size_t hash) const
{
    if (m_idSlots.empty())
        return -1;
    const quint32 tag = hashTag(hash);
    for (size_t slot = firstSlot(hash, m_idSlots.size());;
         slot = slot + 1 == m_idSlots.size() ? 0 : slot + 1) {
        const IdSlot &entry = m_idSlots[slot];
        if (entry.index < 0)
            return -1;
        if (entry.tag == tag && m_revisions.at(entry.index).id == id)
            return entry.index;
    }
}

int RevisionMap::insertId(int index, size_t hash)
{
    const quint32 tag = hashTag(hash);
    const QString &id = m_revisions.at(index).id;
    for (size_t slot = firstSlot(hash, m_idSlots.size());;
         slot = slot + 1 == m_idSlots.size() ? 0 : slot + 1) {
        IdSlot &entry = m_idSlots[slot];
        if (entry.index < 0) {
            entry = {tag, index};
            return -1;
        }
        if (entry.tag == tag && m_revisions.at(entry.index).id == id)
            return entry.index;
    }
}

int RevisionMap::exactKey(const QString &key) const
{
    const int index = findId(key);
    return index >= 0 ? index : m_labelOwner.value(key, -1);
}

// Keys longer than 3 characters starting with prefix; ids first in load order, then labels in declaration
// order (the order of Alembic's dict of keys, which is what its "Multiple revisions start with" lists).
// A linear scan, but of one flat array: only ids whose first units match are looked at.
QStringList RevisionMap::prefixCandidates(const QString &prefix) const
{
    QStringList candidates;
    const quint64 mask = headMask(prefix.size());
    const quint64 head = packedHead(prefix) & mask;
    for (size_t i = 0; i < m_idHeads.size(); ++i) {
        if ((m_idHeads[i] & mask) != head)
            continue;
        const QString &id = m_revisions.at(qsizetype(i)).id;
        if (id.size() > 3 && id.startsWith(prefix))
            candidates.append(id);
    }
    for (const QString &label : m_labelsInOrder) {
        if (label.size() > 3 && label.startsWith(prefix))
            candidates.append(label);
    }
    return candidates;
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
    Mask mask(m_revisions.size(), 0);
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
            if (!label.isEmpty() && !labels(head).contains(label))
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
            const QList<int> up = (current < 0) ? m_bases : toList(children(current));
            if (label.isEmpty()) {
                next = up;
            } else {
                Expected<QList<int>> filtered = filterForLineage(up, label);
                if (!filtered)
                    return filtered.error();
                next = *filtered;
            }
        } else if (current != kBaseSymbol) {
            next = (current < 0) ? m_heads : toList(parents(current));
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
                    Mask isActive(m_revisions.size(), 0);
                    for (const int a : std::as_const(*active))
                        isActive[a] = 1;
                    Mask below(m_revisions.size(), 0);
                    for (const int a : std::as_const(*active)) {
                        for (const int d : normalizedDown(a))
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
            const QStringList &declared = labels(*branchRevision);
            if (declared.size() == 1)
                branch = declared.first();
            else
                lineageOf = *branchRevision;
        }
        const Mask lineage = lineageOf >= 0 ? lineageMask(lineageOf) : Mask();
        targets.removeIf([&](int t) { return lineageOf >= 0 ? !lineage[t] : !labels(t).contains(branch); });
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
        QList<int> roots = targetRevision < 0 ? m_bases : toList(children(targetRevision));
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
    Mask mask(m_revisions.size(), 0);
    for (const int t : todo)
        mask[t] = 1;
    const qsizetype count = std::count(mask.cbegin(), mask.cend(), 1);
    return sortTopologically(std::move(mask), count, heads);
}

// Alembic's _topological_sort (docs/alembic-compatibility.md, "Step order") without its per-head ancestor
// sets. Alembic keeps A[j] = ancestors of head j and asks "is the candidate c in A[j] for another head j"
// (then jumps to the first such j). Here:
//  - coverage: a revision is covered when it is an ancestor of (or is) some pending head. The candidate is in
//    another head's set exactly when one of its normalized children is covered. cover[r] counts r's covered
//    normalized children plus one if r is a head, so the test is cover[c] > 1. Heads only ever move down to
//    revisions that were already covered, so coverage only shrinks: each revision is uncovered at most once.
//  - the first such j: the heads whose sets hold c are exactly the heads found by walking up from c through
//    covered revisions. A head list position never changes relative to the others (heads are replaced in
//    place or appended), so a slot number given at creation orders them like Alembic's list indices.
QList<int> RevisionMap::sortTopologically(Mask todo, qsizetype todoCount, const QList<int> &heads) const
{
    const qsizetype n = m_revisions.size();
    QList<int> out;
    out.reserve(todoCount);
    std::vector<int> cover(size_t(n), 0);
    std::vector<int> slotOf(size_t(n), -1);
    std::vector<int> visited(size_t(n), 0);
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
            lanes[size_t(last)].next = slot;
        else
            first = slot;
        last = slot;
        slotOf[size_t(node)] = slot;
    };

    std::vector<int> stack;
    std::vector<int> add;
    Mask covered;
    QList<int> start = heads;
    while (todoCount > 0) {
        start.removeIf([&](int h) { return h < 0 || !todo[size_t(h)]; });
        std::sort(start.begin(), start.end());
        start.erase(std::unique(start.begin(), start.end()), start.end());
        if (start.isEmpty()) {
            // Alembic would fail "assert not todo" here; carry on from the tips of what is left.
            for (qsizetype r = 0; r < n; ++r) {
                if (!todo[size_t(r)])
                    continue;
                const Indices up = m_normalizedChildren.of(int(r));
                if (std::none_of(up.begin(), up.end(), [&](int c) { return todo[size_t(c)]; }))
                    start.append(int(r));
            }
            if (start.isEmpty())
                break; // unreachable for an acyclic map
        }

        // Coverage of the initial heads: every covered revision adds one to each of its normalized parents.
        std::fill(cover.begin(), cover.end(), 0);
        lanes.clear();
        first = last = -1;
        covered.assign(size_t(n), 0);
        stack.clear();
        for (const int h : std::as_const(start)) {
            append(h);
            covered[size_t(h)] = 1;
            stack.push_back(h);
            ++cover[size_t(h)];
        }
        while (!stack.empty()) {
            const int r = stack.back();
            stack.pop_back();
            for (const int p : m_normalizedDown.of(r)) {
                ++cover[size_t(p)];
                if (!covered[size_t(p)]) {
                    covered[size_t(p)] = 1;
                    stack.push_back(p);
                }
            }
        }

        int current = first;
        while (current >= 0) {
            const int candidate = lanes[size_t(current)].node;
            if (cover[size_t(candidate)] > 1) {
                // Another pending head needs the candidate first: jump to the earliest such head.
                ++generation;
                int best = std::numeric_limits<int>::max();
                stack.assign(1, candidate);
                visited[size_t(candidate)] = generation;
                while (!stack.empty()) {
                    const int r = stack.back();
                    stack.pop_back();
                    for (const int c : m_normalizedChildren.of(r)) {
                        if (cover[size_t(c)] == 0 || visited[size_t(c)] == generation)
                            continue;
                        visited[size_t(c)] = generation;
                        if (slotOf[size_t(c)] >= 0)
                            best = std::min(best, slotOf[size_t(c)]);
                        stack.push_back(c);
                    }
                }
                current = best;
                continue;
            }

            out.append(candidate);
            todo[size_t(candidate)] = 0;
            --todoCount;

            add.clear();
            for (const int p : m_normalizedDown.of(candidate)) {
                if (todo[size_t(p)] && slotOf[size_t(p)] < 0)
                    add.push_back(p);
            }
            for (const int p : add)
                ++cover[size_t(p)];
            // The candidate stops being a head; whatever only it covered is uncovered.
            slotOf[size_t(candidate)] = -1;
            stack.assign(1, candidate);
            --cover[size_t(candidate)];
            while (!stack.empty()) {
                const int r = stack.back();
                stack.pop_back();
                for (const int p : m_normalizedDown.of(r)) {
                    if (--cover[size_t(p)] == 0)
                        stack.push_back(p);
                }
            }

            if (add.empty()) {
                Lane &gone = lanes[size_t(current)];
                if (gone.prev >= 0)
                    lanes[size_t(gone.prev)].next = gone.next;
                else
                    first = gone.next;
                if (gone.next >= 0)
                    lanes[size_t(gone.next)].prev = gone.prev;
                else
                    last = gone.prev;
                current = gone.prev >= 0 ? gone.prev : first;
            } else {
                lanes[size_t(current)].node = add.front();
                slotOf[size_t(add.front())] = current;
                for (size_t k = 1; k < add.size(); ++k)
                    append(add[k]);
            }
        }
        start.clear();
    }
    return out;
}

} // namespace qmigrate
