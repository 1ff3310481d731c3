// PolicyForm implementation: the fields, their layout and the checks. GUI thread.
#include "user/PolicyForm.h"

#include "core/Format.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
constexpr int kMaxPaths = 100;
constexpr int kMaxCommandBytes = 4000;
constexpr int kMinBandwidth = 128, kMaxBandwidth = 10'000'000;
constexpr int kRetention[] = {7, 14, 21, 30};

void selectData(QComboBox *combo, const QVariant &value)
{
    const int i = combo->findData(value);
    if (i >= 0)
        combo->setCurrentIndex(i);
}
} // namespace

PolicyForm::PolicyForm(QWidget *parent)
    : QWidget(parent),
      m_paths(new QListWidget(this)),
      m_pathInput(new QLineEdit(this)),
      m_addPath(new QPushButton(this)),
      m_removePath(new QPushButton(this)),
      m_excludes(new QPlainTextEdit(this)),
      m_oneFileSystem(new QCheckBox(this)),
      m_interval(new QComboBox(this)),
      m_weekday(new QComboBox(this)),
      m_hour(new QComboBox(this)),
      m_retention(new QComboBox(this)),
      m_preCommand(new QPlainTextEdit(this)),
      m_postCommand(new QPlainTextEdit(this)),
      m_timeout(new QSpinBox(this)),
      m_onPreFailure(new QComboBox(this)),
      m_bandwidth(new QSpinBox(this)),
      m_rootWarning(new QLabel(this)),
      m_pathInputLabel(new QLabel(this))
{
    m_paths->setObjectName(QStringLiteral("policyPaths"));
    m_pathInput->setObjectName(QStringLiteral("policyPathInput"));
    m_addPath->setObjectName(QStringLiteral("policyAddPath"));
    m_removePath->setObjectName(QStringLiteral("policyRemovePath"));
    m_excludes->setObjectName(QStringLiteral("policyExcludes"));
    m_oneFileSystem->setObjectName(QStringLiteral("policyOneFileSystem"));
    m_interval->setObjectName(QStringLiteral("policyInterval"));
    m_weekday->setObjectName(QStringLiteral("policyWeekday"));
    m_hour->setObjectName(QStringLiteral("policyHour"));
    m_retention->setObjectName(QStringLiteral("policyRetention"));
    m_preCommand->setObjectName(QStringLiteral("policyPreCommand"));
    m_postCommand->setObjectName(QStringLiteral("policyPostCommand"));
    m_timeout->setObjectName(QStringLiteral("policyCommandTimeout"));
    m_onPreFailure->setObjectName(QStringLiteral("policyOnPreFailure"));
    m_bandwidth->setObjectName(QStringLiteral("policyBandwidth"));
    m_rootWarning->setObjectName(QStringLiteral("policyRootWarning"));

    m_paths->setMaximumHeight(120);
    m_excludes->setMaximumHeight(70);
    m_excludes->setTabChangesFocus(true);
    for (QPlainTextEdit *e : {m_preCommand, m_postCommand}) {
        e->setMaximumHeight(70);
        e->setTabChangesFocus(true);
        e->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    m_timeout->setRange(1, 86400);
    m_bandwidth->setRange(0, kMaxBandwidth);
    m_bandwidth->setSingleStep(128);
    m_bandwidth->setGroupSeparatorShown(true);
    m_rootWarning->setWordWrap(true);
    m_rootWarning->setStyleSheet(QStringLiteral("color: #b26b00;"));
    for (int h = 0; h < 24; ++h)
        m_hour->addItem(QStringLiteral("%1:00").arg(h, 2, 10, QLatin1Char('0')), h);
    fillCombos();

    const QStringList fields {QStringLiteral("paths"), QStringLiteral("excludes"), QStringLiteral("one_file_system"),
        QStringLiteral("interval_days"), QStringLiteral("weekday"), QStringLiteral("hour"),
        QStringLiteral("retention_days"), QStringLiteral("pre_command"), QStringLiteral("post_command"),
        QStringLiteral("command_timeout_seconds"), QStringLiteral("on_pre_command_failure"),
        QStringLiteral("bandwidth_limit_kib")};
    for (const QString &f : fields) {
        auto *caption = new QLabel(this);
        m_labels.insert(f, caption);
    }
    errorLabel(QStringLiteral("paths"), "policyPathsError");
    errorLabel(QStringLiteral("excludes"), "policyExcludesError");
    errorLabel(QStringLiteral("one_file_system"), "policyOneFileSystemError");
    errorLabel(QStringLiteral("interval_days"), "policyIntervalError");
    errorLabel(QStringLiteral("weekday"), "policyWeekdayError");
    errorLabel(QStringLiteral("hour"), "policyHourError");
    errorLabel(QStringLiteral("retention_days"), "policyRetentionError");
    errorLabel(QStringLiteral("pre_command"), "policyPreCommandError");
    errorLabel(QStringLiteral("post_command"), "policyPostCommandError");
    errorLabel(QStringLiteral("command_timeout_seconds"), "policyCommandTimeoutError");
    errorLabel(QStringLiteral("on_pre_command_failure"), "policyOnPreFailureError");
    errorLabel(QStringLiteral("bandwidth_limit_kib"), "policyBandwidthError");

    auto *pathButtons = new QHBoxLayout;
    pathButtons->addWidget(m_pathInputLabel);
    pathButtons->addWidget(m_pathInput, 1);
    pathButtons->addWidget(m_addPath);
    pathButtons->addWidget(m_removePath);
    auto *pathBox = new QVBoxLayout;
    pathBox->addWidget(m_paths);
    pathBox->addLayout(pathButtons);
    pathBox->addWidget(m_errors[QStringLiteral("paths")]);

    auto *form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    const auto row = [&](const QString &field, QWidget *w) {
        auto *box = new QVBoxLayout;
        box->setSpacing(2);
        box->addWidget(w);
        box->addWidget(m_errors[field]);
        m_labels[field]->setBuddy(w);
        form->addRow(m_labels[field], box);
    };
    m_labels[QStringLiteral("paths")]->setBuddy(m_paths);
    form->addRow(m_labels[QStringLiteral("paths")], pathBox);
    row(QStringLiteral("excludes"), m_excludes);
    row(QStringLiteral("one_file_system"), m_oneFileSystem);
    row(QStringLiteral("interval_days"), m_interval);
    row(QStringLiteral("weekday"), m_weekday);
    row(QStringLiteral("hour"), m_hour);
    row(QStringLiteral("retention_days"), m_retention);
    form->addRow(m_rootWarning);
    row(QStringLiteral("pre_command"), m_preCommand);
    row(QStringLiteral("post_command"), m_postCommand);
    row(QStringLiteral("command_timeout_seconds"), m_timeout);
    row(QStringLiteral("on_pre_command_failure"), m_onPreFailure);
    row(QStringLiteral("bandwidth_limit_kib"), m_bandwidth);

    connect(m_addPath, &QPushButton::clicked, this, &PolicyForm::addPath);
    connect(m_pathInput, &QLineEdit::returnPressed, this, &PolicyForm::addPath);
    connect(m_pathInput, &QLineEdit::textChanged, this, &PolicyForm::validate);
    connect(m_removePath, &QPushButton::clicked, this, &PolicyForm::removePath);
    connect(m_paths, &QListWidget::itemChanged, this, &PolicyForm::onEdited);
    connect(m_paths, &QListWidget::currentRowChanged, this,
        [this](int r) { m_removePath->setEnabled(!m_readOnly && r >= 0); });
    for (QPlainTextEdit *e : {m_excludes, m_preCommand, m_postCommand})
        connect(e, &QPlainTextEdit::textChanged, this, &PolicyForm::onEdited);
    connect(m_oneFileSystem, &QCheckBox::toggled, this, &PolicyForm::onEdited);
    for (QComboBox *c : {m_interval, m_weekday, m_hour, m_retention, m_onPreFailure})
        connect(c, &QComboBox::currentIndexChanged, this, &PolicyForm::onEdited);
    for (QSpinBox *s : {m_timeout, m_bandwidth})
        connect(s, &QSpinBox::valueChanged, this, &PolicyForm::onEdited);

    setTabOrder(m_paths, m_pathInput);
    setTabOrder(m_pathInput, m_addPath);
    setTabOrder(m_addPath, m_removePath);
    setTabOrder(m_removePath, m_excludes);
    setTabOrder(m_excludes, m_oneFileSystem);
    setTabOrder(m_oneFileSystem, m_interval);
    setTabOrder(m_interval, m_weekday);
    setTabOrder(m_weekday, m_hour);
    setTabOrder(m_hour, m_retention);
    setTabOrder(m_retention, m_preCommand);
    setTabOrder(m_preCommand, m_postCommand);
    setTabOrder(m_postCommand, m_timeout);
    setTabOrder(m_timeout, m_onPreFailure);
    setTabOrder(m_onPreFailure, m_bandwidth);

    retranslateUi();
    setDefaults();
}

QLabel *PolicyForm::errorLabel(const QString &field, const char *objectName)
{
    auto *l = new QLabel(this);
    l->setObjectName(QLatin1String(objectName));
    l->setWordWrap(true);
    l->setStyleSheet(QStringLiteral("color: #c62828;"));
    l->hide();
    m_errors.insert(field, l);
    return l;
}

void PolicyForm::fillCombos()
{
    const QVariant interval = m_interval->currentData(), weekday = m_weekday->currentData(),
                   retention = m_retention->currentData(), onFailure = m_onPreFailure->currentData();
    const bool was = m_filling;
    m_filling = true;
    m_interval->clear();
    m_interval->addItem(tr("Every day"), 1);
    m_interval->addItem(tr("Every week"), 7);
    m_weekday->clear();
    for (int d = 1; d <= 7; ++d)
        m_weekday->addItem(format::weekday(d), d);
    m_retention->clear();
    for (int days : kRetention)
        m_retention->addItem(tr("%n days", nullptr, days), days);
    m_onPreFailure->clear();
    m_onPreFailure->addItem(tr("Fail the backup"), QStringLiteral("fail"));
    m_onPreFailure->addItem(tr("Back up anyway"), QStringLiteral("continue"));
    selectData(m_interval, interval.isValid() ? interval : QVariant(1));
    selectData(m_weekday, weekday.isValid() ? weekday : QVariant(1));
    selectData(m_retention, retention.isValid() ? retention : QVariant(30));
    selectData(m_onPreFailure, onFailure.isValid() ? onFailure : QVariant(QStringLiteral("fail")));
    m_filling = was;
}

void PolicyForm::setDefaults()
{
    setPolicy(QJsonObject {{QStringLiteral("paths"), QJsonArray()}, {QStringLiteral("interval_days"), 1},
        {QStringLiteral("weekday"), 1}, {QStringLiteral("hour"), 2}, {QStringLiteral("retention_days"), 30}});
}

void PolicyForm::setPolicy(const QJsonObject &p)
{
    m_filling = true;
    m_paths->clear();
    for (const QJsonValue &v : p.value(QLatin1String("paths")).toArray()) {
        auto *item = new QListWidgetItem(v.toString(), m_paths);
        item->setFlags(item->flags() | (m_readOnly ? Qt::NoItemFlags : Qt::ItemIsEditable));
    }
    QStringList excludes;
    for (const QJsonValue &v : p.value(QLatin1String("excludes")).toArray())
        excludes << v.toString();
    m_excludes->setPlainText(excludes.join(QLatin1Char('\n')));
    m_oneFileSystem->setChecked(p.value(QLatin1String("one_file_system")).toBool(true));
    selectData(m_interval, p.value(QLatin1String("interval_days")).toInt(1));
    selectData(m_weekday, p.value(QLatin1String("weekday")).toInt(1));
    selectData(m_hour, p.value(QLatin1String("hour")).toInt(2));
    selectData(m_retention, p.value(QLatin1String("retention_days")).toInt(30));
    m_preCommand->setPlainText(p.value(QLatin1String("pre_command")).toString());
    m_postCommand->setPlainText(p.value(QLatin1String("post_command")).toString());
    m_timeout->setValue(p.value(QLatin1String("command_timeout_seconds")).toInt(3600));
    selectData(m_onPreFailure, p.value(QLatin1String("on_pre_command_failure")).toString(QStringLiteral("fail")));
    m_bandwidth->setValue(p.value(QLatin1String("bandwidth_limit_kib")).toInt(0));
    m_pathInput->clear();
    m_filling = false;
    for (QLabel *l : std::as_const(m_errors))
        l->hide();
    validate();
}

QJsonObject PolicyForm::policy() const
{
    QJsonArray paths;
    for (int i = 0; i < m_paths->count(); ++i)
        paths.append(m_paths->item(i)->text().trimmed());
    QJsonArray excludes;
    for (const QString &line : m_excludes->toPlainText().split(QLatin1Char('\n'))) {
        if (!line.trimmed().isEmpty())
            excludes.append(line.trimmed());
    }
    const int interval = m_interval->currentData().toInt();
    return QJsonObject {{QStringLiteral("paths"), paths}, {QStringLiteral("excludes"), excludes},
        {QStringLiteral("one_file_system"), m_oneFileSystem->isChecked()}, {QStringLiteral("interval_days"), interval},
        {QStringLiteral("weekday"), m_weekday->currentData().toInt()},
        {QStringLiteral("hour"), m_hour->currentData().toInt()},
        {QStringLiteral("retention_days"), m_retention->currentData().toInt()},
        {QStringLiteral("pre_command"), m_preCommand->toPlainText()},
        {QStringLiteral("post_command"), m_postCommand->toPlainText()},
        {QStringLiteral("command_timeout_seconds"), m_timeout->value()},
        {QStringLiteral("on_pre_command_failure"), m_onPreFailure->currentData().toString()},
        {QStringLiteral("bandwidth_limit_kib"), m_bandwidth->value()}};
}

void PolicyForm::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    for (QWidget *w : std::initializer_list<QWidget *> {m_pathInput, m_addPath, m_oneFileSystem, m_interval, m_hour,
             m_retention, m_timeout, m_onPreFailure, m_bandwidth})
        w->setEnabled(!readOnly);
    m_weekday->setEnabled(!readOnly && m_interval->currentData().toInt() == 7);
    m_removePath->setEnabled(!readOnly && m_paths->currentRow() >= 0);
    for (QPlainTextEdit *e : {m_excludes, m_preCommand, m_postCommand})
        e->setReadOnly(readOnly);
    m_filling = true;
    for (int i = 0; i < m_paths->count(); ++i) {
        QListWidgetItem *item = m_paths->item(i);
        item->setFlags(readOnly ? item->flags() & ~Qt::ItemIsEditable : item->flags() | Qt::ItemIsEditable);
    }
    m_filling = false;
}

void PolicyForm::addPath()
{
    if (m_readOnly)
        return;
    const QString path = m_pathInput->text().trimmed();
    if (path.isEmpty() || !path.startsWith(QLatin1Char('/')) || m_paths->count() >= kMaxPaths) {
        validate(); // says why
        return;
    }
    auto *item = new QListWidgetItem(path);
    item->setFlags(item->flags() | Qt::ItemIsEditable);
    m_filling = true;
    m_paths->addItem(item);
    m_filling = false;
    m_pathInput->clear();
    onEdited();
}

void PolicyForm::removePath()
{
    if (m_readOnly)
        return;
    delete m_paths->takeItem(m_paths->currentRow());
    onEdited();
}

void PolicyForm::onEdited()
{
    if (m_filling)
        return;
    m_weekday->setEnabled(!m_readOnly && m_interval->currentData().toInt() == 7);
    validate();
    emit edited();
}

void PolicyForm::validate()
{
    QHash<QString, QString> problems;
    const QString typed = m_pathInput->text().trimmed();
    QStringList paths;
    for (int i = 0; i < m_paths->count(); ++i)
        paths << m_paths->item(i)->text().trimmed();
    for (const QString &p : std::as_const(paths)) {
        if (!p.startsWith(QLatin1Char('/'))) {
            problems.insert(QStringLiteral("paths"), tr("“%1” is not an absolute path: it must start with /.").arg(p));
            break;
        }
    }
    if (!typed.isEmpty() && !typed.startsWith(QLatin1Char('/')))
        problems.insert(QStringLiteral("paths"), tr("“%1” is not an absolute path: it must start with /.").arg(typed));
    else if (paths.size() > kMaxPaths || (paths.size() == kMaxPaths && !typed.isEmpty()))
        problems.insert(QStringLiteral("paths"), tr("A policy can back up at most %1 paths.").arg(kMaxPaths));
    else if (paths.isEmpty() && !problems.contains(QStringLiteral("paths")))
        problems.insert(QStringLiteral("paths"), tr("Add at least one folder to back up."));
    if (paths.contains(QString()))
        problems.insert(QStringLiteral("paths"), tr("A path cannot be empty."));

    const auto checkCommand = [&](const QString &field, QPlainTextEdit *edit) {
        const QString text = edit->toPlainText();
        const qsizetype size = text.toUtf8().size();
        if (size > kMaxCommandBytes)
            problems.insert(field,
                tr("The command is %1 bytes long; at most %2 bytes are allowed.")
                    .arg(format::number(size), format::number(kMaxCommandBytes)));
        else if (text.contains(QChar(0)))
            problems.insert(field, tr("The command cannot contain a NUL character."));
    };
    checkCommand(QStringLiteral("pre_command"), m_preCommand);
    checkCommand(QStringLiteral("post_command"), m_postCommand);
    const int bandwidth = m_bandwidth->value();
    if (bandwidth != 0 && (bandwidth < kMinBandwidth || bandwidth > kMaxBandwidth))
        problems.insert(QStringLiteral("bandwidth_limit_kib"),
            tr("The limit must be 0 (unlimited) or between %1 and %2 KiB/s.")
                .arg(format::number(kMinBandwidth), format::number(kMaxBandwidth)));

    for (auto it = m_errors.begin(); it != m_errors.end(); ++it) {
        const QString text = problems.value(it.key());
        it.value()->setText(text);
        it.value()->setVisible(!text.isEmpty());
    }
    const bool valid = problems.isEmpty();
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}

bool PolicyForm::showServerError(const QString &field, const QString &sentence)
{
    QString key = field;
    const qsizetype cut = key.indexOf(QRegularExpression(QStringLiteral("[\\[.]")));
    if (cut > 0)
        key.truncate(cut);
    QLabel *l = m_errors.value(key);
    if (!l)
        return false;
    l->setText(sentence);
    l->show();
    return true;
}

void PolicyForm::retranslateUi()
{
    m_labels[QStringLiteral("paths")]->setText(tr("&Paths to back up:"));
    m_labels[QStringLiteral("excludes")]->setText(tr("E&xclude (one pattern a line):"));
    m_labels[QStringLiteral("one_file_system")]->setText(tr("File systems:"));
    m_labels[QStringLiteral("interval_days")]->setText(tr("&Interval:"));
    m_labels[QStringLiteral("weekday")]->setText(tr("&Weekday:"));
    m_labels[QStringLiteral("hour")]->setText(tr("Start &time:"));
    m_labels[QStringLiteral("retention_days")]->setText(tr("&Keep backups for:"));
    m_labels[QStringLiteral("pre_command")]->setText(tr("Command &before the backup:"));
    m_labels[QStringLiteral("post_command")]->setText(tr("Command &after the backup:"));
    m_labels[QStringLiteral("command_timeout_seconds")]->setText(tr("Command time &limit (seconds):"));
    m_labels[QStringLiteral("on_pre_command_failure")]->setText(tr("If the command before &fails:"));
    m_labels[QStringLiteral("bandwidth_limit_kib")]->setText(tr("&Upload limit (KiB/s):"));
    m_pathInputLabel->setText(tr("&New path:"));
    m_pathInputLabel->setBuddy(m_pathInput);
    m_pathInput->setPlaceholderText(tr("/var/www"));
    m_addPath->setText(tr("A&dd"));
    m_removePath->setText(tr("&Remove"));
    m_paths->setToolTip(tr("Absolute paths on the server. Double-click a path to change it."));
    m_excludes->setPlaceholderText(tr("*.tmp"));
    m_oneFileSystem->setText(tr("Stay on the file system of each path (do not cross mount points)"));
    m_hour->setToolTip(tr("In the tenant's time zone. The actual start may be up to an hour later."));
    m_rootWarning->setText(
        tr("The commands run as root on the server before and after each backup. Only enter commands you trust."));
    m_preCommand->setPlaceholderText(tr("For example: pg_dump -Fc app > /var/backups/app.pgdump"));
    m_postCommand->setPlaceholderText(tr("For example: rm -f /var/backups/app.pgdump"));
    m_bandwidth->setSpecialValueText(tr("Unlimited"));
    m_bandwidth->setSuffix(QString());
    fillCombos();
    validate();
}

void PolicyForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

} // namespace cairn::console
