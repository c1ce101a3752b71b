package xsched.karaf.compat.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Defines the given class files itself (so the JVM verifies them) and delegates everything
 * else, {@code xsched.karaf.compat.CurrentSubject} included, to the test's class loader.
 */
final class IsolatedClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    IsolatedClassLoader(Map<String, byte[]> classes) {
        super("isolated", IsolatedClassLoader.class.getClassLoader());
        this.classes = classes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            return loaded != null ? loaded : defineClass(name, bytes, 0, bytes.length);
        }
    }

    /** Calls a public static method, rethrowing what it throws as it is. */
    Object call(String className, String method, Class<?>[] types, Object... args) throws Throwable {
        Method target = loadClass(className).getMethod(method, types);
        try {
            return target.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Calls a public static method without parameters. */
    Object call(String className, String method) throws Throwable {
        return call(className, method, new Class<?>[0]);
    }
}
