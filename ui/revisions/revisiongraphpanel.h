#pragma once

#include <QList>
#include <QWidget>

#include <utility>

class QLabel;
class QLineEdit;

namespace qmigrate {

class RevisionGraphView;

// The revision graph with its tool strip: search (id prefix, message, label; Enter finds the next match,
// Shift+Enter the previous one), zoom and fit, and the legend of the node colours.
class RevisionGraphPanel : public QWidget
{
    Q_OBJECT

public:
    explicit RevisionGraphPanel(QWidget *parent = nullptr);

    RevisionGraphView *view() const { return m_view; }
    QLineEdit *searchField() const { return m_search; }

public slots:
    // Focuses the search field with its text selected.
    void startSearch();

protected:
    void changeEvent(QEvent *event) override;

private:
    void find(bool backwards);
    void updateSwatches();

    RevisionGraphView *m_view;
    QLineEdit *m_search;
    QWidget *m_legend;
    QList<std::pair<QLabel *, int>> m_swatches; // a DatabaseState::Node, or -1 for the depends_on arrow
};

} // namespace qmigrate
