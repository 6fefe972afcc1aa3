// JsonValue: strict RFC 8259 parsing (accepts valid documents, rejects every malformed one with a
// position), limits on size and depth, UTF-8 and escapes, duplicate keys, and a bounded random fuzz.

#include "check.h"

#include "inference/runtime/json.h"

#include <random>

using rs::JsonValue;

namespace {

bool parses(const std::string &text)
{
    JsonValue v;
    return JsonValue::parse(text, v).ok();
}

std::string error(const std::string &text)
{
    JsonValue v;
    const rs::Status s = JsonValue::parse(text, v);
    return s.ok() ? "ok" : s.message();
}

} // namespace

TEST_CASE(parsesValues)
{
    JsonValue v;
    CHECK(JsonValue::parse(R"( {"a": [1, -2.5e3, true, false, null, "x"], "b": {"c": 0}} )", v).ok());
    CHECK(v.isObject());
    CHECK_EQ(v.members().size(), std::size_t(2));
    CHECK_EQ(v.members()[0].first, std::string("a"));
    const JsonValue *a = v.find("a");
    CHECK(a && a->isArray() && a->items().size() == 6);
    CHECK_EQ(a->items()[0].asInteger(), std::int64_t(1));
    CHECK(a->items()[0].isInteger());
    CHECK_EQ(a->items()[1].asNumber(), -2500.0);
    CHECK(a->items()[2].asBool());
    CHECK(a->items()[3].isBool() && !a->items()[3].asBool());
    CHECK(a->items()[4].isNull());
    CHECK_EQ(a->items()[5].asString(), std::string("x"));
    CHECK(v.find("b")->find("c")->isInteger());
    CHECK(v.find("missing") == nullptr);
    CHECK(a->find("x") == nullptr);
    CHECK(JsonValue::parse("1.5", v).ok() && v.asNumber() == 1.5 && !v.isInteger());
    CHECK(JsonValue::parse("0", v).ok() && v.isInteger());
    CHECK(JsonValue::parse("-0.0e+0", v).ok());
    CHECK(JsonValue::parse("1e-400", v).ok() && v.asNumber() == 0.0); // underflow is harmless
    CHECK(JsonValue::parse("[]", v).ok() && v.items().empty());
    CHECK(JsonValue::parse("{}", v).ok() && v.members().empty());
}

TEST_CASE(stringsAndEscapes)
{
    JsonValue v;
    CHECK(JsonValue::parse(R"("a\"b\\c\/d\b\f\n\r\t")", v).ok());
    CHECK_EQ(v.asString(), std::string("a\"b\\c/d\b\f\n\r\t"));
    CHECK(JsonValue::parse(R"("\u00e9\u4e2d\ud83d\ude00")", v).ok());
    CHECK_EQ(v.asString(), std::string("\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80"));
    CHECK(JsonValue::parse("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", v).ok()); // raw UTF-8
    CHECK_CONTAINS(error(R"("\ud83d")"), "unpaired high surrogate");
    CHECK_CONTAINS(error(R"("\ude00")"), "unpaired low surrogate");
    CHECK_CONTAINS(error(R"("\ud83d\u0041")"), "invalid low surrogate");
    CHECK_CONTAINS(error(R"("\x")"), "invalid escape");
    CHECK_CONTAINS(error(R"("\u12G4")"), "invalid hex digit");
    CHECK_CONTAINS(error("\"a\nb\""), "control character");
    CHECK_CONTAINS(error("\"\xc0\xaf\""), "invalid UTF-8"); // overlong '/'
    CHECK_CONTAINS(error("\"\xed\xa0\x80\""), "invalid UTF-8"); // encoded surrogate
    CHECK_CONTAINS(error("\"\xf4\x90\x80\x80\""), "invalid UTF-8"); // > U+10FFFF
    CHECK_CONTAINS(error("\"\xe2\x82\""), "UTF-8");
    CHECK_CONTAINS(error("\"abc"), "unterminated string");
}

TEST_CASE(rejectsMalformedDocuments)
{
    const char *bad[] = { "",         " ",       "{",          "}",        "[1,]",   "[1 2]",   "{\"a\" 1}",
                          "{\"a\":}", "{a:1}",   "{\"a\":1,}", "[01]",     "[1.]",   "[.5]",    "[1e]",
                          "[+1]",     "[-]",     "NaN",        "Infinity", "[tru]",  "nul",     "'x'",
                          "[1] [2]",  "// c\n1", "1e999",      "-1e999",   "[\"a\"", "{\"a\":1" };
    for (const char *text : bad) {
        const bool ok = parses(text);
        CHECK(!ok);
        if (ok)
            std::cout << "   accepted: " << text << std::endl;
    }
    CHECK_EQ(error("{\"a\": 1,\n  \"b\": ]}"),
             std::string("line 2, column 8: unexpected character ']', expected a value"));
    CHECK_EQ(error("{\"a\": 1, \"a\": 2}"), std::string("line 1, column 10: duplicate key \"a\""));
    CHECK_EQ(error("[1] x"), std::string("line 1, column 5: unexpected text after the JSON value"));
    CHECK_EQ(error("1e999"), std::string("line 1, column 1: number out of range"));
}

TEST_CASE(limits)
{
    JsonValue::Limits limits;
    limits.maxDepth = 4;
    JsonValue v;
    CHECK(JsonValue::parse("[[[[1]]]]", v, limits).ok());
    CHECK_CONTAINS(JsonValue::parse("[[[[[1]]]]]", v, limits).message(), "nesting deeper than 4 levels");
    CHECK_CONTAINS(JsonValue::parse("{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}", v, limits).message(),
                   "nesting deeper");
    limits.maxBytes = 8;
    CHECK_CONTAINS(JsonValue::parse("[1,2,3,4,5]", v, limits).message(), "11 bytes, the limit is 8");
    // Deep nesting at the default limit fails cleanly instead of overflowing the stack.
    const std::string deep(100000, '[');
    CHECK_CONTAINS(error(deep), "nesting deeper than 64 levels");
    // Many keys stay fast (duplicate detection is not quadratic).
    std::string wide = "{";
    for (int i = 0; i < 50000; ++i)
        wide += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
    wide += "}";
    CHECK(JsonValue::parse(wide, v).ok());
    CHECK_EQ(v.members().size(), std::size_t(50000));
}

TEST_CASE(randomMutationsNeverCrash)
{
    const std::string seed = R"({"modules": {"vision": {"file": "vision.pt", "dims": [1, 3, 128.5e0, -2]},)"
                             R"( "s": "\u00e9\n", "t": true, "n": null, "a": [[], {}, [[1]]]}})";
    std::mt19937 rng(1234);
    const std::string alphabet = "{}[],:\"\\0123456789.eE+-tfnul \n\x80\xc3\xff";
    int accepted = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text = seed;
        const int edits = 1 + int(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = rng() % (text.size() + 1);
            switch (rng() % 3) {
            case 0:
                text.insert(at, 1, alphabet[rng() % alphabet.size()]);
                break;
            case 1:
                if (at < text.size())
                    text.erase(at, 1);
                break;
            default:
                text = text.substr(0, at);
            }
        }
        JsonValue v;
        accepted += JsonValue::parse(text, v).ok();
    }
    CHECK(accepted < 20000);
}

RS_TEST_MAIN()
