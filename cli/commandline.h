#pragma once

#include "core/expected.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace rs::cli {

// The arguments of one subcommand: positional names, `--name VALUE` options and `--flag`s. Every
// mistake is one line naming the command and the argument ("import: unknown option '--frmat'").
class CommandLine
{
public:
    struct Option
    {
        QString name;       // without dashes: "split"
        QString valueName;  // "NAME"; empty for a flag
        QString help;
    };

    CommandLine(QString command, QStringList positionalNames, std::vector<Option> options);

    Expected<bool> parse(const QStringList &arguments);
    // parse() for a command's run(): the exit code when the command must stop here — 2 after printing
    // a usage error, 0 after printing the usage for --help — else std::nullopt.
    std::optional<int> parseOrExit(const QStringList &arguments);

    bool helpRequested() const { return m_help; }
    QString usage() const;

    const QStringList &positional() const { return m_positional; }
    bool isSet(const QString &name) const { return m_values.contains(name); }
    QString value(const QString &name, const QString &fallback = QString()) const { return m_values.value(name, fallback); }
    // An integer option in [minimum, maximum]; fallback when absent.
    Expected<int> integer(const QString &name, int minimum, int maximum, int fallback) const;

private:
    QString m_command;
    QStringList m_positionalNames;
    std::vector<Option> m_options;
    QStringList m_positional;
    QHash<QString, QString> m_values;
    bool m_help = false;
};

} // namespace rs::cli
