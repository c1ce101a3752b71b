package xsched.karaf.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PrivilegedAction;
import java.security.PrivilegedExceptionAction;
import java.util.concurrent.atomic.AtomicReference;
import javax.security.auth.Subject;
import org.junit.jupiter.api.Test;

class CurrentSubjectTest {
    private static Subject current() {
        return CurrentSubject.getSubject(null);
    }

    @Test
    void noSubjectOutsideDoAs() {
        assertThat(current()).isNull();
    }

    @Test
    void nestedDoAsRestoresTheOuterSubject() {
        Subject outer = new Subject();
        Subject inner = new Subject();
        AtomicReference<Subject> innerSeen = new AtomicReference<>();

        Subject outerAfterInner = CurrentSubject.doAs(outer, (PrivilegedAction<Subject>) () -> {
            CurrentSubject.doAs(inner, (PrivilegedAction<Void>) () -> {
                innerSeen.set(current());
                return null;
            });
            return current();
        });

        assertThat(innerSeen.get()).isSameAs(inner);
        assertThat(outerAfterInner).isSameAs(outer);
        assertThat(current()).isNull();
    }

    @Test
    void doAsWithNullSubjectHidesTheOuterOne() {
        Subject outer = new Subject();

        Subject seen = CurrentSubject.doAs(outer, (PrivilegedAction<Subject>) () ->
                CurrentSubject.doAs(null, (PrivilegedAction<Subject>) CurrentSubjectTest::current));

        assertThat(seen).isNull();
    }

    @Test
    void threadStartedInsideDoAsKeepsTheSubject() throws Exception {
        Subject subject = new Subject();
        AtomicReference<Subject> seen = new AtomicReference<>();

        Thread thread = CurrentSubject.doAs(subject, (PrivilegedAction<Thread>) () ->
                Thread.ofPlatform().start(() -> seen.set(current())));
        thread.join();

        assertThat(seen.get()).isSameAs(subject);
    }

    @Test
    void errorsAndExceptionsComeOutAsThemselvesAndTheSubjectIsCleared() {
        AssertionError error = new AssertionError("boom");
        IllegalArgumentException unchecked = new IllegalArgumentException("bad");

        assertThatThrownBy(() -> CurrentSubject.doAs(new Subject(), (PrivilegedAction<Object>) () -> {
            throw error;
        })).isSameAs(error);
        assertThatThrownBy(() -> CurrentSubject.doAs(new Subject(), (PrivilegedExceptionAction<Object>) () -> {
            throw unchecked;
        })).isSameAs(unchecked);
        assertThat(current()).isNull();
    }

    @Test
    void nullActionIsRejectedLikeKarafDoes() {
        assertThatThrownBy(() -> CurrentSubject.doAs(new Subject(), (PrivilegedAction<Object>) null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> CurrentSubject.doAs(new Subject(), (PrivilegedExceptionAction<Object>) null))
                .isInstanceOf(NullPointerException.class);
    }
}
