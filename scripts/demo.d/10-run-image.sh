# demo: build: the image runs (chroot, uid 65532) and answers /health
# Unpacks the OCI archive that the build goal wrote and starts its entrypoint as uid 65532.
out=$("$ROOT/scripts/image-run" "$APP/target/imagegate/image.tar" --env AWS_REGION=us-east-1 \
  --expect-substring '/health="status":"healthy"' --expect-uid 65532 2>&1) || { echo "$out" | tail -20; exit 1; }
grep -E '^(check ok|process uid)' <<<"$out"
health="$(grep -A1 'GET /health' <<<"$out" || true)"
grep -m1 '{' <<<"$health" || true
