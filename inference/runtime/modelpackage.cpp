#include "inference/runtime/modelpackage.h"

#include "inference/runtime/json.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace rs {

namespace {

constexpr const char *kModelJson = "model.json";
const std::vector<std::string> kSymbols { "T", "V", "K", "S" };

bool readFile(const std::string &path, std::size_t maxBytes, std::string &out, std::string &error)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        error = "file not found";
        return false;
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        error = "cannot read the file size";
        return false;
    }
    if (size > maxBytes) {
        error = "file is " + std::to_string(size) + " bytes, the limit is " + std::to_string(maxBytes);
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in.good() && !in.eof()) {
        error = "read error";
        return false;
    }
    out = buffer.str();
    return true;
}

std::string quoted(const std::string &s)
{
    return "\"" + s + "\"";
}

std::string describeValue(const JsonValue &v)
{
    if (v.isInteger())
        return std::to_string(v.asInteger());
    if (v.isNumber()) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%g", v.asNumber());
        return buffer;
    }
    return JsonValue::typeName(v.type());
}

} // namespace

// Reads model.json into a ModelPackage; remembers the first problem.
class ModelPackageReader
{
public:
    ModelPackageReader(const JsonValue &root, ModelPackage &package)
        : m_root(root)
        , m_package(package)
    {
    }

    Status read();

private:
    bool failed() const { return !m_error.empty(); }
    void fail(const std::string &message)
    {
        if (m_error.empty())
            m_error = message;
    }
    void failJson(const std::string &message) { fail(std::string(kModelJson) + ": " + message); }

    const JsonValue *find(const std::string &path) const
    {
        const JsonValue *node = &m_root;
        std::size_t start = 0;
        while (node) {
            const std::size_t dot = path.find('.', start);
            const std::string key
                = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
            node = node->isObject() ? node->find(key) : nullptr;
            if (dot == std::string::npos)
                break;
            start = dot + 1;
        }
        return node;
    }

    const JsonValue *require(const std::string &path, JsonValue::Type type)
    {
        const JsonValue *node = find(path);
        if (!node) {
            failJson("missing key " + quoted(path));
            return nullptr;
        }
        if (node->type() != type) {
            failJson(quoted(path) + " must be " + JsonValue::typeName(type) + ", not "
                     + JsonValue::typeName(node->type()));
            return nullptr;
        }
        return node;
    }

    std::string string(const std::string &path)
    {
        const JsonValue *node = require(path, JsonValue::Type::String);
        return node ? node->asString() : std::string();
    }

    int integer(const std::string &path, int min, int max)
    {
        const JsonValue *node = require(path, JsonValue::Type::Number);
        if (!node)
            return 0;
        if (!node->isInteger() || node->asInteger() < min || node->asInteger() > max) {
            failJson(quoted(path) + " must be an integer in [" + std::to_string(min) + ", "
                     + std::to_string(max) + "]");
            return 0;
        }
        return int(node->asInteger());
    }

    bool optionalBool(const std::string &path, bool fallback)
    {
        const JsonValue *node = find(path);
        if (!node)
            return fallback;
        if (!node->isBool()) {
            failJson(quoted(path) + " must be a boolean");
            return fallback;
        }
        return node->asBool();
    }

    // An optional string key that, when present, must have one of the supported values.
    void expectValue(const std::string &path, const std::string &supported)
    {
        const JsonValue *node = find(path);
        if (!node)
            return;
        if (!node->isString() || node->asString() != supported)
            failJson(quoted(path) + " is not supported by this runtime (supported: " + quoted(supported)
                     + ")");
    }

    TensorSpec spec(const std::string &path)
    {
        const std::string text = string(path);
        if (failed())
            return {};
        const auto parsed = TensorSpec::parse(text);
        if (!parsed) {
            failJson(quoted(path) + " = " + quoted(text)
                     + " is not a tensor description like \"float32 [1,T,V]\"");
            return {};
        }
        const auto unknown = parsed->unknownSymbols(kSymbols);
        if (!unknown.empty())
            failJson(quoted(path) + " uses the unknown dimension " + quoted(unknown.front())
                     + " (known: T, V, K, S)");
        return *parsed;
    }

    std::string moduleFile(const std::string &module)
    {
        const std::string key = "modules." + module + ".file";
        const std::string file = string(key);
        if (failed())
            return {};
        if (file.empty() || file == "." || file == ".." || file.find('/') != std::string::npos
            || file.find('\\') != std::string::npos) {
            failJson(quoted(key) + " = " + quoted(file) + " must be a plain file name inside the package");
            return {};
        }
        std::error_code ec;
        if (!std::filesystem::is_regular_file(m_package.path(file), ec))
            fail(file + ": file not found in " + m_package.directory() + " (model.json " + key + ")");
        return file;
    }

    void readInput();
    void readTokenizer();
    void readSpecialTokens();
    void readModules();
    void readLimits();

    const JsonValue &m_root;
    ModelPackage &m_package;
    std::string m_error;
    std::unordered_map<std::string, std::int64_t> m_vocabIds;
};

Status ModelPackageReader::read()
{
    if (!m_root.isObject())
        return Status::failure(std::string(kModelJson) + ": the top level must be an object");
    if (const JsonValue *version = find("format_version")) {
        if (!version->isInteger() || version->asInteger() != 1)
            failJson("\"format_version\" must be 1 (this runtime reads format 1)");
    }
    if (const JsonValue *name = find("name"); name && name->isString())
        m_package.m_name = name->asString();
    m_package.m_hiddenSize = integer("hidden_size", 1, 1 << 16);
    readInput();
    if (!failed())
        readTokenizer();
    if (!failed())
        readSpecialTokens();
    if (!failed())
        readLimits();
    if (!failed())
        readModules();
    if (const JsonValue *threshold = find("mask_threshold.logit_greater_than")) {
        if (!threshold->isNumber())
            failJson("\"mask_threshold.logit_greater_than\" must be a number");
        else
            m_package.m_maskThreshold = float(threshold->asNumber());
    }
    return failed() ? Status::failure(m_error) : Status::success();
}

void ModelPackageReader::readInput()
{
    auto &input = m_package.m_input;
    input.width = integer("input.width", 1, 4096);
    input.height = integer("input.height", 1, 4096);
    if (failed())
        return;
    if (input.width != input.height)
        failJson("\"input.width\" and \"input.height\" must be equal (longest-side resize to a square)");
    expectValue("input.resize", "longest_side_pad");
    expectValue("input.pad", "bottom_right");
    expectValue("input.channels", "RGB");
    expectValue("input.layout", "NCHW");
    expectValue("input.value_range", "0-255");
    if (const JsonValue *pad = find("input.pad_value_after_normalisation")) {
        if (!pad->isNumber() || pad->asNumber() != 0.0)
            failJson("\"input.pad_value_after_normalisation\" must be 0");
    }
    for (const char *key : { "mean", "std" }) {
        const std::string path = std::string("input.") + key;
        const JsonValue *node = require(path, JsonValue::Type::Array);
        if (!node)
            return;
        if (node->items().size() != 3) {
            failJson(quoted(path) + " must hold 3 numbers (R, G, B)");
            return;
        }
        for (std::size_t c = 0; c < 3; ++c) {
            const JsonValue &v = node->items()[c];
            if (!v.isNumber() || (key[0] == 's' && !(v.asNumber() > 0.0))) {
                failJson(quoted(path) + "[" + std::to_string(c) + "] must be a "
                         + (key[0] == 's' ? "positive " : "") + "number");
                return;
            }
            (key[0] == 'm' ? input.mean : input.std)[c] = float(v.asNumber());
        }
    }
}

void ModelPackageReader::readTokenizer()
{
    const std::string type = string("tokenizer.type");
    if (failed())
        return;
    if (type != "word") {
        failJson("\"tokenizer.type\" = " + quoted(type)
                 + " is not supported by this runtime (supported: \"word\")");
        return;
    }
    if (!optionalBool("tokenizer.lowercase", true))
        failJson("\"tokenizer.lowercase\" = false is not supported by this runtime");
    expectValue("tokenizer.split", "whitespace");
    std::string punctuation;
    const JsonValue *punct = require("tokenizer.punctuation", JsonValue::Type::Array);
    if (!punct)
        return;
    for (const JsonValue &p : punct->items()) {
        if (!p.isString() || p.asString().size() != 1 || p.asString()[0] == ' ') {
            failJson("\"tokenizer.punctuation\" must hold single ASCII characters");
            return;
        }
        punctuation += p.asString();
    }
    const std::string file = string("tokenizer.file");
    if (failed())
        return;
    if (file.empty() || file.find('/') != std::string::npos || file == "." || file == "..") {
        failJson("\"tokenizer.file\" = " + quoted(file) + " must be a plain file name inside the package");
        return;
    }
    m_package.m_vocabularyFile = file;
    std::string text, error;
    if (!readFile(m_package.path(file), 8u << 20, text, error)) {
        fail(file + ": " + error + " (model.json tokenizer.file)");
        return;
    }
    std::vector<std::string> vocabulary;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        vocabulary.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    for (std::size_t i = 0; i < vocabulary.size(); ++i) {
        const std::string &token = vocabulary[i];
        const std::string where = file + " line " + std::to_string(i + 1) + ": ";
        if (token.empty()) {
            fail(where + "empty token");
            return;
        }
        if (token.find_first_of(" \t\r\v\f") != std::string::npos) {
            fail(where + "token " + quoted(token) + " contains whitespace");
            return;
        }
        const auto [it, inserted] = m_vocabIds.emplace(token, std::int64_t(i));
        if (!inserted) {
            fail(where + "token " + quoted(token) + " repeats line " + std::to_string(it->second + 1));
            return;
        }
    }
    const int vocabSize = integer("vocab_size", 1, 1 << 24);
    if (failed())
        return;
    if (std::size_t(vocabSize) != vocabulary.size()) {
        fail(file + " has " + std::to_string(vocabulary.size()) + " lines but model.json vocab_size is "
             + std::to_string(vocabSize));
        return;
    }
    m_package.m_tokenizer = WordTokenizer(std::move(vocabulary), punctuation, 0);
}

void ModelPackageReader::readSpecialTokens()
{
    const JsonValue *special = require("special_tokens", JsonValue::Type::Object);
    if (!special)
        return;
    auto &ids = m_package.m_special;
    const std::vector<std::pair<std::string, std::int64_t *>> roles {
        { "pad", &ids.pad },
        { "bos", &ids.bos },
        { "eos", &ids.eos },
        { "unk", &ids.unk },
        { "seg", &ids.seg },
        { "think_start", &ids.thinkStart },
        { "think_end", &ids.thinkEnd },
        { "no_target", &ids.noTarget },
        { "box", &ids.box },
    };
    const std::string &vocabFile = m_package.m_vocabularyFile;
    for (const auto &[role, token] : special->members()) {
        if (!token.isString()) {
            failJson("\"special_tokens." + role + "\" must be a string");
            return;
        }
        const auto it = m_vocabIds.find(token.asString());
        if (it == m_vocabIds.end()) {
            failJson("special token " + role + " = " + quoted(token.asString()) + " is not in " + vocabFile);
            return;
        }
        for (const auto &[name, slot] : roles) {
            if (name == role)
                *slot = it->second;
        }
    }
    for (const char *role : { "bos", "eos", "unk", "seg" }) {
        if (!special->find(role)) {
            failJson(std::string("missing key \"special_tokens.") + role + "\"");
            return;
        }
    }
    if (const JsonValue *unknown = find("tokenizer.unknown")) {
        if (!unknown->isString() || m_vocabIds.count(unknown->asString()) == 0
            || m_vocabIds[unknown->asString()] != ids.unk)
            failJson("\"tokenizer.unknown\" must name the special_tokens.unk token");
    }
    if (const JsonValue *fixed = find("special_token_ids")) {
        if (!fixed->isObject()) {
            failJson("\"special_token_ids\" must be an object");
            return;
        }
        for (const auto &[token, id] : fixed->members()) {
            bool isSpecial = false;
            for (const auto &member : special->members())
                isSpecial = isSpecial || member.second.asString() == token;
            if (!isSpecial) {
                failJson("special_token_ids names " + quoted(token) + ", which is not in special_tokens");
                return;
            }
            const std::int64_t line = m_vocabIds[token];
            if (!id.isInteger() || id.asInteger() != line) {
                failJson("special_token_ids[" + quoted(token) + "] is " + describeValue(id) + " but "
                         + vocabFile + " has " + quoted(token) + " at id " + std::to_string(line));
                return;
            }
        }
    }
    m_package.m_tokenizer
        = WordTokenizer(m_package.m_tokenizer.vocabulary(), m_package.m_tokenizer.punctuation(), ids.unk);
    m_package.m_stopTokens = { ids.eos };
    if (const JsonValue *stops = find("decoding.stop_tokens")) {
        if (!stops->isArray()) {
            failJson("\"decoding.stop_tokens\" must be an array of tokens");
            return;
        }
        for (const JsonValue &stop : stops->items()) {
            const auto it = stop.isString() ? m_vocabIds.find(stop.asString()) : m_vocabIds.end();
            if (it == m_vocabIds.end()) {
                failJson("\"decoding.stop_tokens\" holds "
                         + (stop.isString() ? quoted(stop.asString()) : "a non-string") + ", which is not in "
                         + vocabFile);
                return;
            }
            if (it->second != ids.eos)
                m_package.m_stopTokens.push_back(it->second);
        }
    }
}

void ModelPackageReader::readLimits()
{
    auto &limits = m_package.m_limits;
    limits.maxTextPositions = integer("limits.max_text_positions", 2, 1 << 20);
    limits.maxPromptTokens = integer("limits.max_prompt_tokens", 2, 1 << 20);
    limits.maxNewTokens = integer("limits.max_new_tokens", 1, 1 << 20);
    limits.maxTargets = integer("limits.max_targets", 1, 1 << 16);
    if (!failed() && limits.maxPromptTokens >= limits.maxTextPositions)
        failJson("\"limits.max_prompt_tokens\" must be smaller than \"limits.max_text_positions\"");
    m_package.m_boxOutput = optionalBool("optional_outputs.boxes", false);
    m_package.m_scoreOutput = optionalBool("optional_outputs.scores", false);
    m_package.m_regionInput = optionalBool("optional_outputs.region_input", false);
    if (m_package.m_regionInput && m_package.m_special.box < 0)
        failJson("\"optional_outputs.region_input\" is true but special_tokens has no \"box\" token");
}

void ModelPackageReader::readModules()
{
    auto &modules = m_package.m_modules;
    modules.visionFile = moduleFile("vision");
    modules.languageFile = moduleFile("language");
    modules.maskDecoderFile = moduleFile("mask_decoder");
    if (failed())
        return;
    modules.image = spec("modules.vision.inputs.image");
    modules.features = spec("modules.vision.outputs.features");
    const std::string prefill = "modules.language.methods.prefill.outputs.";
    const std::string step = "modules.language.methods.step.outputs.";
    modules.prefillLogits = spec(prefill + "logits");
    modules.prefillHidden = spec(prefill + "hidden");
    modules.stepLogits = spec(step + "logits");
    modules.stepHidden = spec(step + "hidden");
    modules.maskLogits = spec("modules.mask_decoder.outputs.mask_logits");
    if (m_package.m_boxOutput)
        modules.boxes = spec("modules.mask_decoder.outputs.boxes");
    if (m_package.m_scoreOutput)
        modules.scores = spec("modules.mask_decoder.outputs.scores");
    if (failed())
        return;
    const std::vector<std::int64_t> image { 1, 3, m_package.m_input.height, m_package.m_input.width };
    if (modules.image.dtype() != "float32" || modules.image.resolve({}) != image)
        failJson("\"modules.vision.inputs.image\" = " + quoted(modules.image.text())
                 + " does not match input (float32 " + TensorSpec::shapeText(image) + ")");
    const std::string dtype = string("modules.language.cache.dtype");
    const JsonValue *shape = require("modules.language.cache.shape", JsonValue::Type::Array);
    if (!shape)
        return;
    std::vector<std::string> dims;
    for (const JsonValue &dim : shape->items()) {
        if (dim.isInteger() && dim.asInteger() >= 0)
            dims.push_back(std::to_string(dim.asInteger()));
        else if (dim.isString() && dim.asString() == "S")
            dims.push_back("S");
        else
            failJson("\"modules.language.cache.shape\" must hold non-negative integers and \"S\"");
    }
    modules.cache = TensorSpec::make(dtype, dims);
}

std::string ModelPackage::path(const std::string &file) const
{
    return (std::filesystem::path(m_directory) / file).string();
}

Status ModelPackage::load(const std::string &directory, ModelPackage &out)
{
    try {
        ModelPackage package;
        package.m_directory = directory;
        std::error_code ec;
        if (!std::filesystem::is_directory(directory, ec))
            return Status::failure("model package " + directory + ": not a directory");
        std::string text, error;
        if (!readFile(package.path(kModelJson), 1u << 20, text, error))
            return Status::failure(std::string(kModelJson) + ": " + error + " in " + directory);
        JsonValue root;
        if (Status parsed = JsonValue::parse(text, root); !parsed)
            return Status::failure(std::string(kModelJson) + ": invalid JSON: " + parsed.message());
        ModelPackageReader reader(root, package);
        if (Status read = reader.read(); !read)
            return read;
        out = std::move(package);
        return Status::success();
    } catch (const std::exception &e) {
        return Status::failure("model package " + directory + ": " + e.what());
    }
}

} // namespace rs
