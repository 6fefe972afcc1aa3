#pragma once

#include "testbackends.h"

#include <QTest>

namespace rs::test {

// The data rows of a test that runs on every back end: one "backend" column, one row per back end
// (read back with RS_FRESH_LOCATION).
inline void addBackendRows()
{
    QTest::addColumn<int>("backend");
    for (const auto &[name, backend] : TestBackends::all())
        QTest::newRow(name.constData()) << int(backend);
}

} // namespace rs::test
