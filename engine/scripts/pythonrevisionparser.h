// SPDX-License-Identifier: MIT
#pragma once

#include "core/engineerror.h"
#include "core/expected.h"
#include "scripts/revision.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace qmigrate {

class ModuleConstantResolver;

// Reads an Alembic .py revision without running Python: a small tokenizer for the module docstring and the
// module-level assignments revision / down_revision / branch_labels / depends_on (literals only: strings,
// None, tuples, lists, with or without annotations). A value only Python can compute is not guessed: the
// field is left empty and a warning naming the file, line and expression is added to warnings.
//
// With a resolver, a list field that is not a literal is first followed through module constants (the same
// file's, or a project module's; see ModuleConstantResolver): a value found there fills the field and is
// recorded in Revision::computedFields, with no warning. Otherwise the field is named in
// Revision::unresolvedFields.
class PythonRevisionParser
{
public:
    // With `longDoc`, the module docstring too, stripped (RevisionDoc::read).
    static Expected<Revision> parse(const QString &path, const QByteArray &content,
                                    QList<EngineError> *warnings, ModuleConstantResolver *resolver = nullptr,
                                    QString *longDoc = nullptr);
};

} // namespace qmigrate
