#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/proposalrepository.h"
#include "storage/imagerepository.h"
#include "storage/samplerepository.h"
#include "storage/schema.h"
#include "storage/transaction.h"

#include "storagetestdata.h"
#include "backendrows.h"
#include "testbackends.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <unistd.h>

using namespace rs;
using namespace rs::test;

// Opening, creating, migrating and the durability settings of a project, and every way opening or
// writing can fail: not a project, damaged, newer, read-only, disk full, locked.
class TstDatabase : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase() { TestBackends::shutdown(); }
    void createAndReopen_data() { addBackendRows(); }
    void createAndReopen();
    void sqliteDurabilitySettings();
    void createRefusesExistingProject_data() { addBackendRows(); }
    void createRefusesExistingProject();
    void foreignKeysAreEnforced_data() { addBackendRows(); }
    void foreignKeysAreEnforced();
    void transactionRollsBackUnlessCommitted_data() { addBackendRows(); }
    void transactionRollsBackUnlessCommitted();
    void migratesVersion1Project_data() { addBackendRows(); }
    void migratesVersion1Project();
    void newerProjectIsRefusedUnchanged_data() { addBackendRows(); }
    void newerProjectIsRefusedUnchanged();
    void notAProject_data();
    void notAProject();
    void postgresSchemaWithoutProject();
    void damagedFile_data();
    void damagedFile();
    void readOnlyProject_data() { addBackendRows(); }
    void readOnlyProject();
    void fullDisk();
    void lockedProject_data() { addBackendRows(); }
    void lockedProject();

private:
    // A project with one annotator (id 1) and one sample; returns the sample id.
    static qint64 populate(Database &db)
    {
        auto annotator = AnnotatorRepository(db).ensure(QStringLiteral("alice"));
        if (!annotator)
            qFatal("%s", qPrintable(annotator.error()));
        auto id = SampleRepository(db).add(makeSample(QStringLiteral("img/a.jpg")), {rectTarget(QRect(2, 2, 10, 10))});
        if (!id)
            qFatal("%s", qPrintable(id.error()));
        return *id;
    }
    static QVariant scalar(const Database &db, const QString &sql)
    {
        QSqlQuery query(db.connection());
        if (!query.exec(sql) || !query.next())
            return QVariant();
        return query.value(0);
    }
};

void TstDatabase::createAndReopen()
{
    RS_FRESH_LOCATION(location);
    {
        auto db = Database::create(location);
        QVERIFY2(db, qPrintable(db.error()));
        QCOMPARE((*db)->schemaVersion(), Schema::kCurrentVersion);
        QVERIFY(!(*db)->isReadOnly());
        QVERIFY(ImageRepository(**db).setImageRoot(QStringLiteral("/data/images")));
        QCOMPARE(*(*db)->integrityCheck(), QStringLiteral("ok"));
    }
    auto db = Database::open(location);
    QVERIFY2(db, qPrintable(db.error()));
    QCOMPARE((*db)->schemaVersion(), Schema::kCurrentVersion);
    QCOMPARE(*ImageRepository(**db).imageRoot(), QStringLiteral("/data/images"));
}

void TstDatabase::sqliteDurabilitySettings()
{
    const ProjectLocation location = TestBackends::freshLocation(Backend::Sqlite);
    QVERIFY(Database::create(location));
    Database::Options options;
    options.busyTimeoutMs = 1234;
    auto db = Database::open(location, options);
    QVERIFY2(db, qPrintable(db.error()));
    QCOMPARE(scalar(**db, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    QCOMPARE(scalar(**db, QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    QCOMPARE(scalar(**db, QStringLiteral("PRAGMA synchronous")).toInt(), 2);  // FULL
    QCOMPARE(scalar(**db, QStringLiteral("PRAGMA busy_timeout")).toInt(), 1234);
    QCOMPARE(scalar(**db, QStringLiteral("PRAGMA application_id")).toInt(), Schema::kApplicationId);
    QCOMPARE(scalar(**db, QStringLiteral("PRAGMA user_version")).toInt(), Schema::kCurrentVersion);
}

void TstDatabase::createRefusesExistingProject()
{
    RS_FRESH_LOCATION(location);
    {
        auto db = Database::create(location);
        QVERIFY2(db, qPrintable(db.error()));
        populate(**db);
    }
    auto again = Database::create(location);
    QVERIFY(!again);
    QVERIFY2(again.error().contains(QLatin1String("exists")) || again.error().contains(QLatin1String("already")),
             qPrintable(again.error()));
    auto db = Database::open(location);
    QVERIFY2(db, qPrintable(db.error()));
    QCOMPARE(*SampleRepository(**db).count(SampleFilter()), 1);
}

void TstDatabase::foreignKeysAreEnforced()
{
    RS_FRESH_LOCATION(location);
    auto db = Database::create(location);
    QVERIFY2(db, qPrintable(db.error()));
    QSqlQuery query = (*db)->prepare(QStringLiteral(
        "INSERT INTO sample (image_id, created_at, updated_at) VALUES (?, 0, 0)"));
    query.addBindValue(424242);
    QVERIFY(!query.exec());
    QCOMPARE(scalar(**db, QStringLiteral("SELECT count(*) FROM sample")).toInt(), 0);
}

void TstDatabase::transactionRollsBackUnlessCommitted()
{
    RS_FRESH_LOCATION(location);
    auto db = Database::create(location);
    QVERIFY2(db, qPrintable(db.error()));
    Database &d = **db;
    {
        Transaction transaction(d, QStringLiteral("test"));
        QVERIFY(transaction.isActive());
        QVERIFY(AnnotatorRepository(d).ensure(QStringLiteral("ghost")));
        QVERIFY(*AnnotatorRepository(d).findByName(QStringLiteral("ghost")));
    }  // no commit
    QVERIFY(!*AnnotatorRepository(d).findByName(QStringLiteral("ghost")));
    {
        Transaction transaction(d, QStringLiteral("test"));
        QVERIFY(AnnotatorRepository(d).ensure(QStringLiteral("kept")));
        QVERIFY(transaction.commit());
    }
    QVERIFY(*AnnotatorRepository(d).findByName(QStringLiteral("kept")));
}

void TstDatabase::migratesVersion1Project()
{
    RS_FRESH_LOCATION(location);
    const Mask annotated = rectMask(QRect(0, 0, 20, 10));  // 200 px
    const Mask proposed = rectMask(QRect(10, 0, 20, 10));  // 200 px, 100 shared
    {
        Database::Options options;
        options.createVersion = 1;
        auto db = Database::create(location, options);
        QVERIFY2(db, qPrintable(db.error()));
        QCOMPARE((*db)->schemaVersion(), 1);
        // A version-1 project as an older program wrote it: plain SQL against the v1 tables.
        const QStringList statements{
            QStringLiteral("INSERT INTO annotator (name, created_at) VALUES ('alice', 0)"),
            QStringLiteral("INSERT INTO image (relative_path) VALUES ('a.jpg')"),
            QStringLiteral("INSERT INTO sample (image_id, split, queries, created_at, updated_at)"
                           " VALUES (1, 'val', '[\"the red one\"]', 0, 0)"),
            QStringLiteral("INSERT INTO model_run (name, created_at) VALUES ('run', 0)"),
            QStringLiteral("INSERT INTO proposal (run_id, sample_id, chain_text, token_count, uncertainty, created_at)"
                           " VALUES (1, 1, 'it is red', 42, 0.75, 0)"),
            QStringLiteral("INSERT INTO proposal_target (proposal_id, idx, rle, height, width) VALUES (1, 0, '%1', 48, 64)")
                .arg(QString::fromLatin1(Rle::encode(proposed).toString())),
            QStringLiteral("INSERT INTO annotation (sample_id, version, based_on_version, annotator_id, saved_at,"
                           " difficulty) VALUES (1, 1, 0, 1, 0, 6.5)"),
            QStringLiteral("INSERT INTO annotation_target (annotation_id, idx, rle, height, width) VALUES (1, 0, '%1', 48, 64)")
                .arg(QString::fromLatin1(Rle::encode(annotated).toString())),
            QStringLiteral("UPDATE sample SET annotation_version = 1, annotator_id = 1, latest_proposal_id = 1"),
        };
        for (const QString &sql : statements)
            QVERIFY2((*db)->exec(sql, QStringLiteral("v1 fixture")), qPrintable(sql));
        // The v1 schema has no sort keys yet.
        QSqlQuery probe((*db)->connection());
        QVERIFY(!probe.exec(QStringLiteral("SELECT uncertainty FROM sample")));
    }
    auto db = Database::open(location);
    QVERIFY2(db, qPrintable(db.error()));
    QCOMPARE((*db)->schemaVersion(), Schema::kCurrentVersion);
    if (location.backend == Backend::Sqlite)
        QCOMPARE(scalar(**db, QStringLiteral("PRAGMA user_version")).toInt(), Schema::kCurrentVersion);
    else
        QCOMPARE(*(*db)->setting(QStringLiteral("schema_version")), QString::number(Schema::kCurrentVersion));
    // Version 3 columns exist, empty for rows written before it.
    auto migrated = ProposalRepository(**db).get(1);
    QVERIFY2(migrated, qPrintable(migrated.error()));
    QVERIFY(!migrated->reportedOverlap);
    QVERIFY(migrated->targets.front().points.isEmpty());
    SampleSort byUncertainty{SampleSortKey::Uncertainty, true};
    auto rows = SampleRepository(**db).page(SampleFilter(), byUncertainty, 0, 10);
    QVERIFY2(rows, qPrintable(rows.error()));
    QCOMPARE(rows->size(), std::size_t(1));
    const SampleRow &row = rows->front();
    QCOMPARE(row.query, QStringLiteral("the red one"));
    QCOMPARE(row.uncertainty, std::optional<double>(0.75));
    QCOMPARE(row.chainLength, std::optional<int>(42));
    QCOMPARE(row.difficulty, std::optional<double>(6.5));
    QVERIFY(row.proposalIou);
    QCOMPARE(*row.proposalIou, 100.0 / 300.0);
    auto annotation = AnnotationRepository(**db).current(1);
    QVERIFY2(annotation, qPrintable(annotation.error()));
    QCOMPARE((*annotation)->targets.at(0).mask, annotated);
}

void TstDatabase::newerProjectIsRefusedUnchanged()
{
    RS_FRESH_LOCATION(location);
    {
        auto db = Database::create(location);
        QVERIFY2(db, qPrintable(db.error()));
        populate(**db);
        if (location.backend == Backend::Sqlite)
            QVERIFY((*db)->exec(QStringLiteral("PRAGMA user_version = 99"), QStringLiteral("test")));
        else
            QVERIFY((*db)->setSetting(QStringLiteral("schema_version"), QStringLiteral("99")));
    }
    const QByteArray before = location.backend == Backend::Sqlite ? fileBytes(location.path) : QByteArray();
    auto db = Database::open(location);
    QVERIFY(!db);
    QVERIFY2(db.error().contains(QLatin1String("newer")) && db.error().contains(QLatin1String("schema 99")),
             qPrintable(db.error()));
    QVERIFY(!db.error().contains(QLatin1Char('\n')));
    if (location.backend == Backend::Sqlite)
        QCOMPARE(fileBytes(location.path), before);
}

void TstDatabase::notAProject_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QByteArray random(5000, '\0');
    for (int i = 0; i < random.size(); ++i)
        random[i] = char((i * 7919 + 13) % 251);
    QTest::newRow("random bytes") << random << QStringLiteral("not a ReasonSeg project");
    QTest::newRow("text file") << QByteArray("hello, this is a text file\n").repeated(200)
                               << QStringLiteral("not a ReasonSeg project");
    QTest::newRow("empty file") << QByteArray() << QStringLiteral("not a ReasonSeg project (an empty database)");
    QTest::newRow("other sqlite") << QByteArray("other-program") << QStringLiteral("a database of another program");
}

void TstDatabase::notAProject()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const QString path = TestBackends::freshLocation(Backend::Sqlite).path;
    if (content == "other-program") {
        {
            QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other"));
            other.setDatabaseName(path);
            QVERIFY(other.open());
            QSqlQuery(other).exec(QStringLiteral("CREATE TABLE things (x INTEGER)"));
            other.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("other"));
    } else {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    const QByteArray before = fileBytes(path);
    auto db = Database::open(ProjectLocation::sqlite(path));
    QVERIFY(!db);
    QVERIFY2(db.error().contains(expected), qPrintable(db.error()));
    QVERIFY(db.error().contains(path));
    QVERIFY(!db.error().contains(QLatin1Char('\n')));
    QCOMPARE(fileBytes(path), before);
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));

    auto missing = Database::open(ProjectLocation::sqlite(path + QStringLiteral(".missing")));
    QVERIFY(!missing);
    QVERIFY(missing.error().contains(QLatin1String("no such file")));
    QVERIFY(!QFile::exists(path + QStringLiteral(".missing")));
}

void TstDatabase::postgresSchemaWithoutProject()
{
    if (const auto reason = TestBackends::unavailable(Backend::Postgres))
        QSKIP(qPrintable(*reason));
    const ProjectLocation location = TestBackends::freshLocation(Backend::Postgres);
    auto db = Database::open(location);
    QVERIFY(!db);
    QVERIFY2(db.error().contains(QLatin1String("not a ReasonSeg project")), qPrintable(db.error()));
}

void TstDatabase::damagedFile_data()
{
    QTest::addColumn<int>("offset");
    QTest::addColumn<int>("length");
    QTest::newRow("header") << 0 << 32;
    QTest::newRow("schema page") << 100 << 3996;
    QTest::newRow("data pages") << 4096 * 3 << 4096 * 6;
}

void TstDatabase::damagedFile()
{
    QFETCH(int, offset);
    QFETCH(int, length);
    const ProjectLocation location = TestBackends::freshLocation(Backend::Sqlite);
    {
        auto db = Database::create(location);
        QVERIFY2(db, qPrintable(db.error()));
        populate(**db);
        for (int i = 0; i < 200; ++i)
            QVERIFY(SampleRepository(**db).add(makeSample(QStringLiteral("img/%1.jpg").arg(i)), {rectTarget(QRect(i % 40, 3, 9, 9))}));
    }
    {
        QFile file(location.path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.size() > offset + length);
        file.seek(offset);
        QByteArray garbage(length, '\0');
        for (int i = 0; i < length; ++i)
            garbage[i] = char(0xA5 ^ (i * 31));
        file.write(garbage);
    }
    const QByteArray before = fileBytes(location.path);
    auto db = Database::open(location);
    if (!db) {
        QVERIFY2(db.error().contains(QLatin1String("not a ReasonSeg project"))
                     || db.error().contains(QLatin1String("damaged")),
                 qPrintable(db.error()));
        QVERIFY(!db.error().contains(QLatin1Char('\n')));
        QCOMPARE(fileBytes(location.path), before);
        return;
    }
    // The damage is in data pages: opening is cheap and succeeds, the check and reads report it.
    auto check = (*db)->integrityCheck();
    const bool reported = !check || *check != QLatin1String("ok");
    auto rows = SampleRepository(**db).page(SampleFilter(), SampleSort(), 0, 1000);
    QVERIFY(reported || !rows);
    if (!rows)
        QVERIFY2(rows.error().contains(QLatin1String("damaged")), qPrintable(rows.error()));
}

void TstDatabase::readOnlyProject()
{
    RS_FRESH_LOCATION(location);
    qint64 sampleId = 0;
    {
        auto db = Database::create(location);
        QVERIFY2(db, qPrintable(db.error()));
        sampleId = populate(**db);
    }
    Database::Options options;
    if (location.backend == Backend::Sqlite) {
        QVERIFY(QFile::setPermissions(location.path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        // root may write any file: ask for read-only explicitly, as a non-root user gets it from the mode.
        if (::geteuid() == 0)
            options.mode = Database::Mode::ReadOnly;
    } else {
        options.mode = Database::Mode::ReadOnly;
    }
    const QByteArray before = location.backend == Backend::Sqlite ? fileBytes(location.path) : QByteArray();
    {
        auto db = Database::open(location, options);
        QVERIFY2(db, qPrintable(db.error()));
        QVERIFY((*db)->isReadOnly());
        auto sample = SampleRepository(**db).get(sampleId);
        QVERIFY2(sample, qPrintable(sample.error()));
        QCOMPARE(sample->image.relativePath, QStringLiteral("img/a.jpg"));

        auto annotator = AnnotatorRepository(**db).ensure(QStringLiteral("bob"));
        QVERIFY(!annotator);
        QVERIFY2(annotator.error().contains(QLatin1String("read-only")), qPrintable(annotator.error()));
        Annotation annotation;
        annotation.sampleId = sampleId;
        annotation.annotatorId = 1;
        auto saved = AnnotationRepository(**db).save(annotation, 0);
        QVERIFY(!saved);
        QVERIFY2(saved.error().contains(QLatin1String("read-only")), qPrintable(saved.error()));
        auto added = SampleRepository(**db).add(makeSample(QStringLiteral("img/b.jpg")), {});
        QVERIFY(!added);
        QVERIFY(added.error().contains(QLatin1String("read-only")));
        QCOMPARE(*AnnotationRepository(**db).currentVersion(sampleId), 0);
    }
    if (location.backend == Backend::Sqlite) {
        QCOMPARE(fileBytes(location.path), before);
        QFile::setPermissions(location.path, QFile::ReadOwner | QFile::WriteOwner);
    }
}

void TstDatabase::fullDisk()
{
    const ProjectLocation location = TestBackends::freshLocation(Backend::Sqlite);
    qint64 sampleId = 0;
    {
        auto db = Database::create(location);
        QVERIFY2(db, qPrintable(db.error()));
        sampleId = populate(**db);
    }
    const QByteArray before = fileBytes(location.path);
    QVERIFY(!before.isEmpty());
    {
        auto db = Database::open(location);
        QVERIFY2(db, qPrintable(db.error()));
        // The "disk" holds exactly what the project uses now.
        const int pages = scalar(**db, QStringLiteral("PRAGMA page_count")).toInt();
        QVERIFY((*db)->exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages), QStringLiteral("test")));
        Annotation annotation;
        annotation.sampleId = sampleId;
        annotation.annotatorId = 1;
        annotation.comment = QString(20000, QLatin1Char('x'));  // needs new pages
        Target noisy;
        noisy.mask = Mask(512, 512);
        for (int y = 0; y < 512; ++y)
            for (int x = 0; x < 512; ++x)
                noisy.mask.set(x, y, ((x * 7 + y * 13) % 5) == 0);
        annotation.targets.push_back(noisy);
        auto saved = AnnotationRepository(**db).save(annotation, 0);
        QVERIFY(!saved);
        QVERIFY2(saved.error().contains(QLatin1String("the disk is full")), qPrintable(saved.error()));
        QVERIFY(!saved.error().contains(QLatin1Char('\n')));
        QCOMPARE(*AnnotationRepository(**db).currentVersion(sampleId), 0);
        QVERIFY(AnnotationRepository(**db).history(sampleId)->empty());
        QCOMPARE(*(*db)->integrityCheck(), QStringLiteral("ok"));
    }
    QCOMPARE(fileBytes(location.path), before);
}

void TstDatabase::lockedProject()
{
    RS_FRESH_LOCATION(location);
    qint64 sampleId = 0;
    {
        auto db = Database::create(location);
        QVERIFY2(db, qPrintable(db.error()));
        sampleId = populate(**db);
    }
    auto holder = Database::open(location);
    QVERIFY2(holder, qPrintable(holder.error()));
    Database::Options impatient;
    impatient.busyTimeoutMs = 200;
    auto writer = Database::open(location, impatient);
    QVERIFY2(writer, qPrintable(writer.error()));
    Annotation annotation;
    annotation.sampleId = sampleId;
    annotation.annotatorId = 1;
    annotation.comment = QStringLiteral("blocked");
    {
        Transaction lock(**holder, QStringLiteral("holding the lock"));
        QVERIFY(lock.isActive());
        // PostgreSQL locks rows, not files: hold the sample's row.
        QSqlQuery rowLock = (*holder)->prepare(QStringLiteral("UPDATE sample SET updated_at = updated_at WHERE id = ?"));
        rowLock.addBindValue(sampleId);
        QVERIFY(rowLock.exec());
        QElapsedTimer timer;
        timer.start();
        auto saved = AnnotationRepository(**writer).save(annotation, 0);
        QVERIFY(!saved);
        QVERIFY2(saved.error().contains(QLatin1String("locked")), qPrintable(saved.error()));
        QVERIFY(!saved.error().contains(QLatin1Char('\n')));
        QVERIFY2(timer.elapsed() >= 150 && timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }  // rolled back: the lock is gone
    auto saved = AnnotationRepository(**writer).save(annotation, 0);
    QVERIFY2(saved, qPrintable(saved.error()));
    QCOMPARE(saved->version, 1);
    auto history = AnnotationRepository(**holder).history(sampleId);
    QCOMPARE(history->size(), std::size_t(1));
}

QTEST_GUILESS_MAIN(TstDatabase)
#include "tst_database.moc"
