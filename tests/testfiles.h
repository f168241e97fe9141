// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

// Files for tests. No test writes into the repository: they work on copies.

// Copies the bundled example project (alembic.ini, script.sql.tmpl, schema.sql, versions/*.sql) into
// directory `to` (created if missing); its SQLite database then lands in the copy too.
bool copyExample(const QString &to);
// The file's bytes; empty when it cannot be read.
QByteArray readAll(const QString &path);
// Replaces the file's content; false when it cannot be written whole.
bool writeAll(const QString &path, const QByteArray &content);
