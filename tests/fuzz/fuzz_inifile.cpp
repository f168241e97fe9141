// SPDX-License-Identifier: MIT
// IniFile: alembic.ini read as configparser reads it, then every value of every section interpolated.
// ProjectConfig is not fuzzed here: it only loads from a file on disk.

#include "fuzzcheck.h"

#include "config/inifile.h"

#include <QSet>

#include <cstdint>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

const QString path = u"/nonexistent/qmigrate-fuzz/alembic.ini"_s;

template<typename List> bool unique(const List &list)
{
    return QSet<typename List::value_type>(list.cbegin(), list.cend()).size() == list.size();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::setUp();
    const QString text = fuzz::fromUtf8(data, size);
    // Lines as configparser counts them: CRLF and CR end a line too.
    QString normalized = text;
    normalized.replace(u"\r\n"_s, u"\n"_s).replace(u'\r', u'\n');
    const int lines = int(normalized.count(u'\n')) + 1;

    Expected<IniFile> ini = IniFile::parse(text, path);
    if (!ini) {
        FUZZ_CHECK(ini.error().file() == path);
        FUZZ_CHECK(ini.error().line() >= 1 && ini.error().line() <= lines);
        return 0;
    }
    ini->setDefaults({{u"here"_s, u"/nonexistent/qmigrate-fuzz"_s}});

    const QStringList sections = ini->sections();
    FUZZ_CHECK(unique(sections) && !sections.contains(u"DEFAULT"_s));
    FUZZ_CHECK(!ini->hasSection(u"DEFAULT"_s));
    const QStringList defaults = ini->keys(u"DEFAULT"_s);
    for (const QString &section : sections + QStringList{u"DEFAULT"_s}) {
        FUZZ_CHECK(section == u"DEFAULT" || ini->hasSection(section));
        const QStringList keys = ini->keys(section);
        FUZZ_CHECK(unique(keys));
        for (const QString &key : keys) {
            FUZZ_CHECK(ini->contains(section, key));
            const int line = ini->lineOf(section, key);
            FUZZ_CHECK(line >= 1 && line <= lines);
            const QString raw = ini->rawValue(section, key);
            const Expected<QString> value = ini->value(section, key);
            if (!value) {
                FUZZ_CHECK(value.error().file() == path && value.error().line() == line);
                FUZZ_CHECK(raw.contains(u'%'));
            } else if (!raw.contains(u'%')) {
                FUZZ_CHECK(*value == raw);
            }
        }
        // [DEFAULT]'s keys and the extra defaults are options of every section (configparser's has_option).
        for (const QString &key : defaults)
            FUZZ_CHECK(ini->contains(section, key));
        FUZZ_CHECK(ini->contains(section, u"here"_s));
    }
    return 0;
}
