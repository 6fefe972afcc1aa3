#include "plugins/formats/recordloop.h"

#include "core/progress.h"
#include "core/recordsource.h"

namespace rs {

Expected<bool> RecordLoop::run(RecordSource &source, const ExportOptions &options, const Visitor &visit)
{
    if (options.progress)
        options.progress->setTotal(source.count());
    while (true) {
        if (options.progress && options.progress->isCancelled())
            return Error{QStringLiteral("export cancelled")};
        auto next = source.next();
        if (!next)
            return Error{next.error()};
        if (!next->has_value())
            return true;
        auto visited = visit(**next);
        if (!visited)
            return visited;
        if (options.progress)
            options.progress->advance();
    }
}

} // namespace rs
