# scan: prints the vulnerability summary of examples/myapp's image and checks scan.json against image.json with jq.
# (a bash fragment run by scripts/demo after `mvn deploy` of examples/myapp, with the peers' env exported)
scan_dir="${DEMO_APP_DIR:-examples/myapp}/target/imagegate"
echo "== scan: $scan_dir/scan.json"
if [[ ! -f "$scan_dir/scan.json" ]]; then
  echo "scan: no scan.json (is the scan goal in examples/myapp/pom.xml?)" >&2
  return 1 2>/dev/null || exit 1
fi
jq -r '"image \(.image) \(.digest)",
       "os \(.os.family) \(.os.version)   database \(.database.source) (\(.database.updatedAt))",
       "packages: \(.packages.debian) dpkg, \(.packages.maven) maven",
       "findings: \(.summary.critical) critical, \(.summary.high) high, \(.summary.medium) medium, \(.summary.low) low, \(.summary.unknown) unknown",
       "blocking \(.summary.blocking), suppressed \(.summary.suppressed), unfixed hidden \(.summary.unfixedHidden): \(if .summary.passed then "PASSED" else "FAILED" end)"' "$scan_dir/scan.json"
[[ "$(jq -r .digest "$scan_dir/scan.json")" == "$(jq -r .digest "$scan_dir/image.json")" ]] \
  || { echo "scan: scan.json digest differs from image.json" >&2; return 1 2>/dev/null || exit 1; }
jq -e '.bomFormat == "CycloneDX" and (.components | length) > 0' "$scan_dir/sbom.cdx.json" >/dev/null \
  && echo "sbom.cdx.json: $(jq '.components | length' "$scan_dir/sbom.cdx.json") components"
