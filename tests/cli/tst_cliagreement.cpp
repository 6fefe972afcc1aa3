// `reasonseg assign` and `reasonseg agreement` as processes on a project whose answers are written
// through the storage API; the numbers are checked against hand-computed values.
#include "../storage/storagetestdata.h"
#include "clirunner.h"
#include "core/krippendorffalpha.h"
#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/assignmentrepository.h"
#include "storage/database.h"
#include "storage/goldrepository.h"
#include "storage/independentannotationrepository.h"
#include "storage/samplerepository.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace rs;
using namespace rs::test;

namespace {

Rle rect(const QRect &r)
{
    return Rle::encode(rectMask(r));
}

} // namespace

class TestCliAgreement : public QObject
{
    Q_OBJECT

private slots:
    void assignIsSeededAndBalanced();
    void agreementMatchesHandValues();
    void errors();
    void olderProjectIsUpgradedByAReadOnlyCommand();

private:
    QString makeProject(int samples);
    QTemporaryDir m_dir;
    int m_projects = 0;
};

QString TestCliAgreement::makeProject(int samples)
{
    const QString path = m_dir.filePath(QStringLiteral("p%1.rsdb").arg(++m_projects));
    auto db = Database::create(ProjectLocation::sqlite(path));
    if (!db)
        qFatal("%s", qPrintable(db.error()));
    for (int i = 0; i < samples; ++i)
        SampleRepository(**db).add(makeSample(QStringLiteral("img/%1.jpg").arg(i), QStringLiteral("val"), QString::number(i)), {});
    return path;
}

void TestCliAgreement::assignIsSeededAndBalanced()
{
    const QString first = makeProject(40), second = makeProject(40);
    for (const QString &project : { first, second }) {
        const CliRun run = runCli({ "assign", project, "--annotators", "ann,ben,cid", "--overlap", "0.25", "--seed", "7" });
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.trimmed(), QStringLiteral("overlap: 10 samples to 2 annotators each, 20 new assignments (ann, ben, cid)"));
    }
    auto a = Database::open(ProjectLocation::sqlite(first));
    auto b = Database::open(ProjectLocation::sqlite(second));
    QVERIFY(a && b);
    std::vector<int> load;
    for (const char *name : { "ann", "ben", "cid" }) {
        const qint64 inA = **AnnotatorRepository(**a).findByName(name);
        const qint64 inB = **AnnotatorRepository(**b).findByName(name);
        const auto samplesA = *AssignmentRepository(**a).samplesOf(inA, AssignmentRepository::Kind::Overlap);
        QCOMPARE(samplesA, *AssignmentRepository(**b).samplesOf(inB, AssignmentRepository::Kind::Overlap));  // same seed
        load.push_back(int(samplesA.size()));
    }
    QCOMPARE(load[0] + load[1] + load[2], 20);
    QVERIFY(*std::max_element(load.begin(), load.end()) - *std::min_element(load.begin(), load.end()) <= 1);
    // Running it again adds nothing.
    const CliRun again = runCli({ "assign", first, "--annotators", "ann,ben,cid", "--overlap", "0.25", "--seed", "7" });
    QVERIFY(again.out.contains(QStringLiteral("0 new assignments")));
}

// alice and bob answer four samples; carol's main-line annotation of sample 2 is its gold key.
//   difficulty buckets (alice/bob): easy/easy, hard/hard, medium/hard, hard/hard:
//     p_o = 3/4, p_e = 1/4·1/4 + 2/4·3/4 = 7/16, κ = (12/16 − 7/16) / (9/16) = 5/9;
//   masks: sample 1 IoU 50/150, samples 2 and 3 identical; sample 4 has none;
//     all pairs: (1/3 + 1 + 1 + 1 [carol on 2, twice] + 1) / 5.
void TestCliAgreement::agreementMatchesHandValues()
{
    const QString path = makeProject(4);
    QCOMPARE(runCli({ "assign", path, "--annotators", "alice,bob", "--overlap", "1" }).exitCode, 0);
    {
        auto db = Database::open(ProjectLocation::sqlite(path));
        QVERIFY(db);
        const qint64 alice = **AnnotatorRepository(**db).findByName("alice");
        const qint64 bob = **AnnotatorRepository(**db).findByName("bob");
        const qint64 carol = *AnnotatorRepository(**db).ensure("carol");
        IndependentAnnotationRepository answers(**db);
        struct Row { qint64 sample; qint64 who; double difficulty; QRect mask; };
        const Row rows[] = { { 1, alice, 2, QRect(0, 0, 10, 10) }, { 1, bob, 3, QRect(5, 0, 10, 10) },
                             { 2, alice, 6, QRect(0, 0, 10, 10) }, { 2, bob, 7, QRect(0, 0, 10, 10) },
                             { 3, alice, 4, QRect(2, 2, 6, 6) },   { 3, bob, 6, QRect(2, 2, 6, 6) },
                             { 4, alice, 8, QRect() },             { 4, bob, 8, QRect() } };
        for (const Row &row : rows) {
            IndependentAnnotation a;
            a.sampleId = row.sample;
            a.annotatorId = row.who;
            a.difficulty = row.difficulty;
            if (!row.mask.isNull())
                a.mask = rect(row.mask);
            a.secondsSpent = 90;
            const auto saved = answers.save(a, 0);
            QVERIFY2(saved, qPrintable(saved.error()));
        }
        // A second save must name the version it starts from.
        IndependentAnnotation again = **answers.get(1, alice);
        QVERIFY(!answers.save(again, 0));
        QCOMPARE(*answers.save(again, 1), 2);
        // carol has no overlap assignment: her independent answer is refused.
        IndependentAnnotation stranger;
        stranger.sampleId = 1;
        stranger.annotatorId = carol;
        QVERIFY(!answers.save(stranger, 0));

        Annotation key;
        key.sampleId = 2;
        key.annotatorId = carol;
        Target target;
        target.mask = rectMask(QRect(0, 0, 10, 10));
        key.targets = { target };
        Difficulty d;
        d.score = 6;
        d.source = DifficultySource::Human;
        key.difficulty = d;
        QVERIFY(AnnotationRepository(**db).save(key, 0));
        QVERIFY(GoldRepository(**db).mark(GoldItem { 2, 1, QString() }));
    }
    const CliRun run = runCli({ "agreement", path, "--json" });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(json.value("annotators").toArray().size(), 3);
    QCOMPARE(json.value("overlap_samples").toInt(), 4);
    const QJsonArray kappa = json.value("cohen_kappa_difficulty_buckets").toArray();
    QVERIFY(std::abs(kappa.at(0).toArray().at(1).toDouble() - 5.0 / 9.0) < 1e-12);  // alice × bob
    QVERIFY(std::abs(json.value("mean_pairwise_mask_iou").toDouble() - (1.0 / 3 + 4.0) / 5) < 1e-12);
    QCOMPARE(json.value("mask_samples").toInt(), 3);
    const QJsonArray iou = json.value("mask_iou").toArray();
    QVERIFY(std::abs(iou.at(0).toArray().at(1).toDouble() - (1.0 / 3 + 1 + 1) / 3) < 1e-12);

    // α over the same ratings, computed directly (its textbook values are in tst_agreement).
    using V = std::optional<double>;
    const auto alpha = KrippendorffAlpha::compute({ { 2, 3, V() }, { 6, 7, 6 }, { 4, 6, V() }, { 8, 8, V() } },
                                                  KrippendorffAlpha::Level::Ordinal);
    QCOMPARE(json.value("krippendorff_alpha_difficulty_ordinal").toObject().value("alpha").toDouble(), alpha->alpha);

    const QJsonArray people = json.value("per_annotator").toArray();
    const QJsonObject bob = people.at(1).toObject();
    QCOMPARE(bob.value("name").toString(), QStringLiteral("bob"));
    QCOMPARE(bob.value("gold_items").toInt(), 1);
    QCOMPARE(bob.value("gold_difficulty_error").toDouble(), 1.0);
    QCOMPARE(bob.value("gold_mask_iou").toDouble(), 1.0);
    QCOMPARE(bob.value("samples_per_hour").toDouble(), 40.0);  // 4 answers in 6 minutes

    const CliRun table = runCli({ "agreement", path });
    QCOMPARE(table.exitCode, 0);
    QVERIFY(table.out.startsWith(QStringLiteral("4 samples answered by two or more of 3 annotators (alice, bob, carol)")));
}

void TestCliAgreement::errors()
{
    const QString path = makeProject(3);
    CliRun run = runCli({ "assign", path, "--annotators", "solo", "--overlap", "0.5" });
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err.trimmed(), QStringLiteral("reasonseg: assign: --annotators needs two or more names, got 'solo'"));
    run = runCli({ "assign", path, "--annotators", "a,b", "--overlap", "1.5" });
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err.trimmed(), QStringLiteral("reasonseg: assign: --overlap must be a share in (0, 1], not '1.5'"));
    run = runCli({ "assign", path, "--annotators", "a,b", "--overlap", "0.5", "--split", "test" });
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.err.trimmed(), QStringLiteral("reasonseg: assign: no sample in split 'test'"));
    run = runCli({ "agreement", path });
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.startsWith(QStringLiteral("no sample has answers from two annotators yet")));
}

// A schema-3 project (before assignments): `agreement` and `stats` open read-only, so they upgrade
// the file once when it is writable, and refuse with the reason when it is not.
void TestCliAgreement::olderProjectIsUpgradedByAReadOnlyCommand()
{
    const QString path = makeProject(2);
    {
        auto db = Database::open(ProjectLocation::sqlite(path));
        QVERIFY(db);
        for (const char *sql : { "DROP INDEX proposal_run_truth_iou", "ALTER TABLE proposal DROP COLUMN truth_iou",
                                 "DROP TABLE independent_annotation", "DROP TABLE assignment", "DROP INDEX sample_disagreement",
                                 "ALTER TABLE sample DROP COLUMN disagreement", "PRAGMA user_version = 3" })
            QVERIFY((*db)->exec(QString::fromLatin1(sql), QStringLiteral("making a schema-3 project")));
    }
    if (geteuid() != 0) {  // root writes read-only files anyway
        QFile::setPermissions(path, QFile::ReadOwner);
        const CliRun refused = runCli({ "stats", path });
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(QStringLiteral("needs an upgrade from schema 3 to 5 but is read-only")),
                 qPrintable(refused.err));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    }
    const CliRun run = runCli({ "agreement", path });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    auto db = Database::open(ProjectLocation::sqlite(path));
    QCOMPARE((*db)->schemaVersion(), 5);
}

QTEST_GUILESS_MAIN(TestCliAgreement)
#include "tst_cliagreement.moc"
