#include <QTest>

class Tstprojectconfig : public QObject
{
    Q_OBJECT
};

QTEST_GUILESS_MAIN(Tstprojectconfig)
#include "tst_projectconfig.moc"
