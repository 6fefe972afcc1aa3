#include "core/rubricgrade.h"
#include "core/sample.h"
#include "core/stepgrade.h"
#include "core/target.h"

#include <QTest>

using namespace rs;

// The small value types of the domain: names that storage writes must read back, and validity rules.
class TstDomain : public QObject
{
    Q_OBJECT

private slots:
    void sampleStatusNames();
    void stepErrorNames();
    void stepGradeValidity_data();
    void stepGradeValidity();
    void rubric();
    void targetBoxFromMask();
    void sampleQuery();
};

void TstDomain::sampleStatusNames()
{
    for (SampleStatus s : {SampleStatus::New, SampleStatus::InProgress, SampleStatus::Submitted,
                           SampleStatus::Accepted, SampleStatus::Rejected}) {
        const QString name = sampleStatusName(s);
        QVERIFY(!name.isEmpty());
        QCOMPARE(sampleStatusFromName(name), std::optional<SampleStatus>(s));
    }
    QCOMPARE(sampleStatusName(SampleStatus::InProgress), QStringLiteral("in_progress"));
    QCOMPARE(sampleStatusFromName(QStringLiteral("Accepted")), std::nullopt);
    QCOMPARE(sampleStatusFromName(QString()), std::nullopt);
}

void TstDomain::stepErrorNames()
{
    for (int i = int(StepError::None); i <= int(StepError::HallucinatedEntity); ++i) {
        const StepError e = StepError(i);
        QCOMPARE(stepErrorFromName(stepErrorName(e)), std::optional<StepError>(e));
    }
    QCOMPARE(stepErrorName(StepError::WrongCount), QStringLiteral("wrong_count"));
    QCOMPARE(stepErrorFromName(QStringLiteral("bogus")), std::nullopt);
}

void TstDomain::stepGradeValidity_data()
{
    QTest::addColumn<int>("rating");
    QTest::addColumn<int>("error");
    QTest::addColumn<bool>("valid");
    QTest::newRow("+1") << 1 << int(StepError::None) << true;
    QTest::newRow("0") << 0 << int(StepError::None) << true;
    QTest::newRow("-1 with kind") << -1 << int(StepError::WrongRelation) << true;
    QTest::newRow("-1 without kind") << -1 << int(StepError::None) << true;
    QTest::newRow("+1 with an error kind") << 1 << int(StepError::WrongObject) << false;
    QTest::newRow("2") << 2 << int(StepError::None) << false;
    QTest::newRow("-2") << -2 << int(StepError::None) << false;
}

void TstDomain::stepGradeValidity()
{
    QFETCH(int, rating);
    QFETCH(int, error);
    QFETCH(bool, valid);
    StepGrade grade;
    grade.rating = rating;
    grade.error = StepError(error);
    QCOMPARE(grade.isValid(), valid);
}

void TstDomain::rubric()
{
    RubricGrade grade;
    QVERIFY(grade.isValid());
    QVERIFY(!grade.isComplete());
    grade = {5, 3, 1};
    QVERIFY(grade.isValid());
    QVERIFY(grade.isComplete());
    grade.conciseness = 6;
    QVERIFY(!grade.isValid());
    grade.conciseness = -1;
    QVERIFY(!grade.isValid());
}

void TstDomain::targetBoxFromMask()
{
    Target target;
    target.mask = Mask(10, 8);
    target.mask.fillRect(QRect(2, 3, 4, 2), true);
    // COCO xywh: a pixel covers [x, x + 1), so 4 columns from x = 2 give width 4.
    QCOMPARE(target.boxFromMask(), QRectF(2, 3, 4, 2));
    target.mask.fill(false);
    QVERIFY(target.boxFromMask().isNull());
}

void TstDomain::sampleQuery()
{
    Sample sample;
    QCOMPARE(sample.query(), QString());
    sample.queries = {QStringLiteral("what a vegetarian would not eat"), QStringLiteral("the meat")};
    QCOMPARE(sample.query(), QStringLiteral("what a vegetarian would not eat"));
    Sample copy = sample;
    QCOMPARE(copy, sample);
    copy.status = SampleStatus::Accepted;
    QVERIFY(!(copy == sample));
}

QTEST_APPLESS_MAIN(TstDomain)
#include "tst_domain.moc"
