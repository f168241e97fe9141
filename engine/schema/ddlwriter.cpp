// SPDX-License-Identifier: MIT
#include "schema/ddlwriter.h"

#include "database/dialect.h"
#include "schema/schemadiff.h"
#include "scripts/sqlstatementsplitter.h"

#include <QRegularExpression>
#include <QSet>

#include <functional>
#include <utility>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

using Backend = DatabaseUrl::Backend;
using Kind = SchemaChange::Kind;

template<typename T> QList<T> onlyInFirst(const QList<T> &first, const QList<T> &second)
{
    QList<T> result;
    for (const T &item : first) {
        if (!second.contains(item))
            result.append(item);
    }
    return result;
}

// Table and view names an expression mentions (lower-cased): every word and quoted name. Over-broad on
// purpose (a column named like a table counts): a view dropped and recreated needlessly is harmless.
QSet<QString> mentionedNames(const QString &expression)
{
    static const QRegularExpression words(
        u"\"((?:[^\"]|\"\")*)\"|`((?:[^`]|``)*)`|([A-Za-z_][A-Za-z0-9_$]*)"_s);
    QSet<QString> names;
    for (const QRegularExpressionMatch &match : words.globalMatch(expression)) {
        for (int group = 1; group <= 3; ++group) {
            if (match.hasCaptured(group))
                names.insert(match.captured(group).toLower());
        }
    }
    return names;
}

// Names in an order where each comes after those it depends on (among names), ties in name order; a
// cycle is broken at its smallest name.
QStringList dependencyOrder(QStringList names, const std::function<QStringList(const QString &)> &dependsOn)
{
    names.sort();
    QStringList ordered;
    QSet<QString> placed;
    while (ordered.size() < names.size()) {
        QString next;
        for (const QString &name : std::as_const(names)) {
            if (placed.contains(name))
                continue;
            bool ready = true;
            for (const QString &dependency : dependsOn(name)) {
                if (dependency != name && names.contains(dependency) && !placed.contains(dependency)) {
                    ready = false;
                    break;
                }
            }
            if (ready) {
                next = name;
                break;
            }
        }
        if (next.isEmpty()) {
            for (const QString &name : std::as_const(names)) {
                if (!placed.contains(name)) {
                    next = name;
                    break;
                }
            }
        }
        placed.insert(next);
        ordered.append(next);
    }
    return ordered;
}

QStringList referencedTables(const SchemaTable &table)
{
    QStringList names;
    for (const SchemaForeignKey &key : table.foreignKeys)
        names.append(key.referencedTable);
    return names;
}

struct TypeParts
{
    QString base;
    QList<int> arguments;
    QString rest;
};

TypeParts typeParts(const QString &type)
{
    static const QRegularExpression pattern(u"^([a-z]+(?: [a-z]+)*)(?:\\((\\d+)(?:, ?(\\d+))?\\))?(.*)$"_s);
    const QRegularExpressionMatch match = pattern.match(type);
    TypeParts parts{match.captured(1), {}, match.captured(4).trimmed()};
    for (int group = 2; group <= 3; ++group) {
        if (match.hasCaptured(group))
            parts.arguments.append(match.captured(group).toInt());
    }
    return parts;
}

enum class TypeChange { Widening, Narrowing, Other };

// Whether every value of type `before` fits type `after`, for the common types of the three backends.
TypeChange classifyTypeChange(const QString &before, const QString &after)
{
    static const QStringList lengthTypes = {
        u"varchar"_s,    u"character varying"_s, u"char"_s,   u"character"_s,
        u"nvarchar"_s,   u"varbinary"_s,         u"binary"_s, u"bit"_s,
        u"bit varying"_s};
    static const QStringList unboundedText = {u"text"_s, u"mediumtext"_s, u"longtext"_s, u"clob"_s};
    static const QStringList integerRanks = {u"tinyint"_s, u"smallint"_s, u"mediumint"_s, u"integer"_s,
                                             u"bigint"_s};
    static const QStringList floatRanks = {u"real"_s, u"double precision"_s};
    const TypeParts a = typeParts(before);
    const TypeParts b = typeParts(after);
    if (a.rest != b.rest)
        return TypeChange::Other;
    const auto canonical = [](QString base) {
        if (base == "int"_L1 || base == "int4"_L1)
            return u"integer"_s;
        if (base == "double"_L1 || base == "float8"_L1)
            return u"double precision"_s;
        if (base == "float"_L1 || base == "float4"_L1)
            return u"real"_s;
        return base;
    };
    const QString baseA = canonical(a.base);
    const QString baseB = canonical(b.base);
    const bool textA = unboundedText.contains(baseA) ||
                       (lengthTypes.contains(baseA) && a.arguments.isEmpty() && baseA.contains(u"varying"_s));
    const bool textB = unboundedText.contains(baseB) ||
                       (lengthTypes.contains(baseB) && b.arguments.isEmpty() && baseB.contains(u"varying"_s));
    if (lengthTypes.contains(baseA) && !a.arguments.isEmpty()) {
        if (textB)
            return TypeChange::Widening;
        if (lengthTypes.contains(baseB) && !b.arguments.isEmpty() &&
            (baseA == baseB || (baseA.startsWith(u"var"_s) == baseB.startsWith(u"var"_s))))
            return b.arguments.first() >= a.arguments.first() ? TypeChange::Widening : TypeChange::Narrowing;
    }
    if (textA && lengthTypes.contains(baseB) && !b.arguments.isEmpty())
        return TypeChange::Narrowing;
    if (textA && textB)
        return unboundedText.indexOf(baseB) >= unboundedText.indexOf(baseA) ? TypeChange::Widening
                                                                            : TypeChange::Narrowing;
    if (integerRanks.contains(baseA) && integerRanks.contains(baseB) && a.arguments == b.arguments)
        return integerRanks.indexOf(baseB) >= integerRanks.indexOf(baseA) ? TypeChange::Widening
                                                                          : TypeChange::Narrowing;
    if (floatRanks.contains(baseA) && floatRanks.contains(baseB))
        return floatRanks.indexOf(baseB) >= floatRanks.indexOf(baseA) ? TypeChange::Widening
                                                                      : TypeChange::Narrowing;
    if ((baseA == "numeric"_L1 || baseA == "decimal"_L1) && baseA == baseB && a.arguments.size() == 2 &&
        b.arguments.size() == 2) {
        const bool fits = b.arguments[0] - b.arguments[1] >= a.arguments[0] - a.arguments[1] &&
                          b.arguments[1] >= a.arguments[1];
        return fits ? TypeChange::Widening : TypeChange::Narrowing;
    }
    if (integerRanks.contains(baseA) && (baseB == "numeric"_L1 || baseB == "decimal"_L1) &&
        b.arguments.isEmpty())
        return TypeChange::Widening;
    return TypeChange::Other;
}

// The shape a rename keeps: everything about a column but its name.
QString columnShape(const SchemaColumn &column)
{
    return SchemaDiff::describe(column);
}

QString tableShape(const SchemaTable &table)
{
    QStringList shapes;
    for (const SchemaColumn &column : table.columns)
        shapes.append(columnShape(column));
    return shapes.join(u"; "_s);
}

bool isConstantDefault(const QString &expression)
{
    static const QRegularExpression literal(
        u"^(?:'(?:[^']|'')*'|[-+]?[0-9]+(?:\\.[0-9]*)?(?:e[-+]?[0-9]+)?|true|false|null)$"_s);
    return literal.match(expression).hasMatch();
}

bool isBareDefault(const QString &expression)
{
    return isConstantDefault(expression) || expression == "current_timestamp"_L1 ||
           expression == "current_date"_L1 || expression == "current_time"_L1;
}

// Writes one direction.
class SectionWriter
{
public:
    SectionWriter(const SchemaSnapshot &from, const SchemaSnapshot &to, Backend backend)
        : m_from(from)
        , m_to(to)
        , m_backend(backend)
        , m_dialect(Dialect::forBackend(backend))
    {}

    QString sql() const { return m_sql; }
    QStringList notes() const { return m_notes; }

    void write()
    {
        for (const SchemaChange &change : SchemaDiff::compare(m_from, m_to)) {
            if (change.kind == Kind::DropTable)
                m_droppedTables.append(change.table);
            else if (change.kind == Kind::CreateTable)
                m_createdTables.append(change.table);
            else if (change.kind != Kind::CreateView && change.kind != Kind::DropView &&
                     !m_changedTables.contains(change.table))
                m_changedTables.append(change.table);
            m_changes.append(change);
        }
        for (const QString &name : std::as_const(m_changedTables)) {
            if (m_backend == Backend::SQLite && needsRebuild(*m_from.table(name), *m_to.table(name)))
                m_rebuiltTables.insert(name);
        }
        planViews();

        dropViews();
        // A rebuild drops the table's foreign keys with it, so it goes where they are dropped: before the
        // tables they may point at.
        for (const QString &name : std::as_const(m_changedTables)) {
            if (m_rebuiltTables.contains(name))
                rebuildTable(*m_from.table(name), *m_to.table(name));
            else
                dropConstraints(*m_from.table(name), *m_to.table(name));
        }
        dropTables();
        for (const QString &name : std::as_const(m_changedTables)) {
            if (!m_rebuiltTables.contains(name))
                alterColumns(*m_from.table(name), *m_to.table(name));
        }
        createTables();
        for (const QString &name : std::as_const(m_changedTables))
            addIndexesAndChecks(*m_from.table(name), *m_to.table(name));
        for (const QString &name : std::as_const(m_changedTables))
            addForeignKeys(*m_from.table(name), *m_to.table(name));
        for (const auto &[table, key] : std::as_const(m_deferredForeignKeys))
            statement(addForeignKeySql(table, key));
        createViews();
    }

private:
    // --- names and fragments

    QString q(const QString &name) const { return m_dialect.quoteIdentifierIfNeeded(name); }

    QString qualified(const QString &name) const
    {
        const qsizetype dot = name.indexOf(u'.');
        if (dot < 0 || m_from.table(name) || m_to.table(name))
            return q(name);
        return q(name.left(dot)) + u'.' + q(name.mid(dot + 1));
    }

    QString columnList(const QStringList &columns) const
    {
        QStringList quoted;
        for (const QString &column : columns)
            quoted.append(q(column));
        return quoted.join(u", "_s);
    }

    // Index entries are column names, "(expression)", "name desc" or MariaDB's prefix "name(10)".
    QString indexEntry(const QString &entry) const
    {
        static const QRegularExpression plain(u"^([^\\s()]+)((?:\\(\\d+\\))?(?: desc)?)$"_s);
        if (entry.startsWith(u'('))
            return entry;
        const QRegularExpressionMatch match = plain.match(entry);
        return match.hasMatch() ? q(match.captured(1)) + match.captured(2) : entry;
    }

    QString indexEntries(const QStringList &entries) const
    {
        QStringList written;
        for (const QString &entry : entries)
            written.append(indexEntry(entry));
        return written.join(u", "_s);
    }

    QString defaultSql(const QString &expression) const
    {
        if (m_backend == Backend::PostgreSQL || isBareDefault(expression))
            return expression;
        return u'(' + expression + u')'; // SQLite and MariaDB take other expressions in parentheses only
    }

    QString columnSql(const SchemaColumn &column, bool inlineAutoIncrementKey = false) const
    {
        QString type = column.type;
        QString generator;
        if (column.autoIncrement && m_backend == Backend::PostgreSQL) {
            static const QHash<QString, QString> serials = {{u"integer"_s, u"serial"_s},
                                                            {u"bigint"_s, u"bigserial"_s},
                                                            {u"smallint"_s, u"smallserial"_s}};
            if (serials.contains(type))
                type = serials.value(type);
            else
                generator = u" GENERATED BY DEFAULT AS IDENTITY"_s;
        }
        QString text = q(column.name) + u' ' + type + generator;
        if (!column.nullable)
            text += u" NOT NULL"_s;
        else if (m_backend == Backend::MySQL)
            text += u" NULL"_s; // a bare timestamp column is NOT NULL where explicit_defaults_for_timestamp
                                // is off
        if (column.defaultExpr && !(column.autoIncrement && m_backend == Backend::PostgreSQL))
            text += u" DEFAULT "_s + defaultSql(*column.defaultExpr);
        if (column.autoIncrement && m_backend == Backend::MySQL)
            text += u" AUTO_INCREMENT"_s;
        if (inlineAutoIncrementKey)
            text += u" PRIMARY KEY AUTOINCREMENT"_s;
        return text;
    }

    QString constraintPrefix(const QString &name) const
    {
        return name.isEmpty() ? QString() : u"CONSTRAINT "_s + q(name) + u' ';
    }

    QString foreignKeySql(const SchemaForeignKey &key) const
    {
        QString text = constraintPrefix(key.name) +
                       u"FOREIGN KEY (%1) REFERENCES %2 (%3)"_s.arg(columnList(key.columns),
                                                                    qualified(key.referencedTable),
                                                                    columnList(key.referencedColumns));
        if (key.onDelete != "no action"_L1)
            text += u" ON DELETE "_s + key.onDelete.toUpper();
        if (key.onUpdate != "no action"_L1)
            text += u" ON UPDATE "_s + key.onUpdate.toUpper();
        return text;
    }

    QString uniqueSql(const SchemaKey &key) const
    {
        return constraintPrefix(key.name) + u"UNIQUE ("_s + columnList(key.columns) + u')';
    }

    QString checkSql(const SchemaCheck &check) const
    {
        return constraintPrefix(check.name) + u"CHECK ("_s + check.expression + u')';
    }

    QString primaryKeySql(const SchemaKey &key) const
    {
        const QString name = m_backend == Backend::PostgreSQL ? key.name : QString();
        return constraintPrefix(name) + u"PRIMARY KEY ("_s + columnList(key.columns) + u')';
    }

    QString mariadbIndexKind(const SchemaIndex &index) const
    {
        if (index.method == "fulltext"_L1)
            return u"FULLTEXT "_s;
        if (index.method == "spatial"_L1 || index.method == "rtree"_L1)
            return u"SPATIAL "_s;
        return index.unique ? u"UNIQUE "_s : QString();
    }

    QString mariadbIndexUsing(const SchemaIndex &index) const
    {
        return index.method == "hash"_L1 || index.method == "btree"_L1 ? u" USING "_s + index.method.toUpper()
                                                                       : QString();
    }

    QString createIndexSql(const QString &table, const SchemaIndex &index) const
    {
        if (m_backend == Backend::MySQL) {
            return u"CREATE %1INDEX %2 ON %3 (%4)%5"_s.arg(mariadbIndexKind(index), q(index.name), q(table),
                                                           indexEntries(index.columns),
                                                           mariadbIndexUsing(index));
        }
        QString text = u"CREATE %1INDEX %2 ON %3"_s.arg(index.unique ? u"UNIQUE "_s : QString(),
                                                        q(index.name), q(table));
        if (!index.method.isEmpty() && m_backend == Backend::PostgreSQL)
            text += u" USING "_s + index.method;
        text += u" ("_s + indexEntries(index.columns) + u')';
        if (!index.where.isEmpty())
            text += u" WHERE "_s + index.where;
        return text;
    }

    QString dropIndexSql(const QString &table, const SchemaIndex &index) const
    {
        if (m_backend == Backend::MySQL)
            return u"DROP INDEX %1 ON %2"_s.arg(q(index.name), q(table));
        return u"DROP INDEX "_s + q(index.name);
    }

    QString addForeignKeySql(const QString &table, const SchemaForeignKey &key) const
    {
        return u"ALTER TABLE %1 ADD %2"_s.arg(q(table), foreignKeySql(key));
    }

    QString alterTable(const QString &table) const { return u"ALTER TABLE "_s + q(table) + u' '; }

    // A table's CREATE TABLE under the name `name` (new_X while SQLite rebuilds X), without the foreign
    // keys in skippedForeignKeys.
    QString createTableSql(const SchemaTable &table, const QString &name,
                           const QList<SchemaForeignKey> &skippedForeignKeys = {}) const
    {
        QStringList lines;
        const bool inlineKey = m_backend == Backend::SQLite && table.primaryKey.columns.size() == 1 &&
                               table.column(table.primaryKey.columns.first()) &&
                               table.column(table.primaryKey.columns.first())->autoIncrement;
        for (const SchemaColumn &column : table.columns)
            lines.append(columnSql(column, inlineKey && column.name == table.primaryKey.columns.first()));
        if (!table.primaryKey.isEmpty() && !inlineKey)
            lines.append(primaryKeySql(table.primaryKey));
        for (const SchemaKey &key : table.uniqueConstraints)
            lines.append(uniqueSql(key));
        if (m_backend == Backend::MySQL) {
            // Inline, so that a foreign key below finds its index and MariaDB makes none of its own.
            for (const SchemaIndex &index : table.indexes) {
                lines.append(u"%1KEY %2 (%3)%4"_s.arg(mariadbIndexKind(index), q(index.name),
                                                      indexEntries(index.columns), mariadbIndexUsing(index)));
            }
        }
        for (const SchemaForeignKey &key : table.foreignKeys) {
            if (!skippedForeignKeys.contains(key))
                lines.append(foreignKeySql(key));
        }
        for (const SchemaCheck &check : table.checks)
            lines.append(checkSql(check));
        return u"CREATE TABLE %1 (\n    %2\n)"_s.arg(q(name), lines.join(u",\n    "_s));
    }

    void createIndexesOf(const SchemaTable &table)
    {
        if (m_backend == Backend::MySQL)
            return; // written inside CREATE TABLE
        for (const SchemaIndex &index : table.indexes)
            statement(createIndexSql(table.name, index));
    }

    // --- output

    void statement(const QString &sql) { m_sql += sql + u";\n"_s; }
    void comment(const QString &text) { m_sql += u"-- qmigrate: "_s + text + u'\n'; }
    void review(const QString &note)
    {
        m_sql += u"-- qmigrate: review: "_s + note + u'\n';
        m_notes.append(note);
    }

    // --- planning

    bool columnIsUsed(const SchemaTable &table, const QString &column) const
    {
        if (table.primaryKey.columns.contains(column))
            return true;
        for (const SchemaKey &key : table.uniqueConstraints) {
            if (key.columns.contains(column))
                return true;
        }
        const QString lowered = column.toLower();
        for (const SchemaIndex &index : table.indexes) {
            for (const QString &entry : index.columns) {
                if (mentionedNames(entry).contains(lowered))
                    return true;
            }
            if (mentionedNames(index.where).contains(lowered))
                return true;
        }
        for (const SchemaForeignKey &key : table.foreignKeys) {
            if (key.columns.contains(column))
                return true;
        }
        for (const SchemaCheck &check : table.checks) {
            if (mentionedNames(check.expression).contains(lowered))
                return true;
        }
        // Foreign keys of other tables that point at it.
        for (const SchemaTable &other : m_from.tables) {
            for (const SchemaForeignKey &key : other.foreignKeys) {
                if (key.referencedTable == table.name && key.referencedColumns.contains(column))
                    return true;
            }
        }
        return false;
    }

    bool sqliteCanAdd(const SchemaColumn &column, const SchemaTable &to) const
    {
        if (to.primaryKey.columns.contains(column.name) || column.autoIncrement)
            return false;
        for (const SchemaKey &key : to.uniqueConstraints) {
            if (key.columns.contains(column.name))
                return false;
        }
        if (column.defaultExpr && !isConstantDefault(*column.defaultExpr))
            return false;
        return column.nullable || (column.defaultExpr && *column.defaultExpr != "null"_L1);
    }

    // SQLite alters a table in place only by ADD COLUMN, DROP COLUMN and its own indexes.
    bool needsRebuild(const SchemaTable &from, const SchemaTable &to) const
    {
        if (from.primaryKey != to.primaryKey || from.uniqueConstraints != to.uniqueConstraints ||
            from.foreignKeys != to.foreignKeys || from.checks != to.checks)
            return true;
        QStringList order;
        for (const SchemaColumn &column : from.columns) {
            const SchemaColumn *after = to.column(column.name);
            if (!after) {
                if (columnIsUsed(from, column.name))
                    return true;
                continue;
            }
            if (*after != column)
                return true;
            order.append(column.name);
        }
        for (const SchemaColumn &column : to.columns) {
            if (!from.column(column.name)) {
                if (!sqliteCanAdd(column, to))
                    return true;
                order.append(column.name);
            }
        }
        QStringList wanted;
        for (const SchemaColumn &column : to.columns)
            wanted.append(column.name);
        return order != wanted; // ADD COLUMN appends: another position needs the rebuild
    }

    // Views to drop (dependents first) and create (dependencies first): the changed ones and those that
    // read a table or view that goes away, is rebuilt or loses or retypes a column.
    void planViews()
    {
        QSet<QString> touched(m_droppedTables.cbegin(), m_droppedTables.cend());
        for (const QString &name : std::as_const(m_rebuiltTables))
            touched.insert(name);
        for (const SchemaChange &change : std::as_const(m_changes)) {
            if (change.kind == Kind::DropColumn || change.kind == Kind::AlterColumnType ||
                change.kind == Kind::DropView)
                touched.insert(change.table);
        }
        QSet<QString> lowered;
        for (const QString &name : std::as_const(touched))
            lowered.insert(name.toLower());
        QSet<QString> dropped;
        bool grew = true;
        while (grew) {
            grew = false;
            for (const SchemaView &view : m_from.views) {
                if (dropped.contains(view.name))
                    continue;
                if (touched.contains(view.name) || mentionedNames(view.definition).intersects(lowered)) {
                    dropped.insert(view.name);
                    lowered.insert(view.name.toLower());
                    grew = true;
                }
            }
        }
        const auto viewDependencies = [](const SchemaSnapshot &snapshot) {
            return [&snapshot](const QString &name) {
                QStringList names;
                const QSet<QString> mentioned = mentionedNames(snapshot.view(name)->definition);
                for (const SchemaView &other : snapshot.views) {
                    if (mentioned.contains(other.name.toLower()))
                        names.append(other.name);
                }
                return names;
            };
        };
        m_viewsToDrop =
            dependencyOrder(QStringList(dropped.cbegin(), dropped.cend()), viewDependencies(m_from));
        std::reverse(m_viewsToDrop.begin(), m_viewsToDrop.end());
        QStringList created;
        for (const SchemaView &view : m_to.views) {
            const SchemaView *before = m_from.view(view.name);
            if (!before || before->definition != view.definition || dropped.contains(view.name))
                created.append(view.name);
        }
        m_viewsToCreate = dependencyOrder(created, viewDependencies(m_to));
    }

    // --- phases

    void dropViews()
    {
        for (const QString &name : std::as_const(m_viewsToDrop))
            statement(u"DROP VIEW "_s + q(name));
    }

    void dropConstraints(const SchemaTable &from, const SchemaTable &to)
    {
        const QString table = from.name;
        for (const SchemaForeignKey &key : onlyInFirst(from.foreignKeys, to.foreignKeys)) {
            if (key.name.isEmpty()) {
                review(u"cannot drop the unnamed foreign key %1 of %2; drop it by hand"_s.arg(
                    SchemaDiff::describe(key), table));
                continue;
            }
            statement(alterTable(table) +
                      (m_backend == Backend::MySQL ? u"DROP FOREIGN KEY "_s : u"DROP CONSTRAINT "_s) +
                      q(key.name));
        }
        for (const SchemaCheck &check : onlyInFirst(from.checks, to.checks)) {
            if (check.name.isEmpty())
                review(u"cannot drop the unnamed check %1 of %2; drop it by hand"_s.arg(check.expression,
                                                                                        table));
            else
                statement(alterTable(table) + u"DROP CONSTRAINT "_s + q(check.name));
        }
        for (const SchemaKey &key : onlyInFirst(from.uniqueConstraints, to.uniqueConstraints)) {
            if (key.name.isEmpty())
                review(u"cannot drop the unnamed unique constraint %1 of %2; drop it by hand"_s.arg(
                    SchemaDiff::describe(key), table));
            else
                statement(alterTable(table) +
                          (m_backend == Backend::MySQL ? u"DROP INDEX "_s : u"DROP CONSTRAINT "_s) +
                          q(key.name));
        }
        for (const SchemaIndex &index : onlyInFirst(from.indexes, to.indexes))
            statement(dropIndexSql(table, index));
        if (from.primaryKey != to.primaryKey && !from.primaryKey.isEmpty()) {
            if (m_backend == Backend::MySQL)
                statement(alterTable(table) + u"DROP PRIMARY KEY"_s);
            else if (!from.primaryKey.name.isEmpty())
                statement(alterTable(table) + u"DROP CONSTRAINT "_s + q(from.primaryKey.name));
        }
    }

    void dropTables()
    {
        QStringList order = dependencyOrder(
            m_droppedTables, [this](const QString &name) { return referencedTables(*m_from.table(name)); });
        std::reverse(order.begin(), order.end());
        QSet<QString> gone;
        for (const QString &name : std::as_const(order)) {
            // A cycle: the tables still there that point here lose those keys first.
            if (m_backend != Backend::SQLite) {
                for (const QString &other : std::as_const(order)) {
                    if (other == name || gone.contains(other))
                        continue;
                    for (const SchemaForeignKey &key : m_from.table(other)->foreignKeys) {
                        if (key.referencedTable == name && !key.name.isEmpty()) {
                            statement(alterTable(other) +
                                      (m_backend == Backend::MySQL ? u"DROP FOREIGN KEY "_s
                                                                   : u"DROP CONSTRAINT "_s) +
                                      q(key.name));
                        }
                    }
                }
            }
            const SchemaTable &table = *m_from.table(name);
            const QString rename = renamedTable(table);
            if (!rename.isEmpty()) {
                review(u"possible rename of table %1 to %2: data would be lost; replace with a RENAME if so"_s
                           .arg(name, rename));
            } else {
                review(u"table %1 is dropped: data in %1 will be lost"_s.arg(name));
            }
            statement(u"DROP TABLE "_s + q(name));
            gone.insert(name);
        }
    }

    QString renamedTable(const SchemaTable &dropped) const
    {
        const QString shape = tableShape(dropped);
        for (const QString &name : m_createdTables) {
            if (!dropped.columns.isEmpty() && tableShape(*m_to.table(name)) == shape)
                return name;
        }
        return {};
    }

    QString renamedColumn(const SchemaTable &from, const SchemaTable &to, const SchemaColumn &dropped) const
    {
        for (const SchemaColumn &column : to.columns) {
            if (!from.column(column.name) && columnShape(column) == columnShape(dropped))
                return column.name;
        }
        return {};
    }

    void reviewDroppedColumn(const SchemaTable &from, const SchemaTable &to, const SchemaColumn &column)
    {
        const QString rename = renamedColumn(from, to, column);
        if (!rename.isEmpty()) {
            review(
                u"possible rename of column %1.%2 to %1.%3: data would be lost; replace with a RENAME if so"_s
                    .arg(from.name, column.name, rename));
        } else {
            review(u"column %1.%2 is dropped: data in %1.%2 will be lost"_s.arg(from.name, column.name));
        }
    }

    void reviewAddedColumn(const SchemaTable &to, const SchemaColumn &column)
    {
        if (!column.nullable && !column.defaultExpr && !column.autoIncrement) {
            review(u"column %1.%2 is added NOT NULL without a default: this fails when %1 has rows"_s.arg(
                to.name, column.name));
        }
    }

    void reviewAlteredColumn(const SchemaTable &table, const SchemaColumn &before, const SchemaColumn &after)
    {
        if (before.type != after.type) {
            switch (classifyTypeChange(before.type, after.type)) {
            case TypeChange::Widening:
                break;
            case TypeChange::Narrowing:
                review(
                    u"type of %1.%2 narrows from %3 to %4: values that do not fit will fail or be cut"_s.arg(
                        table.name, after.name, before.type, after.type));
                break;
            case TypeChange::Other:
                review(u"type of %1.%2 changes from %3 to %4: check that every existing value converts"_s.arg(
                    table.name, after.name, before.type, after.type));
                break;
            }
        }
        if (before.nullable && !after.nullable && !after.defaultExpr) {
            review(u"%1.%2 becomes NOT NULL without a default: existing NULLs will make this fail"_s.arg(
                table.name, after.name));
        }
    }

    void alterColumns(const SchemaTable &from, const SchemaTable &to)
    {
        const QString table = to.name;
        for (const SchemaColumn &column : from.columns) {
            if (to.column(column.name))
                continue;
            reviewDroppedColumn(from, to, column);
            statement(alterTable(table) + u"DROP COLUMN "_s + q(column.name));
        }
        QStringList order;
        for (const SchemaColumn &column : from.columns) {
            if (to.column(column.name))
                order.append(column.name);
        }
        for (qsizetype i = 0; i < to.columns.size(); ++i) {
            const SchemaColumn &column = to.columns.at(i);
            if (from.column(column.name))
                continue;
            reviewAddedColumn(to, column);
            QString position;
            if (m_backend == Backend::MySQL)
                position = i == 0 ? u" FIRST"_s : u" AFTER "_s + q(to.columns.at(i - 1).name);
            statement(alterTable(table) + u"ADD COLUMN "_s + columnSql(column) + position);
            order.append(column.name);
        }
        QStringList wanted;
        for (const SchemaColumn &column : to.columns)
            wanted.append(column.name);
        if (m_backend == Backend::PostgreSQL && order != wanted) {
            review(u"PostgreSQL adds columns at the end: %1 gets the column order (%2), not (%3)"_s.arg(
                table, order.join(u", "_s), wanted.join(u", "_s)));
        }
        for (const SchemaColumn &after : to.columns) {
            const SchemaColumn *before = from.column(after.name);
            if (!before || *before == after)
                continue;
            reviewAlteredColumn(to, *before, after);
            if (m_backend == Backend::MySQL)
                statement(alterTable(table) + u"MODIFY COLUMN "_s + columnSql(after));
            else
                alterPostgresqlColumn(table, *before, after);
        }
        if (from.primaryKey != to.primaryKey && !to.primaryKey.isEmpty())
            statement(alterTable(table) + u"ADD "_s + primaryKeySql(to.primaryKey));
        for (const SchemaKey &key : onlyInFirst(to.uniqueConstraints, from.uniqueConstraints))
            statement(alterTable(table) + u"ADD "_s + uniqueSql(key));
    }

    void alterPostgresqlColumn(const QString &table, const SchemaColumn &before, const SchemaColumn &after)
    {
        const QString column = alterTable(table) + u"ALTER COLUMN "_s + q(after.name) + u' ';
        if (before.autoIncrement != after.autoIncrement) {
            review(u"%1.%2 %3 a generator (serial or identity): write that change by hand"_s.arg(
                table, after.name, after.autoIncrement ? u"gets"_s : u"loses"_s));
        }
        const bool defaultChanges = before.defaultExpr != after.defaultExpr;
        const bool typeChanges = before.type != after.type;
        // A default of the old type may not cast to the new one: off before the type changes, on after.
        if (before.defaultExpr && !before.autoIncrement &&
            (typeChanges || (defaultChanges && !after.defaultExpr)))
            statement(column + u"DROP DEFAULT"_s);
        if (typeChanges)
            statement(column + u"TYPE "_s + after.type);
        if (before.nullable != after.nullable)
            statement(column + (after.nullable ? u"DROP NOT NULL"_s : u"SET NOT NULL"_s));
        if (after.defaultExpr && !after.autoIncrement &&
            (defaultChanges || (typeChanges && before.defaultExpr)))
            statement(column + u"SET DEFAULT "_s + *after.defaultExpr);
    }

    void rebuildTable(const SchemaTable &from, const SchemaTable &to)
    {
        const QString name = to.name;
        const QString temporary = u"new_"_s + name;
        comment(u"SQLite cannot make these changes to %1 in place: it is rebuilt as "
                u"https://www.sqlite.org/lang_altertable.html section 7 describes."_s.arg(name));
        comment(u"PRAGMA foreign_keys cannot change inside a transaction, so it stays as it is: with it on, "
                u"DROP TABLE %1 first deletes its rows, which fails or cascades when other tables point at "
                u"them. Run PRAGMA foreign_key_check afterwards."_s.arg(name));
        for (const SchemaColumn &column : from.columns) {
            if (!to.column(column.name))
                reviewDroppedColumn(from, to, column);
        }
        QStringList common;
        for (const SchemaColumn &column : to.columns) {
            const SchemaColumn *before = from.column(column.name);
            if (!before) {
                reviewAddedColumn(to, column);
                continue;
            }
            common.append(column.name);
            if (*before != column)
                reviewAlteredColumn(to, *before, column);
        }
        statement(createTableSql(to, temporary));
        if (!common.isEmpty()) {
            statement(
                u"INSERT INTO %1 (%2) SELECT %2 FROM %3"_s.arg(q(temporary), columnList(common), q(name)));
        }
        statement(u"DROP TABLE "_s + q(name));
        statement(u"ALTER TABLE %1 RENAME TO %2"_s.arg(q(temporary), q(name)));
        createIndexesOf(to);
    }

    void createTables()
    {
        const QStringList order = dependencyOrder(
            m_createdTables, [this](const QString &name) { return referencedTables(*m_to.table(name)); });
        QSet<QString> created;
        for (const QString &name : order) {
            const SchemaTable &table = *m_to.table(name);
            QList<SchemaForeignKey> deferred;
            if (m_backend != Backend::SQLite) { // SQLite checks a reference only when rows are written
                for (const SchemaForeignKey &key : table.foreignKeys) {
                    if (key.referencedTable != name && m_createdTables.contains(key.referencedTable) &&
                        !created.contains(key.referencedTable)) {
                        deferred.append(key);
                        m_deferredForeignKeys.append({name, key});
                    }
                }
            }
            statement(createTableSql(table, name, deferred));
            createIndexesOf(table);
            created.insert(name);
        }
    }

    void addIndexesAndChecks(const SchemaTable &from, const SchemaTable &to)
    {
        if (m_rebuiltTables.contains(to.name))
            return;
        for (const SchemaIndex &index : onlyInFirst(to.indexes, from.indexes))
            statement(createIndexSql(to.name, index));
        for (const SchemaCheck &check : onlyInFirst(to.checks, from.checks))
            statement(alterTable(to.name) + u"ADD "_s + checkSql(check));
    }

    void addForeignKeys(const SchemaTable &from, const SchemaTable &to)
    {
        if (m_rebuiltTables.contains(to.name))
            return;
        for (const SchemaForeignKey &key : onlyInFirst(to.foreignKeys, from.foreignKeys))
            statement(addForeignKeySql(to.name, key));
    }

    void createViews()
    {
        for (const QString &name : std::as_const(m_viewsToCreate))
            statement(u"CREATE VIEW %1 AS %2"_s.arg(q(name), m_to.view(name)->definition));
    }

    const SchemaSnapshot &m_from;
    const SchemaSnapshot &m_to;
    Backend m_backend;
    Dialect m_dialect;
    QList<SchemaChange> m_changes;
    QStringList m_droppedTables;
    QStringList m_createdTables;
    QStringList m_changedTables;
    QSet<QString> m_rebuiltTables;
    QStringList m_viewsToDrop;
    QStringList m_viewsToCreate;
    // Keys between new tables that a cycle keeps out of CREATE TABLE: (table, key), added after all tables.
    QList<std::pair<QString, SchemaForeignKey>> m_deferredForeignKeys;
    QString m_sql;
    QStringList m_notes;
};

} // namespace

Expected<MigrationDraft> DdlWriter::write(const SchemaSnapshot &from, const SchemaSnapshot &to,
                                          Backend backend)
{
    MigrationDraft draft;
    if (SchemaDiff::compare(from, to).isEmpty())
        return draft;
    SectionWriter upgrade(from, to, backend);
    upgrade.write();
    SectionWriter downgrade(to, from, backend);
    downgrade.write();
    draft.upgradeSql = upgrade.sql();
    draft.downgradeSql = downgrade.sql();
    for (const QString &note : upgrade.notes())
        draft.reviewNotes.append(u"upgrade: "_s + note);
    for (const QString &note : downgrade.notes())
        draft.reviewNotes.append(u"downgrade: "_s + note);

    const SqlStatementSplitter splitter(backend);
    for (const QString *section : {&draft.upgradeSql, &draft.downgradeSql}) {
        if (Expected<QList<SqlStatement>> statements = splitter.split(*section); !statements) {
            return EngineError(
                u"the drafted DDL does not split into statements: %1"_s.arg(statements.error().toString()));
        }
    }
    return draft;
}

} // namespace qmigrate
