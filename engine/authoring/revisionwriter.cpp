// SPDX-License-Identifier: MIT
#include "authoring/revisionwriter.h"

#include "graph/revisionmap.h"
#include "project/project.h"
#include "scripts/scriptchecksum.h"
#include "scripts/scripttext.h"
#include "scripts/sqlrevisionparser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QTimeZone>

#include <variant>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

const QString kTemplateName = u"script.sql.tmpl"_s;

EngineError usage(const QString &message)
{
    return EngineError(message, EngineError::Kind::Usage);
}

QString headsList(const RevisionMap &map)
{
    QStringList entries;
    for (int head : map.heads()) {
        QString entry = map.idOf(head);
        if (!map.labels(head).isEmpty())
            entry += u" ("_s + map.labels(head).join(u", "_s) + u')';
        entries.append(entry);
    }
    return entries.join(u", "_s);
}

// One %(key)... conversion of Python's %-formatting with a mapping, for the types file_template sees.
using TemplateValue = std::variant<QString, qint64>;

Expected<QString> formatConversion(const TemplateValue &value, const QString &spec, QChar conversion,
                                   const QString &token)
{
    bool leftAlign = false;
    bool zeroPad = false;
    bool plus = false;
    bool space = false;
    qsizetype i = 0;
    for (; i < spec.size() && u"-+ 0#"_s.contains(spec.at(i)); ++i) {
        leftAlign = leftAlign || spec.at(i) == u'-';
        zeroPad = zeroPad || spec.at(i) == u'0';
        plus = plus || spec.at(i) == u'+';
        space = space || spec.at(i) == u' ';
    }
    const qsizetype widthStart = i;
    while (i < spec.size() && spec.at(i).isDigit())
        ++i;
    const int width = spec.mid(widthStart, i - widthStart).toInt();
    int precision = -1;
    if (i < spec.size() && spec.at(i) == u'.') {
        const qsizetype precisionStart = ++i;
        while (i < spec.size() && spec.at(i).isDigit())
            ++i;
        precision = spec.mid(precisionStart, i - precisionStart).toInt();
    }
    if (i != spec.size())
        return EngineError(u"Unsupported format '%1' in file_template"_s.arg(token));

    QString text;
    if (conversion == u's') {
        text = std::holds_alternative<qint64>(value) ? QString::number(std::get<qint64>(value))
                                                     : std::get<QString>(value);
        if (precision >= 0)
            text.truncate(precision);
        zeroPad = false;
    } else if (conversion == u'd' || conversion == u'i') {
        if (!std::holds_alternative<qint64>(value)) {
            return EngineError(
                u"file_template: %1 needs a number; use %(name)s for a text token"_s.arg(token));
        }
        const qint64 number = std::get<qint64>(value);
        text = QString::number(qAbs(number));
        if (precision > text.size())
            text = QString(precision - text.size(), u'0') + text;
        const QString sign = number < 0 ? u"-"_s : plus ? u"+"_s : space ? u" "_s : QString();
        if (zeroPad && !leftAlign && sign.size() + text.size() < width)
            text = QString(width - sign.size() - text.size(), u'0') + text;
        text = sign + text;
    } else {
        return EngineError(u"Unsupported conversion '%1' in file_template (use s or d)"_s.arg(token));
    }
    if (text.size() < width)
        text = leftAlign ? text.leftJustified(width) : text.rightJustified(width);
    return text;
}

// Alembic's "Can't locate timezone" rule: the name as given, then upper-cased.
Expected<QTimeZone> configuredZone(const QString &name)
{
    QTimeZone zone(name.toUtf8());
    if (!zone.isValid())
        zone = QTimeZone(name.toUpper().toUtf8());
    if (!zone.isValid())
        return EngineError(u"Can't locate timezone: %1"_s.arg(name));
    return zone;
}

bool isValidLabel(const QString &label)
{
    if (label.isEmpty())
        return false;
    for (const QChar c : label) {
        if (c.isSpace() || c == u',')
            return false;
    }
    return true;
}

// Alembic refuses the label at add_revision time with this text.
Expected<bool> checkLabels(const RevisionMap &map, const QStringList &labels, const QString &revId)
{
    QSet<QString> seen;
    for (const QString &label : labels) {
        if (!isValidLabel(label)) {
            return usage(
                u"Branch label '%1' is not valid: a label is one word, without spaces or commas"_s.arg(
                    label));
        }
        if (seen.contains(label))
            return usage(u"Branch label '%1' is given twice"_s.arg(label));
        seen.insert(label);
        if (const int owner = map.labelOwner(label); owner >= 0) {
            return EngineError(u"Branch name '%1' in revision %2 already used by revision %3"_s.arg(
                                   label, revId, map.idOf(owner)),
                               map.revision(owner).path, map.revision(owner).branchLabelsLine, {},
                               EngineError::Kind::Usage);
        }
        if (map.indexOf(label) >= 0)
            return usage(u"Branch label '%1' is the id of an existing revision"_s.arg(label));
    }
    return true;
}

Expected<QString> targetDirectory(const Project &project, const NewRevision &request,
                                  const QList<int> &parents)
{
    const QStringList locations = project.config().versionLocations();
    if (!request.versionPath.isEmpty()) {
        const QString wanted = QDir::cleanPath(QFileInfo(request.versionPath).absoluteFilePath());
        for (const QString &location : locations) {
            if (QDir::cleanPath(location) == wanted)
                return wanted;
        }
        return usage(u"Path %1 is not represented in current version locations"_s.arg(request.versionPath));
    }
    if (locations.size() == 1)
        return QDir::cleanPath(locations.first());
    if (locations.isEmpty())
        return EngineError(u"No version locations configured"_s, project.config().iniPath(), 0);
    // As Alembic: several locations -> the first parent's directory.
    if (!parents.isEmpty())
        return QFileInfo(project.map().revision(parents.first()).path).absolutePath();
    return usage(u"Multiple version locations present, please specify --version-path"_s);
}

// The written file must read back as exactly the revision asked for; a template that loses a field (or
// adds one) is reported here rather than leaving a revision that means something else.
Expected<bool> checkReadBack(const Revision &parsed, const Revision &intended, const QString &templatePath)
{
    const auto mismatch = [&](const QString &field, const QString &got, const QString &wanted) {
        return EngineError(u"The revision rendered from this template does not read back as intended: %1 is "
                           u"'%2', expected '%3'"_s.arg(field, got, wanted),
                           templatePath, 0);
    };
    if (parsed.id != intended.id)
        return mismatch(u"Revision ID"_s, parsed.id, intended.id);
    if (parsed.downRevisions != intended.downRevisions)
        return mismatch(u"Revises"_s, parsed.downRevisions.join(u", "_s),
                        intended.downRevisions.join(u", "_s));
    if (parsed.branchLabels != intended.branchLabels)
        return mismatch(u"Branch labels"_s, parsed.branchLabels.join(u", "_s),
                        intended.branchLabels.join(u", "_s));
    if (parsed.dependsOn != intended.dependsOn)
        return mismatch(u"Depends on"_s, parsed.dependsOn.join(u", "_s), intended.dependsOn.join(u", "_s));
    if (parsed.message != intended.message)
        return mismatch(u"the message"_s, parsed.message, intended.message);
    return true;
}

// Removes the directories made for a file that was then not written, deepest first.
void removeCreatedDirectories(const QStringList &created)
{
    for (auto it = created.crbegin(); it != created.crend(); ++it)
        QDir().rmdir(*it);
}

} // namespace

QString RevisionWriter::newRevisionId()
{
    const quint64 bits = QRandomGenerator::system()->generate64() & 0xffffffffffffULL;
    return u"%1"_s.arg(bits, 12, 16, QLatin1Char('0'));
}

QString RevisionWriter::slug(const QString &message, int truncateLength)
{
    static const QRegularExpression word(u"\\w+"_s, QRegularExpression::UseUnicodePropertiesOption);
    QStringList words;
    for (const QRegularExpressionMatch &match : word.globalMatch(message))
        words.append(match.captured());
    QString result = words.join(u'_').toLower();
    const int limit = truncateLength > 0 ? truncateLength : 40;
    if (result.size() > limit) {
        result.truncate(limit);
        const qsizetype cut = result.lastIndexOf(u'_');
        if (cut >= 0)
            result.truncate(cut);
        result += u'_';
    }
    return result;
}

Expected<QString> RevisionWriter::fileName(const QString &fileTemplate, const QString &revId,
                                           const QString &slugText, const QDateTime &createDate)
{
    const QDate date = createDate.date();
    const QTime time = createDate.time();
    const QHash<QString, TemplateValue> tokens = {
        {u"rev"_s, revId},
        {u"slug"_s, slugText},
        {u"epoch"_s, createDate.toSecsSinceEpoch()},
        {u"year"_s, qint64(date.year())},
        {u"month"_s, qint64(date.month())},
        {u"day"_s, qint64(date.day())},
        {u"hour"_s, qint64(time.hour())},
        {u"minute"_s, qint64(time.minute())},
        {u"second"_s, qint64(time.second())},
    };
    static const QRegularExpression conversion(u"\\G%\\(([^)]*)\\)([-+ 0#]*\\d*(?:\\.\\d*)?)([a-zA-Z])"_s);
    QString name;
    qsizetype i = 0;
    while (i < fileTemplate.size()) {
        const QChar c = fileTemplate.at(i);
        if (c != u'%') {
            name += c;
            ++i;
            continue;
        }
        if (fileTemplate.mid(i, 2) == u"%%"_s) {
            name += u'%';
            i += 2;
            continue;
        }
        const QRegularExpressionMatch match = conversion.match(fileTemplate, i);
        if (!match.hasMatch()) {
            return EngineError(u"file_template '%1': a '%' must start a %(token)s conversion (or be written "
                               u"%%)"_s.arg(fileTemplate));
        }
        const QString key = match.captured(1);
        if (!tokens.contains(key)) {
            return EngineError(
                u"file_template '%1': unknown token '%2' (known: rev, slug, epoch, year, month, "
                u"day, hour, minute, second)"_s.arg(fileTemplate, key));
        }
        Expected<QString> text =
            formatConversion(tokens.value(key), match.captured(2), match.captured(3).at(0), match.captured());
        if (!text)
            return text.error();
        name += *text;
        i = match.capturedEnd();
    }
    return name + u".sql"_s;
}

QString RevisionWriter::createDateText(const QDateTime &createDate, bool withOffset)
{
    QString text = createDate.toString(u"yyyy-MM-dd HH:mm:ss"_s);
    // Qt keeps milliseconds; Python prints microseconds, and nothing when they are zero.
    if (const int ms = createDate.time().msec(); ms != 0)
        text += u".%1"_s.arg(ms * 1000, 6, 10, QLatin1Char('0'));
    if (withOffset) {
        const int offset = createDate.offsetFromUtc();
        const int minutes = qAbs(offset) / 60;
        text += u"%1%2:%3"_s.arg(QChar(offset < 0 ? u'-' : u'+'))
                    .arg(minutes / 60, 2, 10, QLatin1Char('0'))
                    .arg(minutes % 60, 2, 10, QLatin1Char('0'));
    }
    return text;
}

Expected<QString> RevisionWriter::renderTemplate(const QString &templatePath, const QString &templateText,
                                                 const QHash<QString, QString> &values)
{
    QString result;
    result.reserve(templateText.size() + 256);
    int line = 1;
    qsizetype lineStart = 0; // in templateText
    qsizetype i = 0;
    while (i < templateText.size()) {
        const QChar c = templateText.at(i);
        if (c == u'\n') {
            ++line;
            lineStart = i + 1;
        }
        if (c != u'$' || i + 1 >= templateText.size() || templateText.at(i + 1) != u'{') {
            result += c;
            ++i;
            continue;
        }
        const qsizetype close = templateText.indexOf(u'}', i + 2);
        const qsizetype newline = templateText.indexOf(u'\n', i + 2);
        if (close < 0 || (newline >= 0 && newline < close))
            return EngineError(u"Unclosed '${' (placeholders are ${name})"_s, templatePath, line);
        const QString name = templateText.mid(i + 2, close - i - 2).trimmed();
        if (!values.contains(name)) {
            QStringList known = values.keys();
            known.sort();
            return EngineError(u"Unknown placeholder '${%1}' (known: %2)"_s.arg(name, known.join(u", "_s)),
                               templatePath, line);
        }
        QString value = values.value(name);
        if (value.contains(u'\n')) {
            // Continuation lines repeat what stands before the placeholder, when that is a line prefix such
            // as "-- ", so a multi-line message stays inside the comment header.
            const QString prefix = templateText.mid(lineStart, i - lineStart);
            if (!prefix.trimmed().isEmpty()) {
                value.replace(u'\n', u'\n' + prefix);
                // A blank continuation line stays a bare comment marker, without trailing blanks.
                value.replace(u'\n' + prefix + u'\n', u'\n' + prefix.trimmed() + u'\n');
            }
        }
        result += value;
        i = close + 1;
    }
    return result;
}

Expected<QList<int>> RevisionWriter::resolveParents(const RevisionMap &map, const QStringList &heads,
                                                    bool splice)
{
    QList<int> parents;
    for (const QString &head : heads) {
        if (head.trimmed().isEmpty())
            return usage(u"An empty --head value"_s);
        Expected<QList<int>> resolved = map.resolve(head);
        if (!resolved) {
            if (resolved.error().message().startsWith(u"Multiple head revisions are present"_s)) {
                return usage(
                    u"Multiple heads are present; please specify the head revision on which the new "
                    u"revision should be based, or perform a merge. Heads: %1"_s.arg(headsList(map)));
            }
            return EngineError(resolved.error()).setKind(EngineError::Kind::Usage);
        }
        parents += *resolved;
    }
    if (QSet<int>(parents.cbegin(), parents.cend()).size() != parents.size())
        return usage(u"Duplicate head revisions specified"_s);
    if (!splice) {
        for (int parent : std::as_const(parents)) {
            if (!map.isHead(parent)) {
                return usage(u"Revision %1 is not a head revision; please specify --splice to create a new "
                             u"branch from this revision"_s.arg(map.idOf(parent)));
            }
        }
    }
    return parents;
}

Expected<QStringList> RevisionWriter::resolveDependencies(const RevisionMap &map,
                                                          const QStringList &dependsOn)
{
    QStringList resolved;
    for (const QString &dependency : dependsOn) {
        if (dependency.isEmpty())
            return usage(u"An empty --depends-on value"_s);
        Expected<int> target = map.resolveOne(dependency);
        if (!target)
            return EngineError(target.error()).setKind(EngineError::Kind::Usage);
        if (*target < 0)
            return usage(u"--depends-on '%1' names no revision"_s.arg(dependency));
        const QString entry = map.labelOwner(dependency) == *target ? dependency : map.idOf(*target);
        if (!resolved.contains(entry))
            resolved.append(entry);
    }
    return resolved;
}

Expected<Revision> RevisionWriter::create(const Project &project, const NewRevision &request)
{
    const RevisionMap &map = project.map();
    const ProjectConfig &config = project.config();

    QString revId = request.revId;
    if (revId.isEmpty()) {
        do
            revId = newRevisionId();
        while (map.indexOf(revId) >= 0);
    } else {
        for (const QChar c : revId) {
            if (c.isSpace())
                return usage(u"Revision identifier '%1' contains whitespace"_s.arg(revId));
        }
        if (const QString illegal = ScriptText::illegalCharactersMessage(revId); !illegal.isEmpty())
            return usage(illegal);
        if (revId.size() > ScriptText::MaxIdLength)
            return usage(ScriptText::tooLongMessage(revId));
        if (const int existing = map.indexOf(revId); existing >= 0) {
            return EngineError(u"Revision %1 already exists"_s.arg(revId), map.revision(existing).path,
                               map.revision(existing).idLine, revId, EngineError::Kind::Usage);
        }
    }

    Expected<QList<int>> parents = resolveParents(map, request.heads, request.splice);
    if (!parents)
        return parents.error();
    if (Expected<bool> labels = checkLabels(map, request.branchLabels, revId); !labels)
        return labels.error();
    Expected<QStringList> dependencies = resolveDependencies(map, request.dependsOn);
    if (!dependencies)
        return dependencies.error();

    QDateTime createDate = request.createDate.isValid() ? request.createDate : QDateTime::currentDateTime();
    const bool zoned = !config.timezone().isEmpty();
    if (zoned) {
        Expected<QTimeZone> zone = configuredZone(config.timezone());
        if (!zone)
            return EngineError(zone.error()).setFile(config.iniPath());
        createDate = createDate.toTimeZone(*zone);
    }

    Expected<QString> directory = targetDirectory(project, request, *parents);
    if (!directory)
        return directory.error();
    Expected<QString> name = fileName(config.fileTemplate(), revId,
                                      slug(request.message, config.truncateSlugLength()), createDate);
    if (!name)
        return EngineError(name.error()).setFile(config.iniPath());
    if (name->contains(u'/') && !config.recursiveVersionLocations()) {
        return EngineError(
            u"file_template makes '%1', a path in a sub-directory, which is only read back with "
            u"recursive_version_locations = true"_s.arg(*name),
            config.iniPath(), 0);
    }
    const QString path = QDir::cleanPath(*directory + u'/' + *name);
    if (QFileInfo::exists(path))
        return EngineError(u"The file already exists; nothing was written"_s, path, 0, revId);

    const QString templatePath = QDir(config.scriptLocation()).filePath(kTemplateName);
    QFile templateFile(templatePath);
    if (!templateFile.open(QIODevice::ReadOnly)) {
        return EngineError(
            u"Cannot read the revision template %1: %2 (a native SQL project has "
            u"script.sql.tmpl in its script_location)"_s.arg(templatePath, templateFile.errorString()),
            templatePath, 0);
    }
    Expected<QString> templateText = ScriptText::decode(templatePath, templateFile.readAll());
    if (!templateText)
        return templateText.error();
    for (const auto &[placeholder, body] :
         {std::pair{u"upgrades"_s, request.upgradeSql}, std::pair{u"downgrades"_s, request.downgradeSql}}) {
        if (!body.trimmed().isEmpty() && !templateText->contains(u"${"_s + placeholder + u'}')) {
            return EngineError(
                u"The template has no ${%1} placeholder, so the generated SQL has nowhere to go"_s.arg(
                    placeholder),
                templatePath, 0);
        }
    }

    Revision intended;
    intended.id = revId;
    for (int parent : std::as_const(*parents))
        intended.downRevisions.append(map.idOf(parent));
    intended.branchLabels = request.branchLabels;
    intended.dependsOn = *dependencies;
    const QString message =
        request.message.trimmed().isEmpty() ? u"empty message"_s : request.message.trimmed();
    intended.message = ScriptText::firstParagraph(message);

    const auto body = [](const QString &sql) {
        return sql.isEmpty() || sql.endsWith(u'\n') ? sql : sql + u'\n';
    };
    const QHash<QString, QString> values = {
        {u"message"_s, message},
        {u"up_revision"_s, revId},
        {u"down_revision"_s, intended.downRevisions.join(u", "_s)},
        {u"branch_labels"_s, intended.branchLabels.join(u", "_s)},
        {u"depends_on"_s, intended.dependsOn.join(u", "_s)},
        {u"create_date"_s, createDateText(createDate, zoned)},
        {u"upgrades"_s, body(request.upgradeSql)},
        {u"downgrades"_s, body(request.downgradeSql)},
    };
    Expected<QString> content = renderTemplate(templatePath, *templateText, values);
    if (!content)
        return content.error();
    const QByteArray bytes = content->toUtf8();

    Expected<Revision> parsed = SqlRevisionParser::parse(path, bytes);
    if (!parsed) {
        return EngineError(
            u"The revision rendered from this template does not parse: %1"_s.arg(parsed.error().toString()),
            templatePath, 0, revId);
    }
    if (Expected<bool> same = checkReadBack(*parsed, intended, templatePath); !same)
        return same.error();
    QList<Revision> all = map.revisions();
    all.append(*parsed);
    Expected<RevisionMap> rebuilt = RevisionMap::build(std::move(all));
    if (!rebuilt)
        return EngineError(rebuilt.error()).setKind(EngineError::Kind::Usage);
    if (!rebuilt->isHead(rebuilt->indexOf(revId)))
        return EngineError(u"Revision %1 would not be a head"_s.arg(revId), path, 0, revId);

    // Directories are made only now, and removed again if the file cannot be written.
    QStringList createdDirectories;
    for (QString dir = QFileInfo(path).absolutePath(); !QFileInfo::exists(dir);
         dir = QFileInfo(dir).absolutePath())
        createdDirectories.prepend(dir);
    if (!createdDirectories.isEmpty() && !QDir().mkpath(createdDirectories.last())) {
        removeCreatedDirectories(createdDirectories);
        return EngineError(u"Cannot create directory %1"_s.arg(createdDirectories.last()), path, 0, revId);
    }
    // QSaveFile replaces an existing file, so the check above is repeated at the last moment: a file made
    // meanwhile (another create with the same --rev-id) is not replaced.
    QSaveFile file(path);
    QString failure;
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        failure = file.errorString();
    else if (QFileInfo::exists(path))
        failure = u"the file appeared meanwhile"_s;
    else if (!file.commit())
        failure = file.errorString();
    if (!failure.isEmpty()) {
        file.cancelWriting();
        removeCreatedDirectories(createdDirectories);
        return EngineError(u"Cannot write %1: %2"_s.arg(path, failure), path, 0, revId);
    }
    // As a load would have read it: what the doc and sections are checked against when read from the file.
    parsed->checksum = ScriptChecksum::digestOfContent(bytes);
    return parsed;
}

Expected<Revision> RevisionWriter::merge(const Project &project, const QStringList &revisions,
                                         const QString &message, const QStringList &branchLabels,
                                         const QString &revId)
{
    Expected<QList<int>> parents = resolveParents(project.map(), revisions, false);
    if (!parents)
        return parents.error();
    if (parents->size() < 2) {
        QStringList ids;
        for (int parent : std::as_const(*parents))
            ids.append(project.map().idOf(parent));
        return usage(u"A merge needs at least two distinct revisions; '%1' gives %2"_s.arg(
            revisions.join(u' '), ids.isEmpty() ? u"none"_s : ids.join(u", "_s)));
    }
    NewRevision request;
    request.message = message;
    request.heads = revisions;
    request.branchLabels = branchLabels;
    request.revId = revId;
    return create(project, request);
}

} // namespace qmigrate
