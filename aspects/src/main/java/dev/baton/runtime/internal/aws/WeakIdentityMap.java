package dev.baton.runtime.internal.aws;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>A map from objects, compared by identity and held weakly, to values: what {@link
 * ReceivedMessages} needs, whose keys are SDK {@code Message}s, whose {@code equals} and {@code
 * hashCode} read the whole body. No key's {@code hashCode} or {@code equals} is ever called: a key
 * is found by its identity hash code and {@code ==}.
 *
 * <ul>
 *   <li><b>Thread-safe and cheap under contention</b>: keys are spread over a fixed number of
 *       stripes by their identity hash, each a small chained hash table behind its own lock, held
 *       for a few pointer steps.
 *   <li><b>Weak</b>: an entry does not keep its key alive; entries whose key was collected are
 *       dropped the next time their stripe is written to.
 *   <li><b>Bounded</b>: a stripe holds at most {@code maxPerStripe} entries; a full one drops its
 *       oldest entry to make room, so memory stays bounded however many keys are kept alive.
 * </ul>
 */
public final class WeakIdentityMap<K, V> {

  private final Stripe<K, V>[] stripes;
  private final int maxPerStripe;

  /**
   * @param stripes how many independently locked tables, a power of two
   * @param maxPerStripe the most entries each holds
   */
  @SuppressWarnings("unchecked")
  public WeakIdentityMap(int stripes, int maxPerStripe) {
    if (Integer.bitCount(stripes) != 1 || maxPerStripe < 1) {
      throw new IllegalArgumentException(stripes + " stripes of " + maxPerStripe);
    }
    this.stripes = new Stripe[stripes];
    for (int i = 0; i < stripes; i++) {
      this.stripes[i] = new Stripe<>();
    }
    this.maxPerStripe = maxPerStripe;
  }

  /** Maps {@code key} (not null) to {@code value}, in place of what it was mapped to. */
  public void put(K key, V value) {
    int hash = System.identityHashCode(key);
    stripe(hash).put(key, hash, value, maxPerStripe);
  }

  /** What {@code key} (not null) is mapped to, or null. */
  public V get(K key) {
    int hash = System.identityHashCode(key);
    return stripe(hash).get(key, hash);
  }

  /** How many entries the map holds, after dropping those whose key was collected. */
  int size() {
    int size = 0;
    for (Stripe<K, V> stripe : stripes) {
      size += stripe.size();
    }
    return size;
  }

  private Stripe<K, V> stripe(int hash) {
    return stripes[hash & (stripes.length - 1)];
  }

  /** One entry: a weak reference to its key, in its bucket's chain and in the insertion order. */
  private static final class Entry<K, V> extends WeakReference<K> {
    final int hash;
    V value;
    Entry<K, V> next;
    Entry<K, V> older;
    Entry<K, V> newer;
    boolean removed;

    Entry(K key, int hash, V value, ReferenceQueue<K> collected) {
      super(key, collected);
      this.hash = hash;
      this.value = value;
    }
  }

  /** A chained hash table of weak entries, kept in insertion order, behind its own lock. */
  private static final class Stripe<K, V> {
    private static final int INITIAL_BUCKETS = 16;

    private final ReferenceQueue<K> collected = new ReferenceQueue<>();
    private Entry<K, V>[] buckets = newBuckets(INITIAL_BUCKETS);
    private int size;
    private Entry<K, V> oldest;
    private Entry<K, V> newest;

    synchronized V get(K key, int hash) {
      for (Entry<K, V> entry = buckets[index(hash, buckets.length)];
          entry != null;
          entry = entry.next) {
        if (entry.hash == hash && entry.get() == key) {
          return entry.value;
        }
      }
      return null;
    }

    synchronized void put(K key, int hash, V value, int max) {
      dropCollected();
      int index = index(hash, buckets.length);
      for (Entry<K, V> entry = buckets[index]; entry != null; entry = entry.next) {
        if (entry.hash == hash && entry.get() == key) {
          entry.value = value;
          return;
        }
      }
      if (size >= max) {
        remove(oldest);
      }
      if (size >= buckets.length - (buckets.length >>> 2)) {
        grow();
        index = index(hash, buckets.length);
      }
      Entry<K, V> entry = new Entry<>(key, hash, value, collected);
      entry.next = buckets[index];
      buckets[index] = entry;
      entry.older = newest;
      if (newest == null) {
        oldest = entry;
      } else {
        newest.newer = entry;
      }
      newest = entry;
      size++;
    }

    synchronized int size() {
      dropCollected();
      return size;
    }

    @SuppressWarnings("unchecked")
    private void dropCollected() {
      for (Object reference; (reference = collected.poll()) != null; ) {
        remove((Entry<K, V>) reference);
      }
    }

    /** Removes {@code entry} from its chain and the insertion order; once only. */
    private void remove(Entry<K, V> entry) {
      if (entry == null || entry.removed) {
        return;
      }
      entry.removed = true;
      int index = index(entry.hash, buckets.length);
      if (buckets[index] == entry) {
        buckets[index] = entry.next;
      } else {
        for (Entry<K, V> before = buckets[index]; before != null; before = before.next) {
          if (before.next == entry) {
            before.next = entry.next;
            break;
          }
        }
      }
      if (entry.older == null) {
        oldest = entry.newer;
      } else {
        entry.older.newer = entry.newer;
      }
      if (entry.newer == null) {
        newest = entry.older;
      } else {
        entry.newer.older = entry.older;
      }
      entry.next = null;
      entry.older = null;
      entry.newer = null;
      entry.value = null;
      entry.clear();
      size--;
    }

    private void grow() {
      Entry<K, V>[] grown = newBuckets(buckets.length * 2);
      for (Entry<K, V> entry = oldest; entry != null; entry = entry.newer) {
        int index = index(entry.hash, grown.length);
        entry.next = grown[index];
        grown[index] = entry;
      }
      buckets = grown;
    }

    /**
     * The bucket of {@code hash}, from other bits than those that chose the stripe (identity hash
     * codes are random numbers on HotSpot, so any bits will do).
     */
    private static int index(int hash, int buckets) {
      return Integer.rotateRight(hash, 4) & (buckets - 1);
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Entry<K, V>[] newBuckets(int length) {
      return new Entry[length];
    }
  }
}
