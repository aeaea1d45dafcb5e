evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
// a web identity token as GitHub's OIDC provider would issue (moto's STS does not check its signature)
new File(basedir, 'web-identity.jwt').text =
    'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20iLCJzdWIiOiJyZXBvOmV4YW1wbGUvbXlhcHA6cmVmOnJlZnMvaGVhZHMvbWFpbiJ9.c2lnbmF0dXJl\n'

def run = { List<String> cmd, Map<String, String> env = [:] ->
  def pb = new ProcessBuilder(cmd).directory(basedir).redirectErrorStream(true)
  pb.environment().putAll(env)
  def p = pb.start()
  def out = p.inputStream.text
  if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
    throw new IllegalStateException("${cmd.join(' ')} failed: ${out}")
  }
  return out.trim()
}

// the signing key, as an AWS admin would create it once: ECC_NIST_P256 / SIGN_VERIFY behind an alias, in moto
def moto = System.getenv('IMAGEGATE_MOTO_URL')
assert moto?.startsWith('http://127.0.0.1:') : 'IMAGEGATE_MOTO_URL must point at the local moto_server (eval "$(scripts/peers env)")'
def script = '''
import sys, boto3
kms = boto3.client("kms", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="it-admin", aws_secret_access_key="it-admin")
alias = "alias/imagegate-it-sign-two-regions"
if alias not in [a["AliasName"] for a in kms.list_aliases()["Aliases"]]:
    key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY", Description="imagegate sign-two-regions IT")
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyMetadata"]["KeyId"])
print(kms.describe_key(KeyId=alias)["KeyMetadata"]["Arn"])
'''
def arn = run(['python3', '-c', script, moto], ['AWS_SESSION_TOKEN': '', 'AWS_ENDPOINT_URL': moto])
assert arn ==~ /arn:aws:kms:us-east-1:\d{12}:key\/.+/ : arn
new File(basedir, 'kms-key-arn.txt').text = arn

// another key, for the checks that must fail
run(['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'wrong.key'])
run(['openssl', 'pkey', '-in', 'wrong.key', '-pubout', '-out', 'wrong.pub'])
return true
