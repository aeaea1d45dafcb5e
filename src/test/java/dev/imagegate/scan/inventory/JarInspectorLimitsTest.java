package dev.imagegate.scan.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link JarInspector.Limits#hashCode()} names the layer cache's variant ({@code v<format>-<hashCode>}): written out
 * (the generated one costs a method-handle bootstrap in every fresh mvn), it must stay the value the record's generated
 * hashCode gave, or every existing cache entry would be orphaned.
 */
class JarInspectorLimitsTest {
  /** The same components, with the record's generated hashCode. */
  private record Generated(int maxDepth, int maxEntries, long maxNestedBytes, long maxJarBytes) {}

  @Test
  void theDefaultLimitsKeepTheCacheVariantExistingEntriesAreStoredUnder() {
    assertEquals(-1888055620, JarInspector.Limits.DEFAULT.hashCode());
  }

  @Test
  void anyLimitsHashAsTheGeneratedRecordMethodDid() {
    long[][] cases = {{4, 200_000, 64L << 20, 128L << 20}, {1, 2, 3, 4}, {0, 0, 0, 0}, {-7, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE},
        {12, 5, 1L << 40, 99}};
    for (long[] c : cases) {
      JarInspector.Limits limits = new JarInspector.Limits((int) c[0], (int) c[1], c[2], c[3]);
      assertEquals(new Generated((int) c[0], (int) c[1], c[2], c[3]).hashCode(), limits.hashCode(), limits.toString());
    }
  }
}
