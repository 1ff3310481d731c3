// PricingPage: the operators' price list (GET/PUT /operator/prices): currency, base monthly fee,
// included servers and storage, price per extra server-month and per extra GB-month, checked
// before sending. Prices apply to statements computed after the change; kept statements of
// finished months never change. GUI thread.
#pragma once

#include "shell/Page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace cairn::console {

class PricingPage : public Page {
    Q_OBJECT
public:
    explicit PricingPage(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
    void refresh() override;
    bool save(); // false if a field is not valid (the banner says which)

private:
    void apply(const QJsonObject &answer);
    void updateValidators();
    bool m_loaded = false; // the form shows the server's prices (refreshes do not overwrite edits)
    bool m_edited = false;
    QLabel *m_caption[6];
    QComboBox *m_currency;
    QLineEdit *m_baseFee;
    QSpinBox *m_includedServers;
    QLineEdit *m_includedGb;
    QLineEdit *m_extraServer;
    QLineEdit *m_extraGb;
    QPushButton *m_save;
    QLabel *m_effective;
    QLabel *m_changed;
};

} // namespace cairn::console
