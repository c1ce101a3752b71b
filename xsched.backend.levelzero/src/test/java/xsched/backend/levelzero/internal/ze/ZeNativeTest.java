package xsched.backend.levelzero.internal.ze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import xsched.backend.levelzero.ZeException;
import xsched.backend.support.VendorLibrary;

/**
 * The bindings against the real loader (Debian {@code libze1}): every entry point the facade binds
 * resolves, and calls reach the loader. Skipped where the loader is not installed.
 */
class ZeNativeTest {
    private static VendorLibrary loader() {
        VendorLibrary library = ZeNative.library();
        if (!library.present()) {
            System.out.println("[levelzero tests] SKIPPED, no loader: " + library.absentReason().orElse("") );
        }
        assumeTrue(library.present(), () -> "the Level Zero loader is not installed: " + library.absentReason().orElse(""));
        return library;
    }

    @Test
    void everySymbolTheFacadeBindsResolvesInTheLoader() {
        VendorLibrary library = loader();
        List<String> fields = Arrays.stream(ZeNative.class.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == MethodHandle.class && !f.getName().equals("THROW_MISSING"))
                .map(Field::getName).toList();

        assertThat(ZeNative.symbols()).as("one handle per symbol, named as the symbol").containsExactlyElementsOf(fields);
        assertThat(ZeNative.missingSymbols()).as("symbols the loader lacks").isEmpty();
        SymbolLookup independent = SymbolLookup.libraryLookup(library.source().orElseThrow(), Arena.global());
        for (String symbol : ZeNative.symbols()) {
            assertThat(independent.find(symbol)).as(symbol).isPresent();
        }
        System.out.println("[levelzero tests] all " + ZeNative.symbols().size() + " entry points resolve in "
                + library.source().orElseThrow());
    }

    @Test
    void callsReachTheLoaderAndAMissingDriverIsAnError() {
        loader();
        int rc = LevelZero.init(LevelZero.INIT_ALL_DRIVERS);
        assumeTrue(rc != ZeResults.SUCCESS, "this host has a Level Zero driver; its absence cannot be observed here");

        assertThat(rc).as(ZeResults.name(rc)).isEqualTo(ZeResults.ERROR_UNINITIALIZED);
        assertThatThrownBy(LevelZero::drivers).isInstanceOf(ZeException.class)
                .hasMessage("zeDriverGet failed: ZE_RESULT_ERROR_UNINITIALIZED (0x78000001)");
        System.out.println("[levelzero tests] zeInit(0) on this host: " + ZeResults.name(rc) + " (no driver)");
    }

    @Test
    void aSymbolTheLibraryLacksGetsAHandleThatNamesIt() {
        VendorLibrary libc = new VendorLibrary.Spec("libc.so.6", "xsched.test.none", List.of(), "malloc", "libc", "libc", "")
                .open();
        assertThat(libc.present()).isTrue();

        assertThat(ZeNative.missingIn(libc)).containsExactlyElementsOf(ZeNative.symbols());
        MethodHandle zeInit = ZeNative.bind(libc, "zeInit", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        assertThatThrownBy(() -> {
            int rc = (int) zeInit.invokeExact(0);
            assertThat(rc).isZero();
        }).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("zeInit: the Level Zero loader libc.so.6 does not export zeInit; it is older than this backend needs "
                        + "(loader 1.8, API 1.4)");
        VendorLibrary absent = ZeLibrary.open(List.of("/nonexistent/libze_loader.so.1"));
        MethodHandle zeDriverGet = ZeNative.bind(absent, "zeDriverGet",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        assertThatThrownBy(() -> zeDriverGet.invoke(MemorySegment.NULL, MemorySegment.NULL))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("zeDriverGet: Level Zero unsupported because the Level Zero loader could not be loaded");
    }

    @Test
    void aLibraryWithoutZeInitIsNotTakenForTheLoader() {
        VendorLibrary lib = ZeLibrary.open(List.of("libc.so.6"));

        assertThat(lib.present()).isFalse();
        assertThat(lib.absentReason()).hasValueSatisfying(r -> assertThat(r).contains("libc.so.6: it does not export zeInit"));
    }

    @Test
    void aMissingLoaderIsAbsentWithWhatToInstall() {
        VendorLibrary lib = ZeLibrary.open(List.of("/nonexistent/libze_loader.so.1"));

        assertThat(lib.present()).isFalse();
        assertThat(lib.absentReason()).hasValueSatisfying(r -> assertThat(r)
                .startsWith("the Level Zero loader could not be loaded").contains("/nonexistent/libze_loader.so.1").contains("libze1"));
    }
}
