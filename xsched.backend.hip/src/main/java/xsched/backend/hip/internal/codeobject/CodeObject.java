package xsched.backend.hip.internal.codeobject;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a HIP module image tells about its kernels before any GPU sees it: the targets it was built
 * for and each kernel's parameters, from the code object's {@code NT_AMDGPU_METADATA} note
 * (MessagePack, code object v3 and later). Reads a bare AMDGPU ELF code object ({@code .hsaco},
 * {@code .co}) or an uncompressed clang offload bundle ({@code __CLANG_OFFLOAD_BUNDLE__}, what
 * {@code hipcc --genco} writes), taking the kernels of its first AMDGPU entry: every entry is the
 * same source, so the parameter layout is the same. Anything else — a compressed bundle, code object
 * v2 (YAML metadata) — is {@linkplain #readable() unreadable} with the reason, and launches of its
 * kernels are then not checked against their parameters.
 *
 * @param targets          the targets found, e.g. {@code amdgcn-amd-amdhsa--gfx90a}
 * @param kernels          kernel name → signature
 * @param unreadableReason why nothing could be read, or {@code null}
 */
public record CodeObject(List<String> targets, Map<String, KernelSignature> kernels, String unreadableReason) {
    private static final byte[] BUNDLE_MAGIC = "__CLANG_OFFLOAD_BUNDLE__".getBytes(StandardCharsets.US_ASCII);
    private static final int EM_AMDGPU = 224;
    private static final int SHT_NOTE = 7;
    private static final int PT_NOTE = 4;
    private static final int NT_AMDGPU_METADATA = 32;

    /** Copies. */
    public CodeObject {
        targets = List.copyOf(targets);
        kernels = Map.copyOf(kernels);
    }

    /** @return whether the kernels could be read */
    public boolean readable() {
        return unreadableReason == null;
    }

    /** @param name a kernel name @return its signature, if the image describes it */
    public Optional<KernelSignature> kernel(String name) {
        return Optional.ofNullable(kernels.get(name));
    }

    private static CodeObject unreadable(String why) {
        return new CodeObject(List.of(), Map.of(), why);
    }

    /**
     * @param image a module image as {@code hipModuleLoadData} takes it
     * @return what it says about its kernels; never throws
     */
    public static CodeObject read(byte[] image) {
        ByteBuffer in = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (startsWith(image, BUNDLE_MAGIC)) {
                return bundle(in);
            }
            if (image.length >= 4 && image[0] == 0x7F && image[1] == 'E' && image[2] == 'L' && image[3] == 'F') {
                return elf(in);
            }
            if (image.length >= 4 && image[0] == 'C' && image[1] == 'C' && image[2] == 'O' && image[3] == 'B') {
                return unreadable("it is a compressed offload bundle, which xsched does not unpack");
            }
            return unreadable("it is neither an AMDGPU ELF code object nor a clang offload bundle");
        } catch (RuntimeException e) {
            return unreadable("it is malformed: " + e.getMessage());
        }
    }

    private static boolean startsWith(byte[] image, byte[] prefix) {
        if (image.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (image[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static CodeObject bundle(ByteBuffer in) {
        long count = in.getLong(BUNDLE_MAGIC.length);
        int at = BUNDLE_MAGIC.length + 8;
        List<String> targets = new ArrayList<>();
        CodeObject first = null;
        for (long i = 0; i < count; i++) {
            long offset = in.getLong(at);
            long size = in.getLong(at + 8);
            int tripleSize = Math.toIntExact(in.getLong(at + 16));
            byte[] triple = new byte[tripleSize];
            in.get(at + 24, triple);
            at += 24 + tripleSize;
            String t = new String(triple, StandardCharsets.US_ASCII);
            if (!t.contains("amdgcn") || size == 0) {
                continue;
            }
            targets.add(t.substring(t.indexOf("amdgcn")));
            if (first == null) {
                first = elf(in.slice(Math.toIntExact(offset), Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN));
            }
        }
        if (first == null) {
            return unreadable("the offload bundle has no AMDGPU code object");
        }
        return first.readable() ? new CodeObject(targets, first.kernels, null) : first;
    }

    private static CodeObject elf(ByteBuffer in) {
        if (in.get(4) != 2 || in.get(5) != 1) {
            return unreadable("it is not a 64-bit little-endian ELF file");
        }
        int machine = in.getShort(18) & 0xFFFF;
        if (machine != EM_AMDGPU) {
            return unreadable("it is an ELF file for machine " + machine + ", not AMDGPU (" + EM_AMDGPU + ")");
        }
        List<ByteBuffer> notes = new ArrayList<>();
        long shoff = in.getLong(0x28);
        int shentsize = in.getShort(0x3A) & 0xFFFF;
        int shnum = in.getShort(0x3C) & 0xFFFF;
        for (int i = 0; shoff != 0 && i < shnum; i++) {
            int sh = Math.toIntExact(shoff + (long) i * shentsize);
            if (in.getInt(sh + 4) == SHT_NOTE) {
                notes.add(in.slice(Math.toIntExact(in.getLong(sh + 24)), Math.toIntExact(in.getLong(sh + 32))));
            }
        }
        if (notes.isEmpty()) {
            long phoff = in.getLong(0x20);
            int phentsize = in.getShort(0x36) & 0xFFFF;
            int phnum = in.getShort(0x38) & 0xFFFF;
            for (int i = 0; phoff != 0 && i < phnum; i++) {
                int ph = Math.toIntExact(phoff + (long) i * phentsize);
                if (in.getInt(ph) == PT_NOTE) {
                    notes.add(in.slice(Math.toIntExact(in.getLong(ph + 8)), Math.toIntExact(in.getLong(ph + 32))));
                }
            }
        }
        for (ByteBuffer note : notes) {
            Optional<ByteBuffer> metadata = metadata(note.order(ByteOrder.LITTLE_ENDIAN));
            if (metadata.isPresent()) {
                return Metadata.kernels(MsgPack.read(metadata.get()));
            }
        }
        return unreadable("it has no AMDGPU metadata note (code object v2 keeps YAML metadata, which xsched does not read)");
    }

    /** @return the descriptor of the {@code AMDGPU} / {@code NT_AMDGPU_METADATA} note of a note section, if any */
    private static Optional<ByteBuffer> metadata(ByteBuffer notes) {
        int at = 0;
        while (at + 12 <= notes.limit()) {
            int namesz = notes.getInt(at);
            int descsz = notes.getInt(at + 4);
            int type = notes.getInt(at + 8);
            int nameAt = at + 12;
            int descAt = nameAt + align4(namesz);
            if (namesz < 0 || descsz < 0 || descAt + descsz > notes.limit()) {
                throw new IllegalArgumentException("a note runs past its section");
            }
            byte[] name = new byte[Math.max(0, namesz - 1)];
            notes.get(nameAt, name);
            if (type == NT_AMDGPU_METADATA && new String(name, StandardCharsets.US_ASCII).equals("AMDGPU")) {
                return Optional.of(notes.slice(descAt, descsz));
            }
            at = descAt + align4(descsz);
        }
        return Optional.empty();
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    /** Turns the decoded metadata map into signatures. */
    private static final class Metadata {
        private Metadata() {
        }

        static CodeObject kernels(Object root) {
            if (!(root instanceof Map<?, ?> map) || !(map.get("amdhsa.kernels") instanceof List<?> list)) {
                return unreadable("its metadata has no amdhsa.kernels list");
            }
            Map<String, KernelSignature> kernels = new LinkedHashMap<>();
            for (Object k : list) {
                if (k instanceof Map<?, ?> kernel && kernel.get(".name") instanceof String name) {
                    kernels.put(name, signature(name, kernel));
                }
            }
            List<String> targets = map.get("amdhsa.target") instanceof String t ? List.of(t) : List.of();
            return new CodeObject(targets, kernels, null);
        }

        private static KernelSignature signature(String name, Map<?, ?> kernel) {
            List<KernelSignature.Param> params = new ArrayList<>();
            if (kernel.get(".args") instanceof List<?> args) {
                for (Object a : args) {
                    if (a instanceof Map<?, ?> arg && arg.get(".value_kind") instanceof String kind && !kind.startsWith("hidden_")) {
                        params.add(new KernelSignature.Param(number(arg, ".offset"), number(arg, ".size"), kind,
                                arg.get(".type_name") instanceof String type ? type : ""));
                    }
                }
            }
            return new KernelSignature(name, params, number(kernel, ".kernarg_segment_size"),
                    number(kernel, ".max_flat_workgroup_size"), number(kernel, ".group_segment_fixed_size"));
        }

        private static int number(Map<?, ?> map, String key) {
            return map.get(key) instanceof Long n ? Math.toIntExact(n) : 0;
        }
    }
}
