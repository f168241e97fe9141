#pragma once

#include "graph/revisionmap.h"

#include <QTreeView>

#include <memory>

class RevisionListModel;

namespace qmigrate {

// The revision list (the Revisions dock): one row per revision, newest first, over its own
// RevisionListModel. Selecting a row says which revision; selectRevision() follows a selection made
// elsewhere.
class RevisionListView : public QTreeView
{
    Q_OBJECT

public:
    explicit RevisionListView(QWidget *parent = nullptr);

    RevisionListModel *revisionModel() const { return m_model; }
    void setMap(std::shared_ptr<const RevisionMap> map);
    // The id of the current row; empty without one.
    QString currentRevision() const;
    void selectRevision(const QString &id);

signals:
    void revisionSelected(const QString &id);

private:
    void sizeColumns();

    RevisionListModel *m_model;
};

} // namespace qmigrate
