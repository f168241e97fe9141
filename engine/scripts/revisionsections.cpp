// SPDX-License-Identifier: MIT
#include "scripts/revisionsections.h"

#include "scripts/scriptchecksum.h"
#include "scripts/sqlrevisionparser.h"

namespace qmigrate {

Expected<RevisionSections> RevisionSections::read(const Revision &revision)
{
    if (revision.kind != Revision::Kind::Sql)
        return RevisionSections();
    const Expected<QByteArray> content = ScriptChecksum::readUnchanged(revision);
    if (!content)
        return content.error();
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
