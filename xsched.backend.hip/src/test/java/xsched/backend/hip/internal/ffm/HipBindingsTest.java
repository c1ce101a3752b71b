package xsched.backend.hip.internal.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import xsched.backend.support.VendorLibrary;

/**
 * The bindings against the real HIP runtime Debian ships ({@code libamdhip64-5}, which {@code
 * ./xsched test} installs): every symbol the facade calls resolves, and calls that need no GPU
 * answer. Skipped, saying so, only where the library is not installed.
 */
class HipBindingsTest {
    private static void assumeRuntime() {
        VendorLibrary library = HipRuntime.library();
        if (!library.present()) {
            System.out.println("[hip tests] skipping the binding checks: " + library.absentReason().orElse(""));
        }
        assumeTrue(library.present(), () -> "the HIP runtime is not installed (apt-get install libamdhip64-5): "
                + library.absentReason().orElse(""));
    }

    @Test
    void everySymbolTheFacadeCallsResolvesInTheInstalledRuntime() throws IllegalAccessException {
        assumeRuntime();
        List<String> handles = handleNames();
        assertThat(HipRuntime.symbols()).as("every downcall handle is bound through one list").hasSameElementsAs(handles)
                .hasSize(handles.size());
        assertThat(HipRuntime.missingSymbols()).as("symbols %s lacks", HipRuntime.library().source().orElse("")).isEmpty();
        System.out.println("[hip tests] " + HipRuntime.library().source().orElse("") + ": all " + handles.size()
                + " symbols resolve; HIP " + HipRuntime.versionText(HipRuntime.runtimeVersion()));
    }

    /** The names of HipNative's MethodHandle fields, which are named after their symbols. */
    private static List<String> handleNames() throws IllegalAccessException {
        return Arrays.stream(HipNative.class.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == MethodHandle.class)
                .map(Field::getName).toList();
    }

    @Test
    void callsThatNeedNoGpuAnswer() {
        assumeRuntime();
        int version = HipRuntime.runtimeVersion();
        assertThat(version).as("HIP_VERSION of ROCm 5.2 or later").isGreaterThanOrEqualTo(50_200_000);
        assertThat(HipRuntime.versionText(version)).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(HipRuntime.driverVersion()).isPositive();
        assertThat(HipRuntime.errorName(HipRuntime.HIP_ERROR_NO_DEVICE)).isEqualTo("hipErrorNoDevice");
        assertThat(HipRuntime.errorName(HipRuntime.HIP_ERROR_NOT_READY)).isEqualTo("hipErrorNotReady");
        assertThat(HipRuntime.error(HipRuntime.HIP_ERROR_INVALID_DEVICE, "hipSetDevice", null).getMessage())
                .startsWith("hipSetDevice failed: hipErrorInvalidDevice (101)");
    }

    @Test
    void versionNumbersReadAsRocmWritesThem() {
        assertThat(HipRuntime.versionText(50_221_153)).isEqualTo("5.2.21153");
        assertThat(HipRuntime.versionText(60_342_134)).isEqualTo("6.3.42134");
    }

    @Test
    void sonamesAreTriedNewestFirst() {
        assumeTrue(System.getProperty(HipLibrary.PATH_PROPERTY) == null, "the library is named by " + HipLibrary.PATH_PROPERTY);
        assertThat(HipLibrary.candidates()).startsWith("libamdhip64.so.6", "libamdhip64.so.5", "libamdhip64.so");
    }

    @Test
    void anAbsentLibraryIsAReasonNotACrash() {
        VendorLibrary missing = HipLibrary.open(List.of("/nonexistent/libamdhip64.so.6", "libamdhip64.so.99"));
        assertThat(missing.present()).isFalse();
        assertThat(missing.absentReason()).get().asString().contains("/nonexistent/libamdhip64.so.6")
                .contains("libamdhip64.so.99").contains("libamdhip64-5");
        VendorLibrary impostor = HipLibrary.open(List.of("libc.so.6"));
        assertThat(impostor.absentReason()).get().asString().contains("does not export hipInit");
    }

    @Test
    void aMissingSymbolIsNamedWhenBoundAndWhenCalled() {
        VendorLibrary libc = new VendorLibrary.Spec("libc.so.6", "xsched.test.none", List.of(), "getpid", "libc", "libc", "")
                .open();
        assumeTrue(libc.present(), "no libc.so.6 here");
        Bindings bindings = new Bindings(libc, "this backend needs ROCm 5.2 or later");
        MethodHandle getpid = bindings.bind("getpid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        MethodHandle init = bindings.bind("hipInit", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        MethodHandle name = bindings.bind("hipGetErrorName", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        assertThat(bindings.symbols()).containsExactly("getpid", "hipInit", "hipGetErrorName");
        assertThat(bindings.missing()).containsExactly("hipInit", "hipGetErrorName");
        assertThat(getpid).isNotNull();
        assertThatThrownBy(() -> {
            int rc = (int) init.invokeExact(0);
        }).isInstanceOf(UnsupportedOperationException.class).hasMessageStartingWith("hipInit: ")
                .hasMessageContaining("does not export hipInit").hasMessageContaining("ROCm 5.2");
        assertThatThrownBy(() -> {
            java.lang.foreign.MemorySegment text = (java.lang.foreign.MemorySegment) name.invokeExact(0);
        }).isInstanceOf(UnsupportedOperationException.class).hasMessageStartingWith("hipGetErrorName: ");
    }
}
