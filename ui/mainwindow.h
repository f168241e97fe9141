#pragma once

#include "engineerror.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTreeView;
class RevisionListModel;

namespace qmigrate {
class Project;
class RevisionGraphView;
class ScriptEditor;
} // namespace qmigrate

// The application frame: the revision graph in the middle, the selected revision's details and script beside
// it, the revision list in a dock. It only routes between the panels; the migration actions arrive with the
// MigrationController wiring.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads the project off the UI thread; projectLoaded() or projectFailed() follows.
    void openProject(const QString &iniPath);
    RevisionListModel *revisionModel() const { return m_model; }
    QTreeView *revisionView() const { return m_view; }
    qmigrate::RevisionGraphView *graphView() const { return m_graph; }
    qmigrate::ScriptEditor *scriptEditor() const { return m_editor; }
    QString detailsText() const;

signals:
    void projectLoaded(const QString &iniPath);
    void projectFailed(const QString &message);

private:
    struct LoadResult;

    void chooseProject();
    void onLoadFinished();
    void showDetails(const QModelIndex &current);
    // Keeps the graph and the list on the same revision and opens its script.
    void selectRevisionById(const QString &id);

    RevisionListModel *m_model = nullptr;
    QTreeView *m_view = nullptr;
    QPlainTextEdit *m_details = nullptr;
    qmigrate::RevisionGraphView *m_graph = nullptr;
    qmigrate::ScriptEditor *m_editor = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_status = nullptr;
    QFutureWatcher<std::shared_ptr<LoadResult>> m_loadWatcher;
    QString m_loadingPath;
};
