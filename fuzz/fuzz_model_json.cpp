// libFuzzer target: the runtime's strict JSON parser that reads model.json (no Qt, LibTorch-free).
#include "inference/runtime/json.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    rs::JsonValue value;
    (void)rs::JsonValue::parse(std::string_view(reinterpret_cast<const char *>(data), size), value);
    return 0;
}
