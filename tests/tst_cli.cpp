#include <QTest>

class Tstcli : public QObject
{
    Q_OBJECT
};

QTEST_GUILESS_MAIN(Tstcli)
#include "tst_cli.moc"
