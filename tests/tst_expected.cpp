// SPDX-License-Identifier: MIT
// Expected<T> and Expected<void>: the engine's "value or error" and "may fail" results. Expected<void> is
// true on success, so a check written the other way round must fail here, not in a run.

#include "core/expected.h"

#include <QTest>

#include <type_traits>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

// Only explicit: an Expected that converted to bool silently would pass for a flag in any expression.
static_assert(!std::is_convertible_v<Expected<void>, bool>);
static_assert(std::is_constructible_v<bool, Expected<void>>);
static_assert(!std::is_convertible_v<Expected<int>, bool>);

Expected<void> succeed()
{
    return {};
}

Expected<void> fail(const QString &message)
{
    return EngineError(message, u"file.sql"_s, 7, u"abc"_s, EngineError::Kind::Database);
}

// The propagation pattern the engine uses: a "may fail" step inside a function that returns a value.
Expected<int> twice(bool failFirst)
{
    if (Expected<void> done = failFirst ? fail(u"first step"_s) : succeed(); !done)
        return done.error();
    return 2;
}

} // namespace

class TestExpected : public QObject
{
    Q_OBJECT

private slots:
    void voidSuccess()
    {
        const Expected<void> byDefault;
        QVERIFY(byDefault);
        QVERIFY(byDefault.hasValue());
        QVERIFY(Expected<void>::success());
        QVERIFY(succeed());
    }

    void voidFailureKeepsTheError()
    {
        const Expected<void> failed = fail(u"broken"_s);
        QVERIFY(!failed);
        QVERIFY(!failed.hasValue());
        QCOMPARE(failed.error().message(), u"broken"_s);
        QCOMPARE(failed.error().file(), u"file.sql"_s);
        QCOMPARE(failed.error().line(), 7);
        QCOMPARE(failed.error().revision(), u"abc"_s);
        QCOMPARE(failed.error().kind(), EngineError::Kind::Database);
    }

    void voidAssignment()
    {
        Expected<void> result = fail(u"first"_s);
        QVERIFY(!result);
        result = succeed();
        QVERIFY(result);
        result = fail(u"second"_s);
        QVERIFY(!result);
        QCOMPARE(result.error().message(), u"second"_s);
    }

    void propagatesIntoAValue()
    {
        const Expected<int> ok = twice(false);
        QVERIFY(ok);
        QCOMPARE(*ok, 2);
        const Expected<int> failed = twice(true);
        QVERIFY(!failed);
        QCOMPARE(failed.error().message(), u"first step"_s);
    }

    void valueOrError()
    {
        Expected<QString> text(u"value"_s);
        QVERIFY(text);
        QCOMPARE(*text, u"value"_s);
        QCOMPARE(text->size(), 5);
        const Expected<QString> missing(EngineError(u"none"_s));
        QVERIFY(!missing);
        QCOMPARE(missing.error().message(), u"none"_s);
        QCOMPARE(missing.error().kind(), EngineError::Kind::Project);
    }
};

QTEST_GUILESS_MAIN(TestExpected)
#include "tst_expected.moc"
