# Runs the Java tools of the topology module (io.nearline.topology.cli.NearlineCli). Sourced by bin/nearline.

# Builds the modules when a source is newer than the last build, and resolves the tools' classpath.
tools_classpath() {
  local dir="$NEARLINE_WORK_DIR/classpath" marker cp_file
  marker="$dir/tools.built"
  cp_file="$dir/tools.txt"
  mkdir -p "$dir"
  if [ ! -f "$marker" ] || [ -n "$(find "$NEARLINE_HOME"/{schemas,operators,topology} "$NEARLINE_HOME/pom.xml" \
    -newer "$marker" -type f \( -name '*.java' -o -name '*.xml' -o -name '*.avsc' -o -name '*.cql' \) -print -quit)" ]; then
    log "building the tools (./mvnw install -DskipTests -pl topology -am)"
    if ! "$NEARLINE_HOME/mvnw" -q -f "$NEARLINE_HOME/pom.xml" install -DskipTests -pl topology -am >"$dir/tools.build.log" 2>&1; then
      tail -n 30 "$dir/tools.build.log" >&2
      die "the build failed (see $dir/tools.build.log)"
    fi
    "$NEARLINE_HOME/mvnw" -q -f "$NEARLINE_HOME/topology/pom.xml" dependency:build-classpath -Dmdep.includeScope=compile \
      -Dmdep.outputFile="$cp_file" >"$dir/tools.build.log" 2>&1 || die "could not resolve the tools' classpath"
    touch "$marker"
  fi
  echo "$NEARLINE_HOME/topology/target/classes:$(cat "$cp_file")"
}

run_tool() {
  local cp
  cp="$(tools_classpath)"
  local jar
  jar="$(ls "$NEARLINE_HOME"/topology/target/nearline-topology-*-job.jar 2>/dev/null | head -n 1 || true)"
  exec "$(nearline_java)" -Dlog4j2.level=WARN -Dnearline.job.jar="$jar" -cp "$cp" io.nearline.topology.cli.NearlineCli "$@"
}
