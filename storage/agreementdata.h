#pragma once

#include "core/agreementreport.h"
#include "core/expected.h"

#include <vector>

namespace rs {

class Database;

// The answers agreement compares, read from the project: every independent (overlap) annotation,
// the main line's current annotation of each of those samples (by the annotator who saved it), and
// the gold items' key versions.
class AgreementData
{
public:
    struct Answers
    {
        std::vector<RaterAnswer> answers;
        std::vector<RaterAnswer> gold;
    };

    static Expected<Answers> read(Database &db);
};

} // namespace rs
