// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace qmigrate {

// An ini file read the way Python's configparser (as Alembic uses it) reads it: sections, "key = value" or
// "key: value", case-insensitive keys, indented continuation lines, '#' and ';' comment lines, a [DEFAULT]
// section, and BasicInterpolation ("%(name)s" from the same section, DEFAULT or the extra defaults such as
// "here"; "%%" for a literal percent). QSettings cannot do this: it mangles commas and percent signs.
class IniFile
{
public:
    static Expected<IniFile> load(const QString &path);
    static Expected<IniFile> parse(const QString &text, const QString &path);

    // Extra interpolation defaults, e.g. {"here": directory of the file}; they behave like [DEFAULT] keys.
    void setDefaults(const QHash<QString, QString> &defaults);

    QString path() const { return m_path; }
    QStringList sections() const;                   // in file order, without DEFAULT
    QStringList keys(const QString &section) const; // the section's own keys in file order (lower case)
    bool hasSection(const QString &section) const;  // false for DEFAULT, as configparser's has_section
    // True when the key is in the section, in [DEFAULT] or in the extra defaults (configparser's has_option).
    bool contains(const QString &section, const QString &key) const;
    // Raw value, no interpolation.
    QString rawValue(const QString &section, const QString &key) const;
    // Interpolated value; an interpolation error names the file and the key's line. A missing key gives
    // fallback (not interpolated, as configparser does); a missing section is an error.
    Expected<QString> value(const QString &section, const QString &key, const QString &fallback = {}) const;
    int lineOf(const QString &section, const QString &key) const;

    // Python's repr() of a str ('text' with escapes), so messages read exactly like configparser's.
    static QString pythonRepr(const QString &text);

private:
    struct Entry
    {
        QString value;
        int line = 0;
    };
    struct Section
    {
        QString name;
        int line = 0;
        QHash<QString, Entry> entries; // key lower-cased
        QStringList order;
    };

    QString m_path;
    QList<Section> m_sections;
    Section m_defaultSection;
    QHash<QString, QString> m_extraDefaults;

    const Section *findSection(const QString &name) const;
    // Section entry, then [DEFAULT], then the extra defaults: configparser's lookup chain.
    const Entry *findEntry(const Section *section, const QString &key) const;
    bool interpolate(const Section *section, const QString &key, const QString &text, int depth,
                     int &substitutions, QString &out, QString &error) const;
};

} // namespace qmigrate
