#include "storage/chaincodec.h"

#include <QDataStream>
#include <QIODevice>

#include <algorithm>
#include <type_traits>

static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "ChainCodec::encode writes native little-endian values");

namespace rs {

namespace {
constexpr quint8 kFormat = 1;
constexpr quint8 kFromTokens = 0;
constexpr quint8 kFromText = 1;
}

QByteArray ChainCodec::encode(const ReasoningChain &chain)
{
    // Written by hand in QDataStream's little-endian layout (QDataStream costs more than the insert).
    QByteArray blob;
    blob.reserve(16 + qsizetype(chain.tokens().size()) * 24 + qsizetype(chain.steps().size()) * 8);
    auto put = [&blob](const auto &value) {
        static_assert(std::is_trivially_copyable_v<std::decay_t<decltype(value)>>);
        blob.append(reinterpret_cast<const char *>(&value), sizeof value);  // x86-64 / aarch64: little-endian
    };
    // Imported text chains have tokens without ids; only those can be rebuilt from the text.
    const bool noIds = std::all_of(chain.tokens().begin(), chain.tokens().end(),
                                   [](const ChainToken &t) { return t.id < 0; });
    const bool fromText = noIds && ReasoningChain::fromText(chain.text()).tokens() == chain.tokens();
    put(kFormat);
    put(fromText ? kFromText : kFromTokens);
    put(quint32(chain.tokens().size()));
    if (!fromText) {
        for (const ChainToken &t : chain.tokens()) {
            const QByteArray utf8 = t.text.toUtf8();
            put(qint32(t.id));
            put(t.logProb);
            put(t.entropy);
            put(t.top2Margin);
            put(quint32(utf8.size()));
            blob.append(utf8);
        }
    }
    put(quint32(chain.steps().size()));
    for (const ChainStep &s : chain.steps()) {
        put(qint32(s.first));
        put(qint32(s.end));
    }
    return blob;
}

Expected<ReasoningChain> ChainCodec::decode(const QByteArray &blob, const QString &text)
{
    if (blob.isEmpty())
        return ReasoningChain::fromText(text);
    QDataStream in(blob);
    in.setByteOrder(QDataStream::LittleEndian);
    in.setFloatingPointPrecision(QDataStream::SinglePrecision);
    quint8 format = 0;
    quint8 origin = 0;
    quint32 count = 0;
    in >> format >> origin >> count;
    if (format != kFormat || in.status() != QDataStream::Ok)
        return Error{QStringLiteral("unknown reasoning-chain blob format %1").arg(format)};
    ReasoningChain chain;
    if (origin == kFromText) {
        chain = ReasoningChain::fromText(text);
    } else {
        if (count > quint32(blob.size()))
            return Error{QStringLiteral("damaged reasoning-chain blob (token count %1)").arg(count)};
        std::vector<ChainToken> tokens(count);
        for (ChainToken &t : tokens) {
            qint32 id = 0;
            QByteArray utf8;
            in >> id >> t.logProb >> t.entropy >> t.top2Margin >> utf8;
            t.id = id;
            t.text = QString::fromUtf8(utf8);
        }
        chain = ReasoningChain::fromTokens(std::move(tokens));
    }
    quint32 stepCount = 0;
    in >> stepCount;
    if (in.status() != QDataStream::Ok || stepCount > quint32(blob.size()))
        return Error{QStringLiteral("damaged reasoning-chain blob")};
    std::vector<ChainStep> steps(stepCount);
    for (ChainStep &s : steps) {
        qint32 first = 0;
        qint32 end = 0;
        in >> first >> end;
        s = ChainStep{first, end};
    }
    if (in.status() != QDataStream::Ok)
        return Error{QStringLiteral("damaged reasoning-chain blob (steps)")};
    if (steps != chain.steps() && !chain.setSteps(std::move(steps)))
        return Error{QStringLiteral("damaged reasoning-chain blob (invalid steps)")};
    return chain;
}

} // namespace rs
