// SampleDocument and its undo commands: every action is one step, undo/redo restore masks bit-exactly
// over long mixed sequences, patches stay small, value edits merge.
#include "core/documentactions.h"
#include "core/maskeditcommand.h"
#include "core/maskpainter.h"
#include "core/rle.h"
#include "core/sampledocument.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace rs;

namespace {

// The document's content as comparable values (masks as RLE strings).
struct Snapshot
{
    QStringList labels;
    QList<QByteArray> masks;
    QList<bool> ignore;
    QList<bool> visible;
    bool noTarget = false;
    bool operator==(const Snapshot &) const = default;
};

Snapshot snapshot(const SampleDocument &document)
{
    Snapshot s;
    for (int i = 0; i < document.targetCount(); ++i) {
        const DocumentTarget &t = document.targetAt(i);
        s.labels << t.target.label;
        s.masks << Rle::encode(t.target.mask).toString();
        s.ignore << t.target.ignore;
        s.visible << t.visible;
    }
    s.noTarget = document.noTarget();
    return s;
}

// A stroke the way the brush tool does it: paint live, then push the patch as already applied.
void stroke(SampleDocument &document, int index, const QList<QPointF> &points, double radius, bool value)
{
    const Mask before = document.targetAt(index).target.mask;
    QRect dirty;
    for (qsizetype i = 0; i < points.size(); ++i)
        dirty |= MaskPainter::segment(document.maskForEdit(index), points[qMax<qsizetype>(0, i - 1)], points[i], radius, value);
    document.undoStack()->push(new MaskEditCommand(&document, index, MaskPatch::between(before, document.targetAt(index).target.mask, dirty),
                                                   QStringLiteral("Brush"), true));
}

} // namespace

class TestSampleDocument : public QObject
{
    Q_OBJECT

private slots:
    void strokeIsOneStepAndExact();
    void patchesAreSmall();
    void mixedOperationsUndoRedoBitExact();
    void mergeSplitAndAcceptAreOneStepEach();
    void noOpActionsPushNothing();
    void valueEditsMerge();
    void currentTargetFollowsInsertRemoveMove();
};

void TestSampleDocument::strokeIsOneStepAndExact()
{
    SampleDocument document(QSize(60, 40));
    DocumentActions::newTarget(document, QStringLiteral("cup"));
    QSignalSpy changed(&document, &SampleDocument::maskChanged);
    const int before = document.undoStack()->count();
    stroke(document, 0, {QPointF(10.5, 10.5), QPointF(30.5, 10.5)}, 2.0, true);
    QCOMPARE(document.undoStack()->count(), before + 1);
    // A capsule of radius 2 around y = 10.5 from x = 10.5 to 30.5: rows 8..12 (|dy| ≤ 2) over x 10..30,
    // plus the round caps: x 9 and 31 (dx = 1: rows 9..11) and x 8 and 32 (dx = 2: row 10).
    QCOMPARE(document.targetAt(0).target.mask.area(), qsizetype(5 * 21 + 2 * 3 + 2 * 1));
    document.undoStack()->undo();
    QVERIFY(document.targetAt(0).target.mask.isEmpty());
    QVERIFY(changed.count() >= 1);
    QCOMPARE(changed.last().at(1).toRect(), QRect(QPoint(8, 8), QPoint(32, 12)));
}

void TestSampleDocument::patchesAreSmall()
{
    SampleDocument document(QSize(4000, 4000));  // 16 megapixels
    DocumentActions::newTarget(document);
    stroke(document, 0, {QPointF(1000, 1000), QPointF(1400, 1300)}, 12.0, true);
    const auto *command = dynamic_cast<const MaskEditCommand *>(document.undoStack()->command(1));
    QVERIFY(command);
    QVERIFY2(command->patch().bytes() < 8 * 1024, qPrintable(QString::number(command->patch().bytes())));
    QCOMPARE(command->patch().rect().width(), 424);  // centres within 12 px of x 1000..1400: 988..1411
}

void TestSampleDocument::mixedOperationsUndoRedoBitExact()
{
    SampleDocument document(QSize(96, 64));
    QRandomGenerator random(7);
    std::vector<Snapshot> states{snapshot(document)};
    for (int step = 0; step < 200; ++step) {
        const int count = document.targetCount();
        const int kind = count == 0 ? 0 : int(random.bounded(12));
        const int index = count == 0 ? 0 : int(random.bounded(count));
        bool pushed = true;
        switch (kind) {
        case 0:
            DocumentActions::newTarget(document, QStringLiteral("t%1").arg(step));
            break;
        case 1:
        case 2: {
            QList<QPointF> points;
            for (int p = 0; p < 4; ++p)
                points << QPointF(random.bounded(96.0), random.bounded(64.0));
            stroke(document, index, points, 1.0 + random.bounded(5.0), kind == 1);
            break;
        }
        case 3: {
            Mask region(96, 64);
            const QPolygonF polygon{QPointF(random.bounded(96.0), random.bounded(64.0)), QPointF(random.bounded(96.0), random.bounded(64.0)),
                                    QPointF(random.bounded(96.0), random.bounded(64.0))};
            MaskPainter::polygon(region, polygon, true);
            pushed = DocumentActions::paint(document, index, region, random.bounded(2) == 0, QStringLiteral("Polygon"));
            break;
        }
        case 4:
            pushed = DocumentActions::fillHoles(document, index);
            break;
        case 5:
            pushed = DocumentActions::removeSmallComponents(document, index, 6);
            break;
        case 6:
            pushed = DocumentActions::deleteTarget(document, index);
            break;
        case 7:
            pushed = DocumentActions::moveTarget(document, index, int(random.bounded(count)));
            break;
        case 8:
            pushed = DocumentActions::splitComponents(document, index);
            break;
        case 9:
            pushed = DocumentActions::mergeTargets(document, {index, int(random.bounded(count))});
            break;
        case 10:
            pushed = DocumentActions::setIgnore(document, index, !document.targetAt(index).target.ignore);
            break;
        case 11:
            pushed = DocumentActions::combine(document, index, int(random.bounded(count)), DocumentActions::Combine(random.bounded(3)));
            break;
        }
        if (pushed)
            states.push_back(snapshot(document));
        QCOMPARE(qsizetype(document.undoStack()->count()), qsizetype(states.size() - 1));
    }
    QVERIFY(states.size() > 120);
    for (std::size_t i = states.size() - 1; i > 0; --i) {
        document.undoStack()->undo();
        QVERIFY2(snapshot(document) == states[i - 1], qPrintable(QStringLiteral("undo to state %1").arg(i - 1)));
    }
    for (std::size_t i = 1; i < states.size(); ++i) {
        document.undoStack()->redo();
        QVERIFY2(snapshot(document) == states[i], qPrintable(QStringLiteral("redo to state %1").arg(i)));
    }
}

void TestSampleDocument::mergeSplitAndAcceptAreOneStepEach()
{
    SampleDocument document(QSize(40, 30));
    Target a;
    a.mask = Mask(40, 30);
    a.mask.fillRect(QRect(1, 1, 5, 5), true);
    a.mask.fillRect(QRect(20, 20, 3, 3), true);
    a.label = QStringLiteral("apple");
    Target b;
    b.mask = Mask(40, 30);
    b.mask.fillRect(QRect(10, 1, 4, 4), true);
    document.setProposal({a, b});
    QVERIFY(DocumentActions::acceptProposal(document));
    QCOMPARE(document.undoStack()->count(), 1);
    QCOMPARE(document.targetCount(), 2);
    QCOMPARE(document.targetAt(0).target.label, QStringLiteral("apple"));

    QVERIFY(DocumentActions::splitComponents(document, 0));
    QCOMPARE(document.undoStack()->count(), 2);
    QCOMPARE(document.targetCount(), 3);
    QCOMPARE(document.targetAt(0).target.mask.area(), qsizetype(25));
    QCOMPARE(document.targetAt(1).target.mask.area(), qsizetype(9));
    QCOMPARE(document.targetAt(1).target.label, QStringLiteral("apple"));

    QVERIFY(DocumentActions::mergeTargets(document, {2, 0, 1}));
    QCOMPARE(document.undoStack()->count(), 3);
    QCOMPARE(document.targetCount(), 1);
    QCOMPARE(document.targetAt(0).target.mask.area(), qsizetype(25 + 9 + 16));
    document.undoStack()->undo();
    QCOMPARE(document.targetCount(), 3);
    document.undoStack()->undo();
    QCOMPARE(document.targetCount(), 2);
    QCOMPARE(document.targetAt(0).target.mask, a.mask);
}

void TestSampleDocument::noOpActionsPushNothing()
{
    SampleDocument document(QSize(20, 20));
    DocumentActions::newTarget(document);
    QVERIFY(!DocumentActions::fillHoles(document, 0));
    QVERIFY(!DocumentActions::setIgnore(document, 0, false));
    QVERIFY(!DocumentActions::moveTarget(document, 0, 0));
    QVERIFY(!DocumentActions::deleteTarget(document, 3));
    QVERIFY(!DocumentActions::splitComponents(document, 0));
    QVERIFY(!DocumentActions::mergeTargets(document, {0}));
    QVERIFY(!DocumentActions::acceptProposal(document));
    QVERIFY(!DocumentActions::setNoTarget(document, false));
    QCOMPARE(document.undoStack()->count(), 1);
}

void TestSampleDocument::valueEditsMerge()
{
    SampleDocument document(QSize(10, 10));
    DocumentActions::newTarget(document, QStringLiteral("a"));
    QVERIFY(DocumentActions::setLabel(document, 0, QStringLiteral("b")));
    QVERIFY(DocumentActions::setLabel(document, 0, QStringLiteral("c")));
    QCOMPARE(document.undoStack()->count(), 3);  // labels set by separate actions are separate steps
    document.undoStack()->undo();
    QCOMPARE(document.targetAt(0).target.label, QStringLiteral("b"));
    QVERIFY(DocumentActions::setNoTarget(document, true));
    QCOMPARE(document.noTarget(), true);
    document.undoStack()->undo();
    QCOMPARE(document.noTarget(), false);
}

void TestSampleDocument::currentTargetFollowsInsertRemoveMove()
{
    SampleDocument document(QSize(10, 10));
    for (int i = 0; i < 4; ++i)
        DocumentActions::newTarget(document, QString::number(i));
    QCOMPARE(document.currentTarget(), 3);  // a new target becomes current
    document.setCurrentTarget(1);
    DocumentActions::moveTarget(document, 1, 3);
    QCOMPARE(document.currentTarget(), 3);
    QCOMPARE(document.targetAt(3).target.label, QStringLiteral("1"));
    DocumentActions::deleteTarget(document, 0);
    QCOMPARE(document.currentTarget(), 2);
    DocumentActions::deleteTarget(document, 2);
    QCOMPARE(document.currentTarget(), 1);
    document.setCurrentTarget(7);
    QCOMPARE(document.currentTarget(), -1);
}

QTEST_GUILESS_MAIN(TestSampleDocument)
#include "tst_sampledocument.moc"
