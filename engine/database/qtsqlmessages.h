// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

namespace qmigrate {

Q_DECLARE_LOGGING_CATEGORY(lcQtSql)

// Qt SQL's own warnings ("QSqlQuery::exec: database not open", a driver's "Unable to create query") say
// in Qt's words what qmigrate already reports once, in its own, with the revision and the line. Installed
// at start, this handler moves them to the logging category "qmigrate.qtsql" (off by default; on with
// QT_LOGGING_RULES="qmigrate.qtsql.debug=true"), so stderr carries one message per failure. Every other
// message goes to the handler that was there before.
class QtSqlMessages
{
public:
    static void install();
    // Whether a message is one of Qt SQL's (for the handler, and for tests).
    static bool isQtSqlMessage(const QMessageLogContext &context, const QString &message);
};

} // namespace qmigrate
