// SPDX-License-Identifier: MIT
#include "revisions/revisiondetails.h"

#include "graph/revisionmap.h"
#include "run/historymodel.h"
#include "scripts/revisiondoc.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStackedLayout>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// The doc without its first paragraph (the title) and without the header fields every script repeats, its
// paragraphs reflowed: the file's line breaks follow the comment width, not the label's.
QString description(const Revision &revision, const QString &longDoc)
{
    static const QStringList fieldPrefixes = {u"Revision ID:"_s, u"Revises:"_s, u"Branch labels:"_s,
                                              u"Depends on:"_s, u"Create Date:"_s};
    const QString rest = longDoc.mid(revision.message.size());
    QStringList paragraphs;
    QString paragraph;
    for (const QString &line : rest.split(u'\n')) {
        const QString trimmed = line.trimmed();
        const bool isField = std::any_of(fieldPrefixes.cbegin(), fieldPrefixes.cend(), [&](const QString &p) {
            return trimmed.startsWith(p, Qt::CaseInsensitive);
        });
        if (isField)
            continue;
        if (trimmed.isEmpty()) {
            if (!paragraph.isEmpty())
                paragraphs.append(std::exchange(paragraph, QString()));
            continue;
        }
        paragraph += paragraph.isEmpty() ? trimmed : u' ' + trimmed;
    }
    if (!paragraph.isEmpty())
        paragraphs.append(paragraph);
    return paragraphs.join(u"\n\n"_s);
}

} // namespace

RevisionDetails::RevisionDetails(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_longDoc(new QLabel(this))
    , m_placeholder(new QLabel(tr("Select a revision to see its details."), this))
    , m_body(new QWidget(this))
    , m_historyModel(new HistoryModel(this))
    , m_historyView(new QTableView(this))
{
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    if (titleFont.pointSizeF() > 0) // -1 for a font sized in pixels
        titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setObjectName(u"titleValue"_s);
    m_longDoc->setWordWrap(true);
    m_longDoc->setTextFormat(Qt::PlainText);
    m_longDoc->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_longDoc->setObjectName(u"descriptionValue"_s);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);

    auto *bodyLayout = new QVBoxLayout(m_body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addWidget(m_title);
    bodyLayout->addWidget(m_longDoc);
    m_form = new QFormLayout;
    bodyLayout->addLayout(m_form); // owned by bodyLayout from here
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    m_form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_idValue = addRow(tr("Revision"), u"revisionValue"_s);
    m_idValue->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_kindValue = addRow(tr("Kind"), u"kindValue"_s);
    m_parentsValue = addRow(tr("Parents"), u"parentsValue"_s);
    m_childrenValue = addRow(tr("Children"), u"childrenValue"_s);
    m_labelsValue = addRow(tr("Branch labels"), u"labelsValue"_s);
    m_dependsValue = addRow(tr("Depends on"), u"dependsOnValue"_s);
    m_dependantsValue = addRow(tr("Needed by"), u"neededByValue"_s);
    m_computedValue = addRow(tr("Computed"), u"computedValue"_s);
    m_fileValue = addRow(tr("File"), u"fileValue"_s);
    m_dateValue = addRow(tr("Created"), u"createdValue"_s);
    m_stateValue = addRow(tr("Database"), u"stateValue"_s);
    m_editedValue = addRow(tr("Edited"), u"editedValue"_s);
    m_editedValue->setStyleSheet(u"QLabel { color: #a04a00; font-weight: bold; }"_s);

    for (QLabel *links : {m_parentsValue, m_childrenValue, m_dependsValue, m_dependantsValue}) {
        links->setTextFormat(Qt::RichText);
        links->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
        connect(links, &QLabel::linkActivated, this, &RevisionDetails::revisionActivated);
    }
    m_fileValue->setTextFormat(Qt::RichText);
    m_fileValue->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(m_fileValue, &QLabel::linkActivated, this, [this] { emit openFile(m_path); });

    m_historyView->setModel(m_historyModel);
    m_historyView->setObjectName(u"historyView"_s);
    m_historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_historyView->setWordWrap(false);
    m_historyView->verticalHeader()->hide();
    const int rowHeight = m_historyView->fontMetrics().height() + 6;
    m_historyView->verticalHeader()->setMinimumSectionSize(rowHeight);
    m_historyView->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_historyView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_historyView->horizontalHeader()->setStretchLastSection(true);
    // The revision is the one shown above; the host is in each row's tooltip.
    m_historyView->setColumnHidden(HistoryModel::RevisionColumn, true);
    m_historyView->setColumnHidden(HistoryModel::HostColumn, true);

    m_editedDiff = new QPlainTextEdit(m_body);
    m_editedDiff->setObjectName(u"editedDiff"_s);
    m_editedDiff->setReadOnly(true);
    m_editedDiff->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editedDiff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editedDiff->hide();
    bodyLayout->addWidget(m_editedDiff, 1);
    bodyLayout->addWidget(m_historyView, 1);
    bodyLayout->addStretch(0);

    m_stack = new QStackedLayout(this);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_body);

    clear();
}

QLabel *RevisionDetails::addRow(const QString &label, const QString &objectName)
{
    auto *value = new QLabel(m_body);
    value->setObjectName(objectName);
    value->setWordWrap(true);
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_form->addRow(label, value);
    return value;
}

void RevisionDetails::setRowVisible(QLabel *value, bool visible)
{
    m_form->setRowVisible(value, visible);
}

void RevisionDetails::setLinks(QLabel *value, const QStringList &ids, const QString &none)
{
    if (ids.isEmpty()) {
        value->setText(none.toHtmlEscaped());
        return;
    }
    QStringList links;
    links.reserve(ids.size());
    for (const QString &id : ids) {
        const QString escaped = id.toHtmlEscaped();
        links.append(u"<a href=\"%1\"><code>%1</code></a>"_s.arg(escaped));
    }
    value->setText(links.join(u", "_s));
}

void RevisionDetails::setRevision(const RevisionMap &map, int revisionIndex)
{
    if (revisionIndex < 0 || revisionIndex >= map.size()) {
        ++m_descriptionRequest;
        m_id.clear();
        m_path.clear();
        m_stack->setCurrentWidget(m_placeholder);
        return;
    }
    const Revision &revision = map.revision(revisionIndex);
    m_id = revision.id;

    m_title->setText(revision.message.isEmpty() ? tr("(no message)") : revision.message);
    readDescription(revision);

    m_idValue->setText(revision.id);
    QStringList roles;
    roles.append(revision.kind == Revision::Kind::Python ? tr("Python (Alembic)") : tr("SQL"));
    if (map.isBase(revisionIndex))
        roles.append(tr("base"));
    if (map.isRealHead(revisionIndex))
        roles.append(tr("head"));
    else if (map.isEffectiveHead(revisionIndex))
        roles.append(tr("effective head"));
    if (map.isBranchPoint(revisionIndex))
        roles.append(tr("branch point"));
    if (map.isMergePoint(revisionIndex))
        roles.append(tr("merge point"));
    m_kindValue->setText(roles.join(u", "_s));

    setLinks(m_parentsValue, map.idsOf(map.parents(revisionIndex)), tr("none (base)"));
    setLinks(m_childrenValue, map.idsOf(map.children(revisionIndex)), tr("none (head)"));

    // Labels propagate along a branch: say where an inherited one was declared. A trunk past hundreds of
    // merged branches inherits hundreds: the revision's own come first, the rest are counted, not listed.
    // A revision owns exactly the labels it declares, so its own need no look-up among the inherited ones:
    // the work here stays within the labels shown, however many the revision inherits.
    const QStringList &allLabels = map.labels(revisionIndex);
    QStringList labels = revision.branchLabels;
    const qsizetype own = labels.size();
    for (const QString &label : allLabels) {
        if (labels.size() >= shownLabels + 1)
            break;
        const int owner = map.labelOwner(label);
        if (owner != revisionIndex)
            labels.append(owner < 0 ? label : tr("%1 (from %2)").arg(label, map.idOf(owner)));
    }
    QString labelsText = labels.join(u", "_s);
    if (allLabels.size() > shownLabels + 1 && allLabels.size() > own) {
        labels.resize(std::max(own, qsizetype(shownLabels)));
        labelsText =
            tr("%1 and %n more", nullptr, int(allLabels.size() - labels.size())).arg(labels.join(u", "_s));
    }
    m_labelsValue->setText(labelsText);
    setRowVisible(m_labelsValue, !allLabels.isEmpty());

    const QStringList dependencies = map.idsOf(map.dependencies(revisionIndex));
    setLinks(m_dependsValue, dependencies, {});
    setRowVisible(m_dependsValue, !dependencies.isEmpty());

    // allChildren = versioned children + revisions that depend on this one.
    QStringList dependants = map.idsOf(map.allChildren(revisionIndex));
    for (const QString &child : map.idsOf(map.children(revisionIndex)))
        dependants.removeAll(child);
    setLinks(m_dependantsValue, dependants, {});
    setRowVisible(m_dependantsValue, !dependants.isEmpty());

    // Fields that are no literal: where their value was found, or that it is missing from the graph.
    QStringList computed = revision.computedFields();
    for (const QString &field : revision.unresolvedFields())
        computed.append(tr("%1 not read (left empty: needs the project's Alembic)").arg(field));
    m_computedValue->setText(computed.join(u'\n'));
    setRowVisible(m_computedValue, !computed.isEmpty());

    m_path = revision.path;
    if (revision.path.isEmpty()) {
        m_fileValue->setText({});
        m_fileValue->setToolTip({});
    } else {
        m_fileValue->setText(
            u"<a href=\"open\">%1</a>"_s.arg(QFileInfo(revision.path).fileName().toHtmlEscaped()));
        m_fileValue->setToolTip(revision.path);
    }
    setRowVisible(m_fileValue, !revision.path.isEmpty());
    m_dateValue->setText(QString::fromUtf8(revision.createDate));
    setRowVisible(m_dateValue, !revision.createDate.isEmpty());

    // Showing the body lays out every label in it, each measured through a text document. In a hidden panel
    // (a project loading behind the welcome page) that layout would be done again once the panel shows: the
    // body is shown then, by showEvent().
    if (isVisible())
        m_stack->setCurrentWidget(m_body);
    updateHistory();
}

void RevisionDetails::showEvent(QShowEvent *event)
{
    if (!m_id.isEmpty()) // a revision set while the panel was hidden
        m_stack->setCurrentWidget(m_body);
    QWidget::showEvent(event);
}

void RevisionDetails::readDescription(const Revision &revision)
{
    // Read from the file (a project keeps only the message), on a worker: a file read per selection is no
    // work for the UI thread, and may take long on a slow disk. A file changed since the project was loaded
    // shows no description until the reload that change brings.
    m_longDoc->clear();
    m_longDoc->hide();
    const quint64 request = ++m_descriptionRequest;
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        if (request != m_descriptionRequest)
            return; // another revision was selected meanwhile
        const QString more = watcher->result();
        m_longDoc->setText(more);
        m_longDoc->setVisible(!more.isEmpty());
    });
    // A copy: the revision's strings are shared, not duplicated, and the map may go before the read ends.
    watcher->setFuture(QtConcurrent::run([revision] {
        const Expected<QString> doc = RevisionDoc::read(revision);
        return doc ? description(revision, *doc) : QString();
    }));
}

void RevisionDetails::setHistory(const QList<HistoryEntry> &entries, const QString &databaseDisplay)
{
    m_allEntries = entries;
    // Indexed once per history, so that selecting a revision reads its own rows only.
    m_entriesOf.clear();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        // A stamp's row names every revision it stamped: "a, b".
        const QString &named = entries.at(i).revision;
        if (!named.contains(u", "_s)) {
            m_entriesOf[named].append(i);
            continue;
        }
        for (const QString &id : named.split(u", "_s)) {
            QList<qsizetype> &rows = m_entriesOf[id];
            if (rows.isEmpty() || rows.constLast() != i)
                rows.append(i);
        }
    }
    m_database = databaseDisplay;
    updateHistory();
}

void RevisionDetails::setAppliedOnDatabase(std::optional<bool> applied)
{
    if (applied == m_applied)
        return;
    m_applied = applied;
    updateHistory();
}

void RevisionDetails::setEditedScripts(const QList<ChangedScript> &edited)
{
    m_edited = edited;
    updateHistory();
}

void RevisionDetails::clear()
{
    m_allEntries.clear();
    m_entriesOf.clear();
    m_edited.clear();
    m_database.clear();
    m_applied.reset();
    setRevision(RevisionMap(), -1);
    updateHistory();
}

QString RevisionDetails::stateText() const
{
    return m_stateValue->text();
}

void RevisionDetails::updateHistory()
{
    QList<HistoryEntry> own;
    if (!m_id.isEmpty()) {
        for (const qsizetype entry : m_entriesOf.value(m_id))
            own.append(m_allEntries.at(entry));
    }
    m_historyModel->setEntries(own);
    m_historyView->setVisible(!own.isEmpty());
    if (!own.isEmpty())
        m_historyView->resizeColumnsToContents();

    if (m_database.isEmpty())
        m_stateValue->setText(tr("No connection selected"));
    else if (!own.isEmpty())
        m_stateValue->setText(stateFor(own.constFirst(), m_database));
    else if (!m_applied)
        m_stateValue->setText(tr("Unknown (not connected to %1)").arg(m_database));
    else if (*m_applied)
        m_stateValue->setText(
            tr("Applied on %1 (no qmigrate_history rows: applied by another tool, or stamped)")
                .arg(m_database));
    else
        m_stateValue->setText(tr("Not applied on %1").arg(m_database));

    const ChangedScript *edited = nullptr;
    for (const ChangedScript &script : std::as_const(m_edited)) {
        if (!m_id.isEmpty() && script.revision == m_id)
            edited = &script;
    }
    if (edited) {
        m_editedValue->setText(
            tr("Edited since applied on %1 at %2: this edit will not run there; add a new revision instead.")
                .arg(m_database, HistoryModel::formatTime(edited->appliedAt)));
        m_editedDiff->setPlainText(edited->diff);
    }
    setRowVisible(m_editedValue, edited != nullptr);
    m_editedDiff->setVisible(edited != nullptr);
}

QString RevisionDetails::stateFor(const HistoryEntry &entry, const QString &database)
{
    const QString time = HistoryModel::formatTime(HistoryModel::when(entry));
    const QString who = entry.host.isEmpty()     ? entry.osUser
                        : entry.osUser.isEmpty() ? entry.host
                                                 : entry.osUser + u'@' + entry.host;
    const QString took = HistoryModel::formatDuration(entry.durationMs);
    QString direction = HistoryEntry::directionName(entry.direction);
    direction[0] = direction[0].toUpper();
    switch (entry.outcome) {
    case HistoryEntry::Outcome::Success:
        switch (entry.direction) {
        case HistoryEntry::Direction::Upgrade:
            return tr("Applied on %1 at %2 by %3, took %4").arg(database, time, who, took);
        case HistoryEntry::Direction::Downgrade:
            return tr("Reverted on %1 at %2 by %3, took %4").arg(database, time, who, took);
        case HistoryEntry::Direction::Stamp:
            return tr("Stamped on %1 at %2 by %3").arg(database, time, who);
        }
        break;
    case HistoryEntry::Outcome::Failed:
        return tr("%1 failed on %2 at %3 by %4: %5").arg(direction, database, time, who, entry.errorText);
    case HistoryEntry::Outcome::Cancelled:
        return tr("%1 cancelled on %2 at %3 by %4: %5").arg(direction, database, time, who, entry.errorText);
    case HistoryEntry::Outcome::Running:
        return tr("%1 interrupted on %2 (started at %3 by %4; the run ended before the step did): %5. Settle "
                  "it "
                  "with a stamp before running anything else.")
            .arg(direction, database, time, who, entry.errorText);
    }
    return {};
}

} // namespace qmigrate
