// The project is its own git repository (for the sha- tag); the GitOps repository on the peers' git server is reset
// to one seed commit. A fresh key pair each run, under target/ (untracked, so the build is not dirty): signatures
// left in the registry by an earlier run are then made by another key and must not let the first run through.
evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))

def sh = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
def keys = new File(basedir, 'target/keys')
keys.deleteDir()
keys.mkdirs()
sh(keys, ['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem'])
sh(keys, ['openssl', 'pkey', '-in', 'key.pem', '-pubout', '-out', 'key.pub'])

def url = sh(new File(projectRoot), [new File(projectRoot, 'scripts/peers').path, 'git-repo', 'it-gitops-signature-gate']).trim()
def auth = url.replace('http://', "http://${System.getenv('IMAGEGATE_GIT_USER')}:${System.getenv('IMAGEGATE_GIT_PASSWORD')}@")
def seed = new File(basedir, 'target/gitops-seed')
seed.deleteDir()
new File(seed, 'apps/gitops-signature-gate').mkdirs()
new File(seed, 'apps/gitops-signature-gate/values-dev.yaml').bytes = new File(basedir, 'values-dev.yaml').bytes
def git = ['git', '-c', 'user.name=seed', '-c', 'user.email=seed@imagegate.dev', '-c', 'commit.gpgsign=false']
sh(seed, ['git', 'init', '-q', '-b', 'main'])
sh(seed, git + ['add', '-A'])
sh(seed, git + ['commit', '-q', '-m', 'seed'])
// test fixture only: start every run from the same seed (the plugin itself never forces)
sh(seed, ['git', 'push', '-q', '--force', auth, 'main'])
new File(basedir, 'target/gitops-auth-url').text = auth
return true
