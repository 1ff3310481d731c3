// How Qt 6.4's QFuture::then(QObject *context, ...) behaves, which decides how HttpFrontend hands
// answers back from its worker pool: the continuation runs on the context's thread; when the
// context is deleted before the work finishes, builds with asserts abort on Q_ASSERT(context)
// (checked in a child process) and builds without them drop the continuation; a long-lived
// context with a QPointer to the short-lived target, as HttpFrontend uses, is safe. Main thread
// plus QtConcurrent's pool.
#include <QCoreApplication>
#include <QPointer>
#include <QProcess>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <cstdio>
#include <cstring>

namespace {

constexpr const char *kChildFlag = "--deleted-context-child";

// Child process: a continuation whose context is deleted while the work still runs.
int runDeletedContextChild(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::atomic<bool> ran {false};
    auto *context = new QObject;
    QtConcurrent::run([] {
        QThread::msleep(200);
        return 42;
    }).then(context, [&ran](int) { ran = true; });
    delete context;
    QTimer::singleShot(600, &app, &QCoreApplication::quit);
    app.exec();
    std::printf("continuation-ran=%d\n", ran.load() ? 1 : 0);
    return 0;
}

} // namespace

class TestHttpFrontendFutureContext : public QObject {
    Q_OBJECT

private slots:
    void continuationRunsOnTheContextThread()
    {
        QObject context;
        std::atomic<QThread *> workThread {nullptr};
        QThread *continuationThread = nullptr;
        bool done = false;
        QtConcurrent::run([&workThread] {
            workThread = QThread::currentThread();
            return 1;
        }).then(&context, [&](int) {
            continuationThread = QThread::currentThread();
            done = true;
        });
        QTRY_VERIFY(done);
        QVERIFY(workThread.load() != QThread::currentThread());
        QCOMPARE(continuationThread, QThread::currentThread());
    }

    void deletedContextIsNotSafe()
    {
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(), {QString::fromLatin1(kChildFlag)});
        QVERIFY(child.waitForFinished(20000));
        const QByteArray out = child.readAllStandardOutput();
        const QByteArray err = child.readAllStandardError();
#ifdef QT_NO_DEBUG
        // Without asserts the continuation is dropped (but the context is checked on the worker
        // thread only, racing with its deletion on this one).
        QCOMPARE(child.exitStatus(), QProcess::NormalExit);
        QVERIFY2(out.contains("continuation-ran=0"), out.constData());
#else
        // With asserts the process aborts: then(socket, ...) would crash the server whenever a
        // client leaves before its answer.
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        QVERIFY2(err.contains("ASSERT: \"context\""), err.constData());
#endif
        Q_UNUSED(out);
        Q_UNUSED(err);
    }

    void longLivedContextWithAGuardedTargetIsSafe()
    {
        QObject frontend; // outlives the work, like HttpFrontend
        auto *connection = new QObject(&frontend);
        QPointer<QObject> target(connection);
        bool ran = false;
        bool targetAlive = true;
        QtConcurrent::run([] {
            QThread::msleep(100);
            return 7;
        }).then(&frontend, [&, target](int) {
            ran = true;
            targetAlive = !target.isNull();
        });
        delete connection; // the client left before its answer
        QTRY_VERIFY(ran);
        QVERIFY(!targetAlive);
    }
};

int main(int argc, char **argv)
{
    if (argc > 1 && std::strcmp(argv[1], kChildFlag) == 0)
        return runDeletedContextChild(argc, argv);
    QCoreApplication app(argc, argv);
    TestHttpFrontendFutureContext test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestHttpFrontendFutureContext.moc"
