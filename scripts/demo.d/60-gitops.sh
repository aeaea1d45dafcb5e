# demo: gitops-update: write the new tag into a GitOps repository (format-preserving), push, show the commit
# imagegate demo fragment (run by scripts/demo after `mvn deploy` of examples/myapp, peers' env exported).
# Seeds the GitOps repository "gitops" on the peers' git server with three values files if it has none
# (scripts/gitops-seed), runs
# mvn -B imagegate:gitops-update in examples/myapp, and checks the pushed commit with the git command line.
ROOT="${ROOT:-$PWD}"
APP="${APP:-$ROOT/examples/myapp}"
out="${IMAGEGATE_DEMO_OUT:-$APP/target/imagegate}"
url="$("$ROOT/scripts/peers" git-repo gitops)"
auth="${url/http:\/\//http://$IMAGEGATE_GIT_USER:$IMAGEGATE_GIT_PASSWORD@}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
GIT=(git -c user.name=demo -c user.email=demo@imagegate.dev -c commit.gpgsign=false)

"$ROOT/scripts/gitops-seed" "$auth"

before="$(git ls-remote "$auth" refs/heads/main | cut -f1)"
echo "== mvn -B imagegate:gitops-update  (examples/myapp)"
(cd "$APP" && mvn -B -ntp ${DEMO_MVN_ARGS_STR:-} imagegate:gitops-update) | grep -E '^\[(INFO|WARNING|ERROR)\] (imagegate:|BUILD|  Fix:)|ERROR' || true
[[ -f "$out/gitops.json" ]] || { echo "gitops.json missing: gitops-update did not run" >&2; exit 1; }
python3 - "$out/gitops.json" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
print(f"  {g['repository']} {g['branch']}: commit {g['commit']} changed={g['changed']} attempts={g['attempts']}")
for c in g["changes"]:
    print(f"    {c['file']}:{c['line']} {c['path']}: {c['oldValue']} -> {c['newValue']}")
PY
after="$(git ls-remote "$auth" refs/heads/main | cut -f1)"
commit="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["commit"])' "$out/gitops.json")"
[[ "$after" == "$commit" ]] || { echo "FAIL: main is $after, gitops.json says $commit" >&2; exit 1; }
git clone -q "$auth" "$work/check"
echo "== git show --stat $commit  (before: $before)"
git -C "$work/check" show --stat --format='  %h %an <%ae>%n  %s%n%n%w(0,2,2)%b' "$commit" | sed 's/^/  /'
echo "== git diff $before $commit  (only the tag and repository values)"
git -C "$work/check" diff --unified=0 "$before" "$commit" | grep -E '^[-+][^-+]' | sed 's/^/  /' || true
tag="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tag"])' "$out/gitops.json")"
for env in dev staging production; do
  grep -q "tag: \"$tag\"" "$work/check/apps/myapp/values-$env.yaml" \
    || { echo "FAIL: values-$env.yaml does not carry $tag" >&2; exit 1; }
  grep -q 'tag: v1}' "$work/check/apps/myapp/values-$env.yaml" \
    || { echo "FAIL: the migrations tag in values-$env.yaml was touched" >&2; exit 1; }
done
echo "  OK  all three values files carry $tag; the migrations tag is untouched"
