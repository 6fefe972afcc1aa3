#pragma once

#include <QString>
#include <QStringList>

namespace rs::cli {

// One `reasonseg <name> ...` subcommand. run() gets the arguments after the name and returns the
// process exit code; on failure it has written one line naming the problem to stderr.
class Command
{
public:
    virtual ~Command() = default;
    virtual QString name() const = 0;
    virtual QString synopsis() const = 0;   // "demo DIR"
    virtual QString summary() const = 0;    // one line for `reasonseg --help`
    virtual int run(const QStringList &arguments) = 0;
};

} // namespace rs::cli
