// SPDX-License-Identifier: MIT
#pragma once

#include "core/engineerror.h"

#include <QLabel>

#include <optional>

namespace qmigrate {

// The strip above the graph saying why the project's files do not read now (file and line as a link), while
// the last good project stays on screen; hidden while they read.
class ProjectBanner : public QLabel
{
    Q_OBJECT

public:
    explicit ProjectBanner(QWidget *parent = nullptr);

    void setProblem(const std::optional<EngineError> &problem);

signals:
    // The link was clicked: the file and line (at least 1) of the problem.
    void openLocation(const QString &file, int line);

private:
    std::optional<EngineError> m_problem;
};

} // namespace qmigrate
