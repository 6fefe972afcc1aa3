#include "plugins/formats/picklereader.h"

#include "plugins/formats/pickletext.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringDecoder>

#include <array>
#include <cctype>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_map>
#include <variant>
#include <vector>

namespace rs {

namespace {

// Opcode bytes of Python's pickle protocols 0-5 (Lib/pickletools.py names them).
enum Op : uchar {
    MARK = '(', STOP = '.', POP = '0', POP_MARK = '1', DUP = '2', FLOAT = 'F', INT = 'I', BININT = 'J',
    BININT1 = 'K', LONG = 'L', BININT2 = 'M', NONE = 'N', PERSID = 'P', BINPERSID = 'Q', REDUCE = 'R',
    STRING = 'S', BINSTRING = 'T', SHORT_BINSTRING = 'U', UNICODE = 'V', BINUNICODE = 'X', APPEND = 'a',
    BUILD = 'b', GLOBAL = 'c', DICT = 'd', EMPTY_DICT = '}', APPENDS = 'e', GET = 'g', BINGET = 'h',
    INST = 'i', LONG_BINGET = 'j', LIST = 'l', EMPTY_LIST = ']', OBJ = 'o', PUT = 'p', BINPUT = 'q',
    LONG_BINPUT = 'r', SETITEM = 's', TUPLE = 't', EMPTY_TUPLE = ')', SETITEMS = 'u', BINFLOAT = 'G',
    BINBYTES = 'B', SHORT_BINBYTES = 'C',
    PROTO = 0x80, NEWOBJ = 0x81, EXT1 = 0x82, EXT2 = 0x83, EXT4 = 0x84, TUPLE1 = 0x85, TUPLE2 = 0x86,
    TUPLE3 = 0x87, NEWTRUE = 0x88, NEWFALSE = 0x89, LONG1 = 0x8a, LONG4 = 0x8b, SHORT_BINUNICODE = 0x8c,
    BINUNICODE8 = 0x8d, BINBYTES8 = 0x8e, EMPTY_SET = 0x8f, ADDITEMS = 0x90, FROZENSET = 0x91,
    NEWOBJ_EX = 0x92, STACK_GLOBAL = 0x93, MEMOIZE = 0x94, FRAME = 0x95, BYTEARRAY8 = 0x96,
    NEXT_BUFFER = 0x97, READONLY_BUFFER = 0x98,
};

struct OpName
{
    uchar op;
    const char *name;
};

constexpr OpName kOpNames[] = {
    {MARK, "MARK"}, {STOP, "STOP"}, {POP, "POP"}, {POP_MARK, "POP_MARK"}, {DUP, "DUP"}, {FLOAT, "FLOAT"},
    {INT, "INT"}, {BININT, "BININT"}, {BININT1, "BININT1"}, {LONG, "LONG"}, {BININT2, "BININT2"}, {NONE, "NONE"},
    {PERSID, "PERSID"}, {BINPERSID, "BINPERSID"}, {REDUCE, "REDUCE"}, {STRING, "STRING"}, {BINSTRING, "BINSTRING"},
    {SHORT_BINSTRING, "SHORT_BINSTRING"}, {UNICODE, "UNICODE"}, {BINUNICODE, "BINUNICODE"}, {APPEND, "APPEND"},
    {BUILD, "BUILD"}, {GLOBAL, "GLOBAL"}, {DICT, "DICT"}, {EMPTY_DICT, "EMPTY_DICT"}, {APPENDS, "APPENDS"},
    {GET, "GET"}, {BINGET, "BINGET"}, {INST, "INST"}, {LONG_BINGET, "LONG_BINGET"}, {LIST, "LIST"},
    {EMPTY_LIST, "EMPTY_LIST"}, {OBJ, "OBJ"}, {PUT, "PUT"}, {BINPUT, "BINPUT"}, {LONG_BINPUT, "LONG_BINPUT"},
    {SETITEM, "SETITEM"}, {TUPLE, "TUPLE"}, {EMPTY_TUPLE, "EMPTY_TUPLE"}, {SETITEMS, "SETITEMS"},
    {BINFLOAT, "BINFLOAT"}, {BINBYTES, "BINBYTES"}, {SHORT_BINBYTES, "SHORT_BINBYTES"}, {PROTO, "PROTO"},
    {NEWOBJ, "NEWOBJ"}, {EXT1, "EXT1"}, {EXT2, "EXT2"}, {EXT4, "EXT4"}, {TUPLE1, "TUPLE1"}, {TUPLE2, "TUPLE2"},
    {TUPLE3, "TUPLE3"}, {NEWTRUE, "NEWTRUE"}, {NEWFALSE, "NEWFALSE"}, {LONG1, "LONG1"}, {LONG4, "LONG4"},
    {SHORT_BINUNICODE, "SHORT_BINUNICODE"}, {BINUNICODE8, "BINUNICODE8"}, {BINBYTES8, "BINBYTES8"},
    {EMPTY_SET, "EMPTY_SET"}, {ADDITEMS, "ADDITEMS"}, {FROZENSET, "FROZENSET"}, {NEWOBJ_EX, "NEWOBJ_EX"},
    {STACK_GLOBAL, "STACK_GLOBAL"}, {MEMOIZE, "MEMOIZE"}, {FRAME, "FRAME"}, {BYTEARRAY8, "BYTEARRAY8"},
    {NEXT_BUFFER, "NEXT_BUFFER"}, {READONLY_BUFFER, "READONLY_BUFFER"}
};

// The opcode's name, nullptr for a byte that is no opcode (looked up for every opcode read).
const char *opName(uchar op)
{
    static const std::array<const char *, 256> byByte = [] {
        std::array<const char *, 256> table{};
        for (const OpName &entry : kOpNames)
            table[entry.op] = entry.name;
        return table;
    }();
    return byByte[op];
}

bool runsCode(uchar op)
{
    switch (op) {
    case GLOBAL: case STACK_GLOBAL: case REDUCE: case BUILD: case INST: case OBJ: case NEWOBJ:
    case NEWOBJ_EX: case EXT1: case EXT2: case EXT4: case PERSID: case BINPERSID:
        return true;
    default:
        return false;
    }
}

struct Container;
using ContainerPtr = std::shared_ptr<Container>;
// None, bool, int, float, str, or a list/tuple/dict shared by reference as Python shares it (a memo
// reference to a list sees the items appended after it was memoised).
using Value = std::variant<std::monostate, bool, qint64, double, QString, ContainerPtr>;

struct Container
{
    enum class Kind { List, Tuple, Dict };
    Kind kind = Kind::List;
    std::vector<Value> items;  // a dict holds key, value, key, value, ...
};

ContainerPtr makeContainer(Container::Kind kind, std::vector<Value> items = {})
{
    auto container = std::make_shared<Container>();
    container->kind = kind;
    container->items = std::move(items);
    return container;
}

QString describe(const Value &value)
{
    switch (value.index()) {
    case 0: return QStringLiteral("None");
    case 1: return QStringLiteral("a bool");
    case 2: return QStringLiteral("an int (%1)").arg(std::get<qint64>(value));
    case 3: return QStringLiteral("a float");
    case 4: return QStringLiteral("a string");
    default:
        switch (std::get<ContainerPtr>(value)->kind) {
        case Container::Kind::List: return QStringLiteral("a list");
        case Container::Kind::Tuple: return QStringLiteral("a tuple");
        case Container::Kind::Dict: return QStringLiteral("a dict");
        }
    }
    return QString();
}

std::optional<qint64> parseInteger(QByteArray text)
{
    text = text.trimmed();
    bool ok = false;
    const qint64 value = text.toLongLong(&ok, 10);
    if (!ok)
        return std::nullopt;
    return value;
}

class Machine
{
public:
    Machine(QByteArrayView data, const QString &where, PickleReader::Stats &stats)
        : m_data(data), m_where(where), m_stats(stats)
    {
    }
    ~Machine()
    {
        // Only a container reached again through the memo or DUP can hold itself; emptying those
        // breaks any cycle, so that every container is freed.
        for (const std::weak_ptr<Container> &weak : m_reused)
            if (const ContainerPtr container = weak.lock())
                container->items.clear();
    }

    Expected<QJsonValue> run();

private:
    Error fail(const QString &message) const
    {
        return Error{QStringLiteral("%1: byte %2: %3").arg(m_where).arg(m_opOffset).arg(message)};
    }
    QString opText() const { return QString::fromLatin1(opName(m_op)); }
    Error truncated() const
    {
        return fail(QStringLiteral("the file ends inside %1 (truncated?)").arg(opText()));
    }

    std::optional<QByteArrayView> take(qint64 n)
    {
        if (n < 0 || n > m_data.size() - m_pos)
            return std::nullopt;
        const QByteArrayView bytes = m_data.sliced(m_pos, n);
        m_pos += n;
        return bytes;
    }
    template<typename T>
    std::optional<T> littleEndian(int n)
    {
        auto bytes = take(n);
        if (!bytes)
            return std::nullopt;
        quint64 value = 0;
        for (int i = n - 1; i >= 0; --i)
            value = (value << 8) | uchar((*bytes)[i]);
        if constexpr (std::is_signed_v<T>) {
            if (n < 8 && (value >> (8 * n - 1)) & 1)
                value |= ~quint64(0) << (8 * n);
        }
        return T(value);
    }
    // The argument of a text opcode, without its newline.
    std::optional<QByteArray> line()
    {
        const qsizetype end = m_data.sliced(m_pos).indexOf('\n');
        if (end < 0)
            return std::nullopt;
        QByteArray text = m_data.sliced(m_pos, end).toByteArray();
        m_pos += end + 1;
        return text;
    }

    QString byteString(QByteArrayView bytes)
    {
        bool ascii = true;
        for (char c : bytes)
            if (uchar(c) >= 0x80) {
                ascii = false;
                break;
            }
        if (ascii)
            return QString::fromLatin1(bytes.data(), bytes.size());
        ++m_stats.nonAsciiByteStrings;
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString text = utf8(bytes);
        if (!utf8.hasError())
            return text;
        return QString::fromLatin1(bytes.data(), bytes.size());
    }
    Expected<QString> unicodeString(QByteArrayView bytes)
    {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString text = utf8(bytes);
        if (utf8.hasError())
            return fail(QStringLiteral("%1 holds invalid UTF-8").arg(opText()));
        return text;
    }

    Expected<bool> step();
    Expected<bool> push(Value value)
    {
        m_stack.push_back(std::move(value));
        return true;
    }
    // A second reference to a value (memo, DUP).
    Expected<bool> pushAgain(const Value &value)
    {
        if (value.index() == 5)
            m_reused.push_back(std::get<ContainerPtr>(value));
        return push(value);
    }
    // The values above the innermost MARK, which is removed.
    Expected<std::vector<Value>> popMark()
    {
        if (m_marks.empty())
            return fail(QStringLiteral("%1 needs a MARK, and there is none").arg(opText()));
        const std::size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<Value> items(std::make_move_iterator(m_stack.begin() + qsizetype(mark)), std::make_move_iterator(m_stack.end()));
        m_stack.resize(mark);
        return items;
    }
    // Error when fewer than n values lie above the innermost MARK.
    Expected<bool> require(std::size_t n)
    {
        const std::size_t floor = m_marks.empty() ? 0 : m_marks.back();
        const std::size_t available = m_stack.size() - floor;
        if (available < n)
            return fail(QStringLiteral("%1 needs %2 value(s) on the stack, found %3 (stack underflow)").arg(opText()).arg(n).arg(available));
        return true;
    }
    Expected<ContainerPtr> topContainer(Container::Kind kind)
    {
        auto ok = require(1);
        if (!ok)
            return Error{ok.error()};
        const Value &top = m_stack.back();
        if (top.index() == 5 && std::get<ContainerPtr>(top)->kind == kind)
            return std::get<ContainerPtr>(top);
        return fail(QStringLiteral("%1 applies to %2, not a %3").arg(opText(), describe(top),
                                                                      kind == Container::Kind::Dict ? QStringLiteral("dict") : QStringLiteral("list")));
    }
    Expected<bool> addPairs(Container &dict, std::vector<Value> &items)
    {
        if (items.size() % 2 != 0)
            return fail(QStringLiteral("%1 has an odd number of values (%2) for key/value pairs").arg(opText()).arg(items.size()));
        for (std::size_t i = 0; i < items.size(); i += 2)
            if (items[i].index() != 4)
                return fail(QStringLiteral("%1: a dict key is %2, not a string (JSON keys are strings)").arg(opText(), describe(items[i])));
        for (Value &item : items)
            dict.items.push_back(std::move(item));
        return true;
    }
    Expected<bool> memoPut(quint64 index)
    {
        auto ok = require(1);
        if (!ok)
            return ok;
        if (index < m_memoDense.size() + kMemoGrowth) {
            if (index >= m_memoDense.size())
                m_memoDense.resize(std::size_t(index) + 1);
            if (!m_memoDense[index])
                ++m_memoCount;
            m_memoDense[index] = m_stack.back();
        } else if (m_memoSparse.insert_or_assign(index, m_stack.back()).second) {
            ++m_memoCount;
        }
        return true;
    }
    Expected<bool> memoGet(quint64 index)
    {
        if (index < m_memoDense.size() && m_memoDense[index])
            return pushAgain(*m_memoDense[index]);
        const auto found = m_memoSparse.find(index);
        if (found == m_memoSparse.end())
            return fail(QStringLiteral("%1 refers to memo index %2, which was never stored").arg(opText()).arg(index));
        return pushAgain(found->second);
    }
    Expected<qint64> longFromBytes(QByteArrayView bytes)
    {
        // Little-endian two's complement; bytes beyond 8 must be sign extension.
        if (bytes.isEmpty())
            return qint64(0);
        const bool negative = uchar(bytes.back()) & 0x80;
        for (qsizetype i = 8; i < bytes.size(); ++i)
            if (uchar(bytes[i]) != (negative ? 0xff : 0x00))
                return fail(QStringLiteral("%1: an integer that does not fit in 64 bits").arg(opText()));
        if (bytes.size() > 8 && bool(uchar(bytes[7]) & 0x80) != negative)
            return fail(QStringLiteral("%1: an integer that does not fit in 64 bits").arg(opText()));
        const int n = int(qMin<qsizetype>(bytes.size(), 8));
        quint64 value = 0;
        for (int i = n - 1; i >= 0; --i)
            value = (value << 8) | uchar(bytes[i]);
        if (n < 8 && negative)
            value |= ~quint64(0) << (8 * n);
        return qint64(value);
    }

    // Converts value; with `consume`, containers nobody else references are emptied on the way, so
    // that the Python-side tree shrinks while the JSON tree grows (the peak is not their sum).
    Expected<QJsonValue> toJson(Value &value, int depth, bool consume);

    QByteArrayView m_data;
    QString m_where;
    PickleReader::Stats &m_stats;
    qint64 m_pos = 0;
    qint64 m_opOffset = 0;
    uchar m_op = 0;
    bool m_stopped = false;
    std::vector<Value> m_stack;
    std::vector<std::size_t> m_marks;
    // Python's memo dict. Picklers number it densely from 0, so a vector holds it; an index far
    // beyond (only a hand-made pickle has one) goes to the map rather than growing the vector.
    static constexpr quint64 kMemoGrowth = 65536;
    std::vector<std::optional<Value>> m_memoDense;
    std::unordered_map<quint64, Value> m_memoSparse;
    quint64 m_memoCount = 0;
    std::vector<const Container *> m_path;  // containers being converted, to find cycles
    std::vector<std::weak_ptr<Container>> m_reused;
};

Expected<QJsonValue> Machine::run()
{
    while (!m_stopped) {
        m_opOffset = m_pos;
        if (m_pos >= m_data.size())
            return fail(QStringLiteral("the file ends before STOP (truncated?)"));
        m_op = uchar(m_data[m_pos++]);
        auto stepped = step();
        if (!stepped)
            return Error{stepped.error()};
    }
    Value top = std::move(m_stack.back());
    m_stack.clear();
    m_memoDense.clear();
    m_memoSparse.clear();
    return toJson(top, 0, true);
}

Expected<bool> Machine::step()
{
    const char *name = opName(m_op);
    if (!name)
        return fail(QStringLiteral("unknown opcode 0x%1").arg(m_op, 2, 16, QLatin1Char('0')));
    if (runsCode(m_op))
        return fail(QStringLiteral("opcode %1 is refused: it imports or calls Python code, and only plain data "
                                   "(lists, dicts, strings, numbers) is read")
                        .arg(opText()));

    switch (m_op) {
    case PROTO: {
        auto version = littleEndian<quint8>(1);
        if (!version)
            return truncated();
        if (*version > 5)
            return fail(QStringLiteral("unsupported pickle protocol %1").arg(*version));
        m_stats.protocol = *version;
        return true;
    }
    case FRAME: {
        auto size = littleEndian<quint64>(8);
        if (!size)
            return truncated();
        if (*size > quint64(m_data.size() - m_pos))
            return truncated();
        return true;  // frames only group opcodes for buffered reading
    }
    case STOP: {
        auto ok = require(1);
        if (!ok)
            return ok;
        m_stopped = true;
        return true;
    }
    case MARK:
        m_marks.push_back(m_stack.size());
        return true;
    case POP:
        // As Python: the top value, or the innermost MARK when nothing lies above it.
        if (!m_stack.empty() && (m_marks.empty() || m_marks.back() < m_stack.size())) {
            m_stack.pop_back();
            return true;
        }
        if (m_marks.empty())
            return fail(QStringLiteral("POP needs 1 value(s) on the stack, found 0 (stack underflow)"));
        m_marks.pop_back();
        return true;
    case POP_MARK: {
        auto items = popMark();
        return items ? Expected<bool>(true) : Expected<bool>(Error{items.error()});
    }
    case DUP: {
        auto ok = require(1);
        if (!ok)
            return ok;
        return pushAgain(m_stack.back());
    }
    case NONE:
        return push(std::monostate());
    case NEWTRUE:
        return push(true);
    case NEWFALSE:
        return push(false);
    case INT: {
        auto text = line();
        if (!text)
            return truncated();
        // Protocol 0 writes True and False as INT 01 and 00.
        if (*text == "01")
            return push(true);
        if (*text == "00")
            return push(false);
        auto value = parseInteger(*text);
        if (!value)
            return fail(QStringLiteral("INT argument '%1' is not a 64-bit integer").arg(QString::fromLatin1(*text)));
        return push(*value);
    }
    case LONG: {
        auto text = line();
        if (!text)
            return truncated();
        QByteArray digits = *text;
        if (digits.endsWith('L'))
            digits.chop(1);
        auto value = parseInteger(digits);
        if (!value)
            return fail(QStringLiteral("LONG argument '%1' is not a 64-bit integer").arg(QString::fromLatin1(*text)));
        return push(*value);
    }
    case BININT: {
        auto value = littleEndian<qint32>(4);
        return value ? push(qint64(*value)) : truncated();
    }
    case BININT1: {
        auto value = littleEndian<quint8>(1);
        return value ? push(qint64(*value)) : truncated();
    }
    case BININT2: {
        auto value = littleEndian<quint16>(2);
        return value ? push(qint64(*value)) : truncated();
    }
    case LONG1:
    case LONG4: {
        std::optional<qint64> size;
        if (m_op == LONG1) {
            auto n = littleEndian<quint8>(1);
            if (n)
                size = *n;
        } else {
            auto n = littleEndian<qint32>(4);
            if (n)
                size = *n;
        }
        if (!size)
            return truncated();
        if (*size < 0)
            return fail(QStringLiteral("LONG4 has a negative byte count"));
        auto bytes = take(*size);
        if (!bytes)
            return truncated();
        auto value = longFromBytes(*bytes);
        if (!value)
            return Error{value.error()};
        return push(*value);
    }
    case FLOAT: {
        auto text = line();
        if (!text)
            return truncated();
        bool ok = false;
        const double value = text->trimmed().toDouble(&ok);
        if (!ok)
            return fail(QStringLiteral("FLOAT argument '%1' is not a number").arg(QString::fromLatin1(*text)));
        return push(value);
    }
    case BINFLOAT: {
        auto bytes = take(8);
        if (!bytes)
            return truncated();
        quint64 bits = 0;
        for (int i = 0; i < 8; ++i)
            bits = (bits << 8) | uchar((*bytes)[i]);  // big-endian
        double value;
        std::memcpy(&value, &bits, sizeof value);
        return push(value);
    }
    case STRING: {
        auto text = line();
        if (!text)
            return truncated();
        if (text->size() < 2 || text->front() != text->back() || (text->front() != '\'' && text->front() != '"'))
            return fail(QStringLiteral("the STRING argument must be quoted"));
        auto bytes = PickleText::escapeDecode(QByteArrayView(*text).sliced(1, text->size() - 2));
        if (!bytes)
            return fail(QStringLiteral("the STRING argument has an invalid escape"));
        return push(byteString(*bytes));
    }
    case BINSTRING:
    case SHORT_BINSTRING: {
        std::optional<qint64> size;
        if (m_op == BINSTRING) {
            auto n = littleEndian<qint32>(4);
            if (n)
                size = *n;
        } else {
            auto n = littleEndian<quint8>(1);
            if (n)
                size = *n;
        }
        if (!size)
            return truncated();
        if (*size < 0)
            return fail(QStringLiteral("BINSTRING has a negative length"));
        auto bytes = take(*size);
        return bytes ? push(byteString(*bytes)) : truncated();
    }
    case UNICODE: {
        auto text = line();
        if (!text)
            return truncated();
        auto decoded = PickleText::rawUnicodeEscapeDecode(*text);
        if (!decoded)
            return fail(QStringLiteral("the UNICODE argument has an invalid \\u escape"));
        return push(*decoded);
    }
    case BINUNICODE:
    case SHORT_BINUNICODE:
    case BINUNICODE8: {
        std::optional<quint64> size;
        if (m_op == BINUNICODE)
            size = littleEndian<quint32>(4);
        else if (m_op == SHORT_BINUNICODE)
            size = littleEndian<quint8>(1);
        else
            size = littleEndian<quint64>(8);
        if (!size)
            return truncated();
        if (*size > quint64(m_data.size() - m_pos))
            return truncated();
        auto bytes = take(qint64(*size));
        auto text = unicodeString(*bytes);
        if (!text)
            return Error{text.error()};
        return push(*text);
    }
    case EMPTY_LIST:
        return push(makeContainer(Container::Kind::List));
    case EMPTY_DICT:
        return push(makeContainer(Container::Kind::Dict));
    case EMPTY_TUPLE:
        return push(makeContainer(Container::Kind::Tuple));
    case LIST:
    case TUPLE: {
        auto items = popMark();
        if (!items)
            return Error{items.error()};
        return push(makeContainer(m_op == LIST ? Container::Kind::List : Container::Kind::Tuple, std::move(*items)));
    }
    case TUPLE1:
    case TUPLE2:
    case TUPLE3: {
        const std::size_t n = m_op - TUPLE1 + 1;
        auto ok = require(n);
        if (!ok)
            return ok;
        std::vector<Value> items(std::make_move_iterator(m_stack.end() - qsizetype(n)), std::make_move_iterator(m_stack.end()));
        m_stack.resize(m_stack.size() - n);
        return push(makeContainer(Container::Kind::Tuple, std::move(items)));
    }
    case DICT: {
        auto items = popMark();
        if (!items)
            return Error{items.error()};
        auto dict = makeContainer(Container::Kind::Dict);
        auto added = addPairs(*dict, *items);
        if (!added)
            return added;
        return push(dict);
    }
    case APPEND: {
        auto ok = require(2);
        if (!ok)
            return ok;
        Value value = std::move(m_stack.back());
        m_stack.pop_back();
        auto list = topContainer(Container::Kind::List);
        if (!list)
            return Error{list.error()};
        (*list)->items.push_back(std::move(value));
        return true;
    }
    case APPENDS: {
        auto items = popMark();
        if (!items)
            return Error{items.error()};
        auto list = topContainer(Container::Kind::List);
        if (!list)
            return Error{list.error()};
        for (Value &item : *items)
            (*list)->items.push_back(std::move(item));
        return true;
    }
    case SETITEM: {
        auto ok = require(3);
        if (!ok)
            return ok;
        std::vector<Value> pair(std::make_move_iterator(m_stack.end() - 2), std::make_move_iterator(m_stack.end()));
        m_stack.resize(m_stack.size() - 2);
        auto dict = topContainer(Container::Kind::Dict);
        if (!dict)
            return Error{dict.error()};
        return addPairs(**dict, pair);
    }
    case SETITEMS: {
        auto items = popMark();
        if (!items)
            return Error{items.error()};
        auto dict = topContainer(Container::Kind::Dict);
        if (!dict)
            return Error{dict.error()};
        return addPairs(**dict, *items);
    }
    case PUT:
    case GET: {
        auto text = line();
        if (!text)
            return truncated();
        auto index = parseInteger(*text);
        if (!index || *index < 0)
            return fail(QStringLiteral("%1 argument '%2' is not a memo index").arg(opText(), QString::fromLatin1(*text)));
        return m_op == PUT ? memoPut(quint64(*index)) : memoGet(quint64(*index));
    }
    case BINPUT:
    case BINGET: {
        auto index = littleEndian<quint8>(1);
        if (!index)
            return truncated();
        return m_op == BINPUT ? memoPut(*index) : memoGet(*index);
    }
    case LONG_BINPUT:
    case LONG_BINGET: {
        auto index = littleEndian<quint32>(4);
        if (!index)
            return truncated();
        return m_op == LONG_BINPUT ? memoPut(*index) : memoGet(*index);
    }
    case MEMOIZE:
        return memoPut(m_memoCount);  // Python: memo[len(memo)]
    default:
        // Bytes, bytearrays, sets and out-of-band buffers: data, but nothing a JSON tree can hold.
        return fail(QStringLiteral("opcode %1 is not supported: bytes, sets and buffers have no JSON form").arg(opText()));
    }
}

Expected<QJsonValue> Machine::toJson(Value &value, int depth, bool consume)
{
    constexpr int kMaxDepth = 512;
    switch (value.index()) {
    case 0: return QJsonValue(QJsonValue::Null);
    case 1: return QJsonValue(std::get<bool>(value));
    case 2: return QJsonValue(std::get<qint64>(value));
    case 3: return QJsonValue(std::get<double>(value));
    case 4: return QJsonValue(std::get<QString>(value));
    default: break;
    }
    const ContainerPtr container = std::get<ContainerPtr>(value);
    if (consume)
        value = std::monostate();
    // Another reference remains (the tree shares it): its items are still needed there.
    consume = consume && container.use_count() == 1;
    if (depth >= kMaxDepth)
        return Error{QStringLiteral("%1: the pickled object is nested deeper than %2 levels").arg(m_where).arg(kMaxDepth)};
    for (const Container *open : m_path)
        if (open == container.get())
            return Error{QStringLiteral("%1: the pickled object contains itself (a cycle has no JSON form)").arg(m_where)};
    m_path.push_back(container.get());
    QJsonValue result;
    if (container->kind == Container::Kind::Dict) {
        QJsonObject object;
        for (std::size_t i = 0; i + 1 < container->items.size(); i += 2) {
            auto item = toJson(container->items[i + 1], depth + 1, consume);
            if (!item)
                return item;
            object.insert(std::get<QString>(container->items[i]), *item);  // a repeated key: the last wins, as in Python
        }
        result = object;
    } else {
        QJsonArray array;
        for (Value &element : container->items) {
            auto item = toJson(element, depth + 1, consume);
            if (!item)
                return item;
            array.append(*item);
        }
        result = array;
    }
    m_path.pop_back();
    return result;
}

} // namespace

Expected<QJsonValue> PickleReader::read(QByteArrayView bytes, const QString &where, Stats *stats)
{
    Stats local;
    Machine machine(bytes, where, stats ? *stats : local);
    return machine.run();
}

Expected<QJsonValue> PickleReader::readFile(const QString &path, Stats *stats)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot read: %2").arg(path, file.errorString())};
    const QByteArray bytes = file.readAll();
    return read(bytes, path, stats);
}

} // namespace rs
