<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ApiError</name>
    <message>
        <source>Backup paths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excludes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pre-backup command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post-backup command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bandwidth limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the address and your network connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not answer in time. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not the one this console trusts. If you did not expect a change, do not continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent an answer the console does not understand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The login or password is wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your session has expired. Please log in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not allowed to do this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It no longer exists on the server (it may have been removed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server could not read the request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not valid: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Too many failed logins. Try again in %n second(s).</source>
        <translation>
            <numerusform>Too many failed logins. Try again in %n second.</numerusform>
            <numerusform>Too many failed logins. Try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>Too many failed logins. Try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server has no backup policy yet. Set one on the Policy tab first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The job has already finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup storage is full. New backups are refused until space is freed; restores still work.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This cannot be done in the current state; someone else may have changed it. The view has been refreshed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The destination server has been removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The snapshot no longer exists (retention removed it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request was not valid: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The snapshot&apos;s data is not complete on the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server failed to handle the request (%1). Try again; if it persists, contact the operator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the request: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the request (HTTP %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not valid for this address (%1). Use the address your operator gave you.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>%1/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>estimating…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>less than a minute left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed with warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed</source>
        <comment>SLA: finished after its due time</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::AllBillingPage</name>
    <message>
        <source>Estimate (month not over)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Final</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No statements for %1: no tenant was active that month, or no prices are set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n statement(s) for %1; total %2</source>
        <translation>
            <numerusform>%n statement for %1; total %2</numerusform>
            <numerusform>%n statements for %1; total %2</numerusform>
        </translation>
    </message>
    <message>
        <source>The statements of %1 are not loaded yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statements of %1 saved to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export statements as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base fee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Currency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save every tenant&apos;s statement of this month as a CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Billing (all tenants)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::AuditModel</name>
    <message>
        <source>user %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>agent %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::AuditPage</name>
    <message>
        <source>&amp;Tenant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All tenants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Action contains:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. ticket. or policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::BillingPage</name>
    <message>
        <source>Base fee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra storage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server-months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GB-months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no estimate yet: the service of your organisation is not activated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no estimate yet: no prices are set. The service operator sets them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no estimate for this month yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimate for %1, counted through %2. The final statement is made when the month is over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>month name, year</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No statements yet: the first one is made when your first month of service is over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Past statements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Servers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored data:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshots:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Past statements are shown to the administrators of your organisation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage and billing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::CalendarPage</name>
    <message>
        <source>This server does not offer the holiday calendar yet. Use &quot;cairn-server calendar&quot; on the server host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed by an operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public holiday (shipped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write what the day off is (e.g. &quot;National Assembly election&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now a day off. Tickets submitted from now on count with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now a working day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The operators&apos; change of %1 was removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Year:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business hours: Monday to Friday, %1–%2 (%3), except the days off below. Ticket due times count only business time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Date:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the day off, e.g. National Assembly election</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add day off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a &amp;working day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected holiday counts as a business day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove operator change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The day is again as the shipped holiday data says</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holiday calendar</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::DashboardPage</name>
    <message>
        <source>Servers: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed last runs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part of a server&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a server or press Enter to open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No servers yet. Install the Cairn agent on a server and enrol it with an enrollment code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Stored data over the last %n days</source>
        <translation>
            <numerusform>Stored data over the last %n day</numerusform>
            <numerusform>Stored data over the last %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>New data per day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::HealthPage</name>
    <message>
        <source>This server shows only the store capacity (no health overview).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full: new backups are refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: the store is filling up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running jobs: %1 · Open tickets: %2 · Failed mails: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup store capacity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed runs of the last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b style=&quot;color:%1&quot;&gt;%2&lt;/b&gt; — %3 used of %4 (%5 free). Operators are warned at %6% full; new backups are refused at %7% full.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::HistoryModel</name>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New data stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings / errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::HistoryTab</name>
    <message>
        <source>Backup requested. It starts when the server&apos;s agent next checks in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n run</numerusform>
            <numerusform>%n runs</numerusform>
        </translation>
    </message>
    <message>
        <source>All states</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backups and restores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;State:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a backup of this server now, outside its schedule.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::JobDetailView</name>
    <message>
        <source>%1 #%2 — %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 restored, %2 skipped, %3 errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 restored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 files: %2 new, %3 changed, %4 unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 read, %2 new, %3 stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 : 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No warnings or errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings: %1, errors: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: stopped after the time limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: ended by signal %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: could not run (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: exit code %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command before the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command after the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a run to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel this run? The files already backed up are not kept as a snapshot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Yes, cancel it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep it running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deduplication:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::JobProgressBar</name>
    <message>
        <source>Reading the file index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running the command before the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backing up files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running the command after the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restoring files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cairn::console::LoginPage</name>
    <message>
        <source>The server was not trusted. Ask your operator for the right address and fingerprint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the server address, for example https://backup.example.com:8443.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your login and password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server presented a DIFFERENT certificate from the one this console trusted before. This can mean someone is intercepting the connection. Trust it only if your operator told you the certificate was replaced and the fingerprint below matches theirs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn Backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trust this server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do &amp;not trust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The address of your Cairn server, e.g. https://backup.example.com:8443</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This console has not connected to this server before. Compare the SHA-256 fingerprint of the server&apos;s certificate authority below with the one your operator gave you (printed by cairn-server init); trust the server only if they match.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::MainWindow</name>
    <message>
        <source>About Cairn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn console %1
Deduplicating, encrypted backup for your servers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Cairn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2, %3) on %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::MyTicketsPage</name>
    <message>
        <source>Server %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overwrite existing files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep both versions of existing files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skip existing files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From %1, snapshot %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>everything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Onto %1, %2; %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to the original location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>into %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore request #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no due time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>due %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>requested %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore job #%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolution: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The restore request was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;older requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No restore requests yet. Request one from a server&apos;s Restore tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel this restore request?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Yes, cancel it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My restore tickets</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::OverviewTab</name>
    <message>
        <source>No policy yet: this server is not backed up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every day at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1, keep %n days</source>
        <translation>
            <numerusform>%1, keep %n day</numerusform>
            <numerusform>%1, keep %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n path(s)</source>
        <translation>
            <numerusform>; %n path</numerusform>
            <numerusform>; %n paths</numerusform>
        </translation>
    </message>
    <message>
        <source>Never seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (online)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (offline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No runs yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting a backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup started; the agent picks it up at its next check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A server needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is now called %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operating system:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolled:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a backup of this server now and follow it in History.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::PolicyForm</name>
    <message>
        <source>Every day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every week</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message>
        <source>Fail the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back up anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not an absolute path: it must start with /.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A policy can back up at most %1 paths.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add at least one folder to back up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A path cannot be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The command is %1 bytes long; at most %2 bytes are allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The command cannot contain a NUL character.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The limit must be 0 (unlimited) or between %1 and %2 KiB/s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paths to back up:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xclude (one pattern a line):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File systems:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Interval:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Weekday:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start &amp;time:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep backups for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command &amp;before the backup:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command &amp;after the backup:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command time &amp;limit (seconds):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If the command before &amp;fails:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Upload limit (KiB/s):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New path:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/var/www</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;dd</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Absolute paths on the server. Double-click a path to change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>*.tmp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stay on the file system of each path (do not cross mount points)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the tenant&apos;s time zone. The actual start may be up to an hour later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The commands run as root on the server before and after each backup. Only enter commands you trust.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For example: pg_dump -Fc app &gt; /var/backups/app.pgdump</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For example: rm -f /var/backups/app.pgdump</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::PolicyTab</name>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes. The policy was also changed elsewhere; Revert shows the stored one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No policy yet: this server is not backed up. The defaults are filled in; add the paths to back up and save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No policy yet: this server is not backed up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last changed %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the marked fields to save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The policy was not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The policy was copied to %n server(s): %1.</source>
        <translation>
            <numerusform>The policy was copied to %n server: %1.</numerusform>
            <numerusform>The policy was copied to %n servers: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was copied: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can see this policy but not change it: only administrators of your organisation change backup policies.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store the policy; the agent uses it from its next check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard the changes and show the stored policy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy to other servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the chosen servers this server&apos;s stored policy. Either all of them get it or none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy to the chosen servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::PricingPage</name>
    <message>
        <source>No prices are set yet: no statements can be computed until they are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last changed %1 by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 must be an amount in %2 with at most %n decimal place(s).</source>
        <translation>
            <numerusform>%1 must be an amount in %2 with at most %n decimal place.</numerusform>
            <numerusform>%1 must be an amount in %2 with at most %n decimal places.</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the included storage in GB (0 or more).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prices saved. They apply to statements computed from now on; statements already kept do not change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Currency:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Base fee per month:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Included servers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Included &amp;storage (GB):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per extra ser&amp;ver-month:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per extra &amp;GB-month:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save prices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New prices apply to statements computed after the change: the estimate of the current month and months not yet kept. Statements already kept for finished months never change. 1 GB is 10^9 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 50000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pricing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a whole amount in %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::RecipientsPage</name>
    <message>
        <source>Korean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>English</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not an e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is listed twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is already a recipient.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most %1 addresses can receive the reports.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a tenant first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes. Correct the marked address to save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. The next reports go to these addresses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody receives the reports yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time zone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily report &amp;time:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the time zone shown above.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only administrators of your organisation change who receives the reports.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click an address to change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report recipients</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::RestoreRequestForm</name>
    <message>
        <source>%1 (this server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a snapshot first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one file or folder to restore: tick it in the snapshot&apos;s files or in the search results.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The destination folder must be an absolute path starting with /, or empty to restore to the original location.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The destination folder must not contain &quot;..&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The phone number may contain only digits, spaces and + ( ) . / -.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The note may be at most %1 characters long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request submitted as ticket #%1; it has no due time yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request submitted as ticket #%1; due %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip them (keep the files on the server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overwrite them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep both (restore under a new name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request a restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request a restore from the snapshot of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore &amp;onto:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destination &amp;folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Existing files:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-&amp;mail:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: back to the original location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+82 10-1234-5678</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anything the operators should know (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operators handle restore requests on business days from 10:00 to 19:00 (Korean time); a request is due 3 business hours after it is submitted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Submit request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::RestoreTab</name>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file or folder of this snapshot has &quot;%1&quot; in its name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n match(es) shown; there may be more — search for a longer name.</source>
        <translation>
            <numerusform>%n match shown; there may be more — search for a longer name.</numerusform>
            <numerusform>%n matches shown; there may be more — search for a longer name.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n match(es). Tick one to restore it.</source>
        <translation>
            <numerusform>%n match. Tick it to restore it.</numerusform>
            <numerusform>%n matches. Tick one to restore it.</numerusform>
        </translation>
    </message>
    <message>
        <source>Tick the files and folders to restore.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) chosen to restore.</source>
        <translation>
            <numerusform>%n item chosen to restore.</numerusform>
            <numerusform>%n items chosen to restore.</numerusform>
        </translation>
    </message>
    <message>
        <source>Snapshots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No snapshots of this server yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search file names in this snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sea&amp;rch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request &amp;restore…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore requests for this server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::ServerPage</name>
    <message>
        <source>Server %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::ServerSummaryModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No runs yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host and OS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running job</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::SnapshotTreeModel</name>
    <message>
        <source>Loading more… (%1 of %2 shown)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modified</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::TenantsPage</name>
    <message>
        <source>not activated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the new tenant&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tenant named %1 exists already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant %1 created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings of %1 saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid until %1 (single use)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server certificate fingerprint: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Time zone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activated:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;ctivated (billing starts) at, UTC:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create &amp;new tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creates a tenant with this name, time zone and language (and its keys)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saves the time zone, language and activation date of the selected tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrollment code for the selected tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create &amp;enrollment code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. acme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenants and users</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::TicketHandlingView</name>
    <message>
        <source>Write the reason for the rejection first: the requester reads it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a note on how the ticket was completed first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (snapshot %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything in the snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>original locations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overwrite existing files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep both (restored copy renamed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip existing files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore job %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshot:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paths:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Existing files:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the ticket: it is assigned to you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the rejection (required, the requester reads it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore &amp;on:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the restore job to the chosen server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the ticket was completed (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This ticket is closed: nothing more to do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a ticket in the queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No due time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolution: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(requested: %1; changed by the operator)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::TicketListModel</name>
    <message>
        <source>No.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No due time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::TicketQueueModel</name>
    <message>
        <source>overdue by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due %1 (business hours 10:00–19:00, Asia/Seoul)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no due time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::TicketQueuePage</name>
    <message>
        <source>S&amp;how:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All open tickets</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n ticket(s) shown of %1 open</source>
        <translation>
            <numerusform>%n ticket shown of %1 open</numerusform>
            <numerusform>%n tickets shown of %1 open</numerusform>
        </translation>
    </message>
    <message>
        <source>Ticket queue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::TicketThread</name>
    <message>
        <source>A message can be at most %1 characters long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a message (Ctrl+Enter sends it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the message (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn (system)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No messages yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::TimeSeriesChart</name>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::console::UserAdminPanel</name>
    <message>
        <source>Operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the tenant the user belongs to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User %1 created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users (select a tenant)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New operator (belongs to no tenant)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New user of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Display name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;ole:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Con&amp;firm password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create &amp;operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create &amp;user</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
