#include "mainwindow.h"

#include "project.h"
#include "revisionformatter.h"
#include "revisionlistmodel.h"

#include <QAction>
#include <QApplication>
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
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("qmigrate"));
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true); // keeps 100k rows cheap to lay out
    m_view->setAlternatingRowColors(true);
    m_view->header()->setStretchLastSection(true);
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(tr("Select a revision to see its details and SQL."));
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    setCentralWidget(splitter);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::showDetails);
    statusBar()->addWidget(m_status, 1);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *openAction = fileMenu->addAction(tr("&Open Project…"), this, &MainWindow::chooseProject);
    openAction->setShortcut(QKeySequence::Open);
    fileMenu->addSeparator();
    QAction *quitAction = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quitAction->setShortcut(QKeySequence::Quit);

    connect(&m_loadWatcher, &QFutureWatcherBase::finished, this, &MainWindow::onLoadFinished);
    resize(1200, 700);
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
