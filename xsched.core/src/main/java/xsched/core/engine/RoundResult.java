package xsched.core.engine;

/**
 * What one {@link SteppedScheduler#runRound()} did.
 *
 * @param decided whether the policy's {@code schedule} returned normally and its decisions were
 *                applied; false with no policy, or when the policy threw (then every queue runs)
 * @param failure the first {@link Throwable} a policy call ({@code schedule}, {@code hint} or
 *                {@code reset}) threw in this round, or null; the engine caught it
 */
public record RoundResult(boolean decided, Throwable failure) {
}
