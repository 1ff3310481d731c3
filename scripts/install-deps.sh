#!/bin/sh
# Installs the Debian packages Cairn needs to build, test and benchmark, and to build and check
# the agent's .deb and .rpm (dpkg-dev: dpkg-shlibdeps; rpm: rpmbuild; systemd: systemd-analyze,
# which works without systemd running, e.g. in a container; python3-aiosmtpd: the SMTP server
# the mail tests talk to). The console (qt6-base-dev brings Qt Widgets and the platform plugins)
# needs, for its screenshots and for running under a virtual display: xvfb and xauth (xvfb-run),
# fonts-noto-cjk (Hangul; without it Korean renders as boxes) and qt6-translations-l10n (Qt's own
# qtbase_ko.qm for standard dialogs and buttons). jq: bench/console/server_views.sh reads JSON with it.
# Only packages that are missing are installed; safe to run repeatedly. Arguments name further
# packages to install with them (scripts/fuzz.sh: clang and its runtime).
set -eu
PKGS="build-essential cmake ninja-build ccache pkg-config git
 qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
 qt6-httpserver-dev qt6-websockets-dev libqt6sql6-sqlite libqt6svg6
 libssl-dev libzstd-dev libargon2-dev libsqlite3-dev libcurl4-openssl-dev
 python3 python3-aiosmtpd attr acl e2fsprogs time bc openssl
 restic borgbackup
 dpkg-dev rpm systemd file
 xvfb xauth fontconfig fonts-noto-cjk qt6-translations-l10n jq
 $*"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "cairn: installing:$missing" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
