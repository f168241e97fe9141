// SPDX-License-Identifier: MIT
#include "schema/schemasnapshot.h"

#include <QHash>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

QString columnList(const QStringList &columns)
{
    return u'(' + columns.join(u", "_s) + u')';
}

// "name " or "" for an unnamed constraint, to go between the kind and the column list.
QString namePart(const QString &name)
{
    return name.isEmpty() ? QString() : name + u' ';
}

QString columnFacts(const SchemaColumn &column)
{
    QString text = column.type;
    if (!column.nullable)
        text += u" not null"_s;
    if (column.defaultExpr)
        text += u" default "_s + *column.defaultExpr;
    if (column.autoIncrement)
        text += u" autoincrement"_s;
    return text;
}

QString columnText(const SchemaColumn &column)
{
    return u"column %1: %2"_s.arg(column.name, columnFacts(column));
}

QString keyText(const QString &kind, const SchemaKey &key)
{
    return kind + u' ' + namePart(key.name) + columnList(key.columns);
}

QString indexText(const SchemaIndex &index)
{
    QString text =
        (index.unique ? u"unique index "_s : u"index "_s) + namePart(index.name) + columnList(index.columns);
    if (!index.method.isEmpty())
        text += u" using "_s + index.method;
    if (!index.where.isEmpty())
        text += u" where "_s + index.where;
    return text;
}

QString foreignKeyText(const SchemaForeignKey &key)
{
    QString text = u"foreign key "_s + namePart(key.name) + columnList(key.columns) + u" references "_s +
                   key.referencedTable + u' ' + columnList(key.referencedColumns);
    // NO ACTION is every backend's default: leaving it out keeps the dump close to the DDL people write.
    if (key.onDelete != "no action"_L1)
        text += u" on delete "_s + key.onDelete;
    if (key.onUpdate != "no action"_L1)
        text += u" on update "_s + key.onUpdate;
    return text;
}

QString checkText(const SchemaCheck &check)
{
    return u"check "_s + namePart(check.name) + u'(' + check.expression + u')';
}

QString viewText(const SchemaView &view)
{
    return u"view %1: %2"_s.arg(view.name, view.definition);
}

// By name; unnamed items (SQLite's constraints) come first, ordered by what they say.
template<typename T, typename TextFn> void sortByNameThenText(QList<T> &list, TextFn text)
{
    std::sort(list.begin(), list.end(), [&text](const T &a, const T &b) {
        if (a.name != b.name)
            return a.name < b.name;
        return text(a) < text(b);
    });
}

// Differences of one constraint or index list: items are matched by name, or by their whole text when
// unnamed (so an unnamed item that changed shows as one only in this and one only in other).
template<typename T, typename TextFn>
void listDifferences(const QString &prefix, const QList<T> &mine, const QList<T> &theirs, TextFn text,
                     QStringList &out)
{
    const auto keyOf = [&text](const T &item) {
        return item.name.isEmpty() ? u'\x01' + text(item) : item.name;
    };
    QHash<QString, const T *> theirsByKey;
    for (const T &item : theirs)
        theirsByKey.insert(keyOf(item), &item);
    QSet<QString> seen;
    for (const T &item : mine) {
        const QString key = keyOf(item);
        seen.insert(key);
        const T *other = theirsByKey.value(key);
        if (!other)
            out.append(prefix + text(item) + u": only in this"_s);
        else if (!(*other == item))
            out.append(prefix + text(item) + u" vs "_s + text(*other));
    }
    for (const T &item : theirs) {
        if (!seen.contains(keyOf(item)))
            out.append(prefix + text(item) + u": only in other"_s);
    }
}

void columnDifferences(const QString &prefix, const SchemaTable &mine, const SchemaTable &theirs,
                       QStringList &out)
{
    QStringList commonMine;
    for (const SchemaColumn &column : mine.columns) {
        const SchemaColumn *other = theirs.column(column.name);
        const QString where = prefix + u"column "_s + column.name + u": "_s;
        if (!other) {
            out.append(where + columnFacts(column) + u": only in this"_s);
            continue;
        }
        commonMine.append(column.name);
        if (column.type != other->type)
            out.append(where + u"type %1 vs %2"_s.arg(column.type, other->type));
        if (column.nullable != other->nullable) {
            out.append(where + (column.nullable ? u"null vs not null"_s : u"not null vs null"_s));
        }
        if (column.defaultExpr != other->defaultExpr) {
            out.append(where + u"default %1 vs %2"_s.arg(column.defaultExpr.value_or(u"none"_s),
                                                         other->defaultExpr.value_or(u"none"_s)));
        }
        if (column.autoIncrement != other->autoIncrement) {
            out.append(where +
                       (column.autoIncrement ? u"autoincrement vs none"_s : u"none vs autoincrement"_s));
        }
    }
    QStringList commonTheirs;
    for (const SchemaColumn &column : theirs.columns) {
        if (mine.column(column.name))
            commonTheirs.append(column.name);
        else
            out.append(prefix + u"column "_s + column.name + u": "_s + columnFacts(column) +
                       u": only in other"_s);
    }
    // Columns present on both sides but in another order: the tables differ (SELECT * and INSERT without
    // a column list see the order), and only this line says why.
    if (commonMine != commonTheirs)
        out.append(prefix +
                   u"column order %1 vs %2"_s.arg(commonMine.join(u", "_s), commonTheirs.join(u", "_s)));
}

void tableDifferences(const SchemaTable &mine, const SchemaTable &theirs, QStringList &out)
{
    const QString prefix = u"table "_s + mine.name + u": "_s;
    columnDifferences(prefix, mine, theirs, out);
    if (mine.primaryKey != theirs.primaryKey) {
        const auto pk = [](const SchemaKey &key) {
            return key.isEmpty() ? u"primary key none"_s : keyText(u"primary key"_s, key);
        };
        out.append(prefix + pk(mine.primaryKey) + u" vs "_s + pk(theirs.primaryKey));
    }
    listDifferences(
        prefix, mine.uniqueConstraints, theirs.uniqueConstraints,
        [](const SchemaKey &key) { return keyText(u"unique"_s, key); }, out);
    listDifferences(prefix, mine.indexes, theirs.indexes, indexText, out);
    listDifferences(prefix, mine.foreignKeys, theirs.foreignKeys, foreignKeyText, out);
    listDifferences(prefix, mine.checks, theirs.checks, checkText, out);
}

} // namespace

const SchemaColumn *SchemaTable::column(const QString &columnName) const
{
    for (const SchemaColumn &candidate : columns) {
        if (candidate.name == columnName)
            return &candidate;
    }
    return nullptr;
}

const SchemaTable *SchemaSnapshot::table(const QString &name) const
{
    for (const SchemaTable &candidate : tables) {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

const SchemaView *SchemaSnapshot::view(const QString &name) const
{
    for (const SchemaView &candidate : views) {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

void SchemaSnapshot::sort()
{
    std::sort(tables.begin(), tables.end(),
              [](const SchemaTable &a, const SchemaTable &b) { return a.name < b.name; });
    std::sort(views.begin(), views.end(),
              [](const SchemaView &a, const SchemaView &b) { return a.name < b.name; });
    for (SchemaTable &table : tables) {
        sortByNameThenText(table.uniqueConstraints,
                           [](const SchemaKey &key) { return keyText(u"unique"_s, key); });
        sortByNameThenText(table.indexes, indexText);
        sortByNameThenText(table.foreignKeys, foreignKeyText);
        sortByNameThenText(table.checks, checkText);
    }
}

QString SchemaSnapshot::toText() const
{
    QString text;
    for (const SchemaTable &table : tables) {
        text += u"table "_s + table.name + u'\n';
        for (const SchemaColumn &column : table.columns)
            text += u"  "_s + columnText(column) + u'\n';
        if (!table.primaryKey.isEmpty())
            text += u"  "_s + keyText(u"primary key"_s, table.primaryKey) + u'\n';
        for (const SchemaKey &key : table.uniqueConstraints)
            text += u"  "_s + keyText(u"unique"_s, key) + u'\n';
        for (const SchemaIndex &index : table.indexes)
            text += u"  "_s + indexText(index) + u'\n';
        for (const SchemaForeignKey &key : table.foreignKeys)
            text += u"  "_s + foreignKeyText(key) + u'\n';
        for (const SchemaCheck &check : table.checks)
            text += u"  "_s + checkText(check) + u'\n';
    }
    for (const SchemaView &view : views)
        text += viewText(view) + u'\n';
    return text;
}

QStringList SchemaSnapshot::differences(const SchemaSnapshot &other) const
{
    QStringList out;
    for (const SchemaTable &mine : tables) {
        if (const SchemaTable *theirs = other.table(mine.name))
            tableDifferences(mine, *theirs, out);
        else
            out.append(u"table "_s + mine.name + u": only in this"_s);
    }
    for (const SchemaTable &theirs : other.tables) {
        if (!table(theirs.name))
            out.append(u"table "_s + theirs.name + u": only in other"_s);
    }
    for (const SchemaView &mine : views) {
        const SchemaView *theirs = other.view(mine.name);
        if (!theirs)
            out.append(u"view "_s + mine.name + u": only in this"_s);
        else if (mine.definition != theirs->definition)
            out.append(u"view %1: definition %2 vs %3"_s.arg(mine.name, mine.definition, theirs->definition));
    }
    for (const SchemaView &theirs : other.views) {
        if (!view(theirs.name))
            out.append(u"view "_s + theirs.name + u": only in other"_s);
    }
    // Lists compared equal but ordered differently cannot happen after sort(); a snapshot built by hand
    // without it may still differ only in order, which must not look equal here.
    if (out.isEmpty() && !(*this == other))
        out.append(u"the snapshots hold the same facts in another order (call sort() on both)"_s);
    return out;
}

} // namespace qmigrate
