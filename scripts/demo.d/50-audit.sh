# demo: audit: the S3 audit record, read back from S3 (moto) with boto3
# Run by scripts/demo after `mvn deploy` of examples/myapp, with the peers' env exported. Prints where the record is
# (s3://bucket/key) and the record as S3 holds it, and checks it against audit.json and image.json.
out="${APP:-examples/myapp}/target/imagegate"
[[ -f "$out/audit.json" ]] || { echo "50-audit: no $out/audit.json (the audit goal did not run or failed)" >&2; exit 1; }
python3 - "$out" <<'PY'
import json, os, sys
import boto3
out = sys.argv[1]
local = open(os.path.join(out, "audit.json"), "rb").read()
image = json.load(open(os.path.join(out, "image.json")))
uri = json.loads(local)["s3_uri"]
bucket, key = uri[len("s3://"):].split("/", 1)
s3 = boto3.client("s3", endpoint_url=os.environ["IMAGEGATE_MOTO_URL"], region_name="us-east-1",
                  aws_access_key_id="test", aws_secret_access_key="test")
obj = s3.get_object(Bucket=bucket, Key=key)
body = obj["Body"].read()
print(f"  record: {uri}")
print(f"  ETag {obj['ETag']}  LastModified {obj['LastModified'].isoformat()}  SSE {obj.get('ServerSideEncryption')}")
print("  " + body.decode().rstrip().replace("\n", "\n  "))
record = json.loads(body)
ok = True
if body != local:
    print("  FAIL the S3 object differs from target/imagegate/audit.json", file=sys.stderr); ok = False
if record["digest"] != image["digest"] or record["sha"] != image["commit"]:
    print(f"  FAIL the record names {record['digest']} / {record['sha']}, image.json {image['digest']} / {image['commit']}", file=sys.stderr); ok = False
if ok:
    print(f"  OK  s3 object == audit.json; digest {record['digest']} of commit {record['sha']}; pushed_by {record['pushed_by']}; signed {record['signed']}")
sys.exit(0 if ok else 1)
PY
