#!/usr/bin/env bash
# Builds Guichet's Linux bundles with `tauri build` (a release binary with the UI embedded) and
# checks the .deb as a merchant's machine would receive it:
#   - it holds the binary, the menu entry (.desktop) and the app's icons, and depends on WebKitGTK;
#   - the packaged binary, unpacked, opens its window under Xvfb and draws the UI (it reports the
#     first interactive screen, as scripts/measure-desktop.sh times it).
# The AppImage needs Tauri's AppImage tools (linuxdeploy and its GTK plugin), which `tauri build`
# downloads from GitHub into ~/.cache/tauri; where neither they nor GitHub are at hand, the
# script says so and builds the .deb alone.
# Usage: scripts/bundle.sh [--no-appimage]. Bundles land in $CARGO_TARGET_DIR/release/bundle/.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/guichet/target}"
appimage=yes
case "${1:-}" in
  "") ;;
  --no-appimage) appimage=no ;;
  *) echo "usage: $0 [--no-appimage]" >&2; exit 2 ;;
esac

# The Tauri CLI from the npm registry, the same major.minor as the tauri crate (Cargo.lock).
tauri() { npx --yes @tauri-apps/cli@2.12.5 "$@"; }
[ -d ui/node_modules ] || (cd ui && npm ci --no-audit --no-fund)

bundles=deb
tools="$HOME/.cache/tauri"
if [ "$appimage" = yes ]; then
  if [ -x "$tools/linuxdeploy-x86_64.AppImage" ] ||
    curl -sfI --max-time 10 https://github.com >/dev/null 2>&1; then
    bundles=deb,appimage
  else
    echo "AppImage: NOT BUILT — tauri build downloads linuxdeploy and its plugins from GitHub" \
      "into $tools, and this machine reaches neither GitHub nor a copy of those tools." \
      "Building the .deb only."
  fi
fi

echo "==> tauri build --bundles $bundles"
version=$(sed -n 's/^ *"version": "\(.*\)",$/\1/p' tauri.conf.json | head -1)
out="$CARGO_TARGET_DIR/release/bundle"
rm -f "$out/deb/"*.deb "$out/appimage/"*.AppImage
# The same features as scripts/measure-desktop.sh's and the E2E build, so the crate is shared.
# The npm registry's newest @tauri-apps/plugin-notification is 2.5 while the crate is 2.8: the
# version check would refuse the pair, though the JS side only calls commands both have.
tauri build --ci --bundles "$bundles" --features custom-protocol --ignore-version-mismatches
deb="$out/deb/Guichet_${version}_amd64.deb"
[ -f "$deb" ] || { echo "no .deb at $deb" >&2; ls -R "$out" >&2; exit 1; }

echo "==> checking $deb"
fail() { echo "BROKEN BUNDLE: $*" >&2; exit 1; }
dpkg-deb -I "$deb"
contents="$(dpkg-deb -c "$deb")"
echo "$contents"
has() { grep -qE "$1" <<<"$contents" || fail "the .deb has no $2 ($1)"; }
has ' (\./)?usr/bin/guichet-app$' "binary"
has ' (\./)?usr/share/applications/Guichet\.desktop$' "menu entry"
for size in 32x32 128x128 256x256@2; do
  has " (\./)?usr/share/icons/hicolor/$size/apps/guichet-app\.png$" "$size icon"
done
depends="$(dpkg-deb -f "$deb" Depends)"
grep -q 'libwebkit2gtk-4.1-0' <<<"$depends" || fail "Depends lacks WebKitGTK: $depends"
grep -q 'libgtk-3-0' <<<"$depends" || fail "Depends lacks GTK 3: $depends"

work="$(mktemp -d)"
cleanup() { kill "${app:-}" "${xvfb:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
dpkg-deb -x "$deb" "$work/root"
entry="$work/root/usr/share/applications/Guichet.desktop"
grep -qx 'Exec=guichet-app' "$entry" || fail "the menu entry does not start guichet-app: $(cat "$entry")"
grep -qx 'Icon=guichet-app' "$entry" || fail "the menu entry names another icon: $(cat "$entry")"
for icon in "$work"/root/usr/share/icons/hicolor/*/apps/guichet-app.png; do
  file "$icon" | grep -q 'PNG image data' || fail "$icon is not a PNG"
done

echo "==> the packaged binary opens its window and draws the UI (Xvfb)"
display=":$((300 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
DISPLAY="$display" WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 NO_AT_BRIDGE=1 \
  GUICHET_READY_FILE="$work/ready" "$work/root/usr/bin/guichet-app" --data-dir "$work/data" \
  >"$work/app.log" 2>&1 &
app=$!
for _ in $(seq 600); do [ -s "$work/ready" ] && break; sleep 0.1; done
if [ ! -s "$work/ready" ]; then
  cat "$work/app.log" >&2
  fail "the packaged app drew no UI within 60 s (is the UI embedded? see the log above)"
fi
echo "ok: $(basename "$deb") ($(du -h "$deb" | cut -f1)) holds the binary, the menu entry and" \
  "the icons, and its binary draws the UI"
if [ "$bundles" = deb,appimage ]; then
  ls -l "$out/appimage/"*.AppImage
fi
