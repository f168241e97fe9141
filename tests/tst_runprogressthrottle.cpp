// SPDX-License-Identifier: MIT
#include "run/runprogressthrottle.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;
using namespace std::chrono_literals;

// What a run's progress looks like after the throttle: the newest of each kind, in an order a reader can
// follow, at most once per interval.
class TstRunProgressThrottle : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_throttle = std::make_unique<RunProgressThrottle>(60000ms); // only flush() delivers after the first
        m_events.clear();
        connect(m_throttle.get(), &RunProgressThrottle::stepStarted, this,
                [this](int index, int count, const QString &line) {
                    m_events.append(u"started %1/%2 %3"_s.arg(index).arg(count).arg(line));
                });
        connect(m_throttle.get(), &RunProgressThrottle::statementStarted, this,
                [this](int line, const QString &text) {
                    m_events.append(u"statement %1 %2"_s.arg(line).arg(text));
                });
        connect(m_throttle.get(), &RunProgressThrottle::stepFinished, this,
                [this](int index, int count, const QStringList &rows) {
                    m_events.append(u"finished %1/%2 [%3]"_s.arg(index).arg(count).arg(rows.join(u',')));
                });
    }

    void theFirstReportGoesOutAtOnce()
    {
        m_throttle->addStepStarted(0, 9, u"step a"_s);
        QCOMPARE(m_events, QStringList{u"started 0/9 step a"_s});
        QVERIFY(!m_throttle->isPending());
    }

    void laterReportsAreMergedKeepingTheNewest()
    {
        m_throttle->addStepStarted(0, 9, u"step a"_s);
        m_events.clear();
        m_throttle->addStatementStarted(3, u"CREATE TABLE a"_s);
        m_throttle->addStepFinished(0, 9, {u"a"_s});
        m_throttle->addStepStarted(1, 9, u"step b"_s);
        m_throttle->addStatementStarted(4, u"CREATE TABLE b"_s);
        m_throttle->addStepFinished(1, 9, {u"b"_s});
        m_throttle->addStepStarted(2, 9, u"step c"_s);
        m_throttle->addStatementStarted(5, u"CREATE TABLE c1"_s);
        m_throttle->addStatementStarted(9, u"CREATE TABLE c2"_s);
        QVERIFY(m_events.isEmpty());
        QVERIFY(m_throttle->isPending());
        m_throttle->flush();
        QCOMPARE(m_events, (QStringList{u"finished 1/9 [b]"_s, u"started 2/9 step c"_s,
                                        u"statement 9 CREATE TABLE c2"_s}));
        QVERIFY(!m_throttle->isPending());
    }

    void aStatementOfAFinishedStepIsDropped()
    {
        m_throttle->addStepStarted(0, 2, u"step a"_s);
        m_events.clear();
        m_throttle->addStatementStarted(3, u"CREATE TABLE a"_s);
        m_throttle->addStepFinished(0, 2, {u"a"_s});
        m_throttle->flush();
        QCOMPARE(m_events, QStringList{u"finished 0/2 [a]"_s});
    }

    void aStartedStepNotFinishedShowsAfterTheFinishedOne()
    {
        m_throttle->addStepStarted(0, 2, u"step a"_s);
        m_events.clear();
        m_throttle->addStepFinished(0, 2, {u"a"_s});
        m_throttle->addStepStarted(1, 2, u"step b"_s);
        m_throttle->flush();
        QCOMPARE(m_events, (QStringList{u"finished 0/2 [a]"_s, u"started 1/2 step b"_s}));
    }

    void discardForgetsWhatIsPending()
    {
        m_throttle->addStepStarted(0, 2, u"step a"_s);
        m_throttle->addStepFinished(0, 2, {u"a"_s});
        m_throttle->discard();
        QVERIFY(!m_throttle->isPending());
        m_events.clear();
        // And the next run's first report goes out at once again.
        m_throttle->addStepStarted(0, 5, u"next run"_s);
        QCOMPARE(m_events, QStringList{u"started 0/5 next run"_s});
    }

    void theIntervalDeliversWhatIsPending()
    {
        RunProgressThrottle throttle(20ms);
        QSignalSpy finished(&throttle, &RunProgressThrottle::stepFinished);
        QSignalSpy started(&throttle, &RunProgressThrottle::stepStarted);
        throttle.addStepStarted(0, 3, u"a"_s);
        QCOMPARE(started.count(), 1);
        for (int i = 0; i < 3; ++i)
            throttle.addStepFinished(i, 3, {u"r%1"_s.arg(i)});
        QCOMPARE(finished.count(), 0);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(0).toInt(), 2);
        QVERIFY(!throttle.isPending());
    }

private:
    std::unique_ptr<RunProgressThrottle> m_throttle;
    QStringList m_events;
};

QTEST_GUILESS_MAIN(TstRunProgressThrottle)
#include "tst_runprogressthrottle.moc"
