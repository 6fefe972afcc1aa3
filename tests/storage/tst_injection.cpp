// SQL only through bound parameters: text that would end a statement and drop a table, stored in
// every free-text field a user or a dataset fills, comes back byte for byte and changes nothing else.
#include "backendrows.h"
#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/reviewrepository.h"
#include "storage/samplerepository.h"
#include "storagetestdata.h"
#include "testbackends.h"

#include <QTest>

using namespace rs;
using namespace rs::test;

class TstInjection : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase() { TestBackends::shutdown(); }
    void hostileTextIsData_data() { addBackendRows(); }
    void hostileTextIsData();
};

void TstInjection::hostileTextIsData()
{
    RS_FRESH_LOCATION(location);
    auto db = Database::create(location);
    QVERIFY2(db, qPrintable(db.error()));
    const QString drop = QStringLiteral("x'); DROP TABLE sample; --");
    const QString quote = QStringLiteral("it's \"quoted\" ' OR '1'='1");
    Sample sample = makeSample(QStringLiteral("img/%1.jpg").arg(drop), drop, drop);
    sample.queries = { drop, quote };
    RleTarget target = rectTarget(QRect(1, 1, 5, 5), quote);
    target.description = drop;
    const auto id = SampleRepository(**db).add(sample, { target });
    QVERIFY2(id, qPrintable(id.error()));
    const auto annotator = AnnotatorRepository(**db).ensure(drop);
    QVERIFY(annotator);

    Annotation annotation;
    annotation.sampleId = *id;
    annotation.annotatorId = *annotator;
    annotation.comment = drop;
    annotation.referenceShort = quote;
    QVERIFY(AnnotationRepository(**db).save(annotation, 0));
    Review review;
    review.sampleId = *id;
    review.annotationVersion = 1;
    review.reviewerId = *annotator;
    review.reason = drop;
    QVERIFY(ReviewRepository(**db).add(review));

    const auto stored = SampleRepository(**db).get(*id);
    QVERIFY(stored);
    QCOMPARE(stored->queries, sample.queries);
    QCOMPARE(stored->split, drop);
    QCOMPARE(stored->sourceId, drop);
    QCOMPARE(*AnnotatorRepository(**db).name(*annotator), drop);
    QCOMPARE((*AnnotationRepository(**db).current(*id))->comment, drop);
    QCOMPARE(ReviewRepository(**db).forSample(*id)->front().reason, drop);
    // Filters take the same text as a value, not as SQL.
    SampleFilter filter;
    filter.split = drop;
    QCOMPARE(*SampleRepository(**db).count(filter), qint64(1));
    filter.split = QStringLiteral("x' OR '1'='1");
    QCOMPARE(*SampleRepository(**db).count(filter), qint64(0));
    filter = SampleFilter();
    filter.failureTag = QStringLiteral("%' OR 1=1 --");
    QCOMPARE(*SampleRepository(**db).count(filter), qint64(0));
    QCOMPARE(*SampleRepository(**db).count(SampleFilter()), qint64(1));  // the table is still there
}

QTEST_MAIN(TstInjection)
#include "tst_injection.moc"
