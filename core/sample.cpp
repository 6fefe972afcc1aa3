#include "core/sample.h"

#include <array>
#include <utility>

namespace rs {

namespace {

constexpr std::array<std::pair<SampleStatus, const char *>, 5> kStatusNames{{
    {SampleStatus::New, "new"},
    {SampleStatus::InProgress, "in_progress"},
    {SampleStatus::Submitted, "submitted"},
    {SampleStatus::Accepted, "accepted"},
    {SampleStatus::Rejected, "rejected"},
}};

} // namespace

QString sampleStatusName(SampleStatus status)
{
    for (const auto &[value, name] : kStatusNames)
        if (value == status)
            return QString::fromLatin1(name);
    return QString();
}

std::optional<SampleStatus> sampleStatusFromName(const QString &name)
{
    for (const auto &[value, text] : kStatusNames)
        if (name == QLatin1String(text))
            return value;
    return std::nullopt;
}

} // namespace rs
