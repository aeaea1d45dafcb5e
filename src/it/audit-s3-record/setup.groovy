// a fresh, versioned bucket per run (moto keeps state between runs), named in .mvn/maven.config
def bucket = 'it-audit-' + UUID.randomUUID().toString().substring(0, 8)
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-DitBucket=${bucket}\n"
new File(basedir, 'bucket.txt').text = bucket
// the signing key: a PEM PKCS#8 EC P-256 key made by openssl
def key = ['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', new File(basedir, 'signing-key.pem').path].execute()
assert key.waitFor() == 0 : key.errorStream.text
def sha = evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
// a web identity token as GitHub's OIDC provider would issue (moto's STS does not check its signature)
new File(basedir, 'web-identity.jwt').text =
    'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20iLCJzdWIiOiJyZXBvOmV4YW1wbGUvbXlhcHA6cmVmOnJlZnMvaGVhZHMvbWFpbiJ9.c2lnbmF0dXJl\n'
// the bucket, versioned (so a rewrite would show as a second version), and a forged record of another digest for this sha
def py = '''
import boto3, json, os, sys
bucket, sha = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=os.environ["IMAGEGATE_MOTO_URL"], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
s3.create_bucket(Bucket=bucket)
s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
forged = {"timestamp": "2026-03-01T00:00:00Z", "repo": "example/myapp", "sha": sha, "digest": "sha256:" + "b" * 64,
          "pushed_by": "arn:aws:sts::123456789012:assumed-role/attacker/x", "workflow": None, "run_id": None,
          "run_attempt": None, "ref": None, "actor": None, "schemaVersion": 1}
s3.put_object(Bucket=bucket, Key="forged/" + sha + ".json", Body=json.dumps(forged).encode())
'''
def p = ['python3', '-c', py, bucket, sha].execute()
def err = p.errorStream.text
assert p.waitFor() == 0 : err
return true
