#pragma once

#include <QString>

namespace rs::cli {

// Where the bundled model package (models/shapes) is: next to an installed program
// (<prefix>/share/reasonseg/models/shapes), else in the source tree this build came from.
QString bundledModelDir();

} // namespace rs::cli
