#!/bin/bash
# TestPackaging: builds the cairn-agent .deb and .rpm with cpack from this build tree (into a
# temporary folder, so the tree stays clean) and checks what they contain: the exact layout with
# owners and modes, the conffile, the maintainer scripts (run against a stand-in systemctl: they
# never enable or start the service), the dependencies, that the packaged program runs, that
# the unit passes `systemd-analyze verify` (and that broken copies of it do not, so the check is
# real) and that a plain `cmake --install` gives the documented layout without overwriting an
# existing agent.conf. No network. Run by CTest (tests/integration/packaging.cmake):
#   TestPackaging.sh BUILD_DIR CPACK CMAKE AGENT_BINARY
set -euo pipefail

BUILD=$1
CPACK=$2
CMAKE=$3
AGENT=$4

checks=0
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
pass() {
    checks=$((checks + 1))
    echo "PASS: $*"
}
# expect_same WHAT EXPECTED ACTUAL
expect_same() {
    if [ "$2" != "$3" ]; then
        diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") >&2 || true
        fail "$1 (lines with < expected, > found)"
    fi
    pass "$1"
}

for tool in dpkg-deb dpkg-shlibdeps rpmbuild rpm systemd-analyze file sha256sum; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs it)"
done
[ -x "$AGENT" ] || fail "$AGENT is not built"

WORK=$(mktemp -d /tmp/cairn-packaging.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# --- Build both packages ------------------------------------------------------------------------
started=$(date +%s)
if ! "$CPACK" --config "$BUILD/CPackConfig.cmake" -B "$WORK/out" -G "DEB;RPM" >"$WORK/cpack.log" 2>&1; then
    cat "$WORK/cpack.log" >&2
    fail "cpack"
fi
echo "cpack took $(($(date +%s) - started)) s"
DEB=$(find "$WORK/out" -maxdepth 1 -name 'cairn-agent_*.deb')
RPM=$(find "$WORK/out" -maxdepth 1 -name 'cairn-agent-*.rpm')
for package in "$DEB" "$RPM"; do
    if [ ! -f "$package" ] || [ "$(printf '%s\n' "$package" | wc -l)" != 1 ]; then
        fail "expected one cairn-agent .deb and one .rpm, found: $(ls "$WORK/out")"
    fi
done
[ "$(find "$WORK/out" -maxdepth 1 \( -name '*.deb' -o -name '*.rpm' \) | wc -l)" = 2 ] ||
    fail "cpack made other packages: $(ls "$WORK/out")"
pass "cpack made $(basename "$DEB") and $(basename "$RPM")"

# --- .deb: layout, control data ---------------------------------------------------------------------
expect_same ".deb layout (modes, owners, paths)" \
"drwxr-xr-x root/root ./etc/
drwxr-xr-x root/root ./etc/cairn/
-rw-r--r-- root/root ./etc/cairn/agent.conf
drwxr-xr-x root/root ./lib/
drwxr-xr-x root/root ./lib/systemd/
drwxr-xr-x root/root ./lib/systemd/system/
-rw-r--r-- root/root ./lib/systemd/system/cairn-agent.service
drwxr-xr-x root/root ./usr/
drwxr-xr-x root/root ./usr/local/
drwxr-xr-x root/root ./usr/local/cairn/
drwxr-xr-x root/root ./usr/local/cairn/bin/
-rwxr-xr-x root/root ./usr/local/cairn/bin/cairn-agent
drwxr-xr-x root/root ./usr/local/cairn/share/
drwxr-xr-x root/root ./usr/local/cairn/share/doc/
drwxr-xr-x root/root ./usr/local/cairn/share/doc/cairn-agent/
-rw-r--r-- root/root ./usr/local/cairn/share/doc/cairn-agent/README.md" \
    "$(dpkg-deb -c "$DEB" | awk '{print $1, $2, $6}' | LC_ALL=C sort -k3)"

expect_same ".deb package name" "cairn-agent" "$(dpkg-deb -f "$DEB" Package)"
depends=$(dpkg-deb -f "$DEB" Depends)
for dep in libc6 libqt6core6 libssl3 libzstd1 libsqlite3-0; do
    [[ ", $depends," == *", $dep "* || ", $depends," == *", $dep,"* ]] || fail ".deb Depends lacks $dep: $depends"
done
pass ".deb Depends (from dpkg-shlibdeps): $depends"

mkdir -p "$WORK/control"
dpkg-deb --ctrl-tarfile "$DEB" | tar -x -C "$WORK/control"
expect_same ".deb conffiles" "/etc/cairn/agent.conf" "$(cat "$WORK/control/conffiles")"
expect_same ".deb maintainer scripts are executable" \
"-rwxr-xr-x ./postinst
-rwxr-xr-x ./postrm
-rwxr-xr-x ./prerm" \
    "$(dpkg-deb --ctrl-tarfile "$DEB" | tar -tv | awk '$6 ~ /^\.\/(post|pre)/ {print $1, $6}' | LC_ALL=C sort -k2)"

# --- Maintainer scripts, run against stand-in systemctl and install commands ------------------------
# (Where systemd is running they also call daemon-reload, stop or try-restart; never enable/start.)
mkdir -p "$WORK/stubs"
for stub in systemctl install; do
    printf '#!/bin/sh\necho "%s $*" >>"%s/calls.log"\n' "$stub" "$WORK" >"$WORK/stubs/$stub"
    chmod 755 "$WORK/stubs/$stub"
done
# run_script SCRIPT ARGS... → its output; the calls it made are in $WORK/calls.log
run_script() {
    : >"$WORK/calls.log"
    PATH="$WORK/stubs:$PATH" sh "$@" 2>&1 || fail "$* exited with $?"
}
expect_no_enable() {
    if awk '$1 == "systemctl" { for (i = 2; i <= NF; i++) if ($i ~ /^(enable|reenable|start|restart|preset)$/) bad = 1 }
            END { exit !bad }' "$WORK/calls.log"; then
        fail "$1 enabled or started the service: $(cat "$WORK/calls.log")"
    fi
}

out=$(run_script "$WORK/control/postinst" configure)
expect_no_enable "postinst configure"
[[ "$out" == *"cairn-agent enroll"* && "$out" == *"systemctl enable --now cairn-agent"* ]] ||
    fail "postinst (first install) does not explain the next steps: $out"
if [ ! -d /var/lib/cairn ]; then
    grep -qx 'install -d -m 0700 -o root -g root /var/lib/cairn' "$WORK/calls.log" ||
        fail "postinst does not create /var/lib/cairn 0700: $(cat "$WORK/calls.log")"
fi
pass "postinst configure: state folder, hint, no enable/start"
out=$(run_script "$WORK/control/postinst" configure 0.0.9)
expect_no_enable "postinst configure (upgrade)"
[ -z "$out" ] || fail "postinst on upgrade repeats the first-install hint: $out"
pass "postinst configure OLD-VERSION: quiet, no enable/start"
run_script "$WORK/control/prerm" remove >/dev/null
grep -qx 'systemctl disable cairn-agent.service' "$WORK/calls.log" || fail "prerm remove does not disable the service"
pass "prerm remove disables the service"
run_script "$WORK/control/prerm" upgrade 0.2.0 >/dev/null
[ ! -s "$WORK/calls.log" ] || fail "prerm upgrade touches the service: $(cat "$WORK/calls.log")"
pass "prerm upgrade leaves the service alone"

# --- Files in the .deb ----------------------------------------------------------------------------
ROOT="$WORK/root"
dpkg-deb -x "$DEB" "$ROOT"
file -b "$ROOT/usr/local/cairn/bin/cairn-agent" | grep -q '^ELF 64-bit .* executable' ||
    fail "packaged cairn-agent is not an ELF executable: $(file -b "$ROOT/usr/local/cairn/bin/cairn-agent")"
version=$("$ROOT/usr/local/cairn/bin/cairn-agent" --version) || fail "packaged cairn-agent --version failed"
[[ "$version" == "cairn-agent "* ]] || fail "packaged cairn-agent --version printed: $version"
pass "packaged program runs: $version"

UNIT="$ROOT/lib/systemd/system/cairn-agent.service"
for line in 'Type=notify' 'ExecStart=/usr/local/cairn/bin/cairn-agent run --config /etc/cairn/agent.conf' \
    'Restart=on-failure' 'RestartSec=10s' 'KillMode=mixed' 'TimeoutStopSec=60' 'Nice=10' \
    'IOSchedulingClass=idle' 'LimitCORE=0' 'UMask=0077' 'StateDirectory=cairn' 'StateDirectoryMode=0700' \
    'ProtectKernelLogs=yes' 'ProtectControlGroups=yes' 'ProtectHostname=yes' 'RestrictRealtime=yes' \
    'LockPersonality=yes' 'SystemCallArchitectures=native' 'SystemCallFilter=~@module @clock' \
    'SystemCallErrorNumber=EPERM' 'CapabilityBoundingSet=~CAP_SYS_MODULE CAP_SYS_TIME CAP_WAKE_ALARM' \
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK' 'WantedBy=multi-user.target'; do
    grep -qxF "$line" "$UNIT" || fail "unit lacks: $line"
done
# Settings that would stop backups from reading, or restores from writing, everything.
for key in ProtectSystem ProtectHome PrivateTmp NoNewPrivileges RestrictSUIDSGID ProtectKernelModules \
    ProtectClock ProtectKernelTunables PrivateDevices DevicePolicy DeviceAllow ReadOnlyPaths \
    InaccessiblePaths User DynamicUser; do
    if grep -q "^$key=" "$UNIT"; then fail "unit sets $key="; fi
done
pass "unit: service settings and hardening as documented"

CONF="$ROOT/etc/cairn/agent.conf"
if [ "$(grep '^\[' "$CONF")" != "$(printf '[agent]\n[log]')" ]; then
    fail "agent.conf sections are not [agent] and [log]"
fi
for line in 'state_dir=/var/lib/cairn' 'poll_seconds=10' 'low_priority=true' 'allow_commands=true'; do
    sed -n '/^\[agent\]/,/^\[/p' "$CONF" | grep -qxF "$line" || fail "agent.conf [agent] lacks $line"
done
sed -n '/^\[log\]/,$p' "$CONF" | grep -qx 'level=info' || fail "agent.conf [log] lacks level=info"
pass "agent.conf: documented keys and defaults"

# --- systemd-analyze verify -----------------------------------------------------------------------
# Against the package's own files (the ExecStart binary must exist) plus this system's units for
# the dependencies; no running systemd is needed.
mkdir -p "$ROOT/usr/lib/systemd" "$ROOT/etc/systemd/system"
cp -a /usr/lib/systemd/system "$ROOT/usr/lib/systemd/"
# verifies UNIT_PATH_IN_ROOT: rc 0 and not a word of complaint (bad values are only warnings)
verify() {
    local output
    output=$(systemd-analyze verify --root="$ROOT" --man=no "$1" 2>&1) && [ -z "$output" ]
}
verify /lib/systemd/system/cairn-agent.service ||
    fail "systemd-analyze verify: $(systemd-analyze verify --root="$ROOT" --man=no /lib/systemd/system/cairn-agent.service 2>&1)"
pass "systemd-analyze verify accepts the shipped unit"
broken=0
while IFS='|' read -r what from to; do
    broken=$((broken + 1))
    sed "s|$from|$to|" "$UNIT" >"$ROOT/etc/systemd/system/cairn-broken$broken.service"
    cmp -s "$UNIT" "$ROOT/etc/systemd/system/cairn-broken$broken.service" && fail "broken copy '$what' is not broken"
    if verify "/etc/systemd/system/cairn-broken$broken.service"; then
        fail "systemd-analyze verify accepts a unit with $what"
    fi
    pass "systemd-analyze verify rejects a unit with $what"
done <<'EOF'
a bad Restart= value|^Restart=on-failure|Restart=sometimes
a misspelt key|^Type=notify|Tpye=notify
a missing program|^ExecStart=/usr/local/cairn/bin/cairn-agent |ExecStart=/usr/local/cairn/bin/cairn-agent-missing 
EOF

# --- .rpm ------------------------------------------------------------------------------------------
expect_same ".rpm layout (modes, owners, paths)" \
"drwxr-xr-x root/root /etc/cairn
-rw-r--r-- root/root /etc/cairn/agent.conf
-rw-r--r-- root/root /usr/lib/systemd/system/cairn-agent.service
drwxr-xr-x root/root /usr/local/cairn
drwxr-xr-x root/root /usr/local/cairn/bin
-rwxr-xr-x root/root /usr/local/cairn/bin/cairn-agent
drwxr-xr-x root/root /usr/local/cairn/share
drwxr-xr-x root/root /usr/local/cairn/share/doc
drwxr-xr-x root/root /usr/local/cairn/share/doc/cairn-agent
-rw-r--r-- root/root /usr/local/cairn/share/doc/cairn-agent/README.md" \
    "$(rpm -qp --qf '[%{FILEMODES:perms} %{FILEUSERNAME}/%{FILEGROUPNAME} %{FILENAMES}\n]' "$RPM" | LC_ALL=C sort -k3)"
expect_same ".rpm package name" "cairn-agent" "$(rpm -qp --qf '%{NAME}' "$RPM")"
expect_same ".rpm config files (noreplace)" "cn /etc/cairn/agent.conf" \
    "$(rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$RPM" | grep -v '^ ')"
rpm -qpR "$RPM" | grep -qx 'libQt6Core.so.6()(64bit)' || fail ".rpm does not require libQt6Core.so.6"
pass ".rpm requirements from the binary's libraries"
# The same unit and configuration as the .deb.
rpm_digest() { rpm -qp --qf '[%{FILEDIGESTS} %{FILENAMES}\n]' "$RPM" | awk -v f="$1" '$2 == f {print $1}'; }
expect_same ".rpm unit equals the .deb unit" "$(sha256sum <"$UNIT" | cut -d' ' -f1)" \
    "$(rpm_digest /usr/lib/systemd/system/cairn-agent.service)"
expect_same ".rpm agent.conf equals the .deb one" "$(sha256sum <"$CONF" | cut -d' ' -f1)" \
    "$(rpm_digest /etc/cairn/agent.conf)"

for tag in POSTIN PREUN POSTUN; do
    rpm -qp --qf "%{$tag}" "$RPM" >"$WORK/rpm-$tag.sh"
    [ -s "$WORK/rpm-$tag.sh" ] || fail ".rpm has no $tag scriptlet"
done
out=$(run_script "$WORK/rpm-POSTIN.sh" 1)
expect_no_enable "rpm %post 1"
[[ "$out" == *"systemctl enable --now cairn-agent"* ]] || fail "rpm %post (install) prints no hint: $out"
out=$(run_script "$WORK/rpm-POSTIN.sh" 2)
expect_no_enable "rpm %post 2"
[ -z "$out" ] || fail "rpm %post on upgrade repeats the hint: $out"
run_script "$WORK/rpm-PREUN.sh" 0 >/dev/null
grep -qx 'systemctl disable cairn-agent.service' "$WORK/calls.log" || fail "rpm %preun 0 does not disable the service"
run_script "$WORK/rpm-PREUN.sh" 1 >/dev/null
[ ! -s "$WORK/calls.log" ] || fail "rpm %preun on upgrade touches the service: $(cat "$WORK/calls.log")"
pass ".rpm scriptlets: hint on install, no enable/start, disable on erase only"

# --- Plain cmake --install -------------------------------------------------------------------------
PLAIN="$WORK/plain"
plain_install() {
    env -u CAIRN_PACKAGE_UNIT_DIR DESTDIR="$PLAIN" "$CMAKE" --install "$BUILD" --component agent \
        --prefix /opt/cairn-test >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log" >&2; fail "cmake --install"; }
}
plain_install
expect_same "cmake --install layout" \
"/etc/cairn/agent.conf
/opt/cairn-test/bin/cairn-agent
/opt/cairn-test/share/doc/cairn-agent/README.md
/usr/local/lib/systemd/system/cairn-agent.service" \
    "$(cd "$PLAIN" && find . -type f | sed 's|^\.||' | LC_ALL=C sort)"
grep -qxF 'ExecStart=/opt/cairn-test/bin/cairn-agent run --config /etc/cairn/agent.conf' \
    "$PLAIN/usr/local/lib/systemd/system/cairn-agent.service" || fail "plain install: ExecStart does not follow the prefix"
echo 'poll_seconds=99' >>"$PLAIN/etc/cairn/agent.conf"
plain_install
grep -qx 'poll_seconds=99' "$PLAIN/etc/cairn/agent.conf" || fail "cmake --install overwrote an existing agent.conf"
pass "cmake --install: prefix layout, unit follows the prefix, existing agent.conf kept"

echo "Totals: $checks passed, 0 failed"
