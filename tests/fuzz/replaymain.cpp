// SPDX-License-Identifier: MIT
// Runs a fuzz target's LLVMFuzzerTestOneInput over files, as libFuzzer replays a corpus, for builds without
// libFuzzer: each argument is a file or a folder whose files (subfolders included) are each one input. The
// CTest tests replay the seeds and the committed regressions this way, so the targets keep compiling and a
// crash once fixed stays fixed.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    QStringList files;
    for (int i = 1; i < argc; ++i) {
        const QString argument = QString::fromLocal8Bit(argv[i]);
        const QFileInfo info(argument);
        if (info.isFile()) {
            files.append(argument);
            continue;
        }
        // A seed folder that went away would silently leave the test with nothing to replay.
        if (!info.isDir()) {
            std::fprintf(stderr, "replay: %s: no such file or folder\n", argv[i]);
            return 2;
        }
        QStringList found;
        QDirIterator it(argument, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
            found.append(it.next());
        found.sort();
        files += found;
    }
    if (files.isEmpty()) {
        std::fprintf(stderr, "replay: no inputs; usage: %s FILE_OR_FOLDER...\n", argv[0]);
        return 2;
    }

    for (const QString &path : std::as_const(files)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "replay: cannot read %s: %s\n", qUtf8Printable(path),
                         qUtf8Printable(file.errorString()));
            return 2;
        }
        const QByteArray content = file.readAll();
        std::fprintf(stderr, "replay: %s (%lld bytes)\n", qUtf8Printable(QDir::toNativeSeparators(path)),
                     static_cast<long long>(content.size()));
        std::fflush(stderr);
        // A buffer of exactly the input's size, as libFuzzer passes it, so that a read past the end is caught
        // by a sanitizer instead of landing on QByteArray's terminating NUL.
        const auto size = static_cast<size_t>(content.size());
        const std::unique_ptr<uint8_t[]> data(new uint8_t[size]);
        if (size > 0)
            std::memcpy(data.get(), content.constData(), size);
        LLVMFuzzerTestOneInput(data.get(), size);
    }
    std::fprintf(stderr, "replay: %lld inputs passed\n", static_cast<long long>(files.size()));
    return 0;
}
