// SPDX-License-Identifier: MIT
// QtSqlMessages: Qt SQL's own warnings leave stderr for the logging category qmigrate.qtsql; everything else
// reaches the handler that was installed before.

#include "database/qtsqlmessages.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

struct Delivered
{
    QtMsgType type;
    QString category;
    QString message;
};
QList<Delivered> delivered;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    delivered.append({type, QString::fromLatin1(context.category ? context.category : ""), message});
}

} // namespace

class TestQtSqlMessages : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qInstallMessageHandler(capture);
        QtSqlMessages::install();
    }

    void init() { delivered.clear(); }

    void qtSqlWarningsLeaveStderr()
    {
        // The real thing: a query on a connection that is not open.
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"closed"_s);
        {
            QSqlQuery query(db);
            QVERIFY(!query.exec(u"SELECT 1"_s));
        }
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"closed"_s);
        qWarning("QPSQL: Unable to create query");
        for (const Delivered &message : std::as_const(delivered))
            QVERIFY2(!message.message.startsWith(u"QSql"_s) && !message.message.startsWith(u"QPSQL"_s),
                     qPrintable(message.message));
    }

    void otherMessagesPassThrough()
    {
        qWarning("the database is at abc123");
        QCOMPARE(delivered.size(), 1);
        QCOMPARE(delivered.first().type, QtWarningMsg);
        QCOMPARE(delivered.first().message, u"the database is at abc123"_s);
    }

    void theCategoryShowsThemWhenAskedFor()
    {
        QLoggingCategory::setFilterRules(u"qmigrate.qtsql.debug=true"_s);
        qWarning("QSqlQuery::exec: database not open");
        QLoggingCategory::setFilterRules(QString());
        QCOMPARE(delivered.size(), 1);
        QCOMPARE(delivered.first().type, QtDebugMsg);
        QCOMPARE(delivered.first().category, u"qmigrate.qtsql"_s);
        QCOMPARE(delivered.first().message, u"QSqlQuery::exec: database not open"_s);
    }
};

QTEST_GUILESS_MAIN(TestQtSqlMessages)
#include "tst_qtsqlmessages.moc"
