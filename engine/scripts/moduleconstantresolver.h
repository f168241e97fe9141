// SPDX-License-Identifier: MIT
#pragma once

#include "scripts/pythonliteralparser.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace qmigrate {

// Follows module-level names to the literals behind them without running Python, for the revision fields a
// plain literal does not give: `branch_labels = _labels` (a name bound earlier in the same file),
// `depends_on = tuple(_deps)`, `branch_labels = (cli.EXPAND_BRANCH,)` with `from myproj.db.migration import
// cli`, `from .constants import EXPAND`, `import constants`. Modules are looked up as files of the project
// tree (see searchRoots()) and read with the same tokenizer as revisions.
//
// Only strings, None and tuples / lists of strings count, bound once at module level and never rebound,
// augmented or mutated anywhere in their file: a value that depends on anything else is not guessed, and
// stays for the project's Alembic to compute.
class ModuleConstantResolver
{
public:
    // Its origins name where the literals came from, "file:line" with the file relative to the project (see
    // displayPath()).
    using Constant = PythonLiteralParser::Value;

    // projectRoot: the folder of alembic.ini; scriptLocation: the project's script location. Either may be
    // empty (a bare versions folder): then the revision's own folder and the packages around it are searched.
    explicit ModuleConstantResolver(const QString &projectRoot = {}, const QString &scriptLocation = {});
    ~ModuleConstantResolver();
    ModuleConstantResolver(const ModuleConstantResolver &) = delete;
    ModuleConstantResolver &operator=(const ModuleConstantResolver &) = delete;

    // The value of the module-level `name` of the module at `path`, whose (decoded) text is `text`.
    std::optional<Constant> resolve(const QString &path, const QString &text, const QString &name);

    // Where `import a.b` is looked for, for a module at `modulePath`: its folder and the folders above it up
    // to the project root, the script location, the project root, then the folders above the project root as
    // long as the folder left is a package (has an __init__.py), so that `from myproj.db.migration import
    // cli` is found with alembic.ini inside myproj/db/migration/.
    QStringList searchRoots(const QString &modulePath) const;

    // `path` relative to the project root, or, when the project root is inside a package, to the folder that
    // holds the outermost package (as the module's import names it); else as given.
    QString displayPath(const QString &path) const;

private:
    struct Module;
    struct Binding;
    class Evaluator;

    const Module *module(const QString &path, const QString *text = nullptr);
    std::optional<Constant> valueOf(const Module &module, const QString &name, int beforeLine, int depth);
    // A module (file or package folder) the dotted name leads to from `module`: `level` leading dots (0 for
    // an absolute import).
    const Module *findModule(const Module &from, int level, const QString &dotted);
    const Module *submodule(const Module &package, const QString &name);
    const Module *submoduleIn(const QString &folder, const QString &name);
    // The module a name or attribute chain denotes, or nullptr.
    const Module *moduleOf(const Module &module, const QStringList &chain, int beforeLine, int depth);

    QString m_projectRoot;
    QString m_scriptLocation;
    QHash<QString, std::shared_ptr<Module>> m_modules; // by absolute path; null: unreadable
};

} // namespace qmigrate
