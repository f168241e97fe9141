// SPDX-License-Identifier: MIT
#include "scripts/revisionsections.h"

#include "scripts/scriptchecksum.h"
#include "scripts/scripttext.h"
#include "scripts/sqlrevisionparser.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace qmigrate {

Expected<RevisionSections> RevisionSections::read(const Revision &revision)
{
    if (revision.kind != Revision::Kind::Sql)
        return RevisionSections();
    const Expected<QByteArray> content = ScriptText::readFile(revision.path);
    if (!content) {
        EngineError error = content.error();
        return error.setRevision(revision.id);
    }
    if (ScriptChecksum::checksumOfContent(*content) != revision.checksum) {
        return EngineError(u"Revision %1: %2 changed since the project was loaded: reload the project to use "
                           u"the new text"_s.arg(revision.id, QDir::toNativeSeparators(revision.path)),
                           revision.path, 0, revision.id, EngineError::Kind::Project);
    }
    return fromContent(revision, *content);
}

Expected<RevisionSections> RevisionSections::fromContent(const Revision &revision, const QByteArray &content)
{
    if (revision.kind != Revision::Kind::Sql)
        return RevisionSections();
    RevisionSections sections;
    Expected<Revision> parsed = SqlRevisionParser::parse(revision.path, content, &sections);
    if (!parsed)
        return parsed.error();
    return sections;
}

QString RevisionSections::readSql(const Revision &revision, bool upgrade)
{
    const Expected<RevisionSections> sections = read(revision);
    return sections ? sections->sql(upgrade) : QString();
}

} // namespace qmigrate
