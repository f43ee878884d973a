package io.notify.gateway.routing;

import java.util.UUID;

/**
 * The notification ids pushed to one socket as {@code notification} frames that it has not acknowledged
 * yet, oldest first: each id as two longs in one ring of {@code long}s, grown from 4 ids by doubling up to
 * a bound (past it the oldest id is dropped). A socket holds one only while something is pending
 * ({@link Session} drops it when it empties), so a socket that acknowledged everything costs nothing here.
 *
 * <p>Not thread-safe: {@link Session} guards it.
 */
final class PendingAcks {

    private static final int FIRST_CAPACITY = 4;

    /** {@code [msb, lsb]} pairs; slot {@code i} is at {@code 2 * ((head + i) % capacity)}. */
    private long[] ids = new long[2 * FIRST_CAPACITY];
    private int head;
    private int size;

    /** Adds {@code id}; returns true when the oldest id was dropped for it (the ring was at {@code bound}). */
    boolean add(UUID id, int bound) {
        boolean dropped = false;
        int capacity = ids.length / 2;
        if (size == capacity) {
            if (capacity < bound) {
                grow(Math.min(bound, capacity * 2));
            } else {
                head = slot(1);
                size--;
                dropped = true;
            }
        }
        int at = 2 * slot(size);
        ids[at] = id.getMostSignificantBits();
        ids[at + 1] = id.getLeastSignificantBits();
        size++;
        return dropped;
    }

    /** Removes {@code id} (its newest occurrence: an id is pushed twice when a resume replays it); false when it is not pending. */
    boolean remove(UUID id) {
        return remove(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** {@link #remove(UUID)} of the id with these bits. */
    boolean remove(long msb, long lsb) {
        int i = indexOf(msb, lsb);
        if (i < 0) {
            return false;
        }
        if (i == 0) { // acknowledged in the order pushed
            head = slot(1);
        } else { // the later ones move up one place (none when it is the newest)
            for (int j = i; j < size - 1; j++) {
                int to = 2 * slot(j);
                int from = 2 * slot(j + 1);
                ids[to] = ids[from];
                ids[to + 1] = ids[from + 1];
            }
        }
        size--;
        return true;
    }

    boolean contains(UUID id) {
        return indexOf(id.getMostSignificantBits(), id.getLeastSignificantBits()) >= 0;
    }

    /**
     * Whether each of the {@code n} ids in {@code bits} ({@code [msb, lsb]} pairs) is pending and none is listed twice
     * (the second of two would not be pending once the first is removed).
     */
    boolean containsAll(long[] bits, int n) {
        for (int i = 0; i < n; i++) {
            long msb = bits[2 * i];
            long lsb = bits[2 * i + 1];
            if (indexOf(msb, lsb) < 0) {
                return false;
            }
            for (int j = 0; j < i; j++) {
                if (bits[2 * j] == msb && bits[2 * j + 1] == lsb) {
                    return false;
                }
            }
        }
        return true;
    }

    int size() {
        return size;
    }

    /** Ids it can hold before growing (for tests). */
    int capacity() {
        return ids.length / 2;
    }

    /**
     * The place of the newest occurrence, from the oldest (0), or -1. Searched newest first: a client acknowledging
     * everything holds a few ids, and one that stopped acknowledging (an older client, acks switched off) holds up to
     * the bound of stale ones before the one it acknowledges now. No division in the loop: a {@code %} per id made
     * this scan most of an ack's cost with a full ring (JFR, session 14).
     */
    private int indexOf(long msb, long lsb) {
        for (int i = size - 1; i >= 0; i--) {
            int at = 2 * slot(i);
            if (ids[at + 1] == lsb && ids[at] == msb) {
                return i;
            }
        }
        return -1;
    }

    /** The ring slot of place {@code i} (0 = the oldest), {@code i} being less than the capacity. */
    private int slot(int i) {
        int slot = head + i;
        int capacity = ids.length / 2;
        return slot < capacity ? slot : slot - capacity;
    }

    private void grow(int capacity) {
        long[] larger = new long[2 * capacity];
        int old = ids.length / 2;
        for (int i = 0; i < size; i++) {
            int from = 2 * ((head + i) % old);
            larger[2 * i] = ids[from];
            larger[2 * i + 1] = ids[from + 1];
        }
        ids = larger;
        head = 0;
    }
}
