// SPDX-License-Identifier: MIT
#include "scripts/revision.h"

namespace qmigrate {

namespace {

const QStringList &emptyList()
{
    static const QStringList empty;
    return empty;
}

} // namespace

const QStringList &Revision::computedFields() const
{
    return m_fieldNotes ? m_fieldNotes->computed : emptyList();
}

const QStringList &Revision::unresolvedFields() const
{
    return m_fieldNotes ? m_fieldNotes->unresolved : emptyList();
}

Revision::FieldNotes &Revision::fieldNotes()
{
    // Copies of a revision share the notes; a change gives this revision its own.
    if (!m_fieldNotes || m_fieldNotes.use_count() > 1)
        m_fieldNotes = std::make_shared<FieldNotes>(m_fieldNotes ? *m_fieldNotes : FieldNotes());
    return *m_fieldNotes;
}

void Revision::addComputedField(const QString &note)
{
    fieldNotes().computed.append(note);
}

void Revision::addUnresolvedField(const QString &field)
{
    fieldNotes().unresolved.append(field);
}

void Revision::resolveField(const QString &field, const QString &origin)
{
    FieldNotes &notes = fieldNotes();
    notes.computed.append(field + QLatin1String(" from ") + origin);
    notes.unresolved.removeAll(field);
}

bool Revision::sameFieldNotes(const Revision &other) const
{
    return computedFields() == other.computedFields() && unresolvedFields() == other.unresolvedFields();
}

} // namespace qmigrate
