package xsched.daemon.internal.server;

/**
 * One connected client, for the operator.
 *
 * @param number      the connection's number, in order of arrival
 * @param name        the name the client gave
 * @param pid         its process id (from the kernel)
 * @param uid         its user id (from the kernel)
 * @param gid         its group id (from the kernel)
 * @param queues      its open queues
 * @param connectedAt when it connected, in milliseconds since the epoch
 */
public record ClientView(long number, String name, long pid, long uid, long gid, int queues, long connectedAt) {
}
