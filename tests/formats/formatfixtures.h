#pragma once

#include "core/datasetrecord.h"
#include "core/mask.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace rs::test {

// Writes a JPEG of size w×h (a gradient, so that files differ by content) and returns its path.
QString writeTestJpeg(const QString &path, int width, int height, int seed = 0);

// Writes bytes to a file, creating folders; fails the test when it cannot.
void writeFile(const QString &path, const QByteArray &bytes);

// A record with one target per mask (label "target <i>"), image at imageFile.
DatasetRecord recordWithMasks(const QString &sourceId, const QString &split, const QString &imageFile,
                              const std::vector<Mask> &masks);

// The union of a record's non-ignore target masks (an empty mask of the image's size when none).
Mask targetUnion(const DatasetRecord &record);

// Every file under root (recursively): relative path → bytes, to compare two exports byte for byte.
QMap<QString, QByteArray> folderBytes(const QString &root);

// Runs a python reference checker: /usr/bin/python3 reference/<script> arguments...
// Returns its exit code; stdout+stderr go to `output`.
int runReferenceChecker(const QString &script, const QStringList &arguments, QString *output);

// Writes masks (row-major 0/1 bytes) for a reference checker: JSON {"<key>": {"size": [h, w],
// "rows": ["0101...", ...]}} would be large, so masks are written as PGM files under dir/<key>.pgm
// and the key list as dir/masks.json.
void writeMasksForChecker(const QString &dir, const QList<QPair<QString, Mask>> &masks);

} // namespace rs::test
