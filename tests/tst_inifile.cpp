#include <QTest>

class Tstinifile : public QObject
{
    Q_OBJECT
};

QTEST_GUILESS_MAIN(Tstinifile)
#include "tst_inifile.moc"
