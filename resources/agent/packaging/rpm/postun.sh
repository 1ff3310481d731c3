# %postun of the cairn-agent RPM ($1: 0 on erase, 1 or more on upgrade). /var/lib/cairn is kept
# on erase: it holds the enrollment credentials and index cache (remove it by hand).
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl daemon-reload >/dev/null 2>&1 || :
    if [ "$1" -ge 1 ]; then
        systemctl try-restart cairn-agent.service >/dev/null 2>&1 || :
    fi
fi
exit 0
