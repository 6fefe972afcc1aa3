// Child process of tst_crashrecovery: saves annotations in a loop until it is killed, printing
// "ACK <sample> <version>" after each save returned, and "JACK <sequence>" after each journal append.
// usage: storage_crash_child LOCATION JOURNAL SAMPLES SEED
//   LOCATION: sqlite:PATH or postgres:HOST:PORT:DATABASE:USER:SCHEMA
#include "crashcontent.h"
#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/editjournal.h"

#include <QCoreApplication>
#include <QRandomGenerator>

#include <cstdio>

using namespace rs;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 5) {
        std::fprintf(stderr, "usage: storage_crash_child LOCATION JOURNAL SAMPLES SEED\n");
        return 2;
    }
    ProjectLocation location;
    const QStringList spec = args[1].split(QLatin1Char(':'));
    if (spec.value(0) == QLatin1String("postgres") && spec.size() == 6)
        location = ProjectLocation::postgres(spec[1], spec[2].toInt(), spec[3], spec[4], spec[5]);
    else
        location = ProjectLocation::sqlite(args[1].mid(int(qstrlen("sqlite:"))));
    const int samples = args[3].toInt();
    QRandomGenerator random(args[4].toUInt());
    auto db = Database::open(location);
    if (!db) {
        std::fprintf(stderr, "%s\n", qPrintable(db.error()));
        return 1;
    }
    auto annotator = AnnotatorRepository(**db).findByName(QStringLiteral("crash"));
    auto journal = EditJournal::open(args[2]);
    if (!annotator || !*annotator || !journal) {
        std::fprintf(stderr, "setup failed: %s\n", qPrintable(journal ? annotator.error() : journal.error()));
        return 1;
    }
    AnnotationRepository repository(**db);
    std::printf("READY\n");
    std::fflush(stdout);
    for (;;) {
        const qint64 sampleId = 1 + qint64(random.bounded(samples));
        auto base = repository.currentVersion(sampleId);
        if (!base) {
            std::fprintf(stderr, "%s\n", qPrintable(base.error()));
            return 1;
        }
        const int version = *base + 1;
        const QByteArray edit = test::crashEditPayload(sampleId, version);
        auto sequence = (*journal)->append(sampleId, *base, JournalEntry::Kind::MaskDelta, edit);
        if (!sequence) {
            std::fprintf(stderr, "%s\n", qPrintable(sequence.error()));
            return 1;
        }
        std::printf("JACK %llu\n", static_cast<unsigned long long>(*sequence));
        std::fflush(stdout);
        auto saved = repository.save(test::crashAnnotation(sampleId, **annotator, version), *base);
        if (!saved) {
            std::fprintf(stderr, "%s\n", qPrintable(saved.error()));
            return 1;
        }
        if (saved->isConflict()) {
            std::fprintf(stderr, "unexpected conflict on sample %lld\n", static_cast<long long>(sampleId));
            return 1;
        }
        std::printf("ACK %lld %d\n", static_cast<long long>(sampleId), saved->version);
        std::fflush(stdout);
        (*journal)->markCommitted(sampleId);
    }
}
