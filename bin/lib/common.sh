# Helpers shared by the bin/nearline subcommands. Sourced, not run.

die() {
  echo "nearline: $*" >&2
  exit 2
}

log() {
  echo "nearline: $*" >&2
}

# The java to run: NEARLINE_JAVA, else JAVA_HOME's, else the one on PATH.
nearline_java() {
  if [ -n "${NEARLINE_JAVA:-}" ]; then
    echo "$NEARLINE_JAVA"
  elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    echo "$JAVA_HOME/bin/java"
  else
    command -v java || die "no java found: install a JDK 17 or set JAVA_HOME"
  fi
}

# Installs Debian packages that are missing (as root, or through sudo).
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  local out
  out="$(mktemp)"
  log "installing Debian packages: $*"
  $sudo apt-get update -qq >"$out" 2>&1 || true
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >>"$out" 2>&1; then
    tail -n 20 "$out" >&2
    rm -f "$out"
    die "could not install the Debian packages: $*"
  fi
  rm -f "$out"
}

# Resolves the classpath of bin/lib/services/NAME.xml through Maven, cached until the pom changes.
service_classpath() {
  local name="$1"
  local pom="$NEARLINE_HOME/bin/lib/services/$name.xml"
  local out="$NEARLINE_WORK_DIR/classpath/$name.txt"
  if [ ! -s "$out" ] || [ "$pom" -nt "$out" ] || [ "$NEARLINE_HOME/pom.xml" -nt "$out" ]; then
    mkdir -p "$(dirname "$out")"
    log "$name: resolving its jars with Maven (first time only)"
    # The versions are the root pom's *.version properties, so that they are managed in one place.
    local versions
    versions="$(sed -n 's:^ *<\([a-zA-Z0-9.-]*\.version\)>\([^<]*\)</.*:-D\1=\2:p' "$NEARLINE_HOME/pom.xml")"
    # shellcheck disable=SC2086 # one -D flag per line
    if ! "$NEARLINE_HOME/mvnw" -q -f "$pom" $versions dependency:build-classpath -Dmdep.outputFile="$out.tmp" \
      >"$out.maven.log" 2>&1; then
      tail -n 20 "$out.maven.log" >&2
      echo "$name: Maven could not resolve its jars (see $out.maven.log)" >&2
      return 1
    fi
    mv "$out.tmp" "$out"
  fi
  cat "$out"
}

# The incubating Vector API, for the SIMD scoring and fold-in kernels (without it plain Java serves, slower).
NEARLINE_JVM_VECTOR=(--add-modules=jdk.incubator.vector)

# What Flink needs opened on Java 17 (as Flink's own config.yaml sets it), for its processes and local Flinks.
JAVA17_OPENS_FLINK=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)
