#include "mainwindow.h"

#include "project.h"
#include "revisionformatter.h"
#include "revisiongraphview.h"
#include "revisionlistmodel.h"
#include "scripteditor.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeView>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

struct MainWindow::LoadResult
{
    std::optional<qmigrate::Project> project;
    qmigrate::EngineError error;
};

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_model(new RevisionListModel(this))
    , m_view(new QTreeView(this))
    , m_details(new QPlainTextEdit(this))
    , m_graph(new qmigrate::RevisionGraphView(this))
    , m_editor(new qmigrate::ScriptEditor(this))
    , m_tabs(new QTabWidget(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("qmigrate"));
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true); // keeps 100k rows cheap to lay out
    m_view->setAlternatingRowColors(true);
    m_view->header()->setStretchLastSection(true);
    m_details->setReadOnly(true);
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap); // SQL and paths read better unwrapped
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(tr("Select a revision to see its details and SQL."));
    m_tabs->addTab(m_details, tr("Details"));
    m_tabs->addTab(m_editor, tr("Script"));
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_graph);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({700, 700});
    setCentralWidget(splitter);

    auto *listDock = new QDockWidget(tr("Revisions"), this);
    listDock->setObjectName(u"revisionsDock"_s);
    listDock->setWidget(m_view);
    addDockWidget(Qt::BottomDockWidgetArea, listDock);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                showDetails(current);
                const QString id = current.data(RevisionListModel::RevisionIdRole).toString();
                if (!id.isEmpty())
                    selectRevisionById(id);
            });
    connect(m_graph, &qmigrate::RevisionGraphView::revisionSelected, this, &MainWindow::selectRevisionById);
    // The graph is laid out off the UI thread and arrives after the list: give it the list's selection then.
    connect(m_graph, &qmigrate::RevisionGraphView::graphChanged, this, [this] {
        const QString id = m_view->currentIndex().data(RevisionListModel::RevisionIdRole).toString();
        if (!id.isEmpty())
            m_graph->selectRevision(id);
    });
    statusBar()->addWidget(m_status, 1);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *openAction = fileMenu->addAction(tr("&Open Project…"), this, &MainWindow::chooseProject);
    openAction->setShortcut(QKeySequence::Open);
    fileMenu->addSeparator();
    QAction *quitAction = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quitAction->setShortcut(QKeySequence::Quit);

    connect(&m_loadWatcher, &QFutureWatcherBase::finished, this, &MainWindow::onLoadFinished);
    resize(1400, 900);
}

MainWindow::~MainWindow()
{
    m_loadWatcher.waitForFinished();
}

void MainWindow::openProject(const QString &iniPath)
{
    m_loadingPath = iniPath;
    m_status->setText(tr("Loading %1…").arg(iniPath));
    // A newer request replaces the watched future, so a late result for an older one is never shown.
    m_loadWatcher.setFuture(QtConcurrent::run([iniPath] {
        auto result = std::make_shared<LoadResult>();
        qmigrate::Expected<qmigrate::Project> project = qmigrate::Project::open(iniPath);
        if (project)
            result->project.emplace(std::move(project.value()));
        else
            result->error = project.error();
        return result;
    }));
}

void MainWindow::onLoadFinished()
{
    const std::shared_ptr<LoadResult> result = m_loadWatcher.result();
    if (!result->project) {
        const QString message = result->error.toString();
        m_status->setText(tr("Could not open %1: %2").arg(m_loadingPath, message));
        emit projectFailed(message);
        return;
    }
    const qmigrate::RevisionMap &map = result->project->map();
    const int heads = int(map.realHeads().size());
    m_model->setMap(map);
    m_graph->showMap(map); // laid out off the UI thread
    for (int column = 0; column < RevisionListModel::MessageColumn; ++column)
        m_view->resizeColumnToContents(column);
    if (m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(0, 0));
    setWindowTitle(tr("%1 — qmigrate").arg(result->project->config().scriptLocation()));
    m_status->setText(
        tr("%n revision(s), %1 head(s) — %2", nullptr, int(map.size())).arg(heads).arg(m_loadingPath));
    emit projectLoaded(m_loadingPath);
}

void MainWindow::showDetails(const QModelIndex &current)
{
    const int revision = current.isValid() ? m_model->revisionIndex(current.row()) : -1;
    if (revision < 0) {
        m_details->clear();
        return;
    }
    const qmigrate::RevisionMap &map = m_model->map();
    const qmigrate::Revision &script = map.revision(revision);
    QString text = qmigrate::RevisionFormatter(map).logEntry(revision);
    if (script.kind == qmigrate::Revision::Kind::Sql) {
        text += u"\n-- migrate:upgrade (line %1)\n"_s.arg(script.upgradeLine) + script.upgradeSql.trimmed();
        text += u"\n\n-- migrate:downgrade (line %1)\n"_s.arg(script.downgradeLine) +
                script.downgradeSql.trimmed();
    }
    m_details->setPlainText(text);
}

void MainWindow::selectRevisionById(const QString &id)
{
    if (m_graph->selectedRevision() != id)
        m_graph->selectRevision(id);
    const QModelIndex current = m_view->currentIndex();
    if (current.data(RevisionListModel::RevisionIdRole).toString() != id) {
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const QModelIndex index = m_model->index(row, 0);
            if (index.data(RevisionListModel::RevisionIdRole).toString() == id) {
                m_view->setCurrentIndex(index);
                break;
            }
        }
    }
    const int revision = m_model->map().indexOf(id);
    if (revision < 0)
        return;
    const QString path = m_model->map().revision(revision).path;
    // Never throw away unsaved edits to follow the selection.
    if (m_editor->filePath() == path)
        return;
    if (m_editor->isModified()) {
        m_status->setText(
            tr("%1 has unsaved changes; save it to open another script.").arg(m_editor->filePath()));
        return;
    }
    QString error;
    if (!m_editor->openFile(path, &error))
        m_status->setText(error);
}

QString MainWindow::detailsText() const
{
    return m_details->toPlainText();
}

void MainWindow::chooseProject()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), {},
                                                      tr("Alembic configuration (*.ini);;All files (*)"));
    if (!path.isEmpty())
        openProject(path);
}
