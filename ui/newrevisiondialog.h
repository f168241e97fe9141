#pragma once

#include "databaseurl.h"

#include "engineerror.h"
#include "revision.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace qmigrate {

class Project;

// The GUI's "New revision" and "Merge heads" dialog: the fields of `qmigrate-cli create` / `merge`
// (message, parent or parents, splice, branch label, depends on), validated live against the project's
// revision map, with the file name that will be written shown as it is typed.
//
// OK writes the file with RevisionWriter on a pool thread (the dialog shows "Writing…" meanwhile and takes
// no input); on success revisionCreated() is emitted and the dialog accepts, on failure the engine's error
// (file:line) is shown and the dialog stays open with nothing written. Show it with open(); reuse it by
// calling prepareNewRevision() or prepareMerge() again (after setProject() when the project was reloaded).
class NewRevisionDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Mode { NewRevision, Merge };

    // project must not be null; it is shared with the writer thread, so it stays alive while a write runs.
    explicit NewRevisionDialog(std::shared_ptr<const Project> project, QWidget *parent = nullptr);
    // Waits for a write under way (it takes milliseconds and cannot be interrupted) so that its file is
    // complete or absent.
    ~NewRevisionDialog() override;

    // The project new revisions are written to and validated against, e.g. after it was reloaded following
    // revisionCreated(). Call prepare*() next: the lists of heads are filled from it there.
    void setProject(std::shared_ptr<const Project> project);

    // Clears the form for a new revision on top of parentId: a head's id (or any identifier the map
    // resolves; a non-head needs "Splice"), "base" for a new root. Empty: the only head, base in an empty
    // project, and nothing chosen when there are several heads (the user must pick one or merge).
    void prepareNewRevision(const QString &parentId = {});
    // Clears the form for a merge: every head listed, those in headIds (ids as the map knows them)
    // checked. At least two must be checked for OK.
    void prepareMerge(const QStringList &headIds);

    // The database whose backend autogenerate builds its scratch databases on (the selected connection's, or
    // the project's own); without one, "Autogenerate" is off and says why. Autogenerate also needs the
    // project's schema.sql.
    void setDatabaseUrl(const std::optional<DatabaseUrl> &url);

    Mode mode() const { return m_mode; }
    bool isWriting() const { return m_writing; }
    // The id the new revision will get (fresh for every prepare*()).
    QString revisionId() const { return m_revisionId; }
    // What is wrong with the form, or the engine's refusal of the last write ("file:line: message"); empty
    // when OK may be pressed.
    QString errorText() const { return m_errorText; }
    // The status line as shown: errorText(), or "Writing…" while a write runs.
    QString statusText() const;
    // The file that will be written, as shown: relative to the script location ("versions/<rev>_<slug>.sql");
    // empty when the form does not say yet.
    QString fileNamePreview() const;
    // The same file as an absolute path (empty when unknown).
    QString plannedPath() const { return m_plannedPath; }
    // The ids checked in the merge list, in list (load) order.
    QStringList checkedMergeHeads() const;

    QLineEdit *messageEdit() const { return m_messageEdit; }
    QComboBox *parentCombo() const { return m_parentCombo; }
    QLineEdit *otherParentEdit() const { return m_otherParentEdit; }
    QCheckBox *spliceCheck() const { return m_spliceCheck; }
    QListWidget *mergeList() const { return m_mergeList; }
    QLineEdit *branchLabelEdit() const { return m_branchLabelEdit; }
    QLineEdit *dependsOnEdit() const { return m_dependsOnEdit; }
    QCheckBox *autogenerateCheck() const { return m_autogenerateCheck; }
    QPushButton *okButton() const { return m_okButton; }
    QPushButton *cancelButton() const { return m_cancelButton; }

public Q_SLOTS:
    // Starts the write when the form is valid; the dialog accepts once the file is written.
    void accept() override;
    // Ignored while a write runs: its outcome must be seen.
    void reject() override;

Q_SIGNALS:
    // A revision file was written: path is absolute, id the new revision's.
    void revisionCreated(const QString &path, const QString &id);

private:
    // What the pool thread hands back.
    struct WriteResult
    {
        bool ok = false;
        Revision revision;
        EngineError error;
    };
    // The form read and checked against the map.
    struct Request
    {
        QStringList heads; // --head values, or the revisions to merge
        bool splice = false;
        QStringList branchLabels;
        QStringList dependsOn;
        QStringList notHeads; // chosen parents that are not heads (they need splice)
        QString directory;    // where the file goes, when known
        QString problem;      // the first thing wrong, empty when the request can be written
    };

    void buildUi();
    void resetForm();
    void fillHeads();
    Request readForm() const;
    QString checkParents(Request &request) const;
    void formEdited();
    void updateState();
    void setWriting(bool writing);
    void onWriteFinished();

    std::shared_ptr<const Project> m_project;
    std::optional<DatabaseUrl> m_databaseUrl;
    Mode m_mode = Mode::NewRevision;
    QString m_revisionId;
    QString m_errorText;
    QString m_writeError; // the engine's refusal, kept until the form changes
    QString m_plannedPath;
    bool m_writing = false;
    bool m_resetting = false; // prepare*() fills the form: no validation per field
    QFutureWatcher<WriteResult> m_writeWatcher;

    QLabel *m_titleLabel = nullptr;
    QFormLayout *m_form = nullptr;
    QLineEdit *m_messageEdit = nullptr;
    QComboBox *m_parentCombo = nullptr;
    QLineEdit *m_otherParentEdit = nullptr;
    QCheckBox *m_spliceCheck = nullptr;
    QListWidget *m_mergeList = nullptr;
    QLineEdit *m_branchLabelEdit = nullptr;
    QLineEdit *m_dependsOnEdit = nullptr;
    QCheckBox *m_autogenerateCheck = nullptr;
    QLabel *m_fileNameLabel = nullptr;
    QLabel *m_statusLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_okButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
};

} // namespace qmigrate
