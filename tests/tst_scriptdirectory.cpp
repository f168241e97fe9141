#include <QTest>

class Tstscriptdirectory : public QObject
{
    Q_OBJECT
};

QTEST_GUILESS_MAIN(Tstscriptdirectory)
#include "tst_scriptdirectory.moc"
