# imagegate:detect-secrets ran in `validate` of examples/myapp's build: show its summary line and check that the
# working tree really holds no AWS key id or private key that git would ship (grep as an independent tool).
log="${DEMO_LOG:-}"
if [ -n "$log" ] && [ -f "$log" ]; then
  grep -E 'imagegate:detect-secrets' "$log" || echo "detect-secrets: no summary line in $log (is the goal in the execution?)"
fi
if git -C examples/myapp ls-files -z | (cd examples/myapp && xargs -0 grep -lE 'AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----' 2>/dev/null); then
  echo "detect-secrets demo: grep found a key pattern in tracked files above" >&2
  exit 1
fi
echo "detect-secrets demo: grep agrees: no AWS key id or private key in examples/myapp's tracked files"
