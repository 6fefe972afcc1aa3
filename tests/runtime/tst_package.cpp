// Package validation: a copy of the bundled package in a temp folder, broken one way per test, must fail
// to load with a message naming the file and the key or tensor at fault (never a crash or exception).

#include "check.h"
#include "testdata.h"

#include "inference/runtime/inferenceruntime.h"

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace rs;
namespace fs = std::filesystem;

namespace {

const char *kFiles[] = { "model.json", "vocab.txt", "vision.pt", "language.pt", "mask_decoder.pt" };

// A fresh copy of the package's files, removed when it goes out of scope.
class PackageCopy
{
public:
    PackageCopy()
    {
        static int counter = 0;
        m_dir = fs::temp_directory_path()
            / ("rs_tst_package_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        for (const char *file : kFiles)
            fs::copy_file(fs::path(testdata::modelDir()) / file, m_dir / file);
    }
    ~PackageCopy() { fs::remove_all(m_dir); }

    std::string dir() const { return m_dir.string(); }
    fs::path path(const std::string &file) const { return m_dir / file; }
    std::string read(const std::string &file) const { return testdata::readText(path(file).string()); }
    void write(const std::string &file, const std::string &text) const
    {
        std::ofstream(path(file), std::ios::binary | std::ios::trunc) << text;
    }
    // Replaces the first occurrence in `file`; false (a test failure) if `from` is not there.
    bool replace(const std::string &file, const std::string &from, const std::string &to) const
    {
        std::string text = read(file);
        const std::size_t at = text.find(from);
        if (at == std::string::npos)
            return false;
        write(file, text.replace(at, from.size(), to));
        return true;
    }

private:
    fs::path m_dir;
};

std::string loadError(const PackageCopy &copy)
{
    InferenceRuntime runtime;
    RuntimeOptions options;
    options.device = "cpu";
    const Status s = runtime.load(copy.dir(), options);
    if (s.ok() != runtime.isLoaded())
        return "isLoaded() disagrees with the status";
    std::cout << "   load: " << (s.ok() ? "ok" : s.message()) << std::endl;
    return s.ok() ? std::string("ok") : s.message();
}

std::size_t vocabularyLines()
{
    const std::string text = testdata::readText(testdata::modelDir() + "/vocab.txt");
    return std::size_t(std::count(text.begin(), text.end(), '\n'));
}

} // namespace

TEST_CASE(intactCopyLoads)
{
    PackageCopy copy;
    CHECK_EQ(loadError(copy), std::string("ok"));
}

TEST_CASE(notADirectory)
{
    InferenceRuntime runtime;
    CHECK_CONTAINS(runtime.load("/nonexistent/rs_package").message(),
                   "/nonexistent/rs_package: not a directory");
}

TEST_CASE(truncatedModuleFile)
{
    PackageCopy copy;
    fs::resize_file(copy.path("language.pt"), fs::file_size(copy.path("language.pt")) / 2);
    CHECK_CONTAINS(loadError(copy), "language.pt: cannot load TorchScript module: ");
}

TEST_CASE(emptyModuleFile)
{
    PackageCopy copy;
    copy.write("mask_decoder.pt", "");
    CHECK_CONTAINS(loadError(copy), "mask_decoder.pt: cannot load TorchScript module: ");
}

TEST_CASE(missingModuleFile)
{
    PackageCopy copy;
    fs::remove(copy.path("vision.pt"));
    CHECK_CONTAINS(loadError(copy),
                   "vision.pt: file not found in " + copy.dir() + " (model.json modules.vision.file)");
}

TEST_CASE(vocabularyWithALineMissing)
{
    PackageCopy copy;
    const std::size_t n = vocabularyLines();
    std::string vocab = copy.read("vocab.txt");
    vocab.erase(vocab.rfind('\n', vocab.size() - 2) + 1);
    copy.write("vocab.txt", vocab);
    CHECK_CONTAINS(loadError(copy),
                   "vocab.txt has " + std::to_string(n - 1) + " lines but model.json vocab_size is "
                       + std::to_string(n));
    // With vocab_size edited to agree, the dry run catches the model's real vocabulary size.
    CHECK(copy.replace("model.json", "\"vocab_size\": " + std::to_string(n),
                       "\"vocab_size\": " + std::to_string(n - 1)));
    CHECK_CONTAINS(loadError(copy),
                   "language.pt: prefill returned logits of shape [1,2," + std::to_string(n)
                       + "], expected [1,2," + std::to_string(n - 1) + "] (vocab.txt has "
                       + std::to_string(n - 1) + " lines)");
}

TEST_CASE(vocabularyWithADuplicate)
{
    PackageCopy copy;
    CHECK(copy.replace("vocab.txt", "\n<none>\n", "\n<think>\n"));
    CHECK_CONTAINS(loadError(copy), "vocab.txt line 8: token \"<think>\" repeats line 6");
}

TEST_CASE(badJson)
{
    PackageCopy copy;
    const std::string json = copy.read("model.json");
    copy.write("model.json", json.substr(0, json.size() / 2));
    CHECK_CONTAINS(loadError(copy), "model.json: invalid JSON: line ");
    copy.write("model.json", "{\"name\": \"shapes\",}");
    CHECK_CONTAINS(loadError(copy),
                   "model.json: invalid JSON: line 1, column 19: expected a string key in object");
}

TEST_CASE(wrongKey)
{
    PackageCopy copy;
    CHECK(copy.replace("model.json", "\"vision\": {", "\"vison\": {"));
    CHECK_CONTAINS(loadError(copy), "model.json: missing key \"modules.vision.file\"");
}

TEST_CASE(wrongValueType)
{
    PackageCopy copy;
    CHECK(copy.replace("model.json", "\"max_new_tokens\": 144", "\"max_new_tokens\": \"lots\""));
    CHECK_CONTAINS(loadError(copy), "model.json: \"limits.max_new_tokens\" must be a number, not a string");
}

TEST_CASE(unknownSpecialToken)
{
    PackageCopy copy;
    CHECK(copy.replace("model.json", "\"seg\": \"[SEG]\"", "\"seg\": \"[SEGMENT]\""));
    CHECK_CONTAINS(loadError(copy), "model.json: special token seg = \"[SEGMENT]\" is not in vocab.txt");
}

TEST_CASE(specialTokenIdDisagreesWithVocabulary)
{
    PackageCopy copy;
    CHECK(copy.replace("model.json", "\"[SEG]\": 4", "\"[SEG]\": 5"));
    CHECK_CONTAINS(loadError(copy), "model.json: special_token_ids[\"[SEG]\"] is 5");
}

TEST_CASE(unsupportedTokenizer)
{
    PackageCopy copy;
    CHECK(copy.replace("model.json", "\"type\": \"word\"", "\"type\": \"sentencepiece\""));
    CHECK_CONTAINS(loadError(copy), "\"tokenizer.type\" = \"sentencepiece\" is not supported");
}

TEST_CASE(moduleFileOutsideThePackage)
{
    PackageCopy copy;
    CHECK(copy.replace("model.json", "\"file\": \"vision.pt\"", "\"file\": \"../vision.pt\""));
    CHECK_CONTAINS(loadError(copy), "\"modules.vision.file\" = \"../vision.pt\" must be a plain file name");
}

TEST_CASE(moduleWithoutTheMethod)
{
    PackageCopy copy;
    fs::copy_file(copy.path("vision.pt"), copy.path("language.pt"), fs::copy_options::overwrite_existing);
    CHECK_CONTAINS(loadError(copy), "language.pt: the module has no method prefill()");
}

TEST_CASE(moduleWithTheWrongSignature)
{
    PackageCopy copy;
    fs::copy_file(copy.path("vision.pt"), copy.path("mask_decoder.pt"), fs::copy_options::overwrite_existing);
    CHECK_CONTAINS(loadError(copy), "mask_decoder.pt: forward failed: ");
}

TEST_CASE(wrongOutputShape)
{
    PackageCopy copy;
    fs::copy_file(testdata::dataPath("fixture_wrong_shape_vision.pt"), copy.path("vision.pt"),
                  fs::copy_options::overwrite_existing);
    CHECK_CONTAINS(loadError(copy),
                   "vision.pt: forward returned features of shape [1,32,64,64], expected [1,64,64,64]");
}

TEST_CASE(nanOutputIsAnError)
{
    PackageCopy copy;
    fs::copy_file(testdata::dataPath("fixture_nan_mask_decoder.pt"), copy.path("mask_decoder.pt"),
                  fs::copy_options::overwrite_existing);
    CHECK_CONTAINS(loadError(copy), "mask_decoder.pt: forward returned mask_logits with NaN/Inf values");
}

TEST_CASE(specMismatchWithInput)
{
    PackageCopy copy;
    CHECK(copy.replace("model.json", "\"image\": \"float32 [1,3,128,128]\"",
                       "\"image\": \"float32 [1,3,64,64]\""));
    CHECK_CONTAINS(loadError(copy),
                   "\"modules.vision.inputs.image\" = \"float32 [1,3,64,64]\" does not match input");
}

RS_TEST_MAIN()
