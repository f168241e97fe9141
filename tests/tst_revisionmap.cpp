#include <QTest>

class Tstrevisionmap : public QObject
{
    Q_OBJECT
};

QTEST_GUILESS_MAIN(Tstrevisionmap)
#include "tst_revisionmap.moc"
