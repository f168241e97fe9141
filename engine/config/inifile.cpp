// SPDX-License-Identifier: MIT
#include "config/inifile.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// configparser.MAX_INTERPOLATION_DEPTH
constexpr int maxInterpolationDepth = 10;
// configparser sets no bound on how far references fan out within that depth: nine options of eight
// "%(previous)s" each, 600 bytes, expand to 13 GB, and Python runs out of memory or patience on it. These are
// far beyond any real value, and reaching them is an error.
constexpr int maxSubstitutions = 100000;
constexpr qsizetype maxInterpolatedSize = 1 << 20;

QString rstripped(const QString &text)
{
    qsizetype end = text.size();
    while (end > 0 && text.at(end - 1).isSpace())
        --end;
    return text.left(end);
}

int indentOf(const QString &line)
{
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (!line.at(i).isSpace())
            return int(i);
    }
    return 0;
}

// configparser's "[line %2d]": the number right-aligned in two columns.
QString lineTag(int line)
{
    return u"[line %1]"_s.arg(line, 2);
}

} // namespace

QString IniFile::pythonRepr(const QString &text)
{
    const bool hasSingle = text.contains(QLatin1Char('\''));
    const bool hasDouble = text.contains(QLatin1Char('"'));
    const QChar quote = (hasSingle && !hasDouble) ? QLatin1Char('"') : QLatin1Char('\'');
    QString out;
    out.reserve(text.size() + 2);
    out += quote;
    for (const QChar c : text) {
        if (c == quote || c == QLatin1Char('\\')) {
            out += QLatin1Char('\\');
            out += c;
        } else if (c == QLatin1Char('\n')) {
            out += u"\\n"_s;
        } else if (c == QLatin1Char('\r')) {
            out += u"\\r"_s;
        } else if (c == QLatin1Char('\t')) {
            out += u"\\t"_s;
        } else if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
            out += u"\\x%1"_s.arg(c.unicode(), 2, 16, QLatin1Char('0'));
        } else {
            out += c;
        }
    }
    out += quote;
    return out;
}

Expected<IniFile> IniFile::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return EngineError(u"Cannot read %1: %2"_s.arg(path, file.errorString()), path, 0);
    return parse(QString::fromUtf8(file.readAll()), path);
}

Expected<IniFile> IniFile::parse(const QString &input, const QString &path)
{
    IniFile ini;
    ini.m_path = path;
    ini.m_defaultSection.name = u"DEFAULT"_s;

    QString text = input;
    // Python's open() would keep a BOM and then fail on the first header; editors on Windows write one, so
    // accept it.
    if (text.startsWith(QChar(0xfeff)))
        text.remove(0, 1);
    // Universal newlines, as Python's text mode reads the file.
    text.replace(u"\r\n"_s, u"\n"_s);
    text.replace(QLatin1Char('\r'), QLatin1Char('\n'));

    QStringList lines = text.split(QLatin1Char('\n'));
    const bool endsWithNewline = text.endsWith(QLatin1Char('\n'));
    if (endsWithNewline || text.isEmpty())
        lines.removeLast();

    // The value lines of each option are collected first and joined at the end, as configparser does.
    QHash<QString, QStringList> pending; // "<section index>\x1f<key>" -> lines
    auto pendingKey = [](int sectionIndex, const QString &key) {
        return QString::number(sectionIndex) + QChar(0x1f) + key;
    };

    int current = -2; // -2: no section yet, -1: DEFAULT, otherwise index into m_sections
    QString optionName;
    bool haveOption = false;
    int indentLevel = 0;
    QSet<QString> sectionsAdded;
    QSet<QString> optionsAdded; // "<section name>\x1f<key>"
    QStringList parseErrors;
    int firstErrorLine = 0;

    auto sectionByIndex = [&ini](int index) -> Section & {
        return index == -1 ? ini.m_defaultSection : ini.m_sections[index];
    };

    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int lineNo = int(i) + 1;
        const QString &line = lines.at(i);
        const QString value = line.trimmed();
        const bool isComment = value.startsWith(QLatin1Char('#')) || value.startsWith(QLatin1Char(';'));
        if (value.isEmpty() || isComment) {
            // empty_lines_in_values=True: a blank line (but not a comment line) belongs to the value, and
            // only the final join strips the trailing ones.
            if (!isComment && current != -2 && haveOption)
                pending[pendingKey(current, optionName)].append(QString());
            continue;
        }
        const int indent = indentOf(line);
        if (current != -2 && haveOption && indent > indentLevel) {
            pending[pendingKey(current, optionName)].append(value);
            continue;
        }
        indentLevel = indent;

        // SECTCRE is "\[(?P<header>.+)\]" with match(), not fullmatch(): anything after the last ']' is
        // ignored.
        if (value.startsWith(QLatin1Char('['))) {
            const qsizetype close = value.lastIndexOf(QLatin1Char(']'));
            if (close > 1) {
                const QString name = value.mid(1, close - 1);
                if (name == "DEFAULT"_L1) {
                    current = -1;
                    if (ini.m_defaultSection.line == 0)
                        ini.m_defaultSection.line = lineNo;
                } else if (sectionsAdded.contains(name)) {
                    return EngineError(u"While reading from %1 %2: section %3 already exists"_s.arg(
                                           pythonRepr(path), lineTag(lineNo), pythonRepr(name)),
                                       path, lineNo);
                } else {
                    Section section;
                    section.name = name;
                    section.line = lineNo;
                    ini.m_sections.append(section);
                    current = int(ini.m_sections.size()) - 1;
                    sectionsAdded.insert(name);
                }
                haveOption = false;
                continue;
            }
        }
        if (current == -2) {
            return EngineError(u"File contains no section headers.\nfile: %1, line: %2\n%3"_s.arg(
                                   pythonRepr(path), QString::number(lineNo),
                                   pythonRepr(endsWithNewline || i + 1 < lines.size() ? line + u'\n' : line)),
                               path, lineNo);
        }

        // OPTCRE: the key is everything before the first '=' or ':'.
        qsizetype delimiter = -1;
        for (qsizetype c = 0; c < value.size(); ++c) {
            if (value.at(c) == QLatin1Char('=') || value.at(c) == QLatin1Char(':')) {
                delimiter = c;
                break;
            }
        }
        const QString key = delimiter < 0 ? QString() : rstripped(value.left(delimiter)).toLower();
        if (key.isEmpty()) {
            // configparser collects these and raises one ParsingError at the end listing every bad line.
            if (parseErrors.isEmpty())
                firstErrorLine = lineNo;
            parseErrors.append(u"\n\t%1: %2"_s.arg(
                lineTag(lineNo), pythonRepr(endsWithNewline || i + 1 < lines.size() ? line + u'\n' : line)));
            if (delimiter < 0)
                continue;
        }
        Section &section = sectionByIndex(current);
        const QString sectionName = current == -1 ? u"DEFAULT"_s : section.name;
        const QString addedKey = sectionName + QChar(0x1f) + key;
        if (optionsAdded.contains(addedKey)) {
            return EngineError(
                u"While reading from %1 %2: option %3 in section %4 already exists"_s.arg(
                    pythonRepr(path), lineTag(lineNo), pythonRepr(key), pythonRepr(sectionName)),
                path, lineNo);
        }
        optionsAdded.insert(addedKey);
        if (!section.entries.contains(key))
            section.order.append(key);
        section.entries[key].line = lineNo;
        pending[pendingKey(current, key)] = QStringList{value.mid(delimiter + 1).trimmed()};
        optionName = key;
        haveOption = true;
    }

    if (!parseErrors.isEmpty()) {
        return EngineError(u"Source contains parsing errors: %1"_s.arg(pythonRepr(path)) +
                               parseErrors.join(QString()),
                           path, firstErrorLine);
    }

    for (int s = -1; s < int(ini.m_sections.size()); ++s) {
        Section &section = sectionByIndex(s);
        for (auto it = section.entries.begin(); it != section.entries.end(); ++it)
            it->value = rstripped(pending.value(pendingKey(s, it.key())).join(QLatin1Char('\n')));
    }
    return ini;
}

void IniFile::setDefaults(const QHash<QString, QString> &defaults)
{
    m_extraDefaults.clear();
    for (auto it = defaults.cbegin(); it != defaults.cend(); ++it)
        m_extraDefaults.insert(it.key().toLower(), it.value());
}

QStringList IniFile::sections() const
{
    QStringList names;
    names.reserve(m_sections.size());
    for (const Section &section : m_sections)
        names.append(section.name);
    return names;
}

QStringList IniFile::keys(const QString &section) const
{
    const Section *found = findSection(section);
    return found ? found->order : QStringList();
}

bool IniFile::hasSection(const QString &section) const
{
    return section != "DEFAULT"_L1 && findSection(section) != nullptr;
}

const IniFile::Section *IniFile::findSection(const QString &name) const
{
    if (name == "DEFAULT"_L1)
        return &m_defaultSection;
    for (const Section &section : m_sections) {
        if (section.name == name)
            return &section;
    }
    return nullptr;
}

const IniFile::Entry *IniFile::findEntry(const Section *section, const QString &key) const
{
    const QString lower = key.toLower();
    if (section) {
        const auto it = section->entries.constFind(lower);
        if (it != section->entries.cend())
            return &*it;
    }
    const auto it = m_defaultSection.entries.constFind(lower);
    if (it != m_defaultSection.entries.cend())
        return &*it;
    return nullptr;
}

bool IniFile::contains(const QString &section, const QString &key) const
{
    const Section *found = findSection(section);
    if (!found)
        return false;
    return findEntry(found, key) || m_extraDefaults.contains(key.toLower());
}

QString IniFile::rawValue(const QString &section, const QString &key) const
{
    const Section *found = findSection(section);
    if (!found)
        return {};
    if (const Entry *entry = findEntry(found, key))
        return entry->value;
    return m_extraDefaults.value(key.toLower());
}

int IniFile::lineOf(const QString &section, const QString &key) const
{
    const Section *found = findSection(section);
    if (!found)
        return 0;
    const Entry *entry = findEntry(found, key);
    return entry ? entry->line : 0;
}

Expected<QString> IniFile::value(const QString &section, const QString &key, const QString &fallback) const
{
    const Section *found = findSection(section);
    if (!found)
        return EngineError(u"No section: %1"_s.arg(pythonRepr(section)), m_path, 0);
    if (!contains(section, key))
        return fallback;
    QString out;
    QString error;
    int substitutions = 0;
    if (!interpolate(found, key, rawValue(section, key), 1, substitutions, out, error))
        return EngineError(error, m_path, lineOf(section, key));
    return out;
}

bool IniFile::interpolate(const Section *section, const QString &key, const QString &text, int depth,
                          int &substitutions, QString &out, QString &error) const
{
    // BasicInterpolation._interpolate_some. The messages leave out configparser's "Raw value: …" and
    // "found: …" parts on purpose: the value is often sqlalchemy.url, and the password must not be printed.
    const QString sectionName = section->name.isEmpty() ? u"DEFAULT"_s : section->name;
    if (depth > maxInterpolationDepth) {
        error =
            u"Recursion limit exceeded in value substitution: option %1 in section %2 contains an "
            "interpolation key which cannot be substituted in %3 steps"_s.arg(
                pythonRepr(key.toLower()), pythonRepr(sectionName), QString::number(maxInterpolationDepth));
        return false;
    }
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype percent = text.indexOf(QLatin1Char('%'), pos);
        if (percent < 0) {
            out += QStringView(text).mid(pos);
            return true;
        }
        out += QStringView(text).mid(pos, percent - pos);
        const QChar next = percent + 1 < text.size() ? text.at(percent + 1) : QChar();
        if (next == QLatin1Char('%')) {
            out += QLatin1Char('%');
            pos = percent + 2;
        } else if (next == QLatin1Char('(')) {
            // _KEYCRE: %\(([^)]+)\)s
            const qsizetype close = text.indexOf(QLatin1Char(')'), percent + 2);
            if (close < 0 || close == percent + 2 || close + 1 >= text.size() ||
                text.at(close + 1) != QLatin1Char('s')) {
                error = u"bad interpolation variable reference in option %1 in section %2: expected "
                        "'%(name)s'"_s.arg(pythonRepr(key.toLower()), pythonRepr(sectionName));
                return false;
            }
            const QString name = text.mid(percent + 2, close - percent - 2).toLower();
            pos = close + 2;
            if (++substitutions > maxSubstitutions || out.size() > maxInterpolatedSize) {
                error = u"Value substitution in option %1 in section %2 goes beyond %3 references or %4 "
                        "characters: its interpolation keys fan out too far"_s.arg(
                            pythonRepr(key.toLower()), pythonRepr(sectionName),
                            QString::number(maxSubstitutions), QString::number(maxInterpolatedSize));
                return false;
            }
            QString replacement;
            if (const Entry *entry = findEntry(section, name)) {
                replacement = entry->value;
            } else if (m_extraDefaults.contains(name)) {
                // Extra defaults (here) are literal: configparser would reject a '%' in them while
                // constructing the parser, which for a directory name is not the user's fault.
                out += m_extraDefaults.value(name);
                continue;
            } else {
                error = u"Bad value substitution: option %1 in section %2 contains an interpolation key %3 "
                        "which is not a valid option name"_s.arg(pythonRepr(key.toLower()),
                                                                 pythonRepr(sectionName), pythonRepr(name));
                return false;
            }
            if (replacement.contains(QLatin1Char('%'))) {
                if (!interpolate(section, key, replacement, depth + 1, substitutions, out, error))
                    return false;
            } else {
                out += replacement;
            }
        } else {
            error = u"'%' must be followed by '%' or '(' in option %1 in section %2 (write '%%' for a "
                    "literal percent sign)"_s.arg(pythonRepr(key.toLower()), pythonRepr(sectionName));
            return false;
        }
    }
    return true;
}

} // namespace qmigrate
