#include "core/stepgrade.h"

#include <array>
#include <utility>

namespace rs {

namespace {

constexpr std::array<std::pair<StepError, const char *>, 6> kErrorNames{{
    {StepError::None, "none"},
    {StepError::WrongObject, "wrong_object"},
    {StepError::WrongAttribute, "wrong_attribute"},
    {StepError::WrongRelation, "wrong_relation"},
    {StepError::WrongCount, "wrong_count"},
    {StepError::HallucinatedEntity, "hallucinated_entity"},
}};

} // namespace

QString stepErrorName(StepError error)
{
    for (const auto &[value, name] : kErrorNames)
        if (value == error)
            return QString::fromLatin1(name);
    return QString();
}

std::optional<StepError> stepErrorFromName(const QString &name)
{
    for (const auto &[value, text] : kErrorNames)
        if (name == QLatin1String(text))
            return value;
    return std::nullopt;
}

} // namespace rs
