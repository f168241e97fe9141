// SPDX-License-Identifier: MIT
// Sha256: the standard's published known answers and agreement with QCryptographicHash, for both engines,
// with the message in one piece and in chunks of every kind (empty, shorter than a block, straddling block
// ends).
#include "scripts/sha256.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;
using namespace qmigrate;

Q_DECLARE_METATYPE(qmigrate::Sha256::Engine)

namespace {

constexpr qsizetype kLargeLengths[] = {4095, 4096, 65537, 1000003};

const char *engineName(Sha256::Engine engine)
{
    return engine == Sha256::Engine::Portable ? "portable" : "sha-extensions";
}

// Whether the CPU has the SHA extensions; the engine in effect when nothing is forced.
bool cpuHasShaExtensions()
{
    Sha256::forceEngineForTesting(std::nullopt);
    return Sha256::engine() == Sha256::Engine::ShaExtensions;
}

// The data in pieces of random sizes: a quarter empty, and the rest up to three blocks long so that pieces
// both fill a started block and run across block ends.
Sha256Digest hashInChunks(QByteArrayView data, QRandomGenerator &random)
{
    Sha256 sha;
    qsizetype offset = 0;
    while (offset < data.size()) {
        const qsizetype size = random.bounded(4) == 0 ? 0 : random.bounded(1, 3 * int(Sha256::BlockSize) + 1);
        const qsizetype taken = std::min(size, data.size() - offset);
        sha.addData(data.sliced(offset, taken));
        offset += taken;
    }
    sha.addData(QByteArrayView());
    return sha.result();
}

} // namespace

class TestSha256 : public QObject
{
    Q_OBJECT

private:
    QByteArray m_data;

private slots:
    void initTestCase()
    {
        // Fixed seed: a failure is the same on every run.
        QRandomGenerator random(1804);
        m_data.resize(*std::max_element(std::begin(kLargeLengths), std::end(kLargeLengths)));
        for (char &c : m_data)
            c = char(random.generate());
    }

    void cleanup() { Sha256::forceEngineForTesting(std::nullopt); }

    void knownAnswers_data()
    {
        QTest::addColumn<Sha256::Engine>("engine");
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("digest");

        const struct
        {
            const char *name;
            QByteArray message;
            QString digest;
        } answers[] = {
            {"empty", QByteArray(), u"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_s},
            {"abc", "abc"_ba, u"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_s},
            {"448 bits", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"_ba,
             u"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"_s},
            {"million a", QByteArray(1'000'000, 'a'),
             u"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"_s},
        };
        for (const auto engine : {Sha256::Engine::Portable, Sha256::Engine::ShaExtensions}) {
            for (const auto &answer : answers) {
                QTest::addRow("%s: %s", engineName(engine), answer.name)
                    << engine << answer.message << answer.digest;
            }
        }
    }

    void knownAnswers()
    {
        QFETCH(Sha256::Engine, engine);
        QFETCH(QByteArray, message);
        QFETCH(QString, digest);
        if (engine == Sha256::Engine::ShaExtensions && !cpuHasShaExtensions())
            QSKIP("This CPU has no SHA extensions");
        Sha256::forceEngineForTesting(engine);
        QCOMPARE(Sha256::engine(), engine);

        QCOMPARE(Sha256::hash(message).toHex(), digest);
        QRandomGenerator random(1);
        QCOMPARE(hashInChunks(message, random).toHex(), digest);
    }

    void againstQt_data()
    {
        QTest::addColumn<Sha256::Engine>("engine");
        QTest::addColumn<QList<qsizetype>>("lengths");

        QList<qsizetype> small;
        for (qsizetype length = 0; length <= 300; ++length)
            small.append(length);
        for (const auto engine : {Sha256::Engine::Portable, Sha256::Engine::ShaExtensions}) {
            QTest::addRow("%s: 0..300", engineName(engine)) << engine << small;
            for (const qsizetype length : kLargeLengths)
                QTest::addRow("%s: %lld", engineName(engine), qlonglong(length)) << engine << QList{length};
        }
    }

    void againstQt()
    {
        QFETCH(Sha256::Engine, engine);
        QFETCH(QList<qsizetype>, lengths);
        if (engine == Sha256::Engine::ShaExtensions && !cpuHasShaExtensions())
            QSKIP("This CPU has no SHA extensions");
        Sha256::forceEngineForTesting(engine);
        QCOMPARE(Sha256::engine(), engine);

        QRandomGenerator random(quint32(lengths.constFirst()) + 1);
        for (const qsizetype length : lengths) {
            const QByteArrayView data = QByteArrayView(m_data).first(length);
            const QByteArray expected = QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
            const QByteArray inOneCall = Sha256::hash(data).toHex().toLatin1();
            QVERIFY2(inOneCall == expected, qPrintable(u"length %1, in one call"_s.arg(length)));
            const QByteArray inChunks = hashInChunks(data, random).toHex().toLatin1();
            QVERIFY2(inChunks == expected, qPrintable(u"length %1, in chunks"_s.arg(length)));
        }
    }

    void engineMatchesCpuinfo()
    {
#if !defined(Q_OS_LINUX)
        QSKIP("/proc/cpuinfo is Linux's");
#elif !defined(Q_PROCESSOR_X86_64)
        QSKIP("sha_ni is an x86 flag; elsewhere the portable engine is all there is");
#else
        QFile cpuinfo(u"/proc/cpuinfo"_s);
        QVERIFY(cpuinfo.open(QIODevice::ReadOnly));
        // readAll() rather than readLine() until atEnd(): /proc files report a size of 0, which QFile takes
        // for the end.
        const QList<QByteArray> lines = cpuinfo.readAll().split('\n');
        const auto flagsLine = std::find_if(lines.begin(), lines.end(),
                                            [](const QByteArray &line) { return line.startsWith("flags"); });
        QVERIFY2(flagsLine != lines.end(), "no flags line in /proc/cpuinfo");
        const QList<QByteArray> flags = flagsLine->mid(flagsLine->indexOf(':') + 1).simplified().split(' ');
        QVERIFY(flags.contains("sse2"));
        const auto expected =
            flags.contains("sha_ni") ? Sha256::Engine::ShaExtensions : Sha256::Engine::Portable;
        QCOMPARE(Sha256::engine(), expected);
#endif
    }

    void forcingPortable()
    {
        Sha256::forceEngineForTesting(Sha256::Engine::Portable);
        QCOMPARE(Sha256::engine(), Sha256::Engine::Portable);
        Sha256::forceEngineForTesting(std::nullopt);
        if (!cpuHasShaExtensions()) {
            // Never the SHA extensions on a CPU without them, not even when asked.
            Sha256::forceEngineForTesting(Sha256::Engine::ShaExtensions);
            QCOMPARE(Sha256::engine(), Sha256::Engine::Portable);
        }
    }
};

QTEST_GUILESS_MAIN(TestSha256)
#include "tst_sha256.moc"
