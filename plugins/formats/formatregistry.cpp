#include "plugins/formats/formatregistry.h"

#include "plugins/formats/cocoformat.h"
#include "plugins/formats/cocoresultsformat.h"
#include "plugins/formats/grefcocoformat.h"
#include "plugins/formats/labelmeformat.h"
#include "plugins/formats/museformat.h"
#include "plugins/formats/predictionsformat.h"
#include "plugins/formats/reasonsegdiffformat.h"
#include "plugins/formats/reasonsegformat.h"
#include "plugins/formats/refcocoformat.h"

namespace rs {

const FormatRegistry &FormatRegistry::builtin()
{
    static const FormatRegistry registry = [] {
        FormatRegistry r;
        r.add(std::make_unique<ReasonSegFormat>());
        r.add(std::make_unique<ReasonSegDiffFormat>());
        r.add(std::make_unique<MuseFormat>());
        r.add(std::make_unique<RefCocoFormat>());
        r.add(std::make_unique<GRefCocoFormat>());
        r.add(std::make_unique<CocoFormat>());
        r.add(std::make_unique<CocoResultsFormat>());
        r.add(std::make_unique<LabelMeFormat>());
        r.add(std::make_unique<PredictionsFormat>());
        return r;
    }();
    return registry;
}

void FormatRegistry::add(std::unique_ptr<DatasetFormat> format)
{
    m_formats.push_back(std::move(format));
}

const DatasetFormat *FormatRegistry::find(const QString &name) const
{
    for (const auto &format : m_formats)
        if (format->name() == name)
            return format.get();
    return nullptr;
}

std::vector<const DatasetFormat *> FormatRegistry::formats() const
{
    std::vector<const DatasetFormat *> list;
    for (const auto &format : m_formats)
        list.push_back(format.get());
    return list;
}

QStringList FormatRegistry::names() const
{
    QStringList list;
    for (const auto &format : m_formats)
        list << format->name();
    return list;
}

} // namespace rs
