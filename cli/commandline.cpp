#include "cli/commandline.h"

#include "cli/console.h"

namespace rs::cli {

CommandLine::CommandLine(QString command, QStringList positionalNames, std::vector<Option> options)
    : m_command(std::move(command)), m_positionalNames(std::move(positionalNames)), m_options(std::move(options))
{
}

Expected<bool> CommandLine::parse(const QStringList &arguments)
{
    for (int i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == QLatin1String("--help") || argument == QLatin1String("-h")) {
            m_help = true;
            return true;
        }
        if (!argument.startsWith(QLatin1String("--")) || argument == QLatin1String("--")) {
            m_positional << argument;
            continue;
        }
        QString name = argument.mid(2);
        QString inlineValue;
        const qsizetype equals = name.indexOf(QLatin1Char('='));
        if (equals >= 0) {
            inlineValue = name.mid(equals + 1);
            name = name.left(equals);
        }
        const auto option = std::find_if(m_options.begin(), m_options.end(), [&](const Option &o) { return o.name == name; });
        if (option == m_options.end())
            return Error{QStringLiteral("%1: unknown option '--%2' (see reasonseg %1 --help)").arg(m_command, name)};
        if (option->valueName.isEmpty()) {
            if (equals >= 0)
                return Error{QStringLiteral("%1: --%2 takes no value").arg(m_command, name)};
            m_values.insert(name, QStringLiteral("1"));
        } else if (equals >= 0) {
            m_values.insert(name, inlineValue);
        } else {
            if (i + 1 >= arguments.size())
                return Error{QStringLiteral("%1: --%2 needs a value (%3)").arg(m_command, name, option->valueName)};
            m_values.insert(name, arguments.at(++i));
        }
    }
    if (m_positional.size() != m_positionalNames.size())
        return Error{QStringLiteral("%1: expected %2, got %3 argument%4 (see reasonseg %1 --help)")
                         .arg(m_command, m_positionalNames.join(QLatin1Char(' ')))
                         .arg(m_positional.size())
                         .arg(m_positional.size() == 1 ? QString() : QStringLiteral("s"))};
    return true;
}

std::optional<int> CommandLine::parseOrExit(const QStringList &arguments)
{
    auto parsed = parse(arguments);
    if (!parsed) {
        printError(parsed.error());
        return 2;
    }
    if (m_help) {
        printLine(usage());
        return 0;
    }
    return std::nullopt;
}

Expected<int> CommandLine::integer(const QString &name, int minimum, int maximum, int fallback) const
{
    if (!isSet(name))
        return fallback;
    bool ok = false;
    const int number = value(name).toInt(&ok);
    if (!ok || number < minimum || number > maximum)
        return Error{QStringLiteral("%1: --%2 must be a whole number from %3 to %4, not '%5'")
                         .arg(m_command, name)
                         .arg(minimum)
                         .arg(maximum)
                         .arg(value(name))};
    return number;
}

QString CommandLine::usage() const
{
    QString text = QStringLiteral("Usage: reasonseg %1 %2").arg(m_command, m_positionalNames.join(QLatin1Char(' ')));
    if (!m_options.empty())
        text += QStringLiteral(" [options]\n\nOptions:");
    for (const Option &option : m_options) {
        const QString left = option.valueName.isEmpty() ? QStringLiteral("--%1").arg(option.name)
                                                        : QStringLiteral("--%1 %2").arg(option.name, option.valueName);
        text += QStringLiteral("\n  %1  %2").arg(left.leftJustified(24), option.help);
    }
    return text;
}

} // namespace rs::cli
