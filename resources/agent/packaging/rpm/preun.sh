# %preun of the cairn-agent RPM ($1: 0 on erase, 1 or more on upgrade): on erase, stops and
# disables the service.
if [ "$1" = 0 ]; then
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        systemctl stop cairn-agent.service >/dev/null 2>&1 || :
    fi
    if command -v systemctl >/dev/null 2>&1; then
        systemctl disable cairn-agent.service >/dev/null 2>&1 || :
    fi
fi
exit 0
