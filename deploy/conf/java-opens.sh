# The JVM options Spark's launcher adds on Java 17 (org.apache.spark.launcher.JavaModuleOptions), for JVMs that
# run Spark without spark-submit: the sparsevd launcher and spark.{driver,executor}.extraJavaOptions.
# Keep in sync with <spark.java.opens> in the root pom.xml (a test checks that they are equal).
SPARK_JAVA_OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"

# The JDK's Vector API module (incubator in Java 17). With it, sparsevd computes the KL term of float layers in one
# fused SIMD pass (core's FusedKlKernel); without it the same numbers come from slower ND4J ops. The JVM prints one
# "WARNING: Using incubator modules: jdk.incubator.vector" line on stderr at start-up.
SPARSEVD_JAVA_MODULES="--add-modules=jdk.incubator.vector"

# Settings of sparsevd's JVMs for speed; they change no result.
# - JavaCPP (under ND4J) reads the process's resident memory from /proc before every native allocation it registers,
#   to compare it with its limit org.bytedeco.javacpp.maxPhysicalBytes, under one JVM-wide lock; ND4J makes such an
#   allocation for every array it creates (its shape information), dozens a training step, and in `train`'s profile
#   the check took a tenth of the workers' CPU. 0 turns that check off; JavaCPP's limit on the bytes it allocates
#   (org.bytedeco.javacpp.maxBytes, by default the heap size) still applies.
# - The CompileCommands (core's org.sparsevd.core.simd.Lanes.JIT_OPTIONS) make C2 compile every vector loop of the
#   SIMD kernels (methods named *Stage) on its own, with Lanes' exp and log inlined into it. Left to its heuristics,
#   C2 sometimes inlined a loop into a larger caller, ran out of its node budget there and left part of the exp a
#   call that runs the Vector API's slow Java fallback: in one `train` run that exp took over half of the workers'
#   time. `quiet` keeps the JVM from printing the commands.
# Keep in sync with <sparsevd.java.tuning> in the root pom.xml (a test checks that they are equal); a later -D or -XX
# in SPARSEVD_JAVA_OPTS overrides them.
SPARSEVD_JAVA_TUNING="-Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -XX:CompileCommand=quiet -XX:CompileCommand=inline,org.sparsevd.core.simd.Lanes::* -XX:CompileCommand=dontinline,org.sparsevd.core.*::*Stage"
