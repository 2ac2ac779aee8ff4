#!/bin/sh
# Renders the security page against the real mailcow web app into data/screenshots/
# (security-real-en.png, security-real-fr.png). Run as root from the source tree after a build:
#   ${MAILCOW_PEER_TOOL:-../shared/mailcow-peer/mailcow-peer} run -- tests/gui-security/real-screenshots.sh _build
# The peer's namespace has no X server nor session bus: both are started here.
set -eu
build=${1:-_build}
Xvfb :71 -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb' EXIT
sleep 1
export DISPLAY=:71 GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" \
       HES_LOCALEDIR="$build/po" GDK_DEBUG=no-portals NO_AT_BRIDGE=1 GTK_A11Y=none
dbus-run-session -- "$build/tests/gui-security/hes-security-screenshot" real \
  data/screenshots/security-real-en.png
dbus-run-session -- "$build/tests/gui-security/hes-security-screenshot" --french real \
  data/screenshots/security-real-fr.png
