package dev.imagegate.scan.osv;

/** How a finding's severity is decided. */
public enum SeveritySource {
  /** As Trivy: the vendor's rating first (Debian urgency, GHSA severity), then the CVSS base score. */
  VENDOR,
  /** The CVSS base score first (NVD-style), then the vendor's rating. */
  CVSS,
  /** The higher of the vendor's rating and the CVSS score. */
  MAX
}
