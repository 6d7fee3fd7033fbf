package org.sparsevd.deploy;

import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Run by {@link AppJarIT} in a JVM whose classpath is the application jar (and this class): prints, one per line,
 * the file each native library was loaded from ({@code lib NAME PATH}), whether libnd4j was built with oneDNN and
 * uses it, the BLAS vendor, and what DL4J's crash report asks the system-information library (oshi) on this OS.
 */
public final class NativeProbe {
    private NativeProbe() {
    }

    public static void main(String[] args) {
        Nd4j.create(2, 2).mmul(Nd4j.create(2, 2));
        Loader.getLoadedLibraries().forEach((name, path) -> System.out.println("lib " + name + " " + path));
        String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        System.out.println("built-with-onednn " + build.contains("HAVE_ONEDNN"));
        System.out.println("uses-onednn " + Nd4jCpu.Environment.getInstance().isUseONEDNN());
        System.out.println("blas " + Nd4j.factory().blas().getBlasVendor());
        // What org.deeplearning4j.util.CrashReportingUtil and org.nd4j.systeminfo.SystemInfo call.
        oshi.SystemInfo system = new oshi.SystemInfo();
        System.out.println("os " + system.getOperatingSystem().getFamily() + ", memory "
                + system.getHardware().getMemory().getTotal() + ", cpu "
                + system.getHardware().getProcessor().getLogicalProcessorCount());
        System.out.println("nd4j-system-info " + org.nd4j.systeminfo.SystemInfo.getSystemInfo().length());
    }
}
