// SPDX-License-Identifier: MIT
#include "core/textdiff.h"

#include <QList>

#include <dtl/dtl.hpp>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// Lines keep their "\n", so that a last line without one differs from the same text with one, as in diff.
std::vector<QString> splitLines(const QString &text)
{
    std::vector<QString> lines;
    qsizetype start = 0;
    while (start < text.size()) {
        const qsizetype end = text.indexOf(u'\n', start);
        if (end < 0) {
            lines.push_back(text.sliced(start));
            break;
        }
        lines.push_back(text.sliced(start, end + 1 - start));
        start = end + 1;
    }
    return lines;
}

struct Op
{
    enum Type { Common, Delete, Add };
    Type type;
    const QString *line;
};

QString range(qsizetype start, qsizetype count)
{
    // GNU diff: an empty range names the line before it.
    if (count == 0)
        return u"%1,0"_s.arg(start - 1);
    if (count == 1)
        return QString::number(start);
    return u"%1,%2"_s.arg(start).arg(count);
}

void appendLine(QString &out, QChar prefix, const QString &line)
{
    out += prefix;
    out += line;
    if (!line.endsWith(u'\n'))
        out += "\n\\ No newline at end of file\n"_L1;
}

} // namespace

QString TextDiff::unified(const QString &oldText, const QString &newText, const QString &oldName,
                          const QString &newName, int context)
{
    if (oldText == newText)
        return {};
    context = std::max(context, 0);
    const std::vector<QString> oldLines = splitLines(oldText);
    const std::vector<QString> newLines = splitLines(newText);

    dtl::Diff<QString, std::vector<QString>> diff(oldLines, newLines);
    diff.compose();

    // dtl's edit script, with every run of changes reordered to deletions first (dtl interleaves them).
    std::vector<Op> ops;
    std::vector<Op> deletes;
    std::vector<Op> adds;
    auto flush = [&] {
        ops.insert(ops.end(), deletes.begin(), deletes.end());
        ops.insert(ops.end(), adds.begin(), adds.end());
        deletes.clear();
        adds.clear();
    };
    for (const auto &[line, info] : diff.getSes().getSequence()) {
        switch (info.type) {
        case dtl::SES_DELETE:
            deletes.push_back({Op::Delete, &oldLines[static_cast<size_t>(info.beforeIdx - 1)]});
            break;
        case dtl::SES_ADD:
            adds.push_back({Op::Add, &newLines[static_cast<size_t>(info.afterIdx - 1)]});
            break;
        default:
            flush();
            ops.push_back({Op::Common, &oldLines[static_cast<size_t>(info.beforeIdx - 1)]});
            break;
        }
    }
    flush();

    QString out = u"--- %1\n+++ %2\n"_s.arg(oldName, newName);
    const qsizetype n = static_cast<qsizetype>(ops.size());
    // 1-based line numbers of the old and new text at ops[i].
    std::vector<qsizetype> oldLine(static_cast<size_t>(n) + 1);
    std::vector<qsizetype> newLine(static_cast<size_t>(n) + 1);
    oldLine[0] = newLine[0] = 1;
    for (qsizetype i = 0; i < n; ++i) {
        const auto type = ops[static_cast<size_t>(i)].type;
        oldLine[static_cast<size_t>(i) + 1] = oldLine[static_cast<size_t>(i)] + (type != Op::Add ? 1 : 0);
        newLine[static_cast<size_t>(i) + 1] = newLine[static_cast<size_t>(i)] + (type != Op::Delete ? 1 : 0);
    }

    qsizetype i = 0;
    while (i < n) {
        while (i < n && ops[static_cast<size_t>(i)].type == Op::Common)
            ++i;
        if (i == n)
            break;
        const qsizetype begin = std::max<qsizetype>(0, i - context);
        // Extend over changes separated by at most 2 * context unchanged lines.
        qsizetype lastChange = i;
        qsizetype j = i + 1;
        while (j < n) {
            if (ops[static_cast<size_t>(j)].type != Op::Common) {
                lastChange = j;
                ++j;
                continue;
            }
            if (j - lastChange > 2 * context)
                break;
            ++j;
        }
        const qsizetype end = std::min(n, lastChange + 1 + context);
        const qsizetype oldCount = oldLine[static_cast<size_t>(end)] - oldLine[static_cast<size_t>(begin)];
        const qsizetype newCount = newLine[static_cast<size_t>(end)] - newLine[static_cast<size_t>(begin)];
        out += u"@@ -%1 +%2 @@\n"_s.arg(range(oldLine[static_cast<size_t>(begin)], oldCount),
                                        range(newLine[static_cast<size_t>(begin)], newCount));
        for (qsizetype k = begin; k < end; ++k) {
            const Op &op = ops[static_cast<size_t>(k)];
            appendLine(out, op.type == Op::Common ? u' ' : (op.type == Op::Delete ? u'-' : u'+'), *op.line);
        }
        i = end;
    }
    return out;
}

} // namespace qmigrate
