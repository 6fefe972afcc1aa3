#pragma once

#include "core/expected.h"
#include "core/reasoningchain.h"

#include <QByteArray>

namespace rs {

// The compact blob of a proposal's chain: tokens (id, log-prob, entropy, top-2 margin, text) and the
// step ranges. Little-endian, versioned; about 16 bytes + text per token.
class ChainCodec
{
public:
    static QByteArray encode(const ReasoningChain &chain);
    // `text` is the stored chain text (used when the chain was made from plain text).
    static Expected<ReasoningChain> decode(const QByteArray &blob, const QString &text);
};

} // namespace rs
