package dev.imagegate.scan.report;

import dev.imagegate.scan.osv.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The console table: grouped by package, worst package first, with installed and fixed version. */
public final class ConsoleTable {
  private ConsoleTable() {}

  public static List<String> render(List<Finding> findings, Set<String> blockingIds) {
    Map<String, List<Finding>> byPackage = new LinkedHashMap<>();
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::pkg));
    for (Finding f : sorted) {
      byPackage.computeIfAbsent(f.pkg() + " " + f.installed(), k -> new ArrayList<>()).add(f);
    }
    String[] head = {"Package", "Installed", "Vulnerability", "Severity", "Fixed", ""};
    List<String[]> rows = new ArrayList<>();
    for (List<Finding> group : byPackage.values()) {
      boolean first = true;
      for (Finding f : group) {
        rows.add(new String[] {
          first ? f.pkg() : "", first ? f.installed() : "", f.id(), f.severity().name(), f.fixed() == null ? "(no fix)" : f.fixed(),
          blockingIds.contains(f.id() + "|" + f.pkg()) ? "BLOCKING" : ""
        });
        first = false;
      }
    }
    int[] w = new int[head.length];
    for (int i = 0; i < head.length; i++) {
      w[i] = head[i].length();
      for (String[] r : rows) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    if (rows.isEmpty()) {
      return out;
    }
    out.add(line(head, w));
    StringBuilder sep = new StringBuilder();
    for (int i = 0; i < w.length - 1; i++) {
      sep.append("-".repeat(w[i])).append("  ");
    }
    out.add(sep.toString().trim());
    for (String[] r : rows) {
      out.add(line(r, w));
    }
    return out;
  }

  /** Pads each cell to its column's width; a column may be 0 wide (no row BLOCKING), which a %-Ns format cannot express. */
  private static String line(String[] cells, int[] w) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      b.append(cells[i]).append(" ".repeat(w[i] - cells[i].length())).append("  ");
    }
    return b.toString().stripTrailing();
  }
}
