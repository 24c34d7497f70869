# bin/nearline services: real Kafka, Cassandra, memcached, an S3 server and a Flink session cluster
# on loopback, each a background process with its data and log under $NEARLINE_WORK_DIR/<name>/.
# Sourced by bin/nearline.

ALL_SERVICES=(memcached s3 kafka cassandra flink)
# Started only when named: ZooKeeper, for a Flink cluster with high availability (NEARLINE_FLINK_HA=zookeeper).
OPTIONAL_SERVICES=(zookeeper)

: "${NEARLINE_WORK_DIR:=$NEARLINE_HOME/.nearline}"
: "${NEARLINE_HOST:=127.0.0.1}"
: "${NEARLINE_START_TIMEOUT:=180}"
: "${NEARLINE_KAFKA_PORT:=9092}"
: "${NEARLINE_KAFKA_CONTROLLER_PORT:=9093}"
: "${NEARLINE_KAFKA_HEAP:=768m}"
: "${NEARLINE_CASSANDRA_PORT:=9042}"
: "${NEARLINE_CASSANDRA_STORAGE_PORT:=7010}"
: "${NEARLINE_CASSANDRA_HEAP:=1g}"
: "${NEARLINE_MEMCACHED_PORT:=11211}"
: "${NEARLINE_MEMCACHED_MB:=256}"
: "${NEARLINE_S3_PORT:=9000}"
: "${NEARLINE_S3_HEAP:=256m}"
: "${NEARLINE_S3_ACCESS_KEY:=nearline}"
: "${NEARLINE_S3_SECRET_KEY:=nearline-secret}"
: "${NEARLINE_FLINK_PORT:=8081}"
: "${NEARLINE_FLINK_RPC_PORT:=6123}"
: "${NEARLINE_FLINK_JM_MEMORY:=1024m}"
: "${NEARLINE_FLINK_TM_MEMORY:=2048m}"
: "${NEARLINE_FLINK_SLOTS:=4}"
: "${NEARLINE_FLINK_HA:=none}"
: "${NEARLINE_ZOOKEEPER_PORT:=2181}"
# Secured mode, off unless a keystore is given: Kafka's listener takes SASL_SSL (SCRAM-SHA-512) and Cassandra
# requires TLS and password authentication. The stores are PKCS12; one password opens both.
: "${NEARLINE_TLS_KEYSTORE:=}"
: "${NEARLINE_TLS_TRUSTSTORE:=}"
: "${NEARLINE_TLS_PASSWORD:=}"
: "${NEARLINE_KAFKA_SCRAM_USERS:=}"

services_help() {
  cat <<EOF
Usage: bin/nearline services up|down|status [NAME...] | env | help
Names: ${ALL_SERVICES[*]} (default: these), and ${OPTIONAL_SERVICES[*]} (only when named).
Data and logs: \$NEARLINE_WORK_DIR/<name>/.

Settings (environment variable = current value):
  NEARLINE_WORK_DIR=$NEARLINE_WORK_DIR          where data, logs and pid files go
  NEARLINE_HOST=$NEARLINE_HOST                     the loopback address every service binds to
  NEARLINE_START_TIMEOUT=$NEARLINE_START_TIMEOUT                   seconds to wait for a service to answer
  NEARLINE_KAFKA_PORT=$NEARLINE_KAFKA_PORT                    Kafka broker listener
  NEARLINE_KAFKA_CONTROLLER_PORT=$NEARLINE_KAFKA_CONTROLLER_PORT         Kafka KRaft controller listener
  NEARLINE_KAFKA_HEAP=$NEARLINE_KAFKA_HEAP                    Kafka JVM heap
  NEARLINE_CASSANDRA_PORT=$NEARLINE_CASSANDRA_PORT                CQL native transport
  NEARLINE_CASSANDRA_STORAGE_PORT=$NEARLINE_CASSANDRA_STORAGE_PORT        Cassandra internode port
  NEARLINE_CASSANDRA_HEAP=$NEARLINE_CASSANDRA_HEAP                  Cassandra JVM heap
  NEARLINE_MEMCACHED_PORT=$NEARLINE_MEMCACHED_PORT               memcached TCP port
  NEARLINE_MEMCACHED_MB=$NEARLINE_MEMCACHED_MB                  memcached memory in MB
  NEARLINE_S3_PORT=$NEARLINE_S3_PORT                       S3 endpoint (http)
  NEARLINE_S3_HEAP=$NEARLINE_S3_HEAP                     S3 server JVM heap
  NEARLINE_S3_ACCESS_KEY / NEARLINE_S3_SECRET_KEY   credentials the S3 server accepts
  NEARLINE_FLINK_PORT=$NEARLINE_FLINK_PORT                    Flink REST API and web UI
  NEARLINE_FLINK_RPC_PORT=$NEARLINE_FLINK_RPC_PORT                JobManager RPC
  NEARLINE_FLINK_JM_MEMORY=$NEARLINE_FLINK_JM_MEMORY             JobManager process memory
  NEARLINE_FLINK_TM_MEMORY=$NEARLINE_FLINK_TM_MEMORY             TaskManager process memory
  NEARLINE_FLINK_SLOTS=$NEARLINE_FLINK_SLOTS                      TaskManager slots
  NEARLINE_FLINK_HA=$NEARLINE_FLINK_HA                   none, or zookeeper: jobs survive a JobManager restart
                                      (start the optional service zookeeper first)
  NEARLINE_ZOOKEEPER_PORT=$NEARLINE_ZOOKEEPER_PORT              ZooKeeper client port

Secured mode (when NEARLINE_TLS_KEYSTORE is set; for a fresh NEARLINE_WORK_DIR):
  NEARLINE_TLS_KEYSTORE      PKCS12 keystore with the services' certificate: Kafka listens with SASL_SSL
                             (SCRAM-SHA-512) and Cassandra with client TLS and password authentication
  NEARLINE_TLS_TRUSTSTORE    PKCS12 truststore that trusts that certificate (Kafka's own client connections)
  NEARLINE_TLS_PASSWORD      the password of both stores
  NEARLINE_KAFKA_SCRAM_USERS name=password,... SCRAM users made when Kafka's storage is formatted; the first
                             is the broker's own. Cassandra's first user is its default cassandra/cassandra.
EOF
}

# --- probes: each asks the service a real question in its own protocol -------------------------

# Sends printf-escaped REQUEST to host:port and prints the first COUNT bytes of the answer as hex.
tcp_ask() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1; printf "$2" >&3; head -c "$3" <&3 | od -An -v -tx1 | tr -d " \n"' \
    "$1" "$2" "$3" "$4" 2>/dev/null
}

# tcp_ask over TLS (secured mode): the answer is read after the handshake.
tls_ask() {
  printf "$3" | timeout 3 openssl s_client -quiet -connect "$1:$2" 2>/dev/null | head -c "$4" | od -An -v -tx1 | tr -d " \n"
}

secured() { [ -n "$NEARLINE_TLS_KEYSTORE" ]; }

ask() { if secured; then tls_ask "$@"; else tcp_ask "$@"; fi; }

port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$NEARLINE_HOST" "$1" 2>/dev/null
}

probe_memcached() {
  # "version" answers "VERSION x.y.z".
  [ "$(tcp_ask "$NEARLINE_HOST" "$NEARLINE_MEMCACHED_PORT" 'version\r\n' 7)" = "56455253494f4e" ]
}

probe_kafka() {
  # ApiVersions (key 18) v0, correlation id 7: a broker echoes the id. Any error code still proves a
  # Kafka broker answered; the listener only accepts requests once the broker has started.
  local answer
  answer="$(ask "$NEARLINE_HOST" "$NEARLINE_KAFKA_PORT" '\x00\x00\x00\x0c\x00\x12\x00\x00\x00\x00\x00\x07\x00\x02nl' 8)"
  [ "${answer:8:8}" = "00000007" ]
}

probe_cassandra() {
  # CQL v4 OPTIONS frame; the server answers SUPPORTED (opcode 0x06). The native transport opens last.
  [ "$(ask "$NEARLINE_HOST" "$NEARLINE_CASSANDRA_PORT" '\x04\x00\x00\x00\x05\x00\x00\x00\x00' 5)" = "8400000006" ]
}

probe_zookeeper() {
  # The four-letter command "ruok" answers "imok".
  [ "$(tcp_ask "$NEARLINE_HOST" "$NEARLINE_ZOOKEEPER_PORT" 'ruok' 4)" = "696d6f6b" ]
}

probe_s3() {
  # An unsigned request is refused with an S3 error document, which proves the server answers.
  local code
  code="$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://$NEARLINE_HOST:$NEARLINE_S3_PORT/" 2>/dev/null)"
  [ "$code" = "403" ] || [ "$code" = "200" ]
}

probe_flink() {
  # Ready when the JobManager's REST API answers and a TaskManager has registered its slots. A TaskManager this
  # script started must also be alive: a killed one stays registered until its heartbeat times out, and `up`
  # must start a new one meanwhile.
  local tm_pid
  tm_pid="$(svc_dir flink)/taskmanager.pid"
  if [ -f "$tm_pid" ] && ! pid_alive "$tm_pid"; then
    return 1
  fi
  curl -s -m 3 "http://$NEARLINE_HOST:$NEARLINE_FLINK_PORT/overview" 2>/dev/null | grep -q '"slots-total":[1-9]'
}

address_of() {
  case "$1" in
    kafka) echo "$NEARLINE_HOST:$NEARLINE_KAFKA_PORT" ;;
    cassandra) echo "$NEARLINE_HOST:$NEARLINE_CASSANDRA_PORT" ;;
    memcached) echo "$NEARLINE_HOST:$NEARLINE_MEMCACHED_PORT" ;;
    s3) echo "http://$NEARLINE_HOST:$NEARLINE_S3_PORT" ;;
    flink) echo "http://$NEARLINE_HOST:$NEARLINE_FLINK_PORT" ;;
    zookeeper) echo "$NEARLINE_HOST:$NEARLINE_ZOOKEEPER_PORT" ;;
  esac
}

main_port_of() {
  case "$1" in
    kafka) echo "$NEARLINE_KAFKA_PORT" ;;
    cassandra) echo "$NEARLINE_CASSANDRA_PORT" ;;
    memcached) echo "$NEARLINE_MEMCACHED_PORT" ;;
    s3) echo "$NEARLINE_S3_PORT" ;;
    flink) echo "$NEARLINE_FLINK_PORT" ;;
    zookeeper) echo "$NEARLINE_ZOOKEEPER_PORT" ;;
  esac
}

# --- processes ----------------------------------------------------------------------------------

svc_dir() { echo "$NEARLINE_WORK_DIR/$1"; }
svc_log() { echo "$NEARLINE_WORK_DIR/$1/log/$1.log"; }

# The pid files of a service: one per process (Flink has two).
pid_files() {
  case "$1" in
    flink) echo "$(svc_dir flink)/jobmanager.pid $(svc_dir flink)/taskmanager.pid" ;;
    *) echo "$(svc_dir "$1")/$1.pid" ;;
  esac
}

# True if the pid file names a live process of that service (its command line mentions the service's
# folder), so that a recycled pid never gets killed.
pid_alive() {
  local file="$1" pid
  [ -s "$file" ] || return 1
  pid="$(cat "$file")"
  [ -r "/proc/$pid/cmdline" ] || return 1
  # Every service's command line names its own folder (config, pid file): match that, not just the work dir.
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$(dirname "$file")/"
}

any_alive() {
  local f
  for f in $(pid_files "$1"); do pid_alive "$f" && return 0; done
  return 1
}

# Starts a JVM in its own session so that it outlives this script; its output goes to LOG.
launch_jvm() {
  local pidfile="$1" log="$2"
  shift 2
  mkdir -p "$(dirname "$log")"
  echo "=== started $(date -u +%FT%TZ): $*" >>"$log"
  setsid nohup "$(nearline_java)" "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

JAVA17_OPENS_CASSANDRA=(
  -Djdk.attach.allowAttachSelf=true
  --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED
  --add-exports=java.sql/java.sql=ALL-UNNAMED
  --add-exports=java.base/java.lang.ref=ALL-UNNAMED
  --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED
  --add-opens=java.base/java.lang.module=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.loader=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.math=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.module=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED
  --add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.math=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
)

start_memcached() {
  local dir
  dir="$(svc_dir memcached)"
  command -v memcached >/dev/null 2>&1 || apt_install memcached
  mkdir -p "$dir/log"
  # Daemonized (-d) with its own pid file: a foreground child would die with our process group.
  # As root memcached insists on -u; it keeps root here since it only touches its pid file.
  rm -f "$dir/memcached.pid"
  memcached -d -P "$dir/memcached.pid" -l "$NEARLINE_HOST" -p "$NEARLINE_MEMCACHED_PORT" -U 0 \
    -m "$NEARLINE_MEMCACHED_MB" -c 4096 -u "$(id -un)" -v >>"$(svc_log memcached)" 2>&1 || return 1
  # The daemon writes its pid file only after it has bound its port: wait for it, so the process is known.
  local waited=0
  while ! pid_alive "$dir/memcached.pid" && [ $waited -lt 50 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
}

start_s3() {
  local dir cp
  dir="$(svc_dir s3)"
  cp="$(service_classpath s3)" || return 1
  mkdir -p "$dir/data" "$dir/conf"
  cat >"$dir/conf/s3proxy.properties" <<EOF
s3proxy.endpoint=http://$NEARLINE_HOST:$NEARLINE_S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$NEARLINE_S3_ACCESS_KEY
s3proxy.credential=$NEARLINE_S3_SECRET_KEY
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$dir/data
EOF
  launch_jvm "$dir/s3.pid" "$(svc_log s3)" -Xmx"$NEARLINE_S3_HEAP" -cp "$cp" org.gaul.s3proxy.Main \
    --properties "$dir/conf/s3proxy.properties"
}

start_kafka() {
  local dir cp
  dir="$(svc_dir kafka)"
  cp="$(service_classpath kafka)" || return 1
  mkdir -p "$dir/data" "$dir/conf" "$dir/log"
  local listener=PLAINTEXT scram_args=()
  secured && listener=SASL_SSL
  # The server properties hold the broker's own SCRAM password and the store password: owner-only.
  (umask 077 && : >"$dir/conf/server.properties")
  cat >"$dir/conf/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$NEARLINE_HOST:$NEARLINE_KAFKA_CONTROLLER_PORT
listeners=$listener://$NEARLINE_HOST:$NEARLINE_KAFKA_PORT,CONTROLLER://$NEARLINE_HOST:$NEARLINE_KAFKA_CONTROLLER_PORT
advertised.listeners=$listener://$NEARLINE_HOST:$NEARLINE_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=$listener
listener.security.protocol.map=$listener:$listener,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
transaction.max.timeout.ms=900000
EOF
  if secured; then
    [ -n "$NEARLINE_KAFKA_SCRAM_USERS" ] || { echo "kafka: secured mode needs NEARLINE_KAFKA_SCRAM_USERS" >&2; return 1; }
    local users broker_user broker_password entry
    IFS=, read -r -a users <<<"$NEARLINE_KAFKA_SCRAM_USERS"
    broker_user="${users[0]%%=*}"
    broker_password="${users[0]#*=}"
    for entry in "${users[@]}"; do
      scram_args+=(--add-scram "SCRAM-SHA-512=[name=${entry%%=*},password=${entry#*=}]")
    done
    cat >>"$dir/conf/server.properties" <<EOF
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$broker_user" password="$broker_password";
ssl.keystore.type=PKCS12
ssl.keystore.location=$NEARLINE_TLS_KEYSTORE
ssl.keystore.password=$NEARLINE_TLS_PASSWORD
ssl.truststore.type=PKCS12
ssl.truststore.location=${NEARLINE_TLS_TRUSTSTORE:-$NEARLINE_TLS_KEYSTORE}
ssl.truststore.password=$NEARLINE_TLS_PASSWORD
ssl.client.auth=none
EOF
  fi
  cat >"$dir/conf/log4j2.properties" <<'EOF'
rootLogger.level=INFO
rootLogger.appenderRef.out.ref=out
appender.out.type=Console
appender.out.name=out
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=[%d] %p %m (%c)%n
logger.state.name=state.change.logger
logger.state.level=WARN
EOF
  local java_args=(-Xms256m -Xmx"$NEARLINE_KAFKA_HEAP" -XX:+UseG1GC -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$dir/conf/log4j2.properties" -cp "$cp")
  if [ ! -f "$dir/data/meta.properties" ]; then
    # A cluster id is 16 random bytes in URL-safe base64, which is what Kafka's own tool prints. It may
    # start with '-', hence --cluster-id=ID rather than -t ID.
    local cluster_id
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    if ! "$(nearline_java)" "${java_args[@]}" kafka.tools.StorageTool format --cluster-id="$cluster_id" \
      -c "$dir/conf/server.properties" "${scram_args[@]}" >>"$(svc_log kafka)" 2>&1; then
      echo "kafka: formatting its storage failed" >&2
      return 1
    fi
  fi
  launch_jvm "$dir/kafka.pid" "$(svc_log kafka)" "${java_args[@]}" kafka.Kafka "$dir/conf/server.properties"
}

start_cassandra() {
  local dir cp
  dir="$(svc_dir cassandra)"
  cp="$(service_classpath cassandra)" || return 1
  mkdir -p "$dir/data" "$dir/conf" "$dir/log"
  cat >"$dir/conf/cassandra.yaml" <<EOF
cluster_name: nearline
num_tokens: 1
initial_token: 0
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "$NEARLINE_HOST:$NEARLINE_CASSANDRA_STORAGE_PORT"
listen_address: $NEARLINE_HOST
rpc_address: $NEARLINE_HOST
storage_port: $NEARLINE_CASSANDRA_STORAGE_PORT
native_transport_port: $NEARLINE_CASSANDRA_PORT
start_native_transport: true
commitlog_sync: periodic
commitlog_sync_period: 10000ms
data_file_directories:
  - $dir/data/data
commitlog_directory: $dir/data/commitlog
saved_caches_directory: $dir/data/saved_caches
hints_directory: $dir/data/hints
cdc_raw_directory: $dir/data/cdc_raw
storage_compatibility_mode: NONE
auto_snapshot: false
EOF
  local secured_flags=()
  if secured; then
    chmod 600 "$dir/conf/cassandra.yaml"
    cat >>"$dir/conf/cassandra.yaml" <<EOF
authenticator: PasswordAuthenticator
client_encryption_options:
  enabled: true
  optional: false
  keystore: $NEARLINE_TLS_KEYSTORE
  keystore_password: $NEARLINE_TLS_PASSWORD
  store_type: PKCS12
  require_client_auth: false
EOF
    # The default superuser (cassandra/cassandra) is made at once rather than after Cassandra's 10 s delay.
    secured_flags=(-Dcassandra.superuser_setup_delay_ms=0)
  fi
  cat >"$dir/conf/logback.xml" <<'EOF'
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="out"/></root>
</configuration>
EOF
  # The last three -D flags are the test-only shortcuts Cassandra's own harness uses: start in
  # seconds instead of tens of seconds. -Xms stays small because as root Cassandra mlocks its heap.
  launch_jvm "$dir/cassandra.pid" "$(svc_log cassandra)" -Xms256m -Xmx"$NEARLINE_CASSANDRA_HEAP" -Xss512k \
    -XX:+UseG1GC -Djava.net.preferIPv4Stack=true "${JAVA17_OPENS_CASSANDRA[@]}" \
    -Dcassandra-foreground=yes -Dcassandra.config="file://$dir/conf/cassandra.yaml" \
    -Dcassandra.storagedir="$dir/data" -Dcassandra.logdir="$dir/log" \
    -Dlogback.configurationFile="$dir/conf/logback.xml" \
    -Dcassandra.memtable_row_overhead_computation_step=100 -Dcassandra.unsafesystem=true \
    -Dcassandra.skip_wait_for_gossip_to_settle=0 "${secured_flags[@]}" \
    -cp "$cp" org.apache.cassandra.service.CassandraDaemon
}

start_zookeeper() {
  local dir cp
  dir="$(svc_dir zookeeper)"
  cp="$(service_classpath zookeeper)" || return 1
  mkdir -p "$dir/data" "$dir/conf" "$dir/log"
  # Standalone (no servers listed). Sessions may be as short as 4 s (2 ticks): Flink's HA uses 6 s here, so that a
  # killed JobManager's leadership expires quickly. No admin web server: it would take port 8080.
  cat >"$dir/conf/zoo.cfg" <<EOF
tickTime=2000
dataDir=$dir/data
clientPort=$NEARLINE_ZOOKEEPER_PORT
clientPortAddress=$NEARLINE_HOST
maxClientCnxns=100
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr
EOF
  cat >"$dir/conf/log4j2.properties" <<'EOF'
rootLogger.level=INFO
rootLogger.appenderRef.out.ref=out
appender.out.type=Console
appender.out.name=out
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=[%d] %p %m (%c)%n
EOF
  launch_jvm "$dir/zookeeper.pid" "$(svc_log zookeeper)" -Xmx256m -XX:+UseG1GC \
    -Dlog4j2.configurationFile="$dir/conf/log4j2.properties" -Dzookeeper.jmx.log4j.disable=true \
    -cp "$cp" org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/conf/zoo.cfg"
}

# Flink's high-availability settings for NEARLINE_FLINK_HA.
flink_ha_conf() {
  local dir="$1"
  case "$NEARLINE_FLINK_HA" in
    none) ;;
    zookeeper)
      cat <<EOF
# Jobs and their latest checkpoints survive a JobManager restart: leader election and pointers in ZooKeeper,
# job graphs and checkpoint metadata under storageDir.
high-availability.type: zookeeper
high-availability.storageDir: file://$dir/ha
high-availability.zookeeper.quorum: $NEARLINE_HOST:$NEARLINE_ZOOKEEPER_PORT
high-availability.zookeeper.path.root: /flink
high-availability.cluster-id: /nearline
high-availability.zookeeper.client.session-timeout: 6 s
high-availability.zookeeper.client.connection-timeout: 6 s
EOF
      ;;
    *) echo "flink: NEARLINE_FLINK_HA must be none or zookeeper, not '$NEARLINE_FLINK_HA'" >&2; return 1 ;;
  esac
}

write_flink_conf() {
  local dir="$1"
  mkdir -p "$dir/conf" "$dir/tmp" "$dir/uploads" "$dir/blobs" "$dir/checkpoints" "$dir/savepoints"
  cat >"$dir/conf/config.yaml" <<EOF
jobmanager.rpc.address: $NEARLINE_HOST
jobmanager.rpc.port: $NEARLINE_FLINK_RPC_PORT
jobmanager.bind-host: $NEARLINE_HOST
jobmanager.memory.process.size: $NEARLINE_FLINK_JM_MEMORY
taskmanager.host: $NEARLINE_HOST
taskmanager.bind-host: $NEARLINE_HOST
taskmanager.numberOfTaskSlots: $NEARLINE_FLINK_SLOTS
taskmanager.memory.process.size: $NEARLINE_FLINK_TM_MEMORY
# Jobs' clients (Cassandra driver, Kafka, memcached, S3) use direct buffers beyond Flink's own.
taskmanager.memory.task.off-heap.size: 128m
# Tests run many jobs one after another; each job's jar brings the Cassandra driver, Kafka, AWS SDK classes.
taskmanager.memory.jvm-metaspace.size: 512m
rest.address: $NEARLINE_HOST
rest.bind-address: $NEARLINE_HOST
rest.port: $NEARLINE_FLINK_PORT
rest.flamegraph.enabled: true
parallelism.default: 1
io.tmp.dirs: $dir/tmp
web.upload.dir: $dir/uploads
blob.storage.directory: $dir/blobs
state.backend.type: rocksdb
# Batch jobs (TrainJob) on a small TaskManager beside a streaming job: the sort shuffle's default reserve
# of 512 buffers per result partition does not fit; 128 does, at a small cost in spilling.
taskmanager.network.sort-shuffle.min-buffers: 128
execution.checkpointing.dir: file://$dir/checkpoints
execution.checkpointing.savepoint-dir: file://$dir/savepoints
s3.endpoint: http://$NEARLINE_HOST:$NEARLINE_S3_PORT
s3.endpoint.region: us-east-1
s3.path.style.access: true
s3.access-key: $NEARLINE_S3_ACCESS_KEY
s3.secret-key: $NEARLINE_S3_SECRET_KEY
EOF
  flink_ha_conf "$dir" >>"$dir/conf/config.yaml" || return 1
  cat >"$dir/conf/log4j.properties" <<'EOF'
rootLogger.level=INFO
rootLogger.appenderRef.out.ref=out
appender.out.type=Console
appender.out.name=out
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.netty.name=org.apache.flink.shaded.netty4.io.netty.channel.DefaultChannelPipeline
logger.netty.level=ERROR
EOF
}

# Asks Flink how to size a process: line 1 are JVM flags, line 2 are -D settings for the process.
flink_resource_params() {
  local what="$1" dir="$2" cp="$3"
  "$(nearline_java)" -cp "$cp" -Dlog4j.configurationFile="file:$dir/conf/log4j.properties" \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$what" --configDir "$dir/conf" 2>/dev/null |
    grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

start_flink() {
  local dir cp params jvm dyn
  dir="$(svc_dir flink)"
  cp="$(service_classpath flink)" || return 1
  write_flink_conf "$dir" || return 1
  # s3:// for checkpoints, savepoints and the archive, pointed at the local S3 server, as a plugin.
  local s3_jar
  s3_jar="$(service_classpath flink-s3)" || return 1
  mkdir -p "$dir/plugins/s3-fs-hadoop"
  ln -sf "$s3_jar" "$dir/plugins/s3-fs-hadoop/flink-s3-fs-hadoop.jar"
  export FLINK_PLUGINS_DIR="$dir/plugins"
  local common=("${JAVA17_OPENS_FLINK[@]}" "${NEARLINE_JVM_VECTOR[@]}" -XX:+UseG1GC -Dlog4j.configurationFile="file:$dir/conf/log4j.properties")
  if ! pid_alive "$dir/jobmanager.pid"; then
    params="$(flink_resource_params GET_JM_RESOURCE_PARAMS "$dir" "$cp")"
    jvm="$(sed -n 1p <<<"$params")"
    dyn="$(sed -n 2p <<<"$params")"
    [ -n "$jvm" ] || { echo "flink: could not size the JobManager from its config" >&2; return 1; }
    # shellcheck disable=SC2086 # the flags are a space-separated list by design
    launch_jvm "$dir/jobmanager.pid" "$(svc_log flink)" $jvm "${common[@]}" -Dlog.file="$(svc_log flink)" \
      -cp "$cp" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$dir/conf" $dyn
  fi
  if ! pid_alive "$dir/taskmanager.pid"; then
    params="$(flink_resource_params GET_TM_RESOURCE_PARAMS "$dir" "$cp")"
    jvm="$(sed -n 1p <<<"$params")"
    dyn="$(sed -n 2p <<<"$params")"
    [ -n "$jvm" ] || { echo "flink: could not size the TaskManager from its config" >&2; return 1; }
    # shellcheck disable=SC2086
    launch_jvm "$dir/taskmanager.pid" "$dir/log/taskmanager.log" $jvm "${common[@]}" \
      -Dlog.file="$dir/log/taskmanager.log" \
      -cp "$cp" org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$dir/conf" $dyn
  fi
}

# --- the verbs ----------------------------------------------------------------------------------

svc_up_line() { echo "$1 $(address_of "$1") up"; }

fail_start() {
  local name="$1" reason="$2" log
  log="$(svc_log "$name")"
  if [ -f "$log" ]; then
    echo "--- last lines of $log" >&2
    tail -n 25 "$log" >&2
    [ "$name" = flink ] && [ -f "$(svc_dir flink)/log/taskmanager.log" ] && tail -n 10 "$(svc_dir flink)/log/taskmanager.log" >&2
    echo "---" >&2
  fi
  echo "$name: failed to start: $reason" >&2
  stop_service "$name" >/dev/null 2>&1 || true
}

# Starts what is not answering yet, then waits for each to answer. Exits non-zero if any fails.
services_up() {
  local name started=() failed=0
  for name in "$@"; do
    if "probe_$name"; then
      if ! any_alive "$name"; then
        # Someone else's (another checkout's, say): this folder's stop, restart and kill would miss it.
        fail_start "$name" "$(address_of "$name") answers, but not from a process started in $NEARLINE_WORK_DIR; stop it where it was started (bin/nearline services down there) or give this folder other ports"
        failed=1
        continue
      fi
      echo "$(svc_up_line "$name") (already running)"
      continue
    fi
    if ! any_alive "$name" && port_open "$(main_port_of "$name")"; then
      fail_start "$name" "port $(main_port_of "$name") is taken by a process that is not $name"
      failed=1
      continue
    fi
    if [ "$name" = flink ] || ! any_alive "$name"; then
      log "$name: starting"
      if ! "start_$name"; then
        fail_start "$name" "its start command failed"
        failed=1
        continue
      fi
    fi
    started+=("$name")
  done

  local deadline=$((SECONDS + NEARLINE_START_TIMEOUT)) pending=("${started[@]}")
  while [ ${#pending[@]} -gt 0 ]; do
    local still=()
    for name in "${pending[@]}"; do
      if "probe_$name"; then
        svc_up_line "$name"
      elif ! all_alive "$name"; then
        fail_start "$name" "its process exited"
        failed=1
      elif [ $SECONDS -ge $deadline ]; then
        fail_start "$name" "no answer on $(address_of "$name") within ${NEARLINE_START_TIMEOUT}s"
        failed=1
      else
        still+=("$name")
      fi
    done
    pending=("${still[@]}")
    [ ${#pending[@]} -gt 0 ] && sleep 0.5
  done
  return $failed
}

all_alive() {
  local f
  for f in $(pid_files "$1"); do pid_alive "$f" || return 1; done
}

# Stops a service by the pids we recorded: TERM, then KILL after a grace period.
stop_service() {
  local name="$1" f pid pids=()
  for f in $(pid_files "$name"); do
    if pid_alive "$f"; then pids+=("$(cat "$f")"); fi
  done
  if [ ${#pids[@]} -eq 0 ]; then
    rm -f $(pid_files "$name")
    if "probe_$name"; then
      echo "$name $(address_of "$name") up (not started by nearline; left alone)"
    else
      echo "$name $(address_of "$name") down"
    fi
    return 0
  fi
  kill -TERM "${pids[@]}" 2>/dev/null || true
  local waited=0
  while [ $waited -lt 60 ]; do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.5
    waited=$((waited + 1))
  done
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      log "$name: pid $pid ignored TERM for 30s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -f $(pid_files "$name")
  echo "$name $(address_of "$name") down"
}

services_down() {
  local i
  # Reverse order: Flink first (its jobs use the others), memcached last.
  for ((i = $# - 1; i >= 0; i--)); do
    local args=("$@")
    stop_service "${args[$i]}"
  done
}

services_status() {
  local name
  for name in "$@"; do
    if "probe_$name"; then echo "$name $(address_of "$name") up"; else echo "$name $(address_of "$name") down"; fi
  done
}

# Prints every setting as KEY=VALUE, so that tools and tests read them instead of repeating defaults.
services_env() {
  local key
  for key in $(compgen -v NEARLINE_ | sort); do
    case "$key" in
      NEARLINE_HOME) ;;
      # Secured mode's secrets are never printed.
      NEARLINE_TLS_PASSWORD | NEARLINE_KAFKA_SCRAM_USERS) echo "$key=${!key:+(set)}" ;;
      *) echo "$key=${!key}" ;;
    esac
  done
}

services_main() {
  local verb="${1:-}"
  [ $# -gt 0 ] && shift
  local names=("$@") name
  if [ ${#names[@]} -eq 0 ]; then
    names=("${ALL_SERVICES[@]}")
    # A bare "down" also stops an optional service this script started.
    if [ "$verb" = down ]; then
      for name in "${OPTIONAL_SERVICES[@]}"; do any_alive "$name" && names=("$name" "${names[@]}"); done
    fi
  fi
  for name in "${names[@]}"; do
    case " ${ALL_SERVICES[*]} ${OPTIONAL_SERVICES[*]} " in
      *" $name "*) ;;
      *) die "services: unknown service '$name' (one of: ${ALL_SERVICES[*]} ${OPTIONAL_SERVICES[*]})" ;;
    esac
  done
  command -v curl >/dev/null 2>&1 || apt_install curl
  mkdir -p "$NEARLINE_WORK_DIR"
  case "$verb" in
    up) services_up "${names[@]}" ;;
    down) services_down "${names[@]}" ;;
    status) services_status "${names[@]}" ;;
    env) services_env ;;
    help | -h | --help) services_help ;;
    "") die "services: missing verb: up, down, status, env or help" ;;
    *) die "services: unknown verb '$verb': up, down, status, env or help" ;;
  esac
}
