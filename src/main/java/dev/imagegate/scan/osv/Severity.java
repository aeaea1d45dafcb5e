package dev.imagegate.scan.osv;

import java.util.Locale;

/** Severity levels, in Trivy's order. */
public enum Severity {
  UNKNOWN,
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  /** CVSS v3 bands: 0.1–3.9 LOW, 4.0–6.9 MEDIUM, 7.0–8.9 HIGH, 9.0–10.0 CRITICAL. */
  public static Severity ofScore(double score) {
    if (score >= 9.0) {
      return CRITICAL;
    }
    if (score >= 7.0) {
      return HIGH;
    }
    if (score >= 4.0) {
      return MEDIUM;
    }
    return score > 0 ? LOW : UNKNOWN;
  }

  /** CVSS v2 bands as NVD rates them: 0.1–3.9 LOW, 4.0–6.9 MEDIUM, 7.0–10.0 HIGH (v2 has no CRITICAL). */
  public static Severity ofCvss2Score(double score) {
    Severity s = ofScore(score);
    return s == CRITICAL ? HIGH : s;
  }

  /** GHSA {@code database_specific.severity} (MODERATE → MEDIUM), or UNKNOWN. */
  public static Severity ofGhsa(String s) {
    if (s == null) {
      return UNKNOWN;
    }
    return switch (s.trim().toUpperCase(Locale.ROOT)) {
      case "LOW" -> LOW;
      case "MODERATE", "MEDIUM" -> MEDIUM;
      case "HIGH" -> HIGH;
      case "CRITICAL" -> CRITICAL;
      default -> UNKNOWN;
    };
  }

  /**
   * Debian urgency as Trivy maps it: {@code unimportant}/{@code low} → LOW, {@code medium} → MEDIUM, {@code high} →
   * HIGH; {@code not yet assigned}, {@code end-of-life} and anything else → UNKNOWN (then CVSS decides).
   */
  public static Severity ofDebianUrgency(String s) {
    if (s == null) {
      return UNKNOWN;
    }
    String u = s.trim().toLowerCase(Locale.ROOT).replace("*", "").replace("**", "");
    return switch (u) {
      case "unimportant", "low" -> LOW;
      case "medium" -> MEDIUM;
      case "high" -> HIGH;
      default -> UNKNOWN;
    };
  }

  /**
   * Ubuntu's priority as Trivy maps it: {@code negligible}/{@code low} → LOW, {@code medium} → MEDIUM, {@code high} →
   * HIGH, {@code critical} → CRITICAL; {@code untriaged} and anything else → UNKNOWN (then CVSS decides).
   */
  public static Severity ofUbuntuPriority(String s) {
    if (s == null) {
      return UNKNOWN;
    }
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "negligible", "low" -> LOW;
      case "medium" -> MEDIUM;
      case "high" -> HIGH;
      case "critical" -> CRITICAL;
      default -> UNKNOWN;
    };
  }

  public static Severity parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
