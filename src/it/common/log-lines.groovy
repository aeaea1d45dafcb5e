// Readable logs (issue 16.7), shared by the deploy stories: evaluate this file to get the closure
//   def checkLogLines = evaluate(new File(projectRoot, 'src/it/common/log-lines.groovy'))
//   checkLogLines(new File(basedir, 'build.log'))   // -> the number of imagegate lines checked
// It checks the lines imagegate's goals write, not Maven's or other plugins' lines:
//   - the [INFO]/[WARNING]/[ERROR] lines (and their continuation lines) between a "--- imagegate:…" execution header and
//     the next execution header or build result, and the failure message of an imagegate goal after Maven's
//     "[ERROR] Failed to execute goal dev.imagegate:…: " (Maven's own text before it, and its [Help] lines, are not ours);
//   - each within 120 characters, the level prefix ("[INFO] ") included, counted as dev.imagegate.LogLine counts them: an
//     identifier a user copies whole (a path, URL, image reference, ARN, commit hash, digest: a word with '/', a ':' followed
//     by more text, or 40+ hex digits) counts as 12, and so does a command to copy on its own indented line ("    mvn -f …");
//     prose counts whole;
//   - a full sha256 digest (64 hex digits) only in a goal's summary line ("imagegate:<goal> …", which scripts read) and in
//     failure messages (a conflict names both digests); everywhere else the short form "sha256:<12 hex>…", the full one is
//     in the goal's handover file under target/imagegate/.
// With -T the reactor's lines can interleave: a line of another plugin inside an imagegate execution is checked too.
return { File buildLog ->
  assert buildLog.isFile() : buildLog
  def width = { String line ->
    def command = line =~ /^((?:\[[A-Z]+\] )?\s+)(?:mvn|aws|cosign) .*/
    if (command.matches()) { return command.group(1).length() + 12 }
    def words = line.split(' ', -1)
    words.sum { w -> (w.contains('/') || w ==~ /.*[0-9a-f]{40}.*/ || w ==~ /[^:]+:[^:\s]+:.*/ || w.startsWith('arn:')) ? Math.min(w.length(), 12) : w.length() } + words.size() - 1
  }
  def fullDigest = ~/sha256:[0-9a-f]{64}/
  def problems = []
  int checked = 0
  boolean inImagegate = false
  boolean inFailure = false
  buildLog.eachLine('UTF-8') { String raw, int number ->
    String line = raw.replaceAll(/\u001B\[[0-9;]*m/, '')
    if (line ==~ /\[INFO\] --- .*---\s*/) { inImagegate = line ==~ /\[INFO\] --- imagegate(-maven-plugin)?:.*/; inFailure = false; return }
    if (line ==~ /\[INFO\] (BUILD .*|Total time.*|Reactor Summary.*|-{20,}|Building .*|Finished at.*)/) { inImagegate = false; inFailure = false; return }
    def failure = line =~ /^\[ERROR\] Failed to execute goal dev\.imagegate:[^ ]+ \([^)]*\) on project [^:]+: (.*)$/
    if (failure.matches()) {
      inImagegate = false
      inFailure = true
      line = '[ERROR] ' + failure.group(1)
    } else if (inFailure && (line ==~ /\[ERROR\] (-> \[Help.*|\s*)/ || !(line ==~ /\[ERROR\] .*|\s+.*/))) {
      inFailure = false
      return
    }
    if (!inImagegate && !inFailure) { return }
    if (!(line ==~ /\[(INFO|WARNING|ERROR)\] .*/ || line ==~ /\s+\S.*/)) { return }
    checked++
    if (width(line) > 120) {
      problems << "build.log:${number}: ${width(line)} characters: ${line}"
    }
    String text = line.replaceFirst(/^\[(INFO|WARNING|ERROR)\] /, '')
    if (line.find(fullDigest) && !text.startsWith('imagegate:') && !inFailure && !line.startsWith('[ERROR] ')) {
      problems << "build.log:${number}: a full digest outside a summary line (the short form sha256:<12 hex>… is enough): ${line}"
    }
  }
  assert problems.isEmpty() : "imagegate's log lines (${buildLog}):\n" + problems.join('\n')
  assert checked > 0 : "no imagegate log line in ${buildLog}"
  return checked
}
