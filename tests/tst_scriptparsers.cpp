#include <QTest>

class Tstscriptparsers : public QObject
{
    Q_OBJECT
};

QTEST_GUILESS_MAIN(Tstscriptparsers)
#include "tst_scriptparsers.moc"
