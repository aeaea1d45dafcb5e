# imagegate:sign — bash fragment run by scripts/demo after `mvn deploy` of examples/myapp, with the peers' env exported.
# Shows sign.json and checks the signatures with the REAL cosign in both local regions, with the key the demo used
# (the public key is taken from sign.json, so a KMS key and a key file are handled alike).
demo_sign() {
  local out="${DEMO_PROJECT_DIR:-examples/myapp}/target/imagegate"
  [[ -f "$out/sign.json" ]] || { echo "40-sign: no $out/sign.json (sign goal not run)"; return 1; }
  echo "== imagegate:sign =="
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("digest", d["digest"]); print("key", d["key"]["reference"], d["key"]["fingerprint"]); [print(" ", s["reference"], s["signatureTag"], s["signatureManifestDigest"], s.get("predicateTypes")) for s in d["signatures"]]' "$out/sign.json"
  local w; w="$(mktemp -d)"
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["key"]["publicKeyPem"], end="")' "$out/sign.json" > "$w/key.pub"
  local auth; auth="$(printf 'AWS:%s' "$IMAGEGATE_ECR_PASSWORD" | base64 -w0)"
  mkdir -p "$w/docker"
  printf '{"auths":{"%s":{"auth":"%s"},"%s":{"auth":"%s"}}}' "$IMAGEGATE_REGISTRY_US_EAST_1" "$auth" "$IMAGEGATE_REGISTRY_US_WEST_2" "$auth" > "$w/docker/config.json"
  local ref rc=0
  for ref in $(python3 -c 'import json,sys; print(" ".join(s["reference"] for s in json.load(open(sys.argv[1]))["signatures"]))' "$out/sign.json"); do
    if DOCKER_CONFIG="$w/docker" cosign verify --key "$w/key.pub" --insecure-ignore-tlog=true --allow-insecure-registry "$ref" >/dev/null 2>"$w/err"; then
      echo "  cosign verify $ref: OK"
    else echo "  cosign verify $ref: FAILED"; cat "$w/err"; rc=1; fi
    if [[ -f "$out/sbom.cdx.json" ]]; then
      if DOCKER_CONFIG="$w/docker" cosign verify-attestation --key "$w/key.pub" --type cyclonedx --insecure-ignore-tlog=true --allow-insecure-registry "$ref" >/dev/null 2>"$w/err"; then
        echo "  cosign verify-attestation --type cyclonedx $ref: OK"
      else echo "  cosign verify-attestation $ref: FAILED"; cat "$w/err"; rc=1; fi
    fi
  done
  echo "  Kyverno policy: $out/kyverno-policy.yaml"
  rm -rf "$w"
  return $rc
}
demo_sign
