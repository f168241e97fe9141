// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include <cstdio>

// One row of the table `make bench` prints at the end (tests/bench/run-all.sh collects these lines from
// every benchmark's output): what was measured, Alembic's figure, qmigrate's, the floor's, the ratio the
// goal is about, the goal and whether this run met it. Empty cells print as "—".
struct BenchRow
{
    QString measure;
    QString alembic;
    QString qmigrate;
    QString floor;
    QString ratio;
    QString goal;
    enum class Met { NoGoal, Yes, No } met = Met::NoGoal;

    static QString ms(double value) { return QString::number(value, 'f', 1) + QStringLiteral(" ms"); }
    static QString times(double value) { return QString::number(value, 'f', 2) + QStringLiteral("x"); }

    void print() const
    {
        const auto cell = [](const QString &text) {
            return text.isEmpty() ? QStringLiteral("—") : QString(text).replace(u'|', u'/');
        };
        const QString metText = met == Met::NoGoal ? QString()
                                : met == Met::Yes  ? QStringLiteral("yes")
                                                   : QStringLiteral("no");
        const QByteArray line =
            (QStringLiteral("BENCH-ROW|") + cell(measure) + u'|' + cell(alembic) + u'|' + cell(qmigrate) +
             u'|' + cell(floor) + u'|' + cell(ratio) + u'|' + cell(goal) + u'|' + cell(metText))
                .toUtf8();
        std::printf("%s\n", line.constData());
        std::fflush(stdout);
    }
};
