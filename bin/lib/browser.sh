# bin/nearline browser: headless Chromium and its ChromeDriver, for the console's browser test (ConsoleITCase).
# Installs Debian's chromium and chromium-driver when missing, then prints where they are, one name=path a line.
# Sourced by bin/nearline.

browser_main() {
  [ $# -eq 0 ] || die "browser: takes no arguments (usage: bin/nearline browser)"
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    apt_install chromium chromium-driver
  fi
  echo "chromium=$(command -v chromium)"
  echo "chromedriver=$(command -v chromedriver)"
}
