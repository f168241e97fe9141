#pragma once

#include "engineerror.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QTreeView;
class RevisionListModel;

namespace qmigrate {
class Project;
}

// The application frame. This first version opens a project and lists its revisions; the graph view, the
// editor and the migration actions arrive as their own panels.
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
    QString detailsText() const;

signals:
    void projectLoaded(const QString &iniPath);
    void projectFailed(const QString &message);

private:
    struct LoadResult;

    void chooseProject();
    void onLoadFinished();
    void showDetails(const QModelIndex &current);

    RevisionListModel *m_model = nullptr;
    QTreeView *m_view = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QLabel *m_status = nullptr;
    QFutureWatcher<std::shared_ptr<LoadResult>> m_loadWatcher;
    QString m_loadingPath;
};
