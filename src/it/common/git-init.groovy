// Shared by the setup.groovy of every src/it project: makes the cloned project its own git repository with one
// commit at a fixed date, so the build has a commit sha to tag with (and the same commit gives the same image).
def git = { String... args ->
  def cmd = ['git', '-c', 'user.name=imagegate-it', '-c', 'user.email=it@imagegate.dev', '-c', 'commit.gpgsign=false'] + args.toList()
  def pb = new ProcessBuilder(cmd).directory(basedir).redirectErrorStream(true)
  pb.environment().putAll(['GIT_AUTHOR_DATE': '2026-03-01T12:00:00Z', 'GIT_COMMITTER_DATE': '2026-03-01T12:00:00Z'])
  def p = pb.start()
  def out = p.inputStream.text
  if (p.waitFor() != 0) throw new IllegalStateException("git ${args.join(' ')} failed: ${out}")
  return out.trim()
}
new File(basedir, '.gitignore').text = 'target/\nbuild.log\n'
git('init', '-q', '-b', 'main')
git('add', '-A')
git('commit', '-q', '-m', 'it fixture')
return git('rev-parse', 'HEAD')
