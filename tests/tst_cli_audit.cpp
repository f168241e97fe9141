// SPDX-License-Identifier: MIT
// Runs the real qmigrate-cli's audit commands (log, check) and the history its migrations record, on a copy
// of the bundled example: SQLite throughout, PostgreSQL once.
#include "audit/audithistory.h"
#include "scripts/scriptchecksum.h"
#include "testservers.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "clirunner.h"

using namespace Qt::StringLiterals;
using qmigrate::AuditHistory;
using qmigrate::ScriptChecksum;

namespace {
// The example's upgrade order; `log` lists it newest first.
const QStringList upgradeOrder = {
    u"cf60bc0183a4"_s, u"83ca92fed024"_s, u"0169b51572d2"_s, u"575ce023861c"_s, u"6aa67ef48cab"_s,
    u"696e23fe439e"_s, u"bcddf3f8350c"_s, u"32863478822d"_s, u"2f2467916363"_s, u"9abc688b6311"_s,
};

// The JSON object a --json command printed; an empty object (and a failed check) when it is none.
QJsonObject jsonObject(const QString &out)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(out.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        qWarning().noquote() << "not a JSON object:" << error.errorString() << out;
        return {};
    }
    return document.object();
}

QStringList revisionsOf(const QJsonArray &array)
{
    QStringList ids;
    for (const QJsonValue &value : array)
        ids.append(value.toObject().value(u"revision"_s).toString());
    return ids;
}

QString userAtHost()
{
    const QString user = AuditHistory::currentOsUser();
    return user.isEmpty() ? AuditHistory::currentHost() : user + u'@' + AuditHistory::currentHost();
}

const QString logHeader = u"When (UTC)           Direction  Revision      Outcome  Duration  User@host"_s;

// One `log` row as the table prints it (durations below a second).
QRegularExpression logRow(const QString &direction, const QString &revision, const QString &outcome)
{
    return QRegularExpression(
        u"^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  %1  %2  %3  \\d{1,3} ms +%4$"_s.arg(
            direction.leftJustified(9), revision, outcome.leftJustified(7),
            QRegularExpression::escape(userAtHost())));
}

} // namespace

class TstCliAudit : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_project;
    QString m_url;

    CliResult cli(const QStringList &arguments, const QString &url = {})
    {
        return runCli(
            QStringList{u"-c"_s, m_project + u"/alembic.ini"_s, u"--url"_s, url.isEmpty() ? m_url : url} +
                arguments,
            m_tmp.path());
    }
    QString versionFile(const QString &id) const
    {
        const QDir versions(m_project + u"/versions"_s);
        const QStringList names = versions.entryList({id + u"_*.sql"_s}, QDir::Files);
        return names.isEmpty() ? QString() : versions.filePath(names.first());
    }

    // Checks a `log` table of a full upgrade of the example, newest first.
    static void verifyUpgradeLog(const QString &out)
    {
        const QStringList lines = out.split(u'\n');
        QCOMPARE(lines.size(), upgradeOrder.size() + 2); // header, rows, and the empty string after "\n"
        QCOMPARE(lines.first(), logHeader);
        QCOMPARE(lines.last(), QString());
        for (qsizetype i = 0; i < upgradeOrder.size(); ++i) {
            const QString &line = lines.at(i + 1);
            const QString revision = upgradeOrder.at(upgradeOrder.size() - 1 - i);
            QVERIFY2(logRow(u"upgrade"_s, revision, u"success"_s).match(line).hasMatch(), qPrintable(line));
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_project = m_tmp.filePath(u"project"_s);
        QVERIFY(copyExample(m_project));
        m_url = u"sqlite:///"_s + m_tmp.filePath(u"x.db"_s);
    }

    // Before any run: no history table, and check looks at the heads only.
    void beforeAnyRun()
    {
        CliResult result = cli({u"log"_s});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, u"No audit history yet: qmigrate_history does not exist on %1 (it is created by "
                             u"the first upgrade, downgrade or stamp).\n"_s.arg(m_url));
        result = cli({u"log"_s, u"--json"_s});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, u"[\n]\n"_s);
        result = cli({u"check"_s});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, u"No problems found.\n"_s);
        QCOMPARE(result.err, QString());
    }

    void upgradeThenLog()
    {
        CliResult result = cli({u"upgrade"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        result = cli({u"log"_s});
        QCOMPARE(result.exitCode, 0);
        verifyUpgradeLog(result.out);

        result = cli({u"log"_s, u"-r"_s, u"cf60bc0183a4"_s});
        QCOMPARE(result.exitCode, 0);
        QStringList lines = result.out.split(u'\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY2(logRow(u"upgrade"_s, u"cf60bc0183a4"_s, u"success"_s).match(lines.at(1)).hasMatch(),
                 qPrintable(result.out));

        result = cli({u"log"_s, u"-n"_s, u"2"_s});
        QCOMPARE(result.exitCode, 0);
        lines = result.out.split(u'\n');
        QCOMPARE(lines.size(), 4);
        QVERIFY2(logRow(u"upgrade"_s, u"9abc688b6311"_s, u"success"_s).match(lines.at(1)).hasMatch(),
                 qPrintable(result.out));
        QVERIFY2(logRow(u"upgrade"_s, u"2f2467916363"_s, u"success"_s).match(lines.at(2)).hasMatch(),
                 qPrintable(result.out));

        // A unique prefix names the same revision.
        const QString prefixOut = cli({u"log"_s, u"--revision"_s, u"cf60bc01"_s}).out;
        QCOMPARE(prefixOut, cli({u"log"_s, u"-r"_s, u"cf60bc0183a4"_s}).out);

        result = cli({u"log"_s, u"-r"_s, u"nosuch"_s});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, u"No audit history rows for revision nosuch.\n"_s);

        result = cli({u"log"_s, u"-n"_s, u"0"_s});
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(result.err, u"qmigrate-cli log: error: --limit needs a positive number, not '0'\nTry "
                             u"'qmigrate-cli log --help' for more information.\n"_s);
    }

    void logJson()
    {
        const CliResult result = cli({u"log"_s, u"--json"_s});
        QCOMPARE(result.exitCode, 0);
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(result.out.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonArray rows = document.array();
        QCOMPARE(rows.size(), upgradeOrder.size());
        qint64 previousId = std::numeric_limits<qint64>::max();
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QJsonObject row = rows.at(i).toObject();
            QStringList keys = row.keys();
            QCOMPARE(keys, (QStringList{u"checksum"_s, u"direction"_s, u"duration_ms"_s, u"error_text"_s,
                                        u"finished_at"_s, u"host"_s, u"id"_s, u"os_user"_s, u"outcome"_s,
                                        u"qmigrate_version"_s, u"revision"_s, u"started_at"_s}));
            const QString revision = upgradeOrder.at(upgradeOrder.size() - 1 - i);
            QCOMPARE(row.value(u"revision"_s).toString(), revision);
            QCOMPARE(row.value(u"direction"_s).toString(), u"upgrade"_s);
            QCOMPARE(row.value(u"outcome"_s).toString(), u"success"_s);
            QVERIFY(row.value(u"error_text"_s).isNull());
            QCOMPARE(row.value(u"os_user"_s).toString(), AuditHistory::currentOsUser());
            QCOMPARE(row.value(u"host"_s).toString(), AuditHistory::currentHost());
            const auto script = ScriptChecksum::readFile(versionFile(revision));
            QVERIFY(script);
            QCOMPARE(row.value(u"checksum"_s).toString(), script->checksum);
            const QDateTime started =
                QDateTime::fromString(row.value(u"started_at"_s).toString(), Qt::ISODateWithMs);
            const QDateTime finished =
                QDateTime::fromString(row.value(u"finished_at"_s).toString(), Qt::ISODateWithMs);
            QVERIFY(started.isValid() && finished >= started);
            QVERIFY(row.value(u"started_at"_s).toString().endsWith(u'Z'));
            QCOMPARE(row.value(u"duration_ms"_s).toInteger(), started.msecsTo(finished));
            const qint64 id = row.value(u"id"_s).toInteger();
            QVERIFY(id < previousId);
            previousId = id;
        }
    }

    // current --json: the version table's rows, the effective current revisions they imply (a row's
    // depends_on target too) and rows the project lacks.
    void currentJson()
    {
        CliResult result = cli({u"current"_s, u"--json"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QJsonObject object = jsonObject(result.out);
        QCOMPARE(object.keys(),
                 (QStringList{u"current"_s, u"rows"_s, u"unknown_rows"_s, u"url"_s, u"version_table"_s}));
        QCOMPARE(object.value(u"url"_s).toString(), m_url);
        QCOMPARE(object.value(u"version_table"_s).toString(), u"alembic_version"_s);
        QCOMPARE(object.value(u"unknown_rows"_s).toArray(), QJsonArray());
        const QJsonArray rows = object.value(u"rows"_s).toArray();
        QCOMPARE(revisionsOf(rows), QStringList{u"9abc688b6311"_s});
        const QJsonObject row = rows.at(0).toObject();
        QCOMPARE(row.keys(), (QStringList{u"branch_labels"_s, u"is_effective_head"_s, u"is_head"_s,
                                          u"known"_s, u"message"_s, u"revision"_s}));
        QVERIFY(row.value(u"known"_s).toBool());
        QVERIFY(row.value(u"is_head"_s).toBool());
        QCOMPARE(row.value(u"message"_s).toString(), u"add contact email to locations"_s);
        // The effective current revisions: the same fields, without "known" (they always are).
        QCOMPARE(object.value(u"current"_s).toArray().size(), 1);
        QJsonObject current = object.value(u"current"_s).toArray().at(0).toObject();
        QJsonObject rowWithoutKnown = row;
        rowWithoutKnown.remove(u"known"_s);
        QCOMPARE(current, rowWithoutKnown);

        // -v: every field of the revision, as history --json gives it (the text form's -v is the log entry).
        result = cli({u"current"_s, u"--json"_s, u"-v"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        object = jsonObject(result.out);
        current = object.value(u"current"_s).toArray().at(0).toObject();
        QCOMPARE(current.value(u"path"_s).toString(), versionFile(u"9abc688b6311"_s));
        QCOMPARE(current.value(u"down_revisions"_s).toArray(), QJsonArray{u"2f2467916363"_s});
        QVERIFY(current.value(u"doc"_s).toString().contains(u"Revision ID: 9abc688b6311"_s));
        const CliResult show = cli({u"show"_s, u"9abc688b6311"_s, u"--json"_s});
        QCOMPARE(show.exitCode, 0);
        const QJsonObject shown = QJsonDocument::fromJson(show.out.toUtf8()).array().at(0).toObject();
        QCOMPARE(current, shown);
        QCOMPARE(object.value(u"rows"_s).toArray().at(0).toObject().value(u"path"_s),
                 QJsonValue(versionFile(u"9abc688b6311"_s)));

        // One row, two effective current revisions: 696e23fe439e and the telemetry revision it depends on.
        const QString db = m_tmp.filePath(u"current.db"_s);
        const QString url = u"sqlite:///"_s + db;
        QCOMPARE(cli({u"stamp"_s, u"696e23fe439e"_s}, url).exitCode, 0);
        result = cli({u"current"_s, u"--json"_s}, url);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        object = jsonObject(result.out);
        QCOMPARE(revisionsOf(object.value(u"rows"_s).toArray()), QStringList{u"696e23fe439e"_s});
        const QJsonArray effective = object.value(u"current"_s).toArray();
        QCOMPARE(revisionsOf(effective), (QStringList{u"696e23fe439e"_s, u"575ce023861c"_s}));
        QCOMPARE(effective.at(1).toObject().value(u"branch_labels"_s).toArray(), QJsonArray{u"telemetry"_s});
        QVERIFY(!effective.at(1).toObject().value(u"is_head"_s).toBool());
        const CliResult text = cli({u"current"_s}, url);
        QCOMPARE(text.out, u"696e23fe439e\n575ce023861c\n"_s);

        // A row naming a revision these scripts lack: listed, and the exit status is current's (1).
        {
            QSqlDatabase conn = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"unknown-row"_s);
            conn.setDatabaseName(db);
            QVERIFY(conn.open());
            QSqlQuery query(conn);
            QVERIFY(query.exec(u"INSERT INTO alembic_version (version_num) VALUES ('0123456789ab')"_s));
            conn.close();
        }
        QSqlDatabase::removeDatabase(u"unknown-row"_s);
        result = cli({u"current"_s, u"--json"_s}, url);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(u"FAILED: Can't locate revision identified by '0123456789ab'"_s),
                 qPrintable(result.err));
        object = jsonObject(result.out);
        QCOMPARE(object.value(u"unknown_rows"_s).toArray(), QJsonArray{u"0123456789ab"_s});
        // In the version table's order, which SQL does not fix.
        const QJsonArray mixed = object.value(u"rows"_s).toArray();
        QStringList mixedIds = revisionsOf(mixed);
        const qsizetype unknownAt = mixedIds.indexOf(u"0123456789ab"_s);
        mixedIds.sort();
        QCOMPARE(mixedIds, (QStringList{u"0123456789ab"_s, u"696e23fe439e"_s}));
        QCOMPARE(mixed.at(unknownAt).toObject(),
                 (QJsonObject{{u"revision"_s, u"0123456789ab"_s}, {u"known"_s, false}}));
        QCOMPARE(revisionsOf(object.value(u"current"_s).toArray()),
                 (QStringList{u"696e23fe439e"_s, u"575ce023861c"_s}));

        // No version table: nothing applied, and nothing is created.
        result = cli({u"current"_s, u"--json"_s}, u"sqlite:///"_s + m_tmp.filePath(u"fresh.db"_s));
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        object = jsonObject(result.out);
        QCOMPARE(object.value(u"rows"_s).toArray(), QJsonArray());
        QCOMPARE(object.value(u"current"_s).toArray(), QJsonArray());
    }

    // An applied file edited after the run: check shows the diff and fails; undone, it passes again.
    // Line-end and trailing-whitespace changes are not edits.
    void checkChangedScript()
    {
        const QString path = versionFile(u"cf60bc0183a4"_s);
        const QByteArray original = readAll(path);
        QVERIFY(!original.isEmpty());

        const QString crlfPath = versionFile(u"0169b51572d2"_s);
        const QByteArray crlfOriginal = readAll(crlfPath);
        // Later tests need the files as they were, even when a check here fails.
        const auto restore = qScopeGuard([&] {
            writeAll(path, original);
            writeAll(crlfPath, crlfOriginal);
        });
        QByteArray crlf = crlfOriginal;
        crlf.replace("\r\n", "\n").replace("\n", "  \r\n");
        QVERIFY(writeAll(crlfPath, crlf));
        CliResult result = cli({u"check"_s});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, u"No problems found.\n"_s);

        QVERIFY(writeAll(path, original + "-- edited after it was applied\n"));
        result = cli({u"check"_s});
        QCOMPARE(result.exitCode, 1);
        QCOMPARE(result.err, u"FAILED: 1 problem found.\n"_s);
        const QString name = QFileInfo(path).fileName();
        const QRegularExpression header(
            u"^Revision cf60bc0183a4 changed since it was applied at \\d{4}-\\d\\d-\\d\\d "
            u"\\d\\d:\\d\\d:\\d\\d "
            u"UTC: %1\n--- a/%2\n\\+\\+\\+ b/%2\n@@ -\\d+,\\d+ \\+\\d+,\\d+ @@\n"_s.arg(
                QRegularExpression::escape(QDir::toNativeSeparators(path)),
                QRegularExpression::escape(name)));
        QVERIFY2(header.match(result.out).hasMatch(), qPrintable(result.out));
        QVERIFY2(result.out.endsWith(u"\n+-- edited after it was applied\n"_s), qPrintable(result.out));
        // "+++ b/…" and the added line; "--- a/…" and no removed line.
        QCOMPARE(result.out.count(u"\n+"_s), 2);
        QCOMPARE(result.out.count(u"\n-"_s), 1);

        QVERIFY(writeAll(path, original));
        QVERIFY(writeAll(crlfPath, crlfOriginal));
        result = cli({u"check"_s});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, u"No problems found.\n"_s);
    }

    // A second head (a new revision on cf60bc0183a4) must be merged.
    void checkSeveralHeads()
    {
        const QString path = m_project + u"/versions/aaaabbbbcccc_side.sql"_s;
        QVERIFY(writeAll(path, "-- side\n--\n-- Revision ID: aaaabbbbcccc\n-- Revises: cf60bc0183a4\n"
                               "-- Create Date: 2026-02-01 00:00:00\n\n-- migrate:upgrade\nSELECT 1;\n\n"
                               "-- migrate:downgrade\nSELECT 1;\n"));
        const CliResult result = cli({u"check"_s});
        QVERIFY(QFile::remove(path));
        QCOMPARE(result.exitCode, 1);
        const QRegularExpression expected(
            u"^Multiple heads: (9abc688b6311, aaaabbbbcccc|aaaabbbbcccc, 9abc688b6311)\\.\nMerge them into "
            u"one "
            u"\\(a merge revision whose Revises lists all of them\\) before upgrading to head\\.\n$"_s);
        QVERIFY2(expected.match(result.out).hasMatch(), qPrintable(result.out));
        QCOMPARE(result.err, u"FAILED: 1 problem found.\n"_s);
    }

    // check --json: {ok, problems}, each problem with its kind and details; the exit status is check's.
    void checkJson()
    {
        CliResult result = cli({u"check"_s, u"--json"_s});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(jsonObject(result.out), (QJsonObject{{u"ok"_s, true}, {u"problems"_s, QJsonArray()}}));
        QCOMPARE(result.err, QString());

        const QString path = versionFile(u"cf60bc0183a4"_s);
        const QByteArray original = readAll(path);
        QVERIFY(!original.isEmpty());
        const QString side = m_project + u"/versions/aaaabbbbcccc_side.sql"_s;
        const auto restore = qScopeGuard([&] {
            writeAll(path, original);
            QFile::remove(side);
        });
        QVERIFY(writeAll(path, original + "-- edited after it was applied\n"));
        QVERIFY(writeAll(side, "-- side\n--\n-- Revision ID: aaaabbbbcccc\n-- Revises: cf60bc0183a4\n"
                               "-- Create Date: 2026-02-01 00:00:00\n\n-- migrate:upgrade\nSELECT 1;\n\n"
                               "-- migrate:downgrade\nSELECT 1;\n"));
        result = cli({u"check"_s, u"--json"_s});
        QCOMPARE(result.exitCode, 1);
        QCOMPARE(result.err, u"FAILED: 2 problems found.\n"_s);
        const QJsonObject object = jsonObject(result.out);
        QCOMPARE(object.keys(), (QStringList{u"ok"_s, u"problems"_s}));
        QCOMPARE(object.value(u"ok"_s), QJsonValue(false));
        const QJsonArray problems = object.value(u"problems"_s).toArray();
        QCOMPARE(problems.size(), 2);

        const QJsonObject heads = problems.at(0).toObject();
        QCOMPARE(heads.keys(), (QStringList{u"heads"_s, u"kind"_s, u"message"_s}));
        QCOMPARE(heads.value(u"kind"_s).toString(), u"multiple-heads"_s);
        QStringList ids;
        for (const QJsonValue &id : heads.value(u"heads"_s).toArray())
            ids.append(id.toString());
        ids.sort();
        QCOMPARE(ids, (QStringList{u"9abc688b6311"_s, u"aaaabbbbcccc"_s}));
        QVERIFY(heads.value(u"message"_s).toString().startsWith(u"Multiple heads: "_s));

        const QJsonObject edited = problems.at(1).toObject();
        QCOMPARE(edited.keys(), (QStringList{u"applied_at"_s, u"diff"_s, u"kind"_s, u"message"_s, u"path"_s,
                                             u"revision"_s}));
        QCOMPARE(edited.value(u"kind"_s).toString(), u"edited-since-applied"_s);
        QCOMPARE(edited.value(u"revision"_s).toString(), u"cf60bc0183a4"_s);
        QCOMPARE(edited.value(u"path"_s).toString(), path);
        const QString appliedAt = edited.value(u"applied_at"_s).toString();
        QVERIFY2(appliedAt.endsWith(u'Z') && QDateTime::fromString(appliedAt, Qt::ISODateWithMs).isValid(),
                 qPrintable(appliedAt));
        const QString diff = edited.value(u"diff"_s).toString();
        QVERIFY2(diff.startsWith(u"--- a/%1\n+++ b/%1\n@@ "_s.arg(QFileInfo(path).fileName())),
                 qPrintable(diff));
        QVERIFY2(diff.endsWith(u"\n+-- edited after it was applied\n"_s), qPrintable(diff));
        // The text form says the same.
        result = cli({u"check"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.out.startsWith(heads.value(u"message"_s).toString()));
        QVERIFY(result.out.contains(diff));
    }

    // A failing upgrade leaves one failed row (the rolled-back steps leave none) with its error in `log`.
    void failureInLog()
    {
        const QString db = m_tmp.filePath(u"failing.db"_s);
        {
            QSqlDatabase conn = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"setup"_s);
            conn.setDatabaseName(db);
            QVERIFY(conn.open());
            QSqlQuery query(conn);
            QVERIFY(query.exec(u"CREATE TABLE devices (id INTEGER)"_s));
            conn.close();
        }
        QSqlDatabase::removeDatabase(u"setup"_s);
        const QString url = u"sqlite:///"_s + db;
        CliResult result = cli({u"upgrade"_s}, url);
        QCOMPARE(result.exitCode, 1);
        result = cli({u"log"_s}, url);
        QCOMPARE(result.exitCode, 0);
        const QStringList lines = result.out.split(u'\n');
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines.at(0), logHeader);
        QVERIFY2(logRow(u"upgrade"_s, u"83ca92fed024"_s, u"failed"_s).match(lines.at(1)).hasMatch(),
                 qPrintable(result.out));
        QCOMPARE(lines.at(2),
                 u"    %1:10: upgrade cf60bc0183a4 -> 83ca92fed024 failed at line 10 (CREATE "
                 u"TABLE devices ( ...): table devices already exists"_s.arg(versionFile(u"83ca92fed024"_s)));
        // No version table rows: check has nothing applied to compare.
        result = cli({u"check"_s}, url);
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, u"No problems found.\n"_s);
    }

    void connectionErrors()
    {
        for (const QString &command : {u"check"_s, u"log"_s}) {
            const CliResult result = cli({command}, u"postgresql://nobody@127.0.0.1:1/nodb"_s);
            QCOMPARE(result.exitCode, 1);
            QCOMPARE(result.out, QString());
            QVERIFY2(result.err.startsWith(u"FAILED: "_s) && result.err.contains(u"127.0.0.1"_s),
                     qPrintable(result.err));
        }
    }

    void helpMentionsTheModel()
    {
        const CliResult result = cli({u"check"_s, u"--help"_s});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains(u"schema.sql model"_s), qPrintable(result.out));
    }

    // check builds the schema at head and the schema.sql model on scratch databases and compares them.
    void checkAgainstTheModel()
    {
        const QString model = m_project + u"/schema.sql"_s;
        const QByteArray original = readAll(model);
        QVERIFY(!original.isEmpty());
        const QString url = u"sqlite:///"_s + m_tmp.filePath(u"model.db"_s);
        CliResult result = cli({u"check"_s}, url);
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, u"No problems found.\n"_s);

        QByteArray changed = original;
        changed.replace("    contact_email VARCHAR(254)\n",
                        "    contact_email VARCHAR(254),\n    phone VARCHAR(32)\n");
        QVERIFY(changed != original);
        QVERIFY(writeAll(model, changed));
        result = cli({u"check"_s}, url);
        QCOMPARE(result.exitCode, 1);
        QCOMPARE(result.out, u"The schema at head differs from %1 (head first, then the model):\n"
                             u"  table locations: column phone: varchar(32): only in other\n"_s.arg(
                                 QDir::toNativeSeparators(model)));
        QCOMPARE(result.err, u"FAILED: 1 problem found.\n"_s);

        // A model the backend refuses: a project error naming schema.sql and the statement's line.
        QVERIFY(writeAll(model, original + "\nCREATE TABLE broken (id INTEGER PRIMARY KEY,, x);\n"));
        const int line = int(original.count('\n')) + 2;
        result = cli({u"check"_s}, url);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.startsWith(
                     u"FAILED: %1:%2: schema.sql does not apply on sqlite: "_s.arg(model).arg(line)),
                 qPrintable(result.err));
        QVERIFY(writeAll(model, original));
    }

    void checkJsonSchemaDiffers()
    {
        const QString model = m_project + u"/schema.sql"_s;
        const QByteArray original = readAll(model);
        const auto restore = qScopeGuard([&] { writeAll(model, original); });
        QByteArray changed = original;
        changed.replace("    contact_email VARCHAR(254)\n",
                        "    contact_email VARCHAR(254),\n    phone VARCHAR(32)\n");
        QVERIFY(changed != original);
        QVERIFY(writeAll(model, changed));
        const CliResult result =
            cli({u"check"_s, u"--json"_s}, u"sqlite:///"_s + m_tmp.filePath(u"model-json.db"_s));
        QCOMPARE(result.exitCode, 1);
        const QJsonObject object = jsonObject(result.out);
        QCOMPARE(object.value(u"ok"_s), QJsonValue(false));
        const QJsonArray problems = object.value(u"problems"_s).toArray();
        QCOMPARE(problems.size(), 1);
        const QJsonObject differs = problems.at(0).toObject();
        QCOMPARE(differs.keys(), (QStringList{u"differences"_s, u"kind"_s, u"message"_s, u"model"_s}));
        QCOMPARE(differs.value(u"kind"_s).toString(), u"schema-differs"_s);
        QCOMPARE(differs.value(u"model"_s).toString(), model);
        QCOMPARE(differs.value(u"differences"_s).toArray(),
                 QJsonArray{u"table locations: column phone: varchar(32): only in other"_s});
    }

    void postgresqlLog()
    {
        const qmigrate::TestServer server =
            qmigrate::TestServers::freshDatabase(qmigrate::TestServers::postgresql(), u"cli_audit"_s);
        QMIGRATE_REQUIRE_SERVER(server);
        const QString url = server.url().toUrlStringWithPassword();
        CliResult result = cli({u"upgrade"_s}, url);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        result = cli({u"log"_s}, url);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        verifyUpgradeLog(result.out);
        // check compared schema.sql with the head on two scratch databases of the server, and dropped them.
        result = cli({u"check"_s}, url);
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, u"No problems found.\n"_s);
        QString error;
        QSqlDatabase db = qmigrate::TestServers::open(server, qmigrate::TestServers::Transport::Tcp, &error);
        QVERIFY2(db.isOpen(), qPrintable(error));
        {
            QSqlQuery query(db);
            QVERIFY(
                query.exec(u"SELECT count(*) FROM pg_database WHERE datname LIKE 'qmigrate_scratch_%'"_s));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toInt(), 0);
        }
        qmigrate::TestServers::close(db);
    }
};

QTEST_GUILESS_MAIN(TstCliAudit)
#include "tst_cli_audit.moc"
