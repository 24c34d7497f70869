# Runs Nearline's Java tools: those of the topology module (io.nearline.topology.cli.NearlineCli), the savepoint
# tools of the savepoints module (io.nearline.savepoints.cli.SavepointCli) and the online service of the serving
# module (io.nearline.serving.ServeCommand). Sourced by bin/nearline.

# Builds a module and what it needs when a source is newer than its last build, and prints its classpath.
tools_classpath() {
  local module="${1:-topology}"
  # The module and the modules below it: serving and savepoints do not depend on topology.
  local dir="$NEARLINE_WORK_DIR/classpath" marker cp_file sources=(schemas operators "$module")
  marker="$dir/$module.built"
  cp_file="$dir/$module.txt"
  mkdir -p "$dir"
  if [ ! -f "$marker" ] || [ -n "$(find "${sources[@]/#/$NEARLINE_HOME/}" "$NEARLINE_HOME/pom.xml" \
    -newer "$marker" -type f \( -name '*.java' -o -name '*.xml' -o -name '*.avsc' -o -name '*.cql' \) -print -quit)" ]; then
    log "building the tools (./mvnw install -DskipTests -pl $module -am)"
    if ! "$NEARLINE_HOME/mvnw" -q -f "$NEARLINE_HOME/pom.xml" install -DskipTests -pl "$module" -am >"$dir/$module.build.log" 2>&1; then
      tail -n 30 "$dir/$module.build.log" >&2
      die "the build failed (see $dir/$module.build.log)"
    fi
    "$NEARLINE_HOME/mvnw" -q -f "$NEARLINE_HOME/$module/pom.xml" dependency:build-classpath -Dmdep.includeScope=compile \
      -Dmdep.outputFile="$cp_file" >"$dir/$module.build.log" 2>&1 || die "could not resolve the tools' classpath"
    touch "$marker"
  fi
  echo "$NEARLINE_HOME/$module/target/classes:$(cat "$cp_file")"
}

run_tool() {
  local cp
  cp="$(tools_classpath topology)"
  local jar
  jar="$(ls "$NEARLINE_HOME"/topology/target/nearline-topology-*-job.jar 2>/dev/null | head -n 1 || true)"
  exec "$(nearline_java)" "${NEARLINE_JVM_VECTOR[@]}" -Dlog4j2.level=WARN -Dnearline.job.jar="$jar" -cp "$cp" io.nearline.topology.cli.NearlineCli "$@"
}

# The savepoint tools run a local Flink in this process; Flink on Java 17 needs these packages opened.
run_savepoint_tool() {
  local cp
  cp="$(tools_classpath savepoints)"
  exec "$(nearline_java)" -Dlog4j2.level=WARN "${JAVA17_OPENS_FLINK[@]}" -cp "$cp" io.nearline.savepoints.cli.SavepointCli "$@"
}

# The online service, in the foreground until stopped (Ctrl-C or TERM).
run_serving() {
  local cp
  cp="$(tools_classpath serving)"
  exec "$(nearline_java)" -Dlog4j2.level=WARN -cp "$cp" io.nearline.serving.ServeCommand "$@"
}
