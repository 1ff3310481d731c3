# %post of the cairn-agent RPM ($1: 1 on install, 2 or more on upgrade): creates the state folder
# and tells systemd about the unit. It never enables or starts the service: the machine must be
# enrolled first (see the message below). A running agent is restarted by %postun on upgrade.
if [ ! -d /var/lib/cairn ]; then
    install -d -m 0700 -o root -g root /var/lib/cairn
fi
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl daemon-reload >/dev/null 2>&1 || :
fi
if [ "$1" = 1 ]; then
    cat <<'MSG'
cairn-agent is installed but not started. Enroll this machine with the Cairn server, then
start the service:
    /usr/local/cairn/bin/cairn-agent enroll https://SERVER:8443 --code CODE --fingerprint FP
    systemctl enable --now cairn-agent
Settings: /etc/cairn/agent.conf
MSG
fi
exit 0
