// PricingPage: shows and sets the price list. GUI thread.
#include "operator/PricingPage.h"

#include "core/Format.h"
#include "widgets/MessageBanner.h"

#include <QComboBox>
#include <QFormLayout>
#include <QJsonObject>
#include <QLabel>
#include <QRegularExpression>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
// A form label without its mnemonic and colon: "기본 월정액(&B):" → "기본 월정액", "&Base fee:" → "Base fee".
QString plainLabel(QString text)
{
    text.remove(QRegularExpression(QStringLiteral("\\(&.\\)")));
    text.remove(QLatin1Char('&'));
    text.remove(QLatin1Char(':'));
    return text.trimmed();
}
} // namespace

namespace {
constexpr qint64 kBytesPerGb = 1000000000; // billing counts 1 GB = 10^9 bytes

int minorDigits(const QString &currency)
{
    return currency == QLatin1String("KRW") || currency == QLatin1String("JPY") ? 0 : 2;
}
} // namespace

PricingPage::PricingPage(ApiClient *api, QWidget *parent)
    : Page(api, parent),
      m_currency(new QComboBox(this)),
      m_baseFee(new QLineEdit(this)),
      m_includedServers(new QSpinBox(this)),
      m_includedGb(new QLineEdit(this)),
      m_extraServer(new QLineEdit(this)),
      m_extraGb(new QLineEdit(this)),
      m_save(new QPushButton(this)),
      m_effective(new QLabel(this)),
      m_changed(new QLabel(this))
{
    setObjectName(QStringLiteral("pricingPage"));
    m_currency->setObjectName(QStringLiteral("priceCurrency"));
    m_baseFee->setObjectName(QStringLiteral("priceBaseFee"));
    m_includedServers->setObjectName(QStringLiteral("priceIncludedServers"));
    m_includedGb->setObjectName(QStringLiteral("priceIncludedGb"));
    m_extraServer->setObjectName(QStringLiteral("priceExtraServer"));
    m_extraGb->setObjectName(QStringLiteral("priceExtraGb"));
    m_save->setObjectName(QStringLiteral("priceSave"));
    m_changed->setObjectName(QStringLiteral("priceChanged"));
    m_effective->setWordWrap(true);
    for (const char *c : {"KRW", "JPY", "USD", "EUR", "GBP", "CNY", "CHF", "CAD", "AUD", "SGD", "HKD", "TWD"})
        m_currency->addItem(QLatin1String(c));
    m_includedServers->setRange(0, 1000000);
    m_includedServers->setValue(2);
    m_includedGb->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("^[0-9]{1,9}$")), this));
    m_includedGb->setText(QStringLiteral("100"));

    auto *form = new QFormLayout;
    QWidget *fields[] = {m_currency, m_baseFee, m_includedServers, m_includedGb, m_extraServer, m_extraGb};
    for (int i = 0; i < 6; ++i) {
        m_caption[i] = new QLabel(this);
        m_caption[i]->setBuddy(fields[i]);
        form->addRow(m_caption[i], fields[i]);
    }
    form->addRow(QString(), m_save);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addLayout(form);
    layout->addWidget(m_effective);
    layout->addWidget(m_changed);
    layout->addStretch();

    connect(m_save, &QPushButton::clicked, this, &PricingPage::save);
    connect(m_currency, &QComboBox::currentTextChanged, this, [this] {
        updateValidators();
        m_edited = true;
    });
    for (QLineEdit *e : {m_baseFee, m_includedGb, m_extraServer, m_extraGb}) {
        connect(e, &QLineEdit::textEdited, this, [this] { m_edited = true; });
        connect(e, &QLineEdit::returnPressed, this, &PricingPage::save);
    }
    connect(m_includedServers, QOverload<int>::of(&QSpinBox::valueChanged), this, [this] { m_edited = true; });
    updateValidators();
    retranslateUi();
}

void PricingPage::updateValidators()
{
    const int digits = minorDigits(m_currency->currentText());
    const QString pattern
        = digits == 0 ? QStringLiteral("^[0-9]{1,15}$") : QStringLiteral("^[0-9]{1,13}(\\.[0-9]{0,%1})?$").arg(digits);
    for (QLineEdit *e : {m_baseFee, m_extraServer, m_extraGb})
        e->setValidator(new QRegularExpressionValidator(QRegularExpression(pattern), e));
}

void PricingPage::refresh()
{
    if (m_edited || !beginLoad()) // never overwrite what the operator is typing
        return;
    api()
        ->get(QStringLiteral("/operator/prices"), {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &body) {
                endLoad();
                if (!m_edited)
                    apply(body.toObject());
            },
            [this](const ApiError &e) {
                endLoad();
                showError(e);
            });
}

void PricingPage::apply(const QJsonObject &answer)
{
    const QJsonObject p = answer.value(QLatin1String("prices")).toObject();
    m_loaded = true;
    if (!p.isEmpty()) {
        const QSignalBlocker b1(m_currency), b2(m_includedServers);
        m_currency->setCurrentText(p.value(QLatin1String("currency")).toString());
        updateValidators();
        m_baseFee->setText(p.value(QLatin1String("baseFeePerMonth")).toString());
        m_extraServer->setText(p.value(QLatin1String("extraServerPerMonth")).toString());
        m_extraGb->setText(p.value(QLatin1String("extraGbPerMonth")).toString());
        m_includedServers->setValue(p.value(QLatin1String("includedServers")).toInt());
        m_includedGb->setText(QString::number(p.value(QLatin1String("includedBytes")).toInteger() / kBytesPerGb));
    }
    const QString by = answer.value(QLatin1String("changed_by")).toString();
    m_changed->setText(p.isEmpty()
            ? tr("No prices are set yet: no statements can be computed until they are.")
            : tr("Last changed %1 by %2")
                  .arg(format::dateTimeIso(answer.value(QLatin1String("changed_at")).toString()), by));
    m_edited = false;
}

bool PricingPage::save()
{
    QLineEdit *money[] = {m_baseFee, m_extraServer, m_extraGb};
    for (QLineEdit *e : money) {
        QString text = e->text().trimmed();
        int pos = 0;
        if (text.isEmpty() || e->validator()->validate(text, pos) != QValidator::Acceptable
            || text.endsWith(QLatin1Char('.'))) {
            const int digits = minorDigits(m_currency->currentText());
            const QString what = plainLabel(static_cast<QLabel *>(m_caption[e == m_baseFee ? 1 : e == m_extraServer ? 4 : 5])->text());
            banner()->showError(digits == 0
                    ? tr("%1 must be a whole amount in %2.").arg(what, m_currency->currentText())
                    : tr("%1 must be an amount in %2 with at most %n decimal place(s).", nullptr, digits)
                          .arg(what, m_currency->currentText()));
            e->setFocus();
            return false;
        }
    }
    if (m_includedGb->text().isEmpty()) {
        banner()->showError(tr("Enter the included storage in GB (0 or more)."));
        m_includedGb->setFocus();
        return false;
    }
    const QJsonObject body {{QStringLiteral("currency"), m_currency->currentText()},
        {QStringLiteral("baseFeePerMonth"), m_baseFee->text().trimmed()},
        {QStringLiteral("extraServerPerMonth"), m_extraServer->text().trimmed()},
        {QStringLiteral("extraGbPerMonth"), m_extraGb->text().trimmed()},
        {QStringLiteral("includedServers"), m_includedServers->value()},
        {QStringLiteral("includedBytes"), m_includedGb->text().toLongLong() * kBytesPerGb}};
    m_save->setEnabled(false);
    api()
        ->put(QStringLiteral("/operator/prices"), body, {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_save->setEnabled(true);
                m_edited = false;
                apply(answer.toObject());
                showInfo(tr("Prices saved. They apply to statements computed from now on; statements already kept do "
                            "not change."));
            },
            [this](const ApiError &e) {
                m_save->setEnabled(true);
                showError(e);
            });
    return true;
}

void PricingPage::retranslateUi()
{
    const char *captions[] = {QT_TR_NOOP("&Currency:"), QT_TR_NOOP("&Base fee per month:"),
        QT_TR_NOOP("&Included servers:"), QT_TR_NOOP("Included &storage (GB):"), QT_TR_NOOP("Per extra ser&ver-month:"),
        QT_TR_NOOP("Per extra &GB-month:")};
    for (int i = 0; i < 6; ++i)
        m_caption[i]->setText(tr(captions[i]));
    m_save->setText(tr("&Save prices"));
    m_effective->setText(tr("New prices apply to statements computed after the change: the estimate of the current "
                            "month and months not yet kept. Statements already kept for finished months never change. "
                            "1 GB is 10^9 bytes."));
    m_baseFee->setPlaceholderText(tr("e.g. 50000"));
}

QString PricingPage::title() const
{
    return tr("Pricing");
}

} // namespace cairn::console
