package org.attentionzoo.examples;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The processor line of the benchmarks, from hand-written /proc/cpuinfo text. */
class CpuInfoTest {

    @Test
    void namesTheModelTheCoresAndTheVectorExtensions() {
        List<String> intel = List.of("processor\t: 0", "vendor_id\t: GenuineIntel",
                "model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz",
                "flags\t\t: fpu sse2 avx fma avx2 avx512f avx512dq avx512vl", "",
                "processor\t: 1", "model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz",
                "flags\t\t: fpu sse2 avx fma avx2 avx512f avx512dq avx512vl");
        assertEquals("CPU: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz, 2 logical cores; vector extensions: avx2 fma avx512f",
                CpuInfo.describe(intel, "Linux", "amd64"));
        List<String> amd = List.of("processor\t: 0", "model name\t: AMD EPYC 7R13 Processor",
                "flags\t\t: fpu sse2 avx avx2 fma3 bmi2");
        assertEquals("CPU: AMD EPYC 7R13 Processor, 1 logical cores; vector extensions: avx2",
                CpuInfo.describe(amd, "Linux", "amd64"), "fma3 is not fma: only whole flags count");
        assertEquals("CPU: Foo, 1 logical cores; vector extensions: none of avx2, fma, avx512f",
                CpuInfo.describe(List.of("processor : 0", "model name : Foo", "flags : sse sse2"), "Linux", "amd64"));
    }

    @Test
    void withoutCpuinfoItNamesTheSystemAndArchitecture() {
        assertEquals("CPU: Mac OS X aarch64; vector extensions: unknown", CpuInfo.describe(List.of(), "Mac OS X", "aarch64"));
        assertTrue(CpuInfo.describe().startsWith("CPU: "));
    }
}
