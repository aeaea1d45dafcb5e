// a fresh bucket per run (moto keeps state between runs), named in .mvn/maven.config
def bucket = 'it-rerun-' + UUID.randomUUID().toString().substring(0, 8)
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-DitBucket=${bucket}\n"
new File(basedir, 'bucket.txt').text = bucket
// the reactor's signing key: a PEM PKCS#8 EC P-256 key made by openssl, and its public key for cosign
def key = ['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', new File(basedir, 'signing-key.pem').path].execute()
assert key.waitFor() == 0 : key.errorStream.text
def pub = ['openssl', 'pkey', '-in', new File(basedir, 'signing-key.pem').path, '-pubout', '-out', new File(basedir, 'signing-key.pub').path].execute()
assert pub.waitFor() == 0 : pub.errorStream.text
evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
// a web identity token as GitHub's OIDC provider would issue (moto's STS does not check its signature)
new File(basedir, 'web-identity.jwt').text =
    'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20iLCJzdWIiOiJyZXBvOmV4YW1wbGUvcGxhdGZvcm06cmVmOnJlZnMvaGVhZHMvbWFpbiJ9.c2lnbmF0dXJl\n'
def py = '''
import boto3, os, sys
s3 = boto3.client("s3", endpoint_url=os.environ["IMAGEGATE_MOTO_URL"], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
s3.create_bucket(Bucket=sys.argv[1])
s3.put_bucket_versioning(Bucket=sys.argv[1], VersioningConfiguration={"Status": "Enabled"})
'''
def p = ['python3', '-c', py, bucket].execute()
def err = p.errorStream.text
assert p.waitFor() == 0 : err
return true
