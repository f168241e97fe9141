// SPDX-License-Identifier: MIT
#include "database/qtsqlmessages.h"

#include <QString>

using namespace Qt::StringLiterals;

namespace qmigrate {

Q_LOGGING_CATEGORY(lcQtSql, "qmigrate.qtsql", QtInfoMsg)

namespace {

QtMessageHandler previousHandler = nullptr;

void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type != QtFatalMsg && QtSqlMessages::isQtSqlMessage(context, message)) {
        if (lcQtSql().isDebugEnabled() && previousHandler) {
            const QMessageLogContext moved(context.file, context.line, context.function,
                                           lcQtSql().categoryName());
            previousHandler(QtDebugMsg, moved, message);
        }
        return;
    }
    if (previousHandler)
        previousHandler(type, context, message);
}

} // namespace

bool QtSqlMessages::isQtSqlMessage(const QMessageLogContext &context, const QString &message)
{
    const QLatin1StringView category(context.category ? context.category : "");
    if (category.startsWith("qt.sql"_L1))
        return true;
    // Qt 6.4's SQL module warns in the default category; its messages name their class or driver first.
    for (const auto prefix : {"QSqlQuery::"_L1, "QSqlDatabase"_L1, "QSqlResult"_L1, "QPSQL"_L1, "QMYSQL"_L1,
                              "QSQLITE"_L1, "QODBC"_L1})
        if (message.startsWith(prefix))
            return true;
    return false;
}

void QtSqlMessages::install()
{
    static bool installed = false;
    if (installed)
        return;
    installed = true;
    previousHandler = qInstallMessageHandler(handle);
}

} // namespace qmigrate
