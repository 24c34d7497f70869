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

# The one build step of bin/nearline: installs MODULE and the modules below it when a source is newer than its
# last build, then prints MODULE's classpath (its classes first). SCOPE is the dependency scope to include
# (default compile: compile and provided; bench needs its runtime ones too).
module_classpath() {
  local module="$1" scope="${2:-compile}"
  local dir="$NEARLINE_WORK_DIR/classpath"
  local marker="$dir/$module.built" cp_file="$dir/$module.txt" sources=() m
  for m in schemas cluster operators topology savepoints serving bench; do
    sources+=("$NEARLINE_HOME/$m")
  done
  mkdir -p "$dir"
  if [ ! -f "$marker" ] || [ ! -s "$cp_file" ] || [ -n "$(find "${sources[@]}" "$NEARLINE_HOME/pom.xml" -newer "$marker" -type f \
    \( -name '*.java' -o -name '*.xml' -o -name '*.avsc' -o -name '*.cql' -o -path '*/resources/*' \) -not -path '*/target/*' \
    -print -quit)" ]; then
    log "building (./mvnw install -DskipTests -pl $module -am)"
    if ! "$NEARLINE_HOME/mvnw" -q -f "$NEARLINE_HOME/pom.xml" install -DskipTests -pl "$module" -am >"$dir/$module.build.log" 2>&1; then
      tail -n 30 "$dir/$module.build.log" >&2
      die "the build failed (see $dir/$module.build.log)"
    fi
    "$NEARLINE_HOME/mvnw" -q -f "$NEARLINE_HOME/$module/pom.xml" dependency:build-classpath -Dmdep.includeScope="$scope" \
      -Dmdep.outputFile="$cp_file" >"$dir/$module.build.log" 2>&1 || die "could not resolve the classpath of $module"
    touch "$marker"
  fi
  echo "$NEARLINE_HOME/$module/target/classes:$(cat "$cp_file")"
}

# The job jar module_classpath topology built.
job_jar() {
  local jar
  jar="$(ls "$NEARLINE_HOME"/topology/target/nearline-topology-*-job.jar 2>/dev/null | head -n 1 || true)"
  [ -n "$jar" ] || die "the job jar was not built"
  echo "$jar"
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
