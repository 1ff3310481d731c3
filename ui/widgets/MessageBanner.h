// MessageBanner: a one-line message strip at the top of a page or dialog — an error in red or an
// information in blue, with a close button; hidden when empty. Used instead of modal message
// boxes so that nothing blocks the window. GUI thread.
#pragma once

#include "api/ApiError.h"

#include <QFrame>

class QLabel;
class QToolButton;

namespace cairn::console {

class MessageBanner : public QFrame {
    Q_OBJECT
public:
    explicit MessageBanner(QWidget *parent = nullptr);

    void showError(const QString &text);
    // The sentence for a failed request; a cancelled one (no session, aborted) shows nothing.
    void showError(const ApiError &error);
    void showInfo(const QString &text);
    void clear();
    QString text() const;
    bool isError() const { return m_error; }

private:
    void show(const QString &text, bool error);
    QLabel *m_label;
    QToolButton *m_close;
    bool m_error = false;
};

} // namespace cairn::console
