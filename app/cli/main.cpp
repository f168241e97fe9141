// SPDX-License-Identifier: MIT
#include "cliapplication.h"
#include "database/qtsqlmessages.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#include <cstring>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {

// The password of a "scheme://user:password@host/..." URL, overwritten in place with 'x': the process's
// argument memory is what ps and /proc/<pid>/cmdline show to every user, for as long as the run lasts.
void hidePassword(char *url)
{
    char *authority = std::strstr(url, "://");
    if (!authority)
        return;
    authority += 3;
    char *end = authority + std::strcspn(authority, "/?#");
    char *at = nullptr;
    for (char *c = authority; c < end; ++c) {
        if (*c == '@')
            at = c; // the last one: a password may contain '@' when it is not percent-encoded
    }
    if (!at)
        return;
    char *colon = static_cast<char *>(std::memchr(authority, ':', size_t(at - authority)));
    if (!colon)
        return;
    for (char *c = colon + 1; c < at; ++c)
        *c = 'x';
}

// Every --url value in argv (as "--url URL" or "--url=URL"), up to the sub-command's own arguments.
void hideUrlPasswords(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--url") == 0 && i + 1 < argc)
            hidePassword(argv[++i]);
        else if (std::strncmp(argv[i], "--url=", 6) == 0)
            hidePassword(argv[i] + 6);
    }
}

} // namespace

int main(int argc, char *argv[])
{
#ifdef __GLIBC__
    // One command, then exit: large blocks freed while a project loads (listings, buffers that grew) are
    // reused from the heap instead of going back to the system and being faulted in again, page by page.
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
#endif
    qmigrate::QtSqlMessages::install();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("qmigrate-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QMIGRATE_VERSION));
    // The arguments are copied first; then the visible ones lose their passwords.
    const QStringList arguments = QCoreApplication::arguments();
    hideUrlPasswords(argc, argv);
    QTextStream out(stdout);
    QTextStream err(stderr);
    qmigrate::CliApplication cli(out, err);
    const int status = cli.run(arguments);
    out.flush();
    err.flush();
    return status;
}
