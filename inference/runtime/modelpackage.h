#pragma once

#include "inference/runtime/status.h"
#include "inference/runtime/tensorspec.h"
#include "inference/runtime/wordtokenizer.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace rs {

// The description of a model package folder (model.json + vocab.txt), read and checked without torch.
// The TorchScript modules are checked by InferenceRuntime::load (dry run against these specs).
class ModelPackage
{
public:
    struct Input
    {
        int width = 0;
        int height = 0;
        std::array<float, 3> mean {};
        std::array<float, 3> std {};
    };
    struct Limits
    {
        int maxPromptTokens = 0;
        int maxNewTokens = 0;
        int maxTextPositions = 0;
        int maxTargets = 0;
    };
    // -1 where the package does not define the token.
    struct SpecialTokens
    {
        std::int64_t pad = -1, bos = -1, eos = -1, unk = -1, seg = -1;
        std::int64_t thinkStart = -1, thinkEnd = -1, noTarget = -1, box = -1;
    };
    struct Modules
    {
        std::string visionFile, languageFile, maskDecoderFile;
        TensorSpec image, features;
        TensorSpec prefillLogits, prefillHidden, stepLogits, stepHidden, cache;
        TensorSpec maskLogits, boxes, scores;
    };

    ModelPackage() = default;

    // Reads `directory`/model.json and the vocabulary; checks keys, types, values, that every module
    // file exists, the vocabulary size and the special tokens. Errors name the file and the key.
    static Status load(const std::string &directory, ModelPackage &out);

    const std::string &directory() const { return m_directory; }
    const std::string &name() const { return m_name; }
    int hiddenSize() const { return m_hiddenSize; }
    const Input &input() const { return m_input; }
    const Limits &limits() const { return m_limits; }
    const SpecialTokens &specialTokens() const { return m_special; }
    const std::vector<std::int64_t> &stopTokens() const { return m_stopTokens; }
    const Modules &modules() const { return m_modules; }
    const WordTokenizer &tokenizer() const { return m_tokenizer; }
    const std::string &vocabularyFile() const { return m_vocabularyFile; }
    float maskThreshold() const { return m_maskThreshold; }
    bool hasBoxOutput() const { return m_boxOutput; }
    bool hasScoreOutput() const { return m_scoreOutput; }
    bool acceptsRegionInput() const { return m_regionInput; }

    // Full path of a file inside the package.
    std::string path(const std::string &file) const;

private:
    friend class ModelPackageReader;

    std::string m_directory;
    std::string m_name;
    int m_hiddenSize = 0;
    Input m_input;
    Limits m_limits;
    SpecialTokens m_special;
    std::vector<std::int64_t> m_stopTokens;
    Modules m_modules;
    WordTokenizer m_tokenizer;
    std::string m_vocabularyFile;
    float m_maskThreshold = 0.0f;
    bool m_boxOutput = false;
    bool m_scoreOutput = false;
    bool m_regionInput = false;
};

} // namespace rs
