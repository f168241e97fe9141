#include <QTest>

class Tstdatabaseurl : public QObject
{
    Q_OBJECT
};

QTEST_GUILESS_MAIN(Tstdatabaseurl)
#include "tst_databaseurl.moc"
