#include "plugins/formats/picklewriter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSaveFile>

#include <cstring>

namespace rs {

namespace {

// Python's pickler batches APPENDS/SETITEMS by 1000 so that the reader's stack stays short.
constexpr int kBatch = 1000;

void putLittleEndian(QByteArray &out, quint64 value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.append(char((value >> (8 * i)) & 0xff));
}

void putInteger(QByteArray &out, qint64 value)
{
    if (value >= 0 && value < 0x100) {
        out.append('K');  // BININT1
        out.append(char(value));
    } else if (value >= 0 && value < 0x10000) {
        out.append('M');  // BININT2
        putLittleEndian(out, quint64(value), 2);
    } else if (value >= -0x80000000LL && value <= 0x7fffffffLL) {
        out.append('J');  // BININT
        putLittleEndian(out, quint64(value), 4);
    } else {
        // LONG1: the shortest little-endian two's complement that keeps the sign.
        int bytes = 1;
        while (bytes < 8) {
            const qint64 low = -(qint64(1) << (8 * bytes - 1));
            const qint64 high = (qint64(1) << (8 * bytes - 1)) - 1;
            if (value >= low && value <= high)
                break;
            ++bytes;
        }
        out.append(char(0x8a));
        out.append(char(bytes));
        putLittleEndian(out, quint64(value), bytes);
    }
}

void putFloat(QByteArray &out, double value)
{
    out.append('G');  // BINFLOAT, big-endian
    quint64 bits;
    std::memcpy(&bits, &value, sizeof bits);
    for (int i = 7; i >= 0; --i)
        out.append(char((bits >> (8 * i)) & 0xff));
}

void putString(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    out.append('X');  // BINUNICODE
    putLittleEndian(out, quint64(utf8.size()), 4);
    out.append(utf8);
}

void putValue(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out.append('N');
        break;
    case QJsonValue::Bool:
        out.append(char(value.toBool() ? 0x88 : 0x89));
        break;
    case QJsonValue::Double: {
        // A whole number that fits in 64 bits (QJsonValue keeps such integers exactly; toInteger()
        // falls back to the default otherwise, so two defaults tell the cases apart).
        const qint64 integer = value.toInteger(0);
        if (integer == value.toInteger(1))
            putInteger(out, integer);
        else
            putFloat(out, value.toDouble());
        break;
    }
    case QJsonValue::String:
        putString(out, value.toString());
        break;
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        out.append(']');  // EMPTY_LIST
        for (qsizetype start = 0; start < array.size(); start += kBatch) {
            const qsizetype end = qMin(array.size(), start + kBatch);
            out.append('(');  // MARK
            for (qsizetype i = start; i < end; ++i)
                putValue(out, array.at(i));
            out.append('e');  // APPENDS
        }
        break;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        out.append('}');  // EMPTY_DICT
        int inBatch = 0;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (inBatch == 0)
                out.append('(');
            putString(out, it.key());
            putValue(out, it.value());
            if (++inBatch == kBatch) {
                out.append('u');  // SETITEMS
                inBatch = 0;
            }
        }
        if (inBatch > 0)
            out.append('u');
        break;
    }
    }
}

} // namespace

QByteArray PickleWriter::encode(const QJsonValue &value)
{
    QByteArray out;
    out.append(char(0x80));  // PROTO 2
    out.append(char(2));
    putValue(out, value);
    out.append('.');  // STOP
    return out;
}

Expected<bool> PickleWriter::writeFile(const QString &path, const QJsonValue &value)
{
    const QByteArray bytes = encode(value);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Error{QStringLiteral("%1: cannot write: %2").arg(path, file.errorString())};
    return true;
}

} // namespace rs
