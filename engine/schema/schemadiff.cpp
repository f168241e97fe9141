// SPDX-License-Identifier: MIT
#include "schema/schemadiff.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

using Kind = SchemaChange::Kind;

QString kindText(Kind kind)
{
    switch (kind) {
    case Kind::CreateTable:
        return u"create table"_s;
    case Kind::DropTable:
        return u"drop table"_s;
    case Kind::AddColumn:
        return u"add column"_s;
    case Kind::DropColumn:
        return u"drop column"_s;
    case Kind::AlterColumnType:
        return u"alter column type"_s;
    case Kind::AlterColumnNullability:
        return u"alter column nullability"_s;
    case Kind::AlterColumnDefault:
        return u"alter column default"_s;
    case Kind::AddIndex:
        return u"add index"_s;
    case Kind::DropIndex:
        return u"drop index"_s;
    case Kind::AddUnique:
        return u"add unique"_s;
    case Kind::DropUnique:
        return u"drop unique"_s;
    case Kind::AddForeignKey:
        return u"add foreign key"_s;
    case Kind::DropForeignKey:
        return u"drop foreign key"_s;
    case Kind::AddCheck:
        return u"add check"_s;
    case Kind::DropCheck:
        return u"drop check"_s;
    case Kind::CreateView:
        return u"create view"_s;
    case Kind::DropView:
        return u"drop view"_s;
    case Kind::AlterPrimaryKey:
        return u"alter primary key"_s;
    }
    return {};
}

QString defaultText(const SchemaColumn &column)
{
    if (column.autoIncrement)
        return u"autoincrement"_s;
    return column.defaultExpr ? u"default "_s + *column.defaultExpr : u"no default"_s;
}

// Adds a drop for every item only in `from` and an add for every item only in `to`, matched by value.
template<typename T>
void compareLists(QList<SchemaChange> &changes, const QString &table, const QList<T> &from,
                  const QList<T> &to, Kind drop, Kind add)
{
    const auto changeFor = [&](Kind kind, const T &item) {
        const QString text = SchemaDiff::describe(item);
        SchemaChange change{kind, table, item.name.isEmpty() ? text : item.name, {}, {}};
        (kind == drop ? change.before : change.after) = text;
        return change;
    };
    for (const T &item : from) {
        if (!to.contains(item))
            changes.append(changeFor(drop, item));
    }
    for (const T &item : to) {
        if (!from.contains(item))
            changes.append(changeFor(add, item));
    }
}

void compareTables(QList<SchemaChange> &changes, const SchemaTable &from, const SchemaTable &to)
{
    const QString &table = to.name;
    for (const SchemaColumn &column : from.columns) {
        if (!to.column(column.name))
            changes.append({Kind::DropColumn, table, column.name, SchemaDiff::describe(column), {}});
    }
    for (const SchemaColumn &column : to.columns) {
        if (!from.column(column.name))
            changes.append({Kind::AddColumn, table, column.name, {}, SchemaDiff::describe(column)});
    }
    for (const SchemaColumn &after : to.columns) {
        const SchemaColumn *before = from.column(after.name);
        if (!before)
            continue;
        if (before->type != after.type)
            changes.append({Kind::AlterColumnType, table, after.name, before->type, after.type});
        if (before->nullable != after.nullable) {
            changes.append({Kind::AlterColumnNullability, table, after.name,
                            before->nullable ? u"null"_s : u"not null"_s,
                            after.nullable ? u"null"_s : u"not null"_s});
        }
        if (before->defaultExpr != after.defaultExpr || before->autoIncrement != after.autoIncrement)
            changes.append(
                {Kind::AlterColumnDefault, table, after.name, defaultText(*before), defaultText(after)});
    }
    if (from.primaryKey.columns != to.primaryKey.columns || from.primaryKey.name != to.primaryKey.name) {
        changes.append({Kind::AlterPrimaryKey, table, QString(),
                        from.primaryKey.isEmpty() ? QString() : SchemaDiff::describe(from.primaryKey),
                        to.primaryKey.isEmpty() ? QString() : SchemaDiff::describe(to.primaryKey)});
    }
    compareLists(changes, table, from.uniqueConstraints, to.uniqueConstraints, Kind::DropUnique,
                 Kind::AddUnique);
    compareLists(changes, table, from.indexes, to.indexes, Kind::DropIndex, Kind::AddIndex);
    compareLists(changes, table, from.foreignKeys, to.foreignKeys, Kind::DropForeignKey, Kind::AddForeignKey);
    compareLists(changes, table, from.checks, to.checks, Kind::DropCheck, Kind::AddCheck);
}

QStringList sortedUnion(QStringList names)
{
    names.sort();
    names.removeDuplicates();
    return names;
}

} // namespace

QString SchemaChange::toString() const
{
    QString text = kindText(kind) + u' ' + table;
    if (!name.isEmpty())
        text += (kind == Kind::CreateView || kind == Kind::DropView ? u" "_s : u"."_s) + name;
    if (!before.isEmpty() && !after.isEmpty())
        text += u": "_s + before + u" -> "_s + after;
    else if (!before.isEmpty() || !after.isEmpty())
        text += u": "_s + before + after;
    return text;
}

QString SchemaDiff::describe(const SchemaColumn &column)
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

QString SchemaDiff::describe(const SchemaIndex &index)
{
    QString text = (index.unique ? u"unique ("_s : u"("_s) + index.columns.join(u", "_s) + u')';
    if (!index.method.isEmpty())
        text += u" using "_s + index.method;
    if (!index.where.isEmpty())
        text += u" where "_s + index.where;
    return text;
}

QString SchemaDiff::describe(const SchemaKey &key)
{
    return u'(' + key.columns.join(u", "_s) + u')';
}

QString SchemaDiff::describe(const SchemaForeignKey &key)
{
    QString text = u"(%1) references %2 (%3)"_s.arg(key.columns.join(u", "_s), key.referencedTable,
                                                    key.referencedColumns.join(u", "_s));
    if (key.onDelete != "no action"_L1)
        text += u" on delete "_s + key.onDelete;
    if (key.onUpdate != "no action"_L1)
        text += u" on update "_s + key.onUpdate;
    return text;
}

QString SchemaDiff::describe(const SchemaCheck &check)
{
    return u'(' + check.expression + u')';
}

QList<SchemaChange> SchemaDiff::compare(const SchemaSnapshot &from, const SchemaSnapshot &to)
{
    QList<SchemaChange> changes;
    QStringList tableNames;
    for (const SchemaTable &table : from.tables)
        tableNames.append(table.name);
    for (const SchemaTable &table : to.tables)
        tableNames.append(table.name);
    for (const QString &name : sortedUnion(tableNames)) {
        const SchemaTable *before = from.table(name);
        const SchemaTable *after = to.table(name);
        if (!after)
            changes.append({Kind::DropTable, name, QString(), QString(), QString()});
        else if (!before)
            changes.append({Kind::CreateTable, name, QString(), QString(), QString()});
        else
            compareTables(changes, *before, *after);
    }
    QStringList viewNames;
    for (const SchemaView &view : from.views)
        viewNames.append(view.name);
    for (const SchemaView &view : to.views)
        viewNames.append(view.name);
    for (const QString &name : sortedUnion(viewNames)) {
        const SchemaView *before = from.view(name);
        const SchemaView *after = to.view(name);
        if (before && after && before->definition == after->definition)
            continue;
        if (before)
            changes.append({Kind::DropView, name, QString(), before->definition, QString()});
        if (after)
            changes.append({Kind::CreateView, name, QString(), QString(), after->definition});
    }
    return changes;
}

} // namespace qmigrate
