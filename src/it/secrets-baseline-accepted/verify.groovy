def log = new File(basedir, 'build.log').text
assert log =~ /imagegate:detect-secrets no new secrets: \d+ files scanned, 0 skipped \(0 binary, 0 too large, not searched\), 1 accepted by \.secrets\.baseline/
assert !log.contains('AKIAZ3MH7' + 'QKPC2WX4RTB')  // split: this file is committed and scanned too
assert log.contains('BUILD SUCCESS')
return true
