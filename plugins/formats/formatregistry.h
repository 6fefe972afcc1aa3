#pragma once

#include "core/datasetformat.h"

#include <QString>

#include <memory>
#include <vector>

namespace rs {

// The dataset formats the program knows, by name. builtin() holds every format of
// plugins/formats; a test or an external plugin may build its own registry.
class FormatRegistry
{
public:
    static const FormatRegistry &builtin();

    void add(std::unique_ptr<DatasetFormat> format);
    // The format called name, or nullptr.
    const DatasetFormat *find(const QString &name) const;
    // All formats in registration order.
    std::vector<const DatasetFormat *> formats() const;
    QStringList names() const;

private:
    std::vector<std::unique_ptr<DatasetFormat>> m_formats;
};

} // namespace rs
