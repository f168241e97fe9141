// SPDX-License-Identifier: MIT
#include "dialogs/newrevisiondialog.h"

#include "schema/schemabuilder.h"

#include "authoring/revisionwriter.h"
#include "graph/revisionmap.h"
#include "project/project.h"
#include "run/migrationcontroller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QStyle>
#include <QTimeZone>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// What an entry of the parent combo stands for.
enum class ParentKind { Head, Base, Other };
constexpr int KindRole = Qt::UserRole + 1;
constexpr int IdRole = Qt::UserRole;

const QString errorStyle = u"color: #b00020;"_s;

QString headText(const RevisionMap &map, int index)
{
    QString text = map.idOf(index);
    if (const QString &message = map.revision(index).message; !message.isEmpty())
        text += u' ' + message;
    if (const QStringList &labels = map.labels(index); !labels.isEmpty())
        text += u" ("_s + labels.join(u", "_s) + u')';
    return text;
}

QStringList splitList(const QString &text)
{
    QStringList items;
    for (const QString &part : text.split(u',')) {
        // A trailing comma is what one types before the next entry: not an error.
        if (const QString item = part.trimmed(); !item.isEmpty())
            items.append(item);
    }
    return items;
}

} // namespace

NewRevisionDialog::NewRevisionDialog(MigrationController *controller, std::shared_ptr<const Project> project,
                                     QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_project(std::move(project))
{
    Q_ASSERT(m_controller);
    Q_ASSERT(m_project);
    setObjectName(u"newRevisionDialog"_s);
    buildUi();
    connect(m_controller, &MigrationController::revisionWritten, this, &NewRevisionDialog::onRevisionWritten);
    prepareNewRevision();
}

NewRevisionDialog::~NewRevisionDialog() = default;

void NewRevisionDialog::setProject(std::shared_ptr<const Project> project)
{
    Q_ASSERT(project);
    // A write under way holds its own reference to the project it was started with.
    m_project = std::move(project);
}

void NewRevisionDialog::buildUi()
{
    m_titleLabel = new QLabel(this);
    m_titleLabel->setObjectName(u"titleLabel"_s);
    QFont titleFont = m_titleLabel->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_titleLabel->setFont(titleFont);

    m_messageEdit = new QLineEdit(this);
    m_messageEdit->setObjectName(u"messageEdit"_s);
    m_messageEdit->setPlaceholderText(tr("What the revision does, e.g. add notes to devices"));

    m_parentCombo = new QComboBox(this);
    m_parentCombo->setObjectName(u"parentCombo"_s);
    m_parentCombo->setPlaceholderText(tr("Choose the parent revision…"));
    m_parentCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_parentCombo->setMinimumContentsLength(40);

    m_otherParentEdit = new QLineEdit(this);
    m_otherParentEdit->setObjectName(u"otherParentEdit"_s);
    m_otherParentEdit->setPlaceholderText(tr("An id, a prefix, label@head, label@-1…"));
    m_otherParentEdit->setToolTip(tr("Any revision the project's map resolves; choose \"Other revision…\" "
                                     "above to use it"));

    m_spliceCheck = new QCheckBox(tr("Splice: start a new branch from a revision that is not a head"), this);
    m_spliceCheck->setObjectName(u"spliceCheck"_s);

    m_mergeList = new QListWidget(this);
    m_mergeList->setObjectName(u"mergeList"_s);
    m_mergeList->setToolTip(tr("The heads the merge revision joins; check at least two"));
    m_mergeList->setMaximumHeight(120);

    m_branchLabelEdit = new QLineEdit(this);
    m_branchLabelEdit->setObjectName(u"branchLabelEdit"_s);
    m_branchLabelEdit->setPlaceholderText(tr("Optional: one word naming the branch this revision starts"));

    m_dependsOnEdit = new QLineEdit(this);
    m_dependsOnEdit->setObjectName(u"dependsOnEdit"_s);
    m_dependsOnEdit->setPlaceholderText(tr("Optional: revisions or labels, separated by commas"));

    m_autogenerateCheck = new QCheckBox(tr("Autogenerate from schema.sql"), this);
    m_autogenerateCheck->setObjectName(u"autogenerateCheck"_s);
    m_autogenerateCheck->setEnabled(false);
    m_autogenerateCheck->setToolTip(tr("Select a database connection first: autogenerate builds the schemas "
                                       "to compare on scratch databases of its backend"));

    m_fileNameLabel = new QLabel(this);
    m_fileNameLabel->setObjectName(u"fileNamePreview"_s);
    m_fileNameLabel->setTextFormat(Qt::PlainText);
    m_fileNameLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont fileFont(u"DejaVu Sans Mono"_s);
    fileFont.setStyleHint(QFont::Monospace);
    m_fileNameLabel->setFont(fileFont);

    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(u"statusLabel"_s);
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_buttons = new QDialogButtonBox(this);
    m_buttons->setObjectName(u"buttonBox"_s);
    m_okButton = m_buttons->addButton(QDialogButtonBox::Ok);
    m_okButton->setObjectName(u"okButton"_s);
    m_cancelButton = m_buttons->addButton(QDialogButtonBox::Cancel);
    m_cancelButton->setObjectName(u"cancelButton"_s);

    m_form = new QFormLayout;
    m_form->addRow(tr("&Message:"), m_messageEdit);
    m_form->addRow(tr("&Parent:"), m_parentCombo);
    m_form->addRow(tr("&Other revision:"), m_otherParentEdit);
    m_form->addRow(QString(), m_spliceCheck);
    m_form->addRow(tr("&Heads to merge:"), m_mergeList);
    m_form->addRow(tr("&Branch label:"), m_branchLabelEdit);
    m_form->addRow(tr("&Depends on:"), m_dependsOnEdit);
    m_form->addRow(QString(), m_autogenerateCheck);
    m_form->addRow(tr("File:"), m_fileNameLabel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_titleLabel);
    layout->addLayout(m_form);
    layout->addWidget(m_statusLabel);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewRevisionDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &NewRevisionDialog::reject);
    for (QLineEdit *edit : {m_messageEdit, m_otherParentEdit, m_branchLabelEdit, m_dependsOnEdit})
        connect(edit, &QLineEdit::textChanged, this, &NewRevisionDialog::formEdited);
    connect(m_parentCombo, &QComboBox::currentIndexChanged, this, [this] {
        const bool other = m_parentCombo->currentData(KindRole).toInt() == int(ParentKind::Other);
        if (other && !m_resetting)
            m_otherParentEdit->setFocus();
        formEdited();
    });
    connect(m_spliceCheck, &QCheckBox::toggled, this, &NewRevisionDialog::formEdited);
    connect(m_mergeList, &QListWidget::itemChanged, this, &NewRevisionDialog::formEdited);
}

void NewRevisionDialog::resetForm()
{
    m_revisionId.clear();
    do
        m_revisionId = RevisionWriter::newRevisionId();
    while (m_project->map().indexOf(m_revisionId) >= 0);
    m_writeError.clear();
    m_messageEdit->clear();
    m_otherParentEdit->clear();
    m_spliceCheck->setChecked(false);
    m_branchLabelEdit->clear();
    m_dependsOnEdit->clear();
    fillHeads();

    const bool merge = m_mode == Mode::Merge;
    m_form->setRowVisible(m_parentCombo, !merge);
    m_form->setRowVisible(m_otherParentEdit, !merge);
    m_form->setRowVisible(m_spliceCheck, !merge);
    // Alembic's merge takes no --depends-on.
    m_form->setRowVisible(m_dependsOnEdit, !merge);
    m_form->setRowVisible(m_mergeList, merge);
    m_okButton->setText(merge ? tr("Create merge revision") : tr("Create revision"));
    setWindowTitle(merge ? tr("Merge heads") : tr("New revision"));
    m_titleLabel->setText(merge ? tr("Merge heads into one revision") : tr("New revision"));
    m_messageEdit->setFocus();
}

void NewRevisionDialog::fillHeads()
{
    const RevisionMap &map = m_project->map();
    m_parentCombo->clear();
    m_mergeList->clear();
    int widest = 0;
    for (int head : map.heads()) {
        m_parentCombo->addItem(headText(map, head), map.idOf(head));
        m_parentCombo->setItemData(m_parentCombo->count() - 1, int(ParentKind::Head), KindRole);
        auto *item = new QListWidgetItem(headText(map, head), m_mergeList);
        item->setData(IdRole, map.idOf(head));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
        item->setToolTip(item->text());
        widest = std::max(widest, m_mergeList->fontMetrics().horizontalAdvance(item->text()));
    }
    // Wide enough for each head's whole id, message and labels (up to a sane width; the tooltip has the
    // rest): a merge is decided on those names, so they must not be cut.
    const int indicator = m_mergeList->style()->pixelMetric(QStyle::PM_IndicatorWidth) +
                          3 * m_mergeList->style()->pixelMetric(QStyle::PM_CheckBoxLabelSpacing);
    const int chrome = 2 * m_mergeList->frameWidth() + m_mergeList->verticalScrollBar()->sizeHint().width();
    m_mergeList->setMinimumWidth(std::min(widest + indicator + chrome + 8, 960));
    m_parentCombo->addItem(tr("base (a new root)"), u"base"_s);
    m_parentCombo->setItemData(m_parentCombo->count() - 1, int(ParentKind::Base), KindRole);
    m_parentCombo->addItem(tr("Other revision…"));
    m_parentCombo->setItemData(m_parentCombo->count() - 1, int(ParentKind::Other), KindRole);
}

void NewRevisionDialog::setDatabaseUrl(const std::optional<DatabaseUrl> &url)
{
    m_databaseUrl = url;
    if (m_project && m_project->isAlembicPython()) {
        // Alembic's own autogenerate: env.py's target_metadata against the selected database.
        m_autogenerateCheck->setText(
            tr("Autogenerate (Alembic: env.py's target_metadata against the database)"));
        m_autogenerateCheck->setEnabled(url.has_value() && !m_writing && m_mode == Mode::NewRevision);
        if (!url)
            m_autogenerateCheck->setChecked(false);
        m_autogenerateCheck->setToolTip(
            url ? tr("Alembic compares the project's models with %1 and drafts the operations; review the "
                     "draft "
                     "before running it")
                      .arg(url->toDisplayString())
                : tr("Select a database connection first: Alembic compares the models with it"));
        return;
    }
    m_autogenerateCheck->setText(tr("Autogenerate from schema.sql"));
    const bool hasModel = m_project && QFileInfo::exists(SchemaBuilder::modelPath(*m_project));
    const bool available = url.has_value() && hasModel;
    m_autogenerateCheck->setEnabled(available && !m_writing && m_mode == Mode::NewRevision);
    if (!available)
        m_autogenerateCheck->setChecked(false);
    m_autogenerateCheck->setToolTip(
        !hasModel ? tr("This project has no schema.sql to autogenerate from")
        : !url    ? tr("Select a database connection first: autogenerate builds the schemas to compare on "
                          "scratch databases of its backend")
                  : tr("Draft the SQL from the difference between the schema at the parent and "
                          "schema.sql (built on scratch databases like %1); review it before running it")
                     .arg(url->toDisplayString()));
}

void NewRevisionDialog::prepareNewRevision(const QString &parentId)
{
    m_resetting = true;
    m_mode = Mode::NewRevision;
    resetForm();
    const RevisionMap &map = m_project->map();
    int current = -1;
    if (parentId.isEmpty()) {
        if (map.heads().size() == 1)
            current = 0;
        else if (map.heads().isEmpty())
            current = m_parentCombo->findData(int(ParentKind::Base), KindRole);
        // Several heads: none is the obvious parent, so the user picks (or merges instead).
    } else if (parentId == u"base"_s) {
        current = m_parentCombo->findData(int(ParentKind::Base), KindRole);
    } else {
        current = m_parentCombo->findData(parentId, IdRole);
        if (current < 0 || m_parentCombo->itemData(current, KindRole).toInt() != int(ParentKind::Head)) {
            current = m_parentCombo->findData(int(ParentKind::Other), KindRole);
            m_otherParentEdit->setText(parentId);
        }
    }
    m_parentCombo->setCurrentIndex(current);
    m_resetting = false;
    updateState();
}

void NewRevisionDialog::prepareMerge(const QStringList &headIds)
{
    m_resetting = true;
    m_mode = Mode::Merge;
    resetForm();
    for (int row = 0; row < m_mergeList->count(); ++row) {
        QListWidgetItem *item = m_mergeList->item(row);
        item->setCheckState(headIds.contains(item->data(IdRole).toString()) ? Qt::Checked : Qt::Unchecked);
    }
    m_resetting = false;
    updateState();
}

QStringList NewRevisionDialog::checkedMergeHeads() const
{
    QStringList ids;
    for (int row = 0; row < m_mergeList->count(); ++row) {
        if (m_mergeList->item(row)->checkState() == Qt::Checked)
            ids.append(m_mergeList->item(row)->data(IdRole).toString());
    }
    return ids;
}

QString NewRevisionDialog::statusText() const
{
    return m_statusLabel->text();
}

QString NewRevisionDialog::fileNamePreview() const
{
    return m_fileNameLabel->text();
}

// Fills request.heads, request.splice and request.directory; returns what is wrong with the parents.
QString NewRevisionDialog::checkParents(Request &request) const
{
    const RevisionMap &map = m_project->map();
    const QStringList locations = m_project->config().versionLocations();
    if (locations.size() == 1)
        request.directory = QDir::cleanPath(locations.first());
    if (m_mode == Mode::Merge) {
        request.heads = checkedMergeHeads();
        if (request.heads.size() < 2)
            return tr("Check at least two heads to merge");
    } else {
        const int current = m_parentCombo->currentIndex();
        if (current < 0) {
            const QStringList heads = map.idsOf(map.heads());
            return tr("There are %n heads (%1): choose the parent of the new revision, or merge the heads",
                      nullptr, int(heads.size()))
                .arg(heads.join(u", "_s));
        }
        switch (ParentKind(m_parentCombo->itemData(current, KindRole).toInt())) {
        case ParentKind::Head:
        case ParentKind::Base:
            request.heads = {m_parentCombo->itemData(current, IdRole).toString()};
            break;
        case ParentKind::Other:
            request.heads = {m_otherParentEdit->text().trimmed()};
            if (request.heads.first().isEmpty())
                return tr("Enter the revision the new one goes on top of");
            break;
        }
    }

    // Resolved with splice allowed so that the engine's own refusals (unknown, ambiguous, duplicates) come
    // through; the splice rule is said in the dialog's terms below.
    Expected<QList<int>> parents = RevisionWriter::resolveParents(map, request.heads, true);
    if (!parents)
        return parents.error().message();
    for (int parent : std::as_const(*parents)) {
        if (!map.isHead(parent))
            request.notHeads.append(map.idOf(parent));
    }
    // As the writer: with several version locations the file goes beside its first parent.
    if (request.directory.isEmpty() && !parents->isEmpty())
        request.directory = QFileInfo(map.revision(parents->first()).path).absolutePath();

    if (m_mode == Mode::NewRevision && !request.notHeads.isEmpty()) {
        request.splice = m_spliceCheck->isChecked();
        if (!request.splice) {
            return tr("Revision %1 is not a head: check \"Splice\" to start a new branch from it")
                .arg(request.notHeads.join(u", "_s));
        }
    }
    return {};
}

NewRevisionDialog::Request NewRevisionDialog::readForm() const
{
    Request request;
    const RevisionMap &map = m_project->map();
    QStringList problems;
    if (m_messageEdit->text().trimmed().isEmpty())
        problems.append(tr("Enter a message: it describes the revision and names its file"));
    if (const QString problem = checkParents(request); !problem.isEmpty())
        problems.append(problem);

    if (const QString label = m_branchLabelEdit->text().trimmed(); !label.isEmpty()) {
        if (label.contains(u',') ||
            std::any_of(label.cbegin(), label.cend(), [](QChar c) { return c.isSpace(); }))
            problems.append(
                tr("Branch label '%1' is not valid: a label is one word, without spaces or commas")
                    .arg(label));
        else if (const int owner = map.labelOwner(label); owner >= 0)
            problems.append(
                tr("Branch label '%1' is already used by revision %2").arg(label, map.idOf(owner)));
        else if (map.indexOf(label) >= 0)
            problems.append(tr("Branch label '%1' is the id of an existing revision").arg(label));
        else
            request.branchLabels = {label};
    }

    if (m_mode == Mode::NewRevision) {
        request.dependsOn = splitList(m_dependsOnEdit->text());
        for (const QString &dependency : std::as_const(request.dependsOn)) {
            const Expected<int> target = map.resolveOne(dependency);
            if (!target) {
                problems.append(tr("Depends on '%1': %2").arg(dependency, target.error().message()));
                break;
            }
            if (*target < 0) {
                problems.append(tr("Depends on '%1' names no revision").arg(dependency));
                break;
            }
        }
    }
    request.problem = problems.join(u'\n');
    return request;
}

void NewRevisionDialog::formEdited()
{
    if (m_resetting || m_writing)
        return;
    // The edit may fix what the engine refused; its message would then be stale.
    m_writeError.clear();
    updateState();
}

void NewRevisionDialog::updateState()
{
    if (m_resetting || m_writing)
        return;
    const bool other = m_parentCombo->currentData(KindRole).toInt() == int(ParentKind::Other);
    m_otherParentEdit->setEnabled(m_mode == Mode::NewRevision && other);

    const Request request = readForm();
    // Splice only means something for a parent that is not a head; a stale tick is dropped so that it
    // does not apply silently to the next such parent.
    m_spliceCheck->setEnabled(!request.notHeads.isEmpty());
    if (request.notHeads.isEmpty() && m_spliceCheck->isChecked()) {
        const QSignalBlocker blocker(m_spliceCheck);
        m_spliceCheck->setChecked(false);
    }
    const ProjectConfig &config = m_project->config();
    QDateTime now = QDateTime::currentDateTime();
    if (const QTimeZone zone(config.timezone().toUtf8()); !config.timezone().isEmpty() && zone.isValid())
        now = now.toTimeZone(zone);
    Expected<QString> name = RevisionWriter::fileName(
        config.fileTemplate(), m_revisionId,
        RevisionWriter::slug(m_messageEdit->text(), config.truncateSlugLength()), now);
    if (name && m_project->isAlembicPython() && name->endsWith(u".sql"_s)) {
        // Alembic writes <file_template>.py.
        name->chop(4);
        name->append(u".py"_s);
    }
    QString problem = request.problem;
    m_plannedPath.clear();
    if (!name) {
        problem = EngineError(name.error()).setFile(config.iniPath()).toString();
        m_fileNameLabel->clear();
    } else if (request.directory.isEmpty()) {
        m_fileNameLabel->setText(*name);
    } else {
        m_plannedPath = QDir::cleanPath(request.directory + u'/' + *name);
        m_fileNameLabel->setText(QDir(config.scriptLocation()).relativeFilePath(m_plannedPath));
    }

    m_okButton->setEnabled(problem.isEmpty());
    m_errorText = m_writeError.isEmpty() ? problem : m_writeError;
    m_statusLabel->setStyleSheet(errorStyle);
    m_statusLabel->setText(m_errorText);
}

void NewRevisionDialog::setWriting(bool writing)
{
    m_writing = writing;
    const QList<QWidget *> inputs = {m_messageEdit, m_parentCombo,     m_otherParentEdit, m_spliceCheck,
                                     m_mergeList,   m_branchLabelEdit, m_dependsOnEdit};
    for (QWidget *input : inputs)
        input->setEnabled(!writing);
    m_okButton->setEnabled(!writing);
    // Only a draft can be stopped (a plain write takes milliseconds and is never cut short).
    m_cancelButton->setEnabled(!writing || m_writeCancellable);
    if (writing) {
        m_errorText.clear();
        m_statusLabel->setStyleSheet({});
        m_statusLabel->setText(tr("Writing %1…").arg(fileNamePreview()));
    } else {
        updateState();
    }
}

void NewRevisionDialog::accept()
{
    if (m_writing)
        return;
    m_writeError.clear();
    updateState();
    if (!m_okButton->isEnabled())
        return;
    const Request request = readForm();

    // Only values (and the shared, immutable project) go to the controller's worker thread.
    RevisionAuthor::Request write;
    write.revision.message = m_messageEdit->text().trimmed();
    write.revision.revId = m_revisionId;
    write.revision.branchLabels = request.branchLabels;
    if (m_mode == Mode::Merge) {
        write.mergeRevisions = request.heads;
    } else {
        write.revision.heads = request.heads;
        write.revision.splice = request.splice;
        write.revision.dependsOn = request.dependsOn;
        if (m_autogenerateCheck->isChecked())
            write.autogenerate = m_databaseUrl;
    }
    write.python = m_python;
    write.pythonSource = u"the project's Python interpreter setting"_s;
    if (!m_controller) {
        m_writeError = tr("The window's database jobs have ended: nothing was written");
        updateState();
        return;
    }
    m_writeCancellable = write.autogenerate.has_value();
    m_cancelRequested = false;
    setWriting(true);
    m_lastReviewNotes.clear();
    m_writeToken = m_controller->writeRevision(m_project, write);
}

void NewRevisionDialog::reject()
{
    if (!m_writing) {
        QDialog::reject();
        return;
    }
    // A draft under way is asked to stop; its outcome is still seen (the revision may be written by then).
    if (m_writeCancellable && !m_cancelRequested && m_controller) {
        m_cancelRequested = true;
        m_cancelButton->setEnabled(false);
        m_statusLabel->setText(tr("Cancelling…"));
        m_controller->cancelJob(m_writeToken);
    }
}

void NewRevisionDialog::onRevisionWritten(quint64 token, bool ok, const Revision &revision,
                                          const QStringList &reviewNotes, const EngineError &error)
{
    if (token != m_writeToken)
        return;
    m_writeToken = 0;
    m_writeCancellable = false;
    const bool cancelled = std::exchange(m_cancelRequested, false);
    if (ok) {
        m_lastReviewNotes = reviewNotes;
        // Inputs back on: the dialog is shown again for the next revision.
        setWriting(false);
        emit revisionCreated(revision.path, revision.id);
        QDialog::accept();
        return;
    }
    if (cancelled) {
        // Stopped as the user asked: nothing was written, and the dialog goes as Cancel would have it go.
        setWriting(false);
        QDialog::reject();
        return;
    }
    m_writeError = error.toString();
    setWriting(false);
}

} // namespace qmigrate
