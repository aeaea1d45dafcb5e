// The project is its own git repository (for the sha- tag); a fresh signing key pair under target/keys (untracked).
evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
def sh = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
assert System.getenv('IMAGEGATE_BASE_IMAGE_MULTI') : 'needs the two-platform base: eval "$(scripts/peers env)" after scripts/peers start'
// a web identity token as GitHub's OIDC provider would issue (moto's STS does not check its signature)
new File(basedir, 'web-identity.jwt').text =
    'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20iLCJzdWIiOiJyZXBvOmV4YW1wbGUvbXlhcHA6cmVmOnJlZnMvaGVhZHMvbWFpbiJ9.c2lnbmF0dXJl\n'
def keys = new File(basedir, 'target/keys')
keys.deleteDir()
keys.mkdirs()
sh(keys, ['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem'])
sh(keys, ['openssl', 'pkey', '-in', 'key.pem', '-pubout', '-out', 'key.pub'])
return true
