package xsched.karaf.compat.internal;

import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.hooks.weaving.WovenClass;
import org.osgi.framework.wiring.BundleWiring;

/** A class being woven, as the framework hands it to a hook, recording what the hook did. */
final class FakeWovenClass implements WovenClass {
    private final String className;
    private final BundleWiring wiring;
    private final List<String> dynamicImports = new ArrayList<>();
    private byte[] bytes;
    private int setBytesCalls;

    FakeWovenClass(String className, byte[] bytes, BundleWiring wiring) {
        this.className = className;
        this.bytes = bytes;
        this.wiring = wiring;
    }

    int setBytesCalls() {
        return setBytesCalls;
    }

    @Override
    public byte[] getBytes() {
        return bytes;
    }

    @Override
    public void setBytes(byte[] newBytes) {
        setBytesCalls++;
        bytes = newBytes;
    }

    @Override
    public List<String> getDynamicImports() {
        return dynamicImports;
    }

    @Override
    public boolean isWeavingComplete() {
        return false;
    }

    @Override
    public String getClassName() {
        return className;
    }

    @Override
    public ProtectionDomain getProtectionDomain() {
        return null;
    }

    @Override
    public Class<?> getDefinedClass() {
        return null;
    }

    @Override
    public BundleWiring getBundleWiring() {
        return wiring;
    }

    @Override
    public int getState() {
        return TRANSFORMING;
    }
}
