#pragma once

#include <QString>

namespace rs {

// Names the writers derive from project data, kept safe for file names.
class ExportNames
{
public:
    // A split as part of a file name ("muse_<split>.json"): letters, digits, '_' and '-' kept, anything
    // else replaced by '_'; "unsplit" for samples without a split.
    static QString split(const QString &split);
};

} // namespace rs
