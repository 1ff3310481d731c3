// ServerTab: a tab of the server page (Overview, Policy, History, Restore) — a Page that shows one
// protected server. setServer() is called when the user opens another server (then the tab
// drops what it showed) and whenever the server's summary is fetched again. GUI thread.
#pragma once

#include "shell/Page.h"

#include <QJsonObject>

namespace cairn::console {

class ServerTab : public Page {
    Q_OBJECT
public:
    using Page::Page;

    // id: the agent id; server: the object of GET /servers/{id} (name, hostname, os, last_seen,
    // next_run, last_job …).
    virtual void setServer(qint64 id, const QJsonObject &server)
    {
        m_serverId = id;
        m_server = server;
    }
    qint64 serverId() const { return m_serverId; }
    const QJsonObject &server() const { return m_server; }

private:
    qint64 m_serverId = 0;
    QJsonObject m_server;
};

} // namespace cairn::console
