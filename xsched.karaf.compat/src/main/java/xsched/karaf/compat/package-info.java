/**
 * What Karaf code woven by the xsched Karaf compatibility bundle calls instead of the
 * {@link javax.security.auth.Subject} methods that stopped working in Java 24: see
 * {@link xsched.karaf.compat.CurrentSubject}. Nothing else should use this package; it goes
 * away with the workaround once Karaf supports Java 24+.
 */
@Export
@Version("0.1.0")
package xsched.karaf.compat;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
