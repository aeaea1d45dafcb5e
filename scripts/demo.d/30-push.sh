# imagegate demo fragment: push (run by scripts/demo after `mvn deploy` of examples/myapp, peers' env exported).
# Shows where the image went and checks, with skopeo, that each region's registry stores image.json's digest.
push_json="${IMAGEGATE_DEMO_OUT:-examples/myapp/target/imagegate}/push.json"
image_json="$(dirname "$push_json")/image.json"
echo "== push: $push_json"
[[ -f "$push_json" ]] || { echo "push.json missing: the push goal did not run" >&2; return 1 2>/dev/null || exit 1; }
want="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digest"])' "$image_json")"
python3 - "$push_json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
print(f"  digest {p['digest']}  tag {p['tag']}  pushedBy {p.get('pushedBy', '-')}")
for t in p["targets"]:
    print(f"  {t.get('region') or '-':10} {t['reference']}  uploaded {t['uploadedBytes']} B, reused {t['reusedBlobs']} blobs")
PY
while read -r ref; do
  creds=()
  [[ -n "${IMAGEGATE_ECR_PASSWORD:-}" ]] && creds=(--creds "AWS:$IMAGEGATE_ECR_PASSWORD")
  got="$(skopeo inspect --tls-verify=false "${creds[@]}" --format '{{.Digest}}' "docker://$ref")"
  if [[ "$got" == "$want" ]]; then echo "  OK  skopeo inspect docker://$ref -> $got"
  else echo "  FAIL skopeo inspect docker://$ref -> $got, image.json says $want" >&2; return 1 2>/dev/null || exit 1; fi
done < <(python3 -c 'import json,sys; [print(t["reference"]) for t in json.load(open(sys.argv[1]))["targets"]]' "$push_json")
