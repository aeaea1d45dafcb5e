// Commits through git with the hook installed; every command's output is kept in build-hook.log.
def preCommit = System.getenv('IMAGEGATE_PRE_COMMIT') ?:
    "${System.getProperty('user.home')}/.cache/imagegate/tools/pre-commit/bin/pre-commit"
assert new File(preCommit).canExecute() : "pre-commit is not installed at ${preCommit}: run scripts/peers install"
def mvnBin = new File(System.getProperty('maven.home'), 'bin').path
def log = new File(basedir, 'build-hook.log')
log.text = ''
def run = { List<String> cmd ->
  def pb = new ProcessBuilder(cmd.collect { it.toString() }).directory(basedir).redirectErrorStream(true)
  def env = pb.environment()
  env.put('PATH', mvnBin + File.pathSeparator + env.get('PATH'))
  env.put('PRE_COMMIT_HOME', new File(basedir, 'target/pre-commit-home').path)
  env.putAll(['GIT_AUTHOR_NAME': 'it', 'GIT_AUTHOR_EMAIL': 'it@imagegate.dev', 'GIT_COMMITTER_NAME': 'it',
              'GIT_COMMITTER_EMAIL': 'it@imagegate.dev'])
  def p = pb.start()
  def out = p.inputStream.text
  def rc = p.waitFor()
  log << "\$ ${cmd.join(' ')}\n${out}(exit ${rc})\n"
  return [rc, out]
}
def git = { String... args -> run(['git', '-c', 'commit.gpgsign=false'] + args.toList()) }
def ok = { r -> assert r[0] == 0 : r[1]; r[1] }
// the key is assembled here so that this file holds no key the plugin's own detect-secrets would report
def key = 'AKIA' + 'Z3MH7QKPC2WX4RTB'

// the hook repository: the plugin's .pre-commit-hooks.yaml as shipped, in a git repository of its own
def hooks = new File(basedir.parentFile, basedir.name + '-hooks')
hooks.deleteDir(); hooks.mkdirs()
new File(hooks, '.pre-commit-hooks.yaml').text = new File(projectRoot, '.pre-commit-hooks.yaml').text
def inHooks = { String... args ->
  def p = new ProcessBuilder(['git', '-c', 'user.name=it', '-c', 'user.email=it@imagegate.dev', '-c', 'commit.gpgsign=false'] + args.toList())
      .directory(hooks).redirectErrorStream(true).start()
  def out = p.inputStream.text; assert p.waitFor() == 0 : out; out.trim()
}
inHooks('init', '-q', '-b', 'main'); inHooks('add', '-A'); inHooks('commit', '-q', '-m', 'hooks')
def rev = inHooks('rev-parse', 'HEAD')
new File(basedir, '.pre-commit-config.yaml').text = """repos:
  - repo: ${hooks.path}
    rev: ${rev}
    hooks:
      - id: imagegate-detect-secrets
"""
ok(run([preCommit, 'install']))

// 1. a clean change passes (the hook runs and scans the staged config)
ok(git('add', '.pre-commit-config.yaml', '.mvn/maven.config'))
def clean = ok(git('commit', '-m', 'pre-commit config'))
assert clean.contains('imagegate detect-secrets (staged files)') && clean.contains('Passed') : clean

// 2. a staged key blocks the commit, naming the file and the line, never the key
new File(basedir, 'src/main/resources/leak.properties').text = "a=1\nb=2\naws.id=${key}\n"
ok(git('add', 'src/main/resources/leak.properties'))
def blocked = git('commit', '-m', 'leak')
assert blocked[0] != 0 : blocked[1]
assert blocked[1].contains('Failed') : blocked[1]
assert blocked[1].contains('1 secret found in the staged files that the baseline .secrets.baseline (absent) does not accept:') : blocked[1]
assert blocked[1].contains('src/main/resources/leak.properties:3: AWS Access Key') : blocked[1]
assert !blocked[1].contains(key)
assert git('log', '--oneline')[1].readLines().size() == 2 // nothing committed
ok(git('rm', '-q', '--cached', 'src/main/resources/leak.properties'))
new File(basedir, 'src/main/resources/leak.properties').delete()

// staged-only, through a plain git hook (the pre-commit framework stashes unstaged changes itself, which would hide
// the difference): the same command as the shipped hook's entry
def hookFile = new File(basedir, '.git/hooks/pre-commit')
hookFile.text = "#!/bin/sh\nexec mvn -B -q imagegate:detect-secrets -Dimagegate.secrets.mode=staged\n"
hookFile.setExecutable(true)

// 3. a key only in the working tree (unstaged) does not block the commit of a clean staged change
new File(basedir, 'src/main/resources/app.properties').text = "greeting=hello\naws.id=${key}\n"
new File(basedir, 'src/main/resources/other.properties').text = "colour=blue\n"
ok(git('add', 'src/main/resources/other.properties'))
ok(git('commit', '-m', 'clean change, key unstaged'))

// 4. a key staged and then removed from the working tree still blocks: the staged blob is what is committed
ok(git('add', 'src/main/resources/app.properties'))
new File(basedir, 'src/main/resources/app.properties').text = "greeting=hello\n"
def stagedOnly = git('commit', '-m', 'key staged, gone from the working tree')
assert stagedOnly[0] != 0 : stagedOnly[1]
assert stagedOnly[1].contains('src/main/resources/app.properties:2: AWS Access Key') : stagedOnly[1]
assert !stagedOnly[1].contains(key)
assert git('log', '--oneline')[1].readLines().size() == 3
return true
