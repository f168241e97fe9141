// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "scripts/revision.h"

#include <QString>

namespace qmigrate {

// The upgrade and downgrade sections of a native SQL revision. A project keeps only the headers of its
// revisions in memory (100,000 files would otherwise hold every file's text); the sections are read from the
// file when a plan is shown, split or run. read() refuses a file whose checksum is no longer the one the
// revision was scanned with: what runs is what was shown, never a newer text under an older header.
class RevisionSections
{
public:
    RevisionSections() = default;
    RevisionSections(QString upgrade, int upgradeLine, QString downgrade, int downgradeLine)
        : m_upgrade(std::move(upgrade))
        , m_downgrade(std::move(downgrade))
        , m_upgradeLine(upgradeLine)
        , m_downgradeLine(downgradeLine)
    {}

    // One read of revision.path. Errors name the file: unreadable, changed since the project was loaded
    // (Revision::checksum), or no longer a valid revision file. A Python revision has no sections (empty).
    static Expected<RevisionSections> read(const Revision &revision);
    // The sections of the revision's file content, read and checked by the caller (a run reads each file
    // once: for its checksum, the history's text and these).
    static Expected<RevisionSections> fromContent(const Revision &revision, const QByteArray &content);
    // Only the text of one section, for reports of SQL that was read and checked with read() already: an
    // empty string where read() fails.
    static QString readSql(const Revision &revision, bool upgrade);

    const QString &upgrade() const { return m_upgrade; }
    const QString &downgrade() const { return m_downgrade; }
    const QString &sql(bool upgrade) const { return upgrade ? m_upgrade : m_downgrade; }
    // 1-based file line of each section's first body line.
    int upgradeLine() const { return m_upgradeLine; }
    int downgradeLine() const { return m_downgradeLine; }
    int firstLine(bool upgrade) const { return upgrade ? m_upgradeLine : m_downgradeLine; }

private:
    QString m_upgrade;
    QString m_downgrade;
    int m_upgradeLine = 0;
    int m_downgradeLine = 0;
};

} // namespace qmigrate
