package xsched.policy.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;
import xsched.spi.policy.PolicyContext;

/**
 * Round robin with one slice per turn, per device. Members take turns in ascending key
 * order; a member keeps the device until its slice ends or it stops being READY. A turn that
 * overran its slice (the scheduler woke late) is repaid by shortening that member's next slices,
 * so late timers do not skew the shares. Used on the scheduler thread only.
 *
 * <p>Shared by the up and pup policies; bnd copies this package privately into each of them.
 */
public final class SliceRotation {
    /** A READY member of one device and the slice it is entitled to per turn. */
    public record Member(long key, long sliceNanos) {
    }

    /** A member on one device: what overruns are owed by. @param device device @param key member */
    public record Slot(String device, long key) {
    }

    private record Turn(long key, long endNanos) {
    }

    /**
     * The members of one device's rotation with slices in proportion to their utilization hints:
     * a round is {@code average} per member; members without a hint (0) share what the hinted
     * ones leave of 100 %, but get at least {@code unhintedFloor} % each.
     *
     * @param utilizationByKey each member's utilization hint, 0 for none, in ascending key order
     * @param average          the average slice
     * @param unhintedFloor    the least share of an unhinted member, %
     * @return the members, ascending by key
     */
    public static List<Member> proportional(SortedMap<Long, Integer> utilizationByKey, long average, int unhintedFloor) {
        int hinted = 0;
        int unhinted = 0;
        for (int u : utilizationByKey.values()) {
            hinted += u;
            unhinted += u > 0 ? 0 : 1;
        }
        int leftover = unhinted == 0 ? 0 : Math.max(unhintedFloor, Math.max(0, 100 - hinted) / unhinted);
        double total = hinted + (double) leftover * unhinted;
        long round = average * utilizationByKey.size();
        List<Member> members = new ArrayList<>(utilizationByKey.size());
        utilizationByKey.forEach((key, u) -> members.add(new Member(key, (long) (round * ((u > 0 ? u : leftover) / total)))));
        return members;
    }

    private final Map<String, Turn> turns = new HashMap<>();
    private final Map<Slot, Long> owed = new HashMap<>();

    /**
     * Picks the member that holds the device now, starting a new turn (and asking for a timer at its
     * end) when the current one is over.
     *
     * @param device   the device
     * @param members  its READY members, ascending by key, not empty
     * @param now      the scheduler clock
     * @param minSlice the shortest slice ever given
     * @param context  where the timer is asked for
     * @return the key of the member that runs
     */
    public long select(String device, List<Member> members, long now, long minSlice, PolicyContext context) {
        Turn turn = turns.get(device);
        int at = turn == null ? -1 : indexOf(members, turn.key());
        if (at >= 0 && now < turn.endNanos()) {
            return turn.key();
        }
        if (at >= 0) {
            owed.merge(new Slot(device, turn.key()), now - turn.endNanos(), Long::sum);
        }
        Member next = members.get(turn == null ? 0 : nextIndex(members, turn.key(), at));
        Slot slot = new Slot(device, next.key());
        long debt = owed.getOrDefault(slot, 0L);
        long length = Math.max(minSlice, next.sliceNanos() - debt);
        owed.put(slot, Math.max(0, debt + length - next.sliceNanos()));
        turns.put(device, new Turn(next.key(), now + length));
        context.timer(now + length);
        return next.key();
    }

    /**
     * Forgets devices without READY members and the debts of members no longer READY (an overrun is
     * repaid within the busy period it happened in).
     *
     * @param ready the READY members
     */
    public void retain(Set<Slot> ready) {
        turns.keySet().retainAll(ready.stream().map(Slot::device).collect(Collectors.toSet()));
        owed.keySet().retainAll(ready);
    }

    /** Forgets everything. */
    public void clear() {
        turns.clear();
        owed.clear();
    }

    private static int indexOf(List<Member> members, long key) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).key() == key) {
                return i;
            }
        }
        return -1;
    }

    private static int nextIndex(List<Member> members, long previousKey, int previousIndex) {
        if (previousIndex >= 0) {
            return (previousIndex + 1) % members.size();
        }
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).key() > previousKey) {
                return i;
            }
        }
        return 0;
    }
}
