// WordTokenizer: README rules (lower-case, whitespace split, punctuation tokens, <unk>) and detokenising;
// on the bundled vocabulary it reproduces the prompt ids of reference_run.json.

#include "check.h"
#include "testdata.h"

#include "inference/runtime/json.h"
#include "inference/runtime/modelpackage.h"
#include "inference/runtime/wordtokenizer.h"

using namespace rs;

namespace {

WordTokenizer small()
{
    return WordTokenizer({ "<pad>", "<bos>", "<eos>", "<unk>", "[SEG]", ".", ",", "?", "(", ")", "the", "red",
                           "circle", "x1", "y3", "'" },
                         ".,:?!;'\"()", 3);
}

} // namespace

TEST_CASE(splitsLikeTheReadme)
{
    const WordTokenizer t = small();
    CHECK(t.split("The RED circle?") == std::vector<std::string>({ "the", "red", "circle", "?" }));
    CHECK(t.split("  circle,red.\tthe\n") == std::vector<std::string>({ "circle", ",", "red", ".", "the" }));
    CHECK(t.split("(the)") == std::vector<std::string>({ "(", "the", ")" }));
    CHECK(t.split("shape's") == std::vector<std::string>({ "shape", "'", "s" }));
    CHECK(t.split("...") == std::vector<std::string>({ ".", ".", "." }));
    CHECK(t.split("").empty());
    CHECK(t.split(" \t\r\n").empty());
    CHECK(t.split("a-b") == std::vector<std::string>({ "a-b" })); // '-' is not punctuation here
}

TEST_CASE(encodesWithUnknown)
{
    const WordTokenizer t = small();
    CHECK(t.encode("The red square?") == std::vector<std::int64_t>({ 10, 11, 3, 7 }));
    CHECK(t.id("circle") == std::optional<std::int64_t>(12));
    CHECK(!t.id("Circle").has_value());
    CHECK_EQ(t.token(4), std::string("[SEG]"));
    CHECK_EQ(t.token(99), std::string("<id 99>"));
    CHECK_EQ(t.token(-1), std::string("<id -1>"));
}

TEST_CASE(detokenises)
{
    const WordTokenizer t = small();
    CHECK_EQ(t.decode({ 10, 11, 12, 6, 10, 12, 5 }), std::string("the red circle, the circle."));
    CHECK_EQ(t.decode({ 11, 12, 13, 14, 4 }), std::string("red circle x1 y3 [SEG]"));
    CHECK_EQ(t.decode({}), std::string());
    CHECK_EQ(t.join({ "a", "?", "b" }), std::string("a? b"));
}

TEST_CASE(bundledVocabularyReproducesReferencePromptIds)
{
    ModelPackage package;
    const Status s = ModelPackage::load(testdata::modelDir(), package);
    CHECK(s.ok());
    if (!s.ok()) {
        std::cout << s.message() << std::endl;
        return;
    }
    JsonValue root;
    CHECK(JsonValue::parse(testdata::readText(testdata::modelDir() + "/reference_run.json"), root).ok());
    CHECK(!root.items().empty());
    const auto &special = package.specialTokens();
    for (const JsonValue &sample : root.items()) {
        std::vector<std::int64_t> expected;
        const JsonValue *prompt = sample.find("prompt_ids");
        const JsonValue *question = sample.find("question");
        const JsonValue *generated = sample.find("generated_ids");
        const JsonValue *text = sample.find("generated_text");
        CHECK(prompt && question && generated && text);
        if (!prompt || !question || !generated || !text)
            continue;
        for (const JsonValue &id : prompt->items())
            expected.push_back(id.asInteger());
        std::vector<std::int64_t> ids { special.bos };
        for (std::int64_t id : package.tokenizer().encode(question->asString()))
            ids.push_back(id);
        const JsonValue *box = sample.find("box_input");
        if (box && box->isArray())
            ids.push_back(special.box);
        CHECK(ids == expected);
        // generated_text is the space-joined token list of the generated ids.
        std::string joined;
        for (const JsonValue &id : generated->items())
            joined += (joined.empty() ? "" : " ") + package.tokenizer().token(id.asInteger());
        CHECK_EQ(joined, text->asString());
    }
}

RS_TEST_MAIN()
