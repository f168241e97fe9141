// SPDX-License-Identifier: MIT
#include "workspace/projectbanner.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace qmigrate {

ProjectBanner::ProjectBanner(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(u"projectBanner"_s);
    setWordWrap(true);
    setContentsMargins(8, 4, 8, 4);
    setStyleSheet(u"QLabel { background: #fff3cd; color: #664d03; border-bottom: 1px solid #e6cf86; }"_s);
    setTextFormat(Qt::RichText);
    hide();
    connect(this, &QLabel::linkActivated, this, [this] {
        if (m_problem)
            emit openLocation(m_problem->file(), std::max(1, m_problem->line()));
    });
}

void ProjectBanner::setProblem(const std::optional<EngineError> &problem)
{
    m_problem = problem;
    if (!problem) {
        hide();
        return;
    }
    const QString where = problem->file().isEmpty()
                              ? QString()
                              : u"<a href=\"open\">%1%2</a>: "_s.arg(
                                    QDir::toNativeSeparators(problem->file()).toHtmlEscaped(),
                                    problem->line() > 0 ? u":%1"_s.arg(problem->line()) : QString());
    setText(
        tr("<b>The project's files do not read now</b> — %1%2<br>Showing the project as it was last read; "
           "it is read again when the files change.")
            .arg(where, problem->message().toHtmlEscaped()));
    show();
}

} // namespace qmigrate
