// SPDX-License-Identifier: MIT
#include "scripts/revisiondoc.h"

#include "scripts/pythonrevisionparser.h"
#include "scripts/scriptchecksum.h"
#include "scripts/sqlrevisionparser.h"

namespace qmigrate {

Expected<QString> RevisionDoc::read(const Revision &revision)
{
    const Expected<QByteArray> content = ScriptChecksum::readUnchanged(revision);
    if (!content)
        return content.error();
    QString longDoc;
    // Without a resolver: the docstring is a literal, and fields only Python computes do not matter here.
    const Expected<Revision> parsed =
        revision.kind == Revision::Kind::Sql
            ? SqlRevisionParser::parse(revision.path, *content, nullptr, &longDoc)
            : PythonRevisionParser::parse(revision.path, *content, nullptr, nullptr, &longDoc);
    if (!parsed)
        return parsed.error();
    return longDoc;
}

} // namespace qmigrate
