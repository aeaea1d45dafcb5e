evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
// a web identity token as GitHub's OIDC provider would issue (moto's STS does not check its signature)
new File(basedir, 'web-identity.jwt').text =
    'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20iLCJzdWIiOiJyZXBvOmV4YW1wbGUvbXlhcHA6cmVmOnJlZnMvaGVhZHMvbWFpbiJ9.c2lnbmF0dXJl\n'

def moto = System.getenv('IMAGEGATE_MOTO_URL')
assert moto?.startsWith('http://127.0.0.1:') : 'IMAGEGATE_MOTO_URL must point at the local moto_server (eval "$(scripts/peers env)")'
// a KMS key that exists but cannot sign (SYMMETRIC_DEFAULT / ENCRYPT_DECRYPT), behind an alias, in moto
def script = '''
import sys, boto3
kms = boto3.client("kms", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="it-admin", aws_secret_access_key="it-admin")
alias = "alias/imagegate-it-push-checks-encrypt-only"
if alias not in [a["AliasName"] for a in kms.list_aliases()["Aliases"]]:
    key = kms.create_key(KeyUsage="ENCRYPT_DECRYPT", Description="imagegate push-checks-later-goals IT: cannot sign")
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyMetadata"]["KeyId"])
print(kms.describe_key(KeyId=alias)["KeyMetadata"]["Arn"])
'''
def pb = new ProcessBuilder(['python3', '-c', script, moto]).redirectErrorStream(true)
pb.environment().putAll(['AWS_SESSION_TOKEN': '', 'AWS_ENDPOINT_URL': moto])
def p = pb.start()
def arn = p.inputStream.text.trim()
assert p.waitFor() == 0 : arn
// a bucket that does not exist, and a repository no earlier run pushed to (the registry keeps its state)
def run = UUID.randomUUID().toString().substring(0, 8)
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-DitBucket=it-missing-${run}\n-DitRepository=it/push-checks-later-goals-${run}\n"
new File(basedir, 'run.txt').text = run
return true
