#include "inference/runtime/torchmodules.h"

#include <exception>
#include <vector>

namespace rs {

namespace {

// The useful line of a LibTorch / TorchScript error (the last "XxxError: ..." line, else the first line).
std::string errorText(const std::exception &e)
{
    std::string text;
    if (const auto *c10error = dynamic_cast<const c10::Error *>(&e))
        text = c10error->what_without_backtrace();
    else
        text = e.what();
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string line = text.substr(start, end - start);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
            line.pop_back();
        if (!line.empty())
            lines.push_back(line);
        start = end + 1;
    }
    if (lines.empty())
        return "unknown error";
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
        const std::size_t colon = it->find("Error: ");
        if (colon != std::string::npos && it->find(' ') > colon)
            return *it;
    }
    return lines.front();
}

const char *dtypeName(c10::ScalarType type)
{
    switch (type) {
    case c10::ScalarType::Float:
        return "float32";
    case c10::ScalarType::Double:
        return "float64";
    case c10::ScalarType::Half:
        return "float16";
    case c10::ScalarType::BFloat16:
        return "bfloat16";
    case c10::ScalarType::Long:
        return "int64";
    case c10::ScalarType::Int:
        return "int32";
    case c10::ScalarType::Short:
        return "int16";
    case c10::ScalarType::Char:
        return "int8";
    case c10::ScalarType::Byte:
        return "uint8";
    case c10::ScalarType::Bool:
        return "bool";
    default:
        return "other";
    }
}

std::string shapeOf(const torch::Tensor &t)
{
    return TensorSpec::shapeText(std::vector<std::int64_t>(t.sizes().begin(), t.sizes().end()));
}

std::vector<c10::IValue> tupleElements(const c10::IValue &value)
{
    if (!value.isTuple())
        return { value };
    const auto &elements = value.toTupleRef().elements();
    return std::vector<c10::IValue>(elements.begin(), elements.end());
}

} // namespace

Status TorchModules::checkTensor(const c10::IValue &value, const std::string &file, const std::string &what,
                                 const TensorSpec &spec, std::map<std::string, std::int64_t> symbols,
                                 bool finite, torch::Tensor &out) const
{
    const std::string where = file + ": " + what;
    if (!value.isTensor())
        return Status::failure(where + " is not a tensor (got " + value.tagKind() + ")");
    const torch::Tensor t = value.toTensor();
    if (std::string(dtypeName(t.scalar_type())) != spec.dtype())
        return Status::failure(where + " of dtype " + dtypeName(t.scalar_type()) + ", expected "
                               + spec.dtype());
    const auto &dims = spec.dims();
    if (std::size_t(t.dim()) == dims.size()) {
        for (std::size_t i = 0; i < dims.size(); ++i) {
            if (!symbols.count(dims[i]) && !(dims[i][0] >= '0' && dims[i][0] <= '9'))
                symbols[dims[i]] = t.size(std::int64_t(i)); // free symbol (cache length S): bind
        }
    }
    const auto expected = spec.resolve(symbols);
    const std::vector<std::int64_t> actual(t.sizes().begin(), t.sizes().end());
    if (!expected || *expected != actual) {
        std::string message = where + " of shape " + shapeOf(t) + ", expected "
            + (expected ? TensorSpec::shapeText(*expected) : spec.text());
        for (const std::string &dim : dims) {
            if (dim == "V") {
                message += " (" + m_package.vocabularyFile() + " has "
                    + std::to_string(m_package.tokenizer().size()) + " lines)";
                break;
            }
        }
        return Status::failure(message);
    }
    if (t.device() != m_device)
        return Status::failure(where + " on device " + t.device().str() + ", expected " + m_device.str());
    if (finite && t.numel() > 0 && !torch::isfinite(t).all().item<bool>())
        return Status::failure(where + " with NaN/Inf values");
    out = t;
    return Status::success();
}

Status TorchModules::load(const ModelPackage &package, const torch::Device &device)
{
    m_package = package;
    m_device = device;
    const auto &files = package.modules();
    const std::vector<std::pair<std::string, torch::jit::Module *>> modules {
        { files.visionFile, &m_vision },
        { files.languageFile, &m_language },
        { files.maskDecoderFile, &m_decoder }
    };
    for (const auto &[file, module] : modules) {
        try {
            *module = torch::jit::load(package.path(file), device);
            module->eval();
        } catch (const std::exception &e) {
            return Status::failure(file + ": cannot load TorchScript module: " + errorText(e));
        }
    }
    for (const auto &[module, file, method] :
         { std::tuple { &m_vision, files.visionFile, "forward" },
           std::tuple { &m_language, files.languageFile, "prefill" },
           std::tuple { &m_language, files.languageFile, "step" },
           std::tuple { &m_decoder, files.maskDecoderFile, "forward" } }) {
        if (!module->find_method(method))
            return Status::failure(file + ": the module has no method " + method + "()");
    }

    // Dry run with the documented shapes.
    try {
        const auto &input = package.input();
        torch::NoGradGuard noGrad;
        const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(device);
        torch::Tensor features;
        if (Status s = vision(torch::zeros({ 1, 3, input.height, input.width }, f32), features); !s)
            return s;
        const auto &special = package.specialTokens();
        const auto i64 = torch::TensorOptions().dtype(torch::kInt64).device(device);
        const torch::Tensor ids = torch::tensor({ special.bos, special.unk }, i64).view({ 1, 2 });
        Step first;
        if (Status s = prefill(features, ids, torch::zeros({ 1, 4 }, f32), torch::zeros({ 1 }, f32), first);
            !s)
            return s;
        Step second;
        const std::int64_t next = special.thinkStart >= 0 ? special.thinkStart : special.unk;
        if (Status s = step(torch::tensor({ next }, i64).view({ 1, 1 }), first.cache, 2, second); !s)
            return s;
        Masks masks;
        if (Status s = decodeMasks(features, second.hidden[0], masks); !s)
            return s;
    } catch (const std::exception &e) {
        return Status::failure("model package dry run failed: " + errorText(e));
    }
    return Status::success();
}

Status TorchModules::vision(const torch::Tensor &image, torch::Tensor &features)
{
    const std::string &file = m_package.modules().visionFile;
    c10::IValue value;
    try {
        value = m_vision.forward({ image });
    } catch (const std::exception &e) {
        return Status::failure(file + ": forward failed: " + errorText(e));
    }
    return checkTensor(value, file, "forward returned features", m_package.modules().features, {}, true,
                       features);
}

Status TorchModules::checkStep(const std::string &method, const c10::IValue &value, std::int64_t length,
                               std::int64_t cacheLength, Step &out) const
{
    const std::string &file = m_package.modules().languageFile;
    const auto &modules = m_package.modules();
    const auto elements = tupleElements(value);
    if (elements.size() != 3)
        return Status::failure(file + ": " + method + " returned " + std::to_string(elements.size())
                               + " values, expected 3 (logits, hidden, cache)");
    const std::map<std::string, std::int64_t> symbols { { "T", length },
                                                        { "V", std::int64_t(m_package.tokenizer().size()) } };
    const bool isPrefill = method == "prefill";
    if (Status s
        = checkTensor(elements[0], file, method + " returned logits",
                      isPrefill ? modules.prefillLogits : modules.stepLogits, symbols, false, out.logits);
        !s)
        return s;
    if (Status s
        = checkTensor(elements[1], file, method + " returned hidden",
                      isPrefill ? modules.prefillHidden : modules.stepHidden, symbols, false, out.hidden);
        !s)
        return s;
    if (out.hidden.size(-1) != m_package.hiddenSize())
        return Status::failure(file + ": " + method + " returned hidden of shape " + shapeOf(out.hidden)
                               + ", expected the last dimension to be hidden_size "
                               + std::to_string(m_package.hiddenSize()));
    std::map<std::string, std::int64_t> cacheSymbols;
    if (cacheLength >= 0)
        cacheSymbols["S"] = cacheLength;
    return checkTensor(elements[2], file, method + " returned cache", modules.cache, cacheSymbols, false,
                       out.cache);
}

Status TorchModules::prefill(const torch::Tensor &features, const torch::Tensor &inputIds,
                             const torch::Tensor &box, const torch::Tensor &hasBox, Step &out)
{
    const std::string &file = m_package.modules().languageFile;
    c10::IValue value;
    try {
        value = m_language.run_method("prefill", features, inputIds, box, hasBox);
    } catch (const std::exception &e) {
        return Status::failure(file + ": prefill failed: " + errorText(e));
    }
    return checkStep("prefill", value, inputIds.size(1), -1, out);
}

Status TorchModules::step(const torch::Tensor &token, const torch::Tensor &cache, std::int64_t position,
                          Step &out)
{
    const std::string &file = m_package.modules().languageFile;
    c10::IValue value;
    try {
        value = m_language.run_method("step", token, cache, position);
    } catch (const std::exception &e) {
        return Status::failure(file + ": step failed at position " + std::to_string(position) + ": "
                               + errorText(e));
    }
    const auto &dims = m_package.modules().cache.dims();
    std::int64_t cacheLength = -1;
    for (std::size_t i = 0; i < dims.size() && std::int64_t(i) < cache.dim(); ++i) {
        if (dims[i] == "S")
            cacheLength = cache.size(std::int64_t(i)) + 1;
    }
    return checkStep("step", value, 1, cacheLength, out);
}

Status TorchModules::decodeMasks(const torch::Tensor &features, const torch::Tensor &segHidden, Masks &out)
{
    const std::string &file = m_package.modules().maskDecoderFile;
    const auto &modules = m_package.modules();
    c10::IValue value;
    try {
        value = m_decoder.forward({ features, segHidden });
    } catch (const std::exception &e) {
        return Status::failure(file + ": forward failed: " + errorText(e));
    }
    const auto elements = tupleElements(value);
    const std::size_t expected
        = 1 + (m_package.hasBoxOutput() ? 1 : 0) + (m_package.hasScoreOutput() ? 1 : 0);
    if (elements.size() < expected)
        return Status::failure(file + ": forward returned " + std::to_string(elements.size())
                               + " values, expected " + std::to_string(expected) + " (mask_logits"
                               + (m_package.hasBoxOutput() ? ", boxes" : "")
                               + (m_package.hasScoreOutput() ? ", scores" : "") + ")");
    const std::map<std::string, std::int64_t> symbols { { "K", segHidden.size(0) } };
    if (Status s = checkTensor(elements[0], file, "forward returned mask_logits", modules.maskLogits, symbols,
                               true, out.logits);
        !s)
        return s;
    const auto &input = m_package.input();
    if (out.logits.dim() != 3 || out.logits.size(1) != input.height || out.logits.size(2) != input.width)
        return Status::failure(file + ": forward returned mask_logits of shape " + shapeOf(out.logits)
                               + ", expected [K," + std::to_string(input.height) + ","
                               + std::to_string(input.width) + "] (the input frame)");
    std::size_t next = 1;
    out.boxes = torch::Tensor();
    out.scores = torch::Tensor();
    if (m_package.hasBoxOutput()) {
        if (Status s = checkTensor(elements[next++], file, "forward returned boxes", modules.boxes, symbols,
                                   true, out.boxes);
            !s)
            return s;
    }
    if (m_package.hasScoreOutput()) {
        if (Status s = checkTensor(elements[next], file, "forward returned scores", modules.scores, symbols,
                                   true, out.scores);
            !s)
            return s;
    }
    return Status::success();
}

} // namespace rs
