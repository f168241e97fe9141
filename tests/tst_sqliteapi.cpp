// SPDX-License-Identifier: MIT
#include "database/databaseconnection.h"
#include "database/sqliteapi.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

// SqliteApi::execute() on the connection Qt's SQLite driver opened: every statement of a text runs, empty
// statements and comments between them included, and a failure stops the text where it failed.
class TstSqliteApi : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    static QStringList values(QSqlDatabase &db)
    {
        QSqlQuery query(db);
        QStringList found;
        if (query.exec(u"SELECT x FROM t ORDER BY x"_s)) {
            while (query.next())
                found.append(query.value(0).toString());
        }
        return found;
    }

private slots:
    void runsEveryStatementOfTheText()
    {
        QVERIFY(m_tmp.isValid());
        Expected<std::shared_ptr<DatabaseConnection>> connection = DatabaseConnection::open(
            *DatabaseUrl::parse(u"sqlite:///"_s + m_tmp.filePath(u"all.db"_s)), QString());
        QVERIFY(connection);
        QSqlDatabase &db = (*connection)->database();
        const SqliteApi *api = SqliteApi::instance();
        QVERIFY(api);
        sqlite3 *handle = SqliteApi::handle(db);
        QVERIFY(handle);

        QList<int> changes;
        const std::optional<QString> failed =
            api->execute(handle,
                         "CREATE TABLE t (x INTEGER);;\n; INSERT INTO t VALUES (1), (2); -- two\n;"
                         "SELECT x FROM t;\nUPDATE t SET x = x + 10 WHERE x = 2 -- last, no semicolon\n",
                         &changes);
        QVERIFY2(!failed, qPrintable(failed.value_or(QString())));
        QCOMPARE(changes.size(), 4);
        QCOMPARE(changes.at(1), 2);
        QCOMPARE(changes.at(3), 1);
        QCOMPARE(values(db), (QStringList{u"1"_s, u"12"_s}));

        changes.clear();
        int code = 0;
        const std::optional<QString> refused = api->execute(
            handle,
            "INSERT INTO t VALUES (3);\nINSERT INTO no_such_table VALUES (4);\nINSERT INTO t VALUES (5)",
            &changes, &code);
        QVERIFY(refused);
        QCOMPARE(*refused, u"no such table: no_such_table"_s);
        QCOMPARE(code, 1); // SQLITE_ERROR
        QCOMPARE(changes, QList<int>{1});
        QCOMPARE(values(db), (QStringList{u"1"_s, u"3"_s, u"12"_s}));
    }
};

QTEST_GUILESS_MAIN(TstSqliteApi)
#include "tst_sqliteapi.moc"
