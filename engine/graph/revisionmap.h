// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "scripts/revision.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <span>
#include <vector>

namespace qmigrate {

// The revision graph with Alembic's semantics (docs/alembic-compatibility.md). Revisions are addressed by
// their index in load order (ScriptDirectory order), which is also the tie-break of every ordering. Immutable
// once built, so it can be built on a worker thread and handed to the UI.
//
// Error messages use Alembic's detailed texts (the ones it hides behind "Can't locate revision identified by"
// at its CLI), and graph errors name the revision and its file.
class RevisionMap
{
public:
    // Validates: duplicate ids (both files named), illegal id characters, self-loops, missing parents and
    // dependencies (each missing id with the file that names it), cycles, dependency cycles, duplicate branch
    // labels.
    static Expected<RevisionMap> build(QList<Revision> revisions);

    RevisionMap() = default;

    qsizetype size() const { return m_revisions.size(); }
    bool isEmpty() const { return m_revisions.isEmpty(); }
    const Revision &revision(int index) const { return m_revisions.at(index); }
    const QList<Revision> &revisions() const { return m_revisions; }
    int indexOf(const QString &id) const { return findId(id); } // exact id only
    QString idOf(int index) const { return m_revisions.at(index).id; }

    // Structure; every list is in load order. The spans stay valid as long as the map.
    using Indices = std::span<const int>;
    // The ids of revisions given by index, in the same order.
    QStringList idsOf(Indices indices) const;
    QStringList idsOf(const QList<int> &indices) const
    {
        return idsOf(Indices(indices.constData(), size_t(indices.size())));
    }
    Indices parents(int index) const
    {
        return m_parents.of(index);
    } // down_revision, in the order the file gives
    Indices children(int index) const { return m_children.of(index); } // nextrev: versioned children
    Indices allChildren(int index) const
    {
        return m_allChildren.of(index);
    } // all_nextrev: children, dependants
    Indices dependencies(int index) const
    {
        return m_dependencies.of(index);
    } // resolved depends_on, file order,
      // de-duplicated
    // Dependencies minus those declared by a versioned ancestor.
    Indices normalizedDependencies(int index) const { return m_normalizedDependencies.of(index); }
    // Parents + normalized dependencies.
    Indices normalizedDown(int index) const { return m_normalizedDown.of(index); }
    // Branch labels after propagation (docs/alembic-compatibility.md, "The revision map"), deterministic: the
    // labelling revisions' load order.
    const QStringList &labels(int index) const { return m_labelSets[size_t(m_labelSetOf[size_t(index)])]; }
    // The revision that declares a label, or -1.
    int labelOwner(const QString &label) const { return m_labelOwner.value(label, -1); }

    bool isBase(int index) const;          // no down_revision (may have depends_on)
    bool isRealBase(int index) const;      // no down_revision and no depends_on
    bool isHead(int index) const;          // versioned head: no versioned children
    bool isRealHead(int index) const;      // no children and nobody depends on it
    bool isEffectiveHead(int index) const; // versioned head that something depends on
    bool isBranchPoint(int index) const;   // more than one versioned child
    bool isMergePoint(int index) const;    // more than one parent

    QList<int> heads() const;     // versioned heads (effective heads included), load order
    QList<int> realHeads() const; // load order
    QList<int> bases() const;
    QList<int> realBases() const;

    // get_revisions(): "head", "heads", "base" (empty result), ids, prefixes (> 3 chars keys), labels,
    // "label@head", "label@heads", "label@base", "label@rev", "-N", "label@-N". Errors: MultipleHeads,
    // no such revision, ambiguous prefix (candidates listed), not a member of branch, no such branch,
    // ambiguous walk.
    Expected<QList<int>> resolve(const QString &identifier) const;
    // get_revision(): exactly one (base -> -1); several -> the "Multiple head revisions" error.
    Expected<int> resolveOne(const QString &identifier) const;

    // Upgrade steps (parents first) from the current heads (ids) to target (upgrade syntax: +N, label@+N,
    // SYM+N, SYM-N, heads, head, ids...), as alembic's iterate_revisions(upper=target, lower=current,
    // implicit_base=true).
    Expected<QList<int>> upgradeSteps(const QString &target, const QStringList &currentHeads) const;
    // Downgrade steps (children first) from the current heads to target (downgrade syntax: -N, label@-N,
    // SYM-N, SYM+N, base, label@base, label@rev, ids...). Alembic's "downgrade -1 from multiple heads is
    // ambiguous" warning is appended to warnings when given.
    Expected<QList<int>> downgradeSteps(const QString &target, const QStringList &currentHeads,
                                        QStringList *warnings = nullptr) const;
    // history -r lower:upper, top-down (heads first), inclusive, implicit_base=false. Empty lower = base,
    // empty upper = heads. "current" on either side is replaced by currentHeads; without them it is an error.
    Expected<QList<int>> historyRange(const QString &lower, const QString &upper,
                                      const QStringList *currentHeads = nullptr) const;
    // Whole history top-down, as "alembic history" without -r.
    QList<int> history() const;

    // Alembic's _topological_sort (docs/alembic-compatibility.md, "Step order"): child-before-parent order of
    // todo, starting from heads. Where Alembic would fail its "assert not todo" (revisions of todo not below
    // any of heads), the rest is ordered the same way from its own tips instead.
    QList<int> topologicalSort(const QList<int> &todo, const QList<int> &heads) const;

    // Ancestors / descendants including the start revisions; through dependencies when asked.
    QList<int> ancestors(const QList<int> &start, bool includeDependencies = true) const;
    QList<int> descendants(const QList<int> &start, bool includeDependencies = true) const;

private:
    // One relation in compressed form: node i's targets are targets[offsets[i], offsets[i + 1]). Built one
    // node at a time in load order; a handful of flat arrays instead of a heap list per revision and
    // relation.
    struct Adjacency
    {
        std::vector<int> offsets{0};
        std::vector<int> targets;

        Indices of(int node) const
        {
            const size_t begin = size_t(offsets[size_t(node)]);
            return Indices(targets.data() + begin, size_t(offsets[size_t(node) + 1]) - begin);
        }
        qsizetype degree(int node) const { return offsets[size_t(node) + 1] - offsets[size_t(node)]; }
        void reserve(qsizetype nodes, qsizetype edges);
        // Appends to the node being built unless it already has target.
        void appendUnique(int target);
        void closeNode() { offsets.push_back(int(targets.size())); }
        // The reverse of the relation forEachTarget(node, visit) enumerates; every list comes out in load
        // order.
        template<typename ForEachTarget>
        static Adjacency reverse(qsizetype nodes, const ForEachTarget &forEachTarget);
    };

    // One side of a range: an identifier as typed, or a list of ids (the database heads for "current").
    struct Spec
    {
        QString text;
        QStringList ids;
        bool isList = false;
        QString display() const;
    };
    struct DowngradeTarget
    {
        QString label;
        int revision = -1;
    };
    using Mask = std::vector<char>;

    Expected<QList<int>> getRevisions(const QString &identifier) const;
    Expected<QList<int>> getRevisions(const QStringList &identifiers) const;
    Expected<int> getRevision(const QString &identifier) const;
    Expected<int> revisionForIdent(const QString &token, const QString &checkBranch = {}) const;
    Expected<int> resolveBranch(const QString &label) const;
    Expected<QList<int>> currentHead(const QString &label) const;
    Expected<QList<int>> filterForLineage(const QList<int> &targets, const QString &checkAgainst) const;
    int exactKey(const QString &key) const;
    QStringList prefixCandidates(const QString &prefix) const;
    Mask lineageMask(int revision) const;
    Expected<int> walk(int start, int steps, const QString &label, bool noOverwalk) const;
    Expected<QList<int>> parseUpgradeTarget(const QString &target, const QStringList &current,
                                            bool assertRelativeLength) const;
    Expected<DowngradeTarget> parseDowngradeTarget(const QStringList &current, const QString &target,
                                                   bool assertRelativeLength, QStringList *warnings) const;
    Expected<QList<int>> collectUpgrade(const Spec &upper, const Spec &lower, bool inclusive,
                                        bool implicitBase, bool assertRelativeLength) const;
    Expected<Mask> reach(const QList<int> &targets, bool down, bool includeDependencies, bool check) const;
    QList<int> allCurrent(const QList<int> &revisions) const;
    QList<int> sortTopologically(Mask todo, qsizetype todoCount, const QList<int> &heads) const;
    QList<int> maskToList(const Mask &mask) const;
    int findId(QStringView id, size_t hash) const;
    int findId(QStringView id) const { return findId(id, qHash(id)); }
    // Inserts unless the id is present already; returns the revision that has it, or -1.
    int insertId(int index, size_t hash);

    QList<Revision> m_revisions;
    // The ids, by open addressing (a power of two, at most half full): one flat array instead of a node per
    // id, and the hash tag spares most string comparisons.
    struct IdSlot
    {
        quint32 tag;
        int index;
    };
    std::vector<IdSlot> m_idSlots;
    // Each id's first four UTF-16 units packed into one number, so that prefix matching scans a flat array.
    std::vector<quint64> m_idHeads;
    Adjacency m_parents;
    Adjacency m_children;
    Adjacency m_allChildren;
    Adjacency m_dependencies;
    Adjacency m_normalizedDependencies;
    Adjacency m_normalizedDown;
    Adjacency m_normalizedChildren; // reverse of m_normalizedDown
    // Label sets are shared: most revisions carry exactly their parent's set.
    std::vector<QStringList> m_labelSets;
    std::vector<int> m_labelSetOf;
    QHash<QString, int> m_labelOwner;
    QStringList m_labelsInOrder; // every label, in the load order of the revisions that declare them
    QList<int> m_heads;
    QList<int> m_realHeads;
    QList<int> m_bases;
    QList<int> m_realBases;
};

} // namespace qmigrate
