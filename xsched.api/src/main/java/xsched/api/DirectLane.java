package xsched.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way for an application to launch on a queue's hardware queue itself, past the queue, while the
 * queue would launch its commands at once anyway: it runs, nothing waits in front of it, and its
 * launch window has room. The queue opens the lane with a number of launches, which the
 * application spends without asking (each a credit taken, say, by an atomic decrement in native
 * code), and learns from time to time how many it spent: those become launched commands of the
 * queue, which it follows to their end like its own. Whenever the queue could no longer launch at
 * once (it is suspended, goes idle, closes, moves), it closes the lane first, and the application's
 * next launch goes through {@link XQueue#submit} again.
 *
 * <p>Every method is called with the queue's lock held, by whichever thread changes the queue's
 * state: implementations only read and store, never block or call back into the queue. A launch the
 * application made after taking a credit may reach the hardware queue just after the lane was
 * closed or pulled (it was decided before): at most one per application thread launching on the
 * lane, which the queue may then believe done a little early.
 */
@ConsumerType
public interface DirectLane {
    /**
     * Lets the application make up to {@code launches} launches without asking; forgets what an
     * earlier opening let it make and was not spent.
     *
     * @param launches how many, at least 1
     */
    void open(int launches);

    /**
     * The lane stays open.
     *
     * @return how many launches were made through it since it was opened or last pulled
     */
    int pull();

    /**
     * Closes the lane: no launch made after this returns went through it.
     *
     * @return how many launches were made through it since it was opened or last pulled
     */
    int close();
}
