# demo: detect-secrets: no key in the example's git files (and a planted one is caught, by file and line)
# Runs imagegate:detect-secrets on examples/myapp (its sub-tree of this repository), then plants a made-up AWS key in
# an untracked, not-ignored file and shows the goal failing on it without printing the key; grep cross-checks both.
PLUGIN="dev.imagegate:imagegate-maven-plugin:$(sed -n "s:^  <version>\(.*\)</version>:\1:p" "$ROOT/pom.xml" | head -n 1)"
cd "$APP"
mvn $DEMO_MVN_ARGS_STR "$PLUGIN:detect-secrets" | grep -E 'imagegate:detect-secrets|BUILD'
if git ls-files -z | xargs -0 grep -lE 'AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----' 2>/dev/null; then
  echo "demo: grep found a key pattern in tracked files above" >&2; exit 1
fi
echo "grep agrees: no AWS key id or private key in examples/myapp's tracked files"
planted="demo-planted.properties"
trap 'rm -f "$APP/$planted"' EXIT
printf 'aws.key.id=AKIA%s\n' "$(python3 -c 'import random,string; print("".join(random.choice(string.ascii_uppercase+"234567") for _ in range(16)))')" > "$planted"
out=$(mvn $DEMO_MVN_ARGS_STR "$PLUGIN:detect-secrets" 2>&1 || true)
grep -E 'secret found|examples/myapp/.*AWS Access Key' <<<"$out" | sed -e 's/^\[ERROR\] */  expected failure: /' -e 's/Failed to execute goal .* on project [^:]*: //'
grep -q "examples/myapp/$planted:1: AWS Access Key" <<<"$out" || { echo "demo: the planted key was not reported" >&2; exit 1; }
! grep -qF -- "$(cut -d= -f2 "$planted")" <<<"$out" || { echo "demo: the key was printed" >&2; exit 1; }
echo "planted key reported by file and line, never printed"
