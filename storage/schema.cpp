#include "storage/schema.h"

#include "storage/database.h"
#include "storage/overlapcalculator.h"
#include "storage/transaction.h"

#include <QSqlQuery>

namespace rs {

namespace {

// Tokens replaced per back end: {id} an auto-increment 64-bit key, {real} an 8-byte float, {blob} bytes.
const char *const kVersion1[] = {
    "CREATE TABLE project_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "INSERT INTO project_meta (key, value) VALUES ('application', 'reasonseg')",
    "CREATE TABLE annotator ("
    " id {id}, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL DEFAULT 'annotator',"
    " created_at BIGINT NOT NULL)",
    "CREATE TABLE image ("
    " id {id}, relative_path TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL DEFAULT '',"
    " width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0,"
    " coco_image_id BIGINT, license TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX image_sha256 ON image (sha256)",
    "CREATE TABLE sample ("
    " id {id}, image_id BIGINT NOT NULL REFERENCES image (id),"
    " dataset TEXT NOT NULL DEFAULT '', split TEXT NOT NULL DEFAULT '', source_id TEXT NOT NULL DEFAULT '',"
    " queries TEXT NOT NULL DEFAULT '[]', is_sentence INTEGER NOT NULL DEFAULT 1,"
    " no_target INTEGER NOT NULL DEFAULT 0, extra TEXT NOT NULL DEFAULT '{}',"
    " status TEXT NOT NULL DEFAULT 'new',"
    " annotation_version INTEGER NOT NULL DEFAULT 0,"
    " annotator_id BIGINT REFERENCES annotator (id),"
    " latest_proposal_id BIGINT,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
    "CREATE INDEX sample_image ON sample (image_id)",
    "CREATE INDEX sample_split_status ON sample (split, status, id)",
    "CREATE INDEX sample_status ON sample (status, id)",
    "CREATE INDEX sample_annotator ON sample (annotator_id, id) WHERE annotator_id IS NOT NULL",
    "CREATE TABLE target ("
    " id {id}, sample_id BIGINT NOT NULL REFERENCES sample (id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL, rle TEXT NOT NULL, height INTEGER NOT NULL, width INTEGER NOT NULL,"
    " box_x {real} NOT NULL DEFAULT 0, box_y {real} NOT NULL DEFAULT 0,"
    " box_w {real} NOT NULL DEFAULT 0, box_h {real} NOT NULL DEFAULT 0,"
    " label TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',"
    " is_ignore INTEGER NOT NULL DEFAULT 0, UNIQUE (sample_id, idx))",
    "CREATE TABLE model_run ("
    " id {id}, name TEXT NOT NULL UNIQUE, model TEXT NOT NULL DEFAULT '', version TEXT NOT NULL DEFAULT '',"
    " package_hash TEXT NOT NULL DEFAULT '', prompt_hash TEXT NOT NULL DEFAULT '',"
    " parameters TEXT NOT NULL DEFAULT '{}', device TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL)",
    "CREATE TABLE proposal ("
    " id {id}, run_id BIGINT NOT NULL REFERENCES model_run (id) ON DELETE CASCADE,"
    " sample_id BIGINT NOT NULL REFERENCES sample (id) ON DELETE CASCADE,"
    " chain_text TEXT NOT NULL DEFAULT '', raw_response TEXT NOT NULL DEFAULT '', tokens {blob},"
    " token_count INTEGER NOT NULL DEFAULT 0, word_count INTEGER NOT NULL DEFAULT 0,"
    " char_count INTEGER NOT NULL DEFAULT 0, uncertainty {real} NOT NULL DEFAULT 0,"
    " mean_entropy {real} NOT NULL DEFAULT 0, parse_failed INTEGER NOT NULL DEFAULT 0,"
    " preprocess_ms {real} NOT NULL DEFAULT 0, first_token_ms {real} NOT NULL DEFAULT 0,"
    " decode_ms {real} NOT NULL DEFAULT 0, mask_ms {real} NOT NULL DEFAULT 0,"
    " tokens_per_s {real} NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, UNIQUE (run_id, sample_id))",
    "CREATE INDEX proposal_sample ON proposal (sample_id)",
    "CREATE TABLE proposal_target ("
    " id {id}, proposal_id BIGINT NOT NULL REFERENCES proposal (id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL, rle TEXT NOT NULL, height INTEGER NOT NULL, width INTEGER NOT NULL,"
    " box_x {real} NOT NULL DEFAULT 0, box_y {real} NOT NULL DEFAULT 0,"
    " box_w {real} NOT NULL DEFAULT 0, box_h {real} NOT NULL DEFAULT 0,"
    " label TEXT NOT NULL DEFAULT '', score {real} NOT NULL DEFAULT 0, UNIQUE (proposal_id, idx))",
    "CREATE TABLE annotation ("
    " id {id}, sample_id BIGINT NOT NULL REFERENCES sample (id) ON DELETE CASCADE,"
    " version INTEGER NOT NULL, based_on_version INTEGER NOT NULL,"
    " annotator_id BIGINT NOT NULL REFERENCES annotator (id), saved_at BIGINT NOT NULL,"
    " submitted INTEGER NOT NULL DEFAULT 0, no_target INTEGER NOT NULL DEFAULT 0,"
    " reference_short TEXT NOT NULL DEFAULT '', reference_long TEXT NOT NULL DEFAULT '',"
    " difficulty {real}, difficulty_source TEXT NOT NULL DEFAULT '', difficulty_estimator TEXT NOT NULL DEFAULT '',"
    " comment TEXT NOT NULL DEFAULT '', seconds_spent {real} NOT NULL DEFAULT 0, restored_from INTEGER,"
    " UNIQUE (sample_id, version))",
    "CREATE INDEX annotation_annotator ON annotation (annotator_id)",
    "CREATE TABLE annotation_target ("
    " id {id}, annotation_id BIGINT NOT NULL REFERENCES annotation (id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL, rle TEXT NOT NULL, height INTEGER NOT NULL, width INTEGER NOT NULL,"
    " box_x {real} NOT NULL DEFAULT 0, box_y {real} NOT NULL DEFAULT 0,"
    " box_w {real} NOT NULL DEFAULT 0, box_h {real} NOT NULL DEFAULT 0,"
    " label TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',"
    " is_ignore INTEGER NOT NULL DEFAULT 0, UNIQUE (annotation_id, idx))",
    "CREATE TABLE annotation_step ("
    " id {id}, annotation_id BIGINT NOT NULL REFERENCES annotation (id) ON DELETE CASCADE,"
    " proposal_id BIGINT REFERENCES proposal (id) ON DELETE SET NULL, step_index INTEGER NOT NULL,"
    " rating INTEGER NOT NULL, flagged INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT 'none',"
    " replacement TEXT NOT NULL DEFAULT '', target_links TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX annotation_step_annotation ON annotation_step (annotation_id)",
    "CREATE TABLE annotation_grade ("
    " id {id}, annotation_id BIGINT NOT NULL REFERENCES annotation (id) ON DELETE CASCADE,"
    " proposal_id BIGINT NOT NULL REFERENCES proposal (id) ON DELETE CASCADE,"
    " correctness INTEGER NOT NULL, grounding INTEGER NOT NULL, conciseness INTEGER NOT NULL,"
    " UNIQUE (annotation_id, proposal_id))",
    "CREATE TABLE review ("
    " id {id}, sample_id BIGINT NOT NULL REFERENCES sample (id) ON DELETE CASCADE,"
    " annotation_version INTEGER NOT NULL, proposal_id BIGINT REFERENCES proposal (id) ON DELETE SET NULL,"
    " reviewer_id BIGINT NOT NULL REFERENCES annotator (id),"
    " verdict TEXT NOT NULL CHECK (verdict IN ('accept', 'reject', 'fix')),"
    " reason TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL)",
    "CREATE INDEX review_sample ON review (sample_id, id)",
    "CREATE INDEX review_reviewer ON review (reviewer_id)",
    "CREATE TABLE gold_item ("
    " sample_id BIGINT PRIMARY KEY REFERENCES sample (id) ON DELETE CASCADE,"
    " annotation_version INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL)",
};

// Version 2: denormalised, indexed sort keys of the queue and review views.
const char *const kVersion2[] = {
    "ALTER TABLE sample ADD COLUMN uncertainty {real}",
    "ALTER TABLE sample ADD COLUMN chain_length INTEGER",
    "ALTER TABLE sample ADD COLUMN proposal_iou {real}",
    "ALTER TABLE sample ADD COLUMN difficulty {real}",
    // Partial: a sample without the key is in no index (cheap bulk import; sorts list only samples
    // that have the key, and their WHERE key IS NOT NULL lets both engines use these indexes).
    "CREATE INDEX sample_uncertainty ON sample (uncertainty, id) WHERE uncertainty IS NOT NULL",
    "CREATE INDEX sample_chain_length ON sample (chain_length, id) WHERE chain_length IS NOT NULL",
    "CREATE INDEX sample_proposal_iou ON sample (proposal_iou, id) WHERE proposal_iou IS NOT NULL",
    "CREATE INDEX sample_difficulty ON sample (difficulty, id) WHERE difficulty IS NOT NULL",
    "UPDATE sample SET uncertainty = (SELECT p.uncertainty FROM proposal p WHERE p.id = sample.latest_proposal_id),"
    " chain_length = (SELECT p.token_count FROM proposal p WHERE p.id = sample.latest_proposal_id)",
    "UPDATE sample SET difficulty = (SELECT a.difficulty FROM annotation a"
    " WHERE a.sample_id = sample.id AND a.version = sample.annotation_version)",
};

// Version 3: what reasoning models give without masks (formats.md §3.2, §3.4): the prompt points of
// a proposal target, and the intersection/union (and box hit) an evaluation script reported.
const char *const kVersion3[] = {
    "ALTER TABLE proposal_target ADD COLUMN points TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE proposal ADD COLUMN reported_intersection BIGINT",
    "ALTER TABLE proposal ADD COLUMN reported_union BIGINT",
    "ALTER TABLE proposal ADD COLUMN reported_box_hit INTEGER",
};

// Version 4: agreement. Assignments of samples to annotators (primary: the versioned main line;
// overlap: an extra, independent annotation), and the independent annotations themselves — what
// agreement compares (mask, no-target answer, difficulty, step ratings), one row per annotator and
// sample, versioned for compare-and-set, never touching the main line.
const char *const kVersion4[] = {
    "CREATE TABLE assignment ("
    " id {id}, sample_id BIGINT NOT NULL REFERENCES sample (id) ON DELETE CASCADE,"
    " annotator_id BIGINT NOT NULL REFERENCES annotator (id),"
    " kind TEXT NOT NULL CHECK (kind IN ('primary', 'overlap')), created_at BIGINT NOT NULL,"
    " UNIQUE (sample_id, annotator_id))",
    "CREATE INDEX assignment_annotator ON assignment (annotator_id, sample_id)",
    "CREATE TABLE independent_annotation ("
    " id {id}, sample_id BIGINT NOT NULL REFERENCES sample (id) ON DELETE CASCADE,"
    " annotator_id BIGINT NOT NULL REFERENCES annotator (id), version INTEGER NOT NULL, saved_at BIGINT NOT NULL,"
    " no_target INTEGER NOT NULL DEFAULT 0, difficulty {real}, seconds_spent {real} NOT NULL DEFAULT 0,"
    " mask_rle TEXT NOT NULL DEFAULT '', mask_height INTEGER NOT NULL DEFAULT 0, mask_width INTEGER NOT NULL DEFAULT 0,"
    " step_ratings TEXT NOT NULL DEFAULT '', UNIQUE (sample_id, annotator_id))",
    "CREATE INDEX independent_annotation_annotator ON independent_annotation (annotator_id, saved_at)",
    // Review sort key: 1 − mean pairwise mask IoU of the sample's independent answers (two or more).
    "ALTER TABLE sample ADD COLUMN disagreement {real}",
    "CREATE INDEX sample_disagreement ON sample (disagreement, id) WHERE disagreement IS NOT NULL",
};

// Version 5: review mode's per-run sort key — each proposal's IoU against the sample's current truth
// (the latest annotation's targets, else the imported ones), so the queue sorts by a chosen run.
const char *const kVersion5[] = {
    "ALTER TABLE proposal ADD COLUMN truth_iou {real}",
    "CREATE INDEX proposal_run_truth_iou ON proposal (run_id, truth_iou, sample_id) WHERE truth_iou IS NOT NULL",
};

template<std::size_t N>
QStringList translate(const char *const (&lines)[N], Backend backend)
{
    const bool pg = backend == Backend::Postgres;
    QStringList out;
    for (const char *line : lines) {
        QString sql = QString::fromLatin1(line);
        sql.replace(QLatin1String("{id}"), pg ? QLatin1String("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
                                              : QLatin1String("INTEGER PRIMARY KEY"));
        sql.replace(QLatin1String("{real}"), pg ? QLatin1String("DOUBLE PRECISION") : QLatin1String("REAL"));
        sql.replace(QLatin1String("{blob}"), pg ? QLatin1String("BYTEA") : QLatin1String("BLOB"));
        out << sql;
    }
    return out;
}

} // namespace

QStringList Schema::statements(const Database &db, int toVersion)
{
    switch (toVersion) {
    case 1:
        return translate(kVersion1, db.backend());
    case 2:
        return translate(kVersion2, db.backend());
    case 3:
        return translate(kVersion3, db.backend());
    case 4:
        return translate(kVersion4, db.backend());
    case 5:
        return translate(kVersion5, db.backend());
    default:
        return {};
    }
}

Expected<bool> Schema::migrate(Database &db, int from, int to)
{
    if (from < 0 || to > kCurrentVersion || from > to)
        return Error{QStringLiteral("cannot migrate %1 from schema %2 to %3").arg(db.location().displayName()).arg(from).arg(to)};
    if (from == to)
        return true;
    Transaction transaction(db, QStringLiteral("upgrading the project schema"));
    if (!transaction.isActive())
        return transaction.failure();
    // All tables first, then the backfills: a backfill reads through today's repositories, which
    // expect every column of the newest schema.
    for (int version = from + 1; version <= to; ++version) {
        for (const QString &sql : statements(db, version)) {
            auto done = db.exec(sql, QStringLiteral("upgrading the project to schema %1").arg(version));
            if (!done)
                return done;
        }
    }
    for (int version = from + 1; version <= to; ++version) {
        auto filled = backfill(db, version);
        if (!filled)
            return filled;
    }
    auto written = writeVersion(db, to);
    if (!written)
        return written;
    return transaction.commit();
}

Expected<bool> Schema::backfill(Database &db, int toVersion)
{
    if (toVersion != 2 && toVersion != 5)
        return true;
    // 2: IoU between each sample's latest proposal and its current annotation; 5: every proposal's
    // IoU against the current truth (C++: RLE overlap).
    QSqlQuery select = db.prepare(toVersion == 2
        ? QStringLiteral("SELECT id FROM sample WHERE latest_proposal_id IS NOT NULL AND annotation_version > 0")
        : QStringLiteral("SELECT DISTINCT sample_id FROM proposal ORDER BY sample_id"));
    if (!select.exec())
        return db.error(select, QStringLiteral("upgrading the project to schema %1").arg(toVersion));
    std::vector<qint64> ids;
    while (select.next())
        ids.push_back(select.value(0).toLongLong());
    OverlapCalculator overlap(db);
    for (qint64 id : ids) {
        auto updated = overlap.refreshSample(id);
        if (!updated)
            return Error{updated.error()};
    }
    return true;
}

Expected<bool> Schema::writeVersion(Database &db, int version)
{
    if (db.backend() == Backend::Sqlite)
        return db.exec(QStringLiteral("PRAGMA user_version = %1").arg(version),
                       QStringLiteral("recording the schema version"));
    QSqlQuery query = db.prepare(QStringLiteral(
        "INSERT INTO project_meta (key, value) VALUES ('schema_version', ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    query.addBindValue(QString::number(version));
    if (!query.exec())
        return db.error(query, QStringLiteral("recording the schema version"));
    return true;
}

} // namespace rs
