// libFuzzer target: the pickle reader of the RefCOCO/gRefCOCO importers (plain data only; code
// opcodes are refused). Any input must give a value or an Error, never a crash or a hang.
#include "plugins/formats/picklereader.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)rs::PickleReader::read(bytes, QStringLiteral("fuzz.p"));
    return 0;
}
