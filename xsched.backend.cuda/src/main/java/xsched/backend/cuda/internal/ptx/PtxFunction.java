package xsched.backend.cuda.internal.ptx;

import java.util.List;

/**
 * A {@code .entry} or {@code .func} with a body, as located in the module text.
 *
 * @param entry true for a kernel ({@code .entry}), false for a device function
 * @param name the function's name
 * @param start offset of the {@code .entry}/{@code .func} keyword's declaration (linkage included)
 * @param end offset just past the body's closing brace
 * @param nameToken the name token (parameters get inserted after it when the list is missing)
 * @param params the parameter declarations, each without its separating comma; empty for none
 * @param paramOpen the {@code (} of the parameter list, or null when the entry has none
 * @param paramClose the {@code )} of the parameter list, or null
 * @param directives tokens between the parameter list and the body ({@code .maxntid 256, 1, 1})
 * @param bodyOpen the body's {@code {}
 * @param body the body's statements, outer braces excluded
 */
record PtxFunction(boolean entry, String name, int start, int end, PtxToken nameToken, List<List<PtxToken>> params,
        PtxToken paramOpen, PtxToken paramClose, List<PtxToken> directives, PtxToken bodyOpen,
        List<PtxStatement> body) {

    String kind() {
        return entry ? ".entry" : ".func";
    }
}
