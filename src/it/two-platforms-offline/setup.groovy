// The project is its own git repository (for the sha- tag); a fresh signing key under target/keys (untracked).
// Both caches start empty: the online build fills them.
evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))

def sh = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
assert System.getenv('IMAGEGATE_REGISTRY') && System.getenv('IMAGEGATE_BASE_IMAGE_MULTI') : 'needs the peers: eval "$(scripts/peers env)"'
['target/base-image-cache', 'target/osv-cache', 'target/keys'].each { new File(basedir, it).deleteDir() }
def keys = new File(basedir, 'target/keys')
keys.mkdirs()
sh(keys, ['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem'])
return true
