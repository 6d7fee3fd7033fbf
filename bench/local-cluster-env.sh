# Sourced by the bench scripts that run on deploy/bin/local-cluster, after they set $root (the tree) and $work (a new
# directory): the cluster's state under $work/cluster on a free master port, stopped when the script exits; $app_jar
# (the application jar for SparkSubmit) and $opens (the JVM options Spark and sparsevd need on Java 17, and sparsevd's
# speed settings: every sparsevd JVM runs with them). File-name expansion is off: the CompileCommands hold '*'.
export SPARSEVD_CLUSTER_DIR="$work/cluster" SPARSEVD_MASTER_UI_PORT=0 SPARSEVD_WORKER_MEMORY=2g
SPARSEVD_MASTER_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export SPARSEVD_MASTER_PORT
trap '"$root/deploy/bin/local-cluster" stop > /dev/null' EXIT
app_jar="$(ls "$root"/spark-job/target/sparsevd-spark-job-*-app.jar)"
opens="$(. "$root/deploy/conf/java-opens.sh"; echo "$SPARK_JAVA_OPENS $SPARSEVD_JAVA_MODULES $SPARSEVD_JAVA_TUNING")"
set -f
