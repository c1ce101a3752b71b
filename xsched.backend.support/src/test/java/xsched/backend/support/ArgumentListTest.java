package xsched.backend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentListTest {
    @Test
    void argumentsAreCopiedInOrderAndCountedAgainstTheKernel() {
        ArgumentList<String> list = new ArgumentList<>("vadd", 4);
        list.buffer("buf");
        list.value(42);
        list.value(2.5f);
        list.local(256);

        assertThatThrownBy(() -> list.value(1L)).hasMessage("kernel 'vadd' takes 4 arguments; a long(8 bytes) is one too many");
        List<KernelArgument<String>> args = list.complete();
        assertThat(args).hasSize(4);
        assertThat(args.get(0)).isEqualTo(new KernelArgument.Buffer<>("buf"));
        assertThat(((KernelArgument.Scalar<String>) args.get(1)).bytes())
                .isEqualTo(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(42).array());
        assertThat(args.stream().map(KernelArgument::describe))
                .containsExactly("buffer", "int(4 bytes)", "float(4 bytes)", "local memory(256 bytes)");
        assertThat(args.stream().map(KernelArgument::size)).containsExactly(8L, 4L, 4L, 256L);
    }

    @Test
    void missingArgumentsAndEmptyLocalMemoryAreRefused() {
        ArgumentList<String> list = new ArgumentList<>("k", 2);
        list.value((short) 1);
        assertThatThrownBy(list::complete).hasMessage("kernel 'k' takes 2 arguments, but 1 were given [short(2 bytes)]");
        assertThatThrownBy(() -> list.local(0)).hasMessage("local memory needs at least one byte, not 0");
    }

    @Test
    void theBackendsCheckSeesEachArgumentAtItsIndex() {
        List<String> seen = new ArrayList<>();
        ArgumentList<String> list = new ArgumentList<>("k", 3, (index, arg) -> {
            if (index == 1 && !(arg instanceof KernelArgument.Buffer)) {
                throw new IllegalArgumentException("parameter 1 takes a buffer, not " + arg.describe());
            }
            seen.add(index + ":" + arg.describe());
        });
        list.value(1.0);
        assertThatThrownBy(() -> list.value(2)).hasMessage("parameter 1 takes a buffer, not int(4 bytes)");
        list.buffer("b");
        assertThat(seen).containsExactly("0:double(8 bytes)", "1:buffer");
        assertThat(list.size()).isEqualTo(2);
    }

    @Test
    void setAllStagesEachValueForTheVendorsCall() {
        ArgumentList<String> list = new ArgumentList<>("k", 3);
        list.buffer("b");
        list.scalar("char", new byte[] {5});
        list.local(64);
        List<String> calls = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            KernelArgument.setAll(list.complete(), name -> 0xABCDL, arena, (index, size, value) -> calls.add(index + "/" + size + "/"
                    + (value.equals(MemorySegment.NULL) ? "null" : Long.toHexString(value.byteSize() == 8
                    ? value.get(ValueLayout.JAVA_LONG, 0) : value.get(ValueLayout.JAVA_BYTE, 0)))));
        }
        assertThat(calls).containsExactly("0/8/abcd", "1/1/5", "2/64/null");
    }
}
