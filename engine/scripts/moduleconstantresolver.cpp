// SPDX-License-Identifier: MIT
#include "scripts/moduleconstantresolver.h"

#include "scripts/pythontokenizer.h"
#include "scripts/scripttext.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <climits>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

using Type = PythonToken::Type;

// Deep enough for constants that name constants of other modules; a cycle of imports stops here too.
constexpr int maxDepth = 16;

bool isOp(QStringView source, const PythonToken &token, QStringView op)
{
    return token.type == Type::Op && token.text(source) == op;
}

bool isName(QStringView source, const PythonToken &token, QStringView name)
{
    return token.type == Type::Name && token.text(source) == name;
}

bool isOpening(QStringView source, const PythonToken &token)
{
    return token.type == Type::Op && token.end - token.start == 1 &&
           QStringView(u"([{").contains(source.at(token.start));
}

bool isClosing(QStringView source, const PythonToken &token)
{
    return token.type == Type::Op && token.end - token.start == 1 &&
           QStringView(u")]}").contains(source.at(token.start));
}

// "+=", "|=", ...: not "==", "<=", ">=", "!=" (comparisons) nor ":=" (handled apart).
bool isAugmentedAssignment(QStringView source, const PythonToken &token)
{
    if (token.type != Type::Op)
        return false;
    const QStringView text = token.text(source);
    return (text.size() == 2 || text.size() == 3) && text.endsWith(u'=') && text != u"==" && text != u"<=" &&
           text != u">=" && text != u"!=" && text != u":=";
}

} // namespace

struct ModuleConstantResolver::Binding
{
    enum class Kind { Expression, ModuleImport, FromImport, Other };
    Kind kind = Kind::Other;
    int line = 0;
    int count = 0;                // module-level definitions of the name: only one is followed
    qsizetype begin = 0, end = 0; // Expression: its tokens in Module::tokens
    QString dotted;               // ModuleImport: the module; FromImport: the module imported from
    int level = 0;                // FromImport: leading dots
    QString imported;             // FromImport: the name imported
};

struct ModuleConstantResolver::Module
{
    QString path;       // the file; empty for a namespace package (a folder without __init__.py)
    QString packageDir; // packages: the folder submodules are looked up in
    QString text;
    QList<PythonToken> tokens;
    QHash<QString, Binding> bindings;
    QSet<QString> rebound;      // assigned, augmented, deleted, declared global... outside its definition
    QSet<QString> attributeUse; // `name.x` somewhere: a list behind it may be mutated (append, extend, ...)
    bool starImport = false;    // `from x import *` can bind any name

    void define(const QString &name, Binding binding)
    {
        auto it = bindings.find(name);
        if (it == bindings.end()) {
            binding.count = 1;
            bindings.insert(name, std::move(binding));
        } else {
            ++it->count;
        }
    }

    void read();

private:
    void statement(qsizetype begin, qsizetype end, bool topLevel);
    void importStatement(qsizetype begin, qsizetype end, bool topLevel);
    void fromStatement(qsizetype begin, qsizetype end, bool topLevel);
    void bind(const QString &name, Binding binding, bool topLevel)
    {
        if (topLevel)
            define(name, std::move(binding));
        else
            rebound.insert(name);
    }
    QString dottedName(qsizetype *pos, qsizetype end) const;
};

QString ModuleConstantResolver::Module::dottedName(qsizetype *pos, qsizetype end) const
{
    QString name;
    while (*pos < end && tokens.at(*pos).type == Type::Name) {
        name += tokens.at(*pos).text(text);
        ++*pos;
        if (*pos < end && isOp(text, tokens.at(*pos), u".")) {
            name += u'.';
            ++*pos;
        } else {
            break;
        }
    }
    return name;
}

void ModuleConstantResolver::Module::importStatement(qsizetype begin, qsizetype end, bool topLevel)
{
    qsizetype pos = begin + 1;
    while (pos < end) {
        const QString dotted = dottedName(&pos, end);
        if (dotted.isEmpty())
            return;
        Binding binding;
        binding.kind = Binding::Kind::ModuleImport;
        binding.line = tokens.at(begin).line;
        if (pos + 1 < end && isName(text, tokens.at(pos), u"as")) {
            binding.dotted = dotted;
            bind(tokens.at(pos + 1).text(text).toString(), std::move(binding), topLevel);
            pos += 2;
        } else {
            // `import a.b.c` binds `a`; `a.b.c` is then an attribute chain through the packages.
            const QString top = dotted.section(u'.', 0, 0);
            binding.dotted = top;
            bind(top, std::move(binding), topLevel);
        }
        if (pos < end && isOp(text, tokens.at(pos), u","))
            ++pos;
        else
            return;
    }
}

void ModuleConstantResolver::Module::fromStatement(qsizetype begin, qsizetype end, bool topLevel)
{
    qsizetype pos = begin + 1;
    int level = 0;
    while (pos < end && tokens.at(pos).type == Type::Op &&
           tokens.at(pos).text(text).count(u'.') == tokens.at(pos).end - tokens.at(pos).start) {
        level += int(tokens.at(pos).end - tokens.at(pos).start);
        ++pos;
    }
    const QString dotted = dottedName(&pos, end);
    if (pos >= end || !isName(text, tokens.at(pos), u"import"))
        return;
    ++pos;
    while (pos < end) {
        const PythonToken &token = tokens.at(pos);
        if (isOp(text, token, u"*")) {
            starImport = true;
            return;
        }
        if (isOp(text, token, u"(") || isOp(text, token, u")") || isOp(text, token, u",")) {
            ++pos;
            continue;
        }
        if (token.type != Type::Name)
            return;
        Binding binding;
        binding.kind = Binding::Kind::FromImport;
        binding.line = token.line;
        binding.dotted = dotted;
        binding.level = level;
        binding.imported = token.text(text).toString();
        QString boundName = binding.imported;
        ++pos;
        if (pos + 1 < end && isName(text, tokens.at(pos), u"as")) {
            boundName = tokens.at(pos + 1).text(text).toString();
            pos += 2;
        }
        bind(boundName, std::move(binding), topLevel);
    }
}

void ModuleConstantResolver::Module::statement(qsizetype begin, qsizetype end, bool topLevel)
{
    if (begin >= end)
        return;
    const PythonToken &first = tokens.at(begin);
    const QStringView keyword = first.type == Type::Name ? first.text(text) : QStringView();
    if (keyword == u"import")
        return importStatement(begin, end, topLevel);
    if (keyword == u"from")
        return fromStatement(begin, end, topLevel);

    // Where plain "=" and augmented assignments stand at depth 0: names before the last of them are stored.
    qsizetype lastAssignment = -1;
    int plainAssignments = 0;
    int depth = 0;
    for (qsizetype i = begin; i < end; ++i) {
        const PythonToken &token = tokens.at(i);
        if (isOpening(text, token))
            ++depth;
        else if (isClosing(text, token))
            --depth;
        else if (depth == 0 && isOp(text, token, u"=")) {
            lastAssignment = i;
            ++plainAssignments;
        } else if (depth == 0 && isAugmentedAssignment(text, token)) {
            lastAssignment = i;
            plainAssignments += 2; // never a plain definition
        }
    }

    // `NAME = value` or `NAME: annotation = value` at module level: the one definition a constant may have.
    qsizetype definitionToken = -1;
    if (topLevel && plainAssignments == 1 && first.type == Type::Name && begin + 1 < end &&
        (tokens.at(begin + 1).type == Type::Op &&
         (tokens.at(begin + 1).text(text) == u"=" || tokens.at(begin + 1).text(text) == u":"))) {
        definitionToken = begin;
        Binding binding;
        binding.kind = Binding::Kind::Expression;
        binding.line = first.line;
        binding.begin = lastAssignment + 1;
        binding.end = end;
        define(first.text(text).toString(), std::move(binding));
    }

    const bool declaration = keyword == u"global" || keyword == u"nonlocal" || keyword == u"del";
    bool inForTarget = false;
    for (qsizetype i = begin; i < end; ++i) {
        const PythonToken &token = tokens.at(i);
        if (token.type != Type::Name)
            continue;
        const QStringView name = token.text(text);
        if (name == u"for") {
            inForTarget = true;
            continue;
        }
        if (name == u"in") {
            inForTarget = false;
            continue;
        }
        if (i == definitionToken)
            continue;
        if (i > begin && isOp(text, tokens.at(i - 1), u"."))
            continue; // an attribute, not a variable
        const bool afterAnnotationColon =
            definitionToken >= 0 && i > definitionToken && i < lastAssignment; // the annotation's names
        if (afterAnnotationColon)
            continue;
        const PythonToken *next = i + 1 < end ? &tokens.at(i + 1) : nullptr;
        const PythonToken *previous = i > begin ? &tokens.at(i - 1) : nullptr;
        if ((name == u"def" || name == u"class") && next && next->type == Type::Name) {
            Binding binding;
            binding.line = token.line;
            bind(next->text(text).toString(), std::move(binding), topLevel && i == begin);
            ++i;
            continue;
        }
        const bool stored = declaration || inForTarget || i < lastAssignment ||
                            (previous && isName(text, *previous, u"as")) ||
                            (next && isOp(text, *next, u":="));
        if (stored)
            rebound.insert(name.toString());
        if (next && isOp(text, *next, u"."))
            attributeUse.insert(name.toString());
    }
}

void ModuleConstantResolver::Module::read()
{
    PythonTokenizer tokenizer(text);
    QList<PythonToken> line;
    while (tokenizer.next(&line)) {
        const qsizetype offset = tokens.size();
        tokens.append(line);
        const bool topLevel = line.first().column == 0;
        qsizetype begin = offset;
        int depth = 0;
        for (qsizetype i = offset; i < tokens.size(); ++i) {
            const PythonToken &token = tokens.at(i);
            if (isOpening(text, token))
                ++depth;
            else if (isClosing(text, token))
                --depth;
            else if (depth == 0 && (isOp(text, token, u";"))) {
                statement(begin, i, topLevel);
                begin = i + 1;
            }
        }
        statement(begin, tokens.size(), topLevel);
    }
    if (tokenizer.hasError()) {
        // Half a module could hide a later rebinding: nothing in it is followed.
        bindings.clear();
        tokens.clear();
    }
}

// The literals PythonLiteralParser reads, plus names, attribute chains and tuple(...) / list(...) of them.
class ModuleConstantResolver::Evaluator : public PythonLiteralParser
{
public:
    Evaluator(ModuleConstantResolver *resolver, const Module &module, qsizetype begin, qsizetype end,
              int line, int depth)
        : PythonLiteralParser(module.text, module.tokens, begin, end)
        , m_resolver(resolver)
        , m_module(module)
        , m_line(line)
        , m_depth(depth)
    {}

protected:
    std::optional<Value> parseName() override
    {
        const QStringView name = m_tokens.at(m_pos).text(m_source);
        if ((name == u"tuple" || name == u"list") && !m_module.bindings.contains(name.toString()) &&
            !m_module.starImport && atOp(u'(', 1)) {
            ++m_pos;
            // tuple("ab") is ('a', 'b'): only a sequence converts to the sequence it names.
            std::optional<Value> inner = parseBracket();
            if (!inner || inner->kind != Value::Kind::Sequence)
                return std::nullopt;
            return inner;
        }
        QStringList chain{name.toString()};
        ++m_pos;
        while (m_pos + 1 < m_end && atOp(u'.') && m_tokens.at(m_pos + 1).type == Type::Name) {
            chain.append(m_tokens.at(m_pos + 1).text(m_source).toString());
            m_pos += 2;
        }
        if (chain.size() == 1)
            return m_resolver->valueOf(m_module, chain.first(), m_line, m_depth + 1);
        const QString attribute = chain.takeLast();
        const Module *target = m_resolver->moduleOf(m_module, chain, m_line, m_depth + 1);
        if (!target)
            return std::nullopt;
        return m_resolver->valueOf(*target, attribute, INT_MAX, m_depth + 1);
    }

private:
    ModuleConstantResolver *m_resolver;
    const Module &m_module;
    int m_line;
    int m_depth;
};

ModuleConstantResolver::ModuleConstantResolver(const QString &projectRoot, const QString &scriptLocation)
    : m_projectRoot(projectRoot.isEmpty() ? QString()
                                          : QDir::cleanPath(QFileInfo(projectRoot).absoluteFilePath()))
    , m_scriptLocation(scriptLocation.isEmpty()
                           ? QString()
                           : QDir::cleanPath(QFileInfo(scriptLocation).absoluteFilePath()))
{}

ModuleConstantResolver::~ModuleConstantResolver() = default;

std::optional<ModuleConstantResolver::Constant>
ModuleConstantResolver::resolve(const QString &path, const QString &text, const QString &name)
{
    const Module *revision = module(path, &text);
    if (!revision)
        return std::nullopt;
    const Binding binding = revision->bindings.value(name);
    if (binding.kind != Binding::Kind::Expression || binding.count != 1 || revision->rebound.contains(name))
        return std::nullopt;
    // The field's own line is not where its value comes from: the names it follows are.
    std::optional<Constant> value =
        Evaluator(this, *revision, binding.begin, binding.end, binding.line, 0).parse();
    if (!value)
        return std::nullopt;
    value->origins.removeDuplicates();
    if (value->origins.isEmpty()) // tuple([...]) of literals: the field's own line
        value->origins.append(u"%1:%2"_s.arg(displayPath(revision->path)).arg(binding.line));
    return value;
}

std::optional<ModuleConstantResolver::Constant>
ModuleConstantResolver::valueOf(const Module &module, const QString &name, int beforeLine, int depth)
{
    if (depth > maxDepth || module.starImport)
        return std::nullopt;
    const auto it = module.bindings.constFind(name);
    if (it == module.bindings.cend() || it->count != 1 || module.rebound.contains(name) ||
        it->line >= beforeLine)
        return std::nullopt;
    const Binding &binding = *it;
    if (binding.kind == Binding::Kind::FromImport) {
        const Module *source = findModule(module, binding.level, binding.dotted);
        if (!source)
            return std::nullopt;
        return valueOf(*source, binding.imported, INT_MAX, depth + 1);
    }
    if (binding.kind != Binding::Kind::Expression)
        return std::nullopt;
    std::optional<Constant> value =
        Evaluator(this, module, binding.begin, binding.end, binding.line, depth).parse();
    if (!value)
        return std::nullopt;
    if (value->kind == Constant::Kind::Sequence && module.attributeUse.contains(name))
        return std::nullopt; // `_deps.append(...)` somewhere
    value->origins.prepend(u"%1:%2"_s.arg(displayPath(module.path)).arg(binding.line));
    return value;
}

const ModuleConstantResolver::Module *
ModuleConstantResolver::moduleOf(const Module &module, const QStringList &chain, int beforeLine, int depth)
{
    if (depth > maxDepth || chain.isEmpty() || module.starImport)
        return nullptr;
    const auto it = module.bindings.constFind(chain.first());
    const Module *current = nullptr;
    if (it != module.bindings.cend() && it->count == 1 && !module.rebound.contains(chain.first()) &&
        it->line < beforeLine) {
        if (it->kind == Binding::Kind::ModuleImport) {
            current = findModule(module, 0, it->dotted);
        } else if (it->kind == Binding::Kind::FromImport) {
            const Module *source = findModule(module, it->level, it->dotted);
            if (source) {
                current = source->bindings.contains(it->imported)
                              ? moduleOf(*source, {it->imported}, INT_MAX, depth + 1)
                              : submodule(*source, it->imported);
            }
        }
    }
    for (qsizetype i = 1; current && i < chain.size(); ++i) {
        current = current->bindings.contains(chain.at(i))
                      ? moduleOf(*current, {chain.at(i)}, INT_MAX, depth + 1)
                      : submodule(*current, chain.at(i));
    }
    return current;
}

const ModuleConstantResolver::Module *ModuleConstantResolver::submodule(const Module &package,
                                                                        const QString &name)
{
    return package.packageDir.isEmpty() ? nullptr : submoduleIn(package.packageDir, name);
}

const ModuleConstantResolver::Module *ModuleConstantResolver::submoduleIn(const QString &folder,
                                                                          const QString &name)
{
    const QString base = folder + u'/' + name;
    if (QFileInfo(base + u".py"_s).isFile())
        return module(base + u".py"_s);
    if (QFileInfo(base + u"/__init__.py"_s).isFile())
        return module(base + u"/__init__.py"_s);
    if (QFileInfo(base).isDir())
        return module(base + u'/');
    return nullptr;
}

const ModuleConstantResolver::Module *ModuleConstantResolver::findModule(const Module &from, int level,
                                                                         const QString &dotted)
{
    QStringList roots;
    if (level > 0) {
        if (from.path.isEmpty())
            return nullptr;
        QDir base = QFileInfo(from.path).absoluteDir();
        for (int i = 1; i < level; ++i) {
            if (!base.cdUp())
                return nullptr;
        }
        if (dotted.isEmpty()) {
            return base.exists(u"__init__.py"_s) ? module(base.absoluteFilePath(u"__init__.py"_s))
                                                 : module(base.absolutePath() + u'/');
        }
        roots.append(base.absolutePath());
    } else {
        roots = searchRoots(from.path.isEmpty() ? from.packageDir + u'/' : from.path);
    }
    const QStringList parts = dotted.split(u'.');
    for (const QString &root : std::as_const(roots)) {
        const Module *current = submoduleIn(root, parts.first());
        for (qsizetype i = 1; current && i < parts.size(); ++i)
            current = submodule(*current, parts.at(i));
        if (current)
            return current;
    }
    return nullptr;
}

const ModuleConstantResolver::Module *ModuleConstantResolver::module(const QString &path, const QString *text)
{
    const bool namespacePackage = path.endsWith(u'/');
    const QString key =
        namespacePackage ? QDir::cleanPath(path) + u'/' : QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    const auto it = m_modules.constFind(key);
    if (it != m_modules.cend())
        return it->get();
    auto loaded = std::make_shared<Module>();
    if (namespacePackage) {
        loaded->packageDir = QDir::cleanPath(path);
    } else {
        loaded->path = key;
        if (QFileInfo(key).fileName() == u"__init__.py")
            loaded->packageDir = QFileInfo(key).absolutePath();
        if (text) {
            loaded->text = *text;
        } else {
            QFile file(key);
            if (!file.open(QIODevice::ReadOnly)) {
                m_modules.insert(key, nullptr);
                return nullptr;
            }
            Expected<QString> decoded = ScriptText::decode(key, file.readAll());
            if (!decoded) {
                m_modules.insert(key, nullptr);
                return nullptr;
            }
            loaded->text = std::move(decoded).value();
        }
        loaded->read();
    }
    m_modules.insert(key, loaded);
    return loaded.get();
}

QStringList ModuleConstantResolver::searchRoots(const QString &modulePath) const
{
    QStringList roots;
    const auto add = [&roots](const QString &folder) {
        if (!folder.isEmpty() && !roots.contains(folder))
            roots.append(folder);
    };
    const QString folder =
        QDir::cleanPath(modulePath.endsWith(u'/') ? modulePath : QFileInfo(modulePath).absolutePath());
    add(folder);
    if (!m_projectRoot.isEmpty() && folder.startsWith(m_projectRoot + u'/')) {
        QDir up(folder);
        while (up.cdUp() && up.absolutePath().size() >= m_projectRoot.size())
            add(up.absolutePath());
    }
    add(m_scriptLocation);
    add(m_projectRoot);
    // The package chain above: the folder whose child packages hold the project, as sys.path would list it.
    QDir above(m_projectRoot.isEmpty() ? folder : m_projectRoot);
    while (above.exists(u"__init__.py"_s) && above.cdUp())
        add(above.absolutePath());
    return roots;
}

QString ModuleConstantResolver::displayPath(const QString &path) const
{
    QString top = m_projectRoot;
    if (!top.isEmpty()) {
        QDir above(top);
        while (above.exists(u"__init__.py"_s) && above.cdUp())
            top = above.absolutePath();
    }
    if (!top.isEmpty() && path.startsWith(top + u'/'))
        return path.mid(top.size() + 1);
    return QDir::toNativeSeparators(path);
}

} // namespace qmigrate
