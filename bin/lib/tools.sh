# Runs Nearline's Java tools: those of the topology module (io.nearline.topology.cli.NearlineCli), the savepoint
# tools of the savepoints module (io.nearline.savepoints.cli.SavepointCli) and the online service of the serving
# module (io.nearline.serving.ServeCommand). Sourced by bin/nearline.

# The classpath of a module's tools (bin/lib/common.sh builds it when stale); default topology.
tools_classpath() {
  module_classpath "${1:-topology}"
}

run_tool() {
  local cp
  cp="$(tools_classpath topology)"
  local jar
  jar="$(job_jar)"
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
