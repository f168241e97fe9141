// SPDX-License-Identifier: MIT
#include "editor/editortheme.h"
#include "editor/findbar.h"
#include "editor/scripteditor.h"

#include <Qsci/qscilexersql.h>
#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFontInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

#include <pwd.h>
#include <sys/fsuid.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using qmigrate::ScriptDiagnostic;
using qmigrate::ScriptEditor;

namespace {

const QString exampleName = u"83ca92fed024_create_devices_table.sql"_s;

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(bytes) == bytes.size();
}

QByteArray example()
{
    return readFile(QStringLiteral(QMIGRATE_SOURCE_DIR "/migrations/versions/") + exampleName);
}

QByteArray toCrLf(QByteArray bytes)
{
    return bytes.replace("\n", "\r\n");
}

// While alive (and asked to), the calling thread's file access runs as the user "nobody": Linux then drops
// root's override of file permissions for that thread, so a read-only directory is read-only for the test.
class FileAccessAsNobody
{
public:
    explicit FileAccessAsNobody(bool enable)
    {
        const passwd *nobody = enable ? ::getpwnam("nobody") : nullptr;
        if (!nobody)
            return;
        m_previous = ::setfsuid(nobody->pw_uid);
        m_active = int(::setfsuid(uid_t(-1))) == int(nobody->pw_uid);
    }
    ~FileAccessAsNobody()
    {
        if (m_previous >= 0)
            ::setfsuid(uid_t(m_previous));
    }
    FileAccessAsNobody(const FileAccessAsNobody &) = delete;
    FileAccessAsNobody &operator=(const FileAccessAsNobody &) = delete;

    bool isActive() const { return m_active; }

private:
    int m_previous = -1;
    bool m_active = false;
};

} // namespace

class TestScriptEditor : public QObject
{
    Q_OBJECT

private:
    // Copies the example into the temporary directory, opens it and shows the editor.
    QString openCopy(ScriptEditor &editor, const QTemporaryDir &dir, const QByteArray &bytes)
    {
        const QString path = dir.filePath(exampleName);
        if (!writeFile(path, bytes))
            return {};
        QString error;
        if (!editor.openFile(path, &error)) {
            qWarning() << error;
            return {};
        }
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!example().isEmpty());
        QVERIFY(!example().contains('\r'));
    }

    void openMissingFileNamesIt()
    {
        QTemporaryDir dir;
        ScriptEditor editor;
        const QString path = dir.filePath(u"missing.sql"_s);
        QString error;
        QVERIFY(!editor.openFile(path, &error));
        QCOMPARE(error, u"Could not open %1: No such file or directory"_s.arg(path));
        QVERIFY(editor.filePath().isEmpty());
    }

    void openInvalidUtf8NamesIt()
    {
        QTemporaryDir dir;
        ScriptEditor editor;
        const QString path = dir.filePath(u"latin1.sql"_s);
        QVERIFY(writeFile(path, "-- caf\xe9\nSELECT 1;\n"));
        QString error;
        QVERIFY(!editor.openFile(path, &error));
        QCOMPARE(error, u"Could not open %1: the file is not valid UTF-8"_s.arg(path));
        QVERIFY(editor.filePath().isEmpty());

        // Changed on disk into something that is not UTF-8: the buffer stays, the error names the file.
        const QString good = dir.filePath(u"good.sql"_s);
        QVERIFY(writeFile(good, "SELECT 1;\n"));
        QVERIFY(editor.openFile(good));
        QSignalSpy reloaded(&editor, &ScriptEditor::reloaded);
        QVERIFY(writeFile(good, "SELECT '\xe9';\n"));
        QTRY_COMPARE(editor.errorBannerText(), u"Could not open %1: the file is not valid UTF-8"_s.arg(good));
        QCOMPARE(editor.text(), u"SELECT 1;\n"_s);
        QCOMPARE(reloaded.count(), 0);
    }

    void saveWithoutFileFails()
    {
        ScriptEditor editor;
        QString error;
        QVERIFY(!editor.save(&error));
        QCOMPARE(error, u"There is no file to save the script to."_s);
        QCOMPARE(editor.errorBannerText(), error);
    }

    void typeSaveKeepsLineEndings_data()
    {
        QTest::addColumn<QByteArray>("original");
        QTest::addColumn<QByteArray>("eol");
        QTest::newRow("LF") << example() << QByteArray("\n");
        QTest::newRow("CRLF") << toCrLf(example()) << QByteArray("\r\n");
    }

    void typeSaveKeepsLineEndings()
    {
        QFETCH(QByteArray, original);
        QFETCH(QByteArray, eol);
        QTemporaryDir dir;
        ScriptEditor editor;
        const QString path = openCopy(editor, dir, original);
        QVERIFY(!path.isEmpty());
        QCOMPARE(editor.text().toUtf8(), original);
        QVERIFY(!editor.isModified());

        QSignalSpy modified(&editor, &ScriptEditor::modificationChanged);
        QSignalSpy saved(&editor, &ScriptEditor::saved);
        editor.textEdit()->setCursorPosition(0, 0);
        QTest::keyClicks(editor.textEdit(), u"-- note"_s);
        QTest::keyClick(editor.textEdit(), Qt::Key_Return);
        QVERIFY(editor.isModified());
        QCOMPARE(modified.count(), 1);
        QCOMPARE(modified.at(0).at(0).toBool(), true);

        QString error;
        QVERIFY2(editor.save(&error), qPrintable(error));
        QCOMPARE(readFile(path), QByteArray("-- note") + eol + original);
        QVERIFY(!editor.isModified());
        QCOMPARE(saved.count(), 1);
        QCOMPARE(saved.at(0).at(0).toString(), path);
        QCOMPARE(modified.count(), 2);

        // Undo goes back to the file as loaded.
        editor.textEdit()->undo();
        QCOMPARE(editor.text().toUtf8(), original);
        editor.textEdit()->redo();
        QCOMPARE(editor.text().toUtf8(), QByteArray("-- note") + eol + original);
    }

    void externalChangeWhileUnmodifiedReloads_data()
    {
        QTest::addColumn<bool>("atomic");
        QTest::newRow("rewritten in place") << false;
        QTest::newRow("replaced by rename") << true;
    }

    void externalChangeWhileUnmodifiedReloads()
    {
        QFETCH(bool, atomic);
        QTemporaryDir dir;
        ScriptEditor editor;
        const QString path = openCopy(editor, dir, example());
        QVERIFY(!path.isEmpty());
        editor.goToLine(12);
        QCOMPARE(editor.cursorLine(), 12);

        QSignalSpy reloaded(&editor, &ScriptEditor::reloaded);
        QSignalSpy changed(&editor, &ScriptEditor::externalChangeDetected);
        const auto change = [&](const QByteArray &bytes) {
            if (!atomic)
                return writeFile(path, bytes);
            QSaveFile file(path);
            return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
        };
        const QByteArray first = "-- changed outside\n" + example();
        QVERIFY(change(first));
        QVERIFY(reloaded.wait());
        QCOMPARE(editor.text().toUtf8(), first);
        QVERIFY(!editor.isModified());
        QCOMPARE(editor.cursorLine(), 12);
        QVERIFY(!editor.isExternalChangePending());
        QCOMPARE(changed.count(), 0);

        // The watch survives the change (a rename ends the original one).
        const QByteArray second = "-- again\n" + first;
        QVERIFY(change(second));
        QVERIFY(reloaded.wait());
        QCOMPARE(editor.text().toUtf8(), second);
    }

    void ownSaveDoesNotReload()
    {
        QTemporaryDir dir;
        ScriptEditor editor;
        const QString path = openCopy(editor, dir, example());
        QVERIFY(!path.isEmpty());
        QSignalSpy reloaded(&editor, &ScriptEditor::reloaded);
        QSignalSpy changed(&editor, &ScriptEditor::externalChangeDetected);
        QTest::keyClicks(editor.textEdit(), u"x"_s);
        QVERIFY(editor.save());
        QTest::keyClicks(editor.textEdit(), u"y"_s);
        // A later real change proves the watcher ran and ignored our own save in between.
        const QByteArray outside = "outside\n";
        QVERIFY(writeFile(path, outside));
        QVERIFY(changed.wait());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(reloaded.count(), 0);
        QCOMPARE(editor.text(), u"xy"_s + QString::fromUtf8(example()));
    }

    void externalChangeWhileModifiedAsks_data()
    {
        QTest::addColumn<QString>("button");
        QTest::addColumn<bool>("keepsBuffer");
        QTest::newRow("keep mine") << u"keepMineButton"_s << true;
        QTest::newRow("reload") << u"reloadButton"_s << false;
    }

    void externalChangeWhileModifiedAsks()
    {
        QFETCH(QString, button);
        QFETCH(bool, keepsBuffer);
        QTemporaryDir dir;
        ScriptEditor editor;
        editor.resize(800, 600);
        editor.show();
        const QString path = openCopy(editor, dir, example());
        QVERIFY(!path.isEmpty());
        QTest::keyClicks(editor.textEdit(), u"-- mine"_s);
        const QString mine = editor.text();

        QSignalSpy changed(&editor, &ScriptEditor::externalChangeDetected);
        QSignalSpy reloaded(&editor, &ScriptEditor::reloaded);
        const QByteArray theirs = "-- theirs\n";
        QVERIFY(writeFile(path, theirs));
        QVERIFY(changed.wait());
        QVERIFY(editor.isExternalChangePending());
        auto *banner = editor.findChild<QWidget *>(u"externalChangeBanner"_s);
        QVERIFY(banner);
        QVERIFY(banner->isVisible());
        QCOMPARE(editor.text(), mine);
        QCOMPARE(reloaded.count(), 0);
        QCOMPARE(banner->findChild<QLabel *>()->text(),
                 u"%1 changed on disk. Reload it, or keep your version?"_s.arg(exampleName));

        auto *pushButton = banner->findChild<QPushButton *>(button);
        QVERIFY(pushButton);
        QTest::mouseClick(pushButton, Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        if (keepsBuffer) {
            QCOMPARE(editor.text(), mine);
            QVERIFY(editor.isModified());
            QCOMPARE(reloaded.count(), 0);
            QVERIFY(editor.save());
            QCOMPARE(readFile(path), mine.toUtf8());
        } else {
            QCOMPARE(editor.text().toUtf8(), theirs);
            QVERIFY(!editor.isModified());
            QCOMPARE(reloaded.count(), 1);
        }
    }

    void removedFileCanBeSavedAgain()
    {
        QTemporaryDir dir;
        ScriptEditor editor;
        const QString path = openCopy(editor, dir, example());
        QVERIFY(!path.isEmpty());
        QSignalSpy changed(&editor, &ScriptEditor::externalChangeDetected);
        QVERIFY(QFile::remove(path));
        QVERIFY(changed.wait());
        QVERIFY(editor.isExternalChangePending());
        auto *banner = editor.findChild<QWidget *>(u"externalChangeBanner"_s);
        QCOMPARE(banner->findChild<QLabel *>()->text(),
                 u"%1 was removed from disk. Save to write it again."_s.arg(exampleName));
        QVERIFY(!banner->findChild<QPushButton *>(u"reloadButton"_s)->isEnabled());
        QCOMPARE(editor.text().toUtf8(), example());
        QVERIFY(editor.save());
        QCOMPARE(readFile(path), example());
        QVERIFY(!editor.isExternalChangePending());
    }

    void saveFailureKeepsBuffer_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("directory removed") << u"remove directory"_s;
        QTest::newRow("a directory in the file's place") << u"directory at path"_s;
        QTest::newRow("read-only directory") << u"read-only directory"_s;
    }

    void saveFailureKeepsBuffer()
    {
        QFETCH(QString, how);
        const bool readOnlyDirectory = how == u"read-only directory"_s;
        QTemporaryDir dir;
        ScriptEditor editor;
        const QString path = openCopy(editor, dir, example());
        QVERIFY(!path.isEmpty());
        QTest::keyClicks(editor.textEdit(), u"-- unsaved"_s);
        const QString buffer = editor.text();
        if (how == u"remove directory"_s) {
            QVERIFY(QDir(dir.path()).removeRecursively());
        } else if (how == u"directory at path"_s) {
            QVERIFY(QFile::remove(path));
            QVERIFY(QDir().mkdir(path));
        } else {
            QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner |
                                                          QFileDevice::ReadOther | QFileDevice::ExeOther));
        }
        QSignalSpy saved(&editor, &ScriptEditor::saved);
        QString error;
        {
            // Root writes into read-only directories: as root (CI), this thread's file access runs as
            // "nobody" for the save, which drops the override of file permissions.
            const FileAccessAsNobody nobody(readOnlyDirectory && ::geteuid() == 0);
            QVERIFY(nobody.isActive() || !readOnlyDirectory || ::geteuid() != 0);
            QVERIFY(!editor.save(&error));
        }
        if (readOnlyDirectory)
            QFile::setPermissions(dir.path(),
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QVERIFY2(error.startsWith(u"Could not save %1: "_s.arg(path)), qPrintable(error));
        QCOMPARE(editor.errorBannerText(), error);
        QVERIFY(editor.isModified());
        QCOMPARE(editor.text(), buffer);
        QCOMPARE(saved.count(), 0);
        if (readOnlyDirectory)
            QCOMPARE(readFile(path), example());
    }

    void diagnosticsMarkLines()
    {
        QTemporaryDir dir;
        ScriptEditor editor;
        QVERIFY(!openCopy(editor, dir, example()).isEmpty());
        QsciScintilla *edit = editor.textEdit();
        editor.setDiagnostics({
            {10, u"near \"TABLE\": syntax error"_s, ScriptDiagnostic::Severity::Error},
            {21, u"index name is long"_s, ScriptDiagnostic::Severity::Warning},
            {21, u"second note"_s, ScriptDiagnostic::Severity::Info},
            {24, u"runs last"_s, ScriptDiagnostic::Severity::Info},
        });
        for (int line = 0; line < edit->lines(); ++line) {
            unsigned expected = 0;
            if (line == 9)
                expected = 1u << ScriptEditor::ErrorMarker;
            else if (line == 20)
                expected = (1u << ScriptEditor::WarningMarker) | (1u << ScriptEditor::InfoMarker);
            else if (line == 23)
                expected = 1u << ScriptEditor::InfoMarker;
            QCOMPARE(edit->markersAtLine(line), expected);
        }
        QCOMPARE(edit->annotation(9), u"near \"TABLE\": syntax error"_s);
        QCOMPARE(edit->annotation(20), u"index name is long\nsecond note"_s);
        QCOMPARE(edit->annotation(0), QString());
        QCOMPARE(editor.diagnosticText(21), u"index name is long\nsecond note"_s);
        QCOMPARE(editor.diagnosticText(1), QString());

        const auto indicatorAt = [edit](int indicator, int line, int index) {
            const long position = edit->positionFromLineIndex(line, index);
            return edit->SendScintilla(QsciScintillaBase::SCI_INDICATORVALUEAT, indicator, position);
        };
        QCOMPARE(indicatorAt(ScriptEditor::ErrorIndicator, 9, 0), 1L);
        QCOMPARE(indicatorAt(ScriptEditor::ErrorIndicator, 10, 0), 0L);
        QCOMPARE(indicatorAt(ScriptEditor::WarningIndicator, 20, 0), 1L);
        QCOMPARE(editor.diagnostics().size(), 4);

        editor.clearDiagnostics();
        for (int line = 0; line < edit->lines(); ++line)
            QCOMPARE(edit->markersAtLine(line), 0u);
        QCOMPARE(edit->annotation(9), QString());
        QCOMPARE(indicatorAt(ScriptEditor::ErrorIndicator, 9, 0), 0L);
        QVERIFY(editor.diagnostics().isEmpty());
    }

    void annotationStylesSurviveManyEditors()
    {
        // QsciStyle's automatic numbering is process-wide and runs out after about eight
        // editors; annotations then lose their style and draw as black boxes.
        std::vector<std::unique_ptr<ScriptEditor>> editors;
        for (int i = 0; i < 20; ++i)
            editors.push_back(std::make_unique<ScriptEditor>());
        ScriptEditor &editor = *editors.back();
        QTemporaryDir dir;
        QVERIFY(!openCopy(editor, dir, example()).isEmpty());
        editor.setDiagnostics({{3, u"bad"_s, ScriptDiagnostic::Severity::Error},
                               {4, u"odd"_s, ScriptDiagnostic::Severity::Warning}});
        QsciScintilla *edit = editor.textEdit();
        const long offset = edit->SendScintilla(QsciScintillaBase::SCI_ANNOTATIONGETSTYLEOFFSET);
        QCOMPARE(edit->SendScintilla(QsciScintillaBase::SCI_ANNOTATIONGETSTYLE, 2) + offset,
                 long(ScriptEditor::ErrorAnnotationStyle));
        QCOMPARE(edit->SendScintilla(QsciScintillaBase::SCI_ANNOTATIONGETSTYLE, 3) + offset,
                 long(ScriptEditor::WarningAnnotationStyle));
        // Scintilla colours are 0xBBGGRR; the error box is the theme's error fill, not Scintilla's default.
        const QColor fill = qmigrate::EditorTheme(editor.palette()).annotationColours(0).first;
        QCOMPARE(edit->SendScintilla(QsciScintillaBase::SCI_STYLEGETBACK, ScriptEditor::ErrorAnnotationStyle),
                 long(fill.red() | fill.green() << 8 | fill.blue() << 16));
        QVERIFY(fill != editor.palette().color(QPalette::Base));
    }

    void goToLine()
    {
        QTemporaryDir dir;
        ScriptEditor editor;
        QVERIFY(!openCopy(editor, dir, example()).isEmpty());
        editor.goToLine(21);
        QCOMPARE(editor.cursorLine(), 21);
        editor.goToLine(500);
        QCOMPARE(editor.cursorLine(), editor.textEdit()->lines());
    }

    void findAndReplaceThroughTheBar()
    {
        QTemporaryDir dir;
        ScriptEditor editor;
        editor.resize(800, 600);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        // Shortcuts only fire in the active window.
        editor.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&editor));
        QVERIFY(!openCopy(editor, dir, example()).isEmpty());
        auto *bar = editor.findBar();
        QVERIFY(!bar->isVisible());
        editor.textEdit()->setFocus();
        QTest::keyClick(editor.textEdit(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(bar->isVisible());
        QVERIFY(!bar->findChild<QWidget *>(u"replaceEdit"_s)->isVisible());
        QTest::keyClick(bar, Qt::Key_Escape);
        QVERIFY(!bar->isVisible());
        editor.textEdit()->setFocus();
        QTest::keyClick(editor.textEdit(), Qt::Key_H, Qt::ControlModifier);
        QVERIFY(bar->isVisible());
        QVERIFY(bar->findChild<QWidget *>(u"replaceEdit"_s)->isVisible());

        bar->setCaseSensitive(true);
        bar->setFindText(u"devices"_s);
        editor.textEdit()->setCursorPosition(0, 0);
        QVERIFY(bar->findNext());
        int line, index, lineTo, indexTo;
        editor.textEdit()->getSelection(&line, &index, &lineTo, &indexTo);
        QCOMPARE(line, 0);
        QCOMPARE(editor.textEdit()->selectedText(), u"devices"_s);
        QVERIFY(bar->findNext());
        editor.textEdit()->getSelection(&line, &index, &lineTo, &indexTo);
        QCOMPARE(line, 9);
        QVERIFY(bar->findPrevious());
        editor.textEdit()->getSelection(&line, &index, &lineTo, &indexTo);
        QCOMPARE(line, 0);

        bar->setFindText(u"no such text"_s);
        QVERIFY(!bar->findNext());
        QCOMPARE(bar->statusText(), u"Not found"_s);

        // The replacement contains the search text: each match is replaced once.
        bar->setFindText(u"devices"_s);
        bar->setReplaceText(u"old_devices"_s);
        const QString original = QString::fromUtf8(example());
        QCOMPARE(bar->replaceAll(), int(original.count(u"devices"_s)));
        QCOMPARE(editor.text(), QString(original).replace(u"devices"_s, u"old_devices"_s));
        QCOMPARE(bar->statusText(), u"%1 replaced"_s.arg(original.count(u"devices"_s)));
        // One undo step reverts a replace-all.
        editor.textEdit()->undo();
        QCOMPARE(editor.text(), original);

        editor.textEdit()->setCursorPosition(0, 0);
        bar->setReplaceText(u"gadgets"_s);
        QVERIFY(bar->replaceCurrent()); // selects the first match
        QVERIFY(bar->replaceCurrent()); // replaces it
        QCOMPARE(editor.textEdit()->text(0), u"-- create gadgets table\n"_s);
    }

    void shortcutsStayInTheirEditor()
    {
        // Two editors in one window: Ctrl+F opens the find bar of the focused one only.
        QWidget window;
        auto *layout = new QHBoxLayout(&window);
        auto *first = new ScriptEditor(&window);
        auto *second = new ScriptEditor(&window);
        layout->addWidget(first);
        layout->addWidget(second);
        window.resize(1200, 600);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        second->textEdit()->setFocus();
        QTest::keyClick(second->textEdit(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(second->findBar()->isVisible());
        QVERIFY(!first->findBar()->isVisible());
    }

    void readOnlyBlocksEdits()
    {
        QTemporaryDir dir;
        ScriptEditor editor;
        const QString path = openCopy(editor, dir, example());
        QVERIFY(!path.isEmpty());
        editor.setReadOnly(true);
        QVERIFY(editor.isReadOnly());
        QTest::keyClicks(editor.textEdit(), u"typed"_s);
        QCOMPARE(editor.text().toUtf8(), example());
        editor.findBar()->setFindText(u"devices"_s);
        editor.findBar()->setReplaceText(u"x"_s);
        QCOMPARE(editor.findBar()->replaceAll(), 0);
        QCOMPARE(editor.text().toUtf8(), example());

        // A reload still works and leaves the editor read-only.
        QSignalSpy reloaded(&editor, &ScriptEditor::reloaded);
        QVERIFY(writeFile(path, "-- new\n"));
        QVERIFY(reloaded.wait());
        QCOMPARE(editor.text(), u"-- new\n"_s);
        QVERIFY(editor.textEdit()->isReadOnly());
        editor.setReadOnly(false);
        QTest::keyClicks(editor.textEdit(), u"ok "_s);
        QCOMPARE(editor.text(), u"ok -- new\n"_s);
    }

    void appliedBanner()
    {
        ScriptEditor editor;
        editor.show();
        const QString text = u"Applied on staging on 2026-01-20 — edits will not run there"_s;
        editor.setAppliedBanner(text);
        QCOMPARE(editor.appliedBannerText(), text);
        QVERIFY(editor.findChild<QWidget *>(u"appliedBanner"_s)->isVisible());
        editor.setAppliedBanner(QString());
        QCOMPARE(editor.appliedBannerText(), QString());
        QVERIFY(!editor.findChild<QWidget *>(u"appliedBanner"_s)->isVisible());
    }

    void everyStyleIsMonospace()
    {
        ScriptEditor editor;
        ScriptEditor other;
        // Each editor owns its lexer (a shared one would share style changes and lifetime).
        QVERIFY(editor.lexer() != other.lexer());
        QCOMPARE(editor.textEdit()->lexer(), editor.lexer());
        int styles = 0;
        for (int style = 0; style < 128; ++style) {
            if (editor.lexer()->description(style).isEmpty())
                continue;
            ++styles;
            const QFont font = editor.lexer()->font(style);
            QVERIFY2(font.family() == u"DejaVu Sans Mono"_s,
                     qPrintable(u"style %1 (%2): %3"_s.arg(style).arg(editor.lexer()->description(style),
                                                                      font.family())));
            QVERIFY(QFontInfo(font).fixedPitch());
        }
        QVERIFY(styles > 10);
    }

    void coloursFollowThePalette_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    // A dark desktop theme gives a dark editor, every style readable on it ('' strings included).
    void coloursFollowThePalette()
    {
        QFETCH(bool, dark);
        QPalette palette = QApplication::palette();
        if (dark) {
            palette.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
            palette.setColor(QPalette::Text, QColor(0xdf, 0xe1, 0xe5));
            palette.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
            palette.setColor(QPalette::WindowText, QColor(0xdf, 0xe1, 0xe5));
            palette.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
            palette.setColor(QPalette::HighlightedText, Qt::white);
        }
        ScriptEditor editor;
        editor.resize(500, 300);
        editor.setPalette(palette); // after construction: the editor follows a change, as on a theme switch
        QTemporaryDir dir;
        const QString path = dir.filePath(u"colours.sql"_s);
        QVERIFY(writeFile(path, "-- a comment\nSELECT '' AS empty, 'x' AS one, 42 AS n FROM \"t\";\n"));
        QVERIFY(editor.openFile(path));
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));

        const QColor base = palette.color(QPalette::Active, QPalette::Base);
        QsciLexerSQL *lexer = editor.lexer();
        for (int style = 0; style < 128; ++style) {
            if (lexer->description(style).isEmpty())
                continue;
            const QString what = u"style %1 (%2)"_s.arg(style).arg(lexer->description(style));
            QCOMPARE(lexer->paper(style), base);
            const double ratio = qmigrate::EditorTheme::contrast(lexer->color(style), base);
            QVERIFY2(ratio >= 4.5, qPrintable(what + u": contrast %1"_s.arg(ratio)));
        }
        QVERIFY(lexer->color(QsciLexerSQL::SingleQuotedString) != lexer->color(QsciLexerSQL::Default));
        QVERIFY(lexer->color(QsciLexerSQL::Keyword) != lexer->color(QsciLexerSQL::Default));
        QCOMPARE(qmigrate::EditorTheme(palette).isDark(), dark);

        // What is painted: the paper below the last line is the palette's Base.
        const QImage shot = editor.textEdit()->viewport()->grab().toImage();
        const QColor painted = shot.pixelColor(shot.width() - 20, shot.height() - 10);
        QVERIFY2(qmigrate::EditorTheme::contrast(painted, base) < 1.1,
                 qPrintable(u"painted %1, palette base %2"_s.arg(painted.name(), base.name())));
    }
};

QTEST_MAIN(TestScriptEditor)
#include "tst_scripteditor.moc"
