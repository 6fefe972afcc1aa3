#pragma once

#include "core/expected.h"

#include <QString>
#include <QStringList>

namespace rs {

class Database;
class Progress;

// The integrity checks of `reasonseg check`: the database file itself, missing images, images
// whose bytes or size changed since import, masks whose size is not their image's, empty masks,
// and samples without a query. Each problem is one line naming the sample or image.
class ProjectCheck
{
public:
    struct Options
    {
        bool hashes = true;   // re-hash every image (reads every byte); false: existence and size only
        Progress *progress = nullptr;
    };

    struct Result
    {
        QStringList problems;
        qint64 imagesChecked = 0;
        qint64 targetsChecked = 0;
        qint64 samplesChecked = 0;
    };

    static Expected<Result> run(Database &db, const Options &options);
};

} // namespace rs
