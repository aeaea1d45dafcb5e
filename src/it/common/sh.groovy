// Shared by the src/it scripts that run commands (git, openssl, scripts/peers): evaluate this file to get the closure
//   def sh = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
//   sh(dir, ['git', 'rev-parse', 'HEAD'])      // -> the command's output (stdout and stderr), untrimmed
// It fails with the output when the command exits non-zero or does not end within 120 s; git never prompts.
return { File dir, List<String> cmd ->
  def pb = new ProcessBuilder(cmd).directory(dir).redirectErrorStream(true)
  pb.environment().put('GIT_TERMINAL_PROMPT', '0')
  def p = pb.start()
  def out = p.inputStream.text
  if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("${cmd[0..1].join(' ')} failed: ${out}")
  return out
}
