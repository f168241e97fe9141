#pragma once

#include "engineerror.h"
#include "expected.h"
#include "revision.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace qmigrate {

// Reads an Alembic .py revision without running Python: a small tokenizer for the module docstring and the
// module-level assignments revision / down_revision / branch_labels / depends_on (literals only: strings,
// None, tuples, lists, with or without annotations). A value only Python can compute is not guessed: the
// field is left empty and a warning naming the file, line and expression is added to warnings.
class PythonRevisionParser
{
public:
    static Expected<Revision> parse(const QString &path, const QByteArray &content,
                                    QList<EngineError> *warnings);
};

} // namespace qmigrate
