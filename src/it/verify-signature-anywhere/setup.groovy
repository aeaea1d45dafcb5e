// The project is its own git repository (for the sha- tag). A fresh key pair each run under target/keys (untracked),
// and another key that never signs anything. An unsigned image: the base image copied by skopeo into a repository
// nothing ever signs in.
evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))

def sh = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
def keys = new File(basedir, 'target/keys')
keys.deleteDir()
keys.mkdirs()
sh(keys, ['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem'])
sh(keys, ['openssl', 'pkey', '-in', 'key.pem', '-pubout', '-out', 'key.pub'])
sh(keys, ['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'wrong.pem'])
sh(keys, ['openssl', 'pkey', '-in', 'wrong.pem', '-pubout', '-out', 'wrong.pub'])

def registry = System.getenv('IMAGEGATE_REGISTRY')
def base = System.getenv('IMAGEGATE_BASE_IMAGE')
assert registry && base : 'needs the peers: eval "$(scripts/peers env)"'
sh(basedir, ['skopeo', 'copy', '-q', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false',
    '--digestfile', 'target/unsigned.digest', "docker://${base}".toString(), "docker://${registry}/it/verify-signature-anywhere-unsigned:v1".toString()])
return true
